"""UTF-16 with a byte order mark, as Excel saves 「Unicode テキスト」 (UTF-16LE,
TAB-separated, a field in quotes where it holds a TAB, a quote or a newline), and
comma-separated UTF-16 too: read as what it is by every program, and written back
in the same form where a program keeps the input's encoding."""
import csv
import io
import os

from kaiin_csv import MEMBER_HEADER, csv_bytes, member, new
from kaiin_test import TempDirTest, iconv, read, run, sample, write

BOM_LE, BOM_BE = b"\xff\xfe", b"\xfe\xff"


def excel_field(value):
    value = str(value)
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in '\t"\r\n') else value


def unicode_text(rows, header=MEMBER_HEADER):
    """A file as Excel saves 「Unicode テキスト」: UTF-16LE with its BOM, TAB, CRLF."""
    lines = ["\t".join(header)] + ["\t".join(excel_field(r.get(h, "")) for h in header) for r in rows]
    return BOM_LE + "".join(l + "\r\n" for l in lines).encode("utf-16-le")


def utf16_csv(rows, header=MEMBER_HEADER, big_endian=False):
    text = csv_bytes(rows, header).decode()
    return (BOM_BE + text.encode("utf-16-be")) if big_endian else (BOM_LE + text.encode("utf-16-le"))


def csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# Japanese names, a character beyond the BMP (a surrogate pair in UTF-16), and values
# Excel quotes: a TAB, a quote, a newline.
ROWS = [
    new(cus_last_name="山田", cus_first_name="花子", cus_email="hanako@example.jp", cus_memo="タブ\tあり"),
    new(cus_last_name="𠮷田", cus_first_name="太郎", cus_email="taro@example.jp", cus_memo='引用符"と\r\n改行'),
    new(cus_last_name="髙橋", cus_first_name="一郎", cus_email="ichiro@example.jp", cus_memo="普通のメモ"),
]


class Utf16(TempDirTest):
    def unicode_file(self, rows=ROWS, name="members.txt"):
        return write(self.path(name), unicode_text(rows))

    def test_check_reads_excel_unicode_text_and_both_byte_orders(self):
        for name, data in (("le.txt", unicode_text(ROWS)), ("le.csv", utf16_csv(ROWS)),
                           ("be.csv", utf16_csv(ROWS, big_endian=True))):
            r = run("kaiin-check", write(self.path(name), data))
            self.assertEqual(r.code, 0, r)
            self.assertIn(b"records 3,", r.out)
            self.assertIn(b"encoding utf-16be" if name == "be.csv" else b"encoding utf-16le", r.out)
            self.assertIn(b"errors 0, warnings 0", r.out)

    def test_conv_writes_csv_from_unicode_text(self):
        out = self.path("out.csv")
        r = run("kaiin-conv", "-t", "utf-8", "-o", out, self.unicode_file())
        self.assertEqual(r.code, 0, r)
        self.assertEqual(read(out), csv_bytes(ROWS, MEMBER_HEADER))  # commas, quoted where a CSV needs it
        r = run("kaiin-conv", "-t", "utf-8-bom", "-o", out, write(self.path("be.csv"), utf16_csv(ROWS, big_endian=True)))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(read(out), b"\xef\xbb\xbf" + csv_bytes(ROWS, MEMBER_HEADER))

    def test_conv_to_cp932_from_utf16(self):
        rows = ROWS[:1] + ROWS[2:]  # 𠮷 has no CP932 code
        out = self.path("out.csv")
        r = run("kaiin-conv", "-t", "cp932", "-o", out, self.unicode_file(rows))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(read(out), iconv(csv_bytes(rows, MEMBER_HEADER), "UTF-8", "CP932"))  # 髙 as Windows has it
        r = run("kaiin-conv", "-t", "cp932", "-o", out, self.unicode_file())
        self.assertEqual(r.code, 1, r)
        self.assertIn("U+20BB7", r.err)
        self.assertIn("in 'cus_last_name': line 3, column 15)", r.err)  # a line and a character
        self.assertNotIn("byte offset", r.err)

    def test_fix_writes_its_copy_as_the_same_unicode_text(self):
        rows = [dict(r) for r in ROWS]
        rows[0]["cus_zip"] = "５３０－０００１"  # fixed to 530-0001
        src = self.unicode_file(rows)
        out = self.path("fixed.txt")
        r = run("kaiin-fix", "-o", out, src)
        self.assertIn(r.code, (0, 1), r)
        self.assertIn("records changed 1", r.err)
        rows[0]["cus_zip"] = "530-0001"
        self.assertEqual(read(out), unicode_text(rows))  # UTF-16LE, BOM, TAB, CRLF, Excel's quotes
        r = run("kaiin-fix", "-o", out, out)
        self.assertNotEqual(r.code, 0)  # never over its input
        again = self.path("again.txt")
        run("kaiin-fix", "-o", again, out)
        self.assertEqual(read(again), read(out))  # fixing the copy again changes nothing

    def test_split_parts_keep_the_input_form_and_bytes_count_utf16(self):
        rows = [new(cus_email=f"u{i}@example.jp", cus_last_name="山田") for i in range(30)]
        src = self.unicode_file(rows)
        r = run("kaiin-split", "--by", "action", "-d", self.path("parts"), src)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(read(self.path("parts/members.nu.csv")), unicode_text(rows))
        r = run("kaiin-split", "--by", "bytes:2000", "-d", self.path("sized"), src)
        self.assertEqual(r.code, 0, r)
        parts = sorted(os.listdir(self.path("sized")))
        self.assertGreater(len(parts), 1)
        got = []
        for p in parts:
            data = read(os.path.join(self.path("sized"), p))
            self.assertLessEqual(len(data), 2000)
            self.assertTrue(data.startswith(BOM_LE))
            lines = data[2:].decode("utf-16-le").splitlines()
            self.assertEqual(lines[0], "\t".join(MEMBER_HEADER))
            got += lines[1:]
        self.assertEqual(len(got), 30)

    def test_an_export_in_utf16_loads_as_the_same_export_in_utf8(self):
        rows = [member(cus_id=str(100 + i), cus_email=f"m{i}@example.jp", cus_last_name="髙橋") for i in range(5)]
        same = {}
        for name, data in (("u8.csv", csv_bytes(rows, MEMBER_HEADER)), ("u16.txt", unicode_text(rows))):
            out = self.path(name + ".tsv")
            r = run("kaiin-crosspoint", "-o", out, write(self.path(name), data))
            self.assertEqual(r.code, 0, r)
            same[name] = read(out)
        self.assertEqual(same["u8.csv"], same["u16.txt"])

    def test_crm_writes_utf8_files_from_a_utf16_export(self):
        # The sample export (CP932) in UTF-8, and as Excel's Unicode text: the same files.
        text = read(sample("crm_members.csv")).decode("cp932")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        rows[1][-1] = "タブ\tと,コンマ"  # a memo Excel quotes in its text, and a CSV in its own way
        members = [dict(zip(rows[0], r)) for r in rows[1:]]
        for name, data in (("u8", csv_bytes(members, rows[0])), ("u16", unicode_text(members, rows[0]))):
            r = run("kaiin-crm", "--members", write(self.path(name + ".csv"), data), "--orders",
                    sample("crm_orders.csv"), "-d", self.path(name))
            self.assertEqual(r.code, 0, r)
        self.assertEqual(read(self.path("u16/customers.csv")), read(self.path("u8/customers.csv")))
        self.assertEqual(read(self.path("u16/orders.csv")), read(self.path("u8/orders.csv")))
        self.assertIn('"タブ\tと,コンマ"', read(self.path("u16/customers.csv")).decode())

    def test_points_tags_and_find_read_unicode_text(self):
        points = write(self.path("points.txt"), BOM_LE + "member_id\tpoints\treason\r\n1\t100\t誕生日\r\n"
                       .encode("utf-16-le"))
        r = run("kaiin-points", "check", points)
        self.assertEqual(r.code, 0, r)
        tags = write(self.path("tags.txt"), BOM_LE + "tag_code\ttag_name\ttag_group\tkind\r\nvip\t上得意\t顧客\tmanual\r\n"
                     .encode("utf-16-le"))
        r = run("kaiin-tags", "check", tags)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("error", r.err)
        members = self.unicode_file([member(cus_id="77", cus_email="find.me@example.jp", cus_last_name="𠮷田")])
        r = run("kaiin-find", "--members", members, "find.me@example.jp")
        self.assertEqual(r.code, 0, r)
        self.assertIn("𠮷田", r.out.decode())

    def test_an_unpaired_surrogate_is_an_error_with_its_place_and_kept_by_fix(self):
        good = unicode_text([ROWS[2]])
        # "髙橋" with its last character replaced by half a surrogate pair (D842).
        damaged = good.replace("橋".encode("utf-16-le"), b"\x42\xd8")
        src = write(self.path("m.txt"), damaged)
        r = run("kaiin-check", src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(b"m.txt:2: error: an unpaired UTF-16 surrogate D842 (in 'cus_last_name': line 2, column ",
                      r.out)
        self.assertEqual(r.out.count(b"surrogate"), 1, r)
        out = self.path("fixed.txt")
        run("kaiin-fix", "-o", out, src)
        self.assertEqual(read(out), damaged)  # nothing lost: the copy has the same code unit

    def test_a_file_cut_in_the_middle_of_a_character(self):
        r = run("kaiin-check", write(self.path("m.txt"), unicode_text(ROWS)[:-1]))
        self.assertEqual(r.code, 2, r)
        self.assertIn("the file ends in the middle of a UTF-16 character", r.err)

    def test_utf16_of_zeros_is_not_text(self):
        r = run("kaiin-conv", "-t", "utf-8", write(self.path("z.txt"), BOM_LE + b"\x00" * 10000))
        self.assertEqual(r.code, 2, r)
        self.assertIn("this is not a text file", r.err)

    def test_standard_input_in_utf16(self):
        r = run("kaiin-conv", "-t", "utf-8", stdin=unicode_text(ROWS))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out, csv_bytes(ROWS, MEMBER_HEADER))
