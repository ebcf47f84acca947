#pragma once
// kaiin-find's look-up (spec §12): the addresses asked, filed by their key (§4.3);
// the members who hold them, found in one pass over the member export; their orders
// and the guest orders placed with them, found in one pass over the order export.
// Memory holds what was asked and what was found, never the files. Private to the
// library.

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"
#include "kaiin/diagnostics.h"
#include "kaiin/find.h"
#include "members/profile.h"
#include "orders/order_table.h"

namespace kaiin::detail {

/// What the answer for one address says.
enum class lookup_status {
  found,      ///< one member holds it
  ambiguous,  ///< two members or more hold it: inbox linkage cannot tell them apart
  not_found,  ///< no member holds it
};
/// The status of an address that \p members members hold.
lookup_status status_of(std::size_t members);
/// "found", "ambiguous", "not-found": as scripts read it.
std::string_view status_name(lookup_status s);
/// The exit status of a run (see run_find): 1 for an ambiguous address, for one not
/// found unless \p quiet_missing, or for errors in the files; else 0.
int find_exit_status(const std::vector<lookup_status>& answers, bool quiet_missing, bool errors);

/// The address in \p text, as people paste it: trimmed, and the part inside the
/// angle brackets of a mail header's `Name <address>`. Applied to an address's key
/// (email_key(), which made full-width brackets half-width already).
std::string_view address_in(std::string_view text);
/// The key an address asked is looked up by: address_in() of its email_key().
std::string asked_key(std::string_view given);

/// Which of a member's address columns receive the mail magazine, shown column by
/// column (kaiin/subscription.h counts one address held twice once; here each column
/// says what its address gets).
struct column_subscriptions {
  bool email = false, mobile_email = false;
  bool operator==(const column_subscriptions&) const = default;
};
column_subscriptions subscriptions_of(std::string_view email, std::string_view mobile_email, std::string_view mailmag,
                                      std::optional<std::string_view> mobile_mailmag);

/// An amount in yen as people read it: 3630 → 3,630 (a decimal part kept); a value
/// that is not an amount as it is.
std::string yen(std::string_view amount);

/// An address as it was asked.
struct asked_address {
  std::string given;      ///< as the user gave it (the answer repeats it)
  std::uint32_t key = 0;  ///< its key's place in lookup::keys
};

/// A member holding an address asked: the member's values, never the password or its
/// flag (they are not kept, so no answer can show them).
struct found_member {
  std::uint64_t record = 0, line = 0;
  std::string email_key, mobile_key;
  std::vector<std::uint32_t> orders;  ///< their orders, by member ID (places in lookup::orders)

  /// Keeps \p value as field \p f's.
  void set(field f, std::string_view value);
  /// Makes room for \p bytes of values at once.
  void reserve(std::size_t bytes) { values_.reserve(bytes); }
  /// Field \p f's value, empty when the export has no such column.
  std::string_view get(field f) const {
    const auto i = static_cast<std::size_t>(f);
    return has(f) ? std::string_view(values_).substr(begin_[i], length_[i]) : std::string_view();
  }
  /// True when the export has a column for \p f.
  bool has(field f) const { return length_[static_cast<std::size_t>(f)] != absent; }

 private:
  // The values one after another: a found member costs its values and some 200 bytes.
  static constexpr std::uint32_t absent = 0xFFFFFFFF;
  std::string values_;
  std::array<std::uint32_t, field_count> begin_{}, length_ = filled(absent);
  static std::array<std::uint32_t, field_count> filled(std::uint32_t v) {
    std::array<std::uint32_t, field_count> a;
    a.fill(v);
    return a;
  }
};

/// An order of a member found, or a guest order placed with an address asked: its
/// first row's values and what all of its rows say.
struct found_order {
  std::string order_id, member_id, email, mobile_email, ordered_at, status, total, used_points;
  std::uint64_t record = 0, line = 0;  ///< its first row
  std::optional<date_time> when;       ///< ordered_at, when it is a date and time
  bool any_shipped = false, any_unshipped = false, cancelled = false, returned = false;
  std::optional<date> last_shipped;
  std::uint32_t lines = 0;
  std::uint32_t fingerprint = 0;  ///< order_fingerprint() of its first row
  shipping_state state() const { return shipping_state_of(any_shipped, any_unshipped, cancelled, returned); }
  bool guest() const { return member_id.empty(); }
};

/// True when order \p a comes before \p b in an answer: newest first by order date
/// (an order whose date is not one last), then as in the export.
bool newest_first(const found_order& a, const found_order& b);

/// One key asked (an address as spec §4.3 compares it), however often and however
/// written it was asked.
struct wanted_key {
  std::string key;
  std::vector<std::uint32_t> members;       ///< places in lookup::members, each member once
  std::vector<std::uint32_t> guest_orders;  ///< places in lookup::orders
};

/// Everything a run asked and found.
struct lookup {
  // Deques: growing never moves what is there, where a vector's growth holds both
  // copies at once (tests/bench/find.py's peak: 34 MiB with vectors, 29 with deques).
  std::deque<asked_address> asked;
  std::deque<wanted_key> keys;
  string_table key_index;  // key -> place in keys
  std::deque<found_member> members;
  std::deque<found_order> orders;
  bool orders_read = false;  ///< an order export was given and read
  std::uint64_t member_records = 0, order_rows = 0;

  /// Files \p given as asked; false (nothing filed) when it holds no address.
  bool ask(std::string given);
  /// The orders of the address of \p k, its members' and its guest orders, newest first.
  std::vector<std::uint32_t> orders_of(const wanted_key& k) const;
};

/// The addresses asked: the arguments (where "-" reads standard input, one a line),
/// then --addresses FILE, one a line or, with --column, a CSV column. Blank lines and
/// cells are passed over; a blank argument is a usage error. Bad bytes in a line are
/// an error naming it, and its address is not asked.
void read_asked(const find_options& options, lookup& l, diagnostics& diag);

/// Pass over the member export: the members holding an address asked, with their
/// values. Throws kaiin::error when the export cannot be read, kaiin::data_error when
/// it is empty or lacks the member ID or e-mail column.
void find_members(const find_options& options, lookup& l, diagnostics& diag);

/// Pass over the order export: the orders of the members found and the guest orders
/// placed with an address asked, their rows gathered. Throws kaiin::error when the
/// export cannot be read; false when it is empty or lacks a column the answers need
/// (findings say which): nothing can be answered.
bool find_orders(const find_options& options, lookup& l, diagnostics& diag);

}  // namespace kaiin::detail
