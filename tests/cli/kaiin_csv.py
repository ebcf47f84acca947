"""The CSV files the black-box tests give the programs, built alike in every suite:
member uploads and exports of the kaiin profile (spec §3), order exports (§10) and
point files (§7). A builder returns the file's bytes; a test names only the fields
it is about, and a suite keeps only the rows particular to it."""
from kaiin_test import write

# The kaiin profile's member columns, in the order of samples/upload.csv.
MEMBER_HEADER = ("control,cus_id,cus_password,crypted_pass,cus_last_name,cus_first_name,cus_last_kana,"
                 "cus_first_kana,cus_email,cus_mobile_email,cus_zip,cus_pref,cus_address1,cus_address2,"
                 "cus_tel,cus_birthday,cus_sex,cus_mailmag,cus_point,cus_rank,cus_registered,cus_memo").split(",")
# kaiin's order columns (spec §10).
ORDER_HEADER = "order_id,member_id,email,ordered_at,status,shipping_status,shipped_on,total,used_points".split(",")
# A point file (spec §7) keyed by member ID.
POINTS_HEADER = ["member_id", "points", "reason"]

# Two rows of samples/upload_fixed.csv, which kaiin-check passes: a new member and an update.
GOOD_N = dict(zip(MEMBER_HEADER, (
    "n", "", "pw482913", "0", "井上", "陽菜", "イノウエ", "ヒナ", "hina@example.com", "", "840-0825", "佐賀県",
    "佐賀市中央本町1丁目", "", "0952-00-0000", "1980/08/19", "2", "0", "0", "", "2026/11/01 09:00:00", "")))
GOOD_U = dict(zip(MEMBER_HEADER, (
    "u", "10001", "d23f0824128b2f330c5c7fd0a6a3a450", "1", "小林", "大輔", "コバヤシ", "ダイスケ",
    "user10001.a@example.ne.jp", "", "700-0024", "岡山県", "岡山市北区駅元町1丁目", "", "086-000-0000",
    "1947/10/04", "1", "1", "1200", "プラチナ", "2011/10/19 12:03:14", "")))


# A member of a shop's export, as the suites of the programs that read exports make
# them: every field of the kaiin profile (passwords encrypted), a suite overriding
# the fields it is about.
MEMBER = dict(zip(MEMBER_HEADER, (
    "", "1", "a" * 32, "1", "山田", "太郎", "ヤマダ", "タロウ", "", "", "530-0001", "大阪府", "大阪市北区梅田1-1", "", "06-0000-0000",
    "1980/01/01", "1", "1", "0", "", "2020/01/01 00:00:00", "")))


def member(**fields):
    """An export's member row: MEMBER with FIELDS overridden (or added: a shop's own
    columns, cus_updated)."""
    return dict(MEMBER, **fields)


def new(**fields):
    """A new-member (n) row: GOOD_N with FIELDS overridden."""
    return dict(GOOD_N, **fields)


def upd(**fields):
    """An update (u) row: GOOD_U with FIELDS overridden."""
    return dict(GOOD_U, **fields)


def dele(member_id, **fields):
    """A delete (d) row: everything but the member ID empty."""
    row = {h: "" for h in MEMBER_HEADER}
    row.update(control="d", cus_id=member_id, **fields)
    return row


def quote(value):
    """VALUE as a CSV field: quoted (quotes doubled) only when it must be (RFC 4180)."""
    value = str(value)
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def csv_line(row, header=MEMBER_HEADER):
    """One record as a line of text: ROW is a dict by HEADER's names (a missing name is
    an empty field), a list of values (each quoted where it must be), or a line already
    made (a str, written as it is)."""
    if isinstance(row, str):
        return row
    values = [row.get(h, "") for h in header] if isinstance(row, dict) else list(row)
    if values == [""]:
        return '""'  # one empty field, not an empty line (as Python's csv module writes it)
    return ",".join(quote(v) for v in values)


def csv_bytes(rows, header=None, newline="\r\n", encoding="utf-8"):
    """A CSV file: HEADER (a list of names, a line already made, or None for none) and
    then ROWS (see csv_line), every line ended by NEWLINE, encoded in ENCODING."""
    names = header.split(",") if isinstance(header, str) else header
    lines = [] if header is None else [csv_line(header, names)]
    lines += [csv_line(row, names) for row in rows]
    return "".join(line + newline for line in lines).encode(encoding)


def member_csv(*rows, header=MEMBER_HEADER, newline="\n"):
    """A UTF-8 member upload: HEADER, then each row (a dict by header name, a list of
    values, or a line already made)."""
    return csv_bytes(rows, header, newline=newline)


class ExportFiles:
    """For a kaiin_test.TempDirTest: a member export and an order export in its folder,
    from the data lines a test gives (CRLF, UTF-8 unless told). A suite sets
    member_header to the columns its member lines hold."""

    member_header = ",".join(MEMBER_HEADER)

    def member_file(self, *lines, header=None, encoding="utf-8", name="members.csv"):
        return write(self.path(name), csv_bytes(lines, header or self.member_header, encoding=encoding))

    def order_file(self, *lines, header=",".join(ORDER_HEADER), encoding="utf-8"):
        return write(self.path("orders.csv"), csv_bytes(lines, header, encoding=encoding))


def raw_row(row, header=MEMBER_HEADER):
    """One row as a line of text without quoting (the caller makes sure nothing needs it)."""
    return ",".join(row[h] for h in header)
