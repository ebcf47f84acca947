#pragma once
// What member_rules.cpp and member_fixes.cpp share: whether a value passes its rule
// (without building a message, so a fix can test its result without coming back to
// the fix), and the steps the fixes of spec §13 are made of. Private to the library.

#include <string>
#include <string_view>

#include "core/code_points.h"
#include "members/member_rules.h"

namespace kaiin::detail {

bool good_zip(std::string_view v);    ///< 123-4567 or 1234567
bool good_tel(std::string_view v);    ///< half-width digits and hyphens, a digit at least
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
