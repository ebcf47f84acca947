"""The bad-inputs catalogue (tests/bad_inputs/README.md): each case is made here,
at test time, and run through the programs that read member CSVs; each has one
defined outcome (exit status, finding with line and column, output bytes)."""
import os
import subprocess
import unittest

from kaiin_test import BIN, TempDirTest, read, write

HEADER = b"control,cus_id,cus_password,crypted_pass,cus_email,cus_mailmag,cus_memo"


def row(i, memo=b"memo"):
    return b"n,%d,pw%06d,0,u%d@example.jp,1," % (i, i, i) + memo


def crlf(*lines):
    return b"".join(l + b"\r\n" for l in lines)


CASES = {
    "nul": crlf(HEADER, row(1), row(2, b"me\x00mo"), row(3)),
    "bom_inside": crlf(HEADER, row(1), b"\xef\xbb\xbf" + row(2), row(3)),
    "cr_only": HEADER + b"\r" + row(1) + b"\r" + row(2) + b"\r",
    "mixed_newlines": HEADER + b"\r\n" + row(1) + b"\n" + row(2) + b"\r\n" + row(3) + b"\n",
    "empty": b"",
    "header_only": crlf(HEADER),
}


def wide(columns=100_000):
    names = b",".join(b"x%d" % i for i in range(columns - 7))
    return crlf(HEADER + b"," + names, row(1) + b"," * (columns - 7))


class BadInputs(TempDirTest):
    def case(self, name):
        return write(self.path(name + ".csv"), CASES[name])

    def conv(self, src):
        out = self.path("out.csv")
        p = subprocess.run([os.path.join(BIN, "kaiin-conv"), "-t", "utf-8", "-o", out, src], capture_output=True,
                           env=dict(os.environ, LC_ALL="C.UTF-8"))
        return p, (read(out) if os.path.exists(out) else None)

    def tool(self, *args):
        return subprocess.run([os.path.join(BIN, args[0]), *args[1:]], capture_output=True,
                              env=dict(os.environ, LC_ALL="C.UTF-8"), cwd=self.dir)

    def assert_error_everywhere(self, name, finding):
        """Every program: exit 1, FINDING (with line and column) on the report, nothing written."""
        src = self.case(name)
        p, out = self.conv(src)
        self.assertEqual((p.returncode, out), (1, None), p.stderr)
        self.assertIn(finding, p.stderr.decode())
        p = self.tool("kaiin-check", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn(finding, p.stdout.decode())
        p = self.tool("kaiin-split", "--by", "action", "-d", "parts", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn(finding, p.stderr.decode())
        self.assertFalse(os.path.exists(self.path("parts/" + name + ".nu.csv")))
        p = self.tool("kaiin-crosspoint", "--map", write(self.path("map.csv"), "column,source\nID,member_id\n"),
                      "-o", "load.tsv", src)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(finding, p.stderr.decode())
        self.assertFalse(os.path.exists(self.path("load.tsv")))

    # Places below: the header is 71 bytes and row 1 is 35, each with CRLF, so line 3
    # starts at byte 110; the NUL is the 34th character of its line.
    def test_nul_byte_is_an_error_with_its_place(self):
        self.assert_error_everywhere(
            "nul", "nul.csv:3: error: a NUL byte (00) in 'cus_memo': line 3, column 34, byte offset 143: the file is "
                   "damaged, or UTF-16; save it as UTF-8 or CP932 (Shift_JIS) [csv-nul-byte]")

    def test_bom_inside_is_an_error_with_its_place(self):
        self.assert_error_everywhere(
            "bom_inside", "bom_inside.csv:3: error: a byte order mark (EF BB BF, U+FEFF) in 'control': line 3, "
                          "column 1, byte offset 110: a BOM belongs only at the start of a file (were two files "
                          "joined?): remove it [encoding-bom-inside]")

    def test_bom_at_the_start_is_fine(self):
        src = write(self.path("bom.csv"), b"\xef\xbb\xbf" + crlf(HEADER, row(1)))
        p, out = self.conv(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out, crlf(HEADER, row(1)))  # -t utf-8: without the BOM, as asked

    def test_cr_only_lines_are_one_error_at_the_header(self):
        src = self.case("cr_only")
        finding = ("cr_only.csv:1: error: a CR alone at column 72 of the header: the lines of this file end in CR "
                   "only (old Mac line endings), so it reads as one line; save it with CRLF or LF line endings "
                   "[csv-bare-cr]")
        p, out = self.conv(src)
        self.assertEqual((p.returncode, out), (1, None))
        self.assertIn(finding, p.stderr.decode())
        p = self.tool("kaiin-check", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn(finding, p.stdout.decode())
        self.assertNotIn(b"\r", p.stdout)  # the text report never writes a CR of the data
        p = self.tool("kaiin-split", "--by", "action", "-d", "parts", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn(finding, p.stderr.decode())

    def test_mixed_newlines_are_kept_record_by_record(self):
        src = self.case("mixed_newlines")
        p, out = self.conv(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out, CASES["mixed_newlines"])
        self.assertEqual(self.tool("kaiin-check", src).returncode, 0)
        p = self.tool("kaiin-split", "--by", "action", "-d", "parts", src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read(self.path("parts/mixed_newlines.nu.csv")), CASES["mixed_newlines"])
        out = self.path("crlf.csv")
        subprocess.run([os.path.join(BIN, "kaiin-conv"), "-t", "utf-8", "--newline", "crlf", "-o", out, src],
                       check=True, capture_output=True)
        self.assertEqual(read(out), crlf(HEADER, row(1), row(2), row(3)))

    def test_empty_file(self):
        src = self.case("empty")
        p, out = self.conv(src)
        self.assertEqual((p.returncode, out), (1, None))  # not a CSV: a problem of the data, nothing written
        p = self.tool("kaiin-check", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn("empty.csv:1: error: the file is empty: an upload needs a header and records [file-empty]",
                      p.stdout.decode())
        p = self.tool("kaiin-split", "--by", "action", "-d", "parts", src)
        self.assertEqual(p.returncode, 1)
        self.assertFalse(os.path.exists(self.path("parts")))  # nothing written, not even the folder
        p = self.tool("kaiin-crosspoint", "-o", "load.tsv", src)
        self.assertEqual(p.returncode, 1)
        self.assertIn("empty.csv:1: error: the member export is empty: it has no header [file-empty]",
                      p.stderr.decode())
        self.assertFalse(os.path.exists(self.path("load.tsv")))

    def test_header_only(self):
        src = self.case("header_only")
        p, out = self.conv(src)
        self.assertEqual((p.returncode, out), (0, CASES["header_only"]))
        p = self.tool("kaiin-check", src)
        self.assertEqual(p.returncode, 0)
        self.assertIn("header_only.csv: warning: the file has a header but no records [file-no-records]",
                      p.stdout.decode())
        p = self.tool("kaiin-split", "--by", "action", "-d", "parts", src)
        self.assertEqual(p.returncode, 0)
        self.assertFalse(os.path.exists(self.path("parts")))  # a file that would be empty is never made, nor its folder

    def test_100000_columns(self):
        data = wide()
        src = write(self.path("wide.csv"), data)
        p, out = self.conv(src)
        self.assertEqual((p.returncode, out), (0, data))
        self.assertEqual(self.tool("kaiin-check", src).returncode, 0)
        p = self.tool("kaiin-split", "--by", "rows:1", "-d", "parts", src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(read(self.path("parts/wide.001.csv")), data)

    def test_a_100_mb_field(self):
        size = 100 * 1024 * 1024
        src = self.path("huge.csv")
        with open(src, "wb") as f:
            f.write(crlf(HEADER, row(1)))
            f.write(row(2, b'"'))
            chunk = b"a" * (1 << 20)
            for _ in range(size // len(chunk)):
                f.write(chunk)
            f.write(b'"\r\n' + row(3) + b"\r\n")
        expected = os.path.getsize(src)
        p, _ = self.conv(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(os.path.getsize(self.path("out.csv")), expected)  # every byte through
        os.unlink(self.path("out.csv"))
        p = self.tool("kaiin-split", "--by", "action", "-d", "parts", src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(os.path.getsize(self.path("parts/huge.nu.csv")), expected)
        os.unlink(self.path("parts/huge.nu.csv"))
        # A message quoting the value keeps its start and end, not 100 MB of it.
        os.unlink(src)
        with open(self.path("huge_email.csv"), "wb") as f:
            f.write(crlf(HEADER, row(1)) + b'n,2,pw000002,0,"')
            for _ in range(size // len(chunk)):
                f.write(chunk)
            f.write(b'",1,memo\r\n')
        p = self.tool("kaiin-check", "huge_email.csv")
        self.assertEqual(p.returncode, 1)
        lines = p.stdout.decode().splitlines()
        self.assertLess(max(len(l) for l in lines), 2000)
        self.assertIn("bytes left out ...]", p.stdout.decode())
        self.assertIn("[email-syntax]", p.stdout.decode())


if __name__ == "__main__":
    unittest.main()
