#include "kaiin/diagnostics.h"

#include <unistd.h>

#include <fmt/format.h>

#include "kaiin/csv.h"

namespace kaiin {

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F)
          out += fmt::format("\\u{:04x}", c);
        else
          out += ch;
    }
  }
  return out + "\"";
}

namespace {
std::string_view severity_name(severity s) { return s == severity::error ? "error" : "warning"; }
}  // namespace

diagnostics::diagnostics(output_stream& out, report_format format, std::string tool)
    : out_(out), format_(format), tool_(std::move(tool)) {
  if (format_ == report_format::csv) {
    // UTF-8 with a BOM and CRLF: what Excel opens without an import dialog.
    out_.write("\xEF\xBB\xBF" "file,record,line,column,severity,rule,message\r\n");
  }
}

void diagnostics::report(const finding& f) {
  if (f.severity == severity::error) {
    if (limit_reached()) {
      ++hidden_;
      ++errors_;
      return;
    }
    ++errors_;
  } else {
    ++warnings_;
    if (quiet_ && format_ == report_format::text) return;
  }
  switch (format_) {
    case report_format::text: {
      std::string where = f.line ? fmt::format("{}:{}", f.file, f.line) : f.file;
      out_.write(fmt::format("{}: {}: {} [{}]\n", where, severity_name(f.severity), f.message, f.rule));
      break;
    }
    case report_format::json:
      out_.write(fmt::format(
          "{{\"file\":{},\"record\":{},\"line\":{},\"column\":{},\"severity\":\"{}\",\"rule\":{},"
          "\"message\":{}}}\n",
          json_quote(f.file), f.record, f.line, f.column ? json_quote(*f.column) : "null",
          severity_name(f.severity), json_quote(f.rule), json_quote(f.message)));
      break;
    case report_format::csv: {
      csv_writer w(out_, csv_dialect::csv(), "\r\n");
      std::string record = std::to_string(f.record), line = std::to_string(f.line);
      // (A conditional of std::string and "" would make a temporary std::string, and
      // the view would dangle.)
      std::string_view column = f.column ? std::string_view(*f.column) : std::string_view();
      std::string_view row[] = {f.file, record, line, column,
                                severity_name(f.severity), f.rule, f.message};
      w.write(row);
      break;
    }
  }
}

void diagnostics::summary(std::string key, std::variant<std::uint64_t, std::string> value) {
  for (auto& [k, v] : summary_) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  summary_.emplace_back(std::move(key), std::move(value));
}

void diagnostics::finish() {
  summary("errors", errors_);
  summary("warnings", warnings_);
  if (hidden_) summary("errors_not_shown", hidden_);
  auto text_of = [](const std::variant<std::uint64_t, std::string>& v) {
    return std::holds_alternative<std::uint64_t>(v) ? std::to_string(std::get<std::uint64_t>(v))
                                                    : std::get<std::string>(v);
  };
  if (format_ == report_format::json) {
    std::string line = "{\"summary\":{";
    bool first = true;
    for (auto& [k, v] : summary_) {
      line += (first ? "" : ",") + json_quote(k) + ":" +
              (std::holds_alternative<std::uint64_t>(v) ? text_of(v) : json_quote(text_of(v)));
      first = false;
    }
    out_.write(line + "}}\n");
  } else if (!quiet_ && (!terse_ || errors_ || warnings_ || notable_)) {
    // A CSV report holds findings only (one table for Excel): its summary goes to
    // standard error as text.
    std::string line = tool_ + ": summary:";
    bool first = true;
    for (auto& [k, v] : summary_) {
      std::string key = k;
      for (char& c : key)
        if (c == '_') c = ' ';
      line += (first ? " " : ", ") + key + " " + text_of(v);
      first = false;
    }
    line += "\n";
    if (format_ == report_format::text) {
      out_.write(line);
    } else {
      out_.flush();  // the findings before the summary, when both go to the terminal
      [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
    }
  }
  out_.flush();
}

void print_tool_error(std::string_view tool, std::string_view message, std::string_view file,
                      std::uint64_t line) {
  std::string where;
  if (!file.empty()) where = line ? fmt::format("'{}':{}: ", file, line) : fmt::format("'{}': ", file);
  std::string text = fmt::format("{}: error: {}{}\n", tool, where, message);
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace kaiin
