#pragma once
// The formats of a report (spec §9): diagnostics counts the findings and keeps the
// summary; a report_writer, one a format, writes them. Text, JSON Lines and CSV
// write each finding as it comes; HTML writes its page at the end. Private to the
// library.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kaiin/diagnostics.h"
#include "kaiin/io.h"

namespace kaiin::detail {

/// One line of a summary, in the order the program added them.
struct summary_entry {
  std::string key;
  diagnostics::summary_value value;
  std::string note;     // translated, after the value in parentheses (text and HTML)
  bool in_text = true;  // false: JSON and CSV only (summary_json_only)
};

/// What the set_ functions of diagnostics set, the summary it keeps, and what it
/// counted: everything a writer reads besides the findings.
struct report_state {
  std::string tool;
  bool quiet = false, terse = false, list_all = false, escape_formulas = false, notable = false;
  std::uint64_t errors = 0, warnings = 0, escaped = 0;
  std::vector<summary_entry> summary;
  std::string account;        // lines for people before a text summary (kaiin-crm)
  std::string compared_with;  // kaiin-check --current's export (HTML only)
};

/// Writes a report in one format. diagnostics has counted each finding it passes on
/// and left out those --quiet or --max-errors hide.
class report_writer {
 public:
  virtual ~report_writer() = default;
  /// A finding to show; \p message is the finding's, shortened when it is long.
  virtual void finding(const finding_view& f, std::string_view message) = 0;
  /// True when the report shows the findings' values.
  virtual bool wants_values() const { return false; }
  /// A change kaiin-fix made, for a report that shows them (one that wants_values).
  virtual void change(const change_view&) {}
  /// The end: what is left of the findings, then the summary; \p s holds the final
  /// counts. Flushes nothing: diagnostics does.
  virtual void finish(const report_state& s) = 0;
};

/// The writer of \p format, writing to \p out; \p state lives as long as the writer.
std::unique_ptr<report_writer> make_report_writer(report_format format, output_stream& out, report_state& state);
/// The writers, each in a file of its own (report_text.cpp, report_json.cpp, ...).
std::unique_ptr<report_writer> make_text_report(output_stream& out, report_state& state);
std::unique_ptr<report_writer> make_json_report(output_stream& out, report_state& state);
std::unique_ptr<report_writer> make_csv_report(output_stream& out, report_state& state);
std::unique_ptr<report_writer> make_html_report(output_stream& out, report_state& state);

/// The summary line of a text report (after kaiin-crm's account): "kaiin-check:
/// summary: records 9, errors 2, ...".
std::string summary_line(const report_state& s);
/// What a report for people calls summary key \p key: the key with spaces for
/// underscores, translated ("records_changed": "records changed", 変更したレコード).
std::string summary_label(const std::string& key);
/// A summary value as a person reads it: 20, cp932, (cancelled 1, returned 2).
std::string summary_text(const diagnostics::summary_value& v);
/// What separates the items of a summary or a list for people: ", ", or 、 in
/// Japanese.
std::string list_separator();
/// 999990 as 999,990: a count a person reads at a glance.
std::string grouped(std::uint64_t n);
/// "error" or "warning", as JSON and CSV reports write a severity.
std::string_view severity_name(severity s);
/// Appends \p n in decimal (without a format string: a report writes a few a finding).
void append_number(std::string& out, std::uint64_t n);

/// Appends \p s for one line of text a person reads: CR, LF and other control
/// characters as \r, \n and \xXX (a TAB is harmless there).
void append_visible(std::string& out, std::string_view s);
/// append_visible() into a string of its own.
std::string visible(std::string_view s);

}  // namespace kaiin::detail
