// detail::order_spool: kaiin-crm's orders' first rows kept in a temporary file and
// read back in order, one at a time or a batch at a time, across its buffer's ends.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "jobs/crm/crm_spool.h"

using kaiin::order_row;
using kaiin::detail::order_spool;

namespace {

// The values of row n: lengths that vary, so that rows straddle the 1 MiB a refill
// reads; row 7 holds an address longer than the buffer.
struct values {
  std::string member_id, email, order_id, ordered_at, total, used_points;
};
values values_of(std::size_t n) {
  values v{std::to_string(10001 + n),     "user" + std::to_string(n) + "@example.jp",
           "O-" + std::to_string(n),      "2026/11/29 10:00:00",
           std::to_string(n * 7 % 10000), n % 3 ? std::to_string(n % 500) : ""};
  if (n % 5 == 0) v.member_id.clear();  // a guest order
  if (n % 11 == 0) v.email += std::string(n % 300, 'x');
  if (n == 7) v.email = std::string(3 << 20, 'a') + "@example.jp";
  return v;
}

void check(const order_row& row, std::size_t n) {
  const values v = values_of(n);
  CHECK(row.record == 2 * n + 1);
  CHECK(row.line == 3 * n + 2);
  CHECK(row.member_id == v.member_id);
  CHECK(row.email == v.email);
  CHECK(row.mobile_email.empty());
  CHECK(row.order_id == v.order_id);
  CHECK(row.ordered_at == v.ordered_at);
  CHECK(row.total == v.total);
  CHECK(row.used_points == v.used_points);
}

void fill(order_spool& spool, std::size_t rows) {
  for (std::size_t n = 0; n < rows; ++n) {
    const values v = values_of(n);
    order_row row;
    row.record = 2 * n + 1;
    row.line = 3 * n + 2;
    row.member_id = v.member_id;
    // The address the order was placed with is kept: the PC one, else the mobile one.
    (n % 2 ? row.email : row.mobile_email) = v.email;
    row.order_id = v.order_id;
    row.ordered_at = v.ordered_at;
    row.total = v.total;
    row.used_points = v.used_points;
    spool.add(row);
  }
}

}  // namespace

TEST_CASE("order_spool gives back every row kept, in order, one at a time") {
  constexpr std::size_t rows = 40'000;  // some 2.5 MiB besides row 7's 3 MiB
  order_spool spool;
  fill(spool, rows);
  CHECK(spool.size() == rows);
  spool.rewind();
  order_row row;
  std::size_t n = 0;
  while (spool.next(row)) {
    CAPTURE(n);
    REQUIRE(n < rows);
    check(row, n++);
  }
  CHECK(n == rows);
  CHECK_FALSE(spool.next(row));
}

TEST_CASE("order_spool gives back every row kept a batch at a time, each batch's views intact") {
  constexpr std::size_t rows = 40'000;
  order_spool spool;
  fill(spool, rows);
  spool.rewind();
  std::vector<order_row> batch;
  std::size_t n = 0, batches = 0;
  while (std::size_t got = spool.next_batch(batch, 32)) {
    REQUIRE(got == batch.size());
    REQUIRE(got <= 32);
    ++batches;
    for (const order_row& row : batch) {  // checked once the whole batch is out
      CAPTURE(n);
      REQUIRE(n < rows);
      check(row, n++);
    }
  }
  CHECK(n == rows);
  CHECK(batches >= rows / 32);
  CHECK(spool.next_batch(batch, 32) == 0);
  CHECK(batch.empty());
}

TEST_CASE("an empty order_spool gives back nothing") {
  order_spool spool;
  spool.rewind();
  order_row row;
  CHECK_FALSE(spool.next(row));
  std::vector<order_row> batch;
  CHECK(spool.next_batch(batch, 32) == 0);
}
