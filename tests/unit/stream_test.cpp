// The streaming layers (CSV reader, CP932 decoding, UTF-8 validation, the
// decoding byte source) give the same output whatever the read sizes are.

#include <doctest/doctest.h>

#include <string>

#include "generator.h"
#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/encoding.h"
#include "kaiin/io.h"

using namespace kaiin;
using kaiin::testing::tricky_cp932;

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

// The CP932 file of generator.h, hard for a splitter.
const std::string& tricky = tricky_cp932;

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
