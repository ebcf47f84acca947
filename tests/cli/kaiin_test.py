"""Shared helpers for kaiin's black-box tests: run a program, read its JSON report,
make temporary folders, read the examples of --help and the man pages, run the
programs as `nobody`."""
import atexit
import json
import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest
from typing import NamedTuple

BIN = os.environ.get("KAIIN_BIN") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../../build/bin"))
# The test binaries (kaiin-unit-tests, kaiin-csv-dump): build/tests, not beside the programs.
TEST_BIN = os.environ.get("KAIIN_TEST_BIN") or os.path.abspath(os.path.join(BIN, "..", "tests"))
SOURCE = os.environ.get("KAIIN_SOURCE") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
SAMPLES = os.path.join(SOURCE, "samples")
SHARED = os.path.abspath(os.path.join(SOURCE, "..", "shared"))
# Every program kaiin installs: the tests that hold for all of them (options, man
# pages, translations, completion, the package) go through this list, and
# test_helpers checks that build/bin holds exactly these.
TOOLS = ["kaiin-check", "kaiin-conv", "kaiin-crm", "kaiin-crosspoint", "kaiin-find", "kaiin-fix", "kaiin-points",
         "kaiin-split", "kaiin-tags"]


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return f"exit {self.code}\nstderr: {self.err}\nstdout: {self.out[:500]!r}"


def run(tool, *args, stdin=None, cwd=None, env=None):
    """Runs build/bin/TOOL with ARGS; stdin is bytes or None."""
    full_env = dict(os.environ, LC_ALL="C.UTF-8")
    full_env.update(env or {})
    proc = subprocess.run([os.path.join(BIN, tool), *args], input=stdin, capture_output=True,
                          cwd=cwd, env=full_env, timeout=120)
    return Result(proc)


def iconv(data, src, dst):
    """DATA converted by iconv(1) from SRC to DST: the reference for conversions."""
    return subprocess.run(["iconv", "-f", src, "-t", dst], input=data, capture_output=True, check=True).stdout


class JsonReport(NamedTuple):
    findings: list  # a dict a finding, in the order reported
    summary: dict  # None when the report has no summary line last


def json_report(output):
    """The findings and the summary of a --report json report: OUTPUT as the program
    wrote it (bytes or text; standard output for kaiin-check, standard error for a
    program whose output is data), JSON Lines with a finding a line and the summary
    last. A program's own message (`kaiin-find: error: ...`, before an exit status
    of 2) is left out; any other line that is not JSON fails."""
    text = output.decode("utf-8") if isinstance(output, bytes) else output
    items = [json.loads(line) for line in text.splitlines() if not line.startswith("kaiin-")]
    if items and "summary" in items[-1]:
        return JsonReport(items[:-1], items[-1]["summary"])
    return JsonReport(items, None)


def sample(name):
    return os.path.join(SAMPLES, name)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


class TempDirTest(unittest.TestCase):
    """A test with a fresh temporary folder in self.dir, made in temp_parent()."""

    def temp_parent(self):
        """Where self.dir is made; None: the usual temporary folder."""
        return None

    def setUp(self):
        self.dir = self._made = tempfile.mkdtemp(prefix="kaiin-cli-", dir=self.temp_parent())

    def tearDown(self):
        # The folder made, even when a test pointed self.dir at a folder inside it.
        shutil.rmtree(self._made, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def files(self):
        return sorted(os.listdir(self.dir))


def expected_exit(line):
    """A command line and the exit status its trailing '# exit N' gives (default 0)."""
    m = re.search(r"\s+#\s*exit\s+(\d+)\s*$", line)
    return (line[:m.start()], int(m.group(1))) if m else (line, 0)


def help_examples(tool):
    """The example command lines of TOOL --help (indented lines after 'Examples:'),
    each with the exit status it should have."""
    text = run(tool, "--help").out.decode()
    lines = [l.strip() for l in text.split("Examples:", 1)[1].splitlines() if l.startswith("  ")]
    return [expected_exit(l) for l in lines if l.startswith(("kaiin-", "cat ", "printf "))]


def man_page(tool):
    with open(os.path.join(SOURCE, "man", tool + ".1"), encoding="utf-8") as f:
        return f.read()


def man_text(tool):
    """The man page with roff escapes for '-' undone."""
    return man_page(tool).replace("\\-", "-").replace("\\(aq", "'")


def man_examples(tool):
    """Command lines in the EXAMPLES section: the lines between .nf and .fi.
    A trailing '# exit N' comment gives the expected exit status (default 0)."""
    text = man_text(tool)
    section = text.split(".SH EXAMPLES", 1)[1].split(".SH ", 1)[0]
    examples = []
    for block in re.findall(r"\.nf\n(.*?)\n\.fi", section, re.S):
        for line in block.splitlines():
            line = line.replace("\\e", "\\").strip()
            if not line or line.startswith("."):
                continue
            examples.append(expected_exit(line))
    return examples


def run_shell(command, cwd, lang=None):
    """Runs an example command line with build/bin first in PATH, in English, or
    with LANG=lang (and no LC_ALL) as a Japanese session has it."""
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), LC_ALL="C.UTF-8")
    if lang:
        for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            env.pop(name, None)
        env["LANG"] = lang
    return subprocess.run(["/bin/sh", "-c", command], cwd=cwd, env=env, capture_output=True, timeout=120)


def workspace_with_samples(dest):
    """A folder holding a copy of samples/, where examples can write freely."""
    shutil.copytree(SAMPLES, os.path.join(dest, "samples"))
    return dest


def nobody_ids():
    """The uid and gid of `nobody` (65534 on Debian)."""
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


def as_nobody():
    """A preexec_fn that drops root to `nobody`, for whom permissions count (root reads
    and writes whatever it likes); None when the tests do not run as root."""
    if os.geteuid() != 0:
        return None
    uid, gid = nobody_ids()

    def apply():
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    return apply


_for_nobody = {}


def _copy_programs(parent):
    """A folder in PARENT, open to all, with a copy of the programs (bin/) and of what
    they read at run time beside them: the profiles and maps of data/ (share/kaiin,
    found from the program's own folder) and the message catalogue (share/locale)."""
    folder = tempfile.mkdtemp(prefix="kaiin-nobody-", dir=parent)
    os.chmod(folder, 0o755)
    shutil.copytree(BIN, os.path.join(folder, "bin"))
    shutil.copytree(os.path.join(SOURCE, "data"), os.path.join(folder, "share", "kaiin"))
    locale = os.path.join(BIN, "..", "share", "locale")
    if os.path.isdir(locale):
        shutil.copytree(locale, os.path.join(folder, "share", "locale"))
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            os.chmod(path, 0o755 if os.path.isdir(path) or os.access(path, os.X_OK) else 0o644)
    return folder


def nobody_can_run(program, cwd):
    """Whether PROGRAM --version runs as `nobody` (as this user when not root)."""
    try:
        p = subprocess.run([program, "--version"], capture_output=True, preexec_fn=as_nobody(), cwd=cwd, timeout=60)
    except OSError:  # exec refused: a folder on the way that nobody cannot enter
        return False
    return p.returncode == 0


def programs_for_nobody():
    """Where `nobody` can run the programs from, and a folder where it can reach the
    files a test makes: (bin folder, work folder).

    Not root: BIN and the usual temporary folder (the tests run as this user). As
    root: a clone in a folder only its owner can enter (root's home, mode 0700)
    keeps `nobody` out of BIN, so the programs are copied, once per test process,
    into the first temporary folder that `nobody` can enter. Raises SkipTest, with
    the reason, when there is none."""
    if os.geteuid() != 0:
        return BIN, tempfile.gettempdir()
    if "bin" not in _for_nobody:
        tried = []
        for parent in dict.fromkeys([tempfile.gettempdir(), "/tmp", "/var/tmp", "/dev/shm"]):
            if not os.path.isdir(parent):
                continue
            folder = _copy_programs(parent)
            if nobody_can_run(os.path.join(folder, "bin", "kaiin-conv"), cwd=folder):
                atexit.register(shutil.rmtree, folder, True)
                _for_nobody.update(bin=os.path.join(folder, "bin"), work=parent)
                break
            shutil.rmtree(folder, ignore_errors=True)
            tried.append(parent)
        else:
            _for_nobody.update(bin=None, reason=f"nobody (uid {nobody_ids()[0]}) cannot run a copy of the programs "
                                                f"in any of: {', '.join(tried)}")
    if not _for_nobody["bin"]:
        raise unittest.SkipTest(_for_nobody["reason"])
    return _for_nobody["bin"], _for_nobody["work"]
