"""The conventions every program keeps (the project's guide), tested over each one
in kaiin_test.TOOLS and each subcommand of kaiin-points and kaiin-tags: --version,
a missing input file, a bad option value, `-` for standard input, and an output
path that is one of the inputs. Each program has its minimal valid command line
in RUNS; where one differs from the convention, RUNS says so and why."""
import os
import re
import shutil
import unittest

from kaiin_test import TOOLS, TempDirTest, read, run, sample

TODAY = ("--today", "2026-11-23")


class Run:
    """A program's minimal valid command line. In ARGV, IN is its input file (a copy
    of the sample INPUT) and OUT what it writes (OUT=False: it writes only to
    standard output); CODE is its exit status. BAD is an option with a value it
    refuses, in place of the option's value in ARGV or else put in at index AT, and
    VALID the values its refusal names. LOCK: the cron lock a run takes before it
    reads anything (and leaves, as cron locks are left)."""

    def __init__(self, name, argv, input, bad, valid, at=0, code=0, out=True, lock=None):
        self.name, self.argv, self.input, self.bad, self.valid = name, argv, input, bad, valid
        self.at, self.code, self.out, self.lock = at, code, out, lock
        self.tool = name.split()[0]

    def args(self, input_path, out_path):
        return [input_path if a == "IN" else out_path if a == "OUT" else a for a in self.argv]

    def bad_args(self, input_path, out_path):
        args = self.args(input_path, out_path)
        if self.bad[0] in args:
            i = args.index(self.bad[0])
            return args[:i] + self.bad + args[i + 2:]
        return args[:self.at] + self.bad + args[self.at:]


RUNS = [
    Run("kaiin-check", [*TODAY, "-o", "OUT", "IN"], "upload_fixed.csv", ["--report", "xml"], ["text", "json", "csv"]),
    Run("kaiin-conv", ["-t", "utf-8", "-o", "OUT", "IN"], "members_cp932.csv", ["-t", "latin1"],
        ["utf-8", "utf-8-bom", "cp932"]),
    # Its output is a folder of files (-d): a folder over the input file is the output
    # over an input that is refused. It takes the lock beside the folder before it
    # reads (the lock file stays, by design).
    Run("kaiin-crm", ["--members", "IN", "--orders", sample("crm_orders.csv"), "-d", "OUT"], "crm_members.csv",
        ["--shared-address", "first"], ["error", "keep-latest"], lock="out.lock"),
    Run("kaiin-crosspoint", ["--sanitize", "-o", "OUT", "IN"], "export_for_crosspoint.csv", ["--newline", "cr"],
        ["crlf", "lf"]),
    Run("kaiin-find", ["--members", "IN", "-o", "OUT", "taro.yamada@example.jp"], "crm_members.csv",
        ["--format", "xml"], ["text", "json", "csv"]),
    Run("kaiin-fix", [*TODAY, "-o", "OUT", "IN"], "upload.csv", ["-f", "latin1"], ["auto", "utf-8", "cp932"]),
    # Writes nothing but its report (the summary of a JSON report says what it read).
    Run("kaiin-points check", ["--report", "json", "check", "IN"], "points.csv", ["--report", "xml"],
        ["text", "json", "csv"], out=False),
    Run("kaiin-points diff", ["diff", sample("balances_old.csv"), "IN", "-o", "OUT"], "balances_new.csv",
        ["-t", "latin1"], ["utf-8", "utf-8-bom", "cp932"], at=1),
    Run("kaiin-split", ["--by", "address", "-o", "OUT", "IN"], "upload.csv", ["--by", "lines:5"],
        ["action", "address", "rows:N", "bytes:N"]),
    Run("kaiin-tags check", ["--report", "json", "check", "IN"], "tags.csv", ["--report", "xml"],
        ["text", "json", "csv"], out=False),
    Run("kaiin-tags apply", ["apply", "--rules", sample("tag_rules.csv"), "--members", "IN", *TODAY, "-o", "OUT"],
        "current_export.csv", ["-f", "latin1"], ["auto", "utf-8", "cp932"], at=1, lock="out.lock"),
]


def contents(path):
    """What PATH holds: a file's bytes, a folder's files by name, None when missing."""
    if os.path.isdir(path):
        return {name: read(os.path.join(path, name)) for name in sorted(os.listdir(path))}
    return read(path) if os.path.exists(path) else None


class Conventions(TempDirTest):
    def setUp(self):
        super().setUp()
        self.folder = self.path("work")

    def prepare(self, r):
        """A copy of R's input in a folder of its own, and where R writes."""
        self.reset()
        src = os.path.join(self.folder, r.input)
        shutil.copyfile(sample(r.input), src)
        return src, os.path.join(self.folder, "out") if r.out else None

    def reset(self):
        shutil.rmtree(self.folder, ignore_errors=True)
        os.makedirs(self.folder)

    def written(self, r=None):
        """The files in the work folder, but for R's lock."""
        return [n for n in sorted(os.listdir(self.folder)) if not (r and n == r.lock)]

    def test_the_table_holds_every_program(self):
        self.assertEqual(sorted({r.tool for r in RUNS}), sorted(TOOLS))

    def test_the_minimal_command_lines_run(self):
        # The other tests change one thing of these: each must work as it stands.
        for r in RUNS:
            with self.subTest(r.name):
                src, out = self.prepare(r)
                result = run(r.tool, *r.args(src, out))
                self.assertEqual(result.code, r.code, result)
                self.assertEqual(read(src), read(sample(r.input)))
                if out:
                    self.assertTrue(os.path.exists(out), result)

    def test_version(self):
        for tool in TOOLS:
            with self.subTest(tool):
                r = run(tool, "--version")
                self.assertEqual(r.code, 0, r)
                self.assertRegex(r.out.decode(), r"^" + re.escape(tool) + r" \(kaiin\) \d+\.\d+\.\d+\n$")
                self.assertEqual(r.err, "")

    def test_a_missing_input_file_is_exit_2_naming_it_and_nothing_is_written(self):
        for r in RUNS:
            with self.subTest(r.name):
                self.reset()
                missing = os.path.join(self.folder, "nope.csv")
                result = run(r.tool, *r.args(missing, os.path.join(self.folder, "out")))
                self.assertEqual(result.code, 2, result)
                self.assertIn(f"{r.tool}: error: '{missing}': cannot open: ", result.err)
                self.assertEqual(self.written(r), [])
                self.assertEqual(result.out, b"")

    def test_a_bad_option_value_is_exit_2_naming_the_valid_ones(self):
        for r in RUNS:
            with self.subTest(r.name):
                src, out = self.prepare(r)
                result = run(r.tool, *r.bad_args(src, out))
                self.assertEqual(result.code, 2, result)
                for value in r.valid:
                    self.assertIn(value, result.err)
                self.assertEqual(self.written(r), [r.input])
                self.assertEqual(result.out, b"")

    def test_dash_reads_standard_input(self):
        for r in RUNS:
            with self.subTest(r.name):
                src, out = self.prepare(r)
                from_file = run(r.tool, *r.args(src, out))
                written = contents(out) if out else None
                if out:
                    shutil.rmtree(out) if os.path.isdir(out) else os.remove(out)
                from_stdin = run(r.tool, *r.args("-", out), stdin=read(src))
                # The same result, but for the input's name.
                self.assertEqual(from_stdin.code, from_file.code, from_stdin)
                self.assertEqual(from_stdin.out, from_file.out.replace(src.encode(), b"<stdin>"))
                self.assertEqual(from_stdin.err, from_file.err.replace(src, "<stdin>"))
                named = written.replace(src.encode(), b"<stdin>") if isinstance(written, bytes) else written
                self.assertEqual(contents(out) if out else None, named)
                self.assertTrue(written if out else from_file.err, from_file)  # something was read

    def test_an_output_over_an_input_is_refused_and_the_input_kept(self):
        for r in [r for r in RUNS if r.out]:
            with self.subTest(r.name):
                src, _ = self.prepare(r)
                result = run(r.tool, *r.args(src, src))
                self.assertEqual(result.code, 2, result)
                self.assertEqual(read(src), read(sample(r.input)))
                self.assertEqual(self.written(r), [r.input])


class Numbers(TempDirTest):
    """An option's number below its least says what it must be, in one wording, rather
    than that the value is not of the option's form."""

    CASES = [
        (["kaiin-split", "--by", "rows:0", sample("upload.csv")], "--by rows:N: N must be a whole number of at least 1, "
                                                                  "not '0'"),
        (["kaiin-split", "--by", "bytes:0KB", sample("upload.csv")],
         "--by bytes:N (N may end in KB, MB, KiB or MiB): N must be a whole number of at least 1, not '0KB'"),
        (["kaiin-split", "--by", "rows:-5", sample("upload.csv")], "--by rows:N: N must be a whole number of at least "
                                                                    "1, not '-5'"),
        (["kaiin-points", "diff", "--max-rows", "0", sample("balances_old.csv"), sample("balances_new.csv"), "-o",
          "adjust.csv"], "--max-rows N: N must be a whole number of at least 1, not '0'"),
        (["kaiin-points", "diff", "--max-rows", "-3", sample("balances_old.csv"), sample("balances_new.csv"), "-o",
          "adjust.csv"], "--max-rows N: N must be a whole number of at least 1, not '-3'"),
        (["kaiin-crm", "--wait", "-1", "--members", sample("crm_members.csv"), "--orders", sample("crm_orders.csv"),
          "-d", "crm"], "--wait SECONDS: SECONDS must be a number of at least 0, not '-1'"),
        (["kaiin-tags", "apply", "--wait", "soon", "--rules", sample("tag_rules.csv"), "--members",
          sample("current_export.csv")], "--wait SECONDS: SECONDS must be a number of at least 0, not 'soon'"),
    ]

    def test_a_number_below_its_least_is_a_usage_error_saying_so(self):
        for argv, said in self.CASES:
            with self.subTest(argv=argv[:4]):
                r = run(*argv, cwd=self.dir)
                self.assertEqual(r.code, 2, r)
                self.assertIn(f"{argv[0]}: error: {said}", r.err)
                self.assertNotIn("is not action", r.err)

    def test_the_least_is_allowed(self):
        self.assertEqual(run("kaiin-split", "--by", "rows:1", "-d", self.dir, sample("upload.csv")).code, 0)
        self.assertEqual(len(self.files()), 16)
        r = run("kaiin-points", "diff", "--max-rows", "1", sample("balances_old.csv"), sample("balances_new.csv"), "-o",
                self.path("adjust.csv"))
        self.assertEqual(r.code, 0, r)
        r = run("kaiin-tags", "apply", "--wait", "0", "--rules", sample("tag_rules.csv"), "--members",
                sample("current_export.csv"), "-o", self.path("changes.csv"))
        self.assertEqual(r.code, 0, r)


if __name__ == "__main__":
    unittest.main()
