"""What a migration engineer writes instead of kaiin-points diff: pandas adjustments between snapshots.

  pd_points.py OLD NEW OUT

OLD and NEW are point CSVs (member_id,points,reason; CP932) whose points are the
balances. OUT gets member_id,points,reason with points = NEW - OLD for each member in
both whose balance differs, CP932 with CRLF like the admin screens' own files. The
numbers of members in only one snapshot go to stderr.
"""
import sys

import pandas as pd

REASON = "ポイント調整"


def read(path):
    return pd.read_csv(path, encoding="cp932", dtype={"member_id": str}, usecols=["member_id", "points"])


def main(old_path, new_path, out):
    m = read(old_path).merge(read(new_path), on="member_id", how="outer", suffixes=("_old", "_new"),
                             indicator=True)
    both = m[m["_merge"] == "both"]
    adj = pd.DataFrame({"member_id": both["member_id"],
                        "points": (both["points_new"] - both["points_old"]).astype("int64"),
                        "reason": REASON})
    adj = adj[adj["points"] != 0]
    # pandas 1.5 takes lineterminator (line_terminator is deprecated there, gone in 2.0).
    adj.to_csv(out, encoding="cp932", lineterminator="\r\n", index=False)
    vanished = int((m["_merge"] == "left_only").sum())
    appeared = int((m["_merge"] == "right_only").sum())
    print(f"adjustments {len(adj)} vanished {vanished} appeared {appeared}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
