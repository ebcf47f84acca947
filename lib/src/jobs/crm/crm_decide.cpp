#include "jobs/crm/crm_decide.h"

#include <numeric>

namespace kaiin::detail {

std::string_view reason_key(crm_reason r) {
  static constexpr std::array<std::string_view, crm_reason_count> keys = {"",
                                                                          "member-not-subscribed",
                                                                          "guest-no-customer",
                                                                          "unknown-member",
                                                                          "partly-shipped",
                                                                          "unshipped",
                                                                          "cancelled",
                                                                          "returned",
                                                                          "outside-dates",
                                                                          "address-invalid"};
  return keys[static_cast<std::size_t>(r)];
}

crm_reason decide_order(const order_facts& o, const date_window& dates) {
  switch (o.state) {
    case shipping_state::cancelled: return crm_reason::cancelled;
    case shipping_state::returned: return crm_reason::returned;
    case shipping_state::unshipped: return crm_reason::unshipped;
    case shipping_state::partly_shipped: return crm_reason::partly_shipped;
    case shipping_state::shipped: break;
  }
  if (!dates.admits(o.shipped_on)) return crm_reason::outside_dates;
  switch (o.owner) {
    case order_owner::unknown: return crm_reason::unknown_member;
    case order_owner::member:
      return o.has_customer      ? crm_reason::written
             : o.address_invalid ? crm_reason::address_invalid
                                 : crm_reason::member_not_subscribed;
    case order_owner::guest: return o.has_customer ? crm_reason::written : crm_reason::guest_no_customer;
  }
  return crm_reason::written;
}

std::uint64_t crm_account::held_back() const {
  return std::accumulate(orders_by_reason.begin() + 1, orders_by_reason.end(), std::uint64_t{0});
}

bool crm_account::adds_up() const {
  return without_subscription + address_invalid <= members && address_invalid <= addresses_invalid &&
         customers + shared_merged == subscribed() + second_addresses && orders == written + held_back() &&
         written == orders_by_reason[0];
}

}  // namespace kaiin::detail
