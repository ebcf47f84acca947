// CP932 tables, built once from the generated ones (core/unicode_tables.h, from
// ICU's windows-31j converter at build time), and the hot loops that use them.

#include <unicode/utf8.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "core/byte_scan.h"
#include "core/char_names.h"
#include "core/cp932.h"
#include "core/encoding_names.h"
#include "core/unicode_tables.h"
#include "core/utf16.h"
#include "kaiin/encoding.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {
namespace detail {

constexpr std::uint16_t no_char = 0xFFFF;  // a noncharacter: never a mapping
constexpr std::uint16_t lead_byte = 0xFFFE;
constexpr std::uint16_t no_code = 0xFFFF;  // CP932 has no code FFFF

// The decoder's fast path reads the UTF-8 bytes straight from a table: up to three
// bytes and their count in the top byte; `slow` marks what needs a closer look
// (invalid, 外字, a lead byte).
constexpr std::uint32_t slow = 0x80000000u;

// [BMP code point]: CP932 code or no_code. Apart from the decoding tables and built
// on first use, which a tool only decoding CP932 (kaiin-conv -t utf-8, kaiin-check)
// never asks for.
using cp932_codes = std::array<std::uint16_t, 65536>;

using pair_bits = std::array<std::uint64_t, 1024>;

struct cp932_tables {
  std::array<std::uint16_t, 256> single{};       // code point, no_char, or lead_byte
  std::array<std::uint16_t, 65536> pair{};       // [lead << 8 | trail]: code point or no_char
  std::array<std::uint32_t, 256> single_utf8{};  // packed UTF-8, or slow
  std::array<std::uint32_t, 65536> pair_utf8{};  // packed UTF-8, or slow
  // A bit a pair: set where it is a character (valid_pair), or one decoded without a
  // word (quiet_pair: not 外字). 8 KiB each, which stay in the first-level cache
  // where pair's 128 KiB do not, for what only validates.
  pair_bits valid_pair{}, quiet_pair{};
};

std::uint32_t packed_utf8(std::uint32_t c) {
  if (c == no_char || c == lead_byte) return slow;
  std::uint32_t v;
  if (c < 0x80) {
    v = c | 1u << 24;
  } else if (c < 0x800) {
    v = (0xC0 | c >> 6) | (0x80 | (c & 0x3F)) << 8 | 2u << 24;
  } else {
    v = (0xE0 | c >> 12) | (0x80 | (c >> 6 & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16 | 3u << 24;
  }
  return is_eudc(c) ? v | slow : v;
}

bool is_trail(unsigned b) { return b >= 0x40 && b <= 0xFC && b != 0x7F; }

namespace {

namespace data = unicode_data;

// 外字: 188 codes a lead byte from U+E000.
std::uint16_t eudc_char(unsigned lead, unsigned trail) {
  return static_cast<std::uint16_t>(0xE000 + (lead - 0xF0) * 188 + trail - 0x40 - (trail > 0x7F));
}

// From the generated tables (unicode_tables.h): the decoding tables, and those
// derived from them that the hot loops read. About 1.5 million instructions where
// asking ICU for each code was 7 million (callgrind).
std::unique_ptr<cp932_tables> build_tables() {
  auto t = std::make_unique<cp932_tables>();
  t->single.fill(no_char);
  t->pair.fill(no_char);
  // ASCII is itself: ICU's windows-31j swaps 0x1A, 0x1C and 0x7F, Windows does not.
  for (unsigned b = 0; b < 0x80; ++b) t->single[b] = static_cast<std::uint16_t>(b);
  for (unsigned b = 0xA1; b <= 0xDF; ++b) t->single[b] = data::cp932_kana[b - 0xA1];  // half-width katakana
  // 0x80, 0xA0 and 0xFD-0xFF stay invalid.
  for (unsigned lead = 0x81; lead <= 0xFC; ++lead) {
    if (!is_lead(lead)) continue;
    t->single[lead] = lead_byte;
    const int row = data::cp932_row(lead);
    for (unsigned trail = 0x40; trail <= 0xFC; ++trail) {
      if (!is_trail(trail)) continue;
      t->pair[lead << 8 | trail] = row < 0 ? eudc_char(lead, trail) : data::cp932_pairs[row][trail - 0x40];
    }
  }
  for (unsigned i = 0; i < 256; ++i) t->single_utf8[i] = packed_utf8(t->single[i]);
  for (unsigned i = 0; i < 65536; ++i) {
    t->pair_utf8[i] = packed_utf8(t->pair[i]);
    if (t->pair[i] != no_char) t->valid_pair[i >> 6] |= std::uint64_t{1} << (i & 63);
    if (!(t->pair_utf8[i] & slow)) t->quiet_pair[i >> 6] |= std::uint64_t{1} << (i & 63);
  }
  return t;
}

std::unique_ptr<cp932_codes> build_codes(const cp932_tables& t) {
  auto codes = std::make_unique<cp932_codes>();
  cp932_codes& code = *codes;
  code.fill(no_code);
  // The code that decodes to the character, where only one does; where several do
  // (a character in both the NEC and IBM ranges), the code Windows writes, as the
  // generated table has it.
  auto decodes_to = [&](std::uint16_t c) { return c < 0x100 ? t.single[c] : t.pair[c]; };
  std::vector<std::uint8_t> count(0x10000, 0);  // how many codes decode to a character, up to 2
  auto note = [&](std::uint16_t from) {
    std::uint16_t c = decodes_to(from);
    if (c == no_char || c == lead_byte || c < 0x80 || is_eudc(c)) return;
    if (count[c]++ == 0) code[c] = from;
    count[c] = std::min<std::uint8_t>(count[c], 2);
  };
  for (unsigned b = 0x80; b < 0x100; ++b) note(static_cast<std::uint16_t>(b));
  for (unsigned from = 0x8100; from < 0x10000; ++from) note(static_cast<std::uint16_t>(from));
  for (unsigned c = 0x80; c < 0x10000; ++c)
    if (count[c] == 2) code[c] = no_code;
  for (std::size_t i = 0; i < data::cp932_preferred_size; ++i) {
    const data::preferred_code p = data::cp932_preferred[i];
    if (count[p.c] == 2 && p.code != no_code && decodes_to(p.code) == p.c) code[p.c] = p.code;
  }
  for (unsigned c = 0; c < 0x80; ++c) code[c] = static_cast<std::uint16_t>(c);
  for (unsigned lead = 0xF0; lead <= 0xF9; ++lead)
    for (unsigned trail = 0x40; trail <= 0xFC; ++trail)
      if (is_trail(trail)) code[t.pair[lead << 8 | trail]] = static_cast<std::uint16_t>(lead << 8 | trail);
  return codes;
}

}  // namespace

// Built on first use (a static's guard: one load and a branch a call, where
// call_once was a function call that showed in profiles of short fields).
const cp932_tables& tables() {
  static const std::unique_ptr<cp932_tables> t = build_tables();
  return *t;
}

// The encoding table, built on first use as tables() is.
const cp932_codes& codes() {
  static const std::unique_ptr<cp932_codes> c = build_codes(tables());
  return *c;
}

// Writes the UTF-8 form of BMP character \p c at \p o; returns the end.
inline char* put_utf8(char* o, std::uint32_t c) {
  if (c < 0x80) {
    *o++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *o++ = static_cast<char>(0xC0 | c >> 6);
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *o++ = static_cast<char>(0xE0 | c >> 12);
    *o++ = static_cast<char>(0x80 | (c >> 6 & 0x3F));
    *o++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return o;
}

// Copies the run of ASCII bytes at in[i..n) sixteen at a time; returns the new i.
// The output has room: every caller reserves at least as much as the input, +16.
inline std::size_t copy_ascii(const unsigned char* in, std::size_t i, std::size_t n, char*& o) {
  while (i + 16 <= n) {
    unsigned high = high_bits16(in + i);
    std::memcpy(o, in + i, 16);
    if (high) {
      unsigned run = lowest_bit(high);
      o += run;
      return i + run;
    }
    o += 16;
    i += 16;
  }
  while (i < n && in[i] < 0x80) *o++ = static_cast<char>(in[i++]);
  return i;
}

// Room for \p extra more bytes at o, which points into out.
inline void reserve_at(std::string& out, char*& o, std::size_t extra) {
  std::size_t pos = static_cast<std::size_t>(o - out.data());
  if (out.size() - pos < extra) {
    out.resize(pos + extra + out.size() / 2);
    o = out.data() + pos;
  }
}

// The length of the well-formed two- or three-byte UTF-8 sequence at in[i] (no
// overlong form, no surrogate), with its code point in \p c; 0 for anything else,
// which the callers' careful paths handle.
inline std::size_t utf8_bmp_at(const unsigned char* in, std::size_t i, std::size_t n, std::uint32_t& c) {
  unsigned b = in[i];
  if ((b & 0xF0) == 0xE0 && i + 2 < n && (in[i + 1] & 0xC0) == 0x80 && (in[i + 2] & 0xC0) == 0x80) {
    c = (b & 0x0F) << 12 | (in[i + 1] & 0x3Fu) << 6 | (in[i + 2] & 0x3Fu);
    return c >= 0x800 && (c < 0xD800 || c > 0xDFFF) ? 3 : 0;
  }
  if ((b & 0xE0) == 0xC0 && b >= 0xC2 && i + 1 < n && (in[i + 1] & 0xC0) == 0x80) {
    c = (b & 0x1F) << 6 | (in[i + 1] & 0x3Fu);
    return 2;
  }
  return 0;
}

}  // namespace detail

using namespace detail;

namespace {

// The character at in[i] (no_char for bad bytes) and its length: a lead byte and a
// trail byte that make no character are two bad bytes, a lead byte before anything
// else one.
struct char_and_length {
  std::uint32_t c;
  std::size_t len;
};
inline char_and_length char_at(const cp932_tables& t, const unsigned char* in, std::size_t i, std::size_t n) {
  unsigned b = in[i];
  std::uint32_t c = t.single[b];
  if (c != lead_byte) return {c, 1};
  if (i + 1 >= n) return {no_char, 1};
  c = t.pair[b << 8 | in[i + 1]];
  return {c, c != no_char || is_trail(in[i + 1]) ? 2u : 1u};
}

// char_at(), with its problem said: bad bytes (no_char) are invalid, 外字 a warning.
inline char_and_length char_reported(const cp932_tables& t, const unsigned char* in, std::size_t i, std::size_t n,
                                     problem_sink& sink) {
  char_and_length r = char_at(t, in, i, n);
  if (r.c == no_char)
    sink.on_problem({coding_problem::invalid, i, r.len, 0});
  else if (is_eudc(r.c))
    sink.on_problem({coding_problem::eudc, i, r.len, r.c});
  return r;
}

// The UTF-8 character at in[i] (negative when ill-formed) and where the next one
// starts, with its problem said as char_reported() says it: the same findings
// whichever the input's encoding.
struct utf8_char {
  UChar32 c;
  std::size_t next;
};

// U8_NEXT, but a surrogate written as UTF-8 (ED A0-BF 80-BF: an unpaired half of a
// UTF-16 character, as a UTF-16 input is decoded, or as a broken exporter writes it)
// is one bad character of three bytes rather than three bad bytes: one finding.
inline void next_utf8(const unsigned char* in, std::size_t& i, std::size_t n, UChar32& c) {
  const std::size_t start = i;
  U8_NEXT(in, i, n, c);
  if (c < 0 && is_surrogate_utf8({reinterpret_cast<const char*>(in) + start, n - start})) i = start + 3;
}

inline utf8_char utf8_reported(const unsigned char* in, std::size_t i, std::size_t n, problem_sink& sink) {
  const std::size_t start = i;
  UChar32 c;
  next_utf8(in, i, n, c);
  if (c < 0)
    sink.on_problem({coding_problem::invalid, start, i - start, 0});
  else if (is_eudc(static_cast<char32_t>(c)))
    sink.on_problem({coding_problem::eudc, start, i - start, static_cast<char32_t>(c)});
  return {c, i};
}

// The general decoder, with replacements (--fold, --replace).
void decode_cp932_mapped(std::string_view text, std::string& out, char* o, problem_sink& sink, const char_map& map) {
  const cp932_tables& t = tables();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    reserve_at(out, o, 3 * (n - i) + 16);
    auto [c, len] = char_reported(t, in, i, n, sink);
    if (c == no_char) {
      o = put_utf8(o, 0xFFFD);
    } else if (const std::string* to = map.find(c)) {
      reserve_at(out, o, to->size() + 3 * (n - i) + 16);
      o = std::copy(to->begin(), to->end(), o);
    } else {
      o = put_utf8(o, c);
    }
    i += len;
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

// Where a decoder is: the next byte to read and the next to write.
struct position {
  std::size_t i;
  char* o;
};

// The first byte of \p text that starts no character of \p pairs (valid_pair or
// quiet_pair) nor a valid single byte, or npos; no copy. Single bytes are never 外字.
std::size_t first_outside(std::string_view text, const pair_bits& pairs) {
  const cp932_tables& t = tables();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while ((i = skip_ascii(in, i, n)) < n) {
    while (i < n && in[i] >= 0x80) {
      if (!(t.single_utf8[in[i]] & slow)) {  // half-width katakana
        ++i;
        continue;
      }
      // A lead byte, or a bad one, whose pairs are never characters.
      if (i + 1 >= n) return i;
      const unsigned pair = in[i] << 8 | in[i + 1];
      if (!(pairs[pair >> 6] >> (pair & 63) & 1)) return i;
      i += 2;
    }
  }
  return std::string_view::npos;
}

// The character at in[i] that the fast path leaves: invalid bytes (U+FFFD and a
// problem), a lead byte at the end, or 外字 (a warning). Out of line, and \p o by
// value: it is rare, and the fast loop keeps its pointers in registers.
[[gnu::noinline]] position decode_one_slowly(const cp932_tables& t, const unsigned char* in, std::size_t i,
                                             std::size_t n, char* o, problem_sink& sink) {
  auto [c, len] = char_reported(t, in, i, n, sink);
  return {i + len, put_utf8(o, c == no_char ? 0xFFFD : c)};
}

// The UTF-8 sequence at in[i] that copy_utf8's fast path leaves (ill-formed,
// four bytes, or 外字).
[[gnu::noinline]] position copy_one_slowly(const unsigned char* in, std::size_t i, std::size_t n, char* o,
                                           problem_sink& sink) {
  auto [c, next] = utf8_reported(in, i, n, sink);
  if (c < 0) return {next, put_utf8(o, 0xFFFD)};
  std::memcpy(o, in + i, next - i);
  return {next, o + (next - i)};
}

}  // namespace

char* detail::decode_cp932_to(std::string_view text, char* o, problem_sink& sink) {
  const cp932_tables& t = tables();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    i = copy_ascii(in, i, n, o);
    // A run of multibyte characters (names, addresses) stays in this loop. The
    // length of each is a branch on the first byte's entry, not arithmetic on it:
    // predicted, it lets the next character's loads start before this one's
    // finish (one table indexed by both bytes, with the length in the entry, made
    // the loop a chain of dependent loads and measured 60% slower).
    while (i < n && in[i] >= 0x80) {
      std::uint32_t v = t.single_utf8[in[i]];
      if (v & slow) {  // a lead byte, or something wrong
        if (i + 1 >= n) break;
        v = t.pair_utf8[in[i] << 8 | in[i + 1]];
        if (v & slow) break;
        std::memcpy(o, &v, 4);  // the fourth byte is overwritten by what follows
        o += v >> 24;
        i += 2;
        continue;
      }
      std::memcpy(o, &v, 4);
      o += v >> 24;
      ++i;
    }
    if (i < n && in[i] >= 0x80) {
      position p = decode_one_slowly(t, in, i, n, o, sink);
      i = p.i;
      o = p.o;
    }
  }
  return o;
}

bool detail::decodes_quietly(std::string_view text) {
  return first_outside(text, tables().quiet_pair) == std::string_view::npos;
}

bool detail::cp932_starts_with(std::string_view text, std::string_view utf8) {
  const cp932_tables& t = tables();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0, o = 0;
  while (o < utf8.size()) {
    if (i >= n) return false;
    std::uint32_t v = t.single_utf8[in[i]];
    std::size_t len = 1;
    if (v & slow) {  // a lead byte, or something that is no character
      if (i + 1 >= n) return false;
      v = t.pair_utf8[in[i] << 8 | in[i + 1]];
      if (v & slow) return false;
      len = 2;
    }
    const std::size_t bytes = v >> 24;
    if (utf8.size() - o < bytes) return false;
    // The packed bytes, the first lowest (as the decoder writes them), one by one: a
    // call to memcmp a character was a third of the time.
    for (std::size_t k = 0; k < bytes; ++k, v >>= 8)
      if (static_cast<char>(v & 0xFF) != utf8[o + k]) return false;
    o += bytes;
    i += len;
  }
  return true;
}

char* detail::copy_utf8_to(std::string_view text, char* o, problem_sink& sink) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    i = copy_ascii(in, i, n, o);
    while (i < n && in[i] >= 0x80) {
      std::uint32_t c;
      std::size_t len = utf8_bmp_at(in, i, n, c);
      if (len == 0 || is_eudc(c)) break;
      std::memcpy(o, in + i, 4 <= n - i ? 4 : len);  // what follows overwrites the extra bytes
      o += len;
      i += len;
    }
    if (i < n && in[i] >= 0x80) {
      position p = copy_one_slowly(in, i, n, o, sink);
      i = p.i;
      o = p.o;
    }
  }
  return o;
}

void decode_cp932(std::string_view text, std::string& out, problem_sink& sink, const char_map* map) {
  std::size_t base = out.size();
  out.resize(base + decoded_room(text.size()));
  char* o = out.data() + base;
  if (map && !map->empty()) return decode_cp932_mapped(text, out, o, sink, *map);
  o = decode_cp932_to(text, o, sink);
  out.resize(static_cast<std::size_t>(o - out.data()));
}

void copy_utf8(std::string_view text, std::string& out, problem_sink& sink, const char_map* map) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t base = out.size();
  if (!map || map->empty()) {
    out.resize(base + decoded_room(n));
    char* o = copy_utf8_to(text, out.data() + base, sink);
    out.resize(static_cast<std::size_t>(o - out.data()));
    return;
  }
  out.resize(base + n + 8);
  char* o = out.data() + base;
  std::size_t i = 0;
  while (i < n) {
    const std::size_t start = i;
    auto [c, next] = utf8_reported(in, i, n, sink);
    i = next;
    if (c < 0) {
      reserve_at(out, o, 3 + n - i);
      o = put_utf8(o, 0xFFFD);
      continue;
    }
    if (const std::string* to = map->find(static_cast<char32_t>(c))) {
      reserve_at(out, o, to->size() + n - i);
      o = std::copy(to->begin(), to->end(), o);
      continue;
    }
    std::memcpy(o, in + start, i - start);  // room: at most as long as the input
    o += i - start;
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

namespace {

// Encodes one character; false when CP932 has no code for it.
inline bool put_cp932(const cp932_codes& codes, char32_t c, char*& o) {
  if (c >= 0x10000) return false;
  std::uint16_t code = codes[c];
  if (code == no_code) return false;
  if (code >= 0x100) *o++ = static_cast<char>(code >> 8);
  *o++ = static_cast<char>(code & 0xFF);
  return true;
}

}  // namespace

namespace {

// The general encoder: problems, 外字 and replacements, from \p i on.
void encode_cp932_slow(std::string_view text, std::size_t i, std::string& out, char* o, problem_sink& sink,
                       const char_map* map) {
  const cp932_codes& code_of = codes();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const bool mapped = map && !map->empty();
  while (i < n) {
    if (!mapped) i = copy_ascii(in, i, n, o);
    if (i >= n) break;
    std::size_t start = i;
    UChar32 c;
    next_utf8(in, i, n, c);
    if (c < 0) {
      sink.on_problem({coding_problem::invalid, start, i - start, 0});
      *o++ = '?';
      continue;
    }
    if (mapped) {
      if (const std::string* to = map->find(static_cast<char32_t>(c))) {
        reserve_at(out, o, to->size() + n - i + 16);
        std::size_t ri = 0;
        while (ri < to->size()) {  // the replacement itself must be encodable
          UChar32 rc;
          U8_NEXT(to->data(), ri, to->size(), rc);
          if (rc < 0 || !put_cp932(code_of, static_cast<char32_t>(rc), o)) {
            sink.on_problem(
                {coding_problem::unencodable, start, i - start, static_cast<char32_t>(rc < 0 ? 0xFFFD : rc)});
            *o++ = '?';
          }
        }
        continue;
      }
    }
    if (!put_cp932(code_of, static_cast<char32_t>(c), o)) {
      sink.on_problem({coding_problem::unencodable, start, i - start, static_cast<char32_t>(c)});
      *o++ = '?';
      continue;
    }
    if (is_eudc(static_cast<char32_t>(c)))
      sink.on_problem({coding_problem::eudc, start, i - start, static_cast<char32_t>(c)});
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

}  // namespace

void encode_cp932(std::string_view text, std::string& out, problem_sink& sink, const char_map* map) {
  const cp932_codes& code_of = codes();
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t base = out.size();
  out.resize(base + n + 16);  // CP932 is never longer than UTF-8
  char* o = out.data() + base;
  if (map && !map->empty()) return encode_cp932_slow(text, 0, out, o, sink, map);
  std::size_t i = 0;
  while (i < n) {
    i = copy_ascii(in, i, n, o);
    // Two- and three-byte sequences that CP932 has, without 外字: the common case.
    while (i < n && in[i] >= 0x80) {
      std::uint32_t c;
      std::size_t len = utf8_bmp_at(in, i, n, c);
      if (len == 0 || is_eudc(c)) goto slow_path;
      std::uint16_t code = code_of[c];
      if (code == no_code) goto slow_path;
      if (code >= 0x100) {
        o[0] = static_cast<char>(code >> 8);
        o[1] = static_cast<char>(code & 0xFF);
        o += 2;
      } else {
        *o++ = static_cast<char>(code);
      }
      i += len;
    }
  }
slow_path:
  if (i < n) return encode_cp932_slow(text, i, out, o, sink, map);
  out.resize(static_cast<std::size_t>(o - out.data()));
}

namespace {

// The first byte of \p text that is not well-formed UTF-8, or npos; no copy.
std::size_t first_invalid_utf8(std::string_view text) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while ((i = skip_ascii(in, i, n)) < n) {
    while (i < n && in[i] >= 0x80) {
      std::uint32_t c;
      if (std::size_t len = utf8_bmp_at(in, i, n, c)) {
        i += len;
        continue;
      }
      std::size_t start = i;
      UChar32 u;
      U8_NEXT(in, i, n, u);
      if (u < 0) return start;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::size_t first_invalid(std::string_view text, encoding e) {
  return e == encoding::cp932 ? first_outside(text, tables().valid_pair) : first_invalid_utf8(text);
}

std::size_t incomplete_tail(std::string_view text, encoding e) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  if (e == encoding::cp932) {
    // Walk back over bytes that could be lead bytes: the parity of the run decides
    // whether the last byte starts a character.
    std::size_t run = 0;
    while (run < n && is_lead(in[n - 1 - run])) ++run;
    return run % 2 == 1 ? 1 : 0;
  }
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned b = in[n - back];
    if ((b & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

bool detail::try_encode_cp932(std::string_view in, std::string& out) {
  struct : problem_sink {
    bool bad = false;
    void on_problem(const coding_problem& p) override { bad |= p.kind != coding_problem::eudc; }
  } check;
  encode_cp932(in, out, check);
  return !check.bad;
}

std::optional<std::string> detail::cp932_bytes(char32_t c) {
  std::string out(2, '\0');
  char* o = out.data();
  if (!put_cp932(codes(), c, o)) return std::nullopt;
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

std::optional<char32_t> detail::cp932_char(std::string_view bytes) {
  const cp932_tables& t = tables();
  if (bytes.size() == 1) {
    std::uint16_t c = t.single[static_cast<unsigned char>(bytes[0])];
    if (c == no_char || c == lead_byte) return std::nullopt;
    return c;
  }
  if (bytes.size() != 2) return std::nullopt;
  unsigned lead = static_cast<unsigned char>(bytes[0]), trail = static_cast<unsigned char>(bytes[1]);
  if (!is_lead(lead)) return std::nullopt;
  std::uint16_t c = t.pair[lead << 8 | trail];
  if (c == no_char) return std::nullopt;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  char buf[4];
  std::size_t len = 0;
  U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(c));
  out.append(buf, len);
}

std::string describe_char(char32_t c) {
  // TRANSLATORS: a character named in a message: its code point and Unicode name.
  if (const char* known = detail::known_char_name(c))
    return format_tr("U+{:04X} {}", static_cast<std::uint32_t>(c), translate(known));
  std::string text = fmt::format("U+{:04X}", static_cast<std::uint32_t>(c));
  if (std::string name = char_name(c); !name.empty()) text += " " + name;
  return text;
}

std::string_view encoding_name(encoding e) {
  switch (e) {
    case encoding::utf8: return "utf-8";
    case encoding::utf8_bom: return "utf-8-bom";
    case encoding::cp932: return "cp932";
    case encoding::utf16le: return "utf-16le";
    case encoding::utf16be: return "utf-16be";
  }
  return "?";
}

}  // namespace kaiin
