#include "members/address_rules.h"

#include <string>
#include <vector>

#include "core/code_points.h"
#include "kaiin/i18n.h"
#include "members/member_fixes.h"
#include "members/member_values.h"

namespace kaiin {

namespace {

// A space an address may have between its names: ASCII, TAB or ideographic.
std::size_t space_at(std::string_view s, std::size_t i) {
  if (i < s.size() && (s[i] == ' ' || s[i] == '\t')) return 1;
  if (s.substr(i).starts_with("\u3000")) return 3;
  return 0;
}

char32_t same_kana(char32_t c) { return c == U'ヶ' ? U'ケ' : c; }

// "A or B or C".
std::string or_list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += _(" or ");
    out += item;
  }
  return out;
}

void add_once(std::vector<std::string>& items, std::string item) {
  for (const std::string& have : items)
    if (have == item) return;
  items.push_back(std::move(item));
}

// The zip code as Japan Post writes it, 123-4567.
std::string zip_of(std::string_view zip) {
  auto code = zip_number(zip);
  return code ? zip_text(*code) : std::string(zip);
}

// \p address after the prefecture it starts with (\p pref or one of \p places') and
// the spaces after it.
std::string_view after_pref(std::string_view address, std::string_view pref, std::span<const postal_place> places) {
  std::size_t n = pref.empty() ? 0 : name_at_start(address, pref);
  for (const postal_place& p : places)
    if (!n) n = name_at_start(address, p.pref());
  while (std::size_t s = space_at(address, n)) n += s;
  return address.substr(n);
}

bool starts_with_city(std::string_view address, const postal_place& p) {
  return name_at_start(address, p.full_city()) || (!p.gun().empty() && name_at_start(address, p.city()));
}

}  // namespace

std::size_t name_at_start(std::string_view address, std::string_view name) {
  // As written, most of the time; else the bytes agree up to a character where they
  // may still agree (a space in the address, ヶ for ケ) or, most often, do not.
  std::size_t same = 0;
  while (same < name.size() && same < address.size() && address[same] == name[same]) ++same;
  if (same == name.size()) return same;
  while (same > 0 && (static_cast<unsigned char>(name[same]) & 0xC0) == 0x80) --same;  // its first byte
  std::string_view a_rest = address.substr(same), n_rest = name.substr(same);
  auto kana_ke = [](std::string_view v) { return v.starts_with("ケ") || v.starts_with("ヶ"); };
  if (!space_at(a_rest, 0) && !(kana_ke(a_rest) && kana_ke(n_rest))) return 0;
  std::size_t a = same;
  for (std::size_t n = same; n < name.size();) {
    if (n > 0)
      while (std::size_t s = space_at(address, a)) a += s;
    if (a >= address.size()) return 0;
    if (same_kana(next_char(address, a)) != same_kana(next_char(name, n))) return 0;
  }
  return a;
}

rule_result check_zip_assigned(std::string_view zip, std::span<const postal_place> places, std::string_view date) {
  if (!places.empty()) return std::nullopt;
  return verdict{severity::warning, "zip-unassigned",
                 format_tr("zip code '{}' is not one Japan Post has assigned (postal codes of {}): check it, or a "
                           "parcel to it may not arrive",
                           zip, date)};
}

rule_result check_pref_of_zip(std::string_view pref, std::string_view zip, std::span<const postal_place> places) {
  if (places.empty() || pref.empty()) return std::nullopt;
  for (const postal_place& p : places)
    if (p.pref() == pref) return std::nullopt;
  // 大阪府大阪市北区; 愛知県弥富市 or 三重県桑名郡木曽岬町.
  std::vector<std::string> places_named;
  for (const postal_place& p : places) add_once(places_named, std::string(p.pref()) + std::string(p.full_city()));
  return verdict{severity::error, "pref-zip-mismatch",
                 format_tr("prefecture '{}' is not that of zip code {}, which is in {}: one of the two is wrong", pref,
                           zip_of(zip), or_list(places_named))};
}

rule_result check_pref_empty(std::string_view zip, std::span<const postal_place> places, std::string_view address1) {
  if (places.empty()) return std::nullopt;
  std::vector<std::string> prefs;
  for (const postal_place& p : places) add_once(prefs, std::string(p.pref()));
  fixed_value fix;
  if (prefs.size() == 1) {
    fix = prefs.front();
  } else {  // a code that straddles two: the one address1 names
    std::string_view address = detail::trim_spaces(address1);
    for (const postal_place& p : places)
      if (name_at_start(address, p.pref()) || starts_with_city(address, p)) {
        if (fix && *fix != p.pref()) {
          fix.reset();
          break;
        }
        fix = std::string(p.pref());
      }
  }
  return verdict{severity::warning, "pref-empty",
                 format_tr("the prefecture is empty, and zip code {} is in {}{}", zip_of(zip), or_list(prefs),
                           fix ? format_tr(": write '{}'", *fix) : ""),
                 fix};
}

rule_result check_address_pref(std::string_view address1, std::string_view pref) {
  std::string_view address = detail::trim_spaces(address1);
  std::size_t n = 0;
  // The prefecture and the spaces after it, as many times as it is written.
  while (std::size_t m = pref.empty() ? 0 : name_at_start(address.substr(n), pref)) {
    n += m;
    while (std::size_t s = space_at(address, n)) n += s;
  }
  if (!n) return std::nullopt;
  fixed_value fix;
  if (n < address.size()) fix = std::string(address.substr(n));
  return verdict{severity::warning, "address-pref-repeated",
                 format_tr("address '{}' repeats the prefecture {}, which labels then print twice{}", address1, pref,
                           fix ? format_tr(": write '{}'", *fix) : ""),
                 fix};
}

rule_result check_address_city(std::string_view address1, std::string_view pref, std::string_view zip,
                               std::span<const postal_place> places) {
  std::string_view trimmed = detail::trim_spaces(address1);
  if (places.empty() || trimmed.empty()) return std::nullopt;
  std::string_view address = after_pref(trimmed, pref, places);
  for (const postal_place& p : places)
    if (starts_with_city(address, p)) return std::nullopt;
  std::vector<std::string> cities;
  for (const postal_place& p : places) add_once(cities, std::string(p.full_city()));
  return verdict{severity::warning, "address-city",
                 format_tr("address '{}' does not start with the city of zip code {}, {}", address1, zip_of(zip),
                           or_list(cities))};
}

}  // namespace kaiin
