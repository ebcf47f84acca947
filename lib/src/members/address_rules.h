#pragma once
/// \file
/// The address rules of spec §15, against Japan Post's data (postal.h): a zip code
/// Japan Post has assigned, a prefecture that is the zip code's, an address1 that
/// starts with the zip code's city and does not repeat the prefecture. Pure
/// functions, as those of member_rules.h: nothing for a good value, else a verdict,
/// with the fix of §15 where there is one (the prefecture an empty one gets, address1
/// without the prefecture it repeats).
///
///   check_pref_of_zip("佐賀県", "530-0001", t.find("530-0001"))
///     // error pref-zip-mismatch: ... which is in 大阪府大阪市北区

#include <cstddef>
#include <span>
#include <string_view>

#include "members/member_rules.h"
#include "members/postal.h"

namespace kaiin {

/// A zip code (123-4567 or 1234567) with no \p places: Japan Post has not assigned it
/// (as of \p date, the data's): a warning.
rule_result check_zip_assigned(std::string_view zip, std::span<const postal_place> places, std::string_view date);
/// A prefecture (one of the 47) that is the prefecture of none of \p places, zip code
/// \p zip's: an error naming the zip code's. A code whose area straddles two
/// prefectures accepts either.
rule_result check_pref_of_zip(std::string_view pref, std::string_view zip, std::span<const postal_place> places);
/// An empty prefecture where zip code \p zip names one: a warning, whose fix is the
/// prefecture. Of a code that straddles two, the one \p address1 starts with (its
/// name or its city's), else none.
rule_result check_pref_empty(std::string_view zip, std::span<const postal_place> places, std::string_view address1);
/// An address1 that starts with the prefecture \p pref (大阪府大阪市北区… with 大阪府),
/// which labels then print twice: a warning, whose fix is address1 without it (and
/// the spaces after it), unless nothing would be left.
rule_result check_address_pref(std::string_view address1, std::string_view pref);
/// An address1 that does not start with the city of any of \p places (zip code
/// \p zip's), with or without its 郡, once a prefecture before it (\p pref, or one of
/// the places') is left aside: a warning naming the city.
rule_result check_address_city(std::string_view address1, std::string_view pref, std::string_view zip,
                               std::span<const postal_place> places);

/// The bytes the name \p name (a prefecture, a city) takes at the start of \p address,
/// or 0 when \p address does not start with it. Spaces between its characters are
/// skipped, and ヶ and ケ are the same (鎌ケ谷市, 鎌ヶ谷市).
std::size_t name_at_start(std::string_view address, std::string_view name);

}  // namespace kaiin
