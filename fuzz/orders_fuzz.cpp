// Fuzz target: the order layer (spec §10) on arbitrary bytes: order_reader reads the
// rows, order_table groups them, a second reading meets them again, and
// disagreeing rows are reported. The first byte picks the options:
//   bits 0-2  --order-profile: best match, kaiin, eccube, futureshop, ebisumart
//   bits 3-4  --from: auto, utf-8, cp932
// Beyond not crashing: the only exception is kaiin::error; the table agrees with a
// model of the rows kept in std::map (lines, shipping state, last shipping date, the
// first rows); a second reading meets the same rows and the orders in the table's order.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "kaiin/error.h"
#include "orders/order_table.h"

using kaiin::fuzz::require;

namespace {

// What the table should hold of an order, kept the plain way.
struct model {
  std::uint32_t index = 0, lines = 0;
  bool any_shipped = false, any_unshipped = false, cancelled = false, returned = false;
  std::optional<kaiin::date> last;
  std::uint64_t first_record = 0;
};

kaiin::shipping_state state_of(const model& m) {
  if (m.cancelled) return kaiin::shipping_state::cancelled;
  if (m.returned) return kaiin::shipping_state::returned;
  if (!m.any_unshipped) return kaiin::shipping_state::shipped;
  return m.any_shipped ? kaiin::shipping_state::partly_shipped : kaiin::shipping_state::unshipped;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static kaiin::fuzz::memory_file orders, report;
  const unsigned opt = data[0];
  orders.assign({reinterpret_cast<const char*>(data) + 1, size - 1});
  static const char* const profiles[] = {"", "kaiin", "eccube", "futureshop", "ebisumart", "", "", ""};
  const kaiin::source_encoding from = (opt >> 3 & 3) == 1   ? kaiin::source_encoding::utf8
                                      : (opt >> 3 & 3) == 2 ? kaiin::source_encoding::cp932
                                                            : kaiin::source_encoding::auto_detect;
  kaiin::output_stream out(report.truncate(), "report");
  kaiin::diagnostics diag(out, kaiin::report_format::json, "kaiin-crm");
  try {
    kaiin::order_reader in(orders.path(), from, profiles[opt & 7], diag);
    in.require({kaiin::order_field::order_id});
    kaiin::order_table table;
    std::map<std::string, model> orders_seen;
    std::vector<kaiin::order_disagreement> disagreements;
    kaiin::order_row row;
    std::uint64_t rows = 0;
    while (in.next(row)) {
      ++rows;
      require(row.record == rows, "rows are numbered 1, 2, 3 ...");
      if (!row.usable) continue;
      require(!row.order_id.empty(), "a usable row has an order ID");
      std::uint32_t i = 0;
      auto added = table.add(row, i);
      auto [it, fresh] = orders_seen.try_emplace(std::string(row.order_id));
      model& m = it->second;
      if (fresh) {
        m.index = static_cast<std::uint32_t>(orders_seen.size() - 1);
        m.first_record = row.record;
      }
      require(i == m.index, "orders are numbered in the order of their first rows");
      require((added == kaiin::order_table::added::first_row) == fresh, "a first row is an order's first");
      if (added == kaiin::order_table::added::too_many_rows) continue;
      if (added == kaiin::order_table::added::disagrees)
        disagreements.push_back({i, row.record, row.line, std::string(row.member_id), std::string(row.address()),
                                 std::string(row.ordered_at), std::string(row.total), std::string(row.used_points)});
      ++m.lines;
      (row.shipped ? m.any_shipped : m.any_unshipped) = true;
      m.cancelled |= row.cancelled;
      m.returned |= row.returned;
      if (row.shipped && row.shipped_date && (!m.last || *m.last < *row.shipped_date)) m.last = row.shipped_date;
    }
    require(table.size() == orders_seen.size(), "one order an order ID");
    for (const auto& [id, m] : orders_seen) {
      require(table.find(id) == m.index, "find() gives the order's number");
      require(table.order_id(m.index) == id, "order_id() gives the ID back");
      require(table.lines(m.index) == m.lines, "lines() counts the order's rows");
      require(table.state(m.index) == state_of(m), "the shipping state follows spec §10");
      require(table.last_shipped(m.index) == m.last, "the last shipping date is the latest of its rows");
    }
    // The second reading (as report_disagreements does it): the same rows, and the
    // orders met in the table's order.
    in.rewind();
    std::uint32_t next = 0;
    std::uint64_t again = 0;
    std::map<std::string, bool> met;
    while (in.next(row, false)) {
      ++again;
      require(row.record == again, "the second reading numbers the rows alike");
      if (!row.usable) continue;
      auto found = table.find(row.order_id);
      require(found.has_value(), "every usable row's order is in the table");
      if (met.try_emplace(std::string(row.order_id), true).second) {
        require(*found == next, "the n-th order met is order n - 1");
        require(orders_seen.at(std::string(row.order_id)).first_record == row.record,
                "an order starts on its first row");
        ++next;
      }
    }
    require(again == rows && next == table.size(), "the second reading meets every row and every order");
    kaiin::report_disagreements(in, table, disagreements, diag);
    require(diag.errors() >= disagreements.size(), "every disagreement is an error");
  } catch (const kaiin::error&) {
    // A failure that stops the tool (exit 2): fine on arbitrary bytes. Any other
    // exception escapes and is a crash.
  }
  diag.finish();
  return 0;
}
