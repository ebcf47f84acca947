#include "kaiin/csv.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include "core/plain_lines.h"
#include "generator.h"
#include "kaiin/error.h"

#include <string>
#include <vector>

using namespace kaiin;
using kaiin::testing::parse;
using kaiin::testing::written;

using rows = std::vector<std::vector<std::string>>;

TEST_CASE("simple records with LF and CRLF") {
  auto p = parse("a,b\r\n1,2\n3,4");
  CHECK(p.rows == rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(p.newlines == std::vector<std::string>{"\r\n", "\n", ""});
  CHECK(p.problems.empty());
}

TEST_CASE("quoted fields keep commas, quotes, CR, LF and CRLF byte for byte") {
  auto p = parse("a,b\n\"x,\"\"y\"\"\",\"1\r\n2\n3\r4\"\n");
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[1][0] == "x,\"y\"");
  CHECK(p.rows[1][1] == "1\r\n2\n3\r4");
  CHECK(p.problems.empty());
}

TEST_CASE("records know the physical line they start on") {
  auto p = parse("h1,h2\n\"a\nb\nc\",d\ne,f\n");
  CHECK(p.lines == std::vector<std::uint64_t>{1, 2, 5});
}

TEST_CASE("empty input has no records; a trailing newline adds none") {
  CHECK(parse("").rows.empty());
  CHECK(parse("a\n").rows.size() == 1);
  CHECK(parse("a,b\n1,\n").rows == rows{{"a", "b"}, {"1", ""}});
  CHECK(parse("a,b\n1,").rows == rows{{"a", "b"}, {"1", ""}});
}

TEST_CASE("an unterminated quote is reported at the line where it opened") {
  memory_source src("a,b\n1,\"open\nmore\nlines\n");
  csv_reader reader(src);
  raw_record r;
  REQUIRE(reader.next(r));
  REQUIRE(reader.next(r));
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].kind == csv_problem_kind::unterminated_quote);
  CHECK(r.problems[0].line == 2);
  CHECK(r.problems[0].field == 1);
  CHECK_FALSE(reader.next(r));
}

TEST_CASE("bare quotes, text after a quote, bare CR and ragged records are problems") {
  CHECK(parse("a,b\nx\"y,1\n").problems == std::vector{csv_problem_kind::bare_quote});
  CHECK(parse("a,b\n\"x\"y,1\n").problems == std::vector{csv_problem_kind::text_after_quote});
  CHECK(parse("a,b\nx\ry,1\n").problems == std::vector{csv_problem_kind::bare_cr});
  CHECK(parse("a,b\n1,2,3\n").problems == std::vector{csv_problem_kind::field_count});
  CHECK(parse("a,b\n1\n").problems == std::vector{csv_problem_kind::field_count});
  CHECK(parse("a,b\n\n1,2\n").problems == std::vector{csv_problem_kind::field_count});
}

TEST_CASE("nothing is lost around a problem: the field keeps what follows a closing quote") {
  auto p = parse("a\n\"x\"y z\n");
  CHECK(p.rows[1][0] == "x\"y z");
}

TEST_CASE("TSV has no quoting: a quote is a character") {
  auto p = parse("a\tb\n\"x\t1\"\n", SIZE_MAX, csv_dialect::tsv());
  CHECK(p.rows == rows{{"a", "b"}, {"\"x", "1\""}});
  CHECK(p.problems.empty());
}

TEST_CASE("a record longer than the buffer is read whole") {
  std::string big(3 << 20, 'x');
  auto p = parse("a,b\n\"" + big + "\"," + big + "\n");
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[1][0].size() == big.size());
  CHECK(p.rows[1][1].size() == big.size());
}

TEST_CASE("the input split at every position gives the same records") {
  // Quotes, doubled quotes, CRLF in and out of quotes, bare quotes; and CP932 whose
  // trail bytes are \ and |, 外字, a bad byte and a lead byte cut at the very end.
  for (const std::string& text :
       {std::string(
            "control,cus_id,memo\r\nn,1,\"a,b\"\"c\r\nd\"\r\nu,2,\"\"\r\nd,3,x\"y\r\n\"e\"f,4,\r\n5,\"\"\"\",\n"),
        kaiin::testing::tricky_cp932}) {
    auto whole = parse(text);
    for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
      auto split = parse(text, chunk);
      CHECK(split.rows == whole.rows);
      CHECK(split.newlines == whole.newlines);
      CHECK(split.lines == whole.lines);
      CHECK(split.problems == whole.problems);
    }
  }
}

TEST_CASE("a delimiter, quote, CR or LF at every place of a short record: many bytes at a time as one at a time") {
  // The reader looks for the bytes that end a field 64 or sixteen at a time where
  // it has that many bytes read, one at a time where it has fewer (read in one-byte
  // chunks here). Each byte at each offset of records up to 72 bytes, in CSV and
  // TSV, must give the same fields, newlines, lines and problems both ways.
  for (csv_dialect dialect : {csv_dialect::csv(), csv_dialect::tsv()}) {
    const char delim = dialect.delimiter;
    const std::vector<std::string> pieces = {std::string(1, delim), "\"", "\r", "\n", "\r\n", "\"\"", "\"x\"y"};
    for (std::size_t length = 0; length <= 72; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        std::string text;
        for (std::size_t k = 0; k < length; ++k) text += static_cast<char>('a' + k % 26);
        for (const std::string& piece : pieces) {
          std::string record = text.substr(0, at) + piece + text.substr(at);
          std::string input = "h" + std::string(1, delim) + "h\n" + record + "\n" + record;
          CAPTURE(input);
          auto blocks = parse(input, SIZE_MAX, dialect);
          auto bytes = parse(input, 1, dialect);
          CHECK(blocks.rows == bytes.rows);
          CHECK(blocks.newlines == bytes.newlines);
          CHECK(blocks.lines == bytes.lines);
          CHECK(blocks.problems == bytes.problems);
        }
      }
    }
  }
  // Literal answers for two edges: a delimiter as the 16th and 17th byte, and as
  // the 64th and 65th.
  auto p = parse(std::string(15, 'a') + ",," + std::string(14, 'b') + ",c\n");
  CHECK(p.rows == rows{{std::string(15, 'a'), "", std::string(14, 'b'), "c"}});
  p = parse(std::string(63, 'a') + ",," + std::string(70, 'b') + "\n");
  CHECK(p.rows == rows{{std::string(63, 'a'), "", std::string(70, 'b')}});
}

TEST_CASE("short records back to back: one look at 64 bytes serves several records") {
  // The reader keeps the field ends it found in 64 bytes for the records that start
  // inside them: records of 0-30 bytes with each special byte at each place, one
  // after another, read whole and one and seven bytes at a time, must agree.
  const std::vector<std::string> pieces = {",", "\"", "\r", "\n", "\r\n", "\"\"", "\"x\"y", ",,"};
  std::string input = "h,h\n";
  for (std::size_t length = 0; length <= 30; ++length)
    for (std::size_t at = 0; at <= length; at += 3)
      for (const std::string& piece : pieces) {
        std::string text;
        for (std::size_t k = 0; k < length; ++k) text += static_cast<char>('a' + k % 26);
        input += text.substr(0, at) + piece + text.substr(at) + (length % 2 ? "\r\n" : "\n");
      }
  auto whole = parse(input);
  REQUIRE(whole.rows.size() > 1000);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{100}}) {
    auto split = parse(input, chunk);
    CHECK(split.rows == whole.rows);
    CHECK(split.newlines == whole.newlines);
    CHECK(split.lines == whole.lines);
    CHECK(split.problems == whole.problems);
  }
}

namespace {

// parse(), taking the plain lines the reader holds in bulk (as kaiin-points does)
// and the other records with next(); also how many records came as plain lines.
std::pair<testing::parsed, std::size_t> parse_plain(std::string_view text, std::size_t chunk,
                                                    csv_dialect dialect = {}) {
  memory_source src(text, chunk);
  csv_reader reader(src, dialect);
  testing::parsed p;
  std::size_t plain = 0;
  for (raw_record r;;) {
    const plain_block block = reader.plain_lines();
    auto [taken, records] = detail::take_plain_lines<8>(
        block.text, dialect.delimiter, reader.header_fields(), [&](const detail::plain_line<8>& l, std::uint64_t k) {
          std::vector<std::string> row;
          for (std::size_t i = 0; i < l.fields; ++i) row.emplace_back(l.field(block.text, i));
          p.rows.push_back(std::move(row));
          p.newlines.emplace_back(block.text.substr(l.end, l.next - l.end));
          p.lines.push_back(block.line + k);
          CHECK(block.number + k == p.rows.size() - 1);
          return true;
        });
    reader.take_plain(taken, records);
    plain += records;
    if (records) continue;
    if (!reader.next(r)) break;
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.fields.size(); ++i) r.append_value(i, row.emplace_back());
    p.rows.push_back(std::move(row));
    p.newlines.emplace_back(r.newline);
    p.lines.push_back(r.line);
    CHECK(r.number == p.rows.size() - 1);
    for (const auto& pr : r.problems) p.problems.push_back(pr.kind);
  }
  CHECK(reader.bytes_read() == text.size());
  return {p, plain};
}

}  // namespace

TEST_CASE("plain lines taken in bulk read as next() reads them, around every special byte") {
  // Records with a delimiter, quote, CR or LF at each place, and ragged ones, among
  // plain lines: taking the plain lines from plain_lines() and the rest with next()
  // gives the same records, newlines, lines and problems as next() alone, whatever
  // the reads' sizes; a quote, a bare CR or another field count is left to next().
  for (csv_dialect dialect : {csv_dialect::csv(), csv_dialect::tsv()}) {
    const std::string d(1, dialect.delimiter);
    const std::vector<std::string> pieces = {d, "\"", "\r", "\n", "\r\n", "\"\"", "\"x\"y", d + d, ""};
    std::string input = "h" + d + "h\n";
    for (std::size_t length = 0; length <= 70; ++length)
      for (std::size_t at = 0; at <= length; at += 5)
        for (const std::string& piece : pieces) {
          std::string text;
          for (std::size_t k = 0; k < length; ++k) text += static_cast<char>('a' + k % 26);
          text.insert(length / 3, d);  // two fields, as the header has
          input += text.substr(0, at) + piece + text.substr(at) + (length % 2 ? "\r\n" : "\n");
        }
    input += "last" + d + "record";  // without a newline: next()'s
    const testing::parsed whole = parse(input, SIZE_MAX, dialect);
    REQUIRE(whole.rows.size() > 1000);
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{100}, SIZE_MAX}) {
      CAPTURE(chunk);
      auto [split, plain] = parse_plain(input, chunk, dialect);
      CHECK(split.rows == whole.rows);
      CHECK(split.newlines == whole.newlines);
      CHECK(split.lines == whole.lines);
      CHECK(split.problems == whole.problems);
      if (chunk >= 100) CHECK(plain > whole.rows.size() / 5);  // the plain lines did come in bulk
      CHECK(plain < whole.rows.size() - 1);
    }
  }
  // Plain lines only: every one in bulk once the header is read.
  std::string input = "id,points\r\n";
  for (int i = 0; i < 5000; ++i) input += std::to_string(i) + "," + std::to_string(i * 7) + (i % 3 ? "\r\n" : "\n");
  auto [split, plain] = parse_plain(input, SIZE_MAX);
  CHECK(plain == 5000);
  CHECK(split.rows == parse(input).rows);
}

TEST_CASE("field_of and line_of find the place of a byte") {
  memory_source src("a,b,c\nx,\"y\nz\",w\n");
  csv_reader reader(src);
  raw_record r;
  reader.next(r);
  reader.next(r);
  CHECK(r.field_of(0) == 0);
  CHECK(r.field_of(2) == 1);  // the opening quote belongs to field 1
  CHECK(r.field_of(r.text.find('z')) == 1);
  CHECK(r.field_of(r.text.find('w')) == 2);
  CHECK(r.line_of(r.text.find('z')) == 3);
  CHECK(r.offset == 6);
}

TEST_CASE("the writer quotes only where needed") {
  CHECK_FALSE(needs_quotes("plain"));
  CHECK(needs_quotes("a,b"));
  CHECK(needs_quotes("say \"hi\""));
  CHECK(needs_quotes("two\nlines"));
  CHECK(needs_quotes("cr\r"));
  CHECK_FALSE(needs_quotes("a,b", csv_dialect::tsv()));
}

TEST_CASE("TSV: written without quotes, and a TAB, CR or LF cannot be written") {
  CHECK(written({{"a\"b", "c"}}, "\n", csv_dialect::tsv()) == "a\"b\tc\n");
  CHECK_THROWS_AS(written({{"a\tb"}}, "\n", csv_dialect::tsv()), kaiin::error);
  CHECK_THROWS_AS(written({{"a\nb"}}, "\n", csv_dialect::tsv()), kaiin::error);
  CHECK(tsv_clean("plain value"));
  CHECK_FALSE(tsv_clean("cr\r"));
}

TEST_CASE("looks_like_formula: = + - @ TAB CR first, unless the cell is a decimal number") {
  for (const char* v : {"=1+2", "=HYPERLINK(\"x\")", "+81-3-1234-5678", "-note", "-1-1", "@SUM(A1)", "\tx", "\rx", "=",
                        "+", "-", "-1.", "-.5", "+1e5", "-1,000", "-１"}) {
    CHECK_MESSAGE(looks_like_formula(v), v);
  }
  for (const char* v : {"", "-100", "+5", "-1.5", "0", "12.50", "a=b", "山田", "＝1", " =1", "'=1", "\"=1\""}) {
    CHECK_FALSE_MESSAGE(looks_like_formula(v), v);
  }
  CHECK(looks_like_formula("=\x83\x5C"));  // CP932 ソ after the =
  CHECK_FALSE(looks_like_formula("\x83\x5C=1"));
}

TEST_CASE("csv_writer --escape-formulas: a quote before formulas only, inside the field's quotes, counted") {
  std::uint64_t escaped = 0;
  std::string text = written({{"=1+2", "-100", "+81-3", "=a,\"b\"", "\rx", "plain"}, {"", "@x", "-1.5", "-", "1", "2"}},
                             "\n", csv_dialect::csv(), true, &escaped);
  CHECK(escaped == 6);
  CHECK(text == "'=1+2,-100,'+81-3,\"'=a,\"\"b\"\"\",\"'\rx\",plain\n,'@x,-1.5,'-,1,2\n");
  auto back = parse(text);  // each value reads back with one ' before it, nothing else changed
  CHECK(back.problems.empty());
  CHECK(back.rows ==
        rows{{"'=1+2", "-100", "'+81-3", "'=a,\"b\"", "'\rx", "plain"}, {"", "'@x", "-1.5", "'-", "1", "2"}});
  // Without the flag the writer leaves them alone.
  CHECK(written({{"=1+2", "@x"}}, "\n") == "=1+2,@x\n");
}

TEST_CASE("append_escaping_formulas: raw records keep every byte but gain the quote") {
  const std::string text = "id,memo,tel\r\n-5,\"=A1\"\"x\"\"\",+81-3\r\n\"@a\",\t b,\x83\x5C\r\n";
  memory_source src(text);
  csv_reader reader(src);
  raw_record r;
  std::string out;
  std::size_t escaped = 0;
  while (reader.next(r)) {
    escaped += append_escaping_formulas(out, r);
    out.append(r.newline);
  }
  CHECK(escaped == 4);
  CHECK(out == "id,memo,tel\r\n-5,\"'=A1\"\"x\"\"\",'+81-3\r\n\"'@a\",'\t b,\x83\x5C\r\n");
  auto back = parse(out);
  CHECK(back.problems.empty());
  CHECK(back.rows[1] == std::vector<std::string>{"-5", "'=A1\"x\"", "'+81-3"});
}
