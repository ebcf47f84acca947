#pragma once
/// \file
/// Japan Post's postal codes (spec §15): which 7-digit codes are assigned, and the
/// prefecture and city (市区町村) of each, from data/postal/zip_codes.txt, which
/// scripts/postal-table derives from Japan Post's KEN_ALL and JIGYOSYO files. Loaded
/// once a process, in a few milliseconds, into flat sorted arrays: a look-up is two
/// binary searches and allocates nothing.
///
///   const postal_table& t = postal_data();
///   t.find("530-0001")        // one place: 大阪府, 大阪市北区
///   t.in_prefecture("0" + v, "北海道")  // was v a code of Hokkaido before Excel ate its 0?
/// Private to the library.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "members/member_rules.h"

namespace kaiin {

/// One place a postal code covers, as Japan Post writes it. A code covers one place,
/// or several where its area crosses a city's border (or, for three codes, a
/// prefecture's: 498-0000 is 愛知県弥富市 and 三重県桑名郡木曽岬町).
class postal_place {
 public:
  postal_place(std::uint8_t pref, const char* names, std::uint8_t gun_size, std::uint8_t city_size)
      : names_(names), pref_(pref), gun_size_(gun_size), city_size_(city_size) {}
  /// The prefecture in full: 大阪府.
  std::string_view pref() const { return prefecture_names[pref_ - 1u]; }
  /// The 郡 of a town or village (桑名郡), or empty.
  std::string_view gun() const { return {names_, gun_size_}; }
  /// The city without its 郡: 大阪市北区, 千代田区, 木曽岬町.
  std::string_view city() const { return {names_ + gun_size_, city_size_}; }
  /// The city as Japan Post writes it, 郡 and all: 桑名郡木曽岬町.
  std::string_view full_city() const { return {names_, static_cast<std::size_t>(gun_size_ + city_size_)}; }

 private:
  const char* names_;  // 郡 then city, in the table's arena
  std::uint8_t pref_;  // 1 北海道 ... 47 沖縄県
  std::uint8_t gun_size_, city_size_;
};

/// The number of a zip code written 123-4567 or 1234567 in half-width digits
/// (5300001), or nothing.
std::optional<std::uint32_t> zip_number(std::string_view zip);
/// A zip code number written 123-4567.
std::string zip_text(std::uint32_t code);

/// Japan Post's assigned codes and their places.
class postal_table {
 public:
  /// Reads a table in scripts/postal-table's format; throws kaiin::error naming
  /// \p name and the line when it is not one.
  static postal_table parse(std::string_view text, const std::string& name);

  /// The places of code \p code (0 - 9999999); empty when Japan Post has not
  /// assigned it.
  std::span<const postal_place> find(std::uint32_t code) const;
  /// The same for a zip code as written (123-4567 or 1234567); empty when it is not
  /// one, or not assigned.
  std::span<const postal_place> find(std::string_view zip) const;
  /// True when \p zip (123-4567 or 1234567) is assigned and one of its places is in
  /// prefecture \p pref (written in full).
  bool in_prefecture(std::string_view zip, std::string_view pref) const;

  /// The data's date, YYYY-MM-DD.
  const std::string& date() const { return date_; }
  /// Where the data comes from (the npm package and its version).
  const std::string& source() const { return source_; }
  /// How many codes are assigned.
  std::size_t size() const { return codes_; }
  /// The bytes the table takes in memory.
  std::size_t memory() const;

 private:
  // Consecutive codes of one prefix with the same places: the codes
  // prefix-first .. prefix-last cover place set `set`.
  struct stretch {
    std::uint16_t first, last, set;
  };
  std::string date_, source_;
  // parse()'s stages: a place line's places (after "place\t"), a prefix line's codes;
  // false for a line that is not one.
  bool add_places(std::string_view line, char*& names_end);
  bool add_codes(std::string_view line);
  std::size_t codes_ = 0;
  // Every 郡 and city, one after another; places point into it (a unique_ptr, so
  // that a move of the table leaves them where they are).
  std::unique_ptr<char[]> names_;
  std::size_t names_size_ = 0;
  std::vector<postal_place> places_;         // place sets one after another
  std::vector<std::uint32_t> set_first_;     // set s is places_[set_first_[s] .. set_first_[s + 1])
  std::vector<stretch> stretches_;           // by prefix, then first
  std::vector<std::uint32_t> prefix_first_;  // prefix p's are stretches_[prefix_first_[p] .. [p + 1])
};

/// The installed table (data/postal/zip_codes.txt in the data folders), loaded at
/// the first call, once a process. Throws kaiin::error when it cannot be found or
/// read.
const postal_table& postal_data();

/// What --version says of the data: "postal codes: Japan Post, 2025-09-30
/// (jquery-jpostal-ja@2.14.73)", from the table's first lines only; or that the
/// table was not found.
std::string postal_data_version();

}  // namespace kaiin
