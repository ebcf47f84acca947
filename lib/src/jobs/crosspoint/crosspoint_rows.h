#pragma once
// kaiin-crosspoint's reading thread (record_batches.h): each member of the export
// read, decoded and made into what the job needs of it alone: its ID, balance,
// addresses' fingerprints and its line of the load file, encoded, with the findings
// of each (a balance or rank to report, a TAB to sanitize, a character the load
// file cannot hold). The calling thread takes the members in order, keeps the ID
// and address tables, and writes the lines. Private to the library.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_input.h"
#include "core/record_batches.h"
#include "core/text.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"
#include "members/profile.h"

namespace kaiin::detail {

/// A column of the load file: its header, and where it takes its value from.
struct map_column {
  std::string header, source;
  int index = -1;  ///< column of the input, or -1 for an empty column
};

/// True when \p s holds a TAB, CR or LF.
bool has_tab_or_newline(std::string_view s);

/// True when CP932 \p bytes decode without a finding (no invalid byte, no 外字) and
/// encode back to themselves: a CP932 load file can take them as they are. False for
/// the characters Windows has two codes for whose encoding picks the other (NEC's
/// row 13 duplicates of JIS X 0208, NEC-selected IBM extensions).
bool round_trips_cp932(std::string_view bytes);

/// A member as the reading thread made it; its texts and findings are in its batch.
struct member_row {
  std::uint64_t number = 0, line = 0;
  std::uint64_t offset = 0;                  ///< of its record's first byte in the file
  bool malformed = false;                    ///< reported by the reader; its values would be in the wrong columns
  std::uint32_t id_at = 0, id_size = 0;      ///< the member ID
  std::uint32_t line_at = 0, line_size = 0;  ///< its line of the load file, encoded, without the newline
  /// Its findings, once it is taken (its ID its own): member_findings[first, end).
  std::uint32_t findings_first = 0, findings_end = 0;
  std::uint64_t point = 0;                                  ///< its balance, when it is one
  std::uint32_t sanitized_values = 0, sanitized_chars = 0;  ///< --sanitize's spaces
  std::array<std::uint64_t, 2> fingerprints{};              ///< of its PC and mobile addresses' e-mail keys
  std::array<bool, 2> has_key{};
  std::uint8_t addresses_held_back = 0;  ///< its addresses that are no address (spec §4.3): left out
};

struct member_batch {
  static constexpr std::size_t rows_wanted = 1024;
  ordered_findings read;  ///< of reading each member, before it
  std::vector<finding> member_findings;
  std::vector<member_row> rows;
  std::string text;

  void clear() {
    read.clear();
    member_findings.clear();
    rows.clear();
    text.clear();
  }
  std::string_view get(std::uint32_t at, std::uint32_t size) const { return std::string_view(text).substr(at, size); }
  std::string_view id(const member_row& r) const { return get(r.id_at, r.id_size); }
  std::string_view line(const member_row& r) const { return get(r.line_at, r.line_size); }
};

/// What the reading thread needs to make members' lines.
struct member_reading {
  const column_map* columns;              ///< the export's fields
  const std::vector<map_column>* map;     ///< the load file's columns
  const std::vector<std::string>* ranks;  ///< CROSS POINT's ranks, or nullptr
  encoding to;                            ///< the load file's encoding
  bool sanitize;                          ///< --sanitize
  const char_map* chars;                  ///< --replace and --fold, or nullptr
};

/// Where a TAB, CR or LF in value \p v of \p column (which an unquoted TSV cannot
/// hold) leaves the member's line: an error in \p found and the value left out, or
/// with \p sanitize a space for each, a warning, counted in \p values and \p chars.
/// Returns what to write (\p v, or \p buffer).
std::string_view tsv_value(std::string_view v, const std::string& column, const std::string& file,
                           const member_row& row, bool sanitize, std::string& buffer, std::vector<finding>& found,
                           std::uint32_t& values, std::uint32_t& chars);

/// Fills member batches from \p in (its header read), on the reading thread.
class member_reader {
 public:
  member_reader(csv_input& in, const member_reading& how);
  /// Fills \p b (cleared) with the next members; false once the input is done.
  bool fill(member_batch& b);
  /// The reading thread stops: findings are reported again.
  void stopped() { in_.collect_into(nullptr); }

 private:
  void decode_needed(bool alone);
  void make_line(member_batch& b, member_row& row);
  void copy_line(member_batch& b, member_row& row);
  std::string_view clean(member_batch& b, member_row& row, std::size_t field, std::string_view v);
  bool read_addresses(member_batch& b, member_row& row);
  void check_rank(member_batch& b);
  void report(member_batch& b, field f, severity s, std::string rule, std::string message);

  csv_input& in_;
  member_reading how_;
  bool copy_cp932_;  // CP932 to CP932 without replacements: bytes that round-trip are copied
  raw_record r_;
  record_values values_;
  // The values the job reads (ID, balance, addresses, rank), decoded, by field.
  static constexpr std::array<field, 5> needed_fields = {field::member_id, field::point, field::email,
                                                         field::mobile_email, field::rank};
  std::array<std::string_view, 5> needed_;
  std::array<std::string, 5> needed_buffers_;
  std::string key_, line_, value_;
  // The member's addresses as the load file has them where they are not as written:
  // folded, or empty for one that is no address (read_addresses()).
  std::array<std::string, 2> address_form_;
  std::array<bool, 2> replaced_{};
  std::vector<std::size_t> starts_;  // where each column's value starts in line_
  std::vector<int> fields_;          // the input field of each column (or -1)
};

}  // namespace kaiin::detail
