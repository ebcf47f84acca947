// What a report does with values that would break it: a huge value quoted in a
// message, and control characters in a one-line text finding.
#include <doctest/doctest.h>
#include <unistd.h>

#include <string>

#include "kaiin/diagnostics.h"

using namespace kaiin;

namespace {

std::string text_report(const finding& f, report_format format = report_format::text) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  {
    output_stream out(fds[1], "<pipe>");
    diagnostics diag(out, format, "kaiin-test");
    diag.set_quiet(true);
    diag.report(f);
    diag.finish();
  }
  ::close(fds[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  return text;
}

}  // namespace

TEST_CASE("a long message keeps its start and end and says how much it left out") {
  std::string value(10000, 'a');
  std::string text = text_report({"m.csv", 1, 2, "cus_email", severity::error, "email-syntax",
                                  "address '" + value + "' has no '@'"});
  CHECK(text.size() < 1100);
  CHECK(text.starts_with("m.csv:2: error: address 'aaa"));
  CHECK(text.ends_with("aaa' has no '@' [email-syntax]\n"));
  // 9 + 10000 + 12 bytes, of which the first 600 and the last 300 are kept.
  CHECK(text.find("[... 9121 bytes left out ...]") != std::string::npos);
}

TEST_CASE("a long message is cut between UTF-8 characters") {
  std::string value;
  for (int i = 0; i < 1000; ++i) value += "あ";  // 3 bytes each: 600 is not a boundary
  std::string text = text_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", value}, report_format::json);
  auto cut = text.find(" [... ");
  REQUIRE(cut != std::string::npos);
  CHECK(text.substr(cut - 3, 3) == "あ");
  CHECK(text.find("bytes left out ...] あ") != std::string::npos);
}

TEST_CASE("a short message is written as it is") {
  CHECK(text_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", "short"}) == "m.csv:2: error: short [r]\n");
}

TEST_CASE("a text finding shows CR, LF and other controls instead of writing them") {
  std::string text =
      text_report({"m.csv", 1, 2, std::nullopt, severity::error, "r", std::string("a\rb\nc\0d\te", 9)});
  CHECK(text == "m.csv:2: error: a\\rb\\nc\\x00d\te [r]\n");
}
