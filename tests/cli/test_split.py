"""kaiin-split, from the outside: every byte of every record lands in exactly one
output, nothing is written after a failure, and each mode does what spec §5 says."""
import glob
import os
import subprocess

import kaiin_csv
from kaiin_csv import MEMBER_HEADER, csv_line
from kaiin_test import SOURCE, TempDirTest, read, run, sample, write

HEADER = ",".join(MEMBER_HEADER)


def records(data):
    """The raw records of CSV bytes (an RFC 4180 splitter of our own, for checking):
    each record's bytes with its newline."""
    out, start, quoted, i = [], 0, False, 0
    while i < len(data):
        c = data[i:i + 1]
        if c == b'"':
            quoted = not quoted
        elif c == b"\n" and not quoted:
            out.append(data[start:i + 1])
            start = i + 1
        i += 1
    if start < len(data):
        out.append(data[start:])
    return out


def generated(rows, control, encoding="cp932", newline="crlf", seed=7):
    script = os.path.join(SOURCE, "tests", "bench", "gen_members.py")
    return subprocess.run(["python3", script, "--rows", str(rows), "--control", control, "--encoding", encoding,
                           "--newline", newline, "--seed", str(seed), "--mobile-rate", "0.4"],
                          capture_output=True, check=True).stdout


def member(control, cid, email, mobile="", mailmag="1", memo=""):
    """An upload's row as a line of CSV (the memo quoted where it must be)."""
    return csv_line(kaiin_csv.member(control=control, cus_id=cid, cus_password="pw123456", crypted_pass="0",
                                     cus_email=email, cus_mobile_email=mobile, cus_address1="大阪市北区",
                                     cus_mailmag=mailmag, cus_memo=memo))


class ByAction(TempDirTest):
    def test_rejoined_outputs_are_the_input_record_for_record(self):
        data = generated(400, "nud")
        src = write(self.path("members.csv"), data)
        r = run("kaiin-split", "--by", "action", "-d", self.path("out"), src)
        self.assertEqual(r.code, 0, r)
        nu, d = read(self.path("out/members.nu.csv")), read(self.path("out/members.d.csv"))
        header, body = records(data)[0], records(data)[1:]
        self.assertEqual(records(nu)[0], header)
        self.assertEqual(records(d)[0], header)
        self.assertEqual(records(nu)[1:], [x for x in body if not x.startswith(b"d,")])
        self.assertEqual(records(d)[1:], [x for x in body if x.startswith(b"d,")])
        self.assertTrue(any(b'\r\n' in x[:-2] for x in body), "the sample has quoted newlines")
        self.assertIn("new and update rows", r.err)

    def test_a_file_that_would_be_empty_is_not_written(self):
        src = write(self.path("members.csv"), generated(30, "nu"))
        r = run("kaiin-split", "--by", "action", "-d", self.path("out"), src)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sorted(os.listdir(self.path("out"))), ["members.nu.csv"])

    def test_other_control_values_refuse_the_whole_file_naming_the_lines(self):
        text = "\r\n".join([HEADER, member("n", "", "a@example.com"), member("N", "", "b@example.com"),
                            member("d", "5", "c@example.com"), member("x", "", "e@example.com")]) + "\r\n"
        src = write(self.path("members.csv"), text.encode("cp932"))
        r = run("kaiin-split", "--by", "action", "-d", self.path("out"), src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{src}:3: error: control value 'N'", r.err)
        self.assertIn(f"{src}:5: error: control value 'x'", r.err)
        self.assertFalse(os.path.exists(self.path("out")))  # nothing, not even the good rows or the folder

    def test_utf8_with_bom_and_lf_kept(self):
        data = generated(60, "nud", encoding="utf-8-sig", newline="lf")
        src = write(self.path("m.csv"), data)
        self.assertEqual(run("kaiin-split", "--by", "action", "-d", self.dir, src).code, 0)
        for name in ("m.nu.csv", "m.d.csv"):
            out = read(self.path(name))
            self.assertTrue(out.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\n"))
            self.assertNotIn(b"\r\n" + HEADER.encode(), out)


class ByAddress(TempDirTest):
    def write_members(self):
        text = "\r\n".join([HEADER,
                            member("u", "1", "pc1@example.com", "m1@docomo.ne.jp"),
                            member("u", "2", "pc2@example.com"),
                            member("u", "3", "", "m3@ezweb.ne.jp", mailmag="0"),
                            member("u", "4", "", ""),
                            member("u", "5", "same@example.com", "same@example.com", memo="a,b\r\nc")]) + "\r\n"
        return write(self.path("members.csv"), text.encode("cp932"))

    def rows(self, data):
        return [x.decode("cp932").split(",") for x in records(data)[1:]]

    def test_two_addresses_become_two_rows_with_the_same_id(self):
        src = self.write_members()
        r = run("kaiin-split", "--by", "address", src)
        self.assertEqual(r.code, 0, r)
        rows = self.rows(r.out)
        self.assertEqual([(x[1], x[8], x[9]) for x in rows],
                         [("1", "pc1@example.com", ""), ("1", "m1@docomo.ne.jp", ""), ("2", "pc2@example.com", ""),
                          ("3", "m3@ezweb.ne.jp", ""), ("5", "same@example.com", "")])
        self.assertIn('"a,b\r\nc"'.encode("cp932"), r.out)  # other fields as written
        self.assertIn("rows written 5", r.err)
        self.assertIn("members without address 1", r.err)
        self.assertIn(f"{src}:5: warning: the member has no e-mail address", r.err)

    def test_subscribed_only_keeps_members_who_receive_the_mail_magazine(self):
        src = self.write_members()
        out = self.path("crm.csv")
        r = run("kaiin-split", "--by", "address", "--subscribed-only", "-o", out, src)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("3", [x[1] for x in self.rows(read(out))])
        self.assertIn("members not subscribed 1", r.err)


class BySize(TempDirTest):
    def test_rows_files_hold_the_header_and_at_most_n_records_and_rejoin_to_the_input(self):
        data = generated(1234, "nu")
        src = write(self.path("m.csv"), data)
        r = run("kaiin-split", "--by", "rows:500", "-d", self.path("out"), src)
        self.assertEqual(r.code, 0, r)
        parts = sorted(glob.glob(self.path("out/m.*.csv")))
        self.assertEqual([os.path.basename(p) for p in parts], ["m.001.csv", "m.002.csv", "m.003.csv"])
        header, body = records(data)[0], records(data)[1:]
        joined = []
        for p in parts:
            recs = records(read(p))
            self.assertEqual(recs[0], header)
            self.assertLessEqual(len(recs) - 1, 500)
            joined += recs[1:]
        self.assertEqual(joined, body)

    def test_bytes_files_stay_under_the_limit_with_records_whole(self):
        data = generated(300, "nu")
        src = write(self.path("m.csv"), data)
        r = run("kaiin-split", "--by", "bytes:10KB", "-d", self.dir, src)
        self.assertEqual(r.code, 0, r)
        parts = sorted(glob.glob(self.path("m.0*.csv")))
        self.assertGreater(len(parts), 3)
        for p in parts:
            self.assertLessEqual(os.path.getsize(p), 10000)
        self.assertEqual(b"".join(b"".join(records(read(p))[1:]) for p in parts), b"".join(records(data)[1:]))

    def test_a_record_larger_than_the_limit_is_an_error_and_nothing_is_written(self):
        text = "\r\n".join([HEADER, member("n", "", "a@example.com"), member("n", "", "b@example.com", memo="x" * 400)])
        src = write(self.path("m.csv"), text + "\r\n")
        r = run("kaiin-split", "--by", "bytes:600", "-d", self.path("out"), src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{src}:3: error: the record is", r.err)
        self.assertIn("[split-record-too-large]", r.err)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_a_broken_record_late_in_the_file_leaves_no_file_at_all(self):
        data = generated(200, "nu") + b'n,"never closed\r\n'
        src = write(self.path("m.csv"), data)
        r = run("kaiin-split", "--by", "rows:50", "-d", self.path("out"), src)
        self.assertEqual(r.code, 1, r)
        self.assertIn("[csv-unterminated-quote]", r.err)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_a_bad_byte_in_the_header_is_one_finding(self):
        src = write(self.path("m.csv"), b"control,cus_e\x80mail\r\nn,a@example.jp\r\n")
        for by in ("rows:1", "action"):
            with self.subTest(by=by):
                r = run("kaiin-split", "--by", by, "-d", self.path("out"), src)
                self.assertEqual(r.code, 1, r)
                self.assertEqual(r.err.count("[encoding-invalid]"), 1, r.err)
                self.assertIn(f"{src}:1: error: bytes 80 are not valid CP932", r.err)

    def test_bad_bytes_are_errors_and_nothing_is_written(self):
        bad = member("n", "", "a@example.com").encode("cp932").replace(b"530-0001", b"530\x800001")
        data = generated(20, "nu") + bad + b"\r\n"
        src = write(self.path("m.csv"), data)
        r = run("kaiin-split", "--by", "rows:5", "-f", "cp932", "-d", self.path("out"), src)
        self.assertEqual(r.code, 1, r)
        self.assertIn("bytes 80 are not valid CP932 (in 'cus_zip'", r.err)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_a_numbered_file_left_from_an_earlier_split_is_warned_about(self):
        src = write(self.path("m.csv"), generated(30, "nu"))
        self.assertEqual(run("kaiin-split", "--by", "rows:10", "-d", self.dir, src).code, 0)
        r = run("kaiin-split", "--by", "rows:20", "-d", self.dir, src)
        self.assertEqual(r.code, 0, r)
        self.assertIn("m.003.csv: warning: this file is left from an earlier split", r.err)

    def test_a_failed_split_warns_of_the_earlier_files_too(self):
        # Nothing of a failed split is written: every file there is an earlier one's,
        # and the same words say so as after a split that wrote fewer files.
        warning = ": warning: this file is left from an earlier split, not part of this one: remove it before uploading"
        src = write(self.path("m.csv"), generated(30, "nu"))
        self.assertEqual(run("kaiin-split", "--by", "rows:10", "-d", self.dir, src).code, 0)
        write(src, generated(30, "nu") + b'n,"never closed\r\n')
        r = run("kaiin-split", "--by", "rows:10", "-d", self.dir, src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(self.path("m.001.csv") + warning, r.err)
        write(src, b"name,kana\r\n")  # without the control column --by action needs
        r = run("kaiin-split", "--by", "rows:10", "-d", self.dir, src)
        self.assertEqual(r.code, 0, r)  # rows need no column: no file, all three are earlier ones
        self.assertIn(self.path("m.001.csv") + warning, r.err)


class ActionFilesOfAnEarlierSplit(TempDirTest):
    def test_an_action_file_this_split_does_not_write_is_warned_about(self):
        warning = ": warning: this file is left from an earlier split"
        src = write(self.path("m.csv"), generated(30, "nud"))
        self.assertEqual(run("kaiin-split", "--by", "action", "-d", self.dir, src).code, 0)
        self.assertEqual(sorted(f for f in self.files() if f != "m.csv"), ["m.d.csv", "m.nu.csv"])
        write(src, generated(30, "nu"))
        r = run("kaiin-split", "--by", "action", "-d", self.dir, src)
        self.assertEqual(r.code, 0, r)
        self.assertIn(self.path("m.d.csv") + warning, r.err)  # old deletes must not go up with the new rows
        self.assertNotIn("m.nu.csv" + warning, r.err)
        write(src, generated(30, "nu") + b"x,1\r\n")
        r = run("kaiin-split", "--by", "action", "-d", self.dir, src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(self.path("m.nu.csv") + warning, r.err)
        self.assertIn(self.path("m.d.csv") + warning, r.err)
        write(src, b"name,kana\r\n")  # without the control column: nothing written either
        r = run("kaiin-split", "--by", "action", "-d", self.dir, src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(self.path("m.nu.csv") + warning, r.err)


class Inputs(TempDirTest):
    def test_empty_input_is_a_problem_of_the_data_and_writes_nothing(self):
        r = run("kaiin-split", "--by", "rows:5", "--prefix", "e", "-d", self.path("out"), stdin=b"")
        self.assertEqual(r.code, 1, r)
        self.assertIn("<stdin>:1: error: the file is empty: a header is missing [file-empty]", r.err)
        self.assertEqual(self.files(), [])

    def test_header_only_writes_nothing(self):
        src = write(self.path("h.csv"), HEADER + "\r\n")
        r = run("kaiin-split", "--by", "action", "-d", self.path("out"), src)
        self.assertEqual(r.code, 0, r)
        self.assertFalse(os.path.exists(self.path("out")))

    def test_standard_input_needs_a_prefix(self):
        data = generated(10, "nu")
        r = run("kaiin-split", "--by", "rows:5", "-d", self.dir, stdin=data)
        self.assertEqual(r.code, 2, r)
        self.assertIn("--prefix", r.err)
        r = run("kaiin-split", "--by", "rows:5", "--prefix", "in", "-d", self.dir, stdin=data)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(self.files(), ["in.001.csv", "in.002.csv"])

    def test_bad_by_value_is_a_usage_error(self):
        for by in ("rows", "rows:0", "rows:x", "lines:5", "bytes:5GB"):
            r = run("kaiin-split", "--by", by, sample("upload.csv"))
            self.assertEqual(r.code, 2, (by, r))
            self.assertIn("rows:N" if by.startswith(("rows", "lines")) else "bytes:N", r.err)
        r = run("kaiin-split", "--by", "bytes:5GB", sample("upload.csv"))
        self.assertIn("--by bytes:N (N may end in KB, MB, KiB or MiB): N must be a whole number of at least 1, not "
                      "'5GB'", r.err)
