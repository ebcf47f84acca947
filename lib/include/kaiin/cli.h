#pragma once
/// \file
/// What every kaiin program shares on its command line: the options they all
/// spell alike, --version from one place, and run_tool(), which turns errors into
/// messages and exit statuses (0 clean, 1 the data has errors, 2 usage or I/O).

#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "kaiin/csv.h"
#include "kaiin/date.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"

namespace kaiin::cli {

/// Options about reports that every tool has.
struct report_options {
  report_format format = report_format::text;  ///< --report
  bool quiet = false;                          ///< -q, --quiet
  std::uint64_t max_errors = 0;                ///< --max-errors; 0: all
  bool all = false;                            ///< --all: a text report lists every finding
  bool escape_formulas = false;                ///< --escape-formulas, for a --report csv too
};

/// A new CLI11 app with kaiin's conventions: --help, --version, the examples
/// footer (each example line is run by the tests).
std::unique_ptr<CLI::App> make_app(const std::string& name, const std::string& description,
                                   const std::string& examples);

/// --report text|json|csv, --quiet, --max-errors N, --all.
void add_report_options(CLI::App& app, report_options& o);
/// Sets \p diag up as \p o asks (--quiet, --max-errors, --all).
void apply_report_options(diagnostics& diag, const report_options& o);
/// -f/--from auto|utf-8|cp932.
void add_from_option(CLI::App& app, source_encoding& from);
/// -o/--output FILE ("-" is standard output), written atomically.
void add_output_option(CLI::App& app, std::string& path, const std::string& what);
/// --escape-formulas (bound to \p on): ' before each cell that looks_like_formula()
/// in \p what, the CSV files the program writes for people, and in a --report csv;
/// \p what empty: a --report csv is all the program writes.
void add_escape_formulas_option(CLI::App& app, bool& on, const std::string& what);
/// --today YYYY-MM-DD: the date that rules and checks count from; a bad date is a
/// usage error.
void add_today_option(CLI::App& app, std::optional<date>& today, const std::string& what);

/// An option \p name taking a count N (bound to \p n): a whole number of at least
/// \p least, written in digits; anything else (0 where 1 is the least, -3, 5x) is a
/// usage error saying what N must be.
CLI::Option* add_count_option(CLI::App& app, const std::string& name, std::uint64_t& n, std::uint64_t least,
                              const std::string& help);
/// --wait SECONDS (bound to \p seconds): how long a cron run waits for another run's
/// lock (\p what); a number of at least 0, else a usage error.
void add_wait_option(CLI::App& app, double& seconds, const std::string& what);

/// --profile NAME|FILE (bound to \p profile): which header names \p what uses, a
/// shipped profile or the user's own file; by default the profile that recognises
/// most of the header.
void add_profile_option(CLI::App& app, std::string& profile, const std::string& what);
/// -t/--to utf-8|utf-8-bom|cp932 (shift_jis and sjis mean cp932): the encoding of
/// \p what; \p default_name is said in the help, or the option is required when empty.
CLI::Option* add_to_option(CLI::App& app, encoding& to, const std::string& what, const std::string& default_name);

/// The input FILE, a positional argument (bound to \p path): \p what, with "-" or
/// none for standard input. Standard input on a terminal is not read without "-"
/// (a usage error says to name the file), and with "-" the program says it reads it.
void add_input_argument(CLI::App& app, std::string& path, const std::string& name, const std::string& what);
/// --newline (bound to \p newline): how the records of \p what end. With \p keep,
/// keep|crlf|lf and keep (each as in the input) the default; else crlf|lf, crlf the
/// default.
void add_newline_option(CLI::App& app, newline_style& newline, const std::string& what, bool keep);
/// --fold and --replace FILE (bound to \p fold and \p replace_file): characters
/// written as others while encoding, what Macs and iPhones type as what Windows has,
/// and the user's own replacements.
void add_replacement_options(CLI::App& app, bool& fold, std::string& replace_file);
/// --ranks FILE (bound to \p ranks): the rank names set up in \p where, one a line;
/// a member's rank not among them is a warning.
void add_ranks_option(CLI::App& app, std::string& ranks, const std::string& where);
/// --members EXPORT (bound to \p members): the shop's member export, and what the
/// program does with it (\p use).
CLI::Option* add_members_option(CLI::App& app, std::string& members, const std::string& use);

/// --list-profiles: prints the shipped profiles' names, one a line, and exits 0 (for
/// shell completion of --profile).
void add_list_profiles_option(CLI::App& app);

/// --order-profile NAME|FILE (bound to \p profile): which header names and status
/// values the order export uses, a shipped order profile or the user's own file.
void add_order_profile_option(CLI::App& app, std::string& profile);
/// --list-order-profiles: prints the shipped order profiles' names, one a line, and
/// exits 0 (for shell completion of --order-profile).
void add_list_order_profiles_option(CLI::App& app);

/// Declares options with \p declare on \p app and again on each of its subcommands
/// (call it once they are all added), bound to the same variables: the options the
/// subcommands share are taken before the subcommand and after it, as users type
/// them (`kaiin-points check FILE --report json`), and each subcommand's --help
/// lists them.
void add_shared_options(CLI::App& app, const std::function<void(CLI::App&)>& declare);

/// Runs a job's \p body with its findings going to \p diag and returns its status; a
/// kaiin::data_error it throws (an empty file, a column the header lacks) becomes one
/// finding on the file's line 1 and the status 1, as any problem of the data.
int run_job(diagnostics& diag, const std::function<int(diagnostics&)>& body);

/// Runs \p body with findings reported on standard error as \p o says, then
/// writes the summary; returns \p body's status. \p terse: the text summary only
/// when something was found (a converter's clean run is silent).
int report_on_stderr(const report_options& o, const std::string& tool, bool terse,
                     const std::function<int(diagnostics&)>& body);

/// Parses the command line and runs \p body, which returns the exit status.
/// Prints usage errors and kaiin::error as `tool: error: ...` and returns 2; a
/// broken pipe ends the program quietly, as coreutils do; standard output is
/// checked for write errors before a 0 is returned.
int run_tool(CLI::App& app, int argc, char** argv, const std::function<int()>& body);

}  // namespace kaiin::cli
