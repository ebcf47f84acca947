// kaiin-conv: CP932 ⇄ UTF-8 for CSV files, checked, with nothing lost on the way.

#include <unistd.h>

#include <map>

#include "kaiin/cli.h"
#include "kaiin/conv.h"
#include "kaiin/i18n.h"

int main(int argc, char** argv) {
  kaiin::conv_options o;
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
  static const std::map<std::string, kaiin::newline_style> newlines{
      {"keep", kaiin::newline_style::keep}, {"crlf", kaiin::newline_style::crlf}, {"lf", kaiin::newline_style::lf}};

  app->add_option("FILE", o.input, _("the CSV to convert (default, or -: standard input)"));
  kaiin::cli::add_from_option(*app, o.from);
  kaiin::cli::add_to_option(*app, o.to, _("the output"), "");
  app->add_flag("--fold", o.fold,
                _("write what Macs and iPhones type (〜 U+301C, − U+2212, ...) as the character "
                  "Windows has (～ U+FF5E, － U+FF0D, ...), counted in the summary"));
  app->add_option("--replace", o.replace_file,
                  _("a CSV of replacements from,to (one character each side of the comma, e.g. "
                    "𠮷,吉), applied before encoding and counted"))
      ->option_text("FILE");
  app->add_option("--newline", o.newline,
                  _("record newlines: keep (each as in the input), crlf or lf; newlines inside "
                    "quoted fields are always kept"))
      ->transform(CLI::CheckedTransformer(newlines))
      ->option_text("keep|crlf|lf");
  kaiin::cli::add_output_option(*app, o.output, _("where to write the converted CSV"));
  kaiin::cli::add_report_options(*app, report);
  kaiin::cli::add_escape_formulas_option(*app, report.escape_formulas, _("the converted CSV"));

  return kaiin::cli::run_tool(*app, argc, argv, [&] {
    o.escape_formulas = report.escape_formulas;
    return kaiin::cli::report_on_stderr(report, "kaiin-conv", true,
                                        [&](kaiin::diagnostics& diag) { return kaiin::run_conv(o, diag); });
  });
}
