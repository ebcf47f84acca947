#include "kaiin/fix.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "kaiin/csv.h"
#include "kaiin/csv_input.h"
#include "kaiin/encoding.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "kaiin/profile.h"
#include "kaiin/text.h"
#include "kaiin/split.h"  // output_set (kaiin/output_set.h on branch shape)
#include "member_checker.h"
#include "record_fixes.h"

namespace kaiin {

namespace {

using detail::value_change;

// What kaiin-fix writes, in record order: the fixed copy (not with --dry-run) and
// the change list (with --changes, or --dry-run's on standard output), which appear
// together or not at all. Written by the reading thread while the pipeline runs.
class fix_output {
 public:
  fix_output(const fix_options& o, const csv_input& in, const std::string& profile) {
    if (!o.dry_run) {
      copy_ = &outputs_.add(o.output, holds_passwords(in.header(), profile));
      if (in.source_encoding() == encoding::utf8_bom) copy_->write("\xEF\xBB\xBF");
    }
    std::string list = o.changes.empty() && o.dry_run ? "-" : o.changes;
    if (list.empty()) return;
    output_stream& out = outputs_.add(list);
    list_name_ = out.name();
    out.write("\xEF\xBB\xBF");  // UTF-8 with a BOM and CRLF: what Excel opens as it is
    list_ = std::make_unique<csv_writer>(out, csv_dialect::csv(), "\r\n");
    list_->set_escape_formulas(o.escape_formulas);
    list_->write(std::vector<std::string_view>{"line", "record", "column", "rule", "before", "after"});
  }

  // A record with nothing to change: its bytes.
  void copy(const raw_record& r) {
    if (!copy_) return;
    copy_->write(r.text);
    copy_->write(r.newline);
  }

  void write_changed(const raw_record& r, const std::vector<value_change>& changes,
                     const detail::upload_header& header) {
    if (copy_) {
      record_.clear();
      detail::rewrite_record(r, changes, record_);
      copy_->write(record_);
    }
    if (!list_) return;
    std::string line = std::to_string(r.line), number = std::to_string(r.number);
    for (const value_change& c : changes) {
      std::string column = header.column_name(c.column);
      list_->write(std::vector<std::string_view>{line, number, column, c.rule, c.before, c.after});
    }
  }

  std::string copy_name() const { return copy_ ? copy_->name() : std::string(); }
  const std::string& list_name() const { return list_name_; }
  std::uint64_t escaped() const { return list_ ? list_->escaped() : 0; }
  void commit(diagnostics& diag) {
    outputs_.commit();
    outputs_.warn_if_narrowed(diag);
  }

 private:
  output_set outputs_;
  output_stream* copy_ = nullptr;
  std::unique_ptr<csv_writer> list_;
  std::string list_name_, record_;
};

// How many values were fixed, by rule, and in how many records; and, as --fold
// counts them everywhere (spec §2), the characters folded.
struct fix_counts {
  std::map<std::string_view, std::uint64_t> by_rule;
  std::map<char32_t, std::uint64_t> folded;
  std::uint64_t records = 0;

  void add(const value_change& c) {
    ++by_rule[c.rule];
    if (c.rule != "fold") return;
    for (std::size_t i = 0; i < c.before.size();) {
      char32_t ch = next_char(c.before, i);
      if (windows_fold(ch)) ++folded[ch];
    }
  }
};

// kaiin-fix's first stage, on the reading thread: each record read, decoded, fixed
// and written to the copy (as its bytes when nothing changes), then handed to the
// row rules with its fixed values, so that the findings reported are the copy's.
class fix_stage : public detail::batch_source {
 public:
  fix_stage(csv_input& in, const detail::upload_header& header, const detail::record_fixer& fixer, fix_output& out,
            fix_counts& counts)
      : in_(in), header_(header), fixer_(fixer), out_(out), counts_(counts) {}

  bool fill(detail::batch& b) override {
    in_.collect_into(&b.findings);
    while (!b.full()) {
      const std::size_t found = b.findings.size();
      if (!in_.next(record_)) return false;
      in_.decode_fields(record_, values_);
      views_.resize(values_.size());
      for (std::size_t i = 0; i < values_.size(); ++i) views_[i] = values_[i];
      changes_.clear();
      if (readable(b, found)) fixer_.fix(views_, changes_);
      if (changes_.empty()) {
        out_.copy(record_);
        b.add_row(record_, values_);
        continue;
      }
      for (const value_change& c : changes_) {
        views_[c.column] = c.after;
        counts_.add(c);
      }
      ++counts_.records;
      out_.write_changed(record_, changes_, header_);
      b.add_row(record_, views_);
    }
    return true;
  }
  void stopped() override { in_.collect_into(nullptr); }

 private:
  // A record read without an error since \p found findings: one with a structural
  // problem or bytes that are not valid is copied as it is, unfixed (its fields may
  // be in the wrong columns, and re-encoding would replace its bad bytes).
  bool readable(const detail::batch& b, std::size_t found) const {
    return !record_.malformed() && std::none_of(b.findings.begin() + static_cast<std::ptrdiff_t>(found),
                                                b.findings.end(),
                                                [](const finding& f) { return f.severity == severity::error; });
  }

  csv_input& in_;
  const detail::upload_header& header_;
  const detail::record_fixer& fixer_;
  fix_output& out_;
  fix_counts& counts_;
  raw_record record_;
  record_values values_;
  std::vector<std::string_view> views_;
  std::vector<value_change> changes_;
};

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

// A file whose records cannot be checked (its header is unknown): copied as its
// bytes, with nothing reported of its records, as kaiin-check reports nothing.
void copy_records(csv_input& in, fix_output& out) {
  std::vector<finding> unreported;
  in.collect_into(&unreported);
  for (raw_record r; in.next(r); unreported.clear()) out.copy(r);
  in.collect_into(nullptr);
}

void write_summary(const detail::check_totals& totals, const fix_counts& counts, const fix_options& o,
                   const fix_output& out, diagnostics& diag) {
  diag.summary("file", fmt::format("{}", fmt::join(totals.files, " ")));
  diag.summary("encoding", fmt::format("{}", fmt::join(totals.encodings, " ")));
  diag.summary("profile", fmt::format("{}", fmt::join(totals.profiles, " ")));
  diag.summary("records", totals.records);
  if (!totals.not_checked.empty()) diag.summary("not_checked", fmt::format("{}", fmt::join(totals.not_checked, " ")));
  diag.summary("records_changed", counts.records);
  for (const auto& [rule, n] : counts.by_rule) diag.summary(fmt::format("fixed {}", rule), n);
  for (const auto& [c, n] : counts.folded) diag.summary(fmt::format("folded U+{:04X}", static_cast<std::uint32_t>(c)), n);
  diag.summary("output", o.dry_run ? std::string(_("none (--dry-run)")) : out.copy_name());
  if (!out.list_name().empty()) diag.summary("changes", out.list_name());
  diag.add_escaped(out.escaped());
}

}  // namespace

int run_fix(const fix_options& o, diagnostics& diag) {
  refuse_outputs(o);
  auto setup = detail::checker_setup::load(o.profile, o.current, o.ranks, o.today, o.from, diag);
  csv_input in(o.input, o.from, diag);
  detail::file_check file(setup, in, diag, o.input);
  raw_record header;
  const bool checkable = file.open(header);
  fix_output out(o, in, o.profile);
  out.copy(header);
  fix_counts counts;
  if (checkable) {
    detail::record_fixer fixer(file.header(), setup.today, o.fold, in.detected().data_encoding());
    fix_stage stage(in, file.header(), fixer, out, counts);
    file.check_records(stage, false);  // to the end whatever --max-errors says: the copy is whole
  } else {
    copy_records(in, out);
  }
  detail::check_totals totals;
  file.finish(totals);
  write_summary(totals, counts, o, out, diag);
  out.commit(diag);  // whatever remains: the copy is better than the input
  return diag.exit_status();
}

}  // namespace kaiin
