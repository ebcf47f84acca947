#pragma once
/// \file
/// kaiin-tags' jobs (spec §8, ebisumart's 会員タグ): the tag master checked, and the
/// links of auto tags re-evaluated from rules over the member export, written as the
/// changes (add, remove) against the current links. Made for cron: deterministic,
/// atomic, locked against an overlapping run.

#include <cstdint>
#include <optional>
#include <string>

#include "kaiin/date.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"

namespace kaiin {

/// kaiin-tags check.
struct tags_check_options {
  std::string file = "-";  ///< TAGS, the tag master
};
/// Checks the tag master: codes, upper-casing, duplicates, names, kinds. Returns 0
/// or 1; throws kaiin::error when the file cannot be read.
int run_tags_check(const tags_check_options& options, diagnostics& diag);

/// kaiin-tags apply.
struct tags_apply_options {
  std::string rules, members;                           ///< --rules, --members
  std::string current;                                  ///< --current links; empty: none
  std::string tags;                                     ///< --tags, the tag master; empty: not checked
  std::string output = "-";                             ///< -o; "-" is standard output
  std::optional<date> today;                            ///< --today; default the system date
  std::string profile;                                  ///< --profile of the export
  source_encoding from = source_encoding::auto_detect;  ///< -f, --from
  double wait_seconds = 0;                              ///< --wait: how long to wait for another run's lock
  bool escape_formulas = false;                         ///< ' before member IDs and tag codes that look like formulas
};
/// Writes the changes (add, remove) that take the current links of the rules' tags
/// to what the rules give, sorted by member ID and tag code, under a lock against a
/// second run. Nothing is written when an error is found. Returns 0 or 1; throws
/// kaiin::error when a file cannot be read or the lock is held.
int run_tags_apply(const tags_apply_options& options, diagnostics& diag);

/// A tag code as it is stored: upper case. Empty when \p code has a character other
/// than half-width letters, digits, '-' and '_'.
std::string normal_tag_code(std::string_view code);

/// Orders member IDs as people expect: numbers by value (9 before 10), others as
/// bytes, numbers before others.
bool member_id_less(std::string_view a, std::string_view b);

}  // namespace kaiin
