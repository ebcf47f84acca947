#include "kaiin/check.h"

#include "checker/checker.h"
#include "checker/row_rules.h"
#include "core/csv_input.h"
#include "members/member_columns.h"

namespace kaiin {

namespace {

// One file: its header, then its records read, decoded and checked in batches
// (check_pipeline.h), then what the file as a whole holds.
void check_file(const detail::checker_setup& setup, const std::string& path, diagnostics& diag,
                detail::check_totals& totals) {
  csv_input in(path, setup.from, diag, is_password_header);
  detail::file_check file(setup, in, diag, path);
  raw_record header;
  if (file.open(header)) {
    detail::reader_stage reader(in, detail::formula_only_columns(file.header()));
    file.check_records(reader);
  }
  file.finish(totals);
}

}  // namespace

int run_check(const check_options& o, diagnostics& diag) {
  auto setup = detail::checker_setup::load(o.profile, o.current, o.ranks, o.today, o.from, diag);
  if (!o.current.empty()) diag.set_compared_with(o.current);
  detail::check_totals totals;
  for (const std::string& file : o.files) check_file(setup, file, diag, totals);
  totals.write_summary(diag);
  return diag.exit_status();
}

}  // namespace kaiin
