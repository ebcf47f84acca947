#include "core/tool_error.h"

#include <unistd.h>

#include <string>

#include <fmt/format.h>

#include "core/progress_counters.h"
#include "core/stream_names.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

std::string tool_error_text(std::string_view tool, std::string_view message, std::string_view file, std::uint64_t line,
                            std::uint64_t column) {
  std::string where;
  file = shown_name(file);
  if (!file.empty())
    where = column ? fmt::format("'{}':{}:{}: ", file, line, column)
            : line ? fmt::format("'{}':{}: ", file, line)
                   : fmt::format("'{}': ", file);
  return fmt::format("{}: {}: {}{}", tool, severity_label(severity::error), where, message);
}

void print_tool_error(std::string_view tool, std::string_view message, std::string_view file, std::uint64_t line,
                      std::uint64_t column) {
  std::string text = tool_error_text(tool, message, file, line, column) + "\n";
  progress::terminal_write guard(STDERR_FILENO, text);
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace kaiin
