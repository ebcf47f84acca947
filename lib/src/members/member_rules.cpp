#include "members/member_rules.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <unordered_set>

#include "core/code_points.h"
#include "core/text.h"
#include "kaiin/csv.h"
#include "kaiin/i18n.h"
#include "members/member_fixes.h"
#include "members/member_values.h"

namespace kaiin {

namespace {

// \p fix: what to write instead (the value \p message suggests), if anything.
verdict error(std::string rule, std::string message, fixed_value fix = {}) {
  return {severity::error, std::move(rule), std::move(message), std::move(fix)};
}
verdict warning(std::string rule, std::string message) {
  return {severity::warning, std::move(rule), std::move(message)};
}

bool all_of(std::string_view v, bool (*pred)(char)) { return std::all_of(v.begin(), v.end(), pred); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// What to write instead, from the rule's fix: " (full-width characters: write
// '530-0001')" when full-width characters were the matter, else " (write '...')".
std::string write_hint(std::string_view v, const fixed_value& fixed) {
  if (!fixed) return {};
  if (half_width(v) != v) return format_tr(" (full-width characters: write '{}')", *fixed);
  return format_tr(" (write '{}')", *fixed);
}

std::string slashed(const date& d) { return fmt::format("{:04}/{:02}/{:02}", d.year, d.month, d.day); }

// Why a date written in an era is none (spec §13): the day it stands for, and its era.
std::string era_message(std::string_view v, const era_refusal& why) {
  switch (why.why) {
    case era_refusal::after_end:
      return format_tr("birthday '{}' is after {} ended on {}: that day is {}, {}", v, why.era, slashed(why.edge),
                       japanese_date(why.day), slashed(why.day));
    case era_refusal::before_start:
      return format_tr("birthday '{}' is before {} began on {}: that day is {}, {}", v, why.era, slashed(why.edge),
                       japanese_date(why.day), slashed(why.day));
    case era_refusal::old_calendar: break;
  }
  return format_tr(
      "birthday '{}' is a date of the old lunisolar calendar, which Japan used until it took the "
      "Gregorian one on 明治6年1月1日 ({}): kaiin cannot convert it without a table; write the date "
      "YYYY/MM/DD",
      v, slashed(why.edge));
}

int number(std::string_view v) {
  int n = 0;
  for (char c : v) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

namespace detail {

bool good_zip(std::string_view v) {
  return (v.size() == 8 && v[3] == '-' && all_of(v.substr(0, 3), is_digit) && all_of(v.substr(4), is_digit)) ||
         (v.size() == 7 && all_of(v, is_digit));
}

bool good_tel(std::string_view v) { return shape_of_tel(v).chars_ok; }

bool valid_tel(std::string_view v) {
  // A number a row: its digits counted in a loop of their own, its first three taken
  // after (shape_of_tel's one loop that keeps them was twice the instructions).
  const bool plus = !v.empty() && v.front() == '+';
  std::size_t digits = 0;
  for (std::size_t i = plus; i < v.size(); ++i) {
    if (static_cast<unsigned char>(v[i] - '0') < 10)
      ++digits;
    else if (v[i] != '-')
      return false;
  }
  if (!digits) return false;
  if (plus) return true;  // written as dialled abroad: accepted as written
  char first[3];
  std::size_t n = 0;
  for (std::size_t i = 0; n < 3 && i < v.size(); ++i)
    if (v[i] != '-') first[n++] = v[i];
  const std::string_view start(first, n);
  if (start == "010") return true;  // Japan's international prefix: the same
  return start[0] == '0' && static_cast<int>(digits) == japanese_tel_length(start);
}

bool good_point(std::string_view v) {
  if (v.size() > 10 || !all_of(v, is_digit)) return false;
  std::int64_t n = 0;  // ten digits at most: no overflow
  for (char c : v) n = n * 10 + (c - '0');
  return n <= 2147483647;
}

bool good_member_id(std::string_view v) {
  if (trim_spaces(v).size() != v.size()) return false;
  for (std::size_t i = 0; i < v.size();) {
    if (static_cast<unsigned char>(v[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t c = next_char(v, i);
    if ((c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000) return false;
  }
  return true;
}

bool known_pref(std::string_view v) {
  if (v.size() != 9 && v.size() != 12) return false;  // three or four kanji
  static const std::unordered_set<std::string_view> known(prefectures().begin(), prefectures().end());
  return known.count(v) > 0;
}

std::string_view trim_spaces(std::string_view v) {
  static constexpr std::string_view ideographic = "\u3000";
  for (;;) {
    if (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
      v.remove_prefix(1);
    else if (v.starts_with(ideographic))
      v.remove_prefix(ideographic.size());
    else
      break;
  }
  for (;;) {
    if (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
      v.remove_suffix(1);
    else if (v.ends_with(ideographic))
      v.remove_suffix(ideographic.size());
    else
      break;
  }
  return v;
}

std::string narrowed(std::string_view v) { return std::string(trim_spaces(half_width(v))); }

}  // namespace detail

using detail::good_tel;
using detail::good_zip;

const std::vector<std::string>& prefectures() {
  static const std::vector<std::string> all(prefecture_names.begin(), prefecture_names.end());
  return all;
}

rule_result check_control(std::string_view v) {
  if (v == "n" || v == "u" || v == "d") return std::nullopt;
  fixed_value fixed = fix_control(v);
  if (v.empty())
    return error("control-value",
                 std::string(_("the control column is empty")) + _(": n (new), u (update) or d (delete)"));
  return error("control-value",
               format_tr("control value '{}' is not n, u or d{}", v,
                         fixed ? format_tr(": write '{}' (lower-case, half-width, nothing else)", *fixed) : ""),
               fixed);
}

rule_result check_member_id(std::string_view v) {
  if (detail::good_member_id(v)) return std::nullopt;
  fixed_value fixed = fix_member_id(v);
  return error("member-id-format",
               format_tr("member ID '{}' has full-width characters or spaces around it, and would not match the "
                         "shop's member ID{}",
                         v, fixed ? format_tr(": write '{}'", *fixed) : ""),
               fixed);
}

rule_result check_zip(std::string_view v) {
  if (v.empty() || good_zip(v)) return std::nullopt;
  fixed_value fixed = fix_zip(v);
  return error("zip-format",
               format_tr("zip code '{}' is not 123-4567 or 1234567 in half-width digits{}", v, write_hint(v, fixed)),
               fixed);
}

rule_result check_pref(std::string_view v) {
  if (v.empty() || detail::known_pref(v)) return std::nullopt;
  if (fixed_value full = fix_pref(v))
    return error("pref-name", format_tr("prefecture '{}' must be written in full: '{}'", v, *full), full);
  // A guess, which kaiin-fix never writes: only the user knows which one was meant.
  // (The 47 names folded once a process, not for each wrong value: folding them was
  // half of this rule's time in the fix fuzz target, perf under ASan.)
  static const hint_finder pref_hint(prefectures());
  std::string hint = pref_hint(v);
  return error("pref-name", format_tr("'{}' is not one of the 47 prefectures{}", v,
                                      hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
}

namespace {
// HH:MM:SS, a time of day.
bool good_time(std::string_view v) {
  if (v.size() != 8 || v[2] != ':' || v[5] != ':') return false;
  for (std::size_t i : {0u, 3u, 6u})
    if (!is_digit(v[i]) || !is_digit(v[i + 1])) return false;
  return number(v.substr(0, 2)) <= 23 && number(v.substr(3, 2)) <= 59 && number(v.substr(6, 2)) <= 59;
}
}  // namespace

namespace detail {
// YYYY/MM/DD HH:MM:SS or YYYY-MM-DD HH:MM:SS (one separator in the date), real.
bool good_datetime(std::string_view v) {
  return v.size() == 19 && v[10] == ' ' && parse_date(v.substr(0, 10)) && good_time(v.substr(11));
}

bool good_birthday(std::string_view v, const date& now, bool time_allowed) {
  if (v.empty()) return true;
  std::string_view day = v;
  if (good_datetime(v)) {
    if (!time_allowed) return false;
    day = v.substr(0, 10);
  }
  auto d = parse_date(day);
  return d && *d <= now;
}
}  // namespace detail

using detail::good_datetime;

rule_result check_birthday(std::string_view v, const date& now, bool time_allowed) {
  if (detail::good_birthday(v, now, time_allowed)) return std::nullopt;
  fixed_value fixed = fix_birthday(v, now, time_allowed);
  std::string_view day = good_datetime(v) ? v.substr(0, 10) : v;
  if (good_datetime(v) && fixed)
    return error("birthday-date", format_tr("birthday '{}' has a time: write the date only, '{}'", v, *fixed), fixed);
  auto d = parse_date(day);
  if (!d && !fixed)
    if (std::optional<era_refusal> why = why_no_era_date(v)) return error("birthday-date", era_message(v, *why));
  if (!d)
    return error("birthday-date",
                 format_tr("birthday '{}' is not a real date written YYYY/MM/DD or YYYY-MM-DD{}", v,
                           fixed ? format_tr(": write '{}'", *fixed) : ""),
                 fixed);
  return error("birthday-date", format_tr("birthday '{}' is in the future", v));
}

rule_result check_registered(std::string_view v) {
  if (v.empty() || good_datetime(v)) return std::nullopt;
  return error("registered-datetime", format_tr("registration time '{}' is not a real time written YYYY/MM/DD "
                                                "HH:MM:SS or YYYY-MM-DD HH:MM:SS",
                                                v));
}

rule_result check_updated(std::string_view v) {
  if (v.empty() || good_datetime(v)) return std::nullopt;
  return error("updated-datetime", format_tr("update time '{}' is not a real time written YYYY/MM/DD HH:MM:SS or "
                                             "YYYY-MM-DD HH:MM:SS",
                                             v));
}

namespace detail {
kana_problems find_kana_problems(std::string_view v) {
  kana_problems p;
  for (std::size_t i = 0; i < v.size();) {
    // The common case without decoding: a space, or a full-width katakana ァ-ヶ
    // (E3 82 A1 - E3 83 B6), ー (E3 83 BC) or the ideographic space (E3 80 80).
    auto b = static_cast<unsigned char>(v[i]);
    if (b == ' ') {
      ++i;
      continue;
    }
    if (b == 0xE3 && i + 2 < v.size()) {
      auto b1 = static_cast<unsigned char>(v[i + 1]), b2 = static_cast<unsigned char>(v[i + 2]);
      if ((b1 == 0x82 && b2 >= 0xA1 && b2 <= 0xBF) || (b1 == 0x83 && b2 >= 0x80 && (b2 <= 0xB6 || b2 == 0xBC)) ||
          (b1 == 0x80 && b2 == 0x80)) {
        i += 3;
        continue;
      }
    }
    char32_t c = next_char(v, i);
    if ((c >= 0x30A1 && c <= 0x30F6) || c == 0x30FC || c == ' ' || c == 0x3000) continue;
    if (c >= 0x3041 && c <= 0x3096)
      p.hiragana = true;
    else if (c >= 0xFF66 && c <= 0xFF9F)
      p.half_width = true;
    else
      p.other = true;
  }
  return p;
}
}  // namespace detail

rule_result check_kana(std::string_view v) {
  detail::kana_problems p = detail::find_kana_problems(v);
  if (!p.any()) return std::nullopt;
  if (p.other) return error("kana-format", format_tr("furigana '{}' has characters that are not katakana", v));
  fixed_value fixed = fix_kana(v);
  std::string write = fixed ? format_tr(", '{}'", *fixed) : "";
  if (p.hiragana)
    return error("kana-format", format_tr("furigana '{}' has hiragana: write katakana{}", v, write), fixed);
  return error("kana-format", format_tr("furigana '{}' has half-width katakana: write full-width{}", v, write), fixed);
}

int japanese_tel_length(std::string_view digits) {
  // 070, 080 (0800 too), 090 and 050: 0, one of 5 7 8 9, 0.
  if (digits.size() >= 3 && digits[0] == '0' && digits[2] == '0' &&
      (digits[1] == '5' || digits[1] == '7' || digits[1] == '8' || digits[1] == '9'))
    return 11;
  return 10;
}

bool japanese_tel_digits_ok(std::string_view v) {
  const detail::tel_shape t = detail::shape_of_tel(v);
  return t.chars_ok && !t.plus && t.japanese_length_ok();
}

rule_result check_tel(std::string_view v) {
  if (v.empty() || detail::valid_tel(v)) return std::nullopt;
  if (!good_tel(v)) {
    fixed_value fixed = fix_tel(v);
    return error("tel-format",
                 format_tr("telephone number '{}' must be half-width digits and hyphens{}", v, write_hint(v, fixed)),
                 fixed);
  }
  // Digits and hyphens, but not a Japanese number of its length.
  const detail::tel_shape t = detail::shape_of_tel(v);
  const std::size_t n = t.digits;
  const std::string_view start = t.start();
  if (start[0] != '0')
    return error("tel-length", format_tr("telephone number '{}' does not start with 0: a Japanese number has ten "
                                         "digits starting with 0 (eleven for 070, 080, 090, 050 and 0800), and an "
                                         "international one starts with +",
                                         v));
  std::string count =
      format_plural("telephone number '{}' has {} digit", "telephone number '{}' has {} digits", n, v, n);
  if (japanese_tel_length(start) == 11)
    return error("tel-length", format_tr("{}: a number starting with {} has 11", count,
                                         start.substr(0, start.starts_with("0800") ? 4 : 3)));
  return error("tel-length", format_tr("{}: a Japanese number has 10 (11 for 070, 080, 090, 050 and 0800)", count));
}

rule_result check_sex(std::string_view v) {
  if (v.empty() || v == "1" || v == "2") return std::nullopt;
  fixed_value fixed = fix_sex(v);
  return error("sex-value", format_tr("sex '{}' is not 1, 2 or empty{}", v, write_hint(v, fixed)), fixed);
}

rule_result check_mailmag(std::string_view v) {
  if (v == "1" || v == "0") return std::nullopt;
  fixed_value fixed = fix_mailmag(v);
  return error("mailmag-value",
               format_tr("mail magazine value '{}' is not 1 (subscribed) or 0 (not){}", v, write_hint(v, fixed)),
               fixed);
}

rule_result check_point(std::string_view v) {
  if (detail::good_point(v)) return std::nullopt;
  fixed_value fixed = fix_point(v);
  return error("point-format",
               format_tr("point balance '{}' is not a whole number from 0 up{}", v, write_hint(v, fixed)), fixed);
}

rule_result check_formula(std::string_view v) {
  if (!looks_like_formula(v)) return std::nullopt;  // the rule --escape-formulas applies
  std::string shown = v.front() == '\t' ? "TAB" : v.front() == '\r' ? "CR" : std::string(1, v.front());
  return warning("excel-formula",
                 format_tr("the value starts with {}: Excel would run it as a formula when the file is opened", shown));
}

bool looks_encrypted(std::string_view p) {
  if (p.size() == 32 || p.size() == 40 || p.size() == 64) {
    static constexpr auto hex = [] {
      std::array<bool, 256> t{};
      for (char c : std::string_view("0123456789abcdefABCDEF")) t[static_cast<unsigned char>(c)] = true;
      return t;
    }();
    bool all_hex = true;
    for (char c : p) all_hex &= hex[static_cast<unsigned char>(c)];
    if (all_hex) return true;
  }
  if (p.empty() || p[0] != '$') return false;
  for (std::string_view prefix : {"$2y$", "$2a$", "$2b$", "$1$", "$5$", "$6$", "$argon2"})
    if (p.starts_with(prefix) && p.size() > 20) return true;
  return false;
}

bool valid_plaintext(std::string_view p) {
  return p.size() >= 4 && p.size() <= 30 &&
         std::all_of(p.begin(), p.end(), [](char c) { return c >= 0x21 && c <= 0x7E; });
}

rule_result check_password(std::string_view pw, std::string_view flag, row_action action,
                           std::string_view flag_column) {
  if (action == row_action::remove) return std::nullopt;
  if (action == row_action::update && pw.empty() && flag.empty()) return std::nullopt;  // not touched
  if (flag != "0" && flag != "1") {
    // The value is not shown: in a row whose columns slipped it may be a password.
    fixed_value fixed = fix_crypted_pass(flag);
    return error("password-flag",
                 flag.empty()
                     ? format_tr("{} is empty: 1 for a password already encrypted, 0 for plaintext", flag_column)
                     : format_tr("{} is not 1 (encrypted) or 0 (plaintext){}", flag_column, write_hint(flag, fixed)),
                 fixed);
  }
  if (action == row_action::create && flag == "1")
    return error("password-new-encrypted",
                 format_tr("a new member's password must be plaintext with {} 0; an encrypted value cannot be "
                           "registered",
                           flag_column));
  if (pw.empty()) return error("password-format", _("the password is empty"));
  if (flag == "0") {
    if (looks_encrypted(pw)) {
      std::string why = valid_plaintext(pw) ? "" : _(", and it is not a valid plaintext password either");
      return verdict{why.empty() ? severity::warning : severity::error, "password-double-encryption",
                     format_tr("the password looks encrypted ({0} characters) but {1} is 0{2}: uploading "
                               "it would encrypt it a second time and lock the member out; set {1} to "
                               "1 to keep it",
                               pw.size(), flag_column, why)};
    }
    if (!valid_plaintext(pw))
      return error("password-format",
                   format_plural("the plaintext password has {} character or characters that are not allowed: "
                                 "4-30 half-width letters, digits and symbols",
                                 "the plaintext password has {} characters or characters that are not allowed: "
                                 "4-30 half-width letters, digits and symbols",
                                 to_u32(pw).size(), to_u32(pw).size()));
    return std::nullopt;
  }
  if (!looks_encrypted(pw))
    return warning("password-looks-plaintext",
                   format_tr("{0} is 1 but the password does not look encrypted: if it is a new password, set "
                             "{0} to 0",
                             flag_column));
  return std::nullopt;
}

}  // namespace kaiin
