"""kaiin-conv, from the outside: each test is named after the behaviour it pins down."""
import os
import pty
import subprocess
import unittest

from kaiin_test import BIN, SHARED, TempDirTest, iconv, json_report, read, run, sample, write

CP932 = sample("members_cp932.csv")


class Conversion(TempDirTest):
    def test_cp932_to_utf8_matches_iconv_byte_for_byte(self):
        r = run("kaiin-conv", "-t", "utf-8", CP932)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, iconv(read(CP932), "CP932", "UTF-8"))
        self.assertEqual(r.err, "")  # a clean run is silent, like iconv

    def test_round_trip_returns_windows_bytes(self):
        utf8 = run("kaiin-conv", "-t", "utf-8", CP932).out
        back = run("kaiin-conv", "-f", "utf-8", "-t", "cp932", stdin=utf8)
        self.assertEqual(back.code, 0, back)
        self.assertEqual(back.out, read(CP932))

    def test_ibm_extension_kanji_written_as_windows_does(self):
        r = run("kaiin-conv", "-t", "cp932", stdin="髙﨑纊\n".encode())
        self.assertEqual(r.out, b"\xfb\xfc\xfa\xb1\xfa\x5c\n")

    def test_standard_input_and_output(self):
        r = run("kaiin-conv", "-t", "utf-8", "-", stdin=read(CP932))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, iconv(read(CP932), "CP932", "UTF-8"))

    def test_output_file_written_and_input_untouched(self):
        before = read(CP932)
        out = self.path("out.csv")
        r = run("kaiin-conv", "-t", "utf-8", "-o", out, CP932)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(read(out), iconv(before, "CP932", "UTF-8"))
        self.assertEqual(read(CP932), before)
        self.assertEqual(self.files(), ["out.csv"])  # no temporary file left

    def test_bom_input_detected_and_dropped_or_written_on_request(self):
        data = "\ufeffa,b\r\nあ,い\r\n".encode()
        self.assertEqual(run("kaiin-conv", "-t", "utf-8", stdin=data).out, "a,b\r\nあ,い\r\n".encode())
        self.assertEqual(run("kaiin-conv", "-t", "utf-8-bom", stdin=data).out, data)
        self.assertEqual(run("kaiin-conv", "-t", "cp932", stdin=data).out, "a,b\r\nあ,い\r\n".encode("cp932"))

    def test_crlf_kept_and_newline_option_changes_only_record_ends(self):
        data = b'a,b\r\n"x\r\ny",1\r\n"p\nq",2\n3,4'
        self.assertEqual(run("kaiin-conv", "-t", "utf-8", stdin=data).out, data)
        lf = run("kaiin-conv", "-t", "utf-8", "--newline", "lf", stdin=data).out
        self.assertEqual(lf, b'a,b\n"x\r\ny",1\n"p\nq",2\n3,4')
        crlf = run("kaiin-conv", "-t", "utf-8", "--newline", "crlf", stdin=data).out
        self.assertEqual(crlf, b'a,b\r\n"x\r\ny",1\r\n"p\nq",2\r\n3,4')

    def test_quoting_is_carried_over_as_written(self):
        data = b'"a","b"\n"1",2\n'
        self.assertEqual(run("kaiin-conv", "-t", "cp932", stdin=data).out, data)

    def test_empty_input_is_a_problem_of_the_data_and_nothing_is_written(self):
        r = run("kaiin-conv", "-t", "cp932", stdin=b"")
        self.assertEqual((r.code, r.out), (1, b""))
        self.assertIn("<stdin>:1: error: the file is empty: a header is missing [file-empty]", r.err)

    def test_pipe_input_with_late_non_utf8_is_cp932(self):
        # Valid UTF-8 for the first megabytes does not decide: the whole input does.
        data = b"a,b\n" + b"x,y\n" * 500000 + "ﾃｽﾄ,テスト\n".encode("cp932")
        r = run("kaiin-conv", "-t", "utf-8", stdin=data)
        self.assertEqual(r.code, 0, r)
        self.assertTrue(r.out.endswith("ﾃｽﾄ,テスト\n".encode()))


class Errors(TempDirTest):
    def assert_no_output(self, r, out):
        self.assertEqual(r.code, 1, r)
        self.assertFalse(os.path.exists(out), "an output file was left after a failure")
        self.assertEqual([f for f in self.files() if f.startswith(".")], [], "temporary file left")

    def test_every_unmappable_character_reported_with_line_and_code_point(self):
        src = write(self.path("in.csv"), "名前,メモ\n𠮷田,ok\n佐藤,😀 and é\n")
        out = self.path("out.csv")
        r = run("kaiin-conv", "-t", "cp932", "-o", out, src)
        self.assert_no_output(r, out)
        self.assertIn(f"{src}:2: error: U+20BB7", r.err)
        self.assertIn(f"{src}:3: error: U+1F600", r.err)
        self.assertIn("U+00E9", r.err)
        self.assertIn("in '名前'", r.err)
        self.assertIn("[encoding-unmappable]", r.err)
        self.assertEqual(r.err.count("error: U+"), 3)

    def test_wave_dash_without_fold_suggests_fold(self):
        r = run("kaiin-conv", "-t", "cp932", sample("members_mac.csv"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("U+301C WAVE DASH", r.err)
        self.assertIn("--fold", r.err)
        self.assertEqual(r.out, b"")

    def test_fold_writes_windows_characters_and_counts_them(self):
        r = run("kaiin-conv", "-t", "cp932", "--fold", sample("members_mac.csv"))
        self.assertEqual(r.code, 0, r)
        text = r.out.decode("cp932")
        self.assertIn("コーポ～ひだまり～B棟", text)
        self.assertIn("－300円", text)
        self.assertIn("∥重要∥", text)
        self.assertIn("―担当", text)
        self.assertIn("folded U+301C 3", r.err)
        self.assertIn("folded U+2016 2", r.err)

    def test_fold_writes_the_yen_and_overline_of_a_mac_jis_keyboard_as_5c_and_7e(self):
        # Spec §2: U+00A5 ¥ -> 0x5C (which Japanese Windows shows as ¥) and U+203E ‾ -> 0x7E,
        # counted by character in the summary.
        data = "name,memo\n山田,価格¥1000 ¥500\n佐藤,a‾b\n".encode()
        r = run("kaiin-conv", "-t", "cp932", "--fold", stdin=data)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "name,memo\n山田,価格\\1000 \\500\n佐藤,a~b\n".encode("cp932"))
        self.assertIn("folded U+00A5 2", r.err)
        self.assertIn("folded U+203E 1", r.err)
        r = run("kaiin-conv", "-t", "cp932", "--report", "json", "--fold", stdin=data)
        summary = json_report(r.err).summary
        self.assertEqual((summary["folded U+00A5"], summary["folded U+203E"]), (2, 1))

    def test_an_empty_first_line_is_one_error_not_one_a_record(self):
        # Regression: "the record has 2 fields, the header has 1" on every line.
        r = run("kaiin-conv", "-t", "utf-8", stdin=b"\na,b\n1,2\n3,4\n")
        self.assertEqual(r.code, 1, r)
        self.assertEqual([l for l in r.err.splitlines() if ": error: " in l],
                         ["<stdin>:1: error: the first line is empty where the header (the column names) should be: "
                          "remove the empty line above the header [csv-header-empty]"])
        self.assertEqual(r.out, b"")

    def test_yen_sign_without_fold_says_what_fold_writes(self):
        r = run("kaiin-conv", "-t", "cp932", stdin="name\n¥1000\n".encode())
        self.assertEqual(r.code, 1, r)
        self.assertIn("U+00A5 YEN SIGN '¥' has no CP932 code", r.err)
        self.assertIn("a Mac JIS keyboard types it, where Windows has the byte 5C ('\\', which Japanese Windows shows "
                      "as ¥): --fold writes that", r.err)
        self.assertEqual(r.out, b"")

    def test_replace_file_names_the_characters_to_write_instead(self):
        r = run("kaiin-conv", "-t", "cp932", "--replace", sample("replace.csv"), sample("members_gaiji.csv"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("吉田", r.out.decode("cp932"))
        self.assertIn("replaced U+20BB7 1", r.err)

    def test_replacement_that_cp932_cannot_hold_is_refused(self):
        rep = write(self.path("rep.csv"), "𠮷,😀\n")
        r = run("kaiin-conv", "-t", "cp932", "--replace", rep, sample("members_gaiji.csv"))
        self.assertEqual(r.code, 2, r)
        self.assertIn("has no CP932 code", r.err)

    def test_bad_replace_file_names_its_line(self):
        rep = write(self.path("rep.csv"), "from,to\n𠮷,吉\nab,c\n")
        r = run("kaiin-conv", "-t", "cp932", "--replace", rep, sample("members_gaiji.csv"))
        self.assertEqual(r.code, 2, r)
        self.assertIn(f"'{rep}':3:", r.err)

    def test_every_invalid_cp932_byte_reported_with_position(self):
        src = write(self.path("in.csv"), b"a,b\r\n\x82\xa0,\x80\r\nx,\xff\xfe\r\n")
        out = self.path("out.csv")
        r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", "-o", out, src)
        self.assert_no_output(r, out)
        self.assertIn(f"{src}:2: error: bytes 80 are not valid CP932 (in 'b': line 2, column 3, byte offset 8)", r.err)
        self.assertIn(f"{src}:3: error: bytes FF", r.err)
        self.assertEqual(r.err.count("[encoding-invalid]"), 3)

    def test_a_bad_byte_in_the_header_is_one_finding(self):
        # Reported as the header is read, not once more as it is converted.
        for to in ("utf-8", "cp932"):
            with self.subTest(to=to):
                r = run("kaiin-conv", "-t", to, stdin=b"control,cus_e\x80mail\r\nn,a@example.jp\r\n")
                self.assertEqual(r.code, 1, r)
                self.assertEqual(r.err.count("[encoding-invalid]"), 1, r.err)
                self.assertIn("<stdin>:1: error: bytes 80 are not valid CP932", r.err)
                self.assertIn("errors 1,", r.err)
        r = run("kaiin-conv", "-t", "utf-8", stdin="a,b\xf0\x40\r\nx,y\r\n".encode("latin-1"))  # 外字: one warning
        self.assertEqual(r.err.count("[encoding-eudc]"), 1, r.err)

    def test_input_neither_utf8_nor_cp932_names_first_bad_byte(self):
        r = run("kaiin-conv", "-t", "utf-8", stdin=b"a,b\nok,\xa0\n")
        self.assertEqual(r.code, 1, r)
        self.assertIn("<stdin>:2: error: bytes A0 are not valid CP932", r.err)
        self.assertIn("not UTF-8 either (first bad UTF-8 byte at line 2, column 4", r.err)

    def test_unterminated_quote_names_the_line_where_it_opened(self):
        src = write(self.path("in.csv"), 'a,b\n1,2\n3,"open\n4,5\n6,7\n')
        r = run("kaiin-conv", "-t", "cp932", src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{src}:3: error: a quote opened in column 'b' on this line is never closed", r.err)
        self.assertIn("[csv-unterminated-quote]", r.err)
        self.assertEqual(r.out, b"")

    def test_ragged_record_and_bare_quote_are_errors(self):
        r = run("kaiin-conv", "-t", "utf-8", stdin=b'a,b\n1,2,3\nx"y,2\n')
        self.assertEqual(r.code, 1, r)
        self.assertIn("<stdin>:2: error: the record has 3 fields, the header has 2 [csv-field-count]", r.err)
        self.assertIn("<stdin>:3: error: a quote inside an unquoted value in column 'a', character 2 of the line ('x\"y')", r.err)

    def test_failed_run_leaves_old_target_untouched(self):
        out = write(self.path("out.csv"), b"old contents\n")
        r = run("kaiin-conv", "-t", "cp932", "-o", out, sample("members_mac.csv"))
        self.assertEqual(r.code, 1, r)
        self.assertEqual(read(out), b"old contents\n")
        self.assertEqual(self.files(), ["out.csv"])

    def test_failed_run_into_redirected_stdout_leaves_it_empty(self):
        out = self.path("redirected.csv")
        with open(out, "wb") as f:
            code = subprocess.run([os.path.join(BIN, "kaiin-conv"), "-t", "cp932", sample("members_mac.csv")],
                                  stdout=f, stderr=subprocess.DEVNULL).returncode
        self.assertEqual(code, 1)
        self.assertEqual(read(out), b"")

    def test_eudc_is_a_warning_and_converted(self):
        r = run("kaiin-conv", "-t", "utf-8", stdin=b"a\n\xf0\x40\n")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, "a\n\ue000\n".encode())
        self.assertIn("warning: 外字", r.err)
        self.assertIn("[encoding-eudc]", r.err)

    def test_unwritable_output_folder_is_exit_2_naming_it(self):
        r = run("kaiin-conv", "-t", "utf-8", "-o", "/nonexistent/out.csv", CP932)
        self.assertEqual(r.code, 2, r)
        self.assertIn("'/nonexistent/out.csv'", r.err)

    def test_missing_required_option_is_usage_error(self):
        r = run("kaiin-conv", CP932)
        self.assertEqual(r.code, 2, r)
        self.assertIn("--to", r.err)

    def test_max_errors_stops_early(self):
        data = b"a\n" + b"\x80\n" * 50
        r = run("kaiin-conv", "-t", "utf-8", "--max-errors", "3", stdin=data)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.err.count("[encoding-invalid]"), 3)


class Reports(TempDirTest):
    def test_json_report_has_the_spec_keys_and_a_summary_line(self):
        r = run("kaiin-conv", "-t", "cp932", "--report", "json", sample("members_mac.csv"))
        self.assertEqual(r.code, 1, r)
        found, summary = json_report(r.err)
        for f in found:
            self.assertEqual(set(f), {"file", "record", "line", "column", "severity", "rule", "message"})
        self.assertEqual(found[0]["record"], 1)
        self.assertEqual(found[0]["line"], 2)
        self.assertEqual(found[0]["column"], "cus_address2")
        self.assertEqual(summary["errors"], 7)

    def test_csv_report_opens_in_excel(self):
        r = run("kaiin-conv", "-t", "cp932", "--report", "csv", sample("members_mac.csv"))
        lines = r.err.split("\r\n")
        self.assertTrue(lines[0].startswith("\ufefffile,record,line,column,severity,rule,message"))
        self.assertIn("cus_address2,error,encoding-unmappable", lines[1])


LATIN1 = os.path.join(SHARED, "realdata", "files", "rust-csv", "uspop-latin1.csv")


class DetectedEncoding(TempDirTest):
    """Auto-detection is said where a person sees it, and a Latin-1 file that reads as
    CP932 gets a warning (rust-csv's uspop-latin1.csv came out as ﾕakman with exit 0)."""

    def test_writing_a_file_says_which_encoding_was_detected_and_why(self):
        out = self.path("out.csv")
        r = run("kaiin-conv", "-t", "utf-8", "-o", out, sample("members_cp932.csv"))
        self.assertEqual(r.code, 0, r)
        self.assertIn(", from cp932 (detected: not UTF-8 at line 2, column 43), to utf-8,", r.err)
        r = run("kaiin-conv", "-t", "cp932", "-o", out, stdin="a,b\nあ,い\n".encode())
        self.assertIn(", from utf-8 (detected: valid UTF-8), to cp932,", r.err)
        r = run("kaiin-conv", "-t", "cp932", "-o", out, stdin="\ufeffa,b\n".encode())
        self.assertIn(", from utf-8-bom (detected: a UTF-8 BOM), to cp932,", r.err)

    def test_a_forced_encoding_or_a_pipe_to_a_log_stays_silent(self):
        r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", "-o", self.path("out.csv"), sample("members_cp932.csv"))
        self.assertEqual((r.code, r.err), (0, ""))
        r = run("kaiin-conv", "-t", "utf-8", sample("members_cp932.csv"))  # stdout and stderr not terminals
        self.assertEqual((r.code, r.err), (0, ""))

    def test_json_summary_keeps_the_encoding_name_alone(self):
        r = run("kaiin-conv", "-t", "utf-8", "--report", "json", "-o", self.path("out.csv"), sample("members_cp932.csv"))
        self.assertEqual(json_report(r.err).summary["from"], "cp932")

    def test_on_a_terminal_the_detected_encoding_is_said(self):
        leader, follower = pty.openpty()
        try:
            p = subprocess.run([os.path.join(BIN, "kaiin-conv"), "-t", "utf-8", sample("members_cp932.csv")],
                               stdout=subprocess.PIPE, stderr=follower, env=dict(os.environ, LC_ALL="C.UTF-8",
                                                                                 KAIIN_PROGRESS="0"), timeout=60)
            os.close(follower)
            follower = None
            said = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal's other end is closed
                    break
                if not chunk:
                    break
                said += chunk
        finally:
            if follower is not None:
                os.close(follower)
            os.close(leader)
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"from cp932 (detected: not UTF-8 at line 2, column 43)", said)

    def assert_latin1_warning(self, path, line, value, values):
        r = run("kaiin-conv", "-t", "utf-8", "-o", self.path("out.csv"), path)
        self.assertEqual(r.code, 0, r)  # a warning: the file is written, and the user told
        warnings = [l for l in r.err.splitlines() if "[encoding-maybe-latin1]" in l]
        self.assertEqual(len(warnings), 1, r.err)
        self.assertTrue(warnings[0].startswith(f"{path}:{line}: warning: a half-width katakana alone beside Latin "
                                               f"letters ('{value}', in "), warnings[0])
        self.assertIn(f"{values}): the file may be ISO-8859-1 or Windows-1252 text, read as CP932", warnings[0])
        self.assertIn("iconv -f WINDOWS-1252 -t UTF-8", warnings[0])
        r = run("kaiin-conv", "-t", "utf-8", "--report", "json", "-o", self.path("out.csv"), path)
        found = json_report(r.err).findings
        self.assertEqual([(f["line"], f["severity"], f["rule"]) for f in found], [(line, "warning", "encoding-maybe-latin1")])

    def test_latin1_read_as_cp932_is_a_warning_with_its_place(self):
        data = "city,state\nBoston,MA\n".encode() + b"\xd5akman,AL\nM\xdcNCHEN,BY\nS\xc3O PAULO,SP\n"
        path = write(self.path("latin1.csv"), data)
        self.assert_latin1_warning(path, 3, "ﾕakman", "3 values like it")

    def test_latin1_warning_only_when_cp932_was_detected(self):
        data = b"city\n\xd5akman\n"
        r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", stdin=data)
        self.assertEqual((r.code, r.err), (0, ""))  # the user said it is CP932
        r = run("kaiin-conv", "-t", "utf-8", sample("members_cp932.csv"))  # Japanese with half-width kana
        self.assertEqual((r.code, r.err), (0, ""))

    @unittest.skipUnless(os.path.exists(LATIN1), f"{LATIN1} is not there (../shared/realdata)")
    def test_rust_csv_uspop_latin1(self):
        self.assert_latin1_warning(LATIN1, 4, "ﾕakman", "1 value like it")


def big_cp932(rows, bad=()):
    """A CP932 member list of ROWS records and over a megabyte, so that kaiin-conv reads
    it on a thread of its own; the records numbered in BAD hold an invalid byte (80) in
    their memo's second line (each record is two lines: the memo holds a newline)."""
    lines = ["id,name,memo"]
    for i in range(1, rows + 1):
        second = "bad \x80 here" if i in bad else "２行目"
        lines.append(f'{i},山田 太郎 ヤマダ タロウ 大阪府大阪市北区梅田1-1,"メモ\r\n{second}"')
    data = ("\r\n".join(lines) + "\r\n").encode("cp932", errors="surrogateescape")
    return data.replace(b"\\x80", b"\x80")


class BigFiles(TempDirTest):
    """Files over a megabyte, which kaiin-conv reads on a thread of its own."""

    def test_a_big_file_through_a_pipe_matches_iconv(self):
        data = big_cp932(30000)
        self.assertGreater(len(data), 1 << 20)  # read on a thread (record_stream.h)
        r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", stdin=data)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, iconv(data, "CP932", "UTF-8"))

    def test_findings_of_a_big_file_come_in_order_with_their_lines_from_a_file_or_a_pipe(self):
        bad = (2, 9000, 9001, 29999)
        data = big_cp932(30000, bad)
        src = write(self.path("in.csv"), data)
        expected = [f"{2 * n}: error: bytes 80 are not valid CP932 (in 'memo': line {2 * n + 1}, column 5" for n in bad]
        for args, name in (((src,), src), ((), "<stdin>")):
            r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", *args, stdin=None if args else data)
            self.assertEqual(r.code, 1, r)
            found = [l[len(name) + 1:l.index(", byte offset")] for l in r.err.splitlines() if "[encoding-invalid]" in l]
            self.assertEqual(found, expected)
            self.assertEqual(r.out, b"")

    def test_a_record_bigger_than_the_output_buffer_is_written_whole(self):
        # Decoded, the memo needs more room than the 1 MiB output buffer holds: it is
        # written from a string of its own, between records decoded in that buffer.
        memo = "会員メモ、長い" * 60000
        data = f'id,memo\r\n1,"{memo}"\r\n2,短い\r\n'.encode("cp932")
        self.assertGreater(3 * len(memo.encode("cp932")), 1 << 20)
        src = write(self.path("in.csv"), data)
        r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", src)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, iconv(data, "CP932", "UTF-8"))

    def test_an_error_late_in_a_big_file_leaves_no_output_file(self):
        src = write(self.path("in.csv"), big_cp932(30000, (29999,)))
        out = self.path("out.csv")
        r = run("kaiin-conv", "-f", "cp932", "-t", "utf-8", "-o", out, src)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(self.files(), ["in.csv"])  # neither the output nor a temporary file
        self.assertIn(f"{src}:59998: error: bytes 80", r.err)


class Pipes(unittest.TestCase):
    def test_broken_pipe_is_quiet(self):
        big = b"a,b\n" + b"x,y\n" * 300000
        p = subprocess.run(f"'{BIN}/kaiin-conv' -t utf-8 | head -c 10 >/dev/null", shell=True,
                           input=big, capture_output=True)
        self.assertEqual(p.stderr, b"")


if __name__ == "__main__":
    unittest.main()
