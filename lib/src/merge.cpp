#include "merge.h"

#include <algorithm>

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
  std::vector<std::uint32_t> size(n, 0);
  for (std::uint32_t m = 0; m < n; ++m) ++size[sets.find(m)];
  std::vector<std::int64_t> group_of(n, -1);
  for (std::uint32_t m = 0; m < n; ++m) {
    std::uint32_t head = sets.find(m);  // the group's first member: heads come first
    if (size[head] < 2) continue;
    if (group_of[head] < 0) {
      group_of[head] = static_cast<std::int64_t>(groups.size());
      groups.emplace_back();
    }
    groups[static_cast<std::size_t>(group_of[head])].push_back(m);
  }
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
