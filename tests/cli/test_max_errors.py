"""--max-errors N: the programs that check stop reading at the N-th error, say where
they stopped (file and line) in the summary, and exit 1; kaiin-fix and kaiin-find,
which need their whole input, show at most N errors and count the rest."""
import os
import subprocess

from kaiin_csv import MEMBER_HEADER, csv_bytes, new
from kaiin_test import BIN, TempDirTest, json_report, run, write

# A bound only a program that reads an endless input to its end reaches.
ENDLESS = 60

def bad_row(i):
    """A row whose one error is its control value, which is not n, u or d."""
    return ",".join(new(control="x", cus_email=f"x{i}@example.jp").get(h, "") for h in MEMBER_HEADER) + "\n"


BAD_ROW = bad_row(0)


class MaxErrors(TempDirTest):
    def many_errors(self, rows=20_000):
        """A member upload whose every row is an error (a control value that is not n,
        u or d); 20,000 rows are read on a thread of their own."""
        data = (",".join(MEMBER_HEADER) + "\n" + "".join(bad_row(i) for i in range(rows))).encode()
        self.assertTrue(rows < 20_000 or len(data) > 1 << 20)
        return write(self.path("m.csv"), data)

    def test_check_stops_at_the_nth_error_and_says_where(self):
        path = self.many_errors()
        r = run("kaiin-check", "--max-errors", "5", "--report", "json", path)
        self.assertEqual(r.code, 1, r)
        errors, summary = json_report(r.out)
        self.assertEqual([f["line"] for f in errors], [2, 3, 4, 5, 6])
        self.assertEqual(summary["errors"], 5)
        self.assertEqual(summary["stopped_at"], path + ":6")
        self.assertEqual(summary["records"], 5)
        self.assertNotIn("errors_not_shown", summary)
        r = run("kaiin-check", "--max-errors", "5", path)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f", errors 5, warnings 0, stopped at {path}:6 (--max-errors 5)", r.out.decode())

    def test_the_summary_counts_the_rows_up_to_the_stop(self):
        # New members whose one error is their zip code: the rows checked on ahead of
        # the stop (a batch at a time) are not in the summary's counts.
        rows = [new(cus_zip="zip", cus_email=f"n{i}@example.jp") for i in range(20_000)]
        path = write(self.path("n.csv"), csv_bytes(rows, MEMBER_HEADER))
        r = run("kaiin-check", "--max-errors", "5", "--report", "json", path)
        self.assertEqual(r.code, 1, r)
        summary = json_report(r.out).summary
        self.assertEqual((summary["records"], summary["create"], summary["errors"]), (5, 5, 5))

    def test_check_reads_no_further_file(self):
        path = self.many_errors(10)
        other = write(self.path("other.csv"), csv_bytes([new()], MEMBER_HEADER))
        r = run("kaiin-check", "--max-errors", "3", path, other)
        self.assertEqual(r.code, 1, r)
        self.assertNotIn("other.csv", r.out.decode())
        self.assertIn(f"stopped at {path}:4", r.out.decode())

    def endless(self, argv, header, row):
        """ARGV reading HEADER then ROW without end on standard input: it must stop by
        itself."""
        feed = subprocess.Popen(["sh", "-c", 'echo "$0"; yes "$1"', header, row.rstrip("\n")], stdout=subprocess.PIPE)
        try:
            return subprocess.run([os.path.join(BIN, argv[0]), *argv[1:]], stdin=feed.stdout, capture_output=True,
                                  timeout=ENDLESS, env=dict(os.environ, LC_ALL="C.UTF-8"), cwd=self.dir)
        finally:
            feed.kill()
            feed.wait()

    def test_an_endless_input_stops_at_the_nth_error(self):
        # -f utf-8: a pipe is then read as it comes, not copied first to be read twice.
        members = ",".join(MEMBER_HEADER)
        runs = [
            (["kaiin-check", "-f", "utf-8", "--max-errors", "3", "-"], members, BAD_ROW, "stdout"),
            (["kaiin-conv", "-f", "utf-8", "-t", "cp932", "--max-errors", "3", "-o", "out.csv", "-"], "a,b",
             "\u00e9,x", "stderr"),
            (["kaiin-split", "-f", "utf-8", "--by", "action", "-d", "parts", "--prefix", "m", "--max-errors", "3",
              "-"], members, BAD_ROW, "stderr"),
        ]
        for argv, header, row, stream in runs:
            with self.subTest(program=argv[0]):
                p = self.endless(argv, header, row)
                report = (p.stdout if stream == "stdout" else p.stderr).decode()
                self.assertEqual(p.returncode, 1, report)
                self.assertEqual(report.count(": error: "), 3, report)
                self.assertIn("stopped at <stdin>:", report)
                self.assertIn("(--max-errors 3)", report)
        self.assertFalse(os.path.exists(self.path("out.csv")))
        self.assertFalse(os.path.exists(self.path("parts")) and os.listdir(self.path("parts")))

    def test_points_tags_and_crosspoint_stop_too(self):
        points = write(self.path("points.csv"), "member_id,points,reason\n" +
                       "".join(f"{i},abc,x\n" for i in range(100_000)))
        r = run("kaiin-points", "--max-errors", "3", "--report", "json", "check", points)
        self.assertEqual(r.code, 1, r)
        summary = json_report(r.err).summary
        self.assertEqual((summary["errors"], summary["rows"]), (3, 3))
        self.assertEqual(summary["stopped_at"], points + ":4")
        master = write(self.path("tags.csv"), "tag_code,tag_name,tag_group,kind\n" +
                       "".join(f"BAD!{i},n,g,manual\n" for i in range(5000)))
        r = run("kaiin-tags", "--max-errors", "2", "--report", "json", "check", master)
        self.assertEqual(r.code, 1, r)
        summary = json_report(r.err).summary
        self.assertEqual(summary["errors"], 2)
        self.assertEqual(summary["stopped_at"], master + ":3")
        path = self.many_errors(100)
        r = run("kaiin-crosspoint", "--max-errors", "4", "-o", self.path("load.tsv"), path)
        self.assertEqual(r.code, 1, r)
        self.assertIn("stopped at", r.err)
        self.assertEqual(r.err.count(": error: "), 4, r)

    def test_fix_and_find_show_at_most_n_and_read_everything(self):
        r = run("kaiin-fix", "--help")
        self.assertIn("show at most N errors and count the rest; the whole input is still read", r.out.decode())
        r = run("kaiin-find", "--help")
        self.assertIn("show at most N errors and count the rest", r.out.decode())
        for tool in ("kaiin-check", "kaiin-conv", "kaiin-split", "kaiin-crosspoint", "kaiin-points", "kaiin-tags",
                     "kaiin-crm"):
            self.assertIn("stop at the N-th error", run(tool, "--help").out.decode(), tool)
        path = self.many_errors(100)
        r = run("kaiin-fix", "--max-errors", "3", "-o", self.path("fixed.csv"), "--report", "json", path)
        summary = json_report(r.err).summary
        self.assertEqual(summary["errors"], 100)
        self.assertEqual(summary["errors_not_shown"], 97)
        self.assertNotIn("stopped_at", summary)
