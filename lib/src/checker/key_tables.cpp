#include "checker/key_tables.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>

#include "core/csv_input.h"
#include "core/record_batches.h"
#include "core/text.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"

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

email_map::email_map() : map_([this](std::string_view stored) { return hash_text(decode(stored)); }) {}

void email_map::encode(std::string_view key, std::string& out) const {
  std::size_t at = key.rfind('@');
  const std::uint32_t* code = at == std::string_view::npos ? nullptr : domain_code_.find(key.substr(at + 1));
  put(code ? *code : 0, code ? key.substr(0, at) : key, out);
}

void email_map::encode(std::string_view key, std::string& out, bool learn) {
  std::size_t at = key.rfind('@');
  if (!learn || at == std::string_view::npos || domains_.size() >= 255) return std::as_const(*this).encode(key, out);
  // One look-up of the domain, which gives its byte, new or not.
  std::string_view domain = key.substr(at + 1);
  const auto next = static_cast<std::uint32_t>(domains_.size() + 1);
  const std::uint32_t code = domain_code_.insert(domain, next);
  if (code == next) domains_.emplace_back(domain);
  put(code, key.substr(0, at), out);
}

void email_map::put(std::uint32_t code, std::string_view rest, std::string& out) {
  out.clear();
  out.push_back(static_cast<char>(code));
  out.append(rest);
}

std::string email_map::decode(std::string_view stored) const {
  auto code = static_cast<unsigned char>(stored[0]);
  std::string key(stored.substr(1));
  if (code) key.append("@").append(domains_[code - 1]);
  return key;
}

const std::uint32_t* email_map::find(std::string_view key, std::uint32_t hash, std::string& scratch) const {
  encode(key, scratch);
  return map_.find(scratch, hash);
}

std::pair<std::uint32_t, std::uint32_t> email_map::insert_entry(std::string_view key, std::uint32_t hash,
                                                                std::uint32_t value) {
  encode(key, scratch_, true);
  return map_.insert_entry(scratch_, hash, value);
}

namespace {

// The export's members as its reading thread hands them over: each record's member
// ID and e-mail keys (every field of the record decoded, and its findings kept, as it
// is read), where the record is, and the findings of reading it, in order. Loading
// 10,000,000 members on one thread was 12 s of kaiin-check --current's 27 s, half of
// it reading and decoding (perf); the tables' inserts now overlap it.
struct export_batch {
  static constexpr std::size_t rows_wanted = 1024;
  struct row {
    std::uint64_t offset, line, number;
    std::uint32_t at, id_size, pc_size, mobile_size;  // in text: the ID, the PC key, the mobile key
    std::uint32_t pc_hash, mobile_hash;
  };
  ordered_findings read;
  std::vector<row> rows;
  std::string text;
  void clear() {
    read.clear();
    rows.clear();
    text.clear();
  }
};

// Fills export batches from \p in, on the reading thread.
class export_reader {
 public:
  export_reader(csv_input& in, const column_map& cols) : in_(in), cols_(cols) {}
  bool fill(export_batch& b) {
    while (b.rows.size() < export_batch::rows_wanted) {
      in_.collect_into(&b.read.findings);
      if (!in_.next(r_)) return false;
      in_.decode_fields(r_, values_);
      const std::string_view id = values_.get(cols_[field::member_id]);
      if (id.empty()) continue;
      export_batch::row row{r_.offset,
                            r_.line,
                            r_.number,
                            static_cast<std::uint32_t>(b.text.size()),
                            static_cast<std::uint32_t>(id.size()),
                            0,
                            0,
                            0,
                            0};
      b.text.append(id);
      row.pc_size = add_key(b, field::email, row.pc_hash);
      row.mobile_size = add_key(b, field::mobile_email, row.mobile_hash);
      b.read.mark_row();
      b.rows.push_back(row);
    }
    return true;
  }

 private:
  std::uint32_t add_key(export_batch& b, field f, std::uint32_t& hash) {
    email_key(values_.get(cols_[f]), key_);
    if (!key_.empty()) hash = string_table::hash(key_);
    b.text.append(key_);
    return static_cast<std::uint32_t>(key_.size());
  }
  csv_input& in_;
  const column_map& cols_;
  raw_record r_;
  record_values values_;
  std::string key_;
};

}  // namespace

void current_members::load(const std::string& path, source_encoding from, diagnostics& diag) {
  // Kept open (a pipe copied to a temporary file) for read_member().
  input_ = std::make_unique<csv_input>(path, from, diag, is_password_header, csv_dialect{}, true);
  csv_input& in = *input_;
  raw_record r;
  if (!in.next(r)) throw data_error("file-empty", _("the member export is empty: it has no header"), in.name());
  member_columns found = read_columns({}, in.header());
  require_columns(found, in.name(), {field::member_id});
  columns_ = found.columns;
  std::size_t members = members_in(path);
  ids.reserve(members);
  emails.reserve(members + members / 4);  // some members have a mobile address too
  auto add_key = [&](std::string_view key, std::uint32_t hash, chunked<std::uint32_t>& refs, std::uint32_t index) {
    refs.push_back(key.empty() ? no_key : emails.insert_entry(key, hash, index).first);
  };
  export_reader reader(in, columns_);
  batch_reader<export_batch> batches([&](export_batch& b) { return reader.fill(b); },
                                     worth_a_thread(in.file().size_hint()), [&] { in.collect_into(nullptr); });
  while (export_batch* b = batches.next()) {
    for (std::size_t i = 0; i < b->rows.size(); ++i) {
      b->read.report_before(i, diag);
      const export_batch::row& row = b->rows[i];
      const std::string_view id = std::string_view(b->text).substr(row.at, row.id_size);
      auto [index, added] = ids.insert(id);
      if (!added) continue;  // a duplicate in the export: the first counts
      if (index % place_every == 0) places_.push_back({row.offset, row.line, row.number});
      if (id.size() > 1 && id.size() < 64 && id[0] == '0' &&
          id.find_first_not_of("0123456789") == std::string_view::npos)
        zero_led_widths_ |= std::uint64_t{1} << id.size();
      add_key(std::string_view(b->text).substr(row.at + row.id_size, row.pc_size), row.pc_hash, pc_, index);
      add_key(std::string_view(b->text).substr(row.at + row.id_size + row.pc_size, row.mobile_size), row.mobile_hash,
              mobile_, index);
    }
    b->read.report_rest(diag);
  }
}

bool current_members::read_member(std::uint32_t index, record_values& values) {
  if (!input_ || index >= ids.size() || columns_[field::member_id] < 0) return false;
  const std::uint32_t stretch = index / place_every;
  const bool reading_on = last_read_ != no_key && index > last_read_ && stretch <= last_read_ / place_every + 1;
  last_read_ = no_key;
  if (!reading_on) {
    const place& p = places_[stretch];
    input_->seek(p.offset, p.line, p.number);
  }
  // The member's first record is before the next stretch's first member.
  const std::uint64_t end = stretch + 1 < places_.size() ? places_[stretch + 1].offset : UINT64_MAX;
  const std::string id = ids.id(index);
  const auto id_column = static_cast<std::size_t>(columns_[field::member_id]);
  std::string buffer;
  while (input_->next(record_) && record_.offset < end) {
    if (id_column >= record_.fields.size() || input_->decode_field(record_, id_column, buffer) != id) continue;
    input_->decode_fields(record_, values);
    last_read_ = index;
    return true;
  }
  return false;
}

table_stage::table_stage(const upload_header& header, const current_members* current, const std::string& path,
                         bool keep_values)
    : header_(header), current_(current), keep_values_(keep_values) {
  struct stat st {};
  if (path != "-" && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    file_size_ = static_cast<std::uint64_t>(st.st_size);
}

void table_stage::reserve_from(const batch& b) {
  // The rows of the first batch (a thousand) say how long the file's rows are; a
  // tenth more for files whose rows grow shorter. (Sizing from the file's size
  // over 160 bytes, a short row, left a million members' tables 40% empty: 9 MB.)
  // Tables that fill past it grow by half.
  const batch::row& first = b.rows.front();
  const batch::row& last = b.rows.back();
  const std::uint64_t size = file_size_;
  file_size_ = 0;  // once
  if (b.rows.size() < 2 || last.offset <= first.offset || first.offset >= size) return;
  double row_bytes = static_cast<double>(last.offset - first.offset) / static_cast<double>(b.rows.size() - 1);
  // At most a member every 40 bytes, and what an index holds: a head of short rows
  // (or a file that changed under us) must not reserve gigabytes; past the estimate
  // the tables grow.
  double estimate = std::min(static_cast<double>(size - first.offset) / row_bytes * 1.1,
                             std::min(static_cast<double>(size / 40), hash_index::max_entries / 2.0));
  auto members = static_cast<std::size_t>(estimate);
  std::size_t emails = 0;
  for (const key_lookup& lookup : b.lookups) emails += lookup.key_field != field::member_id && lookup.key_size > 0;
  ids_.reserve(members);
  emails_.reserve(std::min<std::size_t>(members * (emails + 1) / b.rows.size() + 16, hash_index::max_entries / 2));
}

namespace {

// Each list is in record order (read, checked and looked up row by row): merging
// them keeps each record's findings together, those of reading first, then the
// rules', then the tables'. Moving and stable-sorting the findings, before, was 4%
// of kaiin-check --report json's time (perf, 1,000,000 findings).
void report_in_record_order(const std::vector<finding>& read, const batch_findings& rules, const batch_findings& tables,
                            diagnostics& diag) {
  std::size_t r = 0, c = 0, t = 0;
  for (;;) {
    // The list whose next finding has the lowest record; on a tie the earlier list.
    int next = -1;
    std::uint64_t lowest = 0;
    auto consider = [&](int list, bool more, auto record) {
      if (more && (next < 0 || record() < lowest)) {
        next = list;
        lowest = record();
      }
    };
    consider(0, r < read.size(), [&] { return read[r].record; });
    consider(1, c < rules.size(), [&] { return rules.record(c); });
    consider(2, t < tables.size(), [&] { return tables.record(t); });
    if (next < 0) return;
    if (next == 0)
      diag.report(read[r++]);
    else if (next == 1)
      diag.report_view(rules[c++]);
    else
      diag.report_view(tables[t++]);
  }
}

}  // namespace

void table_stage::flush(batch& b, diagnostics& diag) {
  if (file_size_ && !b.rows.empty()) reserve_from(b);
  const std::vector<key_lookup>& lookups = b.lookups;
  for (std::size_t i = 0; i < lookups.size(); ++i) {
    if (i + prefetch_distance < lookups.size()) {
      const key_lookup& ahead = lookups[i + prefetch_distance];
      if (ahead.key_field == field::member_id) {
        ids_.prefetch(b.key_of(ahead));
        if (current_) current_->ids.prefetch(b.key_of(ahead));
      } else {
        emails_.prefetch(ahead.hash);
        if (current_) current_->emails.prefetch(ahead.hash);
      }
    }
    const key_lookup& lookup = lookups[i];
    lookup.key_field == field::member_id ? look_up_id(b, lookup) : look_up_email(b, lookup);
  }
  report_in_record_order(b.findings, b.rule_findings, found_, diag);
  found_.clear();
  count_actions(b, diag);
}

void table_stage::count_actions(const batch& b, const diagnostics& diag) {
  const std::optional<diagnostics::stop_place>& stop = diag.stopped_at();
  for (const batch::row& row : b.rows) {
    if (stop && row.number > stop->record) break;
    if (row.action != row_action::none)
      ++actions_[row.action == row_action::create ? 0 : row.action == row_action::update ? 1 : 2];
  }
}

void table_stage::report(const batch& b, const key_lookup& lookup, std::string_view rule, std::string_view message) {
  const field f = lookup.key_field;
  found_.add(header_.file(), lookup.record, lookup.line, header_.column_view(f), severity::error, rule,
             header_.prefix(f), message,
             keep_values_ ? std::optional<std::string_view>(b.value_of(lookup)) : std::nullopt);
}

void table_stage::look_up_id(const batch& b, const key_lookup& lookup) {
  auto line = static_cast<std::uint32_t>(lookup.line);
  std::string_view key = b.key_of(lookup), value = b.value_of(lookup);
  std::uint32_t first = ids_.insert(key, line);
  if (first != line)
    report(b, lookup, "member-id-duplicate",
           format_tr("member ID '{}' is also on line {}: each member once per file", value, first));
  if (!current_ || lookup.action == row_action::none) return;
  std::optional<std::uint32_t> known = current_->ids.find(key);
  if (lookup.action == row_action::create && known)
    report(b, lookup, "member-id-exists",
           format_tr("member ID '{}' already exists in the current export: a new member (n) needs an "
                     "unused ID, or use u to update",
                     value));
  if (lookup.action != row_action::create && !known)
    report(b, lookup, "member-unknown",
           lookup.action == row_action::update
               ? format_tr("member ID '{}' is not in the current export: there is no such member to update", value)
               : format_tr("member ID '{}' is not in the current export: there is no such member to delete", value));
  if (known && lookup.action == row_action::update) {
    member_record_ = lookup.record;
    member_ = *known;
  }
}

void table_stage::look_up_email(const batch& b, const key_lookup& lookup) {
  std::string_view key = b.key_of(lookup), value = b.value_of(lookup);
  std::uint32_t member = UINT32_MAX;
  if (current_ && lookup.action == row_action::update &&
      member_record_ == lookup.record) {  // addresses change on the admin screen
    member = member_;
    std::string now = lookup.key_field == field::email ? current_->pc(member) : current_->mobile(member);
    if (key != now)
      report(b, lookup, "email-changed",
             now.empty() ? std::string(_("this update changes the member's address (now empty): addresses are "
                                         "changed on the admin screen, not by bulk upload"))
                         : format_tr("this update changes the member's address from '{}': addresses are "
                                     "changed on the admin screen, not by bulk upload",
                                     now));
  }
  if (key.empty()) return;
  auto line = static_cast<std::uint32_t>(lookup.line);
  std::uint32_t first = emails_.insert(key, lookup.hash, line);
  if (first != line) {
    report(
        b, lookup, "email-duplicate",
        format_tr("address '{}' is also on line {}: CROSS POINT and Re:lation need each address once", value, first));
  } else if (current_ && lookup.action != row_action::none) {
    const std::uint32_t* owner = current_->emails.find(key, lookup.hash, scratch_);
    if (owner && *owner != member)
      report(b, lookup, "email-duplicate",
             format_tr("address '{}' already belongs to member '{}' in the current export", value,
                       current_->ids.id(*owner)));
  }
}

}  // namespace kaiin::detail
