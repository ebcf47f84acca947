"""--report html, in a real browser (spec §9): the pages kaiin-check, kaiin-fix and
kaiin-crm write are opened in Debian's headless Chromium, and the tests assert on the
DOM the browser built (--dump-dom), not on the HTML text: every rule and line of the
findings is there, values that try markup or script change nothing, the page fetched
nothing (its Content-Security-Policy would have blocked and logged it), the Japanese
page is Japanese. A screenshot of each at 1280x800 is kept in build/Testing/report-html
for a person to look at (not committed). Skipped, with the reason, without a browser."""
import csv
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

from kaiin_test import BIN, TempDirTest, json_report, run, sample, write

BROWSERS = ["chromium-headless-shell", "chromium"]
BROWSER = next((b for b in map(shutil.which, BROWSERS) if b), None)
SHOTS = os.path.abspath(os.path.join(BIN, "..", "Testing", "report-html"))

HEADER = "control,cus_id,cus_password,crypted_pass,cus_last_name,cus_first_name,cus_email,cus_zip,cus_mailmag\r\n"
# Zip codes a page must show as text: markup, a script, an attribute, closing tags,
# control characters, a right-to-left override, a 10,000-character value.
HOSTILE = ["<script>document.title='pwned'</script>", '"><img src=x onerror="document.title=1">',
           "</td></tr></table><h1 id=injected>x</h1>", "ctl\x01\x7fend", "\u202eevil", "long" + "x" * 10000,
           "<style>body{display:none}</style>"]
ALLOWED = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "section", "div", "b", "p", "table",
           "thead", "tbody", "tr", "th", "td", "span", "a", "br", "figure", "figcaption", "svg", "rect", "text"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find_all(self, tag=None, cls=None, id=None):
        return [n for n in self.walk() if (tag is None or n.tag == tag) and (id is None or n.attrs.get("id") == id)
                and (cls is None or cls in (n.attrs.get("class") or "").split())]


class DomReader(HTMLParser):
    """The DOM Chromium serialised, as a tree of Nodes."""
    VOID = {"meta", "br", "img", "link", "input", "hr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.at)
        self.at.children.append(node)
        if tag not in self.VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, attrs, self.at))

    def handle_endtag(self, tag):
        n = self.at
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.at = n.parent

    def handle_data(self, data):
        self.at.children.append(data)


def browse(page, shot):
    """PAGE opened in the browser: its DOM, and the browser's log (CSP violations,
    fetches); a 1280x800 screenshot saved as SHOT in build/Testing/report-html."""
    url = "file://" + page
    flags = ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--window-size=1280,800"]
    dom = subprocess.run([BROWSER, *flags, "--dump-dom", url], capture_output=True, timeout=120)
    os.makedirs(SHOTS, exist_ok=True)
    subprocess.run([BROWSER, *flags, f"--screenshot={os.path.join(SHOTS, shot)}", url], capture_output=True,
                   timeout=120, cwd=SHOTS)
    reader = DomReader()
    reader.feed(dom.stdout.decode("utf-8"))
    return reader.root, dom.stderr.decode("utf-8", "replace")


def visible(value):
    """A value as the page shows it: control characters, bidi marks as escapes."""
    out = ""
    for ch in value:
        if ch == "\n":
            out += "\\n"
        elif ch == "\r":
            out += "\\r"
        elif ch == "\t":
            out += "\\t"
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u061c\u200e\u200f" or \
                0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069:
            out += f"<U+{ord(ch):04X}>"
        else:
            out += ch
    return out


def lines_of(ranges):
    """'24-45, 50' as the set of lines it names."""
    lines = set()
    for part in ranges.split(", "):
        first, _, last = part.partition("-")
        lines.update(range(int(first), int(last or first) + 1))
    return lines


class HtmlReportTest(TempDirTest):
    def setUp(self):
        super().setUp()
        if not BROWSER:
            self.skipTest("no headless Chromium (sh scripts/install-deps installs chromium-headless-shell)")

    def page(self, name, data, shot):
        path = self.path(name)
        write(path, data)
        dom, log = browse(path, shot)
        self.assertNotIn("Content Security Policy", log, "the page tried something its policy forbids")
        self.assertNotRegex(log, r"net::ERR_|Failed to load", "the page fetched something")
        return dom

    def assert_only_page_markup(self, dom):
        """No element or attribute came from the data: only the page's own tags, no
        script, no event handler, the policy in place."""
        tags = {n.tag for n in dom.walk()} - {"#document"}
        self.assertLessEqual(tags, ALLOWED)
        for n in dom.walk():
            self.assertFalse([a for a in n.attrs if a.startswith("on")], n.tag)
        self.assertEqual(dom.find_all(id="injected"), [])
        policy = [n.attrs["content"] for n in dom.find_all("meta") if n.attrs.get("http-equiv")]
        self.assertEqual(len(policy), 1)
        self.assertIn("default-src 'none'", policy[0])
        self.assertNotIn("script-src", policy[0])

    def assert_findings_shown(self, dom, findings):
        """Every rule and line of FINDINGS (from --report json) is on the page: in a
        row of its rule's table, or in the line ranges after it."""
        shown = {}
        for heading in dom.find_all("h3"):
            if not heading.attrs.get("id", "").startswith("g"):
                continue
            rule = heading.find_all("span", cls="rule")[0].text()
            section = heading.parent.children
            table = section[section.index(heading) + 2]  # after the newline
            lines = {int(row.children[0].text()) for row in table.find_all("tr")[1:] if row.children[0].text()}
            at = section.index(table) + 2
            if at < len(section) and isinstance(section[at], Node) and section[at].attrs.get("class") == "more":
                lines |= lines_of(re.search(r"lines? ([\d, -]+)", section[at].text()).group(1))
            shown.setdefault(rule, set()).update(lines)
        expected = {}
        for f in findings:
            expected.setdefault(f["rule"], set()).update([f["line"]] if f["line"] else [])
        self.assertEqual(shown, expected)
        rules = {a.text() for a in dom.find_all(id="rules")[0].find_all("a")}
        self.assertEqual(rules, set(expected))

    def hostile_upload(self):
        rows = [f"n,{1000 + i},pass{i}w0rd,0,山田,太郎,m{i}@example.com,{zip_value},1"
                for i, zip_value in enumerate(HOSTILE)]
        rows += [f"n,{2000 + i},pass{i}w0rd,0,山田,花子,f{i}@example.com,12-34,1" for i in range(60)]
        quoted = [r.replace('"><img src=x onerror="document.title=1">', '"""><img src=x onerror=""document.title=1"">"')
                  for r in rows]
        return (HEADER + "\r\n".join(quoted) + "\r\n").encode("utf-8")

    def test_check_hostile_values_are_text(self):
        upload = self.path("upload.csv")
        write(upload, self.hostile_upload())
        result = run("kaiin-check", "--report", "html", upload)
        self.assertEqual(result.code, 1, result)
        dom = self.page("check.html", result.out, "check.png")
        self.assert_only_page_markup(dom)
        self.assertEqual(dom.find_all("title")[0].text(), "kaiin-check: report")
        findings = json_report(run("kaiin-check", "--report", "json", upload).out).findings
        self.assert_findings_shown(dom, findings)
        values = [n.text() for n in dom.find_all("td", cls="value")]
        for value in HOSTILE[:-2] + HOSTILE[-1:]:
            self.assertIn(visible(value), values)
        long = [v for v in values if v.startswith("longxxx")]
        self.assertEqual(len(long), 1)
        self.assertRegex(long[0], r"^longx{296}\u2026 \(.* more bytes left out\)$")
        self.assertEqual(dom.find_all(id="count-error")[0].find_all("b")[0].text(), str(len(findings)))
        self.assertEqual(len(dom.find_all("p", cls="more")), 1)  # 60 rows of one rule: 20 shown, the rest folded

    def test_check_names_the_files_when_there_are_several(self):
        first, second = self.path("a.csv"), self.path("b.csv")
        write(first, self.hostile_upload())
        write(second, self.hostile_upload())
        result = run("kaiin-check", "--report", "html", first, second)
        dom = self.page("two.html", result.out, "check-two.png")
        rules = dom.find_all(id="rules")[0]
        self.assertEqual(rules.find_all("th")[0].text(), "File")
        self.assertEqual([td.text() for td in rules.find_all("tr")[1].find_all("td")[:1]], [first])
        headings = [h.text() for h in dom.find_all("h3")]
        self.assertEqual(len(headings), 2)
        self.assertTrue(headings[0].endswith(f"{first} (67)") and headings[1].endswith(f"{second} (67)"), headings)
        self.assert_findings_shown(dom, json_report(run("kaiin-check", "--report", "json", first, second).out).findings)

    def test_check_current_shows_what_it_compared_with(self):
        current = sample("current_export.csv")
        result = run("kaiin-check", "--report", "html", "--current", current, sample("upload.csv"))
        self.assertEqual(result.code, 0, result)
        dom = self.page("current.html", result.out, "check-current.png")
        self.assert_only_page_markup(dom)
        self.assertIn(current, dom.find_all(id="compared-with")[0].text())
        self.assertEqual(dom.find_all(id="findings"), [])

    def test_fix_shows_its_changes(self):
        broken = sample("upload_broken.csv")
        fixed, changes = self.path("fixed.csv"), self.path("changes.csv")
        result = run("kaiin-fix", "--today", "2026-11-23", "--report", "html", "--changes", changes, "-o", fixed,
                     broken)
        self.assertEqual(result.code, 1, result)
        dom = self.page("fix.html", result.err.encode("utf-8"), "fix.png")
        self.assert_only_page_markup(dom)
        with open(changes, encoding="utf-8-sig", newline="") as f:
            listed = list(csv.reader(f))[1:]
        section = dom.find_all(id="changes")[0]
        rows = [[td.text() for td in tr.find_all("td")] for tr in section.find_all("tr") if tr.find_all("td")]
        self.assertEqual(len(rows), len(listed))
        for line, _number, _column, _rule, before, after in listed:
            self.assertIn([line, before, after], rows)
        json = run("kaiin-fix", "--today", "2026-11-23", "--report", "json", "-o", self.path("fixed2.csv"), broken)
        self.assert_findings_shown(dom, json_report(json.err).findings)
        # Its password findings show no value, and no password is anywhere on the page.
        with open(broken, encoding="cp932", newline="") as f:
            records = list(csv.reader(f))
        passwords = {r[records[0].index("cus_password")] for r in records[1:]} - {""}
        self.assertTrue(passwords)
        text = dom.text()
        for password in passwords:
            self.assertNotIn(password, text)
        headings = [h for h in dom.find_all("h3") if "cus_password" in h.text()]
        self.assertEqual(len(headings), 2)
        for heading in headings:
            section = heading.parent.children
            values = [td.text() for td in section[section.index(heading) + 2].find_all("td", cls="value")]
            self.assertEqual(values, [""])

    def test_crm_draws_its_account(self):
        result = run("kaiin-crm", "--members", sample("crm_members.csv"), "--orders", sample("crm_orders.csv"),
                     "--report", "html", "-d", self.path("crm"))
        self.assertEqual(result.code, 0, result)
        summary = json_report(run("kaiin-crm", "--members", sample("crm_members.csv"), "--orders",
                                  sample("crm_orders.csv"), "--report", "json", "-d", self.path("crm2")).err).summary
        dom = self.page("crm.html", result.err.encode("utf-8"), "crm.png")
        self.assert_only_page_markup(dom)
        svg = dom.find_all("svg")[0]
        labels = [t.text() for t in svg.find_all("text")]
        self.assertIn(f"orders written {summary['orders_written']}", labels)
        for reason, n in summary["held_back"].items():
            if n:
                self.assertIn(f"{reason} {n}", labels)
        widths = [float(r.attrs["width"]) for r in svg.find_all("rect")]
        self.assertAlmostEqual(sum(widths[2:]), 760, delta=3)  # the orders bar adds up

    def test_prints_the_summary_on_one_a4_page(self):
        result = run("kaiin-crm", "--members", sample("crm_members.csv"), "--orders", sample("crm_orders.csv"),
                     "--report", "html", "-d", self.path("crm"))
        page, pdf = self.path("crm.html"), self.path("crm.pdf")
        write(page, result.err.encode("utf-8"))
        subprocess.run([BROWSER, "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        "file://" + page], capture_output=True, timeout=120)
        with open(pdf, "rb") as f:
            data = f.read()
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
        self.assertTrue(boxes)
        for w, h in boxes:  # A4: 210 x 297 mm in points
            self.assertAlmostEqual(float(w), 595, delta=1)
            self.assertAlmostEqual(float(h), 842, delta=1)
        # The summary with the account on the first page, the one finding on the second.
        self.assertEqual(len(re.findall(rb"/Type /Page\b", data)), 2)

    def test_japanese_page(self):
        upload = self.path("upload.csv")
        write(upload, self.hostile_upload())
        env = dict(LC_ALL="", LC_MESSAGES="", LANGUAGE="", LANG="ja_JP.UTF-8")
        result = run("kaiin-check", "--report", "html", upload, env=env)
        dom = self.page("ja.html", result.out, "check-ja.png")
        self.assertEqual(dom.find_all("html")[0].attrs["lang"], "ja")
        headings = [h.text() for h in dom.find_all("h2")]
        for h in headings:
            self.assertRegex(h, r"[\u3040-\u30ff\u4e00-\u9fff]", headings)
        self.assertIn("郵便番号", dom.find_all(id="rules")[0].text())
