#pragma once
// How kaiin-fix writes a record it changed (spec §13): only the changed fields, in the
// file's encoding and quoted as they were, every other byte as it was. Private to the
// library.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "checker/check_pipeline.h"
#include "kaiin/csv.h"
#include "kaiin/encoding.h"

namespace kaiin::detail {

/// \p value (UTF-8) in \p file_encoding into \p bytes; false when the encoding has no
/// code for one of its characters (the change is then not made).
bool encode_value(std::string_view value, encoding file_encoding, std::string& bytes);

/// The fields of \p text, a record csv_reader read without a structural problem, as
/// csv_reader finds them: kaiin-fix splits again the few records it changes rather
/// than keep the fields of every record it reads.
void split_record(std::string_view text, std::vector<csv_field>& fields, csv_dialect dialect = {});

/// Appends a record read as \p text with \p fields, and its \p newline, to \p out with
/// the fields of \p changes (in column order, one a column) replaced by their bytes:
/// quoted where the original field was quoted or where the new value needs quotes in
/// \p dialect; every other byte as it was. A change of a column past the record's last
/// field adds that field at the end (changes are one a column, from the next one on).
void rewrite_record(std::string_view text, std::string_view newline, std::span<const csv_field> fields,
                    std::span<const value_change* const> changes, std::string& out, csv_dialect dialect = {});

}  // namespace kaiin::detail
