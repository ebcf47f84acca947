#pragma once
/// \file
/// Order exports (spec §10), for every tool that reads orders: profiles that map a
/// platform's order headers to kaiin's order fields and say which values mean
/// shipped, cancelled and returned; a reader that turns rows into order_row and
/// reports bad rows with file, line and column; and a table that groups rows by order
/// ID without holding the file, keeping what each order's state needs.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "kaiin/csv_input.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/member_rules.h"
#include "kaiin/text.h"

namespace kaiin {

/// The order fields of spec §10 (in the order of its table), and shipping_fee, which
/// a profile may name to say which of two 送料 columns it means.
enum class order_field {
  order_id,
  member_id,
  email,
  mobile_email,
  ordered_at,
  status,
  shipping_status,
  shipped_on,
  total,
  used_points,
  shipping_fee,
};
/// How many order fields there are.
inline constexpr std::size_t order_field_count = 11;

/// What a status value means to a profile.
enum class order_value { shipped, cancelled, returned };

/// A mapping of an order export's headers to order fields, with the status values
/// that mean shipped, cancelled and returned. Read from a profile file (see load()).
class order_profile {
 public:
  /// Reads an order profile: CSV `field,header,confirmed` like a member profile. A
  /// row maps a header to an order field, or with the field `other` names a column
  /// the platform writes that no order field reads (it counts when the profile is
  /// recognised); `NAME#N` means the N-th column named NAME (for a header that
  /// appears twice). Rows whose field is `shipped` (a value of shipping_status),
  /// `cancelled` or `returned` (values of status) list the values. Throws
  /// kaiin::error naming the line.
  static order_profile load(const std::string& path, std::string name = {});

  /// Its name (kaiin, ec-cube, ...), or the file's name.
  const std::string& name() const { return name_; }
  /// The file it was read from.
  const std::string& path() const { return path_; }
  /// The field that column \p header stands for when it is the \p occurrence-th
  /// column so named (from 1), or nullopt. 項目名:項目ID matches by either part.
  std::optional<order_field> match(std::string_view header, int occurrence = 1) const;
  /// True when the profile names an occurrence of \p header (`送料#1`): it says
  /// which of the columns so named it means.
  bool names_occurrence(std::string_view header) const;
  /// True when the profile knows column \p header (the \p occurrence-th so named):
  /// it maps it to a field, or names it as `other`.
  bool knows(std::string_view header, int occurrence = 1) const;
  /// True when some header of the profile maps to \p f.
  bool maps(order_field f) const;
  /// The first header the profile gives for \p f (for messages).
  std::string header_of(order_field f) const;
  /// True when the profile file marks \p header confirmed from the platform's own
  /// documentation (false for a best reading, or a header it does not know).
  bool confirmed(std::string_view header) const;
  /// True when \p value is one of the profile's values meaning \p what.
  bool means(order_value what, std::string_view value) const;
  /// The values meaning \p what (none when the profile lists none).
  const std::vector<std::string>& values(order_value what) const { return values_[static_cast<int>(what)]; }

 private:
  struct entry {
    std::string header;
    int occurrence;                // 0: any column so named
    std::optional<order_field> f;  // none: `other`, a column no field reads
    bool confirmed;
  };
  const entry* exact(std::string_view header, int occurrence) const;
  const entry* find(std::string_view header, int occurrence) const;
  std::string name_, path_;
  std::vector<entry> headers_;
  // The names of headers_, so that a column the profile does not know (most of a
  // header, in every profile but one) is answered without a walk through headers_:
  // the walk was 14% of the orders fuzz target's time on a grown corpus (perf).
  std::unordered_set<std::string, text_hash, std::equal_to<>> names_;
  std::array<std::vector<std::string>, 3> values_;
};

/// The order profiles shipped with kaiin (data/orders/), kaiin's own first; read once.
const std::vector<order_profile>& builtin_order_profiles();
/// An order profile by name (a shipped one) or by file path; throws kaiin::error
/// listing the names when there is none.
order_profile find_order_profile(const std::string& name_or_path);

/// Where each order field is in a file's header.
struct order_columns {
  std::array<int, order_field_count> index;  ///< column of each field, or -1
  std::size_t matched = 0;                   ///< columns the profile knows (mapped or `other`)
  /// Header names that appear more than once without the profile saying which one
  /// it means, each with the columns (0-based) so named.
  std::vector<std::pair<std::string, std::vector<std::size_t>>> ambiguous;
  /// The column of field \p f, or -1.
  int operator[](order_field f) const { return index[static_cast<std::size_t>(f)]; }
};
/// Maps \p header with \p p (spec §10: a header that appears twice is ambiguous
/// unless the profile names an occurrence of it; empty header cells are no names).
order_columns map_order_columns(const order_profile& p, const std::vector<std::string>& header);
/// The profile that recognises most of \p header (kaiin's own on a tie).
const order_profile& best_order_profile(const std::vector<order_profile>& profiles,
                                        const std::vector<std::string>& header);

/// A date and time, to the second; a value without a time is at 00:00:00.
struct date_time {
  kaiin::date date;                      ///< the day
  int hour = 0, minute = 0, second = 0;  ///< the time of day
  auto operator<=>(const date_time&) const = default;
};
/// `YYYY/MM/DD` or `YYYY-MM-DD`, optionally followed by a space and `HH:MM` or
/// `HH:MM:SS`, that exists on the calendar and the clock.
std::optional<date_time> parse_date_time(std::string_view v);

/// \p d written as the export writes its dates: YYYY-MM-DD when \p like (a date of
/// the same export, such as its order date) has hyphens, else YYYY/MM/DD; empty for
/// none.
std::string date_text(const std::optional<date>& d, std::string_view like);

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
  void report(const order_row& row, order_field f, kaiin::severity s, std::string rule, std::string message);
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

/// An order's shipping state (spec §10), from its rows.
enum class shipping_state { shipped, partly_shipped, unshipped, cancelled, returned };

/// The state of an order whose rows say so much (spec §10): cancelled when a row's
/// status is a cancelled value, else returned when one is a returned value, else
/// shipped when no row is unshipped, partly shipped when some are, unshipped when
/// none is shipped. order_table keeps these four as bits; a job that gathers the
/// rows of a few orders itself (kaiin-find) asks the same function.
shipping_state shipping_state_of(bool any_shipped, bool any_unshipped, bool cancelled, bool returned);
/// "shipped", "partly-shipped", "unshipped", "cancelled", "returned": the state as
/// reports for scripts name it.
std::string_view shipping_state_name(shipping_state s);

/// Rows grouped by order ID without holding the file: the table keeps, for each
/// order, its ID (eight bytes while IDs are plain numbers), whether its rows were
/// shipped, unshipped, cancelled or returned, its last shipping date, its number of
/// rows, and a fingerprint of its order fields (member, address, order date, total,
/// used points) that tells a row disagreeing with the order's first one. Orders are
/// numbered 0, 1, 2, ... in the order of their first rows, which it marks (a bit a
/// row). The values themselves are not kept: a second reading of the file finds
/// them on each order's first row (first_row()), as kaiin-crm does, or a caller keeps
/// those of the orders it wants.
class order_table {
 public:
  /// An empty table.
  order_table();
  /// Frees the table.
  ~order_table();
  /// Takes another table's orders.
  order_table(order_table&&) noexcept;
  /// Takes another table's orders.
  order_table& operator=(order_table&&) noexcept;

  /// What add() found.
  enum class added { first_row, same_order, disagrees, too_many_rows };
  /// Adds a usable \p row to its order, whose number goes to \p order. disagrees:
  /// an order field differs from the order's first row; too_many_rows: the order
  /// has 65,535 rows already (the row is not counted).
  added add(const order_row& row, std::uint32_t& order);
  /// The number of the order with ID \p order_id, or nullopt.
  std::optional<std::uint32_t> find(std::string_view order_id) const;
  /// Orders so far.
  std::size_t size() const;
  /// Order \p i's ID.
  std::string order_id(std::uint32_t i) const;
  /// Order \p i's shipping state, from its rows so far.
  shipping_state state(std::uint32_t i) const;
  /// The latest shipping date of order \p i's shipped rows, if any has one.
  std::optional<date> last_shipped(std::uint32_t i) const;
  /// How many rows order \p i has.
  std::uint32_t lines(std::uint32_t i) const;
  /// True when data record \p record (1: the first) is an order's first row. A
  /// second reading of the file meets the orders' first rows in their order: the
  /// n-th it meets is order n - 1, found without a look-up.
  bool first_row(std::uint64_t record) const;
  /// Makes room for about \p n orders at once.
  void reserve(std::size_t n);
  /// Bytes the table holds.
  std::size_t memory() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A row that disagreed with its order's first row (order_table::add), with the
/// values it holds.
struct order_disagreement {
  std::uint32_t order = 0;             ///< the order's number in the table
  std::uint64_t record = 0, line = 0;  ///< where the row is: data record and physical line
  /// The row's values of the fields an order's rows must agree on.
  std::string member_id, address, ordered_at, total, used_points;
};
/// Reports each disagreement as an error naming both lines, the fields that differ
/// and both values, reading \p in again (from its start) to find each order's first
/// row in \p table.
void report_disagreements(order_reader& in, const order_table& table, const std::vector<order_disagreement>& found,
                          diagnostics& diag);

}  // namespace kaiin
