#pragma once
/// \file
/// kaiin-points' jobs (spec §7): point CSVs checked against the member export, and
/// two balance snapshots turned into the adjustment rows that take one to the other.
/// A point CSV has the header member_id or email (the member key), points (an
/// integer, negative for a deduction), reason (at most 200 bytes in CP932) and an
/// optional category. It carries no expiry date: uploading it never changes one.

#include <cstdint>
#include <string>

#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"

namespace kaiin {

/// kaiin-points check.
struct points_check_options {
  std::string file = "-";                               ///< POINTS; "-" is standard input
  std::string members;                                  ///< --members EXPORT
  std::string profile;                                  ///< --profile of the export
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
};
/// Checks a point CSV: whole numbers, reasons the admin screen takes, the members
/// it names and, with --members, the balances it would leave. Returns 0 or 1;
/// throws kaiin::error when a file cannot be read.
int run_points_check(const points_check_options& options, diagnostics& diag);

/// kaiin-points diff.
struct points_diff_options {
  std::string old_file, new_file;                       ///< OLD and NEW: point CSVs or member exports
  std::string output = "-";                             ///< -o; "-" is standard output
  std::string reason = "ポイント調整";                  ///< --reason of every row
  std::uint64_t max_rows = 0;                           ///< --max-rows: numbered files of at most N rows
  bool escape_formulas = false;                         ///< ' before keys and reasons that look like formulas
  encoding to = encoding::cp932;                        ///< -t, --to
  newline_style newline = newline_style::crlf;          ///< how rows end (no option sets it yet)
  std::string profile;                                  ///< --profile of the exports
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
};
/// Writes the adjustments (NEW - OLD) of the members in both snapshots; members in
/// one only are warnings. Nothing is written when an error is found. Returns 0 or 1;
/// throws kaiin::error when a file cannot be read or the snapshots' keys differ.
int run_points_diff(const points_diff_options& options, diagnostics& diag);

/// The longest reason the admin screens take, in CP932 bytes.
inline constexpr std::size_t max_reason_bytes = 200;

}  // namespace kaiin
