#include "kaiin/detect.h"

#include "core/input_kind.h"
#include "kaiin/i18n.h"

#include <fmt/format.h>
#include <algorithm>
#include <cstring>
#include <memory>

namespace kaiin {

std::optional<text_position> find_invalid(byte_source& in, encoding e) {
  // Up to a megabyte a read, or the whole of a smaller input known in advance. The
  // reads start at 64 KB and grow: a CP932 file is most often told by its first lines,
  // and a megabyte read (and its pages touched) for them was a millisecond before any
  // record was read, for each input.
  const std::uint64_t size = in.size_hint();
  const std::size_t chunk = size ? static_cast<std::size_t>(std::clamp<std::uint64_t>(size, 4096, 1 << 20)) : 1 << 20;
  std::unique_ptr<char[]> buf(new char[chunk + 4]);
  std::size_t carried = 0, want = std::min<std::size_t>(chunk, 64 << 10);
  std::uint64_t offset = 0, line = 1, line_start = 0;  // offset of buf[0]; where the line began
  for (;; want = std::min(chunk, want * 4)) {
    std::size_t n = carried + in.read(buf.get() + carried, want);
    bool last = n == carried;
    if (n == 0) return std::nullopt;
    std::string_view text(buf.get(), n);
    std::size_t keep = last ? 0 : incomplete_tail(text, e);
    text.remove_suffix(keep);
    std::size_t bad = first_invalid(text, e);
    std::string_view before = text.substr(0, bad);
    line += static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n'));
    if (std::size_t nl = before.rfind('\n'); nl != std::string_view::npos) line_start = offset + nl + 1;
    if (bad != std::string_view::npos) return text_position{offset + bad, line, offset + bad - line_start + 1};
    if (last) return std::nullopt;
    offset += text.size();
    std::memmove(buf.get(), buf.get() + text.size(), keep);
    carried = keep;
  }
}

detection detect_encoding(file_source& in, source_encoding requested) {
  using detail::file_kind;
  detection d;
  // The first block, whole (a pipe may hand it out in pieces): what the file is.
  const std::string head = detail::read_head(in, detail::text_block);
  const file_kind kind = detail::recognise(head);
  if (kind == file_kind::utf16le || kind == file_kind::utf16be) {
    in.decode_utf16(kind == file_kind::utf16be, head);
    d.enc = kind == file_kind::utf16be ? encoding::utf16be : encoding::utf16le;
    return d;
  }
  if (kind != file_kind::text) detail::refuse(kind, in.name());
  if (auto end = detail::check_text(head)) detail::refuse_binary(head, *end, in.name());
  in.check_text(head);
  const bool bom = head.starts_with("\xEF\xBB\xBF");
  if (bom && requested != source_encoding::cp932) {
    d.enc = encoding::utf8_bom;
    in.unread(std::string_view(head).substr(3));
    return d;  // positioned after the BOM
  }
  if (requested != source_encoding::auto_detect) {
    in.unread(head);  // a pipe stays a stream: nothing to read twice
    if (requested == source_encoding::cp932) d.enc = encoding::cp932;
    return d;
  }
  if (!in.rewindable()) in.spool(head);  // read twice: once to decide, once to convert
  in.seek(0);
  d.not_utf8 = find_invalid(in, encoding::utf8);
  in.seek(0);
  if (d.not_utf8) d.enc = encoding::cp932;
  return d;
}

std::string describe(const text_position& p) {
  return format_tr("line {}, column {} (byte offset {})", p.line, p.column, p.offset);
}

}  // namespace kaiin
