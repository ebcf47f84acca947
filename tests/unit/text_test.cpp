#include "core/text.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/code_points.h"

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

TEST_CASE("e-mail keys: each byte around A-Z and above 0x7F at every place of a 0..40-byte address") {
  // Addresses that are their own key are found eight bytes at a time: the bytes
  // just outside A-Z ('@', '[', '`', '{'), A and Z themselves, and a non-ASCII
  // character, at every offset, must give what the byte at a time rule gives.
  const std::vector<std::string> pieces = {"A", "Z", "M", "@", "[", "`", "{", "a", "z", "\x7F", "Ｔ", "é"};
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      std::string plain(length, 'x');
      for (const std::string& piece : pieces) {
        std::string address = plain.substr(0, at) + piece + plain.substr(at);
        std::string expected;
        for (char c : address) expected.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
        if (piece == "Ｔ") expected = plain.substr(0, at) + "t" + plain.substr(at);
        CAPTURE(address);
        CHECK(email_key(address) == expected);
      }
    }
  }
}

TEST_CASE("did you mean: close names only") {
  std::vector<std::string> names = {"cus_email", "cus_mobile_email", "cus_zip"};
  CHECK(did_you_mean("cus_emial", names) == "cus_email");
  CHECK(did_you_mean("CUS_ZIP", names) == "cus_zip");
  CHECK(did_you_mean("favourite_colour", names) == "");
  CHECK(did_you_mean("cus_email_address", names) == "cus_email");  // a name the word starts with
  CHECK(did_you_mean("prefecture", {"pref", "point"}) == "pref");
  CHECK(edit_distance("大阪府", "大坂府") == 1);
  // With a limit: exact up to it, limit + 1 beyond it, whatever the true distance.
  for (std::size_t limit = 0; limit < 6; ++limit) {
    CAPTURE(limit);
    CHECK(edit_distance("kitten", "sitting", limit) == std::min<std::size_t>(3, limit + 1));
    CHECK(edit_distance("cus_email", "favourite_colour_of_the_member", limit) == limit + 1);
    CHECK(edit_distance("", "abc", limit) == std::min<std::size_t>(3, limit + 1));
  }
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("edit distance: the band of cells near the diagonal gives what the whole table gives") {
  // Every cell, the textbook way: what the banded distance must agree with.
  auto whole_table = [](const std::u32string& x, const std::u32string& y) {
    std::vector<std::vector<std::size_t>> d(x.size() + 1, std::vector<std::size_t>(y.size() + 1));
    for (std::size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i)
      for (std::size_t j = 1; j <= y.size(); ++j)
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    return d[x.size()][y.size()];
  };
  std::uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7FFF; };
  auto word = [&] {
    std::u32string w;
    for (std::size_t n = next() % 13; n > 0; --n) w += static_cast<char32_t>(U'a' + next() % 3);
    return w;
  };
  std::vector<std::size_t> row = {7, 7, 7};  // memory of an earlier call, reused
  for (int k = 0; k < 3000; ++k) {
    const std::u32string x = word(), y = word();
    const std::size_t truth = whole_table(x, y);
    for (std::size_t limit : {std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5},
                              std::numeric_limits<std::size_t>::max()}) {
      CAPTURE(limit);
      CHECK(detail::edit_distance(x, y, limit, row) == (truth <= limit ? truth : limit + 1));
    }
  }
  CHECK(detail::edit_distance(U"大阪府", U"大坂府", 1, row) == 1);
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
