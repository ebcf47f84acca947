// The pure pieces of kaiin-tags (spec §8): tag codes as they are stored, and the
// order of member IDs in a change file.
#include "kaiin/tags.h"

#include <doctest/doctest.h>

using namespace kaiin;

TEST_CASE("normal_tag_code: upper case; empty for anything but half-width letters, digits, - and _") {
  CHECK(normal_tag_code("osaka") == "OSAKA");
  CHECK(normal_tag_code("New-30_a") == "NEW-30_A");
  CHECK(normal_tag_code("") == "");
  CHECK(normal_tag_code("a b") == "");
  CHECK(normal_tag_code("ＡＢＣ") == "");  // full-width letters are not a code
  CHECK(normal_tag_code("tag,1") == "");
}

TEST_CASE("member_id_less: numbers by value, before other IDs, which go by bytes") {
  CHECK(member_id_less("9", "10"));
  CHECK_FALSE(member_id_less("10", "9"));
  CHECK(member_id_less("007", "8"));  // leading zeros aside
  CHECK(member_id_less("007", "7"));  // the same number: then by bytes, so the order is total
  CHECK(member_id_less("999", "A1"));
  CHECK_FALSE(member_id_less("A1", "999"));
  CHECK(member_id_less("A10", "A9"));  // not numbers: bytes
  CHECK_FALSE(member_id_less("5", "5"));
}
