#include "kaiin/detect.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "core/fixed_column_csv.h"
#include "generator.h"

using namespace kaiin;
using kaiin::testing::temp_file;

namespace {

detection detect(std::string_view content, source_encoding from = source_encoding::auto_detect) {
  temp_file f(content);
  file_source src(f.path);
  return detect_encoding(src, from);
}

}  // namespace

TEST_CASE("detection: BOM, else whole-file UTF-8, else CP932 (decoded strictly later)") {
  CHECK(detect("\xEF\xBB\xBF"
               "a,b\n")
            .enc == encoding::utf8_bom);
  CHECK(detect("a,b\n").enc == encoding::utf8);
  CHECK(detect("").enc == encoding::utf8);
  CHECK(detect("名前\n").enc == encoding::utf8);
  CHECK(detect("\x96\xBC\x91\x4F\n").enc == encoding::cp932);  // 名前 in CP932
  // Valid UTF-8 at the start does not decide: the whole input does.
  std::string late = "\xC3\xA9" + std::string(3 << 20, 'x') + "\x82\xA0";
  CHECK(detect(late).enc == encoding::cp932);
  auto bad = detect("ok\nab\xFF\n");
  CHECK(bad.enc == encoding::cp932);
  REQUIRE(bad.not_utf8);
  CHECK(bad.not_utf8->line == 2);
  CHECK(bad.not_utf8->column == 3);
  CHECK(bad.not_utf8->offset == 5);
  CHECK_FALSE(detect("ok\n").not_utf8);
}

TEST_CASE("a forced encoding skips the scan; the BOM is still stepped over") {
  CHECK(detect("\x96\xBC", source_encoding::utf8).enc == encoding::utf8);
  CHECK(detect("\xEF\xBB\xBF"
               "a",
               source_encoding::utf8)
            .data_start() == 3);
  CHECK(detect("a", source_encoding::cp932).enc == encoding::cp932);
}

TEST_CASE("find_invalid gives line and column of the first bad byte, across chunks") {
  std::string text = std::string(1 << 20, 'a') + "\n" + "xy" + "\xE3\x81";  // cut at the end
  memory_source src(text, 4096);
  auto at = find_invalid(src, encoding::utf8);
  REQUIRE(at);
  CHECK(at->line == 2);
  CHECK(at->column == 3);
  CHECK(at->offset == (1u << 20) + 3);
}

TEST_CASE("the decoding byte source hands fast-cpp-csv-parser UTF-8 from CP932") {
  temp_file f("from,to\n\x87\x40,(1)\n\xFB\xFC,\x8D\x82\n");  // ①,(1) and 髙,高
  auto in = open_fixed_csv<2>(f.path);
  in->read_header(io::ignore_no_column, "from", "to");
  std::string from, to;
  REQUIRE(in->read_row(from, to));
  CHECK(from == "①");
  CHECK(to == "(1)");
  REQUIRE(in->read_row(from, to));
  CHECK(from == "髙");
  CHECK(to == "高");
}

TEST_CASE("the decoding byte source hands fast-cpp-csv-parser a whole file of many chunks") {
  // Several megabytes in CP932: fast-cpp-csv-parser takes a short first read for the
  // end of the file, so every row must come through.
  std::string text = "from,to\n";
  for (int i = 0; i < 200000; ++i) text += std::to_string(i) + ",\x82\xA0\n";  // n,あ
  temp_file f(text);
  auto in = open_fixed_csv<2>(f.path);
  in->read_header(io::ignore_no_column, "from", "to");
  std::string from, to;
  int rows = 0;
  while (in->read_row(from, to)) {
    CHECK_MESSAGE(from == std::to_string(rows), "row " << rows);
    ++rows;
  }
  CHECK(rows == 200000);
  CHECK(to == "あ");
}

namespace {

// The line and message of the error reading the two-column CSV file \p path with
// the decoding byte source ends in; {0, ""} when it reads to its end.
std::pair<std::uint64_t, std::string> reading_error(const std::string& path) {
  try {
    auto in = open_fixed_csv<2>(path);
    in->read_header(io::ignore_no_column, "a", "b");
    std::string a, b;
    while (in->read_row(a, b)) {
    }
  } catch (const error& e) {
    return {e.line(), e.what()};
  }
  return {0, ""};
}

}  // namespace

TEST_CASE("the decoding byte source refuses NUL bytes and bad bytes with their line") {
  // (A NUL among a few lines of text: a damaged value, not a file that is not text.)
  std::string text = "a,b\n";
  for (int i = 0; i < 10; ++i) text += "x,y\n";
  temp_file nul(text + std::string("1,\0\n", 4));
  auto [line, message] = reading_error(nul.path);
  CHECK(line == 12);
  CHECK(message.find("NUL") != std::string::npos);
}

TEST_CASE("the decoding byte source says where the text ends when zeros begin inside a line") {
  // The zeros begin 96 bytes before the end of a block, which is then still text;
  // the line they cut is where reading stops, not a NUL byte of a value.
  std::string text = "a,b\n";
  for (int i = 0; i < 1100; ++i) text += "x,y\n";
  text += "1," + std::string(8096 - text.size() - 2, 'x');
  temp_file zeros(text + std::string(8000, '\0'));
  auto [line, message] = reading_error(zeros.path);
  CHECK(line == 1102);
  CHECK(message.find("reading stopped at line 1102") != std::string::npos);
}

TEST_CASE("fast-cpp-csv-parser's errors come out in kaiin's words, with the line") {
  temp_file f("from,to\na,b,c\n");
  char_map map;
  try {
    map.add_file(f.path);
    FAIL("no error");
  } catch (const error& e) {
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()).find("too many columns") != std::string::npos);
  }
  temp_file two("𠮷,吉\nab,c\n");
  try {
    map.add_file(two.path);
    FAIL("no error");
  } catch (const error& e) {
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()).find("exactly one character") != std::string::npos);
  }
}
