#pragma once
/// \file
/// kaiin-split's job (spec §5): delete rows apart, one row per e-mail address, and
/// files cut to upload limits. Records are copied as their bytes: encoding, newline
/// style, quoting and header stay as they were.

#include <cstdint>
#include <string>

#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// How kaiin-split cuts.
enum class split_mode { action, address, rows, bytes };

/// What to split and how.
struct split_options {
  std::string input = "-";               ///< FILE; "-" is standard input
  std::string dir = ".";                 ///< where action/rows/bytes files go
  std::string prefix;                    ///< file names start with it; default: the input's name without .csv
  std::string output = "-";              ///< the one output of --by address
  split_mode mode = split_mode::action;  ///< --by
  std::uint64_t limit = 0;               ///< rows or bytes a file
  bool subscribed_only = false;          ///< --subscribed-only (by address)
  bool escape_formulas = false;          ///< ' before fields that look like formulas (the header too)
  std::string profile;                   ///< --profile
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
};

/// Parses --by: action, address, rows:N or bytes:N (N may end in KB, MB, KiB, MiB).
/// Throws kaiin::error for anything else.
void parse_split_by(const std::string& text, split_options& options);

/// Splits one file, reporting to \p diag; nothing is written when any error is found.
/// Returns 0 or 1; throws kaiin::error on I/O failure.
int run_split(const split_options& options, diagnostics& diag);

}  // namespace kaiin
