#include "kaiin/tags.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

#include "fixed_csv.h"
#include "kaiin/csv_input.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/output_set.h"
#include "kaiin/profile.h"
#include "kaiin/text.h"
#include "run_lock.h"

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

// The rules, validated with line numbers and compiled against the export's header.
struct rule_set {
  std::vector<std::string> tags;  // codes the rules name, sorted
  std::vector<condition> conditions;
};

rule_set read_rules(const std::string& path, const std::vector<std::string>& header, const column_map& cols,
                    diagnostics& diag) {
  static const std::map<std::string, op> ops{
      {"eq", op::eq}, {"ne", op::ne}, {"in", op::in}, {"prefix", op::prefix},           {"gt", op::gt},
      {"ge", op::ge}, {"lt", op::lt}, {"le", op::le}, {"within_days", op::within_days}, {"month_is", op::month_is}};
  fixed_rows<4> in(path, diag, "rules-row", io::ignore_no_column, "tag_code", "field", "op", "value");
  struct pending {
    std::string tag;
    condition c;
  };
  std::vector<pending> rows;
  std::string code, field_text, op_text, value;
  std::vector<std::string> known = field_names();
  known.insert(known.end(), header.begin(), header.end());
  while (in.next(code, field_text, op_text, value)) {
    std::string tag = normal_tag_code(code);
    if (tag.empty()) {
      in.report(severity::error, "rules-tag", "tag_code",
                "tag_code: " + format_tr("'{}' is not a tag code (half-width letters, digits, - and _)", code));
      continue;
    }
    condition c{};
    c.column = -1;
    if (auto f = field_named(field_text)) c.column = cols[*f];
    if (c.column < 0) {
      auto it = std::find(header.begin(), header.end(), field_text);
      if (it != header.end()) c.column = static_cast<int>(it - header.begin());
    }
    if (c.column < 0) {
      std::string hint = did_you_mean(field_text, known);
      in.report(severity::error, "rules-field", "field",
                "field: " + format_tr("'{}' is neither a kaiin field nor a column of the export{}", field_text,
                                      hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
      continue;
    }
    auto o = ops.find(op_text);
    if (o == ops.end()) {
      std::vector<std::string> names;
      for (auto& [n, _] : ops) names.push_back(n);
      std::string hint = did_you_mean(op_text, names);
      in.report(severity::error, "rules-op", "op",
                "op: " + format_tr("'{}' is not one of {}{}", op_text, fmt::join(names, ", "),
                                   hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
      continue;
    }
    c.kind = o->second;
    c.value = value;
    bool ok = true;
    switch (c.kind) {
      case op::in:
        for (std::size_t start = 0;;) {  // values separated by |
          std::size_t bar = value.find('|', start);
          c.values.push_back(value.substr(start, bar - start));
          if (bar == std::string::npos) break;
          start = bar + 1;
        }
        break;
      case op::gt:
      case op::ge:
      case op::lt:
      case op::le:
      case op::within_days: {
        auto n = number_of(value);
        ok = n && (c.kind != op::within_days || (*n >= 0 && *n == static_cast<long>(*n)));
        if (ok)
          c.number = *n;
        else
          in.report(severity::error, "rules-value", "value",
                    "value: " + (c.kind == op::within_days
                                     ? format_tr("'{}' is not a whole number of days for {}", value, op_text)
                                     : format_tr("'{}' is not a number for {}", value, op_text)));
        break;
      }
      case op::month_is: {
        auto n = number_of(value);
        ok = value == "this" || (n && *n >= 1 && *n <= 12 && *n == static_cast<int>(*n));
        if (ok)
          c.month = value == "this" ? 0 : static_cast<int>(*n);
        else
          in.report(severity::error, "rules-value", "value",
                    "value: " + format_tr("'{}' is not a month (1-12) or this", value));
        break;
      }
      default: break;
    }
    if (ok) rows.push_back({tag, c});
  }
  rule_set set;
  for (auto& p : rows) set.tags.push_back(p.tag);
  std::sort(set.tags.begin(), set.tags.end());
  set.tags.erase(std::unique(set.tags.begin(), set.tags.end()), set.tags.end());
  for (auto& p : rows) {
    p.c.tag = static_cast<std::size_t>(std::lower_bound(set.tags.begin(), set.tags.end(), p.tag) - set.tags.begin());
    set.conditions.push_back(std::move(p.c));
  }
  if (set.conditions.empty() && !diag.errors())
    diag.report({in.name(), 0, 0, std::nullopt, severity::error, "rules-empty", _("the rules file has no rules")});
  return set;
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
  const date today = o.today ? *o.today : kaiin::today();
  const long today_days = days_since_epoch(today);

  csv_input members(o.members, o.from, diag);
  raw_record r;
  if (!members.next(r)) throw error(_("the file is empty"), members.name());
  member_columns found = read_columns(o.profile, members.header());
  require_columns(found, members.name(), {field::member_id});
  const column_map& cols = found.columns;
  rule_set rules = read_rules(o.rules, members.header(), cols, diag);
  if (!o.tags.empty()) {  // the rules' tags must be auto tags of the master
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
  if (diag.errors()) return 1;  // nothing is evaluated with broken rules

  // The current links of the tags the rules name: member -> bit set of those tags.
  // Links of other tags (manual ones) are never read into a change.
  const std::size_t n_tags = rules.tags.size();
  string_table current_index;
  std::vector<char> current;  // n_tags flags a member, one after another
  std::vector<std::string> current_ids;
  if (!o.current.empty()) {
    fixed_rows<2> in(o.current, diag, "links-row", io::ignore_no_column, "member_id", "tag_code");
    std::string id, code;
    while (in.next(id, code)) {
      std::string tag = normal_tag_code(code);
      auto t = std::lower_bound(rules.tags.begin(), rules.tags.end(), tag);
      if (tag.empty() || t == rules.tags.end() || *t != tag) continue;  // a manual or unknown tag: left alone
      auto index = static_cast<std::uint32_t>(current_ids.size());
      std::uint32_t m = current_index.insert(id, index);
      if (m == index) {
        current.resize(current.size() + n_tags, 0);
        current_ids.push_back(id);
      }
      current[m * n_tags + static_cast<std::size_t>(t - rules.tags.begin())] = 1;
    }
  }
  std::vector<bool> seen(current_ids.size(), false);

  struct change {
    std::string member;
    std::uint32_t tag;
    bool add;
  };
  std::vector<change> changes;
  std::vector<char> holds_all(n_tags);
  record_values values;
  std::uint64_t evaluated = 0;
  while (members.next(r)) {
    if (r.malformed()) continue;  // reported; its values would be in the wrong columns
    members.decode_fields(r, values);
    std::string_view id = values.get(cols[field::member_id]);
    if (id.empty()) continue;
    ++evaluated;
    std::fill(holds_all.begin(), holds_all.end(), 1);
    for (const condition& c : rules.conditions)  // AND of the rows of a tag
      if (holds_all[c.tag] && !holds(c, values.get(c.column), today, today_days)) holds_all[c.tag] = 0;
    const std::uint32_t* m = current.empty() ? nullptr : current_index.find(id);
    if (m) seen[*m] = true;
    for (std::uint32_t t = 0; t < n_tags; ++t) {
      bool has = m && current[*m * n_tags + t];
      if (holds_all[t] != has) changes.push_back({std::string(id), t, holds_all[t] != 0});
    }
  }
  for (std::size_t m = 0; m < seen.size(); ++m) {
    if (seen[m]) continue;
    diag.report({o.current, 0, 0, std::nullopt, severity::warning, "tags-unknown-member",
                 format_tr("member '{}' has auto tag links but is not in '{}': they are left as they are",
                           current_ids[m], members.name())});
  }
  if (diag.errors()) return 1;

  // Sorted by member ID, then tag code: the same input gives the same bytes.
  std::sort(changes.begin(), changes.end(), [&](const change& a, const change& b) {
    if (a.member != b.member) return member_id_less(a.member, b.member);
    return rules.tags[a.tag] < rules.tags[b.tag];
  });
  output_set out;
  output_stream& s = out.add(o.output);
  s.write("member_id,tag_code,action\r\n");
  std::string line;
  std::uint64_t adds = 0, escaped = 0;
  for (const change& c : changes) {
    line.clear();
    escaped += append_csv_field(line, c.member, {}, o.escape_formulas);
    line += ",";
    escaped += append_csv_field(line, rules.tags[c.tag], {}, o.escape_formulas);  // a code may start with -
    line += c.add ? ",add\r\n" : ",remove\r\n";
    s.write(line);
    adds += c.add;
  }
  out.commit();
  diag.add_escaped(escaped);
  diag.summary("members", evaluated);
  diag.summary("rules", rules.conditions.size());
  diag.summary("tags", n_tags);
  diag.summary("add", adds);
  diag.summary("remove", changes.size() - adds);
  return 0;
}

}  // namespace kaiin
