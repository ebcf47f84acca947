#include "kaiin/detect.h"

#include <cstring>
#include <fmt/format.h>
#include <memory>

namespace kaiin {

std::optional<text_position> find_invalid(byte_source& in, encoding e) {
  constexpr std::size_t chunk = 1 << 20;
  std::unique_ptr<char[]> buf(new char[chunk + 4]);
  std::size_t carried = 0;
  text_position at;  // position of buf[0]
  for (;;) {
    std::size_t n = carried + in.read(buf.get() + carried, chunk);
    bool last = n == carried;
    if (n == 0) return std::nullopt;
    std::string_view text(buf.get(), n);
    std::size_t keep = last ? 0 : incomplete_tail(text, e);
    text.remove_suffix(keep);
    std::size_t bad = first_invalid(text, e);
    std::size_t upto = bad == std::string_view::npos ? text.size() : bad;
    for (std::size_t i = 0; i < upto; ++i) {
      if (text[i] == '\n') {
        ++at.line;
        at.column = 1;
      } else {
        ++at.column;
      }
    }
    at.offset += upto;
    if (bad != std::string_view::npos) return at;
    if (last) return std::nullopt;
    std::memmove(buf.get(), buf.get() + text.size(), keep);
    carried = keep;
  }
}

detection detect_encoding(file_source& in, source_encoding requested) {
  detection d;
  char head[3];
  std::size_t got = 0;
  while (got < 3) {
    std::size_t n = in.read(head + got, 3 - got);
    if (n == 0) break;
    got += n;
  }
  bool bom = got == 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0;
  if (bom && requested != source_encoding::cp932) {
    d.enc = encoding::utf8_bom;
    if (!in.rewindable()) in.spool({});
    in.seek(3);
    return d;
  }
  if (!in.rewindable()) in.spool({head, got});
  in.seek(0);
  if (requested == source_encoding::utf8) return d;
  if (requested == source_encoding::cp932) {
    d.enc = encoding::cp932;
    return d;
  }
  auto utf8_bad = find_invalid(in, encoding::utf8);
  in.seek(0);
  if (!utf8_bad) return d;
  auto cp932_bad = find_invalid(in, encoding::cp932);
  in.seek(0);
  d.enc = encoding::cp932;
  if (!cp932_bad) return d;
  d.ok = false;
  d.utf8_error = *utf8_bad;
  d.cp932_error = *cp932_bad;
  return d;
}

std::string describe(const text_position& p) {
  return fmt::format("line {}, column {} (byte offset {})", p.line, p.column, p.offset);
}

}  // namespace kaiin
