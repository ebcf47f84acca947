"""kaiin-check, from the outside: each test is named after the behaviour it pins down.

Most tests build a small kaiin-profile upload from a known-good n or u row with a
few fields overridden, and check the findings of --report json (line, column,
rule, severity) and that the text report says the same thing. Every run passes
--today 2026-11-23 so that birthday checks are repeatable."""
import csv
import difflib
import io
import json
import os
import unittest

from kaiin_csv import GOOD_U, MEMBER_HEADER as HEADER, dele, member_csv, new, raw_row, upd
from kaiin_test import SHARED, TempDirTest, iconv, read, run, sample, write

TODAY = ("--today", "2026-11-23")
BROKEN = sample("upload_broken.csv")
FIXED = sample("upload_fixed.csv")
UPLOAD = sample("upload.csv")
CURRENT = sample("current_export.csv")
RANKS = sample("ranks.csv")
FUTURESHOP = sample("futureshop_upload.csv")
TOKYO = os.path.join(SHARED, "realdata", "files", "japanpost", "hanzo__13TOKYO.CSV")

WARNING_RULES = {"email-legacy-mobile", "password-looks-plaintext", "rank-unknown", "excel-formula",
                 "header-unknown", "file-no-records", "encoding-eudc"}


def parse_json_report(out):
    """Findings and the summary of a --report json output."""
    items = [json.loads(line) for line in out.decode("utf-8").splitlines()]
    findings = [i for i in items if "summary" not in i]
    summaries = [i["summary"] for i in items if "summary" in i]
    return findings, (summaries[-1] if summaries else None)


def check_json(*args, stdin=None):
    """Runs kaiin-check --report json; returns (Result, findings, summary)."""
    r = run("kaiin-check", *TODAY, "--report", "json", *args, stdin=stdin)
    findings, summary = parse_json_report(r.out) if r.code in (0, 1) else ([], None)
    return r, findings, summary


def severity(rule):
    return "warning" if rule in WARNING_RULES else "error"


class CheckTest(TempDirTest):
    def assertFindings(self, data, expected, *args):
        """Checks DATA on standard input: the findings are exactly EXPECTED, a list of
        (line, column, rule) or (line, column, rule, severity); the exit status follows
        from the severities, and the text report with --all shows each finding as
        <stdin>:LINE: SEVERITY: ... [RULE] naming the column, then a summary line.
        Returns the JSON findings."""
        r, found, summary = check_json(*args, "-", stdin=data)
        want = sorted(e if len(e) == 4 else (*e, severity(e[2])) for e in expected)
        got = sorted((f["line"], f["column"], f["rule"], f["severity"]) for f in found)
        self.assertEqual(got, want, r)
        self.assertEqual(r.code, 1 if any(w[3] == "error" for w in want) else 0, r)
        self.assertEqual(summary["errors"], sum(1 for w in want if w[3] == "error"))
        self.assertEqual(summary["warnings"], sum(1 for w in want if w[3] == "warning"))

        text = run("kaiin-check", *TODAY, "--all", *args, "-", stdin=data)
        self.assertEqual(text.code, r.code, text)
        lines = text.out.decode("utf-8").splitlines()
        self.assertTrue(lines and lines[-1].startswith("kaiin-check: summary: files "), text)
        lines = lines[:-1]
        self.assertEqual(len(lines), len(want), text)
        for line, column, rule, sev in want:
            prefix = f"<stdin>:{line}: {sev}: " if line else f"<stdin>: {sev}: "
            # The column leads the message ("cus_zip: zip code ..."), or, for CSV
            # structure and encoding findings, is named in it ("in 'cus_memo'").
            self.assertTrue(any(l.startswith(prefix) and l.endswith(f" [{rule}]")
                                and (not column or l.startswith(prefix + column + ": ") or f"'{column}'" in l)
                                for l in lines),
                            f"no text line {prefix}{column or ''}... [{rule}] in\n" + "\n".join(lines))
        return found

    def assertClean(self, data, *args):
        return self.assertFindings(data, [], *args)


class BaseRows(CheckTest):
    def test_known_good_rows_are_clean(self):
        self.assertClean(member_csv(new(), upd()))

    def test_known_good_rows_summary_counts_create_and_update(self):
        r, _, summary = check_json("-", stdin=member_csv(new(), upd(), new(cus_email="b@example.com")))
        self.assertEqual((summary["records"], summary["create"], summary["update"], summary["delete"]), (3, 2, 1, 0))


class ControlColumn(CheckTest):
    def test_upper_case_control_value_is_an_error_saying_what_to_write(self):
        found = self.assertFindings(member_csv(new(control="N")), [(2, "control", "control-value")])
        self.assertIn("control value 'N' is not n, u or d: write 'n'", found[0]["message"])

    def test_control_value_with_a_space_or_full_width_is_an_error(self):
        self.assertFindings(member_csv(new(control="n ")), [(2, "control", "control-value")])
        self.assertFindings(member_csv(new(control="ｎ")), [(2, "control", "control-value")])

    def test_empty_or_other_control_value_is_an_error(self):
        self.assertFindings(member_csv(new(control="")), [(2, "control", "control-value")])
        self.assertFindings(member_csv(new(control="x")), [(2, "control", "control-value")])
        self.assertFindings(member_csv(new(control=""), upd(), new(control="", cus_email="b@example.com")),
                            [(2, "control", "control-value"), (4, "control", "control-value")])

    def test_empty_control_values_before_the_first_value_are_each_reported_in_order(self):
        # The empty values are held back while every row so far is empty (an export?),
        # and said row by row once a row has a value, also past a batch of records.
        rows = [upd(control="", cus_id=str(20000 + i), cus_email=f"u{i}@example.com") for i in range(1500)]
        found = self.assertFindings(member_csv(*rows, upd()), [(2 + i, "control", "control-value") for i in range(1500)])
        self.assertEqual([f["line"] for f in found], list(range(2, 1502)))

    def test_a_control_column_empty_on_every_row_is_one_finding_saying_it_looks_like_an_export(self):
        # Regression: an export checked as an upload gave one control-value error a row
        # (a million of them took seconds to print).
        rows = [upd(control="", cus_id=str(20000 + i), cus_email=f"u{i}@example.com") for i in range(3000)]
        found = self.assertFindings(member_csv(*rows), [(1, "control", "control-all-empty")])
        self.assertEqual(found[0]["message"],
                         "the control column 'control' is empty on all 3000 rows: this looks like an export, not an "
                         "upload; write n, u or d on each row to upload it, or remove the column to check the file "
                         "as an export (existing members)")
        # The values are still checked, as those of existing members.
        rows[1500]["cus_zip"] = "bad"
        self.assertFindings(member_csv(*rows), [(1, "control", "control-all-empty"), (1502, "cus_zip", "zip-format")])
        # A run cut short by --max-errors has not seen every row: it claims nothing of all.
        for row in rows:
            row["cus_zip"] = "bad"
        r, found, summary = check_json("--max-errors", "5", "-", stdin=member_csv(*rows))
        self.assertNotIn("control-all-empty", [f["rule"] for f in found])
        self.assertEqual(len(found), 5)

    def test_exactly_n_u_and_d_are_accepted(self):
        self.assertClean(member_csv(new(), upd()))
        self.assertClean(member_csv(dele("10001")))

    def test_delete_rows_mixed_with_updates_is_an_error_on_the_first_delete_row(self):
        data = member_csv(upd(), new(), dele("10009"), dele("10010"))
        found = self.assertFindings(data, [(4, None, "control-mixed-delete")])
        self.assertIn("the file mixes 2 delete rows (first on line 4) with 2 new or update rows (first on line 2)",
                      found[0]["message"])
        self.assertIn("kaiin-split --by action", found[0]["message"])

    def test_a_file_of_delete_rows_only_is_fine(self):
        self.assertClean(member_csv(dele("10009"), dele("10010")))

    def test_new_and_update_rows_may_share_a_file(self):
        self.assertClean(member_csv(new(), upd(), new(cus_email="other@example.com")))

    def test_delete_rows_ignore_the_other_fields(self):
        self.assertClean(member_csv(dele("10009", cus_zip="abc", cus_email="no-at", cus_mailmag="x")))


class RequiredFields(CheckTest):
    def test_new_member_needs_an_email_address(self):
        found = self.assertFindings(member_csv(new(cus_email="")), [(2, "cus_email", "required-field")])
        self.assertIn("required for a new member (n)", found[0]["message"])

    def test_mobile_address_alone_does_not_make_a_new_member_valid(self):
        self.assertFindings(member_csv(new(cus_email="", cus_mobile_email="hina@docomo.ne.jp")),
                            [(2, "cus_email", "required-field")])

    def test_new_member_needs_a_mail_magazine_value(self):
        self.assertFindings(member_csv(new(cus_mailmag="")), [(2, "cus_mailmag", "required-field")])

    def test_new_member_needs_a_password(self):
        found = self.assertFindings(member_csv(new(cus_password="")),
                                    [(2, "cus_password", "required-field"), (2, "cus_password", "password-format")])
        self.assertTrue(any("required for a new member" in f["message"] for f in found))

    def test_update_and_delete_need_the_member_id(self):
        self.assertFindings(member_csv(upd(cus_id="")), [(2, "cus_id", "required-field")])
        found = self.assertFindings(member_csv(dele("")), [(2, "cus_id", "required-field")])
        self.assertIn("required to delete (d)", found[0]["message"])

    def test_update_without_email_mailmag_or_password_is_fine(self):
        self.assertClean(member_csv(upd(cus_email="", cus_mailmag="", cus_password="", crypted_pass="")))

    def test_a_missing_required_column_is_one_finding_on_the_header(self):
        header = [h for h in HEADER if h != "cus_mailmag"]
        found = self.assertFindings(member_csv(upd(), new(), new(cus_email="b@example.com"), header=header),
                                    [(1, None, "header-missing")])
        self.assertEqual(found[0]["message"],
                         "there is no column 'cus_mailmag': 2 new members (n) need it (first on line 3)")
        found = self.assertFindings(member_csv(new(), header=header), [(1, None, "header-missing")])
        self.assertEqual(found[0]["message"], "there is no column 'cus_mailmag': 1 new member (n) needs it (first on line 2)")
        self.assertClean(member_csv(upd(), header=header))  # update rows do not need it

    def test_a_missing_crypted_pass_column_is_one_finding_not_one_a_row(self):
        # Regression: "crypted_pass is empty: ..." on every row of a file without the column.
        header = [h for h in HEADER if h != "crypted_pass"]
        rows = [upd(cus_id=str(20000 + i), cus_email=f"u{i}@example.com") for i in range(50)]
        rows.append(upd(cus_id="30000", cus_email="", cus_password=""))  # password untouched: no need
        found = self.assertFindings(member_csv(*rows, header=header), [(1, None, "header-missing")])
        self.assertEqual(found[0]["message"],
                         "there is no column 'crypted_pass': 50 rows have a password (first on line 2), and the "
                         "column says whether each is encrypted (1) or plaintext (0)")

    def test_a_missing_member_id_column_is_one_finding(self):
        header = [h for h in HEADER if h != "cus_id"]
        found = self.assertFindings(member_csv(upd(), dele(""), upd(cus_email="b@example.com"), header=header),
                                    [(1, None, "header-missing"), (3, None, "control-mixed-delete")])
        self.assertIn("there is no column 'cus_id': 3 update (u) or delete (d) rows need the member ID (first on "
                      "line 2)", [f["message"] for f in found])


class MemberIds(CheckTest):
    def test_same_member_id_twice_names_the_first_line(self):
        data = member_csv(upd(), new(), upd(cus_email="other@example.com"))
        found = self.assertFindings(data, [(4, "cus_id", "member-id-duplicate")])
        self.assertIn("member ID '10001' is also on line 2", found[0]["message"])

    def test_member_id_duplicate_across_new_and_update_rows(self):
        self.assertFindings(member_csv(new(cus_id="10001"), upd(cus_email="other@example.com")),
                            [(3, "cus_id", "member-id-duplicate")])

    def test_different_ids_and_empty_new_ids_are_not_duplicates(self):
        self.assertClean(member_csv(upd(), upd(cus_id="100010", cus_email="other@example.com"),
                                    new(), new(cus_email="third@example.com")))


class Passwords(CheckTest):
    HASH32 = "9be4bcfc49b64a0872e6cc3ababced20"

    def test_crypted_pass_other_than_0_or_1_is_an_error(self):
        for flag in ("2", "", " 1", "１"):
            with self.subTest(flag=flag):
                self.assertFindings(member_csv(upd(crypted_pass=flag)), [(2, "cus_password", "password-flag")])

    def test_crypted_pass_0_and_1_are_accepted(self):
        self.assertClean(member_csv(new(crypted_pass="0"), upd(crypted_pass="1")))

    def test_new_member_with_encrypted_password_is_an_error(self):
        found = self.assertFindings(member_csv(new(cus_password=self.HASH32, crypted_pass="1")),
                                    [(2, "cus_password", "password-new-encrypted")])
        self.assertIn("must be plaintext with crypted_pass 0", found[0]["message"])

    def test_new_member_with_plaintext_and_flag_0_and_update_with_flag_1_are_fine(self):
        self.assertClean(member_csv(new(cus_password="pw482913", crypted_pass="0"),
                                    upd(cus_password=self.HASH32, crypted_pass="1")))

    def test_hash_with_flag_0_would_be_encrypted_twice(self):
        for value in (self.HASH32, "a" * 40, "B" * 64,
                      "$2y$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXyz"):
            with self.subTest(length=len(value)):
                found = self.assertFindings(member_csv(upd(cus_password=value, crypted_pass="0")),
                                            [(2, "cus_password", "password-double-encryption", "error")])
                self.assertIn(f"looks encrypted ({len(value)} characters)", found[0]["message"])
                self.assertIn("set crypted_pass to 1", found[0]["message"])

    def test_hex_that_is_not_a_hash_length_is_plaintext_not_double_encryption(self):
        self.assertClean(member_csv(upd(cus_password="abcdef0123456789abcdef01234567", crypted_pass="0")))
        self.assertFindings(member_csv(upd(cus_password="a" * 31, crypted_pass="0")),
                            [(2, "cus_password", "password-format")])

    def test_flag_1_with_a_plaintext_value_is_a_warning(self):
        found = self.assertFindings(member_csv(upd(cus_password="pw771234", crypted_pass="1")),
                                    [(2, "cus_password", "password-looks-plaintext")])
        self.assertIn("set crypted_pass to 0", found[0]["message"])

    def test_flag_1_with_hashes_does_not_warn(self):
        for value in (self.HASH32, self.HASH32.upper(), "c" * 40, "d" * 64,
                      "$2y$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXyz"):
            with self.subTest(value=value):
                self.assertClean(member_csv(upd(cus_password=value, crypted_pass="1")))

    def test_plaintext_outside_4_to_30_half_width_characters_is_an_error_giving_the_length(self):
        for value, length in (("abc", 3), ("a" * 31, 31), ("ｐａｓｓ１２３４", 8), ("pass 1234", 9), ("秘密pass", 6)):
            with self.subTest(value=value):
                found = self.assertFindings(member_csv(new(cus_password=value)),
                                            [(2, "cus_password", "password-format")])
                self.assertIn(f"has {length} characters", found[0]["message"])

    def test_plaintext_of_4_and_30_characters_and_symbols_is_accepted(self):
        self.assertClean(member_csv(new(cus_password="abcd"),
                                    new(cus_password="a" * 30, cus_email="b@example.com"),
                                    new(cus_password="P@ss!#$%&*()_+-=[]{};:'<>?/~", cus_email="c@example.com")))


class PasswordsNeverPrinted(CheckTest):
    CASES = (
        ("password-flag", upd(cus_password="Tr0ub4dor-flag", crypted_pass="2")),
        ("password-new-encrypted", new(cus_password="0123456789abcdef0123456789abcdef", crypted_pass="1")),
        ("password-double-encryption", upd(cus_password="fedcba9876543210fedcba9876543210fedcba98", crypted_pass="0")),
        ("password-looks-plaintext", upd(cus_password="Tr0ub4dor-plain", crypted_pass="1")),
        ("password-format", new(cus_password="Zq9")),
        ("password-format", new(cus_password="Zq9-Zq9-Zq9-Zq9-Zq9-Zq9-Zq9-Zq9-")),
        ("password-format", new(cus_password="ｓｅｃｒｅｔ９９")),
    )

    def test_no_report_format_prints_the_password(self):
        for rule, row in self.CASES:
            data = member_csv(row)
            secret = row["cus_password"]
            for report in ("text", "json", "csv"):
                with self.subTest(rule=rule, report=report, password=secret):
                    r = run("kaiin-check", *TODAY, "--report", report, "-", stdin=data)
                    self.assertIn(f"{rule}", r.out.decode("utf-8"), r)
                    self.assertNotIn(secret.encode("utf-8"), r.out)
                    self.assertNotIn(secret, r.err)

    def test_report_file_does_not_hold_the_password_either(self):
        for rule, row in self.CASES:
            out = self.path("report.txt")
            r = run("kaiin-check", *TODAY, "-o", out, "-", stdin=member_csv(row))
            self.assertIn(rule, read(out).decode("utf-8"), r)
            self.assertNotIn(row["cus_password"].encode("utf-8"), read(out))

    def test_password_not_printed_when_a_ragged_row_shifts_it_into_another_column(self):
        # Regression: a record with one field too many before cus_password is still checked
        # column by column, so the password lands in crypted_pass and is printed:
        # "error: cus_password: crypted_pass 'Sh1ftedSecret' is not 1 (encrypted) or 0".
        values = [GOOD_U[h] for h in HEADER]
        values[2] = "Sh1ftedSecret"
        data = member_csv(values[:2] + ["extra"] + values[2:])
        for report in ("text", "json", "csv"):
            with self.subTest(report=report):
                r = run("kaiin-check", *TODAY, "--report", report, "-", stdin=data)
                self.assertIn("csv-field-count", r.out.decode("utf-8"))
                self.assertNotIn(b"Sh1ftedSecret", r.out)
                self.assertNotIn("Sh1ftedSecret", r.err)


class Email(CheckTest):
    def test_syntax_errors_say_what_is_wrong(self):
        cases = (("hina.example.com", "has no '@'"),
                 ("hina@x@example.com", "more than one '@'"),
                 ("hina @example.com", "has a space"),
                 ("hina@example.com ", "has a space"),
                 ("hina@localhost", "no valid domain"),
                 ("@example.com", "nothing before '@'"))
        for value, words in cases:
            with self.subTest(value=value):
                found = self.assertFindings(member_csv(new(cus_email=value)), [(2, "cus_email", "email-syntax")])
                self.assertIn(words, found[0]["message"])

    def test_full_width_address_gets_the_half_width_form_to_write(self):
        found = self.assertFindings(member_csv(new(cus_email="ｈｉｎａ＠example.com")),
                                    [(2, "cus_email", "email-syntax")])
        self.assertIn("write 'hina@example.com'", found[0]["message"])

    def test_kanji_address_is_an_error_not_a_crash(self):
        # Found by fuzz/check_fuzz.cpp: kaiin-check overflowed its stack on it.
        found = self.assertFindings(member_csv(new(cus_email="山田@example.jp")),
                                    [(2, "cus_email", "email-syntax")])
        self.assertIn("non-ASCII", found[0]["message"])
        self.assertNotIn("write '", found[0]["message"])

    def test_mobile_address_column_is_checked_too(self):
        self.assertFindings(member_csv(new(cus_mobile_email="hina-docomo.ne.jp")),
                            [(2, "cus_mobile_email", "email-syntax")])

    def test_ordinary_addresses_are_accepted(self):
        self.assertClean(member_csv(new(cus_email="hina+shop@mail.example.co.jp"),
                                    new(cus_email="a_b-c.d@example.com", cus_mobile_email="m_1@ezweb.ne.jp")))

    def test_legacy_mobile_addresses_are_warnings(self):
        for value in ("yui..sakiyama@docomo.ne.jp", "yui.@docomo.ne.jp"):
            with self.subTest(value=value):
                found = self.assertFindings(member_csv(new(cus_email=value)),
                                            [(2, "cus_email", "email-legacy-mobile")])
                self.assertIn("old Japanese mobile address", found[0]["message"])
        self.assertFindings(member_csv(new(cus_mobile_email="a..b@ezweb.ne.jp")),
                            [(2, "cus_mobile_email", "email-legacy-mobile")])

    def test_single_dots_inside_the_local_part_are_not_legacy(self):
        self.assertClean(member_csv(new(cus_email="yui.saki.yama@docomo.ne.jp")))

    def test_address_used_twice_names_the_first_line(self):
        found = self.assertFindings(member_csv(new(), new(cus_email="hina@example.com")),
                                    [(3, "cus_email", "email-duplicate")])
        self.assertIn("'hina@example.com' is also on line 2", found[0]["message"])

    def test_duplicates_compare_case_insensitively_and_across_both_columns(self):
        self.assertFindings(member_csv(new(), new(cus_email="HINA@Example.COM")), [(3, "cus_email", "email-duplicate")])
        self.assertFindings(member_csv(new(), new(cus_email="other@example.com", cus_mobile_email="hina@example.com")),
                            [(3, "cus_mobile_email", "email-duplicate")])

    def test_duplicates_compare_after_trimming_and_making_full_width_half_width(self):
        self.assertFindings(member_csv(new(), new(cus_email=" hina@example.com")),
                            [(3, "cus_email", "email-syntax"), (3, "cus_email", "email-duplicate")])
        self.assertFindings(member_csv(new(), new(cus_email="ｈｉｎａ@example.com")),
                            [(3, "cus_email", "email-syntax"), (3, "cus_email", "email-duplicate")])

    def test_similar_addresses_are_not_duplicates(self):
        self.assertClean(member_csv(new(), new(cus_email="hina2@example.com"), new(cus_email="hina@example.co")))


class FieldFormats(CheckTest):
    def assertRejected(self, field, value, rule, words=None):
        found = self.assertFindings(member_csv(new(**{field: value})), [(2, field, rule)])
        if words:
            self.assertIn(words, found[0]["message"])

    def assertAccepted(self, field, *values):
        for value in values:
            with self.subTest(field=field, value=value):
                self.assertClean(member_csv(new(**{field: value})))

    def test_zip_code(self):
        for value in ("19-26101", "192-610", "1926-101", "〒192-6101", "192 6101"):
            with self.subTest(value=value):
                self.assertRejected("cus_zip", value, "zip-format", f"zip code '{value}' is not 123-4567 or 1234567")
        self.assertRejected("cus_zip", "１９２－６１０１", "zip-format", "write '192-6101'")
        self.assertAccepted("cus_zip", "192-6101", "1926101", "")

    def test_zip_hint_about_full_width_only_when_there_is_some(self):
        # Regression: a zip code with a trailing half-width space gets "(full-width
        # characters: write '192-6101')" although it holds no full-width character.
        r, found, _ = check_json("-", stdin=member_csv(new(cus_zip="192-6101 ")))
        self.assertEqual([f["rule"] for f in found], ["zip-format"])
        self.assertNotIn("full-width", found[0]["message"])

    def test_prefecture_short_form_gets_the_full_name(self):
        for short, full in (("大阪", "大阪府"), ("東京", "東京都"), ("北海", "北海道"), ("京都", "京都府")):
            with self.subTest(short=short):
                self.assertRejected("cus_pref", short, "pref-name",
                                    f"prefecture '{short}' must be written in full: '{full}'")

    def test_prefecture_that_does_not_exist(self):
        self.assertRejected("cus_pref", "Tokyo", "pref-name", "not one of the 47 prefectures")
        self.assertRejected("cus_pref", "大阪県", "pref-name", "'大阪府'")

    def test_all_47_prefectures_are_accepted(self):
        prefs = ("北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
                 "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
                 "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
                 "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県").split()
        self.assertEqual(len(prefs), 47)
        self.assertClean(member_csv(*(new(cus_pref=p, cus_email=f"p{i}@example.com") for i, p in enumerate(prefs))))
        self.assertAccepted("cus_pref", "")

    def test_birthday_must_be_a_real_date_in_either_form(self):
        for value in ("2001/02/30", "1900-02-29", "2001/13/01", "2001.02.03", "2001/2/3", "20010203", "2001/02-03"):
            with self.subTest(value=value):
                self.assertRejected("cus_birthday", value, "birthday-date", "not a real date written YYYY/MM/DD")
        self.assertAccepted("cus_birthday", "2000-02-29", "2000/02/29", "1980/08/19", "")

    def test_birthday_after_today_is_an_error_and_today_is_not(self):
        self.assertRejected("cus_birthday", "2026/11/24", "birthday-date", "in the future")
        self.assertAccepted("cus_birthday", "2026/11/23", "2026-11-23")

    def test_today_option_moves_the_future(self):
        data = member_csv(new(cus_birthday="2026/11/24"))
        r = run("kaiin-check", "--today", "2026-11-24", "-", stdin=data)
        self.assertEqual(r.code, 0, r)
        r = run("kaiin-check", "--today", "2026-11-23", "-", stdin=data)
        self.assertEqual(r.code, 1, r)

    def test_registered_must_be_a_real_time_with_slashes_or_hyphens(self):
        for value in ("2026/11/23 24:00:00", "2026/11/23 12:00:60", "2026/11/23", "2026-11/23 12:00:00",
                      "2026/02/30 12:00:00", "2026/11/23T12:00:00", "2026-11-23T12:00:00"):
            with self.subTest(value=value):
                self.assertRejected("cus_registered", value, "registered-datetime",
                                    "not a real time written YYYY/MM/DD HH:MM:SS or YYYY-MM-DD HH:MM:SS")
        # EC-CUBE and ISO write YYYY-MM-DD HH:MM:SS, as a birthday may be YYYY-MM-DD.
        self.assertAccepted("cus_registered", "2026/11/23 23:59:59", "2000/02/29 00:00:00", "2026-11-23 12:00:00", "")

    def test_updated_is_checked_as_registered_is(self):
        header = HEADER + ["cus_updated"]
        self.assertClean(member_csv(dict(upd(), cus_updated="2026-11-23 12:00:00"),
                                    dict(new(), cus_updated=""), header=header))
        found = self.assertFindings(member_csv(dict(upd(), cus_updated="2026/11/31 12:00:00"), header=header),
                                    [(2, "cus_updated", "updated-datetime")])
        self.assertIn("update time '2026/11/31 12:00:00' is not a real time", found[0]["message"])

    def test_birthday_with_a_time_in_an_upload_gets_the_date_to_write(self):
        found = self.assertFindings(member_csv(new(cus_birthday="1980-08-19 00:00:00")),
                                    [(2, "cus_birthday", "birthday-date")])
        self.assertIn("has a time: write the date only, '1980-08-19'", found[0]["message"])

    def test_kana_hiragana_and_half_width_get_a_hint(self):
        self.assertRejected("cus_last_kana", "いのうえ", "kana-format", "has hiragana: write katakana")
        self.assertRejected("cus_first_kana", "ﾋﾅ", "kana-format", "half-width katakana: write full-width")
        self.assertRejected("cus_last_kana", "井上", "kana-format", "not katakana")
        self.assertRejected("cus_last_kana", "Inoue", "kana-format", "not katakana")

    def test_kana_long_vowel_mark_and_spaces_are_accepted(self):
        self.assertAccepted("cus_last_kana", "イノウエ　ヨーコ", "ヨー コ", "ヴァヶ", "")

    def test_telephone(self):
        for value in ("(090)1234-5678", "+81-90-1234-5678", "090 1234 5678"):
            with self.subTest(value=value):
                self.assertRejected("cus_tel", value, "tel-format", "must be half-width digits and hyphens")
        self.assertRejected("cus_tel", "０９０－１２３４－５６７８", "tel-format", "write '090-1234-5678'")
        self.assertAccepted("cus_tel", "09012345678", "090-1234-5678", "")

    def test_sex(self):
        for value in ("0", "3", "男", "１"):
            with self.subTest(value=value):
                self.assertRejected("cus_sex", value, "sex-value", f"sex '{value}' is not 1, 2 or empty")
        self.assertAccepted("cus_sex", "1", "2", "")

    def test_mail_magazine(self):
        for value in ("2", "yes", "１"):
            with self.subTest(value=value):
                self.assertRejected("cus_mailmag", value, "mailmag-value", "is not 1 (subscribed) or 0")
        self.assertAccepted("cus_mailmag", "0", "1")

    def test_points(self):
        for value in ("-1", "1.5", "1,000", "１００", "+5"):
            with self.subTest(value=value):
                self.assertRejected("cus_point", value, "point-format", "not a whole number from 0 up")
        self.assertAccepted("cus_point", "0", "120", "3000", "")


class ExcelFormula(CheckTest):
    def test_text_starting_with_a_formula_character_is_a_warning(self):
        for value, shown in (("=1+2", "="), ("+81-3-1234-5678", "+"), ("-note", "-"), ("@SUM(A1)", "@"),
                             ("\tx", "TAB"), ("\rx", "CR")):
            with self.subTest(value=value):
                found = self.assertFindings(member_csv(new(cus_memo=value)), [(2, "cus_memo", "excel-formula")])
                self.assertIn(f"starts with {shown}:", found[0]["message"])
        self.assertFindings(member_csv(new(cus_last_name="=cmd")), [(2, "cus_last_name", "excel-formula")])

    def test_formula_character_inside_or_full_width_is_fine(self):
        self.assertClean(member_csv(new(cus_memo="a=1"), new(cus_memo="＝1", cus_email="b@example.com")))

    def test_a_signed_number_is_not_a_formula(self):
        self.assertClean(member_csv(new(cus_memo="-100"), new(cus_memo="+1.5", cus_email="b@example.com")))


class Headers(CheckTest):
    def test_typo_of_a_known_header_gets_did_you_mean(self):
        header = [h if h != "cus_email" else "cus_emial" for h in HEADER]
        row = dict(upd(), cus_emial="not-an-address")
        found = self.assertFindings(member_csv(row, header=header), [(1, None, "header-unknown")])
        self.assertIn("unknown column 'cus_emial'", found[0]["message"])
        self.assertIn("did you mean 'cus_email'?", found[0]["message"])

    def test_did_you_mean_never_names_a_column_the_file_has(self):
        # Regression: "did you mean 'cus_email'?" for cus_emial beside cus_email itself.
        header = HEADER + ["cus_emial"]
        self.assertClean(member_csv(dict(new(), cus_emial="x"), header=header))

    def test_unrelated_extra_column_passes_through_unchecked(self):
        header = HEADER + ["note"]
        self.assertClean(member_csv(dict(new(), note="anything @@ １２３ not checked"), header=header))

    def test_second_column_for_the_same_field_is_an_error(self):
        header = HEADER + ["cus_zip"]
        found = self.assertFindings(member_csv(new(), header=header), [(1, None, "header-duplicate")])
        # The field is named by the header of its first column, as the file writes it,
        # never by kaiin's internal field name ('zip').
        self.assertIn("'cus_zip' is a second 'cus_zip' column", found[0]["message"])

    def test_two_header_names_of_one_field_are_a_duplicate_too(self):
        data = "コントロールカラム,会員ID,メールアドレス1,Eメールアドレス\nd,10001,,\n".encode()
        found = self.assertFindings(data, [(1, None, "header-duplicate")])
        self.assertIn("column 'Eメールアドレス' is a second 'メールアドレス1' column", found[0]["message"])

    def test_pc_and_mobile_address_columns_are_different_fields(self):
        self.assertClean("コントロールカラム,会員ID,メールアドレス1,携帯メールアドレス\nd,10001,,\n".encode())

    def test_no_control_column_is_an_export_checked_as_existing_members(self):
        # Spec §4: no n/u/d rules (no password required, none of a new member's), but
        # the values and duplicates are checked; the summary counts existing members.
        header = [h for h in HEADER if h != "control"]
        plain = dict(new(cus_password="", crypted_pass="", cus_mailmag="", cus_id="10001"))
        self.assertClean(member_csv(plain, dict(upd(), cus_id="10002"), header=header))
        self.assertFindings(member_csv(plain, dict(plain, cus_zip="bad", cus_id="10001", cus_email="b@example.com"),
                                       header=header),
                            [(3, "cus_zip", "zip-format"), (3, "cus_id", "member-id-duplicate")])
        r, _, summary = check_json("-", stdin=member_csv(plain, header=header))
        self.assertEqual((summary["records"], summary["create"], summary["existing_members"]), (1, 0, 1), r)
        text = run("kaiin-check", *TODAY, "-", stdin=member_csv(plain, header=header))
        self.assertIn("delete 0, existing members 1, errors 0", text.out.decode())

    def test_an_upload_summary_has_no_existing_members(self):
        r, _, summary = check_json("-", stdin=member_csv(new()))
        self.assertNotIn("existing_members", summary)

    def test_control_column_may_be_anywhere(self):
        self.assertClean(b"cus_id,control\n10001,d\n")

    def test_no_known_header_is_an_error_naming_the_profiles(self):
        found = self.assertFindings(b"a,b,c\n1,2,3\n", [(1, None, "header-unknown-profile")])
        for name in ("kaiin", "aiship", "ebisumart", "futureshop"):
            self.assertIn(name, found[0]["message"])

    def test_a_file_not_checked_still_counts_its_records_and_says_so(self):
        # Regression: "records 0" in the summary for a file of 4,086 records.
        data = b"a,b,c\n" + b"1,2,3\n" * 4086
        r, found, summary = check_json("-", stdin=data)
        self.assertEqual([f["rule"] for f in found], ["header-unknown-profile"])
        self.assertEqual((summary["records"], summary["not_checked"]), (4086, "<stdin>"))
        text = run("kaiin-check", *TODAY, "-", stdin=data)
        self.assertIn("records 4086, create 0, update 0, delete 0, not checked <stdin>, errors 1", text.out.decode())
        r, _, summary = check_json("-", stdin=member_csv(new()))
        self.assertNotIn("not_checked", summary)

    def test_an_empty_first_line_is_one_finding_not_one_a_record(self):
        # Regression: "the record has 22 fields, the header has 1" on every line.
        data = b"\n" + member_csv(new(), upd())
        found = self.assertFindings(data, [(1, None, "csv-header-empty")])
        self.assertIn("the first line is empty where the header", found[0]["message"])
        r, _, summary = check_json("-", stdin=data)
        self.assertEqual(summary["records"], 3)

    def test_one_known_header_is_enough_to_pick_a_profile(self):
        self.assertClean(b"control,cus_id\nd,10001\n")


class FileLevel(CheckTest):
    def test_empty_file_is_an_error(self):
        found = self.assertFindings(b"", [(0, None, "file-empty")])
        self.assertIn("empty", found[0]["message"])
        self.assertFindings(b"\xef\xbb\xbf", [(0, None, "file-empty")])

    def test_header_only_is_a_warning(self):
        found = self.assertFindings(member_csv(), [(0, None, "file-no-records")])
        self.assertIn("header but no records", found[0]["message"])
        self.assertFindings(member_csv(newline="\r\n"), [(0, None, "file-no-records")])

    def test_header_and_one_record_is_neither(self):
        self.assertClean(member_csv(new()))

    def test_empty_named_file_in_text_report(self):
        path = write(self.path("empty.csv"), b"")
        r = run("kaiin-check", *TODAY, path)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{path}: error: the file is empty", r.out.decode())
        self.assertIn("[file-empty]", r.out.decode())


class CsvStructure(CheckTest):
    def test_unterminated_quote_reported_where_it_opened_and_earlier_rows_still_checked(self):
        bad_zip = raw_row(new(cus_zip="bad"))
        opened = raw_row(upd()) + '"never closed'  # cus_memo, the last field, opens a quote
        data = (",".join(HEADER) + "\n" + bad_zip + "\n" + opened + "\n" + raw_row(new(cus_email="c@example.com")) + "\n").encode()
        found = self.assertFindings(data, [(2, "cus_zip", "zip-format"), (3, "cus_memo", "csv-unterminated-quote")])
        unterminated = [f for f in found if f["rule"] == "csv-unterminated-quote"][0]
        self.assertIn("a quote opened in column 'cus_memo' on this line is never closed", unterminated["message"])

    def test_unterminated_quote_does_not_stop_the_next_file(self):
        first = write(self.path("first.csv"), ",".join(HEADER) + "\n" + raw_row(upd()) + '"open\n')
        second = write(self.path("second.csv"), member_csv(new(cus_zip="bad")))
        r, found, _ = check_json(first, second)
        self.assertEqual(r.code, 1, r)
        got = sorted((f["file"], f["line"], f["rule"]) for f in found)
        self.assertEqual(got, [(first, 2, "csv-unterminated-quote"), (second, 2, "zip-format")])

    def test_record_with_too_many_or_too_few_fields_and_checking_goes_on(self):
        data = (",".join(HEADER) + "\n" + raw_row(new()) + ",extra\n" + raw_row(upd(cus_zip="bad")) + "\n").encode()
        found = self.assertFindings(data, [(2, None, "csv-field-count"), (3, "cus_zip", "zip-format")])
        self.assertIn("the record has 23 fields, the header has 22",
                      [f["message"] for f in found if f["rule"] == "csv-field-count"][0])
        found = self.assertFindings(b"control,cus_id\nd,10001\nd\n", [(3, None, "csv-field-count")])
        self.assertEqual(found[0]["message"], "the record has 1 field, the header has 2")  # not "1 fields"
        data = (",".join(HEADER) + "\n" + raw_row(upd(cus_zip="bad")) + "\n" + "u,10002\n").encode()
        r, found, _ = check_json("-", stdin=data)
        self.assertEqual(r.code, 1, r)
        self.assertIn((2, "zip-format"), [(f["line"], f["rule"]) for f in found])
        self.assertIn((3, "csv-field-count"), [(f["line"], f["rule"]) for f in found])

    def test_ragged_row_is_not_checked_with_shifted_values(self):
        # Regression: the values of a record with an extra field are matched to the header
        # left to right anyway, giving findings about the wrong columns, e.g.
        # "cus_zip: zip code '岡山県' is not 123-4567 ..." and
        # "cus_sex: sex '1947/10/04' is not 1, 2 or empty"; such a row cannot be read
        # (man page: "the other rules go on where the row can still be read").
        values = [GOOD_U[h] for h in HEADER]
        data = member_csv(values[:4] + ["extra"] + values[4:])
        r, found, _ = check_json("-", stdin=data)
        self.assertEqual([(f["line"], f["rule"]) for f in found], [(2, "csv-field-count")], r)

    def test_quote_problems_and_bare_cr_are_errors_and_checking_goes_on(self):
        # The column is named as a column ("field 'cus_memo'" read like the field's text),
        # with the value as written where it shows the quote.
        cases = (('a"b', "csv-bare-quote", "a quote inside an unquoted value in column 'cus_memo', character 124 "
                                           "of the line ('a\"b')"),
                 ('"a"b', "csv-text-after-quote", "text after the closing quote in column 'cus_memo', character 126 "
                                                  "of the line ('a\"b')"),
                 ("a\rb", "csv-bare-cr", "a CR that is not part of a CRLF in column 'cus_memo', character 124 of "
                                         "the line"))
        for memo, rule, words in cases:
            with self.subTest(rule=rule):
                data = (",".join(HEADER) + "\n" + raw_row(new()) + memo + "\n" + raw_row(upd(cus_zip="bad")) + "\n").encode()
                found = self.assertFindings(data, [(2, "cus_memo", rule), (3, "cus_zip", "zip-format")])
                self.assertIn(words, [f["message"] for f in found if f["rule"] == rule][0])

    def test_quoted_commas_quotes_and_newlines_are_fine_and_lines_are_physical(self):
        data = member_csv(new(cus_memo='a, "b"\r\nc\nd'), upd(cus_zip="bad"), newline="\r\n")
        found = self.assertFindings(data, [(5, "cus_zip", "zip-format")])
        self.assertEqual(found[0]["record"], 2)

    def test_line_after_a_multi_line_memo_in_the_cp932_sample(self):
        data = read(UPLOAD).replace(b"956-9518", b"956-95188")  # u,10008 starts on line 10
        found = self.assertFindings(data, [(10, "cus_zip", "zip-format")])
        self.assertEqual(found[0]["record"], 8)


class Encoding(CheckTest):
    def test_invalid_cp932_byte_is_reported_with_position_and_checking_goes_on(self):
        row = raw_row(new(cus_memo="X"))
        data = (",".join(HEADER) + "\r\n" + row + "\r\n").encode("cp932").replace(b"X", b"\x80")
        data += (raw_row(upd(cus_zip="bad")) + "\r\n").encode("cp932")
        found = self.assertFindings(data, [(2, "cus_memo", "encoding-invalid"), (3, "cus_zip", "zip-format")])
        message = [f["message"] for f in found if f["rule"] == "encoding-invalid"][0]
        column = len(row.split("X")[0]) + 1  # in characters
        offset = data.index(b"\x80")  # in bytes, from 0
        self.assertIn(f"bytes 80 are not valid CP932 (in 'cus_memo': line 2, column {column}, "
                      f"byte offset {offset})", message)

    def test_invalid_utf8_when_forced(self):
        data = member_csv(new(cus_memo="X")).replace(b"X", b"\xff")
        found = self.assertFindings(data, [(2, "cus_memo", "encoding-invalid")], "-f", "utf-8")
        self.assertIn("bytes FF are not valid UTF-8", found[0]["message"])

    def test_cp932_with_5c_trail_bytes_and_half_width_kana_is_valid(self):
        # ソ (83 5C) and 表 (95 5C) have a backslash byte; ﾃｽﾄ is single-byte kana.
        data = member_csv(new(cus_address2="ソフト表参道", cus_memo="ﾃｽﾄ")).decode().encode("cp932")
        self.assertClean(data)

    def test_user_defined_character_is_a_warning(self):
        data = member_csv(new(cus_address2="X")).decode().encode("cp932").replace(b"X", b"\xf0\x40")
        found = self.assertFindings(data, [(2, "cus_address2", "encoding-eudc")])
        self.assertIn("U+E000", found[0]["message"])
        data = member_csv(new(cus_address2="X")).decode().encode("cp932").replace(b"X", b"\xf9\xfc")
        self.assertFindings(data, [(2, "cus_address2", "encoding-eudc")])

    def test_nec_and_ibm_extension_characters_are_not_user_defined(self):
        # FA40 comes right after the last 外字 (F9FC); FBFC is 髙; 8740 is ①; ED40 is 纊.
        data = member_csv(new(cus_address2="X")).decode().encode("cp932")
        for code in (b"\xfa\x40", b"\xfb\xfc", b"\x87\x40", b"\xed\x40"):
            with self.subTest(code=code.hex()):
                self.assertClean(data.replace(b"X", code))

    def test_user_defined_character_in_utf8_is_a_warning_too(self):
        # Regression: a CP932 file with 外字 F040 gets an encoding-eudc warning, but its UTF-8
        # copy (iconv -f CP932 -t UTF-8 gives U+E000) gets none, although "CP932 and
        # UTF-8 files give the same findings" and both display differently elsewhere.
        cp932 = member_csv(new(cus_address2="X")).decode().encode("cp932").replace(b"X", b"\xf0\x40")
        utf8 = iconv(cp932, "CP932", "UTF-8")
        self.assertIn("\ue000".encode(), utf8)
        self.assertFindings(utf8, [(2, "cus_address2", "encoding-eudc")])


def comparable(out):
    """A JSON report without what names the file or its encoding."""
    findings, summary = parse_json_report(out)
    for f in findings:
        del f["file"]
    summary = {k: v for k, v in summary.items() if k not in ("files", "encoding")}
    return findings, summary


class Cp932AndUtf8(TempDirTest):
    def test_broken_sample_gives_the_same_findings_in_utf8(self):
        utf8 = write(self.path("broken-utf8.csv"), iconv(read(BROKEN), "CP932", "UTF-8"))
        bom = write(self.path("broken-bom.csv"), b"\xef\xbb\xbf" + read(utf8))
        a, _, sa = check_json(BROKEN)
        for other in (utf8, bom):
            with self.subTest(file=os.path.basename(other)):
                b, _, sb = check_json(other)
                self.assertEqual((a.code, b.code), (1, 1))
                self.assertEqual(comparable(b.out), comparable(a.out))
                self.assertEqual((sa["encoding"], sb["encoding"][:5]), ("cp932", "utf-8"))

    def test_windows_characters_give_the_same_findings(self):
        text = member_csv(
            new(cus_last_name="髙橋", cus_first_name="﨑子", cus_address2="コーポ～ひだまり①㈱",
                cus_last_kana="たかはし", cus_zip="１９２－６１０１", cus_memo="=SUM(A1)"),
            new(cus_email="ｈｉｎａ@example.com", cus_pref="大阪", cus_birthday="2001/02/30"),
            upd(cus_email="yui..@docomo.ne.jp", crypted_pass="0"),
            newline="\r\n")
        cp932 = write(self.path("cp932.csv"), iconv(text, "UTF-8", "CP932"))
        utf8 = write(self.path("utf8.csv"), iconv(read(cp932), "CP932", "UTF-8"))
        a, found, sa = check_json(cp932)
        b, _, sb = check_json(utf8)
        self.assertEqual((a.code, b.code), (1, 1), a)
        self.assertEqual((sa["encoding"], sb["encoding"]), ("cp932", "utf-8"))
        self.assertGreaterEqual(len(found), 8)
        self.assertEqual(comparable(b.out), comparable(a.out))


class OneThreadOrThree(TempDirTest):
    # A regular file under a megabyte is checked on one thread; standard input (size
    # unknown) and larger files on three. Both must give the same report.
    def test_a_small_file_and_the_same_bytes_on_standard_input_give_the_same_report(self):
        rows = []
        for i in range(3000):  # three batches of 1024 rows and more, with findings in each
            if i % 97 == 0:
                rows.append(new(cus_zip="５３０－０００１", cus_email=f"dup{i % 3}@example.com"))
            elif i % 101 == 0:
                rows.append(upd(cus_id=str(20000 + i // 500), cus_pref="大阪"))
            else:
                rows.append(new(cus_email=f"m{i}@example.com"))
        data = member_csv(*rows)
        self.assertLess(len(data), 1 << 20)
        path = write(self.path("small.csv"), data)
        for extra in ([], ["--max-errors", "5"]):
            with self.subTest(extra=extra):
                a, found, _ = check_json(*extra, path)
                b, _, _ = check_json(*extra, "-", stdin=data)
                self.assertEqual(a.code, 1, a)
                self.assertGreaterEqual(len(found), 5)
                # (A run stopped by --max-errors counts the records read by then, which
                # the reading thread of a threaded run is ahead with.)
                parts = 1 if extra else 2  # the findings, and the summary where the run went to the end
                self.assertEqual(comparable(a.out)[:parts], comparable(b.out)[:parts])


class Walkthrough(TempDirTest):
    EXPECTED = [
        (3, "control", "control-value"),
        (4, "cus_password", "password-new-encrypted"),
        (5, "cus_password", "password-double-encryption"),
        (6, "cus_email", "email-syntax"),
        (6, "cus_pref", "pref-name"),
        (6, "cus_zip", "zip-format"),
        (7, "cus_birthday", "birthday-date"),
        (7, "cus_mobile_email", "email-duplicate"),
        (8, "cus_first_kana", "kana-format"),
        (8, "cus_last_kana", "kana-format"),
        (8, "cus_mailmag", "required-field"),
        (8, "cus_memo", "excel-formula"),
        (9, "cus_email", "email-legacy-mobile"),
        (9, "cus_id", "member-id-duplicate"),
        (10, None, "control-mixed-delete"),
    ]

    def test_broken_upload_exits_1_and_reports_each_problem(self):
        r, found, summary = check_json(BROKEN)
        self.assertEqual(r.code, 1, r)
        got = sorted((f["line"], f["column"] or "", f["rule"]) for f in found)
        self.assertEqual(got, sorted((l, c or "", rule) for l, c, rule in self.EXPECTED))
        self.assertEqual({f["file"] for f in found}, {BROKEN})
        self.assertEqual((summary["errors"], summary["warnings"]), (13, 2))

    def test_broken_upload_text_report_says_what_to_write(self):
        r = run("kaiin-check", *TODAY, BROKEN)
        self.assertEqual(r.code, 1, r)
        out = r.out.decode("utf-8")
        for expected in (
                f"{BROKEN}:3: error: control: control value 'N' is not n, u or d: write 'n'",
                f"{BROKEN}:6: error: cus_email: e-mail address 'ｔａｒｏ＠example.com' has full-width",
                "write 'taro@example.com' [email-syntax]",
                "write '530-0001') [zip-format]",
                f"{BROKEN}:6: error: cus_pref: prefecture '大阪' must be written in full: '大阪府' [pref-name]",
                f"{BROKEN}:7: error: cus_birthday: birthday '2001/02/30' is not a real date",
                "address 'user10001.a@example.ne.jp' is also on line 2",
                f"{BROKEN}:8: warning: cus_memo: the value starts with =",
                f"{BROKEN}:9: error: cus_id: member ID '10004' is also on line 5",
                f"{BROKEN}:10: error: the file mixes 1 delete row (first on line 10) with 7 new or update rows"):
            self.assertIn(expected, out)
        self.assertEqual(out.count(": error: "), 13)
        self.assertEqual(out.count(": warning: "), 2)
        self.assertTrue(out.endswith("kaiin-check: summary: files " + BROKEN + ", encoding cp932, profile kaiin, "
                                     "records 9, create 2, update 5, delete 1, errors 13, warnings 2\n"), out)
        self.assertEqual(r.err, "")

    def test_fixed_upload_exits_0_with_only_the_summary(self):
        r = run("kaiin-check", *TODAY, FIXED)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out.decode(), "kaiin-check: summary: files " + FIXED + ", encoding cp932, profile kaiin, "
                                         "records 7, create 3, update 4, delete 0, errors 0, warnings 0\n")
        self.assertEqual(r.err, "")

    def test_fixed_file_changes_exactly_the_reported_lines(self):
        broken = read(BROKEN).decode("cp932").split("\r\n")
        fixed = read(FIXED).decode("cp932").split("\r\n")
        changed = set()
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, broken, fixed, autojunk=False).get_opcodes():
            if tag != "equal":
                changed.update(range(i1 + 1, i2 + 1))
        _, found, _ = check_json(BROKEN)
        self.assertEqual(changed, {f["line"] for f in found})
        self.assertEqual(changed, {3, 4, 5, 6, 7, 8, 9, 10})


class CurrentExport(CheckTest):
    def test_update_keeping_the_members_addresses_is_fine(self):
        row = upd(cus_id="10004", cus_email="User10004.A@example.co.jp", cus_mobile_email="m10004_874@docomo.ne.jp")
        self.assertClean(member_csv(row), "--current", CURRENT)

    def test_update_or_delete_of_an_unknown_member(self):
        found = self.assertFindings(member_csv(upd(cus_id="99999", cus_email="x@example.com")),
                                    [(2, "cus_id", "member-unknown")], "--current", CURRENT)
        self.assertIn("member ID '99999' is not in the current export", found[0]["message"])
        self.assertFindings(member_csv(dele("99999")), [(2, "cus_id", "member-unknown")], "--current", CURRENT)

    def test_delete_of_a_known_member_is_fine(self):
        self.assertClean(member_csv(dele("10004"), dele("20001")), "--current", CURRENT)

    def test_unknown_member_is_not_checked_without_an_export(self):
        self.assertClean(member_csv(upd(cus_id="99999", cus_email="x@example.com")))
        self.assertClean(member_csv(dele("88888")))

    def test_new_member_reusing_an_id_of_the_export(self):
        found = self.assertFindings(member_csv(new(cus_id="10004")), [(2, "cus_id", "member-id-exists")],
                                    "--current", CURRENT)
        self.assertIn("member ID '10004' already exists", found[0]["message"])
        self.assertClean(member_csv(new(cus_id="30000")), "--current", CURRENT)

    def test_new_member_reusing_an_address_of_the_export(self):
        found = self.assertFindings(member_csv(new(cus_email="Makoto@Example.jp")), [(2, "cus_email", "email-duplicate")],
                                    "--current", CURRENT)
        self.assertIn("already belongs to member '20001'", found[0]["message"])
        self.assertFindings(member_csv(new(cus_mobile_email="m10004_874@docomo.ne.jp")),
                            [(2, "cus_mobile_email", "email-duplicate")], "--current", CURRENT)

    def test_new_member_with_a_new_address_is_fine(self):
        self.assertClean(member_csv(new(cus_email="makoto2@example.jp")), "--current", CURRENT)

    def test_update_changing_the_address_is_an_error(self):
        row = upd(cus_id="20001", cus_email="new@example.com")
        found = self.assertFindings(member_csv(row), [(2, "cus_email", "email-changed")], "--current", CURRENT)
        self.assertIn("changes the member's address from 'makoto@example.jp'", found[0]["message"])
        self.assertIn("admin screen", found[0]["message"])
        row = upd(cus_id="10004", cus_email="user10004.a@example.co.jp", cus_mobile_email="new@docomo.ne.jp")
        self.assertFindings(member_csv(row), [(2, "cus_mobile_email", "email-changed")], "--current", CURRENT)

    def test_update_taking_another_members_address(self):
        row = upd(cus_id="20001", cus_email="user10015.jp@example.com")
        self.assertFindings(member_csv(row), [(2, "cus_email", "email-changed"), (2, "cus_email", "email-duplicate")],
                            "--current", CURRENT)

    def test_clean_sample_passes_against_the_export_and_ranks(self):
        r = run("kaiin-check", *TODAY, "--current", CURRENT, "--ranks", RANKS, UPLOAD)
        self.assertEqual(r.code, 0, r)
        self.assertIn("errors 0, warnings 0", r.out.decode())
        self.assertEqual(len(r.out.splitlines()), 1)  # the summary only

    def test_unreadable_export_is_exit_2(self):
        r = run("kaiin-check", *TODAY, "--current", self.path("nope.csv"), UPLOAD)
        self.assertEqual(r.code, 2, r)
        self.assertIn(self.path("nope.csv"), r.err)


class Ranks(CheckTest):
    def test_unknown_rank_is_a_warning_with_did_you_mean(self):
        found = self.assertFindings(member_csv(upd(cus_rank="プラチナム")), [(2, "cus_rank", "rank-unknown")],
                                    "--ranks", RANKS)
        self.assertIn("rank 'プラチナム' is not in the rank list (did you mean 'プラチナ'?)", found[0]["message"])

    def test_rank_far_from_any_gets_no_suggestion(self):
        found = self.assertFindings(member_csv(upd(cus_rank="VIP")), [(2, "cus_rank", "rank-unknown")], "--ranks", RANKS)
        self.assertNotIn("did you mean", found[0]["message"])

    def test_known_and_empty_ranks_are_fine_and_the_header_line_is_not_a_rank(self):
        self.assertClean(member_csv(upd(cus_rank="ゴールド"), new(cus_rank="")), "--ranks", RANKS)
        self.assertFindings(member_csv(upd(cus_rank="rank")), [(2, "cus_rank", "rank-unknown")], "--ranks", RANKS)

    def test_rank_list_without_header_line(self):
        ranks = write(self.path("ranks.txt"), "ゴールド\nシルバー\n")
        self.assertClean(member_csv(upd(cus_rank="ゴールド")), "--ranks", ranks)
        found = self.assertFindings(member_csv(upd(cus_rank="シルバ")), [(2, "cus_rank", "rank-unknown")], "--ranks", ranks)
        self.assertIn("did you mean 'シルバー'?", found[0]["message"])

    def test_ranks_are_not_checked_without_a_list(self):
        self.assertClean(member_csv(upd(cus_rank="VIP")))


class Profiles(CheckTest):
    def test_futureshop_by_name(self):
        r, found, summary = check_json("--profile", "futureshop", FUTURESHOP)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(found, [])
        self.assertEqual(summary["profile"], "futureshop")
        self.assertEqual((summary["records"], summary["create"], summary["update"], summary["delete"]), (5, 2, 3, 0))

    def test_profile_recognised_from_the_header_and_named_in_the_summary(self):
        r = run("kaiin-check", *TODAY, FUTURESHOP)
        self.assertEqual(r.code, 0, r)
        self.assertIn(", profile futureshop,", r.out.decode())
        r = run("kaiin-check", *TODAY, UPLOAD)
        self.assertIn(", profile kaiin,", r.out.decode())

    def test_findings_name_the_files_own_headers(self):
        data = ("コントロールカラム,会員ID,Eメールアドレス,パスワード,パスワード暗号化済み,メルマガ受信可否,郵便番号\n"
                "n,,a@example.com,pass1234,0,1,１２３\n"
                "n,,A@example.com,pass1234,0,,123-4567\n").encode()
        self.assertFindings(data, [(2, "郵便番号", "zip-format"), (3, "メルマガ受信可否", "required-field"),
                                   (3, "Eメールアドレス", "email-duplicate")])

    def test_aiship_and_ebisumart_recognised(self):
        aiship = "コントロールカラム,顧客ID,メールアドレス,パスワード,パスワード暗号化フラグ,メールマガジン\nn,,a@example.com,pass1234,0,1\n"
        r, found, summary = check_json("-", stdin=aiship.encode())
        self.assertEqual((r.code, summary["profile"]), (0, "aiship"), r)
        # ebisumart's 項目名:項目ID headers match by either part.
        ebisu = ("コントロールカラム:CTRL,会員番号:MEMBER_ID,Eメール:MAIL,パスワード:PASSWD,"
                 "暗号化済みフラグ:X,メルマガ受信:Y,郵便番号:POST\nn,,a@example.com,pass1234,0,1,1234\n")
        r, found, summary = check_json("-", stdin=ebisu.encode())
        self.assertEqual(summary["profile"], "ebisumart", r)
        self.assertEqual([(f["line"], f["column"], f["rule"]) for f in found], [(2, "郵便番号:POST", "zip-format")])

    def test_ebisumart_password_header_from_its_documentation(self):
        # ebisumart's support page names the password ログインPW (項目ID PASSWORD) and sets
        # encryption on the upload screen: no flag column, so no password-flag finding, and
        # new or update is told by the member ID (no control column: checked as members).
        ebisu = "会員ID:MEMBER_ID,ログインPW:PASSWORD,メールアドレス:MAIL\n10001,x,a@example.com\n10001,,b\n"
        r, found, summary = check_json("-", stdin=ebisu.encode())
        self.assertEqual(summary["profile"], "ebisumart", r)
        self.assertEqual(sorted((f["line"], f["column"], f["rule"]) for f in found),
                         [(3, "メールアドレス:MAIL", "email-syntax"), (3, "会員ID:MEMBER_ID", "member-id-duplicate")])

    def test_aiship_address_headers_from_its_manual(self):
        aiship = ("コントロールカラム,メールアドレス,郵便番号,都道府県,郡市区,それ以降の住所,電話番号\n"
                  "u,a@example.com,123-4567,大阪,=1,1-1,06-0000-0000\n")
        r, found, summary = check_json("-", stdin=aiship.encode())
        self.assertEqual(summary["profile"], "aiship", r)
        self.assertEqual(sorted((f["column"] or "", f["rule"]) for f in found),
                         sorted([("", "header-missing"), ("都道府県", "pref-name"), ("郡市区", "excel-formula")]))

    def test_forcing_the_wrong_profile_finds_no_known_header(self):
        r, found, _ = check_json("--profile", "kaiin", FUTURESHOP)
        self.assertEqual(r.code, 1, r)
        self.assertEqual([f["rule"] for f in found], ["header-unknown-profile"])

    def test_unknown_profile_name_is_exit_2_listing_the_names(self):
        r = run("kaiin-check", *TODAY, "--profile", "shopify", UPLOAD)
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.out, b"")
        self.assertIn("'shopify'", r.err)
        for name in ("kaiin", "aiship", "ebisumart", "futureshop"):
            self.assertIn(name, r.err)

    def test_profile_file_maps_the_shops_own_headers(self):
        profile = write(self.path("myshop.csv"), "field,header\ncontrol,処理区分\nmember_id,顧客番号\n"
                        "email,メール\npassword,PW\ncrypted_pass,暗号化\nmailmag,メルマガ\nzip,郵便\n")
        data = write(self.path("in.csv"), "処理区分,顧客番号,メール,PW,暗号化,メルマガ,郵便,備考欄\n"
                     "n,,a@example.com,pass1234,0,1,１２３-4567,x\n"
                     "n,,a@example.com,pass1234,0,1,123-4567,x\n")
        r, found, summary = check_json("--profile", profile, data)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(sorted((f["line"], f["column"], f["rule"]) for f in found),
                         [(2, "郵便", "zip-format"), (3, "メール", "email-duplicate")])
        self.assertIn("myshop", summary["profile"])
        self.assertEqual(summary["create"], 2)
        r, found, _ = check_json(data)  # no built-in profile knows these headers
        self.assertEqual([f["rule"] for f in found], ["header-unknown-profile"])

    def test_bad_profile_file_is_exit_2(self):
        profile = write(self.path("bad.csv"), "field,header\nno_such_field,X\n")
        r = run("kaiin-check", *TODAY, "--profile", profile, UPLOAD)
        self.assertEqual(r.code, 2, r)
        self.assertIn("no_such_field", r.err)


class Reports(TempDirTest):
    def test_json_findings_have_the_spec_keys_and_a_summary_line_last(self):
        r = run("kaiin-check", *TODAY, "--report", "json", BROKEN)
        self.assertEqual(r.code, 1, r)
        lines = [json.loads(l) for l in r.out.decode().splitlines()]
        for f in lines[:-1]:
            self.assertEqual(list(f), ["file", "record", "line", "column", "severity", "rule", "message"])
            self.assertIsInstance(f["record"], int)
            self.assertIsInstance(f["line"], int)
            self.assertIn(f["severity"], ("error", "warning"))
            self.assertTrue(f["column"] is None or isinstance(f["column"], str))
        self.assertEqual(list(lines[-1]), ["summary"])
        self.assertEqual(r.err, "")

    def test_json_record_counts_data_records_and_line_counts_physical_lines(self):
        _, found, _ = check_json(BROKEN)
        control = [f for f in found if f["rule"] == "control-value"][0]
        self.assertEqual((control["record"], control["line"]), (2, 3))

    def test_json_summary_counts_what_the_upload_would_do(self):
        _, _, summary = check_json(BROKEN)
        for key, value in (("records", 9), ("create", 2), ("update", 5), ("delete", 1), ("errors", 13), ("warnings", 2),
                           ("profile", "kaiin"), ("encoding", "cp932")):
            self.assertEqual(summary[key], value, key)
        _, _, summary = check_json(UPLOAD)
        self.assertEqual([summary[k] for k in ("records", "create", "update", "delete", "errors", "warnings")],
                         [16, 8, 8, 0, 0, 0])
        _, _, summary = check_json("-", stdin=member_csv(dele("10001"), dele("10002"), dele("10003")))
        self.assertEqual([summary[k] for k in ("create", "update", "delete")], [0, 0, 3])

    def assertCsvReportMatchesJson(self, *args, stdin=None):
        r = run("kaiin-check", *TODAY, "--report", "csv", *args, stdin=stdin)
        self.assertEqual(r.code, 1, r)
        text = r.out.decode("utf-8", "replace")
        self.assertTrue(text.startswith("\ufefffile,record,line,column,severity,rule,message\r\n"), text[:80])
        self.assertNotIn("\ufffd", text, "the report is not UTF-8")
        rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        _, found, _ = check_json(*args, stdin=stdin)
        self.assertEqual(rows[1:], [[f["file"], str(f["record"]), str(f["line"]), f["column"] or "", f["severity"],
                                     f["rule"], f["message"]] for f in found])
        self.assertNotIn("\n", text.replace("\r\n", ""))  # CRLF, as Excel writes

    def test_csv_report_has_the_same_columns_and_opens_in_excel(self):
        data = member_csv(new(control="N", cus_memo='say "hi", then\nleave'), upd(cus_zip="bad", cus_sex="3"),
                          new(cus_email="hina@example.com", cus_last_kana="ｲﾉｳｴ"), dele("10009"))
        self.assertCsvReportMatchesJson("-", stdin=data)

    def test_csv_report_names_long_column_names_as_json_does(self):
        # Regression: in --report csv the column cell of a finding on a header name longer
        # than 15 bytes ('cus_mobile_email', 'メルマガ受信可否') is garbage memory, a
        # different 16 or so bytes each run (e.g. b'\xec0;W\x05\x00\x00\x00\x0e\xb1...'),
        # so the report is not even UTF-8; text and JSON reports name it right.
        self.assertCsvReportMatchesJson(BROKEN)  # email-duplicate on cus_mobile_email, line 7
        data = ("コントロールカラム,会員ID,メールアドレス1,パスワード,パスワード暗号化済み,メルマガ受信可否\n"
                "n,,a@example.com,pass1234,0,2\n").encode()
        self.assertCsvReportMatchesJson("-", stdin=data)

    def test_text_report_form_and_a_summary_line_last(self):
        r = run("kaiin-check", *TODAY, BROKEN)
        lines = r.out.decode().splitlines()
        self.assertEqual(len(lines), 16)
        for line in lines[:-1]:
            self.assertRegex(line, r"^.+:\d+: (error|warning): .+ \[[a-z-]+\]$")
        self.assertRegex(lines[-1], r"^kaiin-check: summary: files .*records 9, create 2, update 5, delete 1, "
                                    r"errors 13, warnings 2$")
        self.assertEqual(r.err, "")

    def test_text_report_shows_the_first_findings_of_a_rule_then_one_line_with_the_rest(self):
        # Regression: staff read 1,000,000 lines of the same error. A person's report
        # shows ten and one line with how many more and where; JSON, CSV and --all list each.
        rows = [upd(cus_id=str(20000 + i), cus_email=f"u{i}@example.com", cus_zip="bad") for i in range(40)]
        rows[5]["cus_tel"] = "x"
        data = member_csv(*rows)
        r = run("kaiin-check", *TODAY, "-", stdin=data)
        self.assertEqual(r.code, 1, r)
        lines = r.out.decode().splitlines()
        self.assertEqual([l for l in lines if l.startswith("<stdin>:") and "[zip-format]" in l][:10],
                         [f"<stdin>:{n}: error: cus_zip: zip code 'bad' is not 123-4567 or 1234567 in half-width "
                          "digits [zip-format]" for n in range(2, 12)])
        self.assertIn("<stdin>: error: 30 more in column 'cus_zip' on lines 12-41 (--all or --report json lists "
                      "each) [zip-format]", lines)
        self.assertIn("<stdin>:7: error: cus_tel: telephone number 'x' must be half-width digits and hyphens "
                      "[tel-format]", lines)
        self.assertTrue(lines[-1].endswith("errors 41, warnings 0"), lines[-1])  # every finding counts
        self.assertEqual(len(lines), 13)
        every = run("kaiin-check", *TODAY, "--all", "-", stdin=data).out.decode().splitlines()
        self.assertEqual(len(every), 42)
        self.assertNotIn("more", "\n".join(every))
        _, found, _ = check_json("-", stdin=data)
        self.assertEqual(len(found), 41)
        report = run("kaiin-check", *TODAY, "--report", "csv", "-", stdin=data).out.decode("utf-8-sig")
        self.assertEqual(len(list(csv.reader(io.StringIO(report)))), 42)

    def test_quiet_text_report_shows_errors_only(self):
        r = run("kaiin-check", *TODAY, "-q", BROKEN)
        self.assertEqual(r.code, 1, r)
        out = r.out.decode()
        self.assertEqual(out.count(": error: "), 13)
        self.assertNotIn(": warning: ", out)
        self.assertNotIn("summary", out + r.err)

    def test_quiet_clean_run_prints_nothing(self):
        r = run("kaiin-check", *TODAY, "-q", FIXED)
        self.assertEqual((r.code, r.out, r.err), (0, b"", ""))


class OutputFile(TempDirTest):
    def test_report_written_to_the_file_not_stdout(self):
        out = self.path("report.jsonl")
        r = run("kaiin-check", *TODAY, "--report", "json", "-o", out, BROKEN)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, b"")
        self.assertEqual(read(out), run("kaiin-check", *TODAY, "--report", "json", BROKEN).out)
        self.assertEqual(self.files(), ["report.jsonl"])  # no temporary file left

    def test_text_report_file_holds_the_summary(self):
        out = self.path("report.txt")
        r = run("kaiin-check", *TODAY, "-o", out, BROKEN)
        self.assertEqual(r.code, 1, r)
        text = read(out).decode()
        self.assertIn("[control-value]", text)
        self.assertIn("records 9, create 2, update 5, delete 1", text)

    def test_csv_report_file_has_a_bom(self):
        out = self.path("report.csv")
        run("kaiin-check", *TODAY, "--report", "csv", "-o", out, BROKEN)
        self.assertTrue(read(out).startswith(b"\xef\xbb\xbffile,record,line,"))

    def test_old_report_is_replaced_by_renaming_not_rewritten_in_place(self):
        out = write(self.path("report.jsonl"), b"old report\n")
        os.link(out, self.path("old-link"))
        r = run("kaiin-check", *TODAY, "--report", "json", "-o", out, BROKEN)
        self.assertEqual(r.code, 1, r)
        self.assertIn(b'"rule":"control-value"', read(out))
        self.assertEqual(read(self.path("old-link")), b"old report\n")  # the old inode was not written
        self.assertEqual(self.files(), ["old-link", "report.jsonl"])

    def test_run_failing_with_exit_2_leaves_the_old_report(self):
        out = write(self.path("report.txt"), b"old report\n")
        r = run("kaiin-check", *TODAY, "-o", out, self.path("missing.csv"))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(read(out), b"old report\n")
        self.assertEqual(self.files(), ["report.txt"])

    def test_unwritable_report_folder_is_exit_2_naming_it(self):
        r = run("kaiin-check", *TODAY, "-o", "/nonexistent/report.txt", UPLOAD)
        self.assertEqual(r.code, 2, r)
        self.assertIn("/nonexistent/report.txt", r.err)

    def test_report_over_the_input_is_refused_and_the_input_untouched(self):
        # Regression: `kaiin-check -o upload.csv upload.csv` exits 1 and replaces the member
        # file with the text report; a run must never touch its input (kaiin-conv
        # refuses -o naming its input with exit 2).
        src = write(self.path("upload.csv"), read(BROKEN))
        r = run("kaiin-check", *TODAY, "-o", src, src)
        self.assertEqual(read(src), read(BROKEN))
        self.assertEqual(r.code, 2, r)


class CommandLine(TempDirTest):
    def test_standard_input_is_named_stdin(self):
        r, found, summary = check_json("-", stdin=read(BROKEN))
        self.assertEqual(r.code, 1, r)
        self.assertEqual({f["file"] for f in found}, {"<stdin>"})
        self.assertEqual(summary["encoding"], "cp932")
        r = run("kaiin-check", *TODAY, "-", stdin=read(BROKEN))
        self.assertIn("<stdin>:3: error: control:", r.out.decode())

    def test_missing_file_is_exit_2_naming_it(self):
        missing = self.path("nope.csv")
        r = run("kaiin-check", *TODAY, missing)
        self.assertEqual(r.code, 2, r)
        self.assertIn(f"kaiin-check: error: '{missing}': cannot open: ", r.err)
        r = run("kaiin-check", *TODAY, FIXED, missing)
        self.assertEqual(r.code, 2, r)

    def test_several_files_in_one_run(self):
        r, found, summary = check_json(FIXED, BROKEN)
        self.assertEqual(r.code, 1, r)
        self.assertEqual({f["file"] for f in found}, {BROKEN})
        self.assertEqual(len(found), 15)
        self.assertEqual([summary[k] for k in ("records", "create", "update", "delete", "errors", "warnings")],
                         [16, 5, 9, 1, 13, 2])
        self.assertIn(FIXED, summary["files"])
        self.assertIn(BROKEN, summary["files"])

    def test_summary_names_every_file_checked(self):
        # Regression: a file whose header cannot be used (empty, or no known header) is left
        # out of the summary: `kaiin-check a.csv` with a header 'a,b' prints
        # "summary: files , encoding , profile , records 0, ..." and, with a second
        # clean file, "files clean.csv" only, as if a.csv had not been checked.
        unknown = write(self.path("unknown.csv"), b"a,b\n1,2\n")
        empty = write(self.path("empty.csv"), b"")
        r, found, summary = check_json(unknown, FIXED, empty)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(sorted(f["rule"] for f in found), ["file-empty", "header-unknown-profile"])
        for path in (unknown, FIXED, empty):
            self.assertIn(path, summary["files"])

    def test_clean_files_together_exit_0(self):
        r = run("kaiin-check", *TODAY, FIXED, UPLOAD, FUTURESHOP)
        self.assertEqual(r.code, 0, r)
        self.assertIn("records 28, create 13, update 15, delete 0", r.out.decode())

    def test_each_file_is_a_separate_upload(self):
        deletes = write(self.path("deletes.csv"), member_csv(dele("10009")))
        news = write(self.path("news.csv"), member_csv(new(), upd()))
        again = write(self.path("again.csv"), member_csv(upd()))
        r = run("kaiin-check", *TODAY, deletes, news, again)
        self.assertEqual(r.code, 0, r)  # no mixed delete rows, no member ID twice in a file

    def test_help_says_what_escape_formulas_escapes_once(self):
        # Regression: "write ' before each cell of the --report csv (and of a --report csv)".
        text = run("kaiin-check", "--help").out.decode()
        self.assertIn("write ' before each cell of a --report csv that starts with", text)
        self.assertNotIn("(and of a --report csv)", text)
        self.assertIn("--all", text)

    @unittest.skipUnless(os.path.exists(TOKYO), f"{TOKYO} is not there (../shared/realdata)")
    def test_japan_post_file_without_a_header_is_counted_and_not_checked(self):
        # Japan Post's postal code file has no header: its first row is read as one, no
        # profile knows it, and the summary said "records 0" for its 4,086 other rows.
        r, found, summary = check_json(TOKYO)
        self.assertEqual(r.code, 1, r)
        self.assertEqual([(f["line"], f["rule"]) for f in found], [(1, "header-unknown-profile")])
        self.assertEqual((summary["records"], summary["not_checked"], summary["encoding"]), (4086, TOKYO, "cp932"))

    def test_bad_today_is_exit_2(self):
        for value in ("2026-13-01", "2026-02-30", "tomorrow"):
            with self.subTest(value=value):
                r = run("kaiin-check", "--today", value, FIXED)
                self.assertEqual(r.code, 2, r)
                self.assertIn("--today", r.err)
                self.assertEqual(r.out, b"")

    def test_max_errors_stops_after_n_errors(self):
        r, found, _ = check_json("--max-errors", "3", BROKEN)
        self.assertEqual(r.code, 1, r)
        errors = [f for f in found if f["severity"] == "error"]
        self.assertEqual([(f["line"], f["rule"]) for f in errors],
                         [(3, "control-value"), (4, "password-new-encrypted"), (5, "password-double-encryption")])
        r = run("kaiin-check", *TODAY, "--max-errors", "3", BROKEN)
        self.assertEqual((r.code, r.out.decode().count(": error: ")), (1, 3))
        r, found, _ = check_json("--max-errors", "0", BROKEN)
        self.assertEqual(sum(f["severity"] == "error" for f in found), 13)

    def test_bad_option_values_are_usage_errors(self):
        for args in (("--report", "xml"), ("--max-errors", "x"), ("-f", "latin1")):
            with self.subTest(args=args):
                r = run("kaiin-check", *args, FIXED)
                self.assertEqual(r.code, 2, r)
        r = run("kaiin-check")
        self.assertEqual(r.code, 2, r)
        self.assertIn("FILE", r.err)

    def test_input_never_touched(self):
        before = read(BROKEN)
        run("kaiin-check", *TODAY, "--report", "json", "-o", self.path("r.jsonl"), BROKEN)
        self.assertEqual(read(BROKEN), before)


if __name__ == "__main__":
    unittest.main()
