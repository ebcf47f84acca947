#pragma once
/// \file
/// The one exception kaiin's library throws for failures that stop a tool (I/O,
/// usage, bad auxiliary files). Findings in the user's data are not exceptions:
/// they go to kaiin::diagnostics and the tool keeps going.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace kaiin {

/// A failure that stops the tool; exit status 2. Carries the file and, where known,
/// the line and column it concerns, like fmt's format_error carries its position.
class error : public std::runtime_error {
 public:
  /// \p message starts lower-case, has no trailing period, and does not name \p file
  /// or the line: run_tool() prints the place before it (`'FILE':LINE:COLUMN: `).
  explicit error(const std::string& message, std::string file = {}, std::uint64_t line = 0, std::uint64_t column = 0)
      : std::runtime_error(message), file_(std::move(file)), line_(line), column_(column) {}

  /// The file the failure concerns, or empty.
  const std::string& file() const { return file_; }
  /// 1-based physical line, or 0 when unknown.
  std::uint64_t line() const { return line_; }
  /// 1-based column, or 0 when unknown.
  std::uint64_t column() const { return column_; }

 private:
  std::string file_;
  std::uint64_t line_;
  std::uint64_t column_;
};

/// Writing to a closed pipe: not an error for the user, the tool ends quietly.
class broken_pipe : public std::exception {
 public:
  /// "broken pipe", never shown to the user.
  const char* what() const noexcept override { return "broken pipe"; }
};

}  // namespace kaiin
