#pragma once
/// \file
/// The progress line of a long run: records, bytes, rate and time left, redrawn
/// with `\r` on standard error while a run lasts more than a couple of seconds.
///
/// It is shown only when standard error is a terminal (KAIIN_PROGRESS=0 never,
/// =1 always), never while a json or csv report goes to standard error, and it is
/// cleared at the end of the run. Readers only bump counters
/// (progress_counters.h: a plain add each record, one per chunk of bytes); a timer
/// thread draws the line, so the hot loops never look at a clock.

#include <cstdint>
#include <string>
#include <string_view>

namespace kaiin::progress {

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

/// The text of the line for these figures (without the tool's name), as the
/// thread draws it; \p total 0 when the input size is unknown; rates per second.
std::string describe(std::uint64_t records, std::uint64_t bytes, std::uint64_t total, double bytes_per_second,
                     double records_per_second);

/// Columns \p text takes on a terminal: two for East Asian wide characters.
std::size_t display_width(std::string_view text);

}  // namespace kaiin::progress
