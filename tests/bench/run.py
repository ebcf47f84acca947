#!/usr/bin/env python3
"""Benchmark kaiin-conv against iconv, uconv, nkf and Python's csv module,
kaiin-check against iconv, a pandas script and csvkit's csvclean, kaiin-split,
kaiin-crosspoint, kaiin-points diff and kaiin-crm against pandas scripts, kaiin-tags
apply on its own (it has no standard peer), kaiin-find against iconv decoding its
inputs, kaiin-fix against kaiin-check, and (the scale section, tests/bench/scale.py)
the programs that keep an entry a member against iconv and the memory goal of 64
bytes a member, at 1,000,000 or (--rows 10000000) 10,000,000 members. One driver runs the sections of SECTIONS
(every one by default, as `make bench` does, or the one --only names); each section
times its program beside its peers in compare.py runs and prints the ratios.

  python3 tests/bench/run.py                 # 1,000,000 rows, 3 timed runs per command
  python3 tests/bench/run.py --rows 50000 -n 1
  python3 tests/bench/run.py --only check    # just the kaiin-check section
  python3 tests/bench/run.py --only split    # just the kaiin-split section
  python3 tests/bench/run.py --only crosspoint
  python3 tests/bench/run.py --only points
  python3 tests/bench/run.py --only tags
  python3 tests/bench/run.py --only scale --rows 10000000 -n 1   # 2.4 GB a file
  python3 tests/bench/run.py --only crm      # 1,000,000 members, 2,000,000 orders (--orders)
  python3 tests/bench/run.py --only find     # 10,000 addresses (--addresses)
  python3 tests/bench/run.py --only fix      # 2% of the rows with a typo (--typo-rate)
  make bench

The sections:
  conv        kaiin-conv both ways against iconv, uconv, nkf and the csv module
  check       kaiin-check on an upload against iconv, pandas and csvclean
  split       kaiin-split --by address and --by rows:5000 against pandas
  crosspoint  kaiin-crosspoint with and without shared addresses against pandas
  points      kaiin-points diff of two balance snapshots against pandas
  tags        kaiin-tags apply of 20 rules, then again against its own links
  crm         kaiin-crm against pandas, and on an EC-CUBE order export (crm.py)
  find        kaiin-find against iconv decoding both exports (find.py)
  fix         kaiin-fix against kaiin-check, with and without typos to fix (fix.py)
The steps of the first six follow; those of crm, find and fix are in the docstrings
of their modules, tests/bench/crm.py, find.py and fix.py, which run.py imports.

Steps of the conv section (--only conv):
 1. Make tests/bench/data/members_<rows>_cp932.csv with gen_members.py, and its UTF-8
    copy with iconv, when missing or with --regen (the folder is git-ignored).
 2. Check once that kaiin-conv's CP932 -> UTF-8 output is byte for byte iconv's, and
    that converting that back gives the original CP932 bytes; stop otherwise.
 3. Time both directions with shared/bench/compare.py (kaiin-conv first, so ratios
    are against it), and say whether each tool wrote the same bytes as the reference.
 4. Print kaiin-conv's time relative to iconv's, and its peak memory on a file of the
    first 100,000 rows and on the whole file, which should be about the same.

Steps of the check section (--only check):
 1. Make tests/bench/data/upload_<rows>_cp932.csv (and upload_100k_cp932.csv) with
    gen_members.py --control nu: an upload of n and u rows, CP932 with CRLF.
 2. Time kaiin-check (report to stdout, discarded) beside iconv decoding the file,
    shared/bench/pd_check.py (pandas) and csvclean -n (every row, no files written).
    The file has duplicate e-mails and half-width kana by design, so kaiin-check
    exits 1: that is the expected answer, not a failure.
 3. Print kaiin-check's time relative to iconv's, its peak memory at 100,000 rows and
    at the full size, its --report json summary, and the duplicate e-mail counts of
    pandas and kaiin-check side by side.
 4. Make upload_<rows>_cp932_badzip.csv (every cus_zip 12-34567: one zip-format
    finding a row) and time kaiin-check --report json and --report html on it beside
    iconv: the findings path (formatting and writing a million findings); the html
    page's size (at most 10 MiB) and the time headless Chromium takes to open it.

Steps of the split section (--only split):
 1. Use the upload files of the check section (made the same way when missing).
 2. Time kaiin-split --by address -o tests/bench/data/split_out/crm.csv beside
    tests/bench/pd_split.py address (pandas), which writes to split_out_pd/crm.csv,
    then kaiin-split --by rows:5000 -d tests/bench/data/split_out beside pd_split.py
    rows 5000 into split_out_pd. Each run overwrites the files of the one before, so
    nothing accumulates; both folders are emptied first and removed at the end.
    kaiin-split makes its outputs durable before renaming them (fsync for one
    file, syncfs for a set), so its times include writing to disk, pandas' do not.
 3. Print kaiin-split's time relative to pandas', its peak memory for both splits at
    100,000 rows and at the full size, and a sanity line: the data records of both
    address outputs (counted with the csv module: memos hold quoted newlines) and
    the number of files of rows:5000.

Steps of the crosspoint section (--only crosspoint):
 1. Use the member exports of the conv section (made the same way when missing), and
    make tests/bench/data/export_nodup_<rows>_cp932.csv (and export_nodup_100k_cp932.csv)
    with gen_members.py --dup-email-rate 0: the same export with no shared e-mail.
 2. Time kaiin-crosspoint -q --sanitize --merge-plan tests/bench/data/cp_plan.csv
    -o tests/bench/data/cp_load.tsv beside shared/bench/pd_crosspoint.py (pandas, stdout
    to tests/bench/data/cp_pd.tsv), first on the member export, where members share
    addresses, so kaiin-crosspoint writes the merge plan and no load file and exits 1
    (the expected answer), then on the export without shared addresses, where it
    writes the load file and exits 0. kaiin-crosspoint's stderr goes to
    tests/bench/data/cp_err.txt: compare.py reads a command's stderr only after it
    ends, so the ~370 KB of merge errors of 1,000,000 rows would fill the pipe and hang.
 3. Print kaiin-crosspoint's time relative to pandas', its peak memory on both exports
    at 100,000 rows and at the full size, and a sanity check: the merge groups and
    members to merge of kaiin-crosspoint's --report json summary beside the duplicated
    rows pandas counts, and the data rows of both load files of the export without
    shared addresses (lines minus the header: the TSV has no quoting). The section's
    outputs are removed at the end.

Steps of the points section (--only points):
 1. Make two balance snapshots, tests/bench/data/balances_old_<rows>.csv and
    balances_new_<rows>.csv (and the 100k pair), when missing or with --regen: point
    CSVs (member_id,points,reason; CP932, CRLF) written here with Python's random and
    a fixed seed. Members 10001.. have 0..5000 points in OLD; in NEW about 30% of
    them have another balance (some 0), about 0.5% are missing, and about 0.5% more
    members, numbered after OLD's, appear.
 2. Check once that kaiin-points diff exits 0 and that its --report json summary
    accounts for every member of both snapshots (adjustments + unchanged + vanished
    are OLD's rows, adjustments + unchanged + appeared NEW's); stop otherwise.
    Then time kaiin-points diff OLD NEW -o tests/bench/data/points_adjust.csv, the same
    with --max-rows 5000 -o tests/bench/data/points_parts/adjust.csv (numbered files
    adjust.001.csv ...), and tests/bench/pd_points.py (pandas, an outer merge) writing
    points_adjust_pd.csv. The members in only one snapshot are warnings on
    kaiin-points' stderr, ~10,000 lines at 1,000,000 members, so it goes to
    tests/bench/data/points_err.txt (compare.py reads stderr only after a command
    ends: a full pipe would hang it); pandas' counts go to points_pd_err.txt.
 3. Print kaiin-points diff's time relative to pandas', its peak memory at 100,000
    members and at the full size, and a sanity line: the adjustments, appeared and
    vanished members of kaiin-points --report json's summary beside the data rows of
    pandas' output (lines minus the header: nothing is quoted) and its counts, and
    the number of numbered files of --max-rows 5000. The section's outputs are
    removed at the end.

Steps of the tags section (--only tags):
 1. Use the member exports of the conv section (made the same way when missing), and
    write the 20 rules to tests/bench/data/tag_rules_20.csv (CP932, CRLF; rewritten
    when missing or different): prefectures, ranks, points, registration within 365
    and 30 days, birthday months, mail magazine, mobile e-mail prefix, sex, and a tag
    (GOLD) of two rows that must both hold.
 2. Run once, untimed: (1) kaiin-tags -v apply --rules RULES --members EXPORT --today
    2026-11-23 -o tests/bench/data/tags_changes.csv, which must exit 0 with every row
    an add; make tests/bench/data/tags_links.csv (member_id,tag_code of each add) from
    its output; then (2) the same with --current tags_links.csv -o tags_changes2.csv,
    which must write only the header (a run after its changes are applied has nothing
    to change); stop otherwise. Then time (1) and (2) with compare.py (kaiin rows only).
    kaiin-tags' stderr (the -v summary line) goes to tests/bench/data/tags_err.txt.
 3. Print (1)'s peak memory at 100,000 members and at the full size, and a sanity line:
    the change rows of (1) beside its summary's add count, and that (2)'s last timed
    output is still the header alone. The section's outputs (and the .lock files
    kaiin-tags leaves beside them) are removed at the end; the rules file is kept.
"""
import argparse
import csv
import hashlib
import json
import math
import os
import random
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bench_common import DATA, REPO, SHARED, rel, run_compare, size_label
import crm as crm_section  # the crm, find and fix sections, in modules of their own beside run.py
import find as find_section
import fix as fix_section
import scale as scale_section

BENCH = REPO / "tests" / "bench"
KAIIN = REPO / "build" / "bin" / "kaiin-conv"
KAIIN_CHECK = REPO / "build" / "bin" / "kaiin-check"
KAIIN_SPLIT = REPO / "build" / "bin" / "kaiin-split"
KAIIN_CROSSPOINT = REPO / "build" / "bin" / "kaiin-crosspoint"
KAIIN_POINTS = REPO / "build" / "bin" / "kaiin-points"
KAIIN_TAGS = REPO / "build" / "bin" / "kaiin-tags"
KAIIN_CRM = REPO / "build" / "bin" / "kaiin-crm"
KAIIN_FIND = REPO / "build" / "bin" / "kaiin-find"
KAIIN_FIX = REPO / "build" / "bin" / "kaiin-fix"
# A fixed date, so that the birthday rule gives the same findings every day.
TODAY = "2026-11-23"
# kaiin-check's exit status on a file with errors: the upload file always has some.
CHECK_FOUND_ERRORS = 1

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




def small_size(rows):
    """Rows of the small file the memory check compares with the big one."""
    return min(100_000, max(1, rows // 10))


def data_files(rows):
    stem = DATA / f"members_{size_label(rows)}"
    return Path(f"{stem}_cp932.csv"), Path(f"{stem}_utf8.csv")


_generator_checked = False


def check_generator():
    """Once per run, before generating: the generator's CP932 bytes must be iconv's (Windows') ones."""
    global _generator_checked
    if not _generator_checked:
        subprocess.run([sys.executable, str(BENCH / "gen_members.py"), "--check"], check=True)
        _generator_checked = True


def generate(rows, path, extra=()):
    """Write `rows` CP932 rows to path (via a temporary name, so a stopped run leaves no half file)."""
    check_generator()
    tmp = path.with_suffix(".tmp")
    t0 = time.perf_counter()
    with open(tmp, "wb") as out:
        subprocess.run([sys.executable, str(BENCH / "gen_members.py"), "--rows", str(rows), *extra],
                       stdout=out, check=True)
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


def check_prefix(big, small):
    with open(big, "rb") as b, open(small, "rb") as s:
        head = s.read()
        if b.read(len(head)) != head:
            die(f"{rel(small)} is not the start of {rel(big)}; rerun with --regen")


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)


def ensure_data(rows, regen):
    """Both sizes of both encodings; the small file must be the first rows of the big one."""
    DATA.mkdir(parents=True, exist_ok=True)
    small_rows = small_size(rows)
    files = {}
    for n in (rows, small_rows):
        cp932, utf8 = data_files(n)
        if regen or not cp932.exists():
            generate(n, cp932)
        if regen or not utf8.exists() or utf8.stat().st_mtime < cp932.stat().st_mtime:
            iconv_to_utf8(cp932, utf8)
        files[n] = (cp932, utf8)
    check_prefix(files[rows][0], files[small_rows][0])
    return files[rows], files[small_rows], small_rows


def upload_file(rows):
    return DATA / f"upload_{size_label(rows)}_cp932.csv"


def ensure_generated(path_of, rows, regen, extra):
    """Both sizes of a generated file (path_of(rows) is its path), made by gen_members.py
    with `extra` when missing or with --regen; the small one must be the start of the big one."""
    DATA.mkdir(parents=True, exist_ok=True)
    small_rows = small_size(rows)
    for n in (rows, small_rows):
        path = path_of(n)
        if regen or not path.exists():
            generate(n, path, extra)
    check_prefix(path_of(rows), path_of(small_rows))
    return path_of(rows), path_of(small_rows), small_rows


def ensure_uploads(rows, regen):
    """The upload files (n and u rows) of both sizes, generated like the member files."""
    return ensure_generated(upload_file, rows, regen, ["--control", "nu"])


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


def compare(title, entries, runs, expected_exit=None, why="it found errors in the file"):
    """Run compare.py, print its table as it printed it, and return name -> median seconds.

    argv is a list, or a str for a shell command line (with a redirection).
    expected_exit maps a name to an exit status that is its normal answer (kaiin-check
    exits 1 on a file with errors); compare.py's warm-up note about it is marked so,
    with why.
    """
    def note(line):
        for name, rc in (expected_exit or {}).items():
            if line.startswith(f"note: {name} exited {rc} on warm-up"):
                return f"note: {name} exited {rc} on warm-up (expected: {why}, not a failure)"
        return line

    rows, _ = run_compare(title, [(name, argv if isinstance(argv, str) else shlex.join(argv))
                                  for name, argv, _ in entries], runs, note)
    return {name: median for name, (median, _) in rows.items()}


def print_ratio(medians, name="kaiin-conv", ref="iconv"):
    k, i = medians.get(name), medians.get(ref)
    if k and i:
        speed = f"{i / k:.2f}x as fast as {ref}" if k <= i else f"{k / i:.2f}x as slow as {ref}"
        print(f"{name} / {ref}: {k / i:.2f} (median {k:.3f} s vs {i:.3f} s: {name} is {speed})")


def peak_rss_mib(argv, ok=(0,)):
    """Peak resident memory of one run of argv, in MiB; exit statuses in ok are not failures.

    ru_maxrss survives fork and exec, so a child of this Python process could never
    read below this process's own size. GNU time is a small parent and reads the
    real figure; without it, the floor is measured with `true` and shown.
    """
    if os.access("/usr/bin/time", os.X_OK):
        # GNU time passes the command's exit status on, and says "Command exited
        # with non-zero status N" before the figure, which stays the last word.
        res = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True, cwd=REPO)
        if res.returncode not in ok:
            die(f"{shlex.join(argv)} failed: {res.stderr.strip()[-300:]}")
        return int(res.stderr.split()[-1]) / 1024
    with open(os.devnull, "wb") as null:
        p = subprocess.Popen(argv, stdout=null, cwd=REPO)
        _, status, usage = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) not in ok:
        die(f"{shlex.join(argv)} failed")
    return usage.ru_maxrss / 1024


def memory_table(tool, grows, labels, groups, count="rows", size="file MB", before_run=None):
    """The peak RSS of `tool` as its input grows: one table, a growth line after each group.

    labels: (heading, width) of the text columns that name a run; groups: lists of
    two runs, the small input then the big one, each (cells, rows, MB, argv, ok), ok
    the exit statuses that are answers; before_run, when given, runs before each run
    (to empty its output folder).
    """
    note_compare_floor()
    print(f"\n== memory: peak RSS of {tool} as {grows} ==")
    if not os.access("/usr/bin/time", os.X_OK):
        print(f"note: /usr/bin/time (Debian package time) missing; figures include this script's own "
              f"{peak_rss_mib(['true']):.1f} MiB, as `true` shows")
    size_w = max(10, len(size) + 2)
    print("".join(f"{h:<{w}}" for h, w in labels) + f"{count:>12}{size:>{size_w}}{'peak MiB':>10}")
    for group in groups:
        peaks = []
        for cells, n, mb, argv, ok in group:
            if before_run:
                before_run()
            peaks.append(peak_rss_mib(argv, ok=ok))
            print("".join(f"{c:<{w}}" for c, (_, w) in zip(cells, labels)) +
                  f"{n:>12,}{mb:>{size_w}.1f}{peaks[-1]:>10.1f}")
        grew = group[1][1] / group[0][1]
        print("".join(f"{'':<{w}}" for _, w in labels) +
              f"{'':>12}{'growth':>{size_w}}{peaks[1] / peaks[0]:>9.2f}x  (input grew {grew:.0f}x)")


def file_mb(path):
    return path.stat().st_size / 1e6


def file_width(*paths):
    """The width of a column of file names."""
    return max(len(rel(f)) for f in paths) + 2


def conv_memory(small, big, small_rows, rows):
    groups = []
    for what, flags, pick in [("CP932 -> UTF-8", ["-f", "cp932", "-t", "utf-8"], 0),
                              ("UTF-8 -> CP932", ["-f", "utf-8", "-t", "cp932"], 1)]:
        groups.append([([what], n, file_mb(files[pick]), [str(KAIIN), "-q", *flags, str(files[pick])], (0,))
                       for n, files in ((small_rows, small), (rows, big))])
    memory_table("kaiin-conv", "the file grows", [("direction", 18)], groups)


def compare_floor():
    """What compare.py's peak MiB column reads for a command that uses nothing."""
    res = subprocess.run([sys.executable, str(SHARED / "compare.py"), "-n", "1", "true=true"],
                         stdout=subprocess.PIPE, text=True)
    try:
        return float(res.stdout.splitlines()[1].split()[-2])
    except (IndexError, ValueError):
        return None


_floor_noted = False


def note_compare_floor():
    """Once per run, before the first memory table."""
    global _floor_noted
    if _floor_noted:
        return
    _floor_noted = True
    floor = compare_floor()
    if floor is not None:
        # Otherwise every small tool seems to need the same ~15 MiB.
        print(f"\nnote: compare.py's peak MiB cannot read below compare.py's own size (ru_maxrss is kept "
              f"across fork and exec): `true` reads {floor:.1f} MiB there; the table below has the real peaks")


def pandas_python():
    """python3 if it has pandas, else the system one (Debian's python3-pandas), else None."""
    for exe in ("python3", "/usr/bin/python3"):
        path = shutil.which(exe)
        if path and subprocess.run([path, "-c", "import pandas"], capture_output=True).returncode == 0:
            return exe
    return None


def note_pandas():
    """pandas_python(), saying on stderr when pandas is left out or runs elsewhere."""
    py = pandas_python()
    if not py:
        print("note: no python3 with pandas (python3-pandas), pandas left out", file=sys.stderr)
    elif py != "python3":
        print(f"note: python3 has no pandas; the pandas row runs {py}", file=sys.stderr)
    return py


def check_commands(src, py):
    """(name, argv, None) for each checker of an upload file; kaiin-check first."""
    f = rel(src)
    rows = [("kaiin-check", [rel(KAIIN_CHECK), "--today", TODAY, "-q", f], None),
            ("iconv", ["iconv", "-f", "CP932", "-t", "UTF-8", f], None)]
    if py:
        rows.append(("pandas", [py, rel(SHARED / "pd_check.py"), f], None))
    if shutil.which("csvclean"):
        # -n (dry run) checks every row as the normal mode does but writes no
        # FILE_out.csv / FILE_err.csv beside the input; what it finds goes to
        # stdout, which compare.py discards.
        rows.append(("csvclean -n", ["csvclean", "-n", "-e", "cp932", f], None))
    return rows


def check_memory(small, big, small_rows, rows):
    group = [([rel(f)], n, file_mb(f), [str(KAIIN_CHECK), "--today", TODAY, "-q", str(f)], (0, CHECK_FOUND_ERRORS))
             for n, f in ((small_rows, small), (rows, big))]
    memory_table("kaiin-check", "the upload file grows", [("file", file_width(small, big))], [group])


# pd_check.py's duplicate e-mail test, on its own: rows, flagged rows, addresses flagged.
PD_DUPLICATES = '''
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1], encoding="cp932", dtype=str, keep_default_na=False)
email = df["cus_email"].str.strip().str.lower()
dup = email.duplicated(keep=False)
print(len(df), int(dup.sum()), int(email[dup].nunique()))
'''


def check_sanity(src, rows, py):
    """kaiin-check's JSON summary, and its duplicate e-mail count beside pandas'."""
    print(f"\n== sanity: kaiin-check --report json on {rel(src)} ==", flush=True)
    argv = [str(KAIIN_CHECK), "--today", TODAY, "--report", "json", str(src)]
    summary, dups = None, 0
    with subprocess.Popen(argv, stdout=subprocess.PIPE, encoding="utf-8", errors="replace") as p:
        for line in p.stdout:
            item = json.loads(line)
            if "summary" in item:
                summary = item["summary"]
            elif item.get("rule") == "email-duplicate":
                dups += 1
    rc = p.returncode
    if rc not in (0, CHECK_FOUND_ERRORS) or summary is None:
        die(f"kaiin-check --report json exited {rc}" + ("" if summary else " without a summary line"))
    fields = ", ".join(f"{k} {summary[k]:,}" for k in ("records", "create", "update", "delete", "errors", "warnings")
                       if k in summary)
    note = " (errors found: expected for this file)" if rc == CHECK_FOUND_ERRORS else ""
    print(f"kaiin-check summary: {fields}; exit {rc}{note}")
    if summary.get("records") != rows:
        print(f"warning: kaiin-check read {summary.get('records')} records, the file has {rows:,}")
    if not py:
        print(f"kaiin-check email-duplicate findings: {dups:,} (pandas not installed: no comparison)")
        return
    res = subprocess.run([shutil.which(py), "-c", PD_DUPLICATES, str(src)], stdout=subprocess.PIPE, text=True)
    if res.returncode != 0:
        die(f"the pandas duplicate count exited {res.returncode}")
    pd_rows, pd_dup_rows, pd_addresses = map(int, res.stdout.split())
    print(f"duplicate e-mails: pandas {pd_dup_rows:,} rows ({pd_addresses:,} addresses, {pd_rows:,} rows read), "
          f"kaiin-check {dups:,} email-duplicate findings")
    print(f"  (pandas' keep=False counts every row of a duplicated address; kaiin-check reports each repeat "
          f"after the first, so it should be {pd_dup_rows:,} - {pd_addresses:,} = {pd_dup_rows - pd_addresses:,})")


BAD_ZIP = "12-34567"  # the findings file's zip code: zip-format on every row, the file the same size


def findings_file(big, regen):
    """The upload with every row's cus_zip made BAD_ZIP: one real row finding a row."""
    path = big.with_name(big.stem + "_badzip.csv")
    if regen or not path.exists() or path.stat().st_mtime < big.stat().st_mtime:
        tmp = path.with_suffix(".tmp")
        with open(big, encoding="cp932", newline="") as f, open(tmp, "w", encoding="cp932", newline="") as o:
            r, w = csv.reader(f), csv.writer(o, lineterminator="\r\n")
            header = next(r)
            w.writerow(header)
            z = header.index("cus_zip")
            for row in r:
                row[z] = BAD_ZIP
                w.writerow(row)
        tmp.replace(path)
        print(f"made {rel(path)}: every cus_zip {BAD_ZIP}", flush=True)
    return path


def check_findings(big, rows, a):
    """kaiin-check --report json on a file with a finding on every row, beside iconv."""
    bad = findings_file(big, a.regen)
    argv = [rel(KAIIN_CHECK), "--today", TODAY, "--report", "json", rel(bad)]
    html_argv = [rel(KAIIN_CHECK), "--today", TODAY, "--report", "html", rel(bad)]
    medians = compare(f"kaiin-check --report json and html, a zip-format finding on each of {rows:,} rows "
                      f"(median of {a.n})",
                      [("kaiin-check --report json", argv, None), ("kaiin-check --report html", html_argv, None),
                       ("iconv", ["iconv", "-f", "CP932", "-t", "UTF-8", rel(bad)], None)], a.n,
                      expected_exit={"kaiin-check --report json": CHECK_FOUND_ERRORS,
                                     "kaiin-check --report html": CHECK_FOUND_ERRORS})
    print_ratio(medians, "kaiin-check --report json")
    print_ratio(medians, "kaiin-check --report html", "kaiin-check --report json")
    check_html_page(bad, rows)
    res = subprocess.run([str(KAIIN_CHECK), "--today", TODAY, "--report", "json", str(bad)],
                         stdout=subprocess.PIPE, text=True)
    found = sum(1 for line in res.stdout.splitlines() if '"rule":"zip-format"' in line)
    if found != rows:
        die(f"kaiin-check found {found:,} zip-format findings in {rel(bad)}, not {rows:,}")
    print(f"sanity: {found:,} zip-format findings, one a row")


def check_html_page(bad, rows):
    """The --report html page of the findings file: its size (at most 10 MiB), and the
    seconds headless Chromium takes to open it and build its DOM (at most a minute)."""
    page = bad.with_suffix(".html")
    with open(page, "wb") as out:
        subprocess.run([str(KAIIN_CHECK), "--today", TODAY, "--report", "html", str(bad)], stdout=out)
    size = page.stat().st_size
    print(f"--report html page of {rows:,} findings: {size / 2**20:.2f} MiB", flush=True)
    if size > 10 * 2**20:
        die(f"the --report html page is {size / 2**20:.1f} MiB, more than 10 MiB")
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not browser:
        print("no headless Chromium: the page is not opened (sh scripts/install-deps installs it)")
        return
    start = time.monotonic()
    dom = subprocess.run([browser, "--no-sandbox", "--disable-gpu", "--dump-dom", "file://" + str(page.resolve())],
                         capture_output=True, timeout=120)
    seconds = time.monotonic() - start
    print(f"headless Chromium opened it in {seconds:.1f} s ({len(dom.stdout) / 2**20:.2f} MiB of DOM)")
    if seconds > 60 or b'id="findings"' not in dom.stdout:
        die("headless Chromium did not open the --report html page within a minute")


def run_check(a, py):
    big, small, small_rows = ensure_uploads(a.rows, a.regen)
    medians = compare(f"kaiin-check on an upload file ({a.rows:,} rows, {big.stat().st_size / 1e6:.0f} MB, "
                      f"median of {a.n})", check_commands(big, py), a.n,
                      expected_exit={"kaiin-check": CHECK_FOUND_ERRORS})
    print_ratio(medians, "kaiin-check")
    check_memory(small, big, small_rows, a.rows)
    check_sanity(big, a.rows, py)
    check_findings(big, a.rows, a)


SPLIT_ROWS = 5000
SPLIT_OUT = DATA / "split_out"        # kaiin-split's outputs
SPLIT_OUT_PD = DATA / "split_out_pd"  # pandas' outputs
SPLIT_MEM = DATA / "split_mem"        # the memory runs'


def split_commands(src, py, by):
    """(name, argv, None) for kaiin-split and pandas; by is "address" or "rows"."""
    f, k = rel(src), rel(KAIIN_SPLIT)
    if by == "address":
        rows = [("kaiin-split", [k, "-q", "--by", "address", "-o", rel(SPLIT_OUT / "crm.csv"), f], None)]
        pd_args = ["address", f, rel(SPLIT_OUT_PD / "crm.csv")]
    else:
        rows = [("kaiin-split", [k, "-q", "--by", f"rows:{SPLIT_ROWS}", "-d", rel(SPLIT_OUT), f], None)]
        pd_args = ["rows", str(SPLIT_ROWS), f, rel(SPLIT_OUT_PD)]
    if py:
        rows.append(("pandas", [py, rel(BENCH / "pd_split.py"), *pd_args], None))
    return rows


def csv_records(path):
    """Data records of a CP932 CSV, by the csv module: quoted memos may hold newlines."""
    with open(path, encoding="cp932", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def numbered(folder, stem):
    """Files STEM.001.csv ... in folder (a thousandth one would be STEM.1000.csv)."""
    return len(list(folder.glob(f"{stem}.[0-9][0-9][0-9]*.csv")))


def split_memory(small, big, small_rows, rows):
    groups = [[([by, rel(f)], n, file_mb(f), [str(KAIIN_SPLIT), "-q", *flags, str(f)], (0,))
               for n, f in ((small_rows, small), (rows, big))]
              for by, flags in ((f"rows:{SPLIT_ROWS}", ["--by", f"rows:{SPLIT_ROWS}", "-d", str(SPLIT_MEM)]),
                                ("address", ["--by", "address", "-o", str(SPLIT_MEM / "crm.csv")]))]
    memory_table("kaiin-split", "the upload file grows", [("split", 12), ("file", file_width(small, big))], groups,
                 before_run=lambda: fresh_dir(SPLIT_MEM))


def run_split(a, py):
    big, small, small_rows = ensure_uploads(a.rows, a.regen)
    size = f"{a.rows:,} rows, {big.stat().st_size / 1e6:.0f} MB, median of {a.n}"
    medians = compare(f"kaiin-split --by address on an upload file ({size})", split_commands(big, py, "address"), a.n)
    print_ratio(medians, "kaiin-split", "pandas")
    medians = compare(f"kaiin-split --by rows:{SPLIT_ROWS} on an upload file ({size})",
                      split_commands(big, py, "rows"), a.n)
    print_ratio(medians, "kaiin-split", "pandas")
    split_memory(small, big, small_rows, a.rows)

    # The last timed runs' outputs are still there: count them.
    k_rows = csv_records(SPLIT_OUT / "crm.csv")
    k_files, expected = numbered(SPLIT_OUT, big.stem), math.ceil(a.rows / SPLIT_ROWS)
    line = f"sanity: --by address rows: kaiin-split {k_rows:,}"
    if py:
        p_rows, p_files = csv_records(SPLIT_OUT_PD / "crm.csv"), numbered(SPLIT_OUT_PD, "members")
        line += f", pandas {p_rows:,} ({'agree' if k_rows == p_rows else 'DIFFER'})"
    line += f"; rows:{SPLIT_ROWS} files: kaiin-split {k_files:,} (expected {expected:,})"
    if py:
        line += f", pandas {p_files:,}"
    print(f"\n{line}")


# kaiin-crosspoint's exit status when members share addresses: no load file, the merge plan.
CROSSPOINT_MERGE = 1
CP_PLAN = DATA / "cp_plan.csv"      # kaiin-crosspoint's merge plan
CP_LOAD = DATA / "cp_load.tsv"      # its load file
CP_ERR = DATA / "cp_err.txt"        # its stderr (the merge errors)
CP_PD = DATA / "cp_pd.tsv"          # pandas' load file
CP_SCRATCH = DATA / "cp_scratch"    # the memory and sanity runs' outputs


def nodup_file(rows):
    return DATA / f"export_nodup_{size_label(rows)}_cp932.csv"


def ensure_nodup(rows, regen):
    """Member exports where no two members share an e-mail address, both sizes."""
    big, small, _ = ensure_generated(nodup_file, rows, regen, ["--dup-email-rate", "0"])
    return big, small


def crosspoint_argv(src, plan, out, path=rel):
    """The timed kaiin-crosspoint command; path=str for runs outside the repository's folder."""
    return [path(KAIIN_CROSSPOINT), "-q", "--sanitize", "--merge-plan", path(plan), "-o", path(out), path(src)]


def crosspoint_commands(src, py, name):
    """(name, shell command, None) for kaiin-crosspoint and pandas, both writing files in DATA."""
    rows = [(name, f"{shlex.join(crosspoint_argv(src, CP_PLAN, CP_LOAD))} 2> {shlex.quote(rel(CP_ERR))}", None)]
    if py:
        rows.append(("pandas", f"{shlex.join([py, rel(SHARED / 'pd_crosspoint.py'), rel(src)])} "
                               f"> {shlex.quote(rel(CP_PD))}", None))
    return rows


def crosspoint_memory(files):
    """files: ((rows, small file), (rows, big file), exit statuses that are answers) for each export."""
    groups = [[([rel(f)], n, file_mb(f), crosspoint_argv(f, CP_SCRATCH / "plan.csv", CP_SCRATCH / "load.tsv",
                                                         path=str), ok)
               for n, f in (small, big)]
              for small, big, ok in files]
    w = file_width(*(f for small, big, _ in files for _, f in (small, big)))
    memory_table("kaiin-crosspoint", "the export grows", [("file", w)], groups,
                 before_run=lambda: fresh_dir(CP_SCRATCH))


def crosspoint_summary(src):
    """kaiin-crosspoint --report json's summary line (the last one) and exit status; stderr is streamed."""
    argv = [str(KAIIN_CROSSPOINT), "--sanitize", "--report", "json", "--merge-plan", str(CP_SCRATCH / "plan.csv"),
            "-o", str(CP_SCRATCH / "load.tsv"), str(src)]
    last = None
    with subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          encoding="utf-8", errors="replace") as p:
        for line in p.stderr:
            if line.strip():
                last = line
    rc = p.returncode
    try:
        summary = json.loads(last)["summary"]
    except (TypeError, ValueError, KeyError):
        die(f"kaiin-crosspoint --report json on {rel(src)} exited {rc} without a summary line")
    if rc not in (0, CROSSPOINT_MERGE):
        die(f"kaiin-crosspoint --report json on {rel(src)} exited {rc}")
    return summary, rc


def print_crosspoint_summary(src, summary, rc):
    fields = ", ".join(f"{k} {summary[k]:,}" for k in ("members_read", "merge_groups", "members_to_merge",
                                                       "members_written", "values_sanitized", "points_carried",
                                                       "errors", "warnings") if k in summary)
    note = " (members share addresses: expected for this file)" if rc == CROSSPOINT_MERGE else ""
    print(f"kaiin-crosspoint on {rel(src)}: {fields}; exit {rc}{note}")


def count_lines(path):
    with open(path, "rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))


def crosspoint_sanity(big, nodup, rows, py):
    print("\n== sanity: kaiin-crosspoint --report json, and the load files ==", flush=True)
    fresh_dir(CP_SCRATCH)
    summary, rc = crosspoint_summary(big)
    print_crosspoint_summary(big, summary, rc)
    groups, members = summary.get("merge_groups"), summary.get("members_to_merge")
    line = f"members sharing an e-mail address: kaiin-crosspoint {members:,} in {groups:,} merge groups"
    if py:
        with open(os.devnull, "wb") as null:
            res = subprocess.run([shutil.which(py), str(SHARED / "pd_crosspoint.py"), str(big)],
                                 stdout=null, stderr=subprocess.PIPE, text=True)
        if res.returncode != 0:
            die(f"pd_crosspoint.py exited {res.returncode}: {res.stderr.strip()[-300:]}")
        pd_dups = int(res.stderr.split()[-1])
        line += f", pandas {pd_dups:,} duplicated rows ({'agree' if pd_dups == members else 'DIFFER'})"
    print(line)
    if py:
        print("  (pandas' duplicated(keep=False) counts every row of a shared cus_email, lower-cased; kaiin-crosspoint "
              "also trims, folds full-width ASCII, and links PC and mobile addresses and chains)")

    summary, rc = crosspoint_summary(nodup)
    print_crosspoint_summary(nodup, summary, rc)
    if rc != 0:
        print(f"warning: kaiin-crosspoint exited {rc} on {rel(nodup)}, which has no shared addresses")
    # The last timed runs were on the export without shared addresses: both load files are its.
    k_rows = count_lines(CP_LOAD) - 1 if CP_LOAD.exists() else None
    line = f"load file data rows of {rel(nodup)}: kaiin-crosspoint " + (f"{k_rows:,}" if k_rows is not None
                                                                         else "none written")
    ok = k_rows == rows
    if py:
        p_rows = count_lines(CP_PD) - 1
        line += f", pandas {p_rows:,}"
        ok = ok and p_rows == k_rows
    line += f", expected {rows:,} ({'agree' if ok else 'DIFFER'})"
    print(line)
    if summary.get("members_written") != k_rows:
        print(f"warning: kaiin-crosspoint's summary says members_written {summary.get('members_written')}")


def run_crosspoint(a, py):
    (big, _), (small, _), small_rows = ensure_data(a.rows, a.regen)
    nodup, nodup_small = ensure_nodup(a.rows, a.regen)
    # kaiin-crosspoint writes no load file on the first export: none is left from before (see SECTIONS).
    medians = compare(f"kaiin-crosspoint on a member export ({a.rows:,} rows, {big.stat().st_size / 1e6:.0f} MB, "
                      f"median of {a.n})", crosspoint_commands(big, py, "kaiin-crosspoint"), a.n,
                      expected_exit={"kaiin-crosspoint": CROSSPOINT_MERGE},
                      why="members share e-mail addresses, so the merge plan and no load file")
    print_ratio(medians, "kaiin-crosspoint", "pandas")
    if CP_LOAD.exists():
        print(f"warning: kaiin-crosspoint wrote {rel(CP_LOAD)} though members share addresses")
    name = "kaiin-crosspoint (no duplicates)"
    medians = compare(f"kaiin-crosspoint on an export without shared addresses ({a.rows:,} rows, "
                      f"{nodup.stat().st_size / 1e6:.0f} MB, median of {a.n})",
                      crosspoint_commands(nodup, py, name), a.n)
    print_ratio(medians, name, "pandas")
    crosspoint_memory([((small_rows, small), (a.rows, big), (0, CROSSPOINT_MERGE)),
                       ((small_rows, nodup_small), (a.rows, nodup), (0,))])
    crosspoint_sanity(big, nodup, a.rows, py)


POINTS_SEED = 20261123                 # the balance snapshots' random seed
POINTS_FIRST_ID = 10001
POINTS_ROWS = 5000                     # --max-rows: FutureShop's limit of a point upload
PTS_OUT = DATA / "points_adjust.csv"     # kaiin-points diff's adjustments
PTS_PARTS = DATA / "points_parts"        # the numbered files of --max-rows
PTS_ERR = DATA / "points_err.txt"        # its stderr (the appeared and vanished warnings)
PTS_PD = DATA / "points_adjust_pd.csv"   # pandas' adjustments
PTS_PD_ERR = DATA / "points_pd_err.txt"  # pandas' counts
PTS_SCRATCH = DATA / "points_scratch"    # the memory and sanity runs' outputs


def balance_files(rows):
    label = size_label(rows)
    return DATA / f"balances_old_{label}.csv", DATA / f"balances_new_{label}.csv"


def generate_balances(rows, old_path, new_path):
    """Two point CSVs (CP932, CRLF) of `rows` members: the balances now and the balances wanted.

    In NEW, about 30% of the members have another balance (a tenth of those 0), about
    0.5% are missing, and 0.5% of `rows` new members, numbered after OLD's, are added.
    """
    rng = random.Random(POINTS_SEED)
    header = "member_id,points,reason\r\n".encode("cp932")
    tail = ",残高\r\n".encode("cp932")
    old, new = [header], [header]
    changed = vanished = 0
    t0 = time.perf_counter()
    for member in range(POINTS_FIRST_ID, POINTS_FIRST_ID + rows):
        points = rng.randint(0, 5000)
        old.append(b"%d,%d%s" % (member, points, tail))
        r = rng.random()
        if r < 0.005:
            vanished += 1
            continue
        if r < 0.305:
            changed += 1
            if points and rng.random() < 0.1:
                points = 0
            else:
                delta = rng.randint(-min(points, 3000), 3000)
                points += delta or rng.randint(1, 3000)
        new.append(b"%d,%d%s" % (member, points, tail))
    appeared = max(1, round(rows * 0.005))
    for member in range(POINTS_FIRST_ID + rows, POINTS_FIRST_ID + rows + appeared):
        new.append(b"%d,%d%s" % (member, rng.randint(0, 5000), tail))
    for path, lines in ((old_path, old), (new_path, new)):
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(b"".join(lines))
        tmp.replace(path)
    secs = time.perf_counter() - t0
    print(f"generated {rel(old_path)} and {rel(new_path)}: {rows:,} members in OLD, {changed:,} changed, "
          f"{vanished:,} vanished, {appeared:,} appeared; {old_path.stat().st_size / 1e6:.1f} + "
          f"{new_path.stat().st_size / 1e6:.1f} MB in {secs:.2f} s", flush=True)


def ensure_balances(rows, regen):
    """The snapshot pairs of both sizes (each generated on its own, from the same seed)."""
    DATA.mkdir(parents=True, exist_ok=True)
    small_rows = small_size(rows)
    for n in (rows, small_rows):
        old, new = balance_files(n)
        if regen or not old.exists() or not new.exists():
            generate_balances(n, old, new)
    return balance_files(rows), balance_files(small_rows), small_rows


def points_argv(old, new, out, max_rows=False, path=rel):
    """The timed kaiin-points diff command; path=str for runs outside the repository's folder."""
    parts = ["--max-rows", str(POINTS_ROWS)] if max_rows else []
    return [path(KAIIN_POINTS), "diff", *parts, path(old), path(new), "-o", path(out)]


def points_commands(old, new, py):
    """(name, shell command, None) for kaiin-points diff, with --max-rows, and pandas; kaiin-points first."""
    err = f"2> {shlex.quote(rel(PTS_ERR))}"
    rows = [("kaiin-points diff", f"{shlex.join(points_argv(old, new, PTS_OUT))} {err}", None),
            ("kaiin-points --max-rows",
             f"{shlex.join(points_argv(old, new, PTS_PARTS / 'adjust.csv', max_rows=True))} {err}", None)]
    if py:
        rows.append(("pandas", f"{shlex.join([py, rel(BENCH / 'pd_points.py'), rel(old), rel(new), rel(PTS_PD)])} "
                               f"2> {shlex.quote(rel(PTS_PD_ERR))}", None))
    # The floor: decoding the same bytes, and no more (the goal is within 2x of it).
    rows.append(("iconv", f"iconv -f CP932 -t UTF-8 {shlex.quote(rel(old))} {shlex.quote(rel(new))} > /dev/null", None))
    return rows


def points_memory(small, big, small_rows, rows):
    """small, big: (OLD, NEW) pairs."""
    groups = [[([label, rel(old)], n, (old.stat().st_size + new.stat().st_size) / 1e6,
                points_argv(old, new, out, max_rows, path=str), (0,))
               for n, (old, new) in ((small_rows, small), (rows, big))]
              for label, out, max_rows in (("one file", PTS_SCRATCH / "adjust.csv", False),
                                           (f"{POINTS_ROWS} a file", PTS_SCRATCH / "parts" / "adjust.csv", True))]
    memory_table("kaiin-points diff", "the snapshots grow", [("output", 14), ("OLD", file_width(small[0], big[0]))],
                 groups, count="members", size="OLD+NEW MB", before_run=lambda: fresh_dir(PTS_SCRATCH / "parts"))


def points_summary(old, new):
    """kaiin-points --report json diff's summary (its last stderr line), writing into PTS_SCRATCH; stderr is streamed."""
    argv = [str(KAIIN_POINTS), "--report", "json", *points_argv(old, new, PTS_SCRATCH / "adjust.csv", path=str)[1:]]
    last, first_error = None, None
    with subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          encoding="utf-8", errors="replace") as p:
        for line in p.stderr:
            if line.strip():
                last = line
                if first_error is None and '"severity":"error"' in line:
                    first_error = line
    try:
        summary = json.loads(last)["summary"]
    except (TypeError, ValueError, KeyError):
        die(f"kaiin-points --report json diff exited {p.returncode} without a summary line")
    if p.returncode != 0:
        try:
            what = json.loads(first_error)["message"]
        except (TypeError, ValueError, KeyError):
            what = "no error reported"
        die(f"kaiin-points --report json diff {rel(old)} {rel(new)} exited {p.returncode} "
            f"({summary.get('errors', '?')} errors, the first: {what})")
    return summary


def points_verify(old, new):
    """Before timing: kaiin-points diff must exit 0 and account for every member of both snapshots.

    Each member of OLD is an adjustment, unchanged or vanished; each of NEW an
    adjustment, unchanged or appeared. Returns the --report json summary.
    """
    fresh_dir(PTS_SCRATCH)
    summary = points_summary(old, new)
    old_rows, new_rows = count_lines(old) - 1, count_lines(new) - 1
    got = {k: summary.get(k) for k in ("adjustments", "unchanged", "appeared", "vanished")}
    if None in got.values():
        die(f"kaiin-points --report json diff's summary lacks {', '.join(k for k, v in got.items() if v is None)}")
    read_old = got["adjustments"] + got["unchanged"] + got["vanished"]
    read_new = got["adjustments"] + got["unchanged"] + got["appeared"]
    if (read_old, read_new) != (old_rows, new_rows):
        die(f"kaiin-points diff accounted for {read_old:,} of the {old_rows:,} members of {rel(old)} and "
            f"{read_new:,} of the {new_rows:,} of {rel(new)}: benchmark aborted")
    print(f"verified: kaiin-points diff accounts for all {old_rows:,} members of {rel(old)} and "
          f"{new_rows:,} of {rel(new)}", flush=True)
    return summary


def points_sanity(summary, py):
    """summary: points_verify's; the timed runs' last outputs are still there."""
    print("\n== sanity: kaiin-points --report json diff, and the adjustment files ==", flush=True)
    fields = ", ".join(f"{k} {summary[k]:,}" if isinstance(summary[k], int) else f"{k} {summary[k]}"
                       for k in ("adjustments", "points_total", "unchanged", "appeared", "vanished",
                                 "errors", "warnings") if k in summary)
    print(f"kaiin-points summary: {fields}")
    adjustments, appeared, vanished = (summary[k] for k in ("adjustments", "appeared", "vanished"))
    # Nothing in these files is quoted: their lines are their rows.
    k_rows = count_lines(PTS_OUT) - 1
    ok = k_rows == adjustments
    line = f"sanity: adjustment rows: kaiin-points {adjustments:,} (its file {k_rows:,})"
    if py:
        p_rows = count_lines(PTS_PD) - 1
        words = PTS_PD_ERR.read_text().split()
        counts = dict(zip(words[::2], (int(w) for w in words[1::2])))
        same_rows = p_rows == adjustments
        same_members = (counts.get("appeared"), counts.get("vanished")) == (appeared, vanished)
        ok = ok and same_rows and same_members
        line += (f", pandas {p_rows:,} ({'agree' if same_rows else 'DIFFER'}); appeared/vanished: kaiin-points "
                 f"{appeared:,}/{vanished:,}, pandas {counts.get('appeared', 0):,}/{counts.get('vanished', 0):,} "
                 f"({'agree' if same_members else 'DIFFER'})")
    files = numbered(PTS_PARTS, "adjust")
    part_rows = sum(count_lines(f) - 1 for f in PTS_PARTS.glob("adjust.[0-9][0-9][0-9]*.csv"))
    expected = math.ceil(adjustments / POINTS_ROWS)
    ok = ok and files == expected and part_rows == adjustments
    line += (f"; --max-rows {POINTS_ROWS} files: kaiin-points {files:,} (expected {expected:,}), "
             f"{part_rows:,} rows in all")
    print(line)
    if not ok:
        die("the adjustment counts do not agree")


def run_points(a, py):
    big, small, small_rows = ensure_balances(a.rows, a.regen)
    mb = (big[0].stat().st_size + big[1].stat().st_size) / 1e6
    summary = points_verify(*big)
    medians = compare(f"kaiin-points diff on two balance snapshots ({a.rows:,} members, {mb:.0f} MB in all, "
                      f"median of {a.n})", points_commands(*big, py), a.n)
    print_ratio(medians, "kaiin-points diff", "pandas")
    print_ratio(medians, "kaiin-points --max-rows", "pandas")
    print_ratio(medians, "kaiin-points diff", "iconv")
    points_memory(small, big, small_rows, a.rows)
    points_sanity(summary, py)


TAGS_RULES = DATA / "tag_rules_20.csv"    # the rules (kept, like the other inputs)
# 20 rules of 19 tags (GOLD has two rows: both must hold). Written in CP932 with CRLF.
TAG_RULES_TEXT = """\
tag_code,field,op,value
PREF0,pref,eq,東京都
PREF1,pref,eq,大阪府
PREF2,pref,eq,北海道
PREF3,pref,eq,福岡県
PREF4,pref,eq,愛知県
GOLD,rank,in,ゴールド|プラチナ
GOLD,point,ge,1000
RICH,point,gt,2000
POOR,point,le,0
NEW365,registered,within_days,365
NEW30,registered,within_days,30
BDAY,birthday,month_is,this
APR,birthday,month_is,4
MAIL,mailmag,eq,1
NOMAIL,mailmag,ne,1
DOCOMO,cus_mobile_email,prefix,m
FEMALE,sex,eq,2
MALE,sex,eq,1
OLD,birthday,lt,1950
MIDRANK,rank,in,シルバー|ブロンズ
"""
TAGS_OUT = DATA / "tags_changes.csv"      # (1): no --current, so every link is an add
TAGS_OUT2 = DATA / "tags_changes2.csv"    # (2): --current TAGS_LINKS, so the header only
TAGS_LINKS = DATA / "tags_links.csv"      # (1)'s adds as current links, member_id,tag_code
TAGS_ERR = DATA / "tags_err.txt"          # kaiin-tags' stderr (the -v summary line)
TAGS_SCRATCH = DATA / "tags_scratch"      # the memory runs' outputs


def ensure_tag_rules():
    data = TAG_RULES_TEXT.replace("\n", "\r\n").encode("cp932")
    if not TAGS_RULES.exists() or TAGS_RULES.read_bytes() != data:
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = TAGS_RULES.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(TAGS_RULES)
        print(f"wrote {rel(TAGS_RULES)}: {TAG_RULES_TEXT.count(chr(10)) - 1} rules", flush=True)


def tags_argv(members, out, current=None, path=rel):
    """kaiin-tags -v apply of the 20 rules; path=str for runs outside the repository's folder."""
    extra = ["--current", path(current)] if current else []
    return [path(KAIIN_TAGS), "-v", "apply", "--rules", path(TAGS_RULES), "--members", path(members),
            *extra, "--today", TODAY, "-o", path(out)]


def tags_commands(members):
    """(name, shell command, None) for (1) and (2); both write files in DATA, stderr to TAGS_ERR."""
    err = f"2> {shlex.quote(rel(TAGS_ERR))}"
    return [("kaiin-tags apply", f"{shlex.join(tags_argv(members, TAGS_OUT))} {err}", None),
            ("kaiin-tags --current", f"{shlex.join(tags_argv(members, TAGS_OUT2, TAGS_LINKS))} {err}", None)]


def tags_run(argv):
    """One untimed run from the repository's folder, stderr to TAGS_ERR; returns the -v summary as a dict."""
    with open(TAGS_ERR, "wb") as err:
        rc = subprocess.run(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=err).returncode
    lines = [l for l in TAGS_ERR.read_text(encoding="utf-8", errors="replace").splitlines() if l.strip()]
    if rc != 0:
        die(f"{shlex.join(argv)} exited {rc}: {lines[-1] if lines else 'nothing on stderr'}")
    # "kaiin-tags: summary: members 100000, rules 20, tags 19, add 309866, remove 0, errors 0, warnings 0"
    summary = {}
    if lines and ": summary: " in lines[-1]:
        for item in lines[-1].split(": summary: ", 1)[1].split(","):
            key, _, value = item.strip().rpartition(" ")
            if value.isdigit():
                summary[key] = int(value)
    if "add" not in summary or "remove" not in summary:
        die(f"{shlex.join(argv)} printed no -v summary line with add and remove counts")
    return summary


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def make_tag_links(changes, links):
    """member_id,tag_code of every add of changes, streamed (in its order, with its line ends).

    Nothing in a changes file is quoted; every row must be an add, as there was no
    --current. Returns (header line, rows).
    """
    tmp = links.with_suffix(".tmp")
    rows = 0
    with open(changes, "rb") as f, open(tmp, "wb") as out:
        header = f.readline()
        if header.rstrip(b"\r\n") != b"member_id,tag_code,action":
            die(f"{rel(changes)} starts with {header[:80]!r}, not the header member_id,tag_code,action")
        eol = header[len(header.rstrip(b"\r\n")):] or b"\r\n"
        out.write(b"member_id,tag_code" + eol)
        for n, line in enumerate(f, 2):
            fields = line.rstrip(b"\r\n").split(b",")
            if len(fields) != 3 or b'"' in line or fields[2] != b"add":
                die(f"{rel(changes)} line {n}: not member_id,tag_code,add: {line[:80]!r}")
            out.write(fields[0] + b"," + fields[1] + eol)
            rows += 1
    tmp.replace(links)
    return header, rows


def header_only(path, header):
    """Whether path holds exactly the header line (the same bytes as (1)'s)."""
    return path.exists() and path.read_bytes() == header


def tags_memory(small, big, small_rows, rows):
    group = [([rel(f)], n, file_mb(f), tags_argv(f, TAGS_SCRATCH / "changes.csv", path=str), (0,))
             for n, f in ((small_rows, small), (rows, big))]
    memory_table("kaiin-tags apply (1)", "the export grows", [("file", file_width(small, big))], [group],
                 count="members", before_run=lambda: fresh_dir(TAGS_SCRATCH))


def run_tags(a, py):
    (big, _), (small, _), small_rows = ensure_data(a.rows, a.regen)
    ensure_tag_rules()
    # Before timing: (1) once, the links from it, and (2) once, which must change nothing.
    summary1 = tags_run(tags_argv(big, TAGS_OUT))
    header, rows1 = make_tag_links(TAGS_OUT, TAGS_LINKS)
    digest1 = file_digest(TAGS_OUT)
    if summary1.get("members") != a.rows:
        die(f"kaiin-tags read {summary1.get('members')} members of {rel(big)}, not {a.rows:,}")
    if (summary1["add"], summary1["remove"]) != (rows1, 0):
        die(f"kaiin-tags' summary says add {summary1['add']:,}, remove {summary1['remove']:,}; "
            f"{rel(TAGS_OUT)} has {rows1:,} adds")
    print(f"made {rel(TAGS_LINKS)}: the {rows1:,} links (1) adds", flush=True)
    summary2 = tags_run(tags_argv(big, TAGS_OUT2, TAGS_LINKS))
    if not header_only(TAGS_OUT2, header) or (summary2["add"], summary2["remove"]) != (0, 0):
        die(f"kaiin-tags apply --current {rel(TAGS_LINKS)} wrote {count_lines(TAGS_OUT2) - 1:,} change rows "
            f"(add {summary2['add']:,}, remove {summary2['remove']:,}), not the header alone: "
            f"benchmark aborted")
    print(f"verified: kaiin-tags apply --current {rel(TAGS_LINKS)} writes only the header", flush=True)

    compare(f"kaiin-tags apply, {TAG_RULES_TEXT.count(chr(10)) - 1} rules, on a member export "
            f"({a.rows:,} members, {big.stat().st_size / 1e6:.0f} MB, median of {a.n})",
            tags_commands(big), a.n)
    print(f"(kaiin-tags apply: (1), no --current, {rows1:,} adds; kaiin-tags --current: (2), "
          f"against (1)'s adds as {rel(TAGS_LINKS)}, the header only)")
    tags_memory(small, big, small_rows, a.rows)

    # The last timed runs' outputs are still there.
    same = file_digest(TAGS_OUT) == digest1
    idempotent = header_only(TAGS_OUT2, header)
    print(f"\nsanity: change rows of (1): {count_lines(TAGS_OUT) - 1:,}, all add (its -v summary: add "
          f"{summary1['add']:,}, remove {summary1['remove']:,}; "
          f"{'the same bytes as the untimed run' if same else 'DIFFER from the untimed run'}); "
          f"(2) with --current: {'header only' if idempotent else 'NOT header only'}")
    if not (same and idempotent):
        die("the timed runs' outputs are not what the untimed runs wrote")


def run_conv(a, py):
    big, small, small_rows = ensure_data(a.rows, a.regen)
    script = DATA / "py_conv_to_cp932.py"
    if not script.exists() or script.read_text() != PY_TO_CP932:
        script.write_text(PY_TO_CP932)
    verify(*big)

    # (title, commands, input, small input, what the small input's output should be)
    directions = [("CP932 -> UTF-8", cp932_to_utf8, big[0], small[0], small[1], "iconv's output"),
                  ("UTF-8 -> CP932", utf8_to_cp932, big[1], small[1], small[0], "the original CP932")]
    for title, make, src, small_src, expected, label in directions:
        medians = compare(f"{title} ({a.rows:,} rows, {src.stat().st_size / 1e6:.0f} MB, median of {a.n})",
                          make(src, CONV_OUT), a.n)
        print_ratio(medians)
        notes = same_output(make(small_src, CONV_OUT), expected)
        print(f"same bytes as {label} (first {small_rows:,} rows)? " + "; ".join(notes))
    note_compare_floor()
    conv_memory(small, big, small_rows, a.rows)


CONV_OUT = DATA / "out_kaiin_utf8.csv"  # kaiin-conv -o's output


# ---- the driver: one table of sections ----

@dataclass
class Section:
    """One section of the benchmark: what --only names, the program it times, its body
    run(args, python with pandas or None), its peers that may be missing, and the
    files and folders it writes (removed before and after it; folders are made empty
    before it, as its commands expect them)."""
    name: str
    tool: Path
    run: Callable
    pandas: bool = False
    peers: tuple = ()  # (command, how the note names it)
    outputs: tuple = ()
    folders: tuple = ()


SCALE_SCRATCH = DATA / "scale_out"  # the scale section's outputs


def tags_outputs():
    """Every file the tags section writes but the rules, with the .lock files kaiin-tags leaves beside its outputs."""
    return (TAGS_OUT, TAGS_OUT2, TAGS_LINKS, TAGS_ERR, TAGS_LINKS.with_suffix(".tmp"),
            *(f.with_name(f.name + ".lock") for f in (TAGS_OUT, TAGS_OUT2)))


SECTIONS = [
    Section("conv", KAIIN, run_conv, peers=(("uconv", "uconv"), ("nkf", "nkf")), outputs=(CONV_OUT,)),
    Section("check", KAIIN_CHECK, run_check, pandas=True, peers=(("csvclean", "csvclean (csvkit)"),)),
    Section("split", KAIIN_SPLIT, run_split, pandas=True, folders=(SPLIT_OUT, SPLIT_OUT_PD, SPLIT_MEM)),
    Section("crosspoint", KAIIN_CROSSPOINT, run_crosspoint, pandas=True, outputs=(CP_LOAD, CP_PLAN, CP_PD, CP_ERR),
            folders=(CP_SCRATCH,)),
    Section("points", KAIIN_POINTS, run_points, pandas=True, outputs=(PTS_OUT, PTS_PD, PTS_ERR, PTS_PD_ERR),
            folders=(PTS_PARTS, PTS_SCRATCH)),
    Section("tags", KAIIN_TAGS, run_tags, outputs=tags_outputs(), folders=(TAGS_SCRATCH,)),
    Section("crm", KAIIN_CRM, crm_section.run, pandas=True, outputs=crm_section.OUTPUTS,
            folders=crm_section.FOLDERS),
    Section("find", KAIIN_FIND, find_section.run),
    Section("fix", KAIIN_FIX, fix_section.run, outputs=fix_section.OUTPUTS),
    # Last: it uses the other sections' data, and at --rows 10000000 it takes long.
    Section("scale", KAIIN_CRM, lambda a, py: scale_section.run(a, py, sys.modules[__name__]),
            folders=(SCALE_SCRATCH,)),
]


def clean(section, make_folders):
    for f in section.outputs:
        f.unlink(missing_ok=True)
    for d in section.folders:
        fresh_dir(d) if make_folders else shutil.rmtree(d, ignore_errors=True)


def run_section(section, a):
    py = note_pandas() if section.pandas else None
    for command, name in section.peers:
        if not shutil.which(command):
            print(f"note: {name} not installed, left out (scripts/install-deps --bench)", file=sys.stderr)
    try:
        clean(section, make_folders=True)
        section.run(a, py)
    finally:
        clean(section, make_folders=False)


def main():
    names = [s.name for s in SECTIONS]
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the benchmark file (default 1,000,000)")
    ap.add_argument("--regen", action="store_true", help="generate the data files again even if they exist")
    ap.add_argument("-n", type=int, default=3, help="timed runs of each command, after one warm-up (default 3)")
    ap.add_argument("--only", choices=names + ["all"], default="all",
                    help="run only the section of one program: " + ", ".join(names) + " (default all)")
    ap.add_argument("--orders", type=int, help="crm and find: orders in the order export (default twice --rows)")
    ap.add_argument("--addresses", type=int, default=10_000,
                    help="find: addresses to look up (default 10,000, at most half of --rows)")
    ap.add_argument("--typo-rate", type=float, default=0.02,
                    help="fix: share of the rows given a mistake kaiin-fix fixes (default 0.02)")
    ap.add_argument("--keep", action="store_true",
                    help="crm: keep its generated members and orders (1.3 GB at the default size)")
    a = ap.parse_args()
    if a.rows < 1 or a.n < 1 or (a.orders is not None and a.orders < 1):
        die("--rows, --orders and -n must be at least 1")
    if not (SHARED / "compare.py").is_file():
        die(f"{SHARED / 'compare.py'} not found: the benchmark needs shared/bench beside the repository "
            f"(../shared/bench from {REPO})")
    if not shutil.which("iconv"):
        die("iconv not found: it is the reference the tools are checked and timed against")
    chosen = [s for s in SECTIONS if a.only in (s.name, "all")]
    for s in chosen:
        if not os.access(s.tool, os.X_OK):
            die(f"{rel(s.tool)} not found: build it first (make build, or cmake --build build)")
    for s in chosen:
        run_section(s, a)


if __name__ == "__main__":
    main()
