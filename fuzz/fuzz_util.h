#pragma once
/// \file
/// What the fuzz targets share: a broken invariant aborts with its reason (libFuzzer
/// then saves the input), and an input can be handed to the library as a file.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace kaiin::fuzz {

/// Aborts with \p what when \p ok is false: the fuzzer keeps the input as a crash.
inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

/// An in-memory file (memfd) holding some bytes, named by a path the library can
/// open like any regular file; the library's entry points take paths.
class memory_file {
 public:
  memory_file() : fd_(::memfd_create("kaiin-fuzz", MFD_CLOEXEC)) {
    require(fd_ >= 0, "memfd_create failed");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~memory_file() { ::close(fd_); }
  memory_file(const memory_file&) = delete;
  memory_file& operator=(const memory_file&) = delete;

  /// Replaces the content with \p data.
  void assign(std::string_view data) {
    require(::ftruncate(fd_, 0) == 0, "ftruncate failed");
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(done));
      require(n > 0, "pwrite failed");
      done += static_cast<std::size_t>(n);
    }
  }
  /// Empties the file and returns a descriptor positioned at its start, to write to.
  int truncate() {
    require(::ftruncate(fd_, 0) == 0 && ::lseek(fd_, 0, SEEK_SET) == 0, "ftruncate failed");
    return fd_;
  }
  /// The whole content.
  std::string content() const {
    std::string s;
    char buf[65536];
    for (off_t at = 0;;) {
      ssize_t n = ::pread(fd_, buf, sizeof buf, at);
      require(n >= 0, "pread failed");
      if (n == 0) return s;
      s.append(buf, static_cast<std::size_t>(n));
      at += n;
    }
  }
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

}  // namespace kaiin::fuzz
