// kaiin-crm's member side: pass one over the member export, and shared addresses.

#include "jobs/crm/crm_members.h"

#include <fmt/format.h>
#include <algorithm>
#include <map>

#include "core/text.h"
#include "jobs/crm/crm_decide.h"
#include "kaiin/i18n.h"
#include "members/email_address.h"
#include "members/member_columns.h"
#include "members/member_rules.h"
#include "members/merge.h"
#include "members/subscription.h"

namespace kaiin::detail {

std::pair<std::uint32_t, bool> customer_table::add(std::string_view key, std::uint32_t member) {
  auto c = static_cast<std::uint32_t>(refs_.size());
  auto found = index_.find_or_add(
      hash_text(key), c, [&](std::uint32_t e) { return keys_.get(refs_[e]) == key; },
      [this](std::uint32_t e) { return hash_text(keys_.get(refs_[e])); });  // (the new one is not filed yet)
  if (found) return {*found, false};
  refs_.push_back(keys_.add(key));
  members_.push_back(member);
  return {c, true};
}

std::optional<std::uint32_t> customer_table::find(std::string_view key) const {
  return index_.find(hash_text(key), [&](std::uint32_t e) { return keys_.get(refs_[e]) == key; });
}

std::string_view customer_table::written(std::uint32_t c) const {
  if (members_[c] & written_bit) return written_.at(c);
  return key(c);
}

void customer_table::set_written(std::uint32_t c, std::string_view address) {
  if (address == key(c)) {
    written_.erase(c);
    members_[c] &= ~written_bit;
  } else {
    written_[c] = std::string(address);
    members_[c] |= written_bit;
  }
}

namespace {

// One finding on line 1 a column the job needs and the header lacks.
bool has_columns(crm_members& m, diagnostics& diag) {
  bool ok = true;
  for (field f : {field::member_id, field::email, field::mailmag}) {
    if (m.columns.columns[f] >= 0) continue;
    diag.report({m.in->name(), 0, 1, std::nullopt, severity::error, "crm-column-missing",
                 format_tr("there is no {} column ('{}' in profile {}): kaiin-crm needs the member ID, the e-mail "
                           "address and the mail magazine flag",
                           field_name(f), m.columns.profile.header_of(f), m.columns.profile.name())});
    ok = false;
  }
  return ok;
}

}  // namespace

crm_members read_members(const std::string& path, source_encoding from, const std::string& profile, diagnostics& diag) {
  crm_members m;
  m.in = std::make_unique<csv_input>(path, from, diag, is_password_header, csv_dialect::csv(), true);
  csv_input& in = *m.in;
  raw_record r;
  if (!in.next(r)) {
    diag.report({in.name(), 0, 1, std::nullopt, severity::error, "crm-members-empty",
                 _("the member export is empty: it has no header")});
    return m;
  }
  if (!r.newline.empty()) m.newline = r.newline;
  m.columns = read_columns(profile, in.header());
  if (!has_columns(m, diag)) return m;
  m.readable = true;
  const column_map& cols = m.columns.columns;
  const bool mobile_flag = cols[field::mobile_mailmag] >= 0;
  member_fields f(in, cols);
  std::string pc_key, mobile_key;
  auto column = [&](field which) { return in.column_name(static_cast<std::size_t>(cols[which])); };
  while (in.next(r)) {
    ++m.records;
    if (r.malformed()) {  // reported by csv_input; its values are not where they belong
      ++m.without_subscription;
      m.all_numbered = false;
      continue;
    }
    f.load(r);
    std::string_view id = f.get(field::member_id);
    if (id.empty()) {
      diag.report({in.name(), r.number, r.line, column(field::member_id), severity::error, "crm-member-id-empty",
                   _("the member has no member ID: their orders could not find them")});
      ++m.without_subscription;
      m.all_numbered = false;
      continue;
    }
    // (Not a structured binding: the lambda below captures it, which clang 14 refuses.)
    const std::pair<std::uint32_t, bool> inserted = m.ids.insert(id);
    const std::uint32_t index = inserted.first;
    if (!inserted.second) {  // reported by decide_customers(), with the first one's line
      m.repeated_ids.emplace_back(index, r.line);
      ++m.without_subscription;
      m.all_numbered = false;
      continue;
    }
    std::string_view mailmag = f.get(field::mailmag);
    std::optional<std::string_view> mobile_mailmag;
    if (mobile_flag) mobile_mailmag = f.get(field::mobile_mailmag);
    // An empty flag is "not subscribed"; anything but 1, 0 or empty is an error.
    if (!mailmag.empty())
      if (auto v = check_mailmag(mailmag))
        diag.report({in.name(), r.number, r.line, column(field::mailmag), v->severity, v->rule, v->message});
    if (mobile_mailmag && !mobile_mailmag->empty())
      if (auto v = check_mailmag(*mobile_mailmag))
        diag.report({in.name(), r.number, r.line, column(field::mobile_mailmag), v->severity, v->rule, v->message});
    std::string_view email = f.get(field::email), mobile = f.get(field::mobile_email);
    subscribed_addresses s = subscribed(email, mobile, mailmag, mobile_mailmag);
    email_key(email, pc_key);
    email_key(mobile, mobile_key);
    std::uint8_t flags = 0;
    std::uint32_t dest = no_customer;
    int filed = 0;  // subscribed addresses filed as customers
    auto report = [&](field which, const verdict& v) {
      diag.report({in.name(), r.number, r.line, column(which), v.severity, v.rule, v.message});
    };
    // Files one subscribed address as a customer, in the form it travels in (spec
    // §4.3); a second member holding it is noted for decide_customers(). An address
    // that is no address is held back: an error, counted, and no customer.
    auto add = [&](std::string_view key, std::string_view written, field which, std::uint8_t row,
                   std::uint8_t folded_flag) {
      const member_address a = read_member_address(written);
      if (a.use != address_use::as_is)
        report(which, member_address_finding(written, a, N_("the CRM gets '{}'"),
                                             N_("it gets no customer row (address-invalid)")));
      if (a.use == address_use::held_back) {
        ++m.addresses_invalid;
        return no_customer;
      }
      const std::string_view form = a.use == address_use::folded ? std::string_view(a.folded) : written;
      if (a.use == address_use::folded) flags |= folded_flag;
      if (auto v = check_email(form)) report(which, *v);  // an old mobile form
      auto [c, added] = m.customers.add(key, index);
      if (added) {
        flags |= row;
        if (form != key) m.customers.set_written(c, form);
      } else {
        m.shared.emplace_back(c, index);
      }
      ++m.slots;
      ++filed;
      return c;
    };
    if (s.pc) {
      dest = add(pc_key, email, field::email, pc_row, pc_folded);
      flags |= pc_subscribed;
    }
    if (s.mobile) {
      std::uint32_t c = add(mobile_key, mobile, field::mobile_email, mobile_row, mobile_folded);
      flags |= mobile_subscribed;
      if (dest == no_customer) dest = c;
    }
    if (!s.any()) {
      ++m.without_subscription;
    } else if (filed == 0) {
      ++m.members_address_invalid;
      flags |= address_invalid;
    }
    if (filed == 2) ++m.second_addresses;
    m.dest.push_back(dest);
    m.pc_hash.push_back(pc_key.empty() ? 0 : crm_members::key_hash(pc_key));
    m.mobile_hash.push_back(mobile_key.empty() ? 0 : crm_members::key_hash(mobile_key));
    m.flags.push_back(flags);
    if (diag.limit_reached()) break;
  }
  return m;
}

namespace {

// What the findings about a member show, read again for the few members they name.
struct member_detail {
  std::uint64_t record = 0, line = 0;
  std::string id, email, mobile, pc_key, mobile_key;
  std::uint64_t updated = 0;
};

void read_details(crm_members& m, std::unordered_map<std::uint32_t, member_detail>& wanted) {
  csv_input& in = *m.in;
  const column_map& cols = m.columns.columns;
  member_fields f(in, cols);
  in.rewind();
  raw_record r;
  in.next(r);  // the header
  std::size_t missing = wanted.size();
  while (missing && in.next(r)) {
    if (r.malformed()) continue;
    std::optional<std::uint32_t> index;
    if (m.all_numbered) {  // member m is record m + 1: no decoding, no look-up
      index = static_cast<std::uint32_t>(r.number - 1);
      if (!wanted.count(*index)) continue;
      f.load(r);
    } else {
      f.load(r);
      index = m.ids.find(f.get(field::member_id));
    }
    if (!index) continue;
    auto it = wanted.find(*index);
    if (it == wanted.end() || it->second.line) continue;  // not asked for, or a later row with its ID
    member_detail& d = it->second;
    d.record = r.number;
    d.line = r.line;
    d.id = f.get(field::member_id);
    d.email = f.get(field::email);
    d.mobile = f.get(field::mobile_email);
    d.pc_key = email_key(d.email);
    d.mobile_key = email_key(d.mobile);
    std::string_view updated = f.get(field::updated);
    d.updated = activity_of(updated.empty() ? f.get(field::registered) : updated);
    --missing;
  }
}

}  // namespace

void decide_customers(crm_members& m, shared_address_policy policy, diagnostics& diag) {
  if (m.shared.empty() && m.repeated_ids.empty()) return;
  std::unordered_map<std::uint32_t, member_detail> details;
  std::map<std::uint32_t, std::vector<std::uint32_t>> holders;  // customer -> its members, the first first
  for (auto [c, member] : m.shared) {
    auto& h = holders[c];
    if (h.empty()) h.push_back(m.customers.member(c));
    h.push_back(member);
  }
  for (const auto& [c, h] : holders)
    for (std::uint32_t member : h) details[member];
  for (auto [member, line] : m.repeated_ids) details[member];
  read_details(m, details);
  const std::string& file = m.in->name();

  for (auto [member, line] : m.repeated_ids) {
    const member_detail& first = details[member];
    diag.report({file, 0, line, m.in->column_name(static_cast<std::size_t>(m.columns.columns[field::member_id])),
                 severity::error, "crm-duplicate-id",
                 format_tr("member ID '{}' is also on line {}: orders could not tell the two members apart", first.id,
                           first.line)});
  }
  for (const auto& [c, h] : holders) {
    const std::string address(m.customers.written(c));
    auto who = [&](std::uint32_t member) {
      return format_tr("'{}' (line {})", details[member].id, details[member].line);
    };
    if (policy == shared_address_policy::error) {
      std::string list;
      // TRANSLATORS: between the members of a list: '10006' (line 7), '10010' (line 11).
      for (std::uint32_t member : h) list += (list.empty() ? "" : _(", ")) + who(member);
      diag.report({file, details[h[1]].record, details[h[1]].line, std::nullopt, severity::error, "crm-shared-address",
                   format_tr("the address '{}' is held by members {}: the CRM would make them one customer; merge "
                             "them first (会員統合), or pass --shared-address keep-latest",
                             address, list)});
      continue;
    }
    std::uint32_t keep = h.front();
    for (std::uint32_t member : h)
      if (keeps_rather({details[member].updated, member}, {details[keep].updated, keep})) keep = member;
    const std::string_view key = m.customers.key(c);
    // Which of a member's addresses is this one: its PC address, else its mobile one.
    auto row_flag = [&](std::uint32_t member) -> std::uint8_t {
      return details[member].pc_key == key ? pc_row : mobile_row;
    };
    for (std::uint32_t member : h) m.flags[member] &= static_cast<std::uint8_t>(~row_flag(member));
    m.flags[keep] |= row_flag(keep);
    m.customers.set_member(c, keep);
    m.customers.set_written(c, travelling_form(row_flag(keep) == pc_row ? details[keep].email : details[keep].mobile));
    for (std::uint32_t member : h) {
      if (member == keep) continue;
      diag.report({file, details[member].record, details[member].line, std::nullopt, severity::warning,
                   "crm-shared-address",
                   format_tr("the address '{}' is also held by member {}, who keeps it as the one updated last (or, "
                             "updated alike, later in the export): member '{}' gets no customer row for it "
                             "(--shared-address keep-latest)",
                             address, who(keep), details[member].id)});
    }
  }
}

}  // namespace kaiin::detail
