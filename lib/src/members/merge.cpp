#include "members/merge.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace kaiin::detail {

std::uint64_t activity_of(std::string_view time) {
  std::uint64_t n = 0;
  int digits = 0;
  for (char c : time) {
    if (c >= '0' && c <= '9') {
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    } else if (c != '/' && c != '-' && c != ' ' && c != ':') {
      return 0;
    }
  }
  if (digits == 8) return n * 1000000;
  if (digits == 12) return n * 100;  // to the minute
  return digits == 14 ? n : 0;
}

std::uint32_t disjoint_sets::add() {
  parent_.push_back(size());
  return parent_.back();
}

std::uint32_t disjoint_sets::find(std::uint32_t x) {
  while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
  return x;
}

void disjoint_sets::join(std::uint32_t a, std::uint32_t b) {
  a = find(a);
  b = find(b);
  if (a != b) parent_[std::max(a, b)] = std::min(a, b);  // the earlier member heads the group
}

std::vector<std::vector<std::uint32_t>> merge_groups(disjoint_sets& sets) {
  std::vector<std::vector<std::uint32_t>> groups;
  const std::uint32_t n = sets.size();
  // One word a member (at a million members, 4 MB where a count and a group number
  // took 12): a head's count of members, until the head is met in file order and
  // the word becomes its group's number, marked by the top bit.
  constexpr std::uint32_t numbered = 0x80000000u;
  std::vector<std::uint32_t> word(n, 0);
  for (std::uint32_t m = 0; m < n; ++m) ++word[sets.find(m)];
  for (std::uint32_t m = 0; m < n; ++m) {
    std::uint32_t head = sets.find(m);  // the group's first member: heads come first
    if (head == m) {
      if (word[m] < 2) continue;
      word[m] = numbered | static_cast<std::uint32_t>(groups.size());
      groups.emplace_back();
    }
    if (!(word[head] & numbered)) continue;
    groups[word[head] & ~numbered].push_back(m);
  }
  return groups;
}

std::vector<std::vector<std::uint32_t>> exact_groups(const std::vector<std::vector<std::uint32_t>>& candidates,
                                                     const std::vector<std::vector<address_keys>>& keys) {
  std::vector<std::vector<std::uint32_t>> groups;
  for (std::size_t g = 0; g < candidates.size(); ++g) {
    disjoint_sets local;
    std::unordered_map<std::string_view, std::uint32_t> owner;
    for (std::size_t i = 0; i < candidates[g].size(); ++i) {
      const std::uint32_t m = local.add();
      for (const std::string& key : keys[g][i]) {
        if (key.empty()) continue;
        auto [it, fresh] = owner.emplace(key, m);
        if (!fresh) local.join(it->second, m);
      }
    }
    for (auto& sub : merge_groups(local)) {
      for (std::uint32_t& m : sub) m = candidates[g][m];
      groups.push_back(std::move(sub));
    }
  }
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  return groups;
}

std::uint32_t survivor(const std::vector<merge_candidate>& members, const std::vector<std::uint32_t>& group) {
  return *std::max_element(group.begin(), group.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (members[a].activity != members[b].activity) return members[a].activity < members[b].activity;
    if (members[a].point != members[b].point) return members[a].point < members[b].point;
    return a > b;
  });
}

}  // namespace kaiin::detail
