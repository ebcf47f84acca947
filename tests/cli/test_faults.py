"""Faults while writing (issue 8): a full disk, an unreadable input, a folder that
cannot be written, a run killed mid-write. In every case the old target file is
byte for byte what it was (or still absent), no temporary file is left beside it,
and the message names the path.

Every program that writes files is one row of PROGRAMS; each test runs them all.
Run as root, the permission tests run the programs as `nobody`, from a copy that
`nobody` can reach (kaiin_test.programs_for_nobody)."""
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

from kaiin_csv import MEMBER_HEADER, ORDER_HEADER, POINTS_HEADER, csv_bytes
from kaiin_test import BIN, SOURCE, TempDirTest, as_nobody, nobody_can_run, programs_for_nobody, read, write

OLD = b"old target: these bytes must survive\r\n"


def members(rows, start=10001):
    """A UTF-8 member export of ROWS members (every column of the kaiin profile),
    every one valid and subscribed."""
    lines = []
    for i in range(start, start + rows):
        lines.append(f"u,{i},pw{i:08d},0,山田,太郎,ヤマダ,タロウ,user{i}@example.jp,,530-0001,大阪府,大阪市北区梅田1-1,,"
                     f"06-1234-5678,1980/01/02,1,1,{i % 5000},ゴールド,2020/01/02 03:04:05,会員メモ{i}")
    return csv_bytes(lines, MEMBER_HEADER)


def balances(rows, shift):
    return csv_bytes([f"{i},{(i * 7 + shift) % 9000},残高" for i in range(10001, 10001 + rows)], POINTS_HEADER)


def upload_with_errors(rows):
    """A member upload whose every row has an error: kaiin-check's report grows."""
    lines = [f"u,{i},pw{i:08d},0,user{i}@example.jp,1,zip{i}" for i in range(10001, 10001 + rows)]
    return csv_bytes(lines, "control,cus_id,cus_password,crypted_pass,cus_email,cus_mailmag,cus_zip")


def upload_to_fix(rows):
    """A member upload whose every row has a zip code kaiin-fix fixes and a telephone
    number it cannot: its copy and its change list grow, and errors remain."""
    lines = [f"u,{i},pw{i:08d},0,user{i}@example.jp,1,５３０－０００１,tel{i}" for i in range(10001, 10001 + rows)]
    return csv_bytes(lines, "control,cus_id,cus_password,crypted_pass,cus_email,cus_mailmag,cus_zip,cus_tel")


class Program:
    """How one program writes a file: ARGS(folder, inputs, target) -> argv."""

    def __init__(self, name, tool, inputs, args, target="out.csv"):
        self.name, self.tool, self.inputs, self.args, self.target = name, tool, inputs, args, target

    def prepare(self, folder, rows):
        """Writes the inputs of a run of ROWS members into FOLDER; returns their paths."""
        return {key: write(os.path.join(folder, key), make(rows)) for key, make in self.inputs.items()}

    def argv(self, bin_dir, inputs, out_dir):
        return [os.path.join(bin_dir, self.tool), *self.args(inputs, out_dir)]


def crm_orders(rows, start=10001):
    """One shipped order for each member of members(ROWS), kaiin's order headers."""
    lines = [f"{i},{i},user{i}@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,3300,0"
             for i in range(start, start + rows)]
    return csv_bytes(lines, ORDER_HEADER)


def addresses(rows, start=10001):
    """The address of every member of members(ROWS), one a line: kaiin-find answers each."""
    return "".join(f"user{i}@example.jp\n" for i in range(start, start + rows)).encode()


def rules(_rows):
    return "tag_code,field,op,value\nSUB,mailmag,eq,1\nOSAKA,pref,eq,大阪府\n".encode("utf-8")


PROGRAMS = [
    Program("conv", "kaiin-conv", {"members.csv": members},
            lambda i, d: ["-t", "cp932", "-o", os.path.join(d, "out.csv"), i["members.csv"]]),
    Program("split-address", "kaiin-split", {"members.csv": members},
            lambda i, d: ["--by", "address", "-o", os.path.join(d, "out.csv"), i["members.csv"]]),
    Program("split-rows", "kaiin-split", {"members.csv": members},
            lambda i, d: ["--by", "rows:1000000", "-d", d, "--prefix", "out", i["members.csv"]],
            target="out.001.csv"),
    Program("crosspoint", "kaiin-crosspoint", {"members.csv": members},
            lambda i, d: ["-o", os.path.join(d, "out.csv"), i["members.csv"]]),
    Program("points-diff", "kaiin-points", {"old.csv": lambda n: balances(n, 0), "new.csv": lambda n: balances(n, 3)},
            lambda i, d: ["diff", i["old.csv"], i["new.csv"], "-o", os.path.join(d, "out.csv")]),
    Program("tags-apply", "kaiin-tags", {"members.csv": members, "rules.csv": rules},
            lambda i, d: ["apply", "--rules", i["rules.csv"], "--members", i["members.csv"], "--today",
                          "2026-11-23", "-o", os.path.join(d, "out.csv")]),
    Program("check-report", "kaiin-check", {"upload.csv": upload_with_errors},
            lambda i, d: ["--report", "json", "-o", os.path.join(d, "out.csv"), i["upload.csv"]]),
    Program("fix", "kaiin-fix", {"upload.csv": upload_to_fix},
            lambda i, d: ["-o", os.path.join(d, "out.csv"), i["upload.csv"]]),
    Program("fix-changes", "kaiin-fix", {"upload.csv": upload_to_fix},
            lambda i, d: ["--dry-run", "--changes", os.path.join(d, "out.csv"), i["upload.csv"]]),
    Program("find", "kaiin-find", {"members.csv": members, "orders.csv": crm_orders, "addresses.txt": addresses},
            lambda i, d: ["--members", i["members.csv"], "--orders", i["orders.csv"], "--addresses",
                          i["addresses.txt"], "--format", "csv", "-o", os.path.join(d, "out.csv")]),
    Program("crm", "kaiin-crm", {"members.csv": members, "orders.csv": crm_orders},
            lambda i, d: ["--members", i["members.csv"], "--orders", i["orders.csv"], "-d", d, "--lock",
                          os.path.join(d, "crm.lock")], target="customers.csv"),
]
# kaiin-check exits 1 on its data: the report is its result, written all the same;
# so does kaiin-fix, whose copy (and change list) is better than the input.
WRITES_EXIT = {"check-report": 1, "fix": 1, "fix-changes": 1}
# kaiin-tags apply locks its output with OUTPUT.lock, an empty file that stays by
# design (see kaiin-tags(1), FILES); it is taken before anything is read.
LOCK_FILES = {"tags-apply": "out.csv.lock", "crm": "crm.lock"}


def env():
    return dict(os.environ, LC_ALL="C.UTF-8")


def limit_file_size(size):
    """A preexec_fn: files may grow to SIZE bytes; a longer write fails with EFBIG
    (SIGXFSZ ignored) as on a full disk."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return apply


class FaultTest(TempDirTest):
    # True: the tests run programs as `nobody` (as_nobody()), from self.bin, on
    # files in a folder nobody can reach.
    nobody = False

    def temp_parent(self):
        return self.work

    def setUp(self):
        # programs_for_nobody raises SkipTest, with the reason, when nobody cannot run them.
        self.bin, self.work = programs_for_nobody() if self.nobody else (BIN, None)
        super().setUp()
        os.chmod(self.dir, 0o755)  # nobody reaches the inputs (a run without root)
        self.runs = 0
        self.fresh_out_dir()

    def fresh_out_dir(self):
        """An empty output folder of its own for the next program."""
        self.runs += 1
        self.out_dir = self.path(f"out{self.runs}")
        os.mkdir(self.out_dir)

    def prewrite(self, program):
        """The old target, with known bytes, in a fresh folder; returns its path."""
        self.fresh_out_dir()
        return write(os.path.join(self.out_dir, program.target), OLD)

    def assert_untouched(self, program, old_present=True):
        target = os.path.join(self.out_dir, program.target)
        left = [name for name in sorted(os.listdir(self.out_dir)) if name != LOCK_FILES.get(program.name)]
        if old_present:
            self.assertEqual(read(target), OLD, f"{program.name}: the old target changed")
            self.assertEqual(left, [program.target], f"{program.name}: files left beside the target")
        else:
            self.assertEqual(left, [], f"{program.name}: files left in the output folder")

    def run_program(self, program, inputs, preexec=None, out_dir=None, timeout=120):
        return subprocess.run(program.argv(self.bin, inputs, out_dir or self.out_dir), capture_output=True,
                              env=env(), preexec_fn=preexec, cwd=self.dir, timeout=timeout)


class FullDisk(FaultTest):
    def test_file_size_limit_keeps_the_old_target(self):
        for program in PROGRAMS:
            with self.subTest(program.name):
                inputs = program.prepare(self.dir, 5000)  # outputs of 200 KB and more
                self.prewrite(program)
                p = self.run_program(program, inputs, preexec=limit_file_size(64 * 1024))
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 2, err)
                target = os.path.join(self.out_dir, program.target)
                # kaiin-crm may stop at the temporary file it keeps what it read in, first.
                self.assertRegex(err, rf"error: '({re.escape(target)}|/[^']*/<temporary file>)': cannot write: File too "
                                 "large")
                self.assert_untouched(program)

    def test_without_the_limit_the_same_runs_write(self):
        # The test above fails for the right reason: the same runs succeed when the
        # file may grow.
        for program in PROGRAMS:
            with self.subTest(program.name):
                inputs = program.prepare(self.dir, 5000)
                self.prewrite(program)
                p = self.run_program(program, inputs)
                self.assertEqual(p.returncode, WRITES_EXIT.get(program.name, 0), p.stderr.decode())
                self.assertGreater(os.path.getsize(os.path.join(self.out_dir, program.target)), 64 * 1024)

    def test_tiny_tmpfs(self):
        if os.geteuid() != 0:
            self.skipTest("mounting a tmpfs needs root")
        mount = self.path("tiny")
        os.mkdir(mount)
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mount], capture_output=True).returncode:
            self.skipTest("mount -t tmpfs is not allowed here (a container without CAP_SYS_ADMIN?)")
        try:
            for program in PROGRAMS:
                with self.subTest(program.name):
                    inputs = program.prepare(self.dir, 5000)
                    target = write(os.path.join(mount, program.target), OLD)
                    p = self.run_program(program, inputs, out_dir=mount)
                    err = p.stderr.decode()
                    self.assertEqual(p.returncode, 2, err)
                    self.assertIn(f"error: '{target}': cannot write: No space left on device", err)
                    self.assertEqual(read(target), OLD)
                    left = [n for n in os.listdir(mount) if n != LOCK_FILES.get(program.name)]
                    self.assertEqual(left, [program.target])
                    for name in os.listdir(mount):
                        os.unlink(os.path.join(mount, name))
        finally:
            subprocess.run(["umount", mount], capture_output=True)


class Permissions(FaultTest):
    nobody = True

    def test_unreadable_input(self):
        for program in PROGRAMS:
            with self.subTest(program.name):
                self.fresh_out_dir()
                inputs = program.prepare(self.dir, 10)
                first = next(iter(inputs.values()))
                os.chmod(first, 0)
                if os.geteuid() != 0 and os.access(first, os.R_OK):
                    self.skipTest("a mode of 000 does not stop this user reading")
                os.chmod(self.out_dir, 0o777)
                p = self.run_program(program, inputs, preexec=as_nobody())
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 2, err)
                self.assertIn(f"error: '{first}': cannot open: Permission denied", err)
                self.assert_untouched(program, old_present=False)
                os.chmod(first, 0o644)

    def test_a_folder_as_input(self):
        for program in PROGRAMS:
            with self.subTest(program.name):
                self.fresh_out_dir()
                inputs = program.prepare(self.dir, 10)
                key = next(iter(inputs))
                folder = self.path("a-folder")
                os.makedirs(folder, exist_ok=True)
                inputs[key] = folder
                p = self.run_program(program, inputs)
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 2, err)
                self.assertIn(f"'{folder}'", err)
                self.assertIn("is a directory", err.lower())
                self.assert_untouched(program, old_present=False)

    def test_output_folder_without_write_permission(self):
        for program in PROGRAMS:
            with self.subTest(program.name):
                inputs = program.prepare(self.dir, 10)
                old = self.prewrite(program)
                os.chmod(old, 0o666)  # the file itself could be written: the folder cannot
                os.chmod(self.out_dir, 0o555)
                try:
                    p = self.run_program(program, inputs, preexec=as_nobody())
                finally:
                    os.chmod(self.out_dir, 0o755)
                err = p.stderr.decode()
                self.assertEqual(p.returncode, 2, err)
                lock = LOCK_FILES.get(program.name)
                named = os.path.join(self.out_dir, lock) if lock else old
                what = "cannot create the lock file" if lock else "cannot create a temporary file beside it"
                self.assertIn(f"error: '{named}': {what}: Permission denied", err)
                self.assert_untouched(program)


def output_fd(pid, folder):
    """The descriptor PID writes its output in FOLDER with, and how many bytes it
    has written there; (None, 0) when there is none."""
    fd_dir = f"/proc/{pid}/fd"
    try:
        for fd in os.listdir(fd_dir):
            link = os.readlink(os.path.join(fd_dir, fd)).replace(" (deleted)", "")
            # An unnamed O_TMPFILE file shows as FOLDER/#INODE, a named one as
            # FOLDER/.TARGET.kaiin-XXXXXX (not the lock file of kaiin-tags).
            name = os.path.basename(link)
            if os.path.dirname(link) == folder and (name.startswith("#") or ".kaiin-" in name):
                with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                    pos = int(f.readline().split()[1])
                return fd, pos
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return None, 0


class Killed(FaultTest):
    def kill_mid_write(self, program, rows):
        """Runs PROGRAM and kills it with SIGKILL once it has written part of its output
        and not committed it; False when the run ended before that could be seen."""
        inputs = program.prepare(self.dir, rows)
        proc = subprocess.Popen(program.argv(self.bin, inputs, self.out_dir), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env())
        try:
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                fd, written = output_fd(proc.pid, self.out_dir)
                if fd and written > 0:
                    # Frozen first, so that it cannot commit between the look and the kill.
                    os.kill(proc.pid, signal.SIGSTOP)
                    still, _ = output_fd(proc.pid, self.out_dir)
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait()
                    return still is not None
            return False
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()

    def test_sigkill_mid_write_leaves_the_old_target_and_nothing_else(self):
        for program in PROGRAMS:
            with self.subTest(program.name):
                for rows in (200_000, 400_000, 800_000):
                    self.prewrite(program)
                    if self.kill_mid_write(program, rows):
                        break
                    os.unlink(os.path.join(self.out_dir, program.target))
                    for name in os.listdir(self.out_dir):  # a finished run's output
                        os.unlink(os.path.join(self.out_dir, name))
                else:
                    self.fail(f"{program.name} finished before it could be killed mid-write")
                self.assert_untouched(program)


class BuildOnlyRootCanEnter(unittest.TestCase):
    """A clone in root's home (mode 0700), as a new user has it: `nobody` cannot
    reach its build/bin, and the tests that run programs as `nobody` still run."""

    def test_permission_tests_pass_from_a_private_build(self):
        if os.geteuid() != 0:
            self.skipTest("programs run as nobody only when the tests run as root")
        private = tempfile.mkdtemp(prefix="kaiin-private-")
        try:
            self.assertEqual(stat.S_IMODE(os.stat(private).st_mode), 0o700)
            private_bin = os.path.join(private, "build", "bin")
            shutil.copytree(BIN, private_bin)
            # The set-up of the issue: nobody cannot run the programs where they are.
            self.assertFalse(nobody_can_run(os.path.join(private_bin, "kaiin-conv"), cwd="/"))
            p = subprocess.run([sys.executable, "-m", "unittest", "-v", "test_faults.Permissions"],
                               cwd=os.path.join(SOURCE, "tests", "cli"), capture_output=True, timeout=600,
                               env=dict(os.environ, KAIIN_BIN=private_bin, KAIIN_SOURCE=SOURCE))
            report = p.stderr.decode()
            self.assertEqual(p.returncode, 0, report[-4000:])
            self.assertNotIn("skipped", report)  # they ran as nobody, not around it
        finally:
            shutil.rmtree(private, ignore_errors=True)


class RedirectedStdout(TempDirTest):
    """`kaiin-conv ... > out.csv`: the shell opened the file, so there is no
    temporary file to rename; a failed run cuts the file back to where it started."""

    def run_into(self, mode, limit):
        src = write(self.path("members.csv"), members(5000))
        out = self.path("out.csv")
        if mode == "ab":
            write(out, OLD)
        with open(out, mode) as f:
            p = subprocess.run([os.path.join(BIN, "kaiin-conv"), "-t", "utf-8", src], stdout=f,
                               stderr=subprocess.PIPE, env=env(), preexec_fn=limit and limit_file_size(limit))
        return p, out, src

    def test_failure_leaves_an_empty_file(self):
        p, out, _ = self.run_into("wb", 64 * 1024)
        self.assertEqual(p.returncode, 2)
        self.assertIn("'<stdout>': cannot write: File too large", p.stderr.decode())
        self.assertEqual(read(out), b"")

    def test_failure_keeps_what_an_append_found(self):
        p, out, _ = self.run_into("ab", 64 * 1024)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(read(out), OLD)

    def test_success_appends(self):
        p, out, src = self.run_into("ab", None)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(read(out), OLD + read(src))


if __name__ == "__main__":
    unittest.main()
