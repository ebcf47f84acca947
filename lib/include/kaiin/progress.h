#pragma once
/// \file
/// The progress line of a long run: records, bytes, rate and time left, redrawn
/// with `\r` on standard error while a run lasts more than a couple of seconds.
///
/// It is shown only when standard error is a terminal (KAIIN_PROGRESS=0 never,
/// =1 always), never while a json or csv report goes to standard error, and it is
/// cleared at the end of the run. Readers only bump counters here (a plain add
/// each record, one per chunk of bytes); a timer thread draws the line, so the
/// hot loops never look at a clock.

#include <atomic>
#include <cstdint>
#include <string>
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

/// \p n more bytes read from an input.
void count_bytes(std::uint64_t n) noexcept;
/// Bytes that are still to be read: a regular file's size when it is opened, and
/// what a rewind will read again. \p known false: an input of unknown size (a
/// pipe), so no time left can be told for this run.
void expect_bytes(std::uint64_t n, bool known = true) noexcept;

/// The progress line of one run of \p tool: when the environment and the terminal
/// allow it, a thread started with the first input opened draws the line once
/// KAIIN_PROGRESS_AFTER seconds (default 2) have passed since construction, a few
/// times a second; the destructor stops it and clears the line.
class session {
 public:
  /// Starts the run of \p tool (the line names it).
  explicit session(std::string tool);
  /// Stops the thread and clears the line.
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;
};

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

/// The text of the line for these figures (without the tool's name), as the
/// thread draws it; \p total 0 when the input size is unknown; rates per second.
std::string describe(std::uint64_t records, std::uint64_t bytes, std::uint64_t total, double bytes_per_second,
                     double records_per_second);

/// Columns \p text takes on a terminal: two for East Asian wide characters.
std::size_t display_width(std::string_view text);

}  // namespace kaiin::progress
