#include "core/output_set.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

using namespace kaiin;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    char templ[] = "/tmp/kaiin-outputs-XXXXXX";
    REQUIRE(mkdtemp(templ));
    path = templ;
  }
  ~temp_dir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// Runs \p body with a text report written to a file of \p dir; returns the report.
template <class F>
std::string report(const temp_dir& dir, F body) {
  const std::string path = dir.path + "/report.txt";
  {
    atomic_output out(path);
    diagnostics diag(out.stream(), report_format::text, "kaiin-test");
    body(diag);
    diag.finish();
    out.commit();
  }
  return read_file(path);
}

}  // namespace

TEST_CASE("commit_unless_errors: with errors nothing appears, and the summary says so") {
  temp_dir dir;
  int status = -1;
  std::string text = report(dir, [&](diagnostics& diag) {
    output_set outputs;
    outputs.add(dir.path + "/a.csv").write("a\n");
    outputs.add(dir.path + "/b.csv").write("b\n");
    diag.report({"in.csv", 1, 2, std::nullopt, severity::error, "test-error", "bad"});
    status = commit_unless_errors(outputs, diag, "output");
  });
  CHECK(status == 1);
  CHECK_FALSE(exists(dir.path + "/a.csv"));
  CHECK_FALSE(exists(dir.path + "/b.csv"));
  CHECK(text.find("output none (errors found)") != std::string::npos);
}

TEST_CASE("commit_unless_errors: without errors every output appears; warnings do not stop it") {
  temp_dir dir;
  int status = -1;
  std::string text = report(dir, [&](diagnostics& diag) {
    output_set outputs;
    outputs.add(dir.path + "/a.csv").write("a\n");
    outputs.add(dir.path + "/b.csv").write("b\n");
    diag.report({"in.csv", 1, 2, std::nullopt, severity::warning, "test-warning", "odd"});
    status = commit_unless_errors(outputs, diag, "output");
  });
  CHECK(status == 0);
  CHECK(read_file(dir.path + "/a.csv") == "a\n");
  CHECK(read_file(dir.path + "/b.csv") == "b\n");
  CHECK(text.find("none") == std::string::npos);
}

TEST_CASE("commit_unless_errors on a single output: without a key, nothing is added to the summary") {
  temp_dir dir;
  int status = -1;
  std::string text = report(dir, [&](diagnostics& diag) {
    atomic_output out(dir.path + "/one.csv");
    out.stream().write("x\n");
    diag.report({"in.csv", 1, 2, std::nullopt, severity::error, "test-error", "bad"});
    status = commit_unless_errors(out, diag);
  });
  CHECK(status == 1);
  CHECK_FALSE(exists(dir.path + "/one.csv"));
  CHECK(text.find("none") == std::string::npos);
}

TEST_CASE("numbered_files: a new file at the row limit, the preamble in each, named from 001") {
  temp_dir dir;
  {
    output_set outputs;
    numbered_files files(outputs, dir.path, "adjust", "h\r\n", 2, 0);
    for (const char* row : {"1\r\n", "2\r\n", "3\r\n"}) files.add(row);
    REQUIRE(files.files().size() == 2);
    CHECK(files.files()[0] == std::pair<std::string, std::uint64_t>{"adjust.001.csv", 2});
    CHECK(files.files()[1] == std::pair<std::string, std::uint64_t>{"adjust.002.csv", 1});
    CHECK(numbered_file_name("adjust", 3) == "adjust.003.csv");
    outputs.commit();
  }
  CHECK(read_file(dir.path + "/adjust.001.csv") == "h\r\n1\r\n2\r\n");
  CHECK(read_file(dir.path + "/adjust.002.csv") == "h\r\n3\r\n");
}

TEST_CASE("numbered_files: the byte limit counts the preamble, and a record never fits alone when too large") {
  temp_dir dir;
  output_set outputs;
  numbered_files files(outputs, dir.path, "m", "hh\n", 0, 8);  // 3 bytes of preamble, 5 left a file
  CHECK(files.fits("1234\n"));
  CHECK_FALSE(files.fits("12345\n"));
  files.add("12\n");
  files.add("34\n");  // 3 + 3 + 3 > 8: a second file
  CHECK(files.files().size() == 2);
  outputs.discard();
}
