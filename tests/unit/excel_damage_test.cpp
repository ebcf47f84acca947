// What Excel does to values (spec §14), one literal case a form: how it writes them,
// and what they were before.

#include "members/excel_damage.h"

#include <doctest/doctest.h>

using namespace kaiin;

TEST_CASE("exponent form: how Excel's General format writes a long number") {
  CHECK(excel_general("123456789012") == "1.23457E+11");
  CHECK(excel_general("120000000000") == "1.2E+11");
  CHECK(excel_general("100000000000") == "1E+11");
  CHECK(excel_general("999999500000") == "1E+12");  // the rounding carries into the exponent
  CHECK(excel_general("999998500000") == "9.99999E+11");
  CHECK(excel_general("1234567890123456") == "1.23457E+15");
  CHECK(excel_general("12345678901") == "12345678901");  // eleven digits fit
  CHECK(excel_exponent("1.23457E+11"));
  CHECK(excel_exponent("1E+12"));
  CHECK(excel_exponent("9.99999E+100"));
  CHECK_FALSE(excel_exponent("1.234567E+11"));  // six decimals: not Excel's
  CHECK_FALSE(excel_exponent("1.23457E11"));
  CHECK_FALSE(excel_exponent("1.23457E-05"));
  CHECK_FALSE(excel_exponent("0.5E+11"));
  CHECK_FALSE(excel_exponent("123456789012"));
  CHECK(excel_exponent_of("123456789012", "1.23457E+11"));
  CHECK(excel_exponent_of("000123456789012", "1.23457E+11"));  // leading zeros went first
  CHECK_FALSE(excel_exponent_of("123466789012", "1.23457E+11"));
  CHECK_FALSE(excel_exponent_of("090-1234-5678", "9.01235E+11"));  // hyphens: text to Excel
}

TEST_CASE("zip codes and telephone numbers without their leading zeros") {
  CHECK(excel_zip_zeros("600001") == "0600001");
  CHECK(excel_zip_zeros("10010") == "0010010");
  CHECK_FALSE(excel_zip_zeros("0600001"));
  CHECK_FALSE(excel_zip_zeros("060-0001"));
  CHECK_FALSE(excel_zip_zeros("6000"));
  CHECK(excel_tel_zero("9012345678") == "09012345678");
  CHECK(excel_tel_zero("862310000") == "0862310000");
  CHECK_FALSE(excel_tel_zero("3123456789"));  // 031 is a ten-digit number
  CHECK(excel_tel_zero("312345678") == "0312345678");
  CHECK(excel_tel_zero("8001234567") == "08001234567");  // 0800
  CHECK(excel_tel_zero("5012345678") == "05012345678");  // 050, IP
  CHECK_FALSE(excel_tel_zero("901234567"));              // 090 needs eleven digits
  CHECK_FALSE(excel_tel_zero("86231000"));               // nine digits
  CHECK_FALSE(excel_tel_zero("0862310000"));             // has its zero
  CHECK_FALSE(excel_tel_zero("86-231-0000"));            // hyphens: text to Excel
  CHECK(excel_tel_zero("120123456") == "0120123456");    // 0120 has ten
}

TEST_CASE("member IDs without their leading zeros, tried at the shop's widths") {
  auto known = [](const std::string& id) { return id == "000102" || id == "0000103"; };
  const std::uint64_t six_and_seven = (1u << 6) | (1u << 7);
  CHECK(excel_id_zeros("102", six_and_seven, known) == "000102");
  CHECK(excel_id_zeros("103", six_and_seven, known) == "0000103");
  CHECK_FALSE(excel_id_zeros("104", six_and_seven, known));
  CHECK_FALSE(excel_id_zeros("102", 1u << 7, known));
  CHECK_FALSE(excel_id_zeros("0102", six_and_seven, known));
  CHECK_FALSE(excel_id_zeros("1O2", six_and_seven, known));
}

TEST_CASE("serial numbers of Excel's 1900 date system") {
  CHECK(excel_serial("29222") == 29222u);
  CHECK_FALSE(excel_serial("029222"));
  CHECK_FALSE(excel_serial("2958466"));  // after 9999/12/31
  CHECK_FALSE(excel_serial("1980/01/02"));
  CHECK(excel_serial_date(29222) == date{1980, 1, 2});
  CHECK(excel_serial_date(1) == date{1900, 1, 1});
  CHECK(excel_serial_date(59) == date{1900, 2, 28});
  // 60 is the 1900/02/29 Excel counts and the calendar does not: no day.
  CHECK_FALSE(excel_serial_date(60));
  CHECK(excel_serial_date(61) == date{1900, 3, 1});
  CHECK(excel_serial_date(25569) == date{1970, 1, 1});
  CHECK(excel_serial_date(2958465) == date{9999, 12, 31});
  CHECK_FALSE(excel_serial_date(0));
}

TEST_CASE("serial numbers with a time: the seconds where the digits tell them") {
  auto t = excel_serial_time("44062.27331");
  REQUIRE(t);
  CHECK(t->exact());
  CHECK(datetime_text(t->first) == "2020/08/19 06:33:34");
  auto day = excel_serial_time("44062");  // the whole day around midnight
  REQUIRE(day);
  CHECK_FALSE(day->exact());
  CHECK(datetime_text(day->first) == "2020/08/18 12:00:00");
  CHECK(datetime_text(day->last) == "2020/08/19 11:59:59");
  CHECK(datetime_text(day->nearest) == "2020/08/19 00:00:00");
  auto coarse = excel_serial_time("44062.27");  // a narrow column: a quarter of an hour
  REQUIRE(coarse);
  CHECK(coarse->holds({{2020, 8, 19}, 6, 33, 34}));
  CHECK_FALSE(coarse->holds({{2020, 8, 19}, 6, 40, 0}));
  CHECK_FALSE(excel_serial_time("60.5"));
  CHECK_FALSE(excel_serial_time("44062.2733100001"));
  CHECK_FALSE(excel_serial_time("44062."));
}

TEST_CASE("date-times without seconds, as Excel writes them") {
  CHECK(excel_minute("2020/8/19 6:33") == date_time{{2020, 8, 19}, 6, 33, 0});
  CHECK(excel_minute("2020-08-19 16:33") == date_time{{2020, 8, 19}, 16, 33, 0});
  CHECK_FALSE(excel_minute("2020/8/19 6:33:14"));
  CHECK_FALSE(excel_minute("2020/8/19 24:00"));
  CHECK_FALSE(excel_minute("2020/2/30 6:33"));
  CHECK_FALSE(excel_minute("2020/8-19 6:33"));
  CHECK(datetime_text({{2020, 8, 19}, 6, 33, 14}) == "2020/08/19 06:33:14");
}

TEST_CASE("address numbers that Excel reads as dates") {
  CHECK(excel_date_of("1-2-3") == "2001/2/3");
  CHECK(excel_date_of("30-2-3") == "1930/2/3");
  CHECK(excel_date_of("2-5") == "2月5日");
  CHECK(excel_date_of("12-25") == "12月25日");
  CHECK_FALSE(excel_date_of("1-2-30"));  // February 30th: text
  CHECK_FALSE(excel_date_of("13-5"));
  CHECK_FALSE(excel_date_of("1-2-3-405"));
  CHECK_FALSE(excel_date_of("北区1-2-3"));
  CHECK(excel_address_number("2001/2/3") == "1-2-3");
  CHECK(excel_address_number("1930/2/3") == "30-2-3");
  CHECK(excel_address_number("2045/2/3") == "2045-2-3");
  CHECK(excel_address_number("2月5日") == "2-5");
  CHECK_FALSE(excel_address_number("2月30日"));
  CHECK_FALSE(excel_address_number("2001/2/30"));
  CHECK_FALSE(excel_address_number("梅田2001/2/3"));
  // The two agree: what Excel writes for an address number reads back as that number.
  for (const char* number : {"1-2-3", "29-12-31", "3-15", "45-6-7"})
    CHECK(excel_address_number(*excel_date_of(number)) == number);
}

TEST_CASE("characters CP932 lacks, which Excel wrote as '?'") {
  CHECK(excel_lost_characters("?田", "𠮷田") == "𠮷");
  CHECK(excel_lost_characters("??田", "𠮷田") == "𠮷");             // a '?' for each half of its UTF-16 form
  CHECK(excel_lost_characters("髙?", "髙\u2116") == std::nullopt);  // № is in CP932: not lost
  CHECK(excel_lost_characters("ジョゼ?", "ジョゼé") == "é");
  CHECK(excel_lost_characters("何?", "何?") == "");  // a '?' that was there
  CHECK_FALSE(excel_lost_characters("?田", "山田"));
  CHECK_FALSE(excel_lost_characters("?田", "田"));
  CHECK_FALSE(excel_lost_characters("?", ""));
}
