// The corrections of spec §13, one literal case a form, and the hints of kaiin-check
// that come from them.

#include "members/member_fixes.h"

#include <doctest/doctest.h>

#include <vector>

using namespace kaiin;

namespace {
const date now{2026, 11, 23};
std::string message_of(const rule_result& r) { return r ? r->message : ""; }
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

TEST_CASE("control: wider, capital or spaced n, u, d") {
  CHECK(fix_control("N") == "n");
  CHECK(fix_control("Ｕ") == "u");
  CHECK(fix_control("ｄ") == "d");
  CHECK(fix_control(" n ") == "n");
  CHECK(fix_control("\xE3\x80\x80u") == "u");  // an ideographic space before it
  CHECK_FALSE(fix_control("n"));
  CHECK_FALSE(fix_control(""));
  CHECK_FALSE(fix_control("x"));
  CHECK_FALSE(fix_control("new"));
}

TEST_CASE("member ID: half-width, trimmed") {
  CHECK(fix_member_id("１０００５") == "10005");
  CHECK(fix_member_id(" 10005 ") == "10005");
  CHECK(fix_member_id("Ａ－１２") == "A-12");
  CHECK_FALSE(fix_member_id("10005"));
  CHECK_FALSE(fix_member_id("山田"));          // not the ASCII an ID is, but nothing §13 changes
  CHECK_FALSE(fix_member_id("\xE3\x80\x80"));  // spaces only: never emptied
  CHECK(has(message_of(check_member_id("１０００５")), "write '10005'"));
  CHECK(check_member_id("１０００５")->rule == "member-id-format");
  CHECK_FALSE(check_member_id("10005"));
  CHECK_FALSE(check_member_id("会員10005"));
}

TEST_CASE("e-mail: half-width and trimmed, the case kept") {
  CHECK(fix_email("ｔａｒｏ＠example.com") == "taro@example.com");
  CHECK(fix_email("ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ") == "TARO@EXAMPLE.COM");
  CHECK(fix_email(" taro@example.com ") == "taro@example.com");
  CHECK(fix_email("taro@example.com\xE3\x80\x80") == "taro@example.com");
  CHECK(fix_email("ｙｕｉ．．＠docomo.ne.jp") == "yui..@docomo.ne.jp");  // a legacy address: a warning, not an error
  CHECK_FALSE(fix_email("Taro@Example.com"));                            // the case is never changed
  CHECK_FALSE(fix_email("山田@example.jp"));
  CHECK_FALSE(fix_email("ｔａｒｏ＠例え.jp"));
  CHECK_FALSE(fix_email("ta ro@example.com"));
  CHECK_FALSE(fix_email("taro.example.com"));
  CHECK(has(message_of(check_email(" taro@example.com")), "has a space: write 'taro@example.com'"));
  CHECK(has(message_of(check_email("ｔａｒｏ＠example.com")), "write 'taro@example.com'"));
}

TEST_CASE("zip: half-width digits, 〒 removed, hyphens made -") {
  CHECK(fix_zip("５３０－０００１") == "530-0001");
  CHECK(fix_zip("〒530-0001") == "530-0001");
  CHECK(fix_zip("〒 ５３０－０００１") == "530-0001");
  CHECK(fix_zip("530ー0001") == "530-0001");  // the long-vowel mark
  CHECK(fix_zip("530ｰ0001") == "530-0001");   // half-width
  CHECK(fix_zip("530‐0001") == "530-0001");   // U+2010, CP932's 815D
  CHECK(fix_zip("530−0001") == "530-0001");   // U+2212, a Mac's minus
  CHECK(fix_zip(" 5300001 ") == "5300001");
  CHECK_FALSE(fix_zip("530-0001"));
  CHECK_FALSE(fix_zip("530-001"));
  CHECK_FALSE(fix_zip("530 0001"));
  CHECK(has(message_of(check_zip("〒530-0001")), " (write '530-0001')"));
  CHECK(has(message_of(check_zip("５３０－０００１")), " (full-width characters: write '530-0001')"));
  CHECK_FALSE(has(message_of(check_zip("530-001")), "write"));
}

TEST_CASE("telephone: half-width digits and hyphens") {
  CHECK(fix_tel("０６－１２３４－５６７８") == "06-1234-5678");
  CHECK(fix_tel("06ー1234ー5678") == "06-1234-5678");
  CHECK(fix_tel("06―1234―5678") == "06-1234-5678");  // U+2015, CP932's 815C
  CHECK(fix_tel(" 0612345678") == "0612345678");
  CHECK_FALSE(fix_tel("06-1234-5678"));
  CHECK_FALSE(fix_tel("(06)1234-5678"));
  CHECK_FALSE(fix_tel("06 1234 5678"));
  CHECK(has(message_of(check_tel("０６－１２３４－５６７８")), "write '06-1234-5678'"));
}

TEST_CASE("points and flags: half-width digits") {
  CHECK(fix_point("１２００") == "1200");
  CHECK(fix_point("1200 ") == "1200");
  CHECK_FALSE(fix_point("1200"));
  CHECK_FALSE(fix_point("－５"));  // still not a balance
  CHECK_FALSE(fix_point("１，２００"));
  CHECK(fix_crypted_pass("１") == "1");
  CHECK(fix_crypted_pass("０") == "0");
  CHECK_FALSE(fix_crypted_pass("2"));
  CHECK_FALSE(fix_crypted_pass(""));
  CHECK(fix_mailmag("１") == "1");
  CHECK(fix_mailmag(" 0") == "0");
  CHECK_FALSE(fix_mailmag("yes"));
  CHECK(fix_sex("２") == "2");
  CHECK_FALSE(fix_sex("０"));
  CHECK(has(message_of(check_point("１２００")), "write '1200'"));
  CHECK(has(message_of(check_mailmag("１")), "write '1'"));
  CHECK(has(message_of(check_sex("２")), "write '2'"));
  CHECK(has(message_of(check_password("pw123456", "０", row_action::create)), "write '0'"));
}

TEST_CASE("furigana: hiragana to katakana, half-width katakana to full-width with the marks joined") {
  CHECK(fix_kana("やまだ") == "ヤマダ");
  CHECK(fix_kana("やまだ　たろう") == "ヤマダ　タロウ");
  CHECK(fix_kana("ゔぃーなす") == "ヴィーナス");
  CHECK(fix_kana("ﾔﾏﾀﾞ ﾀﾛｳ") == "ヤマダ タロウ");
  CHECK(fix_kana("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ") == "パピプペポ");
  CHECK(fix_kana("ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞ") == "ガギグゲゴザジズゼゾダヂヅデド");
  CHECK(fix_kana("ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞｳﾞ") == "バビブベボヴ");
  CHECK(fix_kana("ｦｧｨｩｪｫｬｭｮｯｰﾝ") == "ヲァィゥェォャュョッーン");
  CHECK(fix_kana("ｷｮｳｺ") == "キョウコ");
  CHECK(fix_kana("やまﾀﾞ") == "ヤマダ");  // both at once
  CHECK_FALSE(fix_kana("ヤマダ"));
  CHECK_FALSE(fix_kana("山田"));
  CHECK_FALSE(fix_kana("やま田"));  // a kanji: not kana to fix
  CHECK_FALSE(fix_kana("ﾞｱ"));      // a mark with no kana before it
  CHECK_FALSE(fix_kana("ｱﾟ"));      // ア takes no semi-voiced mark
  CHECK(check_kana("やまだ")->message == "furigana 'やまだ' has hiragana: write katakana, 'ヤマダ'");
  CHECK(check_kana("ﾔﾏﾀﾞ")->message == "furigana 'ﾔﾏﾀﾞ' has half-width katakana: write full-width, 'ヤマダ'");
  CHECK(check_kana("ｱﾟ")->message == "furigana 'ｱﾟ' has half-width katakana: write full-width");
}

TEST_CASE("prefecture: in full where only one fits") {
  CHECK(fix_pref("大阪") == "大阪府");
  CHECK(fix_pref("東京") == "東京都");
  CHECK(fix_pref("北海") == "北海道");
  CHECK(fix_pref("京都") == "京都府");
  CHECK(fix_pref("神奈川") == "神奈川県");
  CHECK_FALSE(fix_pref("大阪府"));
  CHECK_FALSE(fix_pref("大阪県"));  // a wrong suffix: a guess is a hint, never a fix
  CHECK_FALSE(fix_pref("Tokyo"));
  CHECK_FALSE(fix_pref(""));
}

TEST_CASE("birthday: other forms of a Gregorian date") {
  CHECK(fix_birthday("2001/2/3", now) == "2001/02/03");
  CHECK(fix_birthday("2001.02.03", now) == "2001/02/03");
  CHECK(fix_birthday("2001-2-3", now) == "2001/02/03");
  CHECK(fix_birthday("2001年2月3日", now) == "2001/02/03");
  CHECK(fix_birthday("2001年 2月 3日", now) == "2001/02/03");
  CHECK(fix_birthday("２００１／０２／０３", now) == "2001/02/03");
  CHECK(fix_birthday("1980-04-01 00:00:00", now) == "1980-04-01");  // the date as written
  CHECK_FALSE(fix_birthday("1980-04-01 00:00:00", now, true));      // an export's date and time is good
  CHECK_FALSE(fix_birthday("2001/02/03", now));
  CHECK_FALSE(fix_birthday("2001-02-03", now));
  CHECK_FALSE(fix_birthday("2001/2/30", now));  // impossible: stays
  CHECK_FALSE(fix_birthday("2001/02-03", now));
  CHECK_FALSE(fix_birthday("20010203", now));
  CHECK_FALSE(fix_birthday("01/2/3", now));
  CHECK_FALSE(fix_birthday("2027/1/1", now));  // in the future: stays
  CHECK_FALSE(fix_birthday("2026-11-24 00:00:00", now));
  CHECK(check_birthday("2001/2/3", now)->message ==
        "birthday '2001/2/3' is not a real date written YYYY/MM/DD or YYYY-MM-DD: write '2001/02/03'");
  CHECK(check_birthday("2026-11-24 00:00:00", now)->message == "birthday '2026-11-24 00:00:00' is in the future");
}

TEST_CASE("birthday: Japanese eras, as kanji, ligatures and letters") {
  CHECK(fix_birthday("昭和56年2月3日", now) == "1981/02/03");
  CHECK(fix_birthday("S56.2.3", now) == "1981/02/03");
  CHECK(fix_birthday("s56.2.3", now) == "1981/02/03");
  CHECK(fix_birthday("Ｓ５６．２．３", now) == "1981/02/03");
  CHECK(fix_birthday("昭和５６年２月３日", now) == "1981/02/03");
  CHECK(fix_birthday("昭和 56年2月3日", now) == "1981/02/03");
  CHECK(fix_birthday("S56/02/03", now) == "1981/02/03");
  CHECK(fix_birthday("S56-2-3", now) == "1981/02/03");
  CHECK(fix_birthday("S56年2月3日", now) == "1981/02/03");
  CHECK(fix_birthday("㍼56年2月3日", now) == "1981/02/03");
  CHECK(fix_birthday("H1/1/8", now) == "1989/01/08");
  CHECK(fix_birthday("R5/4/1", now) == "2023/04/01");
  CHECK(fix_birthday("令和5年4月1日", now) == "2023/04/01");
  CHECK(fix_birthday("㋿5年4月1日", now) == "2023/04/01");
  CHECK(fix_birthday("平成12年12月31日", now) == "2000/12/31");
  CHECK(fix_birthday("㍻12年12月31日", now) == "2000/12/31");
  CHECK(fix_birthday("大正3年5月6日", now) == "1914/05/06");
  CHECK(fix_birthday("T3.5.6", now) == "1914/05/06");
  CHECK(fix_birthday("㍽3年5月6日", now) == "1914/05/06");
  CHECK(fix_birthday("明治40年1月2日", now) == "1907/01/02");
  CHECK(fix_birthday("M40.1.2", now) == "1907/01/02");
  CHECK(fix_birthday("㍾40年1月2日", now) == "1907/01/02");
}

TEST_CASE("birthday: 元年 and the first and last day of each era") {
  CHECK(fix_birthday("平成元年1月8日", now) == "1989/01/08");
  CHECK(fix_birthday("H元.1.8", now) == "1989/01/08");
  CHECK(fix_birthday("Ｈ元年１月８日", now) == "1989/01/08");
  CHECK(fix_birthday("令和元年5月1日", now) == "2019/05/01");
  CHECK(fix_birthday("昭和元年12月25日", now) == "1926/12/25");
  CHECK(fix_birthday("大正元年7月30日", now) == "1912/07/30");
  CHECK(fix_birthday("昭和64年1月7日", now) == "1989/01/07");
  CHECK_FALSE(fix_birthday("昭和64年1月8日", now));
  CHECK_FALSE(fix_birthday("平成元年1月7日", now));
  CHECK(fix_birthday("平成31年4月30日", now) == "2019/04/30");
  CHECK_FALSE(fix_birthday("平成31年5月1日", now));
  CHECK_FALSE(fix_birthday("令和元年4月30日", now));
  CHECK(fix_birthday("大正15年12月24日", now) == "1926/12/24");
  CHECK_FALSE(fix_birthday("大正15年12月25日", now));
  CHECK_FALSE(fix_birthday("昭和元年12月24日", now));
  CHECK(fix_birthday("明治45年7月29日", now) == "1912/07/29");
  CHECK_FALSE(fix_birthday("明治45年7月30日", now));
  CHECK_FALSE(fix_birthday("大正元年7月29日", now));
  CHECK(fix_birthday("明治6年1月1日", now) == "1873/01/01");  // the first day of the Gregorian calendar in Japan
  CHECK_FALSE(fix_birthday("明治5年12月2日", now));           // the old calendar's: not converted
  CHECK_FALSE(fix_birthday("S0.1.1", now));
  CHECK_FALSE(fix_birthday("S56.2.30", now));  // not a date
  CHECK_FALSE(fix_birthday("R50.1.1", now));   // in the future
  CHECK_FALSE(fix_birthday("X56.2.3", now));
  CHECK_FALSE(fix_birthday("S56.2-3", now));
  CHECK(read_date("昭和64年1月7日") == date{1989, 1, 7});
  CHECK_FALSE(read_date("昭和64年1月8日"));
}

TEST_CASE("birthday: without a date, today is the system's") { CHECK(fix_birthday("S56.2.3") == "1981/02/03"); }

TEST_CASE("fold: what a Mac types, as Windows has it") {
  CHECK(fix_fold("10〜12時") == "10～12時");
  CHECK(fix_fold("−‖¢£¬—") == "－∥￠￡￢―");
  CHECK(fix_fold("¥100‾") == "\\100~");
  CHECK_FALSE(fix_fold("10～12時"));
  CHECK_FALSE(fix_fold("abc"));
}

TEST_CASE("every fix passes its rule, and a fixed value needs no fix again") {
  const std::vector<std::string> values = {"N",
                                           " u",
                                           "１０００５",
                                           "ｔａｒｏ＠example.com",
                                           "〒５３０ー０００１",
                                           "０６－１２３４－５６７８",
                                           "１２００",
                                           "１",
                                           "やまだ",
                                           "ﾔﾏﾀﾞ",
                                           "大阪",
                                           "S56.2.3",
                                           "平成元年1月8日",
                                           "10〜12"};
  for (const std::string& v : values) {
    CAPTURE(v);
    if (auto f = fix_control(v)) CHECK_FALSE(check_control(*f));
    if (auto f = fix_member_id(v)) CHECK_FALSE(check_member_id(*f));
    if (auto f = fix_email(v)) CHECK_FALSE((check_email(*f) && check_email(*f)->rule == "email-syntax"));
    if (auto f = fix_zip(v)) CHECK_FALSE(check_zip(*f));
    if (auto f = fix_tel(v)) CHECK_FALSE(check_tel(*f));
    if (auto f = fix_point(v)) CHECK_FALSE(check_point(*f));
    if (auto f = fix_mailmag(v)) CHECK_FALSE(check_mailmag(*f));
    if (auto f = fix_sex(v)) CHECK_FALSE(check_sex(*f));
    if (auto f = fix_kana(v)) CHECK_FALSE(check_kana(*f));
    if (auto f = fix_pref(v)) CHECK_FALSE(check_pref(*f));
    if (auto f = fix_birthday(v, now)) CHECK_FALSE(check_birthday(*f, now));
    for (auto fix : {fix_control, fix_member_id, fix_email, fix_zip, fix_tel, fix_point, fix_mailmag, fix_sex, fix_kana,
                     fix_pref, fix_fold})
      if (auto f = fix(v)) CHECK_FALSE(fix(*f));
  }
}

TEST_CASE("a finding carries its fix: the value its message suggests, which kaiin-fix writes") {
  CHECK(check_control("Ｎ")->fix == "n");
  CHECK(check_member_id("１０００５")->fix == "10005");
  CHECK(check_email("ｔａｒｏ＠example.com")->fix == "taro@example.com");
  CHECK(check_zip("〒530-0001")->fix == "530-0001");
  CHECK(check_tel("０６－１２３４－５６７８")->fix == "06-1234-5678");
  CHECK(check_point("１２００")->fix == "1200");
  CHECK(check_mailmag("１")->fix == "1");
  CHECK(check_sex("２")->fix == "2");
  CHECK(check_kana("やまだ")->fix == "ヤマダ");
  CHECK(check_pref("大阪")->fix == "大阪府");
  CHECK(check_birthday("S56.2.3", now)->fix == "1981/02/03");
  CHECK(check_birthday("1980-04-01 00:00:00", now)->fix == "1980-04-01");
  CHECK(check_password("pw123456", "１", row_action::update)->fix == "1");  // the flag's, never the password's
  // Without a correction, nothing to write.
  for (const rule_result& r : {check_control("x"), check_zip("530-001"), check_pref("大阪県"), check_kana("山田"),
                               check_birthday("2001/02/30", now), check_email("taro@"),
                               check_email("taro.@docomo.ne.jp"), check_password("pw", "", row_action::create)}) {
    REQUIRE(r);
    CHECK_FALSE(r->fix);
  }
}
