#include "core/csv_input.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "core/progress_counters.h"
#include "generator.h"
#include "members/member_columns.h"

using namespace kaiin;

namespace {

// The place a finding's message gives: "line L, column C, byte offset O".
struct place {
  std::uint64_t line, column, offset;
  bool operator==(const place&) const = default;
};

std::vector<place> places_of(const std::vector<finding>& findings) {
  std::vector<place> out;
  static const std::regex re("line (\\d+), column (\\d+), byte offset (\\d+)");
  for (const finding& f : findings) {
    std::smatch m;
    if (std::regex_search(f.message, m, re)) out.push_back({std::stoull(m[1]), std::stoull(m[2]), std::stoull(m[3])});
  }
  return out;
}

}  // namespace

TEST_CASE("the places of many bad bytes in one long field: lines and character columns as an editor shows them") {
  // A quoted CP932 field over several lines, with a bad byte (0x80) every few
  // characters among double-byte ones (あ = 82 A0) and ASCII: each finding's place
  // is counted from the start of its own line.
  std::string field;
  std::vector<place> expected;
  const std::string header = "id,memo\r\n1,\"";
  std::uint64_t line = 2, column = 1 + 3;  // the field's first character follows 1,"
  for (int i = 0; i < 3000; ++i) {
    switch (i % 5) {
      case 0:
        expected.push_back({line, column, header.size() + field.size()});
        field += '\x80';
        ++column;
        break;
      case 1: field += "\x82\xA0", ++column; break;
      case 2: field += "x", ++column; break;
      case 3:
        if (i % 35 == 3) {
          field += "\n";
          ++line;
          column = 1;
        } else {
          field += "y", ++column;
        }
        break;
      default: field += "\x82\xA0", ++column; break;
    }
  }
  testing::temp_file file(header + field + "\"\r\n");
  int out_fd = ::open("/dev/null", O_WRONLY);
  output_stream out(out_fd, "report");
  diagnostics diag(out, report_format::json, "kaiin-test");
  csv_input in(file.path, source_encoding::cp932, diag, is_password_header);
  std::vector<finding> found;
  in.collect_into(&found);
  raw_record r;
  record_values values;
  while (in.next(r)) in.decode_fields(r, values);
  ::close(out_fd);
  CHECK(places_of(found) == expected);
  CHECK(found.size() == 600);
}

namespace {

// Every record of \p content decoded a record at a time (decode_fields) and a field
// at a time (decode_field): the same values, the same findings in the same order.
// With \p as_read, the columns it marks hold the bytes as read where decode_field
// reported nothing (CP932 not quoted), and decode_field's value where it did.
void check_record_and_field_decoding_agree(const std::string& content, source_encoding from,
                                           const std::vector<bool>* as_read = nullptr) {
  testing::temp_file file(content);
  int out_fd = ::open("/dev/null", O_WRONLY);
  output_stream out(out_fd, "report");
  diagnostics diag(out, report_format::json, "kaiin-test");
  csv_input in(file.path, from, diag, is_password_header);
  std::vector<finding> by_record, by_field;
  raw_record r;
  record_values values;
  std::string buffer;
  std::size_t records = 0, as_read_kept = 0;
  while (true) {
    in.collect_into(&by_record);
    if (!in.next(r)) break;
    in.decode_fields(r, values, as_read);
    in.collect_into(&by_field);
    REQUIRE(values.size() == r.fields.size());
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      CAPTURE(r.text);
      const std::size_t reported = by_field.size();
      const std::string_view decoded = in.decode_field(r, i, buffer);
      const bool left = as_read && (*as_read)[i] && from == source_encoding::cp932 && !r.fields[i].escaped &&
                        by_field.size() == reported;
      CHECK(values[i] == (left ? r.raw(i) : decoded));
      as_read_kept += left && r.raw(i) != decoded;
    }
    ++records;
  }
  ::close(out_fd);
  CHECK(records > 40);
  // decode_fields reported each problem once, as decode_field did (by_record also
  // holds what reading the records found, which is not decoding's).
  std::vector<std::string> decoded_record, decoded_field;
  for (const finding& f : by_record)
    if (f.rule.rfind("encoding-", 0) == 0) decoded_record.push_back(f.rule + f.message);
  for (const finding& f : by_field) decoded_field.push_back(f.rule + f.message);
  CHECK(decoded_record == decoded_field);
  CHECK(!decoded_field.empty());
  CHECK((as_read_kept > 0) == (as_read && from == source_encoding::cp932));
}

}  // namespace

TEST_CASE("decode_fields, a record at a time, gives what decode_field gives, with a character at every place") {
  // decode_fields finds the non-ASCII bytes of a record in one scan, sixteen bytes
  // at a time, and takes a field before the next one as ASCII: a piece at every
  // offset of fields of 0..40 bytes, quoted or not, with doubled quotes or not.
  struct input {
    source_encoding from;
    std::vector<std::string> pieces;
  };
  for (const input& i : {input{source_encoding::cp932, {"\x88\x9F", "\xB1", "\x80", "\xF0\x40"}},
                         input{source_encoding::utf8, {"\xE3\x81\x82", "\xC3", "\xEE\x80\x80"}}}) {
    std::string content = "a,b,c,d\r\n";
    for (std::size_t length = 0; length <= 40; ++length) {
      for (std::size_t at = 0; at <= length; ++at) {
        const std::string& piece = i.pieces[(length + at) % i.pieces.size()];
        std::string ascii(length, 'x');
        std::string field = ascii.substr(0, at) + piece + ascii.substr(at);
        std::string quoted = "\"" + ascii.substr(0, at) + "\"\"" + piece + ascii.substr(at) + "\"";
        content += ascii + "," + field + "," + quoted + "," + ascii.substr(at) + "\r\n";
      }
    }
    check_record_and_field_decoding_agree(content, i.from);
    // kaiin-check leaves the values it only looks at for a formula as read: the
    // second and third columns here, the third always quoted.
    const std::vector<bool> as_read = {false, true, true, false};
    check_record_and_field_decoding_agree(content, i.from, &as_read);
  }
}

TEST_CASE("every record read is told to the progress line, a thousand at a time and the rest at the end") {
  std::string content = "id,name\r\n";
  for (int i = 0; i < 2500; ++i) content += std::to_string(i) + ",a\r\n";
  testing::temp_file file(content);
  int out_fd = ::open("/dev/null", O_WRONLY);
  output_stream out(out_fd, "report");
  diagnostics diag(out, report_format::json, "kaiin-test");
  const std::uint64_t before = progress::detail::records.load();
  {
    csv_input in(file.path, source_encoding::auto_detect, diag, is_password_header);
    raw_record r;
    for (int i = 0; i < 1500; ++i) REQUIRE(in.next(r));  // the header and 1,499 records
    CHECK(progress::detail::records.load() - before == 1024);
    while (in.next(r)) {
    }
    CHECK(progress::detail::records.load() - before == 2500);
  }
  {
    csv_input in(file.path, source_encoding::auto_detect, diag, is_password_header);  // stopped early: told when closed
    raw_record r;
    for (int i = 0; i < 11; ++i) REQUIRE(in.next(r));
    CHECK(progress::detail::records.load() - before == 2500);
  }
  CHECK(progress::detail::records.load() - before == 2510);
  ::close(out_fd);
}

TEST_CASE("what is known of a record's bytes is what its own bytes are: found a buffer at a time") {
  // raw_record::clean lets take() skip a record's NUL and BOM checks, and
  // valid_bytes() validates what the reader holds at once, then answers the records
  // after it from that; both look across several reads of a megabyte. Whatever a
  // record sits among, it is clean exactly when its own bytes have no NUL and (UTF-8)
  // no BOM, valid_bytes() is true exactly when they are valid (asked of every record,
  // or of one in three), and a NUL is still reported.
  for (auto [cp932, every] : {std::pair{true, 1}, {true, 3}, {false, 1}, {false, 3}}) {
    CAPTURE(cp932);
    CAPTURE(every);
    const encoding e = cp932 ? encoding::cp932 : encoding::utf8;
    const std::string kanji = cp932 ? "\x8E\x63\x8D\x82" : "残高";  // 残高
    const std::vector<std::string> bad = {
        std::string("x\0y", 3),                   // a NUL
        cp932 ? "\x80" : "\xFF",                  // an invalid byte
        cp932 ? "ab\x82" : "ab\xE6\xAE",          // a character cut by the record's end
        cp932 ? "\x82\xA0\x82" : "\xEF\xBB\xBF",  // a lead byte without its trail; a BOM inside
        "\"" + kanji + "\n" + kanji + "\"",       // clean, over two lines
    };
    std::string content = "member_id,points,reason\r\n";
    std::size_t nuls = 0;
    testing::generator g(cp932 ? 7 : 8);
    for (int i = 0; i < 200000; ++i) {
      std::string reason = kanji;
      if (g.below(500) == 0) {
        reason = g.pick(bad);
        nuls += reason.find('\0') != std::string::npos;
      }
      content += std::to_string(10000 + i) + "," + std::to_string(g.below(5000)) + "," + reason + "\r\n";
    }
    testing::temp_file file(content);
    int out_fd = ::open("/dev/null", O_WRONLY);
    output_stream out(out_fd, "report");
    diagnostics diag(out, report_format::json, "kaiin-test");
    csv_input in(file.path, cp932 ? source_encoding::cp932 : source_encoding::utf8, diag, is_password_header);
    std::vector<finding> found;
    in.collect_into(&found);
    std::size_t clean = 0, not_clean = 0, invalid = 0;
    for (raw_record r; in.next(r);) {
      const bool own = r.text.find('\0') == std::string_view::npos &&
                       (cp932 || r.text.find("\xEF\xBB\xBF") == std::string_view::npos);
      CAPTURE(r.number);
      REQUIRE(r.clean == own);
      ++(own ? clean : not_clean);
      if (r.number % every != 0) continue;
      const bool valid = first_invalid(r.text, e) == std::string_view::npos;
      REQUIRE(in.valid_bytes(r) == valid);
      invalid += !valid;
    }
    ::close(out_fd);
    CHECK(clean > 190000);
    CHECK(not_clean > 50);
    CHECK(invalid > 50 / every);
    CHECK(std::count_if(found.begin(), found.end(), [](const finding& f) { return f.rule == "csv-nul-byte"; }) ==
          static_cast<std::ptrdiff_t>(nuls));
  }
}

TEST_CASE("a stray quote's finding shows the value's first 80 characters, however long the value") {
  // CP932 and UTF-8: a value of 80 characters (x, then あ with a stray quote for every
  // tenth character) is shown whole; one of 4,000 has 399 findings, each showing the
  // first 80 characters and an ellipsis after them, not the whole value.
  auto value = [](std::size_t chars, const std::string& a) {
    std::string v = "x";
    for (std::size_t i = 0; i + 1 < chars; ++i) v += i % 10 == 9 ? "\"" : a;
    return v;
  };
  const std::string a_utf8 = "\xE3\x81\x82", a_cp932 = "\x82\xA0";
  const std::string first80 = value(80, a_utf8);
  for (source_encoding from : {source_encoding::cp932, source_encoding::utf8}) {
    const std::string& a = from == source_encoding::cp932 ? a_cp932 : a_utf8;
    testing::temp_file file("id,memo\r\n1," + value(80, a) + "\r\n2," + value(4000, a) + "\r\n");
    int out_fd = ::open("/dev/null", O_WRONLY);
    output_stream out(out_fd, "report");
    diagnostics diag(out, report_format::json, "kaiin-test");
    csv_input in(file.path, from, diag, is_password_header);
    std::vector<finding> found;
    in.collect_into(&found);
    raw_record r;
    while (in.next(r)) {
    }
    ::close(out_fd);
    REQUIRE(found.size() == 7 + 399);
    for (std::size_t i = 0; i < found.size(); ++i) {
      CAPTURE(found[i].message);
      CHECK(found[i].rule == "csv-bare-quote");
      CHECK(found[i].message.find(i < 7 ? "('" + first80 + "')" : "('" + first80 + "\u2026')") != std::string::npos);
      CHECK(found[i].message.size() < 600);
    }
  }
}
