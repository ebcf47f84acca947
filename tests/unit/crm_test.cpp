// kaiin-crm's decisions (spec §11), one literal case each.

#include <doctest/doctest.h>

#include "jobs/crm/crm_decide.h"
#include "kaiin/crm.h"
#include "members/merge.h"
#include "members/subscription.h"

using namespace kaiin;
using namespace kaiin::detail;

namespace {

const date nov29{2026, 11, 29};
const date nov28{2026, 11, 28};

order_facts shipped_order(order_owner owner, bool has_customer, std::optional<date> on = nov29) {
  return {shipping_state::shipped, on, owner, has_customer};
}

}  // namespace

TEST_CASE("a member's shipped order goes to the member's customer") {
  CHECK(decide_order(shipped_order(order_owner::member, true), {}) == crm_reason::written);
}

TEST_CASE("a member without a subscribed address has no customer: held back") {
  CHECK(decide_order(shipped_order(order_owner::member, false), {}) == crm_reason::member_not_subscribed);
}

TEST_CASE("a member whose subscribed addresses are no addresses: held back as address-invalid") {
  order_facts o = shipped_order(order_owner::member, false);
  o.address_invalid = true;
  CHECK(decide_order(o, {}) == crm_reason::address_invalid);
  CHECK(reason_key(crm_reason::address_invalid) == "address-invalid");
  o.has_customer = true;  // another of their addresses is one: the order goes there
  CHECK(decide_order(o, {}) == crm_reason::written);
}

TEST_CASE("a guest order goes to its own address when that is a customer") {
  CHECK(decide_order(shipped_order(order_owner::guest, true), {}) == crm_reason::written);
  CHECK(decide_order(shipped_order(order_owner::guest, false), {}) == crm_reason::guest_no_customer);
}

TEST_CASE("a member ID not in the export: unknown member") {
  CHECK(decide_order(shipped_order(order_owner::unknown, false), {}) == crm_reason::unknown_member);
}

TEST_CASE("partly shipped, unshipped, cancelled and returned orders are held back whoever's they are") {
  for (order_owner owner : {order_owner::member, order_owner::guest, order_owner::unknown}) {
    CHECK(decide_order({shipping_state::partly_shipped, nov28, owner, true}, {}) == crm_reason::partly_shipped);
    CHECK(decide_order({shipping_state::unshipped, std::nullopt, owner, true}, {}) == crm_reason::unshipped);
    CHECK(decide_order({shipping_state::cancelled, std::nullopt, owner, true}, {}) == crm_reason::cancelled);
    CHECK(decide_order({shipping_state::returned, nov28, owner, true}, {}) == crm_reason::returned);
  }
}

TEST_CASE("the nightly run: only orders whose last shipment is in the window") {
  date_window on{nov29, std::nullopt};
  CHECK(decide_order(shipped_order(order_owner::member, true, nov29), on) == crm_reason::written);
  CHECK(decide_order(shipped_order(order_owner::member, true, nov28), on) == crm_reason::outside_dates);
  CHECK(decide_order(shipped_order(order_owner::member, true, std::nullopt), on) == crm_reason::outside_dates);
  date_window since{std::nullopt, nov28};
  CHECK(decide_order(shipped_order(order_owner::guest, true, nov29), since) == crm_reason::written);
  CHECK(decide_order(shipped_order(order_owner::guest, true, date{2026, 11, 27}), since) == crm_reason::outside_dates);
  // Outside the dates comes before whose it is; the shipping state before the dates.
  CHECK(decide_order(shipped_order(order_owner::unknown, false, nov28), on) == crm_reason::outside_dates);
  CHECK(decide_order({shipping_state::partly_shipped, nov28, order_owner::member, true}, on) ==
        crm_reason::partly_shipped);
  // Without dates, a shipped order without a shipping date travels.
  CHECK(decide_order(shipped_order(order_owner::member, true, std::nullopt), {}) == crm_reason::written);
}

TEST_CASE("the reasons' keys are those of --report json and the reason column") {
  CHECK(reason_key(crm_reason::written).empty());
  CHECK(reason_key(crm_reason::member_not_subscribed) == "member-not-subscribed");
  CHECK(reason_key(crm_reason::guest_no_customer) == "guest-no-customer");
  CHECK(reason_key(crm_reason::unknown_member) == "unknown-member");
  CHECK(reason_key(crm_reason::partly_shipped) == "partly-shipped");
  CHECK(reason_key(crm_reason::outside_dates) == "outside-dates");
}

TEST_CASE("a member's orders go to the PC address when subscribed, else to the mobile one") {
  CHECK(destination(true, true) == order_address::pc);
  CHECK(destination(true, false) == order_address::pc);
  CHECK(destination(false, true) == order_address::mobile);
  CHECK(destination(false, false) == order_address::none);
}

TEST_CASE("which addresses of a member receive the mail magazine") {
  using s = subscribed_addresses;
  CHECK(subscribed("a@x.jp", "m@y.jp", "1", std::nullopt) == s{true, true});  // mailmag holds for both
  CHECK(subscribed("a@x.jp", "m@y.jp", "0", std::nullopt) == s{false, false});
  CHECK(subscribed("a@x.jp", "m@y.jp", "1", "0") == s{true, false});  // mobile_mailmag decides the mobile one
  CHECK(subscribed("a@x.jp", "m@y.jp", "0", "1") == s{false, true});
  CHECK(subscribed("a@x.jp", "", "1", "1") == s{true, false});
  CHECK(subscribed("", "m@y.jp", "1", std::nullopt) == s{false, true});
  CHECK(subscribed("a@x.jp", "m@y.jp", "", std::nullopt) == s{false, false});  // empty: not subscribed
  CHECK(subscribed("a@x.jp", "m@y.jp", "yes", std::nullopt) == s{false, false});
  // One address in both columns is one address.
  CHECK(subscribed("A@x.jp", "a@x.jp ", "1", std::nullopt) == s{true, false});
  CHECK(subscribed("a@x.jp", "a@x.jp", "0", "1") == s{false, true});
}

TEST_CASE("keep-latest: the member updated last keeps the address, the later one on a tie") {
  CHECK(activity_of("2024/03/01 10:00:00") == 20240301100000ull);
  CHECK(activity_of("2024-03-01") == 20240301000000ull);
  CHECK(activity_of("2024/03/01 10:00") == 20240301100000ull);
  CHECK(activity_of("yesterday") == 0);
  CHECK(activity_of("") == 0);
  CHECK(keeps_rather({20240301100000ull, 1}, {20230101000000ull, 2}));
  CHECK_FALSE(keeps_rather({20230101000000ull, 2}, {20240301100000ull, 1}));
  CHECK(keeps_rather({20240301100000ull, 5}, {20240301100000ull, 3}));  // a tie: the later member
  CHECK(keeps_rather({1, 0}, {0, 9}));                                  // a date beats none
}

TEST_CASE("the account adds up") {
  crm_account a;
  a.members = 10;
  a.without_subscription = 3;
  a.second_addresses = 2;
  a.shared_merged = 1;
  a.customers = 8;  // 7 subscribed + 2 second - 1 merged
  a.orders = 6;
  a.orders_by_reason[static_cast<std::size_t>(crm_reason::written)] = 3;
  a.written = 3;
  a.orders_by_reason[static_cast<std::size_t>(crm_reason::unshipped)] = 2;
  a.orders_by_reason[static_cast<std::size_t>(crm_reason::guest_no_customer)] = 1;
  CHECK(a.subscribed() == 7);
  CHECK(a.held_back() == 3);
  CHECK(a.adds_up());
  a.customers = 9;
  CHECK_FALSE(a.adds_up());
  a.customers = 8;
  a.orders = 7;
  CHECK_FALSE(a.adds_up());
  a.orders = 6;
  // A member whose subscribed addresses were all held back is no subscribed member.
  a.address_invalid = 1;
  a.addresses_invalid = 2;  // theirs, and another member's second address
  CHECK(a.subscribed() == 6);
  CHECK_FALSE(a.adds_up());
  a.customers = 7;
  CHECK(a.adds_up());
  a.addresses_invalid = 0;  // a member held back for no address held back
  CHECK_FALSE(a.adds_up());
}

TEST_CASE("the default lock is beside the output folder") {
  CHECK(default_crm_lock("out") == "out.lock");
  CHECK(default_crm_lock("/srv/crm/today/") == "/srv/crm/today.lock");
  CHECK(default_crm_lock(".").ends_with(".lock"));
  CHECK(default_crm_lock(".") != "..lock");
  CHECK(default_crm_lock("/") == "/kaiin-crm.lock");
}
