#include "jobs/conv/mojibake.h"

#include <cstring>

#include "core/code_points.h"
#include "core/cp932.h"

namespace kaiin::detail {

namespace {
bool ascii_letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool half_width_kana(unsigned char c) { return c >= 0xA1 && c <= 0xDF; }
}  // namespace

std::size_t find_latin1_letter(std::string_view s) {
  // What the character before the one at i was: a letter, a katakana, or other.
  enum { other, letter, kana } before = other;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (is_lead(c)) {  // a double-byte character: its trail may be an ASCII letter
      i += 2;
      before = other;
      continue;
    }
    if (half_width_kana(c)) {
      auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      bool alone = before != kana && !half_width_kana(next);
      if (alone && (before == letter || ascii_letter(next))) return i;
      before = kana;
    } else {
      before = ascii_letter(c) ? letter : other;
    }
    ++i;
  }
  return std::string_view::npos;
}

bool has_lone_kana_beside_letter(std::string_view utf8) {
  // U+FF61-U+FF9F is EF BD A1-BF or EF BE 80-9F; memchr finds the EF bytes, which
  // Japanese text writes only for full-width forms and these.
  auto kana_at = [&](std::size_t i) {
    if (i + 3 > utf8.size() || utf8[i] != '\xEF') return false;
    auto second = static_cast<unsigned char>(utf8[i + 1]), third = static_cast<unsigned char>(utf8[i + 2]);
    return (second == 0xBD && third >= 0xA1) || (second == 0xBE && third <= 0x9F);
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const void* hit = std::memchr(utf8.data() + i, '\xEF', utf8.size() - i);
    if (!hit) return false;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - utf8.data());
    if (!kana_at(i)) {
      ++i;
      continue;
    }
    // The characters either side, as find_latin1_letter() sees them in CP932.
    bool kana_before = i >= 3 && kana_at(i - 3);
    bool letter_before = i >= 1 && ascii_letter(static_cast<unsigned char>(utf8[i - 1]));
    bool kana_after = kana_at(i + 3);
    bool letter_after = i + 3 < utf8.size() && ascii_letter(static_cast<unsigned char>(utf8[i + 3]));
    if (!kana_before && !kana_after && (letter_before || letter_after)) return true;
    i += 3;
  }
  return false;
}

}  // namespace kaiin::detail
