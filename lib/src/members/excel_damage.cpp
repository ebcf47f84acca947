#include "members/excel_damage.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/code_points.h"
#include "core/cp932.h"
#include "kaiin/encoding.h"
#include "members/member_rules.h"

namespace kaiin {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view v) { return !v.empty() && std::all_of(v.begin(), v.end(), is_digit); }

// The number \p v spells (all digits, at most 18 of them).
std::uint64_t number(std::string_view v) {
  std::uint64_t n = 0;
  for (char c : v) n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return n;
}

// Reads the digits at \p at of \p v (from \p min to \p max of them) into \p out.
bool read_number(std::string_view v, std::size_t& at, std::size_t min, std::size_t max, int& out) {
  std::size_t start = at;
  while (at < v.size() && is_digit(v[at]) && at - start < max) ++at;
  if (at - start < min || (at < v.size() && is_digit(v[at]))) return false;
  out = static_cast<int>(number(v.substr(start, at - start)));
  return true;
}

// Serial day 0 is 1899/12/30 for the serials after 60 (1 is 1900/01/01 only because
// Excel counts 1900/02/29).
constexpr long serial_epoch = -25569;           // days_since_epoch(1899/12/30)
constexpr std::uint32_t last_serial = 2958465;  // 9999/12/31

}  // namespace

std::string excel_general(std::string_view digits) {
  if (digits.size() <= 11) return std::string(digits);
  // Six significant digits, rounded half up on the seventh.
  std::string mantissa(digits.substr(0, 6));
  int exponent = static_cast<int>(digits.size()) - 1;
  if (digits[6] >= '5') {
    std::size_t i = mantissa.size();
    while (i > 0 && mantissa[i - 1] == '9') mantissa[--i] = '0';
    if (i == 0) {
      mantissa.insert(mantissa.begin(), '1');
      mantissa.pop_back();
      ++exponent;
    } else {
      ++mantissa[i - 1];
    }
  }
  while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.pop_back();
  std::string out(1, mantissa[0]);
  if (mantissa.size() > 1) out.append(".").append(mantissa, 1);
  return out + fmt::format("E+{:02}", exponent);
}

bool excel_exponent(std::string_view v) {
  if (v.size() < 5 || v[0] < '1' || v[0] > '9') return false;
  std::size_t at = 1;
  if (v[at] == '.') {
    std::size_t start = ++at;
    while (at < v.size() && is_digit(v[at])) ++at;
    if (at == start || at - start > 5) return false;
  }
  if (!v.substr(at).starts_with("E+")) return false;
  std::string_view exponent = v.substr(at + 2);
  return exponent.size() >= 2 && exponent.size() <= 3 && all_digits(exponent);
}

bool excel_exponent_of(std::string_view before, std::string_view after) {
  if (!all_digits(before)) return false;
  std::size_t first = before.find_first_not_of('0');
  return first != std::string_view::npos && excel_general(before.substr(first)) == after;
}

std::optional<std::string> excel_zip_zeros(std::string_view v) {
  if ((v.size() != 5 && v.size() != 6) || !all_digits(v)) return std::nullopt;
  return std::string(7 - v.size(), '0').append(v);
}

std::optional<std::string> excel_tel_zero(std::string_view v) {
  if (v.empty() || v[0] == '0' || !all_digits(v)) return std::nullopt;
  std::string tel = "0" + std::string(v);
  if (!japanese_tel_digits_ok(tel)) return std::nullopt;
  return tel;
}

std::optional<std::uint32_t> excel_serial(std::string_view v) {
  if (v.empty() || v.size() > 7 || v[0] == '0' || !all_digits(v)) return std::nullopt;
  std::uint64_t n = number(v);
  if (n > last_serial) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

std::optional<date> excel_serial_date(std::uint32_t n) {
  if (n == 0 || n == 60 || n > last_serial) return std::nullopt;
  return date_of_days(serial_epoch + n + (n < 60 ? 1 : 0));
}

namespace {
// The date and time of second \p s counted from the start of serial day 0.
std::optional<date_time> serial_moment(std::uint64_t s) {
  auto d = excel_serial_date(static_cast<std::uint32_t>(s / 86400));
  if (!d) return std::nullopt;
  const auto in_day = static_cast<int>(s % 86400);
  return date_time{*d, in_day / 3600, in_day / 60 % 60, in_day % 60};
}
}  // namespace

std::optional<excel_moments> excel_serial_time(std::string_view v) {
  std::size_t point = v.find('.');
  std::string_view whole = v.substr(0, point), fraction = point == std::string_view::npos ? "" : v.substr(point + 1);
  if (!excel_serial(whole) || (point != std::string_view::npos && !all_digits(fraction)) || fraction.size() > 9)
    return std::nullopt;
  // The value x written with d decimals stands for [V - 1/2, V + 1/2) / 10^d, V its
  // digits as a whole number; in seconds, times 86400 = 2 * 43200. (43200 is 432 *
  // 100: with d >= 2 the products stay below 2^64 for the largest serial.)
  const auto d = fraction.size();
  const std::uint64_t value = number(whole) * [&] {
    std::uint64_t p = 1;
    for (std::size_t i = 0; i < d; ++i) p *= 10;
    return p;
  }() + number(fraction);
  std::uint64_t scale = 43200, divisor = 1;
  for (std::size_t i = 0; i < d; ++i) {
    if (scale % 10 == 0)
      scale /= 10;
    else
      divisor *= 10;
  }
  auto ceil_div = [&](std::uint64_t n) { return (n + divisor - 1) / divisor; };
  const std::uint64_t first = ceil_div((2 * value - 1) * scale), last = ceil_div((2 * value + 1) * scale) - 1;
  auto from = serial_moment(first), to = serial_moment(last), nearest = serial_moment((first + last + 1) / 2);
  if (!from || !to || !nearest || (first / 86400 < 60) != (last / 86400 < 60)) return std::nullopt;
  return excel_moments{*from, *to, *nearest};
}

std::optional<date_time> excel_minute(std::string_view v) {
  date_time t;
  std::size_t at = 0;
  if (!read_number(v, at, 4, 4, t.date.year) || at >= v.size() || (v[at] != '/' && v[at] != '-')) return std::nullopt;
  const char separator = v[at++];
  if (!read_number(v, at, 1, 2, t.date.month) || at >= v.size() || v[at++] != separator) return std::nullopt;
  if (!read_number(v, at, 1, 2, t.date.day) || at >= v.size() || v[at++] != ' ') return std::nullopt;
  if (!read_number(v, at, 1, 2, t.hour) || at >= v.size() || v[at++] != ':') return std::nullopt;
  if (!read_number(v, at, 2, 2, t.minute) || at != v.size()) return std::nullopt;
  if (!real_date(t.date) || t.hour > 23 || t.minute > 59) return std::nullopt;
  return t;
}

std::string datetime_text(const date_time& t) {
  return fmt::format("{:04}/{:02}/{:02} {:02}:{:02}:{:02}", t.date.year, t.date.month, t.date.day, t.hour, t.minute,
                     t.second);
}

namespace {
// True for a month and day of some year (2/29 too: Excel reads "2-29" in a leap year).
bool month_day(int month, int day) { return real_date({2000, month, day}); }
}  // namespace

std::optional<std::string> excel_date_of(std::string_view v) {
  int parts[3] = {};
  std::size_t at = 0, count = 0, widths[3] = {};
  while (count < 3) {
    std::size_t start = at;
    if (!read_number(v, at, 1, 4, parts[count])) return std::nullopt;
    widths[count++] = at - start;
    if (at == v.size()) break;
    if (v[at++] != '-') return std::nullopt;
  }
  if (at != v.size()) return std::nullopt;
  if (count == 2) {
    if (widths[0] > 2 || widths[1] > 2 || !month_day(parts[0], parts[1])) return std::nullopt;
    return fmt::format("{}月{}日", parts[0], parts[1]);
  }
  if (count != 3 || widths[0] == 3 || widths[1] > 2 || widths[2] > 2) return std::nullopt;
  int year = widths[0] == 4 ? parts[0] : parts[0] < 30 ? 2000 + parts[0] : 1900 + parts[0];
  if (year < 1900 || !real_date({year, parts[1], parts[2]})) return std::nullopt;
  return fmt::format("{}/{}/{}", year, parts[1], parts[2]);
}

std::optional<std::string> excel_address_number(std::string_view v) {
  date d;
  std::size_t at = 0;
  if (read_number(v, at, 1, 2, d.month) && v.substr(at).starts_with("月")) {
    at += 3;
    if (!read_number(v, at, 1, 2, d.day) || v.substr(at) != "日" || !month_day(d.month, d.day)) return std::nullopt;
    return fmt::format("{}-{}", d.month, d.day);
  }
  at = 0;
  if (!read_number(v, at, 4, 4, d.year) || at >= v.size() || v[at++] != '/') return std::nullopt;
  if (!read_number(v, at, 1, 2, d.month) || at >= v.size() || v[at++] != '/') return std::nullopt;
  if (!read_number(v, at, 1, 2, d.day) || at != v.size() || !real_date(d) || d.year < 1900) return std::nullopt;
  const bool two_digits = d.year >= 1930 && d.year <= 2029;
  return fmt::format("{}-{}-{}", two_digits ? d.year % 100 : d.year, d.month, d.day);
}

namespace {

// Whether \p after[i..] is \p before[j..] with characters CP932 lacks written '?'
// (one each, or two for one beyond U+FFFF, a '?' for each half of its UTF-16 form);
// \p lost gathers them. Recursion only at a '?', where there are two readings.
bool lost_match(const std::u32string& after, std::size_t i, const std::u32string& before, std::size_t j,
                std::u32string& lost) {
  for (; i < after.size() && after[i] != U'?'; ++i, ++j)
    if (j >= before.size() || after[i] != before[j]) return false;
  if (i == after.size()) return j == before.size();
  if (j >= before.size()) return false;
  if (before[j] == U'?') return lost_match(after, i + 1, before, j + 1, lost);
  if (detail::cp932_bytes(before[j])) return false;  // CP932 has it: Excel would have kept it
  lost.push_back(before[j]);
  if (lost_match(after, i + 1, before, j + 1, lost)) return true;
  if (before[j] > 0xFFFF && i + 1 < after.size() && after[i + 1] == U'?' &&
      lost_match(after, i + 2, before, j + 1, lost))
    return true;
  lost.pop_back();
  return false;
}

}  // namespace

std::optional<std::string> excel_lost_characters(std::string_view after, std::string_view before) {
  // A '?' a character deep: a value of thousands of them is no name or address.
  if (after.size() > 1024 || before.size() > 4096) return std::nullopt;
  std::u32string lost;
  if (!lost_match(to_u32(after), 0, to_u32(before), 0, lost)) return std::nullopt;
  std::string out;
  for (char32_t c : lost) append_utf8(out, c);
  return out;
}

}  // namespace kaiin
