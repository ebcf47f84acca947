// Fuzz target: the fixed-column path (core/fixed_column_csv.h), where fast-cpp-csv-parser
// reads small auxiliary files through kaiin's decoding_source: --replace files
// (char_map::add_file), rank lists (read_ranks) and profile files (find_profile).
// Arbitrary bytes may fail only as kaiin::error (its parser's exceptions are
// rewritten); what is read is valid UTF-8; decoding_source hands out exactly the
// decoded input, whatever the size of the reads.

#include <cstdint>
#include <string>

#include "core/fixed_column_csv.h"
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
    std::string_view body = data.substr(src.detected() == kaiin::encoding::utf8_bom ? 3 : 0);
    std::string expected;
    ignore none;
    if (src.detected() == kaiin::encoding::cp932)
      kaiin::decode_cp932(body, expected, none);
    else
      kaiin::copy_utf8(body, expected, none);
    require(out == expected, "decoding_source hands out the decoded input");
    require(body.find('\0') == std::string_view::npos, "decoding_source refuses NUL bytes");
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
