// read_date(): the dates people write in member files besides YYYY/MM/DD, and the
// Japanese eras (元号) with their real first and last days; why a date written in an
// era is none, where that is known.

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "kaiin/encoding.h"
#include "members/member_fixes.h"
#include "members/member_values.h"

namespace kaiin {

namespace {

// An era of the Gregorian calendar's Japan. Japan took the Gregorian calendar on
// 明治6年1月1日 (1873-01-01): a date of 明治1-5年 is a date of the old lunisolar
// calendar, which adding years cannot convert, so 明治 counts from there. Each era
// ends the day before the next begins (昭和64年1月7日, then 平成元年1月8日).
// tests/unit/japanese_dates_test.cpp holds them to ICU's Japanese calendar.
struct era {
  std::string_view kanji;
  char32_t ligature;  // ㍾ ㍽ ㍼ ㍻ ㋿, one character for the two kanji
  char letter;        // M T S H R
  int offset;         // era year N is the Gregorian year offset + N
  date first, last;
};
constexpr era eras[] = {
    {"明治", 0x337E, 'M', 1867, {1873, 1, 1}, {1912, 7, 29}},
    {"大正", 0x337D, 'T', 1911, {1912, 7, 30}, {1926, 12, 24}},
    {"昭和", 0x337C, 'S', 1925, {1926, 12, 25}, {1989, 1, 7}},
    {"平成", 0x337B, 'H', 1988, {1989, 1, 8}, {2019, 4, 30}},
    {"令和", 0x32FF, 'R', 2018, {2019, 5, 1}, {9999, 12, 31}},
};
constexpr date gregorian_from = eras[0].first;  // 明治6年1月1日

// The value of a kanji digit (〇 and ○ for zero), or -1.
int kanji_digit(char32_t c) {
  static constexpr char32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
  for (int d = 0; d < 10; ++d)
    if (c == digits[d]) return d;
  return c == 0x25CB ? 0 : -1;
}
constexpr char32_t kanji_ten = 0x5341;  // 十

// Reads a date's parts from the start of a text.
class written_date {
 public:
  explicit written_date(std::string_view s) : s_(s) {}
  bool at_end() const { return i_ == s_.size(); }
  bool eat(std::string_view t) {
    if (!s_.substr(i_).starts_with(t)) return false;
    i_ += t.size();
    return true;
  }
  void skip_spaces() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  // A number of \p min to \p max digits, in ASCII or in kanji (二〇〇一, 三十一, 十),
  // or 0 when there is none.
  int number(std::size_t min, std::size_t max) {
    std::size_t start = i_;
    int n = 0;
    while (i_ < s_.size() && i_ - start < max && s_[i_] >= '0' && s_[i_] <= '9') n = n * 10 + (s_[i_++] - '0');
    if (i_ > start) return i_ - start < min || (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ? 0 : n;
    return kanji_number(min, max);
  }
  // One of / . - (the separator of a date written with numbers only), or 0.
  char separator() {
    if (i_ < s_.size() && (s_[i_] == '/' || s_[i_] == '.' || s_[i_] == '-')) return s_[i_++];
    return 0;
  }
  // The era the text starts with, or nullptr.
  const era* read_era() {
    for (const era& e : eras) {
      std::string ligature;
      append_utf8(ligature, e.ligature);
      char lower = static_cast<char>(e.letter + ('a' - 'A'));
      if (eat(e.kanji) || eat(ligature) || eat({&e.letter, 1}) || eat({&lower, 1})) return &e;
    }
    return nullptr;
  }

 private:
  // Kanji numerals: digits written one after another (二〇〇一, 三一: \p min to \p max
  // of them), or with 十 for the tens (十, 十一, 二十, 三十一), as dates are written
  // in kanji. 0 when there is none.
  int kanji_number(std::size_t min, std::size_t max) {
    const std::size_t start = i_;
    int tens = -1;  // the tens once 十 is read: 1 for 十 alone, 2 for 二十
    int n = 0;      // the digits since the start, or since 十
    std::size_t digits = 0;
    for (std::size_t at = i_; at < s_.size();) {
      const char32_t c = next_char(s_, at);
      if (const int d = kanji_digit(c); d >= 0 && !(tens >= 0 && digits == 1)) {
        n = n * 10 + d;
        ++digits;
      } else if (c == kanji_ten && tens < 0 && max >= 2 && (digits == 0 || (digits == 1 && n > 0))) {
        tens = digits ? n : 1;
        n = 0;
        digits = 0;
      } else {
        break;  // another character, or a digit too many (三十一二)
      }
      i_ = at;
    }
    if (tens >= 0) return tens * 10 + n;
    if (digits >= min && digits <= max) return n;
    i_ = start;
    return 0;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

// A date as written: its era (or none: a Gregorian year) and numbers.
struct written_parts {
  const era* e = nullptr;
  int year = 0, month = 0, day = 0;
  date gregorian() const { return {e ? e->offset + year : year, month, day}; }
};

std::optional<written_parts> read_parts(std::string_view v) {
  std::string s = detail::narrowed(v);  // full-width digits, letters and ／ ． － as ASCII
  written_date t(s);
  written_parts p;
  p.e = t.read_era();
  t.skip_spaces();
  p.year = p.e && t.eat("元") ? 1 : p.e ? t.number(1, 2) : t.number(4, 4);
  if (p.year == 0) return std::nullopt;
  t.skip_spaces();
  if (t.eat("年")) {  // 2001年2月3日, 昭和56年2月3日 (the 日 may be left out)
    t.skip_spaces();
    p.month = t.number(1, 2);
    t.skip_spaces();
    if (!t.eat("月")) return std::nullopt;
    t.skip_spaces();
    p.day = t.number(1, 2);
    t.skip_spaces();
    t.eat("日");
  } else if (char sep = t.separator()) {  // 2001/2/3, S56.2.3: the same separator twice
    p.month = t.number(1, 2);
    if (!t.eat({&sep, 1})) return std::nullopt;
    p.day = t.number(1, 2);
  }
  if (!t.at_end() || p.month == 0 || p.day == 0) return std::nullopt;
  return p;
}

// The era \p d is in (from 明治6年), or nullptr.
const era* era_of(const date& d) {
  for (const era& e : eras)
    if (d >= e.first && d <= e.last) return &e;
  return nullptr;
}

}  // namespace

std::optional<date> read_date(std::string_view v) {
  const std::optional<written_parts> p = read_parts(v);
  if (!p) return std::nullopt;
  const date d = p->gregorian();
  if (!real_date(d)) return std::nullopt;
  if (p->e && (d < p->e->first || d > p->e->last)) return std::nullopt;
  return d;
}

std::string japanese_date(const date& d) {
  const era* e = era_of(d);
  if (!e) return {};
  const int year = d.year - e->offset;
  return fmt::format("{}{}年{}月{}日", e->kanji, year == 1 ? std::string("元") : std::to_string(year), d.month, d.day);
}

std::optional<era_refusal> why_no_era_date(std::string_view v) {
  const std::optional<written_parts> p = read_parts(v);
  if (!p || !p->e) return std::nullopt;
  const date d = p->gregorian();
  if (p->e == &eras[0] && d < gregorian_from)
    return era_refusal{era_refusal::old_calendar, std::string(p->e->kanji), gregorian_from, d};
  if (!real_date(d)) return std::nullopt;  // no day of any calendar: nothing more to say
  if (d > p->e->last) return era_refusal{era_refusal::after_end, std::string(p->e->kanji), p->e->last, d};
  if (d < p->e->first) return era_refusal{era_refusal::before_start, std::string(p->e->kanji), p->e->first, d};
  return std::nullopt;
}

}  // namespace kaiin
