// The characters a message names most: what Macs and iPhones type and the character
// Windows has for it (char_map.cpp's folds, both sides). Their Unicode names are
// message ids, so that a Japanese user reads 波ダッシュ; any other character keeps
// ICU's English name beside its code point.

#include "core/char_names.h"

#include <utility>

#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {

// TRANSLATORS: Unicode character names, in "U+301C WAVE DASH" of a message.
constexpr std::pair<char32_t, const char*> names[] = {
    {0x00A2, N_("CENT SIGN")},
    {0x00A3, N_("POUND SIGN")},
    {0x00A5, N_("YEN SIGN")},
    {0x00AC, N_("NOT SIGN")},
    {0x2014, N_("EM DASH")},
    {0x2015, N_("HORIZONTAL BAR")},
    {0x2016, N_("DOUBLE VERTICAL LINE")},
    {0x203E, N_("OVERLINE")},
    {0x2212, N_("MINUS SIGN")},
    {0x2225, N_("PARALLEL TO")},
    {0x301C, N_("WAVE DASH")},
    {0xFF0D, N_("FULLWIDTH HYPHEN-MINUS")},
    {0xFF5E, N_("FULLWIDTH TILDE")},
    {0xFFE0, N_("FULLWIDTH CENT SIGN")},
    {0xFFE1, N_("FULLWIDTH POUND SIGN")},
    {0xFFE2, N_("FULLWIDTH NOT SIGN")},
};

}  // namespace

const char* known_char_name(char32_t c) {
  for (auto [code, name] : names)
    if (code == c) return name;
  return nullptr;
}

}  // namespace kaiin::detail
