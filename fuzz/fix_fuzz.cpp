// Fuzz target: a whole kaiin-fix run (run_fix, as the tool calls it) on arbitrary
// bytes, then kaiin-fix again on its copy. The first byte picks the options, the rest
// is the upload file:
//   bits 0-2  --profile: best match, kaiin, futureshop, aiship, ebisumart
//   bits 3-4  --from: auto, utf-8, cp932
//   bit  5    --fold
//   bit  6    --report json (else text)
//   bit  7    --max-errors 3
// Beyond not crashing: the only exception is kaiin::error; the exit status agrees
// with the errors counted; a run that changes nothing copies the input byte for byte
// (the copy of every record is its bytes); and the fix of a fix changes nothing (the
// same bytes again, and an empty change list).

#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "fuzz_util.h"
#include "kaiin/error.h"
#include "kaiin/fix.h"
#include "kaiin/io.h"

using kaiin::fuzz::require;

namespace {

const std::string empty_list = "\xEF\xBB\xBFline,record,column,rule,before,after\r\n";

// A folder for the copies and change lists, made once (tmpfs where there is one:
// every run writes and renames files), removed when the fuzzer exits.
const std::string& folder() {
  static const struct scratch {
    std::string dir;
    scratch() {
      char shm[] = "/dev/shm/kaiin-fix-fuzz-XXXXXX", tmp[] = "/tmp/kaiin-fix-fuzz-XXXXXX";
      const char* made = ::mkdtemp(shm);
      if (!made) made = ::mkdtemp(tmp);
      require(made != nullptr, "mkdtemp failed");
      dir = made;
    }
    ~scratch() { std::filesystem::remove_all(dir); }
  } folder;
  return folder.dir;
}

std::string read_all(const std::string& path) {
  try {
    return kaiin::read_file(path);
  } catch (const kaiin::error&) {
    return {};
  }
}

// One kaiin-fix run; false when it stopped with a kaiin::error (exit 2).
bool fix(kaiin::fix_options o, const std::string& input, const std::string& output, const std::string& list,
         unsigned opt) {
  static kaiin::fuzz::memory_file report;
  o.input = input;
  o.output = output;
  o.changes = list;
  const bool json = opt & 0x40;
  int status = -1;
  std::uint64_t errors = 0;
  {
    kaiin::output_stream out(report.truncate(), "report");
    kaiin::diagnostics diag(out, json ? kaiin::report_format::json : kaiin::report_format::text, "kaiin-fix");
    if (opt & 0x80) diag.set_max_errors(3);
    try {
      status = kaiin::run_fix(o, diag);
      errors = diag.errors();
      diag.finish();
    } catch (const kaiin::error&) {
      // A failure that stops the tool (exit 2): fine on arbitrary bytes. Any other
      // exception escapes and is a crash.
      return false;
    }
  }
  require(status == (errors ? 1 : 0), "the exit status is 1 exactly when errors remain");
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static kaiin::fuzz::memory_file upload;
  const unsigned opt = data[0];
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  upload.assign(input);

  static const char* const profiles[] = {"", "kaiin", "futureshop", "aiship", "ebisumart", "", "", ""};
  kaiin::fix_options o;
  o.profile = profiles[opt & 7];
  o.from = (opt >> 3 & 3) == 1   ? kaiin::source_encoding::utf8
           : (opt >> 3 & 3) == 2 ? kaiin::source_encoding::cp932
                                 : kaiin::source_encoding::auto_detect;
  o.fold = opt & 0x20;
  o.today = kaiin::date{2025, 1, 1};

  const std::string copy = folder() + "/copy.csv", list = folder() + "/changes.csv";
  const std::string again = folder() + "/again.csv", list_again = folder() + "/changes_again.csv";
  if (!fix(o, upload.path(), copy, list, opt)) return 0;
  const std::string fixed = read_all(copy), changes = read_all(list);
  if (changes == empty_list) {
    // The copy is the input: fixing it again would repeat this run, change for change.
    require(fixed == input, "a run that changes nothing copies the input byte for byte");
    return 0;
  }

  // The copy was read as the input was: in the encoding found then, which a forced
  // --from may not find again on its own.
  require(fix(o, copy, again, list_again, opt), "the copy can be fixed again");
  require(read_all(list_again) == empty_list, "the fix of a fix changes nothing");
  require(read_all(again) == fixed, "the fix of a fix is the same bytes");
  return 0;
}
