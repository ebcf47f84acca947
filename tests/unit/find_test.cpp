// kaiin-find's decisions and stages (spec §12), with literal values.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include "generator.h"
#include "jobs/find/find_lookup.h"
#include "jobs/find/find_output.h"

using namespace kaiin;
using namespace kaiin::detail;
using kaiin::testing::temp_file;

namespace {

// Findings of a stage, kept out of the test's output.
struct quiet_diagnostics {
  int fd = ::open("/dev/null", O_WRONLY);
  output_stream out{fd, "/dev/null"};
  diagnostics diag{out, report_format::text, "kaiin-find"};
  ~quiet_diagnostics() { ::close(fd); }
};

found_order order_at(std::optional<date_time> when, std::uint64_t record) {
  found_order o;
  o.when = when;
  o.record = record;
  return o;
}

const char* members_csv =
    "cus_id,cus_password,crypted_pass,cus_last_name,cus_first_name,cus_email,cus_mobile_email,cus_mailmag,"
    "cus_point,cus_rank,cus_registered\n"
    "1,secret-1,0,山田,太郎,Taro@Example.JP,taro@docomo.ne.jp,1,100,ゴールド,2020/01/01 10:00:00\n"
    "2,secret-2,0,佐藤,花子,hanako@example.jp,,0,0,,2021/01/01 10:00:00\n"
    "3,secret-3,0,伊藤,さくら,sakura@example.jp,,1,0,,2022/01/01 10:00:00\n"
    "4,secret-4,0,伊藤,桜,other@example.jp,Sakura@example.jp,1,0,,2023/01/01 10:00:00\n";

const char* orders_csv =
    "order_id,member_id,email,ordered_at,status,shipping_status,shipped_on,total,used_points\n"
    "A1,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0\n"
    "A2,2,hanako@example.jp,2026/11/03 10:00:00,通常,発送済,2026/11/04,2000,0\n"
    "A3,1,taro@docomo.ne.jp,2026/11/05 10:00:00,通常,未発送,,3000,0\n"
    "A1,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/03,1000,0\n"
    "G1,,ＴＡＲＯ＠example.jp,2026/10/01 09:00:00,通常,発送済,2026/10/02,500,0\n"
    "G2,,stranger@example.jp,2026/10/01 09:00:00,通常,発送済,2026/10/02,500,0\n"
    "A4,3,sakura@example.jp,2026/11/06 10:00:00,注文取消,未発送,,800,0\n";

// The look-up of \p asked in the member and order exports \p members and \p orders,
// one pass over each, as run_find() makes it.
void look_up(lookup& l, const temp_file& members, const temp_file& orders, std::initializer_list<const char*> asked,
             diagnostics& diag) {
  find_options o;
  o.members = members.path;
  o.orders = orders.path;
  for (const char* address : asked) l.ask(address);
  find_members(o, l, diag);
  find_orders(o, l, diag);
}

}  // namespace

TEST_CASE("one member: found; two: ambiguous; none: not found") {
  CHECK(status_of(1) == lookup_status::found);
  CHECK(status_of(2) == lookup_status::ambiguous);
  CHECK(status_of(3) == lookup_status::ambiguous);
  CHECK(status_of(0) == lookup_status::not_found);
  CHECK(status_name(lookup_status::not_found) == "not-found");
  CHECK(status_name(lookup_status::ambiguous) == "ambiguous");
}

TEST_CASE("the exit status: 1 for an ambiguous address, for a missing one unless told, for errors") {
  using s = lookup_status;
  CHECK(find_exit_status({s::found, s::found}, false, false) == 0);
  CHECK(find_exit_status({}, false, false) == 0);
  CHECK(find_exit_status({s::found, s::not_found}, false, false) == 1);
  CHECK(find_exit_status({s::found, s::not_found}, true, false) == 0);
  CHECK(find_exit_status({s::ambiguous}, true, false) == 1);
  CHECK(find_exit_status({s::found}, false, true) == 1);
}

TEST_CASE("an address is compared as spec §4.3 says, and found inside Name <address>") {
  CHECK(asked_key("Taro.Yamada@Example.JP") == "taro.yamada@example.jp");
  CHECK(asked_key("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ") == "taro@example.jp");
  CHECK(asked_key("  taro@example.jp\t") == "taro@example.jp");
  CHECK(asked_key("　taro@example.jp　") == "taro@example.jp");  // ideographic spaces
  CHECK(asked_key("山田 太郎 <Taro@Example.jp>") == "taro@example.jp");
  CHECK(asked_key("\"Yamada, Taro\" < taro@example.jp >") == "taro@example.jp");
  CHECK(asked_key("山田 ＜ｔａｒｏ＠example.jp＞") == "taro@example.jp");  // full-width brackets too
  CHECK(asked_key("taro@example.jp>") == "taro@example.jp>");              // no opening bracket: as it is
  CHECK(asked_key("   ").empty());
  CHECK(address_in("<>").empty());
}

TEST_CASE("each address column says its own subscription") {
  CHECK(subscriptions_of("a@x.jp", "b@y.jp", "1", std::nullopt) == column_subscriptions{true, true});
  CHECK(subscriptions_of("a@x.jp", "b@y.jp", "0", "1") == column_subscriptions{false, true});
  CHECK(subscriptions_of("a@x.jp", "b@y.jp", "1", "0") == column_subscriptions{true, false});
  CHECK(subscriptions_of("a@x.jp", "", "1", std::nullopt) == column_subscriptions{true, false});
  // One address in both columns, subscribed through either flag: both columns say so.
  CHECK(subscriptions_of("a@x.jp", "A@X.JP", "0", "1") == column_subscriptions{true, true});
  CHECK(subscriptions_of("a@x.jp", "a@x.jp", "1", "0") == column_subscriptions{true, true});
}

TEST_CASE("amounts in yen with thousands separators") {
  CHECK(yen("3630") == "3,630");
  CHECK(yen("100") == "100");
  CHECK(yen("1000000") == "1,000,000");
  CHECK(yen("1234.50") == "1,234.50");
  CHECK(yen("") == "");
  CHECK(yen("¥1,000") == "¥1,000");
}

TEST_CASE("orders newest first; an order without a date last; a tie as in the export") {
  const date_time nov1{{2026, 11, 1}, 10}, nov5{{2026, 11, 5}, 9};
  CHECK(newest_first(order_at(nov5, 9), order_at(nov1, 1)));
  CHECK_FALSE(newest_first(order_at(nov1, 1), order_at(nov5, 9)));
  CHECK(newest_first(order_at(nov1, 9), order_at(std::nullopt, 1)));
  CHECK_FALSE(newest_first(order_at(std::nullopt, 1), order_at(nov1, 9)));
  CHECK(newest_first(order_at(nov1, 2), order_at(nov1, 3)));
  CHECK(newest_first(order_at(std::nullopt, 2), order_at(std::nullopt, 3)));
}

TEST_CASE("an address asked twice, however written, is one key and two answers") {
  lookup l;
  CHECK(l.ask("Taro@example.jp"));
  CHECK(l.ask("ｔａｒｏ＠example.jp"));
  CHECK(l.ask("hanako@example.jp"));
  CHECK_FALSE(l.ask(" "));
  REQUIRE(l.asked.size() == 3);
  CHECK(l.keys.size() == 2);
  CHECK(l.asked[0].key == l.asked[1].key);
  CHECK(l.asked[1].given == "ｔａｒｏ＠example.jp");
}

TEST_CASE("one pass over each file: members by either column, their orders and guest orders") {
  temp_file members(members_csv), orders(orders_csv);
  quiet_diagnostics q;
  lookup l;
  look_up(l, members, orders, {"TARO@example.jp", "taro@docomo.ne.jp", "sakura@example.jp", "stranger@example.jp"},
          q.diag);
  CHECK(q.diag.errors() == 0);
  CHECK(l.member_records == 4);
  CHECK(l.order_rows == 7);

  const wanted_key& taro = l.keys[0];
  REQUIRE(taro.members.size() == 1);
  const found_member& m = l.members[taro.members[0]];
  CHECK(m.get(field::member_id) == "1");
  CHECK(m.line == 2);
  CHECK_FALSE(m.has(field::password));  // never kept
  CHECK_FALSE(m.has(field::crypted_pass));
  CHECK(m.get(field::rank) == "ゴールド");
  // The mobile address finds the same member.
  CHECK(l.keys[1].members == taro.members);

  // Member 1's orders by member ID, whatever address they were placed with, and the
  // guest order placed with TARO's address written full-width; newest first.
  std::vector<std::string> ids;
  for (std::uint32_t i : l.orders_of(taro)) ids.push_back(l.orders[i].order_id);
  CHECK(ids == std::vector<std::string>{"A3", "A1", "G1"});
  const found_order& a1 = l.orders[l.orders_of(taro)[1]];
  CHECK(a1.lines == 2);
  CHECK(a1.state() == shipping_state::shipped);
  CHECK(a1.last_shipped == date{2026, 11, 3});
  CHECK(l.orders[l.orders_of(taro)[0]].state() == shipping_state::unshipped);
  CHECK(l.orders[l.orders_of(taro)[2]].guest());

  // Two members hold sakura@: one in the PC column, one in the mobile column.
  CHECK(l.keys[2].members.size() == 2);
  CHECK(status_of(l.keys[2].members.size()) == lookup_status::ambiguous);
  REQUIRE(l.orders_of(l.keys[2]).size() == 1);
  CHECK(l.orders[l.orders_of(l.keys[2])[0]].state() == shipping_state::cancelled);

  // No member, one guest order.
  CHECK(l.keys[3].members.empty());
  CHECK(l.orders_of(l.keys[3]).size() == 1);
  // Orders of members nobody asked about are not kept.
  CHECK(l.orders.size() == 5);
}

TEST_CASE("a row disagreeing with its order's first row is an error naming it") {
  temp_file members(members_csv),
      orders(
          "order_id,member_id,email,ordered_at,status,shipping_status,shipped_on,total,used_points\n"
          "A1,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0\n"
          "A1,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1200,0\n"
          "A2,1,taro@example.jp,2026/13/01,通常,発送済,2026/11/02,1200,0\n");
  quiet_diagnostics q;
  lookup l;
  look_up(l, members, orders, {"taro@example.jp"}, q.diag);
  CHECK(q.diag.errors() == 2);  // line 3 disagrees; line 4's date is no date
  REQUIRE(l.orders.size() == 2);
  CHECK(l.orders[0].total == "1000");  // the first row's
  CHECK_FALSE(l.orders[1].when);
}

TEST_CASE("a member export without an address column cannot answer") {
  temp_file members("cus_id,cus_last_name\n1,山田\n");
  quiet_diagnostics q;
  find_options o;
  o.members = members.path;
  lookup l;
  l.ask("taro@example.jp");
  CHECK_THROWS_AS(find_members(o, l, q.diag), data_error);  // a problem of the data: exit status 1
}

TEST_CASE("an address two members hold: each member's orders go under that member, guest orders after") {
  temp_file members(members_csv),
      orders(
          "order_id,member_id,email,ordered_at,status,shipping_status,shipped_on,total,used_points\n"
          "B1,4,sakura@example.jp,2026/11/07 10:00:00,通常,発送済,2026/11/08,700,0\n"
          "B2,3,sakura@example.jp,2026/11/06 10:00:00,通常,未発送,,800,0\n"
          "B3,,SAKURA@example.jp,2026/11/09 10:00:00,通常,発送済,2026/11/10,900,0\n"
          "B4,3,other@example.jp,2026/11/05 10:00:00,通常,発送済,2026/11/06,600,0\n");
  quiet_diagnostics q;
  lookup l;
  look_up(l, members, orders, {"sakura@example.jp"}, q.diag);
  const wanted_key& k = l.keys[0];
  REQUIRE(k.members.size() == 2);
  const answer a{l.asked[0], k, lookup_status::ambiguous, l.orders_of(k)};
  auto ids = [&](const std::vector<std::uint32_t>& list) {
    std::vector<std::string> out;
    for (std::uint32_t i : list) out.push_back(l.orders[i].order_id);
    return out;
  };
  CHECK(ids(a.orders) == std::vector<std::string>{"B3", "B1", "B2", "B4"});  // the answer's, newest first
  const found_member &third = l.members[k.members[0]], &fourth = l.members[k.members[1]];
  CHECK(third.get(field::member_id) == "3");
  CHECK(ids(member_orders(l, a, third)) == std::vector<std::string>{"B2", "B4"});  // whatever address
  CHECK(ids(member_orders(l, a, fourth)) == std::vector<std::string>{"B1"});
  CHECK(ids(guest_orders(l, a)) == std::vector<std::string>{"B3"});
  // In the text block: B1 in member 4's block, after member 3's two, B3 after both.
  const std::string text = text_block(l, a);
  const std::size_t b2 = text.find("B2"), second = text.find("member ID     4"), b1 = text.find("B1"),
                    guests = text.find("guest orders  1"), b3 = text.find("B3");
  CHECK(b2 < second);
  CHECK(second < b1);
  CHECK(b1 < guests);
  CHECK(guests < b3);
  CHECK(b3 != std::string::npos);
}

TEST_CASE("the text block shows the member, both addresses and the orders, never the password") {
  temp_file members(members_csv), orders(orders_csv);
  quiet_diagnostics q;
  lookup l;
  look_up(l, members, orders, {"TARO@example.jp"}, q.diag);
  const answer a{l.asked[0], l.keys[0], lookup_status::found, l.orders_of(l.keys[0])};
  const std::string text = text_block(l, a);
  CHECK(text ==
        "TARO@example.jp: found\n"
        "  member ID   1\n"
        "  name        山田 太郎\n"
        "  e-mail      Taro@Example.JP (subscribed)  <- the address looked up\n"
        "  mobile      taro@docomo.ne.jp (subscribed)\n"
        "  rank        ゴールド\n"
        "  points      100\n"
        "  registered  2020/01/01 10:00:00\n"
        "  orders      3\n"
        "    2026/11/05 10:00:00  A3  3,000 yen  通常  not shipped         member 1\n"
        "    2026/11/01 10:00:00  A1  1,000 yen  通常  shipped 2026/11/03  member 1\n"
        "    2026/10/01 09:00:00  G1    500 yen  通常  shipped 2026/10/02  guest\n");
  const std::string json = json_answer(l, a);
  CHECK(json.find("\"status\":\"found\"") != std::string::npos);
  CHECK(json.find("\"matched\":\"email\"") != std::string::npos);
  CHECK(json.find("\"order_id\":\"A3\",\"line\":4,\"member_id\":\"1\",\"guest\":false") != std::string::npos);
  for (const std::string& out : {text, json}) {
    CHECK(out.find("secret") == std::string::npos);
    CHECK(out.find("password") == std::string::npos);
    CHECK(out.find("crypted") == std::string::npos);
  }
}
