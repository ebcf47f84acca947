#include "kaiin/cli.h"

#include <unistd.h>

#include <fmt/format.h>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "cli/cli_messages.h"
#include "cli/help_formatter.h"
#include "cli/version.h"
#include "core/progress.h"
#include "core/progress_counters.h"
#include "core/text.h"
#include "core/tool_error.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/postal.h"
#include "members/profile.h"
#include "orders/order_profile.h"

namespace kaiin::cli {

namespace {
// Set while parsing when the input is - and standard input a terminal: run_tool()
// then keeps the progress line out of the way of the typing.
bool reads_terminal = false;
}  // namespace

std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description,
                                   const std::string& examples) {
  auto app = std::make_unique<CLI::App>(description, name);
  app->formatter(std::make_shared<help_formatter>());  // subcommands take it over
  translate_help(*app);                                // before the flags below, which take the default group's name
  app->set_help_flag("-h,--help", _("Print this help message and exit"));
  // The postal codes' date is read when asked, from the table the program would use.
  app->set_version_flag(
      "--version", [name] { return fmt::format("{} (kaiin) {}\n{}", name, kaiin::version, postal_data_version()); },
      _("Display program version information and exit"));
  // The example lines stay as they are: the tests run them.
  app->footer(std::string(_("Examples:")) + "\n" + examples + "\n" +
              format_tr("See {}(1) for every rule and option.", name));
  app->get_formatter()->column_width(30);
  return app;
}

void add_report_options(CLI::App& app, report_options& o) {
  static const std::map<std::string, report_format> formats{{"text", report_format::text},
                                                            {"json", report_format::json},
                                                            {"csv", report_format::csv},
                                                            {"html", report_format::html}};
  app.add_option("--report", o.format,
                 _("report findings as text, json (JSON Lines with a summary line), csv or html (one page to open "
                   "in a browser)"))
      ->transform(CLI::CheckedTransformer(formats))
      ->option_text("text|json|csv|html");
  app.add_flag("-q,--quiet", o.quiet, _("only errors: no warnings or summary in text reports"));
  app.add_option("--max-errors", o.max_errors,
                 o.stop_at_max_errors
                     ? _("stop at the N-th error: nothing after it is read, and the summary says where the run "
                         "stopped (0, the default: report all)")
                     : _("show at most N errors and count the rest; the whole input is still read (0, the default: "
                         "show all)"))
      ->option_text("N");
  app.add_flag("--all", o.all,
               format_tr("list every finding in a text report too (by default, after {} findings of one rule in one "
                         "column, one line says how many more and on which lines; json and csv list each)",
                         diagnostics::text_group_shown));
}

void apply_report_options(diagnostics& diag, const report_options& o) {
  diag.set_quiet(o.quiet);
  diag.set_max_errors(o.max_errors, o.stop_at_max_errors);
  diag.set_list_all(o.all);
}

void add_from_option(CLI::App& app, source_encoding& from) {
  static const std::map<std::string, source_encoding> names{{"auto", source_encoding::auto_detect},
                                                            {"utf-8", source_encoding::utf8},
                                                            {"cp932", source_encoding::cp932},
                                                            {"shift_jis", source_encoding::cp932},
                                                            {"sjis", source_encoding::cp932}};
  app.add_option("-f,--from", from,
                 _("input encoding: auto (BOM, else valid UTF-8, else valid CP932), utf-8 or cp932 "
                   "(shift_jis and sjis mean cp932)"))
      ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
      ->option_text("auto|utf-8|cp932");
}

void add_output_option(CLI::App& app, std::string& path, const std::string& what) {
  app.add_option("-o,--output", path, format_tr("{} (default: standard output), written atomically", what))
      ->option_text("FILE");
}

void add_escape_formulas_option(CLI::App& app, bool& on, const std::string& what) {
  app.add_flag("--escape-formulas", on,
               what.empty()
                   ? std::string(_("write ' before each cell of a --report csv that starts with = + - @ TAB or CR "
                                   "and is not a number, so that Excel shows it as text instead of running it; "
                                   "counted in the summary"))
                   : format_tr("write ' before each cell of {} (and of a --report csv) that starts with = + - @ TAB "
                               "or CR and is not a number, so that Excel shows it as text instead of running it; "
                               "counted in the summary, and to be removed again before an upload",
                               what));
}

void add_today_option(CLI::App& app, std::optional<date>& today, const std::string& what) {
  app.add_option_function<std::string>(
         "--today",
         [&today](const std::string& text) {
           today = parse_date(text);
           if (!today) throw CLI::ValidationError("--today", format_tr("'{}' is not a date written YYYY-MM-DD", text));
         },
         format_tr("{} (default: today)", what))
      ->option_text("YYYY-MM-DD");
}

CLI::Option* add_count_option(CLI::App& app, const std::string& name, std::uint64_t& n, std::uint64_t least,
                              const std::string& help) {
  return app
      .add_option_function<std::string>(
          name,
          [&n, name, least](const std::string& text) {
            std::optional<std::uint64_t> value = parse_count(text, least);
            if (!value) throw CLI::ValidationError(count_error(name + " N", text, least));
            n = *value;
          },
          help)
      ->option_text("N");
}

void add_wait_option(CLI::App& app, double& seconds, const std::string& what) {
  app.add_option_function<std::string>(
         "--wait",
         [&seconds](const std::string& text) {
           char* end = nullptr;
           const double value = std::strtod(text.c_str(), &end);
           if (text.empty() || *end != '\0' || !(value >= 0) || !std::isfinite(value))
             throw CLI::ValidationError(
                 format_tr("--wait SECONDS: SECONDS must be a number of at least 0, not '{}'", text));
           seconds = value;
         },
         format_tr("wait up to SECONDS for another run {} (default: fail at once)", what))
      ->option_text("SECONDS");
}

void add_profile_option(CLI::App& app, std::string& profile, const std::string& what) {
  app.add_option("--profile", profile,
                 format_tr("the header names of {}: a shipped profile (--list-profiles names them) or a profile FILE "
                           "(default: the profile that recognises most headers)",
                           what))
      ->option_text("NAME|FILE");
}

CLI::Option* add_to_option(CLI::App& app, encoding& to, const std::string& what, const std::string& default_name) {
  static const std::map<std::string, encoding> names{{"utf-8", encoding::utf8},
                                                     {"utf-8-bom", encoding::utf8_bom},
                                                     {"cp932", encoding::cp932},
                                                     {"shift_jis", encoding::cp932},
                                                     {"sjis", encoding::cp932}};
  CLI::Option* o =
      app.add_option("-t,--to", to,
                     default_name.empty()
                         ? format_tr("the encoding of {}: utf-8, utf-8-bom (for Excel) or cp932 (shift_jis and sjis "
                                     "mean cp932)",
                                     what)
                         : format_tr("the encoding of {}: utf-8, utf-8-bom (for Excel) or cp932 (shift_jis and sjis "
                                     "mean cp932); default {}",
                                     what, default_name))
          ->transform(CLI::CheckedTransformer(names, CLI::ignore_case))
          ->option_text("utf-8|utf-8-bom|cp932");
  if (default_name.empty()) o->required();
  return o;
}

void add_input_argument(CLI::App& app, std::string& path, const std::string& name, const std::string& what) {
  CLI::Option* input = app.add_option(name, path, format_tr("{} (default, or -: standard input)", what));
  // Standard input on a terminal is a person, not a file: without FILE the program
  // would wait for typing nobody meant (a progress line of zeros after 2 s), so it
  // is a usage error, as kaiin-check's required FILE is; with -, the terminal is
  // read as asked, said once, and without a progress line in the way of the typing.
  app.parse_complete_callback([&app, input, &path, name] {
    if (::isatty(STDIN_FILENO) != 1) return;
    if (input->count() == 0)
      throw CLI::ValidationError(name, format_tr("none given, and standard input is a terminal: name the file to "
                                                 "read (- reads what is typed there, up to Ctrl-D)"));
    if (path != "-") return;
    reads_terminal = true;
    const CLI::App* program = &app;  // kaiin-points, not its command check
    while (program->get_parent()) program = program->get_parent();
    std::fputs(format_tr("{}: reading standard input from the terminal, up to Ctrl-D\n", program->get_name()).c_str(),
               stderr);
  });
}

void add_newline_option(CLI::App& app, newline_style& newline, const std::string& what, bool keep) {
  static const std::map<std::string, newline_style> all{
      {"keep", newline_style::keep}, {"crlf", newline_style::crlf}, {"lf", newline_style::lf}};
  static const std::map<std::string, newline_style> fixed{{"crlf", newline_style::crlf}, {"lf", newline_style::lf}};
  app.add_option("--newline", newline,
                 keep ? format_tr("how the records of {} end: keep (each as in the input, the default), crlf or lf; "
                                  "newlines inside quoted fields are always kept",
                                  what)
                      : format_tr("how the records of {} end: crlf (the default) or lf", what))
      ->transform(CLI::CheckedTransformer(keep ? all : fixed))
      ->option_text(keep ? "keep|crlf|lf" : "crlf|lf");
}

void add_replacement_options(CLI::App& app, bool& fold, std::string& replace_file) {
  app.add_flag("--fold", fold,
               _("write what Macs and iPhones type (〜 U+301C, − U+2212, ..., ¥ U+00A5, ‾ U+203E) as the character "
                 "Windows has (～ U+FF5E, － U+FF0D, ..., \\ 0x5C, ~ 0x7E)"));
  app.add_option("--replace", replace_file,
                 _("a CSV of replacements from,to (one character each side of the comma, e.g. 𠮷,吉), applied "
                   "before encoding"))
      ->option_text("FILE");
}

void add_ranks_option(CLI::App& app, std::string& ranks, const std::string& where) {
  app.add_option("--ranks", ranks, format_tr("the rank names set up in {}, one a line: others are warnings", where))
      ->option_text("FILE");
}

CLI::Option* add_members_option(CLI::App& app, std::string& members, const std::string& use) {
  return app.add_option("--members", members, format_tr("the shop's member export: {}", use))->option_text("EXPORT");
}

void add_list_profiles_option(CLI::App& app) {
  app.add_flag_callback(
      "--list-profiles",
      [] {
        // Shell completion asks the program, so that the names are those of the data
        // folder this program reads (installed, KAIIN_DATADIR or a build's data/).
        for (const profile& p : builtin_profiles()) std::puts(p.name().c_str());
        throw CLI::Success();
      },
      _("print the names of the shipped profiles --profile takes, one a line, and exit"));
}

void add_order_profile_option(CLI::App& app, std::string& profile) {
  app.add_option("--order-profile", profile,
                 _("the header names of the order export: a shipped order profile (--list-order-profiles names "
                   "them) or a profile FILE (default: the one that recognises most headers)"))
      ->option_text("NAME|FILE");
}

void add_list_order_profiles_option(CLI::App& app) {
  app.add_flag_callback(
      "--list-order-profiles",
      [] {
        for (const order_profile& p : builtin_order_profiles()) std::puts(p.name().c_str());
        throw CLI::Success();
      },
      _("print the names of the shipped order profiles, one a line, and exit"));
}

void add_shared_options(CLI::App& app, const std::function<void(CLI::App&)>& declare) {
  declare(app);
  for (CLI::App* sub : app.get_subcommands({})) declare(*sub);
}

int run_job(diagnostics& diag, const std::function<int(diagnostics&)>& body) {
  try {
    return body(diag);
  } catch (const data_error& e) {
    diag.report({e.file(), 0, e.line(), std::nullopt, severity::error, e.rule(), e.what()});
    return 1;
  }
}

int report_on_stderr(const report_options& o, const std::string& tool, bool terse,
                     const std::function<int(diagnostics&)>& body) {
  // JSON Lines or CSV on a terminal would be corrupted by a progress line.
  if (o.format != report_format::text) progress::suppress();
  output_stream err(STDERR_FILENO, "<stderr>", 1 << 16);
  diagnostics diag(err, o.format, tool);
  apply_report_options(diag, o);
  diag.set_terse(terse);
  diag.set_escape_formulas(o.escape_formulas);
  int status;
  try {
    status = run_job(diag, body);
  } catch (...) {
    // The findings made before a failure (a row error of the first file, then a
    // second file without its key column) belong before run_tool's error line.
    try {
      diag.flush();
    } catch (...) {  // stderr itself failing: the error line is all that can still go
    }
    throw;
  }
  diag.finish();
  return status;
}

int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
  std::signal(SIGPIPE, SIG_IGN);  // write() reports EPIPE instead; see broken_pipe
  const std::string tool = app.get_name();
  int status;
  translate_help(app);  // the groups of subcommands and options added since make_app()
  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
      std::fputs(app.help().c_str(), stdout);
      return std::fflush(stdout) == 0 ? 0 : 2;
    } catch (const CLI::CallForVersion&) {
      std::puts(app.version().c_str());
      return std::fflush(stdout) == 0 ? 0 : 2;
    } catch (const CLI::Success&) {  // --list-profiles printed what was asked
      return std::fflush(stdout) == 0 ? 0 : 2;
    } catch (const CLI::ParseError& e) {
      print_tool_error(tool, usage_error(e, app) + "\n" + format_tr("Run '{} --help' for usage.", tool));
      return 2;
    }
    progress::session progress(tool);  // cleared before any error below is printed
    if (reads_terminal) progress::suppress();
    status = body();
  } catch (const broken_pipe&) {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    return 2;
  } catch (const error& e) {
    print_tool_error(tool, e.what(), e.file(), e.line(), e.column());  // the place, then the message
    return 2;
  } catch (const std::bad_alloc&) {
    print_tool_error(tool, _("out of memory"));
    return 2;
  } catch (const std::exception& e) {
    print_tool_error(tool, format_tr("internal error: {}", e.what()));
    return 2;
  }
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    print_tool_error(tool, _("cannot write <stdout>"));
    return 2;
  }
  return status;
}

}  // namespace kaiin::cli
