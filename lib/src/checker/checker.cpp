#include "checker/checker.h"

#include <fmt/format.h>

#include "core/encoding_names.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

checker_setup checker_setup::load(const std::string& profile, const std::string& current, const std::string& ranks,
                                  std::optional<date> today, source_encoding from, diagnostics& diag) {
  checker_setup s;
  s.profile = profile;
  s.from = from;
  s.profiles = &builtin_profiles();
  if (!profile.empty()) find_profile(profile);  // a bad --profile fails before any reading
  if (!current.empty()) {
    s.current = std::make_unique<current_members>();
    s.current->load(current, from, diag);
  }
  if (!ranks.empty()) s.ranks = read_ranks(ranks);
  s.today = today ? *today : kaiin::today();
  return s;
}

void check_totals::write_summary(diagnostics& diag) const {
  diag.summary("files", fmt::format("{}", fmt::join(files, " ")));
  diag.summary("encoding", fmt::format("{}", fmt::join(encodings, " ")));
  diag.summary("profile", fmt::format("{}", fmt::join(profiles, " ")));
  diag.summary("records", records);
  diag.summary("create", actions[0]);
  diag.summary("update", actions[1]);
  diag.summary("delete", actions[2]);
  if (existing) diag.summary("existing_members", existing);
  if (!not_checked.empty()) diag.summary("not_checked", fmt::format("{}", fmt::join(not_checked, " ")));
}

bool file_check::open(raw_record& header_record) {
  if (!in_.next(header_record)) {
    diag_.report({in_.name(), 0, 1, std::nullopt, severity::error, "file-empty",
                  _("the file is empty: an upload needs a header and records")});
    return false;
  }
  header_ = std::make_unique<upload_header>(in_, setup_.profile, *setup_.profiles, diag_);
  return header_->usable();
}

void file_check::check_records(batch_source& source, batch_stage* before_rules, batch_sink* sink, value_fixer* fixer) {
  const bool keep_values = diag_.wants_values();
  rules_ = std::make_unique<rule_stage>(*header_, setup_.today, setup_.ranks ? &*setup_.ranks : nullptr,
                                        setup_.current != nullptr, fixer, keep_values);
  stop_at_limit_ = sink == nullptr;
  table_stage tables(*header_, setup_.current.get(), path_, keep_values);
  run_pipeline(source, *rules_, tables, diag_, before_rules, sink);
  if (in_.records() == 0)
    diag_.report(
        header_->file_finding(severity::warning, "file-no-records", _("the file has a header but no records")));
}

void file_check::finish(check_totals& totals) {
  if (header_ && !header_->usable()) {
    // The records are counted (the summary says how many were not checked), not
    // reported: without columns nothing can be said of them.
    in_.skip_to_end();
    totals.not_checked.push_back(in_.name());
  }
  if (rules_) {
    rules_->report_file_findings(diag_, stop_at_limit_);
    for (int i = 0; i < 3; ++i) totals.actions[i] += rules_->actions()[i];
    if (header_->is_export()) totals.existing += in_.records();
  }
  totals.files.push_back(in_.name());
  totals.encodings.emplace_back(encoding_name(in_.source_encoding()));
  totals.profiles.push_back(header_ ? header_->profile().name() : "none");
  totals.records += in_.records();
}

}  // namespace kaiin::detail
