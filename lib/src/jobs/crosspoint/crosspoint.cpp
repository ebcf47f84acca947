#include "kaiin/crosspoint.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "core/compact.h"
#include "core/cp932.h"
#include "core/csv_input.h"
#include "core/data_dirs.h"
#include "core/fixed_column_csv.h"
#include "core/output_set.h"
#include "core/text.h"
#include "jobs/crosspoint/crosspoint_rows.h"
#include "kaiin/csv.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/member_rules.h"
#include "members/merge.h"
#include "members/profile.h"

namespace kaiin {

namespace {

using detail::map_column;
using groups = std::vector<std::vector<std::uint32_t>>;

// ---- the map: where each column of the load file takes its value from ----

// --map FILE, else the map shipped with kaiin.
std::string map_file(const crosspoint_options& o) {
  std::string path = o.map.empty() ? find_data_file("crosspoint", "default.csv") : o.map;
  if (path.empty()) throw error(_("the default CROSS POINT map is not installed: name one with --map FILE"));
  return path;
}

std::vector<map_column> read_map(const std::string& path) {
  std::vector<map_column> columns;
  try {
    auto in = open_fixed_csv<2>(path);
    in->read_header(io::ignore_no_column, "column", "source");
    std::string column, source;
    while (in->read_row(column, source)) columns.push_back({column, source});
  } catch (...) {
    rethrow_as_kaiin_error(path);
  }
  if (columns.empty()) throw error(_("the map has no columns"), path);
  return columns;
}

// --replace FILE, then --fold.
char_map replacements(const crosspoint_options& o) {
  char_map chars;
  if (!o.replace_file.empty()) chars.add_file(o.replace_file);
  if (o.fold) chars.add_folds();
  return chars;
}

// The export's header: its profile and columns; the member ID is the load file's key.
member_columns read_header(csv_input& in, const std::string& profile) {
  raw_record r;
  if (!in.next(r)) throw data_error("file-empty", _("the member export is empty: it has no header"), in.name());
  member_columns found = read_columns(profile, in.header());
  require_columns(found, in.name(), {field::member_id}, _(": it is the key of the load file"));
  return found;
}

// Each map column's source found in the export: a kaiin field, a header of the
// export, or nothing (an empty column).
void resolve_map(std::vector<map_column>& columns, const csv_input& in, const column_map& cols,
                 const std::string& map_path) {
  for (map_column& c : columns) {
    if (c.source.empty()) continue;
    if (auto f = field_named(c.source)) {
      c.index = cols[*f];
    } else {
      auto it = std::find(in.header().begin(), in.header().end(), c.source);
      if (it != in.header().end()) c.index = static_cast<int>(it - in.header().begin());
    }
    if (c.index < 0)
      throw error(format_tr("the column '{}' takes '{}', which is neither a column of '{}' nor one of its fields",
                            c.header, c.source, in.name()),
                  map_path);
  }
}

// ---- the load file: TSV, no quoting, a line a member ----

// The load file: the header on construction, then a line a member in the map's
// columns, made on the reading thread (crosspoint_rows.h). Lines stop being written
// at the first error, and at the first member who shares an address with another
// (hold()): the file will be discarded for the merge plan.
class load_file {
 public:
  load_file(output_set& outputs, csv_input& in, const std::vector<map_column>& columns, const crosspoint_options& o,
            const std::string& map_path, diagnostics& diag)
      : diag_(diag), to_(o.to), newline_(o.newline == newline_style::lf ? "\n" : "\r\n") {
    // The shipped map carries no password; a map of the user's own may.
    std::vector<std::string> sources;
    for (const map_column& c : columns)
      if (c.index >= 0) sources.push_back(in.header()[static_cast<std::size_t>(c.index)]);
    out_ = &outputs.add(o.output, holds_passwords(sources, o.profile));
    write_header(columns, map_path);
  }

  /// Writes a member's line, \p bytes encoded already, unless an error was found
  /// (but for addresses held back: the line leaves them out) or the file is held.
  void write(std::string_view bytes) {
    if (held_ || errors_stop_outputs(diag_, held_back_)) return;
    out_->write(bytes);
    out_->write(newline_);
    ++written_;
  }
  /// Counts a member's addresses left out, none of them an address (each an error
  /// finding, reported before its line is written).
  void held_back(std::uint64_t addresses) { held_back_ += addresses; }
  std::uint64_t held_back() const { return held_back_; }
  /// Counts a member's values --sanitize took TABs and newlines out of.
  void sanitized(std::uint64_t values, std::uint64_t chars) {
    sanitized_ += values;
    sanitized_chars_ += chars;
  }

  /// Writes no more lines: member \p member shares an address, and the merge groups
  /// will hold the file back. (Should the groups dissolve, write_rest() writes the
  /// lines from its next member on.)
  void hold(std::uint32_t member) {
    if (!held_) held_ = member + 1;  // its own line was written before
  }
  /// The first member whose line was not written, when the file is held.
  std::optional<std::uint32_t> held() const { return held_; }
  /// Writes lines again.
  void release() { held_.reset(); }

  std::uint64_t written() const { return written_; }
  std::uint64_t sanitized() const { return sanitized_; }
  std::uint64_t sanitized_chars() const { return sanitized_chars_; }

 private:
  void write_header(const std::vector<map_column>& columns, const std::string& map_path) {
    if (to_ == encoding::utf8_bom) out_->write("\xEF\xBB\xBF");
    std::string line, bytes;
    for (std::size_t i = 0; i < columns.size(); ++i) line += (i ? "\t" : "") + columns[i].header;
    if (to_ != encoding::cp932)
      bytes = line;
    else if (!detail::try_encode_cp932(line, bytes))
      throw error(_("a column name has no CP932 code"), map_path);
    out_->write(bytes);
    out_->write(newline_);
  }

  diagnostics& diag_;
  encoding to_;
  std::string newline_;
  output_stream* out_ = nullptr;
  std::optional<std::uint32_t> held_;
  std::uint64_t written_ = 0, sanitized_ = 0, sanitized_chars_ = 0, held_back_ = 0;
};

// ---- the first pass: members, their balances and the addresses they share ----

// The members who had each e-mail key first, the keys kept as 64-bit fingerprints
// (some 18 bytes a key where its text took 40 or more: the memory goal is 64 bytes
// a member, keys included). Two keys whose fingerprints collide would join two
// groups that share nothing: exact_groups() splits them again on the keys
// themselves, read in the second pass.
class address_owners {
 public:
  /// Fetches the slot of fingerprint \p fp (of an e-mail key, detail::hash_text64).
  void prefetch(std::uint64_t fp) const { index_.prefetch(hash_of_fingerprint(fp)); }
  /// The member whose addresses had the key of fingerprint \p fp first; \p member
  /// when none had.
  std::uint32_t owner(std::uint64_t fp, std::uint32_t member) {
    const auto entry = static_cast<std::uint32_t>(fingerprints_.size());
    auto found = index_.find_or_add(
        hash_of_fingerprint(fp), entry, [&](std::uint32_t e) { return fingerprints_[e] == fp; },
        [&](std::uint32_t e) { return hash_of_fingerprint(fingerprints_[e]); });
    if (found) return owners_[*found];
    fingerprints_.push_back(fp);
    owners_.push_back(member);
    return member;
  }

 private:
  static std::uint32_t hash_of_fingerprint(std::uint64_t fp) { return static_cast<std::uint32_t>(fp >> 32); }
  detail::hash_index index_;
  detail::chunked<std::uint64_t> fingerprints_;
  detail::chunked<std::uint32_t> owners_;
};

// Takes every member once, as the reading thread made it (crosspoint_rows.h): its
// ID (the load file's key, one row a member), its addresses joined with those of
// members who share them, its line written. Kept a member: its line (4 bytes), its
// ID (8 while IDs come in increasing order, some 14 otherwise), its set (4) and its
// addresses' fingerprints (some 18 each); what choosing a survivor needs is read
// again in the second pass, for the members of groups only.
class member_scan {
 public:
  /// \p id_column: the export's column of member IDs, for findings.
  /// \p id_column: the export's column of member IDs, for findings.
  member_scan(csv_input& in, int id_column, diagnostics& diag) : in_(in), diag_(diag), id_column_(id_column) {}

  /// Reads the export with \p reader on a reading thread (one batch after the other
  /// on this one for a small file), writing each member's line to \p load.
  void run(detail::member_reader& reader, load_file& load) {
    detail::batch_reader<detail::member_batch> batches([&](detail::member_batch& b) { return reader.fill(b); },
                                                       detail::worth_a_thread(in_.file().size_hint()),
                                                       [&] { reader.stopped(); });
    while (detail::member_batch* b = batches.next()) {
      if (!take(*b, load)) {
        batches.stop();
        return;
      }
    }
  }

  /// The tables of IDs and addresses, no longer needed once every member is read.
  void drop_tables() {
    ids_ = detail::ordered_id_index();
    emails_ = address_owners();
  }

  detail::chunked<std::uint32_t> lines;  // the line each member starts on
  // Where the record of every place_every-th member is, for the second pass to go
  // straight to the members of groups (about 3,800 of 1,000,000 in the benchmark)
  // rather than read the whole file again: that was a fifth of the time (perf).
  static constexpr std::uint32_t place_every = 64;
  struct record_place {
    std::uint64_t offset, line, number;
  };
  std::vector<record_place> places;
  detail::disjoint_sets sets;
  std::uint64_t skipped = 0, points = 0;
  std::uint64_t records = 0;  // taken, members or not

 private:
  // The members of \p b; false once --max-errors is reached.
  bool take(detail::member_batch& b, load_file& load) {
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      const detail::member_row& row = b.rows[i];
      b.read.report_before(i, diag_);
      records = row.number;
      // The addresses' slots of a member a few rows on are fetched now: a million
      // members' slots, each a cache miss otherwise, were 7% of the time (perf).
      if (i + 4 < b.rows.size()) prefetch(b.rows[i + 4]);
      if (row.malformed) {
        ++skipped;
        continue;  // reported by the reader; its values would be in the wrong columns
      }
      if (!take_id(row, b.id(row))) {
        ++skipped;
        continue;
      }
      load.held_back(row.addresses_held_back);
      for (std::uint32_t f = row.findings_first; f < row.findings_end; ++f) diag_.report(b.member_findings[f]);
      points += row.point;
      lines.push_back(static_cast<std::uint32_t>(row.line));
      const std::uint32_t member = sets.add();
      if (member % place_every == 0) places.push_back({row.offset, row.line, row.number});
      load.sanitized(row.sanitized_values, row.sanitized_chars);
      load.write(b.line(row));
      if (join_addresses(row, member)) load.hold(member);
      if (diag_.limit_reached()) return false;
    }
    b.read.report_rest(diag_);
    return true;
  }

  void report(const detail::member_row& row, std::string rule, std::string message) {
    diag_.report({in_.name(), row.number, row.line, in_.column_name(static_cast<std::size_t>(id_column_)),
                  severity::error, std::move(rule), std::move(message)});
  }

  // False for a member without an ID or with one an earlier member has. IDs are
  // numbered as members are: ID number i is member i's.
  bool take_id(const detail::member_row& row, std::string_view id) {
    if (id.empty()) {
      report(row, "crosspoint-no-id", _("the member has no member ID, the key of the load file"));
      return false;
    }
    auto [number, fresh] = ids_.insert(id);
    if (fresh) return true;
    report(row, "crosspoint-duplicate-id",
           format_tr("member ID '{}' is also on line {}: the load file has one row a member", id, lines[number]));
    return false;
  }

  void prefetch(const detail::member_row& row) const {
    for (std::size_t i = 0; i < 2; ++i)
      if (row.has_key[i]) emails_.prefetch(row.fingerprints[i]);
  }
  // True when the member shares an address (by fingerprint) with one before.
  bool join_addresses(const detail::member_row& row, std::uint32_t member) {
    bool joined = false;
    for (std::size_t i = 0; i < 2; ++i) {
      if (!row.has_key[i]) continue;
      std::uint32_t owner = emails_.owner(row.fingerprints[i], member);
      if (owner != member) sets.join(owner, member), joined = true;
    }
    return joined;
  }

  csv_input& in_;
  diagnostics& diag_;
  int id_column_;
  detail::ordered_id_index ids_;
  address_owners emails_;
};

// ---- the groups: what the messages and the merge plan show ----

// A member of a group, as the export writes it, and what choosing a survivor needs.
struct group_member {
  std::string member_id, email, mobile_email, point, registered, updated;
  std::uint64_t line = 0;
  detail::merge_candidate candidate;
};
using group_members = std::unordered_map<std::uint32_t, group_member>;

const group_member& member_of(const group_members& texts, std::uint32_t m) {
  static const group_member none;
  auto it = texts.find(m);
  return it == texts.end() ? none : it->second;
}

// The second pass: the members of the candidate groups read again, since the first
// pass kept only their lines. Members are read in file order, each from the place
// of the member_scan::place_every-th member before it (or on from the one before).
group_members read_group_members(csv_input& in, const column_map& cols, const groups& all, const member_scan& scan) {
  group_members texts;
  std::vector<std::uint32_t> wanted;
  for (const auto& g : all) wanted.insert(wanted.end(), g.begin(), g.end());
  std::sort(wanted.begin(), wanted.end());
  raw_record r;
  record_values values;
  constexpr std::size_t nowhere = SIZE_MAX;
  std::size_t place = nowhere;  // where reading went on from
  for (std::uint32_t m : wanted) {
    const std::uint64_t line = scan.lines[m];
    std::size_t from = m / member_scan::place_every;
    if (place != from) {  // else the member is further on from the one before
      const auto& p = scan.places[from];
      in.seek(p.offset, p.line, p.number);
      place = from;
    }
    bool found = false;
    while (!found && in.next(r) && r.line <= line) found = r.line == line;
    if (!found || r.malformed()) {  // never expected: the first pass took it
      place = nowhere;              // a record read past it may be the next member's
      continue;
    }
    in.decode_fields(r, values);
    auto get = [&](field f) { return std::string(values.get(cols[f])); };
    group_member& t = texts[m];
    t = {get(field::member_id),
         get(field::email),
         get(field::mobile_email),
         get(field::point),
         get(field::registered),
         get(field::updated),
         r.line,
         {}};
    // As the first pass took them: a balance it reported counts as none.
    std::uint64_t point = 0;
    if (!t.point.empty() && !check_point(t.point)) point = std::stoull(t.point);
    t.candidate = {r.number, detail::activity_of(t.updated.empty() ? t.registered : t.updated), point};
  }
  return texts;
}

// The lines of the load file from member \p from on, read again from the place of a
// member before it: when the first pass held the file for members who seemed to
// share an address, and their exact keys then made no group (two keys whose
// fingerprints collide). Only without errors: every record is then a member.
void write_rest(csv_input& in, const detail::member_reading& how, const member_scan& scan, std::uint32_t from,
                load_file& load) {
  load.release();
  const std::uint32_t first = from / member_scan::place_every;
  if (first >= scan.places.size()) return;  // no member from there on
  const auto& p = scan.places[first];
  in.seek(p.offset, p.line, p.number);
  std::uint32_t member = first * member_scan::place_every;
  detail::member_reader reader(in, how);
  detail::member_batch b;
  for (bool more = true; more;) {
    b.clear();
    more = reader.fill(b);
    for (const detail::member_row& row : b.rows)
      if (!row.malformed && member++ >= from) load.write(b.line(row));
  }
  reader.stopped();
}

// The groups that share an address, exactly: the first pass joined members by
// fingerprints of their addresses.
groups exact_groups(const groups& candidates, const group_members& texts) {
  std::vector<std::vector<detail::address_keys>> keys(candidates.size());
  for (std::size_t g = 0; g < candidates.size(); ++g)
    for (std::uint32_t m : candidates[g])
      keys[g].push_back({email_key(member_of(texts, m).email), email_key(member_of(texts, m).mobile_email)});
  return detail::exact_groups(candidates, keys);
}

// The member kaiin suggests keeping in each group.
std::vector<std::uint32_t> survivors(const groups& all, const group_members& texts) {
  std::vector<std::uint32_t> keep;
  for (const auto& g : all) {
    std::vector<detail::merge_candidate> candidates;
    std::vector<std::uint32_t> local;
    for (std::uint32_t m : g) {
      local.push_back(static_cast<std::uint32_t>(candidates.size()));
      candidates.push_back(member_of(texts, m).candidate);
    }
    keep.push_back(g[detail::survivor(candidates, local)]);
  }
  return keep;
}

// Each group is an error (the load file waits for the merge), naming its members and
// the suggested survivor. Returns how many members the groups hold.
std::uint64_t report_groups(const csv_input& in, const groups& all, const std::vector<std::uint32_t>& keep,
                            const group_members& texts, bool plan_named, diagnostics& diag) {
  std::uint64_t grouped = 0;
  for (std::size_t gi = 0; gi < all.size(); ++gi) {
    const auto& g = all[gi];
    grouped += g.size();
    std::string who;
    for (std::uint32_t m : g)
      who += (who.empty() ? "" : _(", ")) +
             format_tr("'{}' (line {})", member_of(texts, m).member_id, member_of(texts, m).line);
    diag.report({in.name(), 0, member_of(texts, g.front()).line, std::nullopt, severity::error, "crosspoint-merge",
                 format_tr("members {} share an e-mail address: merge them first (会員統合); keep '{}'{}", who,
                           member_of(texts, keep[gi]).member_id,
                           plan_named ? "" : _(" (--merge-plan FILE lists every group)"))});
  }
  return grouped;
}

// --merge-plan: every group's members, the survivor marked. UTF-8 with a BOM whatever
// the load file's encoding: the plan is for people, in Excel, and must not lose a
// character the load file could not hold.
void write_merge_plan(const crosspoint_options& o, const groups& all, const std::vector<std::uint32_t>& survivor,
                      const group_members& texts, diagnostics& diag) {
  output_set plan_out;
  output_stream& plan = plan_out.add(o.merge_plan);
  plan.write("\xEF\xBB\xBF");
  csv_writer w(plan, csv_dialect::csv(), o.newline == newline_style::lf ? "\n" : "\r\n");
  w.set_escape_formulas(o.escape_formulas);
  w.write(std::vector<std::string_view>{"group", "member_id", "email", "mobile_email", "point", "registered", "updated",
                                        "line", "survivor", "keep"});
  for (std::size_t gi = 0; gi < all.size(); ++gi) {
    const std::uint32_t keep = survivor[gi];
    for (std::uint32_t m : all[gi]) {
      const group_member& t = member_of(texts, m);
      std::string group = std::to_string(gi + 1), line = std::to_string(t.line);
      w.write(std::vector<std::string_view>{group, t.member_id, t.email, t.mobile_email, t.point, t.registered,
                                            t.updated, line, member_of(texts, keep).member_id, m == keep ? "1" : "0"});
    }
  }
  plan_out.commit();
  diag.add_escaped(w.escaped());
}

}  // namespace

int run_crosspoint(const crosspoint_options& o, diagnostics& diag) {
  atomic_output::refuse_inputs(o.output, {o.input, o.map, o.ranks, o.replace_file});
  atomic_output::refuse_inputs(o.merge_plan.empty() ? "-" : o.merge_plan, {o.input, o.map, o.ranks});
  // What the shop set up: the load file's columns, CROSS POINT's ranks, replacements.
  const std::string map_path = map_file(o);
  std::vector<map_column> columns = read_map(map_path);
  const std::vector<std::string> ranks = o.ranks.empty() ? std::vector<std::string>() : read_ranks(o.ranks);
  const char_map chars = replacements(o);

  // Rewindable: the members of merge groups are read again for the messages and the plan.
  csv_input in(o.input, o.from, diag, is_password_header, csv_dialect::csv(), true);
  const member_columns found = read_header(in, o.profile);
  resolve_map(columns, in, found.columns, map_path);

  output_set outputs;
  load_file load(outputs, in, columns, o, map_path, diag);
  const detail::member_reading how{&found.columns, &columns,   o.ranks.empty() ? nullptr : &ranks,
                                   o.to,           o.sanitize, chars.empty() ? nullptr : &chars};
  detail::member_reader reader(in, how);
  member_scan scan(in, found.columns[field::member_id], diag);
  scan.run(reader, load);
  scan.drop_tables();

  // Members who share an address are merged first (会員統合): no load file meanwhile.
  const groups candidates = detail::merge_groups(scan.sets);
  const group_members texts = read_group_members(in, found.columns, candidates, scan);
  const groups merge = exact_groups(candidates, texts);
  if (merge.empty() && load.held() && !errors_stop_outputs(diag, load.held_back()))
    write_rest(in, how, scan, *load.held(), load);
  const std::vector<std::uint32_t> keep = survivors(merge, texts);
  std::uint64_t grouped = report_groups(in, merge, keep, texts, !o.merge_plan.empty(), diag);
  if (!o.merge_plan.empty() && !merge.empty()) write_merge_plan(o, merge, keep, texts, diag);

  diag.summary("input", in.name());
  diag.summary("profile", found.profile.name());
  // The records taken (the reading thread may have read on past --max-errors).
  diag.summary("members_read", scan.records);
  diag.summary("members_skipped", scan.skipped);
  diag.summary("merge_groups", merge.size());
  diag.summary("members_to_merge", grouped);
  diag.summary("values_sanitized", load.sanitized());
  diag.summary("characters_sanitized", load.sanitized_chars());
  diag.summary("points_carried", scan.points);
  diag.summary("point_history", _("not migrated (only the current balance travels)"));
  if (load.held_back()) diag.summary("addresses_held_back", load.held_back());
  const bool stopped = errors_stop_outputs(diag, load.held_back());
  diag.summary("members_written", stopped ? 0 : load.written());
  const int status = commit_unless_errors(outputs, diag, "load_file", load.held_back());
  if (!stopped) diag.summary("load_file", o.output == "-" ? "<stdout>" : o.output);
  return status;
}

}  // namespace kaiin
