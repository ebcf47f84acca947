#include "kaiin/diagnostics.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

using namespace kaiin;

namespace {

// Runs \p body with a diagnostics writing to a pipe, and returns what it wrote.
template <class F>
std::string report(report_format format, F body) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  {
    output_stream out(fds[1], "<pipe>");
    diagnostics diag(out, format, "kaiin-test");
    body(diag);
    diag.finish();
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  return text;
}

finding sample_error() {
  return {"members.csv", 11, 12, "cus_email", severity::error, "email-syntax", "no '@' in \"a\tb\""};
}

}  // namespace

TEST_CASE("text findings: FILE:LINE: severity: message [rule], then a summary") {
  std::string text = report(report_format::text, [](diagnostics& d) {
    d.report(sample_error());
    d.report({"members.csv", 0, 0, std::nullopt, severity::warning, "w", "whole-file note"});
    d.summary("records", std::uint64_t{20});
  });
  CHECK(text ==
        "members.csv:12: error: no '@' in \"a\tb\" [email-syntax]\n"
        "members.csv: warning: whole-file note [w]\n"
        "kaiin-test: summary: records 20, errors 1, warnings 1\n");
}

TEST_CASE("JSON Lines: the spec's keys, escaped, and a summary object last") {
  std::string text = report(report_format::json, [](diagnostics& d) { d.report(sample_error()); });
  CHECK(text ==
        "{\"file\":\"members.csv\",\"record\":11,\"line\":12,\"column\":\"cus_email\","
        "\"severity\":\"error\",\"rule\":\"email-syntax\",\"message\":\"no '@' in \\\"a\\tb\\\"\"}\n"
        "{\"summary\":{\"errors\":1,\"warnings\":0}}\n");
}

TEST_CASE("CSV report: BOM, header, CRLF, quoted where needed") {
  std::string text = report(report_format::csv, [](diagnostics& d) {
    d.set_quiet(true);  // its summary would go to standard error
    d.report(sample_error());
  });
  CHECK(text ==
        "\xEF\xBB\xBF" "file,record,line,column,severity,rule,message\r\n"
        "members.csv,11,12,cus_email,error,email-syntax,\"no '@' in \"\"a\tb\"\"\"\r\n");
}

TEST_CASE("max errors: the rest are counted, not shown; the limit is visible") {
  std::string text = report(report_format::text, [](diagnostics& d) {
    d.set_max_errors(2);
    for (int i = 0; i < 5; ++i) d.report(sample_error());
    CHECK(d.limit_reached());
    CHECK(d.errors() == 5);
    CHECK(d.exit_status() == 1);
  });
  CHECK(text.find("errors 5") != std::string::npos);
  CHECK(text.find("errors not shown 3") != std::string::npos);
}

TEST_CASE("quiet drops warnings and the summary; terse drops only a clean summary") {
  CHECK(report(report_format::text, [](diagnostics& d) {
          d.set_quiet(true);
          d.report({"f", 0, 0, std::nullopt, severity::warning, "w", "m"});
        }) == "");
  CHECK(report(report_format::text, [](diagnostics& d) { d.set_terse(true); }) == "");
  CHECK(report(report_format::text, [](diagnostics& d) {
          d.set_terse(true);
          d.mark_notable();
        }) == "kaiin-test: summary: errors 0, warnings 0\n");
}

TEST_CASE("exit status: warnings alone are 0") {
  report(report_format::text, [](diagnostics& d) {
    d.report({"f", 1, 2, std::nullopt, severity::warning, "w", "m"});
    CHECK(d.exit_status() == 0);
  });
}

TEST_CASE("json_quote escapes control characters") {
  CHECK(json_quote("a\"\\\n\x01") == "\"a\\\"\\\\\\n\\u0001\"");
}
