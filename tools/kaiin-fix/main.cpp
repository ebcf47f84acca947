// kaiin-fix: the corrections kaiin-check suggests, made in a copy of a member
// upload, every change listed.

#include "kaiin/cli.h"
#include "kaiin/fix.h"
#include "kaiin/i18n.h"

int main(int argc, char** argv) {
  kaiin::fix_options options;
  kaiin::cli::report_options report;
  auto app = kaiin::cli::make_app(
      "kaiin-fix",
      _("Fix in a copy of a member upload what kaiin-check says how to fix, list every change, and report what "
        "remains."),
      "  kaiin-fix --today 2026-11-23 -o upload_fixed.csv --changes changes.csv samples/upload_broken.csv  # exit 1\n"
      "  kaiin-fix --dry-run samples/upload_broken.csv  # exit 1\n"
      "  kaiin-fix -o upload_checked.csv samples/upload.csv\n"
      "  kaiin-fix --fold --report json -o members_fixed.csv samples/members_mac.csv\n");
  kaiin::cli::add_input_argument(*app, options.input, "FILE", _("the member CSV to fix"));
  kaiin::cli::add_output_option(*app, options.output, _("where to write the fixed copy"));
  app->add_option("--changes", options.changes,
                  _("write the list of changes to FILE: CSV (UTF-8 with a BOM, for Excel) with line, record, "
                    "column, rule, before and after"))
      ->option_text("FILE");
  app->add_flag("--dry-run", options.dry_run,
                _("write no copy: only the list of changes (to standard output without --changes) and the summary"));
  app->add_flag("--fold", options.fold,
                _("in a UTF-8 file, also write what Macs and iPhones type (〜 U+301C, − U+2212, ..., ¥ U+00A5) as "
                  "the character Windows has (～ U+FF5E, － U+FF0D, ..., \\), as for a file to be converted to "
                  "CP932"));
  kaiin::cli::add_profile_option(*app, options.profile, _("the member file"));
  kaiin::cli::add_list_profiles_option(*app);
  app->add_option("--current", options.current,
                  _("the shop's current member export, to report what remains as kaiin-check --current does"))
      ->option_text("EXPORT");
  app->add_option("--ranks", options.ranks, _("the rank names set up in the shop, one a line, as for kaiin-check"))
      ->option_text("FILE");
  kaiin::cli::add_today_option(*app, options.today, _("the date birthdays must not be after"));
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, _("the list of changes"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    options.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-fix", false,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_fix(options, diag); });
  });
}
