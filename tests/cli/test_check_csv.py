"""kaiin-check on the file as a whole, from the outside: headers, file-level findings,
CSV structure, encodings (CP932 and UTF-8 giving the same report), and the same
report whether the checker runs on one thread or three."""
import os
import unittest

from kaiin_check import BROKEN, TODAY, UPLOAD, CheckTest, check_json
from kaiin_csv import GOOD_U, MEMBER_HEADER as HEADER, member_csv, new, raw_row, upd
from kaiin_test import TempDirTest, iconv, json_report, read, run, write


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
        found = self.assertFindings(b"", [(1, None, "file-empty")])  # line 1, where the header should be
        self.assertIn("empty", found[0]["message"])
        self.assertFindings(b"\xef\xbb\xbf", [(1, None, "file-empty")])

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
        self.assertIn(f"{path}:1: error: the file is empty", r.out.decode())
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
    findings, summary = json_report(out)
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


if __name__ == "__main__":
    unittest.main()
