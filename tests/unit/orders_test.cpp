#include "orders/order_table.h"

#include <doctest/doctest.h>

#include "core/compact.h"
#include "generator.h"
#include "kaiin/error.h"

using namespace kaiin;

namespace {

// A usable row of order \p id, shipped or not.
order_row row(std::string_view id, bool shipped, std::optional<date> on = std::nullopt) {
  order_row r;
  r.order_id = id;
  r.member_id = "10001";
  r.email = "taro@example.jp";
  r.ordered_at = "2026/11/01 10:00:00";
  r.total = "3300";
  r.shipped = shipped;
  r.shipped_date = on;
  return r;
}

}  // namespace

TEST_CASE("the shipped order profiles load, kaiin's first, with their values") {
  auto all = builtin_order_profiles();
  REQUIRE(all.size() == 4);
  CHECK(all.front().name() == "kaiin");
  order_profile k = find_order_profile("kaiin");
  CHECK(k.match("order_id") == order_field::order_id);
  CHECK(k.means(order_value::shipped, "発送済"));
  CHECK(k.means(order_value::shipped, "発送済み"));
  CHECK(k.means(order_value::cancelled, "注文取消"));
  CHECK(k.means(order_value::returned, "返品"));
  CHECK_FALSE(k.means(order_value::shipped, "未発送"));
  order_profile e = find_order_profile("eccube");
  CHECK(e.match("注文番号") == order_field::order_id);
  CHECK(e.match("支払合計") == order_field::total);
  CHECK(e.means(order_value::cancelled, "注文取消し"));
  CHECK(e.confirmed("注文番号"));
  CHECK_FALSE(find_order_profile("futureshop").confirmed("受注コード"));  // a best reading
  CHECK(find_order_profile("ebisumart").match("受注番号:ORDER_NO") == order_field::order_id);
  CHECK_THROWS_WITH_AS(find_order_profile("eccub"), doctest::Contains("did you mean 'eccube'"), error);
}

TEST_CASE("EC-CUBE's 70 columns are known and its two 送料 are told apart") {
  order_profile e = find_order_profile("eccube");
  CHECK(e.names_occurrence("送料"));
  CHECK(e.match("送料", 1) == order_field::shipping_fee);
  CHECK_FALSE(e.match("送料", 2));  // the shipment's: known, read by no field
  CHECK(e.knows("送料", 2));
  CHECK(e.knows("出荷伝票番号"));
  std::vector<std::string> header = {"注文番号", "送料", "会員ID", "送料", "発送日"};
  order_columns c = map_order_columns(e, header);
  CHECK(c[order_field::shipping_fee] == 1);
  CHECK(c[order_field::shipped_on] == 4);
  CHECK(c.ambiguous.empty());
  CHECK(c.matched == 5);
}

TEST_CASE("a header twice that the profile does not resolve is ambiguous") {
  order_profile k = find_order_profile("kaiin");
  order_columns c = map_order_columns(k, {"order_id", "total", "email", "total", "", ""});
  REQUIRE(c.ambiguous.size() == 1);  // two empty header cells are no names
  CHECK(c.ambiguous[0].first == "total");
  CHECK(c.ambiguous[0].second == std::vector<std::size_t>{1, 3});
  CHECK(c[order_field::total] == -1);
  CHECK(c[order_field::email] == 2);
}

TEST_CASE("the order profile that knows most headers is chosen") {
  auto all = builtin_order_profiles();
  CHECK(best_order_profile(all, {"order_id", "member_id", "total"}).name() == "kaiin");
  CHECK(best_order_profile(all, {"注文ID", "注文番号", "会員ID", "メールアドレス", "受注日", "送料", "送料"}).name() ==
        "eccube");
  CHECK(best_order_profile(all, {"受注コード", "会員ID", "メールアドレス", "処理状況"}).name() == "futureshop");
}

TEST_CASE("an order profile file: fields, occurrences, values, and its mistakes") {
  testing::temp_file f(
      "field,header,confirmed\norder_id,番号,yes\ntotal,金額#2,no\nother,金額#1,no\nshipped,済,yes\n"
      "cancelled,取消,no\n");
  order_profile p = order_profile::load(f.path);
  CHECK(p.match("番号") == order_field::order_id);
  CHECK(p.match("金額", 2) == order_field::total);
  CHECK_FALSE(p.match("金額", 1));
  CHECK(p.means(order_value::shipped, "済"));
  CHECK(p.values(order_value::returned).empty());
  CHECK(p.header_of(order_field::total) == "金額#2");
  testing::temp_file bad("field,header\norder_idd,番号\n");
  CHECK_THROWS_WITH_AS(order_profile::load(bad.path), doctest::Contains("did you mean 'order_id'"), error);
  testing::temp_file only_values("field,header\nshipped,済\n");
  CHECK_THROWS_AS(order_profile::load(only_values.path), error);
}

TEST_CASE("dates and times of orders") {
  CHECK(parse_date_time("2026/11/20 10:05:09") == date_time{{2026, 11, 20}, 10, 5, 9});
  CHECK(parse_date_time("2026-11-20") == date_time{{2026, 11, 20}});
  CHECK(parse_date_time("2026-11-20 23:59") == date_time{{2026, 11, 20}, 23, 59, 0});
  CHECK_FALSE(parse_date_time("2026/02/30 10:00:00"));
  CHECK_FALSE(parse_date_time("2026/11/20 24:00:00"));
  CHECK_FALSE(parse_date_time("2026/11/20T10:00:00"));
  CHECK_FALSE(parse_date_time("2026/11/20 10:00:0"));
  CHECK_FALSE(parse_date_time("20261120"));
}

TEST_CASE("rows group by order ID into their order's state") {
  order_table t;
  std::uint32_t i = 9;
  CHECK(t.add(row("A", true, date{2026, 11, 2}), i) == order_table::added::first_row);
  CHECK(i == 0);
  CHECK(t.add(row("B", false), i) == order_table::added::first_row);
  CHECK(i == 1);
  CHECK(t.add(row("A", true, date{2026, 11, 5}), i) == order_table::added::same_order);  // not adjacent
  CHECK(i == 0);
  CHECK(t.add(row("B", true, date{2026, 11, 3}), i) == order_table::added::same_order);
  CHECK(t.size() == 2);
  CHECK(t.state(0) == shipping_state::shipped);
  CHECK(t.last_shipped(0) == date{2026, 11, 5});  // the latest of its rows
  CHECK(t.lines(0) == 2);
  CHECK(t.state(1) == shipping_state::partly_shipped);
  CHECK(t.last_shipped(1) == date{2026, 11, 3});
  CHECK(t.find("B") == 1u);
  CHECK_FALSE(t.find("C"));
  CHECK(t.order_id(1) == "B");

  order_row c = row("C", false);
  c.cancelled = true;
  t.add(c, i);
  CHECK(t.state(i) == shipping_state::cancelled);
  order_row r = row("R", true, date{2026, 10, 1});
  r.returned = true;
  t.add(r, i);
  CHECK(t.state(i) == shipping_state::returned);
  t.add(row("U", false), i);
  CHECK(t.state(i) == shipping_state::unshipped);
  CHECK_FALSE(t.last_shipped(i));
}

TEST_CASE("an order's state from what its rows say") {
  // shipping_state_of(any shipped, any unshipped, cancelled, returned)
  CHECK(shipping_state_of(true, false, false, false) == shipping_state::shipped);
  CHECK(shipping_state_of(true, true, false, false) == shipping_state::partly_shipped);
  CHECK(shipping_state_of(false, true, false, false) == shipping_state::unshipped);
  CHECK(shipping_state_of(true, false, true, false) == shipping_state::cancelled);
  CHECK(shipping_state_of(true, false, true, true) == shipping_state::cancelled);  // cancelled first
  CHECK(shipping_state_of(true, false, false, true) == shipping_state::returned);
  CHECK(shipping_state_name(shipping_state::partly_shipped) == "partly-shipped");
  CHECK(shipping_state_name(shipping_state::returned) == "returned");
}

TEST_CASE("a date written as the export writes its dates") {
  CHECK(date_text(date{2026, 11, 2}, "2026/11/01 10:00:00") == "2026/11/02");
  CHECK(date_text(date{2026, 1, 20}, "2026-01-19 10:00:00") == "2026-01-20");
  CHECK(date_text(date{2026, 1, 20}, "") == "2026/01/20");
  CHECK(date_text(std::nullopt, "2026-01-19").empty());
}

TEST_CASE("a row that disagrees with its order's first row is found") {
  order_table t;
  std::uint32_t i = 0;
  t.add(row("A", false), i);
  order_row same = row("A", true);
  same.email = " TARO@example.jp";  // the same address (spec §4.3)
  CHECK(t.add(same, i) == order_table::added::same_order);
  order_row other = row("A", false);
  other.total = "3400";
  CHECK(t.add(other, i) == order_table::added::disagrees);
  order_row member = row("A", false);
  member.member_id = "10002";
  CHECK(t.add(member, i) == order_table::added::disagrees);
  order_row date_row = row("A", false);
  date_row.ordered_at = "2026/11/01 10:00:01";
  CHECK(t.add(date_row, i) == order_table::added::disagrees);
  CHECK(t.lines(0) == 5);  // counted all the same
}

TEST_CASE("the order table keeps an order in under 32 bytes") {
  // kaiin-crm's memory goal: 64 bytes a member plus 32 bytes an order.
  order_table t;
  std::uint32_t i = 0;
  const std::uint32_t n = 200000;
  for (std::uint32_t k = 0; k < n; ++k) {
    std::string id = std::to_string(100000000000ull + k * 7);
    order_row r = row(id, k % 3 != 0, date{2026, 11, 1 + static_cast<int>(k % 28)});
    r.record = k + 1;
    t.add(r, i);
  }
  CHECK(t.size() == n);
  CHECK(t.memory() < 32u * n);
  CHECK(t.memory() > 16u * n);  // the figure is the table's, not a constant
}

TEST_CASE("order IDs: plain numbers in eight bytes, any other ID turns the index into texts") {
  detail::id_index ids;
  CHECK(ids.insert("100000000014") == std::pair<std::uint32_t, bool>{0, true});
  CHECK(ids.insert("7") == std::pair<std::uint32_t, bool>{1, true});
  CHECK(ids.insert("100000000014") == std::pair<std::uint32_t, bool>{0, false});
  CHECK(ids.numeric());
  CHECK_FALSE(ids.find("0100000000014"));  // a leading zero is another ID
  CHECK(ids.insert("007") == std::pair<std::uint32_t, bool>{2, true});
  CHECK_FALSE(ids.numeric());
  CHECK(ids.find("7") == 1u);
  CHECK(ids.find("007") == 2u);
  CHECK(ids.id(0) == "100000000014");
  CHECK(ids.insert("FS-2026-0001").second);
  for (int n = 0; n < 20000; ++n) ids.insert("X" + std::to_string(n));  // grows across chunks
  CHECK(ids.find("X19999") == 20003u);
  CHECK(ids.size() == 20004);
  CHECK(detail::id_index::number_of("999999999999999999") == 999999999999999999ull);
  CHECK_FALSE(detail::id_index::number_of("1000000000000000000"));  // 19 digits: kept as text
}

TEST_CASE("the text arena keeps texts longer than a block") {
  detail::text_arena a;
  std::string big(3 << 20, 'x');
  auto r1 = a.add("short");
  auto r2 = a.add(big);
  auto r3 = a.add("");
  CHECK(a.get(r1) == "short");
  CHECK(a.get(r2) == big);
  CHECK(a.get(r3).empty());
}
