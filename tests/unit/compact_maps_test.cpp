// The compact maps kaiin-check's key tables are made of (compact.h): a key keeps
// the value it was first stored with, through the index's growth, and IDs that are
// numbers and IDs that are not are told apart as texts are.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "checker/key_tables.h"
#include "core/compact.h"
#include "generator.h"

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

TEST_CASE("email_map: keys by domain byte and local part, past 255 domains, and through growth") {
  email_map m;  // no reserve: the index grows, rehashing keys from their stored form
  std::string scratch;
  auto key = [](int i) { return "u" + std::to_string(i) + "@d" + std::to_string(i % 300) + ".jp"; };
  for (int i = 0; i < 3000; ++i) CHECK(m.insert(key(i), hash_text(key(i)), i + 2) == static_cast<unsigned>(i + 2));
  for (int i = 0; i < 3000; i += 7) {
    const std::uint32_t* v = m.find(key(i), hash_text(key(i)), scratch);
    REQUIRE(v != nullptr);
    CHECK(*v == static_cast<unsigned>(i + 2));
  }
  // Domains past the 255th are kept whole; the same key is found either way.
  CHECK(m.insert("u299@d299.jp", hash_text("u299@d299.jp"), 1) == 301);
  CHECK(m.insert("u5@d5.jp", hash_text("u5@d5.jp"), 1) == 7);
  // A local part that is another key's domain, keys without '@' or with two.
  for (std::string k : {"d5.jp", "@d5.jp", "u5@", "a@b@d5.jp", "u5@d5.j"})
    CHECK(m.find(k, hash_text(k), scratch) == nullptr);
  CHECK(m.insert("nodomain", hash_text("nodomain"), 9) == 9);
  CHECK(m.insert("a@b@d5.jp", hash_text("a@b@d5.jp"), 10) == 10);
  CHECK(*m.find("nodomain", hash_text("nodomain"), scratch) == 9);
  CHECK(*m.find("a@b@d5.jp", hash_text("a@b@d5.jp"), scratch) == 10);
  CHECK(m.size() == 3002);
}

TEST_CASE("bit_set: the entries not set, in order, below any size, as a bit at a time finds them") {
  kaiin::testing::generator g(11);
  for (std::size_t size : {0, 1, 63, 64, 65, 1000, 4097}) {
    CAPTURE(size);
    bit_set bits;
    std::vector<bool> model(size + 200, false);
    for (std::size_t k = 0; k < size; ++k) {
      const std::size_t i = g.below(size + 200);  // some past size: they grow the set, never show
      bits.set(i);
      model[i] = true;
    }
    std::vector<std::size_t> unset, expected;
    bits.each_unset(size, [&](std::size_t i) { unset.push_back(i); });
    for (std::size_t i = 0; i < size; ++i) {
      CHECK(bits.test(i) == model[i]);
      if (!model[i]) expected.push_back(i);
    }
    CHECK(unset == expected);
    CHECK_FALSE(bits.test(size + 100000));
  }
}
