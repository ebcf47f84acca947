#pragma once
/// \file
/// Findings and reports (spec §9): every finding has file, record, physical line,
/// column name, severity, rule id and message, written as text, JSON Lines or CSV,
/// followed by a summary. Also how a tool's own failure is printed.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "kaiin/io.h"

namespace kaiin {

/// How bad a finding is: an error makes the exit status 1, a warning does not.
enum class severity { warning, error };
/// "error" or "warning" in the user's language, as a text report and a tool's
/// failure write it (JSON and CSV reports keep the machine names).
std::string_view severity_label(severity s);
/// --report: text for people, JSON Lines or CSV for programs and Excel.
enum class report_format { text, json, csv, html };

/// One problem found in the user's data.
struct finding {
  std::string file;                            ///< as given on the command line, "<stdin>" for -
  std::uint64_t record = 0;                    ///< 1 = first data record, 0 = header or whole file
  std::uint64_t line = 0;                      ///< physical line where the record starts, 1 = header
  std::optional<std::string> column;           ///< header name, or none
  kaiin::severity severity = severity::error;  ///< error or warning
  std::string rule;                            ///< stable id, e.g. "csv-unterminated-quote"
  std::string message;                         ///< lower-case start, no trailing period
  /// The value the finding is about as it stands in the file (a report for people
  /// may show it), or none: a finding of a row, a header or a file, or a password.
  std::optional<std::string> value = std::nullopt;
};

/// A finding whose texts belong to someone else (a batch's text, a header's column
/// names): what a job that makes a finding a row reports without a string of its
/// own for each part. diagnostics copies what it keeps, so the texts need only
/// outlive the call to report().
struct finding_view {
  std::string_view file;                                 ///< as in finding
  std::uint64_t record = 0;                              ///< as in finding
  std::uint64_t line = 0;                                ///< as in finding
  std::optional<std::string_view> column;                ///< as in finding
  kaiin::severity severity = severity::error;            ///< as in finding
  std::string_view rule;                                 ///< as in finding
  std::string_view message;                              ///< as in finding
  std::optional<std::string_view> value = std::nullopt;  ///< as in finding
};

/// A value kaiin-fix changed, for a report that shows the changes (--report html):
/// on \p line of \p file, in \p column, by \p rule, from \p before to \p after.
struct change_view {
  std::string_view file;
  std::uint64_t line = 0;
  std::string_view column, rule, before, after;
};

namespace detail {
class report_writer;
struct report_state;
}  // namespace detail

/// Collects findings, writes them as they come, counts them, ends with a summary.
class diagnostics {
 public:
  /// \p out receives the report; \p tool names the program in the text summary.
  diagnostics(output_stream& out, report_format format, std::string tool);
  ~diagnostics();
  diagnostics(const diagnostics&) = delete;
  diagnostics& operator=(const diagnostics&) = delete;

  /// Shows at most \p n errors (0: all); the rest are counted.
  void set_max_errors(std::uint64_t n) { max_errors_ = n; }
  /// In text form, leave out warnings and the summary (--quiet).
  void set_quiet(bool quiet);
  /// In text form, write the summary only when something was found or marked
  /// notable, so that a clean run of a converter is silent like iconv.
  void set_terse(bool terse);
  /// In text form, list every finding (--all). By default a text report, which a
  /// person reads, shows the first text_group_shown findings of one rule in one
  /// column of one file, then one line saying how many more and on which lines; JSON
  /// and CSV reports always list each.
  void set_list_all(bool all);
  /// Findings of one rule in one column a text report shows before it folds the rest.
  static constexpr std::uint64_t text_group_shown = 10;
  /// Something the user should hear of even without findings (a character folded).
  void mark_notable();
  /// --escape-formulas: a CSV report escapes cells that look like formulas, and the
  /// summary counts the cells escaped there and those a tool adds with add_escaped().
  void set_escape_formulas(bool on);
  /// Counts cells of a tool's own output that were escaped (see set_escape_formulas).
  void add_escaped(std::uint64_t n);

  /// Counts \p f and writes it, unless --quiet hides a warning or --max-errors an error.
  void report(const finding& f);
  /// report() of a finding whose texts are views: nothing is kept of them past the call.
  void report_view(const finding_view& f);
  /// True when the report shows the values findings are about (finding::value): a
  /// program leaves them out otherwise, and saves the copies.
  bool wants_values() const;
  /// Shows \p c where the report shows changes (when wants_values()); counts nothing.
  void change(const change_view& c);
  /// kaiin-check --current: the export the upload was compared with, which a report
  /// for people names at the top (the text and JSON summaries count its members).
  void set_compared_with(std::string path);
  /// True once --max-errors errors were reported: a tool may stop reading.
  bool limit_reached() const { return max_errors_ && errors_ >= max_errors_; }

  /// A summary value: a count, a text, or counts by name (a JSON object: kaiin-crm's
  /// held_back).
  using summary_value = std::variant<std::uint64_t, std::string, std::vector<std::pair<std::string, std::uint64_t>>>;
  /// Adds a line to the summary; keys keep their order. \p note (translated) follows
  /// the value in parentheses in a text summary only: "from cp932 (detected)".
  void summary(std::string key, summary_value value, std::string note = {});
  /// Adds a key to a JSON or CSV summary only, where set_account() says the same to
  /// people in a text report.
  void summary_json_only(std::string key, summary_value value);
  /// Lines for people, written before the summary line of a text report (unless
  /// quiet): kaiin-crm's account of members and orders. JSON has the keys instead.
  void set_account(std::string lines);
  /// Writes the summary and flushes the report.
  void finish();
  /// Writes out the findings so far: before a tool fails for what they say, so that
  /// its error follows them.
  void flush();

  /// Errors reported so far, shown or not.
  std::uint64_t errors() const { return errors_; }
  /// Warnings reported so far.
  std::uint64_t warnings() const { return warnings_; }
  /// 0 without errors (warnings allowed), 1 with.
  int exit_status() const { return errors_ ? 1 : 0; }

 private:
  output_stream& out_;
  report_format format_;
  std::uint64_t max_errors_ = 0, errors_ = 0, warnings_ = 0, hidden_ = 0;
  bool hide_warnings_ = false;                     // --quiet in a text report
  std::unique_ptr<detail::report_state> state_;    // settings, summary, account
  std::unique_ptr<detail::report_writer> writer_;  // writes the report in its format
  std::string short_message_;                      // a long message, shortened
};

/// \p s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);
/// Appends json_quote(\p s) to \p out.
void append_json_quoted(std::string& out, std::string_view s);

}  // namespace kaiin
