#include <unicode/utf8.h>

#include <fmt/format.h>
#include <algorithm>

#include "core/fixed_column_csv.h"
#include "kaiin/encoding.h"
#include "kaiin/i18n.h"

namespace kaiin {

void char_map::add(char32_t from, std::string to, bool is_fold) {
  entries_[from] = entry{std::move(to), is_fold};
  if (from < 0x10000) bmp_bits_[from >> 6] |= std::uint64_t{1} << (from & 63);
}

namespace {
// What Macs and iPhones type, and the character Windows (CP932) has for it. The
// last two are the JIS Roman pair a Mac JIS keyboard types: ¥ and ‾ are 0x5C and
// 0x7E in JIS X 0201, which CP932 reads as \ and ~ (and Japanese Windows shows 0x5C
// as ¥).
constexpr std::pair<char32_t, char32_t> folds[] = {{0x301C, 0xFF5E}, {0x2212, 0xFF0D}, {0x2016, 0x2225},
                                                   {0x00A2, 0xFFE0}, {0x00A3, 0xFFE1}, {0x00AC, 0xFFE2},
                                                   {0x2014, 0x2015}, {0x00A5, 0x005C}, {0x203E, 0x007E}};
}  // namespace

char32_t windows_fold(char32_t c) {
  for (auto [from, to] : folds)
    if (from == c) return to;
  return 0;
}

void char_map::add_folds() {
  for (auto [from, to] : folds) {
    if (entries_.count(from)) continue;  // the user's own replacement wins
    std::string utf8;
    append_utf8(utf8, to);
    add(from, utf8, true);
  }
}

void char_map::add_file(const std::string& path) {
  try {
    auto in = open_fixed_csv<2>(path);
    in->set_header("from", "to");
    std::string from, to;
    bool first = true;
    while (in->read_row(from, to)) {
      unsigned line = in->get_file_line();
      if (first && from == "from" && to == "to") {  // an optional header
        first = false;
        continue;
      }
      first = false;
      std::size_t i = 0;
      UChar32 c = -1;
      if (!from.empty()) U8_NEXT(from.data(), i, from.size(), c);
      if (c < 0 || i != from.size()) {
        throw error(format_tr("'from' must be exactly one character, not '{}'", from), path, line);
      }
      add(static_cast<char32_t>(c), to);
    }
  } catch (...) {
    rethrow_as_kaiin_error(path);
  }
}

std::vector<char_map::use> char_map::uses() const {
  std::vector<use> out;
  for (auto& [from, e] : entries_) out.push_back({from, e.to, e.count, e.is_fold});
  std::sort(out.begin(), out.end(), [](const use& a, const use& b) { return a.from < b.from; });
  return out;
}

}  // namespace kaiin
