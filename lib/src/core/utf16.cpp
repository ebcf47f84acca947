#include "core/utf16.h"

#include <utility>

namespace kaiin::detail {

namespace {

// Appends the UTF-8 of \p c (a scalar value, or a surrogate code unit: three bytes
// that UTF-8 readers refuse).
void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | c >> 6));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | c >> 12));
    out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | c >> 18));
    out.push_back(static_cast<char>(0x80 | (c >> 12 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool is_high(char32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(char32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

}  // namespace

void utf16_decoder::put(char16_t unit, std::string& out) {
  if (high_) {
    const char16_t high = high_;
    high_ = 0;
    if (is_low(unit)) return append_utf8(out, 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00));
    append_utf8(out, high);  // unpaired: kept as it is, and reported by the reader
  }
  if (is_high(unit)) {
    high_ = unit;
    return;
  }
  append_utf8(out, unit);
}

void utf16_decoder::decode(std::string_view bytes, std::string& out) {
  out.reserve(out.size() + bytes.size() / 2 * 3 + 4);
  std::size_t i = 0;
  if (odd_byte_ >= 0 && !bytes.empty()) {
    const auto first = static_cast<unsigned char>(odd_byte_), second = static_cast<unsigned char>(bytes[0]);
    put(static_cast<char16_t>(big_endian_ ? first << 8 | second : second << 8 | first), out);
    odd_byte_ = -1;
    i = 1;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 1 < bytes.size(); i += 2) {
    const auto unit = static_cast<char16_t>(big_endian_ ? b[i] << 8 | b[i + 1] : b[i + 1] << 8 | b[i]);
    if (unit < 0x80 && !high_) {  // ASCII (most of a CSV): a byte
      out.push_back(static_cast<char>(unit));
      continue;
    }
    put(unit, out);
  }
  if (i < bytes.size()) odd_byte_ = b[i];
}

bool utf16_decoder::finish(std::string& out) {
  if (high_) append_utf8(out, std::exchange(high_, 0));
  return odd_byte_ < 0;
}

void utf16_encoder::put(char16_t unit, std::string& out) {
  out.push_back(static_cast<char>(big_endian_ ? unit >> 8 : unit & 0xFF));
  out.push_back(static_cast<char>(big_endian_ ? unit & 0xFF : unit >> 8));
}

bool utf16_encoder::encode(std::string_view utf8, std::string& out) {
  std::string joined;
  if (!carried_.empty()) {
    joined = std::move(carried_);
    joined.append(utf8);
    utf8 = joined;
    carried_.clear();
  }
  out.reserve(out.size() + utf8.size() * 2);
  const auto* b = reinterpret_cast<const unsigned char*>(utf8.data());
  const std::size_t n = utf8.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned lead = b[i];
    if (lead < 0x80) {
      put(static_cast<char16_t>(lead), out);
      ++i;
      continue;
    }
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
    if (length == 0 || lead > 0xF4) return false;
    if (i + length > n) {  // the rest comes with the next chunk
      carried_.assign(utf8.substr(i));
      break;
    }
    char32_t c = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return false;
      c = c << 6 | (b[i + k] & 0x3F);
    }
    if (c >= 0x10000) {
      put(static_cast<char16_t>(0xD800 + ((c - 0x10000) >> 10)), out);
      put(static_cast<char16_t>(0xDC00 + ((c - 0x10000) & 0x3FF)), out);
    } else {
      put(static_cast<char16_t>(c), out);  // an unpaired surrogate too: as it was read
    }
    i += length;
  }
  return true;
}

std::uint64_t utf16_size(std::string_view utf8) {
  std::uint64_t size = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) size += 2;  // a character starts here
    if (c >= 0xF0) size += 2;           // and needs a surrogate pair
  }
  return size;
}

}  // namespace kaiin::detail
