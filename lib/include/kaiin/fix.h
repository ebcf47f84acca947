#pragma once
/// \file
/// kaiin-fix's job (spec §13): the corrections kaiin-check knows, made in a copy of a
/// member file, every change listed; what cannot be fixed is reported as kaiin-check
/// reports it.

#include <optional>
#include <string>

#include "kaiin/date.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// What to fix and where to write it.
struct fix_options {
  std::string input = "-";       ///< the member file; "-" is standard input
  std::string output = "-";      ///< -o: the fixed copy; "-" is standard output
  std::string changes;           ///< --changes: the change list (CSV), or empty for none
  bool dry_run = false;          ///< --dry-run: no copy, only the change list (standard output by default)
  bool fold = false;             ///< --fold: in a UTF-8 file, what a Mac types as Windows has it
  bool escape_formulas = false;  ///< --escape-formulas: ' before cells of the change list that look like formulas
  std::string profile;           ///< a name or a file; empty: the best match
  std::string current;           ///< --current: the shop's member export, for the remaining findings
  std::string ranks;             ///< --ranks: one rank name a line, for the remaining findings
  std::optional<date> today;     ///< --today; default the system date
  /// -f: the input's encoding.
  source_encoding from = source_encoding::auto_detect;
};

/// Fixes one file, reporting the findings that remain in the copy to \p diag as
/// kaiin-check reports them; the copy is written whatever remains. Returns 0 when
/// the copy has no errors left, 1 when it has. Throws kaiin::error when a file
/// cannot be read or written.
int run_fix(const fix_options& options, diagnostics& diag);

}  // namespace kaiin
