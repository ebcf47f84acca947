// kaiin-conv: CP932 ⇄ UTF-8 for CSV files, checked, with nothing lost on the way.

#include "kaiin/cli.h"
#include "kaiin/conv.h"
#include "kaiin/i18n.h"

int main(int argc, char** argv) {
  kaiin::conv_options options;
  kaiin::cli::report_options report;
  auto app = kaiin::cli::make_app(
      "kaiin-conv", _("Convert a CSV file between CP932 (Shift_JIS) and UTF-8, checking every byte."),
      "  kaiin-conv -t utf-8 samples/members_cp932.csv\n"
      "  kaiin-conv -f cp932 -t utf-8-bom --newline crlf -o members_excel.csv "
      "samples/members_cp932.csv\n"
      "  kaiin-conv -t cp932 --fold -o upload_sjis.csv samples/members_mac.csv\n"
      "  kaiin-conv -t cp932 --replace samples/replace.csv -o upload_sjis.csv "
      "samples/members_gaiji.csv\n"
      "  cat samples/members_cp932.csv | kaiin-conv -t utf-8 --report json > members.csv\n");
  kaiin::cli::add_input_argument(*app, options.input, "FILE", _("the CSV to convert"));
  kaiin::cli::add_from_option(*app, options.from);
  kaiin::cli::add_to_option(*app, options.to, _("the output"), "");
  kaiin::cli::add_replacement_options(*app, options.fold, options.replace_file);
  kaiin::cli::add_newline_option(*app, options.newline, _("the converted CSV"), true);
  kaiin::cli::add_output_option(*app, options.output, _("where to write the converted CSV"));
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, _("the converted CSV"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    options.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-conv", true,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_conv(options, diag); });
  });
}
