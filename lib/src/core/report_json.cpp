// The JSON Lines report (spec §9): one object a finding with the keys file, record,
// line, column, severity, rule and message, then one {"summary": {...}} line.

#include <variant>

#include "core/report_writer.h"

namespace kaiin::detail {

namespace {

class json_report : public report_writer {
 public:
  explicit json_report(output_stream& out) : out_(out) {}

  void finding(const finding_view& f, std::string_view message) override {
    // One buffer kept from finding to finding, rather than a string for each value.
    line_.clear();
    line_ += "{\"file\":";
    line_ += file_.of(f.file);
    // (append_number, not a format string: parsing one a finding was 2% of the time.)
    line_ += ",\"record\":";
    append_number(line_, f.record);
    line_ += ",\"line\":";
    append_number(line_, f.line);
    line_ += ",\"column\":";
    if (f.column)
      line_ += column_.of(*f.column);
    else
      line_ += "null";
    line_ += ",\"severity\":\"";
    line_ += severity_name(f.severity);
    line_ += "\",\"rule\":";
    line_ += rule_.of(f.rule);
    line_ += ",\"message\":";
    append_json_quoted(line_, message);
    line_ += "}\n";
    out_.write(line_);
  }

  void finish(const report_state& s) override {
    std::string line = "{\"summary\":{";
    bool first = true;
    for (const summary_entry& e : s.summary) {
      line += (first ? "" : ",") + json_quote(e.key) + ":" + json_of(e.value);
      first = false;
    }
    out_.write(line + "}}\n");
  }

 private:
  static std::string json_of(const diagnostics::summary_value& v) {
    if (auto n = std::get_if<std::uint64_t>(&v)) return std::to_string(*n);
    if (auto t = std::get_if<std::string>(&v)) return json_quote(*t);
    std::string out;
    for (const auto& [key, n] : std::get<std::vector<std::pair<std::string, std::uint64_t>>>(v))
      out += (out.empty() ? "" : ",") + json_quote(key) + ":" + std::to_string(n);
    return "{" + out + "}";
  }

  // A report's file, column and rule are a handful of texts from finding to
  // finding: each is quoted again only when it changes.
  struct quoted_text {
    std::string text, quoted;
    bool set = false;
    const std::string& of(std::string_view s) {
      if (!set || s != text) {
        text.assign(s);
        quoted.clear();
        append_json_quoted(quoted, s);
        set = true;
      }
      return quoted;
    }
  };

  output_stream& out_;
  quoted_text file_, column_, rule_;
  std::string line_;  // the line being written
};

}  // namespace

std::unique_ptr<report_writer> make_json_report(output_stream& out, report_state&) {
  return std::make_unique<json_report>(out);
}

}  // namespace kaiin::detail
