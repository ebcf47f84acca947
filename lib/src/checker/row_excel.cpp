// What Excel does to a member file (spec §14), as the row rules see it: each damage
// named with its cause, and restored where the value before Excel can be known, from
// the value itself (members/excel_damage.h) or from the shop's current export. The
// rules that follow see the restored or suggested value, and say nothing more of a
// value whose original Excel lost: its finding says it all.

#include <algorithm>

#include "checker/row_rules.h"
#include "core/byte_scan.h"
#include "core/text.h"
#include "kaiin/encoding.h"
#include "kaiin/i18n.h"
#include "members/excel_damage.h"
#include "members/member_fixes.h"
#include "members/member_values.h"

namespace kaiin::detail {

namespace {

constexpr unsigned bit(field f) { return 1u << static_cast<unsigned>(f); }

// The first record whose empty last fields Excel drops: it writes every field of a
// sheet's first 16 rows (the header and 15 records), those of a later row up to its
// last value.
constexpr std::uint64_t first_dropping_record = 16;

// The end of a message whose value only the shop's export can give back: the
// member's value there (\p restored), or what to do without it.
std::string from_export(const fixed_value& restored, bool with_current) {
  if (restored) return format_tr(": write '{}', the member's value in the current export", *restored);
  return with_current ? _("; the current export has no value of this member that Excel would have written so: type it "
                          "again")
                      : _("; take it from the shop's export (kaiin-fix --current restores it)");
}

verdict damage(std::string rule, std::string message, fixed_value fix = {}) {
  return {severity::error, std::move(rule), std::move(message), std::move(fix)};
}

// True when \p v could be a value of field \p f, as written or as a rule or Excel's
// damage would have it: the test of a row whose last fields Excel dropped, whose
// values must be in their own columns (a field dropped in the middle would put the
// rest one column off).
bool fits_column(field f, std::string_view v) {
  if (v.empty()) return true;
  auto fits = [](const rule_result& r) { return !r || r->fix; };
  switch (f) {
    case field::control: return fits(check_control(v));
    case field::crypted_pass: return v == "0" || v == "1" || fix_crypted_pass(v);
    case field::email:
    case field::mobile_email: return v.find('@') != std::string_view::npos || v.find("＠") != std::string_view::npos;
    case field::zip: return fits(check_zip(v)) || excel_zip_zeros(v);
    case field::pref: return fits(check_pref(v));
    case field::tel: {
      // Digits and hyphens of another length are a telephone number still, a wrong one.
      const rule_result r = check_tel(v);
      return fits(r) || r->rule == "tel-length" || excel_exponent(v);
    }
    case field::birthday: return read_date(v) || excel_serial(v) || good_datetime(v);
    case field::registered:
    case field::updated: return good_datetime(v) || excel_minute(v) || excel_serial_time(v);
    case field::sex: return fits(check_sex(v));
    case field::mailmag:
    case field::mobile_mailmag: return fits(check_mailmag(v));
    case field::point: return fits(check_point(v)) || excel_exponent(v);
    case field::last_kana:
    case field::first_kana: return fits(check_kana(v)) || v.find('?') != std::string_view::npos;
    default: return true;  // names, addresses, IDs, passwords, memos: any text
  }
}

// The bytes \p row's values were cut from: the record as read or, for a row decoded
// apart (kaiin-fix's), its values one after another. An ASCII character none of them
// has, no value has.
std::string_view record_bytes(const batch& b, const batch::row& row) {
  if (row.text_size || !row.count) return std::string_view(b.storage).substr(row.text_at, row.text_size);
  const auto& first = b.spans[row.first];
  const auto& last = b.spans[row.first + row.count - 1];
  return std::string_view(b.storage).substr(first.first, last.first + last.second - first.first);
}

}  // namespace

// Each damage is looked for only where a glance at the value says it may be there: the
// whole of this took a tenth of kaiin-check's instructions on an upload before
// (callgrind, 100,000 members), where no value is Excel's.
void rule_stage::check_excel(row_action action) {
  if (std::string_view id = get(field::member_id); !id.empty() && (current_ || id.find('E') != id.npos))
    excel_member_id(action);
  if (action == row_action::remove) return;  // other fields of a delete row are ignored
  if (std::string_view tel = get(field::tel); !tel.empty() && tel[0] != '0') excel_tel();
  if (std::size_t zip = get(field::zip).size(); zip == 5 || zip == 6) excel_zip();
  if (std::string_view point = get(field::point); point.size() >= 5 && excel_exponent(point))
    excel_exponent_value(field::point, N_("point balance"));
  if (std::size_t birthday = get(field::birthday).size(); birthday && birthday <= 7) excel_serial_birthday();
  // A time written with its seconds is 19 characters.
  if (std::size_t time = get(field::registered).size(); time && time != 19)
    excel_time(field::registered, N_("registration time"));
  if (std::size_t time = get(field::updated).size(); time && time != 19) excel_time(field::updated, N_("update time"));
  // 2029/12/31 and 12月31日 are short (an empty value's size - 1 is no small number).
  if (get(field::address1).size() - 1 < 16 || get(field::address2).size() - 1 < 16) excel_addresses();
  if (record_bytes(*batch_, batch_->rows[row_index_]).find('?') != std::string_view::npos) excel_lost_characters();
}

void rule_stage::count_excel_row() {
  if (excel_rows_ && excel_last_record_ == row_.number) return;
  if (!excel_rows_++) excel_first_line_ = row_.line;
  excel_last_record_ = row_.number;
}

void rule_stage::excel(field f, std::string_view before, verdict v) {
  count_excel_row();
  if (v.fix && take(f, before, v.rule, *v.fix)) {
    substitute(f, fixed_[static_cast<std::size_t>(f)]);
    return;
  }
  add_finding(f, before, v.severity, v.rule, v.message);
  if (v.fix)
    substitute(f, *v.fix);
  else
    lost_ |= bit(f);
}

void rule_stage::substitute(field f, std::string_view v) {
  const int c = header_.columns()[f];
  if (c < 0 || static_cast<std::size_t>(c) >= row_.count) return;
  std::string& storage = batch_->storage;
  batch_->spans[batch_->rows[row_index_].first + static_cast<std::size_t>(c)] = {
      static_cast<std::uint32_t>(storage.size()), static_cast<std::uint32_t>(v.size())};
  storage.append(v);  // never a view into storage: the caller's own string
  row_.storage = storage.data();
}

std::optional<std::uint32_t> rule_stage::member_by_email() {
  for (field f : {field::email, field::mobile_email}) {
    std::string key = email_key(get(f));
    if (key.empty()) continue;
    if (const std::uint32_t* m = current_->emails.find(key, string_table::hash(key), scratch_)) return *m;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> rule_stage::excel_member() {
  if (!current_) return std::nullopt;
  if (member_looked_) return member_;
  member_looked_ = true;
  std::string_view id = get(field::member_id);
  member_ = id.empty() || lost(field::member_id) ? std::nullopt : current_->ids.find(id);
  if (!member_) member_ = member_by_email();
  return member_;
}

std::optional<std::string_view> rule_stage::current_value(field f) {
  auto m = excel_member();
  if (!m || current_->columns()[f] < 0) return std::nullopt;
  if (current_read_ != *m) {
    current_read_ = UINT32_MAX;
    if (!current_->read_member(*m, current_values_)) return std::nullopt;
    current_read_ = *m;
  }
  return current_values_.get(current_->columns()[f]);
}

void rule_stage::excel_member_id(row_action action) {
  std::string_view id = get(field::member_id);
  if (id.empty()) return;
  if (excel_exponent(id)) {
    excel_exponent_value(field::member_id, N_("member ID"));
    return;
  }
  // With the export: an ID it lacks that is one of its IDs without the leading zeros.
  const std::uint64_t widths = current_ ? current_->zero_led_widths() : 0;
  if (action == row_action::create || id.size() >= 63 || !(widths >> (id.size() + 1)) || id[0] == '0' ||
      current_->ids.find(id))
    return;
  // The member whose ID it was, unless the row's address is another member's.
  const std::optional<std::uint32_t> owner = member_by_email();
  auto restored = excel_id_zeros(id, widths, [&](const std::string& candidate) {
    auto m = current_->ids.find(candidate);
    if (!m || (owner && *owner != *m)) return false;
    member_looked_ = true;
    member_ = m;
    return true;
  });
  if (restored)
    excel(field::member_id, id,
          damage("excel-leading-zero-id",
                 format_tr("member ID '{}' is not in the current export, but '{}' is: Excel read the ID as a number "
                           "and dropped its leading zeros; write '{}'",
                           id, *restored, *restored),
                 restored));
}

void rule_stage::excel_exponent_value(field f, const char* what) {
  std::string_view v = get(f);
  fixed_value restored;
  if (auto now = current_value(f); now && excel_exponent_of(*now, v)) restored = std::string(*now);
  excel(f, v,
        damage("excel-exponent",
               format_tr("{} '{}' is in exponent form: Excel read it as a number and wrote it in its own form, "
                         "and its last digits are lost",
                         _(what), v) +
                   from_export(restored, current_ != nullptr),
               restored));
}

void rule_stage::excel_tel() {
  std::string_view tel = get(field::tel);
  if (tel.empty() || tel[0] == '0') return;
  if (fixed_value with_zero = excel_tel_zero(tel))
    excel(field::tel, tel,
          damage("excel-leading-zero-tel",
                 format_tr("telephone number '{}' has lost its leading 0: Excel read it as a number; write '{}'", tel,
                           *with_zero),
                 with_zero));
  else if (excel_exponent(tel))
    excel_exponent_value(field::tel, N_("telephone number"));
}

void rule_stage::excel_zip() {
  std::string_view zip = get(field::zip);
  fixed_value seven = excel_zip_zeros(zip);
  if (!seven) return;
  std::string_view pref = get(field::pref);
  // Known only with Japan Post's codes and a prefecture, written in full, to find it in.
  const bool known = postal_ && detail::known_pref(pref);
  const bool assigned = known && postal_->in_prefecture(*seven, pref);
  std::string message =
      format_tr("zip code '{}' is '{}' without its leading zeros: Excel read it as a number", zip, *seven);
  if (assigned)
    message += format_tr("; write '{}'", *seven);
  else if (known)
    message += format_tr(", but '{}' is not a zip code of {} either: check it", *seven, pref);
  excel(field::zip, zip, damage("excel-leading-zero-zip", std::move(message), assigned ? seven : std::nullopt));
}

void rule_stage::excel_serial_birthday() {
  std::string_view v = get(field::birthday);
  auto serial = excel_serial(v);
  // Four digits from 1900 to 2099 are more likely a year alone than a day of 1905-1910.
  if (!serial || (v.size() == 4 && *serial >= 1900 && *serial <= 2099)) return;
  const std::optional<date> day = excel_serial_date(*serial);
  if (!day) {
    excel(field::birthday, v,
          damage("excel-serial-date",
                 format_tr("birthday '{}' is Excel's serial number for 1900/02/29, a day that never was (Excel counts "
                           "it): no date",
                           v)));
    return;
  }
  const std::string text = date_text(day, "");
  fixed_value restored;
  if (good_birthday(text, today_, header_.is_export())) restored = text;
  excel(field::birthday, v,
        damage("excel-serial-date",
               restored
                   ? format_tr("birthday '{}' is a date Excel wrote as its serial number: write '{}'", v, text)
                   : format_tr("birthday '{}' is a date Excel wrote as its serial number: {}, which is in the future",
                               v, text),
               restored));
}

void rule_stage::excel_time(field f, const char* what) {
  std::string_view v = get(f);
  if (v.empty() || v.size() == 19) return;  // a time written with its seconds
  const std::optional<date_time> minute = excel_minute(v);
  const std::optional<excel_moments> moments = minute ? std::nullopt : excel_serial_time(v);
  if (!minute && !moments) return;
  // The member's time in the export, when it is the one Excel wrote so.
  fixed_value restored;
  if (moments && moments->exact()) {
    restored = datetime_text(moments->first);
  } else if (auto now = current_value(f); now && now->size() == 19) {
    auto t = parse_date_time(*now);
    if (t && (minute ? t->date == minute->date && t->hour == minute->hour && t->minute == minute->minute
                     : moments->holds(*t)))
      restored = std::string(*now);
  }
  if (minute) {
    excel(f, v,
          damage("excel-no-seconds",
                 format_tr("{} '{}' has lost its seconds: Excel wrote the time in its own form", _(what), v) +
                     from_export(restored, current_ != nullptr),
                 restored));
    return;
  }
  std::string message = format_tr("{} '{}' is a date and time Excel wrote as its serial number", _(what), v);
  if (moments->exact())
    message += format_tr("; write '{}'", *restored);
  else
    message += format_tr(", about {}", datetime_text(moments->nearest).substr(0, 16)) +
               from_export(restored, current_ != nullptr);
  excel(f, v, damage("excel-serial-date", std::move(message), restored));
}

void rule_stage::excel_addresses() {
  for (field f : {field::address1, field::address2}) {
    std::string_view v = get(f);
    // 2029/12/31 and 12月31日 are short; the latter ends in 日, in UTF-8 or as CP932 read.
    if (v.empty() || v.size() > 16 || (!is_ascii(v) && !v.ends_with("日") && !v.ends_with("\x93\xFA"))) continue;
    v = decoded(v);
    fixed_value number = excel_address_number(v);
    if (!number) continue;
    fixed_value restored;
    if (auto now = current_value(f); now && excel_date_of(*now) == v) restored = std::string(*now);
    excel(f, v,
          damage("excel-address-date",
                 format_tr("address '{}' is a date: Excel read an address number as one (it was likely '{}')", v,
                           *number) +
                     from_export(restored, current_ != nullptr),
                 restored));
  }
}

void rule_stage::excel_lost_characters() {
  for (field f :
       {field::last_name, field::first_name, field::last_kana, field::first_kana, field::address1, field::address2}) {
    std::string_view v = get(f);
    if (v.find('?') == std::string_view::npos) continue;  // never a byte of a CP932 character either
    v = decoded(v);
    std::string message = format_tr(
        "'{}' has a '?' where Excel, saving the file as CP932 (Shift_JIS), wrote one for a character CP932 lacks: "
        "the character is lost",
        v);
    if (auto now = current_value(f)) {
      fixed_value lost = kaiin::excel_lost_characters(v, *now);
      if (lost && lost->empty()) continue;  // each '?' was there in the export too
      if (lost)
        message += format_tr(
            " (the current export has '{}': CP932 has no '{}'; type it on the admin screen, or "
            "write a character CP932 has)",
            *now, *lost);
    }
    excel(f, v, damage("excel-lost-character", std::move(message)));
  }
}

bool rule_stage::excel_dropped_fields() {
  batch& b = *batch_;
  const batch::row& row = b.rows[row_index_];
  const std::size_t columns = header_.column_count();
  // Excel drops every empty field at the end of a row: the last one it kept has a value.
  if (row.number < first_dropping_record || row.count == 0 || row.count >= columns ||
      row_.get(static_cast<int>(row.count) - 1).empty())
    return false;
  for (std::size_t i = 0; i < row.count; ++i)
    if (field_at_[i] >= 0 && !fits_column(static_cast<field>(field_at_[i]), row_.get(static_cast<int>(i))))
      return false;
  auto count_finding = std::find_if(b.findings.begin(), b.findings.end(), [&](const finding& f) {
    return f.record == row.number && f.rule == "csv-field-count";
  });
  if (count_finding == b.findings.end()) return false;
  count_excel_row();
  // kaiin-fix adds them back, each an empty value of its column, or none.
  bool added = fixer_ != nullptr;
  for (std::size_t i = row.count; added && i < columns; ++i)
    added = fixer_->take(b, row_index_, i, "excel-dropped-fields", "", "");
  if (added) {
    b.findings.erase(count_finding);
    return true;
  }
  count_finding->rule = "excel-dropped-fields";
  count_finding->message = format_tr(
      "the record has {} of the header's {} fields: Excel dropped its empty last fields when it saved the file (it "
      "does once the last column has been empty for 15 rows); they are read as empty, and kaiin-fix adds them back",
      row.count, columns);
  return true;
}

void rule_stage::report_excel_file(diagnostics& diag) const {
  // One row may be a slip; several are the file's history.
  if (excel_rows_ < 2) return;
  diag.report(header_.file_finding(
      severity::warning, "excel-saved",
      format_tr("the file was saved by Excel: {} rows show what Excel does to a CSV it opens and saves again (first "
                "on line {}); to edit a CSV in Excel, open it through Data → From Text/CSV (データ → "
                "テキストまたはCSVから) with every column as text, or let kaiin-fix repair what can be known",
                excel_rows_, excel_first_line_)));
}

}  // namespace kaiin::detail
