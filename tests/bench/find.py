"""The find section of tests/bench/run.py (--only find): kaiin-find looking 10,000
addresses up in the member export and an order export of twice as many orders,
against decoding both files with iconv (the floor of any tool that reads them), in
one pass over each file. run.py's driver calls run(); this module is not run on its
own.

Steps:
 1. The member export tests/bench/data/members_<rows>_cp932.csv (the conv section's,
    made with tests/bench/gen_members.py when missing) and the order export
    tests/bench/data/orders_<O>_cp932.csv (O: --orders, default twice --rows), made
    with shared/bench/gen_orders.py from that member export when missing (several
    minutes at the default size).
 2. The addresses (--addresses, default 10,000): tests/bench/data/find_addresses_<n>_
    <rows>.txt, picked from the member export with a fixed seed (rewritten when
    missing or with --regen): 99% held by a member (a tenth of them the mobile
    address; every 7th in capitals, every 11th full-width, every 13th as `Name
    <address>`), 1% held by nobody. The export has a few addresses two members hold
    (the generator reuses some), so some answers are ambiguous and kaiin-find exits
    1: the expected answer, not a failure.
 3. Verify once, untimed: kaiin-find --format json --report json answers every
    address, reads every member and every order row once (its summary), and its
    answers (status, member IDs, order IDs) are those this module computes with the
    csv module; stop otherwise.
 4. Time in one compare.py run: kaiin-find on the addresses (--format json, the
    answers discarded), kaiin-find on one address (what the passes themselves cost),
    and iconv -f CP932 -t UTF-8 of both files in a row, to /dev/null. Print
    kaiin-find's time relative to iconv's (the target: at most 1.5x), and its peak
    memory for one address and for all of them (GNU time).
 5. Print the CPU model (/proc/cpuinfo) and the load average before and after, as
    the machine may be shared.
"""
import codecs
import csv
import json
import os
import random
import shlex
import subprocess
import sys

from bench_common import DATA, REPO, SHARED, cpu_model, rel, run_compare, size_label

BENCH = REPO / "tests" / "bench"
KAIIN_FIND = REPO / "build" / "bin" / "kaiin-find"
TARGET = 1.5  # kaiin-find's time over iconv's, at most


def die(msg):
    print(f"run.py: error: find section: {msg}", file=sys.stderr)
    sys.exit(1)


def encoding_of(path):
    """utf-8-sig when the whole file is UTF-8, else cp932 (read a chunk at a time)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 24):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp932"


def csv_rows(path):
    """The rows of a CSV file, streamed (the order export is 500 MB)."""
    with open(path, encoding=encoding_of(path), newline="") as f:
        yield from csv.reader(f)


def key_of(address):
    """The spec's e-mail key (§4.3): trimmed, full-width ASCII half-width, lower-cased;
    and, as kaiin-find reads what people paste, the address inside Name <address>."""
    k = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else " " if c == "\u3000" else c
                for c in address).lower().strip(" \t")
    if k.endswith(">") and "<" in k:
        k = k[k.rindex("<") + 1:-1].strip(" \t")
    return k


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def ensure_generated(path, argv, regen, cwd=None):
    """Runs a generator into path when missing or with --regen (through a temporary
    name: a stopped run leaves no half file)."""
    if path.exists() and not regen:
        return
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"making {rel(path)} ({' '.join(argv[1:3])} ...)", flush=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        subprocess.run([sys.executable, *argv], stdout=out, check=True, cwd=cwd)
    tmp.replace(path)


def read_members(path):
    """(member ID, PC key, mobile key) of every member row."""
    rows = csv_rows(path)
    h = next(rows)
    i_id, i_pc, i_mob = h.index("cus_id"), h.index("cus_email"), h.index("cus_mobile_email")
    return [(r[i_id], key_of(r[i_pc]), key_of(r[i_mob]) if len(r) > i_mob else "") for r in rows]


def make_addresses(path, members, n, seed=14):
    rnd = random.Random(seed)
    held = [m for m in members if m[1] or m[2]]
    picked = rnd.sample(held, n - n // 100)
    out = []
    for i, (_, pc, mobile) in enumerate(picked):
        a = mobile if (i % 10 == 0 and mobile) or not pc else pc
        if i % 7 == 0:
            a = a.upper()
        if i % 11 == 0:
            a = full_width(a)
        if i % 13 == 0:
            a = f"会員 {i} <{a}>"
        out.append(a)
    out += [f"nobody{i}@nowhere.example" for i in range(n // 100)]
    rnd.shuffle(out)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def expected_answers(addresses, members, orders_path):
    """key -> (member IDs, order IDs), computed without kaiin, and the order rows."""
    keys = {key_of(a) for a in addresses}
    holders = {k: [] for k in keys}
    for mid, pc, mobile in members:
        for k in {pc, mobile} - {""}:
            if k in holders:
                holders[k].append(mid)
    wanted_ids = {mid for ids in holders.values() for mid in ids}
    by_member, by_guest = {}, {}
    rows = csv_rows(orders_path)
    h = next(rows)
    i_order, i_member, i_email = h.index("order_id"), h.index("member_id"), h.index("email")
    i_mobile = h.index("mobile_email") if "mobile_email" in h else None
    order_rows = 0
    for r in rows:
        order_rows += 1
        if r[i_member]:
            if r[i_member] in wanted_ids:
                by_member.setdefault(r[i_member], set()).add(r[i_order])
        else:
            for k in {key_of(r[i_email]), key_of(r[i_mobile]) if i_mobile is not None else ""} - {""}:
                if k in keys:
                    by_guest.setdefault(k, set()).add(r[i_order])
    expected = {}
    for k in keys:
        order_ids = set(by_guest.get(k, set()))
        for mid in holders[k]:
            order_ids |= by_member.get(mid, set())
        expected[k] = (sorted(holders[k]), order_ids)
    return expected, order_rows


def verify(members_path, orders_path, addresses_path, members):
    print("verifying kaiin-find's answers against the csv module (untimed) ...", flush=True)
    res = subprocess.run([str(KAIIN_FIND), "--members", str(members_path), "--orders", str(orders_path),
                          "--addresses", str(addresses_path), "--format", "json", "--report", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    if res.returncode not in (0, 1):
        die(f"kaiin-find exited {res.returncode}: {res.stderr.decode(errors='replace')[-500:]}")
    summary = json.loads(res.stderr.decode().strip().splitlines()[-1])["summary"]
    answers = [json.loads(line) for line in res.stdout.decode().splitlines()]
    addresses = addresses_path.read_text(encoding="utf-8").splitlines()
    expected, order_rows = expected_answers(addresses, members, orders_path)
    if [a["address"] for a in answers] != addresses:
        die("kaiin-find did not answer every address, in the order asked")
    if summary["members_read"] != len(members) or summary["order_rows"] != order_rows:
        die(f"kaiin-find read {summary['members_read']:,} members and {summary['order_rows']:,} order rows, "
            f"not {len(members):,} and {order_rows:,} (one pass each)")
    if summary["errors"]:
        die(f"kaiin-find found {summary['errors']} errors in the generated files")
    for a in answers:
        ids, order_ids = expected[a["key"]]
        got_ids = sorted(m["member_id"] for m in a["members"])
        status = "not-found" if not ids else "found" if len(ids) == 1 else "ambiguous"
        if (a["key"] != key_of(a["address"]) or got_ids != ids or a["status"] != status
                or {o["order_id"] for o in a["orders"]} != order_ids):
            die(f"kaiin-find's answer for {a['address']!r} differs: status {a['status']}, members {got_ids}, "
                f"{len(a['orders'])} orders; expected {status}, {ids}, {len(order_ids)} orders")
    orders = sum(len(a["orders"]) for a in answers)
    print(f"verified: {len(answers):,} answers ({summary['found']:,} found, {summary['ambiguous']:,} ambiguous, "
          f"{summary['not_found']:,} not found, {orders:,} orders listed) are the csv module's; "
          f"{summary['members_read']:,} members and {summary['order_rows']:,} order rows read once each",
          flush=True)
    return summary


def compare(n_addresses, entries, runs):
    def note(line):
        if line.startswith("note: kaiin-find") and " exited 1 on warm-up" in line:
            line += "  (expected: the export has addresses two members hold, and some held by nobody)"
        return line

    rows, _ = run_compare(f"kaiin-find: {n_addresses:,} addresses, one pass over each export; iconv decoding both",
                          entries, runs, note)
    return {name: median for name, (median, _) in rows.items()}

def peak_rss_mib(argv):
    if not os.access("/usr/bin/time", os.X_OK):
        return None
    res = subprocess.run(["/usr/bin/time", "-f", "%M", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, cwd=REPO)
    if res.returncode not in (0, 1):
        die(f"{shlex.join(argv)} failed: {res.stderr.strip()[-300:]}")
    return int(res.stderr.split()[-1]) / 1024


def run(a, _py):
    """The section: a.rows members, a.orders orders (default twice as many),
    a.addresses addresses, a.n timed runs, a.regen."""
    n_orders = a.orders or 2 * a.rows
    n_addresses = min(a.addresses, a.rows // 2)
    if n_addresses < 100:
        die("--addresses (and half of --rows) must be at least 100")
    print(f"CPU: {cpu_model()} ({os.cpu_count()} cores); load average before: {os.getloadavg()[0]:.2f}")
    members_path = DATA / f"members_{size_label(a.rows)}_cp932.csv"
    orders_path = DATA / f"orders_{size_label(n_orders)}_cp932.csv"
    ensure_generated(members_path, [str(BENCH / "gen_members.py"), "--rows", str(a.rows)], False)
    ensure_generated(orders_path, [str(SHARED / "gen_orders.py"), "--members", str(members_path), "--orders",
                                   str(n_orders)], a.regen, cwd=SHARED)
    members = read_members(members_path)
    addresses = DATA / f"find_addresses_{size_label(n_addresses)}_{size_label(a.rows)}.txt"
    if a.regen or not addresses.exists():
        make_addresses(addresses, members, n_addresses)
    print(f"members: {rel(members_path)} ({len(members):,} rows, {members_path.stat().st_size / 1e6:.0f} MB); "
          f"orders: {rel(orders_path)} ({orders_path.stat().st_size / 1e6:.0f} MB); addresses: {rel(addresses)}",
          flush=True)
    verify(members_path, orders_path, addresses, members)

    m, o = shlex.quote(rel(members_path)), shlex.quote(rel(orders_path))
    one = members[len(members) // 2][1] or members[len(members) // 2][2]
    find = f"{shlex.quote(rel(KAIIN_FIND))} -q --members {m} --orders {o} --format json"
    medians = compare(n_addresses, [("kaiin-find", f"{find} --addresses {shlex.quote(rel(addresses))}"),
                                    ("kaiin-find, 1 address", f"{find} {shlex.quote(one)}"),
                                    ("iconv both files", f"iconv -f CP932 -t UTF-8 {m} > /dev/null && "
                                                         f"iconv -f CP932 -t UTF-8 {o} > /dev/null")], a.n)
    k, i = medians.get("kaiin-find"), medians.get("iconv both files")
    if k and i:
        verdict = "within" if k / i <= TARGET else "NOT within"
        print(f"kaiin-find / iconv: {k / i:.2f} (median {k:.3f} s vs {i:.3f} s: {verdict} the {TARGET}x target)")
    argv = [str(KAIIN_FIND), "-q", "--members", str(members_path), "--orders", str(orders_path), "--format", "json"]
    peaks = [("1 address", peak_rss_mib(argv + [one])),
             (f"{n_addresses:,} addresses", peak_rss_mib(argv + ["--addresses", str(addresses)]))]
    print("\n== memory: peak RSS of kaiin-find ==")
    for what, peak in peaks:
        print(f"{what:<20}{'(no /usr/bin/time)' if peak is None else f'{peak:.1f} MiB':>14}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")
