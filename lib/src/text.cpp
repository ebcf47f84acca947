#include "kaiin/text.h"

#include <unicode/utf8.h>

#include <algorithm>

namespace kaiin {

char32_t next_char(std::string_view s, std::size_t& i) {
  UChar32 c;
  U8_NEXT(s.data(), i, s.size(), c);
  return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(next_char(s, i));
  return out;
}

std::string email_key(std::string_view address) {
  std::string key;
  key.reserve(address.size());
  for (std::size_t i = 0; i < address.size();) {
    auto b = static_cast<unsigned char>(address[i]);
    if (b < 0x80) {  // the common case: ASCII
      key.push_back(static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b));
      ++i;
      continue;
    }
    std::size_t start = i;
    char32_t c = next_char(address, i);
    if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII
      c -= 0xFEE0;
      key.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    } else if (c == 0x3000) {
      key.push_back(' ');
    } else {
      key.append(address.substr(start, i - start));
    }
  }
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  std::size_t b = 0, e = key.size();
  while (b < e && blank(key[b])) ++b;
  while (e > b && blank(key[e - 1])) --e;
  return key.substr(b, e - b);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::u32string x = to_u32(a), y = to_u32(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[y.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string lower = email_key(word);  // case- and width-folded, as users mistype both
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const std::string& c : candidates) {
    std::size_t d = edit_distance(lower, email_key(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  std::size_t length = to_u32(word).size();
  // Close enough: a third of the word, at least one edit, at most three.
  std::size_t allowed = std::clamp<std::size_t>(length / 3, 1, 3);
  return best_distance <= allowed ? best : std::string();
}

namespace {
std::uint32_t hash_of(std::string_view s) {  // FNV-1a, then mixed
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<std::uint32_t>(h);
}
}  // namespace

std::size_t string_table::locate(std::string_view key, std::uint32_t hash) const {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const slot& s = slots_[i];
    if (s.offset == 0) return i;
    if (s.hash == hash && std::string_view(arena_).substr(s.offset - 1, s.length) == key) return i;
  }
}

const std::uint32_t* string_table::find(std::string_view key) const {
  const slot& s = slots_[locate(key, hash_of(key))];
  return s.offset ? &s.value : nullptr;
}

std::uint32_t string_table::insert(std::string_view key, std::uint32_t value) {
  std::uint32_t hash = hash_of(key);
  std::size_t i = locate(key, hash);
  if (slots_[i].offset) return slots_[i].value;
  if ((size_ + 1) * 4 > slots_.size() * 3) {
    grow();
    i = locate(key, hash);
  }
  slots_[i] = slot{static_cast<std::uint32_t>(arena_.size() + 1), static_cast<std::uint32_t>(key.size()),
                   hash, value};
  arena_.append(key);
  ++size_;
  return value;
}

void string_table::grow() {
  std::vector<slot> old(slots_.size() * 2);
  old.swap(slots_);
  std::size_t mask = slots_.size() - 1;
  for (const slot& s : old) {
    if (!s.offset) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].offset) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace kaiin
