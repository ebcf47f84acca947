#pragma once
// What kaiin takes from ICU, asked of ICU directly, a character at a time: CP932 as
// ICU's windows-31j converter maps it (with kaiin's decisions on top), which
// characters are East Asian wide, and characters' names. gen/make_tables.cpp writes
// the library's tables from these answers at build time, so that no program (and
// not the page, which has no ICU) builds them at run time; the unit tests compare
// the library's tables with them, so that the tables cannot go stale.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace kaiin::gen {

/// No character: a CP932 code that decodes to nothing, a character without a code.
inline constexpr std::uint16_t none = 0xFFFF;

/// CP932 in full, one entry a code and one a BMP character.
struct cp932_reference {
  /// [byte]: the character a single byte decodes to, or none (lead bytes too).
  std::array<std::uint16_t, 256> single{};
  /// [lead << 8 | trail]: the character a pair decodes to, or none.
  std::array<std::uint16_t, 65536> pair{};
  /// [character]: the code Windows writes it as (one byte below 0x100), or none.
  std::array<std::uint16_t, 65536> code{};
};

/// CP932 as ICU's windows-31j converter maps it, with kaiin's decisions (spec §2):
/// ASCII is itself (ICU swaps 0x1A, 0x1C and 0x7F); 0x80, 0xA0 and 0xFD-0xFF are no
/// character; 外字 F040-F9FC are U+E000-U+E757; ICU's fallbacks and substitutions
/// are no mapping. Characters are encoded as ICU encodes them, where that code
/// decodes back to them.
cp932_reference cp932_from_icu();

/// True where ICU says \p c is East Asian Wide or Fullwidth: two columns.
bool icu_wide(char32_t c);

/// ICU's name of \p c (u_charName, U_UNICODE_CHAR_NAME), or empty.
std::string icu_char_name(char32_t c);

}  // namespace kaiin::gen
