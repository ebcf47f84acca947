#include "kaiin/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>

#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/progress.h"

namespace kaiin {

std::string system_message(int err) { return std::strerror(err); }

namespace {

std::string in_quotes(const std::string& name) { return "'" + name + "'"; }

// \p what says what failed on file \p name ("cannot open"), marked N_() where it is
// written and translated here; the system's reason follows it, and the file's name
// is the error's place.
[[noreturn]] void fail(const char* what, const std::string& name, int err) {
  throw error(fmt::format("{}: {}", translate(what), system_message(err)), name);
}

// An unlinked temporary file in $TMPDIR (or /tmp): gone when closed, whatever happens.
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

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool sync_wanted() {
  static const bool wanted = [] {
    const char* env = std::getenv("KAIIN_SYNC");
    return env && *env && std::string_view(env) != "0";
  }();
  return wanted;
}

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
  int tmp = anonymous_temp_file();
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

output_stream::output_stream(int fd, std::string name, std::size_t buffer_size)
    : fd_(fd), name_(std::move(name)), buffer_(new char[buffer_size]), capacity_(buffer_size) {}

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
  capacity_ = 0;
}

void output_stream::write_slow(std::string_view bytes) {
  flush();
  if (bytes.size() >= capacity_) {
    write_all(bytes.data(), bytes.size());
  } else {
    bytes.copy(buffer_.get(), bytes.size());
    used_ = bytes.size();
  }
}

// ---- atomic_output ---------------------------------------------------------

atomic_output::atomic_output(const std::string& path, bool private_mode) : path_(path), private_(private_mode) {
  if (path == "-") {
    name_ = "<stdout>";
    struct stat st {};
    if (::fstat(STDOUT_FILENO, &st) != 0) fail(N_("cannot write"), name_, errno);
    if (S_ISCHR(st.st_mode)) {
      mode_ = mode::direct;
      fd_ = STDOUT_FILENO;
    } else if (S_ISREG(st.st_mode)) {
      mode_ = mode::truncate;
      fd_ = STDOUT_FILENO;
      start_offset_ = ::lseek(fd_, 0, SEEK_CUR);
      if (start_offset_ < 0) start_offset_ = 0;
      // `> file` made by the shell with the umask: made owner-only before a password
      // is written to it. Only a file that held something already (>>) is worth a
      // warning; an empty one is what the redirection has just made.
      if (private_ && (st.st_mode & 077)) {
        if (::fchmod(fd_, st.st_mode & 0700) != 0) fail(N_("cannot make it owner-only"), name_, errno);
        if (st.st_size > 0) narrowed_from_ = st.st_mode & 07777;
      }
    } else {
      mode_ = mode::spool;
      fd_ = anonymous_temp_file();
    }
  } else {
    name_ = path;
    struct stat st {};
    bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) throw error(_("cannot write it: it is a directory"), path);
    if (exists && !S_ISREG(st.st_mode)) {
      // A device (/dev/null), FIFO or socket is written as it is: renaming a file over
      // it would replace the device node itself.
      mode_ = mode::direct;
      fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd_ < 0) fail(N_("cannot write"), path, errno);
      close_fd_ = true;
      stream_ = std::make_unique<output_stream>(fd_, name_);
      return;
    }
    // A symbolic link stays a link: the file it points to is replaced.
    std::error_code ec;
    std::string target = std::filesystem::is_symlink(path, ec) ? std::filesystem::canonical(path, ec).string() : path;
    if (ec || target.empty()) target = path;
    path_ = target;
    mode_ = mode::rename;
    temp_path_ = dir_of(target) + "/." + base_of(target) + ".kaiin-XXXXXX";
    // A file without a name in the target's folder: a run killed with SIGKILL leaves
    // nothing behind. It gets a name only at commit (see link_anonymous). Where the
    // file system has no O_TMPFILE, or /proc is not there to link it by, a named
    // temporary file is used, and removed on every failure but a kill.
    if (::access("/proc/self/fd", X_OK) == 0)
      fd_ = ::open(dir_of(target).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    anonymous_ = fd_ >= 0;
    if (!anonymous_) fd_ = ::mkostemp(temp_path_.data(), O_CLOEXEC);
    if (fd_ < 0) fail(N_("cannot create a temporary file beside it"), path, errno);
    if (private_ && exists && (st.st_mode & 077)) narrowed_from_ = st.st_mode & 07777;
  }
  stream_ = std::make_unique<output_stream>(fd_, name_);
}

atomic_output::~atomic_output() {
  if (!done_) discard();
}

void atomic_output::refuse_inputs(const std::string& output, const std::vector<std::string>& inputs) {
  struct stat out {};
  if (output == "-" || ::stat(output.c_str(), &out) != 0) return;
  for (const std::string& in : inputs) {
    struct stat st {};
    if (in.empty() || in == "-" || ::stat(in.c_str(), &st) != 0) continue;
    if (st.st_dev == out.st_dev && st.st_ino == out.st_ino)
      throw error(format_tr("it is the input {}: write the output to another file", in_quotes(in)), output);
  }
}

void atomic_output::commit(bool sync) {
  stream_->flush();
  switch (mode_) {
    case mode::direct:
      if (close_fd_) ::close(fd_);
      break;
    case mode::truncate: break;
    case mode::spool: {
      if (::lseek(fd_, 0, SEEK_SET) < 0) fail(N_("cannot rewind its temporary copy"), name_, errno);
      output_stream out(STDOUT_FILENO, name_);
      std::unique_ptr<char[]> buf(new char[1 << 20]);
      for (;;) {
        ssize_t n = ::read(fd_, buf.get(), 1 << 20);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(N_("cannot read its temporary copy"), name_, errno);
        if (n == 0) break;
        out.write({buf.get(), static_cast<std::size_t>(n)});
      }
      out.flush();
      ::close(fd_);
      break;
    }
    case mode::rename: {
      mode_t mode = 0600;
      struct stat st {};
      if (!private_) {
        if (::stat(path_.c_str(), &st) == 0) {
          mode = st.st_mode & 07777;
        } else {
          mode_t mask = ::umask(0);
          ::umask(mask);
          mode = 0666 & ~mask;
        }
      }
      if (::fchmod(fd_, mode) != 0 || (sync && sync_wanted() && ::fsync(fd_) != 0)) {
        int err = errno;
        discard();
        fail(N_("cannot write"), path_, err);
      }
      if (anonymous_) {
        if (!link_anonymous()) {
          int err = errno;
          discard();
          fail(N_("cannot write"), path_, err);
        }
        anonymous_ = false;  // it has a name now, which discard() removes
      }
      if (::close(fd_) != 0) {
        int err = errno;
        fd_ = -1;
        discard();
        fail(N_("cannot write"), path_, err);
      }
      fd_ = -1;
      if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
        int err = errno;
        discard();
        fail(N_("cannot write"), path_, err);
      }
      break;
    }
  }
  done_ = true;
}

bool atomic_output::link_anonymous() {
  // linkat() cannot replace a file, so the file gets a fresh name beside the target
  // first, and rename() puts it in place as for a named temporary file.
  const std::string proc = fmt::format("/proc/self/fd/{}", fd_);
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device random;
  const std::size_t x = temp_path_.size() - 6;
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (std::size_t i = 0; i < 6; ++i) temp_path_[x + i] = letters[random() % (sizeof letters - 1)];
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, temp_path_.c_str(), AT_SYMLINK_FOLLOW) == 0) return true;
    if (errno != EEXIST) return false;
  }
  return false;
}

void atomic_output::discard() noexcept {
  if (done_) return;
  done_ = true;
  switch (mode_) {
    case mode::direct:
      if (close_fd_) ::close(fd_);
      break;
    case mode::truncate:
      if (::ftruncate(fd_, start_offset_) == 0) ::lseek(fd_, start_offset_, SEEK_SET);
      break;
    case mode::spool: ::close(fd_); break;
    case mode::rename:
      if (fd_ >= 0) ::close(fd_);
      if (!anonymous_) ::unlink(temp_path_.c_str());  // an unnamed file is gone with its descriptor
      break;
  }
  fd_ = -1;
}

std::string read_file(const std::string& path) {
  file_source src(path);
  std::string data;
  char buf[65536];
  while (std::size_t n = src.read(buf, sizeof buf)) data.append(buf, n);
  return data;
}

}  // namespace kaiin
