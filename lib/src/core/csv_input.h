#pragma once
/// \file
/// A CSV file opened the way every kaiin tool opens one: the encoding detected
/// (spec §2), records read as a stream, and each structural or encoding problem
/// reported as a finding with file, record, line, column and byte offset.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kaiin/csv.h"
#include "kaiin/detect.h"
#include "kaiin/diagnostics.h"
#include "kaiin/encoding.h"

namespace kaiin {

/// The values of one record in UTF-8: views into the record itself where its bytes
/// already are that (ASCII, or valid UTF-8, without doubled quotes) or were asked for
/// as read (csv_input::decode_fields), else into a buffer held here. Valid until the
/// next record is read.
class record_values {
 public:
  /// The value of column \p i, which must exist.
  std::string_view operator[](std::size_t i) const { return views_[i]; }
  /// Columns of the record.
  std::size_t size() const { return views_.size(); }
  /// The value of column \p i, or empty when the record is shorter (ragged).
  std::string_view get(int i) const {
    return i >= 0 && static_cast<std::size_t>(i) < views_.size() ? views_[static_cast<std::size_t>(i)]
                                                                 : std::string_view();
  }
  /// The values that are not views into the record, one after another: each value is
  /// a view into the record or into this.
  std::string_view decoded() const { return {buffer_.data(), decoded_}; }

 private:
  friend class csv_input;
  std::vector<std::string_view> views_;
  // The decoded values, one after another. It only grows (to three bytes a byte of
  // the longest record), so that a record is decoded without filling it first.
  std::string buffer_;
  std::size_t decoded_ = 0;  // bytes of buffer_ the record's values take
};

/// Whether a column holds secrets (passwords) that no finding may show, told by the
/// header's name: the CSV input does not know what columns mean, the layer that
/// opens a member file does (members/member_columns.h: is_password_header).
using secret_column_test = bool (*)(std::string_view header_name);

/// Reads one CSV input and reports what is wrong with its bytes.
class csv_input {
 public:
  /// Opens \p path ("-" for standard input); throws kaiin::error when it cannot.
  /// \p rewindable: the input can be read again with rewind() (a pipe is copied to an
  /// unlinked temporary file). \p secret says which columns' values are never shown
  /// (nullptr: none).
  csv_input(const std::string& path, source_encoding from, diagnostics& diag, secret_column_test secret,
            csv_dialect dialect = {}, bool rewindable = false);
  /// Reads the input again from its first record (the header), reporting nothing
  /// this time: a second pass sees what the first one reported already.
  void rewind();
  /// Reads on from a record read before (\p offset, \p line and \p number of its
  /// raw_record), reporting nothing, as rewind() does: a second pass that wants only
  /// some records need not read the others.
  void seek(std::uint64_t offset, std::uint64_t line, std::uint64_t number);
  /// Reports nothing from here on, as after rewind(): a pass over records read before
  /// and kept elsewhere (kaiin-crm's record_spool) decodes them through this input.
  void stop_reporting() { silent_ = true; }
  /// Closes the input.
  ~csv_input();

  /// The encoding found (utf8_bom when a BOM was there).
  encoding source_encoding() const { return detection_.enc; }
  /// How it was found: not_utf8 says where an auto-detected CP932 input stopped
  /// being UTF-8.
  const kaiin::detection& detected() const { return detection_; }
  /// The name used in findings.
  const std::string& name() const { return file_->name(); }
  /// The byte source under the reader.
  file_source& file() { return *file_; }

  /// Reads the next record, reporting its structural problems; false at the end
  /// (and then finish() is done). The same as read_record() and then take().
  bool next(raw_record& r);
  /// Reports how reading ended where it ended early: the input stopped being text
  /// (file_source::text_stopped). A caller of read_record() calls it once
  /// read_record() returned false, on the thread that reports.
  void finish();
  /// The dialect the input is read in: the one asked for, or TAB-separated with
  /// quotes for UTF-16 text whose header holds TABs and no comma (Excel's 「Unicode
  /// テキスト」).
  const csv_dialect& dialect() const { return dialect_; }
  /// True for a UTF-16 input: its text is read decoded to UTF-8, and a place in it is
  /// a line and a character, without a byte offset.
  bool utf16() const { return is_utf16(detection_.enc); }
  /// Reads the next record and reports nothing; false at the end, or once the run
  /// stopped at --max-errors (diagnostics::stopped). The only part of
  /// next() a reading thread may do while the calling thread calls take() and
  /// report(): it touches the byte source and the parser, nothing else here.
  bool read_record(raw_record& r);
  /// Counts record \p r, read by read_record(), and reports its structural problems
  /// (and, for the header, reads the column names), as next() does.
  void take(const raw_record& r);
  /// The header's names in UTF-8, once the first record is read.
  const std::vector<std::string>& header() const { return header_; }
  /// The name of field \p i for messages: the header name, or "field N".
  std::string column_name(std::size_t i) const;
  /// True when the first line, where the header should be, is empty (reported once).
  bool header_empty() const { return header_empty_; }
  /// Reads the remaining records without reporting anything, counting them: for a
  /// file that cannot be checked but whose size the summary gives.
  void skip_to_end();
  /// Data records read so far.
  std::uint64_t records() const { return records_; }
  /// Bytes of the input read so far.
  std::uint64_t bytes_read() const { return reader_ ? reader_->bytes_read() : 0; }

  /// Decodes every field of \p r to UTF-8 with "" made one quote, reporting
  /// undecodable bytes and 外字. Where (*\p as_read)[i] is true, the value of column i
  /// may be left as read (CP932, unquoted) when it decodes without a problem: for a
  /// caller that looks at that column's ASCII characters only.
  void decode_fields(const raw_record& r, record_values& values, const std::vector<bool>* as_read = nullptr);
  /// The same, into strings of their own.
  void decode_fields(const raw_record& r, std::vector<std::string>& values);
  /// Decodes field \p i of \p r alone, as decode_fields does: a view into the record
  /// where its bytes are UTF-8 already, else into \p buffer.
  std::string_view decode_field(const raw_record& r, std::size_t i, std::string& buffer);
  /// True when every byte of \p r is valid in the input's encoding (checked at
  /// validator speed): a reader that needs a few fields of a record decodes only
  /// those, and the whole record, reporting each bad byte, only when this is false.
  /// Asked of the record read last, on the thread that reads, it validates what the
  /// reader holds from there at once, and answers the records after it from that.
  bool valid_bytes(const raw_record& r);
  /// The reader's plain_lines(), up to the first NUL, BOM or byte invalid in the
  /// input's encoding: records that next() would read without a finding of their
  /// structure or bytes, which the caller splits itself (csv_reader::plain_lines).
  /// On the reading thread, as read_record().
  plain_block plain_lines();
  /// Takes the first \p records lines of plain_lines(), \p bytes bytes, counting them
  /// as next() counts records.
  void take_plain(std::size_t bytes, std::uint64_t records);
  /// Reports problem \p p found at byte \p p.offset of record \p r's text; \p target
  /// names the encoding an unencodable character was bound for. A bad byte or 外字 of
  /// the header, which next() reported as it read it, is not reported again.
  void report(const raw_record& r, const coding_problem& p, encoding target = encoding::cp932);
  /// "'a"b'": field \p field of \p r as written, quoted for a message; empty for a
  /// secret column.
  std::string shown_value(const raw_record& r, std::size_t field);
  /// Field \p field of \p r as it stands in the file (its first few thousand
  /// characters), decoded from CP932, for a finding's value; none for a secret
  /// column, or when the report does not show values.
  std::optional<std::string> field_value(const raw_record& r, std::size_t field);
  /// "in 'cus_memo': line 3, column 5, byte offset 210": where byte \p offset of
  /// \p r's text is (without the byte offset in a UTF-16 input).
  std::string place(const raw_record& r, std::size_t offset) const;
  /// Collects findings in \p out instead of reporting them (a reading thread hands
  /// them over with its records); nullptr reports again.
  void collect_into(std::vector<finding>* out) { collect_ = out; }

 private:
  std::unique_ptr<file_source> file_;
  diagnostics& diag_;
  detection detection_;
  std::unique_ptr<csv_reader> reader_;
  csv_dialect dialect_;
  bool silent_ = false;
  std::vector<std::string> header_;
  std::uint64_t records_ = 0;
  std::uint64_t counted_ = 0;  // of records_, told to the progress line
  void tell_progress();
  bool told_not_utf8_ = false;
  bool told_stop_ = false;
  // The line reading stopped on, when the text ran into what is not text inside a
  // line (stopped_in_line): else the line after the last record.
  std::uint64_t stop_line_ = 0, stop_offset_ = 0;
  bool stopped_in_line(const raw_record& r);
  bool header_empty_ = false;
  bool header_decoded_ = false;  // the header's bytes were reported once, by take()
  // The first \p chars characters of field \p field of \p r as written, or none for
  // a secret column (or a field \p r lacks).
  std::optional<std::string_view> field_start(const raw_record& r, std::size_t field, std::size_t chars);

  secret_column_test secret_;
  std::vector<bool> secret_columns_;  // by column, once a value is to be shown
  // Where the last place asked of a record was: the places of one record's findings
  // are asked in the order of their offsets, and each is found by walking on from the
  // last one (from the line's start each time, a long field full of bad bytes took
  // time quadratic in its length).
  struct walk {
    const char* text = nullptr;       // the record walked: its text (a reader reuses its buffer,
    std::uint64_t record_offset = 0;  // so its place in the input too)
    std::size_t size = 0, asked = 0;  // and the offset asked last
    std::size_t at = 0;               // a character boundary at or after asked
    std::size_t starts = 0;           // characters starting on the line before at
    std::uint64_t line = 1;           // the physical line of at
  };
  mutable walk walk_;
  // The physical line of byte \p offset of \p r's text, and its 1-based character
  // column in that line.
  std::pair<std::uint64_t, std::size_t> line_and_column(const raw_record& r, std::size_t offset) const;
  std::vector<finding>* collect_ = nullptr;
  // Reports the structural problems of \p r (quotes, a bare CR, its number of fields).
  void report_problems(const raw_record& r);
  // Reports a NUL byte and a BOM after the start of the file: both are errors.
  void check_bytes(const raw_record& r);
  // Input bytes [clean_from_, clean_to_) hold no NUL and no BOM, and bytes
  // [valid_from_, valid_to_) are valid: so is a record inside, whatever it was read as
  // part of, since each record starts after a newline, which is never part of a CP932
  // or UTF-8 character.
  std::uint64_t clean_from_ = 0, clean_to_ = 0, valid_from_ = 0, valid_to_ = 0;
  std::size_t ahead_ = 0;  // bytes valid_bytes() validated last
  // Sets raw_record::clean of \p r, just read; on the reading thread.
  void know_clean(raw_record& r);
  // Sets [clean_from_, clean_to_) to the bytes \p held at input offset \p at up to
  // the first NUL or BOM, and [valid_from_, valid_to_) up to the first invalid byte.
  void find_clean(std::uint64_t at, std::string_view held);
  void find_valid(std::uint64_t at, std::string_view held);
  void emit(const finding& f) {
    if (silent_) return;
    collect_ ? collect_->push_back(f) : diag_.report(f);
  }
};

}  // namespace kaiin
