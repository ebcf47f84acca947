#include "core/data_dirs.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "core/install_dirs.h"

#ifndef KAIIN_SOURCE_DATADIR
#define KAIIN_SOURCE_DATADIR ""
#endif

namespace kaiin {

std::string program_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

std::vector<std::string> data_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("KAIIN_DATADIR"); env && *env) dirs.emplace_back(env);
  std::string exe = program_dir();
  if (!exe.empty()) dirs.push_back(exe + "/../share/kaiin");
  dirs.emplace_back(install_datadir);
  if (*KAIIN_SOURCE_DATADIR) dirs.emplace_back(KAIIN_SOURCE_DATADIR);
  return dirs;
}

std::string find_data_file(const std::string& sub, const std::string& name) {
  for (const std::string& dir : data_dirs()) {
    std::string path = dir + "/" + sub + "/" + name;
    if (::access(path.c_str(), R_OK) == 0) return path;
  }
  return {};
}

std::vector<std::string> csv_files_in(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.ends_with(".csv")) files.push_back(n);
    }
    ::closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace kaiin
