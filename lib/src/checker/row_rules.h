#pragma once
// The row rules of spec §4: the stage of the checker's pipeline that looks at one
// record at a time (the value rules of member_rules.h, the control column, the
// password and its flag, required fields) and gives the key tables their look-ups.
// Private to the library.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/upload_header.h"
#include "members/member_rules.h"

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
/// (its first ASCII characters): the reader may leave their values as read
/// (csv_input::decode_fields). Finding that a name, address or memo decodes without a
/// word takes about the instructions its decoding took, but writes nothing and reads
/// an 8 KiB table rather than 256 KiB: 3% less CPU on an upload, and less to copy.
std::vector<bool> formula_only_columns(const upload_header& header);

/// Owned by the rules thread while the pipeline runs; once it has finished, the
/// thread that ran it reads what the rows added up to (report_file_findings,
/// actions).
class rule_stage {
 public:
  /// \p ranks: --ranks, or nullptr; \p with_current: --current was given (a u row's
  /// addresses are then compared with the member's, even when empty); \p fixer:
  /// kaiin-fix's, or nullptr; \p keep_values: findings carry the values they are
  /// about (the report shows them: diagnostics::wants_values).
  rule_stage(const upload_header& header, date today, const std::vector<std::string>* ranks, bool with_current,
             value_fixer* fixer = nullptr, bool keep_values = false)
      : header_(header),
        today_(today),
        ranks_(ranks),
        with_current_(with_current),
        keep_values_(keep_values),
        fixer_(fixer),
        flag_column_(header.header_name(field::crypted_pass)) {
    for (std::size_t i = 0; i < field_count; ++i) prefix_[i] = header.prefix(static_cast<field>(i));
    for (std::size_t i : header.unknown_text()) unknown_prefix_.push_back(header.column_name(i) + ": ");
  }

  /// Checks every row of \p b, adding its findings and key look-ups to it.
  void check(batch& b);

  /// After the pipeline: the findings the rows add up to, said once for the file (a
  /// column rows needed and the header lacks, a control column empty on every row,
  /// delete rows mixed with others). \p stops_at_limit: the pipeline stops once
  /// --max-errors is reached (the rows after it are then unread).
  void report_file_findings(diagnostics& diag, bool stops_at_limit) const;
  /// n, u and d rows.
  const std::array<std::uint64_t, 3>& actions() const { return actions_; }

 private:
  // The record being checked: its place and its values, views into the batch.
  struct row_view {
    std::uint64_t number = 0, line = 0;
    const char* storage = nullptr;
    const std::pair<std::uint32_t, std::uint32_t>* spans = nullptr;
    std::size_t count = 0;
    std::string_view get(int i) const {
      if (i < 0 || static_cast<std::size_t>(i) >= count) return {};
      return {storage + spans[i].first, spans[i].second};
    }
  };

  std::string_view get(field f) const { return row_.get(header_.columns()[f]); }
  bool has(field f) const { return header_.has(f); }
  // A finding of field \p f, about its value in the row (never a password's). Not
  // inlined: a row has few findings, and inlined into check_required it made that
  // too big for check_record to take in (33 instructions a row more, callgrind).
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
  void missing(field f);
  void add_lookup(field f, row_action action, std::string_view value, std::string_view key);

  const upload_header& header_;
  const date today_;
  const std::vector<std::string>* const ranks_;
  const bool with_current_;
  const bool keep_values_;
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
  std::array<std::pair<std::uint64_t, std::uint64_t>, field_count> missing_{};  // rows needing it, first line
  bool control_seen_ = false;                                                   // a row with a control value
  std::vector<std::pair<std::uint64_t, std::uint64_t>> empty_controls_;         // record, line, until then
  std::array<std::uint64_t, 3> actions_{};                                      // n, u, d
  std::uint64_t first_delete_ = 0, first_other_ = 0;                            // their first lines
};

}  // namespace kaiin::detail
