// kaiin-find's two passes: the member export, then the order export, each read once
// whatever the number of addresses asked (a hash of them, looked up row by row).

#include <fmt/format.h>

#include "core/csv_input.h"
#include "jobs/find/find_lookup.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/member_fields.h"
#include "orders/order_fields.h"

namespace kaiin::detail {

namespace {

// The member's values an answer may show: every field but the control value, the
// password and its flag, which are never even kept.
bool shown(field f) { return f != field::control && f != field::password && f != field::crypted_pass; }

found_member member_of(const raw_record& r, const column_map& cols, member_fields& f) {
  found_member m;
  m.record = r.number;
  m.line = r.line;
  std::array<std::string_view, field_count> values{};
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < field_count; ++i)
    if (shown(static_cast<field>(i)) && cols[static_cast<field>(i)] >= 0)
      bytes += (values[i] = f.get(static_cast<field>(i))).size();
  m.reserve(bytes);  // ten thousand members found: their values once, not twice the room
  for (std::size_t i = 0; i < field_count; ++i)
    if (shown(static_cast<field>(i)) && cols[static_cast<field>(i)] >= 0) m.set(static_cast<field>(i), values[i]);
  m.email_key = email_key(m.get(field::email));
  m.mobile_key = email_key(m.get(field::mobile_email));
  return m;
}

}  // namespace

void find_members(const find_options& o, lookup& l, diagnostics& diag) {
  csv_input in(o.members, o.from, diag, is_password_header);
  raw_record r;
  if (!in.next(r)) throw data_error("file-empty", _("the member export is empty: it has no header"), in.name());
  const member_columns found = read_columns(o.profile, in.header());
  require_columns(found, in.name(), {field::member_id, field::email});
  const column_map& cols = found.columns;
  member_fields f(in, cols);
  std::string pc_key, mobile_key;
  // The hot loop: two fields decoded and keyed a member, two look-ups in a table of
  // the addresses asked; a member is decoded whole only when it holds one.
  while (in.next(r)) {
    ++l.member_records;
    if (r.malformed()) continue;  // reported by csv_input; its values are not where they belong
    f.load(r);
    email_key(f.get(field::email), pc_key);
    email_key(f.get(field::mobile_email), mobile_key);
    const std::uint32_t* pc = pc_key.empty() ? nullptr : l.key_index.find(pc_key);
    const std::uint32_t* mobile = mobile_key.empty() ? nullptr : l.key_index.find(mobile_key);
    if (!pc && !mobile) continue;
    const auto m = static_cast<std::uint32_t>(l.members.size());
    l.members.push_back(member_of(r, cols, f));
    if (pc) l.keys[*pc].members.push_back(m);
    if (mobile && (!pc || *mobile != *pc)) l.keys[*mobile].members.push_back(m);  // one address twice: once
  }
}

namespace {

// The members found, by member ID (an ID on two rows of the export: both).
struct members_by_id {
  string_table ids;
  std::vector<std::vector<std::uint32_t>> members;
  explicit members_by_id(const lookup& l) {
    for (std::uint32_t m = 0; m < l.members.size(); ++m) {
      std::string_view id = l.members[m].get(field::member_id);
      if (id.empty()) continue;
      const auto next = static_cast<std::uint32_t>(members.size());
      const std::uint32_t i = ids.insert(id, next);
      if (i == next) members.emplace_back();
      members[i].push_back(m);
    }
  }
  const std::vector<std::uint32_t>* find(std::string_view id) const {
    const std::uint32_t* i = ids.size() ? ids.find(id) : nullptr;
    return i ? &members[*i] : nullptr;
  }
};

// Whose a row is, among what was asked: a member found (by the row's member ID), or
// for a guest row (no member ID) the keys of its addresses.
struct row_owner {
  const std::vector<std::uint32_t>* members = nullptr;
  const std::uint32_t* guest_key = nullptr;
  const std::uint32_t* guest_mobile_key = nullptr;
  bool any() const { return members || guest_key || guest_mobile_key; }
};

found_order order_of(const order_row& row) {
  found_order o;
  o.order_id = row.order_id;
  o.member_id = row.member_id;
  o.email = row.email;
  o.mobile_email = row.mobile_email;
  o.ordered_at = row.ordered_at;
  o.status = row.status;
  o.total = row.total;
  o.used_points = row.used_points;
  o.record = row.record;
  o.line = row.line;
  o.when = parse_date_time(row.ordered_at);
  o.fingerprint = order_fingerprint(row);
  return o;
}

void add_row(found_order& o, const order_row& row) {
  ++o.lines;
  (row.shipped ? o.any_shipped : o.any_unshipped) = true;
  o.cancelled |= row.cancelled;
  o.returned |= row.returned;
  if (row.shipped && row.shipped_date && (!o.last_shipped || *o.last_shipped < *row.shipped_date))
    o.last_shipped = row.shipped_date;
}

// The columns the answers need: how to tell an order, whose it is, when, how much,
// and whether it is shipped, cancelled or returned, as the profile tells these.
std::vector<order_field> needed_columns(const order_profile& p) {
  std::vector<order_field> need = {order_field::order_id, order_field::member_id, order_field::email,
                                   order_field::ordered_at, order_field::total};
  need.push_back(p.maps(order_field::shipping_status) ? order_field::shipping_status : order_field::shipped_on);
  if (!p.values(order_value::cancelled).empty() || !p.values(order_value::returned).empty())
    need.push_back(order_field::status);
  return need;
}

}  // namespace

bool find_orders(const find_options& o, lookup& l, diagnostics& diag) {
  order_reader in(o.orders, o.from, o.order_profile, diag);
  if (!in.require(needed_columns(in.profile()))) return false;  // the findings say what is missing
  l.orders_read = true;
  const members_by_id by_id(l);
  string_table order_index;  // order ID -> place in l.orders, for the orders found only
  std::string key, mobile_key;
  order_row row;
  // Rows are checked as far as the answers read them: bad bytes in the fields read,
  // and for the rows of orders found, the order date and the rows' agreement.
  while (in.next(row, false)) {
    ++l.order_rows;
    row_owner owner;
    if (!row.member_id.empty()) {
      owner.members = by_id.find(row.member_id);
    } else {
      email_key(row.email, key);
      email_key(row.mobile_email, mobile_key);
      if (!key.empty()) owner.guest_key = l.key_index.find(key);
      if (!mobile_key.empty() && mobile_key != key) owner.guest_mobile_key = l.key_index.find(mobile_key);
    }
    if (!owner.any()) continue;
    if (!row.usable) {
      if (row.order_id.empty())
        diag.report({in.name(), row.record, row.line, in.column_name(order_field::order_id), severity::error,
                     "order-id-empty", _("the row has no order ID: it cannot be grouped with its order")});
      continue;
    }
    const auto next = static_cast<std::uint32_t>(l.orders.size());
    const std::uint32_t i = order_index.insert(row.order_id, next);
    if (i == next) {
      l.orders.push_back(order_of(row));
      if (owner.members)
        for (std::uint32_t m : *owner.members) l.members[m].orders.push_back(i);
      if (owner.guest_key) l.keys[*owner.guest_key].guest_orders.push_back(i);
      if (owner.guest_mobile_key) l.keys[*owner.guest_mobile_key].guest_orders.push_back(i);
      if (row.ordered_at.empty())
        diag.report({in.name(), row.record, row.line, in.column_name(order_field::ordered_at), severity::error,
                     "order-date", _("the order date is empty")});
      else if (!l.orders.back().when)
        diag.report({in.name(), row.record, row.line, in.column_name(order_field::ordered_at), severity::error,
                     "order-date",
                     format_tr("order date '{}' is not a date and time written YYYY/MM/DD HH:MM:SS", row.ordered_at)});
    } else if (order_fingerprint(row) != l.orders[i].fingerprint) {
      diag.report({in.name(), row.record, row.line, std::nullopt, severity::error, "order-rows-disagree",
                   format_tr("this row of order '{}' differs from its first row (line {}) in the member, the address, "
                             "the order date, the total or the used points: the answer shows the first row's",
                             row.order_id, l.orders[i].line)});
    }
    add_row(l.orders[i], row);
  }
  return true;
}

}  // namespace kaiin::detail
