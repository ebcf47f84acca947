#pragma once
// What a member file's header says: its profile, where each field is, which
// columns pass through unchecked. Read once, by the thread that opens the file,
// before any record; the stages then only read it, from any thread. Private to the
// library.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_input.h"
#include "kaiin/diagnostics.h"
#include "members/profile.h"

namespace kaiin::detail {

class upload_header {
 public:
  /// Reads \p in's header (its first record, read already) with profile \p name (a
  /// name or a file; empty: the best of \p profiles), reporting what is wrong with it
  /// (an unknown profile's headers, a second column for a field, an unknown column).
  /// \p profiles must outlive it (the best match is not copied).
  upload_header(const csv_input& in, const std::string& name, const std::vector<profile>& profiles, diagnostics& diag);

  /// False when no record can be checked: the first line is empty, or the profile
  /// knows none of the header's names (both said already).
  bool usable() const { return usable_; }
  const kaiin::profile& profile() const { return *profile_; }
  const column_map& columns() const { return cols_; }
  bool has(field f) const { return cols_[f] >= 0; }
  /// No control column at all: an export, checked as existing members (spec §4).
  bool is_export() const { return !has(field::control); }
  /// The profile has a header for crypted_pass (a platform without one sets the
  /// encryption on its upload screen: no flag rules then).
  bool flag_column_known() const { return flag_column_known_; }
  /// The file's values are CP932 (decoded to UTF-8 by the reader, but for those it
  /// leaves as read: csv_input::decode_fields).
  bool cp932() const { return cp932_; }
  /// Columns no field maps to and no hint was given for: checked for formulas only.
  const std::vector<std::size_t>& unknown_text() const { return unknown_text_; }

  /// Columns in the header.
  std::size_t column_count() const { return names_.size(); }
  /// The file's name in findings.
  const std::string& file() const { return file_; }
  /// The name of column \p i for messages: its header, or "field N".
  std::string column_name(std::size_t i) const;
  /// The column of \p f for a finding, or none when the file lacks it.
  std::optional<std::string> column_of(field f) const;
  /// column_of() as a view into the header, valid as long as it is.
  std::optional<std::string_view> column_view(field f) const {
    if (!has(f)) return std::nullopt;
    return names_[static_cast<std::size_t>(cols_[f])];
  }
  /// column_name(\p i) of a column of the header (\p i < column_count()), as a view.
  std::string_view header_column(std::size_t i) const { return names_[i]; }
  /// A field as the user's file names it: its column's header, else the header the
  /// profile knows for it (never kaiin's internal field name).
  std::string header_name(field f) const;
  /// "cus_zip: " before a message, so the text form names the column.
  std::string prefix(field f) const { return header_name(f) + ": "; }
  /// A finding of the whole file (record 0) on \p line (0: no line).
  finding file_finding(severity s, std::string rule, std::string message, std::uint64_t line = 0) const;

 private:
  void report_columns(const std::vector<std::string>& header, diagnostics& diag);

  std::string file_;
  std::vector<std::string> names_;           // column_name() of each header column
  std::optional<kaiin::profile> named_;      // the profile --profile names
  const kaiin::profile* profile_ = nullptr;  // named_, or the best of the profiles given
  column_map cols_{};
  std::vector<std::size_t> unknown_text_;
  bool usable_ = false, flag_column_known_ = false, cp932_ = false;
};

}  // namespace kaiin::detail
