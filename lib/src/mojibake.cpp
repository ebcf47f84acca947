#include "mojibake.h"

namespace kaiin::detail {

bool is_lead(unsigned b);

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

}  // namespace kaiin::detail
