"""kaiin-check's reports and command line, from the outside: the text, JSON and CSV
reports, the report file (-o, written atomically), several files in one run,
standard input and the options' errors."""
import csv
import io
import json
import os
import unittest

from kaiin_check import BROKEN, FIXED, FUTURESHOP, TODAY, UPLOAD, check_json
from kaiin_csv import dele, member_csv, new, upd
from kaiin_test import SHARED, TempDirTest, read, run, write

TOKYO = os.path.join(SHARED, "realdata", "files", "japanpost", "hanzo__13TOKYO.CSV")


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
        for key, value in (("records", 9), ("create", 2), ("update", 5), ("delete", 1), ("errors", 13), ("warnings", 3),
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
        self.assertEqual(len(lines), 17)
        for line in lines[:-1]:
            self.assertRegex(line, r"^.+:\d+: (error|warning): .+ \[[a-z-]+\]$")
        self.assertRegex(lines[-1], r"^kaiin-check: summary: files .*records 9, create 2, update 5, delete 1, "
                                    r"errors 13, warnings 3$")
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
        self.assertEqual(len(found), 16)
        self.assertEqual([summary[k] for k in ("records", "create", "update", "delete", "errors", "warnings")],
                         [16, 5, 9, 1, 13, 3])
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
