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

// Reads the member export's records after its header into a crm_members, one
// member a record: its ID, its subscribed addresses filed as customers, its flags.
class member_reader {
 public:
  member_reader(crm_members& m, diagnostics& diag)
      : m_(m), in_(*m.in), diag_(diag), cols_(m.columns.columns), fields_(in_, cols_) {}

  // Reads record \p r; false once the findings' limit is reached.
  bool read(const raw_record& r) {
    ++m_.records;
    std::uint32_t index = 0;
    if (!take_id(r, index)) {
      ++m_.without_subscription;
      m_.all_numbered = false;
      return true;
    }
    std::string_view mailmag = fields_.get(field::mailmag);
    std::optional<std::string_view> mobile_mailmag;
    if (cols_[field::mobile_mailmag] >= 0) mobile_mailmag = fields_.get(field::mobile_mailmag);
    // An empty flag is "not subscribed"; anything but 1, 0 or empty is an error.
    if (!mailmag.empty())
      if (auto v = check_mailmag(mailmag)) report(r, field::mailmag, *v);
    if (mobile_mailmag && !mobile_mailmag->empty())
      if (auto v = check_mailmag(*mobile_mailmag)) report(r, field::mobile_mailmag, *v);
    std::string_view email = fields_.get(field::email), mobile = fields_.get(field::mobile_email);
    subscribed_addresses s = subscribed(email, mobile, mailmag, mobile_mailmag);
    email_key(email, pc_key_);
    email_key(mobile, mobile_key_);
    file_member(r, index, s, email, mobile);
    if (filed_ && m_.all_numbered) m_.kept->add(index, r);  // it may become a customer row
    return !diag_.limit_reached();
  }

 private:
  // Loads \p r's fields and files its member ID as \p index; false for a record
  // without a member of its own (malformed, no ID, an ID again).
  bool take_id(const raw_record& r, std::uint32_t& index) {
    if (r.malformed()) return false;  // reported by csv_input; its values are not where they belong
    fields_.load(r);
    std::string_view id = fields_.get(field::member_id);
    if (id.empty()) {
      diag_.report({in_.name(), r.number, r.line, column(field::member_id), severity::error, "crm-member-id-empty",
                    _("the member has no member ID: their orders could not find them")});
      return false;
    }
    const auto [at, added] = m_.ids.insert(id);
    index = at;
    if (!added) m_.repeated_ids.emplace_back(index, r.line);  // reported by decide_customers()
    return added;
  }

  // Files the member's subscribed addresses as customers and notes where its orders go.
  void file_member(const raw_record& r, std::uint32_t index, const subscribed_addresses& s, std::string_view email,
                   std::string_view mobile) {
    flags_ = 0;
    filed_ = 0;
    std::uint32_t dest = no_customer;
    if (s.pc) {
      dest = add(r, index, pc_key_, email, field::email, pc_row, pc_folded);
      flags_ |= pc_subscribed;
    }
    if (s.mobile) {
      std::uint32_t c = add(r, index, mobile_key_, mobile, field::mobile_email, mobile_row, mobile_folded);
      flags_ |= mobile_subscribed;
      if (dest == no_customer) dest = c;
    }
    if (!s.any()) {
      ++m_.without_subscription;
    } else if (filed_ == 0) {
      ++m_.members_address_invalid;
      flags_ |= address_invalid;
    }
    if (filed_ == 2) ++m_.second_addresses;
    m_.dest.push_back(dest);
    m_.pc_hash.push_back(pc_key_.empty() ? 0 : crm_members::key_hash(pc_key_));
    m_.mobile_hash.push_back(mobile_key_.empty() ? 0 : crm_members::key_hash(mobile_key_));
    m_.flags.push_back(flags_);
  }

  // Files one subscribed address as a customer, in the form it travels in (spec
  // §4.3); a second member holding it is noted for decide_customers(). An address
  // that is no address is held back: an error, counted, and no customer.
  std::uint32_t add(const raw_record& r, std::uint32_t index, std::string_view key, std::string_view written,
                    field which, std::uint8_t row, std::uint8_t folded_flag) {
    const member_address a = read_member_address(written);
    if (a.use != address_use::as_is)
      report(
          r, which,
          member_address_finding(written, a, N_("the CRM gets '{}'"), N_("it gets no customer row (address-invalid)")));
    if (a.use == address_use::held_back) {
      ++m_.addresses_invalid;
      return no_customer;
    }
    const std::string_view form = a.use == address_use::folded ? std::string_view(a.folded) : written;
    if (a.use == address_use::folded) flags_ |= folded_flag;
    if (auto v = check_email(form)) report(r, which, *v);  // an old mobile form
    auto [c, added] = m_.customers.add(key, index);
    if (added) {
      flags_ |= row;
      if (form != key) m_.customers.set_written(c, form);
    } else {
      m_.shared.emplace_back(c, index);
    }
    ++m_.slots;
    ++filed_;
    return c;
  }

  std::string column(field which) const { return in_.column_name(static_cast<std::size_t>(cols_[which])); }
  void report(const raw_record& r, field which, const verdict& v) {
    diag_.report({in_.name(), r.number, r.line, column(which), v.severity, v.rule, v.message});
  }

  crm_members& m_;
  csv_input& in_;
  diagnostics& diag_;
  const column_map& cols_;
  member_fields fields_;
  std::string pc_key_, mobile_key_;  // the e-mail keys of the record's addresses
  std::uint8_t flags_ = 0;           // the record's member flags
  int filed_ = 0;                    // subscribed addresses of the record filed as customers
};

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
  m.kept = std::make_unique<record_spool>();
  m.kept->add(no_customer, r);  // the header
  member_reader reader(m, diag);
  while (in.next(r))
    if (!reader.read(r)) break;
  return m;
}

namespace {

// What the findings about a member show, read again for the few members they name.
struct member_detail {
  std::uint64_t record = 0, line = 0;
  std::string id, email, mobile, pc_key, mobile_key;
  std::uint64_t updated = 0;
};

// Fills \p d from record \p r, loaded into \p f.
void fill_detail(member_detail& d, const raw_record& r, member_fields& f) {
  d.record = r.number;
  d.line = r.line;
  d.id = f.get(field::member_id);
  d.email = f.get(field::email);
  d.mobile = f.get(field::mobile_email);
  d.pc_key = email_key(d.email);
  d.mobile_key = email_key(d.mobile);
  std::string_view updated = f.get(field::updated);
  d.updated = activity_of(updated.empty() ? f.get(field::registered) : updated);
}

void read_details(crm_members& m, std::unordered_map<std::uint32_t, member_detail>& wanted) {
  csv_input& in = *m.in;
  const column_map& cols = m.columns.columns;
  member_fields f(in, cols);
  raw_record r;
  std::size_t missing = wanted.size();
  if (m.all_numbered) {
    // Every member who shares an address holds one: its record was kept.
    in.stop_reporting();
    m.kept->rewind();
    for (std::uint32_t member; missing && m.kept->next(member, r);) {
      auto it = wanted.find(member);
      if (it == wanted.end()) continue;  // the header, or not asked for
      f.load(r);
      fill_detail(it->second, r, f);
      --missing;
    }
    return;
  }
  // A repeated ID (an error: nothing is written) names a member who may hold none.
  in.rewind();
  in.next(r);  // the header
  while (missing && in.next(r)) {
    if (r.malformed()) continue;
    f.load(r);
    std::optional<std::uint32_t> index = m.ids.find(f.get(field::member_id));
    if (!index) continue;
    auto it = wanted.find(*index);
    if (it == wanted.end() || it->second.line) continue;  // not asked for, or a later row with its ID
    fill_detail(it->second, r, f);
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
