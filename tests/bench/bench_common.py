"""What run.py and its section modules (crm, find, fix, scale) share: the folders,
paths as the commands are run, size labels of generated files, the CPU's name, and
one compare.py run parsed."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "bench" / "data"
SHARED = REPO.parent / "shared" / "bench"


def rel(path):
    """Paths relative to the repository, as the commands run from there and read better."""
    try:
        return os.path.relpath(path, REPO)
    except ValueError:
        return str(path)


def size_label(n):
    """1m, 100k or 1234: the size in a generated file's name."""
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def run_compare(title, entries, runs, note=lambda line: line):
    """Runs compare.py on (name, shell command) entries from the repository's folder and
    prints its table as it printed it, its notes on stderr through note(line) (which
    may say why a warm-up's exit status is the expected answer). Returns name ->
    (median s, peak MiB) and compare.py's output; a failed run stops the benchmark."""
    cmd = [sys.executable, str(SHARED / "compare.py"), "-n", str(runs)] + [f"{n}={c}" for n, c in entries]
    print(f"\n== {title} ==", flush=True)
    res = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in res.stderr.splitlines():
        print(note(line), flush=True)
    print(res.stdout, end="", flush=True)
    if res.returncode != 0:
        print(f"run.py: error: compare.py exited {res.returncode}", file=sys.stderr)
        sys.exit(1)
    rows = {}
    for line in res.stdout.splitlines()[1:]:
        # Names may hold spaces; the five numbers after them never do.
        parts = line.rsplit(None, 5)
        if len(parts) == 6:
            rows[parts[0].strip()] = (float(parts[1]), float(parts[4]))
    return rows, res.stdout
