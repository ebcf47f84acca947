// kaiin-points: point CSVs checked against members, snapshots turned into
// adjustments.

#include "kaiin/cli.h"
#include "kaiin/i18n.h"
#include "kaiin/points.h"

int main(int argc, char** argv) {
  kaiin::points_check_options check;
  kaiin::points_diff_options diff;
  kaiin::cli::report_options report;
  std::string profile;
  kaiin::source_encoding from = kaiin::source_encoding::auto_detect;
  auto app = kaiin::cli::make_app(
      "kaiin-points", _("Check point CSVs against the members, and turn two balance snapshots into adjustments."),
      "  kaiin-points check samples/points.csv\n"
      "  kaiin-points check --members samples/current_export.csv samples/points.csv\n"
      "  kaiin-points diff samples/balances_old.csv samples/balances_new.csv -o adjust.csv\n"
      "  kaiin-points diff --max-rows 5000 --reason 移行調整 samples/balances_old.csv samples/balances_new.csv -o "
      "adjust.csv\n");
  app->require_subcommand(1);

  CLI::App* c = app->add_subcommand("check", _("check a point CSV: numbers, reasons, members, balances"));
  kaiin::cli::add_input_argument(*c, check.file, "POINTS", _("the point CSV"));
  kaiin::cli::add_members_option(*c, check.members, _("rows must name its members, and no balance may go below zero"));

  CLI::App* d = app->add_subcommand("diff", _("the adjustments (NEW - OLD) that take one snapshot to the other"));
  d->add_option("OLD", diff.old_file, _("the balances now: a point CSV or a member export"))->required();
  d->add_option("NEW", diff.new_file, _("the balances wanted: a point CSV or a member export"))->required();
  kaiin::cli::add_output_option(*d, diff.output, _("where to write the adjustment CSV"));
  d->add_option("--reason", diff.reason, _("the reason of every adjustment row (default: ポイント調整)"))
      ->option_text("TEXT");
  kaiin::cli::add_count_option(
      *d, "--max-rows", diff.max_rows, 1,
      _("cut the output into numbered files of at most N rows (5000 is FutureShop's limit a point upload)"));
  kaiin::cli::add_to_option(*d, diff.to, _("the adjustment CSV"), "cp932");
  kaiin::cli::add_shared_options(*app, [&](CLI::App& on) {
    kaiin::cli::add_report_options(on, report);
    kaiin::cli::add_escape_formulas_option(on, report.escape_formulas, _("the diff's adjustment CSV"));
    kaiin::cli::add_from_option(on, from);
    kaiin::cli::add_profile_option(on, profile, _("member exports"));
    kaiin::cli::add_list_profiles_option(on);
  });

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    check.profile = diff.profile = profile;
    check.from = diff.from = from;
    diff.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-points", false, [&](kaiin::diagnostics& diag) {
      return c->parsed() ? kaiin::run_points_check(check, diag) : kaiin::run_points_diff(diff, diag);
    });
  });
}
