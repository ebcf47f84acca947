#include "checker/check_pipeline.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include "checker/key_tables.h"
#include "checker/row_rules.h"

namespace kaiin::detail {

void batch_findings::add(std::string_view file, std::uint64_t record, std::uint64_t line,
                         std::optional<std::string_view> column, severity s, std::string_view rule,
                         std::string_view head, std::string_view message, std::optional<std::string_view> value) {
  auto at = static_cast<std::uint32_t>(text_.size());
  text_.append(rule).append(head).append(message);
  if (value) text_.append(*value);
  items_.push_back({file, record, line, column, s, at, static_cast<std::uint32_t>(rule.size()),
                    static_cast<std::uint32_t>(head.size() + message.size()),
                    value ? static_cast<std::uint32_t>(value->size()) : no_value});
}

void batch::clear() {
  storage.clear();
  spans.clear();
  rows.clear();
  findings.clear();
  rule_findings.clear();
  lookups.clear();
  lookup_text.clear();
  raw.clear();
  raws.clear();
  changes.clear();
}

void batch::add_row(const raw_record& r, const record_values& values) {
  // Two copies a record, not one a value: the record as read, where most values are
  // (ASCII, unquoted: a view into it), then the values decoded. A copy a value was a
  // tenth of kaiin-check's instructions on an upload.
  const std::size_t text_at = storage.size();
  storage.append(r.text);
  const std::string_view decoded = values.decoded();
  const std::size_t decoded_at = storage.size();
  storage.append(decoded);
  const auto offset_in = [](std::string_view v, std::string_view block) {
    return reinterpret_cast<std::uintptr_t>(v.data()) - reinterpret_cast<std::uintptr_t>(block.data());
  };
  const std::size_t first = spans.size(), n = values.size();
  spans.resize(first + n);
  auto* span = spans.data() + first;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view v = values[i];
    // An empty value has no bytes: where it points does not matter.
    const std::uintptr_t in_text = offset_in(v, r.text);
    const std::size_t at = in_text <= r.text.size() ? text_at + in_text : decoded_at + offset_in(v, decoded);
    span[i] = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(v.size())};
  }
  rows.push_back(
      {r.number, r.line, static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(n), ragged(r), r.offset});
}

void batch::add_row(const raw_record& r, const std::vector<std::string>& values) {
  const auto first = static_cast<std::uint32_t>(spans.size());
  for (const std::string& v : values) {
    spans.emplace_back(static_cast<std::uint32_t>(storage.size()), static_cast<std::uint32_t>(v.size()));
    storage.append(v);
  }
  rows.push_back({r.number, r.line, first, static_cast<std::uint32_t>(values.size()), ragged(r), r.offset});
}

void batch::add_raw(const raw_record& r, bool clean) {
  raws.push_back({static_cast<std::uint32_t>(raw.size()), static_cast<std::uint32_t>(r.text.size()),
                  static_cast<std::uint32_t>(r.newline.size()), clean});
  raw.append(r.text);
  raw.append(r.newline);
}

bool batch::ragged(const raw_record& r) {
  return std::any_of(r.problems.begin(), r.problems.end(),
                     [](const csv_problem& p) { return p.kind == csv_problem_kind::field_count; });
}

bool reader_stage::fill(batch& b) {
  in_.collect_into(&b.findings);  // handed over with the records, reported in their order
  while (!b.full()) {
    if (!in_.next(record_)) return false;
    in_.decode_fields(record_, values_, &as_read_);
    b.add_row(record_, values_);
  }
  return true;
}

namespace {

void run_in_one_thread(batch_source& source, rule_stage& rules, table_stage& tables, diagnostics& diag,
                       batch_stage* before_rules, batch_sink* sink) {
  batch b;
  try {
    for (bool more = true; more;) {
      b.clear();
      more = source.fill(b);
      if (before_rules) before_rules->process(b);
      rules.check(b);
      tables.flush(b, diag);
      if (sink) sink->write(b);
      if (!sink && diag.limit_reached()) break;
    }
  } catch (...) {
    source.stopped();
    throw;
  }
  source.stopped();
}

}  // namespace

void run_pipeline(batch_source& source, rule_stage& rules, table_stage& tables, diagnostics& diag,
                  batch_stage* before_rules, batch_sink* sink) {
  if (!worth_a_thread(source.size_hint())) return run_in_one_thread(source, rules, tables, diag, before_rules, sink);
  channel<std::unique_ptr<batch>> empty, filled, checked;
  for (int i = 0; i < 4; ++i) empty.push(std::make_unique<batch>());
  std::atomic<bool> stop{false};
  std::exception_ptr read_failure, rule_failure, write_failure;
  std::thread reader([&] {
    try {
      for (bool more = true; more && !stop;) {
        std::unique_ptr<batch> b = empty.pop();
        b->clear();
        more = source.fill(*b);
        filled.push(std::move(b));
      }
    } catch (...) {
      read_failure = std::current_exception();
    }
    source.stopped();
    filled.push(nullptr);  // the end
  });
  std::thread checker([&] {
    try {
      for (std::unique_ptr<batch> b; (b = filled.pop());) {
        if (!stop) {
          if (before_rules) before_rules->process(*b);
          rules.check(*b);
        }
        checked.push(std::move(b));
      }
    } catch (...) {
      rule_failure = std::current_exception();
      stop = true;
      // Drain what the reader still sends, so that it can finish.
      while (filled.pop()) {
      }
    }
    checked.push(nullptr);
  });
  for (std::unique_ptr<batch> b; (b = checked.pop());) {
    if (!stop) {
      // A report that cannot be written (a full disk) stops the run, but only once
      // the other threads are done: a thread still running at the end aborts.
      try {
        tables.flush(*b, diag);
        if (sink) sink->write(*b);
      } catch (...) {
        write_failure = std::current_exception();
        stop = true;
      }
      if (!sink && diag.limit_reached()) stop = true;
    }
    empty.push(std::move(b));
  }
  checker.join();
  reader.join();
  if (write_failure) std::rethrow_exception(write_failure);
  if (read_failure) std::rethrow_exception(read_failure);
  if (rule_failure) std::rethrow_exception(rule_failure);
}

}  // namespace kaiin::detail
