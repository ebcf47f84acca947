"""Inputs that are not a CSV file: a workbook, a PDF, a binary file, /dev/zero, random
bytes. Each program that reads a CSV says once what the file is and how to save it
as CSV (exit 2, nothing written), and an input that stops being text stops the run
there with one finding, in a bounded time."""
import os
import subprocess
import zipfile

from kaiin_csv import MEMBER_HEADER, csv_bytes, new
from kaiin_test import BIN, TempDirTest, run, sample, write

# Bounds that only a run that never ends reaches: a program that stops at the first
# block that is not text takes a fraction of a second.
ENDLESS = 60


def xlsx(path):
    """A workbook as Excel writes it: [Content_Types].xml, _rels/, then xl/."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    return path


def ods(path):
    """An OpenDocument spreadsheet: its first entry, stored, is its mimetype."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return path


def other_zip(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("members.csv", "control,cus_id\nn,1\n")
    return path


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"\xfe\xff\xff\xff" * 128
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4

# Each program that reads a CSV, with FILE where the CSV goes, and the files it would
# write (relative to the test's folder), none of which may appear.
RUNS = [
    (["kaiin-check", "FILE"], []),
    (["kaiin-check", "--current", "FILE", sample("upload.csv")], []),
    (["kaiin-fix", "-o", "fixed.csv", "FILE"], ["fixed.csv"]),
    (["kaiin-conv", "-t", "utf-8", "-o", "out.csv", "FILE"], ["out.csv"]),
    (["kaiin-conv", "-t", "cp932", "--replace", "FILE", "-o", "out.csv", sample("members_gaiji.csv")], ["out.csv"]),
    (["kaiin-split", "--by", "action", "-d", "parts", "FILE"], ["parts/FILE.nu.csv"]),
    (["kaiin-crosspoint", "-o", "load.tsv", "FILE"], ["load.tsv"]),
    (["kaiin-crosspoint", "--ranks", "FILE", "-o", "load.tsv", sample("export_for_crosspoint.csv")], ["load.tsv"]),
    (["kaiin-points", "check", "FILE"], []),
    (["kaiin-points", "check", "--members", "FILE", sample("points.csv")], []),
    (["kaiin-tags", "check", "FILE"], []),
    (["kaiin-tags", "apply", "--rules", sample("tag_rules.csv"), "--members", "FILE", "--today", "2026-11-23",
      "-o", "changes.csv"], ["changes.csv"]),
    (["kaiin-crm", "--members", "FILE", "--orders", sample("crm_orders.csv"), "-d", "crm"], ["crm/customers.csv"]),
    (["kaiin-crm", "--members", sample("crm_members.csv"), "--orders", "FILE", "-d", "crm"], ["crm/customers.csv"]),
    (["kaiin-find", "--members", "FILE", "someone@example.jp"], []),
    (["kaiin-find", "--members", sample("current_export.csv"), "--orders", "FILE", "someone@example.jp"], []),
]


class NotCsv(TempDirTest):
    def run_all(self, path, said, lang=None):
        """Every program of RUNS on PATH: exit 2, SAID once on standard error with the
        file's name, nothing written."""
        name = os.path.basename(path)
        env = {"LANG": lang, "LC_ALL": "", "LANGUAGE": ""} if lang else None
        for argv, outputs in RUNS:
            args = [a.replace("FILE", path) for a in argv[1:]]
            r = run(argv[0], *args, cwd=self.dir, env=env)
            with self.subTest(command=" ".join(argv)):
                self.assertEqual(r.code, 2, r)
                self.assertEqual(r.err.count(said), 1, r)
                self.assertIn(f"'{path}'", r.err)
                self.assertEqual(len(r.err.strip().splitlines()), 1, r)  # said once, and nothing else
                for out in outputs:
                    self.assertFalse(os.path.exists(self.path(out.replace("FILE", name.split(".")[0]))), out)

    def test_an_excel_workbook_is_named_with_how_to_save_it_as_csv(self):
        self.run_all(xlsx(self.path("members.xlsx")),
                     'an Excel workbook (.xlsx), not a CSV file: open it in Excel and save it as CSV: File > Save As, '
                     'file type "CSV (Comma delimited) (*.csv)"')

    def test_in_japanese_the_menus_are_those_of_japanese_excel(self):
        r = run("kaiin-check", xlsx(self.path("members.xlsx")), env={"LANG": "ja_JP.UTF-8", "LC_ALL": ""})
        self.assertEqual(r.code, 2, r)
        self.assertIn("Excel ブック（.xlsx）", r.err)
        self.assertIn("名前を付けて保存", r.err)
        self.assertIn("CSV (コンマ区切り) (*.csv)", r.err)

    def test_an_old_excel_workbook_an_ods_a_zip_and_a_pdf(self):
        cases = [
            (write(self.path("members.xls"), OLE2), "an Excel 97-2003 workbook (.xls) or another Office file"),
            (ods(self.path("members.ods")), "an OpenDocument spreadsheet (.ods)"),
            (other_zip(self.path("members.zip")), "a ZIP archive, such as an Excel workbook"),
            (write(self.path("members.pdf"), PDF), "a PDF document, not a CSV file"),
        ]
        for path, said in cases:
            with self.subTest(path=path):
                for tool, *args in (["kaiin-check", path], ["kaiin-conv", "-t", "utf-8", path],
                                    ["kaiin-points", "check", path], ["kaiin-tags", "check", path]):
                    r = run(tool, *args)
                    self.assertEqual(r.code, 2, r)
                    self.assertEqual(r.err.count(said), 1, r)

    def test_a_binary_file_is_not_a_text_file(self):
        path = write(self.path("photo.csv"), PNG)
        r = run("kaiin-check", path)
        self.assertEqual(r.code, 2, r)
        self.assertIn("'%s': this is not a text file: " % path, r.err)
        self.assertIn("kaiin reads CSV files in UTF-8, CP932 (Shift_JIS), or UTF-16 with a byte order mark", r.err)
        self.assertEqual(len(r.err.splitlines()), 1, r)

    def test_utf16_without_a_byte_order_mark_is_named(self):
        text = csv_bytes([new()], MEMBER_HEADER).decode()
        r = run("kaiin-conv", "-t", "utf-8", write(self.path("m.csv"), text.encode("utf-16-le")))
        self.assertEqual(r.code, 2, r)
        self.assertIn("this one looks like UTF-16 without a byte order mark", r.err)

    def endless(self, *argv, stdin=None):
        """ARGV run with a bound only an endless run reaches (a test that fails rather
        than hangs on a program that reads forever)."""
        return subprocess.run([os.path.join(BIN, argv[0]), *argv[1:]], stdin=stdin, capture_output=True,
                              timeout=ENDLESS, env=dict(os.environ, LC_ALL="C.UTF-8"), cwd=self.dir)

    def test_dev_zero_is_not_a_text_file(self):
        for argv in (["kaiin-check", "/dev/zero"], ["kaiin-conv", "-t", "utf-8", "/dev/zero"],
                     ["kaiin-split", "--by", "rows:10", "-d", "parts", "/dev/zero"]):
            p = self.endless(*argv)
            self.assertEqual(p.returncode, 2, p)
            self.assertIn(b"'/dev/zero': this is not a text file: 4096 of its first 4096 bytes", p.stderr)

    def test_random_bytes_stop_at_once(self):
        for argv in (["kaiin-conv", "-t", "cp932", "/dev/urandom"], ["kaiin-check", "-f", "cp932", "-"]):
            with open("/dev/urandom", "rb") as random:
                p = self.endless(*argv, stdin=random)
            self.assertEqual(p.returncode, 2, p)
            self.assertIn(b"this is not a text file", p.stderr)

    def test_text_then_zeros_stops_with_one_finding_where_the_text_ends(self):
        # A file a crash left filled with zeros after its last line: the members
        # before are checked; the rest is one finding, on the line where it stops.
        rows = [new(cus_email=f"u{i}@example.jp") for i in range(200)]
        text = csv_bytes(rows, MEMBER_HEADER)
        path = write(self.path("m.csv"), text + b"\x00" * 20000)
        for argv in (["kaiin-check", path], ["kaiin-conv", "-t", "utf-8", path]):
            p = self.endless(*argv)
            report = (p.stdout + p.stderr).decode()
            self.assertEqual(p.returncode, 1, report)
            self.assertEqual(report.count("[input-not-text]"), 1, report)
            self.assertIn(f":202: error: reading stopped at line 202 (byte offset {len(text)}): the input is not "
                          "text from there on", report)
            self.assertNotIn("[csv-", report)  # no finding of the zeros themselves
        self.assertFalse(os.path.exists(self.path("out.csv")))

    def test_zeros_from_inside_a_line_are_one_finding_and_fix_writes_nothing(self):
        # The zeros start inside a line, in a block that is still mostly text: the
        # line they cut is where reading stops, not a record of NUL bytes.
        rows = [new(cus_email=f"u{i}@example.jp") for i in range(20)]
        text = csv_bytes(rows, MEMBER_HEADER)
        # The zeros start 96 bytes before the end of a block, which is then text.
        cut = b"u,10001," + b"x" * ((4000 - len(text) - 8) % 4096)
        path = write(self.path("m.csv"), text + cut + b"\x00" * 20000)
        for argv in (["kaiin-check", path], ["kaiin-conv", "-t", "utf-8", "-o", "out.csv", path],
                     ["kaiin-fix", "-o", "fixed.csv", path]):
            with self.subTest(program=argv[0]):
                p = self.endless(*argv)
                report = (p.stdout + p.stderr).decode()
                self.assertEqual(p.returncode, 1, report)
                self.assertEqual(report.count(": error: "), 1, report)
                self.assertIn(f":22: error: reading stopped at line 22 (byte offset {len(text)}): ", report)
                self.assertIn("records 20,", report)
        self.assertFalse(os.path.exists(self.path("out.csv")))
        self.assertFalse(os.path.exists(self.path("fixed.csv")))  # a copy would lack the rest

    def test_a_pipe_of_text_then_endless_zeros_stops(self):
        text = csv_bytes([new(cus_email=f"u{i}@example.jp") for i in range(100)], MEMBER_HEADER)
        feed = subprocess.Popen(["sh", "-c", 'cat "$0"; cat /dev/zero', write(self.path("m.csv"), text)],
                                stdout=subprocess.PIPE)
        try:
            p = self.endless("kaiin-check", "-", stdin=feed.stdout)
        finally:
            feed.kill()
            feed.wait()
        self.assertEqual(p.returncode, 1, p)
        self.assertIn(b"<stdin>:102: error: reading stopped at line 102", p.stdout)
        self.assertIn(b"records 100,", p.stdout)

    def test_a_nul_or_two_in_a_value_is_still_a_finding_of_its_place(self):
        # Not a block of control bytes: a damaged value, reported where it is.
        text = csv_bytes([new(cus_memo="me\x00mo")], MEMBER_HEADER)
        r = run("kaiin-check", write(self.path("m.csv"), text))
        self.assertEqual(r.code, 1, r)
        self.assertIn(b"[csv-nul-byte]", r.out)
        self.assertNotIn(b"[input-not-text]", r.out)
