#include "members/member_fixes.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/byte_scan.h"
#include "core/code_points.h"
#include "core/text.h"
#include "kaiin/encoding.h"
#include "members/member_values.h"

namespace kaiin {

namespace {

using detail::narrowed;

// The hyphens a Japanese keyboard or a Mac writes in numbers: full-width ones
// (‐ ‑ ‒ – — ― − ﹣, and － which narrowed() makes '-') and the long-vowel marks ー ｰ.
bool is_hyphen_like(char32_t c) {
  return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63 || c == 0x30FC || c == 0xFF70;
}

// \p v narrowed, with hyphen-like characters made '-'.
std::string narrowed_number(std::string_view v) {
  std::string s = narrowed(v), out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = next_char(s, i);
    if (is_hyphen_like(c))
      out.push_back('-');
    else
      out.append(s, start, i - start);
  }
  return out;
}

// \p candidate when it differs from \p v, is not empty and \p good says it passes.
template <class Good>
fixed_value if_good(std::string_view v, std::string candidate, Good good) {
  if (candidate.empty() || candidate == v || !good(candidate)) return std::nullopt;
  return candidate;
}

// True when narrowing \p v changes nothing: ASCII (no full-width form, no
// ideographic space, no hyphen-like character) without spaces around it. Most
// values a rule rejects are such, and narrowing each, for a zip code a row, was 4%
// of kaiin-check --report json's time (perf, 1,000,000 findings).
bool narrow_already(std::string_view v) { return detail::is_ascii(v) && detail::trim_spaces(v).size() == v.size(); }

}  // namespace

fixed_value fix_control(std::string_view v) {
  if (v == "n" || v == "u" || v == "d") return std::nullopt;
  // 'N', 'ｎ' and ' n ' are near misses: the e-mail key trims, narrows and lowers.
  return if_good(v, email_key(v), [](const std::string& k) { return k == "n" || k == "u" || k == "d"; });
}

fixed_value fix_member_id(std::string_view v) {
  if (detail::good_member_id(v)) return std::nullopt;
  return if_good(v, narrowed(v), [](const std::string& id) { return detail::good_member_id(id); });
}

fixed_value fix_zip(std::string_view v) {
  if (v.empty() || detail::good_zip(v) || narrow_already(v)) return std::nullopt;
  std::string zip = narrowed_number(v);
  if (zip.starts_with("〒")) zip = std::string(detail::trim_spaces(std::string_view(zip).substr(3)));
  return if_good(v, std::move(zip), detail::good_zip);
}

fixed_value fix_tel(std::string_view v) {
  if (v.empty() || detail::good_tel(v) || narrow_already(v)) return std::nullopt;
  // Only a number of its length: a narrowed number that is too short stays as it is.
  return if_good(v, narrowed_number(v), detail::valid_tel);
}

fixed_value fix_point(std::string_view v) {
  if (v.empty() || detail::good_point(v) || narrow_already(v)) return std::nullopt;
  return if_good(v, narrowed(v), detail::good_point);
}

fixed_value fix_crypted_pass(std::string_view v) {
  if (v == "0" || v == "1") return std::nullopt;
  return if_good(v, narrowed(v), [](const std::string& f) { return f == "0" || f == "1"; });
}

fixed_value fix_mailmag(std::string_view v) {
  if (v == "0" || v == "1") return std::nullopt;
  return if_good(v, narrowed(v), [](const std::string& f) { return f == "0" || f == "1"; });
}

fixed_value fix_sex(std::string_view v) {
  if (v.empty() || v == "1" || v == "2") return std::nullopt;
  return if_good(v, narrowed(v), [](const std::string& s) { return s == "1" || s == "2"; });
}

namespace {

// Full-width katakana for the half-width ones U+FF66-U+FF9D, in order.
constexpr char16_t half_kana[] = {
    0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3,  // ｦ ｧ ｨ ｩ ｪ ｫ ｬ ｭ ｮ ｯ
    0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1,  // ｰ ｱ ｲ ｳ ｴ ｵ ｶ ｷ ｸ ｹ
    0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6,  // ｺ ｻ ｼ ｽ ｾ ｿ ﾀ ﾁ ﾂ ﾃ
    0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8,  // ﾄ ﾅ ﾆ ﾇ ﾈ ﾉ ﾊ ﾋ ﾌ ﾍ
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9,  // ﾎ ﾏ ﾐ ﾑ ﾒ ﾓ ﾔ ﾕ ﾖ ﾗ
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3};                                 // ﾘ ﾙ ﾚ ﾛ ﾜ ﾝ

// The kana \p c becomes with a voiced mark (ﾞ) or a semi-voiced one (ﾟ), or 0.
char32_t joined(char32_t c, bool semi) {
  bool ka_to = (c >= 0x30AB && c <= 0x30C2 && c % 2 == 1) || c == 0x30C4 || c == 0x30C6 || c == 0x30C8;
  bool ha = c >= 0x30CF && c <= 0x30DB && (c - 0x30CF) % 3 == 0;
  if (semi) return ha ? c + 2 : 0;
  if (ka_to || ha) return c + 1;
  if (c == 0x30A6) return 0x30F4;  // ウ → ヴ
  return 0;
}

}  // namespace

fixed_value fix_kana(std::string_view v) {
  detail::kana_problems p = detail::find_kana_problems(v);
  if (!p.any() || p.other) return std::nullopt;
  std::u32string out;
  for (std::size_t i = 0; i < v.size();) {
    char32_t c = next_char(v, i);
    if (c >= 0x3041 && c <= 0x3096) {
      out.push_back(c + 0x60);  // hiragana → katakana
    } else if (c >= 0xFF66 && c <= 0xFF9D) {
      out.push_back(half_kana[c - 0xFF66]);
    } else if ((c == 0xFF9E || c == 0xFF9F) && !out.empty() && joined(out.back(), c == 0xFF9F)) {
      out.back() = joined(out.back(), c == 0xFF9F);
    } else {
      out.push_back(c == 0xFF9E ? 0x309B : c == 0xFF9F ? 0x309C : c);  // a mark alone stays a mark
    }
  }
  std::string utf8;
  for (char32_t c : out) append_utf8(utf8, c);
  return if_good(v, std::move(utf8), [](const std::string& k) { return !detail::find_kana_problems(k).any(); });
}

fixed_value fix_pref(std::string_view v) {
  if (v.empty() || detail::known_pref(v)) return std::nullopt;
  const auto& all = prefectures();
  fixed_value found;
  for (const char* suffix : {"都", "道", "府", "県"}) {
    std::string full = std::string(v) + suffix;
    if (std::find(all.begin(), all.end(), full) == all.end()) continue;
    if (found) return std::nullopt;  // more than one fits: not for kaiin to choose
    found = full;
  }
  return found;
}

fixed_value fix_birthday(std::string_view v, const date& today, bool time_allowed) {
  if (v.empty() || detail::good_birthday(v, today, time_allowed)) return std::nullopt;
  auto good = [&](const std::string& b) { return detail::good_birthday(b, today, time_allowed); };
  // A date and a time where only a date is allowed: the date, as it is written.
  if (detail::good_datetime(v)) return if_good(v, std::string(v.substr(0, 10)), good);
  auto d = read_date(v);
  if (!d) return std::nullopt;
  return if_good(v, fmt::format("{:04}/{:02}/{:02}", d->year, d->month, d->day), good);
}

fixed_value fix_fold(std::string_view v) {
  if (detail::is_ascii(v)) return std::nullopt;
  std::string out;
  bool changed = false;
  for (std::size_t i = 0; i < v.size();) {
    std::size_t start = i;
    char32_t c = next_char(v, i);
    if (char32_t to = windows_fold(c)) {
      append_utf8(out, to);
      changed = true;
    } else {
      out.append(v.substr(start, i - start));
    }
  }
  if (!changed) return std::nullopt;
  return out;
}

}  // namespace kaiin
