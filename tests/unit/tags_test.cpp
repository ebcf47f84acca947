// The pure pieces of kaiin-tags (spec §8): tag codes as they are stored, and the
// order of member IDs in a change file.
#include "kaiin/tags.h"

#include <doctest/doctest.h>
#include <fcntl.h>

#include <fstream>
#include <iterator>
#include <string>

#include "generator.h"
#include "kaiin/diagnostics.h"
#include "kaiin/io.h"

using namespace kaiin;

TEST_CASE("normal_tag_code: upper case; empty for anything but half-width letters, digits, - and _") {
  CHECK(normal_tag_code("osaka") == "OSAKA");
  CHECK(normal_tag_code("New-30_a") == "NEW-30_A");
  CHECK(normal_tag_code("") == "");
  CHECK(normal_tag_code("a b") == "");
  CHECK(normal_tag_code("ＡＢＣ") == "");  // full-width letters are not a code
  CHECK(normal_tag_code("tag,1") == "");
}

TEST_CASE("member_id_less: numbers by value, before other IDs, which go by bytes") {
  CHECK(member_id_less("9", "10"));
  CHECK_FALSE(member_id_less("10", "9"));
  CHECK(member_id_less("007", "8"));  // leading zeros aside
  CHECK(member_id_less("007", "7"));  // the same number: then by bytes, so the order is total
  CHECK(member_id_less("999", "A1"));
  CHECK_FALSE(member_id_less("A1", "999"));
  CHECK(member_id_less("A10", "A9"));  // not numbers: bytes
  CHECK_FALSE(member_id_less("5", "5"));
}

TEST_CASE("kaiin-tags apply: changes by member ID then tag code, an ID on two rows merged by tag code") {
  // Member 10 is on two rows: the first adds A, the second adds A and removes B
  // (its current link, which the second row no longer earns). The change file keeps
  // every change, by tag code within the ID.
  testing::temp_file rules("tag_code,field,op,value\nA,pref,eq,東京都\nB,point,ge,100\n");
  testing::temp_file members("cus_id,cus_pref,cus_point\n10,東京都,500\n9,大阪府,50\n10,東京都,0\nx1,東京都,200\n");
  testing::temp_file links("member_id,tag_code\n9,B\n10,B\n077,A\n");  // 077: not in the export
  testing::temp_file output("");
  tags_apply_options o;
  o.rules = rules.path;
  o.members = members.path;
  o.current = links.path;
  o.output = output.path;
  o.today = date{2026, 11, 23};
  testing::temp_file report_file("");
  output_stream report(::open(report_file.path.c_str(), O_WRONLY | O_TRUNC), "report");
  diagnostics diag(report, report_format::json, "kaiin-tags");
  REQUIRE(run_tags_apply(o, diag) == 0);
  diag.finish();
  ::close(report.fd());
  auto read = [](const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  CHECK(read(report_file.path).find("member '077' has auto tag links but is not in") != std::string::npos);
  CHECK(diag.warnings() == 1);
  CHECK(read(output.path) ==
        "member_id,tag_code,action\r\n9,B,remove\r\n10,A,add\r\n10,A,add\r\n10,B,remove\r\nx1,A,add\r\nx1,B,add\r\n");
}

TEST_CASE("kaiin-tags apply --current: links of more than 64 tags (a bit a tag, several words a member)") {
  std::string rules_text = "tag_code,field,op,value\n", expected = "member_id,tag_code,action\r\n";
  auto code = [](int i) { return "T" + std::string(i < 10 ? "0" : "") + std::to_string(i); };
  for (int i = 0; i < 70; ++i) {
    rules_text += code(i) + ",point," + (i == 66 ? "lt" : "ge") + ",0\n";  // T66 never holds
    if (i == 66)
      expected += "7," + code(i) + ",remove\r\n";
    else if (i != 1 && i != 65)
      expected += "7," + code(i) + ",add\r\n";
  }
  testing::temp_file rules(rules_text);
  testing::temp_file members("cus_id,cus_point\n7,10\n");
  testing::temp_file links("member_id,tag_code\n7,T65\n7,T01\n7,T66\n");
  testing::temp_file output("");
  tags_apply_options o;
  o.rules = rules.path;
  o.members = members.path;
  o.current = links.path;
  o.output = output.path;
  o.today = date{2026, 11, 23};
  output_stream report(::open("/dev/null", O_WRONLY), "report");
  diagnostics diag(report, report_format::json, "kaiin-tags");
  REQUIRE(run_tags_apply(o, diag) == 0);
  ::close(report.fd());
  std::ifstream f(output.path, std::ios::binary);
  CHECK(std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>()) == expected);
}
