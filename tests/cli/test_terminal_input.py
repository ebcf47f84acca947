"""Standard input on a terminal, in a pseudo-terminal (python's pty): a program that
reads standard input when no FILE is given does not wait there for typing nobody
meant, but says to name the file (exit status 2), as kaiin-check does; with -, it
reads the terminal as asked and says so."""
import os
import pty
import select
import signal
import time
import unittest

from kaiin_test import BIN, sample

# Every program whose input may be left out (standard input then), with the rest of
# its command line.
OPTIONAL_INPUT = {
    "kaiin-conv": ["-t", "utf-8"],
    "kaiin-fix": [],
    "kaiin-split": ["--by", "address"],
    "kaiin-crosspoint": ["--sanitize"],
    "kaiin-points check": [],
}


def on_terminal(argv, typed=None, seconds=10):
    """Runs ARGV with a pseudo-terminal as its standard input, output and error;
    TYPED (bytes) is typed there a second after the start and ended with Ctrl-D.
    (exit status or None when it was still running after SECONDS, everything it
    wrote)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pseudo-terminal
        # A progress line at once (rather than after 2 s), wherever one could appear.
        os.environ.update(LC_ALL="C.UTF-8", KAIIN_PROGRESS="1", KAIIN_PROGRESS_AFTER="0")
        os.execv(argv[0], argv)
    if typed is not None:
        time.sleep(1)  # time for a progress line to be drawn, were there one
        os.write(fd, typed + b"\x04")
    shown, status, end = b"", None, time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the child is gone and its terminal closed
                data = b""
            shown += data
            if data:
                continue
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    os.close(fd)
    return status, shown.decode("utf-8", "replace").replace("\r\n", "\n")


def program(name):
    words = name.split()
    return [os.path.join(BIN, words[0]), *words[1:]]


class TerminalInput(unittest.TestCase):
    def test_no_file_and_a_terminal_is_a_usage_error_not_a_wait(self):
        for name, args in OPTIONAL_INPUT.items():
            with self.subTest(program=name):
                status, shown = on_terminal(program(name) + args, seconds=10)
                self.assertEqual(status, 2, shown)  # None: it waited
                tool = name.split()[0]
                self.assertIn(f"{tool}: error: ", shown)
                self.assertIn("standard input is a terminal: name the file to read", shown)
                self.assertIn(f"Run '{tool} --help' for usage.", shown)

    def test_kaiin_check_says_its_file_is_required(self):
        status, shown = on_terminal(program("kaiin-check"))
        self.assertEqual(status, 2, shown)
        self.assertIn("kaiin-check: error: FILE is required", shown)

    def test_dash_reads_what_is_typed_and_says_so(self):
        status, shown = on_terminal(program("kaiin-conv") + ["-t", "utf-8", "-"], typed=b"a,b\n1,2\n")
        self.assertEqual(status, 0, shown)
        self.assertIn("kaiin-conv: reading standard input from the terminal, up to Ctrl-D\n", shown)
        self.assertNotIn("records/s", shown)  # no progress line over the typing
        status, shown = on_terminal(program("kaiin-points check") + ["-"], typed=b"member_id,points,reason\n1,5,x\n")
        self.assertEqual(status, 0, shown)
        self.assertIn("kaiin-points: reading standard input from the terminal", shown)
        self.assertIn("rows 1", shown)

    def test_a_file_named_is_read_without_a_word_of_the_terminal(self):
        status, shown = on_terminal(program("kaiin-conv") + ["-t", "utf-8", sample("members_cp932.csv")])
        self.assertEqual(status, 0, shown)
        self.assertNotIn("terminal", shown)
        # The other command of kaiin-points, whose inputs are required, is not held to it.
        status, shown = on_terminal(program("kaiin-points diff") + [sample("balances_old.csv"),
                                                                    sample("balances_new.csv")])
        self.assertEqual(status, 0, shown)
        self.assertNotIn("terminal", shown)


if __name__ == "__main__":
    unittest.main()
