#pragma once
// The parts of kaiin/csv.h only the library uses: a quoted value's "" made one quote,
// a field appended to a row being written. Private to the library.

#include <string>
#include <string_view>

#include "kaiin/csv.h"

namespace kaiin {

/// Makes each "" of the \p size bytes at \p v one quote, in place; returns the new
/// size.
std::size_t unescape_quotes(char* v, std::size_t size);

/// Appends \p field to \p out as a CSV field: quoted, with quotes doubled, only
/// where needed. For TSV it throws kaiin::error on a TAB, CR or LF.
void append_csv_field(std::string& out, std::string_view field, csv_dialect dialect = {});
/// The same, and with \p escape_formulas a field that looks_like_formula() gets
/// formula_escape before it; true when it did (for the count users are told).
bool append_csv_field(std::string& out, std::string_view field, csv_dialect dialect, bool escape_formulas);

}  // namespace kaiin
