#include "members/zip_prefecture.h"

namespace kaiin::detail {

// kaiin carries no table of Japan Post's codes yet (spec §15): nothing can be told,
// and a zip code without its leading zeros is named but never restored.
zip_answer zip_in_prefecture(std::string_view, std::string_view) { return zip_answer::not_known; }

}  // namespace kaiin::detail
