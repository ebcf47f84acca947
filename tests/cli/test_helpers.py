"""The test binaries and helpers themselves: they live in build/tests, not among the
programs, and fail with a message and exit 2 on bad input, never with an abort."""
import os
import subprocess
import unittest

from kaiin_test import BIN, TEST_BIN, TempDirTest, sample, write

DUMP = os.path.join(TEST_BIN, "kaiin-csv-dump")
UNIT = os.path.join(TEST_BIN, "kaiin-unit-tests")


def run(*argv):
    return subprocess.run(list(argv), capture_output=True, env=dict(os.environ, LC_ALL="C.UTF-8"), timeout=120)


class TestBinaries(TempDirTest):
    def test_they_are_built_in_build_tests_not_in_build_bin(self):
        for name in ("kaiin-csv-dump", "kaiin-unit-tests"):
            self.assertTrue(os.access(os.path.join(TEST_BIN, name), os.X_OK), name)
            self.assertFalse(os.path.exists(os.path.join(BIN, name)), f"{name} is among the programs in {BIN}")

    def assert_clean_failure(self, p, *expected):
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 2, err)  # not -6 (SIGABRT)
        self.assertNotIn("terminate called", err)
        for text in expected:
            self.assertIn(text, err)

    def test_csv_dump_names_a_missing_file(self):
        missing = self.path("missing.csv")
        self.assert_clean_failure(run(DUMP, missing),
                                  f"kaiin-csv-dump: error: cannot open '{missing}': No such file or directory")

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



if __name__ == "__main__":
    unittest.main()
