"""kaiin-tags, from the outside: the tag master, rules over members, changes against
the current links, and what cron needs (spec §8)."""
import csv
import fcntl
import io
import os
import re
import shutil
import subprocess
import time

import kaiin_csv
from kaiin_csv import MEMBER_HEADER, csv_bytes
from kaiin_test import BIN, SOURCE, TempDirTest, read, run, run_shell, sample, write

# The kaiin profile's columns and a shop's own, which rules can name.
HEADER = MEMBER_HEADER + ["会員種別"]


def member(cid, pref="東京都", birthday="1980/04/01", mailmag="1", point="0", rank="", registered="2020/01/01 00:00:00",
           kind="一般"):
    return kaiin_csv.member(cus_id=cid, cus_email=f"m{cid}@example.com", cus_zip="100-0001", cus_pref=pref,
                            cus_address1="千代田区", cus_tel="03-0000-0000", cus_birthday=birthday, cus_mailmag=mailmag,
                            cus_point=point, cus_rank=rank, cus_registered=registered, 会員種別=kind)


def export(*members):
    return csv_bytes(members, HEADER, encoding="cp932")


def changes(data):
    return [tuple(r) for r in csv.reader(io.StringIO(data.decode(), newline=""))][1:]


class Apply(TempDirTest):
    def apply(self, rules, members, *args, today="2026-11-23"):
        r_path = write(self.path("rules.csv"), ("tag_code,field,op,value\r\n" + "\r\n".join(rules) + "\r\n").encode("cp932"))
        m_path = write(self.path("export.csv"), members)
        out = self.path("changes.csv")
        r = run("kaiin-tags", "apply", "--rules", r_path, "--members", m_path, "--today", today, "-o", out, *args)
        return r, (read(out) if os.path.exists(out) else None)

    def tagged(self, rule, *members):
        r, out = self.apply([rule], export(*members))
        self.assertEqual(r.code, 0, r)
        return sorted(m for m, _, _ in changes(out))

    def test_eq_and_ne(self):
        ms = [member("1", pref="東京都"), member("2", pref="大阪府")]
        self.assertEqual(self.tagged("T,pref,eq,東京都", *ms), ["1"])
        self.assertEqual(self.tagged("T,pref,ne,東京都", *ms), ["2"])

    def test_in_takes_values_separated_by_bars(self):
        ms = [member("1", rank="ゴールド"), member("2", rank="プラチナ"), member("3", rank="ブロンズ")]
        self.assertEqual(self.tagged("T,rank,in,ゴールド|プラチナ", *ms), ["1", "2"])

    def test_prefix(self):
        ms = [member("1", registered="2024/01/05 10:00:00"), member("2", registered="2023/12/31 10:00:00")]
        self.assertEqual(self.tagged("T,registered,prefix,2024/", *ms), ["1"])

    def test_number_comparisons_and_values_that_are_not_numbers(self):
        ms = [member("1", point="1000"), member("2", point="999"), member("3", point=""), member("4", point="x")]
        self.assertEqual(self.tagged("T,point,ge,1000", *ms), ["1"])
        self.assertEqual(self.tagged("T,point,gt,999", *ms), ["1"])
        self.assertEqual(self.tagged("T,point,lt,1000", *ms), ["2"])
        self.assertEqual(self.tagged("T,point,le,999", *ms), ["2"])

    def test_within_days_counts_back_from_today_including_both_ends(self):
        ms = [member("1", registered="2026/11/23 08:00:00"), member("2", registered="2026/10/24 00:00:00"),
              member("3", registered="2026/10/23 23:59:59"), member("4", registered="2026/11/24 00:00:00")]
        self.assertEqual(self.tagged("T,registered,within_days,30", *ms), ["1", "2"])

    def test_month_is_a_number_or_this(self):
        ms = [member("1", birthday="1980/11/02"), member("2", birthday="1990-04-30"), member("3", birthday="")]
        self.assertEqual(self.tagged("T,birthday,month_is,this", *ms), ["1"])
        self.assertEqual(self.tagged("T,birthday,month_is,4", *ms), ["2"])

    def test_a_header_of_the_export_works_as_a_field(self):
        ms = [member("1", kind="法人"), member("2")]
        self.assertEqual(self.tagged("T,会員種別,eq,法人", *ms), ["1"])

    def test_rows_of_one_tag_must_all_hold(self):
        ms = [member("1", rank="ゴールド", point="1500"), member("2", rank="ゴールド", point="10"),
              member("3", rank="ブロンズ", point="5000")]
        r, out = self.apply(["GOLD,rank,eq,ゴールド", "GOLD,point,ge,1000", "RICH,point,ge,1000"], export(*ms))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(changes(out), [("1", "GOLD", "add"), ("1", "RICH", "add"), ("3", "RICH", "add")])

    def test_changes_against_current_links_and_manual_links_never_removed(self):
        ms = [member("1", pref="東京都"), member("2", pref="大阪府"), member("3", pref="東京都")]
        links = write(self.path("links.csv"), "member_id,tag_code\r\n1,TOKYO\r\n2,TOKYO\r\n2,VIP\r\n3,vip\r\n9,VIP\r\n")
        r, out = self.apply(["TOKYO,pref,eq,東京都"], export(*ms), "--current", links)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(changes(out), [("2", "TOKYO", "remove"), ("3", "TOKYO", "add")])

    def test_a_run_after_its_changes_are_applied_writes_only_the_header(self):
        ms = [member(str(i), pref="東京都" if i % 2 else "大阪府", point=str(i * 100), birthday=f"1980/{i % 12 + 1:02}/01")
              for i in range(1, 40)]
        rules = ["TOKYO,pref,eq,東京都", "BIG,point,ge,1500", "BDAY,birthday,month_is,this"]
        links = {("5", "TOKYO"), ("6", "TOKYO"), ("2", "VIP"), ("30", "BIG")}
        for _ in range(2):
            path = write(self.path("links.csv"), "member_id,tag_code\r\n" + "".join(f"{m},{t}\r\n" for m, t in sorted(links)))
            r, out = self.apply(rules, export(*ms), "--current", path)
            self.assertEqual(r.code, 0, r)
            for m, t, action in changes(out):  # apply them, as the admin screen would
                (links.add if action == "add" else links.discard)((m, t))
        self.assertEqual(out, b"member_id,tag_code,action\r\n")
        self.assertIn(("2", "VIP"), links)

    def test_output_is_sorted_and_byte_identical_run_after_run(self):
        ms = [member(i, pref="東京都") for i in ("100", "9", "10", "A7", "00011")]
        r1, out1 = self.apply(["T,pref,eq,東京都", "S,pref,prefix,東"], export(*ms))
        r2, out2 = self.apply(["T,pref,eq,東京都", "S,pref,prefix,東"], export(*ms))
        self.assertEqual(out1, out2)
        self.assertEqual([(m, t) for m, t, _ in changes(out1)],
                         [("9", "S"), ("9", "T"), ("10", "S"), ("10", "T"), ("00011", "S"), ("00011", "T"),
                          ("100", "S"), ("100", "T"), ("A7", "S"), ("A7", "T")])

    def test_silent_on_success_when_output_is_not_a_terminal_and_one_line_with_verbose(self):
        r, _ = self.apply(["T,pref,eq,東京都"], export(member("1")))
        self.assertEqual((r.code, r.err), (0, ""))
        v = run("kaiin-tags", "--verbose", "apply", "--rules", self.path("rules.csv"), "--members",
                self.path("export.csv"), "-o", self.path("c2.csv"))
        self.assertEqual(v.code, 0, v)
        self.assertEqual(len(v.err.splitlines()), 1)
        self.assertIn("kaiin-tags: summary: members 1, rules 1, tags 1, add 1, remove 0", v.err)


class RuleErrors(TempDirTest):
    def apply(self, rules):
        r_path = write(self.path("rules.csv"), ("tag_code,field,op,value\r\n" + "\r\n".join(rules) + "\r\n").encode("cp932"))
        m_path = write(self.path("export.csv"), export(member("1")))
        out = self.path("changes.csv")
        r = run("kaiin-tags", "apply", "--rules", r_path, "--members", m_path, "-o", out)
        self.assertFalse(os.path.exists(out), "nothing is written with broken rules")
        return r, r_path

    def test_unknown_field_names_its_line_with_a_hint(self):
        r, path = self.apply(["T,pref,eq,東京都", "T,prefecture,eq,東京都"])
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{path}:3: error: field: 'prefecture' is neither a kaiin field nor a column", r.err)
        self.assertIn("(did you mean 'pref'?)", r.err)

    def test_unknown_op(self):
        r, path = self.apply(["T,pref,equals,東京都"])
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{path}:2: error: op: 'equals' is not one of", r.err)

    def test_bad_numbers_days_and_months(self):
        r, path = self.apply(["A,point,gt,many", "B,registered,within_days,-3", "C,birthday,month_is,13",
                              "D,birthday,month_is,this"])
        self.assertEqual(r.code, 1, r)
        for line in (2, 3, 4):
            self.assertIn(f"{path}:{line}: error: value:", r.err)
        self.assertNotIn(f"{path}:5:", r.err)

    def test_a_row_with_too_many_columns(self):
        r, path = self.apply(["T,pref,eq,東京都,extra"])
        self.assertEqual(r.code, 1, r)
        self.assertIn("too many columns", r.err)

    def test_rules_tags_must_be_auto_tags_of_the_master(self):
        tags = write(self.path("tags.csv"), "tag_code,tag_name,tag_group,kind\r\nT,東京,地域,auto\r\nVIP,VIP,手動,manual\r\n")
        r_path = write(self.path("rules.csv"), "tag_code,field,op,value\r\nT,pref,eq,x\r\nVIP,pref,eq,y\r\nZ,pref,eq,z\r\n")
        r = run("kaiin-tags", "apply", "--rules", r_path, "--members", write(self.path("e.csv"), export(member("1"))),
                "--tags", tags)
        self.assertEqual(r.code, 1, r)
        self.assertIn("tag 'VIP' is a manual tag", r.err)
        self.assertIn("tag 'Z' is not in", r.err)


class TagMaster(TempDirTest):
    def check(self, rows):
        path = write(self.path("tags.csv"), ("tag_code,tag_name,tag_group,kind\r\n" + "\r\n".join(rows) + "\r\n").encode("cp932"))
        return run("kaiin-tags", "--verbose", "check", path), path

    def test_sample_master_is_clean(self):
        r = run("kaiin-tags", "--verbose", "check", sample("tags.csv"))
        self.assertEqual(r.code, 0, r)
        self.assertIn("tags 6, auto 5, manual 1", r.err)

    def test_codes_kinds_duplicates_and_case(self):
        r, path = self.check(["OK_1,a,g,auto", "bad code,b,g,auto", "low,c,g,manual", "LOW,d,g,auto", "K,e,g,automatic",
                              "ｆｗ,f,g,auto", "N,,g,auto"])
        self.assertEqual(r.code, 1, r)
        self.assertIn(f"{path}:3: error: tag_code: 'bad code' has other characters", r.err)
        self.assertIn(f"{path}:4: warning: tag_code: 'low' is stored upper-cased, as 'LOW'", r.err)
        self.assertIn(f"{path}:5: error: tag_code: 'LOW' is also on line 4", r.err)
        self.assertIn(f"{path}:6: error: kind: 'automatic' is not manual or auto", r.err)
        self.assertIn(f"{path}:7: error: tag_code: 'ｆｗ' has other characters", r.err)
        self.assertIn(f"{path}:8: error: tag_name: the tag has no name", r.err)
        self.assertNotIn(f"{path}:2:", r.err)


class Cron(TempDirTest):
    def test_the_lock_stops_an_overlapping_run_and_waits_with_wait(self):
        out = self.path("changes.csv")
        args = ["apply", "--rules", sample("tag_rules.csv"), "--members", sample("current_export.csv"), "-o", out]
        with open(out + ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another run, still writing
            r = run("kaiin-tags", *args)
            self.assertEqual(r.code, 2, r)
            self.assertIn(f"kaiin-tags: error: '{out}.lock': another kaiin-tags run is writing '{out}'", r.err)
            self.assertIn("--wait SECONDS", r.err)
            self.assertFalse(os.path.exists(out))
            started = time.monotonic()
            r = run("kaiin-tags", *args, "--wait", "0.5")
            self.assertEqual(r.code, 2, r)
            self.assertGreaterEqual(time.monotonic() - started, 0.5)
            # the holder finishes while a waiting run waits: the waiting run goes on
            p = subprocess.Popen([os.path.join(BIN, "kaiin-tags"), *args, "--wait", "20"], stderr=subprocess.DEVNULL)
            time.sleep(0.5)
            fcntl.flock(lock, fcntl.LOCK_UN)
            self.assertEqual(p.wait(timeout=30), 0)
        self.assertTrue(os.path.exists(out))

    def test_the_crontab_line_of_the_man_page_runs(self):
        with open(os.path.join(SOURCE, "man", "kaiin-tags.1"), encoding="utf-8") as f:
            text = f.read().replace("\\-", "-")
        line = re.search(r"^15 2 \* \* \* cd /srv/shop && (.*)$", text, re.M).group(1)
        shop = self.path("shop")
        os.mkdir(shop)
        shutil.copy(sample("tag_rules.csv"), os.path.join(shop, "tag_rules.csv"))
        shutil.copy(sample("current_export.csv"), os.path.join(shop, "export.csv"))
        shutil.copy(sample("tag_links.csv"), os.path.join(shop, "tag_links.csv"))
        p = run_shell(line, shop)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, b"", b""))  # cron mails nothing
        self.assertTrue(read(os.path.join(shop, "changes.csv")).startswith(b"member_id,tag_code,action\r\n"))


class SharedOptions(TempDirTest):
    """The options both commands share are taken after the command too, as users type them."""

    def test_report_and_verbose_after_the_command(self):
        r = run("kaiin-tags", "check", sample("tags.csv"), "--report", "json", "-v")
        self.assertEqual(r.code, 0, r)
        self.assertIn('"summary":{"tags":6', r.err)
        out = self.path("changes.csv")
        r = run("kaiin-tags", "apply", "--rules", sample("tag_rules.csv"), "--members", sample("current_export.csv"),
                "--today", "2026-11-23", "-o", out, "--verbose", "--escape-formulas")
        self.assertEqual(r.code, 0, r)
        self.assertIn("kaiin-tags: summary:", r.err)  # -v after the command: the summary line even off a terminal
        for command in ("check", "apply"):
            text = run("kaiin-tags", command, "--help").out.decode()
            for option in ("--report", "--quiet", "--max-errors", "--all", "--escape-formulas", "--verbose"):
                self.assertIn(option, text, command)
