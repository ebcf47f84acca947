// kaiin-conv's reading thread (record_stream.h): records copied into batches reach
// the caller whole and in order, a record bigger than a batch among them; a failure
// of the reading thread reaches the caller after the records read before it; an
// early stop leaves nothing running.

#include "core/record_stream.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kaiin/io.h"

using namespace kaiin;
using namespace kaiin::detail;

namespace {

// What a caller sees of one record: its number, line, offset, text, newline and fields.
std::string seen(const raw_record& r) {
  std::string s = std::to_string(r.number) + "@" + std::to_string(r.line) + "+" + std::to_string(r.offset) + ":" +
                  std::string(r.text) + "|" + std::string(r.newline) + "|";
  for (std::size_t i = 0; i < r.fields.size(); ++i) s += std::string(r.raw(i)) + (r.fields[i].quoted ? "q;" : ";");
  return s + std::to_string(r.problems.size());
}

// Several batches of records: quoted newlines, CRLF and LF, a record larger than a
// batch, a ragged record, and a last record without a newline.
std::string several_batches() {
  std::string text = "id,memo\r\n";
  for (int i = 1; i <= 30000; ++i) {
    text += std::to_string(i) + ",\"memo " + std::to_string(i) + "\r\nsecond line\"" + (i % 3 ? "\r\n" : "\n");
    if (i == 12345) text += "big,\"" + std::string(raw_batch::full_bytes + 1000, 'x') + "\"\r\n";
    if (i == 20000) text += "ragged,1,2\r\n";
  }
  return text + "last,record";
}

// A byte source that fails once it has handed out \p fail_after bytes.
struct failing_source : byte_source {
  memory_source inner;
  std::size_t left;
  failing_source(std::string_view data, std::size_t fail_after) : inner(data, 4096), left(fail_after) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (left == 0) throw std::runtime_error("the disk failed");
    std::size_t n = inner.read(buffer, std::min(size, left));
    left -= n;
    return n;
  }
  const std::string& name() const override { return inner.name(); }
};

// Every record of \p source through for_each_record.
std::vector<std::string> streamed(byte_source& source, bool threaded) {
  csv_reader reader(source);
  std::vector<std::string> records;
  for_each_record([&](raw_record& r) { return reader.next(r); }, threaded,
                  [&](const raw_record& r) {
                    records.push_back(seen(r));
                    return true;
                  });
  return records;
}

}  // namespace

TEST_CASE("records reach the caller whole and in order through the reading thread, as without it") {
  const std::string text = several_batches();
  memory_source plain(text, 1 << 16);
  memory_source copied(text, 1 << 16);
  const std::vector<std::string> expected = streamed(plain, false);
  REQUIRE(expected.size() == 1 + 30000 + 2 + 1);
  CHECK(expected[12346].size() > raw_batch::full_bytes);
  CHECK(expected.back() == "30003@60004+" + std::to_string(text.size() - 11) + ":last,record||last;record;0");
  CHECK(streamed(copied, true) == expected);
}

TEST_CASE("records are read on a thread of their own only when asked") {
  for (bool threaded : {false, true}) {
    memory_source src("a\n1\n");
    csv_reader reader(src);
    std::thread::id read_on;
    for_each_record(
        [&](raw_record& r) {
          read_on = std::this_thread::get_id();
          return reader.next(r);
        },
        threaded, [](const raw_record&) { return true; });
    CHECK((read_on != std::this_thread::get_id()) == threaded);
  }
}

TEST_CASE("a failure of the reading thread reaches the caller after the records read before it") {
  const std::string text = several_batches();
  const std::size_t fail_after = 3 * raw_batch::full_bytes + 5000;
  for (bool threaded : {false, true}) {
    CAPTURE(threaded);
    failing_source src(text, fail_after);
    csv_reader reader(src);
    std::vector<std::string> records;
    auto run = [&] {
      for_each_record([&](raw_record& r) { return reader.next(r); }, threaded,
                      [&](const raw_record& r) {
                        records.push_back(seen(r));
                        return true;
                      });
    };
    CHECK_THROWS_WITH_AS(run(), "the disk failed", std::runtime_error);
    // Every record that ended before the failure, and no other.
    memory_source whole(text);
    csv_reader all_reader(whole);
    std::vector<std::string> before;
    for (raw_record r; all_reader.next(r) && r.offset + r.text.size() + r.newline.size() <= fail_after;)
      before.push_back(seen(r));
    CHECK(before.size() > 100);
    CHECK(records == before);
  }
}

TEST_CASE("a caller that stops early stops the reading thread") {
  const std::string text = several_batches();
  for (bool threaded : {false, true}) {
    memory_source src(text, 1 << 16);
    csv_reader reader(src);
    int taken = 0;
    for_each_record([&](raw_record& r) { return reader.next(r); }, threaded,
                    [&](const raw_record&) { return ++taken < 10; });
    CHECK(taken == 10);
  }
}
