// detail::parse_points: a whole number, optionally signed; the digits of a balance
// read by hand, anything longer by from_chars, with the same answers either way.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "generator.h"
#include "jobs/points/point_rows.h"

using kaiin::detail::parse_points;

TEST_CASE("parse_points: whole numbers with a sign, up to 18 digits read by hand") {
  CHECK(parse_points("0") == 0);
  CHECK(parse_points("4716") == 4716);
  CHECK(parse_points("+100") == 100);
  CHECK(parse_points("-100") == -100);
  CHECK(parse_points("007") == 7);
  CHECK(parse_points("999999999999999999") == 999999999999999999);
  CHECK(parse_points("-999999999999999999") == -999999999999999999);
  CHECK(parse_points("+-5") == -5);  // the '+' is dropped, then from_chars took "-5": kept so
}

TEST_CASE("parse_points: what is not a whole number is nullopt") {
  for (const char* bad : {"", "+", "-", "--5", "+ 5", " 5", "5 ", "1.5", "12a", "a12", "1e3", "１２", "-+5"})
    CHECK_MESSAGE(parse_points(bad) == std::nullopt, bad);
}

TEST_CASE("parse_points: 19 digits and more go through from_chars, which says what overflows") {
  CHECK(parse_points("9223372036854775807") == 9223372036854775807);
  CHECK(parse_points("-9223372036854775808") == INT64_MIN);
  CHECK(parse_points("9223372036854775808") == std::nullopt);
  CHECK(parse_points("1000000000000000000") == 1000000000000000000);
  CHECK(parse_points("12345678901234567x9") == std::nullopt);
}

namespace {

// Every row and finding of point CSV \p content as its reading thread makes them,
// one line a row: "number line key-as-written key points", "line column rule
// message". \p want_reason: as kaiin-points check reads it, a record at a time;
// diff takes plain lines in bulk.
std::vector<std::string> read_points(const std::string& content, bool want_reason) {
  kaiin::testing::temp_file file(content);
  int out_fd = ::open("/dev/null", O_WRONLY);
  kaiin::output_stream out(out_fd, "report");
  kaiin::diagnostics diag(out, kaiin::report_format::json, "kaiin-test");
  std::vector<kaiin::finding> header;
  auto source = kaiin::detail::open_point_csv(file.path, diag, header, want_reason);
  std::vector<std::string> seen;
  for (const kaiin::finding& f : header) seen.push_back(fmt::format("{} {}", f.rule, f.message));
  kaiin::detail::point_batch b;
  for (bool more = true; more;) {
    b.clear();
    more = source->fill(b);
    std::size_t reported = 0;
    auto report_up_to = [&](std::size_t end) {
      for (; reported < end; ++reported) {
        const kaiin::finding& f = b.read.findings[reported];
        seen.push_back(fmt::format("{} {} {} {}", f.line, f.column.value_or("-"), f.rule, f.message));
      }
    };
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      report_up_to(b.read.before[i]);
      const kaiin::detail::point_row& r = b.rows[i];
      seen.push_back(fmt::format("{} {} {} {} {}", r.number, r.line, b.get(r.key_text_at, r.key_text_size),
                                 b.get(r.key_at, r.key_size), r.points ? std::to_string(*r.points) : "none"));
    }
    report_up_to(b.read.findings.size());
  }
  ::close(out_fd);
  return seen;
}

}  // namespace

TEST_CASE("point CSV rows: the plain lines diff takes in bulk read as check reads them a record at a time") {
  // Plain lines around every kind of line the bulk reading leaves to the record
  // reader: quoted, ragged, empty, a bare CR, a NUL, a bad byte, a line break in a
  // value, a key or points not ASCII; with IDs and with e-mail keys, CP932, CRLF
  // and LF, and enough rows to fill several batches.
  const std::string odd[] = {"\"11\",6,x",
                             "12,abc,x",
                             ",7,x",
                             "\x82\x50\x82\x51,8,x",
                             "14,9,\x81\x20",
                             std::string("15,1,a\0b", 8),
                             "16,2,a\rb",
                             "17,3,x,y",
                             "18",
                             "",
                             "19,4,\"a\r\nb\"",
                             "20,+5,\x8E\x63",
                             "21,\x82\x50,x",
                             "22,-3,"};
  for (const std::string key : {"member_id", "email"}) {
    std::string content = key + ",points,reason\r\n";
    for (int i = 0; i < 10000; ++i) {
      std::string id = key == "member_id" ? std::to_string(100 + i) : "User" + std::to_string(i) + "@Example.jp";
      content += id + "," + std::to_string(i % 700 - 20) + ",\x8E\x63\x8D\x82" + (i % 5 ? "\r\n" : "\n");
      if (i % 997 == 0)
        for (const std::string& line : odd) content += line + "\r\n";
    }
    content += "99,1,last";  // no newline at the end
    CAPTURE(key);
    const std::vector<std::string> bulk = read_points(content, false), each = read_points(content, true);
    CHECK(bulk.size() > 10000 + 11 * 14);
    CHECK(bulk == each);
  }
}
