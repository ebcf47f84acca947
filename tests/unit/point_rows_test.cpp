// detail::parse_points: a whole number, optionally signed; the digits of a balance
// read by hand, anything longer by from_chars, with the same answers either way.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>

#include "point_rows.h"

using kaiin::detail::parse_points;

TEST_CASE("parse_points: whole numbers with a sign, up to 18 digits read by hand") {
  CHECK(parse_points("0") == 0);
  CHECK(parse_points("4716") == 4716);
  CHECK(parse_points("+100") == 100);
  CHECK(parse_points("-100") == -100);
  CHECK(parse_points("007") == 7);
  CHECK(parse_points("999999999999999999") == 999999999999999999);
  CHECK(parse_points("-999999999999999999") == -999999999999999999);
  CHECK(parse_points("+-5") == -5);  // the '+' is dropped, then from_chars took "-5": kept so
}

TEST_CASE("parse_points: what is not a whole number is nullopt") {
  for (const char* bad : {"", "+", "-", "--5", "+ 5", " 5", "5 ", "1.5", "12a", "a12", "1e3", "１２", "-+5"})
    CHECK_MESSAGE(parse_points(bad) == std::nullopt, bad);
}

TEST_CASE("parse_points: 19 digits and more go through from_chars, which says what overflows") {
  CHECK(parse_points("9223372036854775807") == 9223372036854775807);
  CHECK(parse_points("-9223372036854775808") == INT64_MIN);
  CHECK(parse_points("9223372036854775808") == std::nullopt);
  CHECK(parse_points("1000000000000000000") == 1000000000000000000);
  CHECK(parse_points("12345678901234567x9") == std::nullopt);
}
