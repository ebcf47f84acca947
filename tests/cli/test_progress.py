"""The progress line: drawn on standard error only when that is a terminal (a pty
here), cleared at the end, never in a pipe or in a json report, and it never
changes the data written.

The input comes through a pipe in two halves: the test waits until the line shows
records of the first half, so no timing is guessed."""
import os
import re
import select
import subprocess
import time
import tty
import unittest

from kaiin_csv import csv_bytes
from kaiin_test import BIN, SOURCE, man_text, run

LINE = re.compile(rb"kaiin-conv: (?:[0-9]+%, (?:[0-9:]+ left, )?)?([0-9]+) records, [0-9]+\.[0-9] MB, [0-9]+\.[0-9] MB/s, [0-9]+ records/s")


def members(first, count, bad_every=0):
    """A UTF-8 member CSV; every BAD_EVERY-th row has a character CP932 lacks."""
    rows = []
    for i in range(first, first + count):
        name = "鷗外" if bad_every and i % bad_every == 0 else "山田"
        rows.append(f"{i},{name},user{i}@example.com")
    return csv_bytes(rows, ["cus_id", "cus_last_name", "cus_email"] if first == 1 else None, newline="\n")


FIRST, SECOND = members(1, 20000, 7000), members(20001, 20000)


def screen(raw):
    """The lines a terminal shows for RAW: a CR moves back to the first column and
    what follows overwrites; trailing blanks dropped."""
    lines, line, col = [], [], 0
    for ch in raw.decode("utf-8", "replace"):
        if ch == "\n":
            lines.append("".join(line).rstrip())
            line, col = [], 0
        elif ch == "\r":
            col = 0
        else:
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
    lines.append("".join(line).rstrip())
    return lines


def run_in_halves(args, env, terminal=True, wait=20.0, until_line=True):
    """Runs kaiin-conv ARGS with standard error a pty (or a pipe), feeding FIRST,
    then waiting until a progress line shows records of it (UNTIL_LINE; at most WAIT
    seconds) or WAIT seconds, then feeding SECOND. Returns (exit status, stdout
    bytes, stderr bytes)."""
    full_env = dict(os.environ, LC_ALL="C.UTF-8")
    full_env.pop("KAIIN_PROGRESS", None)
    full_env.update(env)
    if terminal:
        master, slave = os.openpty()
        tty.setraw(slave)  # the bytes exactly as written: no CR added before LF
        err_target = slave
    else:
        err_target = subprocess.PIPE
    proc = subprocess.Popen([os.path.join(BIN, "kaiin-conv"), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=err_target, env=full_env)
    if terminal:
        os.close(slave)
    else:
        master = proc.stderr.fileno()
    err = bytearray()

    def read_some(timeout):
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed the pty
            return False
        err.extend(chunk)
        return bool(chunk)

    # stdout is a pipe: kaiin-conv writes it only when the run is complete.
    proc.stdin.write(FIRST)
    proc.stdin.flush()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        read_some(0.05)
        if until_line and any(int(m.group(1)) > 0 for m in LINE.finditer(err)):
            break
    proc.stdin.write(SECOND)
    proc.stdin.close()
    out = proc.stdout.read()
    while read_some(5):
        pass
    if terminal:
        os.close(master)
    else:
        proc.stderr.close()
    proc.stdout.close()
    proc.wait(timeout=60)
    return proc.returncode, out, bytes(err)


class Progress(unittest.TestCase):
    def plain(self, *args):
        """The same run with every output a pipe."""
        return run("kaiin-conv", *args, stdin=FIRST + SECOND)

    def test_drawn_on_a_terminal_then_cleared_and_the_data_is_unchanged(self):
        args = ["-f", "utf-8", "-t", "utf-8", "-"]
        code, out, err = run_in_halves(args, {"KAIIN_PROGRESS_AFTER": "0"})
        counts = [int(m.group(1)) for m in LINE.finditer(err)]
        self.assertTrue(any(c > 0 for c in counts), err[:500])
        self.assertIn(b"\r", err)
        # Nothing is left on the screen: the last line drawn was blanked.
        self.assertEqual(screen(err), [""], err[-300:])
        plain = self.plain(*args)
        self.assertEqual(code, plain.code)
        self.assertEqual(out, plain.out)
        self.assertEqual(len(out), len(FIRST) + len(SECOND))

    def test_findings_never_share_a_line_with_it(self):
        # 鷗 has no CP932 code: a finding every 7000 rows, written while the line is up.
        args = ["-f", "utf-8", "-t", "cp932", "-"]
        code, out, err = run_in_halves(args, {"KAIIN_PROGRESS_AFTER": "0"})
        self.assertTrue(LINE.search(err), err[:500])
        plain = self.plain(*args)
        self.assertEqual(code, 1)
        self.assertEqual((code, out), (plain.code, plain.out))
        # What the terminal shows is exactly the report of a run without it.
        self.assertEqual(screen(err), plain.err.split("\n"))

    def test_no_progress_bytes_in_a_pipe(self):
        code, out, err = run_in_halves(["-f", "utf-8", "-t", "utf-8", "-"], {"KAIIN_PROGRESS_AFTER": "0"},
                                       terminal=False, wait=1, until_line=False)
        self.assertEqual(code, 0)
        self.assertEqual(err, b"")

    def test_kaiin_progress_0_turns_it_off_on_a_terminal(self):
        # A second of waiting: four redraws, had the line been on.
        code, out, err = run_in_halves(["-f", "utf-8", "-t", "utf-8", "-"],
                                       {"KAIIN_PROGRESS": "0", "KAIIN_PROGRESS_AFTER": "0"}, wait=1, until_line=False)
        self.assertEqual(code, 0)
        self.assertEqual(err, b"")

    def test_kaiin_progress_1_draws_it_in_a_pipe_too(self):
        code, out, err = run_in_halves(["-f", "utf-8", "-t", "utf-8", "-"],
                                       {"KAIIN_PROGRESS": "1", "KAIIN_PROGRESS_AFTER": "0"}, terminal=False)
        self.assertEqual((code, out), (0, FIRST + SECOND))
        self.assertTrue(any(int(m.group(1)) > 0 for m in LINE.finditer(err)), err[:500])
        self.assertEqual(screen(err), [""])

    def test_a_json_report_on_the_terminal_never_contains_it(self):
        args = ["--report", "json", "-f", "utf-8", "-t", "cp932", "-"]
        code, out, err = run_in_halves(args, {"KAIIN_PROGRESS_AFTER": "0"}, wait=1, until_line=False)
        self.assertEqual(code, 1)
        self.assertNotIn(b"\r", err)
        self.assertNotIn(b"records/s", err)
        plain = self.plain(*args)
        self.assertEqual(err.decode(), plain.err)

    def test_a_short_run_shows_nothing(self):
        # The default delay: a run of well under two seconds never draws the line.
        code, out, err = run_in_halves(["-f", "utf-8", "-t", "utf-8", "-"], {}, wait=0.5, until_line=False)
        self.assertEqual(code, 0)
        self.assertEqual(err, b"")


class Documented(unittest.TestCase):
    def test_every_man_page_names_the_variables(self):
        for page in sorted(os.listdir(os.path.join(SOURCE, "man"))):
            text = man_text(page[:-2])
            self.assertIn(".SH ENVIRONMENT", text, page)
            env = text.split(".SH ENVIRONMENT", 1)[1].split(".SH ", 1)[0]
            for name in ("KAIIN_PROGRESS", "KAIIN_PROGRESS_AFTER"):
                self.assertIn(f".B {name}\n", env, page)


if __name__ == "__main__":
    unittest.main()
