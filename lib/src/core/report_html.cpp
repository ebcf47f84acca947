// The HTML report (spec §9): one page a person opens from a file, with nothing
// fetched and no script: the summary (files, encoding, profile, counts), a table of
// the rules that fired by column, kaiin-fix's changes, then the findings, the first
// of each rule in a column and the rest as line ranges, as the text report folds
// them. Every text of the data is written as text: markup characters as entities,
// control characters, bytes that are not UTF-8 and right-to-left marks as visible
// escapes. The page is written at the end (finish), from what finding() kept.

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "core/byte_scan.h"
#include "core/finding_groups.h"
#include "core/report_writer.h"
#include "kaiin/i18n.h"

namespace kaiin::detail {

namespace {

// No script, font, image or frame from anywhere; only the page's own style, and
// the inline SVG kaiin-crm draws (part of the page, not fetched).
constexpr std::string_view csp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

constexpr std::string_view style = R"(
:root{--err:#b3261e;--warn:#8a5a00;--ink:#1d1d1f;--line:#d0d4da;--soft:#f4f6f8}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",sans-serif;color:var(--ink);
margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:17px;margin:24px 0 8px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{white-space:nowrap}td.msg,.value{overflow-wrap:anywhere}
table.rows{table-layout:fixed}table.rows th:first-child{width:5.5em}table.rows th:nth-child(2){width:32%}
table.changes th:nth-child(2){width:47%}
th{background:var(--soft);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.counts{display:flex;gap:12px;margin:8px 0}
.count{border:1px solid var(--line);border-radius:6px;padding:6px 14px;min-width:120px}
.count b{display:block;font-size:22px}
.error{color:var(--err)}.warning{color:var(--warn)}
.sev{font-weight:600;white-space:nowrap}
.value{font-family:ui-monospace,"Noto Sans Mono CJK JP",monospace;word-break:break-all}
.ctl{background:#fde7e9;color:var(--err);border-radius:3px;padding:0 2px;font-family:monospace}
.cut{color:#666;font-style:italic}
.more{margin:2px 0 10px;color:#444}
.rule{font-family:ui-monospace,monospace;white-space:nowrap}
table.summary{width:auto;min-width:40%}table.summary td{min-width:12em}
svg text{font:13px system-ui,"Noto Sans CJK JP",sans-serif}
@page{size:A4;margin:14mm}
@media print{body{max-width:none;padding:0;font-size:11px}#findings{break-before:page}
tr,.count{break-inside:avoid}thead{display:table-header-group}}
)";

// The code point at \p i of \p s and its length, or length 0 for a byte that does
// not start a valid UTF-8 sequence (overlong forms and surrogates included).
std::size_t utf8_at(std::string_view s, std::size_t i, char32_t& c) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = b(0);
  std::size_t n = lead < 0x80                   ? 1
                  : lead >= 0xC2 && lead < 0xE0 ? 2
                  : lead >= 0xE0 && lead < 0xF0 ? 3
                  : lead >= 0xF0 && lead < 0xF5 ? 4
                                                : 0;
  if (!n || i + n > s.size()) return 0;
  c = n == 1 ? lead : lead & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b(k) & 0x3F);
  }
  if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c < 0xE000))) || (n == 4 && (c < 0x10000 || c > 0x10FFFF))) return 0;
  return n;
}

// Marks that turn the direction of the text around them: shown, not obeyed.
bool is_bidi_control(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

void append_escape(std::string& out, std::string_view text) {
  out += "<span class=\"ctl\">";
  out += text;
  out += "</span>";
}

// Appends \p s as text of an element, at most \p chars characters (0: all).
void append_html(std::string& out, std::string_view s, std::size_t chars = 0) {
  std::size_t shown = 0, i = 0;
  for (; i < s.size() && (!chars || shown < chars); ++shown) {
    char32_t c = 0;
    const std::size_t n = utf8_at(s, i, c);
    if (!n) {
      char hex[5] = {'\\', 'x', 0, 0, 0};
      put_hex(hex + 2, static_cast<unsigned char>(s[i++]));
      append_escape(out, hex);
      continue;
    }
    const std::string_view bytes = s.substr(i, n);
    i += n;
    switch (c) {
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '&': out += "&amp;"; continue;
      case '"': out += "&quot;"; continue;
      case '\'': out += "&#39;"; continue;
      case '\n': append_escape(out, "\\n"); continue;
      case '\r': append_escape(out, "\\r"); continue;
      case '\t': append_escape(out, "\\t"); continue;
    }
    if (c < 0x20 || (c >= 0x7F && c < 0xA0) || is_bidi_control(c))
      append_escape(out, fmt::format("&lt;U+{:04X}&gt;", static_cast<std::uint32_t>(c)));
    else
      out += bytes;
  }
  if (i < s.size())
    out += fmt::format("<span class=\"cut\">{}</span>",
                       format_tr("\u2026 ({} more bytes left out)", grouped(s.size() - i)));
}

std::string html(std::string_view s) {
  std::string out;
  append_html(out, s);
  return out;
}

// Lines of text as lines of the page.
std::string lines(std::string_view text) {
  std::string out;
  for (std::size_t from = 0; from < text.size();) {
    std::size_t end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    if (!out.empty()) out += "<br>\n";
    append_html(out, text.substr(from, end - from));
    from = end + 1;
  }
  return out;
}

std::string severity_cell(severity s) {
  return fmt::format("<td class=\"sev {}\">{}</td>", severity_name(s), html(severity_label(s)));
}

// A value a finding is about shows its first value_chars characters.
constexpr std::size_t value_chars = 300;
// Findings (and changes) of one rule in one column shown before the rest are
// folded into line ranges, and how many ranges are kept.
constexpr std::uint64_t page_group_shown = 20;
constexpr std::size_t page_ranges_kept = 20;

// The findings or changes of one rule in one column, as rows of a table.
struct shown_rows {
  std::string first_message;  // what the rules table says to do
  std::string rows;           // <tr>s of those shown
};

class html_report : public report_writer {
 public:
  html_report(output_stream& out, report_state& state)
      : out_(out),
        state_(state),
        findings_(page_group_shown, page_ranges_kept),
        changes_(page_group_shown, page_ranges_kept) {}

  bool wants_values() const override { return true; }

  void finding(const finding_view& f, std::string_view message) override {
    const auto [index, shown] = findings_.add(f.file, f.rule, f.column, f.severity, f.line);
    if (index == finding_rows_.size()) finding_rows_.emplace_back().first_message = message;
    if (!shown && !state_.list_all) return;
    std::string& r = finding_rows_[index].rows;
    r += "<tr><td class=\"n\">";
    if (f.line) append_number(r, f.line);
    r += "</td><td class=\"value\">";
    if (f.value) append_html(r, *f.value, value_chars);
    r += "</td><td class=\"msg\">";
    append_html(r, message);
    r += "</td></tr>\n";
  }

  void change(const change_view& c) override {
    const auto [index, shown] = changes_.add(c.file, c.rule, c.column, severity::warning, c.line);
    if (index == change_rows_.size()) change_rows_.emplace_back();
    if (!shown && !state_.list_all) return;
    std::string& r = change_rows_[index].rows;
    r += "<tr><td class=\"n\">";
    append_number(r, c.line);
    r += "</td><td class=\"value\">";
    append_html(r, c.before, value_chars);
    r += "</td><td class=\"value\">";
    append_html(r, c.after, value_chars);
    r += "</td></tr>\n";
  }

  void finish(const report_state& s) override {
    std::string page = head(s);
    page += summary_section(s);
    page += rules_section();
    page += changes_section();
    page += findings_section();
    page += "</body>\n</html>\n";
    out_.write(page);
  }

 private:
  std::string head(const report_state& s) const {
    const std::string title = fmt::format("{}: {}", s.tool, _("report"));
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n"
        "<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        translated() ? "ja" : "en", csp, html(title), style, html(title));
  }

  static std::string count_box(std::string_view cls, const char* label, std::uint64_t n) {
    return fmt::format("<div class=\"count {}\" id=\"count-{}\">{}<b>{}</b></div>", cls, cls, html(translate(label)),
                       grouped(n));
  }

  std::string summary_section(const report_state& s) const {
    std::string out = fmt::format("<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"counts\">", html(_("Summary")));
    out += count_box("error", N_("errors"), s.errors);
    out += count_box("warning", N_("warnings"), s.warnings);
    out += "</div>\n";
    if (!s.compared_with.empty())
      out += fmt::format("<p id=\"compared-with\">{} <span class=\"value\">{}</span></p>\n",
                         html(_("Compared with the current members in:")), html(s.compared_with));
    out += "<table class=\"summary\">\n";
    for (const summary_entry& e : s.summary) {
      if (e.key == "errors" || e.key == "warnings") continue;  // in the boxes above
      const auto* n = std::get_if<std::uint64_t>(&e.value);
      out += fmt::format("<tr><th>{}</th><td>{}", html(summary_label(e.key)),
                         n ? grouped(*n) : html(summary_text(e.value)));
      if (!e.note.empty()) out += fmt::format(" ({})", html(e.note));
      out += "</td></tr>\n";
    }
    out += "</table>\n";
    out += account_picture(s);
    return out + "</section>\n";
  }

  std::string rules_section() const {
    if (findings_.empty()) return fmt::format("<section id=\"rules\"><p>{}</p></section>\n", html(_("No findings.")));
    const auto& groups = findings_.groups();
    const bool files = several_files();
    std::string out = fmt::format(
        "<section id=\"rules\">\n<h2>{}</h2>\n<table>\n<thead><tr>{}<th>{}</th><th>{}</th><th>{}</th>"
        "<th class=\"n\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        html(_("Rules by column")), files ? "<th>" + html(_("File")) + "</th>" : "", html(_("Column")), html(_("Rule")),
        html(_("Severity")), html(_("Count")), html(_("What to do")));
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const finding_group& g = groups[i];
      out += fmt::format(
          "<tr>{}<td>{}</td><td class=\"rule\"><a href=\"#g{}\">{}</a></td>{}"
          "<td class=\"n\">{}</td><td class=\"msg\">{}</td></tr>\n",
          files ? "<td>" + html(g.file) + "</td>" : "", g.column ? html(*g.column) : "", i, html(g.rule),
          severity_cell(g.severity), grouped(g.count()), html(finding_rows_[i].first_message));
    }
    return out + "</tbody>\n</table>\n</section>\n";
  }

  std::string more_line(const finding_group& g) const {
    if (!g.more || state_.list_all) return {};
    return fmt::format("<p class=\"more\">{}</p>\n", html(format_plural("{0} more on line {1} (--all lists each)",
                                                                        "{0} more on lines {1} (--all lists each)",
                                                                        g.more, grouped(g.more), g.line_ranges())));
  }

  // A section of groups (of findings or changes): each a heading and a table of the
  // rows shown, whose header cells are \p heads, then the line ranges of the rest.
  template <typename Heading>
  std::string group_section(std::string_view id, const char* title, const finding_groups& groups,
                            const std::vector<shown_rows>& rows, std::string_view table, std::string_view heads,
                            Heading heading) const {
    if (groups.empty()) return {};
    std::string out = fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, html(translate(title)));
    for (std::size_t i = 0; i < groups.groups().size(); ++i) {
      const finding_group& g = groups.groups()[i];
      out += heading(i, g);
      out += fmt::format(
          "<table class=\"{}\">\n<thead><tr><th class=\"n\">{}</th>{}</tr></thead>\n<tbody>\n{}"
          "</tbody>\n</table>\n",
          table, html(_("Line")), heads, rows[i].rows);
      out += more_line(g);
    }
    return out + "</section>\n";
  }

  std::string changes_section() const {
    const std::string heads = fmt::format("<th>{}</th><th>{}</th>", html(_("Before")), html(_("After")));
    return group_section("changes", N_("Changes made"), changes_, change_rows_, "rows changes", heads,
                         [](std::size_t, const finding_group& g) {
                           return fmt::format("<h3>{} <span class=\"rule\">{}</span> ({})</h3>\n",
                                              g.column ? html(*g.column) : "", html(g.rule), grouped(g.count()));
                         });
  }

  // The file of each rule is named only when there are several (kaiin-check a.csv b.csv).
  bool several_files() const {
    const auto& groups = findings_.groups();
    return std::any_of(groups.begin(), groups.end(), [&](const auto& g) { return g.file != groups[0].file; });
  }

  std::string findings_section() const {
    const std::string heads = fmt::format("<th>{}</th><th>{}</th>", html(_("Value")), html(_("Message")));
    const bool files = several_files();
    return group_section("findings", N_("Findings"), findings_, finding_rows_, "rows", heads,
                         [files](std::size_t i, const finding_group& g) {
                           return fmt::format(
                               "<h3 id=\"g{}\" class=\"{}\">{} <span class=\"rule\">{}</span>{}{}{} ({})</h3>\n", i,
                               severity_name(g.severity), html(severity_label(g.severity)), html(g.rule),
                               g.column ? " \u2014 " : "", g.column ? html(*g.column) : "",
                               files ? " \u2014 " + html(g.file) : "", grouped(g.count()));
                         });
  }

  std::string account_picture(const report_state& s) const;

  output_stream& out_;
  report_state& state_;
  finding_groups findings_, changes_;
  std::vector<shown_rows> finding_rows_, change_rows_;  // by group
};

// kaiin-crm's account, from the keys of its summary, drawn as two bars: members
// and the customers made of them, orders and what became of them.
std::uint64_t count_of(const report_state& s, std::string_view key) {
  for (const summary_entry& e : s.summary)
    if (e.key == key)
      if (auto n = std::get_if<std::uint64_t>(&e.value)) return *n;
  return 0;
}

// One bar of the picture at height \p y: \p parts as segments in proportion, each
// labelled below it; \p total is the bar's width.
std::string bar(int y, std::string_view label, const std::vector<std::pair<std::string, std::uint64_t>>& parts,
                std::uint64_t total) {
  static constexpr const char* colours[] = {"#2e7d32", "#c62828", "#ef6c00", "#6a1b9a",
                                            "#00838f", "#ad1457", "#4e342e", "#546e7a"};
  std::string out = fmt::format("<text x=\"0\" y=\"{}\" font-weight=\"600\">{}</text>\n", y - 6, html(label));
  double x = 0;
  std::size_t k = 0;
  for (const auto& [name, n] : parts) {
    if (!n) continue;
    const double w = total ? 760.0 * static_cast<double>(n) / static_cast<double>(total) : 0;
    out += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"26\" fill=\"{}\"><title>{} {}</title></rect>\n", x, y,
        std::max(w, 2.0), colours[k % 8], html(name), grouped(n));
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" font-size=\"11\">{} {}</text>\n", x + 2, y + 40 + 14 * (k % 3),
                       html(name), grouped(n));
    x += w;
    ++k;
  }
  return out;
}

std::string html_report::account_picture(const report_state& s) const {
  if (s.account.empty()) return {};
  const std::uint64_t members = count_of(s, "members"), customers = count_of(s, "customers");
  std::string svg = bar(20, format_tr("members {} \u2192 customers {}", grouped(members), grouped(customers)),
                        {{_("subscribed"), members - count_of(s, "members_without_subscription")},
                         {summary_label("members_without_subscription"), count_of(s, "members_without_subscription")}},
                        members);
  int height = 90;
  for (const summary_entry& e : s.summary) {
    const auto* held = std::get_if<std::vector<std::pair<std::string, std::uint64_t>>>(&e.value);
    if (e.key != "held_back" || !held) continue;
    std::vector<std::pair<std::string, std::uint64_t>> parts{
        {summary_label("orders_written"), count_of(s, "orders_written")}};
    for (const auto& [reason, n] : *held) parts.emplace_back(reason, n);
    svg += bar(130, format_tr("orders {} \u2192 written or held back, by reason", grouped(count_of(s, "orders"))),
               parts, count_of(s, "orders"));
    height = 200;
  }
  return fmt::format(
      "<figure id=\"account\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 {}\" width=\"800\" "
      "height=\"{}\" role=\"img\">\n{}</svg>\n<figcaption>{}</figcaption>\n</figure>\n",
      height, height, svg, lines(s.account));
}

}  // namespace

std::unique_ptr<report_writer> make_html_report(output_stream& out, report_state& state) {
  return std::make_unique<html_report>(out, state);
}

}  // namespace kaiin::detail
