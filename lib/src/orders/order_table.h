#pragma once
// Order rows grouped by order ID (spec §10) without holding the file, and the
// shipping state of an order from its rows.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "orders/order_reader.h"

namespace kaiin {

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
/// order, its ID (eight bytes while IDs are plain numbers in increasing order, as
/// shops number orders; some fourteen otherwise), whether its rows were
/// shipped, unshipped, cancelled or returned, its last shipping date, its number of
/// rows, and a fingerprint of its order fields (member, address, order date, total,
/// used points) that tells a row disagreeing with the order's first one. Orders are
/// numbered 0, 1, 2, ... in the order of their first rows. The values themselves are
/// not kept: a caller keeps those of the orders it wants (kaiin-crm those of every
/// order's first row, in a temporary file; kaiin-find those of the few it looks up).
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
