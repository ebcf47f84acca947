// Fuzz target: decoding arbitrary bytes as CP932 and as UTF-8 (decode_cp932,
// copy_utf8, first_invalid, decodes_quietly, incomplete_tail, find_invalid). What encoding.h
// promises is checked against a slow character-by-character model built on
// cp932_char(): the output is valid UTF-8, every bad byte is a problem at its
// place, valid UTF-8 is copied as it is, a decoded text encodes back to Windows'
// own bytes, and decoding in chunks (keeping incomplete_tail for the next one)
// gives what decoding the whole does. Then as UTF-16, both byte orders (what
// decodes encodes back to the same bytes, in any chunks; only unpaired surrogates
// are invalid), and opened as a file is (detect_encoding: UTF-16 by its BOM, a
// workbook refused, the text read up to the first block that is not text).

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <unicode/utf8.h>

#include "core/cp932.h"
#include "core/input_kind.h"
#include "core/utf16.h"
#include "fuzz_util.h"
#include "kaiin/detect.h"
#include "kaiin/encoding.h"
#include "kaiin/error.h"

namespace {

using kaiin::coding_problem;
using kaiin::encoding;
using kaiin::fuzz::require;
constexpr std::size_t npos = std::string_view::npos;

struct problems : kaiin::problem_sink {
  std::vector<coding_problem> all;
  problems() { all.reserve(64); }
  void on_problem(const coding_problem& p) override { all.push_back(p); }
  std::size_t count(coding_problem::kind_t k) const {
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](auto& p) { return p.kind == k; }));
  }
  std::size_t first(coding_problem::kind_t k) const {
    for (const coding_problem& p : all)
      if (p.kind == k) return p.offset;
    return npos;
  }
};

bool same(const std::vector<coding_problem>& a, const std::vector<coding_problem>& b, std::size_t shift = 0) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].offset != b[i].offset + shift || a[i].length != b[i].length ||
        a[i].code_point != b[i].code_point)
      return false;
  return true;
}

void check_problems(const problems& p, std::string_view in) {
  std::size_t end = 0;
  for (const coding_problem& q : p.all) {
    require(q.length > 0 && q.offset + q.length <= in.size(), "a problem lies inside the input");
    require(q.offset >= end, "problems come in order and do not overlap");
    end = q.offset + q.length;
  }
}

bool is_lead(unsigned b) { return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC); }
bool is_trail(unsigned b) { return b >= 0x40 && b <= 0xFC && b != 0x7F; }

// The slow model of CP932 decoding: one character at a time through cp932_char().
// Also gives the bytes Windows writes for each character (cp932_bytes()).
struct model {
  std::string utf8, windows_bytes;
  std::size_t invalid = 0, first_invalid = npos;
  explicit model(std::string_view in) {
    for (std::size_t i = 0; i < in.size();) {
      auto b = static_cast<unsigned char>(in[i]);
      std::size_t len = 1;
      if (is_lead(b) && i + 1 < in.size()) {
        auto t = static_cast<unsigned char>(in[i + 1]);
        if (kaiin::detail::cp932_char(in.substr(i, 2)) || is_trail(t)) len = 2;
      }
      std::optional<char32_t> c = kaiin::detail::cp932_char(in.substr(i, len));
      if (c) {
        kaiin::append_utf8(utf8, *c);
        std::optional<std::string> bytes = kaiin::detail::cp932_bytes(*c);
        require(bytes.has_value(), "every character CP932 decodes to has a CP932 code");
        require(kaiin::detail::cp932_char(*bytes) == c, "cp932_bytes and cp932_char agree");
        windows_bytes += *bytes;
      } else {
        kaiin::append_utf8(utf8, 0xFFFD);
        if (first_invalid == npos) first_invalid = i;
        ++invalid;
      }
      i += len;
    }
  }
};

// Applies \p map to valid UTF-8 \p text one character at a time.
std::string map_each(const kaiin::char_map& map, std::string_view text) {
  std::string out;
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  auto n = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < n;) {
    std::int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    require(c >= 0, "the text to map is valid UTF-8");
    if (const std::string* to = map.find(static_cast<char32_t>(c)))
      out += *to;
    else
      out.append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
  }
  return out;
}

// Decodes \p in in two pieces split at \p cut, as a stream decoder does.
template <class Decode>
void check_split(std::string_view in, std::size_t cut, encoding e, const std::string& whole,
                 const problems& whole_problems, Decode decode) {
  std::string_view first = in.substr(0, cut);
  std::size_t keep = kaiin::incomplete_tail(first, e);
  require(keep <= first.size() && keep <= 3, "incomplete_tail keeps at most one character's bytes");
  first.remove_suffix(keep);
  std::string out;
  problems a, b;
  decode(first, out, a);
  decode(in.substr(first.size()), out, b);
  require(out == whole, "decoding in chunks gives what decoding the whole does");
  for (coding_problem& p : b.all) p.offset += first.size();
  a.all.insert(a.all.end(), b.all.begin(), b.all.end());
  require(same(a.all, whole_problems.all), "decoding in chunks reports what decoding the whole does");
}

void check_find_invalid(std::string_view in, encoding e) {
  std::size_t bad = kaiin::first_invalid(in, e);
  for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, SIZE_MAX}) {
    // Reads of one byte put a boundary at every offset of a short input; on a long
    // one they only repeat that thousands of times (as csv_reader_fuzz does).
    if (chunk == 1 && in.size() > 256) continue;
    kaiin::memory_source src(in, chunk);
    std::optional<kaiin::text_position> p = kaiin::find_invalid(src, e);
    require(p.has_value() == (bad != npos), "find_invalid finds a bad byte when first_invalid does");
    if (!p) continue;
    require(p->offset == bad, "find_invalid and first_invalid name the same byte");
    std::string_view before = in.substr(0, bad);
    require(p->line == 1 + static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n')),
            "find_invalid counts lines");
    std::size_t nl = before.rfind('\n');
    require(p->column == bad - (nl == npos ? 0 : nl + 1) + 1, "find_invalid counts columns");
  }
}

// UTF-16 in byte order \p big_endian: decoded whole and in two pieces alike; the
// UTF-8 is valid but for the surrogates left unpaired, and encodes back to the input.
void check_utf16(std::string_view in, bool big_endian, std::size_t cut) {
  std::string whole;
  kaiin::detail::utf16_decoder d(big_endian);
  d.decode(in, whole);
  require(d.finish(whole) == (in.size() % 2 == 0), "an odd byte is left over exactly when the size is odd");
  for (std::size_t at = 0; at < whole.size();) {
    const std::size_t bad = kaiin::first_invalid(std::string_view(whole).substr(at), encoding::utf8);
    if (bad == npos) break;
    require(kaiin::detail::is_surrogate_utf8(std::string_view(whole).substr(at + bad)),
            "only surrogates are not UTF-8");
    at += bad + 3;
  }
  std::string pieces;
  kaiin::detail::utf16_decoder p(big_endian);
  p.decode(in.substr(0, cut), pieces);
  p.decode(in.substr(cut), pieces);
  p.finish(pieces);
  require(pieces == whole, "UTF-16 decoded in pieces is what it is whole");
  std::string back;
  kaiin::detail::utf16_encoder e(big_endian);
  require(e.encode(whole, back) && e.finished(), "decoded UTF-16 encodes");
  require(back == in.substr(0, in.size() / 2 * 2), "decoded UTF-16 encodes back to the same bytes");
  require(kaiin::detail::utf16_size(whole) == back.size(), "utf16_size counts what is written");
}

// \p in opened as every CSV is: refused with kaiin::error, or read as text up to
// the first block that is not text.
void check_opened(std::string_view in) {
  static kaiin::fuzz::memory_file file;
  file.assign(in);
  kaiin::file_source src(file.path());
  kaiin::detection d;
  try {
    d = kaiin::detect_encoding(src, kaiin::source_encoding::auto_detect);
  } catch (const kaiin::error&) {
    return;  // a workbook, a binary file, UTF-16 cut short
  }
  std::string read;
  char buf[3000];
  while (std::size_t n = src.read(buf, sizeof buf)) read.append(buf, n);
  const std::optional<kaiin::text_stop>& stop = src.text_stopped();
  if (stop) require(stop->offset == d.data_start() + read.size(), "reading ends where the text stops");
  if (kaiin::is_utf16(d.enc)) return;
  require(in.substr(d.data_start()).starts_with(read), "what is read is the input's bytes");
  if (!stop) require(read.size() == in.size() - d.data_start(), "text is read to its end");
  // Blocks are on the file's offsets: those read whole are text, the one it stopped in is not.
  const std::size_t block = kaiin::detail::text_block, end = d.data_start() + read.size();
  for (std::size_t at = 0; at + block <= end; at += block)
    require(!kaiin::detail::check_text(in.substr(at, block)), "a block read whole is text");
  if (stop)
    require(kaiin::detail::check_text(in.substr(end / block * block, block)).has_value(),
            "reading stops in a block that is not text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto cp932 = [](std::string_view s, std::string& out, problems& p) { kaiin::decode_cp932(s, out, p); };
  auto utf8 = [](std::string_view s, std::string& out, problems& p) { kaiin::copy_utf8(s, out, p); };

  // CP932.
  problems dp;
  std::string decoded;
  kaiin::decode_cp932(in, decoded, dp);
  check_problems(dp, in);
  require(kaiin::first_invalid(decoded, encoding::utf8) == npos, "decoded CP932 is valid UTF-8");
  model m(in);
  require(decoded == m.utf8, "decode_cp932 agrees with cp932_char character by character");
  require(dp.count(coding_problem::invalid) == m.invalid, "every undecodable character is a problem");
  require(dp.first(coding_problem::invalid) == m.first_invalid, "the first bad byte is where cp932_char says");
  require(kaiin::first_invalid(in, encoding::cp932) == m.first_invalid, "first_invalid agrees with decode_cp932");
  require(kaiin::detail::decodes_quietly(in) == dp.all.empty(), "decodes_quietly agrees with decode_cp932");
  if (m.invalid == 0) {
    problems ep;
    std::string encoded;
    kaiin::encode_cp932(decoded, encoded, ep);
    require(ep.count(coding_problem::invalid) + ep.count(coding_problem::unencodable) == 0,
            "decoded CP932 encodes back without problems");
    require(encoded == m.windows_bytes, "decoded CP932 encodes back to Windows' bytes");
    require(ep.count(coding_problem::eudc) == dp.count(coding_problem::eudc), "外字 are reported both ways");
  }

  // UTF-8.
  problems up;
  std::string copied;
  kaiin::copy_utf8(in, copied, up);
  check_problems(up, in);
  require(kaiin::first_invalid(copied, encoding::utf8) == npos, "copied UTF-8 is valid UTF-8");
  require(up.first(coding_problem::invalid) == kaiin::first_invalid(in, encoding::utf8),
          "first_invalid agrees with copy_utf8");
  if (up.count(coding_problem::invalid) == 0) require(copied == in, "valid UTF-8 is copied as it is");

  // With replacements (--fold, --replace): the map applied to each character.
  static const kaiin::char_map map = [] {
    kaiin::char_map m;
    m.add_folds();
    m.add(U'\uFF5E', "~~");
    m.add(U'A', "");
    return m;
  }();
  {
    problems p;
    std::string out;
    kaiin::decode_cp932(in, out, p, &map);
    require(out == map_each(map, decoded) && same(p.all, dp.all), "decode_cp932 with a map replaces characters only");
    p.all.clear();
    out.clear();
    kaiin::copy_utf8(in, out, p, &map);
    require(out == map_each(map, copied) && same(p.all, up.all), "copy_utf8 with a map replaces characters only");
  }

  // Chunked decoding, at every cut of a short input and a few of a long one.
  std::vector<std::size_t> cuts;
  if (size <= 64) {
    for (std::size_t c = 0; c <= size; ++c) cuts.push_back(c);
  } else {
    cuts = {1, size / 3, size / 2, size - 1};
  }
  for (std::size_t cut : cuts) {
    check_split(in, cut, encoding::cp932, decoded, dp, cp932);
    check_split(in, cut, encoding::utf8, copied, up, utf8);
  }
  check_find_invalid(in, encoding::cp932);
  check_find_invalid(in, encoding::utf8);
  check_utf16(in, false, size / 2);
  check_utf16(in, true, size / 3);
  check_opened(in);
  return 0;
}
