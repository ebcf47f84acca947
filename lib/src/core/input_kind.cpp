#include "core/input_kind.h"

#include <algorithm>
#include <cstring>

#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {

unsigned little_endian16(std::string_view b, std::size_t at) {
  return static_cast<unsigned char>(b[at]) | static_cast<unsigned char>(b[at + 1]) << 8;
}

// A ZIP archive: told by the names of the entries in its first bytes. Excel writes
// [Content_Types].xml and _rels/ before xl/; an OpenDocument file starts with an
// entry "mimetype" that holds its type, uncompressed.
file_kind recognise_zip(std::string_view head) {
  constexpr std::string_view entry = "PK\x03\x04";
  for (std::size_t at = head.find(entry); at != std::string_view::npos && at + 30 <= head.size();
       at = head.find(entry, at + entry.size())) {
    const std::size_t name_size = little_endian16(head, at + 26), extra = little_endian16(head, at + 28);
    const std::string_view name = head.substr(at + 30, name_size);
    if (name.starts_with("xl/")) return file_kind::xlsx;
    if (name == "mimetype") {
      const std::string_view type = head.substr(std::min(head.size(), at + 30 + name_size + extra), 64);
      if (type.find("opendocument.spreadsheet") != std::string_view::npos) return file_kind::ods;
    }
  }
  return file_kind::zip;
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F; }

// "File > Save As" with the file type Excel's Japanese menus name, as staff see it.
std::string excel_how() {
  return _("open it in Excel and save it as CSV: File > Save As, file type \"CSV (Comma delimited) (*.csv)\"");
}

}  // namespace

file_kind recognise(std::string_view head) {
  if (head.starts_with("\xFF\xFE")) return file_kind::utf16le;
  if (head.starts_with("\xFE\xFF")) return file_kind::utf16be;
  if (head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06")) return recognise_zip(head);
  if (head.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return file_kind::xls;
  if (head.starts_with("%PDF-")) return file_kind::pdf;
  return file_kind::text;
}

void refuse(file_kind kind, const std::string& name) {
  std::string what;
  switch (kind) {
    case file_kind::xlsx: what = format_tr("this is an Excel workbook (.xlsx), not a CSV file: {}", excel_how()); break;
    case file_kind::xls:
      what =
          format_tr("this is an Excel 97-2003 workbook (.xls) or another Office file, not a CSV file: {}", excel_how());
      break;
    case file_kind::ods:
      what =
          _("this is an OpenDocument spreadsheet (.ods), not a CSV file: open it in LibreOffice Calc and save "
            "it as CSV: File > Save As, file type \"Text CSV (.csv)\"");
      break;
    case file_kind::zip:
      what = format_tr(
          "this is a ZIP archive, such as an Excel workbook, not a CSV file: if it is a workbook, {}; "
          "otherwise take the CSV file out of the archive",
          excel_how());
      break;
    case file_kind::pdf:
      what =
          _("this is a PDF document, not a CSV file: kaiin reads CSV; download the data as CSV from where the "
            "PDF came from (the shop's admin screen), or save the table from Excel as CSV");
      break;
    default: what = _("this is not a CSV file"); break;
  }
  throw error(what, name);
}

std::optional<text_end> check_text(std::string_view block) {
  // Text holds no NUL: most blocks are answered by one search at memchr's speed, and
  // only a block with a NUL has its control bytes counted.
  const void* nul = std::memchr(block.data(), '\0', block.size());
  if (!nul) return std::nullopt;
  const std::size_t controls = static_cast<std::size_t>(
      std::count_if(block.begin(), block.end(), [](char c) { return is_control(static_cast<unsigned char>(c)); }));
  if (controls * 16 < block.size()) return std::nullopt;
  const auto first = static_cast<std::size_t>(static_cast<const char*>(nul) - block.data());
  const std::size_t newline = block.rfind('\n', first);
  return text_end{newline == std::string_view::npos ? 0 : newline + 1, controls, block.size()};
}

void refuse_binary(std::string_view head, const text_end& end, const std::string& name) {
  // UTF-16 without a byte order mark: a NUL beside each ASCII character, on the
  // same side of it.
  std::size_t even = 0, odd = 0;
  for (std::size_t i = 0; i < head.size(); ++i)
    if (head[i] == '\0') ++(i % 2 ? odd : even);
  const bool utf16 = (even + odd) * 4 >= head.size() && std::max(even, odd) * 10 >= (even + odd) * 9;
  std::string what = format_tr(
      "this is not a text file: {} of its first {} bytes are NUL or other control bytes; kaiin reads CSV files "
      "in UTF-8, CP932 (Shift_JIS), or UTF-16 with a byte order mark",
      end.controls, end.size);
  if (utf16)
    what +=
        _("; this one looks like UTF-16 without a byte order mark: save it again as UTF-8, or from Excel as "
          "CSV");
  throw error(what, name);
}

std::string read_head(byte_source& in, std::size_t size) {
  std::string head(size, '\0');
  std::size_t got = 0;
  while (got < head.size())
    if (const std::size_t n = in.read(head.data() + got, head.size() - got))
      got += n;
    else
      break;
  head.resize(got);
  return head;
}

bool tab_separated_header(file_source& file) {
  const std::string head = read_head(file, 64 << 10);
  file.seek(0);
  const std::string_view line = std::string_view(head).substr(0, head.find('\n'));
  return line.find('\t') != std::string_view::npos && line.find(',') == std::string_view::npos;
}

std::string not_text_message(const text_stop& stop, std::uint64_t line, bool utf16) {
  const std::string where =
      utf16 ? format_tr("line {}", line) : format_tr("line {} (byte offset {})", line, stop.offset);
  return format_tr(
      "reading stopped at {}: the input is not text from there on ({} of the {} bytes there are NUL or other "
      "control bytes), and the rest of it was not read: is the file damaged (cut short and filled with zeros), or "
      "another file joined to it?",
      where, stop.controls, stop.size);
}

}  // namespace kaiin::detail
