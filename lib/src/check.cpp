#include "kaiin/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "kaiin/csv_input.h"
#include "kaiin/i18n.h"
#include "kaiin/profile.h"
#include "kaiin/text.h"

namespace kaiin {

namespace {

// The shop's current members (--current): IDs and e-mail keys.
struct current_members {
  string_table ids;                     // member ID -> index
  string_table emails;                  // e-mail key -> index
  std::vector<std::string> pc, mobile;  // e-mail keys by index
  std::vector<std::string> id_of;       // member ID by index

  void load(const std::string& path, source_encoding from, diagnostics& diag) {
    csv_input in(path, from, diag);
    raw_record r;
    record_values values;
    if (!in.next(r)) return;
    member_columns found = read_columns({}, in.header());
    require_columns(found, in.name(), {field::member_id});
    const column_map& cols = found.columns;
    auto get = [&](field f) { return values.get(cols[f]); };
    while (in.next(r)) {
      in.decode_fields(r, values);
      std::string_view id = get(field::member_id);
      if (id.empty()) continue;
      auto index = static_cast<std::uint32_t>(id_of.size());
      if (ids.insert(id, index) != index) continue;  // a duplicate in the export: the first counts
      id_of.emplace_back(id);
      pc.push_back(email_key(get(field::email)));
      mobile.push_back(email_key(get(field::mobile_email)));
      if (!pc.back().empty()) emails.insert(pc.back(), index);
      if (!mobile.back().empty()) emails.insert(mobile.back(), index);
    }
  }
};

// What the checked files hold, for the summary.
struct totals {
  std::vector<std::string> files, encodings, profiles, not_checked;
  std::uint64_t records = 0, actions[3] = {0, 0, 0};
  std::uint64_t existing = 0;  // records of exports (no control column): existing members
};

// A key to look up in the tables, with what its findings need; its texts are in
// the batch's job_text, one arena a batch, rather than strings of their own.
struct job {
  std::uint64_t record, line;
  field f;
  char action;
  std::uint32_t value_at, value_size, key_at, key_size;  // the cell as written, and its key
  std::uint32_t hash = 0;
};

// A batch of records on its way through the three stages: read and decoded,
// checked row by row, looked up in the tables.
struct batch {
  struct row {
    std::uint64_t number, line;
    std::uint32_t first, count;  // its values: spans[first .. first + count)
    bool ragged;                 // more or fewer fields than the header: not checked
  };
  std::string storage;                                         // every value, one after another
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // offset and length in storage
  std::vector<row> rows;
  std::vector<finding> findings;       // what reading and decoding found
  std::vector<finding> rule_findings;  // what the row rules found
  std::vector<job> jobs;               // keys for the tables
  std::string job_text;
  void clear() {
    storage.clear();
    spans.clear();
    rows.clear();
    findings.clear();
    rule_findings.clear();
    jobs.clear();
    job_text.clear();
  }
  std::string_view value_of(const job& j) const { return std::string_view(job_text).substr(j.value_at, j.value_size); }
  std::string_view key_of(const job& j) const { return std::string_view(job_text).substr(j.key_at, j.key_size); }
};

// A bounded queue between the two threads.
template <class T>
class channel {
 public:
  void push(T item) {
    std::unique_lock lock(mutex_);
    items_.push_back(std::move(item));
    ready_.notify_one();
  }
  T pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !items_.empty(); });
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

// Checks one file. Records are checked in batches: the rules that look at one row
// run as each row is read; duplicates and the current export are looked up for
// the whole batch at once, with each table slot prefetched ahead of its use (a
// million keys in memory otherwise wait on memory one at a time). Findings are
// then written in record order.
class checker {
 public:
  checker(const check_options& o, diagnostics& diag, const std::vector<profile>& profiles,
          const current_members* current, const std::vector<std::string>* ranks, date now, totals& sum)
      : o_(o), diag_(diag), profiles_(profiles), current_(current), ranks_(ranks), today_(now), sum_(sum) {}

  void run(const std::string& path) {
    csv_input in(path, o_.from, diag_);
    in_ = &in;
    raw_record r;
    if (!in.next(r)) {
      report_file(severity::error, "file-empty", _("the file is empty: an upload needs a header and records"));
      return finish();
    }
    if (!read_header()) {
      // The records are counted (the summary says how many were not checked), not
      // reported: without columns nothing can be said of them.
      in.skip_to_end();
      sum_.not_checked.push_back(in.name());
      return finish();
    }
    string_table::reserve_for_members(path, ids_, emails_);
    // Three stages, each a thread: one reads, splits and decodes records; one runs
    // the row rules; this one looks keys up in the tables and writes the findings
    // in record order. A few batches circulate between them, so memory stays
    // bounded whatever the size of the file.
    channel<std::unique_ptr<batch>> empty, decoded, checked;
    for (int i = 0; i < 6; ++i) empty.push(std::make_unique<batch>());
    std::atomic<bool> stop{false};
    std::exception_ptr read_failure, rule_failure;
    std::thread reader([&] {
      try {
        raw_record rec;
        record_values values;
        bool more = true;
        while (more && !stop) {
          std::unique_ptr<batch> b = empty.pop();
          b->clear();
          in.collect_into(&b->findings);
          while (b->rows.size() < batch_rows && (more = in.next(rec))) {
            in.decode_fields(rec, values);
            auto first = static_cast<std::uint32_t>(b->spans.size());
            for (std::size_t i = 0; i < values.size(); ++i) {
              b->spans.emplace_back(static_cast<std::uint32_t>(b->storage.size()),
                                    static_cast<std::uint32_t>(values[i].size()));
              b->storage.append(values[i]);
            }
            bool ragged = std::any_of(rec.problems.begin(), rec.problems.end(),
                                      [](const csv_problem& p) { return p.kind == csv_problem_kind::field_count; });
            b->rows.push_back({rec.number, rec.line, first, static_cast<std::uint32_t>(values.size()), ragged});
          }
          decoded.push(std::move(b));
        }
      } catch (...) {
        read_failure = std::current_exception();
      }
      in.collect_into(nullptr);
      decoded.push(nullptr);  // the end
    });
    std::thread rules([&] {
      try {
        for (std::unique_ptr<batch> b; (b = decoded.pop());) {
          batch_ = b.get();
          if (!stop) {
            for (const batch::row& row : b->rows) {
              // The values of a row with too many or too few fields are in the wrong
              // columns: checking them would only mislead (its csv-field-count
              // finding is there).
              if (row.ragged) continue;
              row_ = {row.number, row.line, b->storage.data(), b->spans.data() + row.first, row.count};
              check_record();
            }
          }
          checked.push(std::move(b));
        }
      } catch (...) {
        rule_failure = std::current_exception();
        stop = true;
        // Drain what the reader still sends, so that it can finish.
        while (decoded.pop()) {
        }
      }
      checked.push(nullptr);
    });
    std::exception_ptr write_failure;
    for (std::unique_ptr<batch> b; (b = checked.pop());) {
      if (!stop) {
        // A report that cannot be written (a full disk) stops the run, but only once
        // the other threads are done: a thread still running at the end aborts.
        try {
          flush_batch(*b);
        } catch (...) {
          write_failure = std::current_exception();
          stop = true;
        }
        if (diag_.limit_reached()) stop = true;
      }
      empty.push(std::move(b));
    }
    rules.join();
    reader.join();
    if (write_failure) std::rethrow_exception(write_failure);
    if (read_failure) std::rethrow_exception(read_failure);
    if (rule_failure) std::rethrow_exception(rule_failure);
    if (in.records() == 0) report_file(severity::warning, "file-no-records", _("the file has a header but no records"));
    finish();
  }

 private:
  static constexpr std::size_t batch_rows = 1024;
  static constexpr std::size_t prefetch_distance = 12;

  // The record being checked: its place and its values.
  struct row_view {
    std::uint64_t number = 0, line = 0;
    const char* storage = nullptr;
    const std::pair<std::uint32_t, std::uint32_t>* spans = nullptr;
    std::size_t count = 0;
    std::string_view get(int i) const {
      if (i < 0 || static_cast<std::size_t>(i) >= count) return {};
      return {storage + spans[i].first, spans[i].second};
    }
  };

  std::string_view get(field f) const { return row_.get(cols_[f]); }
  bool has(field f) const { return cols_[f] >= 0; }

  void report_file(severity s, std::string rule, std::string message, std::uint64_t line = 0) {
    diag_.report({in_->name(), 0, line, std::nullopt, s, std::move(rule), std::move(message)});
  }
  std::optional<std::string> column_of(field f) const {
    if (!has(f)) return std::nullopt;
    return in_->column_name(static_cast<std::size_t>(cols_[f]));
  }
  // A finding of the table stage (this thread).
  void report_at(std::uint64_t record, std::uint64_t line, field f, severity s, std::string rule, std::string message) {
    table_findings_.push_back({in_->name(), record, line, column_of(f), s, std::move(rule), prefix(f) + message});
  }
  // A finding of the row rules (the rules thread), about the current row.
  void report(field f, severity s, std::string rule, std::string message) {
    batch_->rule_findings.push_back(
        {in_->name(), row_.number, row_.line, column_of(f), s, std::move(rule), prefix(f) + message});
  }
  void report(field f, const rule_result& v) {
    if (v) report(f, v->severity, v->rule, v->message);
  }
  // A field as the user's file names it: its column's header, else the header the
  // profile knows for it (never kaiin's internal field name).
  std::string header_name(field f) const {
    return has(f) ? in_->column_name(static_cast<std::size_t>(cols_[f])) : profile_->header_of(f);
  }
  // "cus_zip: " before a message, so the text form names the column.
  std::string prefix(field f) const { return header_name(f) + ": "; }

  bool read_header() {
    const std::vector<std::string>& header = in_->header();
    if (!o_.profile.empty()) chosen_ = find_profile(o_.profile);
    profile_ = o_.profile.empty() ? &best_profile(profiles_, header) : &chosen_;
    cols_ = map_columns(*profile_, header);
    if (in_->header_empty()) return false;  // csv_input said so
    if (cols_.matched == 0) {
      std::vector<std::string> names;
      for (const profile& p : profiles_) names.push_back(p.name());
      report_file(severity::error, "header-unknown-profile",
                  format_tr("no header of this file is known to profile '{}' (profiles: {}); is the first line "
                            "the header? --profile FILE names your own",
                            profile_->name(), fmt::join(names, ", ")),
                  1);
      return false;
    }
    // Hints name only headers the file lacks, for fields it lacks: a column the file
    // has already is never what an unknown one was meant to be.
    std::vector<std::string> known;
    for (const std::string& k : profile_->headers()) {
      auto f = profile_->match(k);
      if (std::find(header.begin(), header.end(), k) == header.end() && !(f && has(*f))) known.push_back(k);
    }
    for (std::size_t i : cols_.unknown) {
      const std::string& h = header[i];
      if (auto f = profile_->match(h)) {
        report_file(severity::error, "header-duplicate",
                    format_tr("column '{}' is a second '{}' column; the first one is read", h, header_name(*f)), 1);
        continue;
      }
      std::string hint = did_you_mean(h, known);
      if (!hint.empty())
        report_file(severity::warning, "header-unknown",
                    format_tr("unknown column '{}' is passed through unchecked (did you mean '{}'?)", h, hint), 1);
      else
        unknown_text_.push_back(i);
    }
    // No control column at all: an export, checked as existing members (spec §4).
    export_ = !has(field::control);
    for (const std::string& h : profile_->headers())
      if (profile_->match(h) == field::crypted_pass) flag_column_known_ = true;
    return true;
  }

  void check_record() {
    char action = read_control();
    std::string_view id = get(field::member_id);
    if (id.empty() && (action == 'u' || action == 'd')) {
      if (!has(field::member_id))
        missing(field::member_id);
      else
        report(field::member_id, severity::error, "required-field",
               action == 'u' ? _("the member ID is required to update (u) a member")
                             : _("the member ID is required to delete (d) a member"));
    }
    if (!id.empty()) add_job(field::member_id, action, id, id);
    if (action == 'd') return;  // other fields of a delete row are ignored
    check_required(action);
    check_password_of(action);
    for (field f : {field::email, field::mobile_email}) {
      std::string_view v = get(f);
      report(f, check_email(v));
      email_key(v, key_);
      // A u row's addresses are compared with the member's, even when empty.
      if (!key_.empty() || (current_ && action == 'u' && has(f))) add_job(f, action, v, key_);
    }
    report(field::zip, check_zip(get(field::zip)));
    report(field::pref, check_pref(get(field::pref)));
    report(field::birthday, check_birthday(get(field::birthday), today_, export_));
    report(field::registered, check_registered(get(field::registered)));
    report(field::updated, check_updated(get(field::updated)));
    report(field::last_kana, check_kana(get(field::last_kana)));
    report(field::first_kana, check_kana(get(field::first_kana)));
    report(field::tel, check_tel(get(field::tel)));
    report(field::sex, check_sex(get(field::sex)));
    for (field f : {field::mailmag, field::mobile_mailmag})
      if (!get(f).empty()) report(f, check_mailmag(get(f)));
    report(field::point, check_point(get(field::point)));
    check_rank();
    for (field f : {field::last_name, field::first_name, field::address1, field::address2, field::rank, field::memo})
      report(f, check_formula(get(f)));
    for (std::size_t i : unknown_text_) {
      if (auto v = check_formula(row_.get(static_cast<int>(i))))
        batch_->rule_findings.push_back({in_->name(), row_.number, row_.line, in_->column_name(i), v->severity, v->rule,
                                         in_->column_name(i) + ": " + v->message});
    }
  }

  // The row's action: n, u, d, or 0 (an export's row, or a bad control value).
  char read_control() {
    if (!has(field::control)) return 0;
    std::string_view control = get(field::control);
    if (control.empty() && !control_seen_) {
      // Empty on every row so far: an export given as an upload, perhaps, which is
      // one finding at the end rather than one a row. Said row by row once a row
      // has a value after all.
      empty_controls_.emplace_back(row_.number, row_.line);
      return 0;
    }
    if (!control.empty() && !control_seen_) {
      control_seen_ = true;
      for (auto [number, line] : empty_controls_)
        batch_->rule_findings.push_back(control_finding(number, line, *check_control("")));
      empty_controls_ = {};
    }
    if (auto v = check_control(control)) {
      report(field::control, v);
      return 0;
    }
    char action = control[0];
    ++actions_[action == 'n' ? 0 : action == 'u' ? 1 : 2];
    if (action == 'd' && !first_delete_) first_delete_ = row_.line;
    if (action != 'd' && !first_other_) first_other_ = row_.line;
    return action;
  }

  finding control_finding(std::uint64_t number, std::uint64_t line, const verdict& v) const {
    return {
        in_->name(), number, line, column_of(field::control), v.severity, v.rule, prefix(field::control) + v.message};
  }

  // The password rules (spec §4.2). An export's rows are existing members, as u rows
  // are, and so is a row whose control value is bad (that is its finding). Without
  // the flag's column the rows that need it are counted, and said once.
  void check_password_of(char action) {
    if (!has(field::password)) return;  // a new member's missing password is check_required's
    if (!action) action = 'u';
    std::string_view password = get(field::password);
    if (!has(field::crypted_pass)) {
      // A platform without the column (ebisumart sets encryption on its upload
      // screen) has nothing to say it with: no flag rules then.
      if (flag_column_known_ && (action == 'n' || !password.empty())) missing(field::crypted_pass);
      return;
    }
    report(field::password,
           check_password(password, get(field::crypted_pass), action, header_name(field::crypted_pass)));
  }

  // A row needs field \p f, whose column the header lacks: counted for one finding.
  void missing(field f) {
    auto& [rows, first_line] = missing_[static_cast<std::size_t>(f)];
    if (!rows++) first_line = row_.line;
  }

  void add_job(field f, char action, std::string_view value, std::string_view key) {
    std::string& text = batch_->job_text;
    job& j = batch_->jobs.emplace_back();
    j.record = row_.number;
    j.line = row_.line;
    j.f = f;
    j.action = action;
    j.value_at = static_cast<std::uint32_t>(text.size());
    j.value_size = static_cast<std::uint32_t>(value.size());
    text.append(value);
    j.key_at = static_cast<std::uint32_t>(text.size());
    j.key_size = static_cast<std::uint32_t>(key.size());
    text.append(key);
    j.hash = string_table::hash(key);
  }

  void check_required(char action) {
    if (action != 'n') return;
    for (field f : {field::email, field::password, field::mailmag}) {
      if (!has(f))
        missing(f);
      else if (get(f).empty())
        report(f, severity::error, "required-field", _("a value is required for a new member (n)"));
    }
  }

  void check_rank() {
    std::string_view rank = get(field::rank);
    if (!ranks_ || rank.empty()) return;
    if (std::find(ranks_->begin(), ranks_->end(), rank) != ranks_->end()) return;
    std::string hint = did_you_mean(rank, *ranks_);
    report(field::rank, severity::warning, "rank-unknown",
           format_tr("rank '{}' is not in the rank list{}", rank,
                     hint.empty() ? "" : format_tr(" (did you mean '{}'?)", hint)));
  }

  // The table work of the batch, in record order, then its findings in record order:
  // what reading found first, then the row rules, then the tables.
  void flush_batch(batch& b) {
    const std::vector<job>& jobs = b.jobs;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (i + prefetch_distance < jobs.size()) {
        const job& ahead = jobs[i + prefetch_distance];
        (ahead.f == field::member_id ? ids_ : emails_).prefetch(ahead.hash);
        if (current_) (ahead.f == field::member_id ? current_->ids : current_->emails).prefetch(ahead.hash);
      }
      const job& j = jobs[i];
      j.f == field::member_id ? look_up_id(b, j) : look_up_email(b, j);
    }
    // A stable sort by record keeps each record's findings together and in the order
    // they were found.
    std::vector<finding>& all = b.findings;
    for (auto* more : {&b.rule_findings, &table_findings_})
      all.insert(all.end(), std::make_move_iterator(more->begin()), std::make_move_iterator(more->end()));
    std::stable_sort(all.begin(), all.end(), [](const finding& a, const finding& c) { return a.record < c.record; });
    for (const finding& f : all) diag_.report(f);
    table_findings_.clear();
  }

  void look_up_id(const batch& b, const job& j) {
    auto line = static_cast<std::uint32_t>(j.line);
    std::string_view key = b.key_of(j), value = b.value_of(j);
    std::uint32_t first = ids_.insert(key, j.hash, line);
    if (first != line)
      report_at(j.record, j.line, field::member_id, severity::error, "member-id-duplicate",
                format_tr("member ID '{}' is also on line {}: each member once per file", value, first));
    if (!current_ || !j.action) return;
    const std::uint32_t* known = current_->ids.find(key, j.hash);
    if (j.action == 'n' && known)
      report_at(j.record, j.line, field::member_id, severity::error, "member-id-exists",
                format_tr("member ID '{}' already exists in the current export: a new member (n) needs an "
                          "unused ID, or use u to update",
                          value));
    if (j.action != 'n' && !known)
      report_at(
          j.record, j.line, field::member_id, severity::error, "member-unknown",
          j.action == 'u'
              ? format_tr("member ID '{}' is not in the current export: there is no such member to update", value)
              : format_tr("member ID '{}' is not in the current export: there is no such member to delete", value));
    if (known && j.action == 'u') member_of_line_[j.line] = *known;
  }

  void look_up_email(const batch& b, const job& j) {
    std::string_view key = b.key_of(j), value = b.value_of(j);
    std::uint32_t member = UINT32_MAX;
    if (current_ && j.action == 'u') {  // addresses change on the admin screen, not by upload
      auto it = member_of_line_.find(j.line);
      if (it != member_of_line_.end()) {
        member = it->second;
        const std::string& now = j.f == field::email ? current_->pc[member] : current_->mobile[member];
        if (key != now)
          report_at(j.record, j.line, j.f, severity::error, "email-changed",
                    now.empty() ? std::string(_("this update changes the member's address (now empty): addresses are "
                                                "changed on the admin screen, not by bulk upload"))
                                : format_tr("this update changes the member's address from '{}': addresses are "
                                            "changed on the admin screen, not by bulk upload",
                                            now));
      }
    }
    if (key.empty()) return;
    auto line = static_cast<std::uint32_t>(j.line);
    std::uint32_t first = emails_.insert(key, j.hash, line);
    if (first != line) {
      report_at(
          j.record, j.line, j.f, severity::error, "email-duplicate",
          format_tr("address '{}' is also on line {}: CROSS POINT and Re:lation need each address once", value, first));
    } else if (current_ && j.action) {
      const std::uint32_t* owner = current_->emails.find(key, j.hash);
      if (owner && *owner != member)
        report_at(j.record, j.line, j.f, severity::error, "email-duplicate",
                  format_tr("address '{}' already belongs to member '{}' in the current export", value,
                            current_->id_of[*owner]));
    }
  }

  void finish() {
    report_missing_columns();
    report_empty_controls();
    std::uint64_t others = actions_[0] + actions_[1];
    if (actions_[2] && others) {
      report_file(
          severity::error, "control-mixed-delete",
          format_tr("the file mixes {} (first on line {}) with {} (first on line {}): upload delete rows in "
                    "a file of their own (kaiin-split --by action)",
                    format_plural("{} delete row", "{} delete rows", actions_[2], actions_[2]), first_delete_,
                    format_plural("{} new or update row", "{} new or update rows", others, others), first_other_),
          first_delete_);
    }
    if (export_) sum_.existing += in_->records();
    sum_.files.push_back(in_->name());
    sum_.encodings.emplace_back(encoding_name(in_->source_encoding()));
    sum_.profiles.push_back(profile_ ? profile_->name() : "none");
    sum_.records += in_->records();
    for (int i = 0; i < 3; ++i) sum_.actions[i] += actions_[i];
  }

  // One finding on line 1 for each column a rule needed and the header lacks.
  void report_missing_columns() {
    for (std::size_t i = 0; i < field_count; ++i) {
      auto [rows, first_line] = missing_[i];
      if (!rows) continue;
      auto f = static_cast<field>(i);
      std::string column = profile_->header_of(f), why;
      if (f == field::crypted_pass)
        why = format_plural(
            "{} row has a password (first on line {}), and the column says whether it is "
            "encrypted (1) or plaintext (0)",
            "{} rows have a password (first on line {}), and the column says whether each is "
            "encrypted (1) or plaintext (0)",
            rows, rows, first_line);
      else if (f == field::member_id)
        why = format_plural("{} update (u) or delete (d) row needs the member ID (first on line {})",
                            "{} update (u) or delete (d) rows need the member ID (first on line {})", rows, rows,
                            first_line);
      else
        why = format_plural("{} new member (n) needs it (first on line {})",
                            "{} new members (n) need it (first on line {})", rows, rows, first_line);
      report_file(severity::error, "header-missing", format_tr("there is no column '{}': {}", column, why), 1);
    }
  }

  // A control column empty on every row: an export where an upload was expected,
  // said once (a single row's empty value is that row's finding).
  void report_empty_controls() {
    if (control_seen_ || empty_controls_.empty()) return;
    // One row, or a run cut short by --max-errors (the rows after it are unread):
    // each is its row's finding.
    if (empty_controls_.size() == 1 || diag_.limit_reached()) {
      for (auto [number, line] : empty_controls_) diag_.report(control_finding(number, line, *check_control("")));
      return;
    }
    diag_.report({in_->name(), 0, 1, column_of(field::control), severity::error, "control-all-empty",
                  format_tr("the control column '{}' is empty on all {} rows: this looks like an export, not an "
                            "upload; write n, u or d on each row to upload it, or remove the column to check the "
                            "file as an export (existing members)",
                            header_name(field::control), empty_controls_.size())});
  }

  const check_options& o_;
  diagnostics& diag_;
  const std::vector<profile>& profiles_;
  const current_members* current_;
  const std::vector<std::string>* ranks_;
  date today_;
  totals& sum_;
  csv_input* in_ = nullptr;
  row_view row_;
  profile chosen_;
  const profile* profile_ = nullptr;
  column_map cols_{};
  std::vector<std::size_t> unknown_text_;
  std::string key_;                                                  // the e-mail key of the address being checked
  batch* batch_ = nullptr;                                           // the rules thread's batch
  std::vector<finding> table_findings_;                              // this thread's findings for the batch
  std::unordered_map<std::uint64_t, std::uint32_t> member_of_line_;  // u rows of the batch in --current
  string_table ids_, emails_;
  std::uint64_t actions_[3] = {0, 0, 0};
  std::uint64_t first_delete_ = 0, first_other_ = 0;
  bool export_ = false;             // no control column: existing members, no n/u/d rules
  bool flag_column_known_ = false;  // the profile has a crypted_pass header
  // The rules thread's (read by finish() once it is done):
  std::array<std::pair<std::uint64_t, std::uint64_t>, field_count> missing_{};  // rows needing it, first line
  bool control_seen_ = false;                                                   // a row with a control value
  std::vector<std::pair<std::uint64_t, std::uint64_t>> empty_controls_;         // record, line, until then
};

}  // namespace

int check_members(const check_options& o, diagnostics& diag) {
  std::vector<profile> profiles = builtin_profiles();
  if (!o.profile.empty()) find_profile(o.profile);  // a bad --profile fails before any reading
  std::unique_ptr<current_members> current;
  if (!o.current.empty()) {
    current = std::make_unique<current_members>();
    current->load(o.current, o.from, diag);
  }
  std::vector<std::string> ranks;
  if (!o.ranks.empty()) ranks = read_ranks(o.ranks);
  date now = o.today ? *o.today : today();
  totals sum;
  for (const std::string& file : o.files) {
    checker c(o, diag, profiles, current.get(), o.ranks.empty() ? nullptr : &ranks, now, sum);
    c.run(file);
  }
  // What the upload would do, when the admin screen takes the files as they are.
  diag.summary("files", fmt::format("{}", fmt::join(sum.files, " ")));
  diag.summary("encoding", fmt::format("{}", fmt::join(sum.encodings, " ")));
  diag.summary("profile", fmt::format("{}", fmt::join(sum.profiles, " ")));
  diag.summary("records", sum.records);
  diag.summary("create", sum.actions[0]);
  diag.summary("update", sum.actions[1]);
  diag.summary("delete", sum.actions[2]);
  if (sum.existing) diag.summary("existing_members", sum.existing);
  if (!sum.not_checked.empty()) diag.summary("not_checked", fmt::format("{}", fmt::join(sum.not_checked, " ")));
  return diag.exit_status();
}

}  // namespace kaiin
