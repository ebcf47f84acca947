#include "core/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/code_points.h"
#include "core/progress_counters.h"
#include "core/text.h"
#include "core/unicode_tables.h"
#include "kaiin/i18n.h"

namespace kaiin::progress {
namespace {

using clock = std::chrono::steady_clock;

std::atomic<std::uint64_t> bytes_read{0}, bytes_expected{0};
std::atomic<bool> size_unknown{false};

// What the drawing thread and the writers to the terminal share, under mutex.
struct terminal_state {
  std::mutex mutex;
  std::condition_variable wake;
  std::thread thread;
  std::string tool;
  bool stop = false, suppressed = false, stdout_tty = false;
  clock::time_point start;
  clock::duration delay{};
  bool at_line_start = true;  // the last byte written to the terminal ended a line
  std::size_t drawn = 0;      // columns of the line on the screen, 0 when none
};

terminal_state& state() {
  static terminal_state s;
  return s;
}

void write_all(std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(STDERR_FILENO, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a progress line is not worth an error
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Under the mutex.
void clear_line(terminal_state& s) {
  if (!s.drawn) return;
  write_all("\r" + std::string(s.drawn, ' ') + "\r");
  s.drawn = 0;
}

std::size_t terminal_columns() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

// The longest start of \p text that fits in \p columns; sets \p width to its width.
std::string_view fit(std::string_view text, std::size_t columns, std::size_t& width) {
  width = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::size_t w = kaiin::detail::is_wide(next_char(text, i)) ? 2 : 1;
    if (width + w > columns) return text.substr(0, start);
    width += w;
  }
  return text;
}

std::string duration(double seconds) {
  auto s = static_cast<std::uint64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

struct sample {
  clock::time_point at;
  std::uint64_t bytes, records;
};

// The drawing thread: waits out the delay, then redraws a few times a second.
void draw_loop(terminal_state& s) {
  const clock::time_point start = s.start;
  std::deque<sample> recent;  // the last few seconds, for rates that follow changes
  std::unique_lock lock(s.mutex);
  if (s.wake.wait_until(lock, start + s.delay, [&] { return s.stop; })) return;
  for (;;) {
    sample now{clock::now(), bytes_read.load(std::memory_order_relaxed),
               detail::records.load(std::memory_order_relaxed)};
    recent.push_back(now);
    while (recent.size() > 2 && now.at - recent.front().at > std::chrono::seconds(5)) recent.pop_front();
    // Over the recent window once it spans half a second; from the start before.
    sample from = now.at - recent.front().at >= std::chrono::milliseconds(500) ? recent.front() : sample{start, 0, 0};
    double seconds = std::chrono::duration<double>(now.at - from.at).count();
    double bps = seconds > 0 ? static_cast<double>(now.bytes - from.bytes) / seconds : 0;
    double rps = seconds > 0 ? static_cast<double>(now.records - from.records) / seconds : 0;
    std::uint64_t total = size_unknown ? 0 : bytes_expected.load(std::memory_order_relaxed);
    if (!s.suppressed && s.at_line_start) {
      std::string text = s.tool + ": " + describe(now.records, now.bytes, total, bps, rps);
      std::size_t width;
      std::string_view shown = fit(text, terminal_columns() - 1, width);  // the last column would wrap
      std::string line = "\r" + std::string(shown);
      if (s.drawn > width) line += std::string(s.drawn - width, ' ');
      write_all(line);
      s.drawn = std::max(width, s.drawn);
    }
    if (s.wake.wait_for(lock, std::chrono::milliseconds(250), [&] { return s.stop; })) return;
  }
}

}  // namespace

void count_bytes(std::uint64_t n) noexcept { bytes_read.fetch_add(n, std::memory_order_relaxed); }

void expect_bytes(std::uint64_t n, bool known) noexcept {
  bytes_expected.fetch_add(n, std::memory_order_relaxed);
  if (!known) size_unknown = true;
  // The thread starts with the first input opened: by then the tool has said
  // whether its report goes to standard error (suppress), so even a zero delay
  // never draws into a json report.
  if (!detail::active) return;
  terminal_state& s = state();
  std::lock_guard lock(s.mutex);
  if (s.thread.joinable() || s.suppressed || s.stop) return;
  try {
    s.thread = std::thread(draw_loop, std::ref(s));
  } catch (const std::system_error&) {  // no thread: no progress line, the run goes on
  }
}

std::string describe(std::uint64_t records, std::uint64_t bytes, std::uint64_t total, double bytes_per_second,
                     double records_per_second) {
  // The share and the time left first: on a narrow terminal the end is cut off.
  std::string line;
  if (total > 0 && bytes <= total) {
    line = fmt::format("{}%, ", bytes * 100 / total);
    if (bytes_per_second > 0)
      line += format_tr("{} left", duration(static_cast<double>(total - bytes) / bytes_per_second)) + ", ";
  }
  line += format_plural("{} record", "{} records", records, records);
  line += ", " + format_tr("{:.1f} MB", static_cast<double>(bytes) / 1e6);
  line += ", " + format_tr("{:.1f} MB/s", bytes_per_second / 1e6);
  line += ", " + format_tr("{} records/s", static_cast<std::uint64_t>(records_per_second + 0.5));
  return line;
}

std::size_t display_width(std::string_view text) {
  std::size_t width;
  fit(text, SIZE_MAX, width);
  return width;
}

session::session(std::string tool) {
  // KAIIN_PROGRESS=1: always (a log that understands \r, a test); 0: never.
  const char* env = std::getenv("KAIIN_PROGRESS");
  std::string_view want = env ? env : "";
  if (want != "1" && (want == "0" || ::isatty(STDERR_FILENO) != 1)) return;
  double after = 2.0;
  if (const char* delay = std::getenv("KAIIN_PROGRESS_AFTER"); delay && *delay) {
    char* end = nullptr;
    double v = std::strtod(delay, &end);
    if (end && *end == '\0' && v >= 0 && v < 1e6) after = v;
  }
  terminal_state& s = state();
  std::lock_guard lock(s.mutex);
  s.tool = std::move(tool);
  s.stop = s.suppressed = false;
  s.at_line_start = true;
  s.stdout_tty = ::isatty(STDOUT_FILENO) == 1;
  s.start = clock::now();
  s.delay = std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(after));
  detail::active = true;
}

session::~session() {
  if (!detail::active) return;
  terminal_state& s = state();
  {
    std::lock_guard lock(s.mutex);
    s.stop = true;  // and no thread starts any more
  }
  s.wake.notify_all();
  if (s.thread.joinable()) s.thread.join();
  std::lock_guard lock(s.mutex);
  clear_line(s);
  detail::active = false;
}

void suppress() noexcept {
  if (!detail::active) return;
  terminal_state& s = state();
  std::lock_guard lock(s.mutex);
  s.suppressed = true;
  clear_line(s);
}

terminal_write::terminal_write(int fd, std::string_view bytes) {
  if (!detail::active.load(std::memory_order_acquire)) return;
  terminal_state& s = state();
  if (fd != STDERR_FILENO && !(fd == STDOUT_FILENO && s.stdout_tty)) return;
  s.mutex.lock();
  held_ = true;
  clear_line(s);
  ends_line_ = bytes.empty() ? s.at_line_start : bytes.back() == '\n';
}

terminal_write::~terminal_write() {
  if (!held_) return;
  terminal_state& s = state();
  s.at_line_start = ends_line_;
  s.mutex.unlock();
}

}  // namespace kaiin::progress
