#!/usr/bin/env python3
"""Benchmark kaiin-conv against iconv, uconv, nkf and Python's csv module.

  python3 tests/bench/run.py                 # 1,000,000 rows, 3 timed runs per command
  python3 tests/bench/run.py --rows 50000 -n 1
  make bench

Steps:
 1. Make tests/bench/data/members_<rows>_cp932.csv with gen_members.py, and its UTF-8
    copy with iconv, when missing or with --regen (the folder is git-ignored).
 2. Check once that kaiin-conv's CP932 -> UTF-8 output is byte for byte iconv's, and
    that converting that back gives the original CP932 bytes; stop otherwise.
 3. Time both directions with shared/bench/compare.py (kaiin-conv first, so ratios
    are against it), and say whether each tool wrote the same bytes as the reference.
 4. Print kaiin-conv's time relative to iconv's, and its peak memory on a file of the
    first 100,000 rows and on the whole file, which should be about the same.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "tests" / "bench"
DATA = BENCH / "data"
SHARED = REPO.parent / "shared" / "bench"
KAIIN = REPO / "build" / "bin" / "kaiin-conv"

# The csv-module way back to CP932, the mirror of shared/bench/py_conv.py. It is
# what an engineer would write; note that Python's codec writes IBM extension
# kanji by their NEC-selected codes (髙 as EEE0), not as Windows does (FBFC).
PY_TO_CP932 = '''\
# Written by tests/bench/run.py: UTF-8 -> CP932 with the csv module, for comparison.
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f, \\
        open(sys.stdout.fileno(), "w", encoding="cp932", newline="", closefd=False) as o:
    w = csv.writer(o, lineterminator="\\r\\n")
    for row in csv.reader(f):
        w.writerow(row)
'''


def die(msg):
    print(f"run.py: error: {msg}", file=sys.stderr)
    sys.exit(1)


def rel(path):
    """Paths relative to the repository, as the commands run from there and read better."""
    return os.path.relpath(path, REPO)


def size_label(rows):
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1000 == 0:
        return f"{rows // 1000}k"
    return str(rows)


def data_files(rows):
    stem = DATA / f"members_{size_label(rows)}"
    return Path(f"{stem}_cp932.csv"), Path(f"{stem}_utf8.csv")


def generate(rows, path):
    """Write `rows` CP932 rows to path (via a temporary name, so a stopped run leaves no half file)."""
    tmp = path.with_suffix(".tmp")
    t0 = time.perf_counter()
    with open(tmp, "wb") as out:
        subprocess.run([sys.executable, str(BENCH / "gen_members.py"), "--rows", str(rows)], stdout=out, check=True)
    secs = time.perf_counter() - t0
    tmp.replace(path)
    print(f"generated {rel(path)}: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in {secs:.2f} s", flush=True)
    return secs


def iconv_to_utf8(src, dst):
    """The UTF-8 copy comes from iconv, not from kaiin-conv, so it can serve as the reference."""
    tmp = dst.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        subprocess.run(["iconv", "-f", "CP932", "-t", "UTF-8", str(src)], stdout=out, check=True)
    tmp.replace(dst)
    print(f"made {rel(dst)} with iconv", flush=True)


def ensure_data(rows, regen):
    """Both sizes of both encodings; the small file must be the first rows of the big one."""
    DATA.mkdir(parents=True, exist_ok=True)
    small_rows = min(100_000, max(1, rows // 10))
    files, checked = {}, False
    for n in (rows, small_rows):
        cp932, utf8 = data_files(n)
        if regen or not cp932.exists():
            if not checked:  # the generator's CP932 bytes must be iconv's (Windows') ones
                subprocess.run([sys.executable, str(BENCH / "gen_members.py"), "--check"], check=True)
                checked = True
            generate(n, cp932)
        if regen or not utf8.exists() or utf8.stat().st_mtime < cp932.stat().st_mtime:
            iconv_to_utf8(cp932, utf8)
        files[n] = (cp932, utf8)
    big, small = files[rows][0], files[small_rows][0]
    with open(big, "rb") as b, open(small, "rb") as s:
        head = s.read()
        if b.read(len(head)) != head:
            die(f"{rel(small)} is not the start of {rel(big)}; rerun with --regen")
    return files[rows], files[small_rows], small_rows


def first_difference(a, b):
    """Byte offset and line of the first difference between two files, or None."""
    offset, line = 0, 1
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x == y:
                if not x:
                    return None
                offset += len(x)
                line += x.count(b"\n")
                continue
            i = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            return offset + i, line + x[:i].count(b"\n")


def verify(cp932, utf8):
    """kaiin-conv must agree with iconv before its speed means anything."""
    checks = [("CP932 -> UTF-8", ["-f", "cp932", "-t", "utf-8"], cp932, utf8, "iconv's output"),
              ("UTF-8 -> CP932", ["-f", "utf-8", "-t", "cp932"], utf8, cp932, "the original CP932 file")]
    out = DATA / "verify.tmp"
    try:
        for what, flags, src, expected, label in checks:
            with open(out, "wb") as o:
                rc = subprocess.run([str(KAIIN), "-q", *flags, str(src)], stdout=o).returncode
            if rc != 0:
                die(f"kaiin-conv {what} exited {rc} on {rel(src)}")
            diff = first_difference(out, expected)
            if diff:
                die(f"kaiin-conv {what} output differs from {label} ({rel(expected)}) "
                    f"at byte {diff[0]}, line {diff[1]}: benchmark aborted")
            print(f"verified: kaiin-conv {what} on {rel(src)} is byte-identical to {label}", flush=True)
    finally:
        out.unlink(missing_ok=True)


def cp932_to_utf8(src, out):
    """(name, argv, file written instead of stdout) for each tool; kaiin-conv first."""
    f, k = rel(src), rel(KAIIN)
    rows = [("kaiin-conv", [k, "-q", "-f", "cp932", "-t", "utf-8", f], None),
            ("kaiin-conv auto", [k, "-q", "-t", "utf-8", f], None),
            ("kaiin-conv -o", [k, "-q", "-f", "cp932", "-t", "utf-8", "-o", rel(out), f], out),
            ("iconv", ["iconv", "-f", "CP932", "-t", "UTF-8", f], None)]
    if shutil.which("uconv"):
        rows.append(("uconv", ["uconv", "-f", "windows-31j", "-t", "utf-8", f], None))
    if shutil.which("nkf"):
        # --ic=CP932, not -S: -S means JIS Shift_JIS (81CA becomes U+00AC, not ￢)
        # and turns half-width katakana into full-width ones.
        rows.append(("nkf", ["nkf", "--ic=CP932", "-w", f], None))
    rows.append(("python-csv", ["python3", rel(SHARED / "py_conv.py"), f], None))
    return rows


def utf8_to_cp932(src, out):
    f, k = rel(src), rel(KAIIN)
    rows = [("kaiin-conv", [k, "-q", "-f", "utf-8", "-t", "cp932", f], None),
            ("iconv", ["iconv", "-f", "UTF-8", "-t", "CP932", f], None)]
    if shutil.which("uconv"):
        rows.append(("uconv", ["uconv", "-f", "utf-8", "-t", "windows-31j", f], None))
    if shutil.which("nkf"):
        # --oc=CP932 writes Windows' codes; plain -s would be JIS Shift_JIS.
        rows.append(("nkf", ["nkf", "--ic=UTF-8", "--oc=CP932", f], None))
    rows.append(("python-csv", ["python3", rel(DATA / "py_conv_to_cp932.py"), f], None))
    return rows


def same_output(entries, reference):
    """Run each command once and say whether it wrote the reference's bytes."""
    tmp = DATA / "output-check.tmp"
    notes = []
    try:
        for name, argv, written in entries:
            with open(tmp, "wb") as o:
                rc = subprocess.run(argv, stdout=o, stderr=subprocess.DEVNULL, cwd=REPO).returncode
            diff = first_difference(written or tmp, reference)
            notes.append(f"{name}: " + (f"exit {rc}" if rc else "same" if diff is None else f"differs at line {diff[1]}"))
    finally:
        tmp.unlink(missing_ok=True)
    return notes


def compare(title, entries, runs):
    """Run compare.py, print its table as it printed it, and return name -> median seconds."""
    cmd = [sys.executable, str(SHARED / "compare.py"), "-n", str(runs)]
    cmd += [f"{name}={shlex.join(argv)}" for name, argv, _ in entries]
    print(f"\n== {title} ==", flush=True)
    res = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, text=True)
    print(res.stdout, end="", flush=True)
    if res.returncode != 0:
        die(f"compare.py exited {res.returncode}")
    medians = {}
    for line in res.stdout.splitlines()[1:]:
        # Names may hold spaces; the five numbers after them never do.
        parts = line.rsplit(None, 5)
        if len(parts) == 6:
            medians[parts[0].strip()] = float(parts[1])
    return medians


def print_ratio(medians):
    k, i = medians.get("kaiin-conv"), medians.get("iconv")
    if k and i:
        speed = f"{i / k:.2f}x as fast as iconv" if k <= i else f"{k / i:.2f}x as slow as iconv"
        print(f"kaiin-conv / iconv: {k / i:.2f} (median {k:.3f} s vs {i:.3f} s: kaiin-conv is {speed})")


def peak_rss_mib(argv):
    """Peak resident memory of one run of argv, in MiB.

    ru_maxrss survives fork and exec, so a child of this Python process could never
    read below this process's own size. GNU time is a small parent and reads the
    real figure; without it, the floor is measured with `true` and shown.
    """
    if os.access("/usr/bin/time", os.X_OK):
        res = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        if res.returncode != 0:
            die(f"{shlex.join(argv)} failed: {res.stderr.strip()[-300:]}")
        return int(res.stderr.split()[-1]) / 1024
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(argv, stdout=null)
        _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        die(f"{shlex.join(argv)} failed")
    return usage.ru_maxrss / 1024


def memory_check(small, big, small_rows, rows):
    print("\n== memory: peak RSS of kaiin-conv as the file grows ==")
    if not os.access("/usr/bin/time", os.X_OK):
        print(f"note: /usr/bin/time (Debian package time) missing; figures include this script's own "
              f"{peak_rss_mib(['true']):.1f} MiB, as `true` shows")
    print(f"{'direction':<18}{'rows':>12}{'file MB':>10}{'peak MiB':>10}")
    for what, flags, pick in [("CP932 -> UTF-8", ["-f", "cp932", "-t", "utf-8"], 0),
                              ("UTF-8 -> CP932", ["-f", "utf-8", "-t", "cp932"], 1)]:
        peaks = []
        for n, files in ((small_rows, small), (rows, big)):
            f = files[pick]
            peaks.append(peak_rss_mib([str(KAIIN), "-q", *flags, str(f)]))
            print(f"{what:<18}{n:>12,}{f.stat().st_size / 1e6:>10.1f}{peaks[-1]:>10.1f}")
        print(f"{'':<18}{'':>12}{'growth':>10}{peaks[1] / peaks[0]:>9.2f}x  "
              f"(input grew {rows / small_rows:.0f}x)")


def compare_floor():
    """What compare.py's peak MiB column reads for a command that uses nothing."""
    res = subprocess.run([sys.executable, str(SHARED / "compare.py"), "-n", "1", "true=true"],
                         stdout=subprocess.PIPE, text=True)
    try:
        return float(res.stdout.splitlines()[1].split()[-2])
    except (IndexError, ValueError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the benchmark file (default 1,000,000)")
    ap.add_argument("--regen", action="store_true", help="generate the data files again even if they exist")
    ap.add_argument("-n", type=int, default=3, help="timed runs of each command, after one warm-up (default 3)")
    a = ap.parse_args()
    if a.rows < 1 or a.n < 1:
        die("--rows and -n must be at least 1")
    if not (SHARED / "compare.py").is_file():
        die(f"{SHARED / 'compare.py'} not found: the benchmark needs shared/bench beside the repository "
            f"(../shared/bench from {REPO})")
    if not os.access(KAIIN, os.X_OK):
        die(f"{rel(KAIIN)} not found: build it first (make build, or cmake --build build)")
    if not shutil.which("iconv"):
        die("iconv not found: it is the reference kaiin-conv is checked against")
    for tool in ("uconv", "nkf"):
        if not shutil.which(tool):
            print(f"note: {tool} not installed, left out (scripts/install-deps --bench)", file=sys.stderr)

    big, small, small_rows = ensure_data(a.rows, a.regen)
    script = DATA / "py_conv_to_cp932.py"
    if not script.exists() or script.read_text() != PY_TO_CP932:
        script.write_text(PY_TO_CP932)
    verify(*big)

    out = DATA / "out_kaiin_utf8.csv"
    # (title, commands, input, small input, what the small input's output should be)
    directions = [("CP932 -> UTF-8", cp932_to_utf8, big[0], small[0], small[1], "iconv's output"),
                  ("UTF-8 -> CP932", utf8_to_cp932, big[1], small[1], small[0], "the original CP932")]
    try:
        for title, make, src, small_src, expected, label in directions:
            medians = compare(f"{title} ({a.rows:,} rows, {src.stat().st_size / 1e6:.0f} MB, median of {a.n})",
                              make(src, out), a.n)
            print_ratio(medians)
            notes = same_output(make(small_src, out), expected)
            print(f"same bytes as {label} (first {small_rows:,} rows)? " + "; ".join(notes))
    finally:
        out.unlink(missing_ok=True)
    floor = compare_floor()
    if floor is not None:
        # Otherwise every small tool seems to need the same ~15 MiB.
        print(f"\nnote: compare.py's peak MiB cannot read below compare.py's own size (ru_maxrss is kept "
              f"across fork and exec): `true` reads {floor:.1f} MiB there; the table below has the real peaks")
    memory_check(small, big, small_rows, a.rows)


if __name__ == "__main__":
    main()
