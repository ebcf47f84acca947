// The page's entry points into the library (web/worker.js calls them): kaiin-check,
// kaiin-fix and kaiin-conv as the programs run them with the page's options, each
// writing its report to a file of the page's virtual file system, where the worker
// reads it. A program's main.cpp does the same from its command line.

#include <emscripten/emscripten.h>
#include <sys/stat.h>

#include <exception>
#include <functional>
#include <new>
#include <optional>
#include <string>

#include "cli/version.h"
#include "core/tool_error.h"
#include "kaiin/atomic_output.h"
#include "kaiin/check.h"
#include "kaiin/conv.h"
#include "kaiin/error.h"
#include "kaiin/fix.h"
#include "kaiin/i18n.h"

namespace {

// The error that stopped the last job, as a program prints it, or empty.
std::string last_error;

// The page shows the report the programs write for --report html (the same writer).
constexpr kaiin::report_format page_report = kaiin::report_format::html;

// Runs \p job with a report in the page's format written to \p report_path, as a
// program runs it (its exit status, 2 and the error's line when it fails).
int run(const char* tool, const char* report_path, bool terse, const std::function<int(kaiin::diagnostics&)>& job) {
  last_error.clear();
  // Files as a shell makes them: emscripten's umask starts at 0777, which would make
  // every output unreadable (mode 0) to the worker that hands it to the page.
  ::umask(022);
  try {
    kaiin::atomic_output report(report_path);
    int status;
    {
      kaiin::diagnostics diag(report.stream(), page_report, tool);
      diag.set_terse(terse);
      try {
        // A problem of the data that stops the job is its finding, exit status 1, as
        // cli::run_job() makes it in the programs (an empty --current export).
        try {
          status = job(diag);
        } catch (const kaiin::data_error& e) {
          diag.report({e.file(), 0, e.line(), std::nullopt, kaiin::severity::error, e.rule(), e.what()});
          status = 1;
        }
      } catch (...) {
        diag.flush();  // the findings made before the failure, as a program shows them
        report.commit();
        throw;
      }
      diag.finish();
    }
    report.commit();
    return status;
  } catch (const kaiin::error& e) {
    last_error = kaiin::tool_error_text(tool, e.what(), e.file(), e.line(), e.column());
  } catch (const std::bad_alloc&) {
    last_error = kaiin::tool_error_text(tool, _("out of memory"));
  } catch (const std::exception& e) {
    last_error = kaiin::tool_error_text(tool, kaiin::format_tr("internal error: {}", e.what()));
  }
  return 2;
}

}  // namespace

extern "C" {

/// kaiin-check FILE [--current CURRENT] (CURRENT empty: none).
EMSCRIPTEN_KEEPALIVE int kaiin_check(const char* file, const char* current, const char* report) {
  return run("kaiin-check", report, false, [&](kaiin::diagnostics& diag) {
    kaiin::check_options o;
    o.files = {file};
    o.current = current;
    return kaiin::run_check(o, diag);
  });
}

/// kaiin-fix -o OUTPUT --changes CHANGES FILE [--current CURRENT].
EMSCRIPTEN_KEEPALIVE int kaiin_fix(const char* file, const char* current, const char* output, const char* changes,
                                   const char* report) {
  return run("kaiin-fix", report, false, [&](kaiin::diagnostics& diag) {
    kaiin::fix_options o;
    o.input = file;
    o.output = output;
    o.changes = changes;
    o.current = current;
    return kaiin::run_fix(o, diag);
  });
}

/// kaiin-conv -t TO -o OUTPUT FILE (TO: utf-8, utf-8-bom or cp932).
EMSCRIPTEN_KEEPALIVE int kaiin_conv(const char* file, const char* to, const char* output, const char* report) {
  return run("kaiin-conv", report, true, [&](kaiin::diagnostics& diag) {
    kaiin::conv_options o;
    o.input = file;
    o.output = output;
    const std::string target = to;
    o.to = target == "cp932"       ? kaiin::encoding::cp932
           : target == "utf-8-bom" ? kaiin::encoding::utf8_bom
                                   : kaiin::encoding::utf8;
    return kaiin::run_conv(o, diag);
  });
}

/// The error that stopped the last job (`kaiin-check: error: 'x.csv': ...`), or "".
EMSCRIPTEN_KEEPALIVE const char* kaiin_error() { return last_error.c_str(); }

/// The library's version, as the programs' --version says it.
EMSCRIPTEN_KEEPALIVE const char* kaiin_version() { return kaiin::version; }

/// True when messages are in Japanese (LANG names Japanese).
EMSCRIPTEN_KEEPALIVE int kaiin_japanese() { return kaiin::translated() ? 1 : 0; }
}
