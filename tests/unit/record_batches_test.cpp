// The reading thread of kaiin-crosspoint and kaiin-points (record_batches.h): rows
// and the findings of reading them in record order across batches, with and without
// the thread; a failure of the reading thread reaching the caller; an early stop.

#include "core/record_batches.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "generator.h"
#include "kaiin/io.h"

using namespace kaiin;
using namespace kaiin::detail;

namespace {

// Rows numbered from 1, seven a batch; before each row divisible by 5 the reading
// thread finds "read N", and after the last row "read end".
struct numbered_batch {
  ordered_findings read;
  std::vector<int> rows;
  void clear() {
    read.clear();
    rows.clear();
  }
};

struct numbered_source {
  explicit numbered_source(int rows, int fail = 0) : total(rows), fail_at(fail) {}
  int total;        // rows; -1: no end
  int fail_at = 0;  // throws instead of reading this row (0: never)
  int read = 0;     // rows read so far
  int stopped = 0;  // times the reading thread said it stopped
  std::thread::id filled_on;
  static finding note(std::string message) { return {"in.csv", 0, 1, std::nullopt, severity::warning, "t", message}; }
  bool fill(numbered_batch& b) {
    filled_on = std::this_thread::get_id();
    while (b.rows.size() < 7) {
      if (total >= 0 && read == total) {
        b.read.findings.push_back(note("read end"));
        return false;
      }
      ++read;
      if (read == fail_at) throw std::runtime_error("the disk failed");
      if (read % 5 == 0) b.read.findings.push_back(note("read " + std::to_string(read)));
      b.read.mark_row();
      b.rows.push_back(read);
    }
    return true;
  }
  batch_reader<numbered_batch> reader(bool threaded) {
    return batch_reader<numbered_batch>([this](numbered_batch& b) { return fill(b); }, threaded, [this] { ++stopped; });
  }
};

// The messages of a report, in order.
struct report_file {
  testing::temp_file file{""};
  int fd = ::open(file.path.c_str(), O_WRONLY | O_TRUNC);
  output_stream out{fd, "report"};
  diagnostics diag{out, report_format::text, "kaiin-test"};
  report_file() { diag.set_list_all(true); }
  std::vector<std::string> messages() {
    diag.flush();
    std::ifstream in(file.path);
    std::vector<std::string> found;
    for (std::string line; std::getline(in, line);) {
      auto at = line.find("warning: ");
      if (at != std::string::npos) found.push_back(line.substr(at + 9, line.find(" [") - at - 9));
    }
    return found;
  }
};

// Takes every row, reporting "row N" for each row divisible by 5 after what the
// reading thread found before it.
std::vector<int> take_all(batch_reader<numbered_batch>& reader, diagnostics& diag) {
  std::vector<int> rows;
  while (numbered_batch* b = reader.next()) {
    for (std::size_t i = 0; i < b->rows.size(); ++i) {
      b->read.report_before(i, diag);
      rows.push_back(b->rows[i]);
      if (b->rows[i] % 5 == 0) diag.report(numbered_source::note("row " + std::to_string(b->rows[i])));
    }
    b->read.report_rest(diag);
  }
  return rows;
}

}  // namespace

TEST_CASE("rows and the findings of reading them come in record order across batches, with and without the thread") {
  for (bool threaded : {false, true}) {
    CAPTURE(threaded);
    numbered_source source(100);
    report_file report;
    std::vector<int> rows;
    {
      auto reader = source.reader(threaded);
      rows = take_all(reader, report.diag);
      CHECK(reader.next() == nullptr);  // and stays at the end
    }
    std::vector<int> expected_rows;
    std::vector<std::string> expected;
    for (int n = 1; n <= 100; ++n) {
      expected_rows.push_back(n);
      if (n % 5) continue;
      expected.push_back("read " + std::to_string(n));
      expected.push_back("row " + std::to_string(n));
    }
    expected.push_back("read end");
    CHECK(rows == expected_rows);
    CHECK(report.messages() == expected);
    CHECK(source.stopped == 1);
  }
}

TEST_CASE("the threaded reader fills its batches on a thread of its own, the other on the caller's") {
  for (bool threaded : {false, true}) {
    numbered_source source(30);
    report_file report;
    auto reader = source.reader(threaded);
    take_all(reader, report.diag);
    CHECK((source.filled_on != std::this_thread::get_id()) == threaded);
  }
}

TEST_CASE("a failure of the reading thread reaches the caller after the rows read before it") {
  for (bool threaded : {false, true}) {
    CAPTURE(threaded);
    numbered_source source(100, 40);
    report_file report;
    auto reader = source.reader(threaded);
    std::vector<int> rows;
    std::string failure;
    try {
      rows = take_all(reader, report.diag);
    } catch (const std::runtime_error& e) {
      failure = e.what();
    }
    CHECK(failure == "the disk failed");
    CHECK(source.read == 40);
    CHECK(source.stopped == 1);
    CHECK(report.messages().back() == "row 35");  // every row of the batches filled before it
  }
}

TEST_CASE("stopping early, or leaving, ends a reading thread that would read forever") {
  for (bool threaded : {false, true}) {
    CAPTURE(threaded);
    numbered_source source(-1);
    {
      auto reader = source.reader(threaded);
      REQUIRE(reader.next() != nullptr);
      REQUIRE(reader.next() != nullptr);
      reader.stop();
      CHECK(reader.next() == nullptr);
      CHECK(source.stopped == 1);
    }
    CHECK(source.stopped == 1);
    numbered_source left(-1);
    {
      auto reader = left.reader(threaded);
      REQUIRE(reader.next() != nullptr);
    }  // the destructor stops it
    CHECK(left.stopped == 1);
    CHECK(left.read < 100);  // a few batches in circulation, not the whole input
  }
}
