#pragma once
/// \file
/// Calendar dates and times as member and order files write them (YYYY/MM/DD or
/// YYYY-MM-DD, optionally followed by a time), and the days between them.

#include <optional>
#include <string>
#include <string_view>

namespace kaiin {

/// A calendar date.
struct date {
  int year = 0, month = 0, day = 0;  ///< month and day from 1
  /// In calendar order.
  auto operator<=>(const date&) const = default;
};

/// A date and time, to the second; a value without a time is at 00:00:00.
struct date_time {
  kaiin::date date;                      ///< the day
  int hour = 0, minute = 0, second = 0;  ///< the time of day
  /// In calendar order.
  auto operator<=>(const date_time&) const = default;
};

/// True when \p d is on the calendar (2024/02/29 is, 2023/02/29 is not).
bool real_date(const date& d);
/// YYYY/MM/DD or YYYY-MM-DD that exists on the calendar.
std::optional<date> parse_date(std::string_view v);
/// `YYYY/MM/DD` or `YYYY-MM-DD`, optionally followed by a space and `HH:MM` or
/// `HH:MM:SS`, that exists on the calendar and the clock.
std::optional<date_time> parse_date_time(std::string_view v);
/// \p d written as a file writes its dates: YYYY-MM-DD when \p like (a date of the
/// same file) has hyphens, else YYYY/MM/DD; empty for none.
std::string date_text(const std::optional<date>& d, std::string_view like);
/// The system's date, in local time.
date today();
/// Days from 1970-01-01 (for "within N days").
long days_since_epoch(const date& d);
/// The date \p days after 1970-01-01 (before it when negative): days_since_epoch()'s
/// inverse.
date date_of_days(long days);

}  // namespace kaiin
