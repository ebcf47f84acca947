#!/usr/bin/env python3
"""Runs one module of black-box tests for CTest, so that a skip shows.

  run_suite.py MODULE        runs tests/cli/MODULE.py (unittest, verbose) and prints
                             what it skipped and why; exits 0 when it passed, 1 when
                             a test failed (or there was none), SKIPPED when every
                             test was skipped: CTest's SKIP_RETURN_CODE (set in
                             tests/CMakeLists.txt) turns that into "Skipped".
  run_suite.py --skipped DIR prints the skip lists that runs wrote in DIR (make test
                             does, after CTest, which shows no output of a test that
                             passed).

With KAIIN_SKIP_LOG set to a folder, a run writes its skip list there as
cli_MODULE.txt, or removes that file when nothing was skipped."""
import os
import sys
import unittest

SKIPPED = 77  # the exit status of "skipped" in automake's test harness, and here


def whole_test(test):
    """The test a subtest belongs to, or the test itself."""
    return getattr(test, "test_case", test)


def short_name(test):
    """Class.method of a test (the module is the suite's name)."""
    return ".".join(whole_test(test).id().split(".")[-2:])


def skip_lines(result):
    """One line per reason: how many tests it skipped, the reason, which tests
    (the first three)."""
    by_reason = {}
    for test, reason in result.skipped:
        by_reason.setdefault(reason, []).append(short_name(test))
    lines = []
    for reason, names in by_reason.items():
        names = list(dict.fromkeys(names))
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        lines.append(f"{len(names)} skipped because {reason}: {shown}")
    return lines


def run(module):
    suite = unittest.defaultTestLoader.loadTestsFromName(module)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    name = "cli_" + module
    whole_skips = {whole_test(t).id() for t, _ in result.skipped if whole_test(t) is t}
    lines = skip_lines(result)
    all_skipped = result.testsRun > 0 and len(whole_skips) == result.testsRun
    if lines:
        heading = f"{name}: every test skipped" if all_skipped else f"{name}: some tests skipped"
        print("\n".join([heading] + ["  " + line for line in lines]), file=sys.stderr)
    log = os.environ.get("KAIIN_SKIP_LOG")
    if log:
        path = os.path.join(log, name + ".txt")
        if lines:
            os.makedirs(log, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join([f"{name} ({'all' if all_skipped else 'some'} of {result.testsRun} tests):"] +
                                  ["  " + line for line in lines]) + "\n")
        elif os.path.exists(path):
            os.remove(path)
    if not result.wasSuccessful():
        return 1
    if result.testsRun == 0:
        print(f"{name}: no tests ran", file=sys.stderr)
        return 1
    return SKIPPED if all_skipped else 0


def print_skipped(folder):
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    if not names:
        return 0
    print("\nTests skipped, and why:")
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            sys.stdout.write(f.read())
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--skipped":
        return print_skipped(argv[2])
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: run_suite.py MODULE | --skipped DIR", file=sys.stderr)
        return 2
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    return run(argv[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
