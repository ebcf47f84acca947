#pragma once
/// \file
/// Streaming CSV (RFC 4180, spec §3) and TSV on raw bytes. Structure is found on
/// the bytes themselves, before decoding: a CP932 trail byte is never a comma, TAB,
/// quote, CR or LF. Memory is bounded by the longest record, not the file.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kaiin/io.h"

namespace kaiin {

/// CSV is comma with double quotes; TSV (CROSS POINT) is TAB with no quoting.
struct csv_dialect {
  char delimiter = ',';  ///< between fields
  bool quoting = true;   ///< fields may be quoted with "
  /// Comma-separated, double-quoted (RFC 4180).
  static csv_dialect csv() { return {}; }
  /// TAB-separated, no quoting (CROSS POINT).
  static csv_dialect tsv() { return {'\t', false}; }
};

/// How records end in an output: each as in the input (keep), CRLF or LF. Newlines
/// inside quoted fields are data and never change.
enum class newline_style { keep, crlf, lf };

/// One field of a record, as offsets into the record's text.
struct csv_field {
  std::size_t begin = 0, end = 0;  ///< the content, without surrounding quotes
  bool quoted = false;             ///< it was enclosed in quotes
  bool escaped = false;            ///< it holds "" that stand for one quote
};

/// Structural problems, found while reading; reading goes on after each.
enum class csv_problem_kind {
  unterminated_quote,  ///< a quote opened and the input ended (reported where it opened)
  bare_quote,          ///< a quote inside an unquoted field
  text_after_quote,    ///< something other than a delimiter or newline after a closing quote
  bare_cr,             ///< a CR that does not end a CRLF, outside quotes
  field_count,         ///< more or fewer fields than the header
};

/// A structural problem with its place.
struct csv_problem {
  csv_problem_kind kind;  ///< what is wrong
  std::size_t offset;     ///< in the record's text
  std::uint64_t line;     ///< physical line
  std::size_t field;      ///< 0-based field index
};

/// A record as read: views into the reader's buffer, valid until the next read.
struct raw_record {
  std::string_view text;              ///< the record's bytes, without its newline
  std::string_view newline;           ///< "\r\n", "\n", or "" for a last record without one
  std::vector<csv_field> fields;      ///< where each field is in text
  std::vector<csv_problem> problems;  ///< what reading found wrong
  std::uint64_t number = 0;           ///< 0 for the header, 1 for the first data record
  std::uint64_t line = 1;             ///< physical line it starts on
  std::uint64_t offset = 0;           ///< byte offset of its first byte in the input
  /// Set by csv_input when the record is known to hold no NUL and no BOM after the
  /// start of the file: its checks are skipped.
  bool clean = false;

  /// The field's bytes as written (quotes removed, "" still doubled).
  std::string_view raw(std::size_t i) const { return text.substr(fields[i].begin, fields[i].end - fields[i].begin); }
  /// Appends the field's value, with "" made one quote.
  void append_value(std::size_t i, std::string& out) const;
  /// Writes the field's value, with "" made one quote, at \p o, which has room for
  /// raw(i).size() bytes; returns the end of what it wrote.
  char* copy_value(std::size_t i, char* o) const;
  /// The physical line of byte \p offset of the text.
  std::uint64_t line_of(std::size_t offset) const;
  /// The field holding byte \p offset of the text.
  std::size_t field_of(std::size_t offset) const;
  /// True when reading found a problem in this record.
  bool malformed() const { return !problems.empty(); }
};

/// Records that are plain lines, as csv_reader::plain_lines() finds them: each a
/// whole line ending in LF or CRLF, without a quote (where the dialect quotes) and
/// without a CR but the one of its CRLF, so that its fields are the stretches
/// between delimiters.
struct plain_block {
  std::string_view text;     ///< the lines with their newlines; empty when the next record is not one
  std::uint64_t number = 0;  ///< the record number of the first line (one more for each line after it)
  std::uint64_t line = 0;    ///< the physical line of the first line
};

/// Reads records one at a time from a byte source.
class csv_reader {
 public:
  /// \p base_offset: bytes of the input before \p in's first byte (a BOM).
  explicit csv_reader(byte_source& in, csv_dialect dialect = {}, std::uint64_t base_offset = 0);
  /// Frees the read buffer.
  ~csv_reader();
  csv_reader(const csv_reader&) = delete;
  csv_reader& operator=(const csv_reader&) = delete;

  /// Reads the next record into \p r; false at the end of the input.
  bool next(raw_record& r);
  /// Reads on from a record this reader read before (\p offset, \p line and \p number
  /// of its raw_record), as though the records before it were read again; the source
  /// must already be at \p offset (file_source::seek).
  void resume_at(std::uint64_t offset, std::uint64_t line, std::uint64_t number);
  /// The plain lines held from the next record on, after the header: up to the
  /// first quote, or as far as what is read. A reader of many short records
  /// splits them itself and takes the ones it wants with take_plain(), instead of
  /// a next() a record; a line of another field count than the header's is left to
  /// next(), which reports it. Reads more when no whole line is held; valid until
  /// the next call.
  plain_block plain_lines();
  /// Takes the first \p records lines of plain_lines(), \p bytes bytes with their
  /// newlines, as next() would have read them.
  void take_plain(std::size_t bytes, std::uint64_t records) {
    begin_ += bytes;
    consumed_ += bytes;
    records_ += records;
    line_ += records;
  }
  /// Fields in the header (the first record), or 0 before it is read.
  std::size_t header_fields() const { return header_fields_; }
  /// The physical line the next record starts on.
  std::uint64_t line() const { return line_; }
  /// Bytes consumed so far, including a BOM before the source.
  std::uint64_t bytes_read() const { return consumed_; }
  /// The bytes held from the first byte of \p r to the end of what is read (its text
  /// and what follows it), when \p r is the record read last and its text still in the
  /// buffer; empty otherwise. Valid until the next call.
  std::string_view held_from(const raw_record& r) const {
    const auto at = reinterpret_cast<std::uintptr_t>(r.text.data()), buf = reinterpret_cast<std::uintptr_t>(buf_.get());
    if (at < buf || at + r.text.size() > buf + end_ || r.offset + r.text.size() + r.newline.size() != consumed_)
      return {};
    return {r.text.data(), buf + end_ - at};
  }

 private:
  bool fill();
  std::size_t find_special(const char* b, std::size_t p, std::size_t n) const;

  byte_source& in_;
  csv_dialect dialect_;
  bool special_[256] = {};
  std::unique_ptr<char[]> buf_;
  std::size_t capacity_, next_read_, begin_ = 0, end_ = 0;  // next_read_: at most, after resume_at()
  bool eof_ = false;
  std::uint64_t consumed_, line_ = 1, records_ = 0;
  std::size_t header_fields_ = 0;
  // Input bytes [consumed_, quote_at_) hold no quote, as far as quote_searched_to_
  // (no_quote: none found): plain_lines() searches each byte once.
  std::uint64_t quote_at_ = no_quote, quote_searched_to_ = 0;
  static constexpr std::uint64_t no_quote = static_cast<std::uint64_t>(-1);
  // The field-end mask of the 64 bytes of buf_ from mask_at_, kept for the records
  // that start inside them (a short record was four times its bytes in masks).
  std::size_t mask_at_ = no_mask;
  std::uint64_t mask_bits_ = 0;
  static constexpr std::size_t no_mask = static_cast<std::size_t>(-1) / 2;
};

/// True when the field must be quoted: it holds the delimiter, a quote, CR or LF.
bool needs_quotes(std::string_view field, csv_dialect dialect = {});
/// True when a spreadsheet would take \p field for a formula (CSV injection): its
/// first byte is = + - @ TAB or CR, and it is not a plain decimal number (an
/// optional sign, digits, optionally a point and digits: -100, +5 and -1.5 are
/// numbers, not formulas, and a points column keeps them). Works on UTF-8 and CP932
/// bytes alike: the bytes it looks at are ASCII, and a field never starts with a
/// CP932 trail byte.
bool looks_like_formula(std::string_view field);

/// What --escape-formulas writes before a field that looks like a formula, as
/// OWASP advises: Excel and LibreOffice then show the cell as text. An importer
/// that is not told about it stores the quote as part of the value.
inline constexpr char formula_escape = '\'';

/// Appends \p r's text (its newline not included) with formula_escape before every
/// field that looks_like_formula(), inside the quotes of a quoted field. \p piece
/// appends each stretch of text between escapes, given with its offset in r.text
/// (a converter writes it in another encoding); without one, the bytes as they
/// are. Returns how many fields got an escape.
std::size_t append_escaping_formulas(std::string& out, const raw_record& r,
                                     const std::function<void(std::string_view, std::size_t)>& piece = {});

/// Writes records, quoting only where needed. Fields are bytes in the output's
/// encoding. For TSV a field holding TAB, CR or LF cannot be written: check with
/// tsv_clean() first; write() throws kaiin::error for one.
class csv_writer {
 public:
  /// Writes to \p out, each record ended by \p newline.
  csv_writer(output_stream& out, csv_dialect dialect = {}, std::string newline = "\r\n")
      : out_(out), dialect_(dialect), newline_(std::move(newline)) {}
  /// Writes one record and its newline.
  template <class Range>
  void write(const Range& fields) {
    bool first = true;
    for (const auto& f : fields) {
      if (!first) out_.put(dialect_.delimiter);
      first = false;
      write_field(std::string_view(f));
    }
    out_.write(newline_);
  }
  /// Writes a field without a delimiter or newline.
  void write_field(std::string_view field);
  /// What ends each record from now on.
  void set_newline(std::string newline) { newline_ = std::move(newline); }
  /// --escape-formulas: formula_escape before every field that looks_like_formula().
  void set_escape_formulas(bool on) { escape_formulas_ = on; }
  /// Fields written with formula_escape before them so far.
  std::uint64_t escaped() const { return escaped_; }

 private:
  output_stream& out_;
  csv_dialect dialect_;
  std::string newline_, scratch_;
  bool escape_formulas_ = false;
  std::uint64_t escaped_ = 0;
};

/// True when a TSV field holds no TAB, CR or LF.
inline bool tsv_clean(std::string_view field) { return field.find_first_of("\t\r\n") == std::string_view::npos; }

}  // namespace kaiin
