// The generated tables (core/unicode_tables.h) against ICU asked directly
// (gen/unicode_from_icu.h): the tables the library builds from them at run time,
// every code and character, so that a table that went stale or a change to how the
// library reads them fails here.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "core/cp932.h"
#include "core/progress.h"
#include "core/unicode_tables.h"
#include "kaiin/encoding.h"
#include "unicode_from_icu.h"

namespace {

using namespace kaiin;

const gen::cp932_reference& icu_cp932() {
  static const gen::cp932_reference t = gen::cp932_from_icu();
  return t;
}

std::string u(char32_t c) { return describe_char(c).substr(0, describe_char(c).find(' ')); }

std::uint16_t decoded(std::string_view bytes) {
  auto c = detail::cp932_char(bytes);
  return c ? static_cast<std::uint16_t>(*c) : gen::none;
}

std::uint16_t encoded(char32_t c) {
  auto bytes = detail::cp932_bytes(c);
  if (!bytes) return gen::none;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>((*bytes)[i]); };
  return static_cast<std::uint16_t>(bytes->size() == 1 ? b(0) : b(0) << 8 | b(1));
}

}  // namespace

TEST_CASE("every CP932 byte and pair decodes as ICU's windows-31j says (with kaiin's decisions)") {
  const gen::cp932_reference& icu = icu_cp932();
  int wrong = 0;
  for (unsigned b = 0; b < 0x100; ++b) {
    std::uint16_t want = icu.single[b];
    if (decoded(std::string(1, static_cast<char>(b))) != want) CHECK_MESSAGE(++wrong > 10, "byte " << b);
  }
  for (unsigned p = 0x8100; p < 0x10000; ++p) {
    const char bytes[2] = {static_cast<char>(p >> 8), static_cast<char>(p & 0xFF)};
    if (decoded({bytes, 2}) != icu.pair[p]) CHECK_MESSAGE(++wrong > 10, "pair " << p);
  }
  CHECK(wrong == 0);
  CHECK(decoded("\x88\x9F") == 0x4E9C);  // 亜
  CHECK(decoded("\xF0\x40") == 0xE000);  // 外字
  CHECK(decoded("\x1A") == 0x1A);        // not swapped, as ICU does
}

TEST_CASE("every BMP character encodes to the code ICU's windows-31j writes, where it decodes back") {
  const gen::cp932_reference& icu = icu_cp932();
  int wrong = 0;
  for (char32_t c = 0; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    if (encoded(c) != icu.code[c]) CHECK_MESSAGE(++wrong > 10, u(c));
  }
  CHECK(wrong == 0);
  CHECK(encoded(0x9AD9) == 0xFBFC);  // 髙: the IBM code, as Windows writes it
  CHECK(encoded(0x7E8A) == 0xFA5C);  // 纊
  CHECK(encoded(0x00E9) == gen::none);
}

TEST_CASE("East Asian width: every code point as ICU says") {
  int wrong = 0;
  for (char32_t c = 0; c <= 0x10FFFF; ++c)
    if (detail::is_wide(c) != gen::icu_wide(c)) CHECK_MESSAGE(++wrong > 10, u(c));
  CHECK(wrong == 0);
  CHECK(progress::display_width("会員 ok ｶﾅ") == 2 * 2 + 1 + 2 + 1 + 2);
}

TEST_CASE("listed character names: ICU's, for every character of the listed blocks and numbered ranges") {
  namespace data = detail::unicode_data;
  int wrong = 0, named = 0;
  auto same_as_icu = [&](char32_t c) {
    std::string want = gen::icu_char_name(c);
    named += !want.empty();
    if (detail::listed_char_name(c) != want) CHECK_MESSAGE(++wrong > 10, u(c));
  };
  for (std::size_t i = 0; i < data::name_blocks_size; ++i)
    for (char32_t c = data::name_blocks[i].first; c < data::name_blocks[i].first + data::name_blocks[i].count; ++c)
      same_as_icu(c);
  for (std::size_t i = 0; i < data::numbered_size; ++i)
    for (char32_t c = data::numbered[i].first; c <= data::numbered[i].last; ++c) same_as_icu(c);
  CHECK(wrong == 0);
  CHECK(named > 100000);
  CHECK(detail::listed_char_name(0x00E9) == "LATIN SMALL LETTER E WITH ACUTE");
  CHECK(detail::listed_char_name(0x20BB7) == "CJK UNIFIED IDEOGRAPH-20BB7");  // 𠮷
  CHECK(detail::listed_char_name(0x1F600) == "GRINNING FACE");
  CHECK(detail::listed_char_name(0xE0100) == "VARIATION SELECTOR-17");
  CHECK(detail::listed_char_name(0x301C) == "WAVE DASH");
  CHECK(detail::listed_char_name(0xAC00) == "");  // Hangul syllables are not listed
  CHECK(detail::listed_char_name(0xE000) == "");  // nor has private use a name
  CHECK(describe_char(0x2013) == "U+2013 EN DASH");
}
