#pragma once
// UTF-16 with a byte order mark, as Excel writes its 「Unicode テキスト」: decoded to
// UTF-8 as the input is opened, so that every reader sees UTF-8, and encoded again
// where a program writes in the input's encoding. Strict: an unpaired surrogate is
// not a character, and is kept as the three bytes UTF-8 would give it (ED A0-BF xx),
// which no UTF-8 reader accepts, so that the readers report it with its place, and
// writing UTF-16 again gives back the same code unit. Private to the library.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kaiin::detail {

/// Decodes UTF-16 (without its byte order mark) a chunk at a time.
class utf16_decoder {
 public:
  /// \p big_endian: FE FF order; else FF FE (Excel's).
  explicit utf16_decoder(bool big_endian) : big_endian_(big_endian) {}
  /// Appends the UTF-8 of \p bytes to \p out; a byte or a high surrogate at the end is
  /// kept for the next chunk.
  void decode(std::string_view bytes, std::string& out);
  /// Ends the input: a high surrogate kept is written as unpaired. True when no odd
  /// byte is left over (half a code unit: the input was cut short).
  bool finish(std::string& out);

 private:
  void put(char16_t unit, std::string& out);
  bool big_endian_;
  int odd_byte_ = -1;  // a byte of the next code unit, read already
  char16_t high_ = 0;  // a high surrogate waiting for its low half
};

/// True when \p bytes (at least 3) are an unpaired surrogate as utf16_decoder writes it.
inline bool is_surrogate_utf8(std::string_view bytes) {
  return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xED &&
         (static_cast<unsigned char>(bytes[1]) & 0xE0) == 0xA0 && (static_cast<unsigned char>(bytes[2]) & 0xC0) == 0x80;
}
/// The code unit of such bytes.
inline char16_t surrogate_of(std::string_view bytes) {
  return static_cast<char16_t>(0xD000 | (static_cast<unsigned char>(bytes[1]) & 0x3F) << 6 |
                               (static_cast<unsigned char>(bytes[2]) & 0x3F));
}

/// Encodes UTF-8 (with the unpaired surrogates utf16_decoder writes) to UTF-16 a chunk
/// at a time, for an output written in a UTF-16 input's encoding.
class utf16_encoder {
 public:
  explicit utf16_encoder(bool big_endian) : big_endian_(big_endian) {}
  /// Appends the UTF-16 of \p utf8 to \p out; an incomplete character at the end is
  /// kept for the next chunk. Returns false at bytes that are not UTF-8 (nothing
  /// kaiin writes: a caller's error).
  bool encode(std::string_view utf8, std::string& out);
  /// True when nothing incomplete is kept.
  bool finished() const { return carried_.empty(); }

 private:
  void put(char16_t unit, std::string& out);
  bool big_endian_;
  std::string carried_;
};

/// The bytes \p utf8 takes in UTF-16: two a character, four above U+FFFF (split's
/// size limits count the bytes written).
std::uint64_t utf16_size(std::string_view utf8);

}  // namespace kaiin::detail
