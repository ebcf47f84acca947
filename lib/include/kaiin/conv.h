#pragma once
/// \file
/// kaiin-conv's job: read a CSV, check its structure, convert its encoding (and
/// newlines), write it. The CSV text is carried over as written (quotes, embedded
/// newlines, field order): only the encoding and, if asked, record newlines change.

#include <string>

#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"

namespace kaiin {

/// What to convert and how.
struct conv_options {
  std::string input = "-";                              ///< FILE; "-" is standard input
  std::string output = "-";                             ///< -o; "-" is standard output
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
  encoding to = encoding::utf8;                         ///< -t, --to
  newline_style newline = newline_style::keep;          ///< --newline
  bool fold = false;                                    ///< --fold: Mac/iPhone characters to Windows ones
  std::string replace_file;                             ///< --replace FILE
  bool escape_formulas = false;                         ///< --escape-formulas: ' before fields that look like formulas
};

/// Converts one file, reporting every problem to \p diag; nothing is written when
/// any error is found. Returns the exit status (0 or 1); throws kaiin::error on I/O
/// failure or a bad replacement file.
int run_conv(const conv_options& options, diagnostics& diag);

}  // namespace kaiin
