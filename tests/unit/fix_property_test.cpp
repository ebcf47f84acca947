// Properties of kaiin-fix (spec §13) on generated member files: fixing the copy again
// changes nothing, and the copy never has a finding of a rule at a place where a value
// was fixed for that rule. Each case names its seed; KAIIN_SEED=N runs that seed alone.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "generator.h"
#include "kaiin/check.h"
#include "kaiin/csv.h"
#include "kaiin/encoding.h"
#include "kaiin/fix.h"
#include "kaiin/io.h"

using namespace kaiin;
using namespace kaiin::testing;

namespace {

const date now{2026, 11, 23};

// What each column of a generated upload holds: good values, values kaiin-fix fixes,
// and values it cannot (which stay, and keep their findings). All CP932 can hold.
// clang-format off
const std::vector<std::pair<std::string, std::vector<std::string>>> columns = {
    {"control", {"n", "u", "u", "d", "N", "Ｕ", " u ", "x", ""}},
    {"cus_id", {"", "10001", "1002", "１００３", " 1004", "ID 5"}},
    {"cus_password", {"pw123456", "ｐｗ１２３４５６", "", "d23f0824128b2f330c5c7fd0a6a3a450"}},
    {"crypted_pass", {"0", "1", "１", "０", "", "2"}},
    {"cus_last_kana", {"ヤマダ", "やまだ", "ﾔﾏﾀﾞ", "ﾊﾟﾝﾀﾞ", "山田", "ﾞｱ", "ヤマ ダ"}},
    {"cus_email", {"a@example.jp", "ｂ＠example.jp", " c@example.jp", "Ｄ@EXAMPLE.jp", "e.@docomo.ne.jp", "f@", "山田@example.jp"}},
    {"cus_zip", {"530-0001", "５３０－０００１", "〒530-0001", "530ー0001", "530-001", ""}},
    {"cus_pref", {"大阪府", "大阪", "東京", "北海", "大阪県", "Tokyo", ""}},
    {"cus_tel", {"06-1234-5678", "０６－１２３４－５６７８", "06―1234―5678", "(06)1234", ""}},
    {"cus_birthday", {"1980/04/01", "1980/4/1", "S55.4.1", "平成元年1月8日", "昭和64年1月8日", "2001/02/30", "R50.1.1",
                      "1980-04-01 00:00:00", "２００１年２月３日", ""}},
    {"cus_sex", {"1", "2", "", "２", "3"}},
    {"cus_mailmag", {"1", "0", "１", "yes", ""}},
    {"cus_point", {"0", "1200", "１２００", "-5", ""}},
    {"cus_memo", {"", "配達は\r\n午後", "=SUM(A1)", "a,\"b\"", "ソ表ポ", "髙橋"}},
};
// clang-format on

// A member upload of \p rows rows, some quoted, in UTF-8 (with or without a BOM) or
// CP932, with CRLF or LF.
std::string upload(generator& g, std::size_t rows, bool cp932) {
  const std::string nl = g.percent(50) ? "\r\n" : "\n";
  std::string text;
  for (std::size_t i = 0; i < columns.size(); ++i) text += (i ? "," : "") + columns[i].first;
  text += nl;
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const std::string& v = g.pick(columns[i].second);
      if (i) text += ',';
      if (needs_quotes(v) || g.percent(10)) {
        text += '"';
        for (char c : v) text += c == '"' ? std::string("\"\"") : std::string(1, c);
        text += '"';
      } else {
        text += v;
      }
    }
    if (g.percent(3)) text += ",extra";  // ragged: copied unfixed
    text += nl;
  }
  if (!cp932) return g.percent(50) ? "\xEF\xBB\xBF" + text : text;
  struct : problem_sink {
    void on_problem(const coding_problem&) override { FAIL("the generator wrote a character CP932 lacks"); }
  } strict;
  std::string bytes;
  encode_cp932(text, bytes, strict);
  return bytes;
}

// A scratch folder for one seed's files.
struct scratch {
  std::string dir;
  scratch() {
    char p[] = "/tmp/kaiin-fix-property-XXXXXX";
    REQUIRE(::mkdtemp(p));
    dir = p;
  }
  ~scratch() { std::system(("rm -rf '" + dir + "'").c_str()); }
  std::string path(const std::string& name) const { return dir + "/" + name; }
};

// (line, column, rule) of each row of a change list.
using place = std::tuple<std::uint64_t, std::string, std::string>;
std::set<place> changed(const std::string& list) {
  std::string_view text(list);
  REQUIRE(text.starts_with("\xEF\xBB\xBF"));
  text.remove_prefix(3);
  memory_source src(text);
  csv_reader reader(src);
  raw_record r;
  std::set<place> out;
  REQUIRE(reader.next(r));  // the header
  while (reader.next(r)) {
    std::vector<std::string> v(r.fields.size());
    for (std::size_t i = 0; i < v.size(); ++i) r.append_value(i, v[i]);
    REQUIRE(v.size() == 6);
    out.emplace(std::stoull(v[0]), v[2], v[3]);
  }
  return out;
}

// The text after "key": in a JSON Lines finding, up to the next , or " (enough for
// kaiin's lines, columns and rule ids).
std::string json_field(const std::string& line, const std::string& key) {
  std::size_t at = line.find("\"" + key + "\":");
  if (at == std::string::npos) return {};
  at += key.size() + 3;
  if (line[at] == '"') ++at;
  return line.substr(at, line.find_first_of(",\"", at) - at);
}

// (line, column, rule) of each finding of a --report json.
std::set<place> found(const std::string& report) {
  std::set<place> out;
  std::size_t start = 0;
  for (std::size_t nl; (nl = report.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = report.substr(start, nl - start);
    if (line.starts_with("{\"summary\"")) continue;
    out.emplace(std::stoull(json_field(line, "line")), json_field(line, "column"), json_field(line, "rule"));
  }
  return out;
}

// Runs kaiin-fix on \p input into \p output and \p list; returns its JSON report.
std::string fix(const std::string& input, const std::string& output, const std::string& list,
                const std::string& report) {
  fix_options o;
  o.input = input;
  o.output = output;
  o.changes = list;
  o.today = now;
  {
    output_stream out(::open(report.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), report);
    diagnostics diag(out, report_format::json, "kaiin-fix");
    run_fix(o, diag);
    diag.finish();
    ::close(out.fd());
  }
  return read_file(report);
}

std::string check(const std::string& input, const std::string& report) {
  check_options o;
  o.files = {input};
  o.today = now;
  {
    output_stream out(::open(report.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), report);
    diagnostics diag(out, report_format::json, "kaiin-check");
    run_check(o, diag);
    diag.finish();
    ::close(out.fd());
  }
  return read_file(report);
}

}  // namespace

TEST_CASE("property: fixing a fixed copy changes nothing, and the copy has no finding where a value was fixed") {
  std::size_t fixes = 0;
  for (std::uint64_t seed : seeds(30)) {
    CAPTURE(seed);
    generator g(seed);
    scratch s;
    {
      const std::string text = upload(g, g.between(1, 60), seed % 2);
      int fd = ::open(s.path("in.csv").c_str(), O_WRONLY | O_CREAT, 0600);
      REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
      ::close(fd);
    }
    const std::string fix_report = fix(s.path("in.csv"), s.path("copy.csv"), s.path("changes.csv"), s.path("r1"));
    const std::set<place> fixed = changed(read_file(s.path("changes.csv")));
    fixes += fixed.size();

    fix(s.path("copy.csv"), s.path("again.csv"), s.path("changes2.csv"), s.path("r2"));
    CHECK(read_file(s.path("again.csv")) == read_file(s.path("copy.csv")));
    CHECK(changed(read_file(s.path("changes2.csv"))).empty());

    const std::set<place> left = found(check(s.path("copy.csv"), s.path("r3")));
    for (const place& p : fixed)
      CHECK_MESSAGE(!left.count(p), std::get<0>(p) << " " << std::get<1>(p) << " " << std::get<2>(p));
    // What kaiin-fix reports is what kaiin-check finds in the copy.
    CHECK(found(fix_report) == left);
  }
  if (!std::getenv("KAIIN_SEED")) CHECK(fixes > 200);
}
