"""The DuckDB peers of ../shared/bench/duckdb (duck_crm.mjs, duck_crosspoint.mjs,
duck_points_diff.mjs) for run.py's crm, crosspoint and points sections: the tool a
data engineer would pick today, each peer one command that runs iconv, DuckDB and
iconv back (their README says how each was checked against pandas). That folder
holds no node_modules and may be read-only, so its scripts and package files are
copied to tests/bench/data/duckdb (git-ignored), where `npm ci` installs the pinned
@duckdb/node-api from package-lock.json: once, and again when the package files
change. Without node or npm, or when npm ci fails, the peers are left out, and a
note says why."""
import filecmp
import shlex
import shutil
import subprocess
import sys

from bench_common import DATA, SHARED, rel

SOURCE = SHARED / "duckdb"
HERE = DATA / "duckdb"
NAME = "duckdb"  # the peer's name in compare.py's table
GOAL = 3  # each kaiin job at least this many times as fast as its DuckDB peer

_ready = None  # the folder once set up, False once left out


def note(msg):
    print(f"note: {msg}", file=sys.stderr, flush=True)


def copy_peers():
    """Copies the scripts and package files that differ; True when a package file did."""
    HERE.mkdir(parents=True, exist_ok=True)
    packages_changed = False
    for src in sorted(SOURCE.iterdir()):
        if not src.is_file() or src.suffix not in (".mjs", ".json"):
            continue
        dst = HERE / src.name
        if dst.exists() and filecmp.cmp(src, dst, shallow=False):
            continue
        shutil.copyfile(src, dst)
        packages_changed |= src.name.startswith("package")
    return packages_changed


def peers():
    """The folder the peers run from, set up on the first call; None when they are left out."""
    global _ready
    if _ready is None:
        _ready = False
        if not (SOURCE / "package-lock.json").is_file():
            note(f"DuckDB peers left out: {rel(SOURCE)}/package-lock.json is missing")
        elif not shutil.which("node") or not shutil.which("npm"):
            note("DuckDB peers left out: node and npm are needed (Debian: apt-get install nodejs npm)")
        else:
            packages_changed = copy_peers()
            if packages_changed or not (HERE / "node_modules" / "@duckdb" / "node-api").is_dir():
                print(f"npm ci in {rel(HERE)} (DuckDB's Node package, pinned) ...", flush=True)
                res = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True,
                                     text=True)
                if res.returncode != 0:
                    note(f"DuckDB peers left out: npm ci exited {res.returncode}: {res.stderr.strip()[-300:]}")
                    return None
            _ready = HERE
    return _ready or None


def command(script, *args):
    """The shell command (from the repository's folder) running peer \\p script on \\p args, or None."""
    folder = peers()
    if not folder:
        return None
    return shlex.join(["node", rel(folder / script), *(str(a) for a in args)])


def print_ratio(medians, kaiin):
    """kaiin's median time against the DuckDB peer's, and the goal."""
    k, d = medians.get(kaiin), medians.get(NAME)
    if k and d:
        verdict = "meets" if d / k >= GOAL else "misses"
        print(f"{kaiin} / DuckDB: {k / d:.3f} (median {k:.2f} s vs {d:.2f} s: {kaiin} is {d / k:.1f}x as fast; "
              f"{verdict} the goal of at least {GOAL}x)")
