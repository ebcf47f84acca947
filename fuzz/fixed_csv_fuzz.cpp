// Fuzz target: the fixed-column path (core/fixed_column_csv.h), where fast-cpp-csv-parser
// reads small auxiliary files through kaiin's decoding_source: --replace files
// (char_map::add_file), rank lists (read_ranks) and profile files (find_profile).
// Arbitrary bytes may fail only as kaiin::error (its parser's exceptions are
// rewritten); what is read is valid UTF-8; decoding_source hands out exactly the
// decoded input (UTF-8, CP932 or UTF-16), whatever the size of the reads.

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/fixed_column_csv.h"
#include "core/utf16.h"
#include "fuzz_util.h"
#include "kaiin/encoding.h"
#include "kaiin/error.h"
#include "members/profile.h"

namespace {

using kaiin::fuzz::require;

bool valid_utf8(std::string_view s) { return kaiin::first_invalid(s, kaiin::encoding::utf8) == std::string::npos; }

struct ignore : kaiin::problem_sink {
  void on_problem(const kaiin::coding_problem&) override {}
};

// Reads the whole file through decoding_source, \p step bytes a read.
void check_source(const std::string& path, std::string_view data, int step) {
  std::string out;
  try {
    kaiin::decoding_source src(path);
    char buf[4096];
    while (int n = src.read(buf, step)) {
      require(n > 0 && n <= step, "decoding_source returns what was asked or less");
      out.append(buf, static_cast<std::size_t>(n));
    }
    const kaiin::encoding enc = src.detected();
    std::string_view body = data.substr(enc == kaiin::encoding::utf8_bom ? 3 : kaiin::is_utf16(enc) ? 2 : 0);
    std::string expected;
    ignore none;
    if (enc == kaiin::encoding::cp932) {
      kaiin::decode_cp932(body, expected, none);
    } else if (kaiin::is_utf16(enc)) {
      kaiin::detail::utf16_decoder utf16(enc == kaiin::encoding::utf16be);
      utf16.decode(body, expected);
      utf16.finish(expected);
    } else {
      kaiin::copy_utf8(body, expected, none);
    }
    const std::string_view first_line = std::string_view(expected).substr(0, expected.find('\n'));
    if (kaiin::is_utf16(enc) && first_line.find('\t') != std::string_view::npos &&
        first_line.find(',') == std::string_view::npos) {
      // Excel's 「Unicode テキスト」, handed out as CSV: as many lines, valid UTF-8.
      require(std::count(out.begin(), out.end(), '\n') == std::count(expected.begin(), expected.end(), '\n'),
              "a TAB-separated UTF-16 file is handed out line for line");
      require(valid_utf8(out), "a TAB-separated UTF-16 file is handed out as UTF-8");
    } else {
      require(out == expected, "decoding_source hands out the decoded input");
    }
    require(expected.find('\0') == std::string::npos, "decoding_source refuses NUL bytes");
  } catch (const kaiin::error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static kaiin::fuzz::memory_file file;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  file.assign(in);
  check_source(file.path(), in, 4096);
  check_source(file.path(), in, 3);
  try {
    kaiin::char_map map;
    map.add_file(file.path());
    for (const kaiin::char_map::use& u : map.uses()) require(valid_utf8(u.to), "a replacement is valid UTF-8");
  } catch (const kaiin::error&) {
  }
  try {
    for (const std::string& rank : kaiin::read_ranks(file.path()))
      require(!rank.empty() && valid_utf8(rank), "a rank is a non-empty UTF-8 name");
  } catch (const kaiin::error&) {
  }
  try {
    kaiin::profile p = kaiin::find_profile(file.path());
    for (const std::string& h : p.headers()) require(valid_utf8(h), "a profile's headers are valid UTF-8");
  } catch (const kaiin::error&) {
  }
  return 0;
}
