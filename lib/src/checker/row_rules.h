#pragma once
// The row rules of spec §4: the stage of the checker's pipeline that looks at one
// record at a time (the value rules of member_rules.h, the control column, the
// password and its flag, required fields) and gives the key tables their look-ups.
// Private to the library.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/key_tables.h"
#include "checker/upload_header.h"
#include "members/member_rules.h"
#include "members/postal.h"

namespace kaiin::detail {

/// kaiin-fix's side of the row rules, on the rules thread: offered the fix of each
/// finding that has one (verdict::fix). When it takes it, the row rules go on with
/// the fixed value, which passes the rule, and report nothing of it.
class value_fixer {
 public:
  virtual ~value_fixer() = default;
  /// True when the change of column \p column of row \p row of \p b from \p before to
  /// \p after, which satisfies rule \p rule, is made.
  virtual bool take(batch& b, std::size_t row, std::size_t column, std::string_view rule, std::string_view before,
                    const std::string& after) = 0;
};

/// The fields whose values the row rules check for an Excel formula, in the order of
/// their findings.
inline constexpr std::array formula_fields{field::last_name, field::first_name, field::address1,
                                           field::address2,  field::rank,       field::memo};
/// The columns of \p header the row rules look at for nothing but an Excel formula
/// (its first ASCII characters), or, address1, decode themselves: the reader may
/// leave their values as read
/// (csv_input::decode_fields). Finding that a name, address or memo decodes without a
/// word takes about the instructions its decoding took, but writes nothing and reads
/// an 8 KiB table rather than 256 KiB: 3% less CPU on an upload, and less to copy.
std::vector<bool> formula_only_columns(const upload_header& header);

/// Owned by the rules thread while the pipeline runs; once it has finished, the
/// thread that ran it reads what the rows added up to (report_file_findings,
/// actions).
class rule_stage {
 public:
  /// \p ranks: --ranks, or nullptr; \p current: --current, or nullptr (a u row's
  /// addresses are then compared with the member's, even when empty, and what Excel
  /// did is restored from the member's values); \p postal: Japan Post's codes, or
  /// nullptr (the file has no zip code); \p fixer: kaiin-fix's, or nullptr;
  /// \p keep_values: findings carry the values they are about (the report shows
  /// them: diagnostics::wants_values).
  rule_stage(const upload_header& header, date today, const std::vector<std::string>* ranks, current_members* current,
             const postal_table* postal = nullptr, value_fixer* fixer = nullptr, bool keep_values = false)
      : header_(header),
        today_(today),
        ranks_(ranks),
        with_current_(current != nullptr),
        keep_values_(keep_values),
        current_(current),
        postal_(postal),
        fixer_(fixer),
        flag_column_(header.header_name(field::crypted_pass)),
        field_at_(header.column_count(), -1) {
    for (std::size_t i = 0; i < field_count; ++i) prefix_[i] = header.prefix(static_cast<field>(i));
    for (std::size_t i : header.unknown_text()) unknown_prefix_.push_back(header.column_name(i) + ": ");
    for (std::size_t i = 0; i < field_count; ++i)
      if (int c = header.columns()[static_cast<field>(i)]; c >= 0)
        field_at_[static_cast<std::size_t>(c)] = static_cast<int>(i);
  }

  /// Checks every row of \p b, adding its findings and key look-ups to it.
  void check(batch& b);

  /// After the pipeline: the findings the rows add up to, said once for the file (a
  /// column rows needed and the header lacks, a control column empty on every row,
  /// delete rows mixed with others). \p stops_at_limit: the pipeline stops once
  /// --max-errors is reached (the rows after it are then unread).
  void report_file_findings(diagnostics& diag, bool stops_at_limit) const;
  /// From now on, notes whether a value has a byte outside ASCII (a file that may be
  /// either UTF-8 or CP932 while it has none).
  void watch_non_ascii() { watch_non_ascii_ = true; }
  /// A value with a byte outside ASCII was seen since watch_non_ascii().
  bool non_ascii_seen() const { return non_ascii_seen_; }

 private:
  // The record being checked: its place and its values, views into the batch.
  struct row_view {
    std::uint64_t number = 0, line = 0;
    const char* storage = nullptr;
    const std::pair<std::uint32_t, std::uint32_t>* spans = nullptr;
    std::size_t count = 0;
    std::uint32_t text_at = 0, text_size = 0;  // the record as read, in storage
    std::string_view get(int i) const {
      if (i < 0 || static_cast<std::size_t>(i) >= count) return {};
      return {storage + spans[i].first, spans[i].second};
    }
    /// \p v is a view into the record as read, not a value decoded.
    bool as_read(std::string_view v) const {
      return v.data() >= storage + text_at && v.data() < storage + text_at + text_size;
    }
  };

  std::string_view get(field f) const { return row_.get(header_.columns()[f]); }
  bool has(field f) const { return header_.has(f); }
  // A finding of field \p f, about its value in the row (never a password's), unless
  // Excel's damage to its value was said. Not inlined: a row has few findings, and
  // inlined into check_required it made that too big for check_record to take in
  // (33 instructions a row more, callgrind).
  [[gnu::noinline]] void report(field f, severity s, std::string_view rule, std::string_view message);
  void report(field f, const rule_result& v) {
    if (v) report(f, v->severity, v->rule, v->message);
  }
  // A finding of field \p f about \p value (kept when the report shows values).
  void add_finding(field f, std::string_view value, severity s, std::string_view rule, std::string_view message);
  std::optional<std::string_view> kept(std::string_view value) const {
    return keep_values_ ? std::optional<std::string_view>(value) : std::nullopt;
  }
  finding control_finding(std::uint64_t number, std::uint64_t line, const verdict& v) const;
  void add_control_finding(std::uint64_t number, std::uint64_t line, const verdict& v);
  // Reports what \p check says of field \p f's value \p v, unless kaiin-fix takes the
  // finding's fix; returns the value the row goes on with.
  template <class Check>
  std::string_view settle(field f, std::string_view v, Check check);
  // Offers \p after, the fix of rule \p rule, for \p f's value \p before; true when
  // it was taken (the value is then fixed_[f]).
  bool take(field f, std::string_view before, std::string_view rule, std::string& after);

  void check_record();
  row_action read_control();
  void check_required(row_action action);
  void check_password_of(row_action action);
  void check_rank();
  void check_address(std::string_view zip, std::string_view pref);
  std::string_view decoded(std::string_view v);
  void missing(field f);
  void add_lookup(field f, row_action action, std::string_view value, std::string_view key);

  // What Excel did to the row (spec §14; row_excel.cpp), named and restored before the
  // other rules, which then see the value restored or suggested, and say nothing more
  // of a value whose original Excel lost.
  void check_excel(row_action action);
  void excel_member_id(row_action action);
  void excel_tel();
  void excel_zip();
  void excel_exponent_value(field f, const char* what);  // what: N_(), the value's name
  void excel_serial_birthday();
  void excel_time(field f, const char* what);
  void excel_addresses();
  void excel_lost_characters();
  // A row with fewer fields than the header whose fields fit their columns: Excel
  // dropped its empty last fields. Its csv-field-count finding says so (or, where
  // kaiin-fix adds them back, goes); true when the row is to be checked.
  bool excel_dropped_fields();
  // Reports Excel's damage to field \p f (\p before) unless kaiin-fix takes the fix;
  // the rules go on with the value fixed or suggested, or say nothing more of it.
  void excel(field f, std::string_view before, verdict v);
  void count_excel_row();
  // True when Excel lost the original of field \p f's value (said already).
  bool lost(field f) const { return lost_ >> static_cast<unsigned>(f) & 1; }
  // The rules see \p v as field \p f's value.
  void substitute(field f, std::string_view v);
  // The row's member in --current (by member ID, else by e-mail address), and the
  // value of \p f in the export's record of that member.
  std::optional<std::uint32_t> excel_member();
  std::optional<std::uint32_t> member_by_email();
  std::optional<std::string_view> current_value(field f);
  void report_excel_file(diagnostics& diag) const;

  const upload_header& header_;
  const date today_;
  const std::vector<std::string>* const ranks_;
  const bool with_current_;
  const bool keep_values_;
  current_members* const current_;
  const postal_table* const postal_;
  value_fixer* const fixer_;
  const std::string flag_column_;  // crypted_pass as the file names it, for the password messages
  // header_.prefix() of each field and of each unknown_text() column, made once
  // rather than for every finding.
  std::array<std::string, field_count> prefix_;
  std::vector<std::string> unknown_prefix_;
  batch* batch_ = nullptr;  // the batch being checked
  std::size_t row_index_ = 0;
  row_view row_;
  std::array<std::string, field_count> fixed_;             // values of the row kaiin-fix fixed
  std::array<std::uint64_t, field_count> fixed_record_{};  // the record each was fixed in
  std::string key_;                                        // the e-mail key of the address being checked
  std::string zip_fixed_, pref_fixed_, pref_of_zip_;       // check_address's values, as §13 would write them
  std::string decoded_;                                    // a value decoded(), the last
  std::array<std::pair<std::uint64_t, std::uint64_t>, field_count> missing_{};  // rows needing it, first line
  bool control_seen_ = false;                                                   // a row with a control value
  std::vector<std::pair<std::uint64_t, std::uint64_t>> empty_controls_;         // record, line, until then
  std::array<std::uint64_t, 3> actions_{};                                      // n, u, d
  std::uint64_t first_delete_ = 0, first_other_ = 0;                            // their first lines
  // Excel's damage: the fields of the row whose value Excel lost (bit of each field),
  // the row's member in --current once looked for, the export's values read last.
  std::vector<int> field_at_;  // the field of each column, or -1
  std::uint32_t lost_ = 0;
  bool member_looked_ = false;
  std::optional<std::uint32_t> member_;
  std::uint32_t current_read_ = UINT32_MAX;
  record_values current_values_;
  std::string scratch_;
  std::uint64_t excel_rows_ = 0, excel_first_line_ = 0, excel_last_record_ = 0;  // rows showing it
  bool watch_non_ascii_ = false, non_ascii_seen_ = false;
};

}  // namespace kaiin::detail
