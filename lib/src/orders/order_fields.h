#pragma once
// The order fields by name, as order profiles and messages name them, and the
// fingerprint rows of one order are compared by. Private to the library.

#include <cstdint>
#include <optional>
#include <string_view>

#include "orders/order_reader.h"

namespace kaiin {

/// "order_id", as order profiles name the fields.
std::string_view order_field_name(order_field f);
/// The field named \p name, or nullopt.
std::optional<order_field> order_field_named(std::string_view name);

/// The fingerprint order_table compares rows of one order by: their member ID,
/// address (compared as spec §4.3 says), order date, total and used points.
std::uint32_t order_fingerprint(const order_row& row);

}  // namespace kaiin
