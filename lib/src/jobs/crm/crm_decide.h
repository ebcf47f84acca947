#pragma once
// kaiin-crm's decisions (spec §11) as pure functions, tested with literal values in
// tests/unit/crm_test.cpp: where an order goes or why it is held back, which member
// keeps an address two hold, and the account that must add up. Private to the library.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "members/member_rules.h"
#include "orders/order_table.h"

namespace kaiin::detail {

/// What becomes of an order: written, or the one reason it is held back.
enum class crm_reason : std::uint8_t {
  written,
  member_not_subscribed,
  guest_no_customer,
  unknown_member,
  partly_shipped,
  unshipped,
  cancelled,
  returned,
  outside_dates,
  address_invalid,  ///< a member's order whose subscribed addresses are none of them an address
};
inline constexpr std::size_t crm_reason_count = 10;
/// "member-not-subscribed": the key of --report json's held_back and of the reason
/// column (empty for written).
std::string_view reason_key(crm_reason r);

/// Whose an order is.
enum class order_owner {
  member,   ///< its member ID is a member of the export
  guest,    ///< it has no member ID
  unknown,  ///< its member ID is not in the export
};

/// What decides an order.
struct order_facts {
  shipping_state state = shipping_state::unshipped;
  std::optional<date> shipped_on;  ///< its last shipment
  order_owner owner = order_owner::member;
  /// A member's order: the member has a subscribed address. A guest order: its
  /// address is a customer's.
  bool has_customer = false;
  /// A member's order: the member's subscribed addresses were held back, none of
  /// them an address (spec §4.3).
  bool address_invalid = false;
};

/// The shipping dates an order must have to travel (--shipped-on, --shipped-since);
/// none: every date, and no date.
struct date_window {
  std::optional<date> on, since;
  bool admits(const std::optional<date>& d) const {
    if (on) return d && *d == *on;
    if (since) return d && *d >= *since;
    return true;
  }
};

/// Where an order goes (spec §11): its shipping state first (cancelled, returned,
/// unshipped, partly shipped), then the dates, then whose it is. One reason an order.
crm_reason decide_order(const order_facts& order, const date_window& dates);

/// Which address of a member its orders go to: the PC address when it is subscribed,
/// else the mobile address when that is.
enum class order_address { none, pc, mobile };
inline order_address destination(bool pc_subscribed, bool mobile_subscribed) {
  return pc_subscribed ? order_address::pc : mobile_subscribed ? order_address::mobile : order_address::none;
}

/// A member holding an address with others, as --shared-address keep-latest weighs
/// them: its last update (else its registration) as YYYYMMDDhhmmss, 0 when it has
/// neither, and its place in the export.
struct holder {
  std::uint64_t updated = 0;
  std::uint32_t member = 0;
};
/// True when \p a keeps the address rather than \p b: the later update, and on a tie
/// the member later in the export (the newer one).
inline bool keeps_rather(const holder& a, const holder& b) {
  return a.updated != b.updated ? a.updated > b.updated : a.member > b.member;
}

/// The account of a run (spec §11): every member in exactly one line of the member
/// side, every order in exactly one of written or a reason held back.
struct crm_account {
  // members = without a subscribed address + no subscribed address that is one + subscribed
  std::uint64_t members = 0, without_subscription = 0, address_invalid = 0;
  std::uint64_t second_addresses = 0, shared_merged = 0, customers = 0;
  std::uint64_t addresses_invalid = 0;  // subscribed addresses held back, none of them an address
  std::uint64_t order_rows = 0, orders = 0, written = 0, address_changed = 0;
  std::array<std::uint64_t, crm_reason_count> orders_by_reason{};  // [written] is written
  std::uint64_t subscribed() const { return members - without_subscription - address_invalid; }
  std::uint64_t held_back() const;
  /// customers = subscribed members + second addresses - shared addresses merged,
  /// and orders = written + held back.
  bool adds_up() const;
};

}  // namespace kaiin::detail
