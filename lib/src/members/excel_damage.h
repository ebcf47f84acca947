#pragma once
/// \file
/// What Excel does to a member file's values when staff open it and save it again
/// (spec §14), as pure decisions on literal values: how Excel writes what it reads as
/// a number or a date, and what the value was before, where the value itself tells.
/// The checker names each damage and kaiin-fix restores it from here
/// (checker/row_excel.cpp), so that a hint and a change never disagree.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kaiin/date.h"

namespace kaiin {

// ---- numbers

/// How Excel's General format writes the whole number \p digits (half-width digits
/// without a leading zero): as it is up to 11 digits, else in exponent form with six
/// significant digits, rounded half up, trailing zeros dropped: "123456789012" →
/// "1.23457E+11", "120000000000" → "1.2E+11".
std::string excel_general(std::string_view digits);
/// True for a number in the exponent form Excel writes for a long one: a digit,
/// optionally '.' and up to five more, then E+ and two or more digits ("1.23457E+11",
/// "1E+12").
bool excel_exponent(std::string_view v);
/// True when \p before (a member ID, telephone number or balance of the shop's
/// export) is what Excel would have written as \p after in exponent form: its
/// digits, leading zeros dropped, in excel_general().
bool excel_exponent_of(std::string_view before, std::string_view after);

/// The zip code \p v was before Excel dropped its leading zeros: five or six
/// half-width digits made seven ("600001" → "0600001", "10010" → "0010010"), or
/// nothing for any other value.
std::optional<std::string> excel_zip_zeros(std::string_view v);

/// The telephone number \p v was before Excel dropped its leading 0: half-width
/// digits not starting with 0 whose 0 + value is a Japanese number ("9012345678" →
/// "09012345678", "862310000" → "0862310000"; japanese_tel_digits_ok), or nothing.
std::optional<std::string> excel_tel_zero(std::string_view v);

/// The member ID of \p widths (a set of lengths, bit n for n digits: those of the
/// shop's IDs written with leading zeros) that \p v was before Excel dropped its
/// leading zeros, in the order of the widths: "102" with widths {6} → "000102".
/// Each one tried in turn by \p known (is it a member ID of the shop's?); the first
/// known is returned. Nothing for a value that is not half-width digits without a
/// leading zero.
template <class Known>
std::optional<std::string> excel_id_zeros(std::string_view v, std::uint64_t widths, Known known) {
  if (v.empty() || v.size() >= 64 || v[0] == '0' || v.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  for (std::size_t w = v.size() + 1; w < 64; ++w) {
    if (!(widths >> w & 1)) continue;
    std::string id = std::string(w - v.size(), '0').append(v);
    if (known(id)) return id;
  }
  return std::nullopt;
}

// ---- dates

/// A day's serial number in Excel's 1900 date system, as Excel writes a date cell
/// formatted as a number: a whole number from 1 to 2958465 (9999/12/31) in
/// half-width digits without a leading zero.
std::optional<std::uint32_t> excel_serial(std::string_view v);
/// The day serial \p n stands for (1 is 1900/01/01). Excel counts a 1900/02/29 that
/// never was (a bug kept from Lotus 1-2-3) as serial 60: the serials before it are
/// the days their number says, those after it one day earlier than their number
/// (61 is 1900/03/01, 29222 is 1980/01/02). Serial 60 is no day: nothing.
std::optional<date> excel_serial_date(std::uint32_t n);
/// The moments a serial number with a fraction (a date and time, "44062.27331")
/// stands for: every whole second that Excel, rounding to the digits written, would
/// have written so, from first to last, and the one nearest to the value. Nothing for
/// what is not such a number, or what touches 1900/02/29.
struct excel_moments {
  date_time first, last, nearest;
  /// The value says the second: one moment only.
  bool exact() const { return first == last; }
  /// True when \p t is one of them.
  bool holds(const date_time& t) const { return first <= t && t <= last; }
};
std::optional<excel_moments> excel_serial_time(std::string_view v);

/// A date and time as Excel writes it without seconds: YYYY/M/D H:MM (one or two
/// digits for month, day and hour, '/' or '-'), real: that minute, second 0.
std::optional<date_time> excel_minute(std::string_view v);
/// \p t as member files write it: YYYY/MM/DD HH:MM:SS.
std::string datetime_text(const date_time& t);

// ---- address numbers

/// What Japanese Excel writes for an address number it reads as a date: "1-2-3"
/// (a year of one, two or four digits, a month, a day) → "2001/2/3", "2-5" (a month
/// and a day) → "2月5日"; nothing for a value it keeps as text.
std::optional<std::string> excel_date_of(std::string_view v);
/// The address number a date Excel wrote likely was: "2001/2/3" → "1-2-3" (a year
/// Excel reads from two digits, 1930-2029, written as those digits), "2月5日" → "2-5".
std::optional<std::string> excel_address_number(std::string_view v);

// ---- characters

/// The characters of \p before (a value of the shop's export) that Excel, saving the
/// file as CP932, wrote as the '?' of \p after: "?田" and "𠮷田" → "𠮷". Empty when
/// every '?' of \p after is one \p before has; nothing when \p after is not \p before
/// with characters CP932 lacks made '?' (one each, or two for a character beyond
/// U+FFFF).
std::optional<std::string> excel_lost_characters(std::string_view after, std::string_view before);

}  // namespace kaiin
