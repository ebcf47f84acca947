#pragma once
// The parts of kaiin/profile.h only the library uses: the profile and columns of a
// member file as a job reads it, the password check of an output, and every field
// name for hints. Private to the library.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "members/profile.h"

namespace kaiin {

/// Every field name, for hints.
std::vector<std::string> field_names();

/// A file's profile and columns: \p name (--profile, a name or a file) or, when it
/// is empty, the shipped profile that recognises most of \p header.
struct member_columns {
  kaiin::profile profile;  ///< the profile chosen
  column_map columns;      ///< the header as it reads it
};
/// Chooses the profile and maps \p header with it; throws kaiin::error for an
/// unknown --profile.
member_columns read_columns(const std::string& name, const std::vector<std::string>& header);
/// True when one of \p header's columns is the password (cus_password, パスワード, ...)
/// to a shipped profile or to profile \p name: an output that copies such a file's
/// values holds passwords, plaintext or encrypted, and is written owner-only (spec
/// §4.2).
bool holds_passwords(const std::vector<std::string>& header, const std::string& name = {});
/// True when a shipped profile reads a column named \p header_name as passwords: the
/// test every member file is opened with (csv_input's secret_column_test).
bool is_password_header(std::string_view header_name);
/// Throws kaiin::data_error (header-missing) naming the header the profile expects
/// when one of \p fields has no column in \p file; \p why ends the message (": it is the key of ...").
void require_columns(const member_columns& m, const std::string& file, std::initializer_list<field> fields,
                     std::string_view why = {});

}  // namespace kaiin
