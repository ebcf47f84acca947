#pragma once
// The values an order's first row brings to orders.csv (its member, address, ID,
// order date, total, used points, and where it is), kept while the order export is
// read once: an order is decided only when all its rows are in, and its rows need not
// be adjacent (spec §10). They go to an unlinked temporary file as they come and are
// read back in the same order, a memory copy a value where a second reading of the
// export parsed and decoded every row again. Private to the library.

#include <cstdint>
#include <string>
#include <vector>

#include "orders/order_reader.h"

namespace kaiin::detail {

class order_spool {
 public:
  /// An empty spool in $TMPDIR (or /tmp); throws kaiin::error when there is no room.
  order_spool();
  ~order_spool();
  order_spool(const order_spool&) = delete;
  order_spool& operator=(const order_spool&) = delete;

  /// Keeps the values of \p row, an order's first row.
  void add(const order_row& row);
  /// Done adding: reading starts at the first row kept.
  void rewind();
  /// The next row kept: its record, line and the values add() keeps, as views valid
  /// until the next call (shipped and the other row states are not kept); false at
  /// the end.
  bool next(order_row& row);
  /// The next rows kept, at most \p most (at least one while any is left), into
  /// \p rows: views valid until the next call. Returns how many.
  std::size_t next_batch(std::vector<order_row>& rows, std::size_t most);
  /// Rows kept.
  std::uint64_t size() const { return rows_; }

 private:
  void flush();
  // Makes the next \p n bytes of the file readable at buffer_[at_]; false at its end.
  bool fill(std::size_t n);
  // The row at buffer_[at_] when the buffer holds it whole; false otherwise.
  bool parse(order_row& row);
  int fd_ = -1;
  std::string buffer_;
  std::size_t at_ = 0;  // reading: where the next row starts in buffer_
  std::uint64_t rows_ = 0;
};

}  // namespace kaiin::detail
