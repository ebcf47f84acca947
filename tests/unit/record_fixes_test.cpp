// kaiin-fix's stages on literal batches: the row rules taking each finding's fix,
// --fold before them, and how a changed record is written.

#include "jobs/fix/changed_record.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "checker/row_rules.h"
#include "checker/upload_header.h"
#include "core/csv_input.h"
#include "generator.h"
#include "jobs/fix/fix_stages.h"
#include "opened_upload.h"

using namespace kaiin;
using namespace kaiin::detail;
using kaiin::testing::rules_of;

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

std::string rewritten(const std::string& text, const std::vector<value_change>& changes) {
  one_record rec(text);
  std::vector<const value_change*> order;
  for (const value_change& c : changes) order.push_back(&c);
  std::string out;
  rewrite_record(rec.r.text, rec.r.newline, rec.r.fields, order, out);
  return out;
}

value_change change(std::uint32_t column, std::string bytes) { return {0, column, "zip-format", "", bytes, bytes}; }

// A member file's header read as kaiin-fix reads it, and a report to a file.
struct opened : testing::opened_upload {
  explicit opened(const std::string& header_line) : opened_upload(header_line, "kaiin-fix") {}
  // Adds a record of \p values (joined with commas, nothing quoted) as a reader would.
  void add(batch& b, std::uint64_t number, const std::vector<std::string>& values, bool clean = true) {
    std::string text;
    for (const std::string& v : values) text += (text.empty() ? "" : ",") + v;
    one_record rec(text + "\r\n");
    rec.r.number = number;
    rec.r.line = number + 1;
    b.add_row(rec.r, values);
    b.add_raw(rec.r, clean);
  }
};

std::vector<std::string> changes_of(const batch& b) {
  std::vector<std::string> out;
  for (const value_change& c : b.changes)
    out.push_back(std::to_string(c.row) + ":" + std::to_string(c.column) + ":" + c.rule + ":" + c.after);
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
  // Fields past the last one: added at the end (the empty last fields Excel dropped).
  CHECK(rewritten("u,x\r\n", {change(2, ""), change(3, "")}) == "u,x,,\r\n");
  CHECK(rewritten("u,９\r\n", {change(1, "9"), change(2, "")}) == "u,9,\r\n");
  CHECK(rewritten("u,\"x\"", {change(2, "a,b")}) == "u,\"x\",\"a,b\"");
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

TEST_CASE("a value in the file's encoding, or no change") {
  std::string bytes;
  CHECK(encode_value("ア", encoding::cp932, bytes));
  CHECK(bytes == "\x83\x41");
  CHECK(encode_value("ア", encoding::utf8, bytes));
  CHECK(bytes == "ア");
  CHECK_FALSE(encode_value("〜", encoding::cp932, bytes));  // no CP932 code: the change is not made
}

TEST_CASE("the row rules take each finding's fix, and report what remains") {
  opened f("control,cus_id,cus_password,crypted_pass,cus_email,cus_zip,cus_last_kana,cus_birthday,cus_mailmag");
  REQUIRE(f.header->usable());
  change_taker taker(encoding::utf8);
  rule_stage rules(*f.header, now, nullptr, nullptr, nullptr, &taker);
  batch b;
  f.add(b, 1, {"Ｕ", "１", "pw1234", "１", "ｙｕｉ．．＠docomo.ne.jp", "５３０－０００１", "やまだ", "S56.2.3", "1"});
  f.add(b, 2, {"u", "2", "pw1234", "0", "a@example.jp", "530-001", "山田", "2001/02/30", "yes"});
  f.add(b, 3, {"D", "３", "", "", "", "５３０－０００１", "", "", ""});
  f.add(b, 4, {"u", "4", "pw1234", "0", "b@example.jp", "５３０－０００１", "ヤマダ", "", "1"}, false);
  rules.check(b);
  CHECK(changes_of(b) == std::vector<std::string>{"0:0:control-value:u", "0:1:member-id-format:1",
                                                  "0:3:password-flag:1", "0:4:email-syntax:yui..@docomo.ne.jp",
                                                  "0:5:zip-format:530-0001", "0:7:birthday-date:1981/02/03",
                                                  "0:6:kana-format:ヤマダ", "2:0:control-value:d",
                                                  "2:1:member-id-format:3"});
  // Row 1: the fixed flag makes a plaintext password with crypted_pass 1 a warning;
  // the fixed address is an old mobile one (a warning). Row 2: nothing fixes those.
  // Row 4, read with an error, is not fixed.
  CHECK(rules_of(b.rule_findings) == std::vector<std::string>{"password-looks-plaintext", "email-legacy-mobile",
                                                              "zip-format", "birthday-date", "kana-format",
                                                              "mailmag-value", "zip-format"});
  CHECK(b.rule_findings[b.rule_findings.size() - 1].line == 5);
  // The control values as fixed:
  CHECK(b.rows[0].action == row_action::update);
  CHECK(b.rows[2].action == row_action::remove);
  REQUIRE(b.lookups.size() >= 2);
  CHECK(b.key_of(b.lookups[0]) == "1");  // the tables see the fixed ID and address
  CHECK(b.key_of(b.lookups[1]) == "yui..@docomo.ne.jp");
}

TEST_CASE("--fold before the rules: every column but passwords, not a delete row's") {
  opened f("control,cus_id,cus_password,cus_memo,cus_tel,パスワード");
  fold_stage fold(*f.header, encoding::utf8);
  change_taker taker(encoding::utf8);
  rule_stage rules(*f.header, now, nullptr, nullptr, nullptr, &taker);
  batch b;
  f.add(b, 1, {"u", "1", "pw〜", "10〜12", "03−1234−5678", "〜"});
  f.add(b, 2, {"d", "2", "", "10〜12", "", ""});
  fold.process(b);
  rules.check(b);
  // The telephone number: folded (− → －), then fixed by its rule (－ → -).
  CHECK(changes_of(b) ==
        std::vector<std::string>{"0:3:fold:10～12", "0:4:fold:03－1234－5678", "0:4:tel-format:03-1234-5678"});
  CHECK(b.changes[2].before == "03－1234－5678");
  CHECK(b.rule_findings.empty());
}

TEST_CASE("the copy: stretches of records as read, each changed one rewritten once, every change listed") {
  opened f("control,cus_id,cus_tel");
  testing::temp_file copy_file(""), list_file("");
  {
    output_stream copy(::open(copy_file.path.c_str(), O_WRONLY | O_TRUNC), "copy");
    output_stream list(::open(list_file.path.c_str(), O_WRONLY | O_TRUNC), "list");
    fix_output out(&copy, &list, f.header.get(), false);
    batch b;
    f.add(b, 1, {"u", "1", "06-1"});
    f.add(b, 2, {"u", "2", "06−1"});
    f.add(b, 3, {"u", "3", "06-3"});
    b.changes.push_back({1, 2, "fold", "06−1", "06－1", "06－1"});
    b.changes.push_back({1, 2, "tel-format", "06－1", "06-1", "06-1"});
    b.changes.push_back({1, 0, "control-value", "u", "u", "u"});
    out.write(b);
    CHECK(out.counts().records == 1);
    CHECK(out.counts().by_rule.at("fold") == 1);
    CHECK(out.counts().folded.at(0x2212) == 1);
    copy.flush();
    list.flush();
  }
  CHECK(read_file(copy_file.path) == "u,1,06-1\r\nu,2,06-1\r\nu,3,06-3\r\n");
  CHECK(read_file(list_file.path) ==
        "\xEF\xBB\xBFline,record,column,rule,before,after\r\n"
        "3,2,control,control-value,u,u\r\n"
        "3,2,cus_tel,fold,06−1,06－1\r\n"
        "3,2,cus_tel,tel-format,06－1,06-1\r\n");
}
