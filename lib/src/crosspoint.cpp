#include "kaiin/crosspoint.h"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <numeric>
#include <unordered_map>

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

namespace kaiin {

namespace {

// One column of the load file: its header, and where its value comes from.
struct map_column {
  std::string header, source;
  int index = -1;  // column of the input, or -1 for an empty column
};

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

// What choosing a survivor needs of a member; the plan's texts are read again in a
// second pass, only for the members in a group.
struct member_info {
  std::uint64_t record;
  std::uint64_t activity;  // YYYYMMDDhhmmss of the last update, else of the registration
  std::uint64_t point;
};

// "2024/03/01 10:00:00" or "2024-03-01" as the number 20240301100000; 0 for anything else.
std::uint64_t activity_of(std::string_view t) {
  std::uint64_t n = 0;
  int digits = 0;
  for (char c : t) {
    if (c >= '0' && c <= '9') {
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    } else if (c != '/' && c != '-' && c != ' ' && c != ':') {
      return 0;
    }
  }
  if (digits != 8 && digits != 14) return 0;
  return digits == 8 ? n * 1000000 : n;
}

// True when the bytes hold a TAB, CR or LF: most records hold none, and their values
// need no look.
bool has_tab_or_newline(std::string_view s) {
  for (char c : s)
    if (c == '\t' || c == '\r' || c == '\n') return true;
  return false;
}

// Members who share an address end up in one set.
struct disjoint_sets {
  std::vector<std::uint32_t> parent;
  std::uint32_t add() {
    parent.push_back(static_cast<std::uint32_t>(parent.size()));
    return parent.back();
  }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void join(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the earlier member heads the group
  }
};

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

}  // namespace

int run_crosspoint(const crosspoint_options& o, diagnostics& diag) {
  atomic_output::refuse_inputs(o.output, {o.input, o.map, o.ranks, o.replace_file});
  atomic_output::refuse_inputs(o.merge_plan.empty() ? "-" : o.merge_plan, {o.input, o.map, o.ranks});
  std::string map_path = o.map.empty() ? find_data_file("crosspoint", "default.csv") : o.map;
  if (map_path.empty()) throw error(_("the default CROSS POINT map is not installed: name one with --map FILE"));
  std::vector<map_column> columns = read_map(map_path);
  std::vector<std::string> ranks;
  if (!o.ranks.empty()) ranks = read_ranks(o.ranks);
  char_map chars;
  if (!o.replace_file.empty()) chars.add_file(o.replace_file);
  if (o.fold) chars.add_folds();

  // Rewindable: the members of merge groups are read again for the messages and the plan.
  csv_input in(o.input, o.from, diag, csv_dialect::csv(), true);
  raw_record r;
  if (!in.next(r)) throw error(_("the file is empty: there are no members to load"), in.name());
  member_columns found = read_columns(o.profile, in.header());
  require_columns(found, in.name(), {field::member_id}, _(": it is the key of the load file"));
  const profile& chosen = found.profile;
  const column_map& cols = found.columns;
  for (map_column& c : columns) {  // a kaiin field, or a header of the input, or nothing
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

  const std::string newline = o.newline == newline_style::lf ? "\n" : "\r\n";
  // The shipped map carries no password; a map of the user's own may.
  std::vector<std::string> sources;
  for (const map_column& c : columns)
    if (c.index >= 0) sources.push_back(in.header()[static_cast<std::size_t>(c.index)]);
  output_set outputs;
  output_stream& load = outputs.add(o.output, holds_passwords(sources, o.profile));
  if (o.to == encoding::utf8_bom) load.write("\xEF\xBB\xBF");
  line_encoder encoder(in, o.to == encoding::cp932 ? encoding::cp932 : encoding::utf8,
                       chars.empty() ? nullptr : &chars);
  std::string line_out, cell;
  for (std::size_t i = 0; i < columns.size(); ++i) line_out += (i ? "\t" : "") + columns[i].header;
  if (o.to == encoding::cp932) {
    if (!detail::try_encode_cp932(line_out, cell)) throw error(_("a column name has no CP932 code"), map_path);
  } else {
    cell = line_out;
  }
  load.write(cell);
  load.write(newline);

  string_table ids, emails;
  string_table::reserve_for_members(o.input, ids, emails);
  disjoint_sets sets;
  std::vector<member_info> members;
  record_values values;
  std::string key, value;
  std::vector<std::size_t> starts(columns.size());
  std::vector<int> fields(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) fields[i] = columns[i].index;
  std::uint64_t written = 0, skipped = 0, sanitized = 0, sanitized_chars = 0, points = 0;
  while (in.next(r)) {
    if (r.malformed()) {
      ++skipped;
      continue;  // reported by the reader; its values would be in the wrong columns
    }
    in.decode_fields(r, values);
    auto get = [&](field f) { return values.get(cols[f]); };
    std::string_view id = get(field::member_id);
    if (id.empty()) {
      diag.report({in.name(), r.number, r.line, in.column_name(static_cast<std::size_t>(cols[field::member_id])),
                   severity::error, "crosspoint-no-id", _("the member has no member ID, the key of the load file")});
      ++skipped;
      continue;
    }
    auto index = static_cast<std::uint32_t>(members.size());
    std::uint32_t first = ids.insert(id, static_cast<std::uint32_t>(r.line));
    if (first != r.line) {
      diag.report({in.name(), r.number, r.line, in.column_name(static_cast<std::size_t>(cols[field::member_id])),
                   severity::error, "crosspoint-duplicate-id",
                   format_tr("member ID '{}' is also on line {}: the load file has one row a member", id, first)});
      ++skipped;
      continue;
    }
    std::uint64_t point = 0;
    if (std::string_view p = get(field::point); !p.empty()) {
      if (auto v = check_point(p))
        diag.report({in.name(), r.number, r.line, in.column_name(static_cast<std::size_t>(cols[field::point])),
                     v->severity, v->rule, v->message});
      else
        point = std::stoull(std::string(p));
    }
    points += point;
    std::string_view updated = get(field::updated);
    members.push_back({r.number, activity_of(updated.empty() ? get(field::registered) : updated), point});
    sets.add();
    for (field f : {field::email, field::mobile_email}) {
      email_key(get(f), key);
      if (key.empty()) continue;
      std::uint32_t owner = emails.insert(key, index);
      if (owner != index) sets.join(owner, index);
    }
    std::string_view rank = get(field::rank);
    if (!o.ranks.empty() && !rank.empty() && std::find(ranks.begin(), ranks.end(), rank) == ranks.end())
      diag.report({in.name(), r.number, r.line, in.column_name(static_cast<std::size_t>(cols[field::rank])),
                   severity::warning, "rank-unknown",
                   format_tr("rank '{}' is not set up in CROSS POINT: the member would get ランク無し", rank)});

    const bool look = has_tab_or_newline(r.text);
    line_out.clear();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) line_out.push_back('\t');
      starts[i] = line_out.size();
      if (columns[i].index < 0) continue;
      std::string_view v = values.get(columns[i].index);
      if (!look || !has_tab_or_newline(v)) {
        line_out.append(v);
        continue;
      }
      auto column = in.column_name(static_cast<std::size_t>(columns[i].index));
      std::size_t bad = v.find_first_of("\t\r\n");
      std::string what = v[bad] == '\t' ? _("a TAB") : v[bad] == '\r' ? _("a CR") : _("an LF");
      if (!o.sanitize) {
        diag.report({in.name(), r.number, r.line, column, severity::error, "crosspoint-tab-newline",
                     column + ": " +
                         format_tr("the value holds {}, which an unquoted TSV cannot hold; --sanitize writes "
                                   "spaces instead",
                                   what)});
        continue;
      }
      value.assign(v);
      std::size_t n = 0;
      for (char& c : value)
        if (c == '\t' || c == '\r' || c == '\n') c = ' ', ++n;
      ++sanitized;
      sanitized_chars += n;
      diag.report({in.name(), r.number, r.line, column, severity::warning, "crosspoint-sanitized",
                   column + ": " + format_tr("{} TAB, CR or LF replaced by a space each", n)});
      line_out += value;
    }
    cell.clear();
    encoder.encode(line_out, cell, r, starts, fields);
    if (!diag.errors()) {
      load.write(cell);
      load.write(newline);
      ++written;
    }
    if (diag.limit_reached()) break;
  }

  // Members who share an address: one group each, in the order of their first member.
  std::vector<std::vector<std::uint32_t>> groups;
  {
    std::vector<std::uint32_t> size(members.size(), 0);
    for (std::uint32_t m = 0; m < members.size(); ++m) ++size[sets.find(m)];
    std::vector<std::int64_t> group_of(members.size(), -1);
    for (std::uint32_t m = 0; m < members.size(); ++m) {
      std::uint32_t head = sets.find(m);  // the group's first member: heads come first
      if (size[head] < 2) continue;
      if (group_of[head] < 0) {
        group_of[head] = static_cast<std::int64_t>(groups.size());
        groups.emplace_back();
      }
      groups[static_cast<std::size_t>(group_of[head])].push_back(m);
    }
  }
  // The suggested survivor: the most recent activity (last update, else registration),
  // then the larger point balance, then the member first in the file.
  auto survivor = [&](const std::vector<std::uint32_t>& g) {
    return *std::max_element(g.begin(), g.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (members[a].activity != members[b].activity) return members[a].activity < members[b].activity;
      if (members[a].point != members[b].point) return members[a].point < members[b].point;
      return a > b;
    });
  };
  // What the messages and the plan show of the members in groups, read again: the
  // first pass kept only what choosing a survivor needs.
  std::unordered_map<std::uint64_t, std::uint32_t> in_group;  // record number -> member
  for (const auto& g : groups)
    for (std::uint32_t m : g) in_group.emplace(members[m].record, m);
  std::unordered_map<std::uint32_t, std::array<std::string, 6>> texts;
  std::unordered_map<std::uint32_t, std::uint64_t> line_of;
  if (!groups.empty()) {
    in.rewind();
    while (in.next(r)) {
      auto it = in_group.find(r.number);
      if (it == in_group.end()) continue;
      in.decode_fields(r, values);
      auto get = [&](field f) { return std::string(values.get(cols[f])); };
      texts[it->second] = {get(field::member_id), get(field::email),      get(field::mobile_email),
                           get(field::point),     get(field::registered), get(field::updated)};
      line_of[it->second] = r.line;
    }
  }
  auto text = [&](std::uint32_t m, int k) -> std::string_view { return texts[m][static_cast<std::size_t>(k)]; };
  std::uint64_t grouped = 0;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const auto& g = groups[gi];
    grouped += g.size();
    std::string who;
    for (std::uint32_t m : g) who += (who.empty() ? "" : ", ") + format_tr("'{}' (line {})", text(m, 0), line_of[m]);
    diag.report(
        {in.name(), 0, line_of[g.front()], std::nullopt, severity::error, "crosspoint-merge",
         format_tr("members {} share an e-mail address: merge them first (会員統合); keep '{}'{}", who,
                   text(survivor(g), 0), o.merge_plan.empty() ? _(" (--merge-plan FILE lists every group)") : "")});
  }
  if (!o.merge_plan.empty() && !groups.empty()) {
    // UTF-8 with a BOM whatever the load file's encoding: the plan is for people, in
    // Excel, and must not lose a character the load file could not hold.
    output_set plan_out;
    output_stream& plan = plan_out.add(o.merge_plan);
    plan.write("\xEF\xBB\xBF");
    csv_writer w(plan, csv_dialect::csv(), newline);
    w.set_escape_formulas(o.escape_formulas);
    w.write(std::vector<std::string_view>{"group", "member_id", "email", "mobile_email", "point", "registered",
                                          "updated", "line", "survivor", "keep"});
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      std::uint32_t keep = survivor(groups[gi]);
      for (std::uint32_t m : groups[gi]) {
        std::string group = std::to_string(gi + 1), line = std::to_string(line_of[m]);
        w.write(std::vector<std::string_view>{group, text(m, 0), text(m, 1), text(m, 2), text(m, 3), text(m, 4),
                                              text(m, 5), line, text(keep, 0), m == keep ? "1" : "0"});
      }
    }
    plan_out.commit();
    diag.add_escaped(w.escaped());
  }

  diag.summary("input", in.name());
  diag.summary("profile", chosen.name());
  diag.summary("members_read", in.records());
  diag.summary("members_skipped", skipped);
  diag.summary("merge_groups", groups.size());
  diag.summary("members_to_merge", grouped);
  diag.summary("values_sanitized", sanitized);
  diag.summary("characters_sanitized", sanitized_chars);
  diag.summary("points_carried", points);
  diag.summary("point_history", _("not migrated (only the current balance travels)"));
  diag.summary("members_written", diag.errors() ? 0 : written);
  if (commit_unless_errors(outputs, diag, "load_file")) return 1;
  diag.summary("load_file", o.output == "-" ? "<stdout>" : o.output);
  return 0;
}

}  // namespace kaiin
