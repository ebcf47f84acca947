#pragma once
/// \file
/// Findings and reports (spec §9): every finding has file, record, physical line,
/// column name, severity, rule id and message, written as text, JSON Lines or CSV,
/// followed by a summary. Also how a tool's own failure is printed.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kaiin/io.h"

namespace kaiin {

enum class severity { warning, error };
enum class report_format { text, json, csv };

/// One problem found in the user's data.
struct finding {
  std::string file;                   ///< as given on the command line, "<stdin>" for -
  std::uint64_t record = 0;           ///< 1 = first data record, 0 = header or whole file
  std::uint64_t line = 0;             ///< physical line where the record starts, 1 = header
  std::optional<std::string> column;  ///< header name, or none
  kaiin::severity severity = severity::error;
  std::string rule;     ///< stable id, e.g. "csv-unterminated-quote"
  std::string message;  ///< lower-case start, no trailing period
};

/// Collects findings, writes them as they come, counts them, ends with a summary.
class diagnostics {
 public:
  /// \p out receives the report; \p tool names the program in the text summary.
  diagnostics(output_stream& out, report_format format, std::string tool);

  /// Shows at most \p n errors (0: all); the rest are counted.
  void set_max_errors(std::uint64_t n) { max_errors_ = n; }
  /// In text form, leave out warnings and the summary (--quiet).
  void set_quiet(bool quiet) { quiet_ = quiet; }
  /// In text form, write the summary only when something was found or marked
  /// notable, so that a clean run of a converter is silent like iconv.
  void set_terse(bool terse) { terse_ = terse; }
  /// Something the user should hear of even without findings (a character folded).
  void mark_notable() { notable_ = true; }
  /// --escape-formulas: a CSV report escapes cells that look like formulas, and the
  /// summary counts the cells escaped there and those a tool adds with add_escaped().
  void set_escape_formulas(bool on) { escape_formulas_ = on; }
  /// Counts cells of a tool's own output that were escaped (see set_escape_formulas).
  void add_escaped(std::uint64_t n) { escaped_ += n; }

  void report(const finding& f);
  /// True once --max-errors errors were reported: a tool may stop reading.
  bool limit_reached() const { return max_errors_ && errors_ >= max_errors_; }

  /// A summary value: a count, a text, or counts by name (a JSON object: kaiin-crm's
  /// held_back).
  using summary_value = std::variant<std::uint64_t, std::string, std::vector<std::pair<std::string, std::uint64_t>>>;
  /// Adds a line to the summary; keys keep their order. \p in_text false: in JSON
  /// only, where set_account() says the same to people.
  void summary(std::string key, summary_value value, bool in_text = true);
  /// Lines for people, written before the summary line of a text report (unless
  /// quiet): kaiin-crm's account of members and orders. JSON has the keys instead.
  void set_account(std::string lines) { account_ = std::move(lines); }
  /// Writes the summary and flushes the report.
  void finish();
  /// Writes out the findings so far: before a tool fails for what they say, so that
  /// its error follows them.
  void flush() { out_.flush(); }

  std::uint64_t errors() const { return errors_; }
  std::uint64_t warnings() const { return warnings_; }
  /// 0 without errors (warnings allowed), 1 with.
  int exit_status() const { return errors_ ? 1 : 0; }

 private:
  output_stream& out_;
  report_format format_;
  std::string tool_;
  std::uint64_t max_errors_ = 0, errors_ = 0, warnings_ = 0, hidden_ = 0, escaped_ = 0;
  bool quiet_ = false, terse_ = false, notable_ = false, escape_formulas_ = false;
  struct summary_entry {
    std::string key;
    summary_value value;
    bool in_text;
  };
  std::vector<summary_entry> summary_;
  std::string account_;
};

/// `kaiin-conv: error: 'members.csv':12: message` on standard error (`:12:3:` with a
/// column).
void print_tool_error(std::string_view tool, std::string_view message, std::string_view file = {},
                      std::uint64_t line = 0, std::uint64_t column = 0);

/// \p s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace kaiin
