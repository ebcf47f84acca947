#pragma once
// The few fields of a member export a job reads, decoded one at a time: kaiin-crm
// and kaiin-find read a million members for two or three of their fields. Private
// to the library.

#include <array>
#include <string>
#include <string_view>

#include "core/csv_input.h"
#include "members/profile.h"

namespace kaiin::detail {

/// The fields of a member export that a job reads, decoded one at a time (the
/// whole record only when its bytes are bad, which reports each).
class member_fields {
 public:
  member_fields(csv_input& in, const column_map& columns) : in_(in), columns_(columns) {}
  void load(const raw_record& r) {
    r_ = &r;
    all_ = !in_.valid_bytes(r);
    if (all_) in_.decode_fields(r, values_);
  }
  std::string_view get(field f) {
    int c = columns_[f];
    if (c < 0 || static_cast<std::size_t>(c) >= r_->fields.size()) return {};
    if (all_) return values_.get(c);
    return in_.decode_field(*r_, static_cast<std::size_t>(c), buffers_[static_cast<std::size_t>(f)]);
  }

 private:
  csv_input& in_;
  const column_map& columns_;
  const raw_record* r_ = nullptr;
  bool all_ = false;
  record_values values_;
  std::array<std::string, field_count> buffers_;
};

}  // namespace kaiin::detail
