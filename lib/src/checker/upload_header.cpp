#include "checker/upload_header.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/code_points.h"
#include "core/text.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

upload_header::upload_header(const csv_input& in, const std::string& name, const std::vector<kaiin::profile>& profiles,
                             diagnostics& diag)
    : file_(in.name()), cp932_(in.detected().data_encoding() == encoding::cp932) {
  const std::vector<std::string>& header = in.header();
  for (std::size_t i = 0; i < header.size(); ++i) names_.push_back(in.column_name(i));
  if (!name.empty()) named_ = find_profile(name);
  profile_ = named_ ? &*named_ : &best_profile(profiles, header);
  cols_ = map_columns(*profile_, header);
  if (in.header_empty()) return;  // csv_input said so
  if (cols_.matched == 0) {
    std::vector<std::string> known;
    for (const kaiin::profile& p : profiles) known.push_back(p.name());
    diag.report(file_finding(severity::error, "header-unknown-profile",
                             format_tr("no header of this file is known to profile '{}' (profiles: {}); is the first "
                                       "line the header? --profile FILE names your own",
                                       profile_->name(), fmt::join(known, ", ")),
                             1));
    return;
  }
  report_columns(header, diag);
  for (const std::string& h : profile_->headers())
    if (profile_->match(h) == field::crypted_pass) flag_column_known_ = true;
  usable_ = true;
}

// The columns no field maps to: a second column for a field, a likely typo of a
// header the profile knows, or a column of the shop's own (checked for formulas).
void upload_header::report_columns(const std::vector<std::string>& header, diagnostics& diag) {
  // Hints name only headers the file lacks, for fields it lacks: a column the file
  // has already is never what an unknown one was meant to be.
  std::vector<std::string> known;
  for (const std::string& k : profile_->headers()) {
    auto f = profile_->match(k);
    if (std::find(header.begin(), header.end(), k) == header.end() && !(f && has(*f))) known.push_back(k);
  }
  const hint_finder hint_for(std::move(known));
  for (std::size_t i : cols_.unknown) {
    const std::string& h = header[i];
    if (auto f = profile_->match(h)) {
      diag.report(
          file_finding(severity::error, "header-duplicate",
                       format_tr("column '{}' is a second '{}' column; the first one is read", h, header_name(*f)), 1));
      continue;
    }
    std::string hint = hint_for(h);
    if (!hint.empty())
      diag.report(
          file_finding(severity::warning, "header-unknown",
                       format_tr("unknown column '{}' is passed through unchecked (did you mean '{}'?)", h, hint), 1));
    else
      unknown_text_.push_back(i);
  }
}

std::string upload_header::column_name(std::size_t i) const {
  return i < names_.size() ? names_[i] : format_tr("field {}", i + 1);
}

std::optional<std::string> upload_header::column_of(field f) const {
  if (!has(f)) return std::nullopt;
  return column_name(static_cast<std::size_t>(cols_[f]));
}

std::string upload_header::header_name(field f) const {
  return has(f) ? column_name(static_cast<std::size_t>(cols_[f])) : profile_->header_of(f);
}

finding upload_header::file_finding(severity s, std::string rule, std::string message, std::uint64_t line) const {
  return {file_, 0, line, std::nullopt, s, std::move(rule), std::move(message)};
}

}  // namespace kaiin::detail
