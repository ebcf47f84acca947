"""Real files from outside kaiin (../shared/realdata, see its README), when that
folder is beside the clone: every file goes through kaiin-conv to UTF-8 and back
to its own bytes, or kaiin says clearly why not (exit 1, the line and the rule);
and kaiin's CP932 agrees with two published tables, ICU's windows-932-2000 (as Perl
Encode ships it) and the WHATWG index, character by character."""
import csv
import io
import os
import re
import subprocess
import unittest

from kaiin_test import BIN, SHARED, TempDirTest, read

REALDATA = os.path.join(SHARED, "realdata")
FILES = os.path.join(REALDATA, "files")
REFERENCE = os.path.join(REALDATA, "reference")
NOT_HERE = f"no ../shared/realdata beside this clone ({REALDATA})"

# The CP932 files (the README says which); every other file is UTF-8, with or without a BOM.
CP932 = {
    "eccube/codeception___data__category.csv", "eccube/codeception___data__product.csv",
    "eccube/tests__Fixtures__categories.csv", "eccube/tests__Fixtures__products.csv",
    "eccube/tests__Fixtures__sjis.csv", "estat/FEH_00200524_190618234018.csv",
    "estat/FEH_00200524_251118062717.csv", "estat/scraping_test1__200.csv",
    "japanpost/canna-yubin__JIGYOSYO.CSV", "japanpost/hanzo__13TOKYO.CSV",
    "japanpost/scraping_test1__13TOKYO.CSV", "japanpost/scraping_test1__python2nen_sample_chap4_13TOKYO.CSV",
}
# ISO-8859-1 ('\xD5akman'), which kaiin does not read: see Latin1 below.
LATIN1 = "rust-csv/uspop-latin1.csv"
# Files that are not a CSV kaiin converts as they are: kaiin refuses them with exit 1,
# writes nothing, and names the first line and the rule; every error it reports
# has one of the rules given.
REFUSED = {
    # CR-only line ends (old Mac): the whole file reads as one line.
    "eccube/tests__Fixtures__data_blank_lines.csv": (1, {"csv-bare-cr"}),
    "eccube/tests__Fixtures__data_cr_breaks.csv": (1, {"csv-bare-cr"}),
    # EC-CUBE's reader fixtures for ragged rows.
    "eccube/tests__Fixtures__data_column_headers_varying_element_count.csv": (3, {"csv-field-count"}),
    "eccube/tests__Fixtures__data_fewer_elements_than_column_headers.csv": (3, {"csv-field-count"}),
    "eccube/tests__Fixtures__data_more_elements_than_column_headers.csv": (3, {"csv-field-count"}),
    "eccube/tests__Fixtures__data_no_column_headers_varying_element_count.csv": (2, {"csv-field-count"}),
    # A title line above a two-column table: every record has more fields than the "header".
    "estat/scraping_test1__Preview_20251117151523.csv": (2, {"csv-field-count"}),
    # Semicolons and backslash-escaped quotes: not RFC 4180.
    "rust-csv/strange.csv": (1, {"csv-text-after-quote", "csv-bare-quote", "csv-field-count"}),
}
# UTF-8 files with characters CP932 has no code for: converting them to CP932 is an
# error naming each code point (here − and 〜 as Macs type them, which --fold writes
# as Windows' own, and a no-break space), so they go back to UTF-8 only from UTF-8.
UNMAPPABLE = {"estat/scraping_test1__898.csv": {"U+2212", "U+301C", "U+00A0"}}

BOM = b"\xef\xbb\xbf"


def all_files():
    return sorted(os.path.relpath(os.path.join(root, name), FILES)
                  for root, _, names in os.walk(FILES) for name in names)


def conv(*args):
    return subprocess.run([os.path.join(BIN, "kaiin-conv"), *args], capture_output=True,
                          env=dict(os.environ, LC_ALL="C.UTF-8"), timeout=300)


def errors(stderr):
    """(line, rule) of each error a report names."""
    return [(int(m.group(1)), m.group(2)) for m in re.finditer(r"^.*?:(\d+): error: .*\[([a-z0-9-]+)\]$",
                                                                stderr.decode(), re.M)]


@unittest.skipUnless(os.path.isdir(FILES), NOT_HERE)
class RealFiles(TempDirTest):
    def round_trip(self, src, source, target, back_to):
        """SRC converted from SOURCE to TARGET, then back to BACK_TO (SOURCE, or
        utf-8-bom for a file with a BOM): both runs exit 0, and the bytes come back as
        they were."""
        there, back = self.path("there"), self.path("back")
        p = conv("-f", source, "-t", target, "-o", there, src)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        p = conv("-f", target.replace("-bom", ""), "-t", back_to, "-o", back, there)
        self.assertEqual(p.returncode, 0, p.stderr.decode()[-2000:])
        self.assertTrue(read(back) == read(src), f"{source} -> {target} -> {back_to} changed bytes")

    def test_the_folder_holds_the_files_this_test_knows(self):
        names = all_files()
        self.assertGreaterEqual(len(names), 30)
        for name in sorted(CP932 | set(REFUSED) | set(UNMAPPABLE) | {LATIN1}):
            self.assertIn(name, names)

    def test_cp932_files_go_to_utf8_and_back(self):
        for name in sorted(CP932):
            with self.subTest(name):
                self.round_trip(os.path.join(FILES, name), "cp932", "utf-8", "cp932")

    def test_utf8_files_go_to_utf8_and_to_cp932_and_back(self):
        names = [n for n in all_files() if n not in CP932 and n not in REFUSED and n != LATIN1]
        self.assertGreaterEqual(len(names), 8)
        for name in names:
            with self.subTest(name):
                src = os.path.join(FILES, name)
                utf8 = "utf-8-bom" if read(src).startswith(BOM) else "utf-8"
                self.round_trip(src, "utf-8", utf8, utf8)  # read and written as it is
                if name not in UNMAPPABLE:
                    self.round_trip(src, "utf-8", "cp932", utf8)
                    continue
                p = conv("-t", "cp932", "--all", "-o", self.path("out"), src)  # --all: each character named
                self.assertEqual(p.returncode, 1, p.stderr.decode()[-2000:])
                self.assertFalse(os.path.exists(self.path("out")))
                self.assertEqual({rule for _, rule in errors(p.stderr)}, {"encoding-unmappable"})
                self.assertEqual(set(re.findall(r"error: (U\+[0-9A-F]{4,6})", p.stderr.decode())), UNMAPPABLE[name])

    def test_files_kaiin_refuses_get_a_clear_finding(self):
        for name, (first_line, rules) in sorted(REFUSED.items()):
            with self.subTest(name):
                src = os.path.join(FILES, name)
                source = "cp932" if name in CP932 else "utf-8"
                out = self.path("out")
                p = conv("-f", source, "-t", "utf-8", "-o", out, src)
                self.assertEqual(p.returncode, 1, p.stderr.decode()[-2000:])
                self.assertFalse(os.path.exists(out))  # nothing written
                found = errors(p.stderr)
                self.assertTrue(found, p.stderr.decode())
                self.assertEqual(found[0][0], first_line, p.stderr.decode()[-2000:])
                self.assertLessEqual({rule for _, rule in found}, rules)
                self.assertIn(src + f":{first_line}: error: ", p.stderr.decode())


@unittest.skipUnless(os.path.isdir(FILES), NOT_HERE)
class Latin1(TempDirTest):
    """uspop-latin1.csv is ISO-8859-1, which kaiin does not read (spec §2: UTF-8 or
    CP932). Today it is taken for CP932, where 0xD5 is the half-width katakana ﾕ:
    whatever kaiin-conv says about that on standard error, nothing is lost."""

    def test_it_goes_to_utf8_and_back_to_its_own_bytes(self):
        src = os.path.join(FILES, LATIN1)
        there, back = self.path("there"), self.path("back")
        p = conv("-t", "utf-8", "-o", there, src)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(conv("-t", "cp932", "-o", back, there).returncode, 0)
        self.assertEqual(read(back), read(src))

    def test_read_as_utf8_it_is_an_encoding_error_at_line_4(self):
        p = conv("-f", "utf-8", "-t", "utf-8", "-o", self.path("out"), os.path.join(FILES, LATIN1))
        self.assertEqual(p.returncode, 1)
        self.assertEqual(errors(p.stderr), [(4, "encoding-invalid")])


def quoted(value):
    return b'"' + value.replace(b'"', b'""') + b'"'


def one_per_record(values):
    """A CSV with a header and one quoted field per record: any byte but NUL can be in it."""
    return b'"c"\r\n' + b"".join(quoted(v) + b"\r\n" for v in values)


def newlines_last(pairs, cp932_bytes):
    """PAIRS with those whose value is CR or LF at the end: the line number of a
    finding then tells which entry it is about (record N is on line N + 1)."""
    return sorted(pairs, key=lambda pair: cp932_bytes(pair) in (b"\r", b"\n"))


def fields(data, encoding="utf-8"):
    """The values of one_per_record's CSV, after the header (latin-1: the bytes as they are)."""
    return [row[0] for row in csv.reader(io.StringIO(data.decode(encoding), newline=""))][1:]


def cp(text):
    return " ".join(f"U+{ord(c):04X}" for c in text) or "nothing"


# Spec §2 departs from ICU's table here on purpose: the single bytes 0x80, 0xA0 and
# 0xFD-0xFF (and the code points ICU gives them) are errors. NUL cannot be in a CSV
# kaiin reads (csv-nul-byte), so U+0000 is not compared.
REJECTED = {b"\x80": 0x80, b"\xa0": 0xF8F0, b"\xfd": 0xF8F1, b"\xfe": 0xF8F2, b"\xff": 0xF8F3}


def ucm_entries():
    """(code point, bytes, flag) of each mapping of the ICU table: |0 round trip,
    |3 decode only, |1 best fit (encode only)."""
    entries = []
    with open(os.path.join(REFERENCE, "p5-encode__ucm_cp932.ucm"), encoding="ascii") as f:
        for line in f:
            m = re.match(r"<U([0-9A-F]+)> ((?:\\x[0-9A-F]{2})+) \|(\d)", line)
            if m:
                entries.append((int(m.group(1), 16), bytes.fromhex(m.group(2).replace("\\x", "")), int(m.group(3))))
    return entries


def whatwg_bytes(pointer):
    """The Shift_JIS bytes of a WHATWG index-jis0208 pointer (Encoding Standard, shift_jis)."""
    lead, trail = divmod(pointer, 188)
    return bytes([lead + (0x81 if lead < 0x1F else 0xC1), trail + (0x40 if trail < 0x3F else 0x41)])


def whatwg_index():
    index = []
    with open(os.path.join(REFERENCE, "whatwg__index-jis0208.txt"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                pointer, code = line.split()[:2]
                index.append((int(pointer), int(code, 16)))
    return index


@unittest.skipUnless(os.path.isdir(REFERENCE), NOT_HERE)
class Cp932Tables(TempDirTest):
    def decode(self, pairs, table):
        """PAIRS of (bytes, code point) decoded by kaiin-conv -f cp932: every one gives
        its code point; a difference fails with the bytes and both code points."""
        pairs = newlines_last(pairs, lambda pair: pair[0])
        p = conv("-f", "cp932", "-t", "utf-8", self.write_input(one_per_record([b for b, _ in pairs])))
        self.assertEqual(p.returncode, 0, self.refused(p, [b.hex(" ").upper() for b, _ in pairs]))
        got = fields(p.stdout)
        self.assertEqual(len(got), len(pairs))
        diffs = [f"{b.hex(' ').upper()}: {table} U+{c:04X}, kaiin {cp(g)}" for (b, c), g in zip(pairs, got)
                 if g != chr(c)]
        self.assertEqual(diffs, [], f"{len(diffs)} differences from {table} when decoding")

    def encode(self, pairs, table):
        """PAIRS of (code point, bytes) encoded by kaiin-conv -t cp932."""
        pairs = newlines_last(pairs, lambda pair: pair[1])
        text = one_per_record([chr(c).encode("utf-8") for c, _ in pairs])
        p = conv("-f", "utf-8", "-t", "cp932", self.write_input(text))
        self.assertEqual(p.returncode, 0, self.refused(p, [f"U+{c:04X}" for c, _ in pairs]))
        got = [value.encode("latin-1") for value in fields(p.stdout, "latin-1")]
        self.assertEqual(len(got), len(pairs))
        diffs = [f"U+{c:04X}: {table} {b.hex(' ').upper()}, kaiin {g.hex(' ').upper() or 'nothing'}"
                 for (c, b), g in zip(pairs, got) if g != b]
        self.assertEqual(diffs, [], f"{len(diffs)} differences from {table} when encoding")

    def write_input(self, data):
        path = self.path("table.csv")
        with open(path, "wb") as f:
            f.write(data)
        return path

    @staticmethod
    def refused(p, names):
        """What kaiin refused, by table entry (record N is entry N - 2)."""
        lines = [f"{names[n - 2]}: {rule}" for n, rule in errors(p.stderr)[:40] if 2 <= n < len(names) + 2]
        return "kaiin refused:\n" + "\n".join(lines) + "\n" + p.stderr.decode()[-1000:]

    def test_icu_round_trip_mappings_decode(self):
        pairs = [(b, c) for c, b, flag in ucm_entries() if flag == 0 and b not in REJECTED and b != b"\x00"]
        self.assertGreater(len(pairs), 9000)
        self.decode(pairs, "windows-932-2000")

    def test_icu_decode_only_mappings_decode(self):
        pairs = [(b, c) for c, b, flag in ucm_entries() if flag == 3]
        self.assertGreater(len(pairs), 350)  # NEC-selected IBM and IBM duplicates
        self.decode(pairs, "windows-932-2000 (|3)")

    def test_icu_round_trip_mappings_encode(self):
        pairs = [(c, b) for c, b, flag in ucm_entries() if flag == 0 and b not in REJECTED and b != b"\x00"]
        self.encode(pairs, "windows-932-2000")

    def test_what_spec_2_rejects_is_rejected_both_ways(self):
        table = {b: c for c, b, flag in ucm_entries() if flag == 0}
        for byte, code in REJECTED.items():
            with self.subTest(byte.hex()):
                self.assertEqual(table[byte], code)  # the table maps it, kaiin does not
                p = conv("-f", "cp932", "-t", "utf-8", self.write_input(one_per_record([byte])))
                self.assertEqual((p.returncode, p.stdout), (1, b""))
                self.assertEqual(errors(p.stderr), [(2, "encoding-invalid")])
                p = conv("-f", "utf-8", "-t", "cp932", self.write_input(one_per_record([chr(code).encode()])))
                self.assertEqual((p.returncode, p.stdout), (1, b""))
                self.assertEqual(errors(p.stderr), [(2, "encoding-unmappable")])

    def test_whatwg_index_decodes(self):
        pairs = [(whatwg_bytes(pointer), code) for pointer, code in whatwg_index()]
        self.assertGreater(len(pairs), 7000)
        self.decode(pairs, "WHATWG index-jis0208")

    def test_whatwg_index_encodes(self):
        # The Encoding Standard's Shift_JIS encoder: the first pointer of a code point,
        # leaving out 8272-8835 (NEC-selected IBM extensions, rows 89-92), as Windows.
        first = {}
        for pointer, code in whatwg_index():
            if not 8272 <= pointer <= 8835:
                first.setdefault(code, pointer)
        self.encode(sorted((code, whatwg_bytes(pointer)) for code, pointer in first.items()), "WHATWG index-jis0208")


if __name__ == "__main__":
    unittest.main()
