// Order rows grouped by order ID (spec §10), in about 24 bytes an order.

#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "core/compact.h"
#include "core/text.h"
#include "kaiin/i18n.h"
#include "orders/order_fields.h"
#include "orders/order_table.h"

namespace kaiin {

namespace {
enum : std::uint8_t {
  any_shipped = 1,    // a row of the order is shipped
  any_unshipped = 2,  // a row is not
  is_cancelled = 4,
  is_returned = 8,
};
}  // namespace

struct order_table::impl {
  detail::ordered_id_index ids;  // eight bytes an order while exports number them in order
  // The order of the row before: the rows of an order mostly come one after
  // another, and then need no look-up (a third of the benchmark's look-ups).
  std::string last_id;
  std::uint32_t last = 0;
  detail::chunked<std::uint32_t> fingerprints;
  detail::chunked<std::uint16_t> last_shipped;  // days from 1970-01-01, plus one; 0: none
  detail::chunked<std::uint16_t> lines;
  detail::chunked<std::uint8_t> flags;
};

order_table::order_table() : impl_(std::make_unique<impl>()) {}
order_table::~order_table() = default;
order_table::order_table(order_table&&) noexcept = default;
order_table& order_table::operator=(order_table&&) noexcept = default;

std::uint32_t order_fingerprint(const order_row& row) {
  thread_local std::string text, key;
  email_key(row.address(), key);
  text.clear();
  for (std::string_view part : {row.member_id, std::string_view(key), row.ordered_at, row.total, row.used_points}) {
    text.append(part);
    text.push_back('\x1F');  // a unit separator: no value of these holds one
  }
  return string_table::hash(text);
}

order_table::added order_table::add(const order_row& row, std::uint32_t& order) {
  impl& t = *impl_;
  std::uint32_t i = t.last;
  bool fresh = false;
  if (t.ids.size() == 0 || row.order_id != t.last_id) {
    std::tie(i, fresh) = t.ids.insert(row.order_id);
    t.last_id.assign(row.order_id);
    t.last = i;
  }
  order = i;
  const std::uint32_t fingerprint = order_fingerprint(row);
  if (fresh) {
    t.fingerprints.push_back(fingerprint);
    t.last_shipped.push_back(0);
    t.lines.push_back(0);
    t.flags.push_back(0);
  }
  if (t.lines[i] == 0xFFFF) return added::too_many_rows;
  ++t.lines[i];
  std::uint8_t& f = t.flags[i];
  f |= row.shipped ? any_shipped : any_unshipped;
  if (row.cancelled) f |= is_cancelled;
  if (row.returned) f |= is_returned;
  if (row.shipped && row.shipped_date) {
    // The reader hands over dates from 1970 to 2149 only.
    long days = std::clamp(days_since_epoch(*row.shipped_date), 0L, 0xFFFEL);
    t.last_shipped[i] = std::max<std::uint16_t>(t.last_shipped[i], static_cast<std::uint16_t>(days + 1));
  }
  if (fresh) return added::first_row;
  return t.fingerprints[i] == fingerprint ? added::same_order : added::disagrees;
}

std::optional<std::uint32_t> order_table::find(std::string_view order_id) const {
  impl& t = *impl_;  // the cache of the last order changes; the orders do not
  if (t.ids.size() && order_id == t.last_id) return t.last;
  auto i = t.ids.find(order_id);
  if (i) {
    t.last_id.assign(order_id);
    t.last = *i;
  }
  return i;
}

std::size_t order_table::size() const { return impl_->ids.size(); }

std::string order_table::order_id(std::uint32_t i) const { return impl_->ids.id(i); }

shipping_state shipping_state_of(bool any_shipped, bool any_unshipped, bool cancelled, bool returned) {
  if (cancelled) return shipping_state::cancelled;
  if (returned) return shipping_state::returned;
  if (!any_unshipped) return shipping_state::shipped;  // every row shipped
  return any_shipped ? shipping_state::partly_shipped : shipping_state::unshipped;
}

std::string_view shipping_state_name(shipping_state s) {
  switch (s) {
    case shipping_state::shipped: return "shipped";
    case shipping_state::partly_shipped: return "partly-shipped";
    case shipping_state::unshipped: return "unshipped";
    case shipping_state::cancelled: return "cancelled";
    case shipping_state::returned: return "returned";
  }
  return "unshipped";
}

shipping_state order_table::state(std::uint32_t i) const {
  std::uint8_t f = impl_->flags[i];
  return shipping_state_of(f & any_shipped, f & any_unshipped, f & is_cancelled, f & is_returned);
}

std::optional<date> order_table::last_shipped(std::uint32_t i) const {
  std::uint16_t d = impl_->last_shipped[i];
  if (!d) return std::nullopt;
  // Howard Hinnant's civil_from_days.
  long z = static_cast<long>(d) - 1 + 719468;
  long era = z / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  int year = static_cast<int>(yoe + era * 400 + (month <= 2));
  return date{year, month, day};
}

std::uint32_t order_table::lines(std::uint32_t i) const { return impl_->lines[i]; }

void order_table::reserve(std::size_t n) { impl_->ids.reserve(n); }

std::size_t order_table::memory() const {
  const impl& t = *impl_;
  return t.ids.memory() + t.fingerprints.memory() + t.last_shipped.memory() + t.lines.memory() + t.flags.memory();
}

void report_disagreements(order_reader& in, const order_table& table, const std::vector<order_disagreement>& found,
                          diagnostics& diag) {
  if (found.empty()) return;
  struct first_row {
    std::uint64_t line = 0;
    std::string member_id, address, ordered_at, total, used_points;
  };
  std::unordered_map<std::uint32_t, first_row> first;
  for (const auto& d : found) first.emplace(d.order, first_row{});
  in.rewind();
  order_row row;
  std::size_t missing = first.size();
  while (missing && in.next(row, false)) {
    if (!row.usable) continue;
    auto order = table.find(row.order_id);
    if (!order) continue;
    auto it = first.find(*order);
    if (it == first.end() || it->second.line) continue;
    it->second = {row.line,
                  std::string(row.member_id),
                  std::string(row.address()),
                  std::string(row.ordered_at),
                  std::string(row.total),
                  std::string(row.used_points)};
    --missing;
  }
  for (const auto& d : found) {
    const first_row& a = first[d.order];
    auto differ = [&](order_field f, const std::string& here, const std::string& there) {
      bool same = f == order_field::email ? email_key(here) == email_key(there) : here == there;
      if (same) return;
      diag.report({in.name(), d.record, d.line, in.column_name(f), severity::error, "order-rows-disagree",
                   format_tr("rows of order '{}' disagree on {}: '{}' here, '{}' on line {}, the order's first row",
                             table.order_id(d.order), in.column_name(f), here, there, a.line)});
    };
    differ(order_field::member_id, d.member_id, a.member_id);
    differ(order_field::email, d.address, a.address);
    differ(order_field::ordered_at, d.ordered_at, a.ordered_at);
    differ(order_field::total, d.total, a.total);
    differ(order_field::used_points, d.used_points, a.used_points);
  }
}

}  // namespace kaiin
