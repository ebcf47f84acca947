// kaiin-find's decisions (spec §12): what an answer says, the order of its orders,
// and how addresses asked are filed.

#include "jobs/find/find_lookup.h"

#include <algorithm>

#include "members/subscription.h"

namespace kaiin::detail {

lookup_status status_of(std::size_t members) {
  if (members == 0) return lookup_status::not_found;
  return members == 1 ? lookup_status::found : lookup_status::ambiguous;
}

std::string_view status_name(lookup_status s) {
  switch (s) {
    case lookup_status::found: return "found";
    case lookup_status::ambiguous: return "ambiguous";
    case lookup_status::not_found: return "not-found";
  }
  return "not-found";
}

int find_exit_status(const std::vector<lookup_status>& answers, bool quiet_missing, bool errors) {
  if (errors) return 1;
  for (lookup_status s : answers)
    if (s == lookup_status::ambiguous || (s == lookup_status::not_found && !quiet_missing)) return 1;
  return 0;
}

namespace {
std::string_view trimmed(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string_view address_in(std::string_view text) {
  text = trimmed(text);
  if (text.size() < 2 || text.back() != '>') return text;
  std::size_t open = text.rfind('<');
  if (open == std::string_view::npos) return text;
  return trimmed(text.substr(open + 1, text.size() - open - 2));
}

std::string asked_key(std::string_view given) { return std::string(address_in(email_key(given))); }

column_subscriptions subscriptions_of(std::string_view email, std::string_view mobile_email, std::string_view mailmag,
                                      std::optional<std::string_view> mobile_mailmag) {
  subscribed_addresses s = subscribed(email, mobile_email, mailmag, mobile_mailmag);
  // subscribed() counts one address in both columns once; each column gets it here.
  const bool same = !email.empty() && email_key(email) == email_key(mobile_email);
  return {s.pc || (same && s.mobile), s.mobile || (same && s.pc)};
}

std::string yen(std::string_view amount) {
  std::string_view whole = amount.substr(0, amount.find('.'));
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::string(amount);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i && (whole.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(whole[i]);
  }
  return out.append(amount.substr(whole.size()));
}

bool newest_first(const found_order& a, const found_order& b) {
  if (a.when && b.when && *a.when != *b.when) return *a.when > *b.when;
  if (a.when.has_value() != b.when.has_value()) return a.when.has_value();
  return a.record < b.record;
}

void found_member::set(field f, std::string_view value) {
  const auto i = static_cast<std::size_t>(f);
  begin_[i] = static_cast<std::uint32_t>(values_.size());
  length_[i] = static_cast<std::uint32_t>(value.size());
  values_.append(value);
}

bool lookup::ask(std::string given) {
  std::string key = asked_key(given);
  if (key.empty()) return false;
  const auto next = static_cast<std::uint32_t>(keys.size());
  const std::uint32_t k = key_index.insert(key, next);
  if (k == next) keys.push_back({std::move(key), {}, {}});
  asked.push_back({std::move(given), k});
  return true;
}

std::vector<std::uint32_t> lookup::orders_of(const wanted_key& k) const {
  std::vector<std::uint32_t> list = k.guest_orders;
  for (std::uint32_t m : k.members) list.insert(list.end(), members[m].orders.begin(), members[m].orders.end());
  // Two rows of one member ID in the export would list its orders twice.
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  std::sort(list.begin(), list.end(),
            [&](std::uint32_t a, std::uint32_t b) { return newest_first(orders[a], orders[b]); });
  return list;
}

}  // namespace kaiin::detail
