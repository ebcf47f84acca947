#include "core/progress.h"

#include <doctest/doctest.h>

#include <string>

using namespace kaiin::progress;

TEST_CASE("the line gives records, megabytes and both rates") {
  CHECK(describe(123456, 12'345'678, 0, 2'500'000, 40000.4) == "123456 records, 12.3 MB, 2.5 MB/s, 40000 records/s");
}

TEST_CASE("a known size puts the share read and the time left first") {
  // 50 MB of 100 MB read at 10 MB/s: 5 seconds to go.
  CHECK(describe(1000, 50'000'000, 100'000'000, 10'000'000, 200) ==
        "50%, 0:05 left, 1000 records, 50.0 MB, 10.0 MB/s, 200 records/s");
  // Hours once there are more than 59 minutes left.
  CHECK(describe(1, 1'000'000, 10'001'000'000, 1'000'000, 1).starts_with("0%, 2:46:40 left, "));
}

TEST_CASE("no time left without a rate, nor when more was read than the estimate") {
  CHECK(describe(0, 0, 1000, 0, 0) == "0%, 0 records, 0.0 MB, 0.0 MB/s, 0 records/s");
  CHECK(describe(5, 2000, 1000, 100, 1) == "5 records, 0.0 MB, 0.0 MB/s, 1 records/s");
}

TEST_CASE("Japanese characters take two columns of a terminal") {
  CHECK(display_width("records") == 7);
  CHECK(display_width("123件") == 5);
  CHECK(display_width("ｶﾅ") == 2);  // half-width katakana are narrow
  CHECK(display_width("残り 0:05") == 9);
}
