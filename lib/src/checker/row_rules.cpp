#include "checker/row_rules.h"

#include <algorithm>

#include "core/byte_scan.h"
#include "core/cp932.h"
#include "core/text.h"
#include "kaiin/i18n.h"
#include "members/address_rules.h"
#include "members/member_fixes.h"
#include "members/member_values.h"

namespace kaiin::detail {

void rule_stage::check(batch& b) {
  batch_ = &b;
  if (watch_non_ascii_ && !non_ascii_seen_) non_ascii_seen_ = !is_ascii(b.storage);
  for (row_index_ = 0; row_index_ < b.rows.size(); ++row_index_) {
    const batch::row& row = b.rows[row_index_];
    row_ = {row.number, row.line, b.storage.data(), b.spans.data() + row.first, row.count, row.text_at, row.text_size};
    lost_ = 0;
    member_looked_ = false;
    // The values of a row with too many or too few fields are in the wrong
    // columns: checking them would only mislead (its csv-field-count finding is
    // there). But for a row whose empty last fields Excel dropped.
    if (row.ragged && !excel_dropped_fields()) continue;
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
  if (lost(f)) return;  // Excel's damage to the value was said
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
  check_excel(action);
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
    // An ID whose digits Excel lost names no member.
    if (!lost(field::member_id)) add_lookup(field::member_id, action, id, id);
  }
  if (action == row_action::remove) return;  // other fields of a delete row are ignored
  check_required(action);
  check_password_of(action);
  // A row whose member ID Excel lost names no member: its addresses are looked for
  // in the file only, as an export's.
  const row_action address_action = lost(field::member_id) ? row_action::none : action;
  for (field f : {field::email, field::mobile_email}) {
    std::string_view v = settle(f, get(f), [](std::string_view v) { return check_email(v); });
    email_key(v, key_);
    // A u row's addresses are compared with the member's, even when empty.
    if (!key_.empty() || (with_current_ && address_action == row_action::update && has(f)))
      add_lookup(f, address_action, v, key_);
  }
  std::string_view zip = settle(field::zip, get(field::zip), [](std::string_view v) { return check_zip(v); });
  std::string_view pref = settle(field::pref, get(field::pref), [](std::string_view v) { return check_pref(v); });
  check_address(zip, pref);
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
  batch_->rows[row_index_].action = action;  // the summary's counts: the tables count it, in record order
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

// The rules of spec §15: the zip code against Japan Post's codes, the prefecture
// against the zip code's, address1 against both. \p zip and \p pref as settled: a
// value kaiin-fix did not fix is compared as §13 would write it (its own finding
// says so), and one no fix makes good is left out.
void rule_stage::check_address(std::string_view zip, std::string_view pref) {
  const bool pref_given = !pref.empty();
  std::optional<std::uint32_t> code = zip_number(zip);
  if (!code && !zip.empty()) {
    fixed_value f = fix_zip(zip);
    zip = f ? std::string_view(zip_fixed_ = std::move(*f)) : std::string_view();
    code = zip_number(zip);
  }
  std::span<const postal_place> places;
  if (postal_ && code) places = postal_->find(*code);
  std::string_view address = get(field::address1);
  // Most rows: the zip code's prefecture, and an address1 that starts with its city
  // (so not with the prefecture): nothing to say, and nothing more to look at (each
  // rule called on every row took twice the instructions, callgrind, 50,000 members).
  // A CP932 address left as read is compared as it is.
  const bool raw = header_.cp932() && row_.as_read(address);
  auto starts_with = [&](std::string_view name) {
    return raw ? cp932_starts_with(address, name) : address.starts_with(name);
  };
  for (const postal_place& p : places)
    if (p.pref() == pref && (starts_with(p.full_city()) || (!p.gun().empty() && starts_with(p.city())))) return;
  address = decoded(address);
  if (postal_ && code) report(field::zip, check_zip_assigned(zip, places, postal_->date()));
  // The zip code's prefecture is one of the 47 (and the row's, most of the time).
  if (pref_given &&
      std::none_of(places.begin(), places.end(), [&](const postal_place& p) { return p.pref() == pref; }) &&
      !detail::known_pref(pref)) {
    fixed_value f = fix_pref(pref);
    pref = f ? std::string_view(pref_fixed_ = std::move(*f)) : std::string_view();
  }
  if (has(field::pref) && !pref_given) {
    // Empty: the zip code's prefecture, which kaiin-fix writes (and which address1
    // then must not repeat).
    rule_result r = check_pref_empty(zip, places, address);
    if (r && r->fix) pref = pref_of_zip_ = *r->fix;
    if (r && r->fix && take(field::pref, {}, r->rule, *r->fix)) r.reset();
    report(field::pref, r);
  } else if (pref_given) {
    report(field::pref, check_pref_of_zip(pref, zip, places));
  }
  if (address.empty()) return;
  if (has(field::pref) && !pref.empty())
    address = settle(field::address1, address, [&](std::string_view v) { return check_address_pref(v, pref); });
  report(field::address1, check_address_city(address, pref, zip, places));
}

namespace {
// What decoding a value the reader left as read reports: nothing (it decodes
// quietly, or the reader would have decoded it and said so).
class quiet_sink : public problem_sink {
 public:
  void on_problem(const coding_problem&) override {}
};
}  // namespace

// \p v in UTF-8: a value of a CP932 file the reader left as read (formula_only_columns)
// is decoded here, into a buffer of the stage (valid until the next call), where a
// rule reads its words (address1). Decoded by the reader, address1 took 0.5 MB more of
// kaiin-check's peak memory at 1,000,000 members (the batches' storage); decoded here
// on every row, 350 instructions a row (callgrind, 50,000 members), where comparing it
// as it is (cp932_starts_with) takes a fifth of that.
std::string_view rule_stage::decoded(std::string_view v) {
  if (!header_.cp932() || !row_.as_read(v)) return v;
  if (decoded_.size() < decoded_room(v.size())) decoded_.resize(decoded_room(v.size()));
  quiet_sink quiet;
  const char* end = decode_cp932_to(v, decoded_.data(), quiet);
  return {decoded_.data(), static_cast<std::size_t>(end - decoded_.data())};
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
  report_excel_file(diag);
}

}  // namespace kaiin::detail
