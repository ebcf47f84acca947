#include "core/finding_groups.h"

#include <fmt/format.h>

namespace kaiin::detail {

std::string finding_group::line_ranges() const {
  std::string text;
  for (auto [first, last] : lines) {
    if (!text.empty()) text += ", ";
    text += first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
  }
  if (more_lines) text += ", ...";
  return text;
}

std::pair<std::size_t, bool> finding_groups::add(std::string_view file, std::string_view rule,
                                                 std::optional<std::string_view> column, severity s,
                                                 std::uint64_t line) {
  // The key in a buffer kept from finding to finding: a string made for each was a
  // malloc a finding in a text report that folds a million of them.
  key_.assign(rule);
  key_ += '\0';
  key_ += file;
  if (column) {
    key_ += '\0';
    key_ += *column;
  }
  auto it = group_of_.find(key_);
  if (it == group_of_.end()) {
    it = group_of_.emplace(key_, groups_.size()).first;
    // Copies: the finding's texts may be gone by the time the group is written.
    finding_group& g = groups_.emplace_back();
    g.file = file;
    g.rule = rule;
    if (column) g.column = std::string(*column);
    g.severity = s;
  }
  const std::size_t index = it->second;
  finding_group& g = groups_[index];
  if (!shown_ || g.shown < shown_) {
    ++g.shown;
    return {index, true};
  }
  ++g.more;
  // Lines as ranges: a rule that fires on every row is one range however many rows.
  if (!g.lines.empty() && (line == g.lines.back().second || line == g.lines.back().second + 1))
    g.lines.back().second = line;
  else if (g.lines.size() < ranges_kept_)
    g.lines.emplace_back(line, line);
  else
    g.more_lines = true;
  return {index, false};
}

void finding_groups::clear() {
  groups_.clear();
  group_of_.clear();
}

}  // namespace kaiin::detail
