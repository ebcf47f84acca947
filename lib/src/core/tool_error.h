#pragma once
// How run_tool() prints the failure that stops a tool, its place first. Private to
// the library: tools throw kaiin::error and run_tool() prints it.

#include <cstdint>
#include <string>
#include <string_view>

namespace kaiin {

/// `kaiin-conv: error: 'members.csv':12: message` (`:12:3:` with a column), without
/// a newline: what print_tool_error() prints, and the page shows.
std::string tool_error_text(std::string_view tool, std::string_view message, std::string_view file = {},
                            std::uint64_t line = 0, std::uint64_t column = 0);

/// tool_error_text() and a newline on standard error.
void print_tool_error(std::string_view tool, std::string_view message, std::string_view file = {},
                      std::uint64_t line = 0, std::uint64_t column = 0);

}  // namespace kaiin
