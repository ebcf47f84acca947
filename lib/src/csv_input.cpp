#include "kaiin/csv_input.h"

#include <fmt/format.h>
#include <cstring>

#include "kaiin/i18n.h"
#include "kaiin/progress.h"

namespace kaiin {

namespace detail {
bool is_lead(unsigned b);
}

namespace {

// True when no byte is above 0x7F; fields are short, so eight bytes a step inline.
inline bool is_ascii(std::string_view s) {
  std::uint64_t any = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    any |= w;
  }
  for (; i < s.size(); ++i) any |= static_cast<unsigned char>(s[i]);
  return (any & 0x8080808080808080ull) == 0;
}

// Forwards problems inside one field to csv_input::report with record offsets.
struct field_sink : problem_sink {
  csv_input& in;
  const raw_record& r;
  std::size_t base = 0;
  field_sink(csv_input& i, const raw_record& rec) : in(i), r(rec) {}
  void on_problem(const coding_problem& p) override {
    coding_problem q = p;
    q.offset += base;
    in.report(r, q);
  }
};

std::string hex_bytes(std::string_view b) {
  std::string out;
  for (unsigned char c : b) out += fmt::format("{}{:02X}", out.empty() ? "" : " ", c);
  return out;
}

// The 1-based character column of byte \p offset in \p text, counting from the
// start of its physical line.
std::size_t char_column(std::string_view text, std::size_t offset, encoding e) {
  std::size_t nl = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  std::size_t start = nl == std::string_view::npos ? 0 : nl + 1;
  std::size_t col = 1;
  for (std::size_t i = start; i < offset; ++col) {
    auto b = static_cast<unsigned char>(text[i]);
    if (e == encoding::cp932) {
      i += detail::is_lead(b) ? 2 : 1;
    } else {
      ++i;
      while (i < offset && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    }
  }
  return col;
}

}  // namespace

csv_input::csv_input(const std::string& path, kaiin::source_encoding from, diagnostics& diag, csv_dialect dialect,
                     bool rewindable)
    : file_(std::make_unique<file_source>(path)), diag_(diag), dialect_(dialect) {
  detection_ = detect_encoding(*file_, from);
  if (rewindable && !file_->rewindable()) {                       // a pipe read with a forced encoding
    file_->spool(detection_.data_start() ? "\xEF\xBB\xBF" : "");  // the BOM was read already
    file_->seek(detection_.data_start());
  }
  reader_ = std::make_unique<csv_reader>(*file_, dialect, detection_.data_start());
}

void csv_input::rewind() {
  file_->seek(detection_.data_start());
  reader_ = std::make_unique<csv_reader>(*file_, dialect_, detection_.data_start());
  records_ = 0;
  silent_ = true;
}

csv_input::~csv_input() = default;

std::string csv_input::column_name(std::size_t i) const {
  if (i < header_.size() && !header_[i].empty()) return header_[i];
  return format_tr("field {}", i + 1);
}

bool csv_input::next(raw_record& r) {
  if (!reader_ || !reader_->next(r)) return false;
  if (r.number == 0) {
    decode_fields(r, header_);
  } else {
    ++records_;
    progress::count_record();
  }
  for (const csv_problem& p : r.problems) {
    finding f{name(), r.number, p.line, std::nullopt, severity::error, "", ""};
    if (p.kind != csv_problem_kind::field_count) f.column = column_name(p.field);
    switch (p.kind) {
      case csv_problem_kind::unterminated_quote:
        f.rule = "csv-unterminated-quote";
        f.message = format_tr(
            "a quote opened in '{}' on this line is never closed, so the rest "
            "of the file is one field; close it, or double a quote meant as a "
            "character (\"\")",
            *f.column);
        break;
      case csv_problem_kind::bare_quote:
        f.rule = "csv-bare-quote";
        f.message = format_tr(
            "a quote inside the unquoted field '{}' at column {}: enclose the "
            "field in quotes and double the quote (\"\")",
            *f.column, char_column(r.text, p.offset, detection_.data_encoding()));
        break;
      case csv_problem_kind::text_after_quote:
        f.rule = "csv-text-after-quote";
        f.message = format_tr(
            "text after the closing quote of '{}' at column {}: a quote inside "
            "a quoted field must be doubled (\"\")",
            *f.column, char_column(r.text, p.offset, detection_.data_encoding()));
        break;
      case csv_problem_kind::bare_cr:
        f.rule = "csv-bare-cr";
        if (r.number == 0) {  // a file saved with old Mac line endings: one long line
          f.column.reset();   // the header's names run together across the CRs
          f.message = format_tr(
              "a CR alone at column {} of the header: the lines of this file end in CR only "
              "(old Mac line endings), so it reads as one line; save it with CRLF or LF line "
              "endings",
              char_column(r.text, p.offset, detection_.data_encoding()));
          break;
        }
        f.message = format_tr(
            "a CR that is not part of a CRLF in '{}' at column {}: records end "
            "in CRLF or LF (old Mac line endings are not read)",
            *f.column, char_column(r.text, p.offset, detection_.data_encoding()));
        break;
      case csv_problem_kind::field_count:
        f.rule = "csv-field-count";
        f.message =
            r.text.empty()
                ? format_tr("an empty line where a record of {} fields should be", reader_->header_fields())
                : format_tr("the record has {} fields, the header has {}", r.fields.size(), reader_->header_fields());
        break;
    }
    emit(f);
  }
  check_bytes(r);
  return true;
}

void csv_input::check_bytes(const raw_record& r) {
  // A NUL is never text: the file is damaged, or UTF-16 (which auto-detection
  // takes for UTF-8 when it has no BOM). Admin screens and Excel cut the value there.
  if (std::size_t at = r.text.find('\0'); at != std::string_view::npos) {
    std::size_t field = r.field_of(at);
    emit({name(), r.number, r.line, column_name(field), severity::error, "csv-nul-byte",
          format_tr("a NUL byte (00) {}: the file is damaged, or UTF-16; save it as UTF-8 or CP932 (Shift_JIS)",
                    place(r, at))});
  }
  // U+FEFF after the start: a file with a BOM pasted or cat'ed onto another. It is
  // invisible, yet 'n' with it is not n and an address with it is another address.
  if (detection_.data_encoding() == encoding::cp932) return;
  if (std::size_t at = r.text.find("\xEF\xBB\xBF"); at != std::string_view::npos) {
    std::size_t field = r.field_of(at);
    emit({name(), r.number, r.line, column_name(field), severity::error, "encoding-bom-inside",
          format_tr("a byte order mark (EF BB BF, U+FEFF) {}: a BOM belongs only at the start of a file (were "
                    "two files joined?): remove it",
                    place(r, at))});
  }
}

std::string csv_input::place(const raw_record& r, std::size_t offset) const {
  return format_tr("in '{}': line {}, column {}, byte offset {}", column_name(r.field_of(offset)), r.line_of(offset),
                   char_column(r.text, offset, detection_.data_encoding()), r.offset + offset);
}

void csv_input::decode_fields(const raw_record& r, record_values& values) {
  const std::size_t n = r.fields.size();
  values.views_.resize(n);
  if (values.buffers_.size() < n) values.buffers_.resize(n);
  for (std::size_t i = 0; i < n; ++i) values.views_[i] = decode_field(r, i, values.buffers_[i]);
}

std::string_view csv_input::decode_field(const raw_record& r, std::size_t i, std::string& v) {
  std::string_view raw = r.raw(i);
  const bool escaped = r.fields[i].escaped;
  const bool cp932 = detection_.data_encoding() == encoding::cp932;
  // Most fields (IDs, addresses, dates, numbers) are ASCII: nothing to convert.
  // (UTF-8 text with EE 80-9D may hold 外字, U+E000-U+E757, which are reported.)
  if (!escaped && (is_ascii(raw) || (!cp932 && first_invalid(raw, encoding::utf8) == std::string_view::npos &&
                                     raw.find('\xEE') == std::string_view::npos)))
    return raw;
  field_sink sink(*this, r);
  sink.base = r.fields[i].begin;
  v.clear();
  cp932 ? decode_cp932(raw, v, sink) : copy_utf8(raw, v, sink);
  if (escaped) {  // "" is one quote
    std::size_t out = 0;
    for (std::size_t k = 0; k < v.size(); ++k, ++out) {
      v[out] = v[k];
      if (v[k] == '"' && k + 1 < v.size() && v[k + 1] == '"') ++k;
    }
    v.resize(out);
  }
  return v;
}

void csv_input::decode_fields(const raw_record& r, std::vector<std::string>& values) {
  record_values views;
  decode_fields(r, views);
  values.assign(views.views_.begin(), views.views_.end());
}

void csv_input::report(const raw_record& r, const coding_problem& p, encoding target) {
  std::size_t field = r.field_of(p.offset);
  encoding src = detection_.data_encoding();
  std::string where = place(r, p.offset);
  finding f{name(), r.number, r.line, column_name(field), severity::error, "", ""};
  switch (p.kind) {
    case coding_problem::invalid:
      f.rule = "encoding-invalid";
      f.message = format_tr("bytes {} are not valid {} ({})", hex_bytes(r.text.substr(p.offset, p.length)),
                            src == encoding::cp932 ? "CP932" : "UTF-8", where);
      if (detection_.not_utf8 && !told_not_utf8_) {  // auto-detected: say why not UTF-8
        told_not_utf8_ = true;
        f.message += format_tr(
            "; the input was read as CP932 because it is not UTF-8 either "
            "(first bad UTF-8 byte at {}): is it in another encoding?",
            describe(*detection_.not_utf8));
      }
      break;
    case coding_problem::unencodable: {
      f.rule = "encoding-unmappable";
      std::string ch;
      append_utf8(ch, p.code_point);
      std::string target_name = target == encoding::cp932 ? "CP932" : "UTF-8";
      f.message = format_tr("{} '{}' has no {} code ({})", describe_char(p.code_point), ch, target_name, where);
      if (char32_t to = windows_fold(p.code_point)) {
        std::string t;
        append_utf8(t, to);
        f.message += format_tr(
            "; Macs and iPhones type it where Windows has {} '{}': --fold "
            "writes that",
            describe_char(to), t);
      } else {
        f.message += _("; --replace FILE can name a character to write instead");
      }
      break;
    }
    case coding_problem::eudc:
      f.severity = severity::warning;
      f.rule = "encoding-eudc";
      f.message = format_tr(
          "外字 (user-defined character) {} ({}): it shows differently, or not "
          "at all, on other computers",
          describe_char(p.code_point), where);
      break;
  }
  emit(f);
}

}  // namespace kaiin
