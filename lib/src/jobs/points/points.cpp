#include "kaiin/points.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/byte_scan.h"
#include "core/compact.h"
#include "core/cp932.h"
#include "core/csv_fields.h"
#include "core/csv_input.h"
#include "core/output_set.h"
#include "core/text.h"
#include "jobs/points/point_rows.h"
#include "kaiin/csv.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/member_rules.h"
#include "members/profile.h"

namespace kaiin {

namespace {

using detail::key_kind;
using detail::key_name;
using detail::point_row;
using detail::point_rows;
using detail::point_source;

// Opens an input with \p open, reporting the findings of its header, even when it
// throws (they come before the error).
template <class Open>
std::unique_ptr<point_source> opened(diagnostics& diag, Open open) {
  std::vector<finding> header;
  auto report = [&] {
    for (const finding& f : header) diag.report(f);
  };
  try {
    std::unique_ptr<point_source> source = open(header);
    report();
    return source;
  } catch (...) {
    report();
    throw;
  }
}

// Bytes of \p reason in CP932, or nullopt when CP932 cannot hold it.
std::optional<std::size_t> cp932_length(std::string_view reason) {
  std::string bytes;
  if (!detail::try_encode_cp932(reason, bytes)) return std::nullopt;
  return bytes.size();
}

// ---- check: a point CSV against the members' balances ----

// The members' balances (--members EXPORT), by the key the point CSV uses.
struct member_balances {
  detail::ordered_id_index index;  // member key -> member number
  std::vector<std::int64_t> balance;
};

member_balances read_member_balances(const points_check_options& o, key_kind kind, diagnostics& diag) {
  member_balances members;
  if (o.members.empty()) return members;
  auto ex = opened(diag, [&](std::vector<finding>& header) {
    return detail::open_export_balances(o.members, kind, o.profile, o.from, diag, header);
  });
  point_rows rows(*ex, diag);
  while (const point_row* m = rows.next()) {
    if (members.index.insert(rows.key(*m)).second) members.balance.push_back(m->points.value_or(0));
  }
  return members;
}

// A reason the admin screen takes: characters CP932 has, at most max_reason_bytes.
void check_reason(point_rows& points, const point_row& row) {
  auto reason_bytes = cp932_length(points.reason(row));
  if (!reason_bytes)
    points.report(row, "reason", severity::error, "points-reason",
                  _("the reason has characters CP932 lacks: the admin screen cannot take them"));
  else if (*reason_bytes > max_reason_bytes)
    points.report(row, "reason", severity::error, "points-reason",
                  format_tr("the reason is {} bytes in CP932; the admin screen takes at most {}", *reason_bytes,
                            max_reason_bytes));
}

// What the rows do: each member's balance after them, and the totals of the summary.
struct point_effects {
  std::vector<std::int64_t> after;       // a member's balance once every row is applied
  std::vector<std::uint64_t> last_line;  // the row that changed it last
  std::uint64_t rows = 0;
  std::int64_t total = 0;
};

// Checks every row (its reason, its member's address, a second row for a member, a
// member not in the export) and applies its points to the member's balance.
point_effects apply_rows(point_rows& points, const member_balances& members, const points_check_options& o) {
  point_effects effects{members.balance, std::vector<std::uint64_t>(members.balance.size(), 0)};
  detail::ordered_id_index seen;             // the members rows name, numbered
  detail::chunked<std::uint32_t> first_row;  // the line of each one's first row
  while (const point_row* r = points.next()) {
    const point_row& row = *r;
    const std::string_view key = points.key(row), key_text = points.key_text(row);
    ++effects.rows;
    if (row.points) effects.total += *row.points;
    check_reason(points, row);
    if (key.empty()) continue;
    if (points.kind() == key_kind::email) {
      if (auto v = check_email(key_text)) points.report(row, "email", v->severity, v->rule, v->message);
    }
    if (auto [number, fresh] = seen.insert(key); fresh)
      first_row.push_back(static_cast<std::uint32_t>(row.line));
    else
      points.report(row, std::string(key_name(points.kind())), severity::warning, "points-duplicate-member",
                    format_tr("member '{}' also has a row on line {}: both are applied", key_text, first_row[number]));
    if (o.members.empty()) continue;
    const std::optional<std::uint32_t> member = members.index.find(key);
    if (!member) {
      points.report(row, std::string(key_name(points.kind())), severity::error, "points-unknown-member",
                    format_tr("member '{}' is not in '{}'", key_text, o.members));
      continue;
    }
    if (row.points) {
      effects.after[*member] += *row.points;
      effects.last_line[*member] = row.line;
    }
  }
  return effects;
}

// A balance below zero, reported once a member, at the row that takes it there.
void report_negative_balances(const point_rows& points, const member_balances& members, const point_effects& e,
                              diagnostics& diag) {
  for (std::size_t m = 0; m < e.after.size(); ++m) {
    if (e.after[m] >= 0) continue;
    diag.report({points.name(), e.last_line[m] - 1, e.last_line[m], "points", severity::error,
                 "points-negative-balance",
                 "points: " + format_tr("the member's balance would go from {} to {}, below zero", members.balance[m],
                                        e.after[m])});
  }
}

// ---- diff: the adjustments that take one snapshot to the other ----

// --reason goes into every row: the admin screen must take it.
void check_reason_option(const std::string& reason) {
  auto reason_bytes = cp932_length(reason);
  if (!reason_bytes || *reason_bytes > max_reason_bytes)
    throw error(format_tr("--reason must be at most {} bytes in CP932", max_reason_bytes));
}

// Both snapshots name members the same way: a point CSV's key decides, and a member
// export follows it (its e-mail column for an e-mail key).
key_kind snapshot_key(const points_diff_options& o) {
  key_kind kind = key_kind::member_id;
  for (const std::string& path : {o.new_file, o.old_file}) {
    auto header = detail::peek_header(path);
    if (detail::is_point_csv(header) && std::find(header.begin(), header.end(), "email") != header.end())
      kind = key_kind::email;
  }
  return kind;
}

// OLD, held in memory: a key and a balance a member, in compact tables (at
// 1,000,000 members with IDs in order, 20 bytes a member: its ID, balance and line).
struct old_snapshot {
  std::string name;
  key_kind kind = key_kind::member_id;
  detail::ordered_id_index index;  // member key -> member number (in order: 8 bytes a key)
  detail::chunked<std::int64_t> balance;
  detail::chunked<std::uint32_t> line;
  // E-mail keys only: the addresses as written (a member ID is its own key).
  detail::text_arena written;
  detail::chunked<std::uint32_t> written_at;
  std::string key(std::uint32_t m) const {
    return kind == key_kind::member_id ? index.id(m) : std::string(written.get(written_at[m]));
  }
};

// Reads OLD's rows whole into \p old; \p every_batch runs after each batch's worth
// of members (the diff takes NEW's rows meanwhile).
void read_old(point_rows& rows, diagnostics& diag, old_snapshot& old, const std::function<void()>& every_batch) {
  old.name = rows.name();
  old.kind = rows.kind();
  std::size_t since = 0;
  while (const point_row* row = rows.next()) {
    if (++since == detail::point_batch::rows_wanted) {
      since = 0;
      every_batch();
    }
    if (!row->points || row->key_size == 0) continue;
    if (!old.index.insert(rows.key(*row)).second) {
      diag.report({old.name, 0, row->line, std::nullopt, severity::error, "points-duplicate-member",
                   format_tr("member '{}' has a second balance in the snapshot", rows.key_text(*row))});
      continue;
    }
    old.balance.push_back(*row->points);
    old.line.push_back(static_cast<std::uint32_t>(row->line));
    if (old.kind == key_kind::email) old.written_at.push_back(old.written.add(rows.key_text(*row)));
  }
}

// NEW, opened before OLD is read and read ahead on its own thread, up to
// read_ahead batches (at 1,000,000 members, four batches ahead saved nothing: NEW's
// thread soon waited for the calling thread, busy with OLD). Not when OLD and NEW
// are one file (diff A.csv A.csv): OLD reads it first, whole.
class upcoming_snapshot {
 public:
  // Some 18 MB of rows (280 KB a batch), whatever the file's size: at 1,000,000
  // members NEW's thread reads a quarter of NEW meanwhile, and diff's peak is 49 MB
  // (32 batches: 40 MB, 0.03 s slower); at 10,000,000, 226 MB (22.6 bytes a member).
  static constexpr int read_ahead = 64;

  upcoming_snapshot(const points_diff_options& o, key_kind kind, diagnostics& diag) : o_(o), kind_(kind) {
    if (o.new_file != o.old_file) open(diag);
  }
  /// Its rows, opened while OLD is read, without reporting anything; nullptr when it
  /// is not open yet or failed to open.
  point_rows* early_rows() { return rows_ && !failed_ ? &*rows_ : nullptr; }
  /// Reports what opening the file found, throws its error, if any; then its rows.
  point_rows& rows(diagnostics& diag) {
    if (!tried_) open(diag);
    for (const finding& f : header_) diag.report(f);
    header_.clear();
    if (failed_) std::rethrow_exception(failed_);
    return *rows_;
  }

 private:
  void open(diagnostics& diag) {
    tried_ = true;
    try {
      source_ = detail::open_snapshot(o_.new_file, kind_, o_.profile, o_.from, diag, header_);
      rows_.emplace(*source_, diag, read_ahead);
    } catch (...) {
      failed_ = std::current_exception();
    }
  }

  const points_diff_options& o_;
  key_kind kind_;
  bool tried_ = false;
  std::vector<finding> header_;
  std::unique_ptr<point_source> source_;
  std::optional<point_rows> rows_;  // after source_: destroyed (its thread stopped) first
  std::exception_ptr failed_;
};

// The adjustment CSV: KEY,points,reason, in the target encoding; one file, or
// numbered files of --max-rows rows with the header in each.
class adjustment_file {
 public:
  adjustment_file(output_set& outputs, const points_diff_options& o, key_kind kind)
      : to_(o.to), newline_(o.newline == newline_style::lf ? "\n" : "\r\n"), escape_(o.escape_formulas) {
    std::string header = fmt::format("{},points,reason{}", key_name(kind), newline_);
    if (o.max_rows) {
      if (o.output == "-") throw error(_("--max-rows writes numbered files: name them with -o ADJUST.csv"));
      std::string base = o.output;
      if (base.size() > 4 && base.ends_with(".csv")) base.resize(base.size() - 4);
      auto slash = base.rfind('/');
      std::string dir = slash == std::string::npos ? "." : base.substr(0, slash);
      std::string stem = slash == std::string::npos ? base : base.substr(slash + 1);
      std::string preamble = o.to == encoding::utf8_bom ? "\xEF\xBB\xBF" + header : header;
      parts_ = std::make_unique<numbered_files>(outputs, dir, stem, preamble, o.max_rows, 0);
    } else {
      single_ = &outputs.add(o.output);
      if (o.to == encoding::utf8_bom) single_->write("\xEF\xBB\xBF");
      single_->write(header);
    }
    std::string reason;
    // The same reason ends every row: quoted (and escaped) once.
    tail_ = ",";
    tail_escaped_ = append_csv_field(tail_, encoded(o.reason, reason), {}, escape_);
    tail_ += newline_;
  }

  /// One row: the member's key as written, and the difference of its balances.
  void add(std::string_view key_text, std::int64_t delta) {
    line_.clear();
    escaped_ += append_csv_field(line_, encoded(key_text, key_), {}, escape_);
    line_ += ',';  // a number: never escaped
    const fmt::format_int number(delta);
    line_.append(number.data(), number.size());
    line_ += tail_;
    escaped_ += tail_escaped_;
    if (parts_)
      parts_->add(line_);
    else
      single_->write(line_);
  }

  std::uint64_t escaped() const { return escaped_; }
  /// The numbered files of --max-rows, or nullptr.
  const numbered_files* parts() const { return parts_.get(); }

 private:
  // \p text in the target encoding: itself when ASCII (a member ID, most addresses:
  // the same bytes in every target, not copied; encoding each key was 5% of diff's
  // time, perf), else encoded into \p buffer. Keys and the reason are checked
  // already: nothing to report here.
  std::string_view encoded(std::string_view text, std::string& buffer) const {
    if (detail::is_ascii(text)) return text;
    struct : problem_sink {
      void on_problem(const coding_problem&) override {}
    } quiet;
    buffer.clear();
    to_ == encoding::cp932 ? encode_cp932(text, buffer, quiet) : copy_utf8(text, buffer, quiet);
    return buffer;
  }

  encoding to_;
  std::string newline_;
  bool escape_;
  std::unique_ptr<numbered_files> parts_;
  output_stream* single_ = nullptr;
  std::string tail_, key_, line_;  // tail_: ",REASON" and the newline
  std::uint64_t escaped_ = 0, tail_escaped_ = 0;
};

// What NEW held against OLD.
struct diff_counts {
  std::uint64_t adjustments = 0, unchanged = 0, appeared = 0, vanished = 0;
  std::int64_t total = 0;
  detail::bit_set in_new;  // each member of OLD: also in NEW
};

// Streams NEW past OLD: a row for each member whose balance changed; a member only
// in NEW is a warning, a second balance for one an error. NEW's rows are taken in
// order while OLD is still read, as far as the members of OLD read so far answer
// them (snapshots list their members in much the same order), so that the diff
// runs beside OLD's reading instead of after it: at 1,000,000 members it was the
// critical path, OLD's reading and then NEW's diff, one core idle for much of it.
// Their findings are held until OLD's are reported, so the report reads as though
// OLD were read first; a row OLD has not named yet waits, and with it the rest.
class diff_stream {
 public:
  diff_stream(const old_snapshot& old, adjustment_file& out, diagnostics& diag) : old_(old), out_(out), diag_(diag) {}

  /// While OLD is read: takes NEW's rows up to the first that OLD has not named so far
  /// (or until the findings held would take more than a few megabytes: then the rest
  /// waits for OLD's end, as every row did before).
  void take_early(point_rows& fresh) {
    if (failed_) return;
    fresh.hold_findings(&held_);
    holding_ = true;
    try {
      while (held_.size() < max_held) {
        const point_row* r = waiting_ ? waiting_ : fresh.next();
        if (!r) break;
        waiting_ = nullptr;
        if (!take(fresh, *r, false)) {
          waiting_ = r;
          break;
        }
      }
    } catch (...) {  // NEW's reading (or writing an adjustment) failed: said where it was met before
      failed_ = std::current_exception();
    }
    holding_ = false;
    fresh.hold_findings(nullptr);
  }

  /// Once OLD is read (and its findings reported): the findings held, then the rest.
  diff_counts finish(point_rows& fresh) {
    for (const finding& f : held_) diag_.report(f);
    held_.clear();
    if (failed_) std::rethrow_exception(failed_);
    if (waiting_) take(fresh, *std::exchange(waiting_, nullptr), true);
    while (const point_row* r = fresh.next()) take(fresh, *r, true);
    return std::move(n_);
  }

 private:
  // False when the row's member is not among OLD's members read so far and OLD is
  // not read whole (\p old_done): the row waits.
  bool take(point_rows& fresh, const point_row& row, bool old_done) {
    if (!row.points || row.key_size == 0) return true;
    const std::string_view key_text = fresh.key_text(row);
    const std::optional<std::uint32_t> m = old_.index.find(fresh.key(row));
    if (!m) {
      if (!old_done) return false;
      ++n_.appeared;
      say({fresh.name(), 0, row.line, std::nullopt, severity::warning, "points-appeared",
           format_tr("member '{}' is not in '{}': no adjustment is written for them", key_text, old_.name)});
      return true;
    }
    if (n_.in_new.test(*m)) {
      say({fresh.name(), 0, row.line, std::nullopt, severity::error, "points-duplicate-member",
           format_tr("member '{}' has a second balance in the snapshot", key_text)});
      return true;
    }
    n_.in_new.set(*m);
    std::int64_t delta = *row.points - old_.balance[*m];
    if (delta == 0) {
      ++n_.unchanged;
      return true;
    }
    out_.add(key_text, delta);
    ++n_.adjustments;
    n_.total += delta;
    return true;
  }
  void say(finding f) {
    if (holding_) {
      held_.push_back(std::move(f));
    } else {
      diag_.report(f);
    }
  }

  static constexpr std::size_t max_held = 16384;
  const old_snapshot& old_;
  adjustment_file& out_;
  diagnostics& diag_;
  diff_counts n_;
  std::vector<finding> held_;
  const point_row* waiting_ = nullptr;  // NEW's row OLD has not named yet; its batch is kept
  std::exception_ptr failed_;
  bool holding_ = false;
};

// Members only in OLD: warnings, and no adjustment. Returns how many.
std::uint64_t report_vanished(const old_snapshot& old, const diff_counts& n, const std::string& new_name,
                              diagnostics& diag) {
  std::uint64_t vanished = 0;
  n.in_new.each_unset(old.balance.size(), [&](std::size_t m) {
    ++vanished;
    diag.report({old.name, 0, old.line[m], std::nullopt, severity::warning, "points-vanished",
                 format_tr("member '{}' is not in '{}': no adjustment is written for them",
                           old.key(static_cast<std::uint32_t>(m)), new_name)});
  });
  return vanished;
}

}  // namespace

int run_points_check(const points_check_options& o, diagnostics& diag) {
  auto file =
      opened(diag, [&](std::vector<finding>& header) { return detail::open_point_csv(o.file, diag, header, true); });
  const member_balances members = read_member_balances(o, file->kind(), diag);
  point_rows points(*file, diag);
  const point_effects effects = apply_rows(points, members, o);
  report_negative_balances(points, members, effects, diag);
  diag.summary("file", points.name());
  diag.summary("key", std::string(key_name(points.kind())));
  diag.summary("rows", effects.rows);
  diag.summary("points_total", fmt::format("{}", effects.total));
  diag.summary("expiry_dates", _("unchanged (a point CSV carries none)"));
  return diag.exit_status();
}

int run_points_diff(const points_diff_options& o, diagnostics& diag) {
  // Read once, standard input would leave NEW nothing after OLD.
  if (o.old_file == "-" && o.new_file == "-") throw error(_("only one of OLD and NEW can be standard input"));
  atomic_output::refuse_inputs(o.output, {o.old_file, o.new_file});
  check_reason_option(o.reason);
  const key_kind kind = snapshot_key(o);
  auto old_file = opened(diag, [&](std::vector<finding>& header) {
    return detail::open_snapshot(o.old_file, kind, o.profile, o.from, diag, header);
  });
  // NEW's reading thread reads ahead while OLD is read and filed, so that both files
  // are parsed at once on two cores; what opening NEW found, or the error it threw,
  // waits until OLD's findings are reported.
  upcoming_snapshot next(o, kind, diag);
  std::optional<point_rows> old_rows(std::in_place, *old_file, diag);  // OLD's reading starts here
  output_set outputs;
  // The adjustments' file before OLD is read, so that NEW's rows can be taken
  // meanwhile (a file that cannot be made is said before reading, not after).
  adjustment_file adjust(outputs, o, old_file->kind());
  old_snapshot old;
  diff_stream diff(old, adjust, diag);
  point_rows* early = next.early_rows();
  if (early && early->kind() != old_file->kind()) early = nullptr;  // the error comes after OLD
  // Adjustments written straight to a terminal or a FIFO cannot be taken back should
  // OLD fail: there NEW waits for OLD's end.
  if (outputs.writes_directly()) early = nullptr;
  // OLD in memory (a key and a balance a member); NEW streams past it.
  read_old(*old_rows, diag, old, [&] {
    if (early) diff.take_early(*early);
  });
  old_rows.reset();
  old_file.reset();
  point_rows& fresh = next.rows(diag);
  if (old.kind != fresh.kind())
    throw data_error("header-missing",
                     format_tr("'{}' names members by {}, '{}' by {}: snapshots must use the same key", old.name,
                               key_name(old.kind), fresh.name(), key_name(fresh.kind())),
                     fresh.name());
  diff_counts n = diff.finish(fresh);
  n.vanished = report_vanished(old, n, fresh.name(), diag);

  diag.summary("old", old.name);
  diag.summary("new", fresh.name());
  diag.summary("adjustments", n.adjustments);
  diag.summary("points_total", fmt::format("{}", n.total));
  diag.summary("unchanged", n.unchanged);
  diag.summary("appeared", n.appeared);
  diag.summary("vanished", n.vanished);
  diag.summary("expiry_dates", _("unchanged (a point CSV carries none)"));
  diag.add_escaped(adjust.escaped());
  if (commit_unless_errors(outputs, diag)) return 1;
  if (adjust.parts()) diag.summary("files", adjust.parts()->files().size());
  return 0;
}

}  // namespace kaiin
