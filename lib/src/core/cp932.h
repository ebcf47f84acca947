#pragma once
// What the library, and its tests, ask of CP932 beyond encoding.h: its tables one
// character at a time, and text of kaiin's own or of an option (a column name, a
// replacement, a reason) encoded where a character CP932 lacks is a failure rather
// than a finding. Private to the library.

#include <optional>
#include <string>
#include <string_view>

#include "kaiin/encoding.h"

namespace kaiin::detail {

/// The CP932 bytes of code point \p c, or nullopt when it has none.
std::optional<std::string> cp932_bytes(char32_t c);
/// The code point CP932 \p bytes (1 or 2) decode to, or nullopt when invalid.
std::optional<char32_t> cp932_char(std::string_view bytes);

/// True for the first byte of a double-byte CP932 character (81-9F, E0-FC). Inline:
/// readers ask it once a byte.
inline bool is_lead(unsigned b) { return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC); }

/// Appends \p in (UTF-8) encoded in CP932 to \p out; false when CP932 cannot hold
/// it: a character without a CP932 code, or ill-formed UTF-8. 外字 have a code.
bool try_encode_cp932(std::string_view in, std::string& out);

/// Room enough for \p n bytes decoded to UTF-8 without replacements, whatever they
/// are: a byte becomes at most three (half-width kana, U+FFFD), and the fast paths
/// store up to sixteen bytes at a time.
constexpr std::size_t decoded_room(std::size_t n) { return 3 * n + 16; }
/// decode_cp932 without a char_map, writing at \p o, which has decoded_room(in.size())
/// bytes; returns the end of what it wrote. For readers that keep one buffer for a
/// whole record rather than a string a field.
char* decode_cp932_to(std::string_view in, char* o, problem_sink& sink);
/// copy_utf8 without a char_map, the same way.
char* copy_utf8_to(std::string_view in, char* o, problem_sink& sink);
/// True when decode_cp932_to() would report nothing of \p in: no bad byte, no 外字.
bool decodes_quietly(std::string_view in);
/// True when CP932 \p text, decoded, starts with \p utf8: compared a character at a
/// time, without decoding the rest (an address against a city's name, a row).
bool cp932_starts_with(std::string_view text, std::string_view utf8);

}  // namespace kaiin::detail
