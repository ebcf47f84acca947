#include "kaiin/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "core/progress.h"
#include "core/progress_counters.h"
#include "core/system_io.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

std::string system_message(int err) { return std::strerror(err); }

namespace detail {

void fail(const char* what, const std::string& name, int err) {
  throw error(fmt::format("{}: {}", translate(what), system_message(err)), name);
}

int anonymous_temp_file() {
  const char* dir = std::getenv("TMPDIR");
  std::string d = dir && *dir ? dir : "/tmp";
  int fd = ::open(d.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  std::string templ = d + "/kaiin.XXXXXX";
  fd = ::mkostemp(templ.data(), O_CLOEXEC);
  if (fd < 0) fail(N_("cannot create a temporary file in this folder"), d, errno);
  ::unlink(templ.c_str());
  return fd;
}

}  // namespace detail

using detail::fail;

// ---- file_source -----------------------------------------------------------

file_source::file_source(const std::string& path) : path_(path) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
    name_ = "<stdin>";
  } else {
    name_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) fail(N_("cannot open"), path, errno);
    owned_ = true;
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) fail(N_("cannot read"), name_, errno);
  if (S_ISDIR(st.st_mode)) {
    if (owned_) ::close(fd_);
    fd_ = -1;
    throw error(_("cannot read it: it is a directory"), name_);
  }
  rewindable_ = S_ISREG(st.st_mode) && ::lseek(fd_, 0, SEEK_CUR) == 0;
  if (rewindable_) size_ = static_cast<std::uint64_t>(st.st_size);
  progress::expect_bytes(rewindable_ ? static_cast<std::uint64_t>(st.st_size) : 0, rewindable_);
}

file_source::~file_source() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

std::size_t file_source::read(char* buffer, std::size_t size) {
  if (!pending_.empty()) {
    std::size_t n = pending_.copy(buffer, size);
    pending_.erase(0, n);
    return n;
  }
  for (;;) {
    ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) {
      position_ += static_cast<std::uint64_t>(n);
      progress::count_bytes(static_cast<std::uint64_t>(n));
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) fail(N_("cannot read"), name_, errno);
  }
}

void file_source::seek(std::uint64_t offset) {
  pending_.clear();
  if (!rewindable_ || ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0)
    fail(N_("cannot rewind"), name_, rewindable_ ? errno : ESPIPE);
  // What was read past offset will be read again: the progress line's total grows.
  if (position_ > offset) progress::expect_bytes(position_ - offset);
  position_ = offset;
}

void file_source::spool(std::string_view prefix) {
  int tmp = detail::anonymous_temp_file();
  output_stream out(tmp, format_tr("temporary copy of {}", name_));
  out.write(prefix);
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  while (std::size_t n = read(buf.get(), 1 << 20)) out.write({buf.get(), n});
  out.flush();
  if (owned_) ::close(fd_);
  fd_ = tmp;
  owned_ = true;
  rewindable_ = true;
  seek(0);
}

// ---- memory_source ---------------------------------------------------------

std::size_t memory_source::read(char* buffer, std::size_t size) {
  std::size_t n = std::min({size, chunk_, data_.size()});
  data_.copy(buffer, n);
  data_.remove_prefix(n);
  return n;
}

// ---- output_stream ---------------------------------------------------------

// A stream starts with a small buffer and grows it to buffer_size once it has filled
// it: most outputs (reports, change lists, small files) stay small, and a buffer a
// file costs little, also under AddressSanitizer, which poisons every allocation.
constexpr std::size_t first_buffer = 64 * 1024;

output_stream::output_stream(int fd, std::string name, std::size_t buffer_size)
    : fd_(fd),
      name_(std::move(name)),
      buffer_(new char[std::min(buffer_size, first_buffer)]),
      capacity_(std::min(buffer_size, first_buffer)),
      max_capacity_(buffer_size) {}

output_stream::~output_stream() = default;

void output_stream::write_all(const char* data, std::size_t size) {
  // Standard output or error may be the terminal a progress line is drawn on.
  std::optional<progress::terminal_write> guard;
  if (fd_ <= STDERR_FILENO) guard.emplace(fd_, std::string_view(data, size));
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) throw broken_pipe();
      fail(N_("cannot write"), name_, errno);
    }
    data += n;
    size -= static_cast<std::size_t>(n);
    written_ += static_cast<std::uint64_t>(n);
  }
}

void output_stream::flush() {
  std::size_t n = used_;
  used_ = 0;
  write_all(buffer_.get(), n);
}

void output_stream::release() {
  flush();
  buffer_.reset();
  capacity_ = max_capacity_ = 0;
}

// Grows the buffer once it was filled (a big output); false when it is as big as it gets.
bool output_stream::grow() {
  if (capacity_ >= max_capacity_) return false;
  std::size_t bigger = std::min(max_capacity_, capacity_ * 4);
  std::unique_ptr<char[]> next(new char[bigger]);
  std::memcpy(next.get(), buffer_.get(), used_);
  buffer_ = std::move(next);
  capacity_ = bigger;
  return true;
}

char* output_stream::room_slow(std::size_t size) {
  if (grow() && size <= capacity_ - used_) return buffer_.get() + used_;
  flush();
  return size <= capacity_ ? buffer_.get() : nullptr;
}

void output_stream::write_slow(std::string_view bytes) {
  if (grow()) {
    if (bytes.size() <= capacity_ - used_) {
      bytes.copy(buffer_.get() + used_, bytes.size());
      used_ += bytes.size();
      return;
    }
  }
  flush();
  if (bytes.size() >= capacity_) {
    write_all(bytes.data(), bytes.size());
  } else {
    bytes.copy(buffer_.get(), bytes.size());
    used_ = bytes.size();
  }
}

std::string read_file(const std::string& path) {
  file_source src(path);
  std::string data;
  char buf[65536];
  while (std::size_t n = src.read(buf, sizeof buf)) data.append(buf, n);
  return data;
}

}  // namespace kaiin
