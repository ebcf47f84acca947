// kaiin-fix's decisions for one record, and how a changed record is written.

#include "../../lib/src/record_fixes.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "generator.h"
#include "kaiin/csv_input.h"

using namespace kaiin;
using namespace kaiin::detail;

namespace {

const date now{2026, 11, 23};

// The first record of \p text as the reader reads it (valid until the next read).
struct one_record {
  std::string text;
  memory_source src;
  csv_reader reader{src};
  raw_record r;
  explicit one_record(std::string t) : text(std::move(t)), src(text) { REQUIRE(reader.next(r)); }
};

std::string rewritten(const std::string& text, std::vector<value_change> changes) {
  one_record rec(text);
  std::string out;
  rewrite_record(rec.r, changes, out);
  return out;
}

value_change change(std::size_t column, std::string bytes) { return {column, "zip-format", "", bytes, bytes}; }

// A header read by csv_input, for record_fixer.
struct opened {
  testing::temp_file file;
  std::string report_path = file.path + ".report";
  output_stream out{::open(report_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), "report"};
  diagnostics diag{out, report_format::json, "kaiin-fix"};
  csv_input in{file.path, source_encoding::auto_detect, diag};
  raw_record header_record;
  std::unique_ptr<upload_header> header;
  explicit opened(const std::string& header_line) : file(header_line + "\n") {
    REQUIRE(in.next(header_record));
    header = std::make_unique<upload_header>(in, "", builtin_profiles(), diag);
  }
  ~opened() {
    ::close(out.fd());
    ::unlink(report_path.c_str());
  }
};

std::vector<std::string> columns_of(const std::vector<value_change>& changes) {
  std::vector<std::string> out;
  for (const value_change& c : changes) out.push_back(std::to_string(c.column) + ":" + std::string(c.rule));
  return out;
}

}  // namespace

TEST_CASE("a changed record: only its changed fields, every other byte as it was") {
  CHECK(rewritten("u,１,x\r\n", {change(1, "1")}) == "u,1,x\r\n");
  CHECK(rewritten("u,\"１\",x\n", {change(1, "1")}) == "u,\"1\",x\n");  // quoted as it was
  CHECK(rewritten("u,１", {change(1, "1")}) == "u,1");                  // no newline at the end: none added
  CHECK(rewritten("u,１,\"a\r\nb\"\r\n", {change(1, "1")}) == "u,1,\"a\r\nb\"\r\n");
  CHECK(rewritten("Ｎ,１,x\r\n", {change(0, "n"), change(1, "1")}) == "n,1,x\r\n");
  CHECK(rewritten("u,x,１\r\n", {change(2, "1")}) == "u,x,1\r\n");
  // Quotes where the new value needs them, doubled inside.
  CHECK(rewritten("u,x\r\n", {change(1, "a,b")}) == "u,\"a,b\"\r\n");
  CHECK(rewritten("u,x\r\n", {change(1, "a\"b")}) == "u,\"a\"\"b\"\r\n");
  CHECK(rewritten("u,\"x\"\"y\"\r\n", {change(1, "z\"")}) == "u,\"z\"\"\"\r\n");
}

TEST_CASE("record fixer: the fixes of each column, in column order") {
  opened f("control,cus_id,cus_password,crypted_pass,cus_zip,cus_last_kana,cus_birthday,cus_memo");
  record_fixer fixer(*f.header, now, false, encoding::utf8);
  std::vector<value_change> changes;
  std::vector<std::string_view> row = {"Ｕ",     "１",      "ｐｗ１２３４", "１", "５３０－０００１",
                                       "やまだ", "S56.2.3", "10〜12"};
  fixer.fix(row, changes);
  CHECK(columns_of(changes) == std::vector<std::string>{"0:control-value", "1:member-id-format", "3:password-flag",
                                                        "4:zip-format", "5:kana-format", "6:birthday-date"});
  CHECK(changes[4].before == "やまだ");
  CHECK(changes[4].after == "ヤマダ");
  CHECK(changes[4].bytes == "ヤマダ");

  SUBCASE("a delete row: its control value and member ID only") {
    row[0] = "D";
    fixer.fix(row, changes);
    CHECK(columns_of(changes) == std::vector<std::string>{"0:control-value", "1:member-id-format"});
  }
  SUBCASE("nothing to fix: no change") {
    std::vector<std::string_view> good = {"u", "1", "pw1234", "1", "530-0001", "ヤマダ", "1981/02/03", "10〜12"};
    fixer.fix(good, changes);
    CHECK(changes.empty());
  }
  SUBCASE("a short row: the columns it has") {
    std::vector<std::string_view> short_row = {"u", "1", "pw", "1", "５３０－０００１"};
    fixer.fix(short_row, changes);
    CHECK(columns_of(changes) == std::vector<std::string>{"4:zip-format"});
  }
}

TEST_CASE("record fixer: --fold in every column but passwords, and CP932 bytes") {
  opened f("control,cus_id,cus_password,crypted_pass,cus_memo,パスワード");
  record_fixer folding(*f.header, now, true, encoding::utf8);
  std::vector<value_change> changes;
  std::vector<std::string_view> row = {"u", "1", "pw〜", "1", "10〜12", "〜"};
  folding.fix(row, changes);
  CHECK(columns_of(changes) == std::vector<std::string>{"4:fold"});  // neither password column
  CHECK(changes[0].after == "10～12");

  record_fixer cp932(*f.header, now, false, encoding::cp932);
  std::vector<std::string_view> kana = {"u", "１", "pw", "1", "x", ""};
  cp932.fix(kana, changes);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].bytes == "1");
  opened g("control,cus_last_kana");
  record_fixer sjis(*g.header, now, false, encoding::cp932);
  std::vector<std::string_view> hiragana = {"u", "あ"};
  sjis.fix(hiragana, changes);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].bytes == "\x83\x41");  // ア in CP932
}

TEST_CASE("split_record finds the fields csv_reader finds in a well-formed record") {
  for (std::string text : {"a,b,c", "", ",", "a,,", "\"a,b\",c", "\"\",x", "\"a\"\"b\",\"\"\"\"", "x,\"l1\r\nl2\",y",
                           "\x83\x5C,\x95\x5C\"", "u,１,\"２\""}) {
    CAPTURE(text);
    one_record rec(text + "\r\n");
    if (rec.r.malformed()) continue;  // "表\"": a bare quote, never split again
    std::vector<csv_field> fields;
    split_record(rec.r.text, fields);
    REQUIRE(fields.size() == rec.r.fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
      CHECK(fields[i].begin == rec.r.fields[i].begin);
      CHECK(fields[i].end == rec.r.fields[i].end);
      CHECK(fields[i].quoted == rec.r.fields[i].quoted);
      CHECK(fields[i].escaped == rec.r.fields[i].escaped);
    }
  }
}
