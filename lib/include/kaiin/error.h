#pragma once
/// \file
/// The exception kaiin's library throws for failures that stop a tool (I/O, usage,
/// bad auxiliary files), and data_error, a problem of the data that leaves a tool
/// nothing to do. Other findings in the user's data are not exceptions: they go to
/// kaiin::diagnostics and the tool keeps going.

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

/// A problem of the data that leaves the tool nothing to do: an input that is empty,
/// or whose header lacks a column the tool needs. Not a failure of the tool (spec §9:
/// a problem of the data is exit status 1 in every program): cli::run_job() reports
/// it as one finding, an error on the file's line 1 under rule(), and nothing is
/// written since the job never reaches its commit.
class data_error : public error {
 public:
  /// \p rule: the finding's rule id ("file-empty", "header-missing", ...).
  data_error(std::string rule, const std::string& message, std::string file)
      : error(message, std::move(file), 1), rule_(std::move(rule)) {}
  /// The rule id of the finding it becomes.
  const std::string& rule() const { return rule_; }

 private:
  std::string rule_;
};

/// Writing to a closed pipe: not an error for the user, the tool ends quietly.
class broken_pipe : public std::exception {
 public:
  /// "broken pipe", never shown to the user.
  const char* what() const noexcept override { return "broken pipe"; }
};

}  // namespace kaiin
