"""The test binaries and helpers themselves: they live in build/tests, not among the
programs, and fail with a message and exit 2 on bad input, never with an abort;
run_suite.py makes CTest show a suite whose every test was skipped as skipped."""
import json
import os
import re
import subprocess
import sys
import unittest

import run_suite
from kaiin_test import BIN, SOURCE, TEST_BIN, TOOLS, TempDirTest, read, sample, write

DUMP = os.path.join(TEST_BIN, "kaiin-csv-dump")
UNIT = os.path.join(TEST_BIN, "kaiin-unit-tests")


def run(*argv):
    return subprocess.run(list(argv), capture_output=True, env=dict(os.environ, LC_ALL="C.UTF-8"), timeout=120)


class TestBinaries(TempDirTest):
    def test_they_are_built_in_build_tests_not_in_build_bin(self):
        for name in ("kaiin-csv-dump", "kaiin-unit-tests"):
            self.assertTrue(os.access(os.path.join(TEST_BIN, name), os.X_OK), name)
            self.assertFalse(os.path.exists(os.path.join(BIN, name)), f"{name} is among the programs in {BIN}")

    def test_build_bin_holds_the_programs_the_tests_know(self):
        # kaiin_test.TOOLS drives the tests every program must pass: a new program
        # missing from it would escape them.
        self.assertEqual(sorted(os.listdir(BIN)), sorted(TOOLS))

    def assert_clean_failure(self, p, *expected):
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 2, err)  # not -6 (SIGABRT)
        self.assertNotIn("terminate called", err)
        for text in expected:
            self.assertIn(text, err)

    def test_csv_dump_names_a_missing_file(self):
        missing = self.path("missing.csv")
        self.assert_clean_failure(run(DUMP, missing),
                                  f"kaiin-csv-dump: error: '{missing}': cannot open: No such file or directory")

    def test_csv_dump_names_a_folder(self):
        self.assert_clean_failure(run(DUMP, self.dir), f"'{self.dir}'", "directory")

    def test_csv_dump_usage_errors(self):
        self.assert_clean_failure(run(DUMP), "FILE is required")
        self.assert_clean_failure(run(DUMP, sample("upload.csv"), "many"), "CHUNK")
        self.assert_clean_failure(run(DUMP, sample("upload.csv"), "0"), "CHUNK")

    def test_csv_dump_reads_a_file(self):
        path = write(self.path("a.csv"), 'a,b\r\n"x\r\ny",z\r\n')
        p = run(DUMP, path, "3")
        self.assertEqual((p.returncode, p.stderr), (0, b""))
        self.assertEqual(p.stdout, b'["a","b"]\n["x\\r\\ny","z"]\n')

    def test_unit_tests_survive_options_they_do_not_know(self):
        p = run(UNIT, "--no-such-option", "--test-case=no such case")
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertIn(b"test cases: 0", p.stdout.replace(b"  ", b" ").replace(b"  ", b" "))


RUN_SUITE = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "run_suite.py"))

ALL_SKIPPED = """import unittest

@unittest.skipUnless(False, "no ../shared/conformance")
class Suite(unittest.TestCase):
    def test_one(self):
        pass

    def test_two(self):
        pass
"""

SOME_SKIPPED = """import unittest

class Suite(unittest.TestCase):
    def test_runs(self):
        self.assertEqual(1 + 1, 2)

    def test_skips(self):
        self.skipTest("mount -t tmpfs is not allowed here")

    def test_skips_a_subtest(self):
        for i in range(2):
            with self.subTest(i):
                if i:
                    self.skipTest("the second case needs root")
"""

ALL_SUBTESTS_SKIPPED = """import unittest

class Suite(unittest.TestCase):
    def test_only_subtests(self):
        for i in range(2):
            with self.subTest(i):
                self.skipTest("not here")
"""

FAILING = """import unittest

@unittest.skip("not here")
class Skipped(unittest.TestCase):
    def test_skipped(self):
        pass

class Suite(unittest.TestCase):
    def test_fails(self):
        self.assertEqual(1, 2)
"""


class RunSuite(TempDirTest):
    def run_module(self, source):
        write(self.path("test_sample.py"), source)
        log = self.path("skipped")
        p = subprocess.run([sys.executable, RUN_SUITE, "test_sample"], capture_output=True, timeout=120,
                           env=dict(os.environ, PYTHONPATH=self.dir, KAIIN_SKIP_LOG=log))
        return p, log

    def test_a_suite_whose_every_test_skipped_exits_with_the_skip_code(self):
        p, log = self.run_module(ALL_SKIPPED)
        err = p.stderr.decode()
        self.assertEqual(p.returncode, run_suite.SKIPPED, err)
        self.assertIn("cli_test_sample: every test skipped\n  2 skipped because no ../shared/conformance: "
                      "Suite.test_one, Suite.test_two", err)
        self.assertEqual(read(os.path.join(log, "cli_test_sample.txt")).decode(),
                         "cli_test_sample (all of 2 tests):\n"
                         "  2 skipped because no ../shared/conformance: Suite.test_one, Suite.test_two\n")

    def test_a_suite_with_some_tests_skipped_passes_and_says_what_it_skipped(self):
        p, log = self.run_module(SOME_SKIPPED)
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("cli_test_sample: some tests skipped\n"
                      "  1 skipped because mount -t tmpfs is not allowed here: Suite.test_skips\n"
                      "  1 skipped because the second case needs root: Suite.test_skips_a_subtest", err)
        p = subprocess.run([sys.executable, RUN_SUITE, "--skipped", log], capture_output=True)
        self.assertEqual(p.stdout.decode(), "\nTests skipped, and why:\ncli_test_sample (some of 3 tests):\n"
                         "  1 skipped because mount -t tmpfs is not allowed here: Suite.test_skips\n"
                         "  1 skipped because the second case needs root: Suite.test_skips_a_subtest\n")

    def test_a_test_whose_subtests_all_skipped_has_still_run(self):
        # Only a test skipped as a whole counts as skipped: this one ran its loop.
        p, _ = self.run_module(ALL_SUBTESTS_SKIPPED)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

    def test_a_failure_fails_whatever_was_skipped(self):
        p, _ = self.run_module(FAILING)
        self.assertEqual(p.returncode, 1, p.stderr.decode())

    def test_a_suite_without_tests_fails(self):
        p, log = self.run_module("import unittest\n")
        self.assertEqual(p.returncode, 1)
        self.assertIn("cli_test_sample: no tests ran", p.stderr.decode())
        self.assertFalse(os.path.exists(log))

    def test_a_clean_run_removes_an_old_skip_list(self):
        _, log = self.run_module(ALL_SKIPPED)
        p, _ = self.run_module("import unittest\nclass T(unittest.TestCase):\n    def test(self):\n        pass\n")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(os.listdir(log), [])

    def test_ctest_runs_every_suite_through_it_and_knows_the_skip_code(self):
        build = os.path.dirname(TEST_BIN)
        p = subprocess.run(["ctest", "--test-dir", build, "--show-only=json-v1"], capture_output=True, check=True)
        tests = {t["name"]: t for t in json.loads(p.stdout)["tests"]}
        suites = sorted(f[:-3] for f in os.listdir(os.path.join(SOURCE, "tests", "cli"))
                        if f.startswith("test_") and f.endswith(".py"))
        for suite in suites:
            with self.subTest(suite):
                test = tests["cli_" + suite]
                self.assertEqual([os.path.realpath(test["command"][1]), test["command"][2]], [RUN_SUITE, suite])
                properties = {p["name"]: p["value"] for p in test["properties"]}
                self.assertEqual(properties.get("SKIP_RETURN_CODE"), run_suite.SKIPPED)

    def test_make_test_prints_the_skip_lists(self):
        with open(os.path.join(SOURCE, "Makefile"), encoding="utf-8") as f:
            recipe = f.read().split("\ntest:", 1)[1].split("\n\n", 1)[0]
        self.assertIn("tests/cli/run_suite.py --skipped $(BUILD)/Testing/skipped", recipe)


class TemporaryFolders(unittest.TestCase):
    def test_the_folder_made_goes_even_when_a_test_moved_self_dir_inside_it(self):
        test = TempDirTest()
        test.setUp()
        made = test.dir
        test.dir = os.path.join(made, "0")  # as test_formulas does, one folder per program
        os.makedirs(test.dir)
        test.tearDown()
        self.assertFalse(os.path.exists(made))


class Readme(unittest.TestCase):
    def test_its_opening_names_every_suite_that_needs_shared(self):
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
            opening = f.read().split("\n| program |", 1)[0]
        self.assertIn("`../shared`", opening)
        self.assertIn("skipped", opening)
        folder = os.path.join(SOURCE, "tests", "cli")
        suites = []
        for name in sorted(os.listdir(folder)):
            if name.startswith("test_") and name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    if re.search(r"^from kaiin_test import .*\bSHARED\b", f.read(), re.M):  # reads ../shared
                        suites.append("cli_" + name[:-3])
        self.assertGreaterEqual(len(suites), 2)
        for suite in suites:
            self.assertIn(f"`{suite}`", opening)


if __name__ == "__main__":
    unittest.main()
