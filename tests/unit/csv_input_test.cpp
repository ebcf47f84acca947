#include "kaiin/csv_input.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "generator.h"

using namespace kaiin;

namespace {

// The place a finding's message gives: "line L, column C, byte offset O".
struct place {
  std::uint64_t line, column, offset;
  bool operator==(const place&) const = default;
};

std::vector<place> places_of(const std::vector<finding>& findings) {
  std::vector<place> out;
  static const std::regex re("line (\\d+), column (\\d+), byte offset (\\d+)");
  for (const finding& f : findings) {
    std::smatch m;
    if (std::regex_search(f.message, m, re)) out.push_back({std::stoull(m[1]), std::stoull(m[2]), std::stoull(m[3])});
  }
  return out;
}

}  // namespace

TEST_CASE("the places of many bad bytes in one long field: lines and character columns as an editor shows them") {
  // A quoted CP932 field over several lines, with a bad byte (0x80) every few
  // characters among double-byte ones (あ = 82 A0) and ASCII: each finding's place
  // is counted from the start of its own line.
  std::string field;
  std::vector<place> expected;
  const std::string header = "id,memo\r\n1,\"";
  std::uint64_t line = 2, column = 1 + 3;  // the field's first character follows 1,"
  for (int i = 0; i < 3000; ++i) {
    switch (i % 5) {
      case 0:
        expected.push_back({line, column, header.size() + field.size()});
        field += '\x80';
        ++column;
        break;
      case 1: field += "\x82\xA0", ++column; break;
      case 2: field += "x", ++column; break;
      case 3:
        if (i % 35 == 3) {
          field += "\n";
          ++line;
          column = 1;
        } else {
          field += "y", ++column;
        }
        break;
      default: field += "\x82\xA0", ++column; break;
    }
  }
  testing::temp_file file(header + field + "\"\r\n");
  int out_fd = ::open("/dev/null", O_WRONLY);
  output_stream out(out_fd, "report");
  diagnostics diag(out, report_format::json, "kaiin-test");
  csv_input in(file.path, source_encoding::cp932, diag);
  std::vector<finding> found;
  in.collect_into(&found);
  raw_record r;
  record_values values;
  while (in.next(r)) in.decode_fields(r, values);
  ::close(out_fd);
  CHECK(places_of(found) == expected);
  CHECK(found.size() == 600);
}
