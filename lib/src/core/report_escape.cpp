// How a report writes a text: quoted for JSON, or on one line for a person, with
// control characters shown as escapes.

#include <cstring>

#include "core/byte_scan.h"
#include "core/report_writer.h"

namespace kaiin {

namespace {
// The two ways a report writes a text: quoted for JSON, or one line for a person.
enum class escaping { json, text };

// True when one of the 8 bytes of \p w may need escaping: a control character (below
// 20), DEL, and for JSON '"' and '\\'. Bytes from 80 (UTF-8) never do.
template <escaping E>
bool may_need_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
  std::uint64_t found = ((w - ones * 0x20) & ~w & highs) | detail::has_byte(w, 0x7F);
  if constexpr (E == escaping::json) found |= detail::has_byte(w, '"') | detail::has_byte(w, '\\');
  return found;
}

// Writes the escape of \p c at \p to and returns its length, or 0 when \p c is written
// as it is. JSON: \" \\ \n \r \t and \u00xx; a line of text: \n, \r and \xXX (a TAB is
// harmless there).
template <escaping E>
std::size_t escape(unsigned char c, char* to) {
  to[0] = '\\';
  switch (c) {
    case '\n': to[1] = 'n'; return 2;
    case '\r': to[1] = 'r'; return 2;
    case '\t':
      if constexpr (E == escaping::text) return 0;
      to[1] = 't';
      return 2;
    case '"':
    case '\\':
      if constexpr (E == escaping::text) return 0;
      to[1] = static_cast<char>(c);
      return 2;
  }
  if (c >= 0x20 && c != 0x7F) return 0;
  if constexpr (E == escaping::json) {
    std::memcpy(to + 1, "u00", 3);
    detail::put_hex(to + 4, c, true);
    return 6;
  } else {
    to[1] = 'x';
    detail::put_hex(to + 2, c);
    return 4;
  }
}

// Copies the runs between bytes to escape whole, skipping eight plain bytes at a
// time, and each escape with one append: a report of a million findings quotes four
// texts each, and byte by byte appends were a tenth of kaiin-check --report json's
// time, byte by byte tests still 7% (perf, 1,000,000 findings); fuzzed texts are full
// of control characters.
template <escaping E>
void append_escaped(std::string& out, std::string_view s) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (may_need_escape<E>(w)) break;
      i += 8;
    }
    if (i == s.size()) break;
    char escaped[6];
    std::size_t length = escape<E>(static_cast<unsigned char>(s[i]), escaped);
    if (!length) continue;
    out.append(s.data() + from, i - from);
    out.append(escaped, length);
    from = i + 1;
  }
  out.append(s.data() + from, s.size() - from);
}
}  // namespace

void append_json_quoted(std::string& out, std::string_view s) {
  out += '"';
  append_escaped<escaping::json>(out, s);
  out += '"';
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_quoted(out, s);
  return out;
}

namespace detail {

// A text report is one line a finding: CR, LF and other control characters of a
// quoted value are shown as \r, \n, \x00 rather than written (a TAB is harmless).
void append_visible(std::string& out, std::string_view s) { append_escaped<escaping::text>(out, s); }

std::string visible(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_visible(out, s);
  return out;
}

}  // namespace detail

}  // namespace kaiin
