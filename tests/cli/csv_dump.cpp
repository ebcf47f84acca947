// Test helper, not installed (built in build/tests, not beside the programs): prints
// each record of a CSV read by kaiin's reader as a JSON array of its values, then
// one line per structural problem, so that the conformance suites can be compared
// from Python.
//   kaiin-csv-dump FILE [CHUNK]   (CHUNK: bytes per read, to split the input)
// Errors (a missing file, a bad CHUNK) go through run_tool like a program's:
// `kaiin-csv-dump: error: ...` and exit 2, never an abort.

#include <charconv>
#include <cstdio>
#include <string>

#include "kaiin/cli.h"
#include "kaiin/csv.h"
#include "kaiin/diagnostics.h"
#include "kaiin/io.h"

namespace {

int dump(const std::string& path, std::size_t chunk) {
  std::string data = kaiin::read_file(path);
  kaiin::memory_source src(data, chunk);
  kaiin::csv_reader reader(src);
  kaiin::raw_record r;
  static const char* kinds[] = {"unterminated_quote", "bare_quote", "text_after_quote", "bare_cr", "field_count"};
  while (reader.next(r)) {
    std::string line = "[";
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      std::string v;
      r.append_value(i, v);
      line += (i ? "," : "") + kaiin::json_quote(v);
    }
    std::printf("%s]\n", line.c_str());
    for (auto& p : r.problems)
      std::printf("{\"problem\":\"%s\",\"line\":%llu}\n", kinds[static_cast<int>(p.kind)],
                  static_cast<unsigned long long>(p.line));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  std::size_t chunk = SIZE_MAX;
  auto app =
      kaiin::cli::make_app("kaiin-csv-dump", "Print the records of a CSV as kaiin's reader sees them (a test helper).",
                           "  kaiin-csv-dump samples/upload.csv 7\n");
  app->add_option("FILE", path, "the CSV to read")->required();
  app->add_option("CHUNK", chunk, "bytes per read (default: the whole file at once)")
      ->check(CLI::Validator(
          [](const std::string& text) {
            std::size_t n = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
            return ec == std::errc() && end == text.data() + text.size() && n > 0
                       ? std::string()
                       : "'" + text + "' is not a number of bytes (1 or more)";
          },
          "N"));
  return kaiin::cli::run_tool(*app, argc, argv, [&] { return dump(path, chunk); });
}
