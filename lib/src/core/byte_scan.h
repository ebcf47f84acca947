#pragma once
// Sixteen bytes at a time: where the non-ASCII bytes of a span are, and where the
// bytes that end a CSV field are (and bytes in hex). SSE2 where the compiler
// has it (every x86-64); elsewhere plain C++ that gives the same answers a byte at a
// time. Private to the library.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kaiin::detail {

/// Bit k set when p[k] is above 0x7F, for k < 16.
inline unsigned high_bits16(const unsigned char* p) {
#if defined(__SSE2__)
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
#else
  unsigned mask = 0;
  for (unsigned k = 0; k < 16; ++k) mask |= static_cast<unsigned>(p[k] >> 7) << k;
  return mask;
#endif
}

/// Writes the two hex digits of \p c (upper case unless \p lower) at \p to, without a
/// format string: reports write them for every invalid byte and control character,
/// and fuzzed input is full of them (fmt's formatting was a third of the orders
/// target's time).
inline void put_hex(char* to, unsigned char c, bool lower = false) {
  const char* digits = lower ? "0123456789abcdef" : "0123456789ABCDEF";
  to[0] = digits[c >> 4];
  to[1] = digits[c & 15];
}

/// "81 FF": the bytes of \p b in hex, as a finding names invalid bytes.
inline std::string hex_bytes(std::string_view b) {
  std::string out;
  out.reserve(b.size() * 3);
  for (unsigned char c : b) {
    char digits[3] = {' '};
    put_hex(digits + 1, c);
    out.append(out.empty() ? digits + 1 : digits, out.empty() ? 2 : 3);
  }
  return out;
}

/// The index of the lowest set bit of \p mask, which is not 0.
inline unsigned lowest_bit(unsigned mask) { return static_cast<unsigned>(__builtin_ctz(mask)); }
/// The same for 64 bits.
inline unsigned lowest_bit64(std::uint64_t mask) { return static_cast<unsigned>(__builtin_ctzll(mask)); }

/// The first index at or after \p i of a byte above 0x7F in in[0..n), or n.
inline std::size_t skip_ascii(const unsigned char* in, std::size_t i, std::size_t n) {
  for (; i + 16 <= n; i += 16) {
    if (unsigned high = high_bits16(in + i)) return i + lowest_bit(high);
  }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // A short tail (most records and fields are short): a word at a time, the byte
  // found from the word's bits, and the last few bytes in the word that ends at n
  // (a byte at a time, they were most of first_invalid's work on kaiin-points'
  // records of 15 bytes).
  constexpr std::uint64_t high_bits = 0x8080808080808080ull;
  std::uint64_t w;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&w, in + i, 8);
    if (std::uint64_t high = w & high_bits) return i + lowest_bit64(high) / 8;
  }
  if (i < n && n >= 8) {
    std::memcpy(&w, in + n - 8, 8);
    std::uint64_t high = (w & high_bits) >> (8 * (i - (n - 8)));  // without the bytes before i
    return high ? i + lowest_bit64(high) / 8 : n;
  }
#else
  for (; i + 8 <= n; i += 8) {  // a short tail (most fields are short): a word at a time
    std::uint64_t w;
    std::memcpy(&w, in + i, 8);
    if (w & 0x8080808080808080ull) break;
  }
#endif
  while (i < n && in[i] < 0x80) ++i;
  return i;
}

/// Nonzero when one of the eight bytes of \p w is \p b (the high bit of each byte of
/// w ^ b's that is 0; exact as to whether there is one).
inline std::uint64_t has_byte(std::uint64_t w, unsigned char b) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const std::uint64_t x = w ^ (ones * b);
  return (x - ones) & ~x & highs;
}

/// True when no byte of \p s is above 0x7F. Fields are short: eight bytes a step,
/// the last eight (or four) read where they end, overlapping what was read, rather
/// than a byte at a time (IDs and numbers of 4-7 bytes spent most of decode_field's
/// time in that loop, in kaiin-points).
inline bool is_ascii(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n >= 8) {
    std::uint64_t any = 0, w;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::memcpy(&w, p + i, 8);
      any |= w;
    }
    std::memcpy(&w, p + n - 8, 8);
    return ((any | w) & 0x8080808080808080ull) == 0;
  }
  if (n >= 4) {
    std::uint32_t head, tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + n - 4, 4);
    return ((head | tail) & 0x80808080u) == 0;
  }
  unsigned any = 0;
  for (std::size_t i = 0; i < n; ++i) any |= static_cast<unsigned char>(p[i]);
  return any < 0x80;
}

/// Finds four bytes at once: for a CSV field, the delimiter, the quote, LF and CR.
class byte_set4 {
 public:
  byte_set4(char a, char b, char c, char d)
#if defined(__SSE2__)
      : a_(splat(a)),
        b_(splat(b)),
        c_(splat(c)),
        d_(splat(d))
#else
      : bytes_{a, b, c, d}
#endif
  {
  }
  /// Bit k set when p[k] is one of the four, for k < 16.
  unsigned mask16(const char* p) const {
#if defined(__SSE2__)
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, a_), _mm_cmpeq_epi8(x, b_)),
                               _mm_or_si128(_mm_cmpeq_epi8(x, c_), _mm_cmpeq_epi8(x, d_)));
    return static_cast<unsigned>(_mm_movemask_epi8(hit));
#else
    unsigned mask = 0;
    for (unsigned k = 0; k < 16; ++k)
      mask |= static_cast<unsigned>(p[k] == bytes_[0] || p[k] == bytes_[1] || p[k] == bytes_[2] || p[k] == bytes_[3])
              << k;
    return mask;
#endif
  }
  /// Bit k set when p[k] is one of the four, for k < 64.
  std::uint64_t mask64(const char* p) const {
    return static_cast<std::uint64_t>(mask16(p)) | static_cast<std::uint64_t>(mask16(p + 16)) << 16 |
           static_cast<std::uint64_t>(mask16(p + 32)) << 32 | static_cast<std::uint64_t>(mask16(p + 48)) << 48;
  }

 private:
#if defined(__SSE2__)
  // _mm_set1_epi8 compiled to a byte stored and four bytes loaded back, a stall
  // that cost a third of the reader's time on short records; from a register:
  static __m128i splat(char c) { return _mm_set1_epi32(static_cast<int>(0x01010101u * static_cast<unsigned char>(c))); }
  __m128i a_, b_, c_, d_;
#else
  char bytes_[4];
#endif
};

}  // namespace kaiin::detail
