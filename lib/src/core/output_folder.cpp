#include "core/output_folder.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

output_folder::output_folder(const std::string& dir) {
  // The missing folders, found before they are made: those are the ones to remove.
  std::filesystem::path path(dir);
  if (!path.has_filename()) path = path.parent_path();  // "out/": the folder out
  for (std::filesystem::path p = path; !p.empty(); p = p.parent_path()) {
    std::error_code missing;
    if (std::filesystem::symlink_status(p, missing).type() != std::filesystem::file_type::not_found) break;
    made_.insert(made_.begin(), p.string());
    if (p == p.parent_path()) break;
  }
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    remove_empty();  // the parents made before the failure
    throw error(format_tr("cannot make the folder: {}", ec ? ec.message() : std::string(_("not a folder"))), dir);
  }
}

output_folder::~output_folder() { remove_empty(); }

void output_folder::remove_empty() noexcept {
  for (auto at = made_.rbegin(); at != made_.rend(); ++at)
    if (::rmdir(at->c_str()) != 0) break;  // not empty: a file was written, and its parents stay too
  made_.clear();
}

}  // namespace kaiin
