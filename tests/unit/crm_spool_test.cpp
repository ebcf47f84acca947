// detail::order_spool and record_spool: kaiin-crm's orders' first rows and member
// records kept in a temporary file and read back in order, one at a time or a batch
// at a time, across its buffer's ends.

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

namespace {

// Record n as csv_reader would give it: fields of varying number and length, some
// quoted or escaped, and records longer than 64 KiB (four-byte offsets) and than the
// 1 MiB a refill reads.
kaiin::raw_record record_of(std::size_t n, std::string& text) {
  kaiin::raw_record r;
  text.clear();
  const std::size_t fields = 1 + n % 23;
  for (std::size_t i = 0; i < fields; ++i) {
    if (i) text += ',';
    const bool quoted = (n + i) % 3 == 0, escaped = quoted && (n + i) % 2 == 0;
    if (quoted) text += '"';
    const std::size_t begin = text.size();
    text += "v" + std::to_string(n) + "-" + std::to_string(i);
    if (escaped) text += "\"\"x";
    if (n % 97 == 1 && i == 0) text += std::string(70000, 'w');
    if (n == 500 && i == 0) text += std::string(3 << 20, 'z');
    r.fields.push_back({begin, text.size(), quoted, escaped});
    if (quoted) text += '"';
  }
  r.text = text;
  r.number = n + 1;
  r.line = 2 * n + 2;
  return r;
}

}  // namespace

TEST_CASE("record_spool gives back every record kept as it was read, with its number, twice over") {
  kaiin::detail::record_spool spool;
  std::string text;
  const std::size_t records = 3000;
  for (std::size_t n = 0; n < records; ++n) spool.add(static_cast<std::uint32_t>(7 * n), record_of(n, text));
  for (int pass = 0; pass < 2; ++pass) {  // read again from the start, as kaiin-crm does
    spool.rewind();
    kaiin::raw_record r;
    std::uint32_t number = 0;
    std::size_t n = 0;
    for (; spool.next(number, r); ++n) {
      const kaiin::raw_record want = record_of(n, text);
      REQUIRE(n < records);
      CHECK(number == 7 * n);
      CHECK(r.number == want.number);
      CHECK(r.line == want.line);
      CHECK(r.text == want.text);
      REQUIRE(r.fields.size() == want.fields.size());
      for (std::size_t i = 0; i < r.fields.size(); ++i) {
        CHECK(r.fields[i].begin == want.fields[i].begin);
        CHECK(r.fields[i].end == want.fields[i].end);
        CHECK(r.fields[i].quoted == want.fields[i].quoted);
        CHECK(r.fields[i].escaped == want.fields[i].escaped);
      }
      CHECK(r.newline.empty());
      CHECK_FALSE(r.malformed());
    }
    CHECK(n == records);
  }
}
