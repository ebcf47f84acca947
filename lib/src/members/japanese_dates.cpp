// read_date(): the dates people write in member files besides YYYY/MM/DD, and the
// Japanese eras (元号) with their real first and last days.

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
  // A number of \p min to \p max digits, or 0 when there is none.
  int number(std::size_t min, std::size_t max) {
    std::size_t start = i_;
    int n = 0;
    while (i_ < s_.size() && i_ - start < max && s_[i_] >= '0' && s_[i_] <= '9') n = n * 10 + (s_[i_++] - '0');
    if (i_ - start < min || (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')) return 0;
    return n;
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
  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<date> read_date(std::string_view v) {
  std::string s = detail::narrowed(v);  // full-width digits, letters and ／ ． － as ASCII
  written_date t(s);
  const era* e = t.read_era();
  t.skip_spaces();
  int year = e && t.eat("元") ? 1 : e ? t.number(1, 2) : t.number(4, 4);
  if (year == 0) return std::nullopt;
  t.skip_spaces();
  int month = 0, day = 0;
  if (t.eat("年")) {  // 2001年2月3日, 昭和56年2月3日 (the 日 may be left out)
    t.skip_spaces();
    month = t.number(1, 2);
    t.skip_spaces();
    if (!t.eat("月")) return std::nullopt;
    t.skip_spaces();
    day = t.number(1, 2);
    t.skip_spaces();
    t.eat("日");
  } else if (char sep = t.separator()) {  // 2001/2/3, S56.2.3: the same separator twice
    month = t.number(1, 2);
    if (!t.eat({&sep, 1})) return std::nullopt;
    day = t.number(1, 2);
  }
  if (!t.at_end() || month == 0 || day == 0) return std::nullopt;
  date d{e ? e->offset + year : year, month, day};
  if (!real_date(d)) return std::nullopt;
  if (e && (d < e->first || d > e->last)) return std::nullopt;
  return d;
}

}  // namespace kaiin
