#pragma once
// The part of kaiin/encoding.h only the library uses: an encoding's name as
// summaries and messages write it. Private to the library.

#include <string_view>

#include "kaiin/encoding.h"

namespace kaiin {

/// "utf-8", "utf-8-bom" or "cp932".
std::string_view encoding_name(encoding e);

}  // namespace kaiin
