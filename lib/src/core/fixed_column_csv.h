#pragma once
// Fixed-column files (replacement maps, rules, tag masters, rank lists) read with
// fast-cpp-csv-parser through a byte source that decodes the input to UTF-8.
// fast-cpp-csv-parser fits these files: a known column count, no newlines inside
// fields. It would truncate a line at a NUL byte and cannot decode CP932, so the
// source below refuses NUL bytes and bad encodings with the line they are on, and
// its exceptions are rewritten in kaiin's words. Private to the library: no public
// header includes fast-cpp-csv-parser. A test or fuzz target that includes this
// one links kaiin::private_headers, which also sets CSV_IO_NO_THREAD as the
// library is built with it.

#include <libfccp/csv.h>

#include <memory>
#include <optional>
#include <string>

#include "core/progress.h"
#include "core/progress_counters.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/error.h"

namespace kaiin {

/// A fast-cpp-csv-parser byte source that reads a file (or "-"), detects its
/// encoding as spec §2 does, and hands out UTF-8 without a BOM. Throws kaiin::error
/// naming the line of an undecodable byte or a NUL byte.
class decoding_source : public io::ByteSourceBase {
 public:
  explicit decoding_source(const std::string& path, source_encoding from = source_encoding::auto_detect);
  ~decoding_source() override;
  int read(char* buffer, int size) override;
  /// The encoding the file was read in.
  encoding detected() const { return detection_.enc; }

 private:
  bool refill();
  std::unique_ptr<file_source> file_;
  detection detection_;
  std::string raw_, decoded_;
  std::size_t handed_ = 0;
  std::uint64_t line_ = 1;
  bool eof_ = false;
};

/// fast-cpp-csv-parser's reader for comma-separated, double-quoted files, with no
/// trimming: spaces are data.
template <unsigned N>
using fixed_csv_reader = io::CSVReader<N, io::trim_chars<>, io::double_quote_escape<',', '"'>>;

/// Opens \p path as a fixed-column CSV of N columns, decoded to UTF-8.
template <unsigned N>
std::unique_ptr<fixed_csv_reader<N>> open_fixed_csv(const std::string& path) {
  auto source = std::make_unique<decoding_source>(path);
  return std::make_unique<fixed_csv_reader<N>>(path == "-" ? "<stdin>" : path, std::move(source));
}

/// Called in a catch block around fast-cpp-csv-parser: rethrows kaiin::error, turns
/// its exceptions into kaiin::error in kaiin's words, naming file and line. With
/// \p header_is_data, the file is the user's data, and a header that is missing or
/// lacks a column is a kaiin::data_error (exit status 1), not a tool's failure.
[[noreturn]] void rethrow_as_kaiin_error(const std::string& file, bool header_is_data = false);

/// A fixed-column file read row by row for a checking tool: the header must be
/// readable (else kaiin::data_error, or kaiin::error for bytes it cannot read), but a row fast-cpp-csv-parser cannot
/// read (too many columns, a quote not closed on its line) is a finding under \p rule, and reading goes on with the
/// next row.
template <unsigned N>
class fixed_rows {
 public:
  template <class... Names>
  fixed_rows(const std::string& path, diagnostics& diag, std::string rule, io::ignore_column columns, Names... names)
      : path_(path), name_(path == "-" ? "<stdin>" : path), diag_(diag), rule_(std::move(rule)) {
    try {
      in_ = open_fixed_csv<N>(path);
      in_->read_header(columns, names...);
    } catch (...) {
      rethrow_as_kaiin_error(path, true);
    }
  }
  /// Reads the next readable row into \p cells; false at the end.
  template <class... Cells>
  bool next(Cells&... cells) {
    for (;;) {
      try {
        if (!in_->read_row(cells...)) return false;
        progress::count_record();
        return true;
      } catch (const io::error::base&) {
        try {
          rethrow_as_kaiin_error(path_);
        } catch (const error& e) {
          diag_.report({name_, 0, e.line(), std::nullopt, severity::error, rule_, e.what()});
        }
      }
    }
  }
  bool has_column(const std::string& name) const { return in_->has_column(name); }
  /// The physical line of the row read last.
  std::uint64_t line() const { return in_->get_file_line(); }
  const std::string& name() const { return name_; }
  /// Reports a finding about the row read last.
  void report(severity s, std::string rule, std::optional<std::string> column, std::string message) {
    diag_.report({name_, line() - 1, line(), std::move(column), s, std::move(rule), std::move(message)});
  }

 private:
  std::string path_, name_;
  diagnostics& diag_;
  std::string rule_;
  std::unique_ptr<fixed_csv_reader<N>> in_;
};

}  // namespace kaiin
