// The checker's stages on literal batches: the row rules' findings and key look-ups, and the
// key tables' look-ups, without threads.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "checker/check_pipeline.h"
#include "checker/key_tables.h"
#include "checker/row_rules.h"
#include "checker/upload_header.h"
#include "generator.h"
#include "opened_upload.h"

using namespace kaiin;
using namespace kaiin::detail;
using kaiin::testing::rules_of;

namespace {

const date now{2026, 11, 23};

// A member file's header read as kaiin-check reads it, and the report.
struct opened : testing::opened_upload {
  explicit opened(const std::string& header_line) : opened_upload(header_line, "kaiin-check") {}
  // A row of values at record \p number, line number + 1.
  void add(batch& b, std::uint64_t number, const std::vector<std::string>& values) {
    raw_record r;
    r.number = number;
    r.line = number + 1;
    b.add_row(r, values);
  }
};

}  // namespace

TEST_CASE("rule stage: findings of each row, and the keys for the tables in record order") {
  opened f("control,cus_id,cus_email,cus_zip");
  REQUIRE(f.header->usable());
  rule_stage rules(*f.header, now, nullptr, false);
  batch b;
  f.add(b, 1, {"u", "10", "A@example.jp", "530-0001"});
  f.add(b, 2, {"x", "11", "b@example.jp", "５３０－０００１"});
  rules.check(b);
  CHECK(rules_of(b.rule_findings) == std::vector<std::string>{"control-value", "zip-format"});
  CHECK(b.rule_findings[1].column == "cus_zip");
  CHECK(b.rule_findings[1].line == 3);
  REQUIRE(b.lookups.size() == 4);
  CHECK(b.key_of(b.lookups[0]) == "10");
  CHECK(b.key_of(b.lookups[1]) == "a@example.jp");  // the e-mail key
  CHECK(b.value_of(b.lookups[1]) == "A@example.jp");
  CHECK(b.lookups[2].record == 2);
  CHECK(rules.actions() == std::array<std::uint64_t, 3>{0, 1, 0});
}

TEST_CASE("table stage: --current members by ID as written, their addresses and their owners") {
  // IDs that are numbers and one that is not (the compact ID index turns to texts),
  // a member without an address, and a duplicate ID in the export (the first counts).
  testing::temp_file current(
      "cus_id,cus_email,cus_mobile_email\n10,a@example.jp,\n11,,m@example.jp\nA7,b@example.jp,\n10,z@example.jp,\n");
  opened f("control,cus_id,cus_email");
  current_members members;
  members.load(current.path, source_encoding::auto_detect, f.diag);
  REQUIRE(members.ids.size() == 3);
  CHECK(members.pc(*members.ids.find("10")) == "a@example.jp");
  CHECK(members.pc(*members.ids.find("11")).empty());
  CHECK(members.mobile(*members.ids.find("11")) == "m@example.jp");
  CHECK(members.ids.id(*members.ids.find("A7")) == "A7");
  CHECK_FALSE(members.ids.find("010"));
  rule_stage rules(*f.header, now, nullptr, true);
  table_stage tables(*f.header, &members, f.file.path);
  batch b;
  f.add(b, 1, {"n", "12", "b@example.jp"});   // A7's address
  f.add(b, 2, {"u", "010", "c@example.jp"});  // not member 10
  f.add(b, 3, {"u", "11", "z@example.jp"});   // changes 11's empty address; z is no one's now
  rules.check(b);
  tables.flush(b, f.diag);
  f.diag.finish();
  std::string report = read_file(f.report_path);
  CHECK(report.find("already belongs to member 'A7' in the current export") != std::string::npos);
  CHECK(report.find("member ID '010' is not in the current export") != std::string::npos);
  CHECK(report.find("\"line\":4,\"column\":\"cus_email\",\"severity\":\"error\",\"rule\":\"email-changed\"") !=
        std::string::npos);
  CHECK(f.diag.errors() == 3);
}

TEST_CASE("table stage: tables sized from the first batch's rows, whatever their offsets say") {
  // Rows a byte apart (the estimate capped at a member every 40 bytes of the file)
  // and rows past the end of the file (a file that changed): the tables are sized
  // sensibly or not at all, and find duplicates either way.
  for (std::uint64_t start : {std::uint64_t{0}, std::uint64_t{1} << 40}) {
    opened f("control,cus_id,cus_email");
    rule_stage rules(*f.header, now, nullptr, false);
    table_stage tables(*f.header, nullptr, f.file.path);
    batch b;
    for (std::uint64_t i = 1; i <= 3; ++i) {
      raw_record r;
      r.number = i;
      r.line = i + 1;
      r.offset = start + i;
      b.add_row(r, std::vector<std::string>{"n", i == 3 ? "1" : std::to_string(i), "a@example.jp"});
    }
    rules.check(b);
    tables.flush(b, f.diag);
    CHECK(f.diag.errors() == 3);  // member 1 twice, the address three times
  }
}

TEST_CASE("table stage: duplicates in the file, and a u row's address against its own member only") {
  testing::temp_file current("cus_id,cus_email\n10,a@example.jp\n11,b@example.jp\n");
  opened f("control,cus_id,cus_email");
  current_members members;
  members.load(current.path, source_encoding::auto_detect, f.diag);
  rule_stage rules(*f.header, now, nullptr, true);
  table_stage tables(*f.header, &members, f.file.path);
  batch b;
  f.add(b, 1, {"u", "10", "a@example.jp"});  // the member's own address
  f.add(b, 2, {"u", "99", "c@example.jp"});  // no such member: not compared with member 10's
  f.add(b, 3, {"u", "11", "new@example.jp"});
  f.add(b, 4, {"n", "", "new@example.jp"});
  rules.check(b);
  tables.flush(b, f.diag);
  CHECK(f.diag.errors() == 3);  // member-unknown (2), email-changed (3), email-duplicate (4)
  f.diag.finish();
  std::string report = read_file(f.report_path);
  CHECK(
      report.find("\"record\":2,\"line\":3,\"column\":\"cus_id\",\"severity\":\"error\",\"rule\":\"member-unknown\"") !=
      std::string::npos);
  CHECK(report.find(
            "\"record\":3,\"line\":4,\"column\":\"cus_email\",\"severity\":\"error\",\"rule\":\"email-changed\"") !=
        std::string::npos);
  CHECK(report.find(
            "\"record\":4,\"line\":5,\"column\":\"cus_email\",\"severity\":\"error\",\"rule\":\"email-duplicate\"") !=
        std::string::npos);
}

TEST_CASE("batch_findings: each finding's rule, message and value from the batch's text, room kept on clear") {
  batch_findings found;
  const std::string file = "m.csv", column = "cus_zip";
  for (std::uint64_t i = 0; i < 3000; ++i)  // the text grows many times
    found.add(file, i + 1, i + 2, i % 2 ? std::optional<std::string_view>(column) : std::nullopt,
              i % 3 ? severity::error : severity::warning, "rule-" + std::to_string(i),
              "cus_zip: ", "message " + std::to_string(i),
              i % 5 ? std::optional<std::string_view>("value " + std::to_string(i)) : std::nullopt);
  REQUIRE(found.size() == 3000);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{1234}, std::size_t{2999}}) {
    finding_view f = found[i];
    CHECK(f.file == "m.csv");
    CHECK(f.record == i + 1);
    CHECK(f.line == i + 2);
    CHECK(f.column.has_value() == (i % 2 == 1));
    if (f.column) CHECK(*f.column == "cus_zip");
    CHECK(f.severity == (i % 3 ? severity::error : severity::warning));
    CHECK(f.rule == "rule-" + std::to_string(i));
    CHECK(f.message == "cus_zip: message " + std::to_string(i));
    CHECK(f.value.has_value() == (i % 5 != 0));
    if (f.value) CHECK(*f.value == "value " + std::to_string(i));
  }
  found.clear();
  CHECK(found.empty());
  found.add(file, 7, 8, std::nullopt, severity::error, "r", "", "again", "");
  REQUIRE(found.size() == 1);
  CHECK(found[0].value == std::string_view());
  CHECK(found[0].rule == "r");
  CHECK(found[0].message == "again");
  CHECK(found.record(0) == 7);
}
