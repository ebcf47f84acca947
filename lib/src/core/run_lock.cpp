#include "core/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "core/system_io.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

run_lock::run_lock(const std::string& path, const std::string& what, const std::string& tool, double wait_seconds) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw error(format_tr("cannot create the lock file: {}", system_message(errno)), path);
  auto give_up = std::chrono::steady_clock::now() + std::chrono::duration<double>(wait_seconds);
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK || std::chrono::steady_clock::now() >= give_up) {
      ::close(fd_);
      fd_ = -1;
      throw error(wait_seconds > 0 ? format_tr("another {} run is writing '{}' and holds this lock; this run stops "
                                               "without writing after waiting",
                                               tool, what)
                                   : format_tr("another {} run is writing '{}' and holds this lock; this run stops "
                                               "without writing (--wait SECONDS waits for it)",
                                               tool, what),
                  path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

run_lock::~run_lock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace kaiin::detail
