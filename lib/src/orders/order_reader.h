#pragma once
// An order export read row by row (spec §10), each row checked and its findings
// reported with file, line and column.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/csv_input.h"
#include "kaiin/date.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "orders/order_profile.h"

namespace kaiin {

/// One row of an order export as the reader hands it over. The texts are UTF-8 views,
/// valid until the next row.
struct order_row {
  std::uint64_t record = 0;  ///< 1 = first data record
  std::uint64_t line = 0;    ///< physical line it starts on
  /// The order fields' values (spec §10), empty when the export has no such column.
  std::string_view order_id, member_id, email, mobile_email, ordered_at, status, shipping_status, shipped_on, total,
      used_points;
  /// The address the order was placed with: email, else mobile_email.
  std::string_view address() const { return email.empty() ? mobile_email : email; }
  bool shipped = false;                     ///< shipped per the profile (a shipped value, else a shipped_on date)
  bool cancelled = false;                   ///< status is one of the profile's cancelled values
  bool returned = false;                    ///< status is one of its returned values
  std::optional<kaiin::date> shipped_date;  ///< shipped_on as a date
  /// False for a row that cannot be grouped (its structure or its order ID is bad);
  /// the reader reported why.
  bool usable = true;
};

/// Reads an order export row by row, checking each (spec §10): the columns the
/// caller needs, an order ID on every row, dates that are dates, totals and points
/// that are numbers, addresses (§4.3, as warnings: an order's address never decides
/// where a member's order goes). Findings go to the diagnostics given; encoding and
/// CSV problems are csv_input's.
class order_reader {
 public:
  /// Opens \p path ("-": standard input, copied so that it can be read twice) and
  /// reads its header; \p profile is --order-profile (a name or a file), or empty to
  /// recognise it from the header. Throws kaiin::error when the file cannot be read
  /// or the profile cannot be loaded.
  /// \p collect: findings go there instead of to \p diag, from the header on (a
  /// reading thread of its own hands them over when it is done).
  order_reader(const std::string& path, source_encoding from, const std::string& profile, diagnostics& diag,
               std::vector<finding>* collect = nullptr);
  /// Closes the file.
  ~order_reader();
  /// Collects findings in \p out from here on; nullptr reports them again.
  void collect_into(std::vector<finding>* out);

  /// Reports, as one error finding on line 1 each, the columns of \p fields the
  /// header lacks and the header names it holds twice that the profile does not
  /// resolve; true when there is none, and the rows can be read.
  bool require(const std::vector<order_field>& fields);
  /// Reads the next row; false at the end. \p check: report the row's problems (a
  /// second reading of the file passes false).
  bool next(order_row& row, bool check = true);
  /// A second reading: the next row, its fields decoded only when \p wanted says so
  /// of its record number (a row not wanted comes back with no values and usable
  /// false). Nothing is reported.
  bool next_if(order_row& row, const std::function<bool(std::uint64_t record)>& wanted);
  /// Reads the file again from its first row.
  void rewind();

  /// The profile the header was read with.
  const order_profile& profile() const { return profile_; }
  /// Where each field is in the header.
  const order_columns& columns() const { return columns_; }
  /// The CSV input under the reader.
  csv_input& input() { return *in_; }
  /// The file's name, or "<stdin>".
  const std::string& name() const { return in_->name(); }
  /// The header's name of field \p f, for findings.
  std::string column_name(order_field f) const;
  /// True when the file holds no header at all.
  bool empty() const { return empty_; }

 private:
  std::string_view field(order_field f);
  bool fill(order_row& row, bool check);  // the current record's values
  void check(order_row& row);
  // A finding of field \p f of \p row, whose value is \p value.
  void report(const order_row& row, order_field f, std::string_view value, kaiin::severity s, std::string rule,
              std::string message);
  void emit(finding f) { collect_ ? collect_->push_back(std::move(f)) : diag_.report(f); }

  diagnostics& diag_;
  std::vector<finding>* collect_ = nullptr;
  std::unique_ptr<csv_input> in_;
  order_profile profile_;
  order_columns columns_{};
  raw_record record_;
  record_values all_;  // every field, for a row whose bytes are bad
  bool use_all_ = false;
  std::array<std::string, order_field_count> buffers_;
  bool empty_ = false;
};

}  // namespace kaiin
