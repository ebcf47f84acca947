"""The fix section of tests/bench/run.py (--only fix): kaiin-fix against kaiin-check on
the same upload. Fixing a file should cost at most 1.5x checking it (issue 15),
since kaiin-fix checks it too, in the same pass, and writes the copy beside. run.py's
driver calls run(); this module is not run on its own.

Steps:
 1. Make tests/bench/data/upload_<rows>_cp932.csv with gen_members.py --control nu (as
    the check section does; the same file when it is there), and beside it
    upload_<rows>_typos_cp932.csv: the same rows with --typo-rate of them (2% by
    default) given one mistake that kaiin-fix fixes (spec §13: N for n, a full-width
    or 〒 zip code, furigana in hiragana, a prefecture without 都府県, a birthday in a
    Japanese era or with 年月日, a full-width telephone number or address).
 2. Time kaiin-check -q FILE beside kaiin-fix -q -o OUT --changes LIST FILE with
    shared/bench/compare.py, kaiin-check first, so the ratio is kaiin-fix's against it:
    on the upload as generated (nothing to fix: kaiin-fix copies every record as its
    bytes) and on the copy with typos. Both exit 1: the generated uploads have
    duplicate addresses by design, which neither can fix. kaiin-fix's report goes to
    tests/bench/data/fix_err.txt, its copy and change list to fix_out.csv and
    fix_changes.csv there (overwritten by each run, removed at the end).
 3. Untimed, on the copy with typos: kaiin-fix's --report json summary (values fixed
    by rule), fixing its copy again (must change nothing), and kaiin-check on the
    copy (must find none of the rules that were fixed).
 4. Print each ratio and whether it is within 1.5x.
"""
import csv
import json
import os
import random
import shlex
import subprocess
import sys

from bench_common import DATA, REPO, rel, run_compare, size_label

BENCH = REPO / "tests" / "bench"
KAIIN_CHECK = REPO / "build" / "bin" / "kaiin-check"
KAIIN_FIX = REPO / "build" / "bin" / "kaiin-fix"
TODAY = "2026-11-23"
LIMIT = 1.5
OUT, CHANGES, ERR = DATA / "fix_out.csv", DATA / "fix_changes.csv", DATA / "fix_err.txt"
AGAIN, AGAIN_CHANGES = DATA / "fix_again.csv", DATA / "fix_again_changes.csv"
# What the section writes; the driver removes them before and after it.
OUTPUTS = (OUT, CHANGES, ERR, AGAIN, AGAIN_CHANGES)


def die(msg):
    print(f"run.py: error: fix section: {msg}", file=sys.stderr)
    sys.exit(1)


def ensure_upload(rows, regen):
    """The upload of run.py's check section: n and u rows, CP932 with CRLF."""
    path = DATA / f"upload_{size_label(rows)}_cp932.csv"
    if regen or not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as out:
            subprocess.run([sys.executable, str(BENCH / "gen_members.py"), "--rows", str(rows), "--control", "nu"],
                           stdout=out, check=True)
        tmp.replace(path)
        print(f"generated {rel(path)}: {rows:,} rows", flush=True)
    return path


FULL = str.maketrans("0123456789-@.abcdefghijklmnopqrstuvwxyz", "０１２３４５６７８９－＠．ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ")
HIRAGANA = {chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)}


def era(birthday):
    y, m, d = map(int, birthday.split("/"))
    return f"S{y - 1925}.{m}.{d}" if (y, m, d) < (1989, 1, 8) else f"H{y - 1988}.{m}.{d}"


# One mistake of spec §13 for a row (a dict by header name); each kaiin-fix undoes.
TYPOS = [
    lambda r: r.update(control=r["control"].upper()),
    lambda r: r.update(cus_zip=r["cus_zip"].translate(FULL)),
    lambda r: r.update(cus_zip="〒" + r["cus_zip"]),
    lambda r: r.update(cus_last_kana="".join(HIRAGANA.get(c, c) for c in r["cus_last_kana"])),
    lambda r: r.update(cus_pref=r["cus_pref"][:-1]) if r["cus_pref"] not in ("京都府", "北海道") else None,
    lambda r: r.update(cus_birthday=era(r["cus_birthday"])),
    lambda r: r.update(cus_birthday="{}年{}月{}日".format(*map(int, r["cus_birthday"].split("/")))),
    lambda r: r.update(cus_tel=r["cus_tel"].translate(FULL)),
    lambda r: r.update(cus_email=r["cus_email"].translate(FULL)),
]


def ensure_typos(src, rate, regen):
    """SRC with RATE of its rows given one mistake from TYPOS, written through iconv as
    gen_members.py writes CP932 (Windows' bytes)."""
    path = DATA / f"{src.stem.replace('_cp932', '')}_typos_cp932.csv"
    if path.exists() and not regen and path.stat().st_mtime >= src.stat().st_mtime:
        return path
    rnd = random.Random(15)
    tmp = path.with_suffix(".tmp")
    decode = subprocess.Popen(["iconv", "-f", "CP932", "-t", "UTF-8", str(src)], stdout=subprocess.PIPE)
    with open(tmp, "wb") as raw:
        encode = subprocess.Popen(["iconv", "-f", "UTF-8", "-t", "CP932"], stdin=subprocess.PIPE, stdout=raw)
        reader = csv.DictReader(open(decode.stdout.fileno(), encoding="utf-8", newline="", closefd=False))
        out = open(encode.stdin.fileno(), "w", encoding="utf-8", newline="", closefd=False, buffering=1 << 20)
        writer = csv.DictWriter(out, reader.fieldnames, lineterminator="\r\n")
        writer.writeheader()
        for row in reader:
            if rnd.random() < rate:
                rnd.choice(TYPOS)(row)
            writer.writerow(row)
        out.close()
        encode.stdin.close()
        if decode.wait() or encode.wait():
            die("iconv failed while making the copy with typos")
    tmp.replace(path)
    print(f"made {rel(path)} ({rate:.0%} of the rows with a typo)", flush=True)
    return path


def fix_argv(src, out=OUT, changes=CHANGES, *flags):
    return [rel(KAIIN_FIX), "--today", TODAY, "-q", *flags, "-o", rel(out), "--changes", rel(changes), rel(src)]


def compare(title, src, runs):
    """kaiin-check and kaiin-fix side by side; returns kaiin-fix's median ratio."""
    check = shlex.join([rel(KAIIN_CHECK), "--today", TODAY, "-q", rel(src)])
    fix = shlex.join(fix_argv(src)) + f" 2> {shlex.quote(rel(ERR))}"
    _, table = run_compare(title, [("kaiin-check", check), ("kaiin-fix", fix)], runs,
                           lambda line: line + ("  (expected: duplicate addresses, which neither fixes)"
                                                if "exited 1" in line else ""))
    ratio = float(table.splitlines()[-1].split()[-1])
    print(f"kaiin-fix / kaiin-check: {ratio:.2f} ({'within' if ratio <= LIMIT else 'NOT within'} {LIMIT}x)")
    return ratio


def json_report(argv):
    """Findings and the summary of a --report json run (report on stderr or stdout)."""
    res = subprocess.run(argv, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if res.returncode not in (0, 1):
        die(f"{shlex.join(argv)} exited {res.returncode}: {res.stderr[-300:]}")
    items = [json.loads(line) for line in (res.stderr + res.stdout).splitlines() if line.startswith("{")]
    return [i for i in items if "summary" not in i], next(i["summary"] for i in items if "summary" in i)


def sanity(src):
    print(f"\n== sanity: kaiin-fix on {rel(src)}, then the copy fixed again and checked ==", flush=True)
    _, summary = json_report(fix_argv(src, OUT, CHANGES, "--report", "json"))
    fixed = {k[len("fixed "):]: v for k, v in summary.items() if k.startswith("fixed ")}
    print(f"kaiin-fix: records {summary['records']:,}, records changed {summary['records_changed']:,}, "
          + ", ".join(f"{rule} {n:,}" for rule, n in fixed.items()) + f"; errors left {summary['errors']:,}")
    _, again = json_report(fix_argv(OUT, AGAIN, AGAIN_CHANGES, "--report", "json"))
    same = OUT.read_bytes() == AGAIN.read_bytes()
    print(f"fixed again: records changed {again['records_changed']}, same bytes: {same}")
    if again["records_changed"] or not same:
        die("fixing the copy again changed it")
    found, _ = json_report([rel(KAIIN_CHECK), "--today", TODAY, "--report", "json", rel(OUT)])
    left = sorted({f["rule"] for f in found} & set(fixed))
    print(f"kaiin-check on the copy: {len(found):,} findings; of the rules fixed: {left or 'none'}")
    if left:
        die(f"the copy still has findings of fixed rules: {left}")


def run(a, _py):
    """The section: a.rows rows, a.n timed runs, a.regen, a.typo_rate."""
    if not os.access(KAIIN_CHECK, os.X_OK):
        die(f"{rel(KAIIN_CHECK)} is missing: make build first")
    DATA.mkdir(parents=True, exist_ok=True)
    upload = ensure_upload(a.rows, a.regen)
    typos = ensure_typos(upload, a.typo_rate, a.regen)
    ratios = [compare(f"on {rel(upload)}, nothing to fix ({upload.stat().st_size / 1e6:.0f} MB, median of {a.n})",
                      upload, a.n),
              compare(f"on {rel(typos)}, {a.typo_rate:.0%} of the rows to fix (median of {a.n})", typos, a.n)]
    sanity(typos)
    print(f"\nkaiin-fix within {LIMIT}x of kaiin-check: {'yes' if max(ratios) <= LIMIT else 'no'} "
          f"(ratios {', '.join(f'{r:.2f}' for r in ratios)})")
