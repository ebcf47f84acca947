#pragma once
// The checker of member files (spec §4, §9), as kaiin-check and kaiin-fix run it:
// what every file is checked against, one file through the pipeline, and the
// summary of what the files hold. Private to the library.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/key_tables.h"
#include "checker/row_rules.h"
#include "checker/upload_header.h"
#include "core/csv_input.h"
#include "members/member_rules.h"

namespace kaiin::detail {

/// What every file of a run is checked against, loaded once before the first.
struct checker_setup {
  std::string profile;  ///< --profile (a name or a file), empty: the best match
  source_encoding from = source_encoding::auto_detect;
  const std::vector<kaiin::profile>* profiles = nullptr;  ///< the shipped ones (read once a process)
  std::unique_ptr<current_members> current;               ///< --current, or none
  std::optional<std::vector<std::string>> ranks;          ///< --ranks, or none
  date today;

  /// Loads --current (\p current) and --ranks (\p ranks) when given; a bad --profile
  /// fails here, before any reading. Throws kaiin::error when a file cannot be read.
  static checker_setup load(const std::string& profile, const std::string& current, const std::string& ranks,
                            std::optional<date> today, source_encoding from, diagnostics& diag);
};

/// What the checked files hold, for the summary.
struct check_totals {
  std::vector<std::string> files, encodings, profiles, not_checked;
  std::uint64_t records = 0;
  std::array<std::uint64_t, 3> actions{};  // n, u, d
  std::uint64_t existing = 0;              // records of exports (no control column): existing members

  /// What the upload would do, when the admin screen takes the files as they are.
  void write_summary(diagnostics& diag) const;
};

/// One file through the checker, in three steps: open() reads the header, the
/// caller then runs the records through check_records() with a source of its own,
/// and finish() says what the file as a whole holds.
class file_check {
 public:
  /// \p path: the file \p in reads, to size the key tables from.
  file_check(const checker_setup& setup, csv_input& in, diagnostics& diag, const std::string& path)
      : setup_(setup), in_(in), diag_(diag), path_(path) {}

  /// Reads the header into \p header_record, reporting what is wrong with it; false
  /// when no record can be checked (an empty file, or a header nothing is known of:
  /// said already).
  bool open(raw_record& header_record);
  /// The header open() read (only after it returned true).
  const upload_header& header() const { return *header_; }
  /// Runs the records \p source fills batches with through \p before_rules, the row
  /// rules (offering \p fixer each finding's fix) and the key tables, reporting in
  /// record order, then \p sink (see run_pipeline: without one, only until
  /// --max-errors is reached). kaiin-fix passes the last three; kaiin-check none.
  void check_records(batch_source& source, batch_stage* before_rules = nullptr, batch_sink* sink = nullptr,
                     value_fixer* fixer = nullptr);
  /// Reports what the file as a whole holds (columns the rows needed, mixed delete
  /// rows, ...) and adds it to \p totals. Records open() left unread are counted.
  void finish(check_totals& totals);

 private:
  const checker_setup& setup_;
  csv_input& in_;
  diagnostics& diag_;
  // Reports, once, a file in another encoding or with other line ends than its
  // platform's upload screen reads (spec §14).
  void report_upload_form();

  const std::string& path_;
  bool stop_at_limit_ = true;
  std::string newline_;       // the header's line end
  bool header_ascii_ = true;  // the header is ASCII (so far, the file may be either encoding)
  std::unique_ptr<upload_header> header_;
  std::unique_ptr<rule_stage> rules_;
  std::array<std::uint64_t, 3> actions_{};  // n, u, d rows the tables counted
};

}  // namespace kaiin::detail
