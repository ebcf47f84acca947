#pragma once
/// \file
/// Outputs that appear together or not at all (a load file and its merge plan, the
/// files of a split), and numbered files cut at an upload limit: what every job
/// that writes files shares.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kaiin/atomic_output.h"
#include "kaiin/diagnostics.h"
#include "kaiin/io.h"

namespace kaiin {

/// Outputs that appear together or not at all: each is written to a temporary file
/// beside its target, and commit() renames them all. Without a commit none exists.
/// (Should a rename fail halfway, the ones already renamed are removed again.)
class output_set {
 public:
  /// An empty set.
  output_set() = default;
  /// Discards every output unless the set was committed.
  ~output_set();
  output_set(const output_set&) = delete;
  output_set& operator=(const output_set&) = delete;

  /// A new member of the set, written to \p path ("-" for standard output).
  output_stream& add(const std::string& path, bool private_mode = false);
  /// Makes every output visible (with KAIIN_SYNC, after one sync of the file
  /// system); should one fail, those already renamed are removed again and the
  /// failure thrown.
  void commit();
  /// Drops every output: none appears.
  void discard() noexcept;
  /// Outputs in the set.
  std::size_t size() const { return outputs_.size(); }
  /// True when an output of the set is written directly (atomic_output::writes_directly).
  bool writes_directly() const;
  /// warn_if_narrowed() for each file of the set.
  void warn_if_narrowed(diagnostics& diag) const;

 private:
  std::vector<std::unique_ptr<atomic_output>> outputs_;
  std::vector<std::string> paths_;
  bool done_ = false;
};

/// The last stage of a job that writes files: nothing is written when the data has
/// errors. With errors reported, discards \p outputs, puts "none (errors found)"
/// under \p key in the summary (unless \p key is empty) and returns 1; else commits
/// them, warns about each that is now owner-only (warn_if_narrowed) and returns 0.
int commit_unless_errors(output_set& outputs, diagnostics& diag, const std::string& key = {});
/// The same for a job with a single output.
int commit_unless_errors(atomic_output& output, diagnostics& diag, const std::string& key = {});

/// "members.001.csv": the name of numbered file \p n (from 1) of \p stem.
std::string numbered_file_name(const std::string& stem, std::size_t n);

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

 private:
  output_set& outputs_;
  std::string dir_, stem_, preamble_;
  std::uint64_t max_rows_, max_bytes_, rows_ = 0, bytes_ = 0;
  bool private_;
  output_stream* current_ = nullptr;
  std::vector<std::pair<std::string, std::uint64_t>> files_;
};

}  // namespace kaiin
