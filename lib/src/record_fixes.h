#pragma once
// kaiin-fix's decisions for one record (spec §13): which of its values the fixes of
// member_fixes.h change, for the rows and columns kaiin-check checks; and how a
// record with changed values is written, every other byte as it was. Private to the
// library.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kaiin/csv.h"
#include "kaiin/encoding.h"
#include "kaiin/member_rules.h"
#include "upload_header.h"

namespace kaiin::detail {

/// One value kaiin-fix changes.
struct value_change {
  std::size_t column;     ///< 0-based, in the record
  std::string_view rule;  ///< the rule the change satisfies (zip-format, ...), or "fold"
  std::string before, after;
  std::string bytes;  ///< after, in the file's encoding
};

/// The corrections of one file's records, as its header maps them.
class record_fixer {
 public:
  /// \p today: the day birthdays must not be after; \p fold: what a Mac types, as
  /// Windows has it, in every column but passwords; \p file_encoding: what changed
  /// values are written in.
  record_fixer(const upload_header& header, date today, bool fold, encoding file_encoding);

  /// The changes \p values (one record's, decoded) need, in column order, into
  /// \p changes (cleared first). A change whose value the file's encoding cannot
  /// hold is not made. Only the rows and columns kaiin-check checks are fixed: a
  /// delete row's other fields are ignored, and passwords are never touched.
  void fix(std::span<const std::string_view> values, std::vector<value_change>& changes) const;

 private:
  const upload_header& header_;
  const date today_;
  const bool fold_;
  const encoding encoding_;
  std::vector<bool> secret_;  // columns holding passwords, by index
};

/// Appends a record read as \p text with \p fields, and its \p newline, to \p out with
/// the fields of \p changes (in column order) replaced by their bytes: quoted where
/// the original field was quoted or where the new value needs quotes; every other
/// byte as it was.
void rewrite_record(std::string_view text, std::string_view newline, std::span<const csv_field> fields,
                    const std::vector<value_change>& changes, std::string& out);
/// The fields of \p text, a record csv_reader read without a structural problem, as
/// csv_reader finds them: kaiin-fix splits again the few records it changes rather
/// than keep the fields of every record it reads.
void split_record(std::string_view text, std::vector<csv_field>& fields);
/// The same for \p r.
inline void rewrite_record(const raw_record& r, const std::vector<value_change>& changes, std::string& out) {
  rewrite_record(r.text, r.newline, r.fields, changes, out);
}

}  // namespace kaiin::detail
