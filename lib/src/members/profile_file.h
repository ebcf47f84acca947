#pragma once
// The rows of a profile data file (member profiles in data/profiles, order profiles
// in data/orders): `field,header` and an optional `confirmed` column, `yes` where
// the header was confirmed from the platform's own documentation and `no` (or
// empty) where it is a best reading. Private to the library.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kaiin::detail {

/// One row of a profile file.
struct profile_row {
  std::string field;       ///< what the header stands for, as the file names it
  std::string header;      ///< the platform's header name (or a value, where the field says so)
  bool confirmed = false;  ///< from the platform's documentation, not a best reading
  std::uint64_t line = 0;  ///< physical line in the file
};

/// Reads every row of the profile file \p path. Throws kaiin::error naming the file
/// and line of an empty header name or a confirmed value other than yes, no or empty,
/// and for a file without rows.
std::vector<profile_row> read_profile_rows(const std::string& path);

/// A profile's name from its file: the file name without folders and .csv.
std::string profile_name_of(const std::string& path);

/// The profile of \p profiles (not empty) that \p score gives the most matched
/// headers, the first of them on a tie: how a header is recognised, for member and
/// order profiles alike.
template <class Profile, class Score>
const Profile& best_scoring(const std::vector<Profile>& profiles, Score score) {
  const Profile* best = &profiles.front();
  std::size_t best_score = 0;
  for (const Profile& p : profiles) {
    if (std::size_t s = score(p); s > best_score) {
      best = &p;
      best_score = s;
    }
  }
  return *best;
}

}  // namespace kaiin::detail
