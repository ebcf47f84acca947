#pragma once
// What the property tests share: a small seeded generator (so that a failure names
// its seed and can be run again alone), the nasty bytes CSV fields are made of, and
// a byte source that hands its input out in reads of random sizes.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "kaiin/csv.h"
#include "kaiin/error.h"
#include "kaiin/io.h"

namespace kaiin::testing {

/// A temporary file holding \p content, removed with the object.
struct temp_file {
  std::string path;
  explicit temp_file(std::string_view content) {
    char templ[] = "/tmp/kaiin-test-XXXXXX";
    int fd = ::mkstemp(templ);
    if (fd < 0 || ::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
      throw error("cannot write a temporary file");
    ::close(fd);
    path = templ;
  }
  ~temp_file() { ::unlink(path.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
};

/// splitmix64: tiny, fast, and the same sequence on every machine.
class generator {
 public:
  explicit generator(std::uint64_t seed) : state_(seed), seed_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// 0 .. n-1.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  /// lo .. hi.
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
  bool percent(unsigned p) { return below(100) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t state_, seed_;
};

/// The seeds a property runs with: KAIIN_SEED=N runs only N (to reproduce a
/// failure), else \p count seeds from 1.
inline std::vector<std::uint64_t> seeds(std::size_t count) {
  if (const char* s = std::getenv("KAIIN_SEED")) return {std::strtoull(s, nullptr, 10)};
  std::vector<std::uint64_t> out;
  for (std::uint64_t i = 1; i <= count; ++i) out.push_back(i);
  return out;
}

/// Pieces of field values that are hard for a CSV reader and writer: the delimiter,
/// quotes, CR, LF, CRLF, NUL, spaces at either end, multibyte UTF-8, and (with
/// \p cp932) CP932 characters whose trail byte is \ or | (ソ 表 ポ), 髙 in its IBM
/// code and a 外字. An empty piece makes empty fields.
inline const std::vector<std::string>& nasty_pieces(bool cp932) {
  // clang-format off
  static const std::vector<std::string> utf8 = {
      "a", "Z9", " ", ",", "\"", "\"\"", "\r", "\n", "\r\n", std::string(1, '\0'), "",
      "名前", "〜", "\xF0\xA0\xAE\xB7" /* 𠮷 */, "=1+2", "-5", "\t"};
  static const std::vector<std::string> sjis = {
      "a", "Z9", " ", ",", "\"", "\"\"", "\r", "\n", "\r\n", std::string(1, '\0'), "",
      "\x83\x5C" /* ソ */, "\x95\x5C" /* 表 */, "\x83\x7C" /* ポ */, "\xFB\xFC" /* 髙 */,
      "\xF0\x40" /* 外字 */, "\x82\xA0" /* あ */, "\xB1" /* ｱ */, "=1+2", "-5", "\t"};
  // clang-format on
  return cp932 ? sjis : utf8;
}

/// A field value of 0 to \p max_pieces nasty pieces.
inline std::string nasty_field(generator& g, bool cp932, std::size_t max_pieces = 5) {
  std::string v;
  for (std::size_t k = g.below(max_pieces + 1); k > 0; --k) v += g.pick(nasty_pieces(cp932));
  return v;
}

/// Records of \p fields nasty fields each.
inline std::vector<std::vector<std::string>> nasty_records(generator& g, bool cp932, std::size_t records,
                                                           std::size_t fields) {
  std::vector<std::vector<std::string>> out(records);
  for (auto& r : out)
    for (std::size_t f = 0; f < fields; ++f) r.push_back(nasty_field(g, cp932));
  return out;
}

/// A CP932 member file with what is hard for a splitter: lead bytes next to record
/// and field boundaries, quoted newlines, a 外字, an invalid byte, trail bytes 5C/7C.
// clang-format off
inline const std::string tricky_cp932 =
    "control,cus_id,cus_memo\r\n"
    "n,1,\"\x83\x5C\x83\x7C,\r\n\x94\x5C\"\r\n"       // ソポ,<CRLF>能 : trail bytes \ and |
    "u,2,\x82\xA0\x82\xA2\x82\xA4\r\n"                // あいう
    "u,3,\"\x8D\x82\"\"\xFB\xFC\"\"\"\r\n"            // 高"髙"
    "u,4,\xF0\x40\xB1\xB2\r\n"                        // 外字, ｱｲ
    "d,5,bad\x80here\r\n"
    "u,6,\x82";                                        // a cut lead byte at the very end
// clang-format on

/// Hands \p data out in reads of 1 to \p max_read bytes, sizes drawn from \p g.
class random_reads_source : public byte_source {
 public:
  random_reads_source(std::string_view data, generator& g, std::size_t max_read) : data_(data), g_(g), max_(max_read) {}
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t n = std::min({size, data_.size(), g_.between(1, max_)});
    std::memcpy(buffer, data_.data(), n);
    data_.remove_prefix(n);
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string_view data_;
  generator& g_;
  std::size_t max_;
  std::string name_ = "<random reads>";
};

/// What csv_reader reads from a source: each record's values, newline and first
/// line, and the kinds of problem met, in order.
struct parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> newlines;
  std::vector<std::uint64_t> lines;
  std::vector<csv_problem_kind> problems;
};

inline parsed parse(byte_source& src, csv_dialect dialect = {}) {
  csv_reader reader(src, dialect);
  raw_record r;
  parsed p;
  while (reader.next(r)) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      std::string v;
      r.append_value(i, v);
      row.push_back(std::move(v));
    }
    p.rows.push_back(std::move(row));
    p.newlines.emplace_back(r.newline);
    p.lines.push_back(r.line);
    for (const auto& pr : r.problems) p.problems.push_back(pr.kind);
  }
  return p;
}

/// The same for \p text, handed out in reads of at most \p chunk bytes.
inline parsed parse(std::string_view text, std::size_t chunk = SIZE_MAX, csv_dialect dialect = {}) {
  memory_source src(text, chunk);
  return parse(src, dialect);
}

/// The bytes csv_writer writes for \p records, through a temporary file as a tool
/// writes them; \p escaped, when given, receives the count of formula cells.
inline std::string written(const std::vector<std::vector<std::string>>& records, const std::string& newline,
                           csv_dialect dialect = csv_dialect::csv(), bool escape_formulas = false,
                           std::uint64_t* escaped = nullptr) {
  char path[] = "/tmp/kaiin-writer-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) throw error("cannot create a temporary file");
  {
    output_stream out(fd, path);
    csv_writer w(out, dialect, newline);
    w.set_escape_formulas(escape_formulas);
    for (const auto& r : records) w.write(r);
    if (escaped) *escaped = w.escaped();
    out.flush();
  }
  std::string text = read_file(path);
  ::close(fd);
  ::unlink(path);
  return text;
}

}  // namespace kaiin::testing
