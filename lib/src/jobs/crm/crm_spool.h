#pragma once
// What kaiin-crm keeps of its inputs while it reads each once. The values an order's
// first row brings to orders.csv (its member, address, ID, order date, total, used
// points, and where it is): an order is decided only when all its rows are in, and its
// rows need not be adjacent (spec §10). The member records that may become customer
// rows: who keeps an address two members hold is known only at the end. Both go to
// unlinked temporary files as they come and are read back in the same order, a memory
// copy a value where a second reading of the export parsed (and decoded) every record
// again. Private to the library.

#include <cstdint>
#include <string>
#include <vector>

#include "kaiin/csv.h"
#include "orders/order_reader.h"

namespace kaiin::detail {

/// An unlinked temporary file in $TMPDIR (or /tmp) written through a buffer, then
/// read back from its start: what order_spool and record_spool keep their entries in.
class spool_file {
 public:
  /// Throws kaiin::error when there is no room.
  spool_file();
  ~spool_file();
  spool_file(const spool_file&) = delete;
  spool_file& operator=(const spool_file&) = delete;

  /// Where an entry is written: appended to, then wrote() called.
  std::string& buffer() { return buffer_; }
  /// Writes the buffer out once it is large.
  void wrote() {
    if (buffer_.size() >= flush_at) flush();
  }
  /// Done writing: reading starts at the first byte (again, when it was read).
  void rewind();
  /// Makes the next \p n bytes readable at data(); false at the end of the file.
  bool fill(std::size_t n);
  /// The unread bytes the buffer holds.
  const char* data() const { return buffer_.data() + at_; }
  std::size_t available() const { return buffer_.size() - at_; }
  /// \p n bytes were read.
  void advance(std::size_t n) { at_ += n; }

 private:
  static constexpr std::size_t flush_at = 1 << 20;
  void flush();
  int fd_ = -1;
  std::string buffer_;
  std::size_t at_ = 0;    // reading: where the next entry starts in buffer_
  bool reading_ = false;  // rewound: the buffer holds what is read, not what is to be written
};

class order_spool {
 public:
  /// Keeps the values of \p row, an order's first row.
  void add(const order_row& row);
  /// Done adding: reading starts at the first row kept.
  void rewind() { file_.rewind(); }
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
  // The row at data() when the buffer holds it whole; false otherwise.
  bool parse(order_row& row);
  spool_file file_;
  std::uint64_t rows_ = 0;
};

/// Records of an input as they were read (their bytes and where their fields are),
/// each with a number of the caller's, kept in the same kind of file: kaiin-crm keeps
/// the member export's records of the members who hold an address, and writes
/// customers.csv (and looks up the members who share an address) from them, where it
/// read the export again.
class record_spool {
 public:
  /// Keeps \p r (not its newline or problems) with \p number.
  void add(std::uint32_t number, const raw_record& r);
  /// Done adding: reading starts at the first record kept.
  void rewind() { file_.rewind(); }
  /// The next record kept into \p r, its text a view valid until the next call, and
  /// its number into \p number; false at the end.
  bool next(std::uint32_t& number, raw_record& r);

 private:
  spool_file file_;
};

}  // namespace kaiin::detail
