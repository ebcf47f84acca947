#pragma once
// What the library knows of CP932 and Unicode beyond UTF-8 itself, as tables that
// gen/make_tables.cpp writes at build time from ICU's answers (gen/unicode_from_icu.h)
// into unicode_tables_data.cpp of the build folder: nothing asks ICU for them at run
// time, and the page, which has no ICU, has the same tables as the programs. The
// unit tests compare them with ICU's answers. Private to the library.

#include <cstddef>
#include <cstdint>
#include <string>

namespace kaiin::detail {

namespace unicode_data {

/// CP932's double-byte characters, a row a lead byte that is not 外字 (81-9F, E0-EF,
/// FA-FC) and a column a trail byte 40-FC (7F included, never a character): the
/// character, or 0xFFFF where the pair is none. 外字 (F0-F9) follow a formula.
inline constexpr unsigned cp932_rows = 50, cp932_trails = 0xFC - 0x40 + 1;
/// The row of lead byte \p lead, or -1 for 外字 and bytes that lead no pair.
constexpr int cp932_row(unsigned lead) {
  if (lead >= 0x81 && lead <= 0x9F) return static_cast<int>(lead - 0x81);
  if (lead >= 0xE0 && lead <= 0xEF) return static_cast<int>(lead - 0xE0 + 31);
  if (lead >= 0xFA && lead <= 0xFC) return static_cast<int>(lead - 0xFA + 47);
  return -1;
}
extern const std::uint16_t cp932_pairs[cp932_rows][cp932_trails];
/// The half-width katakana A1-DF decode to.
extern const std::uint16_t cp932_kana[0xDF - 0xA1 + 1];

/// A character that several codes decode to (in both the NEC and the IBM
/// extension), and the code Windows writes it as, or 0xFFFF for none.
struct preferred_code {
  std::uint16_t c, code;
};
extern const preferred_code cp932_preferred[];  ///< by character
extern const std::size_t cp932_preferred_size;

/// A range of code points, both ends included.
struct code_range {
  char32_t first, last;
};
/// East Asian Wide and Fullwidth characters, in order.
extern const code_range wide[];
extern const std::size_t wide_size;

/// The names of the characters of the blocks listed_char_name() knows: a block's
/// names one after another from name_refs[at], each a list of words (a byte below
/// 0x80 is one of the first 128 words; 0x80-0xFE and the next byte, less 0x8000
/// and plus 128, any other) ended by 0xFF; a character without a name is an empty
/// list.
struct name_block {
  char32_t first;
  std::uint32_t count, at;
};
extern const name_block name_blocks[];  ///< by first
extern const std::size_t name_blocks_size;
extern const unsigned char name_refs[];
extern const char name_words[];             ///< the words, each ended by '\0'
extern const std::uint16_t name_word_at[];  ///< where word i starts in name_words
/// Ranges whose names are a prefix and a number: the code point in hex (CJK UNIFIED
/// IDEOGRAPH-20BB7) where \p number is -1, else \p number for \p first and one
/// more for each code point after it (VARIATION SELECTOR-17).
struct numbered_range {
  char32_t first, last;
  const char* prefix;
  std::int32_t number;
};
extern const numbered_range numbered[];
extern const std::size_t numbered_size;

}  // namespace unicode_data

/// True for East Asian Wide and Fullwidth characters: two columns on a terminal.
bool is_wide(char32_t c);

/// The Unicode name of \p c where it is in the blocks a member file's text comes
/// from (Latin, Greek, Cyrillic, combining marks, punctuation and symbols, CJK
/// symbols, kana, ideographs, full- and half-width forms, emoji, variation
/// selectors), as ICU names it; empty elsewhere and for characters without a name.
/// The page's names: it has no ICU.
std::string listed_char_name(char32_t c);

/// The Unicode name of \p c, or empty: ICU's (u_charName) in the programs, which
/// know every name, listed_char_name() in the page (KAIIN_WEB).
std::string char_name(char32_t c);

}  // namespace kaiin::detail
