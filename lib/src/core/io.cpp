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

#include "core/input_kind.h"
#include "core/progress.h"
#include "core/progress_counters.h"
#include "core/system_io.h"
#include "core/utf16.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"

namespace kaiin {

std::string system_message(int err) { return std::strerror(err); }

namespace detail {

void fail(const char* what, const std::string& name, int err) {
  throw error(fmt::format("{}: {}", translate(what), system_message(err)), name);
}

std::string temp_folder() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

int anonymous_temp_file() {
  const std::string d = temp_folder();
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
  if (!checking_) return read_raw(buffer, size);
  if (position_ < checked_to_) return read_raw(buffer, std::min<std::uint64_t>(size, checked_to_ - position_));
  return stop_ ? 0 : read_checked(buffer, size);
}

std::size_t file_source::read_raw(char* buffer, std::size_t size) {
  // A terminal's end (Ctrl-D) is one read of 0 bytes, and the next read waits for
  // more typing: the end, once read, is kept.
  if (ended_) return 0;
  for (;;) {
    ssize_t n = ::read(fd_, buffer, size);
    if (n >= 0) {
      ended_ = n == 0 && size > 0;
      position_ += static_cast<std::uint64_t>(n);
      progress::count_bytes(static_cast<std::uint64_t>(n));
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) fail(N_("cannot read"), name_, errno);
  }
}

// Whole blocks, each checked before any of it is handed out. Blocks start at
// multiples of text_block; a block a read ended inside (a pipe hands out what it
// has) is kept in held_ until it is whole or the input ends.
std::size_t file_source::read_checked(char* buffer, std::size_t size) {
  using detail::text_block;
  if (held_.empty() && size >= text_block) {  // most reads: straight into the caller's buffer
    const std::size_t got = read_raw(buffer, size), whole = got / text_block * text_block;
    held_.assign(buffer + whole, got - whole);
    if (whole) return checked(buffer, whole);
  }
  while (held_.size() < text_block) {  // a block, whole, or the input's last bytes
    const std::size_t had = held_.size();
    held_.resize(text_block);
    const std::size_t n = read_raw(held_.data() + had, text_block - had);
    held_.resize(had + n);
    if (!n) break;
  }
  pending_.swap(held_);
  held_.clear();
  pending_.resize(checked(pending_.data(), pending_.size()));
  const std::size_t n = pending_.copy(buffer, size);
  pending_.erase(0, n);
  return n;
}

// Checks the \p size bytes at \p text, the input's bytes from checked_to_, a block at
// a time; returns how many are text (all of them, unless reading stops there).
std::size_t file_source::checked(const char* text, std::size_t size) {
  using detail::text_block;
  for (std::size_t at = 0; at < size; at += text_block) {
    const std::string_view block(text + at, std::min(text_block, size - at));
    if (!std::memchr(block.data(), '\0', block.size())) continue;  // text: most blocks
    if (auto end = detail::check_text(block); !end) {
      nul_blocks_.push_back(checked_to_ + at);  // text with a NUL or two: a damaged value
    } else {
      stop_ = text_stop{checked_to_ + at + end->at, end->controls, end->size};
      checked_to_ = stop_->offset;
      held_.clear();
      return at + end->at;
    }
  }
  checked_to_ += size;
  return size;
}

void file_source::check_text(std::string_view head) {
  checking_ = true;
  checked_to_ = 0;
  checked(head.data(), head.size());
}

std::uint64_t file_source::nul_block_from(std::uint64_t offset) const {
  if (!checking_) return 0;
  const std::uint64_t block = offset / detail::text_block * detail::text_block;
  auto it = std::lower_bound(nul_blocks_.begin(), nul_blocks_.end(), block);
  return it == nul_blocks_.end() ? UINT64_MAX : *it;
}

void file_source::adopt(int fd, std::uint64_t size) {
  if (owned_) ::close(fd_);
  fd_ = fd;
  owned_ = true;
  rewindable_ = true;
  position_ = size;  // read once already: seek(0) tells the progress line it is read again
  seek(0);
}

void file_source::seek(std::uint64_t offset) {
  pending_.clear();
  held_.clear();
  if (!rewindable_ || ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0)
    fail(N_("cannot rewind"), name_, rewindable_ ? errno : ESPIPE);
  // What was read past offset will be read again: the progress line's total grows.
  if (position_ > offset) progress::expect_bytes(position_ - offset);
  position_ = offset;
  ended_ = false;
}

void file_source::spool(std::string_view prefix) {
  int tmp = detail::anonymous_temp_file();
  output_stream out(tmp, format_tr("temporary copy of {}", name_));
  out.write(prefix);
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  while (std::size_t n = read(buf.get(), 1 << 20)) out.write({buf.get(), n});
  out.flush();
  adopt(tmp, position_);
}

// decode_utf16() into the temporary file \p tmp: returns the bytes written, and sets
// stop_ where the text ends, if it does.
std::uint64_t file_source::decode_utf16_into(int tmp, bool big_endian, std::string_view read_already) {
  using detail::text_block;
  output_stream out(tmp, format_tr("temporary copy of {}", name_));
  detail::utf16_decoder decoder(big_endian);
  std::string decoded;            // what is decoded and not yet written
  std::uint64_t written = 0;      // decoded bytes written: the offset of decoded[0]
  std::optional<text_stop> stop;  // where the decoded text ends, if it does
  // Writes the decoded text a block at a time, each checked as read_checked() checks
  // what it reads; \p last: the rest too.
  auto put = [&](bool last) {
    std::size_t at = 0;
    while (!stop && (decoded.size() - at >= text_block || (last && at < decoded.size()))) {
      const std::string_view block = std::string_view(decoded).substr(at, text_block);
      std::size_t keep = block.size();
      if (!std::memchr(block.data(), '\0', block.size())) {
        // text: most blocks
      } else if (auto end = detail::check_text(block); !end) {
        nul_blocks_.push_back(written + at);
      } else {
        if (written + at == 0) detail::refuse_binary(block, *end, name_);
        stop = text_stop{written + at + end->at, end->controls, end->size};
        keep = end->at;
      }
      out.write(block.substr(0, keep));
      at += keep;
    }
    decoded.erase(0, at);
    written += at;
  };
  decoder.decode(read_already.substr(2), decoded);  // after the byte order mark
  put(false);
  std::unique_ptr<char[]> buf(new char[1 << 16]);
  while (!stop)
    if (const std::size_t n = read_raw(buf.get(), 1 << 16)) {
      decoder.decode({buf.get(), n}, decoded);
      put(false);
    } else {
      break;
    }
  const bool whole = decoder.finish(decoded);
  put(true);
  out.flush();
  if (!whole && !stop)
    throw error(_("the file ends in the middle of a UTF-16 character (its size is an odd number of bytes): it was "
                  "cut short; save it again"),
                name_);
  stop_ = stop;
  return written;
}

void file_source::decode_utf16(bool big_endian, std::string_view read_already) {
  const int tmp = detail::anonymous_temp_file();
  std::uint64_t written = 0;
  try {
    written = decode_utf16_into(tmp, big_endian, read_already);
  } catch (...) {
    ::close(tmp);
    throw;
  }
  adopt(tmp, written);
  size_ = written;
  checking_ = true;
  checked_to_ = stop_ ? stop_->offset : written;
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

void output_stream::encode_utf16(bool big_endian) { utf16_ = std::make_unique<detail::utf16_encoder>(big_endian); }

void output_stream::write_all(const char* data, std::size_t size) {
  written_ += size;  // as given: for a UTF-16 output, the UTF-8 bytes
  if (utf16_) {
    encoded_.clear();
    if (!utf16_->encode({data, size}, encoded_))
      throw error(_("cannot write it as UTF-16: the text is not UTF-8 (an internal error)"), name_);
    data = encoded_.data();
    size = encoded_.size();
  }
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
