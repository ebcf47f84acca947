#pragma once
/// \file
/// The value rules of spec §4, one pure function each, so that every rule can be
/// tested on its own: `CHECK(check_zip("530-0001") == std::nullopt)`. Each returns
/// nothing for a good value, or a verdict: severity, stable rule id, message. A
/// password's value never appears in a message.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kaiin/date.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// What is wrong with a value.
struct verdict {
  kaiin::severity severity;  ///< error or warning
  std::string rule;          ///< stable rule id, e.g. "zip-format"
  std::string message;       ///< lower-case start, no trailing period
  /// What to write instead, where a correction of spec §13 makes the value pass
  /// (member_fixes.h): the value the message suggests, and the one kaiin-fix writes.
  /// For password-flag it is the flag's value (crypted_pass), never the password's.
  std::optional<std::string> fix = {};
  /// Equal in every part (for the tests).
  bool operator==(const verdict&) const = default;
};
/// Nothing for a good value, else the verdict.
using rule_result = std::optional<verdict>;

rule_result check_control(std::string_view v);    ///< n, u or d
rule_result check_member_id(std::string_view v);  ///< no full-width characters, no spaces around it
rule_result check_zip(std::string_view v);        ///< 123-4567 or 1234567
rule_result check_pref(std::string_view v);       ///< one of the 47, in full
/// A real date, not after \p today. \p time_allowed: the date may be followed by
/// " HH:MM:SS", as EC-CUBE writes every date in its exports.
rule_result check_birthday(std::string_view v, const date& today, bool time_allowed = false);
rule_result check_registered(std::string_view v);  ///< YYYY/MM/DD HH:MM:SS or YYYY-MM-DD HH:MM:SS
rule_result check_updated(std::string_view v);     ///< the same, for the last update
rule_result check_kana(std::string_view v);        ///< full-width katakana, ー, spaces
/// Half-width digits and hyphens; a Japanese number of its length (japanese_tel_digits_ok),
/// or an international one (+ or 010 first), accepted as written.
rule_result check_tel(std::string_view v);
rule_result check_sex(std::string_view v);      ///< 1, 2 or empty
rule_result check_mailmag(std::string_view v);  ///< 1 or 0
rule_result check_point(std::string_view v);    ///< a non-negative integer
rule_result check_email(std::string_view v);    ///< syntax; legacy mobile forms warn
rule_result check_formula(std::string_view v);  ///< a cell Excel would run as a formula

/// The digits a Japanese telephone number starting with \p digits has (spec §4): 11
/// for 070, 080, 090 (mobile), 050 (IP) and 0800, else 10 (0120 too).
int japanese_tel_length(std::string_view digits);
/// True when \p v, half-width digits and hyphens anywhere, is a Japanese number of
/// the right length: ten digits starting with 0, or eleven for 070, 080, 090, 050 and
/// 0800. False for anything else, international numbers included. What Excel made of
/// a number that lost its 0 is told by japanese_tel_digits_ok("0" + v).
bool japanese_tel_digits_ok(std::string_view v);

/// True for what an exported, encrypted password looks like: 32, 40 or 64 hex
/// digits, or a crypt-style hash ($2y$..., $6$...).
bool looks_encrypted(std::string_view password);
/// True for 4-30 half-width letters, digits and symbols.
bool valid_plaintext(std::string_view password);
/// What a row of a bulk-upload file does (spec §4.1): its control value n, u or d,
/// or none (an export's row, or a bad control value, which is its own finding).
enum class row_action : char { none = 0, create = 'n', update = 'u', remove = 'd' };

/// The password rules of spec §4.2 for one row. Empty password and flag on an update
/// row mean the password is not touched.
/// \p flag_column: the flag's column as the user's file names it, for the messages.
rule_result check_password(std::string_view password, std::string_view crypted_pass, row_action action,
                           std::string_view flag_column = "crypted_pass");

/// The 47 prefectures, as written in full, in the order of their codes (JIS X 0401:
/// 1 北海道 ... 47 沖縄県).
inline constexpr std::array<std::string_view, 47> prefecture_names = {
    "北海道", "青森県", "岩手県", "宮城県",   "秋田県", "山形県",   "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",   "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県",   "滋賀県", "京都府",   "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県",   "山口県", "徳島県",   "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県",   "宮崎県", "鹿児島県", "沖縄県"};
/// prefecture_names, as strings.
const std::vector<std::string>& prefectures();

}  // namespace kaiin
