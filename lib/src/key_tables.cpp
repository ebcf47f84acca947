#include "key_tables.h"

#include <sys/stat.h>

#include <algorithm>
#include <iterator>

#include "kaiin/csv_input.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {
// The members a regular file \p path can hold: its size over 160 bytes, which member
// rows are rarely shorter than (0 for a pipe). Tables sized so at once are not
// rehashed twenty times as they fill.
std::size_t members_in(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  return static_cast<std::size_t>(st.st_size / 160);
}
}  // namespace

void current_members::load(const std::string& path, source_encoding from, diagnostics& diag) {
  csv_input in(path, from, diag);
  raw_record r;
  record_values values;
  if (!in.next(r)) return;
  member_columns found = read_columns({}, in.header());
  require_columns(found, in.name(), {field::member_id});
  const column_map& cols = found.columns;
  auto get = [&](field f) { return values.get(cols[f]); };
  std::size_t members = members_in(path);
  ids.reserve(members);
  emails.reserve(members + members / 4);  // some members have a mobile address too
  std::string key;
  auto add_key = [&](std::string_view address, chunked<std::uint32_t>& refs, std::uint32_t index) {
    key = email_key(address);
    if (key.empty()) {
      refs.push_back(no_key);
      return;
    }
    refs.push_back(keys_.add(key));
    emails.insert(key, string_table::hash(key), index);
  };
  while (in.next(r)) {
    in.decode_fields(r, values);
    std::string_view id = get(field::member_id);
    if (id.empty()) continue;
    auto [index, added] = ids.insert(id);
    if (!added) continue;  // a duplicate in the export: the first counts
    add_key(get(field::email), pc_, index);
    add_key(get(field::mobile_email), mobile_, index);
  }
}

table_stage::table_stage(const upload_header& header, const current_members* current, const std::string& path)
    : header_(header), current_(current) {
  std::size_t members = members_in(path);
  ids_.reserve(members);
  emails_.reserve(members + members / 4);
}

void table_stage::flush(batch& b, diagnostics& diag) {
  const std::vector<job>& jobs = b.jobs;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (i + prefetch_distance < jobs.size()) {
      const job& ahead = jobs[i + prefetch_distance];
      if (ahead.f != field::member_id) {
        emails_.prefetch(ahead.hash);
        if (current_) current_->emails.prefetch(ahead.hash);
      }
    }
    const job& j = jobs[i];
    j.f == field::member_id ? look_up_id(b, j) : look_up_email(b, j);
  }
  // A stable sort by record keeps each record's findings together and in the order
  // they were found.
  std::vector<finding>& all = b.findings;
  for (auto* more : {&b.rule_findings, &found_})
    all.insert(all.end(), std::make_move_iterator(more->begin()), std::make_move_iterator(more->end()));
  std::stable_sort(all.begin(), all.end(), [](const finding& a, const finding& c) { return a.record < c.record; });
  for (const finding& f : all) diag.report(f);
  found_.clear();
}

void table_stage::report(const job& j, field f, std::string rule, std::string message) {
  found_.push_back({header_.file(), j.record, j.line, header_.column_of(f), severity::error, std::move(rule),
                    header_.prefix(f) + message});
}

void table_stage::look_up_id(const batch& b, const job& j) {
  auto line = static_cast<std::uint32_t>(j.line);
  std::string_view key = b.key_of(j), value = b.value_of(j);
  std::uint32_t first = ids_.insert(key, line);
  if (first != line)
    report(j, field::member_id, "member-id-duplicate",
           format_tr("member ID '{}' is also on line {}: each member once per file", value, first));
  if (!current_ || !j.action) return;
  std::optional<std::uint32_t> known = current_->ids.find(key);
  if (j.action == 'n' && known)
    report(j, field::member_id, "member-id-exists",
           format_tr("member ID '{}' already exists in the current export: a new member (n) needs an "
                     "unused ID, or use u to update",
                     value));
  if (j.action != 'n' && !known)
    report(j, field::member_id, "member-unknown",
           j.action == 'u'
               ? format_tr("member ID '{}' is not in the current export: there is no such member to update", value)
               : format_tr("member ID '{}' is not in the current export: there is no such member to delete", value));
  if (known && j.action == 'u') {
    member_record_ = j.record;
    member_ = *known;
  }
}

void table_stage::look_up_email(const batch& b, const job& j) {
  std::string_view key = b.key_of(j), value = b.value_of(j);
  std::uint32_t member = UINT32_MAX;
  if (current_ && j.action == 'u' && member_record_ == j.record) {  // addresses change on the admin screen
    member = member_;
    std::string_view now = j.f == field::email ? current_->pc(member) : current_->mobile(member);
    if (key != now)
      report(j, j.f, "email-changed",
             now.empty() ? std::string(_("this update changes the member's address (now empty): addresses are "
                                         "changed on the admin screen, not by bulk upload"))
                         : format_tr("this update changes the member's address from '{}': addresses are "
                                     "changed on the admin screen, not by bulk upload",
                                     now));
  }
  if (key.empty()) return;
  auto line = static_cast<std::uint32_t>(j.line);
  std::uint32_t first = emails_.insert(key, j.hash, line);
  if (first != line) {
    report(
        j, j.f, "email-duplicate",
        format_tr("address '{}' is also on line {}: CROSS POINT and Re:lation need each address once", value, first));
  } else if (current_ && j.action) {
    const std::uint32_t* owner = current_->emails.find(key, j.hash);
    if (owner && *owner != member)
      report(j, j.f, "email-duplicate",
             format_tr("address '{}' already belongs to member '{}' in the current export", value,
                       current_->ids.id(*owner)));
  }
}

}  // namespace kaiin::detail
