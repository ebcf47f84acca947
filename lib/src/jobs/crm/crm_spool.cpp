// kaiin-crm's orders kept between reading the order export and deciding them.

#include "jobs/crm/crm_spool.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/system_io.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {

// A row as kept: its record and line, then the lengths of its six values and the
// values one after another.
constexpr std::size_t values = 6;
constexpr std::size_t head_size = 2 * sizeof(std::uint64_t) + values * sizeof(std::uint32_t);
constexpr std::size_t flush_at = 1 << 20;
const char* const spool_name = "<temporary file>";

template <class T>
void put(std::string& to, T v) {
  to.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
T get(const char* from) {
  T v;
  std::memcpy(&v, from, sizeof v);
  return v;
}

}  // namespace

order_spool::order_spool() : fd_(anonymous_temp_file()) { buffer_.reserve(flush_at + 4096); }

order_spool::~order_spool() { ::close(fd_); }

void order_spool::add(const order_row& row) {
  const std::string_view v[values] = {row.member_id,  row.address(), row.order_id,
                                      row.ordered_at, row.total,     row.used_points};
  put(buffer_, row.record);
  put(buffer_, row.line);
  for (std::string_view s : v) put(buffer_, static_cast<std::uint32_t>(s.size()));
  for (std::string_view s : v) buffer_.append(s);
  ++rows_;
  if (buffer_.size() >= flush_at) flush();
}

void order_spool::flush() {
  for (std::size_t done = 0; done < buffer_.size();) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(N_("cannot write"), spool_name, errno);
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void order_spool::rewind() {
  flush();
  if (::lseek(fd_, 0, SEEK_SET) != 0) fail(N_("cannot read"), spool_name, errno);
  at_ = 0;
}

bool order_spool::fill(std::size_t n) {
  if (buffer_.size() - at_ >= n) return true;
  buffer_.erase(0, at_);
  at_ = 0;
  while (buffer_.size() < n) {
    const std::size_t had = buffer_.size();
    buffer_.resize(std::max(n, had + flush_at));
    ssize_t got = ::read(fd_, buffer_.data() + had, buffer_.size() - had);
    if (got < 0 && errno == EINTR) got = 0;
    if (got < 0) fail(N_("cannot read"), spool_name, errno);
    buffer_.resize(had + static_cast<std::size_t>(got));
    if (got == 0) return false;
  }
  return true;
}

bool order_spool::parse(order_row& row) {
  if (buffer_.size() - at_ < head_size) return false;
  const char* p = buffer_.data() + at_;
  std::size_t size = head_size;
  std::uint32_t len[values];
  for (std::size_t i = 0; i < values; ++i) {
    len[i] = get<std::uint32_t>(p + 2 * sizeof(std::uint64_t) + i * sizeof(std::uint32_t));
    size += len[i];
  }
  if (buffer_.size() - at_ < size) return false;
  row = order_row{};
  row.record = get<std::uint64_t>(p);
  row.line = get<std::uint64_t>(p + sizeof(std::uint64_t));
  std::string_view* v[values] = {&row.member_id,  &row.email, &row.order_id,
                                 &row.ordered_at, &row.total, &row.used_points};
  const char* text = p + head_size;
  for (std::size_t i = 0; i < values; ++i) {
    *v[i] = std::string_view(text, len[i]);
    text += len[i];
  }
  at_ += size;
  return true;
}

bool order_spool::next(order_row& row) {
  if (parse(row)) return true;
  if (!fill(head_size)) return false;
  std::size_t size = head_size;
  for (std::size_t i = 0; i < values; ++i)
    size += get<std::uint32_t>(buffer_.data() + at_ + 2 * sizeof(std::uint64_t) + i * sizeof(std::uint32_t));
  if (!fill(size) || !parse(row)) fail(N_("cannot read"), spool_name, EIO);  // never expected: add() wrote it whole
  return true;
}

std::size_t order_spool::next_batch(std::vector<order_row>& rows, std::size_t most) {
  rows.clear();
  order_row row;
  // Only the first row may read the file (moving the buffer); the others are the
  // rows the buffer holds whole, whose views stay put.
  if (!next(row)) return 0;
  rows.push_back(row);
  while (rows.size() < most && parse(row)) rows.push_back(row);
  return rows.size();
}

}  // namespace kaiin::detail
