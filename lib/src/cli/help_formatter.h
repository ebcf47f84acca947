#pragma once
// --help's columns as a terminal shows them (see help_formatter.cpp). Private to the
// library: make_app() gives every program and subcommand this formatter.

#include <CLI/CLI.hpp>

#include <string>

namespace kaiin::cli {

/// CLI11's formatter, with two changes a user sees: the description column starts
/// where the terminal shows it, counting a Japanese character as two columns (CLI11
/// pads by bytes), and an argument shows no C++ type name ("FILE TEXT"): only
/// "..." when it takes several values, and whether it is required.
class help_formatter : public CLI::Formatter {
 public:
  std::string make_option(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
};

}  // namespace kaiin::cli
