#pragma once
// Where kaiin finds its data files (profiles, the CROSS POINT map) and its
// translations: installed, in $KAIIN_DATADIR, or in the source tree of a build.
// Private to the library.

#include <string>
#include <vector>

namespace kaiin {

/// Folders searched for data files: $KAIIN_DATADIR, share/kaiin beside the
/// program (installed), the configured datadir, the source tree's data/ (a build).
std::vector<std::string> data_dirs();
/// The folder of the running program (from /proc/self/exe), or empty.
std::string program_dir();
/// The first \p sub/\p name found in data_dirs(), or empty.
std::string find_data_file(const std::string& sub, const std::string& name);
/// The names of the .csv files in folder \p dir, sorted; none when it is no folder.
std::vector<std::string> csv_files_in(const std::string& dir);

}  // namespace kaiin
