"""kaiin-points, from the outside: point CSV rules (spec §7) and snapshot diffs."""
import csv
import glob
import io
import os

from kaiin_csv import MEMBER_HEADER, POINTS_HEADER, csv_bytes, member
from kaiin_test import TempDirTest, json_report, read, run, sample, write

def export(members):
    """A member export: (id, email, point) each."""
    rows = [member(cus_id=i, cus_email=e, cus_point=p) for i, e, p in members]
    return csv_bytes(rows, MEMBER_HEADER, encoding="cp932")


def points_csv(rows, key="member_id", encoding="cp932"):
    return csv_bytes(rows, [key] + POINTS_HEADER[1:], encoding=encoding)


def rows_of(data, encoding="cp932"):
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


class Check(TempDirTest):
    def check(self, rows, *args, key="member_id", encoding="cp932"):
        data = points_csv(rows, key, encoding)
        return run("kaiin-points", "--report", "json", "check", *args, write(self.path("p.csv"), data))

    def rules(self, r):
        return [l for l in r.err.splitlines() if '"rule"' in l]

    def test_clean_sample_passes_and_says_expiry_dates_do_not_change(self):
        r = run("kaiin-points", "check", "--members", sample("current_export.csv"), sample("points.csv"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("expiry dates unchanged", r.err)

    def test_points_must_be_whole_numbers(self):
        r = self.check(["1,1.5,a", "2,abc,b", "3,,c", "4,-100,d", "5,+5,e"])
        self.assertEqual(r.code, 1, r)
        bad = [l for l in self.rules(r) if "points-integer" in l]
        self.assertEqual(len(bad), 3)
        self.assertIn('"line":2', bad[0])
        self.assertIn('"column":"points"', bad[0])

    def test_reason_at_most_200_cp932_bytes_of_cp932_characters(self):
        # UTF-8, since a CP932 file cannot hold the emoji at all
        r = self.check([f"1,10,{'あ' * 100}", f"2,10,{'あ' * 101}", "3,10,絵文字😀"], encoding="utf-8")
        self.assertEqual(r.code, 1, r)
        bad = [l for l in self.rules(r) if "points-reason" in l]
        self.assertEqual(len(bad), 2)
        self.assertIn("202 bytes", bad[0])
        self.assertIn('"line":3', bad[0])
        self.assertIn("CP932 lacks", bad[1])

    def test_a_row_must_name_a_member(self):
        r = self.check([",10,x", "2,10,y"])
        self.assertEqual(r.code, 1, r)
        self.assertIn("points-member", r.err)

    def test_a_row_the_parser_cannot_read_is_reported_and_reading_goes_on(self):
        r = self.check(["1,10,a,extra,more,columns", "2,abc,b"])
        self.assertEqual(r.code, 1, r)
        self.assertIn('"rule":"points-row"', r.err)
        self.assertIn("too many columns", r.err)
        self.assertIn('"rule":"points-integer"', r.err)  # the next row was still read

    def test_several_rows_for_a_member_are_a_warning(self):
        r = self.check(["1,10,a", "2,10,b", "1,5,c"])
        self.assertEqual(r.code, 0, r)
        self.assertIn("member '1' also has a row on line 2", r.err)
        self.assertEqual(r.err.count("points-duplicate-member"), 1)

    def test_members_by_email_are_matched_as_the_spec_compares_addresses(self):
        r = self.check(["Taro@Example.com,10,a", " ｔａｒｏ＠example.com ,5,b", "bad-address,1,c"], key="email")
        self.assertEqual(r.code, 1, r)
        self.assertIn("points-duplicate-member", r.err)
        self.assertIn('"rule":"email-syntax"', r.err)

    def test_unknown_members_with_an_export(self):
        members = write(self.path("m.csv"), export([("1", "a@example.com", "100")]))
        r = self.check(["1,10,a", "9,10,b"], "--members", members)
        self.assertEqual(r.code, 1, r)
        unknown = [l for l in self.rules(r) if "points-unknown-member" in l]
        self.assertEqual(len(unknown), 1)
        self.assertIn("member '9'", unknown[0])

    def test_members_by_email_found_in_the_export(self):
        members = write(self.path("m.csv"), export([("1", "Taro@example.com", "100")]))
        r = self.check(["taro@EXAMPLE.com,10,a"], "--members", members, key="email")
        self.assertEqual(r.code, 0, r)

    def test_a_balance_below_zero_is_an_error_at_the_row_that_takes_it_there(self):
        members = write(self.path("m.csv"), export([("1", "a@example.com", "100"), ("2", "b@example.com", "0")]))
        r = self.check(["1,200,a", "1,-250,b", "2,-1,c", "2,1,d"], "--members", members)
        self.assertEqual(r.code, 0, r)  # 100+200-250 = 50; 0-1+1 = 0: never below at the end
        r = self.check(["1,-150,a", "2,-1,c"], "--members", members)
        self.assertEqual(r.code, 1, r)
        neg = [l for l in self.rules(r) if "points-negative-balance" in l]
        self.assertEqual(len(neg), 2)
        self.assertIn("from 100 to -50", neg[0])
        self.assertIn('"line":2', neg[0])

    def test_a_header_that_is_not_a_point_csv_is_a_problem_of_the_file(self):
        for header, said in [("member_id,email,points,reason", "the header has both member_id and email"),
                             ("id,points,reason", "the header has an unknown column 'id'"),
                             ("points,reason", "there is no member_id or email column"),
                             ("member_id,reason", "there is no points column")]:
            p = write(self.path("p.csv"), header + "\r\n1,x\r\n")
            r = run("kaiin-points", "check", p)
            self.assertEqual(r.code, 1, r)
            self.assertIn(f"{p}:1: error: {said}", r.err)
            self.assertEqual(r.err.count(": error: "), 1, r)

    def test_a_large_point_csv_is_read_to_its_last_row(self):
        # Megabytes, far past the reader's chunks: every row counts, the last one too.
        rows = [f"{i},10,ポイント付与" for i in range(1, 100001)] + ["100001,abc,最後の行"]
        r = self.check(rows)
        self.assertEqual(r.code, 1, r)
        self.assertIn('"line":100002', r.err)  # the bad last row was reached
        self.assertIn('"rows":100001', r.err)

    def raw(self, data):
        """kaiin-points --report json check on a point CSV of these bytes."""
        return run("kaiin-points", "--report", "json", "check",
                   write(self.path("p.csv"), b"member_id,points,reason\r\n" + data))

    def test_a_quoted_newline_is_one_finding_and_the_next_row_is_read(self):
        # fast-cpp-csv-parser read the two halves as two broken rows
        r = self.raw(b'1,10,"two\r\nlines"\r\n2,abc,b\r\n')
        self.assertEqual(r.code, 1, r)
        rows = [l for l in self.rules(r) if "points-row" in l]
        self.assertEqual(len(rows), 1)
        self.assertIn('"line":2', rows[0])
        self.assertIn("line break", rows[0])
        self.assertIn('"line":4', [l for l in self.rules(r) if "points-integer" in l][0])
        self.assertIn('"rows":1', r.err)

    def test_a_nul_byte_is_a_finding_and_the_file_is_read_to_its_end(self):
        # It stopped the whole file before (exit 2), the rows after it unread.
        r = self.raw(b"1,10,a\x00b\r\n2,abc,b\r\n3,5,c\r\n")
        self.assertEqual(r.code, 1, r)
        nul = [l for l in self.rules(r) if "csv-nul-byte" in l]
        self.assertEqual(len(nul), 1)
        self.assertIn('"line":2', nul[0])
        self.assertIn('"line":3', [l for l in self.rules(r) if "points-integer" in l][0])
        self.assertIn('"rows":2', r.err)

    def test_a_byte_cp932_lacks_is_a_finding_and_the_file_is_read_to_its_end(self):
        r = self.raw("1,10,ポイント\r\n".encode("cp932") + b"2,5,\x82\r\n3,abc,c\r\n")
        self.assertEqual(r.code, 1, r)
        bad = [l for l in self.rules(r) if "encoding-invalid" in l]
        self.assertEqual(len(bad), 1)
        self.assertIn('"line":3', bad[0])
        self.assertIn('"line":4', [l for l in self.rules(r) if "points-integer" in l][0])

    def test_too_few_columns_and_an_empty_line_are_rows_the_parser_cannot_read(self):
        r = self.raw(b"1,10\r\n\r\n2,5,b\r\n")
        self.assertEqual(r.code, 1, r)
        rows = [l for l in self.rules(r) if "points-row" in l]
        self.assertEqual(len(rows), 2)
        self.assertTrue(all("too few columns" in l for l in rows))
        self.assertIn('"rows":1', r.err)

    def test_quoted_values_are_read_whole(self):
        r = self.raw(b'"1",10,"a, ""b"""\r\n')
        self.assertEqual(r.code, 0, r)
        self.assertIn('"points_total":"10"', r.err)

    def test_utf8_point_csv_reads_the_same(self):
        data = "member_id,points,reason\n1,10,誕生日\n".encode()
        r = run("kaiin-points", "check", write(self.path("u.csv"), data))
        self.assertEqual(r.code, 0, r)


class Diff(TempDirTest):
    def snapshots(self):
        old = write(self.path("old.csv"), points_csv(["1,100,x", "2,50,x", "3,0,x", "4,10,x"]))
        new = write(self.path("new.csv"), points_csv(["1,150,x", "2,50,x", "3,20,x", "5,7,x"]))
        return old, new

    def test_adjustments_are_new_minus_old_and_members_in_one_snapshot_are_reported(self):
        old, new = self.snapshots()
        out = self.path("adjust.csv")
        r = run("kaiin-points", "diff", old, new, "-o", out)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(rows_of(read(out)), [["member_id", "points", "reason"], ["1", "50", "ポイント調整"],
                                              ["3", "20", "ポイント調整"]])
        self.assertTrue(read(out).endswith(b"\r\n"))
        self.assertIn(f"{new}:5: warning: member '5' is not in", r.err)
        self.assertIn(f"{old}:5: warning: member '4' is not in", r.err)
        self.assertIn("adjustments 2, points total 70, unchanged 1, appeared 1, vanished 1", r.err)

    def test_snapshots_over_a_megabyte_read_on_threads_keep_findings_in_line_order(self):
        # Files of a megabyte or more are read on a reading thread each (smaller ones
        # on the calling thread): what it finds must still come in line order, OLD's
        # before NEW's, batch after batch, with the adjustments of every member.
        n = 90000
        old_rows, new_rows, expected = [], [], []
        for i in range(1, n + 1):
            old_rows.append(f"{i},{'abc' if i % 9973 == 0 else i % 5000},x")
            if i % 9973 == 0:
                expected.append(("old", i + 1, "points-integer"))
        in_old = {i for i in range(1, n + 1) if i % 9973}
        in_new = set()
        for i in range(1, n + 1):
            line = i + 1
            if i % 7919 == 0:
                new_rows.append(f"{n + i},1,x")  # a member OLD lacks
                expected.append(("new", line, "points-appeared"))
            elif i % 8111 == 0:
                new_rows.append(f"{i},1.5,x")
                expected.append(("new", line, "points-integer"))
            else:
                new_rows.append(f"{i},{(i % 5000) + (i % 3)},x")
                in_new.add(i)
                if i not in in_old:  # its balance in OLD was no number
                    expected.append(("new", line, "points-appeared"))
        # members of OLD that NEW lacks, after NEW's findings
        expected += [("old", i + 1, "points-vanished") for i in sorted(in_old - in_new)]
        old = write(self.path("old.csv"), points_csv(old_rows))
        new = write(self.path("new.csv"), points_csv(new_rows))
        self.assertGreater(os.path.getsize(old), 1 << 20)
        r = run("kaiin-points", "--report", "json", "diff", old, new, "-o", self.path("adjust.csv"))
        self.assertEqual(r.code, 1, r)
        found, summary = json_report(r.err)
        names = {old: "old", new: "new"}
        self.assertEqual([(names[f["file"]], f["line"], f["rule"]) for f in found], expected)
        changed = sum(1 for i in in_old & in_new if i % 3)
        self.assertEqual(summary["adjustments"], changed)

    def test_rows_of_new_taken_while_old_is_read_give_what_a_dictionary_diff_gives(self):
        # The diff takes NEW's rows while OLD is still read, as far as the members of
        # OLD read so far answer them, and holds their findings until OLD's are
        # reported. NEW here follows OLD's order with findings early (a bad balance, a
        # member twice), then names one of OLD's last members (it waits there), has
        # members OLD lacks and members NEW lacks; OLD has a member twice and a bad
        # balance late. Adjustments, in NEW's order, and every finding, in order, must
        # be what a plain dictionary of OLD, built first, gives.
        n = 80000
        old_ids = list(range(1, n + 1)) + [17]  # 17 twice, at the very end: the first wins
        old_rows = [f"{i},{'bad' if i == 60000 else (i * 7) % 3000},x" for i in old_ids]
        new_ids = [i for i in range(1, n + 1) if not 50000 <= i < 50010]  # members NEW lacks
        for at, extra in ((70000, n + 9), (60000, n + 7), (45000, n + 5), (40000, n - 3), (2000, 5)):
            new_ids.insert(at, extra)  # 5 twice; n-3 early (the rows after it wait), and again; OLD lacks n+5..
        new_rows = [f"{i},{'1.5' if 100 <= k < 20100 else (i * 7) % 3000 + (i % 4)},x" for k, i in enumerate(new_ids)]
        old = write(self.path("old.csv"), points_csv(old_rows))
        new = write(self.path("new.csv"), points_csv(new_rows))
        self.assertGreater(os.path.getsize(old), 1 << 20)

        def model(old_rows, new_rows):
            balance, line_of, found = {}, {}, []
            for line, row in enumerate(old_rows, start=2):
                i, points = row.split(",")[:2]
                if not points.lstrip("-").isdigit():
                    found.append(("old", line, "points-integer"))
                elif i in balance:
                    found.append(("old", line, "points-duplicate-member"))
                else:
                    balance[i], line_of[i] = int(points), line
            seen, adjust = set(), []
            for line, row in enumerate(new_rows, start=2):
                i, points = row.split(",")[:2]
                if not points.lstrip("-").isdigit():
                    found.append(("new", line, "points-integer"))
                elif i not in balance:
                    found.append(("new", line, "points-appeared"))
                elif i in seen:
                    found.append(("new", line, "points-duplicate-member"))
                else:
                    seen.add(i)
                    if int(points) != balance[i]:
                        adjust.append([i, str(int(points) - balance[i])])
            found += [("old", line_of[i], "points-vanished") for i in sorted(set(balance) - seen, key=line_of.get)]
            return found, adjust

        expected, adjust = model(old_rows, new_rows)
        self.assertLess(expected.index(("old", n + 2, "points-duplicate-member")), expected.index(("new", 102, "points-integer")))
        out = self.path("adjust.csv")
        r = run("kaiin-points", "--report", "json", "diff", old, new, "-o", out)
        self.assertEqual(r.code, 1, r)  # the errors: nothing is written
        found = json_report(r.err).findings
        names = {old: "old", new: "new"}
        self.assertEqual([(names[f["file"]], f["line"], f["rule"]) for f in found], expected)
        # Without the errors, the same diff writes the adjustments in NEW's order.
        old_rows = [row for row in old_rows[:n] if not row.startswith("60000,")]
        firsts, kept = set(), []
        for i, row in zip(new_ids, new_rows):
            if i not in firsts and "1.5" not in row:
                firsts.add(i)
                kept.append(row)
        expected, adjust = model(old_rows, kept)
        write(self.path("old.csv"), points_csv(old_rows))
        write(self.path("new.csv"), points_csv(kept))
        r = run("kaiin-points", "--report", "json", "diff", old, new, "-o", out)
        self.assertEqual(r.code, 0, r)
        found = json_report(r.err).findings
        self.assertEqual([(names[f["file"]], f["line"], f["rule"]) for f in found], expected)
        self.assertEqual(rows_of(read(out))[1:], [row + ["ポイント調整"] for row in adjust])
        self.assertGreater(len(adjust), 40000)

    def test_both_snapshots_on_standard_input_are_refused(self):
        # Standard input is read once: both snapshots there would leave NEW nothing
        # after OLD (or the two reading it by turns, each a part of the other's rows).
        rows = "".join(f"{i},{i % 5000},x\r\n" for i in range(1, 200001))
        data = ("member_id,points,reason\r\n" + rows).encode()
        r = run("kaiin-points", "diff", "-", "-", "-o", self.path("adjust.csv"), stdin=data)
        self.assertEqual(r.code, 2, r)
        self.assertIn("kaiin-points: error: only one of OLD and NEW can be standard input", r.err)
        self.assertNotIn("warning", r.err)
        self.assertFalse(os.path.exists(self.path("adjust.csv")))

    def test_findings_made_before_a_failure_come_before_its_error(self):
        old = write(self.path("old.csv"), points_csv(["1,abc,x", "2,50,x"]))
        new = write(self.path("new.csv"), "foo,bar\r\n1,2\r\n")
        r = run("kaiin-points", "diff", old, new, "-o", self.path("adjust.csv"))
        self.assertEqual(r.code, 1, r)
        finding = r.err.index(f"{old}:2: error: points: points 'abc' is not a whole number")
        self.assertLess(finding, r.err.index(f"{new}:1: error: there is no member_id column"))
        self.assertFalse(os.path.exists(self.path("adjust.csv")))

    def test_reason_with_a_comma_and_a_quote_is_quoted(self):
        old, new = self.snapshots()
        r = run("kaiin-points", "diff", "--reason", 'ポイント移行, "旧"システム', old, new)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(rows_of(r.out)[1][2], 'ポイント移行, "旧"システム')

    def test_member_exports_as_snapshots(self):
        old = write(self.path("old.csv"), export([("1", "a@example.com", "100"), ("2", "b@example.com", "5")]))
        new = write(self.path("new.csv"), export([("1", "a@example.com", "90"), ("2", "b@example.com", "5")]))
        r = run("kaiin-points", "diff", old, new)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(rows_of(r.out)[1:], [["1", "-10", "ポイント調整"]])

    def test_point_csv_by_email_against_an_export_matches_its_addresses(self):
        old = write(self.path("old.csv"), export([("1", "Taro@example.com", "100")]))
        new = write(self.path("new.csv"), points_csv(["taro@example.com,130,x"], key="email"))
        r = run("kaiin-points", "diff", old, new)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(rows_of(r.out), [["email", "points", "reason"], ["taro@example.com", "30", "ポイント調整"]])

    def test_max_rows_cuts_numbered_files_with_the_header_in_each(self):
        old = write(self.path("old.csv"), points_csv([f"{i},0,x" for i in range(1, 12)]))
        new = write(self.path("new.csv"), points_csv([f"{i},{i},x" for i in range(1, 12)]))
        r = run("kaiin-points", "diff", "--max-rows", "5", old, new, "-o", self.path("out/adjust.csv"))
        self.assertEqual(r.code, 2, r)  # the folder does not exist: nothing is made
        os.mkdir(self.path("out"))
        r = run("kaiin-points", "diff", "--max-rows", "5", old, new, "-o", self.path("out/adjust.csv"))
        self.assertEqual(r.code, 0, r)
        parts = sorted(glob.glob(self.path("out/adjust.*.csv")))
        self.assertEqual([os.path.basename(p) for p in parts], ["adjust.001.csv", "adjust.002.csv", "adjust.003.csv"])
        joined = []
        for p in parts:
            rows = rows_of(read(p))
            self.assertEqual(rows[0], ["member_id", "points", "reason"])
            self.assertLessEqual(len(rows) - 1, 5)
            joined += rows[1:]
        self.assertEqual([x[:2] for x in joined], [[str(i), str(i)] for i in range(1, 12)])

    def test_snapshots_keyed_differently_are_refused(self):
        old = write(self.path("old.csv"), points_csv(["1,100,x"]))
        new = write(self.path("new.csv"), points_csv(["a@example.com,100,x"], key="email"))
        r = run("kaiin-points", "diff", old, new)
        self.assertEqual(r.code, 1, r)  # NEW lacks the member_id column OLD has: a problem of the data
        self.assertIn(f"{new}:1: error: '{old}' names members by member_id", r.err)
        self.assertIn("snapshots must use the same key [header-missing]", r.err)

    def test_max_rows_needs_an_output_name(self):
        old, new = self.snapshots()
        r = run("kaiin-points", "diff", "--max-rows", "5", old, new)
        self.assertEqual(r.code, 2, r)

    def test_a_member_twice_in_a_snapshot_is_an_error_and_nothing_is_written(self):
        old = write(self.path("old.csv"), points_csv(["1,100,x", "1,50,x"]))
        new = write(self.path("new.csv"), points_csv(["1,150,x"]))
        out = self.path("adjust.csv")
        r = run("kaiin-points", "diff", old, new, "-o", out)
        self.assertEqual(r.code, 1, r)
        self.assertFalse(os.path.exists(out))

    def test_a_nul_byte_in_a_snapshot_is_an_error_and_nothing_is_written(self):
        old = write(self.path("old.csv"), b"member_id,points,reason\r\n1,100,x\r\n2,5\x00,x\r\n3,7,x\r\n")
        new = write(self.path("new.csv"), points_csv(["1,150,x", "2,5,x", "3,7,x"]))
        out = self.path("adjust.csv")
        r = run("kaiin-points", "diff", old, new, "-o", out)
        self.assertEqual(r.code, 1, r)
        self.assertIn("[csv-nul-byte]", r.err)
        self.assertIn("adjustments 1", r.err)  # member 1; member 3 read after the NUL, unchanged
        self.assertFalse(os.path.exists(out))

    def test_too_long_a_reason_is_a_usage_error(self):
        old, new = self.snapshots()
        r = run("kaiin-points", "diff", "--reason", "あ" * 101, old, new)
        self.assertEqual(r.code, 2, r)

    def test_utf8_output(self):
        old, new = self.snapshots()
        r = run("kaiin-points", "diff", "-t", "utf-8", old, new)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(rows_of(r.out, "utf-8")[1][2], "ポイント調整")

    def test_a_command_is_required(self):
        r = run("kaiin-points", sample("points.csv"))
        self.assertEqual(r.code, 2, r)


class SharedOptions(TempDirTest):
    """The options both commands share are taken after the command too, as users type them."""

    def test_report_after_the_command(self):
        for args in (["check", sample("points.csv"), "--report", "json"],
                     ["check", "--report", "json", sample("points.csv")],
                     ["--report", "json", "check", sample("points.csv")]):
            with self.subTest(args=args):
                r = run("kaiin-points", *args)
                self.assertEqual(r.code, 0, r)
                self.assertEqual(json_report(r.err).summary["rows"], 3)

    def test_every_shared_option_after_diff(self):
        out = self.path("adjust.csv")
        r = run("kaiin-points", "diff", sample("balances_old.csv"), sample("balances_new.csv"), "-o", out,
                "-f", "cp932", "--profile", "kaiin", "--max-errors", "5", "--all", "-q", "--escape-formulas")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.err, "")  # -q: no summary
        self.assertTrue(os.path.exists(out))
        r = run("kaiin-points", "check", "--list-profiles")
        self.assertEqual((r.code, r.out), (0, run("kaiin-points", "--list-profiles").out))

    def test_the_commands_help_lists_them(self):
        for command in ("check", "diff"):
            text = run("kaiin-points", command, "--help").out.decode()
            for option in ("--report", "--quiet", "--max-errors", "--all", "--escape-formulas", "--from", "--profile"):
                self.assertIn(option, text, command)
