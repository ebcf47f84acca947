#pragma once
// kaiin-crm's member side (spec §11): the member table (IDs, the customer each
// member's orders go to, its addresses' hashes) and the customer table (subscribed
// addresses by key, each held by one member), read in one pass over the export and
// then decided: an address two members hold stops the run or goes to the latest.
// Private to the library.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/compact.h"
#include "core/csv_input.h"
#include "jobs/crm/crm_spool.h"
#include "kaiin/crm.h"
#include "members/member_columns.h"
#include "members/member_fields.h"
#include "members/profile.h"

namespace kaiin::detail {

inline constexpr std::uint32_t no_customer = 0xFFFFFFFF;

/// Customers: subscribed addresses by their key (spec §4.3), each held by one
/// member, in the order they were first met.
class customer_table {
 public:
  /// The customer with \p key, added for \p member when new (second: true then).
  std::pair<std::uint32_t, bool> add(std::string_view key, std::uint32_t member);
  std::optional<std::uint32_t> find(std::string_view key) const;
  std::string_view key(std::uint32_t c) const { return keys_.get(refs_[c]); }
  std::uint32_t member(std::uint32_t c) const { return members_[c] & ~written_bit; }
  void set_member(std::uint32_t c, std::uint32_t member) { members_[c] = (members_[c] & written_bit) | member; }
  /// The address as the export writes it: its key, unless set_written() said otherwise.
  std::string_view written(std::uint32_t c) const;
  void set_written(std::uint32_t c, std::string_view address);
  std::size_t size() const { return refs_.size(); }
  /// Asks the CPU to fetch what written(\p c) reads first, and then (\p text) its text.
  void prefetch(std::uint32_t c, bool text) const {
    if (text) return __builtin_prefetch(keys_.get(refs_[c]).data());
    __builtin_prefetch(&refs_[c]);
    __builtin_prefetch(&members_[c]);
  }

 private:
  // Set in members_ for a customer written otherwise than its key (member numbers
  // stay below 2^26): the map is asked only for those.
  static constexpr std::uint32_t written_bit = 0x80000000u;
  text_arena keys_;
  chunked<std::uint32_t> refs_, members_;
  hash_index index_;
  std::unordered_map<std::uint32_t, std::string> written_;  // the few written otherwise than their key
};

/// What a member writes and holds.
enum : std::uint8_t {
  pc_row = 1,      // a customer row for its PC address
  mobile_row = 2,  // one for its mobile address
  pc_subscribed = 4,
  mobile_subscribed = 8,
  pc_folded = 16,        // its PC address is written folded (spec §4.3)
  mobile_folded = 32,    // its mobile address is
  address_invalid = 64,  // it has subscribed addresses, none of them an address: no customer
};

/// The members of an export, as kaiin-crm needs them. Members are numbered in the
/// order of the export; a row without a usable ID (an error) gets no number.
struct crm_members {
  std::unique_ptr<csv_input> in;  // kept open: the records kept are decoded through it
  /// The header, then the records of the members who hold an address (their member
  /// numbers with them), while every record has its number: what customers.csv is
  /// written from, and where the members who share an address are looked up.
  std::unique_ptr<record_spool> kept;
  member_columns columns;
  bool readable = false;                        // the header has the columns the job needs
  std::string newline = "\r\n";                 // the export's: the outputs end their rows alike
  ordered_id_index ids;                         // eight bytes a member, no look-up table, while IDs come in order
  chunked<std::uint32_t> dest;                  // the customer its orders go to, or no_customer
  chunked<std::uint32_t> pc_hash, mobile_hash;  // hash_text of its addresses' keys, 0 for none
  chunked<std::uint8_t> flags;                  // pc_row, ...
  customer_table customers;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> shared;        // (customer, a member also holding it)
  std::vector<std::pair<std::uint32_t, std::uint64_t>> repeated_ids;  // (member, line of a later row with its ID)
  std::uint64_t records = 0, without_subscription = 0, second_addresses = 0, slots = 0;
  /// Members whose subscribed addresses are all held back as no address, and the
  /// addresses held back (each an error finding): spec §11's "address-invalid".
  std::uint64_t members_address_invalid = 0, addresses_invalid = 0;
  /// True while every record got a number: member m is then data record m + 1, and a
  /// second reading needs no look-up to know whose a record is.
  bool all_numbered = true;

  /// The nonzero hash kept for an address key (0 stands for none).
  static std::uint32_t key_hash(std::string_view key) {
    std::uint32_t h = hash_text(key);
    return h ? h : 1;
  }
  /// Asks the CPU to fetch what an order of member \p m reads of it.
  void prefetch(std::uint32_t m) const {
    __builtin_prefetch(&dest[m]);
    __builtin_prefetch(&pc_hash[m]);
    __builtin_prefetch(&mobile_hash[m]);
    __builtin_prefetch(&flags[m]);
  }
  /// True when member \p m holds an address whose key is \p key (by hash).
  bool holds(std::uint32_t m, std::string_view key) const {
    std::uint32_t h = key_hash(key);
    return pc_hash[m] == h || mobile_hash[m] == h;
  }
};

/// Reads the member export \p path (pass one): checks its columns, numbers its
/// members, finds the subscribed addresses and files them as customers. Findings go
/// to \p diag; a shared address is only noted here (decide_customers()).
crm_members read_members(const std::string& path, source_encoding from, const std::string& profile, diagnostics& diag);

/// Decides what two members holding one address means (spec §11): with \p policy
/// error, an error finding listing them; with keep_latest, the most recently updated
/// member keeps the customer and the others are warned about. Repeated member IDs
/// are reported here too, with the line of the first. Reads the export again when
/// there is any of either, to name lines and weigh updates.
void decide_customers(crm_members& members, shared_address_policy policy, diagnostics& diag);

}  // namespace kaiin::detail
