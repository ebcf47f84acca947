#include "members/address_rules.h"

#include <doctest/doctest.h>

using namespace kaiin;

namespace {

std::string rule_of(const rule_result& r) { return r ? r->rule : ""; }
std::span<const postal_place> at(std::string_view zip) { return postal_data().find(zip); }

}  // namespace

TEST_CASE("name_at_start: spaces between characters, ヶ and ケ") {
  CHECK(name_at_start("大阪市北区梅田1-1", "大阪市北区") == 15);
  CHECK(name_at_start("大阪市 北区梅田", "大阪市北区") == 16);
  CHECK(name_at_start("大阪市\u3000北区梅田", "大阪市北区") == 18);
  CHECK(name_at_start("鎌ヶ谷市道野辺", "鎌ケ谷市") == 12);
  CHECK(name_at_start("鶴ケ島市", "鶴ヶ島市") == 12);
  CHECK(name_at_start(" 大阪市北区", "大阪市北区") == 0);  // the value is trimmed first
  CHECK(name_at_start("大阪市", "大阪市北区") == 0);
  CHECK(name_at_start("大阪市中央区", "大阪市北区") == 0);
  CHECK(name_at_start("京都市", "京都府") == 0);
}

TEST_CASE("zip-unassigned: a code Japan Post has not assigned is a warning") {
  CHECK_FALSE(check_zip_assigned("530-0001", at("530-0001"), "2025-09-30"));
  auto r = check_zip_assigned("219-0614", at("219-0614"), "2025-09-30");
  REQUIRE(r);
  CHECK(r->rule == "zip-unassigned");
  CHECK(r->severity == severity::warning);
  CHECK(r->message ==
        "zip code '219-0614' is not one Japan Post has assigned (postal codes of 2025-09-30): check it, or a parcel "
        "to it may not arrive");
}

TEST_CASE("pref-zip-mismatch: the zip code's prefecture, either of a straddling code") {
  CHECK_FALSE(check_pref_of_zip("大阪府", "530-0001", at("530-0001")));
  CHECK_FALSE(check_pref_of_zip("大阪府", "5300001", at("5300001")));
  CHECK_FALSE(check_pref_of_zip("東京都", "100-8111", at("100-8111")));  // a business code
  CHECK_FALSE(check_pref_of_zip("愛知県", "498-0000", at("498-0000")));
  CHECK_FALSE(check_pref_of_zip("三重県", "498-0000", at("498-0000")));
  CHECK_FALSE(check_pref_of_zip("岡山県", "219-0614", at("219-0614")));  // unassigned: zip-unassigned's
  auto r = check_pref_of_zip("佐賀県", "5300001", at("5300001"));
  REQUIRE(r);
  CHECK(r->rule == "pref-zip-mismatch");
  CHECK(r->severity == severity::error);
  CHECK(r->message ==
        "prefecture '佐賀県' is not that of zip code 530-0001, which is in 大阪府大阪市北区: one of the two is wrong");
  CHECK(check_pref_of_zip("岐阜県", "498-0000", at("498-0000"))
            ->message.find("which is in 愛知県弥富市 or 三重県桑名郡木曽岬町") != std::string::npos);
  CHECK(check_pref_of_zip("青森県", "004-0000", at("004-0000"))
            ->message.find("which is in 北海道札幌市厚別区 or 北海道札幌市清田区") != std::string::npos);
}

TEST_CASE("address-city: address1 starts with the zip code's city, with or without the 郡") {
  auto city = [](std::string_view address, std::string_view zip, std::string_view pref = {}) {
    return check_address_city(address, pref, zip, at(zip));
  };
  CHECK_FALSE(city("大阪市北区梅田1-1-3", "530-0001"));     // a ward of a designated city
  CHECK_FALSE(city("大阪市 北区 梅田1-1-3", "530-0001"));   // spaces between the names
  CHECK_FALSE(city("  大阪市北区梅田", "530-0001"));        // spaces before it
  CHECK_FALSE(city("千代田区千代田1-1", "100-0001"));       // a ward of Tokyo
  CHECK_FALSE(city("千代田区千代田1-1", "100-8111"));       // a business code
  CHECK_FALSE(city("赤穂郡上郡町大持1", "678-1201"));       // with the 郡
  CHECK_FALSE(city("上郡町大持1", "678-1201"));             // without it
  CHECK_FALSE(city("桑名郡木曽岬町源緑輪中", "498-0000"));  // either city of a straddling code
  CHECK_FALSE(city("弥富市鍋田町", "498-0000"));
  CHECK_FALSE(city("札幌市清田区清田1条", "004-0000"));
  CHECK_FALSE(city("鎌ヶ谷市道野辺", "273-0101"));                  // 鎌ケ谷市 in Japan Post's data
  CHECK_FALSE(city("大阪府大阪市北区梅田", "530-0001", "大阪府"));  // the prefecture is address-pref-repeated's
  CHECK_FALSE(city("大阪府大阪市北区梅田", "530-0001"));            // ... or belongs to a file without one
  CHECK_FALSE(city("", "530-0001"));                                // no address: not this rule's
  CHECK_FALSE(city("梅田1-1", "219-0614"));                         // unassigned: zip-unassigned's
  auto r = city("北区梅田1-1", "530-0001");
  REQUIRE(r);
  CHECK(r->rule == "address-city");
  CHECK(r->severity == severity::warning);
  CHECK(r->message == "address '北区梅田1-1' does not start with the city of zip code 530-0001, 大阪市北区");
  CHECK(city("札幌市中央区北一条西1丁目", "004-0000")->message.find("札幌市厚別区 or 札幌市清田区") !=
        std::string::npos);
  CHECK(city("大阪府", "530-0001", "大阪府")->rule == "address-city");  // the prefecture alone
  CHECK(rule_of(city("兵庫県上郡町", "678-1201", "大阪府")) == "");     // the zip code's prefecture, then its city
}

TEST_CASE("address-pref-repeated: address1 that starts with the prefecture, fixed by removing it") {
  CHECK_FALSE(check_address_pref("大阪市北区梅田", "大阪府"));
  CHECK_FALSE(check_address_pref("京都市下京区", "京都府"));
  CHECK_FALSE(check_address_pref("東京都千代田区", "大阪府"));  // another prefecture: not a repetition
  CHECK_FALSE(check_address_pref("大阪府大阪市北区", ""));
  auto r = check_address_pref("大阪府大阪市北区梅田1-1", "大阪府");
  REQUIRE(r);
  CHECK(r->rule == "address-pref-repeated");
  CHECK(r->severity == severity::warning);
  CHECK(r->fix == "大阪市北区梅田1-1");
  CHECK(r->message ==
        "address '大阪府大阪市北区梅田1-1' repeats the prefecture 大阪府, which labels then print twice: write "
        "'大阪市北区梅田1-1'");
  CHECK(check_address_pref("大阪府　大阪市北区", "大阪府")->fix == "大阪市北区");
  CHECK(check_address_pref("大阪府大阪府大阪市北区", "大阪府")->fix == "大阪市北区");  // fixed once for good
  CHECK(check_address_pref(" 東京都 千代田区", "東京都")->fix == "千代田区");
  CHECK_FALSE(check_address_pref("大阪府", "大阪府")->fix);  // a fix never empties a value
}

TEST_CASE("pref-empty: the zip code's prefecture, where one fits") {
  CHECK_FALSE(check_pref_empty("219-0614", at("219-0614"), ""));
  auto r = check_pref_empty("530-0001", at("530-0001"), "大阪市北区梅田");
  REQUIRE(r);
  CHECK(r->rule == "pref-empty");
  CHECK(r->severity == severity::warning);
  CHECK(r->fix == "大阪府");
  CHECK(r->message == "the prefecture is empty, and zip code 530-0001 is in 大阪府: write '大阪府'");
  CHECK(check_pref_empty("498-0000", at("498-0000"), "弥富市鍋田町")->fix == "愛知県");
  CHECK(check_pref_empty("498-0000", at("498-0000"), "木曽岬町源緑輪中")->fix == "三重県");
  CHECK(check_pref_empty("498-0000", at("498-0000"), "三重県桑名郡木曽岬町")->fix == "三重県");
  auto either = check_pref_empty("498-0000", at("498-0000"), "");
  CHECK_FALSE(either->fix);
  CHECK(either->message == "the prefecture is empty, and zip code 498-0000 is in 愛知県 or 三重県");
}
