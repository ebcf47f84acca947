#pragma once
// The words of CLI11 a user reads, in kaiin's style and the user's language (see
// cli_messages.cpp). Private to the library: make_app() and run_tool() use them.

#include <CLI/CLI.hpp>

#include <string>

namespace kaiin::cli {

/// CLI11's --help in the user's language: its headings ("Usage", "Options", ...)
/// translated, for \p app and its subcommands. make_app() calls it, and run_tool()
/// again once every option and subcommand is there.
void translate_help(CLI::App& app);
/// A usage error in kaiin's words and the user's language: the errors a user meets
/// (an unknown option, a missing value, a value not in the list, a missing
/// subcommand); others in CLI11's own words.
std::string usage_error(const CLI::ParseError& e, const CLI::App& app);

}  // namespace kaiin::cli
