// Properties on generated data (issue 8): parse → write → parse is identity; CP932 →
// UTF-8 → CP932 returns every Windows-convention file byte for byte (and UTF-8 →
// CP932 → UTF-8 every character CP932 has); the streaming layers give the same result
// for every way the input is cut into reads. Each case names its seed; KAIIN_SEED=N
// runs that seed alone.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "core/csv_input.h"
#include "generator.h"
#include "kaiin/atomic_output.h"
#include "kaiin/conv.h"
#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/encoding.h"
#include "kaiin/io.h"

#include "core/cp932.h"
#include "members/member_columns.h"

using namespace kaiin;
using namespace kaiin::testing;
using kaiin::detail::cp932_bytes;
using kaiin::detail::cp932_char;

namespace {

using rows = std::vector<std::vector<std::string>>;

// A temporary folder, removed with what it holds.
struct temp_dir {
  std::string path;
  temp_dir() {
    char p[] = "/tmp/kaiin-property-XXXXXX";
    REQUIRE(::mkdtemp(p));
    path = p;
  }
  ~temp_dir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

// Every CP932 code (one or two bytes) that decodes, and whether encoding its
// character gives the same code back.
struct cp932_codes {
  std::vector<std::string> round_trip, duplicates;
  cp932_codes() {
    auto consider = [&](const std::string& bytes) {
      auto c = cp932_char(bytes);
      if (!c) return;
      auto back = cp932_bytes(*c);
      (back && *back == bytes ? round_trip : duplicates).push_back(bytes);
    };
    for (unsigned b = 0; b < 256; ++b) consider(std::string(1, static_cast<char>(b)));
    for (unsigned lead = 0x81; lead <= 0xFC; ++lead)
      for (unsigned trail = 0x40; trail <= 0xFC; ++trail) consider({static_cast<char>(lead), static_cast<char>(trail)});
  }
};

const cp932_codes& codes() {
  static const cp932_codes c;
  return c;
}

// A CP932 file as Windows writes one: CRLF, fields made of round-trip characters,
// some quoted with commas, doubled quotes and CRLF inside.
std::string windows_file(generator& g) {
  std::vector<std::string> text_chars;
  for (const auto& c : codes().round_trip)
    if (c != "," && c != "\"" && c != "\r" && c != "\n") text_chars.push_back(c);
  std::string out;
  const std::size_t fields = g.between(1, 6), records = g.between(1, 30);
  for (std::size_t r = 0; r < records; ++r) {
    for (std::size_t f = 0; f < fields; ++f) {
      if (f) out += ',';
      const bool quoted = g.percent(30);
      std::string v;  // whole characters; in quotes also commas, doubled quotes, CRLF
      for (std::size_t k = g.below(8); k > 0; --k)
        v += quoted && g.percent(20) ? g.pick<std::string>({",", "\"\"", "\r\n"}) : g.pick(text_chars);
      out += quoted ? '"' + v + '"' : v;
    }
    if (r + 1 < records || g.percent(80)) out += "\r\n";
  }
  return out;
}

// Counts problems by kind; 外字 (warnings) are expected and not counted as errors.
struct tally : problem_sink {
  std::map<int, std::size_t> kinds;
  std::string first;
  void on_problem(const coding_problem& p) override {
    if (!kinds[p.kind]++ && first.empty()) first = std::to_string(p.kind) + "@" + std::to_string(p.offset);
  }
  std::size_t errors() const {
    std::size_t n = 0;
    for (auto [k, c] : kinds)
      if (k != coding_problem::eudc) n += c;
    return n;
  }
};

// CP932 text decoded a record at a time, as kaiin-conv does, each record's newline kept.
std::string decode_records(byte_source& src, tally& problems) {
  csv_reader reader(src);
  raw_record r;
  std::string out;
  while (reader.next(r)) {
    REQUIRE(r.problems.empty());
    decode_cp932(r.text, out, problems);
    out.append(r.newline);
  }
  return out;
}

// Feeds \p data to \p consume through a pipe, as /dev/fd/N, written in chunks of 1 to
// \p max_chunk bytes; each chunk is written once the reader has taken the one before,
// so every read sees at most one chunk: the input is cut where the generator says.
void through_pipe(std::string_view data, generator& g, std::size_t max_chunk,
                  const std::function<void(const std::string&)>& consume) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const int read_fd = 250;  // always the same name, /dev/fd/250, in what is reported
  REQUIRE(::dup2(fds[0], read_fd) == read_fd);
  ::close(fds[0]);
  std::vector<std::size_t> cuts;
  for (std::size_t at = 0; at < data.size();) cuts.push_back(at += std::min(g.between(1, max_chunk), data.size() - at));
  std::thread writer([&] {
    std::size_t from = 0;
    for (std::size_t to : cuts) {
      for (const char* p = data.data() + from; p < data.data() + to;) {
        ssize_t n = ::write(fds[1], p, static_cast<std::size_t>(data.data() + to - p));
        if (n <= 0) break;
        p += n;
      }
      from = to;
      auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);  // a reader that stopped
      int left = 0;
      while (::ioctl(fds[1], FIONREAD, &left) == 0 && left > 0 && std::chrono::steady_clock::now() < give_up)
        std::this_thread::yield();
    }
    ::close(fds[1]);
  });
  consume("/dev/fd/" + std::to_string(read_fd));
  writer.join();
  ::close(read_fd);
}

}  // namespace

TEST_CASE("property: generated records survive write → parse → write, in every read size") {
  std::size_t records = 0;
  for (std::uint64_t seed : seeds(40)) {
    generator g(seed);
    const bool cp932 = seed % 2;
    rows in = nasty_records(g, cp932, 100, g.between(1, 5));
    records += in.size();
    const std::string newline = g.percent(50) ? "\r\n" : "\n";
    const std::string text = written(in, newline);
    random_reads_source src(text, g, g.between(1, 64));
    parsed back = parse(src);
    CHECK_MESSAGE(back.problems.empty(), "seed " << seed);
    CHECK_MESSAGE(back.rows == in, "seed " << seed);
    CHECK_MESSAGE(written(back.rows, newline) == text, "seed " << seed);
  }
  if (!std::getenv("KAIIN_SEED")) CHECK(records >= 4000);
}

TEST_CASE("property: parse → write → parse is identity, on any bytes, well-formed or not") {
  for (std::uint64_t seed : seeds(300)) {
    generator g(seed);
    std::string text;  // pieces of CSV, including quotes that never close and bare CRs
    for (std::size_t k = g.between(0, 60); k > 0; --k) text += g.pick(nasty_pieces(seed % 2));
    memory_source whole(text);
    parsed first = parse(whole);
    const std::string again = written(first.rows, "\r\n");
    random_reads_source src(again, g, g.between(1, 16));
    parsed second = parse(src);
    CHECK_MESSAGE(second.rows == first.rows, "seed " << seed);
    for (auto kind : second.problems)  // written by kaiin: only ragged records remain
      CHECK_MESSAGE(kind == csv_problem_kind::field_count, "seed " << seed);
  }
}

TEST_CASE("CP932 codes that do not round-trip are exactly the NEC/IBM duplicates") {
  const auto& c = codes();
  CHECK(c.round_trip.size() > 7000);
  REQUIRE_FALSE(c.duplicates.empty());
  for (const auto& code : c.duplicates) {
    REQUIRE(code.size() == 2);
    auto u = static_cast<unsigned>(static_cast<unsigned char>(code[0])) << 8 | static_cast<unsigned char>(code[1]);
    CAPTURE(u);
    // NEC row 13 (≒ ≡ ∫ ...), NEC-selected IBM extensions, IBM extensions.
    CHECK(((u >= 0x8790 && u <= 0x879C) || (u >= 0xED40 && u <= 0xEEFC) || (u >= 0xFA40 && u <= 0xFC4B)));
    auto canonical = cp932_bytes(*cp932_char(code));  // the code Windows writes
    REQUIRE(canonical);
    CHECK(*canonical != code);
    CHECK(cp932_char(*canonical) == cp932_char(code));  // the same character
  }
  CHECK(*cp932_bytes(U'髙') == "\xFB\xFC");  // spec §2: the IBM code
  CHECK(*cp932_bytes(U'纊') == "\xFA\x5C");
  CHECK(*cp932_bytes(U'\\') == "\\");  // never ¥ or ‾
  CHECK(*cp932_bytes(U'~') == "~");
}

TEST_CASE("property: CP932 → UTF-8 → CP932 returns every Windows-convention file, however it is read") {
  // Every round-trip code once, in one file, then generated files.
  std::string all;
  for (const auto& code : codes().round_trip)
    if (code != "\r" && code != "\n" && code != "\"" && code != ",") all += code;
  std::vector<std::string> files = {"\"" + all + "\"\r\n"};
  std::vector<std::uint64_t> file_seeds = {0};
  for (std::uint64_t seed : seeds(200)) {
    generator g(seed);
    files.push_back(windows_file(g));
    file_seeds.push_back(seed);
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    generator g(file_seeds[i] + 1000);
    const std::string& cp932 = files[i];
    tally problems;
    random_reads_source src(cp932, g, g.between(1, 40));
    const std::string utf8 = decode_records(src, problems);
    REQUIRE_MESSAGE(problems.errors() == 0, "seed " << file_seeds[i] << " first " << problems.first);
    std::string back;
    tally encode_problems;
    encode_cp932(utf8, back, encode_problems);
    CHECK_MESSAGE(encode_problems.errors() == 0, "seed " << file_seeds[i]);
    CHECK_MESSAGE(back == cp932, "seed " << file_seeds[i]);
  }
}

TEST_CASE("property: UTF-8 → CP932 → UTF-8 for every character that has a CP932 code") {
  std::vector<char32_t> chars;
  for (char32_t c = 0; c < 0x10000; ++c)
    if ((c < 0xD800 || c > 0xDFFF) && cp932_bytes(c)) chars.push_back(c);
  CHECK(chars.size() == codes().round_trip.size());  // one code a character
  std::string all;
  for (char32_t c : chars) append_utf8(all, c);
  std::vector<std::string> texts = {all};
  for (std::uint64_t seed : seeds(50)) {  // and in random orders, for the byte-level fast paths
    generator g(seed);
    std::string t;
    for (std::size_t k = g.between(0, 400); k > 0; --k) append_utf8(t, g.pick(chars));
    texts.push_back(t);
  }
  for (const auto& utf8 : texts) {
    std::string cp932, back;
    tally p1, p2;
    encode_cp932(utf8, cp932, p1);
    decode_cp932(cp932, back, p2);
    CHECK(p1.errors() == 0);
    CHECK(p2.errors() == 0);
    CHECK(back == utf8);
  }
}

TEST_CASE("property: the first invalid byte is found at the same place for every read size") {
  for (std::uint64_t seed : seeds(100)) {
    generator g(seed);
    std::string text = windows_file(g);
    text.insert(g.below(text.size() + 1), g.pick<std::string>({"\x80", "\xA0", "\xFD", "\x82"}));
    for (encoding e : {encoding::cp932, encoding::utf8}) {
      memory_source whole(text);
      auto expected = find_invalid(whole, e);
      random_reads_source src(text, g, g.between(1, 32));
      auto got = find_invalid(src, e);
      REQUIRE_MESSAGE(expected.has_value() == got.has_value(), "seed " << seed);
      if (!expected) continue;
      CHECK_MESSAGE(got->offset == expected->offset, "seed " << seed);
      CHECK_MESSAGE(got->line == expected->line, "seed " << seed);
      CHECK_MESSAGE(got->column == expected->column, "seed " << seed);
    }
  }
}

namespace {

// What csv_input makes of a file: every record's values and every finding, as text.
std::string read_with_csv_input(const std::string& path, source_encoding from) {
  temp_dir dir;
  std::string report_path = dir.path + "/report";
  std::string values;
  {
    atomic_output report(report_path);
    diagnostics diag(report.stream(), report_format::text, "test");
    csv_input in(path, from, diag, is_password_header);
    raw_record r;
    record_values v;
    while (in.next(r)) {
      in.decode_fields(r, v);
      for (std::size_t i = 0; i < v.size(); ++i) values.append(v[i]).append("|");
      values += std::to_string(r.line) + "\n";
    }
    diag.finish();
    report.commit();
  }
  return values + read_file(report_path);
}

// What kaiin-conv writes for a file, and what it reports.
std::string converted(const std::string& path, source_encoding from, encoding to, bool escape) {
  temp_dir dir;
  conv_options o;
  o.input = path;
  o.output = dir.path + "/out.csv";
  o.from = from;
  o.to = to;
  o.escape_formulas = escape;
  std::string report_path = dir.path + "/report";
  int status;
  {
    atomic_output report(report_path);
    diagnostics diag(report.stream(), report_format::text, "test");
    diag.set_escape_formulas(escape);
    status = run_conv(o, diag);
    diag.finish();
    report.commit();
  }
  std::string out = ::access(o.output.c_str(), F_OK) == 0 ? read_file(o.output) : "(none)";
  std::string report = read_file(report_path);
  for (std::size_t at; (at = report.find(dir.path)) != std::string::npos;) report.replace(at, dir.path.size(), "DIR");
  return std::to_string(status) + "\n" + out + "\n" + report;
}

// Where two results first differ, printable (they may hold NUL bytes).
std::string first_difference(const std::string& a, const std::string& b) {
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  auto show = [&](const std::string& s) {
    std::string out;
    for (unsigned char c : s.substr(i > 20 ? i - 20 : 0, 60))
      out += c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c)) : fmt::format("\\x{:02X}", c);
    return out;
  };
  return fmt::format("sizes {} and {}, first difference at {}: [{}] vs [{}]", a.size(), b.size(), i, show(a), show(b));
}

}  // namespace

TEST_CASE("the pipe of the properties below really cuts the input where the generator says") {
  generator g(5);
  const std::string text(3000, 'x');
  std::size_t reads = 0, largest = 0;
  std::string got;
  through_pipe(text, g, 7, [&](const std::string& path) {
    file_source in(path);
    char buffer[65536];
    while (std::size_t n = in.read(buffer, sizeof buffer)) {
      ++reads;
      largest = std::max(largest, n);
      got.append(buffer, n);
    }
  });
  CHECK(got == text);
  CHECK(largest <= 7);
  CHECK(reads >= text.size() / 7);
}

TEST_CASE(
    "property: csv_input and kaiin-conv's conversion give the same result for every cut of a "
    "pipe") {
  std::vector<std::pair<std::string, std::uint64_t>> inputs = {{tricky_cp932, 0}};
  for (std::uint64_t seed : seeds(12)) {
    generator g(seed);
    std::string text = "h1,h2,h3\r\n";
    rows body = nasty_records(g, true, 12, 3);
    text += written(body, "\r\n");
    inputs.emplace_back(text, seed);
  }
  for (const auto& [text, seed] : inputs) {
    generator g(seed + 77);
    for (source_encoding from : {source_encoding::cp932, source_encoding::auto_detect}) {
      std::string expected_values, expected_conv, expected_escaped;
      through_pipe(text, g, text.size(), [&](const std::string& path) {  // one write: one read
        expected_values = read_with_csv_input(path, from);
      });
      through_pipe(text, g, text.size(),
                   [&](const std::string& path) { expected_conv = converted(path, from, encoding::utf8, false); });
      through_pipe(text, g, text.size(),
                   [&](const std::string& path) { expected_escaped = converted(path, from, encoding::utf8, true); });
      CHECK(expected_escaped != expected_conv);  // the summary names the count, at least
      const std::size_t max_chunk = g.between(1, 24);
      through_pipe(text, g, max_chunk, [&](const std::string& path) {
        std::string got = read_with_csv_input(path, from);
        CHECK_MESSAGE(got == expected_values, "seed " << seed << ": " << first_difference(got, expected_values));
      });
      through_pipe(text, g, max_chunk, [&](const std::string& path) {
        std::string got = converted(path, from, encoding::utf8, false);
        CHECK_MESSAGE(got == expected_conv, "seed " << seed << ": " << first_difference(got, expected_conv));
      });
      through_pipe(text, g, max_chunk, [&](const std::string& path) {
        std::string got = converted(path, from, encoding::utf8, true);
        CHECK_MESSAGE(got == expected_escaped, "seed " << seed << ": " << first_difference(got, expected_escaped));
      });
    }
  }
}
