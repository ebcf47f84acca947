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
  std::string file = "-";
  std::string members;  ///< --members EXPORT
  std::string profile;
  source_encoding from = source_encoding::auto_detect;
};
int run_points_check(const points_check_options& options, diagnostics& diag);

/// kaiin-points diff.
struct points_diff_options {
  std::string old_file, new_file;
  std::string output = "-";
  std::string reason = "ポイント調整";
  std::uint64_t max_rows = 0;    ///< --max-rows: numbered files of at most N rows
  bool escape_formulas = false;  ///< ' before keys and reasons that look like formulas
  encoding to = encoding::cp932;
  newline_style newline = newline_style::crlf;
  std::string profile;
  source_encoding from = source_encoding::auto_detect;
};
int run_points_diff(const points_diff_options& options, diagnostics& diag);

/// The longest reason the admin screens take, in CP932 bytes.
inline constexpr std::size_t max_reason_bytes = 200;

}  // namespace kaiin
