#include "members/member_rules.h"

#include <doctest/doctest.h>

using namespace kaiin;

namespace {
std::string rule_of(const rule_result& r) { return r ? r->rule : ""; }
bool is_warning(const rule_result& r) { return r && r->severity == severity::warning; }
const date now{2026, 11, 23};
}  // namespace

TEST_CASE("control: exactly n, u or d") {
  CHECK_FALSE(check_control("n"));
  CHECK_FALSE(check_control("u"));
  CHECK_FALSE(check_control("d"));
  CHECK(rule_of(check_control("N")) == "control-value");
  CHECK(check_control("N")->message.find("write 'n'") != std::string::npos);
  CHECK(check_control("ｕ")->message.find("write 'u'") != std::string::npos);
  CHECK(rule_of(check_control("")) == "control-value");
  CHECK(rule_of(check_control("x")) == "control-value");
}

TEST_CASE("zip: 123-4567 or 1234567, half-width") {
  CHECK_FALSE(check_zip("530-0001"));
  CHECK_FALSE(check_zip("5300001"));
  CHECK_FALSE(check_zip(""));
  CHECK(rule_of(check_zip("530-001")) == "zip-format");
  CHECK(rule_of(check_zip("53-00001")) == "zip-format");
  CHECK(check_zip("５３０－０００１")->message.find("write '530-0001'") != std::string::npos);
}

TEST_CASE("prefecture: the 47 in full, with a hint for a short form") {
  CHECK(prefectures().size() == 47);
  CHECK_FALSE(check_pref("大阪府"));
  CHECK_FALSE(check_pref("北海道"));
  CHECK(check_pref("大阪")->message.find("'大阪府'") != std::string::npos);
  CHECK(check_pref("東京")->message.find("'東京都'") != std::string::npos);
  CHECK(rule_of(check_pref("大坂府")) == "pref-name");
}

TEST_CASE("dates: real, both separators, not in the future") {
  CHECK(parse_date("2024/02/29"));
  CHECK_FALSE(parse_date("2023/02/29"));
  CHECK_FALSE(parse_date("2023/13/01"));
  CHECK_FALSE(parse_date("2023-02/01"));
  CHECK_FALSE(parse_date("23/02/01"));
  CHECK_FALSE(check_birthday("1980-04-01", now));
  CHECK_FALSE(check_birthday("2026/11/23", now));
  CHECK(rule_of(check_birthday("2026/11/24", now)) == "birthday-date");
  CHECK(rule_of(check_birthday("2001/02/30", now)) == "birthday-date");
  CHECK(days_since_epoch({1970, 1, 1}) == 0);
  CHECK(days_since_epoch({2000, 3, 1}) - days_since_epoch({2000, 2, 28}) == 2);
}

TEST_CASE("birthday with a time: accepted where asked (EC-CUBE's exports), else a hint") {
  CHECK_FALSE(check_birthday("1980-04-01 00:00:00", now, true));
  CHECK_FALSE(check_birthday("1980/04/01 09:30:00", now, true));
  CHECK(rule_of(check_birthday("1980-04-31 00:00:00", now, true)) == "birthday-date");
  CHECK(rule_of(check_birthday("1980-04-01 25:00:00", now, true)) == "birthday-date");
  CHECK(rule_of(check_birthday("2026-11-24 00:00:00", now, true)) == "birthday-date");
  auto upload = check_birthday("1980-04-01 00:00:00", now);
  REQUIRE(upload);
  CHECK(upload->message == "birthday '1980-04-01 00:00:00' has a time: write the date only, '1980-04-01'");
}

TEST_CASE("registered and updated: YYYY/MM/DD HH:MM:SS or YYYY-MM-DD HH:MM:SS") {
  CHECK_FALSE(check_registered("2011/10/19 12:03:14"));
  CHECK_FALSE(check_registered("2011-10-19 12:03:14"));  // as EC-CUBE and ISO write it
  CHECK_FALSE(check_registered("2024-02-29 23:59:59"));
  CHECK(rule_of(check_registered("2011/10/19 24:00:00")) == "registered-datetime");
  CHECK(rule_of(check_registered("2011-10/19 12:03:14")) == "registered-datetime");  // one separator
  CHECK(rule_of(check_registered("2011/10/19")) == "registered-datetime");
  CHECK(rule_of(check_registered("2023-02-29 00:00:00")) == "registered-datetime");
  CHECK(rule_of(check_registered("2011-10-19T12:03:14")) == "registered-datetime");
  CHECK_FALSE(check_updated(""));
  CHECK_FALSE(check_updated("2026-05-21 00:00:00"));
  CHECK_FALSE(check_updated("2026/05/21 00:00:00"));
  CHECK(rule_of(check_updated("2026-05-21 0:00:00")) == "updated-datetime");
  CHECK(check_updated("2026/13/01 00:00:00")->message.find("update time '2026/13/01 00:00:00'") == 0);
}

TEST_CASE("kana: full-width katakana, long vowel mark and spaces") {
  CHECK_FALSE(check_kana("ヤマダ　タロウ"));
  CHECK_FALSE(check_kana("ヴァージニア ローズ"));
  CHECK(check_kana("やまだ")->message.find("hiragana") != std::string::npos);
  CHECK(check_kana("ﾔﾏﾀﾞ")->message.find("half-width") != std::string::npos);
  CHECK(rule_of(check_kana("山田")) == "kana-format");
}

TEST_CASE("tel: a Japanese number has its length; international ones are taken as written") {
  CHECK_FALSE(check_tel("06-1234-5678"));   // ten digits
  CHECK_FALSE(check_tel("0120-123-456"));   // toll-free 0120: ten
  CHECK_FALSE(check_tel("0570-012-345"));   // ten
  CHECK_FALSE(check_tel("090-1234-5678"));  // mobile: eleven
  CHECK_FALSE(check_tel("07012345678"));    // hyphens anywhere, or none
  CHECK_FALSE(check_tel("0-8-0-1234-5678"));
  CHECK_FALSE(check_tel("050-1234-5678"));     // IP
  CHECK_FALSE(check_tel("0800-123-4567"));     // toll-free 0800: eleven
  CHECK_FALSE(check_tel("+81-90-1234-5678"));  // as written
  CHECK_FALSE(check_tel("+1-212-555-0100"));
  CHECK_FALSE(check_tel("010-1-212-555-0100"));  // dialled from Japan
  CHECK(rule_of(check_tel("06-1234-567")) == "tel-length");
  CHECK(check_tel("06-1234-567")->message ==
        "telephone number '06-1234-567' has 9 digits: a Japanese number has 10 (11 for 070, 080, 090, 050 and 0800)");
  CHECK(check_tel("090-1234-567")->message ==
        "telephone number '090-1234-567' has 10 digits: a number starting with "
        "090 has 11");
  CHECK(check_tel("0800-123-456")->message.find("starting with 0800 has 11") != std::string::npos);
  CHECK(rule_of(check_tel("077-1034-0975")) == "tel-length");  // 077 is not mobile: ten
  CHECK(rule_of(check_tel("0120-1234-5678")) == "tel-length");
  CHECK(check_tel("9012345678")->message.find("does not start with 0") != std::string::npos);
  CHECK(check_tel("06-1234-567")->severity == severity::error);
  CHECK(rule_of(check_tel("+81-(90)")) == "tel-format");
  CHECK(rule_of(check_tel("+")) == "tel-format");
  CHECK(rule_of(check_tel("1+2")) == "tel-format");
}

TEST_CASE("tel: the lengths Excel's rule asks about") {
  CHECK(japanese_tel_length("090") == 11);
  CHECK(japanese_tel_length("0800") == 11);
  CHECK(japanese_tel_length("050") == 11);
  CHECK(japanese_tel_length("0120") == 10);
  CHECK(japanese_tel_length("06") == 10);
  CHECK(japanese_tel_digits_ok("0" + std::string("9012345678")));  // 09012345678 before Excel
  CHECK(japanese_tel_digits_ok("0" + std::string("862310000")));   // 0862310000
  CHECK_FALSE(japanese_tel_digits_ok("0" + std::string("12345")));
  CHECK_FALSE(japanese_tel_digits_ok("9012345678"));
  CHECK_FALSE(japanese_tel_digits_ok("+81-90-1234-5678"));  // international: not a Japanese number's digits
  CHECK_FALSE(japanese_tel_digits_ok("090 1234 5678"));
  CHECK_FALSE(japanese_tel_digits_ok(""));
}

TEST_CASE("tel, sex, mailmag, point") {
  CHECK_FALSE(check_tel("06-1234-5678"));
  CHECK_FALSE(check_tel("0612345678"));
  CHECK(rule_of(check_tel("06(1234)5678")) == "tel-format");
  CHECK(check_tel("０６-１２３４-５６７８")->message.find("write '06-1234-5678'") != std::string::npos);
  CHECK_FALSE(check_sex(""));
  CHECK_FALSE(check_sex("2"));
  CHECK(rule_of(check_sex("3")) == "sex-value");
  CHECK_FALSE(check_mailmag("0"));
  CHECK(rule_of(check_mailmag("yes")) == "mailmag-value");
  CHECK_FALSE(check_point("0"));
  CHECK_FALSE(check_point("1200"));
  CHECK(rule_of(check_point("-5")) == "point-format");
  CHECK(rule_of(check_point("1.5")) == "point-format");
  CHECK(rule_of(check_point("99999999999")) == "point-format");
}

TEST_CASE("e-mail syntax; legacy mobile forms are warnings") {
  CHECK_FALSE(check_email("taro@example.co.jp"));
  CHECK_FALSE(check_email("taro+shop@example.com"));
  CHECK(rule_of(check_email("taro.example.com")) == "email-syntax");
  CHECK(rule_of(check_email("taro@example")) == "email-syntax");
  CHECK(rule_of(check_email("ta ro@example.com")) == "email-syntax");
  CHECK(rule_of(check_email("a@b@example.com")) == "email-syntax");
  CHECK(rule_of(check_email("@example.com")) == "email-syntax");
  CHECK(rule_of(check_email("taro@example..com")) == "email-syntax");
  CHECK(check_email("ｔａｒｏ＠example.com")->message.find("write 'taro@example.com'") != std::string::npos);
  CHECK(is_warning(check_email("taro..yamada@docomo.ne.jp")));
  CHECK(is_warning(check_email("taro.@docomo.ne.jp")));
  CHECK(rule_of(check_email("taro.@docomo.ne.jp")) == "email-legacy-mobile");
}

// Found by fuzz/check_fuzz.cpp: an address that stays non-ASCII after folding to
// half-width recursed until the stack overflowed.
TEST_CASE("an e-mail address with kanji or U+FFFD is an error, without a fix to suggest") {
  for (const char* v : {"山田@example.jp", "taro@例え.jp", "\xEF\xBF\xBD@example.jp", "ｔａｒｏ＠例え.jp"}) {
    auto r = check_email(v);
    REQUIRE(r);
    CHECK(r->rule == "email-syntax");
    CHECK(r->message.find("write '") == std::string::npos);
  }
}

TEST_CASE("formula cells are warnings") {
  CHECK_FALSE(check_formula("山田"));
  CHECK_FALSE(check_formula("a=b"));
  CHECK_FALSE(check_formula("-1"));  // a number, not a formula
  for (const char* v : {"=SUM(A1)", "+81-3-1234-5678", "-1-1", "@x", "\tx", "\rx"}) {
    CHECK(rule_of(check_formula(v)) == "excel-formula");
    CHECK(is_warning(check_formula(v)));
  }
}

TEST_CASE("passwords: the spec's rules, never the value in a message") {
  const std::string hash32 = "d23f0824128b2f330c5c7fd0a6a3a450";
  CHECK(looks_encrypted(hash32));
  CHECK(looks_encrypted(std::string(40, 'a')));
  CHECK(looks_encrypted(std::string(64, 'F')));
  CHECK(looks_encrypted("$2y$10$abcdefghijklmnopqrstuv"));
  CHECK_FALSE(looks_encrypted("pw123456"));
  CHECK_FALSE(looks_encrypted(std::string(33, 'a')));
  CHECK(valid_plaintext("pw12"));
  CHECK_FALSE(valid_plaintext("pw1"));
  CHECK_FALSE(valid_plaintext(std::string(31, 'a')));
  CHECK_FALSE(valid_plaintext("pass word"));
  CHECK_FALSE(valid_plaintext("パスワード"));

  CHECK_FALSE(check_password("pw123456", "0", row_action::create));
  CHECK_FALSE(check_password(hash32, "1", row_action::update));
  CHECK_FALSE(check_password("", "", row_action::update));  // not touched
  CHECK_FALSE(check_password("", "", row_action::remove));
  CHECK(rule_of(check_password(hash32, "1", row_action::create)) == "password-new-encrypted");
  CHECK(rule_of(check_password("pw123456", "", row_action::create)) == "password-flag");
  CHECK(rule_of(check_password("pw123456", "yes", row_action::update)) == "password-flag");
  auto twice = check_password(hash32, "0", row_action::update);
  CHECK(rule_of(twice) == "password-double-encryption");
  CHECK(twice->severity == severity::error);  // 32 characters: not a valid plaintext either
  CHECK(twice->message.find("set crypted_pass to 1") != std::string::npos);
  CHECK(rule_of(check_password("abc", "0", row_action::update)) == "password-format");
  CHECK(is_warning(check_password("pw123456", "1", row_action::update)));
  CHECK(rule_of(check_password("pw123456", "1", row_action::update)) == "password-looks-plaintext");
  for (const auto& [pw, flag] : std::vector<std::pair<std::string, std::string>>{
           {hash32, "0"}, {"abc", "0"}, {"pw123456", "1"}, {hash32, "1"}}) {
    for (row_action action : {row_action::create, row_action::update}) {
      if (auto v = check_password(pw, flag, action)) CHECK(v->message.find(pw) == std::string::npos);
    }
  }
}
