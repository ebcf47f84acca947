"""A value quoted in a finding is cut after 80 characters, in every program and for
every kind of finding: a 10,000-character value (or a header that is one long line)
makes a report line a person can read."""
import json

from kaiin_csv import MEMBER_HEADER, csv_bytes, new
from kaiin_test import TempDirTest, run, write

LONG = "x" * 10_000
SHOWN = "'" + "x" * 80 + "\u2026'"


def messages(result, stream="out"):
    text = result.out.decode() if stream == "out" else result.err
    return [json.loads(l)["message"] for l in text.splitlines() if l.startswith('{"file"')]


class ShownValues(TempDirTest):
    def assert_cut(self, message):
        self.assertIn(SHOWN, message)
        self.assertNotIn("x" * 81, message)
        self.assertLess(len(message), 400)

    def test_a_rule_quotes_the_first_80_characters_of_a_value(self):
        src = write(self.path("m.csv"), csv_bytes([new(cus_zip=LONG)], MEMBER_HEADER))
        r = run("kaiin-check", "--report", "json", src)
        self.assertEqual(r.code, 1, r)
        zip_messages = [m for m in messages(r) if "zip code" in m]
        self.assertEqual(len(zip_messages), 1, r)
        self.assert_cut(zip_messages[0])

    def test_a_nul_finding_names_a_long_column_by_its_first_80_characters(self):
        # The place of a NUL names its column: here a header name of 10,000 characters.
        src = write(self.path("m.csv"), b"id," + LONG.encode() + b"\n1,a\x00b\n")
        r = run("kaiin-conv", "-t", "utf-8", "--report", "json", src)
        self.assertEqual(r.code, 1, r)
        (nul,) = [m for m in messages(r, "err") if "NUL" in m]
        self.assert_cut(nul)

    def test_an_invalid_byte_is_placed_by_the_first_80_characters_of_its_column(self):
        src = write(self.path("m.csv"), b"id," + LONG.encode() + b"\n1,a\x80b\n")
        r = run("kaiin-split", "-f", "cp932", "--by", "rows:10", "-d", self.path("parts"), "--report", "json", src)
        self.assertEqual(r.code, 1, r)
        (bad,) = [m for m in messages(r, "err") if "not valid CP932" in m]
        self.assert_cut(bad)

    def test_points_and_tags_cut_values_too(self):
        points = write(self.path("p.csv"), "member_id,points,reason\r\n1," + LONG + ",x\r\n")
        r = run("kaiin-points", "--report", "json", "check", points)
        self.assertEqual(r.code, 1, r)
        (bad,) = [m for m in messages(r, "err") if "whole number" in m]
        self.assert_cut(bad)
        master = write(self.path("tags.csv"), "tag_code,tag_name,tag_group,kind\r\n" + LONG + "!,a,b,manual\r\n")
        r = run("kaiin-tags", "--report", "json", "check", master)
        self.assertEqual(r.code, 1, r)
        self.assertTrue(messages(r, "err"), r)
        for m in messages(r, "err"):
            self.assertNotIn("x" * 81, m)
