#include "unicode_from_icu.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <stdexcept>

namespace kaiin::gen {
namespace {

bool is_lead(unsigned b) { return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC); }
bool is_trail(unsigned b) { return b >= 0x40 && b <= 0xFC && b != 0x7F; }
bool is_eudc_lead(unsigned b) { return b >= 0xF0 && b <= 0xF9; }

// Callbacks that record a failed conversion and stop it: ICU's defaults substitute
// silently, and a substitute is no mapping.
struct callback_state {
  bool failed = false;
};

void to_u_stop(const void* context, UConverterToUnicodeArgs*, const char*, int32_t, UConverterCallbackReason reason,
               UErrorCode*) {
  if (reason <= UCNV_IRREGULAR) static_cast<callback_state*>(const_cast<void*>(context))->failed = true;
}

void from_u_stop(const void* context, UConverterFromUnicodeArgs*, const UChar*, int32_t, UChar32,
                 UConverterCallbackReason reason, UErrorCode*) {
  if (reason <= UCNV_IRREGULAR) static_cast<callback_state*>(const_cast<void*>(context))->failed = true;
}

struct converter {
  UConverter* cnv = nullptr;
  callback_state state;
  converter() {
    UErrorCode err = U_ZERO_ERROR;
    cnv = ucnv_open("windows-31j", &err);
    if (U_FAILURE(err)) throw std::runtime_error(std::string("ICU has no windows-31j converter: ") + u_errorName(err));
    ucnv_setToUCallBack(cnv, to_u_stop, &state, nullptr, nullptr, &err);
    ucnv_setFromUCallBack(cnv, from_u_stop, &state, nullptr, nullptr, &err);
    ucnv_setFallback(cnv, false);
  }
  converter(const converter&) = delete;
  converter& operator=(const converter&) = delete;
  ~converter() { ucnv_close(cnv); }

  // The single BMP character \p bytes decode to, or none.
  std::uint16_t to_unicode(const char* bytes, int len) {
    UChar out[4];
    UErrorCode err = U_ZERO_ERROR;
    state.failed = false;
    int32_t n = ucnv_toUChars(cnv, out, 4, bytes, len, &err);
    if (U_FAILURE(err) || state.failed || n != 1 || out[0] >= 0xFFFE) return none;
    return out[0];
  }
  // The CP932 code of \p c, or none.
  std::uint16_t from_unicode(UChar c) {
    char out[8];
    UErrorCode err = U_ZERO_ERROR;
    state.failed = false;
    int32_t n = ucnv_fromUChars(cnv, out, 8, &c, 1, &err);
    if (U_FAILURE(err) || state.failed || n < 1 || n > 2) return none;
    auto b0 = static_cast<unsigned char>(out[0]);
    return n == 1 ? b0 : static_cast<std::uint16_t>(b0 << 8 | static_cast<unsigned char>(out[1]));
  }
};

// 外字: 188 codes a lead byte from U+E000.
std::uint16_t eudc_char(unsigned lead, unsigned trail) {
  return static_cast<std::uint16_t>(0xE000 + (lead - 0xF0) * 188 + trail - 0x40 - (trail > 0x7F));
}

}  // namespace

cp932_reference cp932_from_icu() {
  cp932_reference t;
  converter icu;
  t.single.fill(none);
  t.pair.fill(none);
  t.code.fill(none);
  for (unsigned b = 0; b < 0x80; ++b) t.single[b] = static_cast<std::uint16_t>(b);
  for (unsigned b = 0xA1; b <= 0xDF; ++b) {  // half-width katakana
    char c = static_cast<char>(b);
    t.single[b] = icu.to_unicode(&c, 1);
  }
  for (unsigned lead = 0x81; lead <= 0xFC; ++lead) {
    if (!is_lead(lead)) continue;
    for (unsigned trail = 0x40; trail <= 0xFC; ++trail) {
      if (!is_trail(trail)) continue;
      char bytes[2] = {static_cast<char>(lead), static_cast<char>(trail)};
      t.pair[lead << 8 | trail] = is_eudc_lead(lead) ? eudc_char(lead, trail) : icu.to_unicode(bytes, 2);
    }
  }
  auto decodes_to = [&](std::uint16_t code) { return code < 0x100 ? t.single[code] : t.pair[code]; };
  for (unsigned c = 0; c < 0x80; ++c) t.code[c] = static_cast<std::uint16_t>(c);
  for (unsigned c = 0x80; c < 0x10000; ++c) {
    if (c >= 0xE000 && c <= 0xE757) continue;  // 外字, below
    std::uint16_t found = icu.from_unicode(static_cast<UChar>(c));
    if (found != none && found >= 0x80 && decodes_to(found) == c) t.code[c] = found;
  }
  for (unsigned lead = 0xF0; lead <= 0xF9; ++lead)
    for (unsigned trail = 0x40; trail <= 0xFC; ++trail)
      if (is_trail(trail)) t.code[eudc_char(lead, trail)] = static_cast<std::uint16_t>(lead << 8 | trail);
  return t;
}

bool icu_wide(char32_t c) {
  auto w = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_EAST_ASIAN_WIDTH);
  return w == U_EA_WIDE || w == U_EA_FULLWIDTH;
}

std::string icu_char_name(char32_t c) {
  char name[128];
  UErrorCode err = U_ZERO_ERROR;
  int32_t n = u_charName(static_cast<UChar32>(c), U_UNICODE_CHAR_NAME, name, sizeof name, &err);
  if (U_FAILURE(err) || n <= 0) return {};
  return std::string(name, static_cast<std::size_t>(n));
}

}  // namespace kaiin::gen
