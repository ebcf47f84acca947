// kaiin-tags: member tag files from rules, safe to run from cron.

#include <unistd.h>

#include "kaiin/cli.h"
#include "kaiin/i18n.h"
#include "kaiin/tags.h"

int main(int argc, char** argv) {
  kaiin::tags_check_options check;
  kaiin::tags_apply_options apply;
  kaiin::cli::report_options report;
  bool verbose = false;
  auto app = kaiin::cli::make_app(
      "kaiin-tags", _("Check the tag master, and write the member-tag changes that rules call for (会員タグ)."),
      "  kaiin-tags check samples/tags.csv\n"
      "  kaiin-tags --verbose apply --rules samples/tag_rules.csv --members samples/current_export.csv --today "
      "2026-11-23 -o changes.csv\n"
      "  kaiin-tags apply --rules samples/tag_rules.csv --members samples/current_export.csv --current "
      "samples/tag_links.csv --tags samples/tags.csv --today 2026-11-23 -o changes.csv\n");
  app->require_subcommand(1);

  CLI::App* c = app->add_subcommand("check", _("check the tag master: codes, upper-casing, duplicates, kinds"));
  c->add_option("TAGS", check.file, _("the tag master: tag_code,tag_name,tag_group,kind"))->required();

  CLI::App* a = app->add_subcommand("apply", _("evaluate the rules for every member: links to add and remove"));
  a->add_option("--rules", apply.rules, _("rules: tag_code,field,op,value; rows of a tag must all hold"))
      ->required()
      ->option_text("RULES.csv");
  kaiin::cli::add_members_option(*a, apply.members, _("the members the rules look at"))->required();
  a->add_option("--current", apply.current,
                _("the current links, member_id,tag_code: the changes are against them (default: none, every "
                  "link is an add)"))
      ->option_text("LINKS.csv");
  a->add_option("--tags", apply.tags, _("the tag master: the rules' tags must be auto tags in it"))
      ->option_text("TAGS.csv");
  kaiin::cli::add_today_option(*a, apply.today, _("the date within_days and month_is count from"));
  kaiin::cli::add_wait_option(*a, apply.wait_seconds, _("writing the same output"));
  kaiin::cli::add_profile_option(*a, apply.profile, _("the member export"));
  kaiin::cli::add_list_profiles_option(*app);
  kaiin::cli::add_from_option(*a, apply.from);
  kaiin::cli::add_output_option(*a, apply.output, _("where to write the changes"));
  kaiin::cli::add_shared_options(*app, [&](CLI::App& on) {
    kaiin::cli::add_report_options(on, report);
    kaiin::cli::add_escape_formulas_option(on, report.escape_formulas, _("apply's change file"));
    on.add_flag("-v,--verbose", verbose, _("one summary line on standard error, also when it is not a terminal"));
  });

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    // For cron: silent on success unless asked, and always when output is not a terminal.
    report.quiet = !verbose && (report.quiet || !::isatty(STDOUT_FILENO));
    apply.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-tags", false, [&](kaiin::diagnostics& diag) {
      return c->parsed() ? kaiin::run_tags_check(check, diag) : kaiin::run_tags_apply(apply, diag);
    });
  });
}
