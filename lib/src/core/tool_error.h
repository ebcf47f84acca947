#pragma once
// How run_tool() prints the failure that stops a tool, its place first. Private to
// the library: tools throw kaiin::error and run_tool() prints it.

#include <cstdint>
#include <string_view>

namespace kaiin {

/// `kaiin-conv: error: 'members.csv':12: message` on standard error (`:12:3:` with a
/// column).
void print_tool_error(std::string_view tool, std::string_view message, std::string_view file = {},
                      std::uint64_t line = 0, std::uint64_t column = 0);

}  // namespace kaiin
