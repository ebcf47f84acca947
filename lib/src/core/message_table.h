#pragma once
// The Japanese catalogue as a table, for the page (KAIIN_WEB), which has no libintl:
// po/ja.po made into C++ at build time by gen/po_table.py, in the build folder's
// message_table_data.cpp. Private to the library (i18n.cpp).

#include <cstddef>

namespace kaiin::detail {

/// A message and its translation (a plural message by its singular: Japanese has
/// one form).
struct message {
  const char* msgid;
  const char* text;
};
/// Every translated message, by msgid in strcmp's order.
extern const message messages[];
extern const std::size_t messages_size;

}  // namespace kaiin::detail
