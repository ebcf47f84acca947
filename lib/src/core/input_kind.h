#pragma once
// What an input is, told from its first bytes before any of it is read as CSV: a
// workbook, a PDF or another binary file is said once, with how to save it as CSV,
// rather than read as lines of garbage; UTF-16 is told by its byte order mark. And
// where text ends: input is checked a block at a time, so that a file that turns
// into zeros (a crash) or endless binary data (/dev/zero, /dev/urandom) stops at the
// first block that is not text. Private to the library.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kaiin/io.h"

namespace kaiin::detail {

/// The size of the blocks the input is checked in; the first one decides what the
/// input is.
inline constexpr std::size_t text_block = 4096;

/// What the first bytes of an input say it is.
enum class file_kind {
  text,     ///< none of the below: read as CSV (UTF-8 or CP932, with or without a BOM)
  utf16le,  ///< FF FE: UTF-16, little-endian (Excel's 「Unicode テキスト」)
  utf16be,  ///< FE FF: UTF-16, big-endian
  xlsx,     ///< a ZIP archive holding xl/: an Excel workbook
  ods,      ///< a ZIP archive whose mimetype is an OpenDocument spreadsheet
  zip,      ///< another ZIP archive (a workbook whose parts come later, a Word file)
  xls,      ///< OLE2 (D0 CF 11 E0 A1 B1 1A E1): an Excel 97-2003 workbook or another Office file
  pdf,      ///< %PDF-
};

/// The first \p size bytes of \p in, or all of it when it is shorter: read until
/// they are there, as a pipe may hand them out in pieces.
std::string read_head(byte_source& in, std::size_t size);

/// The kind of a file whose first bytes (up to a text_block) are \p head.
file_kind recognise(std::string_view head);

/// Throws kaiin::error naming \p name for a file of kind \p kind that is not text (a
/// workbook, a PDF): what it is, and how to save it as CSV.
[[noreturn]] void refuse(file_kind kind, const std::string& name);

/// A block that is not text: it holds a NUL byte, and at least one byte in sixteen is
/// a control byte other than TAB, LF and CR (00-08, 0B, 0C, 0E-1F, 7F). A NUL or two
/// in a line of text is a damaged value, reported where it is; a block of them is
/// not text.
struct text_end {
  std::size_t at = 0;        ///< where the text ends in the block: the start of the line of its first NUL
  std::size_t controls = 0;  ///< control bytes in the block
  std::size_t size = 0;      ///< bytes in the block
};
/// Where \p block (a text_block, or the last bytes of the input) stops being text, or
/// nullopt when it is text.
std::optional<text_end> check_text(std::string_view block);

/// Throws kaiin::error naming \p name for an input whose first block \p head is not
/// text (\p end): what it holds, and what kaiin reads.
[[noreturn]] void refuse_binary(std::string_view head, const text_end& end, const std::string& name);

/// True when the first line of \p file, read from its start (and left there), holds
/// a TAB and no comma: Excel's 「Unicode テキスト」, TAB-separated, where a CSV was
/// expected. Asked of a UTF-16 input, which is read decoded from a file.
bool tab_separated_header(file_source& file);

/// The message of the finding for an input that stopped being text at line \p line.
std::string not_text_message(const text_stop& stop, std::uint64_t line, bool utf16);

}  // namespace kaiin::detail
