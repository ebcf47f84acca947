#include "core/input_kind.h"

#include <doctest/doctest.h>

#include <string>

#include "generator.h"
#include "kaiin/detect.h"
#include "kaiin/error.h"
#include "kaiin/io.h"

using namespace kaiin;
using namespace kaiin::detail;

namespace {

// A ZIP archive's local file header for an entry \p name holding \p data, stored.
std::string zip_entry(const std::string& name, const std::string& data) {
  std::string h = "PK\x03\x04";
  h += std::string(14, '\0');  // version, flags, method, time, date, CRC
  for (std::size_t size : {data.size(), data.size()})
    for (int i = 0; i < 4; ++i) h += static_cast<char>(size >> (8 * i) & 0xFF);
  h += static_cast<char>(name.size());
  h += std::string(3, '\0');  // (the name's length is below 256) no extra field
  return h + name + data;
}

std::string read_all(file_source& in) {
  std::string out;
  char buf[1000];  // small reads: through the blocks a piece at a time
  while (std::size_t n = in.read(buf, sizeof buf)) out.append(buf, n);
  return out;
}

}  // namespace

TEST_CASE("the first bytes say what a file is") {
  CHECK(recognise("control,cus_id\n") == file_kind::text);
  CHECK(recognise("") == file_kind::text);
  CHECK(recognise("\xFF\xFE"
                  "c\0") == file_kind::utf16le);
  CHECK(recognise("\xFE\xFF\0c") == file_kind::utf16be);
  CHECK(recognise(zip_entry("[Content_Types].xml", "<Types/>") + zip_entry("_rels/.rels", "<R/>") +
                  zip_entry("xl/workbook.xml", "<w/>")) == file_kind::xlsx);
  CHECK(recognise(zip_entry("mimetype", "application/vnd.oasis.opendocument.spreadsheet") +
                  zip_entry("content.xml", "<x/>")) == file_kind::ods);
  CHECK(recognise(zip_entry("mimetype", "application/vnd.oasis.opendocument.text")) == file_kind::zip);
  CHECK(recognise(zip_entry("[Content_Types].xml", "<Types/>") + zip_entry("word/document.xml", "<d/>")) ==
        file_kind::zip);
  CHECK(recognise(std::string("PK\x03\x04", 4)) == file_kind::zip);  // cut short: a ZIP all the same
  CHECK(recognise(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10)) == file_kind::xls);
  CHECK(recognise("%PDF-1.7\n") == file_kind::pdf);
}

TEST_CASE("a block is not text when it holds NUL and one control byte in sixteen") {
  CHECK_FALSE(check_text("a,b\r\n\tc\n"));
  CHECK_FALSE(check_text(std::string(100, 'a') + '\0'));  // a NUL in a value: a damaged value
  CHECK_FALSE(check_text(std::string(100, '\x01')));      // no NUL: text, as far as blocks go
  const std::string zeros(4096, '\0');
  REQUIRE(check_text(zeros));
  CHECK(check_text(zeros)->at == 0);
  CHECK(check_text(zeros)->controls == 4096);
  auto end = check_text("name,memo\nyamada,ok\nsato,c" + std::string(40, '\0'));
  REQUIRE(end);
  CHECK(end->at == 20);  // the line of the first NUL
  // Random bytes: one in eight or so is a control byte.
  testing::generator g(33);
  std::string random;
  for (int i = 0; i < 4096; ++i) random += static_cast<char>(g.next() & 0xFF);
  CHECK(check_text(random));
}

TEST_CASE("a file that turns into zeros ends where its text ends, whatever the reads") {
  std::string text;  // 500 lines of 20 bytes: the zeros start in the block from 8192
  for (int i = 1000; i < 1500; ++i) text += "line " + std::to_string(i) + ",some text\n";
  REQUIRE(text.size() == 10000);
  testing::temp_file file(text + "partial line" + std::string(9000, '\0'));
  file_source in(file.path);
  detect_encoding(in, source_encoding::auto_detect);
  CHECK(read_all(in) == text);
  REQUIRE(in.text_stopped());
  CHECK(in.text_stopped()->offset == text.size());
  in.seek(100);  // read again from a place before: the same end
  CHECK(read_all(in) == text.substr(100));
}

TEST_CASE("a file that is not text or not a CSV is refused by name") {
  for (const std::string& content : {std::string(5000, '\0'), std::string("%PDF-1.4\n"),
                                     std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(200, '\x01')}) {
    testing::temp_file file(content);
    file_source in(file.path);
    try {
      detect_encoding(in, source_encoding::cp932);
      FAIL("not refused");
    } catch (const error& e) {
      CHECK(e.file() == file.path);
    }
  }
}

TEST_CASE("a UTF-16 file is read as its UTF-8, with a TAB-separated header told") {
  const std::u16string text = u"a\tb\r\n\u5C71\t\U00020BB7\r\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t u : text) {
    bytes += static_cast<char>(u & 0xFF);
    bytes += static_cast<char>(u >> 8);
  }
  testing::temp_file file(bytes);
  file_source in(file.path);
  CHECK(detect_encoding(in, source_encoding::utf8).enc == encoding::utf16le);
  CHECK(tab_separated_header(in));
  CHECK(read_all(in) == "a\tb\r\n\xE5\xB1\xB1\t\xF0\xA0\xAE\xB7\r\n");
  CHECK(in.size_hint() == 15);  // the UTF-8 read
}
