#pragma once
// The lock a cron job holds for the whole run (kaiin-tags apply, kaiin-crm): a second
// run started while the first still writes waits for it (--wait) or stops at once,
// without writing anything. Private to the library.

#include <string>

namespace kaiin::detail {

/// Holds an exclusive lock (flock) on \p path for the lifetime of the object. The
/// lock file is created when missing and stays after the run: removing it would let
/// a third run lock a new file while the second still holds the old one.
class run_lock {
 public:
  /// Waits up to \p wait_seconds (0: not at all) for another run of \p tool holding
  /// \p path, which writes \p what; then throws kaiin::error naming the lock file.
  run_lock(const std::string& path, const std::string& what, const std::string& tool, double wait_seconds);
  ~run_lock();
  run_lock(const run_lock&) = delete;
  run_lock& operator=(const run_lock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace kaiin::detail
