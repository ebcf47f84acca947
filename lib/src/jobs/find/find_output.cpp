// kaiin-find's answers: text for people, JSON Lines and CSV for scripts.

#include "jobs/find/find_output.h"

#include <fmt/format.h>
#include <algorithm>

#include "core/progress.h"
#include "kaiin/csv.h"
#include "kaiin/diagnostics.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {

// Which of member \p m's columns hold the address of \p k: "email", "mobile_email"
// or "both".
std::string_view matched_in(const found_member& m, const wanted_key& k) {
  const bool pc = m.email_key == k.key, mobile = m.mobile_key == k.key;
  return pc && mobile ? "both" : pc ? "email" : "mobile_email";
}

// An export without a mailmag column says nothing of subscriptions: nor do the answers.
bool says_subscriptions(const found_member& m) { return m.has(field::mailmag); }

column_subscriptions subscriptions(const found_member& m) {
  std::optional<std::string_view> mobile_flag;
  if (m.has(field::mobile_mailmag)) mobile_flag = m.get(field::mobile_mailmag);
  return subscriptions_of(m.get(field::email), m.get(field::mobile_email), m.get(field::mailmag), mobile_flag);
}

// --- text -------------------------------------------------------------------

// A value on one line of the block: a newline or another control character inside it
// (a memo-like name) shown as \n, \r, \x01 rather than written.
std::string one_line(std::string_view v) {
  std::string out;
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7F)
      out += ch;
    else
      out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : fmt::format("\\x{:02X}", c);
  }
  return out;
}

std::string padded(std::string_view s, std::size_t width, bool right = false) {
  const std::size_t w = progress::display_width(s);
  const std::string pad(width > w ? width - w : 0, ' ');
  return right ? pad + std::string(s) : std::string(s) + pad;
}

std::string state_text(const found_order& o) {
  switch (o.state()) {
    case shipping_state::shipped:
      return o.last_shipped ? format_tr("shipped {}", date_text(o.last_shipped, o.ordered_at)) : _("shipped");
    case shipping_state::partly_shipped: return _("partly shipped");
    case shipping_state::unshipped: return _("not shipped");
    case shipping_state::cancelled: return _("cancelled");
    case shipping_state::returned: return _("returned");
  }
  return {};
}

// Orders as a table: date, order ID, total, status as written, the shipping state
// and, with \p whose, whose each is.
void order_lines(std::string& out, const lookup& l, const std::vector<std::uint32_t>& orders, bool whose) {
  std::vector<std::vector<std::string>> rows;
  for (std::uint32_t i : orders) {
    const found_order& o = l.orders[i];
    std::vector<std::string> row = {one_line(o.ordered_at), one_line(o.order_id),
                                    format_tr("{} yen", yen(one_line(o.total))), one_line(o.status), state_text(o)};
    if (whose) row.push_back(o.guest() ? std::string(_("guest")) : format_tr("member {}", one_line(o.member_id)));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(rows.empty() ? 0 : rows[0].size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], progress::display_width(row[c]));
  for (const auto& row : rows) {
    std::string line = "    ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width[c] == 0) continue;  // no order has a status
      line += padded(row[c], width[c], c == 2) + "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
}

}  // namespace

std::vector<std::uint32_t> member_orders(const lookup& l, const answer& a, const found_member& m) {
  std::vector<std::uint32_t> orders;
  for (std::uint32_t o : a.orders)
    if (!l.orders[o].guest() && l.orders[o].member_id == m.get(field::member_id)) orders.push_back(o);
  return orders;
}

std::vector<std::uint32_t> guest_orders(const lookup& l, const answer& a) {
  std::vector<std::uint32_t> orders;
  for (std::uint32_t o : a.orders)
    if (l.orders[o].guest()) orders.push_back(o);
  return orders;
}

std::string text_block(const lookup& l, const answer& a) {
  // One member (or none): the answer's orders in one list, whose each is said where a
  // guest order is among them. Two or more: each member's orders in their block, the
  // guest orders after the last.
  const bool shared = a.key.members.size() > 1;
  const std::vector<std::uint32_t> guests = shared && l.orders_read ? guest_orders(l, a) : std::vector<std::uint32_t>();
  // Labels padded to the widest, in the user's language.
  const std::string label_id = _("member ID"), label_name = _("name"), label_email = _("e-mail"),
                    label_mobile = _("mobile"), label_rank = _("rank"), label_points = _("points"),
                    label_registered = _("registered"), label_orders = _("orders"),
                    label_guests = guests.empty() ? std::string() : std::string(_("guest orders"));
  std::size_t width = 0;
  for (const std::string* s : {&label_id, &label_name, &label_email, &label_mobile, &label_rank, &label_points,
                               &label_registered, &label_orders, &label_guests})
    width = std::max(width, progress::display_width(*s));
  std::string out;
  auto line = [&](const std::string& label, std::string_view value) {
    out += "  " + padded(label, width) + "  " + (value.empty() ? std::string("-") : one_line(value)) + "\n";
  };
  auto orders = [&](const std::string& label, const std::vector<std::uint32_t>& list, bool whose) {
    line(label, list.empty() ? std::string(_("none")) : std::to_string(list.size()));
    order_lines(out, l, list, whose);
  };

  switch (a.status) {
    case lookup_status::found: out += format_tr("{}: found", one_line(a.asked.given)) + "\n"; break;
    case lookup_status::ambiguous:
      out += format_tr("{}: ambiguous: {} members hold it, and inbox linkage needs one (merge them: 会員統合)",
                       one_line(a.asked.given), a.key.members.size()) +
             "\n";
      break;
    case lookup_status::not_found:
      out += format_tr("{}: not found: no member holds it", one_line(a.asked.given)) + "\n";
      break;
  }
  for (std::uint32_t i : a.key.members) {
    const found_member& m = l.members[i];
    if (i != a.key.members.front()) out += "  --\n";  // the next member holding an ambiguous address
    line(label_id, m.get(field::member_id));
    std::string name = fmt::format("{} {}", m.get(field::last_name), m.get(field::first_name));
    std::string kana = fmt::format("{} {}", m.get(field::last_kana), m.get(field::first_kana));
    if (name == " ") name.clear();
    if (kana != " ") name = name.empty() ? kana : format_tr("{} ({})", name, kana);
    line(label_name, name);
    const column_subscriptions s = subscriptions(m);
    const std::string_view matched = matched_in(m, a.key);
    auto address = [&](field f, bool subscribed, bool asked) {
      std::string_view v = m.get(f);
      if (v.empty()) return std::string();
      std::string text = !says_subscriptions(m) ? std::string(v)
                         : subscribed           ? format_tr("{} (subscribed)", v)
                                                : format_tr("{} (not subscribed)", v);
      return asked ? format_tr("{}  <- the address looked up", text) : text;
    };
    line(label_email, address(field::email, s.email, matched != "mobile_email"));
    if (m.has(field::mobile_email))
      line(label_mobile, address(field::mobile_email, s.mobile_email, matched != "email"));
    if (m.has(field::rank)) line(label_rank, m.get(field::rank));
    if (m.has(field::point)) line(label_points, m.get(field::point));
    if (m.has(field::registered)) line(label_registered, m.get(field::registered));
    if (shared && l.orders_read) orders(label_orders, member_orders(l, a, m), false);
  }
  if (l.orders_read && !shared) {
    bool whose = a.key.members.empty();
    for (std::uint32_t i : a.orders) whose |= l.orders[i].guest();
    orders(label_orders, a.orders, whose);
  } else if (!guests.empty()) {
    out += "  --\n";
    orders(label_guests, guests, false);
  }
  return out;
}

// --- JSON -------------------------------------------------------------------

namespace {

std::string json_member(const found_member& m, const wanted_key& k) {
  const column_subscriptions s = subscriptions(m);
  std::string out = fmt::format("{{\"member_id\":{},\"line\":{},\"matched\":\"{}\",\"subscribed\":",
                                json_quote(m.get(field::member_id)), m.line, matched_in(m, k));
  out += says_subscriptions(m) ? fmt::format("{{\"email\":{},\"mobile_email\":{}}}", s.email, s.mobile_email) : "null";
  for (std::size_t i = 0; i < field_count; ++i) {
    const auto f = static_cast<field>(i);
    if (f == field::member_id || f == field::control || f == field::password || f == field::crypted_pass) continue;
    out += fmt::format(",{}:{}", json_quote(field_name(f)), m.has(f) ? json_quote(m.get(f)) : "null");
  }
  return out + "}";
}

std::string json_order(const found_order& o) {
  return fmt::format(
      "{{\"order_id\":{},\"line\":{},\"member_id\":{},\"guest\":{},\"email\":{},\"mobile_email\":{},"
      "\"ordered_at\":{},\"status\":{},\"shipping\":\"{}\",\"shipped_on\":{},\"total\":{},\"used_points\":{},"
      "\"lines\":{}}}",
      json_quote(o.order_id), o.line, json_quote(o.member_id), o.guest(), json_quote(o.email),
      json_quote(o.mobile_email), json_quote(o.ordered_at), json_quote(o.status), shipping_state_name(o.state()),
      o.last_shipped ? json_quote(date_text(o.last_shipped, o.ordered_at)) : "null", json_quote(o.total),
      json_quote(o.used_points), o.lines);
}

}  // namespace

std::string json_answer(const lookup& l, const answer& a) {
  std::string out = fmt::format("{{\"address\":{},\"key\":{},\"status\":\"{}\",\"members\":[",
                                json_quote(a.asked.given), json_quote(a.key.key), status_name(a.status));
  for (std::size_t i = 0; i < a.key.members.size(); ++i)
    out += (i ? "," : "") + json_member(l.members[a.key.members[i]], a.key);
  out += "],\"orders\":";
  if (!l.orders_read) return out + "null}";
  out += "[";
  for (std::size_t i = 0; i < a.orders.size(); ++i) out += (i ? "," : "") + json_order(l.orders[a.orders[i]]);
  return out + "]}";
}

// --- CSV --------------------------------------------------------------------

namespace {

constexpr const char* csv_header[] = {"address",
                                      "key",
                                      "status",
                                      "members",
                                      "member_id",
                                      "matched",
                                      "last_name",
                                      "first_name",
                                      "last_kana",
                                      "first_kana",
                                      "email",
                                      "email_subscribed",
                                      "mobile_email",
                                      "mobile_email_subscribed",
                                      "rank",
                                      "point",
                                      "registered",
                                      "orders",
                                      "last_ordered_at",
                                      "last_order_id",
                                      "last_order_total",
                                      "last_order_shipping",
                                      "guest_orders"};

// The rows of one answer: one a member holding the address, or one without a member.
void csv_rows(csv_writer& w, const lookup& l, const answer& a) {
  std::size_t guests = 0;
  for (std::uint32_t i : a.orders) guests += l.orders[i].guest();
  const std::string guest_orders = l.orders_read ? std::to_string(guests) : "";
  const std::string count = std::to_string(a.key.members.size());
  const std::string_view status = status_name(a.status);
  if (a.key.members.empty()) {
    std::vector<std::string_view> row(std::size(csv_header));
    row[0] = a.asked.given, row[1] = a.key.key, row[2] = status, row[3] = count, row.back() = guest_orders;
    w.write(row);
    return;
  }
  for (std::uint32_t i : a.key.members) {
    const found_member& m = l.members[i];
    const column_subscriptions s = subscriptions(m);
    auto flag = [&](field f, bool on) { return m.get(f).empty() || !says_subscriptions(m) ? "" : on ? "1" : "0"; };
    const std::vector<std::uint32_t> orders = member_orders(l, a, m);  // newest first
    const found_order* last = orders.empty() ? nullptr : &l.orders[orders.front()];
    const std::string orders_text = l.orders_read ? std::to_string(orders.size()) : "";
    const std::string total = last ? last->total : "";
    std::string_view row[] = {a.asked.given,
                              a.key.key,
                              status,
                              count,
                              m.get(field::member_id),
                              matched_in(m, a.key),
                              m.get(field::last_name),
                              m.get(field::first_name),
                              m.get(field::last_kana),
                              m.get(field::first_kana),
                              m.get(field::email),
                              flag(field::email, s.email),
                              m.get(field::mobile_email),
                              flag(field::mobile_email, s.mobile_email),
                              m.get(field::rank),
                              m.get(field::point),
                              m.get(field::registered),
                              orders_text,
                              last ? std::string_view(last->ordered_at) : "",
                              last ? std::string_view(last->order_id) : "",
                              total,
                              last ? shipping_state_name(last->state()) : "",
                              guest_orders};
    w.write(row);
  }
}

}  // namespace

void write_answers(output_stream& out, const lookup& l, const std::vector<answer>& answers, find_format format,
                   bool escape_formulas, std::uint64_t& escaped) {
  switch (format) {
    case find_format::text:
      for (std::size_t i = 0; i < answers.size(); ++i) out.write((i ? "\n" : "") + text_block(l, answers[i]));
      break;
    case find_format::json:
      for (const answer& a : answers) out.write(json_answer(l, a) + "\n");
      break;
    case find_format::csv: {
      // UTF-8 with a BOM and CRLF: what Excel opens without an import dialog.
      out.write("\xEF\xBB\xBF");
      csv_writer w(out, csv_dialect::csv(), "\r\n");
      w.set_escape_formulas(escape_formulas);
      w.write(csv_header);
      for (const answer& a : answers) csv_rows(w, l, a);
      escaped = w.escaped();
      break;
    }
  }
}

}  // namespace kaiin::detail
