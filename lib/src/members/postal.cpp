#include "members/postal.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>

#include "core/data_dirs.h"
#include "core/system_io.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_rules.h"

namespace kaiin {

std::optional<std::uint32_t> zip_number(std::string_view zip) {
  // Seven digits at fixed places, without a loop: a look-up a row.
  static constexpr std::size_t plain[] = {0, 1, 2, 3, 4, 5, 6}, hyphen[] = {0, 1, 2, 4, 5, 6, 7};
  const std::size_t* at = zip.size() == 7 ? plain : zip.size() == 8 && zip[3] == '-' ? hyphen : nullptr;
  if (!at) return std::nullopt;
  std::uint32_t n = 0;
  bool digits = true;
  for (std::size_t i = 0; i < 7; ++i) {
    auto digit = static_cast<std::uint32_t>(static_cast<unsigned char>(zip[at[i]])) - '0';
    digits &= digit <= 9;
    n = n * 10 + digit;
  }
  if (!digits) return std::nullopt;
  return n;
}

std::string zip_text(std::uint32_t code) { return fmt::format("{:03}-{:04}", code / 10000, code % 10000); }

namespace {

constexpr std::uint32_t prefixes = 1000;

// The lines of the table's text, each with its number, for the parser.
class table_lines {
 public:
  explicit table_lines(std::string_view text) : rest_(text) {}
  bool next(std::string_view& line) {
    while (!rest_.empty()) {
      std::size_t end = rest_.find('\n');
      line = rest_.substr(0, end);
      rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
      ++number_;
      if (!line.empty() && line.front() != '#') return true;
    }
    return false;
  }
  std::uint64_t number() const { return number_; }

 private:
  std::string_view rest_;
  std::uint64_t number_ = 0;
};

// The next field of \p line up to \p separator, removed from it.
std::string_view take_field(std::string_view& line, char separator) {
  std::size_t end = line.find(separator);
  std::string_view field = line.substr(0, end);
  line.remove_prefix(end == std::string_view::npos ? line.size() : end + 1);
  return field;
}

// \p v as a number of at most \p max, or nothing.
std::optional<std::uint32_t> number_of(std::string_view v, std::uint32_t max) {
  std::uint32_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty() || n > max) return std::nullopt;
  return n;
}

// What the table holds, counted before it is read, so that its arrays are made at
// their size once: grown as it was read, they left some 120 KB of freed memory in
// kaiin-check's heap, which its peak memory kept (max RSS, 1,000,000 members).
struct table_size {
  std::size_t places = 0, sets = 0, name_bytes = 0;
  std::size_t tokens = 0;  // of the codes' lines: no more stretches than that
};

table_size count_table(std::string_view text) {
  table_size n;
  table_lines lines(text);
  std::string_view line;
  while (lines.next(line)) {
    if (line.starts_with("place\t")) {
      ++n.sets;
      std::size_t fields = 0;
      for (line.remove_prefix(6); !line.empty(); ++fields) {
        std::string_view field = take_field(line, '\t');
        if (fields % 3 != 0) n.name_bytes += field.size();  // the 郡 and the city
      }
      n.places += fields / 3;
    } else if (line[0] >= '0' && line[0] <= '9') {
      n.tokens += static_cast<std::size_t>(std::count(line.begin(), line.end(), ' '));
    }
  }
  return n;
}

}  // namespace

bool postal_table::add_places(std::string_view line, char*& names_end) {
  if (line.empty()) return false;
  while (!line.empty()) {
    auto pref = number_of(take_field(line, '\t'), 47);
    std::string_view gun = take_field(line, '\t'), city = take_field(line, '\t');
    if (!pref || !*pref || city.empty() || gun.size() > 255 || city.size() > 255) return false;
    std::memcpy(names_end, gun.data(), gun.size());
    std::memcpy(names_end + gun.size(), city.data(), city.size());
    places_.emplace_back(static_cast<std::uint8_t>(*pref), names_end, static_cast<std::uint8_t>(gun.size()),
                         static_cast<std::uint8_t>(city.size()));
    names_end += gun.size() + city.size();
  }
  set_first_.push_back(static_cast<std::uint32_t>(places_.size()));
  return true;
}

bool postal_table::add_codes(std::string_view line) {
  const std::size_t sets = set_first_.size() - 1;
  int last = -1;  // the suffix of the code before
  std::optional<std::uint16_t> set;
  bool open = false;  // the last stretch may grow
  auto add = [&](int suffix) {
    if (!set || suffix > 9999) return false;
    if (open && suffix == last + 1)
      stretches_.back().last = static_cast<std::uint16_t>(suffix);
    else
      stretches_.push_back({static_cast<std::uint16_t>(suffix), static_cast<std::uint16_t>(suffix), *set});
    open = true;
    last = suffix;
    ++codes_;
    return true;
  };
  while (!line.empty()) {
    std::string_view token = take_field(line, ' ');
    if (token.starts_with('=')) {
      auto s = number_of(token.substr(1), static_cast<std::uint32_t>(sets ? sets - 1 : 0));
      if (!s || !sets) return false;
      set = static_cast<std::uint16_t>(*s);
      open = false;
    } else if (token.ends_with('*')) {
      auto count = number_of(token.substr(0, token.size() - 1), 10000);
      if (!count || !*count) return false;
      for (std::uint32_t i = 0; i < *count; ++i)
        if (!add(last + 1)) return false;
    } else {
      auto delta = number_of(token, 10000);
      if (!delta || !*delta || !add(last + static_cast<int>(*delta))) return false;
    }
  }
  return true;
}

postal_table postal_table::parse(std::string_view text, const std::string& name) {
  postal_table t;
  const table_size size = count_table(text);
  t.names_ = std::make_unique<char[]>(size.name_bytes);
  t.names_size_ = size.name_bytes;
  t.places_.reserve(size.places);
  t.set_first_.reserve(size.sets + 1);
  t.stretches_.reserve(size.tokens);
  char* names_end = t.names_.get();
  table_lines lines(text);
  auto bad = [&] {
    return error(_("not a line of a postal table (scripts/postal-table describes the format)"), name, lines.number());
  };
  std::size_t declared = 0;
  t.set_first_.push_back(0);
  t.prefix_first_.assign(prefixes + 1, 0);
  std::uint32_t next_prefix = 0;  // prefixes come in order: the first that may come next
  std::string_view line;
  while (lines.next(line)) {
    std::string_view key = take_field(line, line.starts_with("place\t") ? '\t' : ' ');
    if (key == "date") {
      t.date_ = line;
    } else if (key == "source") {
      t.source_ = line;
    } else if (key == "codes") {
      auto n = number_of(line, 10000000);
      if (!n) throw bad();
      declared = *n;
    } else if (key == "place") {
      // the places come before the codes
      if (next_prefix || !t.add_places(line, names_end)) throw bad();
    } else {
      auto prefix = number_of(key, prefixes - 1);
      if (key.size() != 3 || !prefix || *prefix < next_prefix) throw bad();
      for (std::uint32_t p = next_prefix; p <= *prefix; ++p)
        t.prefix_first_[p] = static_cast<std::uint32_t>(t.stretches_.size());
      next_prefix = *prefix + 1;
      if (!t.add_codes(line)) throw bad();
    }
  }
  for (std::uint32_t p = next_prefix; p <= prefixes; ++p)
    t.prefix_first_[p] = static_cast<std::uint32_t>(t.stretches_.size());
  if (t.codes_ != declared || t.date_.empty() || !t.codes_) throw bad();
  t.stretches_.shrink_to_fit();  // a token is a stretch at the most; a third of them are
  return t;
}

std::span<const postal_place> postal_table::find(std::uint32_t code) const {
  if (code > 9999999) return {};
  const std::uint32_t prefix = code / 10000;
  const auto suffix = static_cast<std::uint16_t>(code % 10000);
  auto begin = stretches_.begin() + prefix_first_[prefix], end = stretches_.begin() + prefix_first_[prefix + 1];
  // The last stretch that starts at the code or before it.
  auto it = std::upper_bound(begin, end, suffix, [](std::uint16_t s, const stretch& r) { return s < r.first; });
  if (it == begin || (--it)->last < suffix) return {};
  return {places_.data() + set_first_[it->set], set_first_[it->set + 1u] - set_first_[it->set]};
}

std::span<const postal_place> postal_table::find(std::string_view zip) const {
  auto code = zip_number(zip);
  return code ? find(*code) : std::span<const postal_place>();
}

bool postal_table::in_prefecture(std::string_view zip, std::string_view pref) const {
  for (const postal_place& p : find(zip))
    if (p.pref() == pref) return true;
  return false;
}

std::size_t postal_table::memory() const {
  return names_size_ + places_.capacity() * sizeof(postal_place) + set_first_.capacity() * sizeof(std::uint32_t) +
         stretches_.capacity() * sizeof(stretch) + prefix_first_.capacity() * sizeof(std::uint32_t);
}

namespace {

std::string table_path() { return find_data_file("postal", "zip_codes.txt"); }

// The table's file, mapped for as long as it is read: read into a string, its
// 230 KB and the buffers growing to them stayed in kaiin-check's heap (or moved
// malloc's threshold for mapping large blocks), some 240 KB of peak memory more than
// the table itself (VmRSS before and after, and max RSS at 1,000,000 members).
class mapped_file {
 public:
  explicit mapped_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) detail::fail(N_("cannot open"), path, errno);
    struct stat st;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      size_ = static_cast<std::size_t>(st.st_size);
      data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    int err = errno;
    ::close(fd);
    if (data_ == MAP_FAILED) detail::fail(N_("cannot read"), path, err);
  }
  ~mapped_file() {
    if (data_ && data_ != MAP_FAILED) ::munmap(data_, size_);
  }
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;
  std::string_view text() const { return data_ ? std::string_view(static_cast<const char*>(data_), size_) : ""; }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

postal_table load_postal_data() {
  std::string path = table_path();
  if (path.empty())
    throw error(
        _("Japan Post's postal table is not installed: no postal/zip_codes.txt in kaiin's data folders (set "
          "KAIIN_DATADIR to the folder holding postal/)"));
  mapped_file file(path);
  return postal_table::parse(file.text(), path);
}

}  // namespace

const postal_table& postal_data() {
  // Loaded once a process, by the first caller (a failure is tried again at the
  // next call): about 3 ms of CPU and 286 KB (postal_table::memory()).
  static const postal_table table = load_postal_data();
  return table;
}

std::string postal_data_version() {
  std::string path = table_path();
  std::ifstream in(path);
  std::string line, date, source;
  // The head of the file only: --version need not read 140,000 codes.
  for (int i = 0; i < 8 && std::getline(in, line); ++i) {
    if (line.starts_with("date ")) date = line.substr(5);
    if (line.starts_with("source ")) source = line.substr(7, line.find(' ', 7) - 7);
  }
  if (date.empty()) return _("postal codes: Japan Post's table is not installed");
  return format_tr("postal codes: Japan Post, {} ({})", date, source);
}

}  // namespace kaiin
