#include "core/utf16.h"

#include <doctest/doctest.h>

#include <string>

#include "generator.h"

using namespace kaiin;
using namespace kaiin::detail;

namespace {

std::string decode(std::string_view bytes, bool big_endian = false, std::size_t chunk = 1 << 20) {
  utf16_decoder d(big_endian);
  std::string out;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) d.decode(bytes.substr(at, chunk), out);
  CHECK(d.finish(out));
  return out;
}

std::string encode(std::string_view utf8, bool big_endian = false, std::size_t chunk = 1 << 20) {
  utf16_encoder e(big_endian);
  std::string out;
  for (std::size_t at = 0; at < utf8.size(); at += chunk) CHECK(e.encode(utf8.substr(at, chunk), out));
  CHECK(e.finished());
  return out;
}

// "a,山𠮷\r\n" in UTF-16LE: 𠮷 (U+20BB7) is the pair D842 DFB7.
const std::string le("a\0,\0\x71\x5C\x42\xD8\xB7\xDF\r\0\n\0", 14);
const std::string utf8 = "a,\xE5\xB1\xB1\xF0\xA0\xAE\xB7\r\n";

}  // namespace

TEST_CASE("UTF-16 decodes to UTF-8 in either byte order, whatever the chunks") {
  CHECK(decode(le) == utf8);
  std::string be = le;
  for (std::size_t i = 0; i + 1 < be.size(); i += 2) std::swap(be[i], be[i + 1]);
  CHECK(decode(be, true) == utf8);
  for (std::size_t chunk = 1; chunk < le.size(); ++chunk) {
    CAPTURE(chunk);
    CHECK(decode(le, false, chunk) == utf8);
    CHECK(encode(utf8, false, chunk) == le);
  }
  CHECK(encode(utf8, true) == be);
}

TEST_CASE("an unpaired surrogate is kept as the three bytes UTF-8 readers refuse, and written back") {
  const std::string high_alone("x\0\x42\xD8y\0", 6), low_alone("\xB7\xDFz\0", 4), high_at_end("\x42\xD8", 2);
  CHECK(decode(high_alone) == "x\xED\xA1\x82y");
  CHECK(decode(low_alone) == "\xED\xBE\xB7z");
  CHECK(decode(high_at_end) == "\xED\xA1\x82");
  CHECK(is_surrogate_utf8("\xED\xA1\x82"));
  CHECK(surrogate_of("\xED\xA1\x82") == 0xD842);
  CHECK_FALSE(is_surrogate_utf8("\xED\x9F\xBF"));  // U+D7FF: a character
  for (const std::string& s : {high_alone, low_alone, high_at_end}) CHECK(encode(decode(s)) == s);
}

TEST_CASE("an odd byte at the end is half a code unit") {
  utf16_decoder d(false);
  std::string out;
  d.decode(std::string("a\0b", 3), out);
  CHECK(out == "a");
  CHECK_FALSE(d.finish(out));
}

TEST_CASE("the encoder refuses what is not UTF-8") {
  utf16_encoder e(false);
  std::string out;
  CHECK_FALSE(e.encode("\xFF", out));
  CHECK_FALSE(e.encode("\x80", out));
}

TEST_CASE("random code units go through UTF-8 and back unchanged") {
  testing::generator g(16);
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    const int units = static_cast<int>(g.next() % 64);
    for (int i = 0; i < units; ++i) {
      // Mostly ASCII and kana, some surrogates (paired or not).
      const std::uint64_t r = g.next();
      const unsigned unit = r % 4 == 0   ? 0xD800 + (r >> 8) % 0x800
                            : r % 4 == 1 ? 0x3040 + (r >> 8) % 96
                                         : (r >> 8) % 128;
      bytes.push_back(static_cast<char>(unit & 0xFF));
      bytes.push_back(static_cast<char>(unit >> 8));
    }
    CAPTURE(round);
    CHECK(encode(decode(bytes)) == bytes);
    CHECK(utf16_size(decode(bytes)) == bytes.size());
  }
}
