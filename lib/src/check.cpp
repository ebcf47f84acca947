#include "kaiin/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "kaiin/csv_input.h"
#include "kaiin/fixed_csv.h"
#include "kaiin/profile.h"
#include "kaiin/text.h"

namespace kaiin {

namespace {

// The shop's current members (--current): IDs and e-mail keys.
struct current_members {
  string_table ids;        // member ID -> index
  string_table emails;     // e-mail key -> index
  std::vector<std::string> pc, mobile;  // e-mail keys by index
  std::vector<std::string> id_of;       // member ID by index

  void load(const std::string& path, source_encoding from, diagnostics& diag,
            const std::vector<profile>& profiles) {
    csv_input in(path, from, diag);
    raw_record r;
    std::vector<std::string> values;
    if (!in.next(r)) return;
    const profile& p = best_profile(profiles, in.header());
    column_map cols = map_columns(p, in.header());
    if (cols[field::member_id] < 0)
      throw error(fmt::format("'{}': the export has no member ID column ('{}')", in.name(),
                              p.header_of(field::member_id)),
                  in.name());
    auto get = [&](field f) -> std::string_view {
      int i = cols[f];
      return i >= 0 && static_cast<std::size_t>(i) < values.size() ? std::string_view(values[static_cast<std::size_t>(i)])
                                                                    : std::string_view();
    };
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
  std::vector<std::string> files, encodings, profiles;
  std::uint64_t records = 0, actions[3] = {0, 0, 0};
};

// Checks one file.
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
      report_file(severity::error, "file-empty", "the file is empty: an upload needs a header and records");
      return;
    }
    if (!read_header()) return;
    while (in.next(r)) {
      in.decode_fields(r, values_);
      check_record(r);
      if (diag_.limit_reached()) break;
    }
    if (in.records() == 0) report_file(severity::warning, "file-no-records", "the file has a header but no records");
    finish();
  }

 private:
  std::string_view get(field f) const {
    int i = cols_[f];
    return i >= 0 && static_cast<std::size_t>(i) < values_.size() ? std::string_view(values_[static_cast<std::size_t>(i)])
                                                                  : std::string_view();
  }
  bool has(field f) const { return cols_[f] >= 0; }

  void report_file(severity s, std::string rule, std::string message, std::uint64_t line = 0) {
    diag_.report({in_->name(), 0, line, std::nullopt, s, std::move(rule), std::move(message)});
  }
  void report(field f, severity s, std::string rule, std::string message) {
    std::optional<std::string> column;
    if (has(f)) column = in_->column_name(static_cast<std::size_t>(cols_[f]));
    diag_.report({in_->name(), record_->number, record_->line, column, s, std::move(rule), std::move(message)});
  }
  void report(field f, const rule_result& v) {
    if (v) report(f, v->severity, v->rule, prefix(f) + v->message);
  }
  // "cus_zip: " before a message, so the text form names the column.
  std::string prefix(field f) const {
    return has(f) ? in_->column_name(static_cast<std::size_t>(cols_[f])) + ": " : std::string(field_name(f)) + ": ";
  }

  bool read_header() {
    const std::vector<std::string>& header = in_->header();
    profile_ = o_.profile.empty() ? &best_profile(profiles_, header) : &chosen_;
    if (!o_.profile.empty()) chosen_ = find_profile(o_.profile);
    cols_ = map_columns(*profile_, header);
    if (cols_.matched == 0) {
      std::vector<std::string> names;
      for (const profile& p : profiles_) names.push_back(p.name());
      report_file(severity::error, "header-unknown-profile",
                  fmt::format("no header of this file is known to profile '{}' (profiles: {}); is the first line "
                              "the header? --profile FILE names your own",
                              profile_->name(), fmt::join(names, ", ")),
                  1);
      return false;
    }
    std::vector<std::string> known = profile_->headers();
    for (std::size_t i : cols_.unknown) {
      const std::string& h = header[i];
      auto f = profile_->match(h);
      if (f) {
        report_file(severity::error, "header-duplicate",
                    fmt::format("column '{}' is a second '{}' column; the first one is read", h, field_name(*f)), 1);
        continue;
      }
      std::string hint = did_you_mean(h, known);
      if (!hint.empty())
        report_file(severity::warning, "header-unknown",
                    fmt::format("unknown column '{}' is passed through unchecked (did you mean '{}'?)", h, hint), 1);
      else
        unknown_text_.push_back(i);
    }
    if (!has(field::control))
      report_file(severity::error, "header-missing",
                  fmt::format("there is no control column ('{}'): an upload file says n, u or d for each row",
                              profile_->header_of(field::control)),
                  1);
    return true;
  }

  void check_record(const raw_record& r) {
    record_ = &r;
    std::string_view control = get(field::control);
    char action = 0;
    if (has(field::control)) {
      if (auto v = check_control(control)) {
        report(field::control, v);
      } else {
        action = control[0];
        ++actions_[action == 'n' ? 0 : action == 'u' ? 1 : 2];
        if (action == 'd' && !first_delete_) first_delete_ = r.line;
        if (action != 'd' && !first_other_) first_other_ = r.line;
      }
    }
    check_member_id(action);
    if (action == 'd') return;  // other fields of a delete row are ignored
    check_required(action);
    report(field::password, check_password(get(field::password), get(field::crypted_pass), action));
    check_emails(action);
    report(field::zip, check_zip(get(field::zip)));
    report(field::pref, check_pref(get(field::pref)));
    report(field::birthday, check_birthday(get(field::birthday), today_));
    report(field::registered, check_registered(get(field::registered)));
    report(field::last_kana, check_kana(get(field::last_kana)));
    report(field::first_kana, check_kana(get(field::first_kana)));
    report(field::tel, check_tel(get(field::tel)));
    report(field::sex, check_sex(get(field::sex)));
    if (!get(field::mailmag).empty()) report(field::mailmag, check_mailmag(get(field::mailmag)));
    report(field::point, check_point(get(field::point)));
    check_rank();
    for (field f : {field::last_name, field::first_name, field::address1, field::address2, field::rank, field::memo})
      report(f, check_formula(get(f)));
    for (std::size_t i : unknown_text_) {
      if (i >= values_.size()) continue;
      if (auto v = check_formula(values_[i]))
        diag_.report({in_->name(), r.number, r.line, in_->column_name(i), v->severity, v->rule,
                      in_->column_name(i) + ": " + v->message});
    }
  }

  void check_required(char action) {
    if (action != 'n') return;
    for (field f : {field::email, field::password, field::mailmag}) {
      if (get(f).empty())
        report(f, severity::error, "required-field",
               fmt::format("{}{} is required for a new member (n)", prefix(f),
                           has(f) ? "a value" : fmt::format("the column '{}'", profile_->header_of(f))));
    }
  }

  void check_member_id(char action) {
    std::string_view id = get(field::member_id);
    if (id.empty()) {
      if (action == 'u' || action == 'd')
        report(field::member_id, severity::error, "required-field",
               fmt::format("{}the member ID is required to {} a member", prefix(field::member_id),
                           action == 'u' ? "update (u)" : "delete (d)"));
      return;
    }
    auto line = static_cast<std::uint32_t>(record_->line);
    std::uint32_t first = ids_.insert(id, line);
    if (first != line)
      report(field::member_id, severity::error, "member-id-duplicate",
             fmt::format("{}member ID '{}' is also on line {}: each member once per file",
                         prefix(field::member_id), id, first));
    if (!current_ || !action) return;
    const std::uint32_t* known = current_->ids.find(id);
    if (action == 'n' && known)
      report(field::member_id, severity::error, "member-id-exists",
             fmt::format("{}member ID '{}' already exists in the current export: a new member (n) needs an "
                         "unused ID, or use u to update",
                         prefix(field::member_id), id));
    if (action != 'n' && !known)
      report(field::member_id, severity::error, "member-unknown",
             fmt::format("{}member ID '{}' is not in the current export: there is no such member to {}",
                         prefix(field::member_id), id, action == 'u' ? "update" : "delete"));
  }

  void check_emails(char action) {
    const std::uint32_t* member = nullptr;
    if (current_ && action == 'u') member = current_->ids.find(get(field::member_id));
    for (field f : {field::email, field::mobile_email}) {
      std::string_view v = get(f);
      report(f, check_email(v));
      std::string key = email_key(v);
      if (member) {  // addresses change on the admin screen, not by upload
        const std::string& now = f == field::email ? current_->pc[*member] : current_->mobile[*member];
        if (has(f) && key != now)
          report(f, severity::error, "email-changed",
                 fmt::format("{}this update changes the member's address{}: addresses are changed on the admin "
                             "screen, not by bulk upload",
                             prefix(f), now.empty() ? " (now empty)" : fmt::format(" from '{}'", now)));
      }
      if (key.empty()) continue;
      auto line = static_cast<std::uint32_t>(record_->line);
      std::uint32_t first = emails_.insert(key, line);
      if (first != line) {
        report(f, severity::error, "email-duplicate",
               fmt::format("{}address '{}' is also on line {}: CROSS POINT and Re:lation need each address once",
                           prefix(f), v, first));
      } else if (current_ && action) {
        const std::uint32_t* owner = current_->emails.find(key);
        if (owner && (!member || *owner != *member))
          report(f, severity::error, "email-duplicate",
                 fmt::format("{}address '{}' already belongs to member '{}' in the current export", prefix(f), v,
                             current_->id_of[*owner]));
      }
    }
  }

  void check_rank() {
    std::string_view rank = get(field::rank);
    if (!ranks_ || rank.empty()) return;
    if (std::find(ranks_->begin(), ranks_->end(), rank) != ranks_->end()) return;
    std::string hint = did_you_mean(rank, *ranks_);
    report(field::rank, severity::warning, "rank-unknown",
           fmt::format("{}rank '{}' is not in the rank list{}", prefix(field::rank), rank,
                       hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }

  void finish() {
    std::uint64_t others = actions_[0] + actions_[1];
    if (actions_[2] && others) {
      report_file(severity::error, "control-mixed-delete",
                  fmt::format("the file mixes {} delete row(s) (first on line {}) with {} new or update row(s) "
                              "(first on line {}): upload delete rows in a file of their own (kaiin-split --by "
                              "action)",
                              actions_[2], first_delete_, others, first_other_),
                  first_delete_);
    }
    sum_.files.push_back(in_->name());
    sum_.encodings.emplace_back(encoding_name(in_->source_encoding()));
    sum_.profiles.push_back(profile_->name());
    sum_.records += in_->records();
    for (int i = 0; i < 3; ++i) sum_.actions[i] += actions_[i];
  }

  const check_options& o_;
  diagnostics& diag_;
  const std::vector<profile>& profiles_;
  const current_members* current_;
  const std::vector<std::string>* ranks_;
  date today_;
  totals& sum_;
  csv_input* in_ = nullptr;
  const raw_record* record_ = nullptr;
  profile chosen_;
  const profile* profile_ = nullptr;
  column_map cols_{};
  std::vector<std::size_t> unknown_text_;
  std::vector<std::string> values_;
  string_table ids_, emails_;
  std::uint64_t actions_[3] = {0, 0, 0};
  std::uint64_t first_delete_ = 0, first_other_ = 0;
};

}  // namespace

std::vector<std::string> read_ranks(const std::string& path) {
  std::vector<std::string> ranks;
  try {
    auto in = open_fixed_csv<1>(path);
    in->set_header("rank");
    std::string rank;
    bool first = true;
    while (in->read_row(rank)) {
      if (!(first && rank == "rank") && !rank.empty()) ranks.push_back(rank);
      first = false;
    }
  } catch (...) {
    rethrow_as_kaiin_error(path);
  }
  return ranks;
}

int check_members(const check_options& o, diagnostics& diag) {
  std::vector<profile> profiles = builtin_profiles();
  if (!o.profile.empty()) find_profile(o.profile);  // a bad --profile fails before any reading
  std::unique_ptr<current_members> current;
  if (!o.current.empty()) {
    current = std::make_unique<current_members>();
    current->load(o.current, o.from, diag, profiles);
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
  return diag.exit_status();
}

}  // namespace kaiin
