#pragma once
// The findings of one rule in one column of one file, as a report for people shows
// them (spec §9): the first few, then how many more and on which lines, as ranges,
// so that a rule that fires on every row of a million takes a few lines. The text
// report and the HTML page share it; kaiin-fix's changes on the page are grouped the
// same way. Private to the library.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kaiin/diagnostics.h"

namespace kaiin::detail {

/// The findings of one rule in one column of one file.
struct finding_group {
  std::string file, rule;
  std::optional<std::string> column;
  kaiin::severity severity = severity::error;
  std::uint64_t shown = 0, more = 0;  // findings shown, and those past them
  // The lines of those past them, as ranges (the first few ranges).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> lines;
  bool more_lines = false;  // ranges past those kept

  std::uint64_t count() const { return shown + more; }
  /// The lines past those shown: "12, 15-20, ..." (... when ranges were left out).
  std::string line_ranges() const;
};

/// Groups findings by file, rule and column, in the order of each group's first
/// finding.
class finding_groups {
 public:
  /// \p shown findings of a group are shown (0: all), and the lines of the rest kept as
  /// at most \p ranges_kept ranges.
  finding_groups(std::uint64_t shown, std::size_t ranges_kept) : shown_(shown), ranges_kept_(ranges_kept) {}

  /// Counts a finding of \p rule in \p column of \p file, on \p line, in its group;
  /// returns the group's index and whether the finding is one of those shown.
  std::pair<std::size_t, bool> add(std::string_view file, std::string_view rule, std::optional<std::string_view> column,
                                   severity s, std::uint64_t line);
  const std::vector<finding_group>& groups() const { return groups_; }
  bool empty() const { return groups_.empty(); }
  /// Forgets every group.
  void clear();

 private:
  const std::uint64_t shown_;
  const std::size_t ranges_kept_;
  std::vector<finding_group> groups_;                      // in the order of their first finding
  std::unordered_map<std::string, std::size_t> group_of_;  // file, rule and column -> groups_ index
  std::string key_;                                        // of the finding being added
};

}  // namespace kaiin::detail
