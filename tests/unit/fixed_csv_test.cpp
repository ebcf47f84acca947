#include "core/fixed_column_csv.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

TEST_CASE("decoding_source ends what it hands out with a NUL, never a stale newline") {
  // fast-cpp-csv-parser reads the byte after the data before it checks for the end:
  // a '\n' left there from an earlier file sent it past the end of its buffer.
  char path[] = "/tmp/kaiin-fixed-csv-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  const std::string text = "rank\nGOLD";  // no newline at the end
  REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fd);
  {
    kaiin::decoding_source in(path);
    std::string buffer(64, '\n');
    const int n = in.read(buffer.data(), 32);
    CHECK(buffer.substr(0, static_cast<std::size_t>(n)) == text);
    CHECK(buffer[static_cast<std::size_t>(n)] == '\0');
    CHECK(buffer[33] == '\n');  // nothing past what was asked for is touched
  }
  unlink(path);
}
