#include "jobs/conv/mojibake.h"

#include <doctest/doctest.h>

#include <string>

using kaiin::detail::find_latin1_letter;
constexpr auto none = std::string_view::npos;

TEST_CASE("latin-1 read as CP932: a half-width katakana alone beside Latin letters") {
  CHECK(find_latin1_letter("\xD5"
                           "akman,AL") == 0);  // Õakman (rust-csv's uspop-latin1.csv)
  CHECK(find_latin1_letter("1,M\xDC"
                           "NCHEN") == 3);  // MÜNCHEN
  CHECK(find_latin1_letter("S\xC3"
                           "O PAULO,BR") == 1);  // SÃO
  CHECK(find_latin1_letter("Jos\xC9") == 3);     // JOSÉ: a letter before is enough
  CHECK(find_latin1_letter("abc,\xC9"
                           "cole") == 4);  // after a comma, before a letter
}

TEST_CASE("latin-1 read as CP932: Japanese text is not suspected") {
  CHECK(find_latin1_letter("\xC3\xBD\xC4,T\xBC\xAC\xC2") == none);  // ﾃｽﾄ, Tｼｬﾂ: katakana in runs
  CHECK(find_latin1_letter("\xB6\xDE"
                           "A") == none);             // ｶﾞA: a voiced katakana is two bytes
  CHECK(find_latin1_letter("\xB1,1") == none);        // ｱ beside no letter
  CHECK(find_latin1_letter("\x83\x41\xB1") == none);  // アｱ: 41 is the trail byte of ア, not 'A'
  CHECK(find_latin1_letter("plain ascii") == none);
  CHECK(find_latin1_letter("") == none);
}

TEST_CASE("latin-1 read as CP932: found wherever it stands in a long record") {
  // The sixteen-byte pre-scan must see a letter across the edge of its blocks.
  for (std::size_t k = 1; k + 1 < 48; ++k) {
    std::string after(48, '1'), before(48, '1');
    after[k] = '\xD5';
    after[k + 1] = 'a';  // Õa
    before[k - 1] = 'a';
    before[k] = '\xC9';  // aÉ
    CHECK_MESSAGE(find_latin1_letter(after) == k, k);
    CHECK_MESSAGE(find_latin1_letter(before) == k, k);
    std::string alone(48, '1');
    alone[k] = '\xD5';  // no letter beside it
    CHECK_MESSAGE(find_latin1_letter(alone) == none, k);
  }
}

TEST_CASE("the decoded record answers as its CP932 bytes do") {
  using kaiin::detail::has_lone_kana_beside_letter;
  // Each case as CP932 and as UTF-8: the two answers agree.
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"\xD5"
       "akman",
       "\xEF\xBE\x95"
       "akman"},                       // ﾕakman
      {"Jos\xC9", "Jos\xEF\xBE\x89"},  // Josﾉ
      {"\xC3\xBD\xC4,T\xBC\xAC\xC2",
       "\xEF\xBE\x83\xEF\xBD\xBD\xEF\xBE\x84,T\xEF\xBD\xBC\xEF\xBD\xAC\xEF\xBE\x82"},  // ﾃｽﾄ,Tｼｬﾂ
      {"\xB6\xDE"
       "A",
       "\xEF\xBD\xB6\xEF\xBE\x9E"
       "A"},                                         // ｶﾞA
      {"\xB1,1", "\xEF\xBD\xB1,1"},                  // ｱ,1
      {"\x83\x41\xB1", "\xE3\x82\xA2\xEF\xBD\xB1"},  // アｱ
      {"\x82\x51\xCA"
       "x",
       "\xEF\xBC\x92\xEF\xBE\x8A"
       "x"},                       // ２ﾊx
      {"a\xA1", "a\xEF\xBD\xA1"},  // a｡ (U+FF61, the first)
      {"\xDF"
       "b",
       "\xEF\xBE\x9F"
       "b"},  // ﾟb (U+FF9F, the last)
      {"plain", "plain"},
  };
  for (auto [cp932, utf8] : cases)
    CHECK_MESSAGE(has_lone_kana_beside_letter(utf8) == (find_latin1_letter(cp932) != none), utf8);
  CHECK_FALSE(has_lone_kana_beside_letter("x\xEF\xBD"));      // cut short
  CHECK_FALSE(has_lone_kana_beside_letter("a\xEF\xBD\xA0"));  // U+FF60, just before the range
}
