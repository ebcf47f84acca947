#include "members/postal.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kaiin/error.h"

using namespace kaiin;

namespace {

// "大阪府 大阪市北区" for each place of \p zip in the installed table.
std::vector<std::string> places_of(std::string_view zip) {
  std::vector<std::string> out;
  for (const postal_place& p : postal_data().find(zip))
    out.push_back(std::string(p.pref()) + " " + std::string(p.full_city()));
  return out;
}

}  // namespace

TEST_CASE("zip_number: 123-4567 or 1234567 in half-width digits") {
  CHECK(zip_number("530-0001") == 5300001u);
  CHECK(zip_number("5300001") == 5300001u);
  CHECK(zip_number("060-0001") == 600001u);
  CHECK_FALSE(zip_number("53-00001"));
  CHECK_FALSE(zip_number("530 0001"));
  CHECK_FALSE(zip_number("530-000a"));
  CHECK_FALSE(zip_number("５３００００１"));
  CHECK_FALSE(zip_number("600001"));
  CHECK_FALSE(zip_number(""));
  CHECK(zip_text(600001) == "060-0001");
}

TEST_CASE("postal data: Japan Post's codes, their prefectures and cities") {
  const postal_table& t = postal_data();
  CHECK(t.date() == "2025-09-30");
  CHECK(t.source() == "jquery-jpostal-ja@2.14.73 (npm, MIT), data stamp 'ver2.13 2025-09-25 2025-09-30'");
  CHECK(t.size() == 142871);
  CHECK(places_of("530-0001") == std::vector<std::string>{"大阪府 大阪市北区"});  // 梅田
  CHECK(places_of("5300001") == std::vector<std::string>{"大阪府 大阪市北区"});
  CHECK(places_of("100-0001") == std::vector<std::string>{"東京都 千代田区"});  // 千代田
  CHECK(places_of("100-8111") == std::vector<std::string>{"東京都 千代田区"});  // JIGYOSYO: 宮内庁
  CHECK(places_of("060-0001") == std::vector<std::string>{"北海道 札幌市中央区"});
  // A code whose area straddles two prefectures.
  CHECK(places_of("498-0000") == std::vector<std::string>{"愛知県 弥富市", "三重県 桑名郡木曽岬町"});
  // ... and one that straddles two wards.
  CHECK(places_of("004-0000") == std::vector<std::string>{"北海道 札幌市厚別区", "北海道 札幌市清田区"});
  // The 郡 apart.
  auto gun = t.find("678-1201");
  REQUIRE(gun.size() == 1);
  CHECK(gun[0].gun() == "赤穂郡");
  CHECK(gun[0].city() == "上郡町");
  CHECK(gun[0].full_city() == "赤穂郡上郡町");
  // Never assigned (the samples once had them), and the ends of the range.
  CHECK(t.find("219-0614").empty());
  CHECK(t.find("192-6101").empty());
  CHECK(t.find(0u).empty());
  CHECK(t.find(9999999u).empty());
  CHECK(t.find(10000000u).empty());
  CHECK(t.find("abc").empty());
  // What Excel's rule asks: was a 6-digit value a code of the row's prefecture?
  CHECK(t.in_prefecture("0" + std::string("600001"), "北海道"));
  CHECK_FALSE(t.in_prefecture("0" + std::string("600001"), "青森県"));
  CHECK(t.in_prefecture("498-0000", "三重県"));
  CHECK(t.in_prefecture("498-0000", "愛知県"));
  CHECK_FALSE(t.in_prefecture("219-0614", "神奈川県"));
  // A few hundred KB in memory, no more.
  CHECK(t.memory() < 320 * 1024);
}

TEST_CASE("postal data: what --version says of it") {
  CHECK(postal_data_version() == "postal codes: Japan Post, 2025-09-30 (jquery-jpostal-ja@2.14.73)");
}

TEST_CASE("postal table: its format, and a damaged one") {
  const char* text =
      "# a comment\n"
      "date 2025-09-30\n"
      "source test\n"
      "codes 5\n"
      "place\t27\t\t大阪市北区\n"
      "place\t23\t\t弥富市\t24\t桑名郡\t木曽岬町\n"
      "498 =1 1\n"
      "530 =0 2* 3 =1 1\n";
  postal_table t = postal_table::parse(text, "t.txt");
  CHECK(t.size() == 5);  // 498-0000, 530-0000, -0001, -0004, -0005
  CHECK(t.date() == "2025-09-30");
  CHECK(t.find(4980000u).size() == 2);
  CHECK(t.find(5300000u).size() == 1);
  CHECK(t.find(5300001u)[0].city() == "大阪市北区");
  CHECK(t.find(5300002u).empty());
  CHECK(t.find(5300004u)[0].city() == "大阪市北区");
  CHECK(t.find(5300005u)[0].full_city() == "弥富市");
  CHECK(t.find(5300006u).empty());
  CHECK(t.find(4970000u).empty());
  // Damage: each is an error naming the file and the line.
  auto line_of_error = [](const std::string& bad) {
    try {
      postal_table::parse(bad, "bad.txt");
    } catch (const error& e) {
      CHECK(e.file() == "bad.txt");
      return e.line();
    }
    return std::uint64_t{0};
  };
  CHECK(line_of_error("date 2025-09-30\ncodes 1\nplace\t27\t\t大阪市\n530 1\n") == 4);         // no place set
  CHECK(line_of_error("date 2025-09-30\ncodes 1\nplace\t48\t\t大阪市\n530 =0 1\n") == 3);      // no 48th
  CHECK(line_of_error("date 2025-09-30\ncodes 1\nplace\t27\t\t大阪市\n530 =1 1\n") == 4);      // no set 1
  CHECK(line_of_error("date 2025-09-30\ncodes 2\nplace\t27\t\t大阪市\n530 =0 1\n") == 4);      // one code, not two
  CHECK(line_of_error("date 2025-09-30\ncodes 1\nplace\t27\t\t大阪市\n530 =0 10001\n") == 4);  // past 9999
  CHECK(line_of_error("date 2025-09-30\ncodes 2\nplace\t27\t\t大阪市\n530 =0 1\n100 =0 1\n") == 5);  // order
  CHECK(line_of_error("codes 1\nplace\t27\t\t大阪市\n530 =0 1\n") == 3);                             // no date
}
