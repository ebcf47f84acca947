// kaiin-make-tables OUTPUT: writes the library's CP932 and Unicode tables
// (lib/src/core/unicode_tables.h) as C++ to OUTPUT, from ICU's answers
// (unicode_from_icu.h). Run by the build; both the programs and the page compile
// what it writes.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/unicode_tables.h"
#include "unicode_from_icu.h"

namespace {

using namespace kaiin;
namespace data = kaiin::detail::unicode_data;

// The blocks whose names the page knows: what a member file's text is made of
// (Latin and its accents, combining marks as a Mac writes them, Greek, Cyrillic,
// punctuation and symbols, CJK radicals and symbols, kana, full- and half-width
// forms, emoji). Ideographs and variation selectors are numbered_prefixes.
// (Braille, 2800-28FF, is left out: 256 names of a word each.)
constexpr data::code_range named_blocks[] = {
    {0x0000, 0x036F}, {0x0370, 0x052F}, {0x2000, 0x27FF}, {0x2900, 0x2BFF}, {0x2E80, 0x2FDF},
    {0x3000, 0x33FF}, {0xFE10, 0xFE1F}, {0xFE30, 0xFE6F}, {0xFF00, 0xFFFF}, {0x1F000, 0x1FAFF},
};
// Names that are a prefix and a number, over every code point: the code point in
// hex (ideographs), or a count (variation selectors, FE00-FE0F and E0100-E01EF).
constexpr const char* numbered_prefixes[] = {"CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-",
                                             "VARIATION SELECTOR-"};

std::string hex(unsigned v, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", width, v);
  return buf;
}

// A C++ string literal of \p s (ASCII: ICU's names are).
std::string literal(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Writes \p values as a list, a dozen a line.
template <class T, class F>
void write_list(std::ostream& out, const std::vector<T>& values, F format) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    out << (i % 12 == 0 ? "\n    " : " ") << format(values[i]) << ",";
  }
  out << "\n";
}

// Writes the array \p name of \p type (unicode_tables.h declares it) and its size,
// name_size.
template <class T, class F>
void write_array(std::ostream& out, const char* type, const char* name, const std::vector<T>& values, F format) {
  out << "const " << type << " " << name << "[] = {";
  write_list(out, values, format);
  out << "};\nconst std::size_t " << name << "_size = std::size(" << name << ");\n\n";
}

void write_cp932(std::ostream& out) {
  const gen::cp932_reference t = gen::cp932_from_icu();
  out << "const std::uint16_t cp932_pairs[cp932_rows][cp932_trails] = {\n";
  for (unsigned lead = 0x81; lead <= 0xFC; ++lead) {
    if (data::cp932_row(lead) < 0) continue;
    std::vector<std::uint16_t> row;
    for (unsigned trail = 0x40; trail <= 0xFC; ++trail) row.push_back(t.pair[lead << 8 | trail]);
    out << "  {  // " << hex(lead, 2);
    write_list(out, row, [](std::uint16_t v) { return hex(v, 4); });
    out << "  },\n";
  }
  out << "};\n\nconst std::uint16_t cp932_kana[0xDF - 0xA1 + 1] = {";
  std::vector<std::uint16_t> kana(t.single.begin() + 0xA1, t.single.begin() + 0xE0);
  write_list(out, kana, [](std::uint16_t v) { return hex(v, 4); });
  // The characters several codes decode to, and the code ICU writes for each.
  std::map<std::uint16_t, int> decoded;
  for (unsigned code = 0x80; code < 0x10000; ++code) {
    std::uint16_t c = code < 0x100 ? t.single[code] : t.pair[code];
    if (c != gen::none && c >= 0x80) ++decoded[c];
  }
  std::vector<data::preferred_code> preferred;
  for (auto [c, n] : decoded)
    if (n > 1) preferred.push_back({c, t.code[c]});
  out << "};\n\n";
  write_array(out, "preferred_code", "cp932_preferred", preferred,
              [](data::preferred_code p) { return "{" + hex(p.c, 4) + ", " + hex(p.code, 4) + "}"; });
}

void write_wide(std::ostream& out) {
  std::vector<data::code_range> ranges;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (!gen::icu_wide(c)) continue;
    if (!ranges.empty() && ranges.back().last + 1 == c)
      ranges.back().last = c;
    else
      ranges.push_back({c, c});
  }
  write_array(out, "code_range", "wide", ranges,
              [](data::code_range r) { return "{" + hex(r.first, 4) + ", " + hex(r.last, 4) + "}"; });
}

// The ranges whose names are a prefix and a number (numbered_prefixes): asked of
// ICU for every code point, so that the ranges are ICU's.
void write_numbered(std::ostream& out) {
  std::vector<data::numbered_range> ranges;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    const std::string name = gen::icu_char_name(c);
    for (const char* prefix : numbered_prefixes) {
      if (!name.starts_with(prefix)) continue;
      const std::string digits = name.substr(std::string_view(prefix).size());
      char hex_digits[16];
      std::snprintf(hex_digits, sizeof hex_digits, "%04X", static_cast<unsigned>(c));
      const bool in_hex = digits == hex_digits;
      const std::int32_t count = in_hex ? -1 : std::stoi(digits);
      if (!in_hex && std::to_string(count) != digits) throw std::runtime_error("unexpected name: " + name);
      data::numbered_range* last = ranges.empty() ? nullptr : &ranges.back();
      if (last && last->prefix == prefix && last->last + 1 == c &&
          (in_hex ? last->number < 0 : last->number + static_cast<std::int32_t>(c - last->first) == count))
        last->last = c;
      else
        ranges.push_back({c, c, prefix, count});
    }
  }
  write_array(out, "numbered_range", "numbered", ranges, [](const data::numbered_range& r) {
    return "{" + hex(r.first, 4) + ", " + hex(r.last, 4) + ", " + literal(r.prefix) + ", " + std::to_string(r.number) +
           "}";
  });
}

void write_names(std::ostream& out) {
  // Each name as words; the words numbered by how often they occur, so that the
  // 128 commonest take a byte.
  std::vector<std::pair<char32_t, std::vector<std::string>>> names;
  std::map<std::string, int> uses;
  for (const data::code_range& block : named_blocks) {
    for (char32_t c = block.first; c <= block.last; ++c) {
      std::istringstream words(gen::icu_char_name(c));
      std::vector<std::string> list;
      for (std::string w; std::getline(words, w, ' ');) {
        list.push_back(w);
        ++uses[w];
      }
      names.emplace_back(c, list);
    }
  }
  std::vector<std::string> words;
  for (const auto& [w, n] : uses) words.push_back(w);
  std::stable_sort(words.begin(), words.end(), [&](const auto& a, const auto& b) { return uses[a] > uses[b]; });
  std::map<std::string, unsigned> number;
  for (unsigned i = 0; i < words.size(); ++i) number[words[i]] = i;
  if (words.size() > 128 + 0x7F00) throw std::runtime_error("too many words for two bytes");

  std::vector<unsigned> refs;
  std::vector<data::name_block> blocks;
  for (const data::code_range& block : named_blocks) {
    blocks.push_back({block.first, block.last - block.first + 1, static_cast<std::uint32_t>(refs.size())});
    for (const auto& [c, list] : names) {
      if (c < block.first || c > block.last) continue;
      for (const std::string& w : list) {
        unsigned n = number[w];
        if (n < 128) {
          refs.push_back(n);
        } else {
          refs.push_back(0x80 | (n - 128) >> 8);
          refs.push_back((n - 128) & 0xFF);
        }
      }
      refs.push_back(0xFF);
    }
  }
  write_array(out, "name_block", "name_blocks", blocks, [](data::name_block b) {
    return "{" + hex(b.first, 4) + ", " + std::to_string(b.count) + ", " + std::to_string(b.at) + "}";
  });
  out << "const unsigned char name_refs[] = {";
  write_list(out, refs, [](unsigned v) { return std::to_string(v); });
  out << "};\n\nconst char name_words[] =";
  std::vector<std::uint32_t> at;
  std::uint32_t offset = 0;
  std::string line;
  for (const std::string& w : words) {
    at.push_back(offset);
    offset += static_cast<std::uint32_t>(w.size() + 1);
    line += literal(w) + " \"\\0\" ";
    if (line.size() > 100) {
      out << "\n    " << line;
      line.clear();
    }
  }
  if (offset > 0xFFFF) throw std::runtime_error("too many words for 16-bit offsets");
  out << "\n    " << line << ";\n\nconst std::uint16_t name_word_at[] = {";
  write_list(out, at, [](std::uint32_t v) { return std::to_string(v); });
  out << "};\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kaiin-make-tables OUTPUT.cpp\n";
    return 2;
  }
  try {
    std::ostringstream out;
    out << "// Written by gen/make_tables.cpp from ICU's answers: do not edit.\n"
           "// clang-format off\n"
           "#include <iterator>\n\n#include \"core/unicode_tables.h\"\n\n"
           "namespace kaiin::detail::unicode_data {\n\n";
    write_cp932(out);
    write_wide(out);
    write_numbered(out);
    write_names(out);
    out << "\n}  // namespace kaiin::detail::unicode_data\n";
    // Written whole or not at all: a half-written table would compile.
    const std::string path = argv[1], temp = path + ".tmp";
    std::ofstream file(temp, std::ios::binary);
    file << out.str();
    file.close();
    if (!file || std::rename(temp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot write " + path);
  } catch (const std::exception& e) {
    std::cerr << "kaiin-make-tables: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
