#include "kaiin/diagnostics.h"

#include <fmt/format.h>

#include "core/report_writer.h"
#include "core/stream_names.h"
#include "kaiin/i18n.h"

namespace kaiin {

namespace {

// A message quotes values, and a value may be a whole 100 MB field: past
// max_message bytes, the report keeps the message's start and end (where the hint
// is) and says how many bytes it left out. Cuts fall between UTF-8 characters.
constexpr std::size_t max_message = 1000;
std::string shortened(std::string_view m) {
  auto boundary = [&](std::size_t i) {
    while (i < m.size() && (static_cast<unsigned char>(m[i]) & 0xC0) == 0x80) ++i;
    return i;
  };
  std::size_t head = boundary(600), tail = boundary(m.size() - 300);
  return format_tr("{} [... {} bytes left out ...] {}", m.substr(0, head), tail - head, m.substr(tail));
}

// What the text summary calls each summary key: the key with spaces for
// underscores, translated. The JSON summary keeps the keys themselves. Every key a
// tool passes to summary() is here, so that xgettext collects it (a test checks).
constexpr const char* summary_labels[] = {
    N_("add"), N_("address changed"), N_("addresses"), N_("addresses held back"), N_("addresses invalid"),
    N_("adjustments"), N_("ambiguous"), N_("appeared"), N_("auto"), N_("changes"), N_("characters sanitized"),
    N_("create"), N_("customers"), N_("customers unchanged"), N_("customers written"), N_("delete"), N_("delete rows"),
    N_("encoding"), N_("errors"), N_("errors not shown"), N_("eudc"), N_("existing members"), N_("expiry dates"),
    N_("file"), N_("files"), N_("files written"), N_("formula cells escaped"), N_("found"), N_("from"), N_("held back"),
    N_("input"), N_("key"), N_("load file"), N_("manual"), N_("members"), N_("members address invalid"),
    N_("members not subscribed"), N_("members read"), N_("members skipped"), N_("members to merge"),
    N_("members without address"), N_("members without subscription"), N_("members written"), N_("merge groups"),
    N_("new"), N_("new and update rows"), N_("not checked"), N_("not found"), N_("old"), N_("order rows"), N_("orders"),
    N_("orders written"), N_("output"), N_("point history"), N_("points carried"), N_("points total"), N_("profile"),
    N_("records"), N_("records changed"), N_("remove"), N_("rows"), N_("rows written"), N_("rules"),
    N_("second addresses"), N_("shared addresses merged"), N_("stopped at"), N_("tags"), N_("to"), N_("unchanged"),
    N_("unsubscribed"), N_("update"), N_("values sanitized"), N_("vanished"), N_("warnings"),
    // "folded U+301C 3": a character --fold or --replace changed, and how often.
    N_("folded"), N_("replaced"),
    // "fixed zip-format 2": values kaiin-fix changed to satisfy a rule, by rule id;
    // the rules kaiin-fix corrects have a label of their own (修正した郵便番号),
    // another shows its rule id after "fixed".
    N_("fixed"), N_("fixed birthday-date"), N_("fixed control-value"), N_("fixed email-syntax"), N_("fixed fold"),
    N_("fixed kana-format"), N_("fixed mailmag-value"), N_("fixed member-id-format"), N_("fixed password-flag"),
    N_("fixed point-format"), N_("fixed pref-name"), N_("fixed sex-value"), N_("fixed tel-format"),
    N_("fixed zip-format"), N_("fixed address-pref-repeated"), N_("fixed excel-address-date"),
    N_("fixed excel-dropped-fields"), N_("fixed excel-leading-zero-id"), N_("fixed excel-leading-zero-tel"),
    N_("fixed excel-leading-zero-zip"), N_("fixed excel-no-seconds"), N_("fixed excel-serial-date")};

}  // namespace

namespace detail {

std::string_view severity_name(severity s) { return s == severity::error ? "error" : "warning"; }

void append_number(std::string& out, std::uint64_t n) {
  fmt::format_int digits(n);
  out.append(digits.data(), digits.size());
}

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string summary_label(const std::string& key) {
  std::string text = key;
  for (char& c : text)
    if (c == '_') c = ' ';
  std::size_t space = text.find(' ');
  if (space != std::string::npos && text.compare(space + 1, 2, "U+") == 0)  // "folded U+301C"
    return translate(text.substr(0, space).c_str()) + text.substr(space);
  for (const char* label : summary_labels)
    if (text == label) return translate(label);
  if (text.starts_with("fixed ")) return translate("fixed") + text.substr(5);  // a rule without a label: its id
  return text;
}

std::string summary_text(const diagnostics::summary_value& v) {
  if (auto n = std::get_if<std::uint64_t>(&v)) return std::to_string(*n);
  // <stdin> as 標準入力 under a Japanese locale
  if (auto t = std::get_if<std::string>(&v)) return with_shown_names(*t);
  std::string out;
  for (const auto& [key, n] : std::get<std::vector<std::pair<std::string, std::uint64_t>>>(v))
    out += fmt::format("{}{} {}", out.empty() ? "" : list_separator(), key, n);
  // TRANSLATORS: a summary value that is a list: "(cancelled 1, returned 2)"
  return format_tr("({})", out);
}

std::string list_separator() {
  // TRANSLATORS: between the items of a summary line or list: "records 9, errors 2"
  return _(", ");
}

std::unique_ptr<report_writer> make_report_writer(report_format format, output_stream& out, report_state& state) {
  switch (format) {
    case report_format::json: return make_json_report(out, state);
    case report_format::csv: return make_csv_report(out, state);
    case report_format::html: return make_html_report(out, state);
    case report_format::text: break;
  }
  return make_text_report(out, state);
}

}  // namespace detail

std::string_view severity_label(severity s) {
  // TRANSLATORS: the severity of a finding in "FILE:LINE: error: MESSAGE [rule-id]".
  static const std::string error = _("error"), warning = _("warning");
  return s == severity::error ? error : warning;
}

diagnostics::diagnostics(output_stream& out, report_format format, std::string tool)
    : out_(out), format_(format), state_(std::make_unique<detail::report_state>()) {
  state_->tool = std::move(tool);
  writer_ = detail::make_report_writer(format, out, *state_);
}

diagnostics::~diagnostics() = default;

void diagnostics::set_quiet(bool quiet) {
  state_->quiet = quiet;
  hide_warnings_ = quiet && format_ == report_format::text;
}
void diagnostics::set_terse(bool terse) { state_->terse = terse; }
void diagnostics::set_list_all(bool all) { state_->list_all = all; }
void diagnostics::mark_notable() { state_->notable = true; }
void diagnostics::set_escape_formulas(bool on) { state_->escape_formulas = on; }
void diagnostics::add_escaped(std::uint64_t n) { state_->escaped += n; }
void diagnostics::set_account(std::string lines) { state_->account = std::move(lines); }
void diagnostics::flush() { out_.flush(); }

void diagnostics::report(const finding& f) {
  report_view(finding_view{f.file, f.record, f.line,
                           f.column ? std::optional<std::string_view>(*f.column) : std::nullopt, f.severity, f.rule,
                           f.message, f.value ? std::optional<std::string_view>(*f.value) : std::nullopt});
}

void diagnostics::report_view(const finding_view& f) {
  if (stopped()) return;  // the run ended at the error before: nothing after it exists
  if (f.severity == severity::error) {
    if (limit_reached()) {
      ++hidden_;
      ++errors_;
      return;
    }
    if (++errors_ == max_errors_ && stop_at_limit_) {
      stopped_at_ = stop_place{std::string(f.file), f.record, f.line};
      stopped_ = true;
    }
  } else {
    ++warnings_;
    if (hide_warnings_) return;
  }
  if (f.message.size() <= max_message) return writer_->finding(f, f.message);
  short_message_ = shortened(f.message);
  writer_->finding(f, short_message_);
}

bool diagnostics::wants_values() const { return writer_->wants_values(); }
void diagnostics::change(const change_view& c) { writer_->change(c); }
void diagnostics::set_compared_with(std::string path) { state_->compared_with = std::move(path); }

void diagnostics::summary(std::string key, summary_value value, std::string note) {
  for (detail::summary_entry& e : state_->summary) {
    if (e.key == key) {
      e = {std::move(key), std::move(value), std::move(note)};
      return;
    }
  }
  state_->summary.push_back({std::move(key), std::move(value), std::move(note)});
}

void diagnostics::summary_json_only(std::string key, summary_value value) {
  for (detail::summary_entry& e : state_->summary) {
    if (e.key == key) {
      e = {std::move(key), std::move(value), {}, false};
      return;
    }
  }
  state_->summary.push_back({std::move(key), std::move(value), {}, false});
}

void diagnostics::finish() {
  detail::report_state& s = *state_;
  if (s.escape_formulas) {  // a change to the user's data: always told, with its count
    summary("formula_cells_escaped", s.escaped);
    if (s.escaped) mark_notable();
  }
  summary("errors", errors_);
  summary("warnings", warnings_);
  if (hidden_) summary("errors_not_shown", hidden_);
  if (stopped_at_) {
    const stop_place& at = *stopped_at_;
    summary("stopped_at", at.line ? fmt::format("{}:{}", at.file, at.line) : at.file,
            fmt::format("--max-errors {}", max_errors_));
  }
  s.errors = errors_;
  s.warnings = warnings_;
  writer_->finish(s);
  out_.flush();
}

}  // namespace kaiin
