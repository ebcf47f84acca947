#pragma once
/// \file
/// kaiin-split's job (spec §5): delete rows apart, one row per e-mail address, and
/// files cut to upload limits. Records are copied as their bytes: encoding, newline
/// style, quoting and header stay as they were. Also numbered files cut at a limit,
/// which kaiin-points reuses.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/io.h"
#include "kaiin/output_set.h"

namespace kaiin {

/// Writes records into numbered files, DIR/STEM.001.csv, STEM.002.csv ..., each
/// starting with the same preamble (a BOM and the header) and holding at most
/// max_rows records and max_bytes bytes (0: no limit). A record is never cut.
class numbered_files {
 public:
  /// \p private_mode: every file is owner-only (it holds passwords).
  numbered_files(output_set& outputs, std::string dir, std::string stem, std::string preamble, std::uint64_t max_rows,
                 std::uint64_t max_bytes, bool private_mode = false);
  /// False when the record alone, with the preamble, is larger than max_bytes.
  bool fits(std::string_view record) const;
  /// Adds one record (its bytes and newline), starting a new file when needed.
  void add(std::string_view record);
  /// The files written so far and how many records each holds.
  const std::vector<std::pair<std::string, std::uint64_t>>& files() const { return files_; }
  /// "members.001.csv": the name of file \p n (from 1).
  std::string name(std::size_t n) const;

 private:
  output_set& outputs_;
  std::string dir_, stem_, preamble_;
  std::uint64_t max_rows_, max_bytes_, rows_ = 0, bytes_ = 0;
  bool private_;
  output_stream* current_ = nullptr;
  std::vector<std::pair<std::string, std::uint64_t>> files_;
};

/// How kaiin-split cuts.
enum class split_mode { action, address, rows, bytes };

/// What to split and how.
struct split_options {
  std::string input = "-";
  std::string dir = ".";     ///< where action/rows/bytes files go
  std::string prefix;        ///< file names start with it; default: the input's name without .csv
  std::string output = "-";  ///< the one output of --by address
  split_mode mode = split_mode::action;
  std::uint64_t limit = 0;  ///< rows or bytes a file
  bool subscribed_only = false;
  bool escape_formulas = false;  ///< ' before fields that look like formulas (the header too)
  std::string profile;
  source_encoding from = source_encoding::auto_detect;
};

/// Parses --by: action, address, rows:N or bytes:N (N may end in KB, MB, KiB, MiB).
/// Throws kaiin::error for anything else.
void parse_split_by(const std::string& text, split_options& options);

/// Splits one file, reporting to \p diag; nothing is written when any error is found.
/// Returns 0 or 1; throws kaiin::error on I/O failure.
int split_members(const split_options& options, diagnostics& diag);

}  // namespace kaiin
