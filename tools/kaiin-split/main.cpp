// kaiin-split: delete rows apart, one row per e-mail address, files cut to upload
// limits; every byte of the records copied as it was.

#include "kaiin/cli.h"
#include "kaiin/i18n.h"
#include "kaiin/split.h"

int main(int argc, char** argv) {
  kaiin::split_options options;
  kaiin::cli::report_options report;
  std::string by;
  auto app = kaiin::cli::make_app(
      "kaiin-split", _("Split a member CSV: delete rows apart, one row per e-mail address, or files cut to a limit."),
      "  kaiin-split --by action -d out samples/upload_mixed.csv\n"
      "  kaiin-split --by address -o crm.csv samples/upload.csv\n"
      "  kaiin-split --by address --subscribed-only -o crm.csv samples/upload.csv\n"
      "  kaiin-split --by rows:5 -d out samples/upload.csv\n"
      "  kaiin-split --by bytes:2KB -d out samples/upload.csv\n");
  kaiin::cli::add_input_argument(*app, options.input, "FILE", _("the member CSV to split"));
  app->add_option("--by", by,
                  _("action: n and u rows to PREFIX.nu.csv, d rows to PREFIX.d.csv; address: one row per e-mail "
                    "address; rows:N or bytes:N: PREFIX.001.csv ... of at most N records or bytes (KB, MB, KiB, "
                    "MiB allowed) with the header in each"))
      ->required()
      ->option_text("action|address|rows:N|bytes:N");
  app->add_option("-d,--dir", options.dir, _("the folder the files of action, rows and bytes go to (default: .)"))
      ->option_text("DIR");
  app->add_option("--prefix", options.prefix, _("how the files' names start (default: the input's name without .csv)"))
      ->option_text("NAME");
  app->add_flag("--subscribed-only", options.subscribed_only,
                _("with --by address: only members who receive the mail magazine (mailmag 1)"));
  kaiin::cli::add_profile_option(*app, options.profile, _("the member CSV"));
  kaiin::cli::add_list_profiles_option(*app);
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_output_option(*app, options.output, _("with --by address: where to write"));
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, _("every file written"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    kaiin::parse_split_by(by, options);
    options.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-split", false,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_split(options, diag); });
  });
}
