// kaiin-crosspoint: the CROSS POINT initial load file, and the merge plan that must
// come first.

#include "kaiin/cli.h"
#include "kaiin/crosspoint.h"
#include "kaiin/i18n.h"

int main(int argc, char** argv) {
  kaiin::crosspoint_options options;
  kaiin::cli::report_options report;
  auto app = kaiin::cli::make_app(
      "kaiin-crosspoint",
      _("Turn a member export into CROSS POINT's 会員一括アップロード file (TSV), after the members who share an "
        "address are merged."),
      "  kaiin-crosspoint --sanitize -o load.tsv samples/export_for_crosspoint.csv\n"
      "  kaiin-crosspoint --merge-plan plan.csv -o load.tsv samples/export_duplicates.csv   # exit 1\n"
      "  kaiin-crosspoint --sanitize --ranks samples/ranks.csv -t utf-8 --newline lf -o load.tsv "
      "samples/export_for_crosspoint.csv\n");
  kaiin::cli::add_input_argument(*app, options.input, "FILE", _("the shop's member export"));
  app->add_option("--merge-plan", options.merge_plan,
                  _("write the groups of members who share an address, with the suggested survivor, to FILE (CSV, "
                    "UTF-8 with a BOM)"))
      ->option_text("FILE");
  app->add_option("--map", options.map, _("the load file's columns: CSV column,source (default: the shipped map)"))
      ->option_text("FILE");
  kaiin::cli::add_ranks_option(*app, options.ranks, "CROSS POINT");
  app->add_flag("--sanitize", options.sanitize, _("replace each TAB, CR and LF in a value by a space, each reported"));
  kaiin::cli::add_to_option(*app, options.to, _("the load file"), "cp932");
  kaiin::cli::add_newline_option(*app, options.newline, _("the load file"), false);
  kaiin::cli::add_replacement_options(*app, options.fold, options.replace_file);
  kaiin::cli::add_profile_option(*app, options.profile, _("the member export"));
  kaiin::cli::add_list_profiles_option(*app);
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_output_option(*app, options.output, _("where to write the load file"));
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, _("the --merge-plan (never the load file)"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    options.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-crosspoint", false,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_crosspoint(options, diag); });
  });
}
