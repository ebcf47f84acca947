#include "kaiin/atomic_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <utility>

#include "core/system_io.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

using detail::fail;

namespace {

std::string in_quotes(const std::string& name) { return "'" + name + "'"; }

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

atomic_output::atomic_output(const std::string& path, bool private_mode) : path_(path), private_(private_mode) {
  path == "-" ? open_stdout() : open_path();
  stream_ = std::make_unique<output_stream>(fd_, name_);
}

// Standard output: written directly, truncated back on failure, or spooled.
void atomic_output::open_stdout() {
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
    // `> file` made (or emptied) by the shell with the umask: made owner-only before
    // a password is written to it, and said as -o says it of the file it replaces:
    // the user asked for a file others could read, made or emptied alike.
    if (private_ && (st.st_mode & 077)) {
      if (::fchmod(fd_, st.st_mode & 0700) != 0) fail(N_("cannot make it owner-only"), name_, errno);
      narrowed_from_ = st.st_mode & 07777;
    }
  } else {
    mode_ = mode::spool;
    fd_ = detail::anonymous_temp_file();
  }
}

// A path: a temporary file beside the target, or a device written directly.
void atomic_output::open_path() {
  name_ = path_;
  struct stat st {};
  bool exists = ::stat(path_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) throw error(_("cannot write it: it is a directory"), path_);
  if (exists && !S_ISREG(st.st_mode)) {
    // A device (/dev/null), FIFO or socket is written as it is: renaming a file over
    // it would replace the device node itself.
    mode_ = mode::direct;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd_ < 0) fail(N_("cannot write"), path_, errno);
    close_fd_ = true;
    return;
  }
  // A symbolic link stays a link: the file it points to is replaced.
  std::error_code ec;
  std::string target = std::filesystem::is_symlink(path_, ec) ? std::filesystem::canonical(path_, ec).string() : path_;
  if (ec || target.empty()) target = path_;
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
  if (fd_ < 0) fail(N_("cannot create a temporary file beside it"), path_, errno);
  if (private_ && exists && (st.st_mode & 077)) narrowed_from_ = st.st_mode & 07777;
  path_ = target;
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
  // One failure path: a step that fails throws, and nothing of the output remains.
  try {
    stream_->flush();
    switch (mode_) {
      case mode::direct:
        if (close_fd_) ::close(fd_);
        break;
      case mode::truncate: break;
      case mode::spool: copy_spool_to_stdout(); break;
      case mode::rename: put_in_place(sync); break;
    }
  } catch (...) {
    discard();
    throw;
  }
  done_ = true;
}

void atomic_output::copy_spool_to_stdout() {
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
}

void atomic_output::put_in_place(bool sync) {
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
  if (::fchmod(fd_, mode) != 0 || (sync && sync_wanted() && ::fsync(fd_) != 0)) fail(N_("cannot write"), path_, errno);
  if (anonymous_) {
    if (!link_anonymous()) fail(N_("cannot write"), path_, errno);
    anonymous_ = false;  // it has a name now, which discard() removes
  }
  if (::close(std::exchange(fd_, -1)) != 0) fail(N_("cannot write"), path_, errno);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail(N_("cannot write"), path_, errno);
}

bool atomic_output::link_anonymous() {
  // linkat() cannot replace a file, so the file gets a fresh name beside the target
  // first, and rename() puts it in place as for a named temporary file.
  const std::string proc = fmt::format("/proc/self/fd/{}", fd_);
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  // Seeded once a thread: a random_device opened for each output cost more than the
  // link itself (a name that is taken is tried again anyway).
  thread_local std::mt19937_64 random{std::random_device{}()};
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

}  // namespace kaiin
