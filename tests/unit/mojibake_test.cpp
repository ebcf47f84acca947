#include "../../lib/src/mojibake.h"

#include <doctest/doctest.h>

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
