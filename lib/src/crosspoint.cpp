#include "kaiin/crosspoint.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>

#include "compact.h"
#include "cp932.h"
#include "data_dirs.h"
#include "fixed_csv.h"
#include "kaiin/csv.h"
#include "kaiin/csv_input.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/member_rules.h"
#include "kaiin/output_set.h"
#include "kaiin/profile.h"
#include "kaiin/text.h"
#include "member_columns.h"
#include "merge.h"

namespace kaiin {

namespace {

using groups = std::vector<std::vector<std::uint32_t>>;

// ---- the map: where each column of the load file takes its value from ----

struct map_column {
  std::string header, source;
  int index = -1;  // column of the input, or -1 for an empty column
};

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
  if (!in.next(r)) throw error(_("the file is empty: there are no members to load"), in.name());
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

// True when the bytes hold a TAB, CR or LF: most records hold none, and their values
// need no look. Eight bytes at a time: a byte at a time, this look at every record
// was 7% of kaiin-crosspoint's time at 1,000,000 members (perf).
bool has_tab_or_newline(std::string_view s) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  // Nonzero when a byte of w is b (the high bit of a byte of w ^ b's that is 0).
  auto holds = [](std::uint64_t w, std::uint64_t b) {
    const std::uint64_t x = w ^ (ones * b);
    return (x - ones) & ~x & highs;
  };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (holds(w, '\t') | holds(w, '\r') | holds(w, '\n')) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n') return true;
  return false;
}

// Encodes one line of the load file into the target encoding, reporting a character
// it cannot hold at its value's place.
class line_encoder : public problem_sink {
 public:
  line_encoder(csv_input& in, encoding to, const char_map* map) : in_(in), to_(to), map_(map) {}
  /// \p starts: where each column's value starts in \p line; \p fields: the input
  /// field of each column (or -1).
  void encode(std::string_view line, std::string& out, const raw_record& r, const std::vector<std::size_t>& starts,
              const std::vector<int>& fields) {
    r_ = &r;
    starts_ = &starts;
    fields_ = &fields;
    if (to_ == encoding::cp932)
      encode_cp932(line, out, *this, map_);
    else
      copy_utf8(line, out, *this, map_);
  }
  void on_problem(const coding_problem& p) override {
    if (p.kind == coding_problem::eudc) return;  // reported when the input was read
    auto column =
        static_cast<std::size_t>(std::upper_bound(starts_->begin(), starts_->end(), p.offset) - starts_->begin() - 1);
    coding_problem at = p;
    int field = (*fields_)[column];
    at.offset = field >= 0 ? r_->fields[static_cast<std::size_t>(field)].begin : 0;  // the value's place
    in_.report(*r_, at, to_);
  }

 private:
  csv_input& in_;
  encoding to_;
  const char_map* map_;
  const raw_record* r_ = nullptr;
  const std::vector<std::size_t>* starts_ = nullptr;
  const std::vector<int>* fields_ = nullptr;
};

// The load file: the header on construction, then a line a member in the map's
// columns. Lines stop being written at the first error: the file will be discarded.
class load_file {
 public:
  load_file(output_set& outputs, csv_input& in, const std::vector<map_column>& columns, const crosspoint_options& o,
            const char_map* chars, const std::string& map_path, diagnostics& diag)
      : in_(in),
        diag_(diag),
        columns_(columns),
        to_(o.to),
        newline_(o.newline == newline_style::lf ? "\n" : "\r\n"),
        sanitize_(o.sanitize),
        encoder_(in, o.to == encoding::cp932 ? encoding::cp932 : encoding::utf8, chars),
        starts_(columns.size()) {
    for (const map_column& c : columns) fields_.push_back(c.index);
    // The shipped map carries no password; a map of the user's own may.
    std::vector<std::string> sources;
    for (const map_column& c : columns)
      if (c.index >= 0) sources.push_back(in.header()[static_cast<std::size_t>(c.index)]);
    out_ = &outputs.add(o.output, holds_passwords(sources, o.profile));
    write_header(map_path);
  }

  /// Writes \p r's line, its values as \p values holds them.
  void write(const raw_record& r, const record_values& values) {
    compose(r, values);
    bytes_.clear();
    encoder_.encode(line_, bytes_, r, starts_, fields_);
    if (diag_.errors()) return;
    out_->write(bytes_);
    out_->write(newline_);
    ++written_;
  }

  std::uint64_t written() const { return written_; }
  std::uint64_t sanitized() const { return sanitized_; }
  std::uint64_t sanitized_chars() const { return sanitized_chars_; }

 private:
  void write_header(const std::string& map_path) {
    if (to_ == encoding::utf8_bom) out_->write("\xEF\xBB\xBF");
    std::string line, bytes;
    for (std::size_t i = 0; i < columns_.size(); ++i) line += (i ? "\t" : "") + columns_[i].header;
    if (to_ != encoding::cp932)
      bytes = line;
    else if (!detail::try_encode_cp932(line, bytes))
      throw error(_("a column name has no CP932 code"), map_path);
    out_->write(bytes);
    out_->write(newline_);
  }

  // line_: the map's columns of \p r, TAB between them; starts_: where each begins.
  void compose(const raw_record& r, const record_values& values) {
    const bool look = has_tab_or_newline(r.text);
    line_.clear();
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i) line_.push_back('\t');
      starts_[i] = line_.size();
      if (columns_[i].index < 0) continue;
      std::string_view v = values.get(columns_[i].index);
      if (look && has_tab_or_newline(v))
        append_unclean(r, static_cast<std::size_t>(columns_[i].index), v);
      else
        line_.append(v);
    }
  }

  // A value holding a TAB, CR or LF, which an unquoted TSV cannot hold: an error, or
  // with --sanitize a space for each, reported.
  void append_unclean(const raw_record& r, std::size_t field, std::string_view v) {
    const std::string column = in_.column_name(field);
    const std::size_t bad = v.find_first_of("\t\r\n");
    const std::string what = v[bad] == '\t' ? _("a TAB") : v[bad] == '\r' ? _("a CR") : _("an LF");
    if (!sanitize_) {
      diag_.report({in_.name(), r.number, r.line, column, severity::error, "crosspoint-tab-newline",
                    column + ": " +
                        format_tr("the value holds {}, which an unquoted TSV cannot hold; --sanitize writes "
                                  "spaces instead",
                                  what)});
      return;
    }
    std::string value(v);
    std::size_t n = 0;
    for (char& c : value)
      if (c == '\t' || c == '\r' || c == '\n') c = ' ', ++n;
    ++sanitized_;
    sanitized_chars_ += n;
    diag_.report({in_.name(), r.number, r.line, column, severity::warning, "crosspoint-sanitized",
                  column + ": " +
                      format_plural("{} TAB, CR or LF replaced by a space",
                                    "{} TAB, CR or LF characters replaced by a space each", n, n)});
    line_ += value;
  }

  csv_input& in_;
  diagnostics& diag_;
  const std::vector<map_column>& columns_;
  encoding to_;
  std::string newline_;
  bool sanitize_;
  line_encoder encoder_;
  output_stream* out_ = nullptr;
  std::vector<std::size_t> starts_;
  std::vector<int> fields_;
  std::string line_, bytes_;
  std::uint64_t written_ = 0, sanitized_ = 0, sanitized_chars_ = 0;
};

// ---- the first pass: members, their balances and the addresses they share ----

// The members who had each e-mail key first, the keys kept as 64-bit fingerprints
// (some 18 bytes a key where its text took 40 or more: the memory goal is 64 bytes
// a member, keys included). Two keys whose fingerprints collide would join two
// groups that share nothing: exact_groups() splits them again on the keys
// themselves, read in the second pass.
class address_owners {
 public:
  /// The fingerprint of \p key; its slot is fetched meanwhile.
  std::uint64_t fingerprint(std::string_view key) const {
    const std::uint64_t fp = detail::hash_text64(key);
    index_.prefetch(hash_of_fingerprint(fp));
    return fp;
  }
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

// Reads every member once: its ID (the load file's key, one row a member), its
// addresses joined with those of members who share them, its rank against CROSS
// POINT's; and writes its line. Kept a member: its line (4 bytes), its ID (8 while
// IDs come in increasing order, some 14 otherwise), its set (4) and its addresses'
// fingerprints (some 18 each); what choosing a survivor needs is read again in the
// second pass, for the members of groups only.
class member_scan {
 public:
  member_scan(csv_input& in, const column_map& cols, const std::vector<std::string>* ranks, diagnostics& diag)
      : in_(in), cols_(cols), ranks_(ranks), diag_(diag) {}

  void run(load_file& load) {
    raw_record r;
    while (in_.next(r)) {
      if (r.malformed()) {
        ++skipped;
        continue;  // reported by the reader; its values would be in the wrong columns
      }
      in_.decode_fields(r, values_);
      if (!take_id(r)) {
        ++skipped;
        continue;
      }
      const std::uint32_t member = add_member(r);
      // The addresses' slots are fetched while the line is written (which reports
      // nothing that joining them would change): a million members' slots, each a
      // cache miss otherwise, were 7% of the time (perf).
      fingerprint_addresses();
      check_rank(r);
      load.write(r, values_);
      join_addresses(member);
      if (diag_.limit_reached()) break;
    }
  }

  /// The tables of IDs and addresses, no longer needed once every member is read.
  void drop_tables() {
    ids_ = detail::ordered_id_index();
    emails_ = address_owners();
  }

  detail::chunked<std::uint32_t> lines;  // the line each member starts on
  detail::disjoint_sets sets;
  std::uint64_t skipped = 0, points = 0;

 private:
  std::string_view get(field f) const { return values_.get(cols_[f]); }
  void report(const raw_record& r, field f, severity s, std::string rule, std::string message) {
    diag_.report({in_.name(), r.number, r.line, in_.column_name(static_cast<std::size_t>(cols_[f])), s, std::move(rule),
                  std::move(message)});
  }

  // False for a member without an ID or with one an earlier member has. IDs are
  // numbered as members are: ID number i is member i's.
  bool take_id(const raw_record& r) {
    std::string_view id = get(field::member_id);
    if (id.empty()) {
      report(r, field::member_id, severity::error, "crosspoint-no-id",
             _("the member has no member ID, the key of the load file"));
      return false;
    }
    auto [number, fresh] = ids_.insert(id);
    if (fresh) return true;
    report(r, field::member_id, severity::error, "crosspoint-duplicate-id",
           format_tr("member ID '{}' is also on line {}: the load file has one row a member", id, lines[number]));
    return false;
  }

  // The member's balance (only the current balance travels, and the sum is all the
  // summary needs) and line; its number.
  std::uint32_t add_member(const raw_record& r) {
    if (std::string_view p = get(field::point); !p.empty()) {
      if (auto v = check_point(p))
        report(r, field::point, v->severity, v->rule, v->message);
      else
        points += std::stoull(std::string(p));
    }
    lines.push_back(static_cast<std::uint32_t>(r.line));
    return sets.add();
  }

  // PC and mobile addresses alike, by their e-mail key (spec §4.3).
  void fingerprint_addresses() {
    for (std::size_t i = 0; i < 2; ++i) {
      email_key(get(i == 0 ? field::email : field::mobile_email), key_);
      has_key_[i] = !key_.empty();
      if (has_key_[i]) fingerprints_[i] = emails_.fingerprint(key_);
    }
  }
  void join_addresses(std::uint32_t member) {
    for (std::size_t i = 0; i < 2; ++i) {
      if (!has_key_[i]) continue;
      std::uint32_t owner = emails_.owner(fingerprints_[i], member);
      if (owner != member) sets.join(owner, member);
    }
  }

  // An unknown rank becomes ランク無し in CROSS POINT: a warning.
  void check_rank(const raw_record& r) {
    std::string_view rank = get(field::rank);
    if (!ranks_ || rank.empty() || std::find(ranks_->begin(), ranks_->end(), rank) != ranks_->end()) return;
    report(r, field::rank, severity::warning, "rank-unknown",
           format_tr("rank '{}' is not set up in CROSS POINT: the member would get ランク無し", rank));
  }

  csv_input& in_;
  const column_map& cols_;
  const std::vector<std::string>* ranks_;
  diagnostics& diag_;
  detail::ordered_id_index ids_;
  address_owners emails_;
  record_values values_;
  std::string key_;
  std::array<std::uint64_t, 2> fingerprints_{};  // of the member's PC and mobile addresses
  std::array<bool, 2> has_key_{};
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
// pass kept only their lines.
group_members read_group_members(csv_input& in, const column_map& cols, const groups& all,
                                 const detail::chunked<std::uint32_t>& lines) {
  group_members texts;
  if (all.empty()) return texts;
  std::unordered_map<std::uint64_t, std::uint32_t> in_group;  // line -> member (a record starts on a line of its own)
  for (const auto& g : all)
    for (std::uint32_t m : g) in_group.emplace(lines[m], m);
  in.rewind();
  raw_record r;
  record_values values;
  while (in.next(r)) {
    auto it = in_group.find(static_cast<std::uint32_t>(r.line));
    if (it == in_group.end() || r.malformed()) continue;
    in.decode_fields(r, values);
    auto get = [&](field f) { return std::string(values.get(cols[f])); };
    group_member& t = texts[it->second];
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
      who += (who.empty() ? "" : ", ") +
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
  csv_input in(o.input, o.from, diag, csv_dialect::csv(), true);
  const member_columns found = read_header(in, o.profile);
  resolve_map(columns, in, found.columns, map_path);

  output_set outputs;
  load_file load(outputs, in, columns, o, chars.empty() ? nullptr : &chars, map_path, diag);
  member_scan scan(in, found.columns, o.ranks.empty() ? nullptr : &ranks, diag);
  scan.run(load);
  scan.drop_tables();

  // Members who share an address are merged first (会員統合): no load file meanwhile.
  const groups candidates = detail::merge_groups(scan.sets);
  const group_members texts = read_group_members(in, found.columns, candidates, scan.lines);
  const groups merge = exact_groups(candidates, texts);
  const std::vector<std::uint32_t> keep = survivors(merge, texts);
  std::uint64_t grouped = report_groups(in, merge, keep, texts, !o.merge_plan.empty(), diag);
  if (!o.merge_plan.empty() && !merge.empty()) write_merge_plan(o, merge, keep, texts, diag);

  diag.summary("input", in.name());
  diag.summary("profile", found.profile.name());
  diag.summary("members_read", in.records());
  diag.summary("members_skipped", scan.skipped);
  diag.summary("merge_groups", merge.size());
  diag.summary("members_to_merge", grouped);
  diag.summary("values_sanitized", load.sanitized());
  diag.summary("characters_sanitized", load.sanitized_chars());
  diag.summary("points_carried", scan.points);
  diag.summary("point_history", _("not migrated (only the current balance travels)"));
  diag.summary("members_written", diag.errors() ? 0 : load.written());
  if (commit_unless_errors(outputs, diag, "load_file")) return 1;
  diag.summary("load_file", o.output == "-" ? "<stdout>" : o.output);
  return 0;
}

}  // namespace kaiin
