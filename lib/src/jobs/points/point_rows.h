#pragma once
// kaiin-points' inputs: a point CSV, or a member export taken as balances, read on a
// reading thread of their own (record_batches.h) into rows of a member key and
// points, with the findings of reading each row. The calling thread takes the rows
// in order (point_rows) and does the job. Private to the library.

#include <array>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_input.h"
#include "core/record_batches.h"
#include "kaiin/diagnostics.h"
#include "members/profile.h"

namespace kaiin::detail {

enum class key_kind { member_id, email };

inline std::string_view key_name(key_kind k) { return k == key_kind::member_id ? "member_id" : "email"; }

/// A whole integer, optionally signed; nullopt for anything else. (Here, inline:
/// called for every row on the reading threads, its result came back through memory,
/// 4% of diff's instructions, callgrind.)
inline std::optional<std::int64_t> parse_points(std::string_view v) {
  std::int64_t n = 0;
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  // Up to 18 digits (every balance): read here, where from_chars and its checks
  // were 6% of diff's time (perf); it takes the rest, and says what overflows.
  const bool negative = !v.empty() && v.front() == '-';
  if (const std::size_t digits = v.size() - negative; digits > 0 && digits <= 18) {
    for (std::size_t i = negative; i < v.size(); ++i) {
      const unsigned d = static_cast<unsigned char>(v[i]) - unsigned{'0'};
      if (d > 9) return std::nullopt;
      n = n * 10 + static_cast<std::int64_t>(d);
    }
    return negative ? -n : n;
  }
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return n;
}

/// The first line of \p path, as bytes, without a BOM, split at commas: enough to
/// tell a point CSV (its header names are ASCII) from a member export. Empty for
/// standard input.
std::vector<std::string> peek_header(const std::string& path);
/// True for the header of a point CSV (or none: standard input is one).
bool is_point_csv(const std::vector<std::string>& header);

/// One row of a point CSV, or one member of an export taken as a balance; its texts
/// are in its batch's text.
struct point_row {
  std::uint64_t number = 0, line = 0;
  std::uint32_t key_text_at = 0, key_text_size = 0;  // the member key as written
  std::uint32_t key_at = 0, key_size = 0;            // what members are matched by: the ID, or the e-mail key
  std::uint32_t reason_at = 0, reason_size = 0;      // read for check only
  std::optional<std::int64_t> points;
};

/// Rows as the reading thread hands them over.
struct point_batch {
  static constexpr std::size_t rows_wanted = 4096;
  ordered_findings read;  // of reading each row, before it
  std::vector<point_row> rows;
  std::string text;  // every row's texts, one after another

  // Room for a full batch from the start: grown a row at a time, each of NEW's 64
  // batches touched twice its memory, a page fault for every 4 KB (perf).
  point_batch() {
    rows.reserve(rows_wanted);
    read.before.reserve(rows_wanted);
  }
  void clear() {
    read.clear();
    rows.clear();
    text.clear();
  }
  bool full() const { return rows.size() >= rows_wanted; }
  /// Adds \p s to text; where it is.
  std::pair<std::uint32_t, std::uint32_t> add(std::string_view s) {
    auto at = static_cast<std::uint32_t>(text.size());
    text.append(s);
    return {at, static_cast<std::uint32_t>(s.size())};
  }
  std::string_view get(std::uint32_t at, std::uint32_t size) const { return std::string_view(text).substr(at, size); }
};

/// What fills point batches: a point CSV or an export, on the reading thread.
class point_source {
 public:
  virtual ~point_source() = default;
  /// Fills \p b (cleared) with the next rows; false once the input is done.
  virtual bool fill(point_batch& b) = 0;
  virtual key_kind kind() const = 0;
  virtual const std::string& name() const = 0;
  /// The input's size, when it is a regular file; 0 when unknown (a pipe).
  virtual std::uint64_t size_hint() = 0;
};

/// Opens \p path as a point CSV or, when its header is not one, as a member export
/// whose members \p kind names (member IDs by default), reading its header. The
/// findings of the header go to \p header, for the caller to report, even when this
/// throws (they come before the error): a snapshot may be opened, and read, while
/// the findings of another are still being reported.
std::unique_ptr<point_source> open_snapshot(const std::string& path, std::optional<key_kind> kind,
                                            const std::string& profile, source_encoding from, diagnostics& diag,
                                            std::vector<finding>& header);
/// Opens \p path as a point CSV, which it must be; \p want_reason: its rows' reasons
/// are read (check).
std::unique_ptr<point_source> open_point_csv(const std::string& path, diagnostics& diag, std::vector<finding>& header,
                                             bool want_reason);
/// Opens \p path as a member export of balances, members named by \p kind.
std::unique_ptr<point_source> open_export_balances(const std::string& path, key_kind kind, const std::string& profile,
                                                   source_encoding from, diagnostics& diag,
                                                   std::vector<finding>& header);

/// The rows of \p source, read on a reading thread when the input is large (or a
/// pipe), taken in order on the calling thread; the findings of reading each row are
/// reported to \p diag before it is taken.
class point_rows {
 public:
  /// \p batches: how many batches circulate, the reading thread filling all but the
  /// one taken (4096 rows a batch, some 64 bytes a row).
  point_rows(point_source& source, diagnostics& diag, int batches = 4);
  /// The next row, or nullptr at the end; valid until the next call.
  const point_row* next();
  std::string_view key_text(const point_row& r) const { return batch_->get(r.key_text_at, r.key_text_size); }
  std::string_view key(const point_row& r) const { return batch_->get(r.key_at, r.key_size); }
  std::string_view reason(const point_row& r) const { return batch_->get(r.reason_at, r.reason_size); }
  key_kind kind() const { return source_.kind(); }
  const std::string& name() const { return source_.name(); }
  /// A finding about row \p r, its column named in the message.
  void report(const point_row& r, const std::string& column, severity s, std::string rule, std::string message);
  /// From now on the findings of reading the rows taken go to \p held, not to the
  /// diagnostics, until this is called with nullptr (for rows taken early, whose
  /// findings come after those of another input).
  void hold_findings(std::vector<finding>* held) { held_ = held; }

 private:
  point_source& source_;
  diagnostics& diag_;
  batch_reader<point_batch> reader_;
  point_batch* batch_ = nullptr;
  std::size_t row_ = 0;
  std::vector<finding>* held_ = nullptr;
};

}  // namespace kaiin::detail
