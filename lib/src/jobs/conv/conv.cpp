#include "kaiin/conv.h"

#include <unistd.h>

#include <fmt/format.h>
#include <cstring>

#include "core/cp932.h"
#include "core/csv_input.h"
#include "core/encoding_names.h"
#include "core/output_set.h"
#include "core/record_batches.h"
#include "core/record_stream.h"
#include "jobs/conv/mojibake.h"
#include "kaiin/error.h"
#include "kaiin/i18n.h"
#include "members/member_columns.h"
#include "members/profile.h"

namespace kaiin {

namespace {

// Sends the problems of one record's conversion to csv_input, in record offsets.
struct record_sink : problem_sink {
  csv_input& in;
  const raw_record* record = nullptr;  // the record being converted
  encoding target;
  std::uint64_t eudc = 0;
  std::size_t base = 0;      // where the text being converted starts in the record
  bool ignore_fffd = false;  // the second step of CP932 → CP932 meets reported bytes again
  record_sink(csv_input& i, encoding t) : in(i), target(t) {}
  void on_problem(const coding_problem& p) override {
    if (ignore_fffd) return;
    if (p.kind == coding_problem::eudc) ++eudc;
    coding_problem in_record = p;
    in_record.offset += base;
    in.report(*record, in_record, target);
  }
};

// Loads --fold and --replace; a replacement that the target cannot hold is refused.
char_map load_map(const conv_options& options) {
  char_map map;
  if (!options.replace_file.empty()) map.add_file(options.replace_file);
  if (options.fold) map.add_folds();
  if (options.to == encoding::cp932) {
    for (const auto& u : map.uses()) {
      std::string bytes;
      if (!detail::try_encode_cp932(u.to, bytes))
        throw error(format_tr("the replacement for {} is '{}', which has no CP932 code", describe_char(u.from), u.to),
                    options.replace_file);
    }
  }
  return map;
}

// How auto-detection chose the encoding, for the summary: "detected: valid UTF-8".
std::string detected_note(const detection& d) {
  if (d.enc == encoding::utf8_bom) return _("detected: a UTF-8 BOM");
  if (d.not_utf8) return format_tr("detected: not UTF-8 at line {}, column {}", d.not_utf8->line, d.not_utf8->column);
  return _("detected: valid UTF-8");
}

// A Latin-1 (Windows-1252) file is valid CP932 where its accented capitals fall on
// half-width katakana: auto-detection reads it as CP932, as the spec says, and this
// says what that looks like. One warning a file, at the first such value.
struct latin1_watch {
  std::uint64_t values = 0;
  finding first;
  /// \p decoded: the record in UTF-8 when the conversion made it whole, else empty.
  void look(csv_input& in, const raw_record& r, std::string_view decoded) {
    if (!decoded.empty() && !detail::has_lone_kana_beside_letter(decoded)) return;
    std::size_t at = detail::find_latin1_letter(r.text);
    if (at == std::string_view::npos) return;
    if (values++) return;
    std::size_t field = r.field_of(at);
    first = {in.name(), r.number, r.line_of(at), in.column_name(field), severity::warning, "encoding-maybe-latin1", ""};
    std::string value = in.shown_value(r, field);
    first.message = format_tr("a half-width katakana alone beside Latin letters ({}{}",
                              value.empty() ? "" : value + ", ", in.place(r, at));
  }
  void report(diagnostics& diag) {
    if (!values) return;
    first.message += format_plural(
        "; {} value like it): the file may be ISO-8859-1 or Windows-1252 text, read as CP932 because it is not "
        "UTF-8; convert it from that encoding first (iconv -f WINDOWS-1252 -t UTF-8), or give -f cp932 if it is "
        "CP932",
        "; {} values like it): the file may be ISO-8859-1 or Windows-1252 text, read as CP932 because it is not "
        "UTF-8; convert it from that encoding first (iconv -f WINDOWS-1252 -t UTF-8), or give -f cp932 if it is "
        "CP932",
        values, values);
    diag.report(first);
  }
};

std::string_view newline_for(const raw_record& r, newline_style style) {
  if (r.newline.empty() || style == newline_style::keep) return r.newline;
  return style == newline_style::crlf ? "\r\n" : "\n";
}

// Converts the records one after another and writes them to the output, stopping
// writing (not reading) at the first error: what converting a record needs, kept
// between records.
class record_converter {
 public:
  record_converter(csv_input& in, atomic_output& out, const conv_options& options, const char_map* mapping,
                   diagnostics& diag)
      : in_(in),
        out_(out),
        options_(options),
        mapping_(mapping),
        diag_(diag),
        src_(in.source_encoding() == encoding::cp932 ? encoding::cp932 : encoding::utf8),
        dst_(options.to == encoding::cp932 ? encoding::cp932 : encoding::utf8),
        sink_(in, dst_),
        detected_(options.from == source_encoding::auto_detect),
        in_place_(dst_ == encoding::utf8 && !options.escape_formulas && !mapping) {}

  // Converts and writes record \p r; false once the findings' limit is reached.
  bool convert(const raw_record& r) {
    if (r.malformed()) writing_ = false;
    sink_.record = &r;
    const std::string_view newline = newline_for(r, options_.newline);
    // nullptr: converted into buf_ (not in place, or a record bigger than the output's buffer)
    char* at = in_place_ ? out_.stream().room(detail::decoded_room(r.text.size()) + newline.size()) : nullptr;
    const std::string_view converted = at ? convert_in_place(r, at) : convert_to_buffer(r);
    if (detected_ && src_ == encoding::cp932) watch_latin1(r, converted);
    if (diag_.errors()) writing_ = false;
    if (writing_) write(at, converted, newline);
    return !diag_.limit_reached();
  }

  // Reports what the records as a whole showed (a Latin-1 file read as CP932).
  void finish() { latin1_.report(diag_); }
  // 外字 met, and cells escaped with --escape-formulas.
  std::uint64_t eudc() const { return sink_.eudc; }
  std::uint64_t escaped() const { return escaped_; }

 private:
  csv_input& in_;
  atomic_output& out_;
  const conv_options& options_;
  const char_map* mapping_;  // nullptr: no --fold or --replace
  diagnostics& diag_;
  const encoding src_, dst_;  // CP932 or UTF-8 each, whatever BOM
  record_sink sink_;
  const bool detected_;  // the input's encoding was auto-detected
  // To UTF-8 as it is, a record is decoded straight into the output's buffer, and
  // kept there unless it is not to be written: copying it there from a string of its
  // own was about 3% of the conversion benchmark's CPU time (perf).
  const bool in_place_;
  latin1_watch latin1_;
  std::string buf_, utf8_;  // the record converted, and CP932 → CP932's UTF-8 between
  bool writing_ = true;
  std::uint64_t escaped_ = 0;

  // Converts \p r into the output's buffer at \p at, which has the room.
  std::string_view convert_in_place(const raw_record& r, char* at) {
    sink_.base = 0;
    char* end =
        src_ == encoding::cp932 ? detail::decode_cp932_to(r.text, at, sink_) : detail::copy_utf8_to(r.text, at, sink_);
    return std::string_view(at, static_cast<std::size_t>(end - at));
  }

  // Converts \p r into buf_, escaping formulas where asked.
  std::string_view convert_to_buffer(const raw_record& r) {
    buf_.clear();
    if (!options_.escape_formulas) {
      convert_part(r.text, 0);
    } else {  // converted a piece at a time, the escape put in between (never --replace'd)
      escaped_ += append_escaping_formulas(
          buf_, r, [this](std::string_view text, std::size_t base) { convert_part(text, base); });
    }
    return buf_;
  }

  // Converts \p text, which starts at byte \p base of the record, appending to buf_.
  void convert_part(std::string_view text, std::size_t base) {
    sink_.base = base;
    if (src_ == encoding::cp932 && dst_ == encoding::utf8) {
      decode_cp932(text, buf_, sink_, mapping_);
    } else if (src_ == encoding::utf8 && dst_ == encoding::utf8) {
      copy_utf8(text, buf_, sink_, mapping_);
    } else if (src_ == encoding::utf8) {
      encode_cp932(text, buf_, sink_, mapping_);
    } else {  // CP932 to CP932: checked, and replaced where asked
      utf8_.clear();
      decode_cp932(text, utf8_, sink_, mapping_);
      sink_.ignore_fffd = true;
      encode_cp932(utf8_, buf_, sink_);
      sink_.ignore_fffd = false;
    }
  }

  // Looks at the decoded record \p converted, where it is whole and unmapped, for
  // signs of a Latin-1 file.
  void watch_latin1(const raw_record& r, std::string_view converted) {
    std::string_view decoded;  // (a conditional with "" would view a temporary copy)
    if (!options_.escape_formulas && !mapping_) decoded = dst_ == encoding::utf8 ? converted : utf8_;
    latin1_.look(in_, r, decoded);
  }

  // Writes \p converted and \p newline: in place (\p at) or from buf_.
  void write(char* at, std::string_view converted, std::string_view newline) {
    if (at) {
      std::memcpy(at + converted.size(), newline.data(), newline.size());
      out_.stream().keep(converted.size() + newline.size());
    } else {
      out_.stream().write(buf_);
      out_.stream().write(newline);
    }
  }
};

// The summary: what was read and written, how the encoding was chosen, what was
// folded or replaced.
void summarise(const csv_input& in, const conv_options& options, const char_map& map, const record_converter& converter,
               diagnostics& diag) {
  diag.summary("input", in.name());
  // An auto-detected encoding is said where a person sees it: writing a file (a
  // converter is otherwise silent, like iconv) or on a terminal; not in a pipe's log.
  const bool detected = options.from == source_encoding::auto_detect;
  diag.summary("from", std::string(encoding_name(in.source_encoding())),
               detected ? detected_note(in.detected()) : std::string());
  if (detected && (options.output != "-" || ::isatty(STDERR_FILENO) == 1)) diag.mark_notable();
  diag.summary("to", std::string(encoding_name(options.to)));
  diag.summary("records", in.records());
  for (const auto& use : map.uses()) {
    if (use.count == 0) continue;
    diag.mark_notable();
    diag.summary(fmt::format("{} U+{:04X}", use.is_fold ? "folded" : "replaced", static_cast<std::uint32_t>(use.from)),
                 use.count);
  }
  if (converter.eudc()) diag.summary("eudc", converter.eudc());
  diag.add_escaped(converter.escaped());
}

}  // namespace

int run_conv(const conv_options& options, diagnostics& diag) {
  atomic_output::refuse_inputs(options.output, {options.input, options.replace_file});
  char_map map = load_map(options);
  csv_input in(options.input, options.from, diag, is_password_header);
  raw_record header;
  // The header first: it says whether the output holds passwords. An empty file is
  // not a CSV (an export that failed, a file saved empty): nothing to convert.
  if (!in.next(header)) throw data_error("file-empty", _("the file is empty: a header is missing"), in.name());
  atomic_output out(options.output, holds_passwords(in.header()));
  if (options.to == encoding::utf8_bom) out.stream().write("\xEF\xBB\xBF");

  record_converter converter(in, out, options, map.empty() ? nullptr : &map, diag);
  // The records after the header are read on a thread of their own (record_stream.h):
  // reading and converting a record take about as long as each other, and overlap.
  if (converter.convert(header))
    detail::for_each_record([&](raw_record& r) { return in.read_record(r); },
                            detail::worth_a_thread(in.file().size_hint()),
                            [&](const raw_record& r) {
                              in.take(r);
                              return converter.convert(r);
                            });
  converter.finish();
  summarise(in, options, map, converter, diag);
  if (commit_unless_errors(out, diag, "output")) return 1;
  diag.summary("output", out.name());
  return 0;
}

}  // namespace kaiin
