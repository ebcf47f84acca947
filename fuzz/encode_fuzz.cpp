// Fuzz target: encoding arbitrary bytes, taken as UTF-8, to CP932 (encode_cp932),
// with and without replacements. The fast table loop is checked against a slow
// model, one character at a time through cp932_bytes(): the same bytes, '?' and a
// problem for each ill-formed sequence (a UTF-8 surrogate one of three bytes) and each character CP932 lacks, 外字 as
// warnings; and a clean encoding decodes back to the input.

#include <cstdint>
#include <string>
#include <vector>

#include <unicode/utf8.h>

#include "core/cp932.h"
#include "fuzz_util.h"
#include "kaiin/encoding.h"

namespace {

using kaiin::coding_problem;
using kaiin::fuzz::require;

struct problems : kaiin::problem_sink {
  std::vector<coding_problem> all;
  void on_problem(const coding_problem& p) override { all.push_back(p); }
  bool only_warnings() const {
    for (const coding_problem& p : all)
      if (p.kind != coding_problem::eudc) return false;
    return true;
  }
};

bool same(const std::vector<coding_problem>& a, const std::vector<coding_problem>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].offset != b[i].offset || a[i].length != b[i].length ||
        (a[i].kind != coding_problem::invalid && a[i].code_point != b[i].code_point))
      return false;
  return true;
}

// What encode_cp932 should write and report, character by character.
void model(std::string_view in, const kaiin::char_map* map, std::string& out, problems& p) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(in.data());
  auto n = static_cast<std::int32_t>(in.size());
  for (std::int32_t i = 0; i < n;) {
    auto start = static_cast<std::size_t>(i);
    UChar32 c;
    U8_NEXT(s, i, n, c);
    // A surrogate written as UTF-8 (ED A0-BF 80-BF) is one bad character of three
    // bytes (cp932.cpp's next_utf8), where U8_NEXT sees three bad bytes.
    if (c < 0 && s[start] == 0xED && start + 2 < in.size() && (s[start + 1] & 0xE0) == 0xA0 &&
        (s[start + 2] & 0xC0) == 0x80)
      i = static_cast<std::int32_t>(start + 3);
    std::size_t len = static_cast<std::size_t>(i) - start;
    if (c < 0) {
      p.on_problem({coding_problem::invalid, start, len, 0});
      out += '?';
      continue;
    }
    auto ch = static_cast<char32_t>(c);
    if (const std::string* to = map ? map->find(ch) : nullptr) {
      const auto* r = reinterpret_cast<const std::uint8_t*>(to->data());
      auto rn = static_cast<std::int32_t>(to->size());
      for (std::int32_t k = 0; k < rn;) {
        UChar32 rc;
        U8_NEXT(r, k, rn, rc);
        std::optional<std::string> b = rc < 0 ? std::nullopt : kaiin::detail::cp932_bytes(static_cast<char32_t>(rc));
        if (b) {
          out += *b;
        } else {
          p.on_problem({coding_problem::unencodable, start, len, static_cast<char32_t>(rc < 0 ? 0xFFFD : rc)});
          out += '?';
        }
      }
      continue;
    }
    if (std::optional<std::string> b = kaiin::detail::cp932_bytes(ch)) {
      out += *b;
      if (kaiin::is_eudc(ch)) p.on_problem({coding_problem::eudc, start, len, ch});
    } else {
      p.on_problem({coding_problem::unencodable, start, len, ch});
      out += '?';
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  static const kaiin::char_map map = [] {
    kaiin::char_map m;
    m.add_folds();
    m.add(U'\U00020BB7', "吉");  // 𠮷, the classic
    m.add(U'Z',
          "\xF0\x9F\x98\x80"
          "a");  // a replacement CP932 lacks in part
    m.add(U'é', "");
    return m;
  }();
  for (const kaiin::char_map* m : {static_cast<const kaiin::char_map*>(nullptr), &map}) {
    std::string out, expected;
    problems p, q;
    kaiin::encode_cp932(in, out, p, m);
    model(in, m, expected, q);
    require(out == expected, "encode_cp932 writes what cp932_bytes gives character by character");
    require(same(p.all, q.all), "encode_cp932 reports each ill-formed or unencodable character in place");
    require(out.size() <= in.size() || m, "CP932 is never longer than UTF-8");
    if (!m && p.only_warnings()) {
      problems d;
      std::string back;
      kaiin::decode_cp932(out, back, d);
      require(back == in, "a clean encoding decodes back to its input");
    }
  }
  // Appending keeps what the output held.
  std::string out = "prefix";
  problems p;
  kaiin::encode_cp932(in, out, p);
  require(out.compare(0, 6, "prefix") == 0, "encode_cp932 appends");
  return 0;
}
