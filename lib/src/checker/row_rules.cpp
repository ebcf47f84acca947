#include "checker/row_rules.h"

#include <algorithm>

#include "core/text.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

void rule_stage::check(batch& b) {
  batch_ = &b;
  for (row_index_ = 0; row_index_ < b.rows.size(); ++row_index_) {
    const batch::row& row = b.rows[row_index_];
    // The values of a row with too many or too few fields are in the wrong
    // columns: checking them would only mislead (its csv-field-count finding is
    // there).
    if (row.ragged) continue;
    row_ = {row.number, row.line, b.storage.data(), b.spans.data() + row.first, row.count};
    check_record();
  }
}

template <class Check>
std::string_view rule_stage::settle(field f, std::string_view v, Check check) {
  rule_result r = check(v);
  if (!r) return v;
  if (r->fix && take(f, v, r->rule, *r->fix)) {
    v = fixed_[static_cast<std::size_t>(f)];
    r = check(v);  // passes the rule; a warning may remain (an old mobile address)
  }
  report(f, r);
  return v;
}

bool rule_stage::take(field f, std::string_view before, std::string_view rule, std::string& after) {
  if (!fixer_ || !has(f) ||
      !fixer_->take(*batch_, row_index_, static_cast<std::size_t>(header_.columns()[f]), rule, before, after))
    return false;
  fixed_[static_cast<std::size_t>(f)] = std::move(after);
  fixed_record_[static_cast<std::size_t>(f)] = row_.number;
  return true;
}

void rule_stage::report(field f, severity s, std::string_view rule, std::string_view message) {
  // The value as the row goes on with it: kaiin-fix's fix of it, when it took one.
  const auto i = static_cast<std::size_t>(f);
  add_finding(f, fixed_record_[i] == row_.number ? std::string_view(fixed_[i]) : get(f), s, rule, message);
}

void rule_stage::add_finding(field f, std::string_view value, severity s, std::string_view rule,
                             std::string_view message) {
  batch_->rule_findings.add(header_.file(), row_.number, row_.line, header_.column_view(f), s, rule,
                            prefix_[static_cast<std::size_t>(f)], message,
                            f == field::password ? std::nullopt : kept(value));
}

finding rule_stage::control_finding(std::uint64_t number, std::uint64_t line, const verdict& v) const {
  return {header_.file(),
          number,
          line,
          header_.column_of(field::control),
          v.severity,
          v.rule,
          header_.prefix(field::control) + v.message,
          std::string()};
}

void rule_stage::add_control_finding(std::uint64_t number, std::uint64_t line, const verdict& v) {
  batch_->rule_findings.add(header_.file(), number, line, header_.column_view(field::control), v.severity, v.rule,
                            prefix_[static_cast<std::size_t>(field::control)], v.message, kept(std::string_view()));
}

std::vector<bool> formula_only_columns(const upload_header& header) {
  // A column stands for one field at most, and unknown_text() columns for none.
  std::vector<bool> only(header.column_count(), false);
  for (std::size_t i : header.unknown_text()) only[i] = true;
  for (field f : formula_fields)
    if (f != field::rank && header.has(f))  // check_rank compares it with the shop's ranks
      only[static_cast<std::size_t>(header.columns()[f])] = true;
  return only;
}

void rule_stage::check_record() {
  row_action action = read_control();
  std::string_view id = get(field::member_id);
  if (id.empty() && (action == row_action::update || action == row_action::remove)) {
    if (!has(field::member_id))
      missing(field::member_id);
    else
      report(field::member_id, severity::error, "required-field",
             action == row_action::update ? _("the member ID is required to update (u) a member")
                                          : _("the member ID is required to delete (d) a member"));
  }
  if (!id.empty()) {
    id = settle(field::member_id, id, [](std::string_view v) { return check_member_id(v); });
    add_lookup(field::member_id, action, id, id);
  }
  if (action == row_action::remove) return;  // other fields of a delete row are ignored
  check_required(action);
  check_password_of(action);
  for (field f : {field::email, field::mobile_email}) {
    std::string_view v = settle(f, get(f), [](std::string_view v) { return check_email(v); });
    email_key(v, key_);
    // A u row's addresses are compared with the member's, even when empty.
    if (!key_.empty() || (with_current_ && action == row_action::update && has(f))) add_lookup(f, action, v, key_);
  }
  settle(field::zip, get(field::zip), [](std::string_view v) { return check_zip(v); });
  settle(field::pref, get(field::pref), [](std::string_view v) { return check_pref(v); });
  settle(field::birthday, get(field::birthday),
         [&](std::string_view v) { return check_birthday(v, today_, header_.is_export()); });
  report(field::registered, check_registered(get(field::registered)));
  report(field::updated, check_updated(get(field::updated)));
  settle(field::last_kana, get(field::last_kana), [](std::string_view v) { return check_kana(v); });
  settle(field::first_kana, get(field::first_kana), [](std::string_view v) { return check_kana(v); });
  settle(field::tel, get(field::tel), [](std::string_view v) { return check_tel(v); });
  settle(field::sex, get(field::sex), [](std::string_view v) { return check_sex(v); });
  for (field f : {field::mailmag, field::mobile_mailmag})
    if (!get(f).empty()) settle(f, get(f), [](std::string_view v) { return check_mailmag(v); });
  settle(field::point, get(field::point), [](std::string_view v) { return check_point(v); });
  check_rank();
  for (field f : formula_fields) report(f, check_formula(get(f)));
  for (std::size_t k = 0; k < header_.unknown_text().size(); ++k) {
    std::size_t i = header_.unknown_text()[k];
    if (auto v = check_formula(row_.get(static_cast<int>(i))))
      batch_->rule_findings.add(header_.file(), row_.number, row_.line, header_.header_column(i), v->severity, v->rule,
                                unknown_prefix_[k], v->message, kept(row_.get(static_cast<int>(i))));
  }
}

// The row's action: none for an export's row, or a bad control value.
row_action rule_stage::read_control() {
  if (!has(field::control)) return row_action::none;
  std::string_view control = get(field::control);
  if (control.empty() && !control_seen_) {
    // Empty on every row so far: an export given as an upload, perhaps, which is
    // one finding at the end rather than one a row. Said row by row once a row
    // has a value after all.
    empty_controls_.emplace_back(row_.number, row_.line);
    return row_action::none;
  }
  if (!control.empty() && !control_seen_) {
    control_seen_ = true;
    for (auto [number, line] : empty_controls_) add_control_finding(number, line, *check_control(""));
    empty_controls_ = {};
  }
  control = settle(field::control, control, [](std::string_view v) { return check_control(v); });
  if (control != "n" && control != "u" && control != "d") return row_action::none;  // reported
  const auto action = static_cast<row_action>(control[0]);
  ++actions_[action == row_action::create ? 0 : action == row_action::update ? 1 : 2];
  if (action == row_action::remove && !first_delete_) first_delete_ = row_.line;
  if (action != row_action::remove && !first_other_) first_other_ = row_.line;
  return action;
}

void rule_stage::check_required(row_action action) {
  if (action != row_action::create) return;
  for (field f : {field::email, field::password, field::mailmag}) {
    if (!has(f))
      missing(f);
    else if (get(f).empty())
      report(f, severity::error, "required-field", _("a value is required for a new member (n)"));
  }
}

// The password rules (spec §4.2). An export's rows are existing members, as u rows
// are, and so is a row whose control value is bad (that is its finding). Without
// the flag's column the rows that need it are counted, and said once.
void rule_stage::check_password_of(row_action action) {
  if (!has(field::password)) return;  // a new member's missing password is check_required's
  if (action == row_action::none) action = row_action::update;
  std::string_view password = get(field::password);
  if (!has(field::crypted_pass)) {
    // A platform without the column (ebisumart sets encryption on its upload
    // screen) has nothing to say it with: no flag rules then.
    if (header_.flag_column_known() && (action == row_action::create || !password.empty()))
      missing(field::crypted_pass);
    return;
  }
  const std::string& flag_column = flag_column_;
  std::string_view flag = get(field::crypted_pass);
  rule_result r = check_password(password, flag, action, flag_column);
  // The flag's fix (a full-width １): the password rules then apply with the fixed flag.
  if (r && r->rule == "password-flag" && r->fix && take(field::crypted_pass, flag, r->rule, *r->fix))
    r = check_password(password, fixed_[static_cast<std::size_t>(field::crypted_pass)], action, flag_column);
  report(field::password, r);
}

void rule_stage::check_rank() {
  std::string_view rank = get(field::rank);
  if (!ranks_ || rank.empty()) return;
  if (std::find(ranks_->begin(), ranks_->end(), rank) != ranks_->end()) return;
  std::string hint = did_you_mean(rank, *ranks_);
  report(field::rank, severity::warning, "rank-unknown",
         format_tr("rank '{}' is not in the rank list{}", rank,
                   hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
}

// A row needs field \p f, whose column the header lacks: counted for one finding.
void rule_stage::missing(field f) {
  auto& [rows, first_line] = missing_[static_cast<std::size_t>(f)];
  if (!rows++) first_line = row_.line;
}

void rule_stage::add_lookup(field f, row_action action, std::string_view value, std::string_view key) {
  std::string& text = batch_->lookup_text;
  key_lookup& lookup = batch_->lookups.emplace_back();
  lookup.record = row_.number;
  lookup.line = row_.line;
  lookup.key_field = f;
  lookup.action = action;
  lookup.value_at = static_cast<std::uint32_t>(text.size());
  lookup.value_size = static_cast<std::uint32_t>(value.size());
  text.append(value);
  lookup.key_at = static_cast<std::uint32_t>(text.size());
  lookup.key_size = static_cast<std::uint32_t>(key.size());
  text.append(key);
  // An e-mail key's hash, which the tables and their prefetch use; an ID's table
  // hashes its keys itself (hashing IDs here too was 1% of kaiin-check's time).
  lookup.hash = f == field::member_id ? 0 : string_table::hash(key);
}

void rule_stage::report_file_findings(diagnostics& diag, bool stops_at_limit) const {
  // One finding on line 1 for each column a rule needed and the header lacks.
  for (std::size_t i = 0; i < field_count; ++i) {
    auto [rows, first_line] = missing_[i];
    if (!rows) continue;
    auto f = static_cast<field>(i);
    std::string column = header_.profile().header_of(f), why;
    if (f == field::crypted_pass)
      why = format_plural(
          "{} row has a password (first on line {}), and the column says whether it is "
          "encrypted (1) or plaintext (0)",
          "{} rows have a password (first on line {}), and the column says whether each is "
          "encrypted (1) or plaintext (0)",
          rows, rows, first_line);
    else if (f == field::member_id)
      why = format_plural("{} update (u) or delete (d) row needs the member ID (first on line {})",
                          "{} update (u) or delete (d) rows need the member ID (first on line {})", rows, rows,
                          first_line);
    else
      why = format_plural("{} new member (n) needs it (first on line {})",
                          "{} new members (n) need it (first on line {})", rows, rows, first_line);
    diag.report(header_.file_finding(severity::error, "header-missing",
                                     format_tr("there is no column '{}': {}", column, why), 1));
  }
  // A control column empty on every row: an export where an upload was expected,
  // said once (a single row's empty value is that row's finding). One row, or a run
  // cut short by --max-errors (the rows after it are unread): each is its row's.
  if (!control_seen_ && !empty_controls_.empty()) {
    if (empty_controls_.size() == 1 || (stops_at_limit && diag.limit_reached())) {
      for (auto [number, line] : empty_controls_) diag.report(control_finding(number, line, *check_control("")));
    } else {
      diag.report({header_.file(), 0, 1, header_.column_of(field::control), severity::error, "control-all-empty",
                   format_tr("the control column '{}' is empty on all {} rows: this looks like an export, not an "
                             "upload; write n, u or d on each row to upload it, or remove the column to check the "
                             "file as an export (existing members)",
                             header_.header_name(field::control), empty_controls_.size())});
    }
  }
  std::uint64_t others = actions_[0] + actions_[1];
  if (actions_[2] && others) {
    diag.report(header_.file_finding(
        severity::error, "control-mixed-delete",
        format_tr("the file mixes {} (first on line {}) with {} (first on line {}): upload delete rows in "
                  "a file of their own (kaiin-split --by action)",
                  format_plural("{} delete row", "{} delete rows", actions_[2], actions_[2]), first_delete_,
                  format_plural("{} new or update row", "{} new or update rows", others, others), first_other_),
        first_delete_));
  }
}

}  // namespace kaiin::detail
