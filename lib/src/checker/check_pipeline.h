#pragma once
// The checker's pipeline: a member file's records pass, in batches, three stages,
// each on a thread of its own: a source reads and decodes a batch, the row rules
// check each of its rows (row_rules.h), and the key tables look its keys up and
// write its findings in record order (key_tables.h). kaiin-fix adds a stage on the
// rules thread before the rules (its corrections) and a sink on the writing thread
// after the findings (its copy). A few batches circulate between them, so memory
// stays bounded whatever the size of the file; they are handed over by the channel
// of record_batches.h. Private to the library.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/csv_input.h"
#include "core/record_batches.h"
#include "kaiin/csv.h"
#include "kaiin/diagnostics.h"
#include "members/member_rules.h"
#include "members/profile.h"

namespace kaiin::detail {

/// A key for the tables (a member ID or an e-mail key) with what its findings need.
/// Its texts are in the batch's lookup_text, one arena a batch, rather than strings of
/// their own.
struct key_lookup {
  std::uint64_t record, line;
  field key_field;  // member_id, email or mobile_email
  row_action action;
  std::uint32_t value_at, value_size, key_at, key_size;  // the cell as written, and its key
  std::uint32_t hash = 0;                                // an e-mail key's (0 for a member ID: its table hashes it)
};

/// The findings a stage makes of a batch's rows: their texts (rule id, message, value) in
/// one buffer the batch keeps from batch to batch, their file and column as views
/// into the header, which outlives the pipeline. A finding of strings of its own
/// was five allocations on the rules thread, freed on another thread, which glibc's
/// malloc makes dear (some 0.8 us of CPU a finding, perf, 1,000,000 findings).
/// What operator[] returns is valid until the next add() or clear().
class batch_findings {
 public:
  /// Adds a finding of \p file whose message is \p head (the column's "cus_zip: ")
  /// followed by \p message, about \p value (none: a row's finding, or a password).
  /// \p file and \p column must outlive the batch's report.
  void add(std::string_view file, std::uint64_t record, std::uint64_t line, std::optional<std::string_view> column,
           severity s, std::string_view rule, std::string_view head, std::string_view message,
           std::optional<std::string_view> value);
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  std::uint64_t record(std::size_t i) const { return items_[i].record; }
  finding_view operator[](std::size_t i) const {
    const item& f = items_[i];
    std::string_view text(text_);
    std::optional<std::string_view> value;
    if (f.value_size != no_value) value = text.substr(f.at + f.rule_size + f.message_size, f.value_size);
    return {f.file,
            f.record,
            f.line,
            f.column,
            f.severity,
            text.substr(f.at, f.rule_size),
            text.substr(f.at + f.rule_size, f.message_size),
            value};
  }
  /// Forgets the findings, keeping the room they took.
  void clear() {
    items_.clear();
    text_.clear();
  }

 private:
  struct item {
    std::string_view file;
    std::uint64_t record, line;
    std::optional<std::string_view> column;
    kaiin::severity severity;
    std::uint32_t at, rule_size, message_size, value_size;  // rule, message, value, in text_
  };
  static constexpr std::uint32_t no_value = UINT32_MAX;
  std::vector<item> items_;
  std::string text_;
};

/// A value kaiin-fix changed in a batch.
struct value_change {
  std::uint32_t row;     ///< in the batch
  std::uint32_t column;  ///< 0-based
  std::string rule;      ///< the rule the change satisfies, or "fold"
  std::string before, after;
  std::string bytes;  ///< after, in the file's encoding
};

/// A batch of records on its way through the stages. The source writes rows and
/// findings (and for kaiin-fix the records as read); the rule stage rule_findings,
/// key look-ups (and kaiin-fix's changes); the table stage and the sink read them all. A
/// batch belongs to one stage at a time: the channels hand it over.
struct batch {
  static constexpr std::size_t rows_wanted = 1024;
  struct row {
    std::uint64_t number, line;
    std::uint32_t first, count;  // its values: spans[first .. first + count)
    bool ragged;                 // more or fewer fields than the header: not checked
    std::uint64_t offset;        // of its first byte in the file
    // The bytes in storage its values were cut from (the record as read, or its values
    // one after another): an ASCII character no one of them has, no value has.
    std::uint32_t text_at, text_size;
    row_action action = row_action::none;  // its control value, once the row rules read it
  };
  std::string storage;                                         // every value, one after another
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;  // offset and length in storage
  std::vector<row> rows;
  std::vector<finding> findings;    // what reading and decoding found
  batch_findings rule_findings;     // what the row rules found
  std::vector<key_lookup> lookups;  // keys for the tables
  std::string lookup_text;
  // kaiin-fix: each row's record as read (its bytes, newline included, one after
  // another in raw) and whether it was read without an error; the values it changed.
  struct raw_row {
    std::uint32_t text_at, text_size, newline_size;
    bool clean;
  };
  std::string raw;
  std::vector<raw_row> raws;
  std::vector<value_change> changes;

  void clear();
  bool full() const { return rows.size() >= rows_wanted; }
  /// Adds record \p r with \p values, decoded from it.
  void add_row(const raw_record& r, const record_values& values);
  /// The same with values of their own, copied one by one.
  void add_row(const raw_record& r, const std::vector<std::string>& values);
  /// Keeps \p r as read, for the row added last (kaiin-fix); \p clean: read without
  /// an error.
  void add_raw(const raw_record& r, bool clean);
  /// True when \p r has more or fewer fields than the header.
  static bool ragged(const raw_record& r);
  std::string_view value_of(const key_lookup& lookup) const {
    return std::string_view(lookup_text).substr(lookup.value_at, lookup.value_size);
  }
  std::string_view key_of(const key_lookup& lookup) const {
    return std::string_view(lookup_text).substr(lookup.key_at, lookup.key_size);
  }
};

/// The first stage: what fills the batches, on the reading thread.
class batch_source {
 public:
  virtual ~batch_source() = default;
  /// Fills \p b (cleared) with the next batch_::rows_wanted records at most, and the
  /// findings of reading them; false once the input is done.
  virtual bool fill(batch& b) = 0;
  /// The reading thread stops (the input is done, or the run stopped or failed).
  virtual void stopped() {}
  /// The input's size, when it is a regular file; 0 when unknown (a pipe).
  virtual std::uint64_t size_hint() const { return 0; }
};

/// kaiin-check's source: records read from \p in and decoded, but for the columns
/// \p as_read (csv_input::decode_fields).
class reader_stage : public batch_source {
 public:
  explicit reader_stage(csv_input& in, std::vector<bool> as_read = {}) : in_(in), as_read_(std::move(as_read)) {}
  bool fill(batch& b) override;
  void stopped() override { in_.collect_into(nullptr); }
  std::uint64_t size_hint() const override { return in_.file().size_hint(); }

 protected:
  csv_input& in_;
  const std::vector<bool> as_read_;
  raw_record record_;
  record_values values_;
};

/// A stage on the rules thread, before the row rules (kaiin-fix's corrections).
class batch_stage {
 public:
  virtual ~batch_stage() = default;
  virtual void process(batch& b) = 0;
};

/// What the writing thread writes of each batch besides its findings, in record
/// order, right after them (kaiin-fix's copy and change list).
class batch_sink {
 public:
  virtual ~batch_sink() = default;
  virtual void write(const batch& b) = 0;
};

class rule_stage;
class table_stage;

/// Runs \p source, \p rules and \p tables over a whole file: the source and the rules
/// (after \p before_rules, when there is one) on threads of their own, the tables on
/// the calling thread, which writes the findings to \p diag in record order, and
/// then gives each batch to \p sink (when there is one). A run without a sink stops
/// early once --max-errors is reached; one with a sink reads to the end (kaiin-fix's
/// copy must be whole). An exception of any stage is thrown here once every thread
/// has finished. A regular file under a megabyte, and any file where the library
/// runs on one thread (record_batches.h's one_thread(): the page), runs the same
/// stages one batch after the other on the calling thread, with the same result.
void run_pipeline(batch_source& source, rule_stage& rules, table_stage& tables, diagnostics& diag,
                  batch_stage* before_rules = nullptr, batch_sink* sink = nullptr);

}  // namespace kaiin::detail
