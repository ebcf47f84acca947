#pragma once
/// \file
/// The corrections of spec §13, one pure function a rule, so that each can be tested
/// on its own: `CHECK(fix_birthday("S56.2.3") == "1981/02/03")`. Each returns the
/// value its rule accepts in place of \p v, where one of the corrections makes one;
/// nothing when \p v passes the rule already, and nothing when no correction makes it
/// pass (the value then stays as it is, and so does its finding). kaiin-check's
/// hints ("write '530-0001'") and kaiin-fix's changes both come from here, so they
/// never disagree. A fix never empties a value, and never touches a password.

#include <optional>
#include <string>
#include <string_view>

#include "members/member_rules.h"

namespace kaiin {

/// A value with what it should be instead, or nothing.
using fixed_value = std::optional<std::string>;

/// The control value written wider, in capitals or with spaces: `N`, `Ｎ`, ` n ` → `n`.
fixed_value fix_control(std::string_view v);
/// A member ID in full-width characters or with spaces around it: `１０００５` → `10005`.
fixed_value fix_member_id(std::string_view v);
/// An address in full-width characters or with spaces around it:
/// `ｔａｒｏ＠example.com` → `taro@example.com`. Its case is never changed.
fixed_value fix_email(std::string_view v);
/// A zip code in full-width digits, with 〒 before it, with a full-width or
/// long-vowel hyphen, or spaces around it: `〒５３０ー０００１` → `530-0001`.
fixed_value fix_zip(std::string_view v);
/// A telephone number in full-width digits, with full-width or long-vowel hyphens or
/// spaces around it: `０６－１２３４－５６７８` → `06-1234-5678`, where the number then
/// has its length (check_tel).
fixed_value fix_tel(std::string_view v);
/// A point balance in full-width digits or with spaces around it: `１２００` → `1200`.
fixed_value fix_point(std::string_view v);
/// The password's flag (crypted_pass) in a full-width digit: `１` → `1`.
fixed_value fix_crypted_pass(std::string_view v);
/// A mail magazine flag in a full-width digit: `０` → `0`.
fixed_value fix_mailmag(std::string_view v);
/// Sex in a full-width digit: `２` → `2`.
fixed_value fix_sex(std::string_view v);
/// Furigana in hiragana or half-width katakana (ﾞ and ﾟ joined to the kana before
/// them): `やまだ` → `ヤマダ`, `ﾔﾏﾀﾞ` → `ヤマダ`.
fixed_value fix_kana(std::string_view v);
/// A prefecture written without 都, 道, 府 or 県, where only one fits: `大阪` → `大阪府`.
fixed_value fix_pref(std::string_view v);
/// A birthday written in another form (`2001/2/3`, `2001.02.03`, `2001年2月3日`, or in
/// a Japanese era: `昭和56年2月3日`, `S56.2.3`, `H1/1/8`, `平成元年1月8日`) → `YYYY/MM/DD`;
/// a date with a time (`1980-04-01 00:00:00`) where only a date is allowed → the date
/// as written. Only a real date, not after \p today.
fixed_value fix_birthday(std::string_view v, const date& today = kaiin::today(), bool time_allowed = false);
/// What a Mac or an iPhone types, as Windows has it (spec §2 --fold): `10〜12時` →
/// `10～12時`.
fixed_value fix_fold(std::string_view v);

/// A date in any form fix_birthday() reads: YYYY/M/D, YYYY.M.D, YYYY-M-D (one
/// separator), YYYY年M月D日, or an era of the Gregorian calendar's Japan (明治 from
/// 6年1月1日, 大正, 昭和, 平成, 令和; as kanji, as ㍾ ㍽ ㍼ ㍻ ㋿, or as M T S H R,
/// with 元年 for 1), full-width characters and kanji numerals allowed
/// (平成三十一年四月三十日, 二〇〇一年二月三日); within the era's real first and last day
/// (昭和64年1月7日 is a date, 昭和64年1月8日 is not).
std::optional<date> read_date(std::string_view v);
/// \p d as a Japanese era writes it, 元年 for the first year: 2019/05/01 is
/// "令和元年5月1日". Empty before 明治6年1月1日 (1873/01/01), when Japan took the
/// Gregorian calendar.
std::string japanese_date(const date& d);

/// Why a date written in a Japanese era is none, where that is known.
struct era_refusal {
  enum kind {
    after_end,     ///< after the era ended: 平成31年5月1日 is 令和元年5月1日
    before_start,  ///< before it began: 平成元年1月7日 is 昭和64年1月7日
    old_calendar,  ///< 明治1-5年: the old lunisolar calendar, which no count of years converts
  } why;
  std::string era;  ///< as written in kanji: 平成
  date edge;        ///< the era's last day, or its first; 1873/01/01 for old_calendar
  date day;         ///< the Gregorian day the era's years give (2019/05/01)
};
/// The reason \p v, a date in a Japanese era by its form, is none (read_date() reads
/// nothing), or nothing when it is a date, is no such form, or is no day at all
/// (平成2年2月30日).
std::optional<era_refusal> why_no_era_date(std::string_view v);

}  // namespace kaiin
