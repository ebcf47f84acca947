#include "jobs/points/point_rows.h"

#include <algorithm>
#include <charconv>

#include "core/byte_scan.h"
#include "core/plain_lines.h"
#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/io.h"
#include "members/member_columns.h"

namespace kaiin::detail {

std::vector<std::string> peek_header(const std::string& path) {
  if (path == "-") return {};
  file_source in(path);
  std::string head(65536, '\0');
  head.resize(in.read(head.data(), head.size()));
  if (head.starts_with("\xEF\xBB\xBF")) head.erase(0, 3);
  head = head.substr(0, head.find_first_of("\r\n"));
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    std::size_t comma = head.find(',', start);
    names.push_back(head.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

bool is_point_csv(const std::vector<std::string>& header) {
  if (header.empty()) return true;  // standard input: a point CSV
  for (const std::string& h : header)
    if (h != "member_id" && h != "email" && h != "points" && h != "reason" && h != "category") return false;
  return true;
}

namespace {

// The columns a point CSV may have, in the order columns_ holds them.
constexpr std::array<std::string_view, 5> point_columns = {"member_id", "email", "points", "reason", "category"};
enum point_column { pc_member_id, pc_email, pc_points, pc_reason };

// The row's key as written and the key members are matched by (the e-mail key of an
// address), added to \p b.
void add_key(point_batch& b, point_row& row, key_kind kind, std::string_view key, std::string& key_buffer) {
  std::tie(row.key_text_at, row.key_text_size) = b.add(key);
  if (kind == key_kind::member_id) {
    row.key_at = row.key_text_at;
    row.key_size = row.key_text_size;
  } else {
    email_key(key, key_buffer);
    std::tie(row.key_at, row.key_size) = b.add(key_buffer);
  }
}

// Reads a point CSV with kaiin's own CSV reader: quotes, a newline inside quotes,
// CR and NUL bytes as CSV has them, at reader speed (fast-cpp-csv-parser, before,
// read 27 MB a second here and stopped the file at a NUL byte or an undecodable
// one). A row the reader reports (a problem of its structure or of its bytes) is
// a finding, and reading goes on with the next row.
class point_csv : public point_source {
 public:
  point_csv(const std::string& path, diagnostics& diag, std::vector<finding>& header, bool want_reason)
      : in_(path, source_encoding::auto_detect, diag, is_password_header), want_reason_(want_reason) {
    in_.collect_into(&found_);
    raw_record r;
    if (!in_.next(r)) throw data_error("file-empty", _("the file is empty: a header is missing"), name());
    read_header();
    header.insert(header.end(), found_.begin(), found_.end());
    found_.clear();
    bool by_id = columns_[pc_member_id] >= 0, by_email = columns_[pc_email] >= 0;
    if (by_id == by_email || columns_[pc_points] < 0) {
      std::string what = by_id && by_email   ? _("the header has both member_id and email")
                         : by_id == by_email ? _("there is no member_id or email column")
                                             : _("there is no points column");
      throw data_error(by_id && by_email ? "header-duplicate" : "header-missing",
                       format_tr("{}: a point CSV has the columns member_id or email (one of them), points, reason and "
                                 "an optional category",
                                 what),
                       name());
    }
    kind_ = by_id ? key_kind::member_id : key_kind::email;
  }

  key_kind kind() const override { return kind_; }
  const std::string& name() const override { return in_.name(); }
  std::uint64_t size_hint() override { return in_.file().size_hint(); }

  bool fill(point_batch& b) override {
    while (!b.full()) {
      // Not for check (want_reason_), whose reasons, most of them Japanese, are
      // decoded and checked a record at a time.
      if (!want_reason_ && take_plain(b)) continue;
      if (!in_.next(r_)) {
        pass_on(b);
        return false;
      }
      if (!readable()) {
        pass_on(b);
        continue;
      }
      // Filled where it stays: a row built on the stack and copied in stalled on
      // reading back its points (stored in parts, loaded whole), half of fill's time
      // (perf annotate).
      point_row& row = b.rows.emplace_back();
      row.number = r_.number;
      row.line = r_.line;
      std::string_view key = field(kind_ == key_kind::member_id ? pc_member_id : pc_email, key_buffer_);
      std::string_view points = field(pc_points, points_buffer_);
      if (want_reason_) std::tie(row.reason_at, row.reason_size) = b.add(field(pc_reason, reason_buffer_));
      pass_on(b);
      add_key(b, row, kind_, key, email_buffer_);
      check_row(b, row, points);
    }
    return true;
  }

 private:
  // The rows of the plain lines the reader holds (most rows: key and points
  // ASCII), split here rather than read a record at a time: csv_reader::next() and
  // the checks of each record were 40% of diff's instructions, and diff at 100,000
  // members went from 215 to 153 million (callgrind). False when the next record is
  // not such a line: next() reads it, and reports what it finds.
  bool take_plain(point_batch& b) {
    const plain_block block = in_.plain_lines();
    if (block.text.empty()) return false;
    const auto key_at = static_cast<std::size_t>(columns_[kind_ == key_kind::member_id ? pc_member_id : pc_email]);
    const auto points_at = static_cast<std::size_t>(columns_[pc_points]);
    auto [bytes, rows] = take_plain_lines<point_columns.size()>(
        block.text, ',', in_.header().size(), [&](const plain_line<point_columns.size()>& l, std::uint64_t k) {
          if (b.full()) return false;
          const std::string_view key = l.field(block.text, key_at), points = l.field(block.text, points_at);
          if (!detail::is_ascii(key) || !detail::is_ascii(points)) return false;  // next()'s
          point_row& row = b.rows.emplace_back();
          row.number = block.number + k;
          row.line = block.line + k;
          add_key(b, row, kind_, key, email_buffer_);
          check_row(b, row, points);
          return true;
        });
    in_.take_plain(bytes, rows);
    return rows > 0;
  }

  // The checks of row \p row, filled but for its points (\p points as written); the
  // row is then taken.
  void check_row(point_batch& b, point_row& row, std::string_view points) {
    row.points = parse_points(points);
    if (!row.points)
      report(b, row, "points", "points-integer",
             format_tr("points '{}' is not a whole number (a deduction is negative: -100)", points));
    if (row.key_size == 0)
      report(b, row, std::string(key_name(kind_)), "points-member",
             format_tr("the row names no member: {} is empty", key_name(kind_)));
    b.read.mark_row();
  }

  // The header's names: each a column of a point CSV, none twice.
  void read_header() {
    const std::vector<std::string>& names = in_.header();
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto known = std::find(point_columns.begin(), point_columns.end(), names[i]);
      if (known == point_columns.end())
        throw data_error("header-unknown", format_tr("the header has an unknown column '{}'", names[i]), name());
      int& at = columns_[static_cast<std::size_t>(known - point_columns.begin())];
      if (at >= 0)
        throw data_error("header-duplicate", format_tr("the header has the column '{}' twice", names[i]), name());
      at = static_cast<int>(i);
    }
  }

  // False for a row the reader reported, or whose values hold a line break: the
  // admin screen's point upload takes a row a line.
  bool readable() {
    bool ok = !r_.malformed();
    if (ok && found_.empty() && !line_break() && in_.valid_bytes(r_))
      return true;  // most rows: nothing found, one line, every byte valid
    for (finding& f : found_)
      if (f.rule == "csv-field-count") {
        // fast-cpp-csv-parser's words, which the tests and users know
        f = {name(),
             0,
             f.line,
             std::nullopt,
             severity::error,
             "points-row",
             r_.fields.size() > in_.header().size() ? _("too many columns") : _("too few columns")};
      } else if (f.severity == severity::error) {
        ok = false;
      }
    if (ok && !in_.valid_bytes(r_)) {
      record_values all;
      in_.decode_fields(r_, all);  // reports each bad byte
      ok = false;
    }
    if (ok && line_break()) {
      found_.push_back({name(), r_.number, r_.line, std::nullopt, severity::error, "points-row",
                        _("a value holds a line break: a row of a point CSV is one line")});
      ok = false;
    }
    return ok;
  }

  // True when a value of the row read last, which the reader read without a
  // problem, holds a line break: only a quoted one can (outside quotes a line break
  // ends the record), so most rows are not searched at all (a search of every
  // record was 3% of diff's time, perf).
  bool line_break() const {
    for (const csv_field& f : r_.fields)
      if (f.quoted && r_.text.substr(f.begin, f.end - f.begin).find('\n') != std::string_view::npos) return true;
    return false;
  }

  // Column \p c of the row read last, decoded; empty when the file lacks it.
  std::string_view field(point_column c, std::string& buffer) {
    const int at = columns_[c];
    if (at < 0) return {};
    // An ASCII value (an ID, a number) is itself, as decode_field says, without the
    // call (two a row were 7% of diff's instructions, callgrind).
    const csv_field& f = r_.fields[static_cast<std::size_t>(at)];
    const std::string_view raw = r_.text.substr(f.begin, f.end - f.begin);
    if (!f.escaped && detail::is_ascii(raw)) return raw;
    return in_.decode_field(r_, static_cast<std::size_t>(at), buffer);
  }

  // An error about \p row, before it in \p b.
  void report(point_batch& b, const point_row& row, const std::string& column, std::string rule, std::string message) {
    b.read.findings.push_back(
        {name(), row.number, row.line, column, severity::error, std::move(rule), column + ": " + message});
  }

  // Hands what the reader found on to \p b (a test a row, the moving apart: the
  // whole was a call a row, 2% of diff's instructions).
  void pass_on(point_batch& b) {
    if (!found_.empty()) move_found(b);
  }
  void move_found(point_batch& b) {
    b.read.findings.insert(b.read.findings.end(), found_.begin(), found_.end());
    found_.clear();
  }

  csv_input in_;
  bool want_reason_;
  std::array<int, point_columns.size()> columns_ = {-1, -1, -1, -1, -1};
  key_kind kind_ = key_kind::member_id;
  std::vector<finding> found_;  // what the reader found in the record read last
  raw_record r_;
  std::string key_buffer_, points_buffer_, reason_buffer_, email_buffer_;
};

// A member export read as balances: member key and cus_point of each member.
class export_balances : public point_source {
 public:
  export_balances(const std::string& path, key_kind kind, const std::string& profile_name, source_encoding from,
                  diagnostics& diag, std::vector<finding>& header)
      : in_(path, from, diag, is_password_header), kind_(kind) {
    in_.collect_into(&header);
    raw_record r;
    // A member export, or a snapshot that may have been a point CSV: said of either.
    if (!in_.next(r)) throw data_error("file-empty", _("the file is empty: a header is missing"), in_.name());
    in_.collect_into(nullptr);
    member_columns found = read_columns(profile_name, in_.header());
    require_columns(found, in_.name(), {kind == key_kind::member_id ? field::member_id : field::email, field::point});
    cols_ = found.columns;
  }
  key_kind kind() const override { return kind_; }
  const std::string& name() const override { return in_.name(); }
  std::uint64_t size_hint() override { return in_.file().size_hint(); }

  bool fill(point_batch& b) override {
    in_.collect_into(&b.read.findings);
    while (!b.full()) {
      if (!in_.next(r_)) return false;
      if (r_.malformed()) continue;  // reported by the reader
      in_.decode_fields(r_, values_);
      point_row& row = b.rows.emplace_back();  // filled in place, as point_csv's
      row.number = r_.number;
      row.line = r_.line;
      add_key(b, row, kind_, values_.get(cols_[kind_ == key_kind::member_id ? field::member_id : field::email]),
              key_buffer_);
      std::string_view balance = values_.get(cols_[field::point]);
      row.points = balance.empty() ? std::optional<std::int64_t>(0) : parse_points(balance);
      if (!row.points || *row.points < 0)
        b.read.findings.push_back({name(), r_.number, r_.line,
                                   in_.column_name(static_cast<std::size_t>(cols_[field::point])), severity::error,
                                   "point-format",
                                   format_tr("point balance '{}' is not a whole number from 0 up", balance)});
      if (row.key_size == 0) {  // a member without the key cannot be matched
        b.rows.pop_back();
        continue;
      }
      b.read.mark_row();
    }
    return true;
  }
  /// Findings are reported again once the reading stops.
  void stopped() { in_.collect_into(nullptr); }

 private:
  csv_input in_;
  key_kind kind_;
  column_map cols_{};
  raw_record r_;
  record_values values_;
  std::string key_buffer_;
};

}  // namespace

std::unique_ptr<point_source> open_point_csv(const std::string& path, diagnostics& diag, std::vector<finding>& header,
                                             bool want_reason) {
  return std::make_unique<point_csv>(path, diag, header, want_reason);
}

std::unique_ptr<point_source> open_export_balances(const std::string& path, key_kind kind, const std::string& profile,
                                                   source_encoding from, diagnostics& diag,
                                                   std::vector<finding>& header) {
  return std::make_unique<export_balances>(path, kind, profile, from, diag, header);
}

std::unique_ptr<point_source> open_snapshot(const std::string& path, std::optional<key_kind> kind,
                                            const std::string& profile, source_encoding from, diagnostics& diag,
                                            std::vector<finding>& header) {
  if (is_point_csv(peek_header(path))) return open_point_csv(path, diag, header, false);
  return open_export_balances(path, kind.value_or(key_kind::member_id), profile, from, diag, header);
}

point_rows::point_rows(point_source& source, diagnostics& diag, int batches)
    : source_(source),
      diag_(diag),
      reader_([&source](point_batch& b) { return source.fill(b); }, worth_a_thread(source.size_hint()), {}, batches) {}

const point_row* point_rows::next() {
  for (;;) {
    if (batch_ && row_ < batch_->rows.size()) {
      held_ ? batch_->read.hold_before(row_, *held_) : batch_->read.report_before(row_, diag_);
      return &batch_->rows[row_++];
    }
    if (batch_) held_ ? batch_->read.hold_rest(*held_) : batch_->read.report_rest(diag_);
    batch_ = reader_.next();
    row_ = 0;
    if (!batch_) return nullptr;
  }
}

void point_rows::report(const point_row& r, const std::string& column, severity s, std::string rule,
                        std::string message) {
  diag_.report({source_.name(), r.number, r.line, column, s, std::move(rule), column + ": " + message});
}

}  // namespace kaiin::detail
