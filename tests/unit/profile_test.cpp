#include "members/profile.h"

#include <doctest/doctest.h>

#include <string>

#include "generator.h"
#include "kaiin/error.h"

using namespace kaiin;

TEST_CASE("the shipped profiles load, kaiin's first") {
  auto all = builtin_profiles();
  REQUIRE(all.size() >= 3);
  CHECK(all.front().name() == "kaiin");
  CHECK(find_profile("futureshop").match("メルマガ受信可否") == field::mailmag);
  CHECK(find_profile("futureshop").match("Eメールアドレス") == field::email);
  CHECK(find_profile("futureshop").match("メールアドレス1") == field::email);
}

TEST_CASE("ebisumart headers match by either part of 項目名:項目ID") {
  profile p = find_profile("ebisumart");
  CHECK(p.match("会員ID:MEMBER_ID") == field::member_id);
  CHECK(p.match("メールアドレス:XYZ") == field::email);
  CHECK(p.match("ABC:MAIL") == field::email);
  CHECK_FALSE(p.match("趣味:HOBBY"));
}

TEST_CASE("a header name a profile gives twice is the field of its first row, in copies too") {
  testing::temp_file f("field,header\nemail,メール\nmember_id,ID\nmobile_email,メール\nzip,郵便番号\n");
  const profile p = profile::load(f.path);
  CHECK(p.match("メール") == field::email);
  CHECK(p.match("郵便番号") == field::zip);
  CHECK(p.match("ID:郵便番号") == field::member_id);  // either part, the first part first
  CHECK(p.match("X:郵便番号") == field::zip);
  CHECK_FALSE(p.match("メー"));
  CHECK_FALSE(p.match(""));
  CHECK_FALSE(p.match(std::string("ID\0", 3)));
  const profile copy = p;
  CHECK(copy.match("メール") == field::email);
  CHECK(copy.match("ID") == field::member_id);
}

TEST_CASE("the best profile is the one that knows most headers") {
  auto all = builtin_profiles();
  CHECK(best_profile(all, {"control", "cus_id", "cus_email"}).name() == "kaiin");
  CHECK(best_profile(all, {"コントロールカラム", "会員ID", "メールアドレス1", "メルマガ受信可否"}).name() ==
        "futureshop");
}

TEST_CASE("columns: fields found, unknown and second columns passed through") {
  column_map m = map_columns(find_profile("kaiin"), {"cus_id", "memo2", "cus_email", "cus_id"});
  CHECK(m[field::member_id] == 0);
  CHECK(m[field::email] == 2);
  CHECK(m[field::zip] == -1);
  CHECK(m.unknown == std::vector<std::size_t>{1, 3});
  CHECK(m.matched == 2);
}

TEST_CASE("an unknown profile lists the names and hints") {
  CHECK_THROWS_WITH_AS(find_profile("futurshop"), doctest::Contains("did you mean 'futureshop'"), error);
  CHECK(field_named("email") == field::email);
  CHECK_FALSE(field_named("e-mail"));
}

TEST_CASE("a profile may say what its platform's upload screen reads") {
  CHECK_FALSE(find_profile("kaiin").upload());
  const profile ai = find_profile("aiship");
  const auto& aiship = ai.upload();
  REQUIRE(aiship);
  CHECK(aiship->file_encoding == encoding::cp932);
  CHECK(aiship->newline == "\r\n");
  CHECK(aiship->confirmed);
  testing::temp_file f(
      "field,header,confirmed\nmember_id,id,yes\nupload_encoding,utf-8-bom,yes\nupload_newline,LF,no\n");
  const profile p = profile::load(f.path);
  REQUIRE(p.upload());
  CHECK(p.upload()->file_encoding == encoding::utf8_bom);
  CHECK(p.upload()->newline == "\n");
  CHECK_FALSE(p.upload()->confirmed);  // confirmed only when both rows are
  CHECK_FALSE(p.match("utf-8-bom"));   // not a header
  testing::temp_file encoding_only("field,header\nmember_id,id\nupload_encoding, Shift_JIS\n");
  REQUIRE(profile::load(encoding_only.path).upload());
  CHECK(profile::load(encoding_only.path).upload()->newline.empty());  // either line end
  testing::temp_file bad("field,header\nmember_id,id\nupload_newline,CR\n");
  CHECK_THROWS_WITH_AS(profile::load(bad.path), "upload_newline is 'CR', not CRLF or LF", error);
}

TEST_CASE("a profile marks the headers confirmed from the platform's documentation") {
  testing::temp_file f("field,header,confirmed\nmember_id,会員ID,yes\nemail,メール,no\nzip,郵便,\n");
  profile p = profile::load(f.path);
  CHECK(p.match("会員ID") == field::member_id);
  CHECK(p.confirmed("会員ID"));
  CHECK_FALSE(p.confirmed("メール"));
  CHECK_FALSE(p.confirmed("郵便"));
  CHECK_FALSE(p.confirmed("趣味"));
  testing::temp_file two("field,header\nmember_id,会員ID\n");  // the column may be left out
  CHECK(profile::load(two.path).match("会員ID") == field::member_id);
  testing::temp_file bad("field,header,confirmed\nmember_id,会員ID,maybe\n");
  try {
    profile::load(bad.path);
    FAIL("a bad confirmed value loads");
  } catch (const error& e) {
    CHECK(std::string(e.what()) == "confirmed is 'maybe', not yes or no");
    CHECK(e.file() == bad.path);
    CHECK(e.line() == 2);
  }
  testing::temp_file unknown("field,header\nmember_id,会員ID\nemai,メール\n");
  try {
    profile::load(unknown.path);
    FAIL("an unknown field loads");
  } catch (const error& e) {
    CHECK(std::string(e.what()) == "unknown field 'emai' (did you mean 'email'?)");
    CHECK(e.line() == 3);
  }
}
