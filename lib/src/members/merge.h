#pragma once
// Members who share an e-mail address (spec §6, 会員統合): the groups they form and
// the member kaiin suggests keeping. Pure decisions, tested on literal members in
// tests/unit/merge_test.cpp. Private to the library.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kaiin::detail {

/// What choosing a survivor needs of a member.
struct merge_candidate {
  std::uint64_t record = 0;    ///< its record number in the export (1 = first member)
  std::uint64_t activity = 0;  ///< activity_of() its last update, else of its registration
  std::uint64_t point = 0;     ///< its point balance
};

/// "2024/03/01 10:00:00", "2024-03-01 10:00" or "2024-03-01" as the number 20240301100000, so that a later
/// time is a larger number; 0 (no activity known) for anything else.
std::uint64_t activity_of(std::string_view time);

/// Members who share an address end up in one set; the earlier member heads it.
class disjoint_sets {
 public:
  /// A new member in a set of its own; returns its number (0, 1, ...).
  std::uint32_t add();
  /// The head of \p member's set: its earliest member.
  std::uint32_t find(std::uint32_t member);
  /// Puts \p a's and \p b's sets together.
  void join(std::uint32_t a, std::uint32_t b);
  /// Members added so far.
  std::uint32_t size() const { return static_cast<std::uint32_t>(parent_.size()); }

 private:
  std::vector<std::uint32_t> parent_;
};

/// The sets of two members or more, as lists of members in file order, the groups in
/// the order of their first member.
std::vector<std::vector<std::uint32_t>> merge_groups(disjoint_sets& sets);

/// The address keys of one member (e-mail keys, spec §4.3).
using address_keys = std::vector<std::string>;

/// The groups of \p candidates (lists of members in file order, as merge_groups()
/// gives them) that share an address after all: \p keys[g][i] holds the address
/// keys of member candidates[g][i] (empty ones ignored). A group joined by a
/// fingerprint of an address is split where no address links it; groups of two or
/// more, in the order of their first member.
std::vector<std::vector<std::uint32_t>> exact_groups(const std::vector<std::vector<std::uint32_t>>& candidates,
                                                     const std::vector<std::vector<address_keys>>& keys);

/// The member of \p group (indexes into \p members) kaiin suggests keeping: the most
/// recent activity, then the larger point balance, then the member first in the file.
std::uint32_t survivor(const std::vector<merge_candidate>& members, const std::vector<std::uint32_t>& group);

}  // namespace kaiin::detail
