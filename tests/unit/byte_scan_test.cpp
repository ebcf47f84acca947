// detail::skip_ascii: the first byte above 0x7F at or after a start, whatever the
// length (16 bytes at a time, words, the last word read where the span ends).
#include <doctest/doctest.h>

#include <cstddef>
#include <vector>

#include "core/byte_scan.h"

namespace {

std::size_t naive_skip(const std::vector<unsigned char>& in, std::size_t i) {
  while (i < in.size() && in[i] < 0x80) ++i;
  return i;
}

}  // namespace

TEST_CASE("skip_ascii finds what a byte-at-a-time loop finds, at every start and length") {
  for (std::size_t n = 0; n <= 40; ++n) {
    // no high byte, then one high byte at each place, then two
    std::vector<std::vector<unsigned char>> spans{std::vector<unsigned char>(n, 'a')};
    for (std::size_t at = 0; at < n; ++at) {
      spans.emplace_back(n, '7');
      spans.back()[at] = static_cast<unsigned char>(at % 2 ? 0x80 : 0xFF);
      if (at + 3 < n) {
        spans.emplace_back(spans.back());
        spans.back()[at + 3] = 0x8E;
      }
    }
    for (const auto& span : spans)
      for (std::size_t i = 0; i <= n; ++i)
        CHECK_MESSAGE(kaiin::detail::skip_ascii(span.data(), i, n) == naive_skip(span, i), "n=" << n << " i=" << i);
  }
}
