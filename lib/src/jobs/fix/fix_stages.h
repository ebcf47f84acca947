#pragma once
// kaiin-fix's parts of the checker's pipeline (check_pipeline.h): on the reading
// thread, each record read, decoded and kept as read; on the rules thread, what a Mac
// types folded (with --fold) before the row rules, and each finding's fix taken from
// them (value_fixer); on the writing thread, the copy and the change list. Private to
// the library.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/row_rules.h"
#include "checker/upload_header.h"
#include "core/csv_input.h"
#include "kaiin/io.h"

namespace kaiin::detail {

/// The source, on the reading thread: records read and decoded as kaiin-check reads
/// them, and each kept as read, with whether it was read without an error (one with a
/// structural problem or bytes that are not valid is copied unfixed: its fields may be
/// in the wrong columns, and re-encoding would replace its bad bytes).
class fix_reader : public reader_stage {
 public:
  using reader_stage::reader_stage;
  bool fill(batch& b) override;
};

/// Takes the fixes the row rules offer (on the rules thread): for a record read
/// without an error, whose file's encoding can hold the new value.
class change_taker : public value_fixer {
 public:
  explicit change_taker(encoding file_encoding) : encoding_(file_encoding) {}
  bool take(batch& b, std::size_t row, std::size_t column, std::string_view rule, std::string_view before,
            const std::string& after) override;

 private:
  const encoding encoding_;
};

/// --fold, on the rules thread before the row rules: what a Mac or an iPhone types,
/// as Windows has it, in every column but passwords, of the rows the rules check (not
/// a delete row's), so that the rules see the folded values.
class fold_stage : public batch_stage {
 public:
  fold_stage(const upload_header& header, encoding file_encoding);
  void process(batch& b) override;

 private:
  const upload_header& header_;
  const encoding encoding_;
  std::vector<bool> secret_;  // columns holding passwords, by index
  std::string bytes_;
};

/// What kaiin-fix counts: values fixed by rule, records changed, characters folded
/// (as --fold counts them everywhere, spec §2), change-list cells escaped.
struct fix_counts {
  std::map<std::string, std::uint64_t> by_rule;
  std::map<char32_t, std::uint64_t> folded;
  std::uint64_t records = 0, escaped = 0;
};

/// The copy (unless --dry-run) and the change list (--changes, or --dry-run's on
/// standard output), written by the writing thread a batch at a time after its
/// findings: stretches of records as read, and each changed record rewritten in its
/// changed fields only.
class fix_output : public batch_sink {
 public:
  /// \p copy, \p list: where to write them, or nullptr; \p header: the file's (for the
  /// change list's column names), or nullptr when no record is checked; \p shown: a
  /// report that shows each change (diagnostics::change), or nullptr.
  fix_output(output_stream* copy, output_stream* list, const upload_header* header, bool escape_formulas,
             diagnostics* shown = nullptr);
  /// A record as read, outside the pipeline (the header, or a file that cannot be
  /// checked).
  void copy(const raw_record& r);
  void write(const batch& b) override;
  const fix_counts& counts() const { return counts_; }

 private:
  void list(const batch& b, const value_change& c);

  output_stream* copy_;
  output_stream* list_;
  const upload_header* header_;
  diagnostics* shown_;
  const bool escape_formulas_;
  fix_counts counts_;
  std::vector<const value_change*> order_, last_;
  std::vector<csv_field> fields_;
  std::string record_, rows_;
};

}  // namespace kaiin::detail
