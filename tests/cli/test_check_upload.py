"""kaiin-check before an upload, from the outside: the walkthrough of the samples,
the shop's current member export (--current), its ranks (--ranks) and the member
profiles of other shop systems (--profile)."""
import difflib
import unittest

from kaiin_check import BROKEN, CURRENT, FIXED, FUTURESHOP, RANKS, TODAY, UPLOAD, CheckTest, check_json
from kaiin_csv import dele, member_csv, new, upd
from kaiin_test import TempDirTest, read, run, write


class Walkthrough(TempDirTest):
    EXPECTED = [
        (3, "control", "control-value"),
        (2, "cus_address1", "address-pref-repeated"),
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
        self.assertEqual((summary["errors"], summary["warnings"]), (13, 3))

    def test_broken_upload_text_report_says_what_to_write(self):
        r = run("kaiin-check", *TODAY, BROKEN)
        self.assertEqual(r.code, 1, r)
        out = r.out.decode("utf-8")
        for expected in (
                f"{BROKEN}:2: warning: cus_address1: address '岡山県岡山市北区駅元町1丁目' repeats the prefecture 岡山県",
                "write '岡山市北区駅元町1丁目' [address-pref-repeated]",
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
        self.assertEqual(out.count(": warning: "), 3)
        self.assertTrue(out.endswith("kaiin-check: summary: files " + BROKEN + ", encoding cp932, profile kaiin, "
                                     "records 9, create 2, update 5, delete 1, errors 13, warnings 3\n"), out)
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
        self.assertEqual(changed, {2, 3, 4, 5, 6, 7, 8, 9, 10})


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
                "n,,A@example.com,pass1234,0,,530-0001\n").encode()
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
        aiship = ("コントロールカラム,メールアドレス,郵便番号,都道府県,郡市区,それ以降の住所,電話番号\r\n"
                  "u,a@example.com,530-0001,大阪,大阪市北区,=1,06-0000-0000\r\n")
        r, found, summary = check_json("-", stdin=aiship.encode("cp932"))  # as its upload screen reads it
        self.assertEqual(summary["profile"], "aiship", r)
        # 郡市区 is address1: it starts with the zip code's city.
        self.assertEqual(sorted((f["column"] or "", f["rule"]) for f in found),
                         sorted([("", "header-missing"), ("都道府県", "pref-name"), ("それ以降の住所", "excel-formula")]))

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
                     "n,,a@example.com,pass1234,0,1,５３０-0001,x\n"
                     "n,,a@example.com,pass1234,0,1,530-0001,x\n")
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


if __name__ == "__main__":
    unittest.main()
