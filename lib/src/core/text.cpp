#include "core/text.h"
#include "core/code_points.h"
#include "core/compact.h"

#include <unicode/utf8.h>

#include <sys/stat.h>
#include <algorithm>
#include <charconv>
#include <cstring>

#include "kaiin/i18n.h"

namespace kaiin {

char32_t next_char(std::string_view s, std::size_t& i) {
  UChar32 c;
  U8_NEXT(s.data(), i, s.size(), c);
  return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(next_char(s, i));
  return out;
}

namespace {

// True when one of the eight ASCII bytes of \p w (none above 0x7F) is A-Z: adding
// 0x80 - 'A' sets a byte's top bit from 'A' up, adding 0x80 - 'Z' - 1 from '[' up,
// and no byte carries into the next.
bool has_upper_ascii(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  std::uint64_t from_a = w + ones * (0x80 - 'A'), past_z = w + ones * (0x80 - 'Z' - 1);
  return (from_a & ~past_z & ones * 0x80) != 0;
}

}  // namespace

std::string email_key(std::string_view address) {
  std::string key;
  email_key(address, key);
  return key;
}

void email_key(std::string_view address, std::string& key) {
  key.clear();
  // Most addresses are already their own key: ASCII, lower case, no blanks at the ends.
  bool plain = !address.empty() && address.front() != ' ' && address.back() != ' ' && address.front() != '\t' &&
               address.back() != '\t';
  std::size_t i = 0;
  for (; plain && i + 8 <= address.size(); i += 8) {  // eight bytes a step: addresses are 20-30
    std::uint64_t w;
    std::memcpy(&w, address.data() + i, 8);
    plain = !(w & 0x8080808080808080ull) && !has_upper_ascii(w);
  }
  for (; plain && i < address.size(); ++i) {
    auto c = static_cast<unsigned char>(address[i]);
    plain = c < 0x80 && !(c >= 'A' && c <= 'Z');
  }
  if (plain) {
    key.assign(address);
    return;
  }
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
  key.erase(e);
  key.erase(0, b);
}

std::string half_width(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    char32_t c = next_char(s, i);
    if (c >= 0xFF01 && c <= 0xFF5E)
      out.push_back(static_cast<char>(c - 0xFEE0));
    else if (c == 0x3000)
      out.push_back(' ');
    else
      out.append(s.substr(start, i - start));
  }
  return out;
}

namespace detail {

std::size_t edit_distance(std::u32string_view x, std::u32string_view y, std::size_t limit,
                          std::vector<std::size_t>& row) {
  // The distance is at least the difference of the lengths and at most the longer
  // length; and a cell further than the limit from the diagonal is over it. Only the
  // band of cells within the limit of the diagonal is computed (Ukkonen), the cells
  // beside it hold "over": the 2-3 edits a hint allows make the work linear in the
  // length instead of quadratic, which a damaged header's long names against every
  // known name made 7% of the fix fuzz target's time.
  const std::size_t n = x.size(), m = y.size();
  const std::size_t bound = std::min(limit, std::max(n, m)), over = bound + 1;
  if (std::max(n, m) - std::min(n, m) > bound) return limit + 1;
  row.resize(m + 1);
  for (std::size_t j = 0; j <= m; ++j) row[j] = j <= bound ? j : over;
  for (std::size_t i = 1; i <= n; ++i) {
    const std::size_t lo = i > bound ? i - bound : 1, hi = std::min(m, i + bound);
    std::size_t diag = row[lo - 1];
    row[lo - 1] = lo == 1 ? std::min(i, over) : over;  // the cell left of the band
    std::size_t least = row[lo - 1];
    for (std::size_t j = lo; j <= hi; ++j) {
      const std::size_t up = row[j];  // over past the band of the row before
      row[j] = std::min(std::min(up, row[j - 1]) + 1, std::min(diag + (x[i - 1] == y[j - 1] ? 0 : 1), over));
      least = std::min(least, row[j]);
      diag = up;
    }
    // No cell of a row is ever below the smallest of the row before: past the limit
    // already, the rest cannot bring it back.
    if (least > bound) return limit + 1;
  }
  return row[m] > bound ? limit + 1 : row[m];
}

}  // namespace detail

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  std::vector<std::size_t> row;
  return detail::edit_distance(to_u32(a), to_u32(b), limit, row);
}

namespace {
// Code points of valid UTF-8 \p s, counted without decoding.
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}
}  // namespace

hint_finder::hint_finder(std::vector<std::string> candidates) : candidates_(std::move(candidates)) {
  for (const std::string& c : candidates_) {
    keys_.push_back(email_key(c));
    points_.push_back(to_u32(keys_.back()));
  }
}

std::string hint_finder::operator()(std::string_view word) const {
  std::string lower = email_key(word);  // case- and width-folded, as users mistype both
  const std::u32string lower_points = to_u32(lower);
  // Close enough: a third of the word, at least one edit, at most three.
  const std::size_t allowed = std::clamp<std::size_t>(code_points(word) / 3, 1, 3);
  std::size_t best = SIZE_MAX, best_distance = SIZE_MAX;
  std::vector<std::size_t> row;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    // (Lengths further apart than the edits allowed are over at once, before any cell.)
    std::size_t d = detail::edit_distance(lower_points, points_[i], allowed, row);
    if (d < best_distance) {
      best_distance = d;
      best = i;
    }
  }
  if (best_distance <= allowed) return candidates_[best];
  // Or a name the word starts with, or that starts with the word: 'prefecture' for
  // pref, 'cus_email_address' for cus_email. The longest such name wins.
  if (lower.size() < 3) return {};
  std::size_t longest = SIZE_MAX;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    const std::string& key = keys_[i];
    if (key.size() >= 3 && (longest == SIZE_MAX || key.size() > keys_[longest].size()) &&
        (lower.starts_with(key) || key.starts_with(lower)))
      longest = i;
  }
  return longest == SIZE_MAX ? std::string() : candidates_[longest];
}

std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t least) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || text[0] == '-' || ec != std::errc() || end != text.data() + text.size() || n < least)
    return std::nullopt;
  return n;
}

std::string count_error(std::string_view option, std::string_view text, std::uint64_t least) {
  return format_tr("{}: N must be a whole number of at least {}, not '{}'", option, least, text);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  return hint_finder(candidates)(word);
}

std::uint32_t string_table::hash(std::string_view s) {
  // The low half of the compact tables' 64-bit hash: one hash for every table.
  return static_cast<std::uint32_t>(detail::hash_text64(s, 0));
}

void string_table::reserve_for_members(const std::string& path, string_table& ids, string_table& emails) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  auto members = static_cast<std::size_t>(st.st_size / 160);
  ids.reserve(members, 8);
  emails.reserve(members + members / 4, 24);  // some members have a mobile address too
}

void string_table::reserve(std::size_t n, std::size_t key_bytes) {
  arena_.reserve(arena_.size() + n * key_bytes);
  while (n * 4 > slots_.size() * 3) grow();
}

std::size_t string_table::locate(std::string_view key, std::uint32_t hash) const {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const slot& s = slots_[i];
    if (s.offset == 0) return i;
    if (s.hash == hash && std::string_view(arena_).substr(s.offset - 1, s.length) == key) return i;
  }
}

const std::uint32_t* string_table::find(std::string_view key, std::uint32_t hash) const {
  const slot& s = slots_[locate(key, hash)];
  return s.offset ? &s.value : nullptr;
}

std::uint32_t string_table::insert(std::string_view key, std::uint32_t hash, std::uint32_t value) {
  std::size_t i = locate(key, hash);
  if (slots_[i].offset) return slots_[i].value;
  if ((size_ + 1) * 4 > slots_.size() * 3) {
    grow();
    i = locate(key, hash);
  }
  slots_[i] = slot{static_cast<std::uint32_t>(arena_.size() + 1), static_cast<std::uint32_t>(key.size()), hash, value};
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
