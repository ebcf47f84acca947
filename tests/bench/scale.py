"""The scale section of tests/bench/run.py (--only scale): the programs that keep an
entry a member, at --rows members, against the memory goal of 64 bytes a member
(kaiin-crm: 64 a member and 32 an order). run.py's driver calls run(); this module is
not run on its own.

  python3 tests/bench/run.py --only scale                      # 1,000,000 members
  python3 tests/bench/run.py --only scale --rows 10000000 -n 1  # 2.4 GB a file

Steps:
 1. Use the data of the other sections at --rows, made the same way when missing: the
    upload (check), the member export (check --current, tags), the export without
    shared addresses (crosspoint: the load file), the balance snapshots (points), and
    crm's members with twice as many orders (kaiin's headers). At 10,000,000 members
    that is about 15 GB and the better part of an hour of generating, once.
 2. Time each job in a compare.py run of its own beside iconv decoding the same
    input (both files where the job reads two): iconv is the one peer that runs at
    10,000,000 members on this host; the pandas scripts of the other sections need
    10-30 GB there. The ratio to pandas at 1,000,000 is in each program's section.
 3. Measure kaiin's peak memory in one more run under GNU time, and print one table:
    the job, its input, kaiin's and iconv's medians and their ratio, the peak, that
    peak a member, and the goal.
"""
import os
import shlex

from bench_common import cpu_model


def iconv(*inputs, rel):
    return "iconv -f CP932 -t UTF-8 " + " ".join(shlex.quote(rel(p)) for p in inputs)


def run(a, py, r):
    """The section; r is run.py itself (its data makers, paths and compare())."""
    rows = a.rows
    upload, _, _ = r.ensure_uploads(rows, a.regen)
    (export, _), _, _ = r.ensure_data(rows, a.regen)
    nodup, _ = r.ensure_nodup(rows, a.regen)
    (old, new), _, _ = r.ensure_balances(rows, a.regen)
    r.ensure_tag_rules()
    n_orders = a.orders or 2 * rows
    members = r.DATA / f"crm_members_{r.size_label(rows)}.csv"
    orders = r.DATA / f"crm_orders_{r.size_label(n_orders)}.csv"
    r.crm_section.generate(["gen_members.py", "--rows", str(rows), "--mobile-mailmag", "--mobile-rate", "0.3"],
                           members, a.regen)
    r.crm_section.generate(["gen_orders.py", "--members", str(members), "--orders", str(n_orders)], orders, a.regen)

    rel, out = r.rel, r.SCALE_SCRATCH
    jobs = [  # name, kaiin's command, its inputs, exit status that is its answer, members, goal bytes
        ("kaiin-check (upload)", [rel(r.KAIIN_CHECK), "--today", r.TODAY, "-q", rel(upload)], (upload,), 1, rows,
         64 * rows),
        ("kaiin-check --current", [rel(r.KAIIN_CHECK), "--today", r.TODAY, "-q", "--current", rel(export),
                                   rel(upload)], (export, upload), 1, 2 * rows, 64 * 2 * rows),
        ("kaiin-crosspoint", r.crosspoint_argv(nodup, out / "plan.csv", out / "load.tsv"), (nodup,), 0, rows,
         64 * rows),
        ("kaiin-points diff", [rel(r.KAIIN_POINTS), "diff", rel(old), rel(new), "-o", rel(out / "adjust.csv")],
         (old, new), 0, rows, 64 * rows),
        ("kaiin-tags apply", [rel(r.KAIIN_TAGS), "apply", "--rules", rel(r.TAGS_RULES), "--members", rel(export),
                              "--today", r.TODAY, "-o", rel(out / "tags.csv")], (export,), 0, rows, 64 * rows),
        ("kaiin-crm", r.crm_section.crm_argv(members, orders, out / "crm", "-q"), (members, orders), 0, rows,
         64 * rows + 32 * n_orders),
    ]
    table = []
    for name, argv, inputs, code, counted, goal in jobs:
        mb = sum(p.stat().st_size for p in inputs) / 1e6
        t = r.compare(f"{name}, {rows:,} members ({mb:,.0f} MB of input), median of {a.n}",
                      [(name, argv, None), ("iconv", iconv(*inputs, rel=rel), None)], a.n,
                      expected_exit={name: code} if code else None)
        # compare.py's peak column cannot read below its own size: GNU time's can.
        table.append((name, mb, t[name], t["iconv"], r.peak_rss_mib(argv, ok=(0, code)), counted, goal))
    print(f"\n== {rows:,} members on {cpu_model()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} ==")
    print(f"{'job':<24}{'input MB':>10}{'kaiin s':>10}{'iconv s':>10}{'ratio':>8}{'peak MiB':>10}"
          f"{'B/member':>10}{'goal MiB':>10}")
    for name, mb, k, i, peak, counted, goal in table:
        mark = "" if peak * 2**20 <= goal else "  over the goal"
        print(f"{name:<24}{mb:>10,.0f}{k:>10.2f}{i:>10.2f}{k / i:>8.2f}{peak:>10.1f}"
              f"{peak * 2**20 / counted:>10.1f}{goal / 2**20:>10.1f}{mark}")
    print("(B/member: the peak over the members the job holds, buffers and program included; kaiin-check "
          "--current holds the export's and the upload's; kaiin-crm's goal adds 32 bytes an order)")
