#pragma once
// The names a report gives the standard streams, "<stdin>" and "<stdout>": kept as
// they are where a script reads them (the JSON and CSV reports), and in the user's
// language where a person does (a text report, its summary, an error).

#include <string>
#include <string_view>

namespace kaiin {

/// \p name as a person reads it: 標準入力 for "<stdin>" and 標準出力 for "<stdout>"
/// under a Japanese locale, any other name as it is. Views a static string or \p name.
std::string_view shown_name(std::string_view name);
/// \p text with each "<stdin>" and "<stdout>" in it shown as shown_name() shows it
/// (a summary value lists several files: "a.csv <stdin>").
std::string with_shown_names(std::string text);

}  // namespace kaiin
