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
        "\xEF\xBB\xBF"
        "file,record,line,column,severity,rule,message\r\n"
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

TEST_CASE("json_quote escapes control characters") { CHECK(json_quote("a\"\\\n\x01") == "\"a\\\"\\\\\\n\\u0001\""); }

TEST_CASE("append_json_quoted appends, escaping between plain runs") {
  std::string out = "x:";
  append_json_quoted(out, "ab\tc\x7F\"d\\e\r\nf\x1F");
  CHECK(out == "x:\"ab\\tc\\u007f\\\"d\\\\e\\r\\nf\\u001f\"");
  append_json_quoted(out, "");
  CHECK(out.ends_with("\"\""));
  CHECK(json_quote("住所 'a'") == "\"住所 'a'\"");
}

TEST_CASE("append_json_quoted finds a character to escape wherever it is among eight-byte words") {
  // The quoting skips plain bytes eight at a time: each escape at each place of
  // texts up to 40 bytes, beside UTF-8 and bytes just above and below the limits.
  const std::pair<char, std::string_view> escapes[] = {{'"', "\\\""},       {'\\', "\\\\"},      {'\n', "\\n"},
                                                       {'\x01', "\\u0001"}, {'\x1F', "\\u001f"}, {'\x7F', "\\u007f"}};
  const std::string plain = "a !~\x20\x7E\xC3\xA9\xE4\xBD\x8F\xFFz";  // space, tilde, é, 住, FF: none escaped
  for (std::size_t size = 1; size <= 40; ++size)
    for (std::size_t at = 0; at < size; ++at)
      for (auto [c, escaped] : escapes) {
        std::string text, expected = "\"";
        for (std::size_t i = 0; i < size; ++i) text += i == at ? c : plain[i % plain.size()];
        expected += text.substr(0, at);
        expected += escaped;
        expected += text.substr(at + 1);
        expected += '"';
        CAPTURE(size);
        CAPTURE(at);
        CHECK(json_quote(text) == expected);
      }
  CHECK(json_quote(plain + plain + plain) == "\"" + plain + plain + plain + "\"");
}

// What a report does with values that would break it: a huge value quoted in a
// message, and control characters in a one-line text finding.
namespace {
std::string quiet_report(const finding& f, report_format format = report_format::text) {
  return report(format, [&](diagnostics& diag) {
    diag.set_quiet(true);
    diag.report(f);
  });
}
}  // namespace

TEST_CASE("a long message keeps its start and end and says how much it left out") {
  std::string value(10000, 'a');
  std::string text =
      quiet_report({"m.csv", 1, 2, "cus_email", severity::error, "email-syntax", "address '" + value + "' has no '@'"});
  CHECK(text.size() < 1100);
  CHECK(text.starts_with("m.csv:2: error: address 'aaa"));
  CHECK(text.ends_with("aaa' has no '@' [email-syntax]\n"));
  // 9 + 10000 + 12 bytes, of which the first 600 and the last 300 are kept.
  CHECK(text.find("[... 9121 bytes left out ...]") != std::string::npos);
}

TEST_CASE("a long message is cut between UTF-8 characters") {
  std::string value;
  for (int i = 0; i < 1000; ++i) value += "あ";  // 3 bytes each: 600 is not a boundary
  std::string text = quiet_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", value}, report_format::json);
  auto cut = text.find(" [... ");
  REQUIRE(cut != std::string::npos);
  CHECK(text.substr(cut - 3, 3) == "あ");
  CHECK(text.find("bytes left out ...] あ") != std::string::npos);
}

TEST_CASE("a short message is written as it is") {
  CHECK(quiet_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", "short"}) == "m.csv:2: error: short [r]\n");
}

TEST_CASE("a text finding shows CR, LF and other controls instead of writing them") {
  std::string text =
      quiet_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", std::string("a\rb\nc\0d\te\x1B\x7F", 11)});
  CHECK(text == "m.csv:2: error: a\\rb\\nc\\x00d\te\\x1B\\x7F [r]\n");
}

TEST_CASE("a text finding shows a control character wherever it is among eight-byte words") {
  // As the JSON quoting, the text form skips plain bytes eight at a time; a TAB, a
  // quote and a backslash are written as they are.
  const std::pair<char, std::string_view> escapes[] = {{'\n', "\\n"},     {'\r', "\\r"},     {'\x01', "\\x01"},
                                                       {'\x1F', "\\x1F"}, {'\x7F', "\\x7F"}, {'\t', "\t"},
                                                       {'"', "\""},       {'\\', "\\"}};
  const std::string plain = "a !~\x20\x7E\xC3\xA9\xE4\xBD\x8F\xFFz";
  for (std::size_t size = 1; size <= 40; ++size)
    for (std::size_t at = 0; at < size; ++at)
      for (auto [c, shown] : escapes) {
        std::string text;
        for (std::size_t i = 0; i < size; ++i) text += i == at ? c : plain[i % plain.size()];
        std::string expected =
            "m.csv:2: error: " + text.substr(0, at) + std::string(shown) + text.substr(at + 1) + " [r]\n";
        CAPTURE(size);
        CAPTURE(at);
        CHECK(quiet_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", text}) == expected);
      }
}

// A text report is read by a person: a rule that fires on many rows of one column
// shows its first findings, then one line with how many more and on which lines.
namespace {
finding zip_error(std::uint64_t line, std::string file = "m.csv") {
  return {file, line - 1, line, "cus_zip", severity::error, "zip-format", "zip code 'x' is bad"};
}
std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("text report: past 10 findings of one rule in one column, one line says how many more and where") {
  std::string text = report(report_format::text, [](diagnostics& d) {
    for (std::uint64_t line = 2; line <= 1001; ++line) d.report(zip_error(line));
  });
  CHECK(count_of(text, "zip code 'x' is bad [zip-format]") == 10);
  CHECK(text.find("m.csv:11: error: zip code") != std::string::npos);
  CHECK(text.find("m.csv:12: error: zip code") == std::string::npos);
  CHECK(text.find("m.csv: error: 990 more in column 'cus_zip' on lines 12-1001 (--all or --report json lists "
                  "each) [zip-format]\n") != std::string::npos);
  CHECK(text.ends_with("kaiin-test: summary: errors 1000, warnings 0\n"));  // the summary counts every one
}

TEST_CASE("text report: lines as ranges, a few of them, and counts grouped by thousands") {
  std::string text = report(report_format::text, [](diagnostics& d) {
    for (std::uint64_t line = 2; line <= 11; ++line) d.report(zip_error(line));
    for (std::uint64_t line : {20, 21, 22, 30, 40, 41, 50, 60, 70}) d.report(zip_error(line));
    for (std::uint64_t line = 100; line < 1200; ++line) d.report(zip_error(line * 2));
  });
  CHECK(text.find(": 1,109 more in column 'cus_zip' on lines 20-22, 30, 40-41, 50, 60, ... (--all") !=
        std::string::npos);
}

TEST_CASE("text report: each rule and column is a group of its own; one more is on one line") {
  std::string text = report(report_format::text, [](diagnostics& d) {
    for (std::uint64_t line = 2; line <= 12; ++line) {
      d.report(zip_error(line));
      d.report({"m.csv", line - 1, line, "cus_tel", severity::error, "tel-format", "tel"});
      d.report({"m.csv", line - 1, line, std::nullopt, severity::warning, "w", "whole"});
    }
  });
  CHECK(text.find("m.csv: error: 1 more in column 'cus_zip' on line 12 (") != std::string::npos);
  CHECK(text.find("m.csv: error: 1 more in column 'cus_tel' on line 12 (") != std::string::npos);
  CHECK(text.find("m.csv: warning: 1 more on line 12 (--all or --report json lists each) [w]\n") != std::string::npos);
}

TEST_CASE("text report: a file's more-lines come before the next file's findings") {
  std::string text = report(report_format::text, [](diagnostics& d) {
    for (std::uint64_t line = 2; line <= 13; ++line) d.report(zip_error(line, "a.csv"));
    for (std::uint64_t line = 2; line <= 13; ++line) d.report(zip_error(line, "b.csv"));
  });
  auto a_more = text.find("a.csv: error: 2 more"), b_first = text.find("b.csv:2:"),
       b_more = text.find("b.csv: error: 2 more");
  REQUIRE(a_more != std::string::npos);
  REQUIRE(b_more != std::string::npos);
  CHECK(a_more < b_first);
  CHECK(b_first < b_more);
}

TEST_CASE("--all, JSON and CSV list every finding") {
  auto many = [](diagnostics& d) {
    for (std::uint64_t line = 2; line <= 31; ++line) d.report(zip_error(line));
  };
  CHECK(count_of(report(report_format::text,
                        [&](diagnostics& d) {
                          d.set_list_all(true);
                          many(d);
                        }),
                 "[zip-format]") == 30);
  std::string json = report(report_format::json, many);
  CHECK(count_of(json, "\"rule\":\"zip-format\"") == 30);
  CHECK(json.find("more") == std::string::npos);
  std::string csv = report(report_format::csv, [&](diagnostics& d) {
    d.set_quiet(true);
    many(d);
  });
  CHECK(count_of(csv, ",zip-format,") == 30);
}

TEST_CASE("a summary note follows its value in text only") {
  std::string text = report(report_format::text, [](diagnostics& d) { d.summary("from", "cp932", "detected"); });
  CHECK(text == "kaiin-test: summary: from cp932 (detected), errors 0, warnings 0\n");
  std::string json = report(report_format::json, [](diagnostics& d) { d.summary("from", "cp932", "detected"); });
  CHECK(json == "{\"summary\":{\"from\":\"cp932\",\"errors\":0,\"warnings\":0}}\n");
}

TEST_CASE("report_view writes what report writes, in every format") {
  for (report_format format : {report_format::text, report_format::json, report_format::csv}) {
    finding a = sample_error(), b{"m.csv", 0, 1, std::nullopt, severity::warning, "w", "whole = file"};
    std::string long_message(1500, 'x');
    finding c{"m.csv", 3, 4, "cus_tel", severity::error, "tel-format", long_message};
    auto view_of = [](const finding& f) {
      return finding_view{
          f.file,     f.record, f.line,   f.column ? std::optional<std::string_view>(*f.column) : std::nullopt,
          f.severity, f.rule,   f.message};
    };
    std::string by_finding = report(format, [&](diagnostics& d) {
      for (const finding* f : {&a, &b, &c}) d.report(*f);
    });
    std::string by_view = report(format, [&](diagnostics& d) {
      for (const finding* f : {&a, &b, &c}) d.report_view(view_of(*f));
    });
    CHECK(by_view == by_finding);
    CHECK(by_view.find("email-syntax") != std::string::npos);
    CHECK(by_view.find("bytes left out") != std::string::npos);  // the long message shortened
  }
}

TEST_CASE("a text report's folded group keeps its own copy of a viewed finding's texts") {
  // The texts of a finding_view belong to the caller (a batch reused for the next
  // records): the "N more" line written at the end must not read them then.
  std::string text = report(report_format::text, [](diagnostics& d) {
    std::string file, column, rule;
    for (std::uint64_t line = 2; line <= 14; ++line) {
      file = "m.csv", column = "cus_zip", rule = "zip-format";
      d.report_view({file, line - 1, line, column, severity::error, rule, "zip code 'x' is bad"});
      file.assign(40, '#'), column.assign(40, '#'), rule.assign(40, '#');  // the batch's next texts
    }
  });
  CHECK(text.find("m.csv: error: 3 more in column 'cus_zip' on lines 12-14 (--all or --report json lists each) "
                  "[zip-format]\n") != std::string::npos);
  CHECK(text.find('#') == std::string::npos);
}

TEST_CASE("JSON: file, column and rule follow each finding as they change and come back") {
  std::string text = report(report_format::json, [](diagnostics& d) {
    d.report({"a.csv", 1, 2, "x", severity::error, "r1", "m"});
    d.report({"b.csv", 1, 2, std::nullopt, severity::error, "r2", "m"});
    d.report({"a.csv", 2, 3, "y\"", severity::warning, "r1", "m"});
    d.report({"a.csv", 3, 4, "x", severity::error, "r1", "m"});
  });
  CHECK(text.starts_with(
      "{\"file\":\"a.csv\",\"record\":1,\"line\":2,\"column\":\"x\",\"severity\":\"error\",\"rule\":\"r1\","
      "\"message\":\"m\"}\n"
      "{\"file\":\"b.csv\",\"record\":1,\"line\":2,\"column\":null,\"severity\":\"error\",\"rule\":\"r2\","
      "\"message\":\"m\"}\n"
      "{\"file\":\"a.csv\",\"record\":2,\"line\":3,\"column\":\"y\\\"\",\"severity\":\"warning\",\"rule\":\"r1\","
      "\"message\":\"m\"}\n"
      "{\"file\":\"a.csv\",\"record\":3,\"line\":4,\"column\":\"x\",\"severity\":\"error\",\"rule\":\"r1\","
      "\"message\":\"m\"}\n"));
}
