"""What a migration engineer writes instead of kaiin-split: pandas splits of a member CSV.

  pd_split.py address FILE OUT     one row per e-mail address, to OUT
  pd_split.py rows N FILE OUTDIR   OUTDIR/members.001.csv ... of N rows each, with the header

Both write CP932 with CRLF, like the admin screens' own files.
"""
import os
import sys

import pandas as pd


def read(path, **kw):
    return pd.read_csv(path, encoding="cp932", dtype=str, keep_default_na=False, **kw)


def write(df, path):
    # pandas 1.5 takes lineterminator (line_terminator is deprecated there, gone in 2.0).
    df.to_csv(path, encoding="cp932", lineterminator="\r\n", index=False)


def by_address(src, out):
    df = read(src)
    # A row for each PC address, and one for each mobile address, which moves into
    # cus_email; members without either are dropped. sort_index puts a member's two
    # rows together again, PC first.
    pc = df[df["cus_email"] != ""].assign(cus_mobile_email="")
    mobile = df[df["cus_mobile_email"] != ""].assign(cus_email=lambda d: d["cus_mobile_email"],
                                                      cus_mobile_email="")
    write(pd.concat([pc, mobile]).sort_index(kind="stable"), out)


def by_rows(n, src, outdir):
    os.makedirs(outdir, exist_ok=True)
    for i, chunk in enumerate(read(src, chunksize=n), 1):
        write(chunk, os.path.join(outdir, f"members.{i:03d}.csv"))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "address":
        by_address(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "rows":
        by_rows(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
