// kaiin-crm's orders kept between reading the order export and deciding them.

#include "jobs/crm/crm_spool.h"

#include <unistd.h>

#include <algorithm>
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
// How findings name the file: where it is, for a full disk's error.
std::string spool_name() { return temp_folder() + "/<temporary file>"; }

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

spool_file::spool_file() : fd_(anonymous_temp_file()) { buffer_.reserve(flush_at + 4096); }

spool_file::~spool_file() { ::close(fd_); }

void spool_file::flush() {
  for (std::size_t done = 0; done < buffer_.size();) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(N_("cannot write"), spool_name(), errno);
    done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void spool_file::rewind() {
  if (reading_)
    buffer_.clear();  // what was read of it
  else
    flush();
  reading_ = true;
  if (::lseek(fd_, 0, SEEK_SET) != 0) fail(N_("cannot read"), spool_name(), errno);
  at_ = 0;
}

bool spool_file::fill(std::size_t n) {
  if (buffer_.size() - at_ >= n) return true;
  buffer_.erase(0, at_);
  at_ = 0;
  while (buffer_.size() < n) {
    const std::size_t had = buffer_.size();
    buffer_.resize(std::max(n, had + flush_at));
    ssize_t got = ::read(fd_, buffer_.data() + had, buffer_.size() - had);
    if (got < 0 && errno == EINTR) got = 0;
    if (got < 0) fail(N_("cannot read"), spool_name(), errno);
    buffer_.resize(had + static_cast<std::size_t>(got));
    if (got == 0) return false;
  }
  return true;
}

void order_spool::add(const order_row& row) {
  const std::string_view v[values] = {row.member_id,  row.address(), row.order_id,
                                      row.ordered_at, row.total,     row.used_points};
  std::string& to = file_.buffer();
  put(to, row.record);
  put(to, row.line);
  for (std::string_view s : v) put(to, static_cast<std::uint32_t>(s.size()));
  for (std::string_view s : v) to.append(s);
  ++rows_;
  file_.wrote();
}

bool order_spool::parse(order_row& row) {
  if (file_.available() < head_size) return false;
  const char* p = file_.data();
  std::size_t size = head_size;
  std::uint32_t len[values];
  for (std::size_t i = 0; i < values; ++i) {
    len[i] = get<std::uint32_t>(p + 2 * sizeof(std::uint64_t) + i * sizeof(std::uint32_t));
    size += len[i];
  }
  if (file_.available() < size) return false;
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
  file_.advance(size);
  return true;
}

bool order_spool::next(order_row& row) {
  if (parse(row)) return true;
  if (!file_.fill(head_size)) return false;
  std::size_t size = head_size;
  for (std::size_t i = 0; i < values; ++i)
    size += get<std::uint32_t>(file_.data() + 2 * sizeof(std::uint64_t) + i * sizeof(std::uint32_t));
  if (!file_.fill(size) || !parse(row))
    fail(N_("cannot read"), spool_name(), EIO);  // never expected: add() wrote it whole
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

// A record as kept: its number, record number, line, the sizes of its text and of its
// field list; where each field begins and ends (two bytes each in a record of less
// than 64 KiB, four in a longer one), whether each is quoted and escaped (two bits a
// field), then the text. Some 4.3 bytes a field: a member's record takes about half as
// much again as its text.
namespace {
constexpr std::size_t record_head = sizeof(std::uint32_t) + 2 * sizeof(std::uint64_t) + 2 * sizeof(std::uint32_t);

std::size_t offset_size(std::size_t text_size) { return text_size < 0x10000 ? 2 : 4; }
std::size_t fields_size(std::size_t fields, std::size_t text_size) {
  return fields * 2 * offset_size(text_size) + (fields + 3) / 4;
}
}  // namespace

void record_spool::add(std::uint32_t number, const raw_record& r) {
  std::string& to = file_.buffer();
  put(to, number);
  put(to, r.number);
  put(to, r.line);
  put(to, static_cast<std::uint32_t>(r.text.size()));
  put(to, static_cast<std::uint32_t>(r.fields.size()));
  const bool narrow = offset_size(r.text.size()) == 2;
  for (const csv_field& f : r.fields) {
    if (narrow) {
      put(to, static_cast<std::uint16_t>(f.begin));
      put(to, static_cast<std::uint16_t>(f.end));
    } else {
      put(to, static_cast<std::uint32_t>(f.begin));
      put(to, static_cast<std::uint32_t>(f.end));
    }
  }
  for (std::size_t i = 0; i < r.fields.size(); i += 4) {
    unsigned flags = 0;
    for (std::size_t k = i; k < std::min(i + 4, r.fields.size()); ++k)
      flags |= (unsigned{r.fields[k].quoted} | unsigned{r.fields[k].escaped} << 1) << 2 * (k - i);
    put(to, static_cast<std::uint8_t>(flags));
  }
  to.append(r.text);
  file_.wrote();
}

bool record_spool::next(std::uint32_t& number, raw_record& r) {
  if (!file_.fill(record_head)) return false;
  const auto text_size = get<std::uint32_t>(file_.data() + record_head - 2 * sizeof(std::uint32_t));
  const auto fields = get<std::uint32_t>(file_.data() + record_head - sizeof(std::uint32_t));
  const std::size_t size = record_head + fields_size(fields, text_size) + text_size;
  if (!file_.fill(size)) fail(N_("cannot read"), spool_name(), EIO);  // never expected: add() wrote it whole
  const char* p = file_.data();
  number = get<std::uint32_t>(p);
  r.number = get<std::uint64_t>(p + sizeof(std::uint32_t));
  r.line = get<std::uint64_t>(p + sizeof(std::uint32_t) + sizeof(std::uint64_t));
  r.fields.resize(fields);
  const char* f = p + record_head;
  const bool narrow = offset_size(text_size) == 2;
  for (csv_field& field : r.fields) {
    if (narrow) {
      field.begin = get<std::uint16_t>(f);
      field.end = get<std::uint16_t>(f + 2);
      f += 4;
    } else {
      field.begin = get<std::uint32_t>(f);
      field.end = get<std::uint32_t>(f + 4);
      f += 8;
    }
  }
  for (std::size_t i = 0; i < fields; ++i) {
    const auto flags = static_cast<unsigned>(static_cast<unsigned char>(f[i / 4])) >> 2 * (i % 4);
    r.fields[i].quoted = flags & 1;
    r.fields[i].escaped = flags & 2;
  }
  r.text = std::string_view(f + (fields + 3) / 4, text_size);
  r.newline = {};
  r.problems.clear();
  file_.advance(size);
  return true;
}

}  // namespace kaiin::detail
