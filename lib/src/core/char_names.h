#pragma once
// The characters kaiin names in its messages, with a name a Japanese reader knows
// (波ダッシュ rather than WAVE DASH): see char_names.cpp.

namespace kaiin::detail {

/// The Unicode name of \p c (as ICU gives it, "WAVE DASH") marked for translation,
/// for the characters --fold changes and writes; nullptr for any other.
const char* known_char_name(char32_t c);

}  // namespace kaiin::detail
