#include "kaiin/tags.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "core/compact.h"
#include "core/csv_fields.h"
#include "core/csv_input.h"
#include "core/fixed_column_csv.h"
#include "core/output_set.h"
#include "core/run_lock.h"
#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/profile.h"

namespace kaiin {

std::string normal_tag_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return {};
    out.push_back(c);
  }
  return out;
}

bool member_id_less(std::string_view a, std::string_view b) {
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  bool da = digits(a), db = digits(b);
  if (da != db) return da;
  if (da) {  // by value: leading zeros aside, a shorter number is smaller
    auto strip = [](std::string_view s) {
      std::size_t z = s.find_first_not_of('0');
      return z == std::string_view::npos ? std::string_view("0") : s.substr(z);
    };
    std::string_view x = strip(a), y = strip(b);
    if (x.size() != y.size()) return x.size() < y.size();
    if (x != y) return x < y;
  }
  return a < b;
}

namespace {

// The tag master: code -> kind ("manual" or "auto").
std::map<std::string, std::string> read_tag_master(const std::string& path, diagnostics& diag, bool report) {
  fixed_rows<4> in(path, diag, "tags-row", io::ignore_no_column, "tag_code", "tag_name", "tag_group", "kind");
  std::map<std::string, std::string> kinds;
  std::map<std::string, std::uint64_t> first_line;
  std::string code, name, group, kind;
  while (in.next(code, name, group, kind)) {
    std::string normal = normal_tag_code(code);
    if (normal.empty()) {
      in.report(
          severity::error, "tag-code", "tag_code",
          "tag_code: " + (code.empty() ? format_tr("'{}' is empty: half-width letters, digits, - and _ only", code)
                                       : format_tr("'{}' has other characters: half-width letters, digits, - and _ "
                                                   "only",
                                                   code)));
      continue;
    }
    if (report && normal != code)
      in.report(severity::warning, "tag-code-case", "tag_code",
                "tag_code: " + format_tr("'{}' is stored upper-cased, as '{}'", code, normal));
    if (kind != "manual" && kind != "auto")
      in.report(severity::error, "tag-kind", "kind", "kind: " + format_tr("'{}' is not manual or auto", kind));
    if (report && name.empty())
      in.report(severity::error, "tag-name", "tag_name", std::string("tag_name: ") + _("the tag has no name"));
    auto [it, fresh] = first_line.emplace(normal, in.line());
    if (!fresh) {
      in.report(severity::error, "tag-duplicate", "tag_code",
                "tag_code: " + format_tr("'{}' is also on line {} (codes compare upper-cased)", normal, it->second));
      continue;
    }
    kinds[normal] = kind;
  }
  return kinds;
}

// One condition of a rule, compiled.
enum class op { eq, ne, in, prefix, gt, ge, lt, le, within_days, month_is };

struct condition {
  std::size_t tag;  // index into the rule tags
  int column;       // of the member export
  op kind;
  std::string value;
  std::vector<std::string> values;  // for in
  double number = 0;
  int month = 0;  // month_is; 0 = this month
};

std::optional<double> number_of(std::string_view v) {
  double d = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
  return d;
}

std::optional<date> date_of(std::string_view v) { return parse_date(v.substr(0, 10)); }

bool holds(const condition& c, std::string_view v, const date& today, long today_days) {
  switch (c.kind) {
    case op::eq: return v == c.value;
    case op::ne: return v != c.value;
    case op::in: return std::find(c.values.begin(), c.values.end(), v) != c.values.end();
    case op::prefix: return v.starts_with(c.value);
    case op::gt:
    case op::ge:
    case op::lt:
    case op::le: {
      auto n = number_of(v);
      if (!n) return false;  // an empty or non-numeric value meets no comparison
      return c.kind == op::gt   ? *n > c.number
             : c.kind == op::ge ? *n >= c.number
             : c.kind == op::lt ? *n < c.number
                                : *n <= c.number;
    }
    case op::within_days: {
      auto d = date_of(v);
      if (!d) return false;
      long age = today_days - days_since_epoch(*d);
      return age >= 0 && age <= static_cast<long>(c.number);
    }
    case op::month_is: {
      auto d = date_of(v);
      return d && d->month == (c.month ? c.month : today.month);
    }
  }
  return false;
}

// ---- the rules: parsed, validated and compiled against the export's header ----

// The rules, compiled: the tags they name and their conditions.
struct rule_set {
  std::vector<std::string> tags;  // codes the rules name, sorted
  std::vector<condition> conditions;
};

// One row of the rules file, as written.
struct rule_row {
  std::string tag_code, field, op, value;
};

// A valid row: its tag code (upper case) and its condition, the tag not yet an index.
struct valid_rule {
  std::string tag;
  condition when;
};

// What a rule's field may name: a kaiin field (through the export's profile) or a
// column of the export.
struct rule_fields {
  const std::vector<std::string>& header;
  const column_map& cols;
  std::vector<std::string> known;  // every name, for hints
  rule_fields(const std::vector<std::string>& h, const column_map& c) : header(h), cols(c), known(field_names()) {
    known.insert(known.end(), header.begin(), header.end());
  }
  /// The export's column \p name stands for, or -1.
  int column(const std::string& name) const {
    if (auto f = field_named(name); f && cols[*f] >= 0) return cols[*f];
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  }
};

const std::map<std::string, op>& ops() {
  static const std::map<std::string, op> all{
      {"eq", op::eq}, {"ne", op::ne}, {"in", op::in}, {"prefix", op::prefix},           {"gt", op::gt},
      {"ge", op::ge}, {"lt", op::lt}, {"le", op::le}, {"within_days", op::within_days}, {"month_is", op::month_is}};
  return all;
}

// The value as \p c's op takes it: a list for in, a number, a number of days, a
// month. False, the row reported, when it is not one.
bool parse_value(condition& c, const rule_row& row, fixed_rows<4>& in) {
  const std::string& value = row.value;
  c.value = value;
  switch (c.kind) {
    case op::in:
      for (std::size_t start = 0;;) {  // values separated by |
        std::size_t bar = value.find('|', start);
        c.values.push_back(value.substr(start, bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
      return true;
    case op::gt:
    case op::ge:
    case op::lt:
    case op::le:
    case op::within_days: {
      auto n = number_of(value);
      if (n && (c.kind != op::within_days || (*n >= 0 && *n == static_cast<long>(*n)))) {
        c.number = *n;
        return true;
      }
      in.report(
          severity::error, "rules-value", "value",
          "value: " + (c.kind == op::within_days ? format_tr("'{}' is not a whole number of days for {}", value, row.op)
                                                 : format_tr("'{}' is not a number for {}", value, row.op)));
      return false;
    }
    case op::month_is: {
      auto n = number_of(value);
      if (value == "this" || (n && *n >= 1 && *n <= 12 && *n == static_cast<int>(*n))) {
        c.month = value == "this" ? 0 : static_cast<int>(*n);
        return true;
      }
      in.report(severity::error, "rules-value", "value",
                "value: " + format_tr("'{}' is not a month (1-12) or this", value));
      return false;
    }
    default: return true;
  }
}

// A row checked field by field: its tag code, its field, its op, its value. The
// first problem is reported at the row, which is then left out.
std::optional<valid_rule> validate_rule(const rule_row& row, const rule_fields& fields, fixed_rows<4>& in) {
  std::string tag = normal_tag_code(row.tag_code);
  if (tag.empty()) {
    in.report(severity::error, "rules-tag", "tag_code",
              "tag_code: " + format_tr("'{}' is not a tag code (half-width letters, digits, - and _)", row.tag_code));
    return std::nullopt;
  }
  condition when{};
  when.column = fields.column(row.field);
  if (when.column < 0) {
    std::string hint = did_you_mean(row.field, fields.known);
    in.report(severity::error, "rules-field", "field",
              "field: " + format_tr("'{}' is neither a kaiin field nor a column of the export{}", row.field,
                                    hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
    return std::nullopt;
  }
  auto op_named = ops().find(row.op);
  if (op_named == ops().end()) {
    std::vector<std::string> names;
    for (auto& [n, _] : ops()) names.push_back(n);
    std::string hint = did_you_mean(row.op, names);
    in.report(severity::error, "rules-op", "op",
              "op: " + format_tr("'{}' is not one of {}{}", row.op, fmt::join(names, ", "),
                                 hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
    return std::nullopt;
  }
  when.kind = op_named->second;
  if (!parse_value(when, row, in)) return std::nullopt;
  return valid_rule{std::move(tag), std::move(when)};
}

// The tags of the valid rows, sorted, and each condition pointing at its tag.
rule_set compile_rules(std::vector<valid_rule> rows) {
  rule_set set;
  for (auto& rule : rows) set.tags.push_back(rule.tag);
  std::sort(set.tags.begin(), set.tags.end());
  set.tags.erase(std::unique(set.tags.begin(), set.tags.end()), set.tags.end());
  for (auto& rule : rows) {
    rule.when.tag =
        static_cast<std::size_t>(std::lower_bound(set.tags.begin(), set.tags.end(), rule.tag) - set.tags.begin());
    set.conditions.push_back(std::move(rule.when));
  }
  return set;
}

rule_set read_rules(const std::string& path, const std::vector<std::string>& header, const column_map& cols,
                    diagnostics& diag) {
  fixed_rows<4> in(path, diag, "rules-row", io::ignore_no_column, "tag_code", "field", "op", "value");
  const rule_fields fields(header, cols);
  std::vector<valid_rule> valid;
  rule_row row;
  while (in.next(row.tag_code, row.field, row.op, row.value))
    if (auto rule = validate_rule(row, fields, in)) valid.push_back(std::move(*rule));
  rule_set set = compile_rules(std::move(valid));
  if (set.conditions.empty() && !diag.errors())
    diag.report({in.name(), 0, 1, std::nullopt, severity::error, "rules-empty", _("the rules file has no rules")});
  return set;
}

// --tags: the rules' tags must be auto tags of the master.
void check_rule_tags(const rule_set& rules, const tags_apply_options& o, diagnostics& diag) {
  auto kinds = read_tag_master(o.tags, diag, false);
  for (const std::string& tag : rules.tags) {
    auto it = kinds.find(tag);
    if (it == kinds.end() || it->second != "auto")
      diag.report({o.rules, 0, 0, std::nullopt, severity::error, "rules-tag",
                   it == kinds.end()
                       ? format_tr("tag '{}' is not in '{}': rules set auto tags only", tag, o.tags)
                       : format_tr("tag '{}' is a manual tag in '{}': rules set auto tags only", tag, o.tags)});
  }
}

// ---- the links: current ones read, new ones evaluated, the changes written ----

// The current links of the tags the rules name: member -> a flag for each of those
// tags. Links of other tags (manual ones) are never read into a change.
// (Compact tables: a million members' links were 60 MiB in a string_table and
// vectors of strings.)
struct current_links {
  std::size_t n_tags = 0, words = 0;     // words: (n_tags + 63) / 64
  detail::id_index index;                // member ID -> member number, and back
  detail::chunked<std::uint64_t> flags;  // words a member: a bit a tag
  detail::bit_set seen;                  // each member: found in the export
  /// The member \p id's number, or nullopt when it has no link.
  std::optional<std::uint32_t> find(std::string_view id) const { return index.size() ? index.find(id) : std::nullopt; }
  bool has(std::uint32_t member, std::uint32_t tag) const { return flags[member * words + tag / 64] >> (tag % 64) & 1; }
};

current_links read_current_links(const std::string& path, const rule_set& rules, diagnostics& diag) {
  current_links links;
  links.n_tags = rules.tags.size();
  links.words = (links.n_tags + 63) / 64;
  if (!path.empty()) {
    fixed_rows<2> in(path, diag, "links-row", io::ignore_no_column, "member_id", "tag_code");
    std::string id, code;
    while (in.next(id, code)) {
      std::string tag = normal_tag_code(code);
      auto t = std::lower_bound(rules.tags.begin(), rules.tags.end(), tag);
      if (tag.empty() || t == rules.tags.end() || *t != tag) continue;  // a manual or unknown tag: left alone
      auto [m, added] = links.index.insert(id);
      if (added)
        for (std::size_t w = 0; w < links.words; ++w) links.flags.push_back(0);
      auto tag_number = static_cast<std::size_t>(t - rules.tags.begin());
      links.flags[m * links.words + tag_number / 64] |= std::uint64_t{1} << (tag_number % 64);
    }
  }
  return links;
}

// The links to add or to remove, member by member in the export's order: each
// member with changes once (its ID in an arena), its changes one after another.
// Kept compact because a million members with three new tags each are three million
// changes: a std::string and a tag each took 120 MiB (run.py's tags section).
struct change_list {
  detail::text_arena ids;                  // the member IDs
  detail::chunked<std::uint32_t> id_of;    // by member: its ID's reference in ids
  detail::chunked<std::uint32_t> first;    // by member: its first change in changes
  detail::chunked<std::uint32_t> changes;  // tag << 1 | 1 to add, 0 to remove
  std::uint64_t adds = 0;

  std::size_t members() const { return id_of.size(); }
  std::string_view id(std::size_t m) const { return ids.get(id_of[m]); }
  std::size_t end_of(std::size_t m) const { return m + 1 < members() ? first[m + 1] : changes.size(); }
};

struct evaluation {
  change_list changes;
  std::uint64_t members = 0;  // members evaluated (those with an ID)
};

// Every member of the export against the rules (a tag's rows must all hold): a
// change wherever the result differs from the current links.
evaluation evaluate(csv_input& members, const column_map& cols, const rule_set& rules, current_links& current,
                    const date& today) {
  const long today_days = days_since_epoch(today);
  const std::size_t n_tags = rules.tags.size();
  evaluation result;
  std::vector<char> holds_all(n_tags);
  raw_record r;
  record_values values;
  while (members.next(r)) {
    if (r.malformed()) continue;  // reported; its values would be in the wrong columns
    members.decode_fields(r, values);
    std::string_view id = values.get(cols[field::member_id]);
    if (id.empty()) continue;
    ++result.members;
    std::fill(holds_all.begin(), holds_all.end(), 1);
    for (const condition& c : rules.conditions)  // AND of the rows of a tag
      if (holds_all[c.tag] && !holds(c, values.get(c.column), today, today_days)) holds_all[c.tag] = 0;
    std::optional<std::uint32_t> m = current.find(id);
    if (m) current.seen.set(*m);
    change_list& c = result.changes;
    const std::size_t before = c.changes.size();
    for (std::uint32_t t = 0; t < n_tags; ++t) {
      bool has = m && current.has(*m, t);
      if (holds_all[t] == has) continue;
      c.changes.push_back(t << 1 | (holds_all[t] ? 1u : 0u));
      c.adds += holds_all[t] ? 1 : 0;
    }
    if (c.changes.size() > before) {
      c.id_of.push_back(c.ids.add(id));
      c.first.push_back(static_cast<std::uint32_t>(before));
    }
  }
  return result;
}

// Members with links but not in the export: their links are left as they are.
void report_unknown_members(const current_links& current, const tags_apply_options& o, const csv_input& members,
                            diagnostics& diag) {
  current.seen.each_unset(current.index.size(), [&](std::size_t m) {
    diag.report({o.current, 0, 0, std::nullopt, severity::warning, "tags-unknown-member",
                 format_tr("member '{}' has auto tag links but is not in '{}': they are left as they are",
                           current.index.id(static_cast<std::uint32_t>(m)), members.name())});
  });
}

// The change file member_id,tag_code,action, sorted by member ID then tag code: the
// same input gives the same bytes. (Tag numbers are in tag code order: rules.tags is
// sorted.) An ID on two rows of the export has its changes merged by tag code, as
// one sort of all changes by ID and code put them.
void write_changes(const change_list& changes, const rule_set& rules, const tags_apply_options& o, diagnostics& diag) {
  std::vector<std::uint32_t> order(changes.members());
  for (std::uint32_t m = 0; m < order.size(); ++m) order[m] = m;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return member_id_less(changes.id(a), changes.id(b)); });
  output_set out;
  output_stream& s = out.add(o.output);
  s.write("member_id,tag_code,action\r\n");
  std::string line;
  std::uint64_t escaped = 0;
  std::vector<std::uint32_t> run;  // the changes of one ID
  for (std::size_t i = 0; i < order.size();) {
    std::string_view id = changes.id(order[i]);
    run.clear();
    for (; i < order.size() && changes.id(order[i]) == id; ++i)
      for (std::size_t k = changes.first[order[i]]; k < changes.end_of(order[i]); ++k)
        run.push_back(changes.changes[k]);
    std::stable_sort(run.begin(), run.end(), [](std::uint32_t a, std::uint32_t b) { return a >> 1 < b >> 1; });
    for (std::uint32_t c : run) {
      line.clear();
      escaped += append_csv_field(line, id, {}, o.escape_formulas);
      line += ",";
      escaped += append_csv_field(line, rules.tags[c >> 1], {}, o.escape_formulas);  // a code may start with -
      line += c & 1 ? ",add\r\n" : ",remove\r\n";
      s.write(line);
    }
  }
  out.commit();
  diag.add_escaped(escaped);
}

}  // namespace

int run_tags_check(const tags_check_options& o, diagnostics& diag) {
  auto kinds = read_tag_master(o.file, diag, true);
  std::size_t autos = std::count_if(kinds.begin(), kinds.end(), [](auto& k) { return k.second == "auto"; });
  diag.summary("tags", kinds.size());
  diag.summary("auto", autos);
  diag.summary("manual", kinds.size() - autos);
  return diag.exit_status();
}

int run_tags_apply(const tags_apply_options& o, diagnostics& diag) {
  atomic_output::refuse_inputs(o.output, {o.rules, o.members, o.current, o.tags});
  std::optional<detail::run_lock> lock;
  if (o.output != "-") lock.emplace(o.output + ".lock", o.output, "kaiin-tags", o.wait_seconds);

  csv_input members(o.members, o.from, diag, is_password_header);
  raw_record header;
  if (!members.next(header))
    throw data_error("file-empty", _("the member export is empty: it has no header"), members.name());
  member_columns found = read_columns(o.profile, members.header());
  require_columns(found, members.name(), {field::member_id});
  const rule_set rules = read_rules(o.rules, members.header(), found.columns, diag);
  if (!o.tags.empty()) check_rule_tags(rules, o, diag);
  if (diag.errors()) return 1;  // nothing is evaluated with broken rules

  current_links current = read_current_links(o.current, rules, diag);
  evaluation result = evaluate(members, found.columns, rules, current, o.today ? *o.today : kaiin::today());
  report_unknown_members(current, o, members, diag);
  if (diag.errors()) return 1;

  write_changes(result.changes, rules, o, diag);
  const std::uint64_t adds = result.changes.adds;
  diag.summary("members", result.members);
  diag.summary("rules", rules.conditions.size());
  diag.summary("tags", rules.tags.size());
  diag.summary("add", adds);
  diag.summary("remove", result.changes.changes.size() - adds);
  return 0;
}

}  // namespace kaiin
