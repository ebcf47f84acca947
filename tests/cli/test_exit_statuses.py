"""The README's table of exit statuses, run: for every program and every input it
reads, an empty file, a file with only a header and a file without a column the
program needs. The table is read from the README, so that it and the programs
cannot drift: each row names the status of each case, "nothing written" where no
output may appear, and the column taken out (in backquotes)."""
import csv
import io
import os
import re
import unittest

from kaiin_test import SOURCE, TempDirTest, run, sample

TODAY = "2026-11-23"

# How each row of the table runs: the command line, with IN for the input of the
# row, OUT for a file written and DIR for a folder written (neither may exist after
# a run whose cell says "nothing written"), and the sample the input is made from.
ROWS = {
    "kaiin-check FILE": (["kaiin-check", "--today", TODAY, "-o", "OUT", "IN"], "upload.csv"),
    "kaiin-check --current EXPORT": (["kaiin-check", "--today", TODAY, "--current", "IN", "-o", "OUT",
                                      sample("upload.csv")], "current_export.csv"),
    "kaiin-fix FILE": (["kaiin-fix", "--today", TODAY, "-o", "OUT", "IN"], "upload.csv"),
    "kaiin-fix --current EXPORT": (["kaiin-fix", "--today", TODAY, "--current", "IN", "-o", "OUT",
                                    sample("upload.csv")], "current_export.csv"),
    "kaiin-conv FILE": (["kaiin-conv", "-t", "utf-8", "-o", "OUT", "IN"], "members_cp932.csv"),
    "kaiin-split FILE": (["kaiin-split", "--by", "action", "--prefix", "m", "-d", "DIR", "IN"], "upload_mixed.csv"),
    "kaiin-crosspoint FILE": (["kaiin-crosspoint", "--sanitize", "-o", "OUT", "IN"], "export_for_crosspoint.csv"),
    "kaiin-points check POINTS": (["kaiin-points", "check", "IN"], "points.csv"),
    "kaiin-points check --members EXPORT": (["kaiin-points", "check", "--members", "IN", sample("points.csv")],
                                            "current_export.csv"),
    "kaiin-points diff OLD NEW": (["kaiin-points", "diff", "IN", sample("balances_new.csv"), "-o", "OUT"],
                                  "balances_old.csv"),
    "kaiin-tags check TAGS": (["kaiin-tags", "check", "IN"], "tags.csv"),
    "kaiin-tags apply --rules RULES": (["kaiin-tags", "apply", "--rules", "IN", "--members",
                                        sample("current_export.csv"), "--today", TODAY, "-o", "OUT"],
                                       "tag_rules.csv"),
    "kaiin-tags apply --members EXPORT": (["kaiin-tags", "apply", "--rules", sample("tag_rules.csv"), "--members",
                                           "IN", "--today", TODAY, "-o", "OUT"], "current_export.csv"),
    "kaiin-tags apply --current LINKS": (["kaiin-tags", "apply", "--rules", sample("tag_rules.csv"), "--members",
                                          sample("current_export.csv"), "--current", "IN", "--today", TODAY, "-o",
                                          "OUT"], "tag_links.csv"),
    "kaiin-tags apply --tags TAGS": (["kaiin-tags", "apply", "--rules", sample("tag_rules.csv"), "--members",
                                      sample("current_export.csv"), "--tags", "IN", "--today", TODAY, "-o", "OUT"],
                                     "tags.csv"),
    "kaiin-crm --members EXPORT": (["kaiin-crm", "--members", "IN", "--orders", sample("crm_orders.csv"), "-d", "DIR"],
                                   "crm_members.csv"),
    "kaiin-crm --orders ORDERS": (["kaiin-crm", "--members", sample("crm_members.csv"), "--orders", "IN", "-d", "DIR"],
                                  "crm_orders.csv"),
    "kaiin-crm --previous OLD": (["kaiin-crm", "--members", sample("crm_members.csv"), "--orders",
                                  sample("crm_orders.csv"), "--previous", "IN", "-d", "DIR"], "crm_members_old.csv"),
    "kaiin-find --members EXPORT": (["kaiin-find", "--members", "IN", "-o", "OUT", "taro.yamada@example.jp"],
                                    "crm_members.csv"),
    "kaiin-find --orders ORDERS": (["kaiin-find", "--members", sample("crm_members.csv"), "--orders", "IN", "-o",
                                    "OUT", "taro.yamada@example.jp"], "crm_orders.csv"),
    "kaiin-find --addresses FILE --column NAME": (["kaiin-find", "--members", sample("crm_members.csv"), "--addresses",
                                                   "IN", "--column", "差出人", "--quiet-missing", "-o", "OUT"],
                                                  "inbox.csv"),
    "kaiin-find --addresses FILE": (["kaiin-find", "--members", sample("crm_members.csv"), "--addresses", "IN",
                                     "--quiet-missing", "-o", "OUT"], "find_addresses.txt"),
}

CASES = ("empty file", "header only", "a column missing")


def readme_table():
    """The rows of the README's table under '## Exit statuses': {label: [cells]}."""
    with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## Exit statuses\n", 1)[1].split("\n## ", 1)[0]
    lines = [l for l in section.splitlines() if l.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[1:] == list(CASES), header
    rows = {}
    for line in lines[2:]:  # after the header and its |---| line
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rows[cells[0].strip("`")] = cells[1:]
    return rows


def decoded(data):
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp932"), "cp932"


def variant(name, case, column):
    """Sample NAME as the case asks: nothing, its first line, or without COLUMN."""
    with open(sample(name), "rb") as f:
        data = f.read()
    if case == "empty file":
        return b""
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    if case == "header only":
        return data.split(newline, 1)[0] + newline
    text, encoding = decoded(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    at = rows[0].index(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline.decode())
    for row in rows:
        writer.writerow(row[:at] + row[at + 1:])
    return out.getvalue().encode(encoding)


class ExitStatuses(TempDirTest):
    def test_the_table_has_a_row_for_every_input_and_the_test_one_for_every_row(self):
        self.assertEqual(sorted(readme_table()), sorted(ROWS))

    def test_every_cell_of_the_table_is_what_the_program_does(self):
        for label, cells in readme_table().items():
            argv, name = ROWS[label]
            for case, cell in zip(CASES, cells):
                if cell == "—":  # the input has no header, or needs no column
                    continue
                with self.subTest(row=label, case=case):
                    column = re.search(r"`([^`]+)`", cell)
                    self.assertTrue(column or case != "a column missing", cell)
                    folder = os.path.join(self.dir, re.sub(r"\W+", "_", f"{label} {case}"))
                    os.mkdir(folder)
                    path = os.path.join(folder, "in" + os.path.splitext(name)[1])
                    with open(path, "wb") as f:
                        f.write(variant(name, case, column and column.group(1)))
                    out, out_dir = os.path.join(folder, "out.csv"), os.path.join(folder, "out")
                    args = [path if a == "IN" else out if a == "OUT" else out_dir if a == "DIR" else a
                            for a in argv]
                    r = run(*args)
                    status = int(re.match(r"(\d)", cell).group(1))
                    self.assertEqual(r.code, status, f"{cell}\n{r}")
                    if status == 1 and case != "header only" and r.code == 1:
                        # One finding on line 1 says what is wrong with the file (in
                        # kaiin-check's report, which is its output).
                        report = open(out, encoding="utf-8", errors="replace").read() if os.path.isfile(out) else ""
                        self.assertRegex(report + r.err, r"in\.\w+:1: error: ", r)
                    if "nothing written" in cell:
                        self.assertFalse(os.path.exists(out), cell)
                        self.assertFalse(os.path.exists(out_dir), cell)
                        self.assertEqual(r.out, b"", cell)


if __name__ == "__main__":
    unittest.main()
