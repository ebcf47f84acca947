"""kaiin-crosspoint, from the outside: the load file CROSS POINT takes, and the merge
plan while members share an address (spec §6)."""
import csv
import io
import os

import kaiin_csv
from kaiin_csv import MEMBER_HEADER, csv_bytes
from kaiin_test import TempDirTest, json_report, read, run, sample, write

# The kaiin profile's columns with cus_updated before the memo.
HEADER = MEMBER_HEADER[:-1] + ["cus_updated", "cus_memo"]
MAP = ["オンラインショップ会員ID", "姓", "名", "姓カナ", "名カナ", "メールアドレス", "携帯メールアドレス", "郵便番号",
       "都道府県", "住所1", "住所2", "電話番号", "生年月日", "性別", "メールマガジン受信", "ポイント残高", "会員ランク",
       "入会日時", "備考"]
SOURCES = ["cus_id", "cus_last_name", "cus_first_name", "cus_last_kana", "cus_first_kana", "cus_email",
           "cus_mobile_email", "cus_zip", "cus_pref", "cus_address1", "cus_address2", "cus_tel", "cus_birthday",
           "cus_sex", "cus_mailmag", "cus_point", "cus_rank", "cus_registered", "cus_memo"]


def member(cid, email, mobile="", point="0", registered="2020/01/01 00:00:00", updated="", memo="", rank="ゴールド",
           address2=""):
    # 髙 and ① are in CP932 (NEC and IBM extensions) but not in JIS X 0208.
    return kaiin_csv.member(cus_id=cid, cus_first_name="髙子", cus_first_kana="タカコ", cus_email=email,
                            cus_mobile_email=mobile, cus_address1="大阪市北区①", cus_address2=address2, cus_sex="2",
                            cus_point=point, cus_rank=rank, cus_registered=registered, cus_updated=updated, cus_memo=memo)


def export(members, encoding="cp932"):
    return csv_bytes(members, HEADER, encoding=encoding)


def tsv(data, encoding="cp932"):
    """The load file read back with a TSV reader: no quoting, TAB between values."""
    text = data.decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    return rows[0], rows[1:]


class LoadFile(TempDirTest):
    def test_round_trip_through_a_tsv_reader_gives_back_every_value(self):
        members = [member("1", "a@example.com", "a@docomo.ne.jp", point="1200", memo='引用 "quoted", コンマ'),
                   member("2", "b@example.com", rank="", memo="=1+1"),
                   member("3", "c@example.com", point="", address2="ﾊｲﾂ 305")]
        src = write(self.path("export.csv"), export(members))
        out = self.path("load.tsv")
        r = run("kaiin-crosspoint", "-o", out, src)
        self.assertEqual(r.code, 0, r)
        header, rows = tsv(read(out))
        self.assertEqual(header, MAP)
        self.assertEqual(rows, [[m[s] for s in SOURCES] for m in members])
        self.assertTrue(read(out).endswith(b"\r\n"))
        self.assertNotIn(b'"', read(out).split(b"\r\n")[0])
        self.assertIn("members written 3", r.err)
        self.assertIn("points carried 1200", r.err)
        self.assertIn("point history not migrated", r.err)

    def test_records_copied_as_read_give_the_same_values(self):
        # A CP932 record whose characters all round-trip (no 髙 or ①) is copied as
        # read, a value after another: quotes undoubled, a value with a TAB cleaned as
        # in a decoded record.
        plain = dict(cus_first_name="花子", cus_address1="大阪市北区")
        members = [member("1", "a@example.com", memo='引用 "quoted", コンマ', address2='"A" 棟'),
                   member("2", "b@example.com", memo="tab\there", address2="ハイツ"),
                   member("3", "c@example.com", memo='""', address2="")]
        for m in members:
            m.update(plain)
        src = write(self.path("export.csv"), export(members))
        r = run("kaiin-crosspoint", "--sanitize", "-o", self.path("load.tsv"), src)
        self.assertEqual(r.code, 0, r)
        header, rows = tsv(read(self.path("load.tsv")))
        expected = [[m[s] for s in SOURCES] for m in members]
        expected[1][SOURCES.index("cus_memo")] = "tab here"
        self.assertEqual(rows, expected, r)

    def test_cp932_in_utf8_out_with_lf(self):
        members = [member("1", "a@example.com"), member("2", "b@example.com")]
        src = write(self.path("export.csv"), export(members))
        out = self.path("load.tsv")
        r = run("kaiin-crosspoint", "-t", "utf-8", "--newline", "lf", "-o", out, src)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn(b"\r", read(out))
        header, rows = tsv(read(out), "utf-8")
        self.assertEqual(rows[0][1:3], ["山田", "髙子"])

    def test_utf8_export_gives_the_same_cp932_bytes_as_a_cp932_export(self):
        members = [member("1", "a@example.com", memo="～①㈱髙")]
        a, b = write(self.path("a.csv"), export(members)), write(self.path("b.csv"), export(members, "utf-8"))
        ra, rb = run("kaiin-crosspoint", a), run("kaiin-crosspoint", b)
        self.assertEqual((ra.code, rb.code), (0, 0))
        self.assertEqual(ra.out, rb.out)
        self.assertIn(b"\xfb\xfc", ra.out)  # 髙 as Windows writes it (Python's codec wrote EE E0)

    def test_tabs_and_newlines_are_errors_naming_line_and_column(self):
        members = [member("1", "a@example.com"), member("2", "b@example.com", memo="一行目\r\n二行目"),
                   member("3", "c@example.com", address2="A\tB")]
        src = write(self.path("export.csv"), export(members))
        out = self.path("load.tsv")
        r = run("kaiin-crosspoint", "-o", out, src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{src}:3: error: cus_memo: the value holds a CR", r.err)
        self.assertIn(f"{src}:5: error: cus_address2: the value holds a TAB", r.err)
        self.assertFalse(os.path.exists(out))

    def test_sanitize_replaces_each_with_a_space_and_lists_every_change(self):
        members = [member("2", "b@example.com", memo="一行目\r\n二行目"), member("3", "c@example.com", address2="A\tB")]
        src = write(self.path("export.csv"), export(members))
        r = run("kaiin-crosspoint", "--sanitize", "--report", "json", src)
        self.assertEqual(r.code, 0, r)
        header, rows = tsv(r.out)
        self.assertEqual(rows[0][18], "一行目  二行目")
        self.assertEqual(rows[1][10], "A B")
        self.assertEqual(r.err.count('"rule":"crosspoint-sanitized"'), 2)
        self.assertIn('"values_sanitized":2', r.err)
        self.assertIn('"characters_sanitized":3', r.err)

    def test_unknown_rank_is_a_warning(self):
        members = [member("1", "a@example.com", rank="ダイヤモンド"), member("2", "b@example.com", rank="ゴールド")]
        src = write(self.path("export.csv"), export(members))
        r = run("kaiin-crosspoint", "--ranks", sample("ranks.csv"), src)
        self.assertEqual(r.code, 0, r)
        self.assertIn(f"{src}:2: warning: rank 'ダイヤモンド' is not set up in CROSS POINT", r.err)
        self.assertIn("ランク無し", r.err)
        self.assertEqual(r.err.count("[rank-unknown]"), 1)

    def test_members_without_or_with_a_repeated_id_are_errors(self):
        members = [member("1", "a@example.com"), member("", "b@example.com"), member("1", "c@example.com")]
        r = run("kaiin-crosspoint", stdin=export(members))
        self.assertEqual(r.code, 1, r)
        self.assertIn("<stdin>:3: error: the member has no member ID", r.err)
        self.assertIn("<stdin>:4: error: member ID '1' is also on line 2", r.err)
        self.assertEqual(r.out, b"")

    def test_characters_with_two_cp932_codes_get_the_one_windows_writes(self):
        # ED 40 (纊, an NEC-selected IBM extension) is written FA 5C, 87 90 (≒, NEC's
        # row 13) 81 E0, as encoding them from Unicode gives; 外字 F0 40 stays, with
        # its warning; a byte that is no CP932 is an error at its place.
        members = [member("1", "a@example.com", address2="NECIBM NECROW EUDC"), member("2", "b@example.com"),
                   member("3", "c@example.com", address2="BAD")]
        data = export(members).replace(b"NECIBM", b"\xED\x40").replace(b"NECROW", b"\x87\x90")
        data = data.replace(b"EUDC", b"\xF0\x40").replace(b"BAD", b"\x80")
        src = write(self.path("export.csv"), data)
        out = self.path("load.tsv")
        r = run("kaiin-crosspoint", "-o", out, src)
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{src}:2: warning: 外字 (user-defined character) U+E000 (in 'cus_address2': line 2,", r.err)
        self.assertIn(f"{src}:4: error: bytes 80 are not valid CP932 (in 'cus_address2': line 4,", r.err)
        r = run("kaiin-crosspoint", "-o", out, write(self.path("clean.csv"), data.replace(b"\x80", b"x")))
        self.assertEqual(r.code, 0, r)
        first = read(out).split(b"\r\n")[1]
        self.assertIn(b"\xFA\x5C \x81\xE0 \xF0\x40", first)

    def test_an_export_over_a_megabyte_read_on_a_thread_keeps_every_finding_in_line_order(self):
        # A file of a megabyte or more is read on a reading thread: its findings (of
        # reading, of each member's values, of the load file's encoding) still come
        # line by line, and the load file has every member in order.
        members, expected, shift = [], [], 0
        for i in range(1, 6001):
            line = i + 1 + shift  # a memo with a newline is two lines
            m = member(str(i), f"m{i}@example.com", point=str(i), memo=f"メモ {i}")
            if i % 997 == 0:
                m = member(str(i), f"m{i}@example.com", point=str(i), memo="改行\nあり")
                expected.append((line, "crosspoint-sanitized"))
                shift += 1
            if i % 1499 == 0:
                m["cus_rank"] = "ダイヤモンド"
                expected.append((line, "rank-unknown"))
            if i % 1201 == 0:
                m["cus_address2"] = "EUDC"
                expected.insert(len(expected) - (i % 1499 == 0) - (i % 997 == 0), (line, "encoding-eudc"))
            members.append(m)
        data = export(members).replace(b"EUDC", b"\xF0\x40")
        src = write(self.path("export.csv"), data)
        self.assertGreater(len(data), 1 << 20)
        out = self.path("load.tsv")
        r = run("kaiin-crosspoint", "--all", "--report", "json", "--sanitize", "--ranks", sample("ranks.csv"), "-o", out,
                src)
        self.assertEqual(r.code, 0, r)
        found = json_report(r.err).findings
        self.assertEqual([(f["line"], f["rule"]) for f in found], expected)
        header, rows = tsv(read(out))
        self.assertEqual([row[0] for row in rows], [str(i) for i in range(1, 6001)])
        self.assertEqual(rows[996][-1], "改行 あり")
        self.assertEqual(rows[1200][10], "\ue000")

    def test_max_errors_stops_an_export_read_on_a_thread_where_the_errors_are(self):
        # The reading thread reads on ahead; the run stops at the second error all
        # the same, and counts the members it took.
        members = [member(str(i), f"m{i}@example.com", memo="a\tb" if i % 100 == 0 else "memo")
                   for i in range(1, 6001)]
        data = export(members)
        self.assertGreater(len(data), 1 << 20)
        r = run("kaiin-crosspoint", "--max-errors", "2", "-o", self.path("load.tsv"),
                write(self.path("export.csv"), data))
        self.assertEqual(r.code, 1, r)
        errors = [l for l in r.err.splitlines() if ": error: " in l]
        self.assertEqual([l.split(":")[1] for l in errors], ["101", "201"])
        self.assertIn("members read 200,", r.err)

    def test_own_map_with_a_header_of_the_export_and_an_empty_column(self):
        mapping = write(self.path("map.csv"), "column,source\n会員番号,member_id\nメモ,cus_memo\n予備,\n")
        r = run("kaiin-crosspoint", "--map", mapping, stdin=export([member("7", "x@example.com", memo="m")]))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(tsv(r.out), (["会員番号", "メモ", "予備"], [["7", "m", ""]]))

    def test_a_map_naming_what_the_export_lacks_is_refused(self):
        mapping = write(self.path("map.csv"), "column,source\n会員番号,member_id\n誕生石,birthstone\n")
        r = run("kaiin-crosspoint", "--map", mapping, stdin=export([member("7", "x@example.com")]))
        self.assertEqual(r.code, 2, r)
        self.assertIn("'birthstone'", r.err)


class MergePlan(TempDirTest):
    def test_duplicates_across_pc_and_mobile_columns_block_the_load_file(self):
        members = [member("1", "taro@example.com", "taro@docomo.ne.jp", point="100", updated="2024/01/01 00:00:00"),
                   member("2", "hanako@example.com"),
                   member("3", "TARO@docomo.ne.jp", point="5", updated="2025/06/01 12:00:00"),
                   member("4", "jiro@example.com", "ｔａｒｏ＠example.com", point="900", registered="2010/01/01 00:00:00")]
        src = write(self.path("export.csv"), export(members))
        out, plan = self.path("load.tsv"), self.path("plan.csv")
        r = run("kaiin-crosspoint", "--merge-plan", plan, "-o", out, src)
        self.assertEqual(r.code, 1, r)
        self.assertFalse(os.path.exists(out))
        self.assertIn("members '1' (line 2), '3' (line 4), '4' (line 5) share an e-mail address", r.err)
        self.assertIn("[crosspoint-merge]", r.err)
        data = read(plan)
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        self.assertEqual([(x["group"], x["member_id"], x["line"]) for x in rows],
                         [("1", "1", "2"), ("1", "3", "4"), ("1", "4", "5")])
        # the most recent activity survives: member 3's last update is the latest
        self.assertEqual({x["survivor"] for x in rows}, {"3"})
        self.assertEqual([x["keep"] for x in rows], ["0", "1", "0"])
        self.assertEqual(rows[2]["mobile_email"], "ｔａｒｏ＠example.com")  # as written, nothing lost
        self.assertEqual(rows[0]["point"], "100")

    def test_a_chain_of_shared_addresses_is_one_group(self):
        members = [member("1", "a@example.com", "b@docomo.ne.jp"), member("2", "b@docomo.ne.jp", "c@ezweb.ne.jp"),
                   member("3", "c@ezweb.ne.jp"), member("4", "d@example.com"), member("5", "d@example.com")]
        plan = self.path("plan.csv")
        r = run("kaiin-crosspoint", "--merge-plan", plan, stdin=export(members))
        self.assertEqual(r.code, 1, r)
        rows = list(csv.DictReader(io.StringIO(read(plan).decode("utf-8-sig"), newline="")))
        self.assertEqual([(x["group"], x["member_id"]) for x in rows],
                         [("1", "1"), ("1", "2"), ("1", "3"), ("2", "4"), ("2", "5")])
        self.assertIn("merge groups 2", r.err)

    def test_members_of_groups_are_found_again_wherever_they_are_in_a_big_export(self):
        # The second pass goes straight to the members of groups, from the place of
        # every 64th member: groups around those places, two in one stretch, members
        # of several lines, and rows that are no member (no ID, an ID again) between.
        members, lines, line = [], {}, 2
        partner = {}
        for k in (1, 62, 63, 64, 65, 127, 128, 129, 300, 301, 1400):
            partner[k], partner[3000 - k] = 3000 - k, k
        for i in range(1, 3001):
            if i in (64, 700):
                members.append(member("", f"noid{i}@example.com"))  # no member: skipped
                line += 1
            if i == 200:
                members.append(member("150", "again@example.com"))  # an ID again: skipped
                line += 1
            memo = "一行目\n二行目" if i % 7 == 0 else ""
            email = f"shared{min(i, partner[i])}@example.com" if i in partner else f"m{i}@example.com"
            members.append(member(str(i), email, memo=memo))
            lines[str(i)] = line
            line += 2 if memo else 1
        data = export(members)
        for name, args in (("file", [write(self.path("export.csv"), data)]), ("pipe", [])):
            with self.subTest(name):
                plan = self.path(f"plan_{name}.csv")
                r = run("kaiin-crosspoint", "--merge-plan", plan, *args, stdin=None if args else data)
                self.assertEqual(r.code, 1, r)
                rows = list(csv.DictReader(io.StringIO(read(plan).decode("utf-8-sig"), newline="")))
                self.assertEqual(sorted((x["member_id"], x["line"]) for x in rows),
                                 sorted((str(k), str(lines[str(k)])) for k in partner))
                group = {x["member_id"]: x["group"] for x in rows}
                for k in partner:
                    self.assertEqual(group[str(k)], group[str(partner[k])])
                self.assertEqual(len(set(group.values())), len(partner) // 2)
                self.assertIn("members read 3003", r.err)

    def test_without_duplicates_no_plan_is_written(self):
        plan = self.path("plan.csv")
        r = run("kaiin-crosspoint", "--merge-plan", plan, stdin=export([member("1", "a@example.com")]))
        self.assertEqual(r.code, 0, r)
        self.assertFalse(os.path.exists(plan))

    def test_sample_walkthrough(self):
        plan = self.path("plan.csv")
        r = run("kaiin-crosspoint", "--merge-plan", plan, sample("export_duplicates.csv"))
        self.assertEqual(r.code, 1, r)
        self.assertIn("keep '20003'", r.err)
        r = run("kaiin-crosspoint", "--sanitize", sample("export_for_crosspoint.csv"))
        self.assertEqual(r.code, 0, r)
