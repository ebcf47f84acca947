#pragma once
// The parts of kaiin/text.h only the library uses: code points of UTF-8, the
// half-width folding of full-width ASCII, and did-you-mean hints for many words
// against one list. Private to the library.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kaiin {

/// Decodes the code point at \p i of valid UTF-8 and advances \p i; U+FFFD for a
/// bad byte (values reaching here were decoded by kaiin already).
char32_t next_char(std::string_view s, std::size_t& i);
/// The code points of \p s.
std::u32string to_u32(std::string_view s);

/// \p s with full-width ASCII (U+FF01-U+FF5E) and the ideographic space made
/// half-width; nothing else changes.
std::string half_width(std::string_view s);

/// did_you_mean() for many words against the same candidates, folded once (the
/// unknown columns of a header against the headers a profile knows).
class hint_finder {
 public:
  /// Holds \p candidates, case- and width-folded.
  explicit hint_finder(std::vector<std::string> candidates);
  /// The candidate closest to \p word, as did_you_mean() says; empty when none is.
  std::string operator()(std::string_view word) const;

 private:
  std::vector<std::string> candidates_, keys_;
  std::vector<std::u32string> points_;  // the keys' code points
};

namespace detail {
/// edit_distance() of code points, with \p row the memory it reuses.
std::size_t edit_distance(std::u32string_view x, std::u32string_view y, std::size_t limit,
                          std::vector<std::size_t>& row);
}  // namespace detail

}  // namespace kaiin
