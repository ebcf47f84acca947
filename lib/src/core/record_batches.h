#pragma once
// A reading thread for the jobs that read one big file record by record: it reads,
// parses and decodes batches of records (and whatever a job can make of a record
// alone), with the findings of reading them, while the calling thread does the
// job's logic on the batch before. A few batches circulate between the two, so
// memory stays bounded whatever the size of the file; findings stay in record order,
// since each batch carries its own and the calling thread reports them. Used by
// kaiin-crosspoint and kaiin-points; kaiin-check's pipeline (check_pipeline.h) hands
// its batches over with the same channel. Private to the library.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "kaiin/diagnostics.h"

namespace kaiin::detail {

/// A queue between two threads; bounded by the batches in circulation.
template <class T>
class channel {
 public:
  void push(T item) {
    std::unique_lock lock(mutex_);
    items_.push_back(std::move(item));
    ready_.notify_one();
  }
  T pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty(); });
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

/// Regular files smaller than this (a few thousand members) are read on the calling
/// thread: starting a thread, and handing batches to it, costs more than it saves
/// there (and most of a fuzz run's time under ASan).
inline constexpr std::uint64_t threaded_from = 1 << 20;

/// One thread only: every stage of a reading thread or a pipeline runs in turn on
/// the calling thread, with the same findings in the same order and the same
/// outputs. Always in the page (KAIIN_WEB: a page opened from a file has no
/// SharedArrayBuffer, hence no threads); elsewhere when set_one_thread(true) asks
/// for it (the tests hold this path to the threaded one's results).
#ifdef KAIIN_WEB
inline bool one_thread() { return true; }
#else
inline std::atomic<bool> one_thread_asked{false};
inline bool one_thread() { return one_thread_asked.load(std::memory_order_relaxed); }
#endif
/// Asks for one thread only (true) or threads where they help (false, the default);
/// without effect in the page, which has one thread anyway.
inline void set_one_thread([[maybe_unused]] bool on) {
#ifndef KAIIN_WEB
  one_thread_asked = on;
#endif
}

/// True when an input of \p size bytes (0: unknown, a pipe) is worth a reading thread.
inline bool worth_a_thread(std::uint64_t size) { return !one_thread() && (size == 0 || size >= threaded_from); }

/// The findings of reading a batch's records, each kept before the row it comes
/// before: the reading thread collects them (csv_input::collect_into) and marks each
/// row it adds; the calling thread reports them as it takes the rows, so they come in
/// record order among the findings of the job's logic.
struct ordered_findings {
  std::vector<finding> findings;
  std::vector<std::uint32_t> before;  // row i comes after findings[0 .. before[i])
  std::size_t reported = 0;           // on the calling thread

  void clear() {
    findings.clear();
    before.clear();
    reported = 0;
  }
  /// The reading thread adds a row: the findings collected so far come before it.
  void mark_row() { before.push_back(static_cast<std::uint32_t>(findings.size())); }
  /// Reports the findings that come before row \p row.
  void report_before(std::size_t row, diagnostics& diag) { report_up_to(before[row], diag); }
  /// Reports the findings after the last row (the batch's last records, skipped).
  void report_rest(diagnostics& diag) { report_up_to(findings.size(), diag); }
  /// The same, adding them to \p held instead, for the caller to report later.
  void hold_before(std::size_t row, std::vector<finding>& held) { hold_up_to(before[row], held); }
  void hold_rest(std::vector<finding>& held) { hold_up_to(findings.size(), held); }

 private:
  void report_up_to(std::size_t end, diagnostics& diag) {
    for (; reported < end; ++reported) diag.report(findings[reported]);
  }
  void hold_up_to(std::size_t end, std::vector<finding>& held) {
    for (; reported < end; ++reported) held.push_back(std::move(findings[reported]));
  }
};

/// Hands batches of type Batch, filled on a reading thread by \p fill, to the calling
/// thread in order. \p fill(b) gets \p b cleared (Batch::clear()), fills it with the
/// next records and returns false once the input is done; \p stopped runs on the
/// reading thread once it stops (the input is done, or the run stopped or failed).
/// Without a thread (a small file), next() calls \p fill itself, with the same result.
/// An exception of \p fill is thrown by next() once the reading thread has finished.
template <class Batch>
class batch_reader {
 public:
  batch_reader(std::function<bool(Batch&)> fill, bool threaded, std::function<void()> stopped = {},
               int in_circulation = 4)
      : fill_(std::move(fill)), stopped_(std::move(stopped)) {
    if (!threaded) {
      current_ = std::make_unique<Batch>();
      return;
    }
    for (int i = 0; i < in_circulation; ++i) empty_.push(std::make_unique<Batch>());
    thread_ = std::thread([this] { read(); });
  }
  batch_reader(const batch_reader&) = delete;
  batch_reader& operator=(const batch_reader&) = delete;
  /// Stops the reading thread, if it still reads, and waits for it.
  ~batch_reader() { stop(); }

  /// The next batch, or nullptr at the end of the input; valid until the next call.
  /// Throws what stopped the reading thread.
  Batch* next() {
    if (!thread_.joinable()) return ended_ ? nullptr : next_here();
    if (current_) empty_.push(std::move(current_));
    current_ = filled_.pop();
    if (current_) return current_.get();
    ended_ = true;
    thread_.join();
    if (failure_) std::rethrow_exception(failure_);
    return nullptr;
  }

  /// Stops reading early (the job needs no more records) and waits for the reading
  /// thread; the batches it read meanwhile are dropped unread.
  void stop() {
    if (!thread_.joinable()) {
      if (current_ && !ended_) finish_here();
      current_.reset();
      return;
    }
    stop_ = true;
    empty_.push(nullptr);  // wakes the thread if it waits for a batch
    if (!ended_)
      while (filled_.pop()) {
      }
    ended_ = true;
    thread_.join();
    current_.reset();
  }

 private:
  void read() {
    try {
      for (bool more = true; more && !stop_;) {
        std::unique_ptr<Batch> b = empty_.pop();
        if (!b) break;
        b->clear();
        more = fill_(*b);
        filled_.push(std::move(b));
      }
    } catch (...) {
      failure_ = std::current_exception();
    }
    if (stopped_) stopped_();
    filled_.push(nullptr);  // the end
  }

  Batch* next_here() {
    if (last_) {
      finish_here();
      current_.reset();
      return nullptr;
    }
    current_->clear();
    try {
      last_ = !fill_(*current_);
    } catch (...) {
      finish_here();
      current_.reset();
      throw;
    }
    return current_.get();
  }
  void finish_here() {
    ended_ = true;
    if (stopped_) stopped_();
  }

  std::function<bool(Batch&)> fill_;
  std::function<void()> stopped_;
  channel<std::unique_ptr<Batch>> empty_, filled_;
  std::unique_ptr<Batch> current_;  // the calling thread's
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::exception_ptr failure_;  // written by the reading thread before its end is pushed
  bool ended_ = false, last_ = false;
};

}  // namespace kaiin::detail
