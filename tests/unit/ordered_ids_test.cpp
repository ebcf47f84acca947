// detail::ordered_id_index: IDs in increasing order kept as a sorted array, any
// other order in an id_index, numbered alike either way.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/compact.h"

using kaiin::detail::ordered_id_index;

TEST_CASE("ordered_id_index: IDs in increasing order are numbered and found in any order") {
  ordered_id_index ids;
  CHECK(ids.insert("10001") == std::pair<std::uint32_t, bool>{0, true});
  CHECK(ids.insert("10002") == std::pair<std::uint32_t, bool>{1, true});
  CHECK(ids.insert("10005") == std::pair<std::uint32_t, bool>{2, true});
  CHECK(ids.insert("20000") == std::pair<std::uint32_t, bool>{3, true});
  CHECK(ids.ordered());
  CHECK(ids.size() == 4);
  CHECK(ids.find("10001") == 0u);  // in order: each right after the last
  CHECK(ids.find("10002") == 1u);
  CHECK(ids.find("20000") == 3u);  // a jump: the binary search
  CHECK(ids.find("10005") == 2u);  // backwards
  CHECK_FALSE(ids.find("10003"));
  CHECK_FALSE(ids.find("1"));
  CHECK_FALSE(ids.find("99999"));
  CHECK_FALSE(ids.find("abc"));
  CHECK_FALSE(ids.find("010001"));  // a leading zero: another ID
  CHECK(ids.id(2) == "10005");
}

TEST_CASE("ordered_id_index: an ID out of order, a repeat or a text keeps numbers and finds") {
  for (const std::string& breaker : {std::string("5"), std::string("10002"), std::string("A-7"), std::string("007")}) {
    CAPTURE(breaker);
    ordered_id_index ids;
    ids.insert("3");
    ids.insert("10002");
    auto [number, fresh] = ids.insert(breaker);
    if (breaker == "10002") {
      CHECK(ids.ordered());  // a repeat keeps the order: an order's rows need not be adjacent
      CHECK(number == 1);    // the repeat is found, not added
      CHECK_FALSE(fresh);
      CHECK(ids.size() == 2);
    } else {
      CHECK_FALSE(ids.ordered());
      CHECK(number == 2);
      CHECK(fresh);
      CHECK(ids.id(2) == breaker);
    }
    CHECK(ids.find("3") == 0u);
    CHECK(ids.find("10002") == 1u);
    CHECK(ids.id(0) == "3");
    CHECK(ids.insert("3") == std::pair<std::uint32_t, bool>{0, false});
    CHECK_FALSE(ids.find("4"));
  }
}

TEST_CASE("ordered_id_index: IDs spread unevenly are found wherever they are") {
  ordered_id_index ids;
  std::vector<std::uint64_t> numbers;
  for (std::uint64_t n = 1; n < 2000; n += 1 + n % 7) numbers.push_back(n);    // gaps of 1 to 7
  for (std::uint64_t n = 1'000'000; n < 1'000'500; ++n) numbers.push_back(n);  // then a jump
  for (std::uint64_t n : numbers) ids.insert(std::to_string(n));
  REQUIRE(ids.ordered());
  for (std::size_t i = numbers.size(); i-- > 0;) {  // backwards: no look-up starts right after the last
    CAPTURE(numbers[i]);
    CHECK(ids.find(std::to_string(numbers[i])) == i);
    CHECK(ids.insert(std::to_string(numbers[i])) ==
          std::pair<std::uint32_t, bool>{static_cast<std::uint32_t>(i), false});
  }
  CHECK_FALSE(ids.find("2"));  // 1, 3, 7, 8, 10, ...: between two of them
  CHECK_FALSE(ids.find("9"));
  CHECK_FALSE(ids.find("999999"));
  CHECK_FALSE(ids.find("2000000"));
  CHECK(ids.ordered());
}
