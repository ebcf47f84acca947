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
  const raw_record* r = nullptr;
  encoding target;
  std::uint64_t eudc = 0;
  std::size_t base = 0;      // where the text being converted starts in the record
  bool ignore_fffd = false;  // the second step of CP932 → CP932 meets reported bytes again
  record_sink(csv_input& i, encoding t) : in(i), target(t) {}
  void on_problem(const coding_problem& p) override {
    if (ignore_fffd) return;
    if (p.kind == coding_problem::eudc) ++eudc;
    coding_problem q = p;
    q.offset += base;
    in.report(*r, q, target);
  }
};

// Loads --fold and --replace; a replacement that the target cannot hold is refused.
char_map load_map(const conv_options& o) {
  char_map map;
  if (!o.replace_file.empty()) map.add_file(o.replace_file);
  if (o.fold) map.add_folds();
  if (o.to == encoding::cp932) {
    for (const auto& u : map.uses()) {
      std::string bytes;
      if (!detail::try_encode_cp932(u.to, bytes))
        throw error(format_tr("the replacement for {} is '{}', which has no CP932 code", describe_char(u.from), u.to),
                    o.replace_file);
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

}  // namespace

int run_conv(const conv_options& o, diagnostics& diag) {
  atomic_output::refuse_inputs(o.output, {o.input, o.replace_file});
  char_map map = load_map(o);
  const char_map* mapping = map.empty() ? nullptr : &map;
  csv_input in(o.input, o.from, diag, is_password_header);
  raw_record header;
  // The header first: it says whether the output holds passwords. An empty file is
  // not a CSV (an export that failed, a file saved empty): nothing to convert.
  if (!in.next(header)) throw data_error("file-empty", _("the file is empty: a header is missing"), in.name());

  atomic_output out(o.output, holds_passwords(in.header()));
  if (o.to == encoding::utf8_bom) out.stream().write("\xEF\xBB\xBF");
  const encoding src = in.source_encoding() == encoding::cp932 ? encoding::cp932 : encoding::utf8;
  const encoding dst = o.to == encoding::cp932 ? encoding::cp932 : encoding::utf8;

  record_sink sink(in, dst);
  const bool detected = o.from == source_encoding::auto_detect;
  latin1_watch latin1;
  std::string buf, utf8;
  bool writing = true;
  std::uint64_t escaped = 0;
  // Converts \p text, which starts at byte \p base of the record, appending to buf.
  auto convert_part = [&](std::string_view text, std::size_t base) {
    sink.base = base;
    if (src == encoding::cp932 && dst == encoding::utf8) {
      decode_cp932(text, buf, sink, mapping);
    } else if (src == encoding::utf8 && dst == encoding::utf8) {
      copy_utf8(text, buf, sink, mapping);
    } else if (src == encoding::utf8) {
      encode_cp932(text, buf, sink, mapping);
    } else {  // CP932 to CP932: checked, and replaced where asked
      utf8.clear();
      decode_cp932(text, utf8, sink, mapping);
      sink.ignore_fffd = true;
      encode_cp932(utf8, buf, sink);
      sink.ignore_fffd = false;
    }
  };
  // To UTF-8 as it is, a record is decoded straight into the output's buffer, and
  // kept there unless it is not to be written: copying it there from a string of its
  // own was about 3% of the conversion benchmark's CPU time (perf).
  const bool in_place = dst == encoding::utf8 && !o.escape_formulas && !mapping;
  // Converts and writes one record; false once the findings' limit is reached.
  auto convert = [&](const raw_record& r) {
    if (r.malformed()) writing = false;
    sink.r = &r;
    const std::string_view newline = newline_for(r, o.newline);
    std::string_view converted;
    char* at = in_place ? out.stream().room(detail::decoded_room(r.text.size()) + newline.size()) : nullptr;
    if (at) {  // nullptr: a record bigger than the buffer
      sink.base = 0;
      char* end =
          src == encoding::cp932 ? detail::decode_cp932_to(r.text, at, sink) : detail::copy_utf8_to(r.text, at, sink);
      converted = std::string_view(at, static_cast<std::size_t>(end - at));
    } else {
      buf.clear();
      if (!o.escape_formulas) {
        convert_part(r.text, 0);
      } else {  // converted a piece at a time, the escape put in between (never --replace'd)
        escaped += append_escaping_formulas(buf, r, convert_part);
      }
      converted = buf;
    }
    if (detected && src == encoding::cp932) {  // the decoded record, where it is whole and unmapped
      std::string_view decoded;                // (a conditional with "" would view a temporary copy)
      if (!o.escape_formulas && !mapping) decoded = dst == encoding::utf8 ? converted : utf8;
      latin1.look(in, r, decoded);
    }
    if (diag.errors()) writing = false;
    if (!writing) return !diag.limit_reached();
    if (at) {
      std::memcpy(at + converted.size(), newline.data(), newline.size());
      out.stream().keep(converted.size() + newline.size());
    } else {
      out.stream().write(buf);
      out.stream().write(newline);
    }
    return !diag.limit_reached();
  };
  // The records after the header are read on a thread of their own (record_stream.h):
  // reading and converting a record take about as long as each other, and overlap.
  if (convert(header))
    detail::for_each_record([&](raw_record& r) { return in.read_record(r); },
                            detail::worth_a_thread(in.file().size_hint()),
                            [&](const raw_record& r) {
                              in.take(r);
                              return convert(r);
                            });

  latin1.report(diag);
  diag.summary("input", in.name());
  // An auto-detected encoding is said where a person sees it: writing a file (a
  // converter is otherwise silent, like iconv) or on a terminal; not in a pipe's log.
  diag.summary("from", std::string(encoding_name(in.source_encoding())),
               detected ? detected_note(in.detected()) : std::string());
  if (detected && (o.output != "-" || ::isatty(STDERR_FILENO) == 1)) diag.mark_notable();
  diag.summary("to", std::string(encoding_name(o.to)));
  diag.summary("records", in.records());
  for (const auto& u : map.uses()) {
    if (u.count == 0) continue;
    diag.mark_notable();
    diag.summary(fmt::format("{} U+{:04X}", u.is_fold ? "folded" : "replaced", static_cast<std::uint32_t>(u.from)),
                 u.count);
  }
  if (sink.eudc) diag.summary("eudc", sink.eudc);
  diag.add_escaped(escaped);
  if (commit_unless_errors(out, diag, "output")) return 1;
  diag.summary("output", out.name());
  return 0;
}

}  // namespace kaiin
