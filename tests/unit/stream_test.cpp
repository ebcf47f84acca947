// The streaming layers (CSV reader, CP932 decoding, UTF-8 validation, the
// decoding byte source) give the same output whatever the read sizes are.

#include <doctest/doctest.h>

#include <string>

#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/encoding.h"
#include "kaiin/io.h"

using namespace kaiin;

namespace {

struct collect : problem_sink {
  std::string seen;
  void on_problem(const coding_problem& p) override {
    seen += std::to_string(p.kind) + "@" + std::to_string(p.offset) + ";";
  }
};

// Every record decoded from CP932 to UTF-8, newline kept, and the problems.
std::string convert_all(std::string_view cp932, std::size_t chunk) {
  memory_source src(cp932, chunk);
  csv_reader reader(src);
  raw_record r;
  std::string out;
  collect sink;
  while (reader.next(r)) {
    decode_cp932(r.text, out, sink);
    out.append(r.newline);
    out += "|" + std::to_string(r.line) + "|" + std::to_string(r.problems.size()) + "|";
  }
  return out + sink.seen;
}

// A CP932 member file with what is hard for a splitter: lead bytes next to record
// and field boundaries, quoted newlines, a 外字, an invalid byte, trail bytes 5C/7C.
const std::string tricky =
    "control,cus_id,cus_memo\r\n"
    "n,1,\"\x83\x5C\x83\x7C,\r\n\x94\x5C\"\r\n"       // ソポ,<CRLF>能 : trail bytes \ and |
    "u,2,\x82\xA0\x82\xA2\x82\xA4\r\n"                // あいう
    "u,3,\"\x8D\x82\"\"\xFB\xFC\"\"\"\r\n"            // 高"髙"
    "u,4,\xF0\x40\xB1\xB2\r\n"                        // 外字, ｱｲ
    "d,5,bad\x80here\r\n"
    "u,6,\x82";                                        // a cut lead byte at the very end

}  // namespace

TEST_CASE("CSV reading and CP932 decoding are the same for every read size") {
  const std::string whole = convert_all(tricky, SIZE_MAX);
  CHECK(whole.find(std::to_string(coding_problem::eudc) + "@") != std::string::npos);  // 外字 seen
  for (std::size_t chunk = 1; chunk <= tricky.size(); ++chunk) {
    CHECK_MESSAGE(convert_all(tricky, chunk) == whole, "chunk " << chunk);
  }
}

TEST_CASE("finding the first invalid byte is the same for every read size") {
  for (encoding e : {encoding::cp932, encoding::utf8}) {
    memory_source whole_src(tricky);
    auto whole = find_invalid(whole_src, e);
    REQUIRE(whole);
    for (std::size_t chunk = 1; chunk <= tricky.size(); ++chunk) {
      memory_source src(tricky, chunk);
      auto got = find_invalid(src, e);
      REQUIRE(got);
      CHECK(got->offset == whole->offset);
      CHECK(got->line == whole->line);
      CHECK(got->column == whole->column);
    }
  }
}
