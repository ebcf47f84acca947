#pragma once
// Records read on a thread of their own and handed to the calling thread, which
// does everything else with them: kaiin-conv's reading thread. Reading (read(),
// finding where records and fields end) and converting take about the same time,
// so the two overlap on two cores. The reading thread copies each record out of the
// parser's buffer into a batch (record_batches.h's batch_reader circulates a few), so
// a record stays valid while the next ones are read; everything that reports
// (csv_input::take, the conversion's findings) stays on the calling thread, in
// record order. Private to the library.

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "kaiin/csv.h"

namespace kaiin::detail {

/// Records copied out of a reader's buffer, one batch of them; owned by whichever
/// thread holds it (batch_reader hands it over).
class raw_batch {
 public:
  /// Empties the batch, keeping the records' vectors for the next ones.
  void clear() {
    bytes_.clear();
    size_ = 0;
    failure = nullptr;
  }
  /// True when the batch holds enough bytes to be handed over.
  bool full() const { return bytes_.size() >= full_bytes; }
  /// Where the next record is to be read into; add() keeps it, else it is unused.
  raw_record& slot() {
    if (size_ == records_.size()) records_.emplace_back();
    return records_[size_];
  }
  /// Keeps the record read into slot(), copying its bytes into the batch.
  void add();
  /// Points the records' views at the batch's bytes, once it is filled.
  void seal();
  /// Records held.
  std::size_t size() const { return size_; }
  /// Record \p i, valid (once sealed) until the batch is cleared.
  const raw_record& operator[](std::size_t i) const { return records_[i]; }

  /// About this much text a batch: small enough to stay in the cache between the
  /// two threads, big enough that handing batches over costs nothing measurable.
  static constexpr std::size_t full_bytes = 256 << 10;
  /// What stopped the reading after the batch's records, to be thrown once they are taken.
  std::exception_ptr failure;

 private:
  std::vector<raw_record> records_;  // the first size_ are in use
  std::vector<std::size_t> starts_;  // where each record's text starts in bytes_
  std::string bytes_;                // the records' text, each followed by its newline
  std::size_t size_ = 0;
};

/// Calls \p take for each record that \p read reads, in order, until \p read returns
/// false or \p take does. With \p threaded, \p read runs on a reading thread of its
/// own, a few batches of records ahead. Either way an exception of \p read reaches
/// the caller once the records read before it were taken (their findings reported).
/// Without a thread, records are taken as \p read reads them, uncopied (a small file).
void for_each_record(const std::function<bool(raw_record&)>& read, bool threaded,
                     const std::function<bool(const raw_record&)>& take);

}  // namespace kaiin::detail
