#include "kaiin/text.h"

#include <doctest/doctest.h>

#include <string>

using namespace kaiin;

TEST_CASE("e-mail keys: trimmed, full-width ASCII half-width, lower case") {
  CHECK(email_key("Taro@Example.COM") == "taro@example.com");
  CHECK(email_key("  taro@example.com\t") == "taro@example.com");
  CHECK(email_key("ｔａｒｏ＠ＥＸＡＭＰＬＥ．ｃｏｍ") == "taro@example.com");
  CHECK(email_key("　taro@example.com　") == "taro@example.com");
  CHECK(email_key("") == "");
  std::string reused = "old contents";
  email_key("A@B.C", reused);
  CHECK(reused == "a@b.c");
}

TEST_CASE("did you mean: close names only") {
  std::vector<std::string> names = {"cus_email", "cus_mobile_email", "cus_zip"};
  CHECK(did_you_mean("cus_emial", names) == "cus_email");
  CHECK(did_you_mean("CUS_ZIP", names) == "cus_zip");
  CHECK(did_you_mean("favourite_colour", names) == "");
  CHECK(did_you_mean("cus_email_address", names) == "cus_email");  // a name the word starts with
  CHECK(did_you_mean("prefecture", {"pref", "point"}) == "pref");
  CHECK(edit_distance("大阪府", "大坂府") == 1);
}

TEST_CASE("string table: insert keeps the first value, find sees it, growth keeps all") {
  string_table t;
  CHECK(t.insert("a@example.com", 2) == 2);
  CHECK(t.insert("a@example.com", 9) == 2);
  REQUIRE(t.find("a@example.com"));
  CHECK(*t.find("a@example.com") == 2);
  CHECK_FALSE(t.find("b@example.com"));
  for (std::uint32_t i = 0; i < 100000; ++i) t.insert("user" + std::to_string(i) + "@example.com", i);
  CHECK(t.size() == 100001);
  for (std::uint32_t i = 0; i < 100000; i += 997) CHECK(*t.find("user" + std::to_string(i) + "@example.com") == i);
  string_table reserved;
  reserved.reserve(1000);
  CHECK(reserved.insert("x", 1) == 1);
  CHECK(*reserved.find("x") == 1);
}
