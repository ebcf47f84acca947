// kaiin-crosspoint's reading thread (crosspoint_rows.h): which CP932 bytes its load
// file takes as they are, without decoding and encoding them again.

#include "jobs/crosspoint/crosspoint_rows.h"

#include <doctest/doctest.h>

#include <string>

using namespace kaiin::detail;

TEST_CASE("CP932 bytes round-trip unless they are invalid, 外字, or a character Windows writes with another code") {
  CHECK(round_trips_cp932(""));
  CHECK(round_trips_cp932("member_id,\"a \"\"b\"\"\",12345678901234567890"));
  CHECK(round_trips_cp932("\x82\xA0\x88\x9F"));  // あ 亜: JIS X 0208
  CHECK(round_trips_cp932("\xB1\xDF"));          // ｱ ﾟ: half-width katakana
  CHECK(round_trips_cp932("\xFB\xFC"));          // 髙: IBM extension, as Windows writes it
  CHECK(round_trips_cp932("\x87\x40"));          // ①: NEC row 13, its only code
  CHECK(round_trips_cp932("abcdefgh\x82\xA0ijklmnop\xB1"));
  CHECK_FALSE(round_trips_cp932("\xED\x40"));      // 纊: NEC-selected IBM, written FA 5C
  CHECK_FALSE(round_trips_cp932("\x87\x90"));      // ≒: NEC row 13, written 81 E0
  CHECK_FALSE(round_trips_cp932("\xF0\x40"));      // 外字: a finding when read
  CHECK_FALSE(round_trips_cp932("abcdefgh\x80"));  // not CP932
  CHECK_FALSE(round_trips_cp932("\x82"));          // a lead byte at the end
  CHECK_FALSE(round_trips_cp932("\x82\x0A"));      // a lead byte before a newline
  CHECK_FALSE(round_trips_cp932("\x85\x40"));      // no character there
  // Runs of characters between ASCII: the one that does not round-trip, anywhere.
  CHECK(round_trips_cp932("1-2\x82\xA0\x88\x9F\xB1x\x82\xA0\x82\xA0y"));
  CHECK_FALSE(round_trips_cp932("1-2\x82\xA0\x88\x9F\xB1x\x82\xA0\xED\x40y"));
  CHECK_FALSE(round_trips_cp932("\x82\xA0\x82\xA0\x82\xA0\x82\xA0\x82\xA0\x82\xA0\x82\xA0\x82\xA0\x87\x90"));
}

TEST_CASE("a TAB, CR or LF anywhere in a value, also past eight bytes") {
  CHECK_FALSE(has_tab_or_newline("plain value, longer than eight"));
  CHECK(has_tab_or_newline("a\tb"));
  CHECK(has_tab_or_newline("0123456789abcdef\r"));
  CHECK(has_tab_or_newline("01234567\n"));
}
