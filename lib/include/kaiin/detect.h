#pragma once
/// \file
/// Deciding the encoding of an input (spec §2): a BOM (UTF-8, or UTF-16 in either
/// byte order), else the whole input is valid UTF-8, else CP932. No guessing from a
/// prefix: a pipe is copied to an unlinked temporary file so that it can be read
/// twice, and memory stays bounded. Before that, the first bytes say whether the
/// input is a CSV at all: a workbook, a PDF or a binary file is refused with what it
/// is; and from then on the input ends at the first block that is not text.
/// CP932 is the last candidate, and CP932 decoding is strict: the reading pass
/// reports every byte that is not CP932 (so the first one too) by line, column and
/// byte offset, and a second whole-file check would only repeat that work.

#include <cstdint>
#include <optional>
#include <string>

#include "kaiin/encoding.h"
#include "kaiin/io.h"

namespace kaiin {

/// What the user asked for with -f/--from.
enum class source_encoding { auto_detect, utf8, cp932 };

/// Where a byte is: 0-based byte offset, 1-based line, 1-based byte column.
struct text_position {
  std::uint64_t offset = 0, line = 1, column = 1;  ///< where the byte is
};

/// The outcome of detection.
struct detection {
  encoding enc = encoding::utf8;          ///< utf8_bom when the input starts with a BOM
  std::optional<text_position> not_utf8;  ///< auto-detected CP932: why it is not UTF-8
  /// Bytes before the data (3 for a UTF-8 BOM; a UTF-16 input is read decoded,
  /// without its BOM).
  std::uint64_t data_start() const { return enc == encoding::utf8_bom ? 3 : 0; }
  /// Where the data is decoded from: a BOM only marks UTF-8.
  encoding data_encoding() const { return enc == encoding::cp932 ? encoding::cp932 : encoding::utf8; }
};

/// Decides the encoding of \p in and leaves it positioned at the data (after any
/// BOM). With a forced encoding only the BOM is looked at: strict decoding later
/// finds every bad byte. A UTF-16 BOM is read as what it is whatever \p requested
/// says (neither UTF-8 nor CP932 text can start with one), and the input is then
/// UTF-8 (file_source::decode_utf16). Throws kaiin::error, naming the file, for an
/// input that is not a CSV file (detail::recognise) or not text from its start;
/// checks the rest as it is read (file_source::check_text).
detection detect_encoding(file_source& in, source_encoding requested);

/// Position of the first byte that is not valid \p e in what \p in has left, or
/// nullopt; reads to the end.
std::optional<text_position> find_invalid(byte_source& in, encoding e);

/// "line 3, column 17 (byte offset 1234)".
std::string describe(const text_position& p);

}  // namespace kaiin
