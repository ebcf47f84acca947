"""kaiin-find, from the outside (spec §12, Re:lation連携): addresses looked up in the
member export (either column, compared as spec §4.3 says) with their orders; found,
ambiguous and not found with their exit statuses; the three formats; the ways
addresses are asked; bad input; passwords never in any output."""
import csv
import io
import json
import os

import kaiin_csv
from kaiin_csv import ExportFiles
from kaiin_test import TempDirTest, json_report, read, run, sample, write

MEMBERS = sample("crm_members.csv")
ORDERS = sample("crm_orders.csv")
SHARED_MEMBERS = sample("crm_members_shared.csv")
ADDRESSES = sample("find_addresses.txt")
INBOX = sample("inbox.csv")

# Every password (cus_password) of the samples, and the column names that hold them.
PASSWORDS = ["5f4dcc3b5aa765d61d8327deb882cf99", "e99a18c428cb38d5f260853678922e03",
             "0d107d09f5bbe40cade3de5c71e9e9b7", "25d55ad283aa400af464c76d713c07ad",
             "d8578edf8458ce06fbc5bb76a58c5ca4", "96e79218965eb72c92a549dd5a330112",
             "fcea920f7412b5da7be0cf42b8c93759", "6c569aabbf7775ef8fc570e228c16b98",
             "b59c67bf196a4758191e42f76670ceba"]

MEMBER_HEADER = ("control,cus_id,cus_password,crypted_pass,cus_last_name,cus_first_name,cus_email,cus_mobile_email,"
                 "cus_mailmag,cus_point,cus_rank,cus_registered")
ORDER_HEADER = ",".join(kaiin_csv.ORDER_HEADER)


def answers(result):
    """The JSON Lines answers of a --format json run."""
    return [json.loads(l) for l in result.out.decode("utf-8").splitlines()]


def summary(result):
    """The summary object of a --report json run (on standard error)."""
    return json_report(result.err).summary


def findings(result):
    """The findings of a --report json run."""
    return json_report(result.err).findings


def table(data):
    """The rows of a --format csv answer (UTF-8 with a BOM, CRLF)."""
    assert data.startswith(b"\xef\xbb\xbf"), data[:10]
    text = data[3:].decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


class FindTest(ExportFiles, TempDirTest):
    member_header = MEMBER_HEADER

    def find(self, *args, members=MEMBERS, orders=ORDERS, **kw):
        extra = ["--orders", orders] if orders else []
        return run("kaiin-find", "--members", members, *extra, *args, **kw)

    def json(self, *args, **kw):
        r = self.find("--format", "json", "--report", "json", *args, **kw)
        return r, answers(r)


class Found(FindTest):
    def test_one_member_and_their_orders_newest_first(self):
        r = self.find("taro.yamada@example.jp")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.out.decode(), (
            "taro.yamada@example.jp: found\n"
            "  member ID   10001\n"
            "  name        山田 太郎 (ヤマダ タロウ)\n"
            "  e-mail      taro.yamada@example.jp (subscribed)  <- the address looked up\n"
            "  mobile      taro-y@docomo.ne.jp (subscribed)\n"
            "  rank        ゴールド\n"
            "  points      1200\n"
            "  registered  2019/05/20 10:11:12\n"
            "  orders      2\n"
            "    2026/11/27 21:14:05  100001  3,630 yen  通常  shipped 2026/11/29\n"
            "    2026/11/14 07:50:00  100012  2,288 yen  通常  shipped 2026/11/15\n"))
        self.assertIn("kaiin-find: summary: addresses 1, found 1, ambiguous 0, not found 0, members read 8, "
                      "order rows 14, errors 0, warnings 0", r.err)

    def test_full_width_and_upper_case_addresses_are_the_same_address(self):
        for asked in ("ＴＡＲＯ．ＹＡＭＡＤＡ＠ＥＸＡＭＰＬＥ．ＪＰ", "Taro.Yamada@Example.JP", "  taro.yamada@example.jp　",
                      "山田 太郎 <TARO.YAMADA@example.jp>"):
            with self.subTest(asked=asked):
                r, (a,) = self.json(asked)
                self.assertEqual(r.code, 0, r)
                self.assertEqual(a["address"], asked)  # as given
                self.assertEqual(a["key"], "taro.yamada@example.jp")
                self.assertEqual(a["status"], "found")
                self.assertEqual([m["member_id"] for m in a["members"]], ["10001"])

    def test_an_address_written_otherwise_in_the_export_is_found(self):
        # 10005's address is written with capitals in the export.
        r, (a,) = self.json("kenichi.tanaka@example.com")
        self.assertEqual(a["members"][0]["email"], "Kenichi.Tanaka@Example.com")
        members = self.member_file(",1,pw1,0,山田,太郎,ｔａｒｏ＠Ｅｘａｍｐｌｅ．ｊｐ ,,1,0,,2020/01/01 10:00:00")
        r, (a,) = self.json("taro@example.jp", members=members, orders=None)
        self.assertEqual(a["status"], "found", r)
        self.assertEqual(a["members"][0]["member_id"], "1")

    def test_the_mobile_column(self):
        r, (a,) = self.json("HANAKO.S@EZWEB.NE.JP")
        self.assertEqual(r.code, 0, r)
        (m,) = a["members"]
        self.assertEqual(m["member_id"], "10002")
        self.assertEqual(m["matched"], "mobile_email")
        self.assertEqual(m["subscribed"], {"email": False, "mobile_email": True})  # mobile_mailmag 1, mailmag 0
        self.assertEqual([o["order_id"] for o in a["orders"]], ["100002"])
        r = self.find("hina@softbank.ne.jp")  # a member with a mobile address only
        self.assertEqual(r.code, 0, r)
        self.assertIn("  mobile      hina@softbank.ne.jp (not subscribed)  <- the address looked up\n", r.out.decode())

    def test_one_address_in_both_columns_is_one_member(self):
        members = self.member_file(",1,pw1,0,山田,太郎,taro@example.jp,TARO@example.jp,1,0,,2020/01/01 10:00:00")
        r, (a,) = self.json("taro@example.jp", members=members, orders=None)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(a["status"], "found")
        self.assertEqual(a["members"][0]["matched"], "both")

    def test_orders_by_member_id_whatever_address_they_were_placed_with(self):
        # 100012 was placed with 10001's mobile address, 100004 with an address 10004 no longer has.
        r, (taro, misaki) = self.json("taro.yamada@example.jp", "misaki@example.ne.jp")
        self.assertEqual([o["order_id"] for o in taro["orders"]], ["100001", "100012"])
        self.assertEqual([o["order_id"] for o in misaki["orders"]], ["100004"])
        self.assertEqual(misaki["orders"][0]["email"], "misaki.old@example.com")
        # ... and not under the old address, which no member holds.
        r, (old,) = self.json("misaki.old@example.com")
        self.assertEqual((old["status"], old["orders"]), ("not-found", []))

    def test_an_order_of_many_rows_is_one_order_with_its_state(self):
        members = self.member_file(",1,pw1,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00")
        orders = self.order_file(
            "A,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0",
            "B,1,taro@example.jp,2026/11/03 10:00:00,通常,発送済,2026/11/04,3000,0",
            "A,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/05,1000,0",  # not adjacent
            "B,1,taro@example.jp,2026/11/03 10:00:00,通常,未発送,,3000,0",
            "C,1,taro@example.jp,2026/11/03 09:00:00,注文取消,未発送,,500,0",
            "D,1,taro@example.jp,2026/10/01 09:00:00,返品,発送済,2026/10/02,800,0",
            "E,1,taro@example.jp,2026/11/06 09:00:00,通常,未発送,,800,0")
        r, (a,) = self.json("taro@example.jp", members=members, orders=orders)
        self.assertEqual(r.code, 0, r)
        got = [(o["order_id"], o["shipping"], o["shipped_on"], o["lines"]) for o in a["orders"]]
        # shipped_on: the last shipping date of its shipped rows, whatever the order's state.
        self.assertEqual(got, [("E", "unshipped", None, 1), ("B", "partly-shipped", "2026/11/04", 2),
                               ("C", "cancelled", None, 1), ("A", "shipped", "2026/11/05", 2),
                               ("D", "returned", "2026/10/02", 1)])
        text = self.find("taro@example.jp", members=members, orders=orders).out.decode()
        self.assertIn("    2026/11/01 10:00:00  A  1,000 yen  通常      shipped 2026/11/05\n", text)
        self.assertIn("    2026/11/03 10:00:00  B  3,000 yen  通常      partly shipped\n", text)

    def test_without_orders_members_only(self):
        r, (a,) = self.json("taro.yamada@example.jp", orders=None)
        self.assertEqual(r.code, 0, r)
        self.assertIsNone(a["orders"])
        self.assertNotIn("orders", self.find("taro.yamada@example.jp", orders=None).out.decode())
        self.assertNotIn("order_rows", summary(r))


class GuestOrders(FindTest):
    def test_guest_orders_placed_with_the_address(self):
        # 100005 is a guest order placed with 10005's address, written in lower case.
        r, (a,) = self.json("KENICHI.TANAKA@EXAMPLE.COM")
        self.assertEqual(a["status"], "found")
        ((o,),) = [a["orders"]]
        self.assertEqual((o["order_id"], o["guest"], o["member_id"]), ("100005", True, ""))
        text = self.find("kenichi.tanaka@example.com").out.decode()
        self.assertIn("  100005  3,252 yen  通常  shipped 2026/11/29  guest\n", text)

    def test_a_guest_nobody_holds_is_not_found_with_its_orders(self):
        r, (a,) = self.json("guest4521@example.net")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(a["status"], "not-found")
        self.assertEqual(a["members"], [])
        self.assertEqual([o["order_id"] for o in a["orders"]], ["100006"])

    def test_a_guest_order_written_full_width_or_in_capitals_or_in_the_mobile_column(self):
        members = self.member_file(",1,pw1,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00")
        orders = self.order_file(
            "G1,,ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＪＰ,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0",
            "G2,,Taro@Example.JP,2026/11/02 10:00:00,通常,発送済,2026/11/03,1000,0",
            "G3,,someone@example.jp,2026/11/03 10:00:00,通常,発送済,2026/11/04,1000,0",
            header=ORDER_HEADER)
        r, (a,) = self.json("taro@example.jp", members=members, orders=orders)
        self.assertEqual([o["order_id"] for o in a["orders"]], ["G2", "G1"])
        orders = self.order_file("G4,,,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0,taro@example.jp",
                                 header=ORDER_HEADER + ",mobile_email")
        r, (a,) = self.json("taro@example.jp", members=members, orders=orders)
        self.assertEqual([o["order_id"] for o in a["orders"]], ["G4"], r)


class Ambiguous(FindTest):
    def test_two_members_holding_an_address_are_both_listed_and_exit_1(self):
        r, (a,) = self.json("sakura@example.jp", members=SHARED_MEMBERS)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(a["status"], "ambiguous")
        self.assertEqual([m["member_id"] for m in a["members"]], ["10006", "10010"])
        self.assertEqual({o["member_id"] for o in a["orders"]}, {"10006"})
        r = self.find("sakura@example.jp", "--quiet-missing", members=SHARED_MEMBERS)
        self.assertEqual(r.code, 1, r)  # --quiet-missing is about addresses nobody holds
        text = r.out.decode()
        self.assertTrue(text.startswith("sakura@example.jp: ambiguous: 2 members hold it"), text)
        self.assertIn("  member ID   10006\n", text)
        self.assertIn("  --\n  member ID   10010\n", text)

    def test_each_members_orders_are_in_that_members_block(self):
        # The man page's example: member 10006's four orders under 10006, none under 10010.
        r = self.find("sakura@example.jp", members=SHARED_MEMBERS)
        self.assertEqual(r.code, 1, r)
        first, second = r.out.decode().split("  --\n")
        self.assertIn("  member ID   10006\n", first)
        self.assertTrue(first.endswith(
            "  registered  2022/04/01 11:11:11\n"
            "  orders      4\n"
            "    2026/11/29 22:30:00  100009  1,740 yen  通常      not shipped\n"
            "    2026/11/28 20:00:00  100008  5,560 yen  通常      partly shipped\n"
            "    2026/11/20 11:00:00  100010  2,860 yen  注文取消  cancelled\n"
            "    2026/11/10 14:20:00  100011  3,410 yen  返品      returned\n"), first)
        self.assertIn("  member ID   10010\n", second)
        self.assertTrue(second.endswith("  registered  2026/11/01 20:00:00\n  orders      none\n"), second)
        table_rows = table(self.find("sakura@example.jp", "--format", "csv", members=SHARED_MEMBERS).out)
        self.assertEqual([(t["member_id"], t["orders"], t["last_order_id"]) for t in table_rows],
                         [("10006", "4", "100009"), ("10010", "0", "")])

    def test_guest_orders_of_a_shared_address_come_after_the_last_member(self):
        members = self.member_file(",1,pw1,0,伊藤,さくら,sakura@example.jp,,1,0,,2020/01/01 10:00:00",
                                   ",2,pw2,0,伊藤,桜,Sakura@example.jp,,1,0,,2021/01/01 10:00:00")
        orders = self.order_file("A1,2,sakura@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0",
                                 "G1,,SAKURA@example.jp,2026/11/03 10:00:00,通常,発送済,2026/11/04,500,0")
        r = self.find("sakura@example.jp", members=members, orders=orders)
        self.assertEqual(r.code, 1, r)
        blocks = r.out.decode().split("  --\n")
        self.assertEqual(len(blocks), 3, r.out.decode())
        self.assertTrue(blocks[0].endswith("  orders        none\n"), blocks[0])
        self.assertTrue(blocks[1].endswith("  orders        1\n"
                                           "    2026/11/01 10:00:00  A1  1,000 yen  通常  shipped 2026/11/02\n"),
                        blocks[1])
        self.assertEqual(blocks[2], "  guest orders  1\n"
                                    "    2026/11/03 10:00:00  G1  500 yen  通常  shipped 2026/11/04\n")

    def test_one_in_the_pc_column_and_one_in_the_mobile_column(self):
        members = self.member_file(",1,pw1,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00",
                                   ",2,pw2,0,山田,花子,hanako@example.jp,ＴＡＲＯ＠example.jp,1,0,,2020/01/01 10:00:00")
        r, (a,) = self.json("taro@example.jp", members=members, orders=None)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(a["status"], "ambiguous")
        self.assertEqual([(m["member_id"], m["matched"]) for m in a["members"]],
                         [("1", "email"), ("2", "mobile_email")])


class ExitStatus(FindTest):
    def test_not_found_is_1_unless_quiet_missing(self):
        r = self.find("nobody@example.org")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out.decode(), "nobody@example.org: not found: no member holds it\n  orders      none\n")
        self.assertEqual(self.find("nobody@example.org", "--quiet-missing").code, 0)
        self.assertEqual(self.find("nobody@example.org", "taro.yamada@example.jp", "--quiet-missing").code, 0)

    def test_all_found_is_0(self):
        r = self.find("taro.yamada@example.jp", "hanako@example.co.jp", "HINA@softbank.ne.jp")
        self.assertEqual(r.code, 0, r)

    def test_usage_and_io_errors_are_2_with_nothing_written(self):
        out = self.path("answers.txt")
        cases = [
            ["taro.yamada@example.jp", "--format", "xml"],
            ["--column", "差出人", "taro.yamada@example.jp"],  # --column needs --addresses
            [],  # nothing asked
            [" "],  # a blank argument
            ["--addresses", self.path("missing.txt")],
            ["-", "--addresses", "-"],  # standard input twice
        ]
        for args in cases:
            with self.subTest(args=args):
                r = self.find(*args, "-o", out, stdin=b"taro.yamada@example.jp\n")
                self.assertEqual(r.code, 2, r)
                self.assertIn("kaiin-find: error: ", r.err)
                self.assertFalse(os.path.exists(out))
        r = self.find("taro.yamada@example.jp", members=self.path("missing.csv"))
        self.assertEqual(r.code, 2, r)
        self.assertIn(f"'{self.path('missing.csv')}': cannot open", r.err)
        self.assertEqual(r.out, b"")

    def test_a_column_not_there_is_a_problem_of_the_file_with_a_hint(self):
        out = self.path("answers.txt")
        for column, said in [("From", "there is no column 'From' in the header"),
                             ("差出", "there is no column '差出' in the header: did you mean '差出人'?")]:
            r = self.find("--addresses", INBOX, "--column", column, "-o", out)
            self.assertEqual(r.code, 1, r)
            self.assertIn(f"{INBOX}:1: error: {said} [header-missing]", r.err)
            self.assertFalse(os.path.exists(out))

    def test_an_export_without_the_columns_the_answers_need_is_1_with_nothing_written(self):
        members = write(self.path("m.csv"), "cus_id,cus_last_name\r\n1,山田\r\n")
        r = self.find("a@example.jp", members=members, orders=None, stdin=None)
        self.assertEqual(r.code, 1, r)
        self.assertIn("m.csv:1: error: there is no email column ('cus_email' in profile kaiin) [header-missing]", r.err)
        self.assertEqual(r.out, b"")
        orders = self.order_file("A,1,a@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0",
                                 header="order_id,member_id,email,ordered_at,status,shipping_status,shipped_on,price")
        r = self.find("taro.yamada@example.jp", "--report", "json", orders=orders)
        self.assertEqual(r.code, 1, r)
        self.assertEqual([f["rule"] for f in findings(r)], ["order-column-missing"])
        self.assertEqual(r.out, b"")


class Asking(FindTest):
    def test_a_list_one_a_line(self):
        r, got = self.json("--addresses", ADDRESSES)
        self.assertEqual(r.code, 1, r)
        self.assertEqual([(a["key"], a["status"]) for a in got], [
            ("taro.yamada@example.jp", "found"), ("hanako@example.co.jp", "found"),
            ("hina@softbank.ne.jp", "found"), ("kenichi.tanaka@example.com", "found"),
            ("guest4521@example.net", "not-found"), ("nobody@example.org", "not-found")])
        self.assertEqual(got[1]["address"], "ＨＡＮＡＫＯ＠ＥＸＡＭＰＬＥ．ＣＯ．ＪＰ")
        s = summary(r)
        self.assertEqual((s["addresses"], s["found"], s["ambiguous"], s["not_found"]), (6, 4, 0, 2))
        self.assertEqual(self.find("--addresses", ADDRESSES, "--quiet-missing").code, 0)

    def test_a_list_in_cp932_with_crlf_a_bom_or_blank_lines(self):
        text = "\r\nＴＡＲＯ．ＹＡＭＡＤＡ＠example.jp\r\n\r\n山田 <hina@softbank.ne.jp>\r\n"
        for name, data in (("cp932", text.encode("cp932")), ("bom", b"\xef\xbb\xbf" + text.encode())):
            with self.subTest(name):
                path = write(self.path(name + ".txt"), data)
                r, got = self.json("--addresses", path)
                self.assertEqual(r.code, 0, r)
                self.assertEqual([a["key"] for a in got], ["taro.yamada@example.jp", "hina@softbank.ne.jp"])
                self.assertEqual(got[0]["address"], "ＴＡＲＯ．ＹＡＭＡＤＡ＠example.jp")

    def test_a_list_line_with_bad_bytes_is_an_error_naming_it(self):
        path = write(self.path("list.txt"), b"taro.yamada@example.jp\n\x82\xa0\x80bad@example.jp\n")
        r, got = self.json("--addresses", path, "-f", "cp932")
        self.assertEqual(r.code, 1, r)
        ((f,),) = [findings(r)]
        self.assertEqual((f["line"], f["rule"]), (2, "encoding-invalid"))
        self.assertIn("bytes 80 at byte 3 are not valid CP932", f["message"])
        self.assertEqual([a["key"] for a in got], ["taro.yamada@example.jp"])

    def test_a_column_of_an_inbox_export(self):
        r, got = self.json("--addresses", INBOX, "--column", "差出人")
        self.assertEqual(r.code, 1, r)  # info@partner.example is nobody's
        self.assertEqual([(a["key"], a["status"]) for a in got], [
            ("taro.yamada@example.jp", "found"), ("hanako.s@ezweb.ne.jp", "found"),
            ("sakura@example.jp", "found"), ("info@partner.example", "not-found")])
        self.assertEqual(got[1]["address"], "\"佐藤 花子\" <HANAKO.S@EZWEB.NE.JP>")

    def test_a_column_of_a_cp932_export_with_empty_cells(self):
        data = "No,From\r\n1,ＨＩＮＡ＠softbank.ne.jp\r\n2,\r\n3,taro.yamada@example.jp\r\n".encode("cp932")
        r, got = self.json("--addresses", write(self.path("inbox.csv"), data), "--column", "From")
        self.assertEqual(r.code, 0, r)
        self.assertEqual([a["key"] for a in got], ["hina@softbank.ne.jp", "taro.yamada@example.jp"])

    def test_standard_input(self):
        stdin = "taro.yamada@example.jp\nＨＩＮＡ＠softbank.ne.jp\n".encode()
        for args in (["-"], ["--addresses", "-"]):
            with self.subTest(args=args):
                r, got = self.json(*args, stdin=stdin)
                self.assertEqual(r.code, 0, r)
                self.assertEqual([a["key"] for a in got], ["taro.yamada@example.jp", "hina@softbank.ne.jp"])
        # Arguments first, then standard input where - stands, then --addresses.
        r, got = self.json("nobody@example.org", "-", "--addresses", ADDRESSES, "--quiet-missing", stdin=stdin)
        self.assertEqual([a["key"] for a in got][:3], ["nobody@example.org", "taro.yamada@example.jp",
                                                       "hina@softbank.ne.jp"])
        self.assertEqual(len(got), 9)

    def test_an_export_on_standard_input(self):
        r, (a,) = self.json("taro.yamada@example.jp", members="-", stdin=read(MEMBERS))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(a["members"][0]["member_id"], "10001")
        r, (a,) = self.json("taro.yamada@example.jp", orders="-", stdin=read(ORDERS))
        self.assertEqual(len(a["orders"]), 2, r)

    def test_an_address_asked_twice_is_answered_twice_and_each_file_is_read_once(self):
        many = ["taro.yamada@example.jp", "TARO.YAMADA@example.jp", "nobody@example.org"] * 40
        r, got = self.json(*many)
        self.assertEqual(len(got), 120)
        self.assertEqual([a["address"] for a in got], many)
        s = summary(r)
        self.assertEqual((s["members_read"], s["order_rows"]), (8, 14))  # one pass each


class Formats(FindTest):
    def test_json_lines_keys(self):
        r, (a,) = self.json("taro.yamada@example.jp")
        self.assertEqual(list(a), ["address", "key", "status", "members", "orders"])
        m = a["members"][0]
        for key in ("member_id", "line", "matched", "subscribed", "last_name", "first_name", "last_kana",
                    "first_kana", "email", "mobile_email", "zip", "pref", "tel", "mailmag", "mobile_mailmag",
                    "point", "rank", "registered", "updated", "memo"):
            self.assertIn(key, m)
        for key in ("password", "cus_password", "crypted_pass", "control"):
            self.assertNotIn(key, m)
        self.assertEqual((m["line"], m["rank"], m["point"]), (2, "ゴールド", "1200"))
        o = a["orders"][0]
        self.assertEqual(list(o), ["order_id", "line", "member_id", "guest", "email", "mobile_email", "ordered_at",
                                   "status", "shipping", "shipped_on", "total", "used_points", "lines"])
        self.assertEqual((o["order_id"], o["line"], o["total"], o["lines"]), ("100001", 2, "3630", 2))

    def test_csv_one_row_an_address_and_member_for_excel(self):
        out = self.path("answers.csv")
        r = self.find("sakura@example.jp", "taro.yamada@example.jp", "nobody@example.org", "--format", "csv", "-o",
                      out, members=SHARED_MEMBERS)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.out, b"")
        data = read(out)
        self.assertEqual(data.count(b"\r\n"), 5)  # header, two members of sakura@, taro@, nobody@
        self.assertNotIn(b"\n", data.replace(b"\r\n", b""))
        rows = table(data)
        self.assertEqual([(row["address"], row["status"], row["members"], row["member_id"]) for row in rows], [
            ("sakura@example.jp", "ambiguous", "2", "10006"), ("sakura@example.jp", "ambiguous", "2", "10010"),
            ("taro.yamada@example.jp", "found", "1", "10001"), ("nobody@example.org", "not-found", "0", "")])
        taro = rows[2]
        self.assertEqual((taro["email_subscribed"], taro["mobile_email"], taro["mobile_email_subscribed"]),
                         ("1", "taro-y@docomo.ne.jp", "1"))
        self.assertEqual((taro["orders"], taro["last_order_id"], taro["last_order_total"],
                          taro["last_order_shipping"], taro["guest_orders"]), ("2", "100001", "3630", "shipped", "0"))
        self.assertEqual((rows[0]["orders"], rows[1]["orders"]), ("4", "0"))  # each member's own

    def test_csv_escapes_formulas_when_asked(self):
        members = self.member_file(',1,pw1,0,"=HYPERLINK(""x"")",太郎,taro@example.jp,,1,-100,@rank,2020/01/01 10:00:00')
        plain = self.find("taro@example.jp", "--format", "csv", members=members, orders=None)
        escaped = self.find("taro@example.jp", "--format", "csv", "--escape-formulas", members=members, orders=None)
        self.assertEqual(table(plain.out)[0]["last_name"], "=HYPERLINK(\"x\")")
        row = table(escaped.out)[0]
        self.assertEqual((row["last_name"], row["rank"], row["point"]), ("'=HYPERLINK(\"x\")", "'@rank", "-100"))
        self.assertIn("formula cells escaped 2,", escaped.err)

    def test_output_file_is_written_atomically_and_never_over_an_input(self):
        r = self.find("taro.yamada@example.jp", "-o", MEMBERS)
        self.assertEqual(r.code, 2, r)
        out = write(self.path("answers.txt"), b"old")
        r = self.find("taro.yamada@example.jp", "-o", out, orders=self.path("missing.csv"))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(read(out), b"old")


class Passwords(FindTest):
    def test_no_password_in_any_output(self):
        for fmt in ("text", "json", "csv"):
            for report in ("text", "json", "csv"):
                with self.subTest(format=fmt, report=report):
                    r = self.find("--addresses", ADDRESSES, "sakura@example.jp", "--format", fmt, "--report",
                                  report, members=SHARED_MEMBERS)
                    out = r.out.decode("utf-8") + r.err
                    self.assertIn("10001", out)
                    for secret in PASSWORDS + ["cus_password", "crypted_pass", "password"]:
                        self.assertNotIn(secret, out)

    def test_not_even_from_a_row_with_bad_bytes(self):
        # A member row with bad bytes is decoded whole, and each bad byte reported:
        # never the password's value.
        data = (MEMBER_HEADER + "\r\n,1,s3cret-pw,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00\r\n"
                ",2,an0ther-pw,0,山田,花子,hanako@example.jp,,1,0,\x00,2020/01/01 10:00:00\r\n").encode("cp932")
        data = data.replace("花子".encode("cp932"), b"\x82\xa0\x80")
        members = write(self.path("members.csv"), data)
        r = self.find("hanako@example.jp", "taro@example.jp", "--format", "json", "--report", "json",
                      members=members, orders=None)
        self.assertEqual(r.code, 1, r)
        self.assertTrue(findings(r))
        for secret in ("s3cret-pw", "an0ther-pw"):
            self.assertNotIn(secret, r.out.decode() + r.err)


class BadInput(FindTest):
    def test_bad_bytes_in_a_member_are_findings_and_the_answers_are_written(self):
        data = (MEMBER_HEADER + "\r\n,1,pw,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00\r\n").encode("cp932")
        data = data.replace("太郎".encode("cp932"), b"\x82\xa0\x80")  # 0x80 is never CP932
        r, (a,) = self.json("taro@example.jp", members=write(self.path("m.csv"), data), orders=None)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(a["status"], "found")
        f = findings(r)[0]
        self.assertEqual((f["line"], f["column"], f["rule"]), (2, "cus_first_name", "encoding-invalid"))

    def test_bad_bytes_in_any_member_row_are_found_too(self):
        data = (MEMBER_HEADER + "\r\n,1,pw,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00\r\n"
                ",2,pw,0,佐藤,花子,hanako@example.jp,,1,0,,2020/01/01 10:00:00\r\n").encode("cp932")
        data = data.replace("花子".encode("cp932"), b"\x82\xa0\x80")
        r, (a,) = self.json("taro@example.jp", members=write(self.path("m.csv"), data), orders=None)
        self.assertEqual(r.code, 1, r)
        self.assertEqual(a["status"], "found")
        self.assertEqual([(f["line"], f["rule"]) for f in findings(r)], [(3, "encoding-invalid")])

    def test_a_newline_inside_a_value_stays_on_its_line_in_text(self):
        members = self.member_file(',1,pw1,0,"山田\r\n= forged: found",太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00')
        text = self.find("taro@example.jp", members=members, orders=None).out.decode()
        self.assertIn("  name        山田\\r\\n= forged: found 太郎\n", text)
        self.assertEqual(len(text.splitlines()), 8)
        r, (a,) = self.json("taro@example.jp", members=members, orders=None)
        self.assertEqual(a["members"][0]["last_name"], "山田\r\n= forged: found")  # scripts get the value

    def test_an_export_without_a_mailmag_column_says_nothing_of_subscriptions(self):
        members = write(self.path("m.csv"), "cus_id,cus_email,cus_mobile_email\r\n1,a@example.jp,b@example.jp\r\n")
        r, (a,) = self.json("a@example.jp", members=members, orders=None)
        self.assertIsNone(a["members"][0]["subscribed"], r)
        self.assertIn("  e-mail      a@example.jp  <- the address looked up\n",
                      self.find("a@example.jp", members=members, orders=None).out.decode())
        row = table(self.find("a@example.jp", "--format", "csv", members=members, orders=None).out)[0]
        self.assertEqual((row["email_subscribed"], row["mobile_email_subscribed"]), ("", ""))

    def test_rows_of_a_shown_order_that_disagree_or_a_date_that_is_none(self):
        members = self.member_file(",1,pw1,0,山田,太郎,taro@example.jp,,1,0,,2020/01/01 10:00:00")
        orders = self.order_file("A,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1000,0",
                                 "B,2,x@example.jp,2026/13/01,通常,発送済,2026/11/02,1000,0",  # not shown: not said
                                 "A,1,taro@example.jp,2026/11/01 10:00:00,通常,発送済,2026/11/02,1200,0",
                                 "C,1,taro@example.jp,2026/11/31 10:00:00,通常,発送済,2026/11/02,1000,0")
        r, (a,) = self.json("taro@example.jp", members=members, orders=orders)
        self.assertEqual(r.code, 1, r)
        self.assertEqual([(f["line"], f["rule"]) for f in findings(r)], [(4, "order-rows-disagree"),
                                                                         (5, "order-date")])
        self.assertEqual([(o["order_id"], o["total"]) for o in a["orders"]], [("A", "1000"), ("C", "1000")])

    def test_utf8_exports_and_a_forced_encoding(self):
        members = write(self.path("m.csv"), read(MEMBERS).decode("cp932").encode("utf-8"))
        orders = write(self.path("o.csv"), b"\xef\xbb\xbf" + read(ORDERS).decode("cp932").encode("utf-8"))
        r, (a,) = self.json("taro.yamada@example.jp", members=members, orders=orders)
        self.assertEqual((r.code, a["members"][0]["last_name"], len(a["orders"])), (0, "山田", 2), r)
        r, (a,) = self.json("taro.yamada@example.jp", "-f", "cp932")
        self.assertEqual((r.code, a["members"][0]["last_name"]), (0, "山田"), r)

    def test_other_platforms_headers_through_profiles(self):
        members = write(self.path("fs.csv"), "会員ID,パスワード,メールアドレス1,携帯メールアドレス,メルマガ受信可否\r\n"
                                             "F-1,pass,a@example.jp,B@example.jp,1\r\n".encode("cp932"))
        r, (a,) = self.json("b@example.jp", members=members, orders=None)
        self.assertEqual((r.code, a["status"], a["members"][0]["member_id"]), (0, "found", "F-1"), r)
        self.assertNotIn("pass", json.dumps(a["members"][0], ensure_ascii=False).replace("password", ""))
        orders = self.order_file("1,a@example.jp,F-1,2026/11/01 10:00:00,発送済み,2026/11/02,3300",
                                 header="注文番号,メールアドレス,会員ID,受注日,対応状況(名称),発送日,支払合計")
        r, (a,) = self.json("a@example.jp", "--order-profile", "eccube", members=members, orders=orders)
        self.assertEqual([(o["order_id"], o["shipping"]) for o in a["orders"]], [("1", "shipped")], r)

    def test_japanese_labels_under_a_japanese_locale(self):
        env = dict(LC_ALL="", LC_MESSAGES="", LANGUAGE="", LANG="ja_JP.UTF-8")
        r = self.find("taro.yamada@example.jp", "nobody@example.org", env=env)
        self.assertEqual(r.code, 1, r)
        text = r.out.decode()
        self.assertNotIn("member ID", text)
        self.assertNotIn("not found", text)
        self.assertIn("10001", text)
        self.assertIn("3,630円", text)
        r, _ = self.json("taro.yamada@example.jp", env=env)
        self.assertEqual(answers(r)[0]["status"], "found")  # keys and values for scripts stay
