// Test helper, not installed: prints each record of a CSV read by kaiin's reader as
// a JSON array of its values, then one line per structural problem, so that the
// conformance suites can be compared from Python.
//   kaiin-csv-dump FILE [CHUNK]   (CHUNK: bytes per read, to split the input)

#include <cstdio>
#include <cstdlib>
#include <string>

#include "kaiin/csv.h"
#include "kaiin/diagnostics.h"
#include "kaiin/io.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::string data = kaiin::read_file(argv[1]);
  std::size_t chunk = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : SIZE_MAX;
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
