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
#include "kaiin/split.h"  // output_set (kaiin/output_set.h on branch shape)
#include "kaiin/text.h"
#include "member_checker.h"
#include "record_fixes.h"

namespace kaiin {

namespace {

using detail::value_change;

// What kaiin-fix writes: the fixed copy (not with --dry-run) and the change list
// (with --changes, or --dry-run's on standard output), which appear together or not
// at all. The writing thread writes them, a batch at a time, after its findings.
class fix_output : public detail::batch_sink {
 public:
  fix_output(const fix_options& o, const csv_input& in, const std::string& profile) {
    if (!o.dry_run) {
      copy_ = &outputs_.add(o.output, holds_passwords(in.header(), profile));
      if (in.source_encoding() == encoding::utf8_bom) copy_->write("\xEF\xBB\xBF");
    }
    std::string list = o.changes.empty() && o.dry_run ? "-" : o.changes;
    if (list.empty()) return;
    list_ = &outputs_.add(list);
    // UTF-8 with a BOM and CRLF: what Excel opens as it is.
    list_->write(
        "\xEF\xBB\xBF"
        "line,record,column,rule,before,after\r\n");
  }

  bool lists_changes() const { return list_ != nullptr; }
  // A record with nothing to change, before the pipeline runs (the header) or
  // without it (a file that cannot be checked): its bytes.
  void copy(const raw_record& r) {
    if (!copy_) return;
    copy_->write(r.text);
    copy_->write(r.newline);
  }
  void write(const detail::batch& b) override {
    if (copy_) copy_->write(b.copy);
    if (list_) list_->write(b.change_rows);
  }
  std::string copy_name() const { return copy_ ? copy_->name() : std::string(); }
  std::string list_name() const { return list_ ? list_->name() : std::string(); }
  void commit(diagnostics& diag) {
    outputs_.commit();
    outputs_.warn_if_narrowed(diag);
  }

 private:
  output_set outputs_;
  output_stream* copy_ = nullptr;
  output_stream* list_ = nullptr;
};

// How many values were fixed, by rule, and in how many records; and, as --fold
// counts them everywhere (spec §2), the characters folded. Kept by fix_stage on the
// rules thread, read once the pipeline has finished.
struct fix_counts {
  std::map<std::string_view, std::uint64_t> by_rule;
  std::map<char32_t, std::uint64_t> folded;
  std::uint64_t records = 0, escaped = 0;

  void add(const value_change& c) {
    ++by_rule[c.rule];
    if (c.rule != "fold") return;
    for (std::size_t i = 0; i < c.before.size();) {
      char32_t ch = next_char(c.before, i);
      if (windows_fold(ch)) ++folded[ch];
    }
  }
};

// kaiin-fix's source, on the reading thread: each record read and decoded, as
// kaiin-check reads it, and kept as read for the copy.
class fix_reader : public detail::batch_source {
 public:
  explicit fix_reader(csv_input& in) : in_(in) {}
  bool fill(detail::batch& b) override {
    in_.collect_into(&b.findings);
    while (!b.full()) {
      const std::size_t found = b.findings.size();
      if (!in_.next(record_)) return false;
      in_.decode_fields(record_, values_);
      b.add_row(record_, values_);
      // A record with a structural problem or bytes that are not valid is copied as
      // it is, unfixed: its fields may be in the wrong columns, and re-encoding would
      // replace its bad bytes.
      b.add_raw(record_, !record_.malformed() &&
                             std::none_of(b.findings.begin() + static_cast<std::ptrdiff_t>(found), b.findings.end(),
                                          [](const finding& f) { return f.severity == severity::error; }));
    }
    return true;
  }
  void stopped() override { in_.collect_into(nullptr); }

 private:
  csv_input& in_;
  raw_record record_;
  record_values values_;
};

// kaiin-fix's corrections, on the rules thread before the row rules (which then
// check the fixed values, so that the findings reported are the copy's): each row's
// changes made in the batch, and the bytes of its copy and change list (the
// record's own bytes when nothing changes), which the writing thread writes
// (fix_output). The reading thread, the pipeline's busiest, does nothing more than
// for kaiin-check.
class fix_stage : public detail::batch_stage {
 public:
  fix_stage(const detail::upload_header& header, const detail::record_fixer& fixer, bool list_changes,
            bool escape_formulas, fix_counts& counts)
      : header_(header),
        fixer_(fixer),
        list_changes_(list_changes),
        escape_formulas_(escape_formulas),
        counts_(counts) {}

  void process(detail::batch& b) override {
    for (std::size_t i = 0; i < b.rows.size(); ++i) {
      const detail::batch::row& row = b.rows[i];
      const detail::batch::raw_row& raw = b.raws[i];
      std::string_view text = std::string_view(b.raw).substr(raw.text_at, raw.text_size);
      std::string_view newline = std::string_view(b.raw).substr(raw.text_at + raw.text_size, raw.newline_size);
      changes_.clear();
      if (raw.clean) {
        views_.resize(row.count);
        for (std::uint32_t k = 0; k < row.count; ++k) {
          auto [at, size] = b.spans[row.first + k];
          views_[k] = std::string_view(b.storage).substr(at, size);
        }
        fixer_.fix(views_, changes_);
      }
      if (changes_.empty()) {
        b.copy.append(b.raw, raw.text_at, raw.text_size + raw.newline_size);
        continue;
      }
      ++counts_.records;
      for (const value_change& c : changes_) {  // the row rules see the fixed value
        counts_.add(c);
        b.spans[row.first + c.column] = {static_cast<std::uint32_t>(b.storage.size()),
                                         static_cast<std::uint32_t>(c.after.size())};
        b.storage.append(c.after);
      }
      detail::split_record(text, fields_);
      detail::rewrite_record(text, newline, fields_, changes_, b.copy);
      if (list_changes_) list(row, b.change_rows);
    }
  }

 private:
  // The change list's rows of one record: line,record,column,rule,before,after.
  void list(const detail::batch::row& row, std::string& out) {
    const std::string line = std::to_string(row.line), number = std::to_string(row.number);
    for (const value_change& c : changes_) {
      const std::string column = header_.column_name(c.column);
      bool first = true;
      for (std::string_view field : {std::string_view(line), std::string_view(number), std::string_view(column), c.rule,
                                     std::string_view(c.before), std::string_view(c.after)}) {
        if (!first) out += ',';
        first = false;
        counts_.escaped += append_csv_field(out, field, csv_dialect::csv(), escape_formulas_);
      }
      out += "\r\n";
    }
  }

  const detail::upload_header& header_;
  const detail::record_fixer& fixer_;
  const bool list_changes_, escape_formulas_;
  fix_counts& counts_;
  std::vector<std::string_view> views_;
  std::vector<value_change> changes_;
  std::vector<csv_field> fields_;
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
  for (const auto& [c, n] : counts.folded)
    diag.summary(fmt::format("folded U+{:04X}", static_cast<std::uint32_t>(c)), n);
  diag.summary("output", o.dry_run ? std::string(_("none (--dry-run)")) : out.copy_name());
  if (!out.list_name().empty()) diag.summary("changes", out.list_name());
  diag.add_escaped(counts.escaped);
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
    fix_reader reader(in);
    fix_stage stage(file.header(), fixer, out.lists_changes(), o.escape_formulas, counts);
    file.check_records(reader, &stage, &out);  // with a sink: to the end whatever --max-errors says
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
