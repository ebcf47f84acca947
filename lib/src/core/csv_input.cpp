#include "core/csv_input.h"

#include <fmt/format.h>
#include <algorithm>
#include <cstring>

#include "core/byte_scan.h"
#include "core/cp932.h"
#include "core/csv_fields.h"
#include "core/progress.h"
#include "core/progress_counters.h"
#include "kaiin/i18n.h"

namespace kaiin {

namespace {

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

// True when UTF-8 \p raw is its own value: well-formed, without the EE 80-9D that
// start 外字 (U+E000-U+E757, which are reported).
bool utf8_as_is(std::string_view raw) {
  return first_invalid(raw, encoding::utf8) == std::string_view::npos && raw.find('\xEE') == std::string_view::npos;
}

// The byte after the character that starts at byte \p at of \p text, in CP932 or
// UTF-8 (an invalid byte is a character of its own; a CP932 lead byte before a
// newline is one: the newline is never its trail byte).
std::size_t after_char(std::string_view text, std::size_t at, bool cp932) {
  const auto b = static_cast<unsigned char>(text[at]);
  if (cp932) return at + (detail::is_lead(b) && at + 1 < text.size() && text[at + 1] != '\n' ? 2 : 1);
  ++at;
  while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  return at;
}

}  // namespace

csv_input::csv_input(const std::string& path, kaiin::source_encoding from, diagnostics& diag, secret_column_test secret,
                     csv_dialect dialect, bool rewindable)
    : file_(std::make_unique<file_source>(path)), diag_(diag), dialect_(dialect), secret_(secret) {
  detection_ = detect_encoding(*file_, from);
  if (rewindable && !file_->rewindable()) {                       // a pipe read with a forced encoding
    file_->spool(detection_.data_start() ? "\xEF\xBB\xBF" : "");  // the BOM was read already
    file_->seek(detection_.data_start());
  }
  reader_ = std::make_unique<csv_reader>(*file_, dialect, detection_.data_start());
}

void csv_input::rewind() {
  tell_progress();
  file_->seek(detection_.data_start());
  reader_ = std::make_unique<csv_reader>(*file_, dialect_, detection_.data_start());
  records_ = counted_ = 0;
  silent_ = true;
}

void csv_input::seek(std::uint64_t offset, std::uint64_t line, std::uint64_t number) {
  tell_progress();
  file_->seek(offset);
  reader_->resume_at(offset, line, number);
  records_ = counted_ = number - 1;
  silent_ = true;
}

csv_input::~csv_input() { tell_progress(); }

// The progress line's count is shared by every reader: told a thousand records at a
// time, so that two reading threads (kaiin-points diff reads both snapshots at once)
// neither write its cache line by turns for every record nor lose counts.
void csv_input::tell_progress() {
  if (records_ > counted_) progress::count_records(records_ - counted_);
  counted_ = records_;
}

void csv_input::skip_to_end() {
  silent_ = true;
  for (raw_record r; next(r);) {
  }
}

std::string csv_input::column_name(std::size_t i) const {
  if (i < header_.size() && !header_[i].empty()) return header_[i];
  return format_tr("field {}", i + 1);
}

bool csv_input::next(raw_record& r) {
  if (!read_record(r)) {
    tell_progress();
    return false;
  }
  take(r);
  return true;
}

bool csv_input::read_record(raw_record& r) {
  if (!reader_ || !reader_->next(r)) return false;
  know_clean(r);
  return true;
}

// Found with the bytes read after the record, once for what the reader holds rather
// than once a record (as valid_bytes() validates): a NUL search and a validation a
// record were an eighth of kaiin-points' instructions on rows of 17 bytes
// (callgrind). A record not known clean is checked by itself, where the problem is
// reported; each search stops at the first problem, so that a file with many does
// not search far ahead for each.
void csv_input::know_clean(raw_record& r) {
  const std::uint64_t end = r.offset + r.text.size();
  if (r.offset < clean_from_ || end > clean_to_) find_clean(r.offset, reader_->held_from(r));
  r.clean = end <= clean_to_;
}

void csv_input::find_clean(std::uint64_t at, std::string_view held) {
  std::string_view clean = held.substr(0, held.find('\0'));
  if (detection_.data_encoding() != encoding::cp932) clean = clean.substr(0, clean.find("\xEF\xBB\xBF"));
  clean_from_ = at;
  clean_to_ = at + clean.size();
}

void csv_input::find_valid(std::uint64_t at, std::string_view held) {
  valid_from_ = at;
  valid_to_ = at + std::min(first_invalid(held, detection_.data_encoding()), held.size());
}

bool csv_input::valid_bytes(const raw_record& r) {
  const std::uint64_t end = r.offset + r.text.size();
  if (r.offset >= valid_from_ && end <= valid_to_) return true;
  const encoding e = detection_.data_encoding();
  const std::string_view held = reader_ ? reader_->held_from(r) : std::string_view();
  if (held.empty()) return first_invalid(r.text, e) == std::string_view::npos;
  // Read on from the bytes validated last, it validates further ahead each time, up to
  // what is held; a record visited alone (a second reading that seeks) validates
  // little more than itself (kaiin-crm's second reading validated 20% more bytes).
  const bool reading_on = r.offset >= valid_from_ && r.offset <= valid_to_;
  ahead_ = reading_on ? std::min<std::size_t>(ahead_ * 2, std::size_t{1} << 20) : 4096;
  find_valid(r.offset, held.substr(0, std::max(ahead_, r.text.size())));
  return end <= valid_to_;
}

plain_block csv_input::plain_lines() {
  if (!reader_) return {};
  plain_block block = reader_->plain_lines();
  if (block.text.empty()) return block;
  // What know_clean() and valid_bytes() find a record at a time, found for the
  // lines at once, each search done again only once the lines it covered are taken.
  const std::uint64_t at = reader_->bytes_read();
  if (at < clean_from_ || at >= clean_to_) find_clean(at, block.text);
  if (at < valid_from_ || at >= valid_to_) find_valid(at, block.text);
  const std::string_view usable = block.text.substr(0, std::min(clean_to_, valid_to_) - at);
  block.text = usable.substr(0, usable.rfind('\n') + 1);  // whole lines (none: empty)
  return block;
}

void csv_input::take_plain(std::size_t bytes, std::uint64_t records) {
  reader_->take_plain(bytes, records);
  records_ += records;
  if (records_ - counted_ >= 1024) tell_progress();
}

void csv_input::take(const raw_record& r) {
  if (r.number != 0 && r.problems.empty() && r.clean) {  // most records: nothing to report
    if (++records_ - counted_ == 1024) tell_progress();
    return;
  }
  if (r.number == 0) {
    decode_fields(r, header_);  // its bad bytes reported here, once (see report())
    header_decoded_ = true;
  } else {
    if (++records_ - counted_ == 1024) tell_progress();
  }
  if (r.number == 0 && r.text.empty()) {
    // Every record would then have more fields than the header's one: the empty line
    // is the problem, said once.
    header_empty_ = true;
    emit({name(), 0, r.line, std::nullopt, severity::error, "csv-header-empty",
          _("the first line is empty where the header (the column names) should be: remove the empty line "
            "above the header")});
    return;
  }
  report_problems(r);
  check_bytes(r);
}

void csv_input::report_problems(const raw_record& r) {
  for (const csv_problem& p : r.problems) {
    if (p.kind == csv_problem_kind::field_count && header_empty_) continue;  // said once, at the header
    finding f{name(), r.number, p.line, std::nullopt, severity::error, "", ""};
    if (p.kind != csv_problem_kind::field_count) f.column = column_name(p.field);
    // Where in the physical line, for a person looking at the file in an editor.
    auto at = [&] { return line_and_column(r, p.offset).second; };
    auto in_parentheses = [](const std::string& v) { return v.empty() ? v : " (" + v + ")"; };
    switch (p.kind) {
      case csv_problem_kind::unterminated_quote:
        f.rule = "csv-unterminated-quote";
        f.message = format_tr(
            "a quote opened in column '{}' on this line is never closed, so the rest of the file is one "
            "value; close it, or double a quote meant as a character (\"\")",
            *f.column);
        break;
      case csv_problem_kind::bare_quote:
        f.rule = "csv-bare-quote";
        f.message = format_tr(
            "a quote inside an unquoted value in column '{}', character {} of the line{}: enclose the value in "
            "quotes and double the quote (\"\")",
            *f.column, at(), in_parentheses(shown_value(r, p.field)));
        break;
      case csv_problem_kind::text_after_quote:
        f.rule = "csv-text-after-quote";
        f.message = format_tr(
            "text after the closing quote in column '{}', character {} of the line{}: a quote inside a quoted "
            "value must be doubled (\"\")",
            *f.column, at(), in_parentheses(shown_value(r, p.field)));
        break;
      case csv_problem_kind::bare_cr:
        f.rule = "csv-bare-cr";
        if (r.number == 0) {  // a file saved with old Mac line endings: one long line
          f.column.reset();   // the header's names run together across the CRs
          f.message = format_tr(
              "a CR alone at column {} of the header: the lines of this file end in CR only "
              "(old Mac line endings), so it reads as one line; save it with CRLF or LF line "
              "endings",
              at());
          break;
        }
        f.message = format_tr(
            "a CR that is not part of a CRLF in column '{}', character {} of the line: records end in CRLF or LF "
            "(old Mac line endings are not read)",
            *f.column, at());
        break;
      case csv_problem_kind::field_count:
        f.rule = "csv-field-count";
        f.message = r.text.empty() ? format_plural("an empty line where a record of {} field should be",
                                                   "an empty line where a record of {} fields should be",
                                                   reader_->header_fields(), reader_->header_fields())
                                   : format_plural("the record has {} field, the header has {}",
                                                   "the record has {} fields, the header has {}", r.fields.size(),
                                                   r.fields.size(), reader_->header_fields());
        break;
    }
    if (f.column) f.value = field_value(r, p.field);  // the value with the stray quote or CR
    emit(f);
  }
}

void csv_input::check_bytes(const raw_record& r) {
  if (r.clean) return;
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

std::optional<std::string_view> csv_input::field_start(const raw_record& r, std::size_t field, std::size_t chars) {
  if (field >= r.fields.size()) return std::nullopt;
  if (secret_columns_.empty()) {  // which columns hold secrets, asked once
    secret_columns_.resize(header_.size() + 1, false);
    for (std::size_t i = 0; secret_ && i < header_.size(); ++i) secret_columns_[i] = secret_(header_[i]);
  }
  if (field < header_.size() && secret_columns_[field]) return std::nullopt;  // never a password's value
  const bool cp932 = detection_.data_encoding() == encoding::cp932;
  const std::string_view raw = r.raw(field);
  std::size_t end = 0;
  for (std::size_t n = 0; end < raw.size() && n < chars; ++n) end = after_char(raw, end, cp932);
  return raw.substr(0, end);
}

namespace {
struct ignored_problems : problem_sink {
  void on_problem(const coding_problem&) override {}  // reported where the value is decoded
};
}  // namespace

std::string csv_input::shown_value(const raw_record& r, std::size_t field) {
  // Its first shown_chars characters: a long value full of stray quotes (a pasted
  // text, a damaged file) has a finding for each, and decoding and writing it whole
  // in every one took time and room growing with the square of its length.
  constexpr std::size_t shown_chars = 80;
  std::optional<std::string_view> start = field_start(r, field, shown_chars);
  if (!start) return {};
  std::string value;
  ignored_problems ignore;
  detection_.data_encoding() == encoding::cp932 ? decode_cp932(*start, value, ignore)
                                                : copy_utf8(*start, value, ignore);
  return "'" + value + (start->size() < r.raw(field).size() ? "'\u2026" : "'");
}

std::optional<std::string> csv_input::field_value(const raw_record& r, std::size_t field) {
  if (!diag_.wants_values()) return std::nullopt;
  // A value a report shows in full up to a few hundred characters: its first
  // thousands are enough to say how long it is, and a damaged file's one 100 MB
  // value is not copied into each of its findings.
  constexpr std::size_t kept_chars = 4096;
  std::optional<std::string_view> start = field_start(r, field, kept_chars);
  if (!start) return std::nullopt;
  std::string value;
  ignored_problems ignore;
  if (detection_.data_encoding() == encoding::cp932)
    decode_cp932(*start, value, ignore);
  else
    value.assign(*start);  // as written: bytes that are not UTF-8 are the report's to show
  if (start->size() < r.raw(field).size()) value += "\u2026";
  return value;
}

std::pair<std::uint64_t, std::size_t> csv_input::line_and_column(const raw_record& r, std::size_t offset) const {
  walk& w = walk_;
  if (w.text != r.text.data() || w.record_offset != r.offset || w.size != r.text.size() || offset < w.asked)
    w = {r.text.data(), r.offset, r.text.size(), 0, 0, 0, r.line};
  w.asked = offset;
  const bool cp932 = detection_.data_encoding() == encoding::cp932;
  const std::string_view text = r.text;
  while (w.at < offset) {
    if (text[w.at] == '\n') {  // never a trail byte: a line starts after it
      ++w.line;
      w.starts = 0;
      ++w.at;
      continue;
    }
    ++w.starts;
    w.at = after_char(text, w.at, cp932);
  }
  return {w.line, w.starts + 1};
}

std::string csv_input::place(const raw_record& r, std::size_t offset) const {
  auto [line, column] = line_and_column(r, offset);
  return format_tr("in '{}': line {}, column {}, byte offset {}", column_name(r.field_of(offset)), line, column,
                   r.offset + offset);
}

void csv_input::decode_fields(const raw_record& r, record_values& values, const std::vector<bool>* as_read) {
  // A record at a time: one scan finds where its non-ASCII bytes are, so that each
  // ASCII field (most of them: IDs, dates, numbers, e-mails) is a view for one
  // comparison, and the others are decoded one after another into one buffer. A
  // call and a scan a field, each decoded into a string of its own, was 13% of
  // kaiin-check's time on an upload.
  const std::size_t n = r.fields.size();
  values.views_.resize(n);
  const auto* text = reinterpret_cast<const unsigned char*>(r.text.data());
  const std::size_t size = r.text.size();
  const bool cp932 = detection_.data_encoding() == encoding::cp932;
  std::size_t high = detail::skip_ascii(text, 0, size);  // the next non-ASCII byte, or size
  char* o = nullptr;                                     // where the next decoded value goes
  field_sink sink(*this, r);
  for (std::size_t i = 0; i < n; ++i) {
    const csv_field& f = r.fields[i];
    std::string_view raw = r.text.substr(f.begin, f.end - f.begin);
    if (high < f.begin) high = detail::skip_ascii(text, f.begin, size);
    const bool ascii = high >= f.end;
    if (!f.escaped && (ascii || (!cp932 && utf8_as_is(raw)) ||
                       (cp932 && as_read && i < as_read->size() && (*as_read)[i] && detail::decodes_quietly(raw)))) {
      values.views_[i] = raw;
      continue;
    }
    if (!o) {
      if (values.buffer_.size() < detail::decoded_room(size)) values.buffer_.resize(detail::decoded_room(size));
      o = values.buffer_.data();
    }
    char* start = o;
    sink.base = f.begin;
    if (ascii) {
      std::memcpy(o, raw.data(), raw.size());
      o += raw.size();
    } else {
      o = cp932 ? detail::decode_cp932_to(raw, o, sink) : detail::copy_utf8_to(raw, o, sink);
    }
    if (f.escaped) o = start + unescape_quotes(start, static_cast<std::size_t>(o - start));
    values.views_[i] = std::string_view(start, static_cast<std::size_t>(o - start));
  }
  values.decoded_ = o ? static_cast<std::size_t>(o - values.buffer_.data()) : 0;
}

std::string_view csv_input::decode_field(const raw_record& r, std::size_t i, std::string& v) {
  std::string_view raw = r.raw(i);
  const bool escaped = r.fields[i].escaped;
  const bool cp932 = detection_.data_encoding() == encoding::cp932;
  // Most fields (IDs, addresses, dates, numbers) are ASCII: nothing to convert.
  if (!escaped && (detail::is_ascii(raw) || (!cp932 && utf8_as_is(raw)))) return raw;
  field_sink sink(*this, r);
  sink.base = r.fields[i].begin;
  v.resize(detail::decoded_room(raw.size()));
  char* end = cp932 ? detail::decode_cp932_to(raw, v.data(), sink) : detail::copy_utf8_to(raw, v.data(), sink);
  std::size_t size = static_cast<std::size_t>(end - v.data());
  v.resize(escaped ? unescape_quotes(v.data(), size) : size);
  return v;
}

void csv_input::decode_fields(const raw_record& r, std::vector<std::string>& values) {
  record_values views;
  decode_fields(r, views);
  values.assign(views.views_.begin(), views.views_.end());
}

void csv_input::report(const raw_record& r, const coding_problem& p, encoding target) {
  // The header's bytes were reported as it was read: a job that converts or checks
  // the header again (kaiin-conv, kaiin-split) adds no second finding of each. What
  // only a conversion finds (a character the target lacks) is its own.
  if (r.number == 0 && header_decoded_ && p.kind != coding_problem::unencodable) return;
  std::size_t field = r.field_of(p.offset);
  encoding src = detection_.data_encoding();
  std::string where = place(r, p.offset);
  finding f{name(), r.number, r.line, column_name(field), severity::error, "", "", field_value(r, field)};
  switch (p.kind) {
    case coding_problem::invalid:
      f.rule = "encoding-invalid";
      f.message = format_tr("bytes {} are not valid {} ({})", detail::hex_bytes(r.text.substr(p.offset, p.length)),
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
      if (char32_t to = windows_fold(p.code_point); to && to < 0x80) {  // ¥ and ‾ of a Mac JIS keyboard
        f.message += format_tr(
            "; a Mac JIS keyboard types it, where Windows has the byte {:02X} ('{}', which Japanese Windows "
            "shows as {}): --fold writes that",
            static_cast<unsigned>(to), static_cast<char>(to), p.code_point == 0xA5 ? "¥" : "~");
      } else if (to) {
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
