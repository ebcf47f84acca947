#include "checker/checker.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/byte_scan.h"
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
  newline_ = header_record.newline;
  header_ascii_ = detail::is_ascii(header_record.text);
  return header_->usable();
}

void file_check::check_records(batch_source& source, batch_stage* before_rules, batch_sink* sink, value_fixer* fixer) {
  const bool keep_values = diag_.wants_values();
  // Japan Post's codes, loaded once a process for the first file with zip codes.
  const postal_table* postal = header_->has(field::zip) ? &postal_data() : nullptr;
  rules_ = std::make_unique<rule_stage>(*header_, setup_.today, setup_.ranks ? &*setup_.ranks : nullptr,
                                        setup_.current.get(), postal, fixer, keep_values);
  stop_at_limit_ = sink == nullptr;
  // An ASCII file is UTF-8 and CP932 alike: whether the encoding matters shows only
  // once a value outside ASCII does.
  if (header_->profile().upload() && header_ascii_) rules_->watch_non_ascii();
  table_stage tables(*header_, setup_.current.get(), path_, keep_values);
  run_pipeline(source, *rules_, tables, diag_, before_rules, sink);
  actions_ = tables.actions();
  if (in_.records() == 0)
    diag_.report(
        header_->file_finding(severity::warning, "file-no-records", _("the file has a header but no records")));
}

namespace {

// \p path quoted for a shell where it must be.
std::string shell_word(std::string_view path) {
  if (!path.empty() && path.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/-+") ==
                           std::string_view::npos)
    return std::string(path);
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string_view newline_name(std::string_view newline) { return newline == "\r\n" ? "CRLF" : "LF"; }

// An encoding as shop staff know it.
std::string encoding_words(encoding e) {
  switch (e) {
    case encoding::cp932: return _("Shift_JIS (cp932)");
    case encoding::utf8_bom: return _("UTF-8 with a BOM, as Excel's \"CSV UTF-8\" saves it");
    default: return "UTF-8";
  }
}

}  // namespace

void file_check::report_upload_form() {
  const std::optional<upload_form>& form = header_->profile().upload();
  if (!form || header_->is_export()) return;  // an export is not uploaded
  const encoding file = in_.source_encoding();
  const bool non_ascii = !header_ascii_ || rules_->non_ascii_seen();
  const bool encoding_ok = form->file_encoding == encoding::cp932  ? file == encoding::cp932 || !non_ascii
                           : form->file_encoding == encoding::utf8 ? file != encoding::cp932 || !non_ascii
                                                                   : file == encoding::utf8_bom;
  const bool newline_ok = form->newline.empty() || newline_.empty() || newline_ == form->newline;
  if (encoding_ok && newline_ok) return;
  const std::string name = in_.name() == "<stdin>" ? "-" : in_.name();
  const std::string output =
      name == "-" ? "upload.csv" : name.substr(0, name.size() - (name.ends_with(".csv") ? 4 : 0)) + "_upload.csv";
  // In quotes of its own, not the message's: a quoted value is cut after 80 characters,
  // and the command is to be copied whole.
  const std::string command = fmt::format("'kaiin-conv -t {}{} -o {} {}'", encoding_name(form->file_encoding),
                                          form->newline.empty()     ? ""
                                          : form->newline == "\r\n" ? " --newline crlf"
                                                                    : " --newline lf",
                                          shell_word(output), shell_word(name));
  diag_.report(header_->file_finding(
      severity::warning, "upload-encoding",
      // TRANSLATORS: the last {} is a command in quotes: 'kaiin-conv -t cp932 -o a_upload.csv a.csv'.
      format_tr("the file is {} with {} line ends, but {}'s upload screen reads {}{} ({}): convert a copy with {}",
                encoding_words(file), newline_name(newline_), header_->profile().name(),
                encoding_words(form->file_encoding),
                form->newline.empty() ? std::string() : format_tr(" with {} line ends", newline_name(form->newline)),
                form->confirmed ? _("as its documentation says") : _("a best reading of its documentation"), command)));
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
    report_upload_form();
    for (int i = 0; i < 3; ++i) totals.actions[i] += actions_[i];
    if (header_->is_export()) totals.existing += in_.records();
  }
  totals.files.push_back(in_.name());
  totals.encodings.emplace_back(encoding_name(in_.source_encoding()));
  totals.profiles.push_back(header_ ? header_->profile().name() : _("none"));
  // A run stopped at --max-errors checked the records up to the error it stopped at
  // (a reading thread may have read on ahead of it).
  const std::optional<diagnostics::stop_place>& stop = diag_.stopped_at();
  totals.records += stop && stop->file == in_.name() ? std::min(in_.records(), stop->record) : in_.records();
}

}  // namespace kaiin::detail
