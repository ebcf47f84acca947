#pragma once
// What the readers and writers tell the progress line (kaiin/progress.h): records
// and bytes read, bytes still to read, and writes to the terminal it is drawn on.
// Private to the library: the readers bump these, the timer thread reads them.

#include <atomic>
#include <cstdint>
#include <string_view>

namespace kaiin::progress {

namespace detail {
/// Data records read in this run, by every reader (a second pass counts again).
inline std::atomic<std::uint64_t> records{0};
/// True while a progress line may be drawn; writers to a terminal look at it.
inline std::atomic<bool> active{false};
}  // namespace detail

/// One more record read. Relaxed and without a locked add: one thread reads
/// records at a time, and a count read a little late is still right enough.
inline void count_record() noexcept {
  detail::records.store(detail::records.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

/// \p n more records read, told at once by a reader that counts them itself; a
/// locked add, since readers on several threads may tell theirs at once.
inline void count_records(std::uint64_t n) noexcept { detail::records.fetch_add(n, std::memory_order_relaxed); }

/// \p n more bytes read from an input.
void count_bytes(std::uint64_t n) noexcept;
/// Bytes that are still to be read: a regular file's size when it is opened, and
/// what a rewind will read again. \p known false: an input of unknown size (a
/// pipe), so no time left can be told for this run.
void expect_bytes(std::uint64_t n, bool known = true) noexcept;

/// No progress line for the rest of the run (clearing one that is drawn): the
/// report on standard error is json or csv, which a line would corrupt.
void suppress() noexcept;

/// Held around a write to file descriptor \p fd: when \p fd is the terminal the
/// line is drawn on, the line is cleared first and redrawn later, so that findings
/// and data never share a line with it. \p bytes: what is written (a line not yet
/// ended keeps the progress line away until it is).
class terminal_write {
 public:
  /// Clears the line before \p bytes are written to \p fd, when it is drawn there.
  terminal_write(int fd, std::string_view bytes);
  /// Lets the line be drawn again.
  ~terminal_write();
  terminal_write(const terminal_write&) = delete;
  terminal_write& operator=(const terminal_write&) = delete;

 private:
  bool held_ = false;
  bool ends_line_ = true;
};

}  // namespace kaiin::progress
