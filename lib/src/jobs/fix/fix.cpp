#include "kaiin/fix.h"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "checker/checker.h"
#include "core/csv_input.h"
#include "core/output_set.h"
#include "jobs/fix/fix_stages.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/profile.h"

namespace kaiin {

namespace {

// No output may be written over an input, and standard output takes one file.
void refuse_outputs(const fix_options& o) {
  std::vector<std::string> inputs = {o.input, o.current, o.ranks, o.profile};
  if (!o.dry_run) atomic_output::refuse_inputs(o.output, inputs);
  if (!o.changes.empty()) {
    atomic_output::refuse_inputs(o.changes, inputs);
    if (!o.dry_run && o.changes == o.output)
      throw error(format_tr("the change list and the fixed copy cannot both be written to '{}'", o.output));
  }
}

// The copy (owner-only when the file holds passwords; with the input's BOM) and the
// change list, which appear together or not at all.
struct fix_files {
  output_set set;
  output_stream* copy = nullptr;
  output_stream* list = nullptr;
  fix_files(const fix_options& o, const csv_input& in) {
    if (!o.dry_run) {
      copy = &set.add(o.output, holds_passwords(in.header(), o.profile));
      if (in.source_encoding() == encoding::utf8_bom) copy->write("\xEF\xBB\xBF");
    }
    std::string changes = o.changes.empty() && o.dry_run ? "-" : o.changes;
    if (!changes.empty()) list = &set.add(changes);
  }
};

// The records of \p in that no profile lets kaiin check: copied as read, with nothing
// reported of them (kaiin-check reports nothing of them either).
void copy_records(csv_input& in, detail::fix_output& out) {
  std::vector<finding> unreported;
  in.collect_into(&unreported);
  for (raw_record r; in.next(r); unreported.clear()) out.copy(r);
  in.collect_into(nullptr);
}

// The summary; \p files null: nothing was written (an empty input).
void write_summary(const detail::check_totals& totals, const detail::fix_counts& counts, const fix_options& o,
                   const fix_files* files, diagnostics& diag) {
  diag.summary("file", fmt::format("{}", fmt::join(totals.files, " ")));
  diag.summary("encoding", fmt::format("{}", fmt::join(totals.encodings, " ")));
  diag.summary("profile", fmt::format("{}", fmt::join(totals.profiles, " ")));
  diag.summary("records", totals.records);
  if (!totals.not_checked.empty()) diag.summary("not_checked", fmt::format("{}", fmt::join(totals.not_checked, " ")));
  diag.summary("records_changed", counts.records);
  for (const auto& [rule, n] : counts.by_rule) diag.summary(fmt::format("fixed {}", rule), n);
  for (const auto& [c, n] : counts.folded)
    diag.summary(fmt::format("folded U+{:04X}", static_cast<std::uint32_t>(c)), n);
  diag.summary("output", !files      ? std::string(_("none (errors found)"))
                         : o.dry_run ? std::string(_("none (--dry-run)"))
                                     : files->copy->name());
  if (files && files->list) diag.summary("changes", files->list->name());
  diag.add_escaped(counts.escaped);
}

}  // namespace

int run_fix(const fix_options& o, diagnostics& diag) {
  refuse_outputs(o);
  auto setup = detail::checker_setup::load(o.profile, o.current, o.ranks, o.today, o.from, diag);
  csv_input in(o.input, o.from, diag, is_password_header);
  detail::file_check file(setup, in, diag, o.input);
  raw_record header;
  const bool checkable = file.open(header);
  detail::check_totals totals;
  if (in.header().empty()) {  // an empty file, said by file-empty: not even an empty copy is written
    file.finish(totals);
    write_summary(totals, {}, o, nullptr, diag);
    return diag.exit_status();
  }
  fix_files files(o, in);
  if (!o.current.empty()) diag.set_compared_with(o.current);
  detail::fix_output out(files.copy, files.list, checkable ? &file.header() : nullptr, o.escape_formulas,
                         diag.wants_values() ? &diag : nullptr);
  out.copy(header);
  if (checkable) {
    const encoding file_encoding = in.detected().data_encoding();
    detail::fix_reader reader(in);
    detail::change_taker taker(file_encoding);
    std::unique_ptr<detail::fold_stage> fold;
    if (o.fold) fold = std::make_unique<detail::fold_stage>(file.header(), file_encoding);
    file.check_records(reader, fold.get(), &out, &taker);  // with a sink: to the end, whatever --max-errors says
  } else {
    copy_records(in, out);
  }
  file.finish(totals);
  write_summary(totals, out.counts(), o, &files, diag);
  files.set.commit();  // whatever remains: the copy is better than the input
  files.set.warn_if_narrowed(diag);
  return diag.exit_status();
}

}  // namespace kaiin
