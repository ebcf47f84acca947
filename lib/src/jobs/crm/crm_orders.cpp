// kaiin-crm's order side: pass one groups the rows, pass two decides and writes.

#include "jobs/crm/crm_orders.h"

#include <fmt/format.h>
#include <array>

#include "core/text.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"

namespace kaiin::detail {

crm_orders read_orders(const crm_options& o, diagnostics& diag) {
  crm_orders orders;
  orders.in = std::make_unique<order_reader>(o.orders, o.from, o.order_profile, diag, &orders.findings);
  order_reader& in = *orders.in;
  std::vector<order_field> need = {order_field::order_id,   order_field::member_id,  order_field::email,
                                   order_field::ordered_at, order_field::shipped_on, order_field::total};
  const order_profile& p = in.profile();
  if (!p.values(order_value::cancelled).empty() || !p.values(order_value::returned).empty())
    need.push_back(order_field::status);
  for (order_field f : {order_field::shipping_status, order_field::used_points})
    if (p.maps(f)) need.push_back(f);
  orders.readable = in.require(need);
  if (!orders.readable) return orders;
  order_row row;
  while (in.next(row)) {
    ++orders.rows;
    if (!row.usable) continue;
    std::uint32_t i = 0;
    switch (orders.table.add(row, i)) {
      case order_table::added::disagrees:
        orders.disagreements.push_back({i, row.record, row.line, std::string(row.member_id), std::string(row.address()),
                                        std::string(row.ordered_at), std::string(row.total),
                                        std::string(row.used_points)});
        break;
      case order_table::added::too_many_rows:
        orders.findings.push_back(
            {in.name(), row.record, row.line, in.column_name(order_field::order_id), severity::error,
             "order-too-many-rows",
             format_tr("order '{}' has more than 65,535 rows: kaiin counts no more", row.order_id)});
        break;
      default: break;
    }
  }
  return orders;
}

void report_orders(crm_orders& orders, diagnostics& diag) {
  orders.in->collect_into(nullptr);
  for (const finding& f : orders.findings) diag.report(f);
  orders.findings = {};
  report_disagreements(*orders.in, orders.table, orders.disagreements, diag);
  orders.disagreements = {};
}

date_window window_of(const crm_options& o) {
  const date today = o.today ? *o.today : kaiin::today();
  auto resolve = [&](const std::optional<shipped_date>& s) -> std::optional<date> {
    if (!s) return std::nullopt;
    if (!s->yesterday) return s->day;
    date d = today;  // the day before, across the ends of months and years
    if (--d.day == 0) {
      if (--d.month == 0) d.month = 12, --d.year;
      static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
      bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
      d.day = days[d.month - 1] + (d.month == 2 && leap);
    }
    return d;
  };
  return {resolve(o.shipped_on), resolve(o.shipped_since)};
}

namespace {

// Whose an order is and the customer it would go to: a member's order goes to the
// member's customer (PC, else mobile: crm_members::dest), a guest order to the
// customer of its own address.
struct order_target {
  order_owner owner = order_owner::member;
  std::optional<std::uint32_t> member;
  std::uint32_t customer = no_customer;
};

order_target target_of(const order_row& row, const crm_members& members, std::string& key) {
  order_target t;
  if (row.member_id.empty()) {
    t.owner = order_owner::guest;
    email_key(row.address(), key);
    if (auto c = members.customers.find(key)) t.customer = *c;
  } else if ((t.member = members.ids.find(row.member_id))) {
    t.customer = members.dest[*t.member];
  } else {
    t.owner = order_owner::unknown;
  }
  return t;
}

// The order export's names of the fields orders.csv takes, for findings.
using field_names = std::array<std::string, order_field_count>;
field_names names_of(const order_reader& in) {
  field_names names;
  for (std::size_t f = 0; f < order_field_count; ++f) names[f] = in.column_name(static_cast<order_field>(f));
  return names;
}

// One row of orders.csv. A held-back order (--all-orders) has no customer: the
// address written on the order stands in the email column.
void write_order(row_writer& w, const order_reader& in, const field_names& names, const order_row& row,
                 const order_table& table, std::uint32_t i, std::string_view email, crm_reason reason,
                 bool with_reason) {
  auto put = [&](std::string_view v, order_field f) {
    w.text(v, in.name(), row.record, row.line, names[static_cast<std::size_t>(f)]);
  };
  put(email, order_field::email);
  put(row.member_id, order_field::member_id);
  put(row.order_id, order_field::order_id);
  put(row.ordered_at, order_field::ordered_at);
  put(date_text(table.last_shipped(i), row.ordered_at), order_field::shipped_on);
  put(row.total, order_field::total);
  put(row.used_points, order_field::used_points);
  put(std::to_string(table.lines(i)), order_field::order_id);
  if (with_reason) put(reason_key(reason), order_field::order_id);
  w.end();
}

}  // namespace

void decide_orders(crm_orders& orders, const crm_members& members, const crm_options& o, const date_window& dates,
                   row_writer* w, crm_account& account, diagnostics& diag) {
  order_reader& in = *orders.in;
  if (w) {
    for (std::string_view h :
         {"email", "member_id", "order_id", "ordered_at", "shipped_on", "total", "used_points", "lines", "reason"})
      if (h != "reason" || o.all_orders) w->text(h, in.name(), 0, 1, {});
    w->end();
  }
  in.rewind();
  const field_names names = names_of(in);
  order_row row;
  std::string key;
  std::uint32_t next = 0;  // the orders' first rows come in the orders' order: no look-up
  const order_table& table = orders.table;
  auto first_row = [&table](std::uint64_t record) { return table.first_row(record); };
  while (in.next_if(row, first_row)) {
    if (!row.usable) continue;  // decided at its order's first row
    const std::uint32_t i = next++;
    const order_target t = target_of(row, members, key);
    if (t.owner == order_owner::unknown)
      diag.report_view(
          {in.name(), row.record, row.line, in.column_name(order_field::member_id), severity::warning,
           "crm-unknown-member",
           format_tr("member ID '{}' is not in the member export: the order belongs to no customer", row.member_id),
           row.member_id});
    const crm_reason reason =
        decide_order({orders.table.state(i), orders.table.last_shipped(i), t.owner, t.customer != no_customer}, dates);
    ++account.orders_by_reason[static_cast<std::size_t>(reason)];
    if (reason == crm_reason::written && t.member) {  // placed with an address the member no longer has?
      email_key(row.address(), key);
      if (!key.empty() && !members.holds(*t.member, key)) ++account.address_changed;
    }
    const bool held_shipped = reason == crm_reason::member_not_subscribed || reason == crm_reason::guest_no_customer ||
                              reason == crm_reason::unknown_member;
    if (w && reason == crm_reason::written)
      write_order(*w, in, names, row, orders.table, i, members.customers.written(t.customer), reason, o.all_orders);
    else if (w && o.all_orders && held_shipped)
      write_order(*w, in, names, row, orders.table, i, row.address(), reason, true);
  }
  account.orders = orders.table.size();
  account.order_rows = orders.rows;
  account.written = account.orders_by_reason[0];
}

}  // namespace kaiin::detail
