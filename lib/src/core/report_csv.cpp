// The CSV report (spec §9): the columns of the JSON report, in a file Excel opens
// as it is (UTF-8 with a BOM, CRLF); its summary goes to standard error as text,
// so that the file holds one table.

#include <unistd.h>

#include "core/progress_counters.h"
#include "core/report_writer.h"
#include "kaiin/csv.h"

namespace kaiin::detail {

namespace {

class csv_report : public report_writer {
 public:
  csv_report(output_stream& out, report_state& state) : out_(out), state_(state) {
    out_.write(
        "\xEF\xBB\xBF"
        "file,record,line,column,severity,rule,message\r\n");
  }

  void finding(const finding_view& f, std::string_view message) override {
    csv_writer w(out_, csv_dialect::csv(), "\r\n");
    w.set_escape_formulas(state_.escape_formulas);  // a column name or file name may start with =
    std::string record = std::to_string(f.record), line = std::to_string(f.line);
    std::string_view column = f.column ? *f.column : std::string_view();
    std::string_view row[] = {f.file, record, line, column, severity_name(f.severity), f.rule, message};
    w.write(row);
    state_.escaped += w.escaped();
  }

  void finish(const report_state& s) override {
    if (s.quiet || (s.terse && !s.errors && !s.warnings && !s.notable)) return;
    const std::string line = summary_line(s);
    out_.flush();  // the findings before the summary, when both go to the terminal
    progress::terminal_write guard(STDERR_FILENO, line);
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
  }

 private:
  output_stream& out_;
  report_state& state_;
};

}  // namespace

std::unique_ptr<report_writer> make_csv_report(output_stream& out, report_state& state) {
  return std::make_unique<csv_report>(out, state);
}

}  // namespace kaiin::detail
