// Fuzz target: a whole kaiin-check run (run_check, as the tool calls it) on
// arbitrary bytes. The first byte picks the options, the rest is the upload file:
//   bits 0-2  --profile: best match, kaiin, futureshop, aiship, ebisumart
//   bits 3-4  --from: auto, utf-8, cp932
//   bit  5    --current: the input itself, so that its IDs and addresses match
//   bit  6    --report json (else text)
//   bit  7    --max-errors 3 and --ranks samples/ranks.csv
// Beyond not crashing: the only exception is kaiin::error, the exit status agrees
// with the errors counted, the report is valid UTF-8 and, as JSON Lines, one
// object a line without raw control characters.

#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "kaiin/check.h"
#include "kaiin/encoding.h"
#include "kaiin/error.h"

using kaiin::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static kaiin::fuzz::memory_file upload, report;
  const unsigned opt = data[0];
  upload.assign({reinterpret_cast<const char*>(data) + 1, size - 1});

  static const char* const profiles[] = {"", "kaiin", "futureshop", "aiship", "ebisumart", "", "", ""};
  kaiin::check_options o;
  o.files = {upload.path()};
  o.profile = profiles[opt & 7];
  o.from = (opt >> 3 & 3) == 1   ? kaiin::source_encoding::utf8
           : (opt >> 3 & 3) == 2 ? kaiin::source_encoding::cp932
                                 : kaiin::source_encoding::auto_detect;
  if (opt & 0x20) o.current = upload.path();
  if (opt & 0x80) o.ranks = KAIIN_SOURCE_DIR "/samples/ranks.csv";
  o.today = kaiin::date{2025, 1, 1};
  const bool json = opt & 0x40;

  int status = -1;
  std::uint64_t errors = 0;
  {
    kaiin::output_stream out(report.truncate(), "report", 1 << 16);  // not the 1 MB a big report wants
    kaiin::diagnostics diag(out, json ? kaiin::report_format::json : kaiin::report_format::text, "kaiin-check");
    if (opt & 0x80) diag.set_max_errors(3);
    try {
      status = kaiin::run_check(o, diag);
      errors = diag.errors();
      diag.finish();
    } catch (const kaiin::error&) {
      // A failure that stops the tool (exit 2), e.g. --current without a member ID
      // column: fine on arbitrary bytes. Any other exception escapes and is a crash.
      return 0;
    }
  }
  require(status == (errors ? 1 : 0), "the exit status is 1 exactly when errors were found");
  std::string text = report.content();
  require(kaiin::first_invalid(text, kaiin::encoding::utf8) == std::string::npos, "the report is valid UTF-8");
  if (json) {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t nl = text.find('\n', start);
      require(nl != std::string::npos, "every JSON line ends in a newline");
      std::string_view line(text.data() + start, nl - start);
      require(line.size() >= 2 && line.front() == '{' && line.back() == '}', "each JSON line is an object");
      for (unsigned char c : line) require(c >= 0x20, "JSON strings have their control characters escaped");
      start = nl + 1;
    }
  }
  return 0;
}
