#pragma once
/// \file
/// kaiin-check's job: every problem of a member bulk-upload file (spec §4), with
/// line and column, and a summary of what the upload would do.

#include <optional>
#include <string>
#include <vector>

#include "kaiin/date.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// What to check and against what.
struct check_options {
  std::vector<std::string> files;                       ///< "-" is standard input
  std::string profile;                                  ///< a name or a file; empty: the best match
  std::string current;                                  ///< --current: the shop's member export
  std::string ranks;                                    ///< --ranks: one rank name a line
  std::optional<date> today;                            ///< --today; default the system date
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
};

/// Checks every file, reporting to \p diag; returns 0 (clean, warnings allowed)
/// or 1. Throws kaiin::error when a file cannot be read.
int run_check(const check_options& options, diagnostics& diag);

}  // namespace kaiin
