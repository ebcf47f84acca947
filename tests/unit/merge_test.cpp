// The decisions of a merge (spec §6, 会員統合): which members form a group, and the
// member kaiin suggests keeping.
#include "members/merge.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace kaiin::detail;

TEST_CASE("activity_of: a date and time as a number that grows with time, 0 when it is not one") {
  CHECK(activity_of("2024/03/01 10:00:00") == 20240301100000u);
  CHECK(activity_of("2024-03-01 10:00:00") == 20240301100000u);
  CHECK(activity_of("2024/03/01") == 20240301000000u);  // a date alone is its midnight
  CHECK(activity_of("2024/03/01") < activity_of("2024/03/01 00:00:01"));
  CHECK(activity_of("") == 0);
  CHECK(activity_of("2024/3/1") == 0);                        // 6 digits: not a date kaiin can order
  CHECK(activity_of("2024/03/01 10:00") == 20240301100000u);  // to the minute
  CHECK(activity_of("令和6年3月1日") == 0);
}

TEST_CASE("survivor: the most recent activity first") {
  std::vector<merge_candidate> members = {{1, 20240101000000, 500}, {2, 20240301000000, 0}, {3, 0, 9000}};
  CHECK(survivor(members, {0, 1, 2}) == 1);
  CHECK(survivor(members, {0, 2}) == 0);  // no activity known loses to any
}

TEST_CASE("survivor: on the same activity the larger balance, then the member first in the file") {
  std::vector<merge_candidate> members = {
      {1, 20240101000000, 100}, {2, 20240101000000, 300}, {3, 20240101000000, 300}, {4, 0, 0}, {5, 0, 0}};
  CHECK(survivor(members, {0, 1, 2}) == 1);
  CHECK(survivor(members, {2, 1}) == 1);  // the group's order does not matter: the file's does
  CHECK(survivor(members, {3, 4}) == 3);
}

TEST_CASE("merge_groups: sets of two or more, members in file order, groups by their first member") {
  disjoint_sets sets;
  for (int i = 0; i < 7; ++i) CHECK(sets.add() == static_cast<std::uint32_t>(i));
  sets.join(5, 1);  // 1 and 5 share an address
  sets.join(4, 2);
  sets.join(6, 4);           // a chain: 2, 4 and 6
  CHECK(sets.find(6) == 2);  // the earliest member heads the set
  CHECK(merge_groups(sets) == std::vector<std::vector<std::uint32_t>>{{1, 5}, {2, 4, 6}});
}

TEST_CASE("merge_groups: none without shared addresses") {
  disjoint_sets sets;
  sets.add();
  sets.add();
  CHECK(merge_groups(sets).empty());
  disjoint_sets empty;
  CHECK(merge_groups(empty).empty());
}

TEST_CASE("exact_groups: a group joined by fingerprints splits where no address links its members") {
  // Group {1, 4, 7, 9}: 1 and 7 share a@x, 4 and 9 share b@x (a fingerprint of
  // a@x and one of b@x colliding would have joined all four); group {2, 3} shares
  // nothing at all, group {5, 6, 8} is a chain through a mobile address.
  std::vector<std::vector<std::uint32_t>> candidates = {{1, 4, 7, 9}, {2, 3}, {5, 6, 8}};
  std::vector<std::vector<address_keys>> keys = {{{"a@x", ""}, {"b@x", ""}, {"a@x", ""}, {"c@x", "b@x"}},
                                                 {{"d@x", ""}, {"e@x", ""}},
                                                 {{"f@x", "g@x"}, {"h@x", "f@x"}, {"", "h@x"}}};
  CHECK(exact_groups(candidates, keys) == std::vector<std::vector<std::uint32_t>>{{1, 7}, {4, 9}, {5, 6, 8}});
  CHECK(exact_groups({}, {}).empty());
}
