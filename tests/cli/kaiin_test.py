"""Shared helpers for kaiin's black-box tests: run a program, make temporary
folders, read the examples of --help and the man pages."""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

BIN = os.environ.get("KAIIN_BIN") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../../build/bin"))
# The test binaries (kaiin-unit-tests, kaiin-csv-dump): build/tests, not beside the programs.
TEST_BIN = os.environ.get("KAIIN_TEST_BIN") or os.path.abspath(os.path.join(BIN, "..", "tests"))
SOURCE = os.environ.get("KAIIN_SOURCE") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
SAMPLES = os.path.join(SOURCE, "samples")
SHARED = os.path.abspath(os.path.join(SOURCE, "..", "shared"))


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
    """A test with a fresh temporary folder in self.dir."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="kaiin-cli-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

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
