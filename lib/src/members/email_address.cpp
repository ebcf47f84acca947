// The e-mail rule (spec §4.3): the check, the fix, the carriers' domains, and what
// the programs that read an export make of an address.

#include "members/email_address.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/code_points.h"
#include "core/data_dirs.h"
#include "core/fixed_column_csv.h"
#include "core/text.h"
#include "kaiin/encoding.h"
#include "kaiin/i18n.h"
#include "members/member_fixes.h"

namespace kaiin {

namespace detail {

namespace {

// What a byte may be: in the part before '@' (letters, digits and
// .!#$%&'*+/=?^_`{|}~-), in a domain part (letters, digits and '-').
enum : std::uint8_t { in_local = 1, in_label = 2 };
constexpr std::array<std::uint8_t, 256> byte_classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '-') t[static_cast<std::size_t>(c)] = in_local | in_label;
  }
  for (char c : std::string_view(".!#$%&'*+/=?^_`{|}~")) t[static_cast<unsigned char>(c)] |= in_local;
  return t;
}();

bool in(unsigned char c, std::uint8_t what) { return byte_classes[c] & what; }

// A domain part: 1-63 letters, digits and hyphens, a hyphen at neither end.
bool good_label(std::string_view label) {
  return !label.empty() && label.size() <= 63 && label.front() != '-' && label.back() != '-';
}

// The first problem of an address that is not valid, the most telling first: a
// character it cannot hold anywhere, then its '@', then the part before '@', then
// the domain.
email_diagnosis diagnose_invalid(std::string_view v) {
  auto at_char = [&](email_problem p, std::size_t i, std::size_t n = 1) { return email_diagnosis{p, v.substr(i, n)}; };
  for (std::size_t i = 0; i < v.size(); ++i)
    if (v[i] == '\r' || v[i] == '\n') return at_char(email_problem::line_break, i);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    if (c == '\t') return at_char(email_problem::tab, i);
    if (c < 0x20 || c == 0x7F) return at_char(email_problem::control, i);
  }
  if (std::size_t i = v.find(' '); i != std::string_view::npos) return at_char(email_problem::space, i);
  // Any other character before full-width ones: half-width, those still leave it.
  std::optional<email_diagnosis> full_width;
  for (std::size_t i = 0; i < v.size();) {
    if (static_cast<unsigned char>(v[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    const char32_t c = next_char(v, i);
    if ((c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000) {
      if (!full_width) full_width = at_char(email_problem::full_width, start, i - start);
    } else {
      return at_char(email_problem::non_ascii, start, i - start);
    }
  }
  if (full_width) return *full_width;
  const std::size_t at = v.find('@');
  if (at == std::string_view::npos) return {email_problem::no_at, {}};
  if (v.find('@', at + 1) != std::string_view::npos) return {email_problem::many_at, {}};
  const std::string_view local = v.substr(0, at), domain = v.substr(at + 1);
  if (local.empty()) return {email_problem::empty_local, {}};
  for (std::size_t i = 0; i < local.size(); ++i)
    if (!in(static_cast<unsigned char>(local[i]), in_local)) return at_char(email_problem::local_char, i);
  if (domain.empty()) return {email_problem::empty_domain, {}};
  for (std::size_t i = 0; i < domain.size(); ++i)
    if (domain[i] != '.' && !in(static_cast<unsigned char>(domain[i]), in_label))
      return at_char(email_problem::domain_char, at + 1 + i);
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return {email_problem::domain_dots, domain};
  for (std::size_t start = 0; start <= domain.size();) {
    const std::size_t end = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, end - start);
    if (label.front() == '-' || label.back() == '-') return {email_problem::label_hyphen, label};
    if (label.size() > 63) return {email_problem::label_length, label};
    start = end + 1;
  }
  if (domain.find('.') == std::string_view::npos) return {email_problem::no_dot, domain};
  return {email_problem::none, {}};
}

}  // namespace

namespace {

constexpr std::uint64_t ones = 0x0101010101010101ull, tops = ones * 0x80;

// The top bit of each byte of \p w that is an ASCII letter or digit: a byte's seven
// low bits plus 0x80 - lo reach the top bit from lo up, plus 0x80 - hi - 1 from
// past hi, and no byte carries into the next. With 0x20 set, A-Z are a-z, and no
// byte that is not a letter becomes one.
std::uint64_t alnum_bytes(std::uint64_t w) {
  auto between = [](std::uint64_t x, unsigned lo, unsigned hi) {
    return (x + ones * (0x80 - lo)) & ~(x + ones * (0x80 - hi - 1));
  };
  const std::uint64_t x = w & ~tops;
  return (between(x, '0', '9') | between(x | ones * 0x20, 'a', 'z')) & ~w & tops;
}

}  // namespace

email_problem find_email_problem(std::string_view v) {
  // The hot path of kaiin-check (and of every program reading an export): an
  // address is read eight bytes at a time, and only its bytes that are no letter or
  // digit are looked at, one by one: the '@', the dots, a '-' or '_'. A byte at a
  // time, the rule was some 300 instructions an address (callgrind, 115,000
  // addresses of generated members). The details are only worked out for an
  // address that fails.
  const std::size_t n = v.size();
  if (n == 0) return email_problem::none;
  const char* p = v.data();
  std::size_t at = std::string_view::npos, label = 0;
  bool dot = false, double_dot = false;
  for (std::size_t base = 0; base < n; base += 8) {
    // The eight bytes from base; at the end, the last eight of the address moved down
    // to start at base (or, for an address of fewer, its bytes).
    const std::size_t length = std::min<std::size_t>(8, n - base);
    std::uint64_t w = 0;
    if (n >= 8) {
      std::memcpy(&w, p + base + length - 8, 8);
      if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
      w = length == 8 ? w : w >> (8 * (8 - length));
    } else {
      for (std::size_t k = 0; k < n; ++k) w |= std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
    }
    std::uint64_t others = ~alnum_bytes(w) & tops;
    if (length < 8) others &= (std::uint64_t{1} << (8 * length)) - 1;  // none past the end
    for (; others; others &= others - 1) {
      const std::size_t i = base + static_cast<std::size_t>(std::countr_zero(others) >> 3);
      const auto c = static_cast<unsigned char>(p[i]);
      if (at == std::string_view::npos) {  // before '@'
        if (c == '@' && i > 0) {
          at = i;
          label = i + 1;
        } else if (!in(c, in_local)) {
          return diagnose_invalid(v).problem;
        } else if (c == '.' && i + 1 < n && p[i + 1] == '.') {
          double_dot = true;
        }
      } else if (c == '.') {  // a domain part ends
        if (!good_label(v.substr(label, i - label))) return diagnose_invalid(v).problem;
        dot = true;
        label = i + 1;
      } else if (c != '-') {
        return diagnose_invalid(v).problem;
      }
    }
  }
  if (at == std::string_view::npos || !dot || !good_label(v.substr(label))) return diagnose_invalid(v).problem;
  if (p[0] == '.') return email_problem::leading_dot;
  if (double_dot) return email_problem::double_dot;
  if (p[at - 1] == '.') return email_problem::dot_before_at;
  return email_problem::none;
}

email_diagnosis diagnose_email(std::string_view v) {
  const email_problem p = find_email_problem(v);
  return is_error(p) ? diagnose_invalid(v) : email_diagnosis{p, {}};
}

namespace {

// The carriers' domains of every data folder's email/*.csv: "*.pdx.ne.jp" stands
// for the domains under pdx.ne.jp.
struct carrier_domains {
  std::vector<std::pair<std::string, std::string>> exact, under;  // (domain lower-cased, carrier)

  carrier_domains() {
    std::set<std::string> read;  // a folder found twice (a build's data/ installed too) is read once
    for (const std::string& base : data_dirs()) {
      const std::string dir = base + "/email";
      for (const std::string& f : csv_files_in(dir))
        if (read.insert(dir + "/" + f).second) load(dir + "/" + f);
    }
  }
  void load(const std::string& path) {
    try {
      auto in = open_fixed_csv<2>(path);
      in->read_header(io::ignore_no_column, "domain", "carrier");
      std::string domain, carrier;
      while (in->read_row(domain, carrier)) {
        domain = email_key(domain);
        if (domain.starts_with("*."))
          under.emplace_back(domain.substr(1), carrier);  // ".pdx.ne.jp"
        else if (!domain.empty())
          exact.emplace_back(domain, carrier);
      }
    } catch (...) {
      rethrow_as_kaiin_error(path);
    }
  }
  std::string find(std::string_view domain) const {
    const std::string d = email_key(domain);
    for (const auto& [known, carrier] : exact)
      if (d == known) return carrier;
    for (const auto& [suffix, carrier] : under)
      if (d.size() > suffix.size() && d.ends_with(suffix)) return carrier;
    return {};
  }
};

}  // namespace

std::string carrier_of(std::string_view domain) {
  // Read at the first warning of a run (the static waits for it on every thread); a
  // file that cannot be read is a kaiin::error naming it, and is tried again next time.
  static const carrier_domains domains;
  return domains.find(domain);
}

member_address read_member_address(std::string_view v) {
  if (!is_error(find_email_problem(v))) return {};
  if (fixed_value f = fix_email(v)) return {address_use::folded, std::move(*f)};
  return {address_use::held_back, {}};
}

std::string travelling_form(std::string_view v) {
  member_address a = read_member_address(v);
  return a.use == address_use::folded ? std::move(a.folded) : std::string(v);
}

verdict member_address_finding(std::string_view v, const member_address& a, const char* used_as,
                               const char* held_back) {
  if (a.use == address_use::folded)
    return {severity::warning, "email-folded",
            format_tr("e-mail address '{}' is an address only with its spaces and line breaks taken out and its "
                      "full-width characters made half-width: {}",
                      v, format_tr(used_as, a.folded))};
  const rule_result why = check_email(v);
  return {severity::error, "email-invalid", fmt::format("{}: {}", why ? why->message : std::string(v), _(held_back))};
}

}  // namespace detail

using detail::email_problem;

fixed_value fix_email(std::string_view v) {
  if (!detail::is_error(detail::find_email_problem(v))) return std::nullopt;
  // What a form does, and full-width characters made half-width (the case kept).
  std::string folded = fold_address(v);
  if (folded.empty() || folded == v || detail::is_error(detail::find_email_problem(folded))) return std::nullopt;
  return folded;
}

namespace {

// A character a person sees as itself: not a space, a control or a format character
// (a no-break space, a zero-width joiner, a byte order mark), which are shown by name.
// (Not ICU's u_isalnum: the page, which has no ICU, builds this file too.)
bool shown_as_itself(char32_t c) {
  if (c < 0xA0) return c > 0x20 && c != 0x7F;
  if (c == 0xA0 || c == 0xAD || c == 0x3000 || c == 0xFEFF) return false;
  if ((c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x206F)) return false;
  return !(c >= 0xFE00 && c <= 0xFE0F) && !(c >= 0xFFF0 && c <= 0xFFFF) && !(c >= 0xE0000 && c <= 0xE007F);
}

// What is wrong with the address: the words after "e-mail address 'x' ".
std::string what_is_wrong(const detail::email_diagnosis& d) {
  const std::string_view part = d.part;
  switch (d.problem) {
    case email_problem::line_break: return _("has a line break");
    case email_problem::tab: return _("has a TAB");
    case email_problem::control: {
      std::string c = fmt::format("U+{:04X}", static_cast<unsigned>(static_cast<unsigned char>(part.front())));
      return format_tr("has the control character {}", c);
    }
    case email_problem::space: return _("has a space");
    case email_problem::non_ascii: {
      // A letter as it is ('山'); one that cannot be seen (a no-break space) by its name.
      std::size_t i = 0;
      const char32_t c = next_char(part, i);
      return format_tr("has {}, which an address cannot hold",
                       shown_as_itself(c) ? fmt::format("'{}'", part) : describe_char(c));
    }
    case email_problem::full_width: return _("has full-width characters");
    case email_problem::no_at: return _("has no '@'");
    case email_problem::many_at: return _("has more than one '@'");
    case email_problem::empty_local: return _("has nothing before '@'");
    case email_problem::local_char: return format_tr("has the character '{}' before '@', which it cannot hold", part);
    case email_problem::empty_domain: return _("has nothing after '@'");
    case email_problem::domain_char:
      return format_tr("has the character '{}' in its domain, which holds only letters, digits, '-' and '.'", part);
    case email_problem::domain_dots: return format_tr("has '..' or a '.' at an end of its domain '{}'", part);
    case email_problem::label_hyphen:
      return format_tr("has a part of its domain that starts or ends with '-' ('{}')", part);
    case email_problem::label_length:
      return format_tr("has a part of its domain longer than 63 characters ('{}')", part);
    case email_problem::no_dot:
      return format_tr("has no '.' in its domain '{}': shops mail over the internet, to domains with a dot", part);
    case email_problem::leading_dot: return _("starts with '.'");
    case email_problem::double_dot: return _("has '..' before '@'");
    case email_problem::dot_before_at: return _("has a '.' right before '@'");
    case email_problem::none: break;
  }
  return {};
}

}  // namespace

rule_result check_email(std::string_view v) {
  const email_problem problem = detail::find_email_problem(v);
  if (problem == email_problem::none) return std::nullopt;
  // Messages are only built for an address that is not valid as it is.
  const detail::email_diagnosis d = detail::diagnose_email(v);
  if (!detail::is_error(problem)) {
    const std::string carrier = detail::carrier_of(v.substr(v.rfind('@') + 1));
    if (!carrier.empty())
      return verdict{severity::warning, "email-legacy-mobile",
                     format_tr("e-mail address '{}' {}: an old form of {}'s mobile addresses, which some mail systems "
                               "refuse",
                               v, what_is_wrong(d), carrier)};
    return verdict{severity::warning, "email-dots",
                   format_tr("e-mail address '{}' {}: the shops' forms accept it, but some mail systems refuse it", v,
                             what_is_wrong(d))};
  }
  fixed_value fixed = fix_email(v);
  std::string write = fixed ? format_tr(": write '{}'", *fixed) : "";
  return verdict{severity::error, "email-syntax", format_tr("e-mail address '{}' {}{}", v, what_is_wrong(d), write),
                 std::move(fixed)};
}

}  // namespace kaiin
