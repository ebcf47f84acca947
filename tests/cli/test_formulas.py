"""--escape-formulas, from the outside, the same table of cells through every program
that writes CSV for people: a ' goes before each cell that starts with = + - @ TAB
or CR and is not a decimal number, inside the cell's quotes; nothing else changes
(each escape adds exactly one byte); the encoding stays; the summary counts the
cells; without the flag not a byte changes."""
import csv
import glob
import io
import os
import re

from kaiin_csv import POINTS_HEADER, csv_bytes
from kaiin_test import TOOLS, TempDirTest, man_text, read, run, write

# One cell for each trigger character, numbers that stay, and a quoted newline.
TRIGGERS = ["=1+2", "+81-3-1234-5678", "-note", "@SUM(A1)", "\tx", "\rx", "=a\r\nb", "=山田"]
NUMBERS = ["-100", "+5", "-1.5"]
HARMLESS = ["a=b", "山田", "＝1", " =1"]
VALUES = TRIGGERS + NUMBERS + HARMLESS

MEMBER_HEADER = ["control", "cus_id", "cus_password", "crypted_pass", "cus_last_name", "cus_first_name",
                 "cus_email", "cus_mobile_email", "cus_pref", "cus_tel", "cus_mailmag", "cus_point",
                 "cus_registered", "cus_memo"]


def formula(cell):
    """The rule as the man pages state it, written again here as the test's oracle."""
    return bool(cell) and cell[0] in "=+-@\t\r" and not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cell)


def cells(data, encoding):
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    return list(csv.reader(io.StringIO(text, newline="")))


def member(i, value, email=None, control="n"):
    return [control, str(1000 + i), "pw123456", "0", value, "太郎", email or f"m{i}@example.com", "",
            "大阪府", value, "1", "0", "2020/01/01 00:00:00", value]


def members(encoding="utf-8", email=None, control="n"):
    return csv_bytes([member(i, v, email, control) for i, v in enumerate(VALUES)], MEMBER_HEADER, encoding=encoding)


class Program:
    """How one program is run on cells of ours; run() returns (outputs, result)."""

    def __init__(self, name, encoding, run_it, values_are_cells=True):
        self.name, self.encoding, self.run_it = name, encoding, run_it
        self.values_are_cells = values_are_cells  # (a report quotes them inside messages)

    def run(self, test, *flags):
        out = test.path("out-" + ("escaped" if flags else "plain"))
        os.makedirs(out)
        r = self.run_it(test, out, list(flags))
        files = sorted(glob.glob(os.path.join(out, "*")))
        return [read(f) for f in files], r


def conv(encoding, to):
    def go(t, out, flags):
        src = write(t.path("in.csv"), members(encoding))
        return run("kaiin-conv", "-t", to, *flags, "-o", os.path.join(out, "out.csv"), src)
    return Program(f"kaiin-conv {encoding}->{to}", "cp932" if to == "cp932" else "utf-8", go)


def split(by, encoding):
    def go(t, out, flags):
        src = write(t.path("members.csv"), members(encoding))
        where = ["-o", os.path.join(out, "crm.csv")] if by == "address" else ["-d", out]
        return run("kaiin-split", "--by", by, *flags, *where, src)
    return Program(f"kaiin-split --by {by} ({encoding})", encoding, go)


def merge_plan(t, out, flags):
    # Every member shares one address: one merge group, whose plan holds their IDs.
    rows = [["cus_id", "cus_email", "cus_point", "cus_registered"]]
    rows += [[v, "same@example.com", "0", "2020/01/01 00:00:00"] for v in VALUES]
    src = write(t.path("export.csv"), csv_bytes(rows))
    columns = write(t.path("map.csv"), "column,source\r\nID,member_id\r\nmail,email\r\n")
    return run("kaiin-crosspoint", *flags, "--map", columns, "--merge-plan", os.path.join(out, "plan.csv"),
               "-o", t.path("load.tsv"), src)


def points_diff(t, out, flags):
    keys = [v for v in VALUES if "\n" not in v]  # point CSVs are one line a row
    old = write(t.path("old.csv"), csv_bytes([[v, "0", "x"] for v in keys], POINTS_HEADER))
    new = write(t.path("new.csv"), csv_bytes([[v, "7", "x"] for v in keys], POINTS_HEADER))
    return run("kaiin-points", *flags, "diff", "--reason", "-調整", "-t", "cp932", old, new,
               "-o", os.path.join(out, "adjust.csv"))


def tags_apply(t, out, flags):
    rules = write(t.path("rules.csv"), "tag_code,field,op,value\r\n-VIP,pref,eq,大阪府\r\n")
    export = write(t.path("export.csv"), csv_bytes([["cus_id", "cus_pref"]] + [[v, "大阪府"] for v in VALUES]))
    return run("kaiin-tags", "-v", *flags, "apply", "--rules", rules, "--members", export,
               "-o", os.path.join(out, "changes.csv"))


def check_report(t, out, flags):
    # A column of the shop's own, named like a formula, holding formulas: each finding
    # names the column, and its message starts with the column's name.
    rows = [MEMBER_HEADER + ["@note"]] + [member(i, "x") + [v] for i, v in enumerate(VALUES)]
    src = write(t.path("upload.csv"), csv_bytes(rows))
    return run("kaiin-check", *flags, "--report", "csv", "-o", os.path.join(out, "report.csv"), src)


PROGRAMS = [
    conv("utf-8", "utf-8"), conv("cp932", "cp932"), conv("utf-8", "cp932"), conv("cp932", "utf-8-bom"),
    split("action", "cp932"), split("rows:4", "utf-8"), split("address", "cp932"),
    Program("kaiin-crosspoint --merge-plan", "utf-8", merge_plan),
    Program("kaiin-points diff", "cp932", points_diff),
    Program("kaiin-tags apply", "utf-8", tags_apply),
    Program("kaiin-check --report csv", "utf-8", check_report, values_are_cells=False),
]


class EscapeFormulas(TempDirTest):
    def compare(self, program, plain, escaped):
        """Every cell of the escaped output is the plain output's cell, with a ' before
        it exactly where the rule says; each escape is one byte more. Returns the count."""
        self.assertEqual(len(plain), len(escaped), "the same files")
        total = 0
        for p, e in zip(plain, escaped):
            n = 0
            p_rows, e_rows = cells(p, program.encoding), cells(e, program.encoding)
            self.assertEqual(len(p_rows), len(e_rows))
            for p_row, e_row in zip(p_rows, e_rows):
                self.assertEqual(len(p_row), len(e_row))
                for a, b in zip(p_row, e_row):
                    self.assertEqual(b, "'" + a if formula(a) else a)
                    n += formula(a)
            self.assertEqual(len(e), len(p) + n, "nothing but the quotes was added")
            total += n
        return total

    def test_every_program_escapes_the_same_cells_and_counts_them(self):
        root = self.dir
        for k, program in enumerate(PROGRAMS):
            with self.subTest(program=program.name):
                self.dir = os.path.join(root, str(k))
                os.makedirs(self.dir)
                plain, r = program.run(self)
                self.assertIn(r.code, (0, 1), r)
                self.assertNotIn("escaped", r.err)
                self.assertTrue(plain, r)
                escaped, r2 = program.run(self, "--escape-formulas")
                self.assertEqual(r2.code, r.code, r2)
                n = self.compare(program, plain, escaped)
                self.assertGreaterEqual(n, len(TRIGGERS) - 1, "the triggers reached the output")
                self.assertIn(f"formula cells escaped {n},", r2.err)
                if not program.values_are_cells:
                    continue
                every_cell = {c for f in escaped for row in cells(f, program.encoding) for c in row}
                for v in TRIGGERS:
                    self.assertTrue("'" + v in every_cell or "\n" in v, f"{v!r} escaped")
                for v in NUMBERS + HARMLESS:
                    self.assertTrue(v in every_cell and "'" + v not in every_cell, f"{v!r} stays as it is")

    def test_without_the_flag_conv_and_split_copy_every_byte(self):
        root = self.dir
        for k, program in enumerate(PROGRAMS[:7]):  # kaiin-conv and kaiin-split
            with self.subTest(program=program.name):
                self.dir = os.path.join(root, str(k))
                os.makedirs(self.dir)
                plain, r = program.run(self)
                self.assertEqual(r.code, 0, r)
                self.assertFalse(any(b"'=" in f or b"'@" in f for f in plain))
                if program.name == "kaiin-conv utf-8->utf-8":
                    self.assertEqual(plain, [members("utf-8")])
                if program.name == "kaiin-conv cp932->cp932":
                    self.assertEqual(plain, [members("cp932")])
                if program.name == "kaiin-split --by action (cp932)":  # every row is n: one file, the input
                    self.assertEqual(plain, [members("cp932")])

    def test_cp932_stays_cp932_and_the_quote_goes_inside_the_quotes(self):
        src = write(self.path("in.csv"), members("cp932"))
        r = run("kaiin-conv", "-t", "cp932", "--escape-formulas", src)
        self.assertEqual(r.code, 0, r)
        self.assertIn(b",'=" + "山田".encode("cp932") + b",", r.out)
        self.assertIn(b'"\'=a\r\nb"', r.out)  # a quoted newline: the quote inside, the newline kept
        self.assertIn(b'"\'\rx"', r.out)
        self.assertIn(b",'\tx,", r.out)
        self.assertIn(b",-100,", r.out)
        r.out.decode("cp932")  # no UTF-8 crept in
        self.assertNotIn("山田".encode("utf-8"), r.out)

    def test_quiet_leaves_out_the_count_but_still_escapes(self):
        src = write(self.path("in.csv"), members())
        r = run("kaiin-conv", "-t", "utf-8", "--escape-formulas", "-q", src)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.err, "")
        self.assertIn(b",'=1+2,", r.out)

    def test_json_summary_has_the_count_and_zero_is_said_too(self):
        src = write(self.path("in.csv"), csv_bytes([["a", "b"], ["-1", "x"]]))
        r = run("kaiin-conv", "-t", "utf-8", "--escape-formulas", "--report", "json", src)
        self.assertEqual(r.code, 0, r)
        self.assertIn('"formula_cells_escaped":0', r.err)

    def test_crosspoint_load_file_is_never_escaped(self):
        rows = [["cus_id", "cus_email", "cus_last_name"], ["1", "a@example.com", "=山田"], ["2", "b@example.com", "@x"]]
        src = write(self.path("export.csv"), csv_bytes(rows))
        columns = write(self.path("map.csv"), "column,source\r\nID,member_id\r\n姓,last_name\r\n")
        plain = run("kaiin-crosspoint", "--map", columns, "-t", "utf-8", src)
        escaped = run("kaiin-crosspoint", "--map", columns, "-t", "utf-8", "--escape-formulas", src)
        self.assertEqual(plain.code, 0, plain)
        self.assertEqual(escaped.out, plain.out)
        self.assertIn("=山田".encode(), escaped.out)
        self.assertIn("formula cells escaped 0,", escaped.err)

    def test_every_program_documents_the_flag_and_the_importer(self):
        # kaiin-crm writes for a CRM's importer, not for Excel: it has no such flag.
        for tool in [t for t in TOOLS if t != "kaiin-crm"]:
            with self.subTest(tool=tool):
                self.assertIn("--escape-formulas", run(tool, "--help").out.decode())
                page = man_text(tool)
                self.assertTrue(".SH FORMULAS" in page, f"{tool}(1) has no FORMULAS section")
                section = page.split(".SH FORMULAS", 1)[1].split(".SH ", 1)[0]
                self.assertIn("remove", section)  # what the importer must be told
