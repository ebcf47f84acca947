// kaiin's e-mail rule (spec §4.3) over tests/email/corpus.csv: the addresses of
// public suites (WHATWG, web-platform-tests, Chromium, isemail,
// python-email-validator) and Japanese mobile forms, each with the verdict and the
// fix a second implementation of the rule (tests/email/make_corpus.py) gives it.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "kaiin/csv.h"
#include "kaiin/encoding.h"
#include "kaiin/io.h"
#include "members/member_fixes.h"
#include "members/member_rules.h"

using namespace kaiin;

namespace {

struct corpus_case {
  std::string address, verdict, fix, source;
  std::uint64_t line = 0;
};

// The corpus's notation back to text: \\ \t \r \n and \u{XXXX}.
std::string unescaped(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    if (c == 'u' && i + 1 < s.size() && s[i + 1] == '{') {
      const std::size_t end = s.find('}', i);
      std::string utf8;
      append_utf8(utf8, static_cast<char32_t>(std::stoul(std::string(s.substr(i + 2, end - i - 2)), nullptr, 16)));
      out += utf8;
      i = end;
    } else {
      out.push_back(c == 't' ? '\t' : c == 'r' ? '\r' : c == 'n' ? '\n' : c);
    }
  }
  return out;
}

std::vector<corpus_case> read_corpus() {
  file_source src(KAIIN_SOURCE_DIR "/tests/email/corpus.csv");
  csv_reader reader(src);
  raw_record r;
  std::vector<corpus_case> cases;
  reader.next(r);  // the header
  while (reader.next(r)) {
    REQUIRE(r.fields.size() == 4);
    std::string values[4];
    for (std::size_t i = 0; i < 4; ++i) r.append_value(i, values[i]);
    cases.push_back({unescaped(values[0]), values[1], unescaped(values[2]), values[3], r.line});
  }
  return cases;
}

// What kaiin says of an address, in the corpus's words.
std::string verdict_of(const rule_result& r) {
  if (!r) return "valid";
  if (r->severity == severity::error) return "error";
  return r->rule == "email-legacy-mobile" ? "mobile" : "warning";
}

}  // namespace

TEST_CASE("the e-mail rule gives every address of the corpus its verdict and its fix") {
  const std::vector<corpus_case> cases = read_corpus();
  CHECK(cases.size() >= 670);
  std::size_t wrong = 0;
  for (const corpus_case& c : cases) {
    const rule_result r = check_email(c.address);
    const std::string fix = r && r->fix ? *r->fix : "";
    const bool right = verdict_of(r) == c.verdict && fix == c.fix && fix_email(c.address).value_or("") == c.fix;
    if (!right) {
      ++wrong;
      MESSAGE("line " << c.line << " (" << c.source << "): '" << c.address << "' is " << verdict_of(r) << " '" << fix
                      << "', the corpus says " << c.verdict << " '" << c.fix << "'");
    }
  }
  CHECK(wrong == 0);
}
