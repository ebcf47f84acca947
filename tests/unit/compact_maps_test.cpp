// The compact maps kaiin-check's key tables are made of (compact.h): a key keeps
// the value it was first stored with, through the index's growth, and IDs that are
// numbers and IDs that are not are told apart as texts are.
#include <doctest/doctest.h>

#include <string>

#include "compact.h"

using namespace kaiin::detail;

TEST_CASE("text_map keeps the first value of each key through growth") {
  text_map m;
  for (std::uint32_t i = 0; i < 5000; ++i) {
    std::string key = "user" + std::to_string(i) + "@example.jp";
    CHECK(m.insert(key, hash_text(key), i + 2) == i + 2);
  }
  CHECK(m.size() == 5000);
  std::string again = "user1234@example.jp";
  CHECK(m.insert(again, hash_text(again), 99999) == 1236);  // the first line stays
  REQUIRE(m.find(again, hash_text(again)) != nullptr);
  CHECK(*m.find(again, hash_text(again)) == 1236);
  std::string other = "user1234@example.j";
  CHECK(m.find(other, hash_text(other)) == nullptr);
  CHECK(m.find("", hash_text("")) == nullptr);
  CHECK(m.size() == 5000);
}

TEST_CASE("text_map reserved ahead finds what was stored") {
  text_map m;
  m.reserve(100);
  CHECK(m.insert("a@b.jp", hash_text("a@b.jp"), 7) == 7);
  CHECK(m.insert("A@b.jp", hash_text("A@b.jp"), 8) == 8);  // keys are compared as written
  CHECK(*m.find("a@b.jp", hash_text("a@b.jp")) == 7);
}

TEST_CASE("id_map: numeric IDs, then texts, each keeping its first value") {
  id_map m;
  m.reserve(10);
  CHECK(m.insert("10001", 2) == 2);
  CHECK(m.insert("10002", 3) == 3);
  CHECK(m.insert("10001", 4) == 2);
  CHECK(m.find("010001") == nullptr);  // not the number 10001: another ID
  CHECK(m.insert("010001", 5) == 5);   // the index turns to texts here
  CHECK(m.insert("10001", 6) == 2);
  CHECK(*m.find("10002") == 3);
  CHECK(*m.find("010001") == 5);
  CHECK(m.find("A1") == nullptr);
  CHECK(m.size() == 3);
}
