#pragma once
// Text in another encoding that reads as valid CP932 (spec §2 detects by validity,
// never by guessing): what kaiin-conv warns about after auto-detection chose CP932.
// Private to the library.

#include <cstddef>
#include <string_view>

namespace kaiin::detail {

/// The byte offset in \p cp932 of the first half-width katakana (one byte, A1-DF)
/// that stands alone next to an ASCII letter, or npos. An ISO-8859-1 or Windows-1252
/// capital letter with an accent (Õ D5, Ü DC, Ã C3) reads as such a katakana
/// (\xD5akman → ﾕakman); Japanese writes half-width katakana in runs (ﾃｽﾄ, Tｼｬﾂ),
/// so a single one between Latin letters is a sign of the wrong encoding.
std::size_t find_latin1_letter(std::string_view cp932);

/// The same question asked of the record decoded to UTF-8 (\p utf8): true when
/// find_latin1_letter() finds one in its CP932 bytes. Most records are answered with
/// a memchr for EF; find_latin1_letter() reads character by character, and cost
/// kaiin-conv half its time when it read every record.
bool has_lone_kana_beside_letter(std::string_view utf8);

}  // namespace kaiin::detail
