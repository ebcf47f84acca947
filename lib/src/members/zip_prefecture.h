#pragma once
// Whether a zip code is one Japan Post has assigned in a prefecture (spec §15), as
// the Excel rules ask it before they give a zip code its lost leading zeros back
// (spec §14). Private to the library.

#include <string_view>

namespace kaiin::detail {

/// What is known of a zip code in a prefecture.
enum class zip_answer {
  assigned,   ///< Japan Post has assigned it in that prefecture
  elsewhere,  ///< it is not one of that prefecture's (or not assigned at all)
  not_known,  ///< kaiin carries no postal table to tell
};

/// Whether \p zip (seven half-width digits) is assigned in prefecture \p pref
/// (written in full).
zip_answer zip_in_prefecture(std::string_view zip, std::string_view pref);

}  // namespace kaiin::detail
