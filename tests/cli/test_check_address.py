"""Addresses against Japan Post's postal codes (spec §15) and telephone lengths (§4),
from the outside: kaiin-check's findings on real codes, what must not be flagged
(hyphen or none, full-width, wards of designated cities and of Tokyo, 郡 or none,
business codes, straddling codes, exports), kaiin-fix's two fixes, the data's date in
--version, the table script's derivation, and (with ../shared beside the clone) Japan
Post's own files and gen_members.py's --address-mismatch-rate."""
import csv
import io
import json
import os
import subprocess
import sys
import unittest

from kaiin_check import CheckTest, check_json
from kaiin_csv import MEMBER_HEADER as HEADER, dele, member, member_csv, new
from kaiin_test import SHARED, SOURCE, TempDirTest, run, write

TODAY = ("--today", "2026-11-23")
JAPANPOST = os.path.join(SHARED, "realdata", "files", "japanpost")
GEN_MEMBERS = os.path.join(SHARED, "bench", "gen_members.py")


def address(zip_code, pref, address1, **fields):
    """A new member (n) at that address."""
    return new(cus_zip=zip_code, cus_pref=pref, cus_address1=address1, **fields)


class WhatIsNotFlagged(CheckTest):
    def test_real_addresses_written_the_ways_people_write_them(self):
        rows = [
            ("530-0001", "大阪府", "大阪市北区梅田1-1-3"),          # a ward of a designated city
            ("5300001", "大阪府", "大阪市北区梅田1-1-3"),           # no hyphen
            ("530-0001", "大阪府", "大阪市 北区 梅田1-1-3"),         # spaces between the names
            ("100-0001", "東京都", "千代田区千代田1-1"),             # a ward of Tokyo
            ("100-8111", "東京都", "千代田区千代田1-1"),             # a business code (JIGYOSYO)
            ("678-1201", "兵庫県", "赤穂郡上郡町大持1"),             # with the 郡
            ("678-1201", "兵庫県", "上郡町大持1"),                   # without it
            ("498-0000", "愛知県", "弥富市鍋田町"),                  # a code on two prefectures' border
            ("498-0000", "三重県", "桑名郡木曽岬町源緑輪中"),
            ("004-0000", "北海道", "札幌市清田区清田1条"),           # a code of two wards
            ("273-0101", "千葉県", "鎌ヶ谷市富岡1丁目"),             # 鎌ケ谷市 in Japan Post's data
            ("963-8001", "福島県", "郡山市大町1丁目"),               # a city whose name starts with 郡
            ("840-0825", "佐賀県", ""),                              # no address1: not compared
            ("", "佐賀県", "どこか1-1"),                             # no zip code: nothing to compare
        ]
        data = member_csv(*(address(*row, cus_email=f"a{i}@example.jp") for i, row in enumerate(rows)))
        self.assertClean(data)
        self.assertClean(data.decode().encode("cp932"))

    def test_full_width_zip_and_short_prefecture_are_their_own_findings_only(self):
        self.assertFindings(member_csv(address("５３０－０００１", "大阪", "大阪市北区梅田")),
                            [(2, "cus_zip", "zip-format"), (2, "cus_pref", "pref-name")])

    def test_a_delete_row_is_not_compared(self):
        self.assertClean(member_csv(dele("10009", cus_zip="530-0001", cus_pref="佐賀県")))

    def test_an_export_is_checked_as_an_upload_is(self):
        data = member_csv(member(cus_zip="530-0001", cus_pref="佐賀県"), header=HEADER[1:])
        self.assertFindings(data, [(2, "cus_pref", "pref-zip-mismatch")])


class Findings(CheckTest):
    def test_zip_code_japan_post_has_not_assigned(self):
        found = self.assertFindings(member_csv(address("219-0614", "岡山県", "岡山市北区駅元町1丁目")),
                                    [(2, "cus_zip", "zip-unassigned")])
        self.assertEqual(found[0]["message"], "cus_zip: zip code '219-0614' is not one Japan Post has assigned "
                                              "(postal codes of 2025-09-30): check it, or a parcel to it may not arrive")

    def test_prefecture_that_is_not_the_zip_codes(self):
        found = self.assertFindings(member_csv(address("530-0001", "佐賀県", "大阪市北区梅田1-1")),
                                    [(2, "cus_pref", "pref-zip-mismatch")])
        self.assertIn("prefecture '佐賀県' is not that of zip code 530-0001, which is in 大阪府大阪市北区",
                      found[0]["message"])
        found = self.assertFindings(member_csv(address("498-0000", "岐阜県", "弥富市鍋田町")),
                                    [(2, "cus_pref", "pref-zip-mismatch")])
        self.assertIn("which is in 愛知県弥富市 or 三重県桑名郡木曽岬町", found[0]["message"])
        # The zip code is wrong rather than the prefecture: address1 says so too.
        self.assertFindings(member_csv(address("530-0001", "佐賀県", "佐賀市中央本町1丁目")),
                            [(2, "cus_pref", "pref-zip-mismatch"), (2, "cus_address1", "address-city")])

    def test_address_that_does_not_start_with_the_city(self):
        found = self.assertFindings(member_csv(address("530-0001", "大阪府", "北区梅田1-1")),
                                    [(2, "cus_address1", "address-city")])
        self.assertEqual(found[0]["message"], "cus_address1: address '北区梅田1-1' does not start with the city of "
                                              "zip code 530-0001, 大阪市北区")

    def test_address_that_repeats_the_prefecture(self):
        found = self.assertFindings(member_csv(address("530-0001", "大阪府", "大阪府大阪市北区梅田1-1")),
                                    [(2, "cus_address1", "address-pref-repeated")])
        self.assertIn("repeats the prefecture 大阪府, which labels then print twice: write '大阪市北区梅田1-1'",
                      found[0]["message"])
        # Without a zip code too: the prefecture is the row's.
        self.assertFindings(member_csv(address("", "東京都", "東京都 千代田区千代田1-1")),
                            [(2, "cus_address1", "address-pref-repeated")])

    def test_empty_prefecture_where_the_zip_code_names_one(self):
        found = self.assertFindings(member_csv(address("530-0001", "", "大阪市北区梅田1-1")),
                                    [(2, "cus_pref", "pref-empty")])
        self.assertIn("the prefecture is empty, and zip code 530-0001 is in 大阪府: write '大阪府'", found[0]["message"])
        # The prefecture written in address1 instead: both are said, as kaiin-fix then fixes both.
        self.assertFindings(member_csv(address("530-0001", "", "大阪府大阪市北区梅田1-1")),
                            [(2, "cus_pref", "pref-empty"), (2, "cus_address1", "address-pref-repeated")])

    def test_telephone_lengths(self):
        self.assertFindings(member_csv(new(cus_tel="090-1234-567"), new(cus_tel="06-1234-5678", cus_email="b@x.jp"),
                                       new(cus_tel="+81-90-1234-5678", cus_email="c@x.jp"),
                                       new(cus_tel="901234567", cus_email="d@x.jp"),
                                       new(cus_tel="9012345678", cus_email="e@x.jp")),
                            # 901234567 lacks its 0 but 0 + it is no number either; 9012345678
                            # is a number Excel took its 0 from (test_excel), said as that.
                            [(2, "cus_tel", "tel-length"), (5, "cus_tel", "tel-length"),
                             (6, "cus_tel", "excel-leading-zero-tel")])


class Fixes(TempDirTest):
    def fix(self, data):
        src, out, changes = self.path("in.csv"), self.path("out.csv"), self.path("changes.csv")
        write(src, data)
        r = run("kaiin-fix", *TODAY, "-o", out, "--changes", changes, src)
        with open(changes, encoding="utf-8-sig", newline="") as f:
            return r, open(out, "rb").read(), list(csv.reader(f))[1:]

    def test_the_repeated_prefecture_is_removed_and_the_empty_one_filled(self):
        data = member_csv(address("530-0001", "大阪府", "大阪府 大阪市北区梅田1-1"),
                          address("100-0001", "", "千代田区千代田1-1", cus_email="b@example.jp"),
                          address("530-0001", "", "大阪府大阪市北区梅田2-2", cus_email="c@example.jp"),
                          address("498-0000", "", "桑名郡木曽岬町源緑輪中", cus_email="d@example.jp"),
                          address("498-0000", "", "", cus_email="e@example.jp"))
        r, copy, changes = self.fix(data)
        self.assertEqual(r.code, 0, r)
        self.assertEqual([row[0:1] + row[2:] for row in changes], [
            ["2", "cus_address1", "address-pref-repeated", "大阪府 大阪市北区梅田1-1", "大阪市北区梅田1-1"],
            ["3", "cus_pref", "pref-empty", "", "東京都"],
            ["4", "cus_pref", "pref-empty", "", "大阪府"],
            ["4", "cus_address1", "address-pref-repeated", "大阪府大阪市北区梅田2-2", "大阪市北区梅田2-2"],
            ["5", "cus_pref", "pref-empty", "", "三重県"]])
        # Row 6: a code of two prefectures and nothing to tell which: it stays, and is said.
        self.assertIn("zip code 498-0000 is in 愛知県 or 三重県 [pref-empty]", r.err)
        # The copy passes, and fixing it again changes nothing.
        _, found, _ = check_json(self.path("out.csv"))
        self.assertEqual([f["rule"] for f in found], ["pref-empty"])
        write(self.path("in.csv"), copy)
        _, again, changes = self.fix(copy)
        self.assertEqual((again, changes), (copy, []))

    def test_what_kaiin_cannot_tell_is_left_as_it_is(self):
        data = member_csv(address("530-0001", "佐賀県", "北区梅田1-1"), address("219-0614", "岡山県", "岡山市",
                                                                              cus_email="b@example.jp"),
                          new(cus_tel="０６－１２３４", cus_email="c@example.jp"))
        r, copy, changes = self.fix(data)
        self.assertEqual(r.code, 1, r)
        self.assertEqual((copy, changes), (data, []))
        for rule in ("pref-zip-mismatch", "address-city", "zip-unassigned", "tel-format"):
            self.assertIn(f"[{rule}]", r.err)


class PostalData(TempDirTest):
    def test_every_program_says_the_postal_datas_date(self):
        for tool in ("kaiin-check", "kaiin-fix", "kaiin-conv"):
            r = run(tool, "--version")
            self.assertEqual(r.out.decode().splitlines()[1],
                             "postal codes: Japan Post, 2025-09-30 (jquery-jpostal-ja@2.14.73)")
        r = run("kaiin-check", "--version", env={"LC_ALL": "ja_JP.UTF-8"})
        self.assertIn("郵便番号: 日本郵便 2025-09-30 時点", r.out.decode())

    def test_the_committed_table_is_what_the_script_makes_of_its_rows(self):
        # The script downloads its pinned package with npm; here its derivation runs
        # on a small package of two files written as the package writes them.
        package = self.path("package")
        os.makedirs(os.path.join(package, "json"))

        def callback(rows):
            return "jQuery_jpostal_callback(\n" + json.dumps(rows, ensure_ascii=True) + "\n);\n"

        write(os.path.join(package, "json", "000.json"),
              callback([["_000info", "", "ver2.13 2025-09-25 2025-09-30", "", "", "", "", "", ""],
                        ["_000", "", "", "", "", "", "", "", ""]]))
        write(os.path.join(package, "json", "498.json"),
              callback([["_498", "愛知県", "弥富市", "", "", "", "", "", ""],
                        ["_4980000", "愛知県", "弥富市", "", "", "", "", "", ""],
                        ["_4980000", "三重県", "桑名郡木曽岬町", "", "", "", "", "", ""],
                        ["_4980001", "愛知県", "弥富市", "鍋田町", "", "", "", "", ""],
                        ["_4980002", "愛知県", "弥富市", "", "", "", "", "", ""],
                        ["_4988501", "愛知県", "弥富市", "前ケ須町", "１", "弥富市役所", "", "", ""]]))
        out = self.path("zip_codes.txt")
        p = subprocess.run([sys.executable, os.path.join(SOURCE, "scripts", "postal-table"), "--from", package,
                            "-o", out], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(text.splitlines()[2:], [
            "date 2025-09-30",
            "source jquery-jpostal-ja@2.14.73 (npm, MIT), data stamp 'ver2.13 2025-09-25 2025-09-30'",
            "codes 4",
            "place\t23\t\t弥富市\t24\t桑名郡\t木曽岬町",
            "place\t23\t\t弥富市",
            "498 =0 1 =1 2* 8499"])
        # kaiin reads what the script writes.
        p = subprocess.run([sys.executable, os.path.join(SOURCE, "scripts", "postal-table"), "--from", package,
                            "-o", out, "--check"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_the_committed_table_says_its_source_and_size(self):
        with open(os.path.join(SOURCE, "data", "postal", "zip_codes.txt"), encoding="utf-8") as f:
            head = [next(f) for _ in range(5)]
        self.assertEqual(head[2:], ["date 2025-09-30\n", "source jquery-jpostal-ja@2.14.73 (npm, MIT), data stamp "
                                    "'ver2.13 2025-09-25 2025-09-30'\n", "codes 142871\n"])
        self.assertLess(os.path.getsize(os.path.join(SOURCE, "data", "postal", "zip_codes.txt")), 300_000)
        with open(os.path.join(SOURCE, "scripts", "postal-table"), encoding="utf-8") as f:
            script = f.read()
        self.assertIn('PACKAGE = "jquery-jpostal-ja@2.14.73"', script)
        self.assertIn('INTEGRITY = "sha512-', script)


@unittest.skipUnless(os.path.isdir(JAPANPOST), f"no Japan Post files in ../shared ({JAPANPOST})")
class JapanPostFiles(CheckTest):
    """Japan Post's own KEN_ALL rows for Tokyo (13TOKYO.CSV, the newest of the copies
    in ../shared), as members: each code with its prefecture and city is accepted."""

    def test_every_tokyo_address_of_japan_post_is_accepted(self):
        with open(os.path.join(JAPANPOST, "scraping_test1__13TOKYO.CSV"), encoding="cp932", newline="") as f:
            rows = list(csv.reader(f))
        self.assertGreater(len(rows), 4000)
        members = [new(cus_zip=r[2], cus_pref=r[6], cus_address1=r[7] + r[8], cus_email=f"m{i}@example.jp")
                   for i, r in enumerate(rows)]
        r, found, summary = check_json("-", stdin=member_csv(*members))
        self.assertEqual((r.code, found), (0, []), found[:3])
        self.assertEqual(summary["records"], len(rows))

    def test_a_prefecture_swapped_is_found_on_each_row(self):
        with open(os.path.join(JAPANPOST, "scraping_test1__13TOKYO.CSV"), encoding="cp932", newline="") as f:
            rows = list(csv.reader(f))[:500]
        members = [new(cus_zip=r[2], cus_pref="神奈川県", cus_address1=r[7] + r[8], cus_email=f"m{i}@example.jp")
                   for i, r in enumerate(rows)]
        _, found, _ = check_json("-", stdin=member_csv(*members))
        self.assertEqual({f["rule"] for f in found}, {"pref-zip-mismatch"})
        self.assertEqual(len(found), len(rows))


@unittest.skipUnless(os.path.exists(GEN_MEMBERS), f"no gen_members.py in ../shared ({GEN_MEMBERS})")
class GeneratedMembers(TempDirTest):
    def generate(self, *args):
        p = subprocess.run([sys.executable, GEN_MEMBERS, "--rows", "2000", "--encoding", "utf-8", "--newline", "lf",
                            "--control", "nu", *args], capture_output=True, check=True)
        return p.stdout

    def test_real_addresses_pass_and_each_mismatch_is_found(self):
        r, found, _ = check_json("-", stdin=self.generate())
        self.assertEqual([f for f in found if f["rule"].startswith(("zip-", "pref-", "address-", "tel-"))], [])
        data = self.generate("--address-mismatch-rate", "0.05")
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        _, found, _ = check_json("-", stdin=data)
        mismatched = [f for f in found if f["rule"] == "pref-zip-mismatch"]
        self.assertGreater(len(mismatched), 40)
        self.assertEqual({f["rule"] for f in found} & {"zip-unassigned", "address-city", "tel-length"}, set())
        # Each finding is on a row whose prefecture is not its zip code's in the generator's data.
        for f in mismatched:
            row = rows[f["record"] - 1]
            self.assertIn(f"prefecture '{row['cus_pref']}' is not that of zip code {row['cus_zip']}", f["message"])
