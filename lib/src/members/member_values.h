#pragma once
// What member_rules.cpp and member_fixes.cpp share: whether a value passes its rule
// (without building a message, so a fix can test its result without coming back to
// the fix), and the steps the fixes of spec §13 are made of. Private to the library.

#include <string>
#include <string_view>

#include "core/code_points.h"
#include "members/member_rules.h"

namespace kaiin::detail {

bool good_zip(std::string_view v);  ///< 123-4567 or 1234567
/// What a telephone number is made of, read in one pass.
struct tel_shape {
  bool chars_ok = false;  ///< digits and hyphens ('+' may come first), a digit at least
  bool plus = false;      ///< '+' first
  std::size_t digits = 0;
  char first[4] = {};  ///< the first four digits (fewer where there are fewer)
  /// The first digits, four at most.
  std::string_view start() const { return {first, digits < 4 ? digits : 4}; }
  /// Ten digits starting with 0, or eleven where japanese_tel_length() says so.
  bool japanese_length_ok() const {
    return digits && first[0] == '0' && static_cast<int>(digits) == japanese_tel_length(start());
  }
};
/// Inline: a telephone number a row.
inline tel_shape shape_of_tel(std::string_view v) {
  tel_shape t;
  if (!v.empty() && v.front() == '+') {
    t.plus = true;
    v.remove_prefix(1);
  }
  for (char c : v) {
    if (static_cast<unsigned char>(c - '0') < 10) {
      if (t.digits < sizeof t.first) t.first[t.digits] = c;
      ++t.digits;
    } else if (c != '-') {
      return t;  // chars_ok stays false
    }
  }
  t.chars_ok = t.digits > 0;
  return t;
}
/// Half-width digits and hyphens (a '+' may come first), a digit at least: the
/// characters of a telephone number, whatever its length.
bool good_tel(std::string_view v);
/// good_tel(), and a Japanese number of the right length or an international one
/// (+ or 010 first): what check_tel() accepts.
bool valid_tel(std::string_view v);
bool good_point(std::string_view v);  ///< a whole number from 0 to 2^31-1
/// No full-width ASCII, no ideographic space, no spaces at either end.
bool good_member_id(std::string_view v);
bool known_pref(std::string_view v);  ///< one of the 47, in full
/// A real date, not after \p today; with \p time_allowed, " HH:MM:SS" may follow.
bool good_birthday(std::string_view v, const date& today, bool time_allowed);
/// YYYY/MM/DD HH:MM:SS or YYYY-MM-DD HH:MM:SS, real.
bool good_datetime(std::string_view v);

/// What is wrong with furigana: nothing, hiragana, half-width katakana (either or
/// both), or characters that are no kana at all.
struct kana_problems {
  bool hiragana = false, half_width = false, other = false;
  bool any() const { return hiragana || half_width || other; }
};
kana_problems find_kana_problems(std::string_view v);

/// \p v without spaces (ASCII, ideographic) and TABs at either end.
std::string_view trim_spaces(std::string_view v);
/// \p v with full-width ASCII and the ideographic space made half-width, then
/// trimmed: what §13 makes of an address, a code, a number or a flag.
std::string narrowed(std::string_view v);

}  // namespace kaiin::detail
