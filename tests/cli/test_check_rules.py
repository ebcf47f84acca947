"""kaiin-check's row rules, from the outside: each test builds a small kaiin-profile
upload from a known-good n or u row with a few fields overridden and checks its
findings (line, column, rule, severity) in the JSON and the text report."""
import os
import unittest

from kaiin_check import TODAY, CheckTest, check_json
from kaiin_csv import GOOD_U, MEMBER_HEADER as HEADER, dele, member_csv, new, upd
from kaiin_test import json_report, read, run


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
                 ("hina@localhost", "has no '.' in its domain 'localhost'"),
                 ("@example.com", "nothing before '@'"),
                 ("hina@-example.com", "starts or ends with '-' ('-example')"),
                 ("hina@exa_mple.com", "the character '_' in its domain"),
                 ("hina@example.com\r\n", "has a line break: write 'hina@example.com'"),
                 ("hina\x07@example.com", "has the control character U+0007"))
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
        self.assertIn("has '山', which an address cannot hold", found[0]["message"])
        self.assertNotIn("write '", found[0]["message"])

    def test_mobile_address_column_is_checked_too(self):
        self.assertFindings(member_csv(new(cus_mobile_email="hina-docomo.ne.jp")),
                            [(2, "cus_mobile_email", "email-syntax")])

    def test_ordinary_addresses_are_accepted(self):
        self.assertClean(member_csv(new(cus_email="hina+shop@mail.example.co.jp"),
                                    new(cus_email="a_b-c.d@example.com", cus_mobile_email="m_1@ezweb.ne.jp")))

    def test_legacy_mobile_addresses_are_warnings(self):
        for value, words in (("yui..sakiyama@docomo.ne.jp", "has '..' before '@'"),
                             ("yui.@docomo.ne.jp", "has a '.' right before '@'"),
                             (".yui@docomo.ne.jp", "starts with '.'")):
            with self.subTest(value=value):
                found = self.assertFindings(member_csv(new(cus_email=value)),
                                            [(2, "cus_email", "email-legacy-mobile")])
                self.assertIn(words + ": an old form of docomo's mobile addresses", found[0]["message"])
        self.assertFindings(member_csv(new(cus_mobile_email="a..b@ezweb.ne.jp")),
                            [(2, "cus_mobile_email", "email-legacy-mobile")])

    def test_the_same_dots_elsewhere_are_warnings_that_do_not_say_mobile(self):
        found = self.assertFindings(member_csv(new(cus_email="yui..sakiyama@example.com")),
                                    [(2, "cus_email", "email-dots")])
        self.assertIn("has '..' before '@': the shops' forms accept it", found[0]["message"])
        self.assertNotIn("mobile", found[0]["message"])

    def test_carrier_domains_are_data_a_user_can_add_to(self):
        # Every email/*.csv of every data folder is read: the shipped list stays.
        folder = self.path("data")
        os.makedirs(os.path.join(folder, "email"))
        with open(os.path.join(folder, "email", "ours.csv"), "w", encoding="utf-8") as f:
            f.write("domain,carrier\nmobile.example.jp,Example Mobile\n")
        env = {"KAIIN_DATADIR": folder}
        for value, words in (("yui.@mobile.example.jp", "an old form of Example Mobile's mobile addresses"),
                             ("yui.@docomo.ne.jp", "an old form of docomo's mobile addresses")):
            with self.subTest(value=value):
                r = run("kaiin-check", *TODAY, "--report", "json", "-", stdin=member_csv(new(cus_email=value)),
                        env=env)
                found, _ = json_report(r.out)
                self.assertEqual([f["rule"] for f in found], ["email-legacy-mobile"])
                self.assertIn(words, found[0]["message"])

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
        for value in ("84-00825", "840-082", "8400-825", "〒840-0825", "840 0825"):
            with self.subTest(value=value):
                self.assertRejected("cus_zip", value, "zip-format", f"zip code '{value}' is not 123-4567 or 1234567")
        self.assertRejected("cus_zip", "８４０－０８２５", "zip-format", "write '840-0825'")
        self.assertAccepted("cus_zip", "840-0825", "8400825", "")

    def test_zip_hint_about_full_width_only_when_there_is_some(self):
        # Regression: a zip code with a trailing half-width space gets "(full-width
        # characters: write '840-0825')" although it holds no full-width character.
        r, found, _ = check_json("-", stdin=member_csv(new(cus_zip="840-0825 ")))
        self.assertEqual([f["rule"] for f in found], ["zip-format"])
        self.assertNotIn("full-width", found[0]["message"])

    def test_prefecture_short_form_gets_the_full_name(self):
        # Each with a zip code and an address of its prefecture: the short form is compared
        # with the zip code's prefecture as written in full, and agrees.
        for short, full, zip_code, address in (("大阪", "大阪府", "530-0001", "大阪市北区梅田1-1"),
                                               ("東京", "東京都", "100-0001", "千代田区千代田1-1"),
                                               ("北海", "北海道", "060-0001", "札幌市中央区北一条西2"),
                                               ("京都", "京都府", "600-8216", "京都市下京区東塩小路町")):
            with self.subTest(short=short):
                found = self.assertFindings(member_csv(new(cus_pref=short, cus_zip=zip_code, cus_address1=address)),
                                            [(2, "cus_pref", "pref-name")])
                self.assertIn(f"prefecture '{short}' must be written in full: '{full}'", found[0]["message"])

    def test_prefecture_that_does_not_exist(self):
        self.assertRejected("cus_pref", "Tokyo", "pref-name", "not one of the 47 prefectures")
        self.assertRejected("cus_pref", "大阪県", "pref-name", "'大阪府'")

    def test_all_47_prefectures_are_accepted(self):
        prefs = ("北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
                 "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 "
                 "大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 "
                 "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県").split()
        self.assertEqual(len(prefs), 47)
        # (Without a zip code: each would be another prefecture's.)
        self.assertClean(member_csv(*(new(cus_pref=p, cus_zip="", cus_email=f"p{i}@example.com")
                                      for i, p in enumerate(prefs))))
        self.assertClean(member_csv(new(cus_pref="", cus_zip="")))  # with a zip code: pref-empty

    def test_birthday_must_be_a_real_date_in_either_form(self):
        for value in ("2001/02/30", "1900-02-29", "2001/13/01", "2001.02.03", "2001/2/3", "20010203", "2001/02-03"):
            with self.subTest(value=value):
                self.assertRejected("cus_birthday", value, "birthday-date", "not a real date written YYYY/MM/DD")
        self.assertAccepted("cus_birthday", "2000-02-29", "2000/02/29", "1980/08/19", "")

    def test_a_birthday_outside_its_era_says_which_day_it_is(self):
        self.assertRejected("cus_birthday", "平成31年5月1日", "birthday-date",
                            "is after 平成 ended on 2019/04/30: that day is 令和元年5月1日, 2019/05/01")
        self.assertRejected("cus_birthday", "明治5年12月2日", "birthday-date", "old lunisolar calendar")
        self.assertRejected("cus_birthday", "平成三十一年四月三十日", "birthday-date", "write '2019/04/30'")

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
        for value in ("(090)1234-5678", "090 1234 5678", "81+90-1234-5678"):
            with self.subTest(value=value):
                self.assertRejected("cus_tel", value, "tel-format", "must be half-width digits and hyphens")
        self.assertRejected("cus_tel", "０９０－１２３４－５６７８", "tel-format", "write '090-1234-5678'")
        # International numbers are taken as written.
        self.assertAccepted("cus_tel", "09012345678", "090-1234-5678", "06-6345-1234", "0120-123-456",
                            "0800-123-4567", "050-1234-5678", "+81-90-1234-5678", "+1-212-555-0100", "")

    def test_telephone_length(self):
        for value, words in (("090-1234-567", "has 10 digits: a number starting with 090 has 11"),
                             ("0800-123-456", "has 10 digits: a number starting with 0800 has 11"),
                             ("06-6345-123", "has 9 digits: a Japanese number has 10 (11 for 070, 080, 090, 050 "
                                             "and 0800)"),
                             ("077-1034-0975", "has 11 digits: a Japanese number has 10"),
                             ("6345-1234", "does not start with 0")):
            with self.subTest(value=value):
                self.assertRejected("cus_tel", value, "tel-length", f"telephone number '{value}' {words}")
        # A full-width number of the wrong length: made half-width, it would still be wrong.
        found = self.assertFindings(member_csv(new(cus_tel="０６－１２３４")), [(2, "cus_tel", "tel-format")])
        self.assertNotIn("write", found[0]["message"])

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

    def test_names_addresses_and_memos_in_cp932_are_checked_as_in_utf8(self):
        # kaiin-check leaves these values as read when they decode without a problem
        # (they are checked for a formula only): the same findings either way.
        data = member_csv(new(cus_last_name="-佐藤", cus_first_name="+一郎", cus_address1="=東京都",
                              cus_address2="-100", cus_memo="@メモ"),
                          new(cus_last_name="ー", cus_address1="＝東京", cus_memo="ﾒﾓ", cus_email="b@example.com"))
        # address1 is decoded (compared with the zip code's city) where the others may not be.
        expected = [(2, "cus_last_name", "excel-formula"), (2, "cus_first_name", "excel-formula"),
                    (2, "cus_address1", "excel-formula"), (2, "cus_address1", "address-city"),
                    (2, "cus_memo", "excel-formula"), (3, "cus_address1", "address-city")]
        self.assertFindings(data, expected)
        self.assertFindings(data.decode().encode("cp932"), expected)

    def test_formula_character_inside_or_full_width_is_fine(self):
        self.assertClean(member_csv(new(cus_memo="a=1"), new(cus_memo="＝1", cus_email="b@example.com")))

    def test_a_signed_number_is_not_a_formula(self):
        self.assertClean(member_csv(new(cus_memo="-100"), new(cus_memo="+1.5", cus_email="b@example.com")))


if __name__ == "__main__":
    unittest.main()
