#include "jobs/fix/fix_stages.h"

#include <algorithm>

#include "core/code_points.h"
#include "core/csv_fields.h"
#include "core/text.h"
#include "jobs/fix/changed_record.h"
#include "members/member_columns.h"
#include "members/member_fixes.h"
#include "members/profile.h"

namespace kaiin::detail {

bool fix_reader::fill(batch& b) {
  in_.collect_into(&b.findings);
  while (!b.full()) {
    const std::size_t found = b.findings.size();
    if (!in_.next(record_)) return false;
    in_.decode_fields(record_, values_);
    b.add_row(record_, values_);
    const bool clean =
        !record_.malformed() && std::none_of(b.findings.begin() + static_cast<std::ptrdiff_t>(found), b.findings.end(),
                                             [](const finding& f) { return f.severity == severity::error; });
    b.add_raw(record_, clean);
  }
  return true;
}

bool change_taker::take(batch& b, std::size_t row, std::size_t column, std::string_view rule, std::string_view before,
                        const std::string& after) {
  if (!b.raws[row].clean) return false;
  std::string bytes;
  if (!encode_value(after, encoding_, bytes)) return false;
  b.changes.push_back({static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(column), std::string(rule),
                       std::string(before), after, std::move(bytes)});
  return true;
}

fold_stage::fold_stage(const upload_header& header, encoding file_encoding)
    : header_(header), encoding_(file_encoding) {
  // The password column, and any column a shipped profile reads as one (a second
  // password column this profile does not know): never changed.
  for (std::size_t i = 0; i < header.column_count(); ++i)
    secret_.push_back(static_cast<int>(i) == header.columns()[field::password] ||
                      holds_passwords({header.column_name(i)}));
}

void fold_stage::process(batch& b) {
  for (std::size_t r = 0; r < b.rows.size(); ++r) {
    const batch::row& row = b.rows[r];
    if (row.ragged || !b.raws[r].clean) continue;
    auto value = [&](std::size_t i) {
      return std::string_view(b.storage).substr(b.spans[row.first + i].first, b.spans[row.first + i].second);
    };
    if (int control = header_.columns()[field::control]; control >= 0) {  // a delete row's values are ignored
      std::string_view v = value(static_cast<std::size_t>(control));
      if (v == "d" || fix_control(v) == "d") continue;
    }
    for (std::size_t i = 0; i < row.count && i < secret_.size(); ++i) {
      if (secret_[i]) continue;
      fixed_value folded = fix_fold(value(i));
      if (!folded || !encode_value(*folded, encoding_, bytes_)) continue;
      b.changes.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(i), "fold", std::string(value(i)),
                           *folded, bytes_});
      b.spans[row.first + i] = {static_cast<std::uint32_t>(b.storage.size()),
                                static_cast<std::uint32_t>(folded->size())};  // what the rules see
      b.storage.append(*folded);
    }
  }
}

fix_output::fix_output(output_stream* copy, output_stream* list, const upload_header* header, bool escape_formulas,
                       diagnostics* shown)
    : copy_(copy), list_(list), header_(header), shown_(shown), escape_formulas_(escape_formulas) {
  // UTF-8 with a BOM and CRLF: what Excel opens as it is.
  if (list_)
    list_->write(
        "\xEF\xBB\xBF"
        "line,record,column,rule,before,after\r\n");
}

void fix_output::copy(const raw_record& r) {
  if (!copy_) return;
  copy_->write(r.text);
  copy_->write(r.newline);
}

void fix_output::write(const batch& b) {
  const std::string_view raw = b.raw;
  // Each changed record's changes in column order (a value folded, then fixed by its
  // rule, stays in that order): every one listed, the last of a column written.
  order_.clear();
  for (const value_change& c : b.changes) order_.push_back(&c);
  std::stable_sort(order_.begin(), order_.end(), [](const value_change* x, const value_change* y) {
    return x->row != y->row ? x->row < y->row : x->column < y->column;
  });
  rows_.clear();
  std::size_t from = 0;  // in raw: written up to
  for (std::size_t k = 0, end; k < order_.size(); k = end) {
    const std::uint32_t r = order_[k]->row;
    last_.clear();
    for (end = k; end < order_.size() && order_[end]->row == r; ++end) {
      const value_change& c = *order_[end];
      list(b, c);
      if (!last_.empty() && last_.back()->column == c.column)
        last_.back() = &c;
      else
        last_.push_back(&c);
    }
    ++counts_.records;
    if (!copy_) continue;
    const batch::raw_row& rr = b.raws[r];
    const std::string_view text = raw.substr(rr.text_at, rr.text_size);
    copy_->write(raw.substr(from, rr.text_at - from));
    split_record(text, fields_);
    record_.clear();
    rewrite_record(text, raw.substr(rr.text_at + rr.text_size, rr.newline_size), fields_, last_, record_);
    copy_->write(record_);
    from = rr.text_at + rr.text_size + rr.newline_size;
  }
  if (copy_) copy_->write(raw.substr(from));
  if (list_) list_->write(rows_);
}

// Counts change \p c and, with a change list, adds its row:
// line,record,column,rule,before,after.
void fix_output::list(const batch& b, const value_change& c) {
  ++counts_.by_rule[c.rule];
  if (c.rule == "fold") {
    for (std::size_t i = 0; i < c.before.size();) {
      char32_t ch = next_char(c.before, i);
      if (windows_fold(ch)) ++counts_.folded[ch];
    }
  }
  if (!list_ && !shown_) return;
  const batch::row& row = b.rows[c.row];
  const std::string column = header_->column_name(c.column);
  if (shown_) shown_->change({header_->file(), row.line, column, c.rule, c.before, c.after});
  if (!list_) return;
  const std::string line = std::to_string(row.line), number = std::to_string(row.number);
  bool first = true;
  for (std::string_view field : {std::string_view(line), std::string_view(number), std::string_view(column),
                                 std::string_view(c.rule), std::string_view(c.before), std::string_view(c.after)}) {
    if (!first) rows_ += ',';
    first = false;
    counts_.escaped += append_csv_field(rows_, field, csv_dialect::csv(), escape_formulas_);
  }
  rows_ += "\r\n";
}

}  // namespace kaiin::detail
