"""EC-CUBE 4's 会員CSV with the eccube profile (spec §4): an export, with no control
column, checked as existing members rather than as an upload.

samples/eccube_members.csv is written as EC-CUBE's CsvExportService writes it (PHP
fputcsv, SJIS-win, LF, dates as Y-m-d H:i:s), so the behaviour is tested without
../shared. When ../shared/realdata is there, a 会員CSV is also built from EC-CUBE's
own files, byte for byte as they are stored there: the column names of its
dtb_csv.csv (csv_type 2, customer), the rows of its customer-list fixture and the
prefecture names of mtb_pref.csv; and the profile's confirmed headers are compared
with dtb_csv.csv."""
import csv
import io
import os
import unittest

from kaiin_check import TODAY, check_json
from kaiin_test import SHARED, SOURCE, TempDirTest, read, run, sample, write

SAMPLE = sample("eccube_members.csv")
ECCUBE = os.path.join(SHARED, "realdata", "files", "eccube")
DTB_CSV = os.path.join(ECCUBE, "src__Eccube__Resource__doctrine__import_csv__ja__dtb_csv.csv")
MTB_PREF = os.path.join(ECCUBE, "src__Eccube__Resource__doctrine__import_csv__ja__mtb_pref.csv")
CUSTOMERS = os.path.join(ECCUBE, "tests__Eccube__Tests__Fixture__csv__customer-list__dtb_customer.csv")
HAVE_REALDATA = all(os.path.exists(p) for p in (DTB_CSV, MTB_PREF, CUSTOMERS))
SKIP_WHY = f"EC-CUBE's files are not in {ECCUBE} (../shared/realdata)"


def fputcsv(fields):
    """A line as PHP's fputcsv writes it: quoted when a field has a delimiter, a quote,
    a backslash, whitespace or a newline; LF at the end."""
    out = []
    for f in fields:
        out.append('"' + f.replace('"', '""') + '"' if any(c in f for c in ',"\\\n\r\t ') else f)
    return ",".join(out) + "\n"


def sample_rows():
    text = read(SAMPLE).decode("cp932")
    return list(csv.reader(io.StringIO(text, newline="")))


def eccube_csv(rows):
    return "".join(fputcsv(r) for r in rows).encode("cp932")


class EccubeSample(TempDirTest):
    def test_the_sample_is_an_export_recognised_as_eccube_and_clean(self):
        r, found, summary = check_json(SAMPLE)
        self.assertEqual((r.code, found), (0, []), r)
        self.assertEqual((summary["profile"], summary["encoding"], summary["records"]), ("eccube", "cp932", 5))
        # Existing members, not an upload: nothing created, updated or deleted, and no
        # error for the control column it never has.
        self.assertEqual((summary["create"], summary["update"], summary["delete"], summary["existing_members"]),
                         (0, 0, 0, 5))
        text = run("kaiin-check", *TODAY, SAMPLE)
        self.assertEqual(text.out.decode(), f"kaiin-check: summary: files {SAMPLE}, encoding cp932, profile eccube, "
                                            "records 5, create 0, update 0, delete 0, existing members 5, errors 0, "
                                            "warnings 0\n")

    def test_dates_with_hyphens_and_a_birthday_with_a_time_are_eccubes_own(self):
        rows = sample_rows()
        self.assertEqual(rows[1][rows[0].index("誕生日")], "1980-08-19 00:00:00")
        self.assertEqual(rows[1][rows[0].index("登録日")], "2023-12-24 10:11:12")
        self.assertIn(b'"2023-12-24 10:11:12"', read(SAMPLE))  # fputcsv quotes a value with a space

    def test_value_rules_and_duplicates_still_apply_to_an_export(self):
        rows = sample_rows()
        h = rows[0]
        rows[2][h.index("郵便番号")] = "100-000１"
        rows[3][h.index("メールアドレス")] = rows[1][h.index("メールアドレス")].upper()
        rows[4][h.index("登録日")] = "2026-02-30 00:00:00"
        rows[4][h.index("更新日")] = "2026/11/20 25:00:00"
        rows[5][h.index("誕生日")] = "2027-01-01 00:00:00"
        rows[5][h.index("性別(ID)")] = "3"
        rows[3][h.index("会員ID")] = rows[1][h.index("会員ID")]
        r, found, _ = check_json("-", stdin=eccube_csv(rows))
        self.assertEqual(r.code, 1, r)
        # Member 2's memo holds a newline: member 3 starts on line 5.
        self.assertEqual(sorted((f["line"], f["column"], f["rule"]) for f in found), [
            (3, "郵便番号", "zip-format"),
            (5, "メールアドレス", "email-duplicate"),
            (5, "会員ID", "member-id-duplicate"),
            (6, "更新日", "updated-datetime"),
            (6, "登録日", "registered-datetime"),
            (7, "性別(ID)", "sex-value"),
            (7, "誕生日", "birthday-date"),
        ])

    def test_unknown_columns_pass_through_and_the_profile_can_be_named(self):
        r, found, summary = check_json("--profile", "eccube", SAMPLE)
        self.assertEqual((r.code, found, summary["profile"]), (0, [], "eccube"), r)

    def test_the_profile_marks_every_header_confirmed(self):
        with open(os.path.join(SOURCE, "data", "profiles", "eccube.csv"), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual({r["confirmed"] for r in rows}, {"yes"})
        self.assertEqual({r["header"] for r in rows} - set(sample_rows()[0]), set())

    def test_every_shipped_profile_says_what_was_confirmed(self):
        for name in ("kaiin", "futureshop", "aiship", "ebisumart", "eccube"):
            with self.subTest(profile=name):
                with open(os.path.join(SOURCE, "data", "profiles", name + ".csv"), encoding="utf-8") as f:
                    rows = list(csv.DictReader(f))
                self.assertTrue(rows)
                self.assertEqual({r["confirmed"] for r in rows} - {"yes", "no"}, set())


@unittest.skipUnless(HAVE_REALDATA, SKIP_WHY)
class EccubeRealFiles(TempDirTest):
    def customer_csv(self):
        """EC-CUBE's 会員CSV for the rows of its customer-list fixture, as
        CsvExportService would export them: the header from dtb_csv.csv, each column
        from the entity field (and reference field) it names."""
        with open(DTB_CSV, encoding="utf-8", newline="") as f:
            columns = [r for r in csv.DictReader(f) if r["csv_type_id"] == "2" and r["enabled"] == "1"]
        columns.sort(key=lambda r: int(r["sort_no"]))
        with open(MTB_PREF, encoding="utf-8", newline="") as f:
            prefs = {r["id"]: r["name"] for r in csv.DictReader(f)}
        with open(CUSTOMERS, encoding="utf-8", newline="") as f:
            customers = list(csv.DictReader(f))
        sexes = {"1": "男性", "2": "女性"}  # spec §4; mtb_sex.csv is not among the stored files
        lines = [fputcsv([c["disp_name"] for c in columns])]
        for cu in customers:
            values = []
            for c in columns:
                field, ref = c["field_name"], c["reference_field_name"]
                if field == "Pref":
                    values.append(cu["pref_id"] if ref == "id" else prefs.get(cu["pref_id"], ""))
                elif field == "Sex":
                    values.append(cu["sex_id"] if ref == "id" else sexes.get(cu["sex_id"], ""))
                elif field == "Status":
                    values.append(cu["customer_status_id"] if ref == "id" else "")
                else:
                    values.append(cu.get(field, ""))  # birth, job, buy dates: not in the fixture
            lines.append(fputcsv(values))
        return write(self.path("eccube_customer.csv"), "".join(lines).encode("cp932")), len(customers)

    def test_the_profile_headers_are_those_of_dtb_csv(self):
        with open(DTB_CSV, encoding="utf-8", newline="") as f:
            names = {r["disp_name"] for r in csv.DictReader(f) if r["csv_type_id"] == "2"}
        with open(os.path.join(SOURCE, "data", "profiles", "eccube.csv"), encoding="utf-8") as f:
            profile = {r["header"] for r in csv.DictReader(f)}
        self.assertEqual(profile - names, set())
        self.assertIn("ポイント", names)

    def test_a_customer_csv_built_from_eccubes_files_is_checked_as_existing_members(self):
        path, n = self.customer_csv()
        r, found, summary = check_json(path)
        self.assertEqual((summary["profile"], summary["records"], summary["existing_members"]), ("eccube", n, n), r)
        # The fixture's furigana has a digit (タロウ0): a true finding, one a member;
        # nothing else, and nothing about a control column.
        self.assertEqual({(f["column"], f["rule"]) for f in found}, {("お名前(メイ)", "kana-format")}, found)
        self.assertEqual(len(found), n)
        self.assertIn("furigana 'タロウ0' has characters that are not katakana", found[0]["message"])

    def test_the_database_fixture_itself_is_not_a_member_csv_and_says_so(self):
        # Its headers are the table's columns (name01, email, create_date): no profile
        # knows them, and the records are counted rather than "records 0".
        r, found, summary = check_json(CUSTOMERS)
        self.assertEqual([f["rule"] for f in found], ["header-unknown-profile"], r)
        self.assertEqual((summary["records"], summary["not_checked"]), (10, CUSTOMERS))


if __name__ == "__main__":
    unittest.main()
