#include "kaiin/date.h"

#include <ctime>

#include <fmt/format.h>

namespace kaiin {

namespace {

bool digits(std::string_view v) {
  for (char c : v)
    if (c < '0' || c > '9') return false;
  return true;
}

int number(std::string_view v) {
  int n = 0;
  for (char c : v) n = n * 10 + (c - '0');
  return n;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool real_date(const date& d) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1) return false;
  return d.day <= days[d.month - 1] + (d.month == 2 && leap(d.year) ? 1 : 0);
}

std::optional<date> parse_date(std::string_view v) {
  if (v.size() != 10 || v[4] != v[7] || (v[4] != '/' && v[4] != '-')) return std::nullopt;
  if (!digits(v.substr(0, 4)) || !digits(v.substr(5, 2)) || !digits(v.substr(8, 2))) return std::nullopt;
  date d{number(v.substr(0, 4)), number(v.substr(5, 2)), number(v.substr(8, 2))};
  if (!real_date(d)) return std::nullopt;
  return d;
}

std::optional<date_time> parse_date_time(std::string_view v) {
  if (v.size() < 10) return std::nullopt;
  auto d = parse_date(v.substr(0, 10));
  if (!d) return std::nullopt;
  date_time t{*d};
  if (v.size() == 10) return t;
  auto two = [&](std::size_t at, int max, int& out) {
    if (at + 2 > v.size() || !digits(v.substr(at, 2))) return false;
    out = number(v.substr(at, 2));
    return out <= max;
  };
  if (v[10] != ' ' || !two(11, 23, t.hour) || v.size() < 16 || v[13] != ':' || !two(14, 59, t.minute))
    return std::nullopt;
  if (v.size() == 16) return t;
  if (v.size() != 19 || v[16] != ':' || !two(17, 59, t.second)) return std::nullopt;
  return t;
}

std::string date_text(const std::optional<date>& d, std::string_view like) {
  if (!d) return {};
  const char sep = like.size() > 4 && like[4] == '-' ? '-' : '/';
  if (d->year < 0 || d->year > 9999 || d->month < 0 || d->month > 99 || d->day < 0 || d->day > 99)
    return fmt::format("{:04}{}{:02}{}{:02}", d->year, sep, d->month, sep, d->day);
  // By hand: kaiin-crm writes one for each order, and fmt took a sixth of its writing.
  auto digit = [](int v) { return static_cast<char>('0' + v % 10); };
  return {digit(d->year / 1000),
          digit(d->year / 100),
          digit(d->year / 10),
          digit(d->year),
          sep,
          digit(d->month / 10),
          digit(d->month),
          sep,
          digit(d->day / 10),
          digit(d->day)};
}

date today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

long days_since_epoch(const date& d) {  // Howard Hinnant's days_from_civil
  int y = d.year - (d.month <= 2);
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

date date_of_days(long days) {  // Howard Hinnant's civil_from_days
  days += 719468;
  const long era = (days >= 0 ? days : days - 146096) / 146097;
  const long doe = days - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(yoe + era * 400 + (month <= 2)), month, day};
}

}  // namespace kaiin
