"""kaiin-fix, from the outside: the copy (bytes of unchanged records, encodings,
newlines, quoting), the change list, --dry-run, passwords, what remains and exit
statuses. Every run passes --today 2026-11-23 so that birthdays are repeatable."""
import csv
import io
import json
import os
import re

from kaiin_csv import GOOD_N, GOOD_U, MEMBER_HEADER as HEADER, dele, member_csv, new, upd
from kaiin_test import TempDirTest, iconv, json_report, read, run, sample, write

TODAY = ("--today", "2026-11-23")
BROKEN = sample("upload_broken.csv")
# What kaiin-fix fixes in samples/upload_broken.csv, and what it cannot.
FIXED_RULES = {"address-pref-repeated", "control-value", "email-syntax", "zip-format", "pref-name", "kana-format"}
LEFT_RULES = ["password-new-encrypted", "password-double-encryption", "birthday-date", "email-duplicate",
              "required-field", "excel-formula", "email-legacy-mobile", "member-id-duplicate", "control-mixed-delete"]


def changes_of(data):
    """The rows of a change list (bytes: UTF-8 with a BOM), header first."""
    text = data.decode("utf-8")
    assert text.startswith("\ufeff"), "the change list starts with a BOM"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def records(data, newline=b"\r\n"):
    """The records of a file without quoted newlines, each with its newline."""
    parts = data.split(newline)
    return [p + newline for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


class FixTest(TempDirTest):
    def fix(self, *args, stdin=None, expect=None):
        """Runs kaiin-fix --today ... ARGS; checks the exit status when EXPECT is given."""
        r = run("kaiin-fix", *TODAY, *args, stdin=stdin)
        if expect is not None:
            self.assertEqual(r.code, expect, r)
        return r

    def fix_file(self, data, *args, expect=None, name="in.csv"):
        """Fixes DATA (bytes) into out.csv with a change list; returns (Result, copy, change rows)."""
        src = write(self.path(name), data)
        out, changes = self.path("out.csv"), self.path("changes.csv")
        r = self.fix("-o", out, "--changes", changes, *args, src, expect=expect)
        return r, read(out), changes_of(read(changes))


class BrokenSample(FixTest):
    def test_the_broken_upload_is_fixed_and_only_what_cannot_be_fixed_remains(self):
        r, copy, rows = self.fix_file(read(BROKEN), "--report", "json", expect=1)
        self.assertEqual(rows, [
            ["line", "record", "column", "rule", "before", "after"],
            ["2", "1", "cus_address1", "address-pref-repeated", "岡山県岡山市北区駅元町1丁目", "岡山市北区駅元町1丁目"],
            ["3", "2", "control", "control-value", "N", "n"],
            ["6", "5", "cus_email", "email-syntax", "ｔａｒｏ＠example.com", "taro@example.com"],
            ["6", "5", "cus_zip", "zip-format", "５３０－０００１", "530-0001"],
            ["6", "5", "cus_pref", "pref-name", "大阪", "大阪府"],
            ["8", "7", "cus_last_kana", "kana-format", "いとう", "イトウ"],
            ["8", "7", "cus_first_kana", "kana-format", "れん", "レン"]])
        found, summary = json_report(r.err)
        self.assertEqual(sorted(f["rule"] for f in found), sorted(LEFT_RULES))
        self.assertEqual((summary["records_changed"], summary["fixed kana-format"], summary["errors"]), (4, 2, 7))
        # kaiin-check says the same of the copy, and none of the fixed rules is left.
        check = run("kaiin-check", *TODAY, "--report", "json", self.path("out.csv"))
        checked, _ = json_report(check.out)
        self.assertEqual([(f["line"], f["column"], f["rule"], f["message"]) for f in checked],
                         [(f["line"], f["column"], f["rule"], f["message"]) for f in found])
        self.assertFalse(FIXED_RULES & {f["rule"] for f in checked})

    def test_unchanged_records_are_copied_byte_for_byte_and_changed_ones_only_in_their_fields(self):
        data = read(BROKEN)
        _, copy, _ = self.fix_file(data, expect=1)
        before, after = records(data), records(copy)
        self.assertEqual(len(before), len(after))
        for i, (b, a) in enumerate(zip(before, after), start=1):
            if i not in (2, 3, 6, 8):
                self.assertEqual(a, b, f"line {i}")
        self.assertEqual(after[1], before[1].replace("岡山県岡山市".encode("cp932"), "岡山市".encode("cp932")))
        self.assertEqual(after[2], b"n" + before[2][1:])  # CP932, CRLF, only the control value
        self.assertEqual(iconv(after[7], "cp932", "utf-8").decode(), iconv(before[7], "cp932", "utf-8").decode()
                         .replace("いとう,れん", "イトウ,レン"))

    def test_fixing_the_copy_again_changes_nothing(self):
        _, copy, _ = self.fix_file(read(BROKEN), expect=1)
        again = write(self.path("again.csv"), copy)
        r = self.fix("-o", self.path("twice.csv"), "--changes", self.path("c2.csv"), again, expect=1)
        self.assertEqual(read(self.path("twice.csv")), copy)
        self.assertEqual(changes_of(read(self.path("c2.csv"))), [["line", "record", "column", "rule", "before", "after"]])
        self.assertIn("records changed 0,", r.err)

    def test_text_summary_counts_fixes_by_rule(self):
        r = self.fix("--dry-run", BROKEN, expect=1)
        self.assertTrue(r.err.endswith(
            f"kaiin-fix: summary: file {BROKEN}, encoding cp932, profile kaiin, records 9, records changed 4, "
            "fixed address-pref-repeated 1, fixed control-value 1, fixed email-syntax 1, fixed kana-format 2, fixed pref-name 1, fixed zip-format 1, "
            "output none (--dry-run), changes <stdout>, errors 7, warnings 2\n"), r.err)

    def test_japanese_summary(self):
        r = run("kaiin-fix", *TODAY, "--dry-run", BROKEN, env={"LC_ALL": "ja_JP.UTF-8"})
        self.assertIn("修正したレコード 4、修正した住所（都道府県の重複） 1、修正したコントロールカラムの値 1、", r.err)
        self.assertIn("出力 なし（--dry-run）、変更一覧 標準出力", r.err)


class Encodings(FixTest):
    def test_utf8_with_bom_stays_utf8_with_bom(self):
        data = b"\xef\xbb\xbf" + member_csv(new(cus_zip="８４０－０８２５", cus_last_kana="ﾔﾏﾀﾞ"), newline="\r\n")
        _, copy, rows = self.fix_file(data, expect=0)
        self.assertEqual(copy, data.replace("８４０－０８２５".encode(), b"840-0825").replace("ﾔﾏﾀﾞ".encode(),
                                                                                                "ヤマダ".encode()))
        self.assertEqual([r[3] for r in rows[1:]], ["kana-format", "zip-format"])

    def test_cp932_changed_fields_are_written_in_cp932(self):
        data = iconv(member_csv(upd(cus_first_kana="だいすけ"), newline="\r\n"), "utf-8", "cp932")
        _, copy, rows = self.fix_file(data, expect=0)
        self.assertEqual(copy, data.replace(iconv("だいすけ".encode(), "utf-8", "cp932"),
                                            iconv("ダイスケ".encode(), "utf-8", "cp932")))
        self.assertEqual(rows[1], ["2", "1", "cus_first_kana", "kana-format", "だいすけ", "ダイスケ"])

    def test_each_record_keeps_its_newline_and_the_last_may_have_none(self):
        lines = [",".join(HEADER), ",".join(upd(cus_zip="〒700-0024")[h] for h in HEADER),
                 ",".join(upd(cus_id="10002", cus_email="a@example.jp")[h] for h in HEADER),
                 ",".join(upd(cus_id="10003", cus_email="b@example.jp", cus_sex="１")[h] for h in HEADER)]
        data = (lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r\n" + lines[3]).encode()
        _, copy, _ = self.fix_file(data, expect=0)
        self.assertEqual(copy, data.replace("〒700-0024".encode(), b"700-0024").replace(",１,".encode(), b",1,"))

    def test_quoted_fields_stay_quoted_and_embedded_newlines_stay(self):
        row = upd(cus_memo="line 1\r\nline 2, \"quoted\"")
        values = [f'"{row[h]}"' if h == "cus_zip" else row[h] for h in HEADER]
        values[HEADER.index("cus_zip")] = '"７００－００２４"'
        values[HEADER.index("cus_memo")] = '"line 1\r\nline 2, ""quoted"""'
        data = (",".join(HEADER) + "\r\n" + ",".join(values) + "\r\n").encode()
        _, copy, rows = self.fix_file(data, expect=0)
        self.assertEqual(copy, data.replace('"７００－００２４"'.encode(), b'"700-0024"'))
        self.assertEqual(len(rows), 2)

    def test_standard_input_to_standard_output(self):
        data = member_csv(new(cus_zip="８４０－０８２５"))
        r = self.fix("-", stdin=data, expect=0)
        self.assertEqual(r.out, data.replace("８４０－０８２５".encode(), b"840-0825"))
        self.assertIn("output <stdout>", r.err)


class DryRun(FixTest):
    def test_dry_run_writes_only_the_change_list(self):
        r = self.fix("--dry-run", "-o", self.path("out.csv"), BROKEN, expect=1)
        self.assertEqual(self.files(), [])
        rows = changes_of(r.out)
        self.assertEqual(len(rows), 8)
        self.assertIn(b"\r\n", r.out)  # CRLF, for Excel

    def test_dry_run_with_changes_writes_that_file_and_nothing_else(self):
        self.fix("--dry-run", "--changes", self.path("c.csv"), BROKEN, expect=1)
        self.assertEqual(self.files(), ["c.csv"])
        self.assertEqual(len(changes_of(read(self.path("c.csv")))), 8)


class Passwords(FixTest):
    def test_a_password_is_never_changed_listed_or_shown(self):
        secret = "ｐｗ１２３４５６"
        data = member_csv(new(cus_password=secret, crypted_pass="０", cus_zip="８４０－０８２５"))
        r, copy, rows = self.fix_file(data, "--all", expect=1)
        self.assertIn(secret.encode(), copy)
        self.assertEqual([row[3] for row in rows[1:]], ["password-flag", "zip-format"])
        self.assertEqual(rows[1][4:], ["０", "0"])
        for text in (r.err, r.out.decode(), json.dumps(rows, ensure_ascii=False)):
            self.assertNotIn(secret, text)
            self.assertNotIn("pw123456", text)
        self.assertIn("password-format", r.err)  # the finding remains, without the value

    def test_a_copy_of_a_file_with_passwords_is_owner_only(self):
        self.fix("-o", self.path("out.csv"), "--changes", self.path("c.csv"), BROKEN, expect=1)
        self.assertEqual(os.stat(self.path("out.csv")).st_mode & 0o777, 0o600)


class WhatIsFixed(FixTest):
    def test_check_hints_and_fix_changes_agree(self):
        values = {"cus_zip": "〒８４０ー０８２５", "cus_tel": "０６－１２３４－５６７８", "cus_birthday": "平成元年1月8日",
                  "cus_last_kana": "ﾔﾏﾀﾞ", "cus_pref": "佐賀", "cus_email": " hina@example.com", "cus_point": "１２００",
                  "cus_sex": "２", "cus_mailmag": "１"}
        data = member_csv(new(**values))
        check = run("kaiin-check", *TODAY, "--report", "json", "-", stdin=data)
        hints = {}
        for f in json_report(check.out)[0]:
            m = re.search(r"(?:write|written in full|write full-width|write katakana)[^']*'([^']*)'", f["message"])
            self.assertTrue(m, f["message"])
            hints[f["column"]] = m.group(1)
        _, copy, rows = self.fix_file(data, expect=0)
        self.assertEqual({r[2]: r[5] for r in rows[1:]}, hints)
        self.assertEqual(set(hints), set(values))

    def test_an_address_is_fixed_as_a_form_takes_it_and_only_into_a_valid_one(self):
        fixed = {"hina1@example.com\r\n": "hina1@example.com", " hina2@example.com\t": "hina2@example.com",
                 "hina3@exam\r\nple.com": "hina3@example.com", "Ｈｉｎａ4@Example.com ": "Hina4@Example.com"}
        left = ["hina5@example\r\n", "my@baddash.－.com", "hi na6@example.com\r\n", "hina7@example.com\x0b"]
        rows = [new(cus_email=v, cus_id="", cus_mobile_email="") for v in [*fixed, *left]]
        r, copy, changes = self.fix_file(member_csv(*rows), expect=1)
        self.assertEqual({c[4]: c[5] for c in changes[1:]}, fixed)
        # What stays is still an e-mail-syntax finding, in the copy too; the rest is clean.
        check = run("kaiin-check", *TODAY, "--report", "json", self.path("out.csv"))
        found, _ = json_report(check.out)
        self.assertEqual([f["line"] for f in found if f["rule"] == "email-syntax"], [6, 8, 9, 11])
        self.assertEqual({f["rule"] for f in found}, {"email-syntax"})

    def test_what_cannot_be_fixed_stays(self):
        data = member_csv(new(cus_zip="530-001", cus_pref="大阪県", cus_birthday="2001/02/30", cus_tel="(06)1234",
                              cus_last_kana="山田", cus_email="taro@", cus_mailmag=""),
                          upd(cus_birthday="R50.1.1"))
        r, copy, rows = self.fix_file(data, expect=1)
        self.assertEqual(copy, data)
        self.assertEqual(len(rows), 1)
        self.assertIn("records changed 0,", r.err)

    def test_a_delete_row_gets_only_its_control_and_member_id_fixed(self):
        row = dict(dele("１０００９", cus_zip="５３０－０００１"), control="Ｄ")
        r, copy, rows = self.fix_file(member_csv(row), expect=0)
        self.assertEqual([(r[2], r[5]) for r in rows[1:]], [("control", "d"), ("cus_id", "10009")])
        self.assertIn("５３０－０００１".encode(), copy)

    def test_a_ragged_or_malformed_record_is_copied_unfixed(self):
        good = ",".join(new(cus_zip="８４０－０８２５")[h] for h in HEADER)
        data = (",".join(HEADER) + "\n" + good + ",extra\n" + good.replace("hina@", 'hi"na@') + "\n").encode()
        r, copy, rows = self.fix_file(data, expect=1)
        self.assertEqual(copy, data)
        self.assertEqual(len(rows), 1)

    def test_a_file_no_profile_knows_is_copied_as_it_is(self):
        data = "名前,住所\n山田,大阪\n".encode()
        r, copy, rows = self.fix_file(data, expect=1)
        self.assertEqual(copy, data)
        self.assertIn("header-unknown-profile", r.err)

    def test_max_errors_never_cuts_the_copy_short(self):
        rows = [upd(cus_id=str(20000 + i), cus_email=f"u{i}@example.jp", cus_zip="zip", cus_tel="０６－１２３４－５６７８")
                for i in range(50)]
        data = member_csv(*rows)
        r, copy, changes = self.fix_file(data, "--max-errors", "3", expect=1)
        self.assertEqual(copy, data.replace("０６－１２３４－５６７８".encode(), b"06-1234-5678"))
        self.assertEqual(len(changes), 51)
        self.assertIn("errors 50,", r.err)


class Fold(FixTest):
    MAC = member_csv(upd(cus_memo="10〜12時", cus_address2="−3"))

    def test_fold_writes_what_windows_has_in_a_utf8_file(self):
        r, copy, rows = self.fix_file(self.MAC, "--fold", expect=0)
        self.assertEqual(copy, self.MAC.replace("〜".encode(), "～".encode()).replace("−".encode(), "－".encode()))
        self.assertEqual([(row[2], row[3]) for row in rows[1:]], [("cus_address2", "fold"), ("cus_memo", "fold")])
        self.assertIn("folded U+2212 1, folded U+301C 1,", r.err)

    def test_without_fold_a_utf8_file_keeps_them(self):
        _, copy, rows = self.fix_file(self.MAC, expect=0)
        self.assertEqual(copy, self.MAC)

    def test_escape_formulas_escapes_the_change_list_only(self):
        data = member_csv(upd(cus_memo="=1〜2"))
        r, copy, rows = self.fix_file(data, "--fold", "--escape-formulas", expect=0)
        self.assertEqual(rows[1][4:], ["'=1〜2", "'=1～2"])
        self.assertIn("=1～2".encode(), copy)
        self.assertNotIn(b"'=", copy)
        self.assertIn("formula cells escaped 2", r.err)


class ExitStatus(FixTest):
    def test_0_when_everything_was_fixed(self):
        self.fix_file(member_csv(GOOD_N, GOOD_U, new(control="N", cus_email="x@example.jp")), expect=0)

    def test_2_on_usage_and_io_errors_with_nothing_written(self):
        out = self.path("out.csv")
        for args in (["--report", "xml", BROKEN], ["--today", "2026-13-01", BROKEN], [self.path("missing.csv")],
                     ["-o", BROKEN, BROKEN], ["-o", out, "--changes", out, BROKEN], ["--changes", "-", BROKEN],
                     ["--profile", "nosuch", BROKEN], ["--current", self.path("missing.csv"), BROKEN]):
            with self.subTest(args=args):
                r = self.fix(*args, expect=2)
                self.assertIn("kaiin-fix: error:", r.err)
                self.assertEqual(self.files(), [])

    def test_current_reports_what_remains_as_kaiin_check_does(self):
        data = member_csv(upd(cus_id="99999", cus_zip="２１９－０６１４"))
        r, copy, rows = self.fix_file(data, "--current", sample("current_export.csv"), "--report", "json", expect=1)
        found, _ = json_report(r.err)
        self.assertIn("member-unknown", [f["rule"] for f in found])
        self.assertEqual(len(rows), 2)
