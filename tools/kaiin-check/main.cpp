// kaiin-check: every problem of a member bulk-upload file, before it reaches the
// admin screen.

#include "kaiin/atomic_output.h"
#include "kaiin/check.h"
#include "kaiin/cli.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

int main(int argc, char** argv) {
  kaiin::check_options options;
  kaiin::cli::report_options report;
  std::string output = "-";
  auto app = kaiin::cli::make_app(
      "kaiin-check", _("Check member bulk-upload CSV files (会員一括登録) and list every problem."),
      "  kaiin-check samples/upload.csv\n"
      "  kaiin-check --current samples/current_export.csv --ranks samples/ranks.csv samples/upload.csv\n"
      "  kaiin-check --report json -o report.jsonl samples/upload.csv\n"
      "  kaiin-check --profile futureshop samples/futureshop_upload.csv\n");
  app->add_option("FILE", options.files, _("member CSV files to check (- for standard input)"))->required();
  kaiin::cli::add_profile_option(*app, options.profile, _("the member files"));
  kaiin::cli::add_list_profiles_option(*app);
  app->add_option("--current", options.current,
                  _("the shop's current member export: u/d rows must name members in it, n rows must not reuse "
                    "its IDs or addresses, and u rows must not change an address"))
      ->option_text("EXPORT");
  kaiin::cli::add_ranks_option(*app, options.ranks, _("the shop"));
  kaiin::cli::add_today_option(*app, options.today, _("the date birthdays must not be after"));
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_output_option(*app, output, _("where to write the report"));
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, "");

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    std::vector<std::string> inputs = options.files;
    inputs.insert(inputs.end(), {options.current, options.ranks, options.profile});
    kaiin::atomic_output::refuse_inputs(output, inputs);
    kaiin::atomic_output out(output);
    kaiin::diagnostics diag(out.stream(), report.format, "kaiin-check");
    kaiin::cli::apply_report_options(diag, report);
    diag.set_escape_formulas(report.escape_formulas && report.format == kaiin::report_format::csv);
    int status = kaiin::cli::run_job(diag, [&](kaiin::diagnostics& d) { return kaiin::run_check(options, d); });
    diag.finish();
    out.commit();  // the report is the result: written whatever the data held
    return status;
  });
}
