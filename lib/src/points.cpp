#include "kaiin/points.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <optional>
#include <vector>

#include "compact.h"
#include "cp932.h"
#include "csv_fields.h"
#include "kaiin/csv.h"
#include "kaiin/csv_input.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/member_rules.h"
#include "kaiin/output_set.h"
#include "kaiin/profile.h"
#include "kaiin/text.h"
#include "member_columns.h"

namespace kaiin {

namespace {

enum class key_kind { member_id, email };

std::string_view key_name(key_kind k) { return k == key_kind::member_id ? "member_id" : "email"; }

// One row of a point CSV, or one member of an export taken as a balance.
struct point_row {
  std::uint64_t line = 0;
  // Views into the reader's record or the key's buffer, valid until the next row:
  // copying them was 7% of kaiin-points diff's time (perf).
  std::string_view key_text;  // the member key as written
  std::string_view key;       // what members are matched by: the ID, or the e-mail key
  std::string key_buffer;     // an e-mail key
  std::optional<std::int64_t> points;
  std::string reason;  // read for check only
};

// A whole integer, optionally signed; nullopt for anything else.
std::optional<std::int64_t> parse_points(std::string_view v) {
  std::int64_t n = 0;
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return n;
}

// The first line of a file, as bytes, without a BOM: enough to tell a point CSV
// (its header names are ASCII) from a member export.
std::vector<std::string> peek_header(const std::string& path) {
  if (path == "-") return {};
  file_source in(path);
  std::string head(65536, '\0');
  head.resize(in.read(head.data(), head.size()));
  if (head.starts_with("\xEF\xBB\xBF")) head.erase(0, 3);
  head = head.substr(0, head.find_first_of("\r\n"));
  std::vector<std::string> names;
  for (std::size_t start = 0;;) {
    std::size_t comma = head.find(',', start);
    names.push_back(head.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return names;
}

bool is_point_csv(const std::vector<std::string>& header) {
  if (header.empty()) return true;  // standard input: a point CSV
  for (const std::string& h : header)
    if (h != "member_id" && h != "email" && h != "points" && h != "reason" && h != "category") return false;
  return true;
}

// The columns a point CSV may have, in the order columns_ holds them.
constexpr std::array<std::string_view, 5> point_columns = {"member_id", "email", "points", "reason", "category"};
enum point_column { pc_member_id, pc_email, pc_points, pc_reason };

// Reads a point CSV with kaiin's own CSV reader: quotes, a newline inside quotes,
// CR and NUL bytes as CSV has them, at reader speed (fast-cpp-csv-parser, before,
// read 27 MB a second here and stopped the file at a NUL byte or an undecodable
// one). A row the reader reports (a problem of its structure or of its bytes) is
// a finding, and reading goes on with the next row.
class point_csv {
 public:
  /// \p want_reason: the rows' reasons are read (check); diff needs none.
  point_csv(const std::string& path, diagnostics& diag, bool want_reason = true)
      : in_(path, source_encoding::auto_detect, diag), diag_(diag), want_reason_(want_reason) {
    in_.collect_into(&found_);
    raw_record r;
    if (!in_.next(r)) throw error(_("the file is empty: a header is missing"), name());
    read_header();
    pass_on_findings();
    bool by_id = columns_[pc_member_id] >= 0, by_email = columns_[pc_email] >= 0;
    if (by_id == by_email || columns_[pc_points] < 0)
      throw error(_("a point CSV has the columns member_id or email (one of them), points, reason and an optional "
                    "category"),
                  name(), 1);
    kind_ = by_id ? key_kind::member_id : key_kind::email;
  }

  key_kind kind() const { return kind_; }
  const std::string& name() const { return in_.name(); }

  bool next(point_row& row) {
    while (in_.next(r_)) {
      if (!readable()) continue;
      row.line = r_.line;
      record_ = r_.number;
      std::string_view key = field(kind_ == key_kind::member_id ? pc_member_id : pc_email, key_buffer_);
      std::string_view points = field(pc_points, points_buffer_);
      row.reason = want_reason_ ? field(pc_reason, reason_buffer_) : std::string_view();
      pass_on_findings();
      row.key_text = key;
      if (kind_ == key_kind::member_id) {
        row.key = key;
      } else {
        email_key(key, row.key_buffer);
        row.key = row.key_buffer;
      }
      row.points = parse_points(points);
      if (!row.points)
        report("points", severity::error, "points-integer",
               format_tr("points '{}' is not a whole number (a deduction is negative: -100)", points));
      if (row.key.empty())
        report(std::string(key_name(kind_)), severity::error, "points-member",
               format_tr("the row names no member: {} is empty", key_name(kind_)));
      return true;
    }
    pass_on_findings();
    return false;
  }

  /// A finding about the row read last, its column named in the message.
  void report(const std::string& column, severity s, std::string rule, std::string message) {
    diag_.report({name(), record_, r_.line, column, s, std::move(rule), column + ": " + message});
  }

 private:
  // The header's names: each a column of a point CSV, none twice.
  void read_header() {
    const std::vector<std::string>& names = in_.header();
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto known = std::find(point_columns.begin(), point_columns.end(), names[i]);
      if (known == point_columns.end())
        throw error(format_tr("the header has an unknown column '{}'", names[i]), name());
      int& at = columns_[static_cast<std::size_t>(known - point_columns.begin())];
      if (at >= 0) throw error(format_tr("the header has the column '{}' twice", names[i]), name());
      at = static_cast<int>(i);
    }
  }

  // False for a row the reader reported, or whose values hold a line break: the
  // admin screen's point upload takes a row a line. Its findings are passed on.
  bool readable() {
    bool ok = !r_.malformed();
    for (finding& f : found_)
      if (f.rule == "csv-field-count") {
        // fast-cpp-csv-parser's words, which the tests and users know
        f = {name(),
             0,
             f.line,
             std::nullopt,
             severity::error,
             "points-row",
             r_.fields.size() > in_.header().size() ? _("too many columns") : _("too few columns")};
      } else if (f.severity == severity::error) {
        ok = false;
      }
    if (ok && !in_.valid_bytes(r_)) {
      record_values all;
      in_.decode_fields(r_, all);  // reports each bad byte
      ok = false;
    }
    if (ok && r_.text.find('\n') != std::string_view::npos) {
      found_.push_back({name(), r_.number, r_.line, std::nullopt, severity::error, "points-row",
                        _("a value holds a line break: a row of a point CSV is one line")});
      ok = false;
    }
    pass_on_findings();
    return ok;
  }

  // Column \p c of the row read last, decoded; empty when the file lacks it.
  std::string_view field(point_column c, std::string& buffer) {
    const int at = columns_[c];
    if (at < 0) return {};
    return in_.decode_field(r_, static_cast<std::size_t>(at), buffer);
  }

  void pass_on_findings() {
    for (const finding& f : found_) diag_.report(f);
    found_.clear();
  }

  csv_input in_;
  diagnostics& diag_;
  bool want_reason_;
  std::array<int, point_columns.size()> columns_ = {-1, -1, -1, -1, -1};
  key_kind kind_ = key_kind::member_id;
  std::vector<finding> found_;  // what the reader found in the record read last
  raw_record r_;
  std::uint64_t record_ = 0;
  std::string key_buffer_, points_buffer_, reason_buffer_;
};

// A member export read as balances: member key and cus_point of each member.
class export_balances {
 public:
  export_balances(const std::string& path, key_kind kind, const std::string& profile_name, source_encoding from,
                  diagnostics& diag)
      : in_(path, from, diag), kind_(kind), diag_(diag) {
    raw_record r;
    if (!in_.next(r)) throw error(_("the file is empty"), in_.name());
    member_columns found = read_columns(profile_name, in_.header());
    require_columns(found, in_.name(), {kind == key_kind::member_id ? field::member_id : field::email, field::point});
    cols_ = found.columns;
  }
  const std::string& name() const { return in_.name(); }

  bool next(point_row& row) {
    raw_record r;
    while (in_.next(r)) {
      if (r.malformed()) continue;  // reported by the reader
      in_.decode_fields(r, values_);
      row.line = r.line;
      std::string_view key = values_.get(cols_[kind_ == key_kind::member_id ? field::member_id : field::email]);
      row.key_text = key;
      if (kind_ == key_kind::member_id) {
        row.key = key;
      } else {
        email_key(key, row.key_buffer);
        row.key = row.key_buffer;
      }
      std::string_view balance = values_.get(cols_[field::point]);
      row.points = balance.empty() ? std::optional<std::int64_t>(0) : parse_points(balance);
      if (!row.points || *row.points < 0)
        diag_.report({name(), r.number, r.line, in_.column_name(static_cast<std::size_t>(cols_[field::point])),
                      severity::error, "point-format",
                      format_tr("point balance '{}' is not a whole number from 0 up", balance)});
      if (row.key.empty()) continue;  // a member without the key cannot be matched
      return true;
    }
    return false;
  }

 private:
  csv_input in_;
  key_kind kind_;
  diagnostics& diag_;
  column_map cols_{};
  record_values values_;
};

// A snapshot of balances, whichever kind of file holds it.
class snapshot {
 public:
  snapshot(const std::string& path, std::optional<key_kind> kind, const std::string& profile, source_encoding from,
           diagnostics& diag) {
    if (is_point_csv(peek_header(path))) {
      csv_ = std::make_unique<point_csv>(path, diag, false);
      kind_ = csv_->kind();
    } else {
      kind_ = kind.value_or(key_kind::member_id);
      export_ = std::make_unique<export_balances>(path, kind_, profile, from, diag);
    }
  }
  key_kind kind() const { return kind_; }
  const std::string& name() const { return csv_ ? csv_->name() : export_->name(); }
  bool next(point_row& row) { return csv_ ? csv_->next(row) : export_->next(row); }

 private:
  std::unique_ptr<point_csv> csv_;
  std::unique_ptr<export_balances> export_;
  key_kind kind_ = key_kind::member_id;
};

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
  export_balances ex(o.members, kind, o.profile, o.from, diag);
  point_row m;
  while (ex.next(m)) {
    if (members.index.insert(m.key).second) members.balance.push_back(m.points.value_or(0));
  }
  return members;
}

// A reason the admin screen takes: characters CP932 has, at most max_reason_bytes.
void check_reason(point_csv& points, std::string_view reason) {
  auto reason_bytes = cp932_length(reason);
  if (!reason_bytes)
    points.report("reason", severity::error, "points-reason",
                  _("the reason has characters CP932 lacks: the admin screen cannot take them"));
  else if (*reason_bytes > max_reason_bytes)
    points.report("reason", severity::error, "points-reason",
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
point_effects apply_rows(point_csv& points, const member_balances& members, const points_check_options& o) {
  point_effects e{members.balance, std::vector<std::uint64_t>(members.balance.size(), 0)};
  detail::ordered_id_index seen;             // the members rows name, numbered
  detail::chunked<std::uint32_t> first_row;  // the line of each one's first row
  point_row row;
  while (points.next(row)) {
    ++e.rows;
    if (row.points) e.total += *row.points;
    check_reason(points, row.reason);
    if (row.key.empty()) continue;
    if (points.kind() == key_kind::email) {
      if (auto v = check_email(row.key_text)) points.report("email", v->severity, v->rule, v->message);
    }
    if (auto [number, fresh] = seen.insert(row.key); fresh)
      first_row.push_back(static_cast<std::uint32_t>(row.line));
    else
      points.report(
          std::string(key_name(points.kind())), severity::warning, "points-duplicate-member",
          format_tr("member '{}' also has a row on line {}: both are applied", row.key_text, first_row[number]));
    if (o.members.empty()) continue;
    const std::optional<std::uint32_t> m = members.index.find(row.key);
    if (!m) {
      points.report(std::string(key_name(points.kind())), severity::error, "points-unknown-member",
                    format_tr("member '{}' is not in '{}'", row.key_text, o.members));
      continue;
    }
    if (row.points) {
      e.after[*m] += *row.points;
      e.last_line[*m] = row.line;
    }
  }
  return e;
}

// A balance below zero, reported once a member, at the row that takes it there.
void report_negative_balances(const point_csv& points, const member_balances& members, const point_effects& e,
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
    auto header = peek_header(path);
    if (is_point_csv(header) && std::find(header.begin(), header.end(), "email") != header.end())
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

// Reads OLD whole; its reader is closed on return, before NEW's opens.
old_snapshot read_old(const points_diff_options& o, key_kind kind, diagnostics& diag) {
  old_snapshot old;
  snapshot snap(o.old_file, kind, o.profile, o.from, diag);
  old.name = snap.name();
  old.kind = snap.kind();
  point_row row;
  while (snap.next(row)) {
    if (!row.points || row.key.empty()) continue;
    if (!old.index.insert(row.key).second) {
      diag.report({old.name, 0, row.line, std::nullopt, severity::error, "points-duplicate-member",
                   format_tr("member '{}' has a second balance in the snapshot", row.key_text)});
      continue;
    }
    old.balance.push_back(*row.points);
    old.line.push_back(static_cast<std::uint32_t>(row.line));
    if (old.kind == key_kind::email) old.written_at.push_back(old.written.add(row.key_text));
  }
  return old;
}

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
    encode(o.reason, reason_);
  }

  /// One row: the member's key as written, and the difference of its balances.
  void add(std::string_view key_text, std::int64_t delta) {
    key_.clear();
    encode(key_text, key_);
    line_.clear();
    escaped_ += append_csv_field(line_, key_, {}, escape_);
    line_ += fmt::format(",{},", delta);  // a number: never escaped
    escaped_ += append_csv_field(line_, reason_, {}, escape_);
    line_ += newline_;
    if (parts_)
      parts_->add(line_);
    else
      single_->write(line_);
  }

  std::uint64_t escaped() const { return escaped_; }
  /// The numbered files of --max-rows, or nullptr.
  const numbered_files* parts() const { return parts_.get(); }

 private:
  // Keys and the reason are checked already: nothing to report here.
  void encode(std::string_view text, std::string& out) {
    struct : problem_sink {
      void on_problem(const coding_problem&) override {}
    } quiet;
    to_ == encoding::cp932 ? encode_cp932(text, out, quiet) : copy_utf8(text, out, quiet);
  }

  encoding to_;
  std::string newline_;
  bool escape_;
  std::unique_ptr<numbered_files> parts_;
  output_stream* single_ = nullptr;
  std::string reason_, key_, line_;
  std::uint64_t escaped_ = 0;
};

// What NEW held against OLD.
struct diff_counts {
  std::uint64_t adjustments = 0, unchanged = 0, appeared = 0, vanished = 0;
  std::int64_t total = 0;
  std::vector<bool> in_new;  // each member of OLD: also in NEW
};

// Streams NEW past OLD: a row for each member whose balance changed; a member only
// in NEW is a warning, a second balance for one an error.
diff_counts write_adjustments(snapshot& fresh, const old_snapshot& old, adjustment_file& out, diagnostics& diag) {
  diff_counts n;
  n.in_new.assign(old.balance.size(), false);
  point_row row;
  while (fresh.next(row)) {
    if (!row.points || row.key.empty()) continue;
    const std::optional<std::uint32_t> m = old.index.find(row.key);
    if (!m) {
      ++n.appeared;
      diag.report({fresh.name(), 0, row.line, std::nullopt, severity::warning, "points-appeared",
                   format_tr("member '{}' is not in '{}': no adjustment is written for them", row.key_text, old.name)});
      continue;
    }
    if (n.in_new[*m]) {
      diag.report({fresh.name(), 0, row.line, std::nullopt, severity::error, "points-duplicate-member",
                   format_tr("member '{}' has a second balance in the snapshot", row.key_text)});
      continue;
    }
    n.in_new[*m] = true;
    std::int64_t delta = *row.points - old.balance[*m];
    if (delta == 0) {
      ++n.unchanged;
      continue;
    }
    out.add(row.key_text, delta);
    ++n.adjustments;
    n.total += delta;
  }
  return n;
}

// Members only in OLD: warnings, and no adjustment. Returns how many.
std::uint64_t report_vanished(const old_snapshot& old, const diff_counts& n, const std::string& new_name,
                              diagnostics& diag) {
  std::uint64_t vanished = 0;
  for (std::size_t m = 0; m < n.in_new.size(); ++m) {
    if (n.in_new[m]) continue;
    ++vanished;
    diag.report({old.name, 0, old.line[m], std::nullopt, severity::warning, "points-vanished",
                 format_tr("member '{}' is not in '{}': no adjustment is written for them",
                           old.key(static_cast<std::uint32_t>(m)), new_name)});
  }
  return vanished;
}

}  // namespace

int run_points_check(const points_check_options& o, diagnostics& diag) {
  point_csv points(o.file, diag);
  const member_balances members = read_member_balances(o, points.kind(), diag);
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
  atomic_output::refuse_inputs(o.output, {o.old_file, o.new_file});
  check_reason_option(o.reason);
  const key_kind kind = snapshot_key(o);
  // OLD in memory (a key and a balance a member); NEW streams past it.
  const old_snapshot old = read_old(o, kind, diag);
  snapshot fresh(o.new_file, kind, o.profile, o.from, diag);
  if (old.kind != fresh.kind())
    throw error(format_tr("'{}' names members by {}, '{}' by {}: snapshots must use the same key", old.name,
                          key_name(old.kind), fresh.name(), key_name(fresh.kind())));

  output_set outputs;
  adjustment_file adjust(outputs, o, fresh.kind());
  diff_counts n = write_adjustments(fresh, old, adjust, diag);
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
