"""The crm section of tests/bench/run.py (--only crm): kaiin-crm (spec §11) against
../shared/bench/pd_crm.py (pandas), the DuckDB peer duckdb/duck_crm.mjs (duckdb_peers.py)
and iconv decoding both inputs. run.py's driver calls run(); this module is not run
on its own.

Steps:
 1. Make tests/bench/data/crm_members_<M>.csv with ../shared/bench/gen_members.py --rows M
    --mobile-mailmag --mobile-rate 0.3 (M: --rows), and their orders with gen_orders.py
    --orders O (O: --orders, default twice --rows), in kaiin's headers
    (crm_orders_<O>.csv) and EC-CUBE's (crm_orders_eccube_<O>.csv), when missing or
    with --regen (the folder is git-ignored). CP932 with CRLF, as the generators write
    them; generating takes minutes at the default size.
 2. Run once, untimed: kaiin-crm --shared-address keep-latest --report json (the
    generator puts in shared addresses: the default, error, would stop the run) and
    pd_crm.py; stop unless kaiin-crm's account adds up and its counts are pandas'
    where the two do the same thing: members, order rows, orders, orders written,
    shipped orders (written plus the ones held back for want of a customer), and
    customer rows (pandas keeps an address two members hold twice: kaiin's customers
    plus the shared addresses merged). The same for the EC-CUBE export, without pandas
    (pd_crm.py reads kaiin's headers only).
 3. Time, in one compare.py run, kaiin-crm -q (quiet, as cron runs it) beside pd_crm.py,
    the DuckDB peer (iconv, DuckDB, iconv back: left out without node and npm), iconv
    decoding both inputs in a row (the floor of any tool that reads them) and kaiin-crm
    on the EC-CUBE export.
 4. Print kaiin-crm's speed relative to pandas' (the goal: at least 20x), DuckDB's (at
    least 3x) and iconv's (at most 1.5x its time), its peak memory against the goal of
    64 bytes a member plus 32 bytes an order, the CPU model and the load average (other
    jobs share the machine). The outputs are removed; the
    generated files too unless --keep (1.3 GB of them at the default size).
"""
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import duckdb_peers as duckdb  # (not the duckdb package)
from bench_common import DATA, REPO, SHARED, cpu_model, rel, run_compare, size_label

KAIIN_CRM = REPO / "build" / "bin" / "kaiin-crm"
HELD_FOR_CUSTOMER = ("member-not-subscribed", "guest-no-customer", "unknown-member")
# What the section writes; the driver removes them before and after it.
OUT, OUT_ECCUBE, OUT_PD = DATA / "crm_out", DATA / "crm_out_eccube", DATA / "crm_out_pd"
OUT_DUCK = DATA / "crm_out_duckdb"
FOLDERS = (OUT, OUT_ECCUBE, OUT_PD, OUT_DUCK)
ICONV_GOAL = 1.5  # kaiin-crm's time over iconv's decoding both inputs, at most
OUTPUTS = tuple(Path(str(out) + ".lock") for out in FOLDERS)


def die(msg):
    print(f"run.py: error: crm section: {msg}", file=sys.stderr)
    sys.exit(1)


def generate(argv, path, regen):
    """Runs a generator into path (through a temporary name: a stopped run leaves no half file)."""
    if path.exists() and not regen:
        print(f"using {rel(path)} ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        return
    print(f"generating {rel(path)} ...", flush=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        subprocess.run([sys.executable, *argv], stdout=out, check=True, cwd=SHARED)
    tmp.rename(path)
    print(f"  {path.stat().st_size / 1e6:.0f} MB", flush=True)


def crm_argv(members, orders, out, *extra):
    return [rel(KAIIN_CRM), "--members", rel(members), "--orders", rel(orders), "-d", rel(out),
            "--shared-address", "keep-latest", *extra]


def account(members, orders, out):
    """kaiin-crm's --report json summary of one untimed run."""
    res = subprocess.run(crm_argv(members, orders, out, "--report", "json"), cwd=REPO, capture_output=True,
                         text=True)
    if res.returncode != 0:
        die(f"kaiin-crm exited {res.returncode}: {res.stderr[-500:]}")
    s = json.loads(res.stderr.strip().splitlines()[-1])["summary"]
    subscribed = s["members"] - s["members_without_subscription"]
    if s["customers"] != subscribed + s["second_addresses"] - s["shared_addresses_merged"] or \
            s["orders"] != s["orders_written"] + sum(s["held_back"].values()):
        die(f"kaiin-crm's account does not add up: {s}")
    return s


def pandas_counts(py, members, orders, out):
    res = subprocess.run([py, str(SHARED / "pd_crm.py"), rel(members), rel(orders), rel(out)], cwd=REPO,
                         capture_output=True, text=True)
    if res.returncode != 0:
        die(f"pd_crm.py exited {res.returncode}: {res.stderr[-500:]}")
    w = res.stdout.replace(",", "").split()
    return {"members": int(w[1]), "customer rows": int(w[4]), "order rows": int(w[7]), "orders": int(w[9]),
            "shipped": int(w[11]), "written": int(w[13])}


def run(a, py):
    """The section: a.rows members, a.orders orders (default twice as many), a.n timed
    runs, a.regen and a.keep; py: a python3 with pandas, or None."""
    n_orders = a.orders or 2 * a.rows
    if not (SHARED / "gen_orders.py").exists():
        die(f"{SHARED} is missing: the generators and pd_crm.py live there")
    DATA.mkdir(parents=True, exist_ok=True)
    members = DATA / f"crm_members_{size_label(a.rows)}.csv"
    orders = DATA / f"crm_orders_{size_label(n_orders)}.csv"
    eccube = DATA / f"crm_orders_eccube_{size_label(n_orders)}.csv"
    generate(["gen_members.py", "--rows", str(a.rows), "--mobile-mailmag", "--mobile-rate", "0.3"], members, a.regen)
    for path, fmt in ((orders, "kaiin"), (eccube, "eccube")):
        generate(["gen_orders.py", "--members", str(members), "--orders", str(n_orders), "--format", fmt], path,
                 a.regen)
    try:
        s = account(members, orders, OUT)
        e = account(members, eccube, OUT_ECCUBE)
        if py:
            pd = pandas_counts(py, members, orders, OUT_PD)
            shipped = s["orders_written"] + sum(s["held_back"][k] for k in HELD_FOR_CUSTOMER)
            pairs = [("members", pd["members"], s["members"]),
                     ("customer rows", pd["customer rows"], s["customers"] + s["shared_addresses_merged"]),
                     ("order rows", pd["order rows"], s["order_rows"]), ("orders", pd["orders"], s["orders"]),
                     ("shipped", pd["shipped"], shipped), ("written", pd["written"], s["orders_written"])]
            for what, p, k in pairs:
                if p != k:
                    die(f"{what}: pandas {p:,}, kaiin-crm {k:,}")
            print("verified: kaiin-crm's counts are pandas' (" + ", ".join(f"{w} {k:,}" for w, _, k in pairs) +
                  f"; kaiin merged {s['shared_addresses_merged']:,} shared addresses)", flush=True)
        print(f"kaiin-crm: customers {s['customers']:,}, orders written {s['orders_written']:,}, held back "
              f"{json.dumps(s['held_back'])}; EC-CUBE export: orders {e['orders']:,}, written "
              f"{e['orders_written']:,}", flush=True)

        entries = [("kaiin-crm", shlex.join(crm_argv(members, orders, OUT, "-q")))]
        if py:
            entries.append(("pandas pd_crm.py", shlex.join([py, rel(SHARED / "pd_crm.py"), rel(members), rel(orders),
                                                             rel(OUT_PD)]) + " >/dev/null"))
        duck = duckdb.command("duck_crm.mjs", rel(members), rel(orders), rel(OUT_DUCK))
        if duck:
            entries.append((duckdb.NAME, duck + " >/dev/null"))
        entries.append(("iconv both files", " && ".join(f"iconv -f CP932 -t UTF-8 {shlex.quote(rel(f))} >/dev/null"
                                                         for f in (members, orders))))
        entries.append(("kaiin-crm eccube", shlex.join(crm_argv(members, eccube, OUT_ECCUBE, "-q"))))
        print(f"\nload average before: {os.getloadavg()}", flush=True)
        t, _ = run_compare(f"kaiin-crm, {a.rows:,} members and {n_orders:,} orders (kaiin's headers; then the EC-CUBE "
                    f"export, {eccube.stat().st_size / 1e6:.0f} MB)", entries, a.n)
        print(f"load average after: {os.getloadavg()}")
        k_time, k_peak = t["kaiin-crm"]
        if "pandas pd_crm.py" in t:
            p_time = t["pandas pd_crm.py"][0]
            print(f"kaiin-crm / pandas: {k_time / p_time:.3f} (median {k_time:.2f} s vs {p_time:.2f} s: kaiin-crm is "
                  f"{p_time / k_time:.1f}x as fast; the goal was at least 20x)")
        duckdb.print_ratio({name: m for name, (m, _) in t.items()}, "kaiin-crm")
        i_time = t["iconv both files"][0]
        print(f"kaiin-crm / iconv: {k_time / i_time:.2f} (median {k_time:.2f} s vs {i_time:.2f} s; the goal: at most "
              f"{ICONV_GOAL}x)")
        budget = (64 * a.rows + 32 * n_orders) / 2**20
        for name in ("kaiin-crm", "kaiin-crm eccube"):
            peak = t[name][1]
            print(f"{name}: peak {peak:.1f} MiB against the goal of {budget:.1f} MiB (64 bytes a member plus 32 "
                  f"an order): {peak * 2**20 / (a.rows + n_orders):.1f} bytes a member-or-order")
        print(f"CPU: {cpu_model()}, {os.cpu_count()} cores")
    finally:
        if not a.keep:
            for path in (members, orders, eccube):
                path.unlink(missing_ok=True)
