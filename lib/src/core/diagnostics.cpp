#include "kaiin/diagnostics.h"

#include <unistd.h>

#include <cstring>

#include <fmt/format.h>

#include "core/byte_scan.h"
#include "core/progress.h"
#include "core/progress_counters.h"
#include "core/stream_names.h"
#include "kaiin/csv.h"
#include "kaiin/i18n.h"

namespace kaiin {

namespace {
// The two ways a report writes a text: quoted for JSON, or one line for a person.
enum class escaping { json, text };

// True when one of the 8 bytes of \p w may need escaping: a control character (below
// 20), DEL, and for JSON '"' and '\\'. Bytes from 80 (UTF-8) never do.
template <escaping E>
bool may_need_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101, highs = 0x8080808080808080;
  std::uint64_t found = ((w - ones * 0x20) & ~w & highs) | detail::has_byte(w, 0x7F);
  if constexpr (E == escaping::json) found |= detail::has_byte(w, '"') | detail::has_byte(w, '\\');
  return found;
}

// Writes the escape of \p c at \p to and returns its length, or 0 when \p c is written
// as it is. JSON: \" \\ \n \r \t and \u00xx; a line of text: \n, \r and \xXX (a TAB is
// harmless there).
template <escaping E>
std::size_t escape(unsigned char c, char* to) {
  to[0] = '\\';
  switch (c) {
    case '\n': to[1] = 'n'; return 2;
    case '\r': to[1] = 'r'; return 2;
    case '\t':
      if constexpr (E == escaping::text) return 0;
      to[1] = 't';
      return 2;
    case '"':
    case '\\':
      if constexpr (E == escaping::text) return 0;
      to[1] = static_cast<char>(c);
      return 2;
  }
  if (c >= 0x20 && c != 0x7F) return 0;
  if constexpr (E == escaping::json) {
    std::memcpy(to + 1, "u00", 3);
    detail::put_hex(to + 4, c, true);
    return 6;
  } else {
    to[1] = 'x';
    detail::put_hex(to + 2, c);
    return 4;
  }
}

// Copies the runs between bytes to escape whole, skipping eight plain bytes at a
// time, and each escape with one append: a report of a million findings quotes four
// texts each, and byte by byte appends were a tenth of kaiin-check --report json's
// time, byte by byte tests still 7% (perf, 1,000,000 findings); fuzzed texts are full
// of control characters.
template <escaping E>
void append_escaped(std::string& out, std::string_view s) {
  std::size_t from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (may_need_escape<E>(w)) break;
      i += 8;
    }
    if (i == s.size()) break;
    char escaped[6];
    std::size_t length = escape<E>(static_cast<unsigned char>(s[i]), escaped);
    if (!length) continue;
    out.append(s.data() + from, i - from);
    out.append(escaped, length);
    from = i + 1;
  }
  out.append(s.data() + from, s.size() - from);
}

void append_number(std::string& out, std::uint64_t n) {
  fmt::format_int digits(n);
  out.append(digits.data(), digits.size());
}
}  // namespace

void append_json_quoted(std::string& out, std::string_view s) {
  out += '"';
  append_escaped<escaping::json>(out, s);
  out += '"';
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_quoted(out, s);
  return out;
}

namespace {
std::string_view severity_name(severity s) { return s == severity::error ? "error" : "warning"; }

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

// A text report is one line a finding: CR, LF and other control characters of a
// quoted value are shown as \r, \n, \x00 rather than written (a TAB is harmless).
void append_visible(std::string& out, std::string_view m) { append_escaped<escaping::text>(out, m); }

std::string visible(std::string_view m) {
  std::string out;
  out.reserve(m.size());
  append_visible(out, m);
  return out;
}

// What the text summary calls each summary key: the key with spaces for
// underscores, translated. The JSON summary keeps the keys themselves. Every key a
// tool passes to summary() is here, so that xgettext collects it (a test checks).
constexpr const char* summary_labels[] = {
    N_("add"), N_("address changed"), N_("addresses"), N_("adjustments"), N_("ambiguous"), N_("appeared"), N_("auto"),
    N_("changes"), N_("characters sanitized"), N_("create"), N_("customers"), N_("customers unchanged"),
    N_("customers written"), N_("delete"), N_("delete rows"), N_("encoding"), N_("errors"), N_("errors not shown"),
    N_("eudc"), N_("existing members"), N_("expiry dates"), N_("file"), N_("files"), N_("files written"),
    N_("formula cells escaped"), N_("found"), N_("from"), N_("held back"), N_("input"), N_("key"), N_("load file"),
    N_("manual"), N_("members"), N_("members not subscribed"), N_("members read"), N_("members skipped"),
    N_("members to merge"), N_("members without address"), N_("members without subscription"), N_("members written"),
    N_("merge groups"), N_("new"), N_("new and update rows"), N_("not checked"), N_("not found"), N_("old"),
    N_("order rows"), N_("orders"), N_("orders written"), N_("output"), N_("point history"), N_("points carried"),
    N_("points total"), N_("profile"), N_("records"), N_("records changed"), N_("remove"), N_("rows"),
    N_("rows written"), N_("rules"), N_("second addresses"), N_("shared addresses merged"), N_("tags"), N_("to"),
    N_("unchanged"), N_("unsubscribed"), N_("update"), N_("values sanitized"), N_("vanished"), N_("warnings"),
    // "folded U+301C 3": a character --fold or --replace changed, and how often.
    N_("folded"), N_("replaced"),
    // "fixed zip-format 2": values kaiin-fix changed to satisfy a rule, by rule id;
    // the rules kaiin-fix corrects have a label of their own (修正した郵便番号),
    // another shows its rule id after "fixed".
    N_("fixed"), N_("fixed birthday-date"), N_("fixed control-value"), N_("fixed email-syntax"), N_("fixed fold"),
    N_("fixed kana-format"), N_("fixed mailmag-value"), N_("fixed member-id-format"), N_("fixed password-flag"),
    N_("fixed point-format"), N_("fixed pref-name"), N_("fixed sex-value"), N_("fixed tel-format"),
    N_("fixed zip-format")};

// 999990 as 999,990: a count a person reads at a glance.
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
}  // namespace

std::string_view severity_label(severity s) {
  // TRANSLATORS: the severity of a finding in "FILE:LINE: error: MESSAGE [rule-id]".
  static const std::string error = _("error"), warning = _("warning");
  return s == severity::error ? error : warning;
}

diagnostics::diagnostics(output_stream& out, report_format format, std::string tool)
    : out_(out), format_(format), tool_(std::move(tool)) {
  if (format_ == report_format::csv) {
    // UTF-8 with a BOM and CRLF: what Excel opens without an import dialog.
    out_.write(
        "\xEF\xBB\xBF"
        "file,record,line,column,severity,rule,message\r\n");
  }
}

const std::string& diagnostics::quoted_text::of(std::string_view s) {
  if (!set || s != text) {
    text.assign(s);
    quoted.clear();
    append_json_quoted(quoted, s);
    set = true;
  }
  return quoted;
}

void diagnostics::report(const finding& f) {
  report_view(finding_view{f.file, f.record, f.line,
                           f.column ? std::optional<std::string_view>(*f.column) : std::nullopt, f.severity, f.rule,
                           f.message});
}

void diagnostics::report_view(const finding_view& f) {
  if (f.severity == severity::error) {
    if (limit_reached()) {
      ++hidden_;
      ++errors_;
      return;
    }
    ++errors_;
  } else {
    ++warnings_;
    if (quiet_ && format_ == report_format::text) return;
  }
  if (format_ == report_format::text) {
    if (f.file != group_file_) {
      write_group_lines();
      group_file_ = f.file;
    }
    if (!list_all_ && folded_into_group(f)) return;
  }
  std::string short_message;
  if (f.message.size() > max_message) short_message = shortened(f.message);
  std::string_view message = f.message.size() > max_message ? std::string_view(short_message) : f.message;
  // Each format writes its line into one buffer kept from finding to finding,
  // rather than a string for each value (a report of a million findings).
  line_.clear();
  switch (format_) {
    case report_format::text:
      line_ += shown_name(f.file);
      if (f.line) {
        line_ += ':';
        append_number(line_, f.line);
      }
      line_ += ": ";
      line_ += severity_label(f.severity);
      line_ += ": ";
      append_visible(line_, message);
      line_ += " [";
      line_ += f.rule;
      line_ += "]\n";
      out_.write(line_);
      break;
    case report_format::json:
      line_ += "{\"file\":";
      line_ += json_file_.of(f.file);
      // (format_int, not a format string: parsing one a finding was 2% of the time.)
      line_ += ",\"record\":";
      append_number(line_, f.record);
      line_ += ",\"line\":";
      append_number(line_, f.line);
      line_ += ",\"column\":";
      if (f.column)
        line_ += json_column_.of(*f.column);
      else
        line_ += "null";
      line_ += ",\"severity\":\"";
      line_ += severity_name(f.severity);
      line_ += "\",\"rule\":";
      line_ += json_rule_.of(f.rule);
      line_ += ",\"message\":";
      append_json_quoted(line_, message);
      line_ += "}\n";
      out_.write(line_);
      break;
    case report_format::csv: {
      csv_writer w(out_, csv_dialect::csv(), "\r\n");
      w.set_escape_formulas(escape_formulas_);  // a column name or file name may start with =
      std::string record = std::to_string(f.record), line = std::to_string(f.line);
      std::string_view column = f.column ? *f.column : std::string_view();
      std::string_view row[] = {f.file, record, line, column, severity_name(f.severity), f.rule, message};
      w.write(row);
      escaped_ += w.escaped();
      break;
    }
  }
}

bool diagnostics::folded_into_group(const finding_view& f) {
  // The key in a buffer kept from finding to finding: a string made for each was a
  // malloc a finding in a text report that folds a million of them.
  group_key_.assign(f.rule);
  if (f.column) {
    group_key_ += '\0';
    group_key_ += *f.column;
  }
  auto it = group_of_.find(group_key_);
  if (it == group_of_.end()) {
    it = group_of_.emplace(group_key_, groups_.size()).first;
    // Copies: the finding's texts may be gone by the time the group's line is written.
    text_group& g = groups_.emplace_back();
    g.file = f.file;
    g.rule = f.rule;
    if (f.column) g.column = std::string(*f.column);
    g.severity = f.severity;
  }
  text_group& g = groups_[it->second];
  if (g.shown < text_group_shown) {
    ++g.shown;
    return false;
  }
  ++g.more;
  // Lines as ranges: a rule that fires on every row is one range however many rows.
  constexpr std::size_t ranges_kept = 5;
  if (!g.lines.empty() && (f.line == g.lines.back().second || f.line == g.lines.back().second + 1))
    g.lines.back().second = f.line;
  else if (g.lines.size() < ranges_kept)
    g.lines.emplace_back(f.line, f.line);
  else
    g.more_lines = true;
  return true;
}

void diagnostics::write_group_lines() {
  for (const text_group& g : groups_) {
    if (!g.more) continue;
    std::string lines;
    for (auto [first, last] : g.lines) {
      if (!lines.empty()) lines += ", ";
      lines += first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
    }
    if (g.more_lines) lines += ", ...";
    std::string message =
        g.column ? format_plural("{0} more in column '{1}' on line {2} (--all or --report json lists each)",
                                 "{0} more in column '{1}' on lines {2} (--all or --report json lists each)", g.more,
                                 grouped(g.more), visible(*g.column), lines)
                 : format_plural("{0} more on line {1} (--all or --report json lists each)",
                                 "{0} more on lines {1} (--all or --report json lists each)", g.more, grouped(g.more),
                                 lines);
    out_.write(fmt::format("{}: {}: {} [{}]\n", shown_name(g.file), severity_label(g.severity), message, g.rule));
  }
  groups_.clear();
  group_of_.clear();
}

void diagnostics::summary(std::string key, summary_value value, std::string note) {
  for (summary_entry& e : summary_) {
    if (e.key == key) {
      e = {std::move(key), std::move(value), std::move(note)};
      return;
    }
  }
  summary_.push_back({std::move(key), std::move(value), std::move(note)});
}

void diagnostics::summary_json_only(std::string key, summary_value value) {
  for (summary_entry& e : summary_) {
    if (e.key == key) {
      e = {std::move(key), std::move(value), {}, false};
      return;
    }
  }
  summary_.push_back({std::move(key), std::move(value), {}, false});
}

void diagnostics::finish() {
  if (format_ == report_format::text) write_group_lines();
  if (escape_formulas_) {  // a change to the user's data: always told, with its count
    summary("formula_cells_escaped", escaped_);
    if (escaped_) mark_notable();
  }
  summary("errors", errors_);
  summary("warnings", warnings_);
  if (hidden_) summary("errors_not_shown", hidden_);
  using counts = std::vector<std::pair<std::string, std::uint64_t>>;
  auto text_of = [](const summary_value& v) {
    if (auto n = std::get_if<std::uint64_t>(&v)) return std::to_string(*n);
    if (auto t = std::get_if<std::string>(&v)) return with_shown_names(*t);
    std::string out;
    for (const auto& [k, n] : std::get<counts>(v)) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", k, n);
    return "(" + out + ")";
  };
  auto json_of = [&](const summary_value& v) {
    if (std::holds_alternative<std::uint64_t>(v)) return text_of(v);
    if (auto t = std::get_if<std::string>(&v)) return json_quote(*t);
    std::string out;
    for (const auto& [k, n] : std::get<counts>(v))
      out += fmt::format("{}{}:{}", out.empty() ? "" : ",", json_quote(k), n);
    return "{" + out + "}";
  };
  if (format_ == report_format::json) {
    std::string line = "{\"summary\":{";
    bool first = true;
    for (const summary_entry& e : summary_) {
      line += (first ? "" : ",") + json_quote(e.key) + ":" + json_of(e.value);
      first = false;
    }
    out_.write(line + "}}\n");
  } else if (!quiet_ && (!terse_ || errors_ || warnings_ || notable_)) {
    // A CSV report holds findings only (one table for Excel): its summary goes to
    // standard error as text.
    // TRANSLATORS: "kaiin-check: summary: records 9, errors 2, ..."
    std::string line = account_ + tool_ + ": " + _("summary") + ":";
    bool first = true;
    for (const summary_entry& e : summary_) {
      if (!e.in_text) continue;
      line += (first ? " " : ", ") + summary_label(e.key) + " " + text_of(e.value);
      if (!e.note.empty()) line += " (" + e.note + ")";
      first = false;
    }
    line += "\n";
    if (format_ == report_format::text) {
      out_.write(line);
    } else {
      out_.flush();  // the findings before the summary, when both go to the terminal
      progress::terminal_write guard(STDERR_FILENO, line);
      [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
    }
  }
  out_.flush();
}

}  // namespace kaiin
