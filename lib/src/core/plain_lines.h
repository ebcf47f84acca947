#pragma once
// The lines of a plain_block (csv_reader::plain_lines()) one at a time, split at the
// delimiter: a reader of many short records (kaiin-points' snapshots) takes them
// this way, a scan of 64 bytes at a time serving several lines, instead of a
// csv_reader::next() a record. Private to the library.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "core/byte_scan.h"

namespace kaiin::detail {

/// One line of a plain block: where its text ends, where the next line starts, and
/// where its first delimiters are.
template <std::size_t max_fields>
struct plain_line {
  std::size_t begin = 0, end = 0, next = 0;  // in the block: its text [begin, end), the next line from next
  std::size_t fields = 0;                    // the delimiters found, plus one
  std::size_t cuts[max_fields] = {};         // where the first delimiters are
  bool bare_cr = false;                      // a CR that is not its CRLF's: next() reports it

  /// Field \p i of the line, which has it (i < fields, i < max_fields).
  std::string_view field(std::string_view block, std::size_t i) const {
    const std::size_t from = i == 0 ? begin : cuts[i - 1] + 1, to = i + 1 < fields ? cuts[i] : end;
    return block.substr(from, to - from);
  }
};

/// Splits a plain block into its lines.
class plain_line_scanner {
 public:
  plain_line_scanner(std::string_view block, char delimiter)
      : s_(block.data()), n_(block.size()), delimiter_(delimiter), ends_(delimiter, '\n', '\r', '\n') {}

  /// The next line into \p line; false after the last.
  template <std::size_t max_fields>
  bool next(plain_line<max_fields>& line) {
    if (p_ >= n_) return false;
    line.begin = p_;
    line.fields = 1;
    line.bare_cr = false;
    // A plain block ends with LF: the search always stops inside it.
    for (std::size_t at = p_;;) {
      const std::size_t found = special(at);  // the next delimiter, CR or LF
      const char c = s_[found];
      if (c == delimiter_) {
        if (line.fields <= max_fields) line.cuts[line.fields - 1] = found;
        ++line.fields;
        at = found + 1;
      } else if (c == '\n') {
        line.end = found;
        line.next = found + 1;
        break;
      } else if (s_[found + 1] == '\n') {  // CR, then LF: the line's end
        line.end = found;
        line.next = found + 2;
        break;
      } else {
        line.bare_cr = true;
        at = found + 1;
      }
    }
    p_ = line.next;
    return true;
  }

 private:
  // The first delimiter, CR or LF at or after \p at: from the mask of the 64 bytes
  // last looked at while it covers \p at, a byte at a time in the last 63.
  std::size_t special(std::size_t at) {
    for (;;) {
      if (const std::size_t shift = at - mask_at_; shift < 64) {
        if (const std::uint64_t m = mask_ >> shift) return at + lowest_bit64(m);
        at = mask_at_ + 64;
      }
      if (at + 64 <= n_) {
        mask_at_ = at;
        mask_ = ends_.mask64(s_ + at);
        continue;
      }
      while (s_[at] != delimiter_ && s_[at] != '\n' && s_[at] != '\r') ++at;
      return at;
    }
  }

  const char* s_;
  std::size_t n_, p_ = 0;
  char delimiter_;
  byte_set4 ends_;
  std::size_t mask_at_ = static_cast<std::size_t>(-1) / 2;
  std::uint64_t mask_ = 0;
};

/// Hands the lines of \p block to \p take (line, k: 0 for the first) while each is a
/// record of \p fields fields without a bare CR, and \p take says it took it (true);
/// the rest is left to csv_reader::next(), which reports what is wrong with a line.
/// Returns what was taken, for take_plain(): its bytes, and its lines.
template <std::size_t max_fields, class Take>
std::pair<std::size_t, std::uint64_t> take_plain_lines(std::string_view block, char delimiter, std::size_t fields,
                                                       Take&& take) {
  plain_line_scanner lines(block, delimiter);
  plain_line<max_fields> line;
  std::size_t bytes = 0;
  std::uint64_t taken = 0;
  while (fields <= max_fields && lines.next(line) && !line.bare_cr && line.fields == fields && take(line, taken)) {
    bytes = line.next;
    ++taken;
  }
  return {bytes, taken};
}

}  // namespace kaiin::detail
