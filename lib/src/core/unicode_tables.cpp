#include "core/unicode_tables.h"

#ifndef KAIIN_WEB
#include <unicode/uchar.h>
#endif

#include <fmt/format.h>

#include <algorithm>

namespace kaiin::detail {

namespace data = unicode_data;

namespace {

// The range of \p ranges (in order, \p size of them) that holds \p c, or nullptr.
template <class Range>
const Range* range_of(const Range* ranges, std::size_t size, char32_t c) {
  const Range* end = ranges + size;
  const Range* r = std::upper_bound(ranges, end, c, [](char32_t v, const Range& x) { return v < x.first; });
  if (r == ranges) return nullptr;
  --r;
  return c <= r->last ? r : nullptr;
}

}  // namespace

bool is_wide(char32_t c) { return range_of(data::wide, data::wide_size, c) != nullptr; }

std::string listed_char_name(char32_t c) {
  if (const data::numbered_range* r = range_of(data::numbered, data::numbered_size, c)) {
    if (r->number < 0) return fmt::format("{}{:04X}", r->prefix, static_cast<std::uint32_t>(c));
    return fmt::format("{}{}", r->prefix, r->number + static_cast<std::int32_t>(c - r->first));
  }
  const data::name_block* end = data::name_blocks + data::name_blocks_size;
  const data::name_block* b =
      std::upper_bound(data::name_blocks, end, c, [](char32_t v, const data::name_block& x) { return v < x.first; });
  if (b == data::name_blocks) return {};
  --b;
  if (c - b->first >= b->count) return {};
  // The block's names one after another: skip to the character's (a two-byte
  // word's second byte may be 0xFF).
  const unsigned char* ref = data::name_refs + b->at;
  for (char32_t skip = c - b->first; skip > 0; --skip)
    for (unsigned byte; (byte = *ref++) != 0xFF;)
      if (byte >= 0x80) ++ref;
  std::string name;
  while (*ref != 0xFF) {
    unsigned n = *ref++;
    if (n >= 0x80) n = ((n & 0x7F) << 8 | *ref++) + 128;
    if (!name.empty()) name += ' ';
    name += data::name_words + data::name_word_at[n];
  }
  return name;
}

std::string char_name(char32_t c) {
#ifdef KAIIN_WEB
  return listed_char_name(c);
#else
  char name[128];
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = u_charName(static_cast<UChar32>(c), U_UNICODE_CHAR_NAME, name, sizeof name, &err);
  if (U_FAILURE(err) || n <= 0) return {};
  return std::string(name, static_cast<std::size_t>(n));
#endif
}

}  // namespace kaiin::detail
