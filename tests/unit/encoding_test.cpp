#include "kaiin/encoding.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>

#include "core/cp932.h"

using namespace kaiin;
using kaiin::detail::cp932_bytes;
using kaiin::detail::cp932_char;

namespace {

struct recorder : problem_sink {
  std::vector<coding_problem> seen;
  void on_problem(const coding_problem& p) override { seen.push_back(p); }
};

std::string decode(std::string_view in, recorder* rec = nullptr) {
  recorder local;
  std::string out;
  decode_cp932(in, out, rec ? *rec : local);
  return out;
}

std::string encode(std::string_view in, recorder* rec = nullptr, const char_map* map = nullptr) {
  recorder local;
  std::string out;
  encode_cp932(in, out, rec ? *rec : local, map);
  return out;
}

std::string utf8(char32_t c) {
  std::string s;
  append_utf8(s, c);
  return s;
}

// glibc's WINDOWS-31J charmap: what Windows decodes each code to, and which of
// those are one-way (%IRREVERSIBLE%: Windows writes another code for them).
struct charmap_entry {
  char32_t c;
  std::string bytes;
  bool reversible;
};

std::vector<charmap_entry> windows_charmap() {
  std::vector<charmap_entry> entries;
  std::unique_ptr<FILE, int (*)(FILE*)> in(popen("gzip -dc /usr/share/i18n/charmaps/WINDOWS-31J.gz 2>/dev/null", "r"),
                                           pclose);
  REQUIRE(in);
  static const std::regex line(R"(^(%IRREVERSIBLE%)?<U([0-9A-F]{4,6})>\s+/x([0-9a-f]{2})(/x([0-9a-f]{2}))?\s)");
  char buf[512];
  while (fgets(buf, sizeof buf, in.get())) {
    std::cmatch m;
    if (!std::regex_search(buf, m, line)) continue;
    charmap_entry e;
    e.reversible = !m[1].matched;
    e.c = static_cast<char32_t>(std::stoul(m[2].str(), nullptr, 16));
    e.bytes.push_back(static_cast<char>(std::stoul(m[3].str(), nullptr, 16)));
    if (m[5].matched) e.bytes.push_back(static_cast<char>(std::stoul(m[5].str(), nullptr, 16)));
    entries.push_back(e);
  }
  return entries;
}

}  // namespace

TEST_CASE("every CP932 code decodes as Windows does, and nothing else decodes") {
  auto entries = windows_charmap();
  REQUIRE(entries.size() > 9000);  // the charmap is there (package locales)
  std::map<std::string, char32_t> decodes;
  for (auto& e : entries) decodes[e.bytes] = e.c;
  std::size_t checked = 0;
  for (unsigned b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    auto it = decodes.find(one);
    auto got = cp932_char(one);
    if (it == decodes.end()) {
      CHECK_MESSAGE(!got, "byte " << b);
    } else {
      CHECK_MESSAGE(got == it->second, "byte " << b);
    }
    for (unsigned t = 0; t < 256; ++t) {
      std::string two{static_cast<char>(b), static_cast<char>(t)};
      auto it2 = decodes.find(two);
      if (it2 == decodes.end()) {
        if (one.size() && decodes.count(one)) continue;  // a single-byte character and another
        CHECK_MESSAGE(!cp932_char(two), "bytes " << b << " " << t);
      } else {
        CHECK_MESSAGE(cp932_char(two) == it2->second, "bytes " << b << " " << t);
        // The whole decoder agrees with the table, as UTF-8.
        CHECK(decode(two) == utf8(it2->second));
        ++checked;
      }
    }
  }
  CHECK(checked > 9000);
}

TEST_CASE("every character encodes back as Windows writes it, and nothing else encodes") {
  auto entries = windows_charmap();
  std::map<char32_t, std::string> writes;
  for (auto& e : entries)
    if (e.reversible) writes[e.c] = e.bytes;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    auto it = writes.find(c);
    auto got = cp932_bytes(c);
    if (it == writes.end()) {
      CHECK_MESSAGE(!got, "U+" << std::hex << static_cast<unsigned>(c));
    } else {
      CHECK_MESSAGE(got == it->second, "U+" << std::hex << static_cast<unsigned>(c));
    }
  }
  // One-way codes come back as Windows' own: NEC-selected IBM and NEC row 13.
  for (auto& e : entries) {
    if (e.reversible) continue;
    CHECK(encode(decode(e.bytes)) == writes.at(e.c));
  }
}

TEST_CASE("the characters in both NEC and IBM ranges are written with the IBM code") {
  CHECK(encode("髙") == "\xFB\xFC");
  CHECK(encode("纊") == "\xFA\x5C");
  CHECK(decode("\xEE\xE0") == "髙");  // NEC-selected IBM extension
  CHECK(encode(decode("\xEE\xE0")) == "\xFB\xFC");
  CHECK(encode("∵") == "\x81\xE6");   // in JIS row 2 and NEC row 13: the JIS code
  CHECK(encode("￢") == "\x81\xCA");  // full-width NOT SIGN: JIS, not NEC or IBM
}

TEST_CASE("ICU's control-byte swap does not reach the data") {
  CHECK(decode("\x1A\x1C\x7F") == "\x1A\x1C\x7F");
  CHECK(encode("\x1A\x1C\x7F") == "\x1A\x1C\x7F");
  CHECK(decode("\\~") == "\\~");  // never the JIS ¥ and ‾
}

TEST_CASE("invalid CP932 is reported with offset and length, never dropped silently") {
  recorder rec;
  std::string out = decode(
      "a\x80"
      "b\xA0\xFD\xFE\xFF"
      "c\x82",
      &rec);
  CHECK(out == "a\uFFFDb\uFFFD\uFFFD\uFFFD\uFFFDc\uFFFD");
  REQUIRE(rec.seen.size() == 6);
  CHECK(rec.seen[0].offset == 1);
  CHECK(rec.seen[0].kind == coding_problem::invalid);
  CHECK(rec.seen[5].offset == 8);  // a lead byte at the end: truncated
  // A lead byte before a comma: the comma is kept.
  rec.seen.clear();
  CHECK(decode("\x82,x", &rec) == "\uFFFD,x");
  REQUIRE(rec.seen.size() == 1);
  CHECK(rec.seen[0].length == 1);
  // A pair that looks valid but has no character: both bytes are bad.
  rec.seen.clear();
  decode("\x85\x40", &rec);
  REQUIRE(rec.seen.size() == 1);
  CHECK(rec.seen[0].length == 2);
}

TEST_CASE("外字 decode to private use with a warning, and encode back") {
  recorder rec;
  CHECK(decode("\xF0\x40\xF9\xFC", &rec) == utf8(0xE000) + utf8(0xE757));
  REQUIRE(rec.seen.size() == 2);
  CHECK(rec.seen[0].kind == coding_problem::eudc);
  CHECK(rec.seen[1].code_point == 0xE757);
  rec.seen.clear();
  CHECK(encode(utf8(0xE000), &rec) == "\xF0\x40");
  REQUIRE(rec.seen.size() == 1);
  CHECK(rec.seen[0].kind == coding_problem::eudc);
}

TEST_CASE("characters without a CP932 code are errors naming the code point") {
  recorder rec;
  CHECK(encode("a𠮷b😀é–〜", &rec) == "a?b????");
  REQUIRE(rec.seen.size() == 5);
  CHECK(rec.seen[0].code_point == 0x20BB7);
  CHECK(rec.seen[0].offset == 1);
  CHECK(rec.seen[0].length == 4);
  CHECK(rec.seen[1].code_point == 0x1F600);
  CHECK(rec.seen[2].code_point == 0xE9);
  CHECK(rec.seen[3].code_point == 0x2013);
  CHECK(rec.seen[4].code_point == 0x301C);
}

TEST_CASE("try_encode_cp932: the bytes, or false for what CP932 cannot hold; 外字 it can") {
  std::string out = "x";
  CHECK(detail::try_encode_cp932("髙a", out));
  CHECK(out ==
        "x\xFB\xFC"
        "a");  // appended, Windows' code
  out.clear();
  CHECK(detail::try_encode_cp932(utf8(0xE000), out));
  CHECK(out == "\xF0\x40");
  out.clear();
  CHECK_FALSE(detail::try_encode_cp932("a😀", out));
  CHECK_FALSE(detail::try_encode_cp932("〜", out));       // WAVE DASH: only --fold makes it ～
  CHECK_FALSE(detail::try_encode_cp932("ok\xC3(", out));  // ill-formed UTF-8
  CHECK(detail::try_encode_cp932("", out));
}

TEST_CASE("cp932_starts_with: a CP932 text's start against UTF-8, without decoding the rest") {
  using detail::cp932_starts_with;
  const std::string osaka = "\x91\xe5\x8d\xe3\x8e\x73\x96\x6b\x8b\xe6\x94\x7e\x93\x63";  // 大阪市北区梅田
  CHECK(cp932_starts_with(osaka, "大阪市北区"));
  CHECK(cp932_starts_with(osaka, "大阪市北区梅田"));
  CHECK(cp932_starts_with(osaka, ""));
  CHECK_FALSE(cp932_starts_with(osaka, "大阪市中央区"));
  CHECK_FALSE(cp932_starts_with(osaka, "大阪市北区梅田1"));      // longer than the text
  CHECK_FALSE(cp932_starts_with(osaka.substr(0, 5), "大阪市"));  // a lead byte cut off
  CHECK(cp932_starts_with("1-2\xb1", "1-2ｱ"));                   // ASCII and half-width katakana
  CHECK_FALSE(cp932_starts_with("\x80", "\xc2\x80"));            // a byte that is no character
  CHECK(cp932_starts_with("\xfb\xfc\x8b\xb4", "髙橋"));          // the IBM code
  CHECK(cp932_starts_with("\xee\xe0\x8b\xb4", "髙橋"));          // and the NEC-selected one
}

TEST_CASE("ill-formed UTF-8 is reported") {
  recorder rec;
  std::string out;
  copy_utf8("ok\xC3(\xED\xA0\x80\xF0\x9F", out, rec);
  CHECK(rec.seen.size() >= 3);
  CHECK(rec.seen[0].offset == 2);
  CHECK(out.substr(0, 2) == "ok");
}

TEST_CASE("--fold maps the Mac and iPhone characters and counts them") {
  char_map map;
  map.add_folds();
  recorder rec;
  CHECK(encode("〜−‖¢£¬—", &rec, &map) == encode("～－∥￠￡￢―"));
  CHECK(rec.seen.empty());
  auto uses = map.uses();
  REQUIRE(uses.size() == 9);
  for (auto& u : uses) CHECK(u.count == (u.from == 0xA5 || u.from == 0x203E ? 0 : 1));
  CHECK(windows_fold(0x301C) == 0xFF5E);
  CHECK(windows_fold(U'あ') == 0);
}

TEST_CASE("--fold writes the JIS Roman yen and overline of a Mac JIS keyboard as 0x5C and 0x7E") {
  char_map map;
  map.add_folds();
  recorder rec;
  CHECK(encode("C:¥Users ¥1,000 a‾b", &rec, &map) == "C:\\Users \\1,000 a~b");
  CHECK(rec.seen.empty());
  for (auto& u : map.uses()) {
    if (u.from == 0xA5) CHECK(u.count == 2);  // counted by character, as the summary says
    if (u.from == 0x203E) CHECK(u.count == 1);
  }
  CHECK(windows_fold(0xA5) == '\\');
  CHECK(windows_fold(0x203E) == '~');
  // Without --fold they have no CP932 code (a best fit only, never applied silently).
  recorder strict;
  encode("¥‾", &strict);
  CHECK(strict.seen.size() == 2);
  // The full-width yen has a code of its own and is not folded.
  CHECK(encode("￥", &rec, &map) == "\x81\x8F");
}

TEST_CASE("replacements apply to one character, the user's before the folds") {
  char_map map;
  map.add(0x20BB7, "吉");
  map.add(0x301C, "~");
  map.add_folds();
  recorder rec;
  CHECK(encode("𠮷田〜", &rec, &map) == encode("吉田~"));
  CHECK(rec.seen.empty());
  std::string out;
  decode_cp932("\x82\xA0", out, rec, &map);  // decoding applies the map too
  CHECK(out == "あ");
  map.add(U'あ', "ア");
  out.clear();
  decode_cp932("\x82\xA0", out, rec, &map);
  CHECK(out == "ア");
}

TEST_CASE("incomplete_tail keeps a character cut at a chunk's end") {
  CHECK(incomplete_tail("ab\x82", encoding::cp932) == 1);
  CHECK(incomplete_tail("ab\x82\xA0", encoding::cp932) == 0);
  CHECK(incomplete_tail("\x82\x82\x82", encoding::cp932) == 1);  // 8282 then a lead
  CHECK(incomplete_tail("a\xE3\x81", encoding::utf8) == 2);
  CHECK(incomplete_tail("a\xE3\x81\x82", encoding::utf8) == 0);
  CHECK(incomplete_tail("\xF0\x9F\x98", encoding::utf8) == 3);
}

TEST_CASE("first_invalid finds the first bad byte across its internal chunks") {
  std::string text(200000, 'a');
  text += "\xE3\x81\x82";  // あ in UTF-8
  CHECK(first_invalid(text, encoding::utf8) == std::string_view::npos);
  CHECK(first_invalid(text, encoding::cp932) == 200002);  // E381 is a kanji, 82 a cut lead byte
  text[70000] = '\x80';
  CHECK(first_invalid(text, encoding::utf8) == 70000);
}

TEST_CASE("describe_char names the character") {
  CHECK(describe_char(0x301C) == "U+301C WAVE DASH");
  CHECK(describe_char(0x20BB7).rfind("U+20BB7", 0) == 0);
}

namespace {

bool same_problems(const std::vector<coding_problem>& a, const std::vector<coding_problem>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind || a[i].offset != b[i].offset || a[i].length != b[i].length ||
        a[i].code_point != b[i].code_point)
      return false;
  }
  return true;
}

// Decodes \p text twice: on the fast path, and with a char_map that replaces nothing
// in it, which takes the general loop a character at a time. Both must agree.
template <class Convert>
void check_fast_and_general_agree(const std::string& text, Convert convert) {
  char_map unused;
  unused.add(0x1F9FF, "x");  // never in the texts below
  recorder fast, general;
  std::string out_fast = "<", out_general = "<";  // the decoders append
  convert(text, out_fast, fast, nullptr);
  convert(text, out_general, general, &unused);
  CHECK(out_fast == out_general);
  CHECK(same_problems(fast.seen, general.seen));
}

}  // namespace

TEST_CASE("the decoders' fast paths agree with the general loop with a character at every place of a short text") {
  // The fast paths copy ASCII sixteen bytes at a time and leave a run of multibyte
  // characters at its first odd one: each piece below, at every offset of every
  // length up to 40, puts that edge on each side of a sixteen-byte step.
  const std::vector<std::string> cp932_pieces = {
      "\x88\x9F",          // 亜, a pair
      "\xB1",              // ｱ, half-width: one byte
      "\x88\x9F\xB1\xB2",  // pair then singles
      "\x80",              // invalid single byte
      "\x81\x20",          // a lead byte, then ASCII: invalid, the ASCII kept
      "\x85\x40",          // a lead and trail that make no character: both invalid
      "\xF0\x40",          // 外字 U+E000: a warning
      "\x82",              // a lead byte, last where it ends the text
      "\xFD",              // never valid
  };
  const std::vector<std::string> utf8_pieces = {
      "\xC3\xA9",          // é
      "\xE3\x81\x82",      // あ
      "\xF0\x9F\x98\x80",  // four bytes
      "\xC3",              // cut
      "\xED\xA0\x80",      // a surrogate
      "\xE0\x80\x80",      // overlong
      "\xEE\x80\x80",      // U+E000, 外字
      "\xE3\x81",          // cut, last where it ends the text
  };
  auto decode_with = [](const std::string& t, std::string& out, recorder& r, const char_map* m) {
    decode_cp932(t, out, r, m);
  };
  auto copy_with = [](const std::string& t, std::string& out, recorder& r, const char_map* m) {
    copy_utf8(t, out, r, m);
  };
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      std::string ascii(length, 'a');
      for (std::size_t k = 0; k < length; ++k) ascii[k] = static_cast<char>('a' + k % 26);
      for (const std::string& piece : cp932_pieces) {
        std::string text = ascii.substr(0, at) + piece + ascii.substr(at);
        CAPTURE(text);
        check_fast_and_general_agree(text, decode_with);
        check_fast_and_general_agree(text + text, decode_with);
        // What the fast path would leave is what decodes_quietly finds.
        recorder r;
        std::string out;
        decode_cp932(text, out, r);
        CHECK(detail::decodes_quietly(text) == r.seen.empty());
      }
      for (const std::string& piece : utf8_pieces) {
        std::string text = ascii.substr(0, at) + piece + ascii.substr(at);
        CAPTURE(text);
        check_fast_and_general_agree(text, copy_with);
        check_fast_and_general_agree(text + text, copy_with);
      }
    }
  }
  // And literal answers, so that both paths cannot be wrong alike.
  recorder r;
  CHECK(decode(std::string(17, 'a') + "\x88\x9F\xB1\x80", &r) == std::string(17, 'a') + "亜ｱ\xEF\xBF\xBD");
  REQUIRE(r.seen.size() == 1);
  CHECK(r.seen[0].offset == 20);
  CHECK(decode("\x88\x9F\x82") == "亜\xEF\xBF\xBD");
}
