#pragma once
/// \file
/// kaiin-crosspoint's job (spec §6): a shop's member export turned into the load
/// file of CROSS POINT's 会員一括アップロード (TSV, no quoting, one row per member,
/// the shop's member ID as key), after members who share an e-mail address are
/// merged (会員統合): while any such group remains, only the merge plan is written.

#include <string>

#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"

namespace kaiin {

/// What to convert and how.
struct crosspoint_options {
  std::string input = "-";                              ///< the member export; "-" is standard input
  std::string output = "-";                             ///< the load file
  std::string merge_plan;                               ///< --merge-plan FILE
  std::string map;                                      ///< --map FILE; empty: the shipped default
  std::string ranks;                                    ///< --ranks FILE
  std::string profile;                                  ///< --profile of the export
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
  encoding to = encoding::cp932;                        ///< -t, --to: the load file's encoding
  newline_style newline = newline_style::crlf;          ///< --newline of the load file and the plan
  bool sanitize = false;                                ///< TAB, CR, LF in a value become a space, each reported
  bool fold = false;                                    ///< --fold
  std::string replace_file;                             ///< --replace FILE
  /// ' before cells of the merge plan that look like formulas; never in the load
  /// file, which goes to CROSS POINT, not to a spreadsheet, and would keep the '.
  bool escape_formulas = false;
};

/// Writes the load file, or the merge plan while duplicates remain. Returns 0 or 1;
/// throws kaiin::error on I/O failure or a bad map.
int run_crosspoint(const crosspoint_options& options, diagnostics& diag);

}  // namespace kaiin
