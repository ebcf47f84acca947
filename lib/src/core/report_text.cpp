// The text report a person reads in a terminal: FILE:LINE: severity: message
// [rule-id], a line a finding, the findings of one rule in one column folded after
// the first few, then one summary line.

#include <fmt/format.h>

#include "core/finding_groups.h"
#include "core/report_writer.h"
#include "core/stream_names.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {

class text_report : public report_writer {
 public:
  text_report(output_stream& out, report_state& state)
      : out_(out), state_(state), groups_(diagnostics::text_group_shown, ranges_kept) {}

  void finding(const finding_view& f, std::string_view message) override {
    if (f.file != group_file_) {
      write_group_lines();
      group_file_ = f.file;
    }
    if (!state_.list_all && !groups_.add(f.file, f.rule, f.column, f.severity, f.line).second) return;
    // One buffer kept from finding to finding, rather than a string for each value.
    line_.clear();
    line_ += shown_name(f.file);
    if (f.line) {
      line_ += ':';
      append_number(line_, f.line);
    }
    line_ += ": ";
    line_ += severity_label(f.severity);
    line_ += ": ";
    append_visible(line_, message);
    line_ += " [";
    line_ += f.rule;
    line_ += "]\n";
    out_.write(line_);
  }

  void finish(const report_state& s) override {
    write_group_lines();
    if (s.quiet || (s.terse && !s.errors && !s.warnings && !s.notable)) return;
    out_.write(summary_line(s));
  }

 private:
  static constexpr std::size_t ranges_kept = 5;

  // Writes the "N more" line of each group of the current file and forgets them.
  void write_group_lines() {
    for (const finding_group& g : groups_.groups()) {
      if (!g.more) continue;
      std::string lines = g.line_ranges();
      std::string message =
          g.column ? format_plural("{0} more in column '{1}' on line {2} (--all or --report json lists each)",
                                   "{0} more in column '{1}' on lines {2} (--all or --report json lists each)", g.more,
                                   grouped(g.more), visible(*g.column), lines)
                   : format_plural("{0} more on line {1} (--all or --report json lists each)",
                                   "{0} more on lines {1} (--all or --report json lists each)", g.more, grouped(g.more),
                                   lines);
      out_.write(fmt::format("{}: {}: {} [{}]\n", shown_name(g.file), severity_label(g.severity), message, g.rule));
    }
    groups_.clear();
  }

  output_stream& out_;
  report_state& state_;
  finding_groups groups_;
  std::string group_file_;  // the file the groups are of
  std::string line_;        // the line being written
};

}  // namespace

std::string summary_line(const report_state& s) {
  // TRANSLATORS: "kaiin-check: summary: records 9, errors 2, ..."
  std::string line = s.account + s.tool + ": " + _("summary") + ":";
  bool first = true;
  const std::string separator = list_separator();
  for (const summary_entry& e : s.summary) {
    if (!e.in_text) continue;
    line += (first ? std::string(" ") : separator) + summary_label(e.key) + " " + summary_text(e.value);
    // TRANSLATORS: a note on a summary item: "load file none (errors found)"
    if (!e.note.empty()) line += format_tr(" ({})", e.note);
    first = false;
  }
  return line + "\n";
}

std::unique_ptr<report_writer> make_text_report(output_stream& out, report_state& state) {
  return std::make_unique<text_report>(out, state);
}

}  // namespace kaiin::detail
