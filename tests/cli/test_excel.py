"""What Excel does to a member file (spec §14), from the outside: each damage found in
a CP932 file as Excel's "CSV (コンマ区切り)" saves it, named with its cause, restored by
kaiin-fix where the value before Excel can be known (from the value itself, or from
the shop's current export with --current) and listed in the change list; a file that
shows several said once to have been saved by Excel; and a file in another encoding
than its platform's upload screen reads. Every run passes --today 2026-11-23."""
import re
from collections import Counter

from kaiin_csv import MEMBER_HEADER, csv_bytes, member, upd
from kaiin_test import TempDirTest, json_report, read, run, sample, write

TODAY = ("--today", "2026-11-23")
CHANGES_HEADER = ["line", "record", "column", "rule", "before", "after"]


def excel_csv(*rows, header=MEMBER_HEADER):
    """An upload as Excel saves it on Japanese Windows: CP932 with CRLF."""
    return csv_bytes(rows, header, newline="\r\n", encoding="cp932")


def row(i, **fields):
    """Update row I: GOOD_U as member 2000I with an address of its own, and FIELDS."""
    return upd(cus_id=str(20000 + i), cus_email=f"u{i}@example.jp", **fields)


def export_csv(*members):
    """The shop's current export (UTF-8: it may hold what CP932 lacks)."""
    return csv_bytes(members, MEMBER_HEADER, newline="\r\n")


class ExcelTest(TempDirTest):
    def check(self, data, *args):
        """kaiin-check --report json on DATA: (Result, findings, summary)."""
        r = run("kaiin-check", *TODAY, "--report", "json", *args, write(self.path("in.csv"), data))
        self.assertIn(r.code, (0, 1), r)
        found, summary = json_report(r.out)
        return r, found, summary

    def found(self, data, *args):
        """The findings of DATA as (line, column, rule), the saved-by-Excel one aside."""
        _, found, _ = self.check(data, *args)
        return sorted((f["line"], f["column"] or "", f["rule"]) for f in found if f["rule"] != "excel-saved")

    def message(self, data, rule, *args):
        _, found, _ = self.check(data, *args)
        messages = [f["message"] for f in found if f["rule"] == rule]
        self.assertEqual(len(messages), 1, found)
        return messages[0]

    def fix(self, data, *args):
        """kaiin-fix on DATA: (Result, the copy, the change list's rows after its header)."""
        out, changes = self.path("out.csv"), self.path("changes.csv")
        r = run("kaiin-fix", *TODAY, "-o", out, "--changes", changes, *args, write(self.path("in.csv"), data))
        self.assertIn(r.code, (0, 1), r)
        rows = [line.split(",") for line in read(changes).decode("utf-8-sig").splitlines()]
        self.assertEqual(rows[0], CHANGES_HEADER)
        return r, read(out), [tuple(r[2:]) for r in rows[1:]]

    def current(self, *members):
        return write(self.path("current.csv"), export_csv(*members))

    def assertFixedForGood(self, copy, *args):
        """Checking the copy finds no Excel damage, and fixing it again changes nothing."""
        again = write(self.path("again.csv"), copy)
        r = run("kaiin-check", *TODAY, "--report", "json", *args, again)
        found, _ = json_report(r.out)
        self.assertEqual([f for f in found if f["rule"].startswith("excel-")], [], r)
        twice = self.path("twice.csv")
        r = run("kaiin-fix", *TODAY, "-o", twice, *args, again)
        self.assertEqual(read(twice), copy, r)
        self.assertIn("records changed 0,", r.err)


class LeadingZeros(ExcelTest):
    def test_a_telephone_number_gets_its_leading_zero_back(self):
        data = excel_csv(row(1, cus_tel="9012345678"), row(2, cus_tel="862310000"))
        self.assertEqual(self.found(data), [(2, "cus_tel", "excel-leading-zero-tel"),
                                            (3, "cus_tel", "excel-leading-zero-tel")])
        self.assertIn("'9012345678' has lost its leading 0: Excel read it as a number; write '09012345678'",
                      self.message(excel_csv(row(1, cus_tel="9012345678")), "excel-leading-zero-tel"))
        _, copy, changes = self.fix(data)
        self.assertEqual(changes, [("cus_tel", "excel-leading-zero-tel", "9012345678", "09012345678"),
                                   ("cus_tel", "excel-leading-zero-tel", "862310000", "0862310000")])
        self.assertEqual(copy, data.replace(b",9012345678,", b",09012345678,").replace(b",862310000,",
                                                                                      b",0862310000,"))
        self.assertFixedForGood(copy)

    def test_a_number_that_is_no_japanese_number_with_a_zero_is_not_excels_doing(self):
        # 0901234567 is too short for a mobile number, 081... too long for any: each is
        # a number of a wrong length, not Excel's doing.
        self.assertEqual(self.found(excel_csv(row(1, cus_tel="901234567"), row(2, cus_tel="81312345678"))),
                         [(2, "cus_tel", "tel-length"), (3, "cus_tel", "tel-length")])

    def test_a_zip_code_gets_its_leading_zeros_back_where_japan_post_has_it_in_the_prefecture(self):
        # 060-0001 and 001-0010 are Sapporo's (spec §15); 060-0001 is no code of 沖縄県.
        sapporo = dict(cus_pref="北海道", cus_address1="札幌市中央区北一条西")
        data = excel_csv(row(1, cus_zip="600001", **sapporo),
                         row(2, cus_zip="10010", cus_pref="北海道", cus_address1="札幌市北区北十条西"),
                         row(3, cus_zip="600001", cus_pref="沖縄県", cus_address1="那覇市久茂地"))
        self.assertEqual(self.found(data), [(2, "cus_zip", "excel-leading-zero-zip"),
                                            (3, "cus_zip", "excel-leading-zero-zip"),
                                            (4, "cus_zip", "excel-leading-zero-zip")])
        message = self.message(excel_csv(row(1, cus_zip="600001", **sapporo)), "excel-leading-zero-zip")
        self.assertIn("zip code '600001' is '0600001' without its leading zeros: Excel read it as a number; "
                      "write '0600001'", message)
        self.assertIn("but '0600001' is not a zip code of 沖縄県 either: check it",
                      self.message(excel_csv(row(3, cus_zip="600001", cus_pref="沖縄県")), "excel-leading-zero-zip"))
        _, copy, changes = self.fix(data)
        self.assertEqual(changes, [("cus_zip", "excel-leading-zero-zip", "600001", "0600001"),
                                   ("cus_zip", "excel-leading-zero-zip", "10010", "0010010")])
        self.assertFixedForGood(copy[:copy.rindex(b"\r\nu,")] + b"\r\n")  # 沖縄県's row stays as it was

    def test_a_member_id_without_its_leading_zeros_is_the_current_members(self):
        current = self.current(member(cus_id="000102", cus_email="a@example.jp"),
                               member(cus_id="000103", cus_email="b@example.jp"))
        data = excel_csv(upd(cus_id="102", cus_email="a@example.jp"),
                         upd(cus_id="103", cus_email="b@example.jp"),
                         upd(cus_id="104", cus_email="c@example.jp"))
        self.assertEqual(self.found(data, "--current", current), [(2, "cus_id", "excel-leading-zero-id"),
                                                                  (3, "cus_id", "excel-leading-zero-id"),
                                                                  (4, "cus_id", "member-unknown")])
        self.assertIn("member ID '102' is not in the current export, but '000102' is: Excel read the ID as a number "
                      "and dropped its leading zeros; write '000102'",
                      self.message(excel_csv(upd(cus_id="102", cus_email="a@example.jp")), "excel-leading-zero-id",
                                   "--current", current))
        _, copy, changes = self.fix(data, "--current", current)
        self.assertEqual(changes, [("cus_id", "excel-leading-zero-id", "102", "000102"),
                                   ("cus_id", "excel-leading-zero-id", "103", "000103")])
        self.assertFixedForGood(copy, "--current", current)
        # Without the export kaiin cannot know: 102 is an ID like any other.
        self.assertEqual(self.found(data), [])

    def test_a_member_id_whose_address_is_another_members_is_not_given_its_zeros(self):
        current = self.current(member(cus_id="000102", cus_email="a@example.jp"),
                               member(cus_id="000103", cus_email="b@example.jp"))
        data = excel_csv(upd(cus_id="102", cus_email="b@example.jp"))
        self.assertEqual(self.found(data, "--current", current), [(2, "cus_email", "email-duplicate"),
                                                                  (2, "cus_id", "member-unknown")])


class ExponentForm(ExcelTest):
    EXPORT = (member(cus_id="123456789012", cus_email="a@example.jp", cus_tel="819012345678"),
              member(cus_id="223456789012", cus_email="b@example.jp"))
    DATA = excel_csv(upd(cus_id="1.23457E+11", cus_email="a@example.jp", cus_tel="8.19012E+11"),
                     upd(cus_id="2.23457E+11", cus_email="b@example.jp", cus_point="1.23457E+11"))

    def test_the_digits_are_lost_and_named_without_the_export(self):
        self.assertEqual(self.found(self.DATA), [(2, "cus_id", "excel-exponent"), (2, "cus_tel", "excel-exponent"),
                                                 (3, "cus_id", "excel-exponent"), (3, "cus_point", "excel-exponent")])
        message = self.message(excel_csv(upd(cus_id="1.23457E+11")), "excel-exponent")
        self.assertEqual(message, "cus_id: member ID '1.23457E+11' is in exponent form: Excel read it as a number and "
                                  "wrote it in its own form, and its last digits are lost; take it from the shop's "
                                  "export (kaiin-fix --current restores it)")
        _, copy, changes = self.fix(self.DATA)
        self.assertEqual((copy, changes), (self.DATA, []))

    def test_the_export_gives_back_the_value_excel_would_have_written_so(self):
        current = self.current(*self.EXPORT)
        _, copy, changes = self.fix(self.DATA, "--current", current)
        # The member is found by address, the ID being lost; a balance of 123456789012
        # is no member's in the export: named, left.
        self.assertEqual(changes, [("cus_id", "excel-exponent", "1.23457E+11", "123456789012"),
                                   ("cus_tel", "excel-exponent", "8.19012E+11", "819012345678"),
                                   ("cus_id", "excel-exponent", "2.23457E+11", "223456789012")])
        # The telephone number is the export's, 819012345678: neither 0 nor + first, which
        # tel-length says of it as it would of the export.
        self.assertEqual(self.found(copy, "--current", current), [(2, "cus_tel", "tel-length"),
                                                                  (3, "cus_point", "excel-exponent")])
        self.assertIn("the current export has no value of this member that Excel would have written so",
                      self.message(copy, "excel-exponent", "--current", current))

    def test_an_export_value_excel_would_not_have_written_so_is_not_taken(self):
        current = self.current(member(cus_id="123466789012", cus_email="a@example.jp"))
        data = excel_csv(upd(cus_id="1.23457E+11", cus_email="a@example.jp"))
        _, copy, changes = self.fix(data, "--current", current)
        self.assertEqual((copy, changes), (data, []))
        # The lost ID names no member: no member-unknown, no address of another member.
        self.assertEqual(self.found(data, "--current", current), [(2, "cus_id", "excel-exponent")])


class Dates(ExcelTest):
    def test_a_serial_number_is_the_date_it_stands_for(self):
        data = excel_csv(row(1, cus_birthday="29222"), row(2, cus_birthday="61"), row(3, cus_registered="44062.27331"))
        self.assertEqual(self.found(data), [(2, "cus_birthday", "excel-serial-date"),
                                            (3, "cus_birthday", "excel-serial-date"),
                                            (4, "cus_registered", "excel-serial-date")])
        _, copy, changes = self.fix(data)
        self.assertEqual(changes, [("cus_birthday", "excel-serial-date", "29222", "1980/01/02"),
                                   ("cus_birthday", "excel-serial-date", "61", "1900/03/01"),
                                   ("cus_registered", "excel-serial-date", "44062.27331", "2020/08/19 06:33:34")])
        self.assertFixedForGood(copy)

    def test_serial_60_is_excels_1900_02_29_and_no_date(self):
        data = excel_csv(row(1, cus_birthday="60"))
        self.assertIn("birthday '60' is Excel's serial number for 1900/02/29, a day that never was",
                      self.message(data, "excel-serial-date"))
        _, copy, changes = self.fix(data)
        self.assertEqual((copy, changes), (data, []))

    def test_a_year_alone_is_not_taken_for_a_serial_number(self):
        self.assertEqual(self.found(excel_csv(row(1, cus_birthday="1980"))), [(2, "cus_birthday", "birthday-date")])

    def test_a_time_without_seconds_gets_them_from_the_same_member_in_the_same_minute(self):
        current = self.current(member(cus_id="20001", cus_email="u1@example.jp", cus_registered="2020/08/19 06:33:14"),
                               member(cus_id="20002", cus_email="u2@example.jp", cus_registered="2020/08/19 06:33:14"))
        data = excel_csv(row(1, cus_registered="2020/8/19 6:33"), row(2, cus_registered="2020/8/19 6:34"))
        self.assertEqual(self.found(data), [(2, "cus_registered", "excel-no-seconds"),
                                            (3, "cus_registered", "excel-no-seconds")])
        _, copy, changes = self.fix(data, "--current", current)
        self.assertEqual(changes, [("cus_registered", "excel-no-seconds", "2020/8/19 6:33", "2020/08/19 06:33:14")])
        self.assertEqual(self.found(copy, "--current", current), [(3, "cus_registered", "excel-no-seconds")])
        _, copy, changes = self.fix(data)
        self.assertEqual((copy, changes), (data, []))


class AddressNumbers(ExcelTest):
    DATA = excel_csv(row(1, cus_address2="2001/2/3"), row(2, cus_address2="2月5日"))

    def test_an_address_number_read_as_a_date_gets_the_number_it_likely_was(self):
        self.assertEqual(self.found(self.DATA), [(2, "cus_address2", "excel-address-date"),
                                                 (3, "cus_address2", "excel-address-date")])
        self.assertIn("address '2月5日' is a date: Excel read an address number as one (it was likely '2-5')",
                      self.message(excel_csv(row(2, cus_address2="2月5日")), "excel-address-date"))
        _, copy, changes = self.fix(self.DATA)
        self.assertEqual((copy, changes), (self.DATA, []))

    def test_the_current_export_gives_the_number_back(self):
        current = self.current(member(cus_id="20001", cus_email="u1@example.jp", cus_address2="1-2-3"),
                               member(cus_id="20002", cus_email="u2@example.jp", cus_address2="2-5"))
        _, copy, changes = self.fix(self.DATA, "--current", current)
        self.assertEqual(changes, [("cus_address2", "excel-address-date", "2001/2/3", "1-2-3"),
                                   ("cus_address2", "excel-address-date", "2月5日", "2-5")])
        self.assertFixedForGood(copy, "--current", current)


class LostCharacters(ExcelTest):
    def test_a_question_mark_in_a_name_is_a_lost_character_never_restored(self):
        current = self.current(member(cus_id="20001", cus_email="u1@example.jp", cus_last_name="𠮷田"))
        data = excel_csv(row(1, cus_last_name="?田", cus_last_kana="?シダ"))
        self.assertEqual(self.found(data), [(2, "cus_last_kana", "excel-lost-character"),
                                            (2, "cus_last_name", "excel-lost-character")])
        _, found, _ = self.check(data, "--current", current)
        name = [f["message"] for f in found if f["column"] == "cus_last_name"][0]
        self.assertIn("'?田' has a '?' where Excel, saving the file as CP932 (Shift_JIS), wrote one for a character "
                      "CP932 lacks: the character is lost (the current export has '𠮷田': CP932 has no '𠮷'", name)
        r, copy, changes = self.fix(data, "--current", current)
        self.assertEqual((r.code, copy, changes), (1, data, []))

    def test_a_question_mark_the_export_has_too_was_there_before_excel(self):
        current = self.current(member(cus_id="20001", cus_email="u1@example.jp", cus_address2="ハイツ?"))
        self.assertEqual(self.found(excel_csv(row(1, cus_address2="ハイツ?")), "--current", current), [])


class DroppedFields(ExcelTest):
    # Excel writes every field of the sheet's first 16 rows; of a later row, only up to
    # its last value (cus_memo, the last column, is empty).
    ROWS = [",".join(row(i)[h] for h in MEMBER_HEADER) for i in range(20)]
    SAVED = "".join(r + "\r\n" for r in [",".join(MEMBER_HEADER)] + ROWS[:15] + [r[:-1] for r in ROWS[15:]])

    def test_a_row_without_its_empty_last_fields_is_read_and_given_them_back(self):
        data = self.SAVED.encode("cp932")
        _, found, _ = self.check(data)
        self.assertEqual(sorted((f["line"], f["rule"], f["severity"]) for f in found),
                         [(0, "excel-saved", "warning")] + [(line, "excel-dropped-fields", "error")
                                                            for line in range(17, 22)])
        self.assertIn("the record has 21 of the header's 22 fields: Excel dropped its empty last fields",
                      found[0]["message"])
        _, copy, changes = self.fix(data)
        self.assertEqual(changes, [("cus_memo", "excel-dropped-fields", "", "")] * 5)
        self.assertEqual(copy, "".join(r + "\r\n" for r in [",".join(MEMBER_HEADER)] + self.ROWS).encode("cp932"))
        self.assertFixedForGood(copy)

    def test_the_other_rules_read_the_row_and_kaiin_fix_fixes_it_too(self):
        rows = self.ROWS[:16] + [",".join(row(16, cus_tel="9012345678")[h] for h in MEMBER_HEADER)[:-1]]
        data = "".join(r + "\r\n" for r in [",".join(MEMBER_HEADER)] + rows).encode("cp932")
        self.assertEqual(self.found(data), [(18, "", "excel-dropped-fields"),
                                            (18, "cus_tel", "excel-leading-zero-tel")])
        _, copy, changes = self.fix(data)
        self.assertEqual(changes, [("cus_tel", "excel-leading-zero-tel", "9012345678", "09012345678"),
                                   ("cus_memo", "excel-dropped-fields", "", "")])

    def test_a_short_row_in_the_first_rows_or_with_values_out_of_place_is_no_excel_row(self):
        values = [row(17, cus_memo="メモ")[h] for h in MEMBER_HEADER]
        shifted = ",".join(values[:10] + values[11:])  # the zip code dropped in the middle: 岡山県 in its place
        rows = self.ROWS[:2] + [self.ROWS[2][:-1]] + self.ROWS[3:17] + [shifted]
        data = "".join(r + "\r\n" for r in [",".join(MEMBER_HEADER)] + rows).encode("cp932")
        self.assertEqual(self.found(data), [(4, "", "csv-field-count"), (19, "", "csv-field-count")])
        _, copy, changes = self.fix(data)
        self.assertEqual((copy, changes), (data, []))


class SavedByExcel(ExcelTest):
    def test_several_damaged_rows_are_said_once_to_be_excels(self):
        data = excel_csv(row(1, cus_tel="9012345678"), row(2), row(3, cus_birthday="29222", cus_tel="862310000"),
                         row(4, cus_registered="44062.27331"))
        _, found, summary = self.check(data)
        saved = [f for f in found if f["rule"] == "excel-saved"]
        self.assertEqual(len(saved), 1, found)
        self.assertEqual((saved[0]["severity"], saved[0]["line"], saved[0]["record"]), ("warning", 0, 0))
        self.assertIn("the file was saved by Excel: 3 rows show what Excel does", saved[0]["message"])
        self.assertIn("Data → From Text/CSV (データ → テキストまたはCSVから) with every column as text",
                      saved[0]["message"])
        self.assertEqual(summary["warnings"], 1)
        # kaiin-fix says it too, once, and its copy is no longer Excel's.
        r, copy, _ = self.fix(data)
        self.assertEqual(r.err.count("[excel-saved]"), 1, r)
        self.assertFixedForGood(copy)

    def test_one_damaged_row_is_that_rows_finding_only(self):
        _, found, _ = self.check(excel_csv(row(1, cus_tel="9012345678"), row(2)))
        self.assertEqual([f["rule"] for f in found], ["excel-leading-zero-tel"])

    def test_hints_and_changes_agree(self):
        current = self.current(member(cus_id="20001", cus_email="u1@example.jp", cus_registered="2020/08/19 06:33:14",
                                      cus_address2="1-2-3", cus_tel="819012345678"))
        data = excel_csv(row(1, cus_registered="2020/8/19 6:33", cus_address2="2001/2/3", cus_tel="8.19012E+11",
                             cus_birthday="29222"))
        _, found, _ = self.check(data, "--current", current)
        hints = {f["column"]: re.search(r"write '([^']*)'", f["message"]).group(1)
                 for f in found if f["rule"].startswith("excel-") and f["rule"] != "excel-saved"}
        _, _, changes = self.fix(data, "--current", current)
        self.assertEqual({c[0]: c[3] for c in changes}, hints)
        self.assertEqual(len(hints), 4)

    def test_japanese_messages(self):
        path = write(self.path("in.csv"), excel_csv(row(1, cus_tel="9012345678"), row(2, cus_birthday="29222")))
        r = run("kaiin-check", *TODAY, path, env={"LC_ALL": "ja_JP.UTF-8"})
        self.assertIn("電話番号 '9012345678'の先頭の 0 が落ちています。Excel が数値として読み込みました。"
                      "'09012345678'と書いてください [excel-leading-zero-tel]", r.err + r.out.decode())
        self.assertIn("このファイルは Excel で保存されています", r.out.decode())


class Sample(ExcelTest):
    def test_the_sample_saved_by_excel_is_restored_from_the_export_but_for_what_was_lost(self):
        # samples/excel_saved.csv: the export samples/excel_current.csv opened in Excel, a
        # memo typed in, saved as CSV (コンマ区切り): every time without its seconds, and the
        # birthdays in Excel's own form (1980/1/2), which birthday-date writes 1980/01/02.
        current = sample("excel_current.csv")
        r, copy, changes = self.fix(read(sample("excel_saved.csv")), "--current", current)
        self.assertEqual(Counter(c[1] for c in changes), {
            "excel-no-seconds": 17, "birthday-date": 13, "excel-address-date": 2, "excel-dropped-fields": 2,
            "excel-leading-zero-tel": 1, "excel-leading-zero-zip": 1, "excel-serial-date": 1})
        # What Excel lost stays: the character behind the '?'.
        self.assertEqual(self.found(copy, "--current", current), [(2, "cus_last_name", "excel-lost-character")])
        self.assertIn("[excel-saved]", r.err)


class UploadEncoding(ExcelTest):
    HEADER = "コントロールカラム,顧客ID,メールアドレス,電話番号"
    ROW = "u,10001,a@example.jp,090-1234-5678"

    def aiship(self, encoding="utf-8", newline="\r\n"):
        return (self.HEADER + newline + self.ROW + newline).encode(encoding)

    def test_a_file_in_another_encoding_than_the_upload_screen_reads_is_one_warning(self):
        _, found, summary = self.check(self.aiship())
        self.assertEqual(summary["profile"], "aiship")
        self.assertEqual([(f["rule"], f["severity"], f["line"]) for f in found], [("upload-encoding", "warning", 0)])
        self.assertIn("the file is UTF-8 with CRLF line ends, but aiship's upload screen reads Shift_JIS (cp932) with "
                      "CRLF line ends (as its documentation says): convert a copy with 'kaiin-conv -t cp932 "
                      "--newline crlf -o ", found[0]["message"])

    def test_excels_csv_utf8_is_named_and_the_command_converts_it(self):
        data = b"\xef\xbb\xbf" + self.aiship()
        message = self.message(data, "upload-encoding")
        self.assertIn("UTF-8 with a BOM, as Excel's \"CSV UTF-8\" saves it", message)
        command = re.search(r"'(kaiin-conv [^']*)'", message).group(1).split()
        self.assertEqual(command[-1], self.path("in.csv"))
        self.assertEqual(run(command[0], *command[1:]).code, 0)
        converted = read(self.path("in_upload.csv"))
        self.assertEqual(converted, self.aiship("cp932"))
        self.assertEqual(self.found(converted), [])

    def test_line_ends_alone_are_named_too(self):
        self.assertIn("the file is Shift_JIS (cp932) with LF line ends, but aiship's upload screen reads Shift_JIS "
                      "(cp932) with CRLF line ends", self.message(self.aiship("cp932", "\n"), "upload-encoding"))

    def test_what_the_upload_screen_reads_is_not_asked_of_an_export_or_where_a_profile_does_not_say(self):
        self.assertEqual(self.found(self.aiship("cp932")), [])
        export = ("顧客ID,メールアドレス,電話番号\n10001,a@example.jp,090-1234-5678\n").encode()
        self.assertEqual(self.found(export, "--profile", "aiship"), [])
        self.assertEqual(self.found(csv_bytes([row(1)], MEMBER_HEADER, newline="\n")), [])

    def test_an_ascii_file_is_either_encoding(self):
        profile = write(self.path("shop.csv"), "field,header,confirmed\ncontrol,ctl,yes\nmember_id,id,yes\n"
                                               "upload_encoding,Shift_JIS,no\nupload_newline,CRLF,no\n")
        self.assertEqual(self.found(b"ctl,id\r\nu,10001\r\n", "--profile", profile), [])
        found = self.found("ctl,id\r\nu,山田\r\n".encode(), "--profile", profile)
        self.assertEqual(found, [(0, "", "upload-encoding")])
        self.assertIn("(a best reading of its documentation)",
                      self.message("ctl,id\r\nu,山田\r\n".encode(), "upload-encoding", "--profile", profile))

    def test_a_bad_value_in_a_profile_is_exit_2_with_its_line(self):
        profile = write(self.path("shop.csv"), "field,header\ncontrol,ctl\nupload_encoding,EUC-JP\n")
        r = run("kaiin-check", "--profile", profile, write(self.path("in.csv"), b"ctl\r\nu\r\n"))
        self.assertEqual(r.code, 2, r)
        self.assertIn(":3: upload_encoding is 'EUC-JP', not Shift_JIS, UTF-8 or UTF-8-BOM", r.err)
