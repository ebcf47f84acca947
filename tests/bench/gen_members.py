#!/usr/bin/env python3
"""Generate a realistic, deterministic Japanese member CSV for kaiin's benchmarks.

The columns are the kaiin member profile (shared/spec/formats.md, section 4). The
default output is what shop admin screens export: CP932 with CRLF, about 240 bytes a
row, so 1,000,000 rows make about 240 MB.

  gen_members.py --rows 1000000 > members_1m_cp932.csv
  gen_members.py --rows 1000 --encoding utf-8 --newline lf --control nu > upload.csv
  gen_members.py --rows 1000 --address-mismatch-rate 0.01 > mismatched.csv
  gen_members.py --check      # compare the CP932 bytes used with glibc iconv's

Zip codes, prefectures and cities are real ones that agree, drawn from every code of
kaiin's own table of Japan Post's data (data/postal/zip_codes.txt; a town or village
with its 郡 on one code, without it on the next); telephone numbers have the lengths
of Japanese numbers (070/080/090 and eleven digits, or ten).

The output of --rows N is the first N records of the output of any larger --rows
(same other options), so a small file is a true prefix of a big one.
"""
import argparse
import itertools
import os
import random
import subprocess
import sys

POSTAL_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "postal",
                            "zip_codes.txt")

HEADER = ["control", "cus_id", "cus_password", "crypted_pass", "cus_last_name", "cus_first_name",
          "cus_last_kana", "cus_first_kana", "cus_email", "cus_mobile_email", "cus_zip", "cus_pref",
          "cus_address1", "cus_address2", "cus_tel", "cus_birthday", "cus_sex", "cus_mailmag",
          "cus_point", "cus_rank", "cus_registered", "cus_memo"]

# (name, kana) pairs, so that a row's kana always reads its name. Common names
# dominate; 髙 and 﨑 are IBM extension kanji (Windows writes FBFC and FAB1), and a
# few kana are half-width, as old systems and hurried staff still type them.
SURNAMES = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("髙橋", "タカハシ"),
            ("田中", "タナカ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("渡邊", "ワタナベ"),
            ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
            ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("山口", "ヤマグチ"),
            ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ"), ("林", "ハヤシ"),
            ("斉藤", "ｻｲﾄｳ"), ("齋藤", "サイトウ"), ("清水", "シミズ"), ("山﨑", "ヤマサキ"),
            ("﨑山", "サキヤマ"), ("森", "モリ"), ("長谷川", "ハセガワ"), ("髙田", "タカダ"),
            ("石川", "イシカワ"), ("前田", "マエダ"), ("小川", "オガワ"), ("藤原", "フジワラ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("翔太", "ショウタ"), ("陽菜", "ヒナ"),
         ("大輔", "ダイスケ"), ("美咲", "ミサキ"), ("健一", "ケンイチ"), ("由美子", "ユミコ"),
         ("蓮", "レン"), ("結衣", "ユイ"), ("誠", "マコト"), ("愛", "アイ"), ("浩二", "コウジ"),
         ("さくら", "サクラ"), ("直樹", "ナオキ"), ("恵", "メグミ"), ("悠真", "ユウマ"),
         ("芽依", "メイ"), ("雄一郎", "ユウイチロウ"), ("ジョン", "ジョン"), ("祐介", "ﾕｳｽｹ")]
PREFS = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
         "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
         "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
         "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
         "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
         "鹿児島県", "沖縄県"]
# Towns after the city: names many cities have (the table has no towns).
TOWNS = ["本町", "中央", "栄町", "緑町", "旭町", "東町", "西町", "南町", "北町", "新町", "幸町", "桜木町"]
# Empty most of the time, as in real exports; the rest carry ～ (FF5E), full-width
# digits, a half-width katakana building name and ㈱ from NEC's row 13.
BUILDINGS = [""] * 5 + ["大阪第一生命ビルディング12階", "サンシャインマンション101号室",
                        "メゾン・ド・ソレイユ２０３", "コーポ～ひだまり～B棟", "第２ﾊｲﾂ 305",
                        "㈱フューチャー商事 気付", "ｸﾞﾗﾝﾄﾞﾒｿﾞﾝ北浜 1502", "髙島屋ハイム３Ｆ"]
PC_DOMAINS = ["example.com", "example.co.jp", "example.ne.jp", "mail.example.jp"]
PC_TAGS = ["a", "b", "jp", "shop", "info"]
MOBILE_DOMAINS = ["docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "i.softbank.jp", "au.com"]
RANKS = ["", "", "ブロンズ", "シルバー", "ゴールド", "プラチナ"]
POINTS = ["0", "0", "0", "50", "120", "500", "1200", "3000", "15800"]
# Free text that exercises CSV quoting: commas, doubled quotes, CRLF and a bare LF
# inside quoted fields (Excel writes LF for Alt+Enter), plus characters that CP932
# has twice (∵ and ￢ also sit in NEC row 13, Ⅲ in the IBM range; Windows writes
# the first code) and ①, ㈱, №, ℡ from NEC row 13.
MEMOS = [""] * 8 + [
    "電話連絡不可", "配送時、置き配希望", "要注意: \"同姓同名\" あり", "ギフト利用多数,のし希望",
    "①住所変更あり\r\n②旧住所へは送付しない", "法人会員（㈱サンプル）", "メモ：ポイント調整済み～12月",
    "髙橋様より紹介\nﾎﾟｲﾝﾄ付与済", "∵ 長期不在のため保留", "返品2回,\"至急\"対応,要確認",
    "ランクⅢ相当 ￢DM", "№1024 ℡要", "宮﨑店で入会"]

CONTROLS = {"none": [""], "n": ["n"], "u": ["u"], "nu": ["n", "u"], "nud": ["n", "u", "u", "d"]}

# Rows are made a chunk at a time, column by column, from pools of already
# encoded bytes: per-row string work and per-row encoding are what made the
# shared generator slow. Each chunk has its own seeded RNG and is always made in
# full, which is what keeps a short file a prefix of a longer one.
CHUNK = 10000


def postal_places():
    """(zip code 123-4567, prefecture, city) of every code of kaiin's postal table, the
    first place of a code that has several; a town or village of a 郡 written with
    its 郡 on even codes, without it on odd ones."""
    sets, places = [], []
    with open(POSTAL_TABLE, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("place\t"):
                fields = line.split("\t")
                sets.append((PREFS[int(fields[1]) - 1], fields[2], fields[3]))
            elif line[:3].isdigit():
                tokens, last, place = line.split(" "), -1, None
                for token in tokens[1:]:
                    if token.startswith("="):
                        place = sets[int(token[1:])]
                        continue
                    steps = [1] * int(token[:-1]) if token.endswith("*") else [int(token)]
                    for step in steps:
                        last += step
                        pref, gun, city = place
                        places.append((f"{tokens[0]}-{last:04d}", pref, (gun if last % 2 == 0 else "") + city))
    return places


def windows_cp932_overrides():
    """Map the characters where Python's cp932 codec differs from Windows.

    CP932 has the IBM extension kanji twice: at FA40-FC4B (IBM) and at ED40-EEFC
    (the NEC-selected copy). Windows, and glibc iconv, write the IBM code; Python
    writes the NEC-selected one (髙 as EEE0, not FBFC). Derived from the codec's
    own decode table rather than typed in, so it covers every such character.
    """
    table = {}
    for lead in (0xFA, 0xFB, 0xFC):
        for trail in range(0x40, 0xFD):
            code = bytes((lead, trail))
            try:
                ch = code.decode("cp932")
            except UnicodeDecodeError:
                continue
            py = ch.encode("cp932")
            if py != code and 0xED <= py[0] <= 0xEE:
                table[ch] = code
    return table


class Encoder:
    """Encodes fragments once, up front, to the bytes the chosen encoding writes."""

    def __init__(self, encoding):
        self.encoding = encoding
        self.overrides = windows_cp932_overrides() if encoding == "cp932" else {}

    def __call__(self, text):
        if self.encoding != "cp932":
            return text.encode("utf-8")
        data = b"".join(self.overrides.get(c) or c.encode("cp932") for c in text)
        # A character Python maps one-way (U+00AC ¬ becomes ￢'s 81CA) would make
        # the reference output disagree with the source text: refuse it here.
        if data.decode("cp932") != text:
            raise ValueError(f"{text!r} does not round-trip through CP932")
        return data


def quote(text):
    """RFC 4180: quote only a field holding a comma, a quote, CR or LF."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def ascii_pool(fmt, *ranges):
    """Every combination of the ranges formatted as bytes, e.g. all dates of a span.

    Picking one item uniformly from the product is the same as picking each part
    uniformly, at the cost of one choice instead of one format per row."""
    return [fmt % t for t in itertools.product(*ranges)]


class Pools:
    """All the fragments a row is assembled from, encoded for one output encoding."""

    def __init__(self, enc):
        def texts(values):
            return [enc(quote(v)) for v in values]

        self.surnames = [(enc(n), enc(k)) for n, k in SURNAMES]
        self.given = [(enc(n), enc(k)) for n, k in GIVEN]
        self.prefs = texts(PREFS)
        self.pref_after = {enc(p): enc(PREFS[(i + 1) % len(PREFS)]) for i, p in enumerate(PREFS)}
        self.places = [(z.encode(), enc(pref), enc(city)) for z, pref, city in postal_places()]
        self.towns = texts(TOWNS)
        # Three ways shops see 丁目-番-号 written: kanji, ASCII hyphens, and
        # full-width digits with － (FF0D, the minus Windows IMEs produce).
        fw = str.maketrans("0123456789", "０１２３４５６７８９")
        blocks = []
        for c in range(1, 9):
            for b in range(1, 30):
                for g in range(1, 20):
                    blocks.append(enc(f"{c}丁目{b}番{g}号"))
                    if g % 3 == 0:
                        blocks.append(enc(f"{c}-{b}-{g}"))
                    if g % 5 == 0:
                        blocks.append(enc(f"{c}－{b}－{g}".translate(fw)))
        self.blocks = blocks
        self.buildings = texts(BUILDINGS)
        self.ranks = texts(RANKS)
        self.memos = texts(MEMOS)
        self.points = [p.encode() for p in POINTS]
        self.pc_domains = [d.encode() for d in PC_DOMAINS]
        self.pc_tags = [t.encode() for t in PC_TAGS]
        self.mobile_domains = [d.encode() for d in MOBILE_DOMAINS]
        # A fixed line: ten digits, 0AB-CDE-FGHI (no 0A0, which is mobile or IP); a
        # mobile one, three in ten: eleven, 0A0-BCDE-FGHI.
        self.tel_area = ascii_pool(b"0%d-", [a for a in range(11, 100) if a % 10]) * 7 + \
            ascii_pool(b"0%d0-", (7, 8, 9)) * 26
        self.tel3 = ascii_pool(b"%03d", range(1000))
        self.tel4 = ascii_pool(b"%04d", range(10000))
        self.birthdays = ascii_pool(b"%04d/%02d/%02d", range(1940, 2010), range(1, 13), range(1, 29))
        self.reg_dates = ascii_pool(b"20%02d/%02d/%02d ", range(10, 26), range(1, 13), range(1, 29))
        self.reg_times = ascii_pool(b"%02d:%02d:%02d", range(24), range(60), range(60))

    def characters(self):
        """Every non-ASCII character the output can contain, for --check."""
        text = "".join(n + k for n, k in SURNAMES + GIVEN)
        text += "".join(PREFS + TOWNS + BUILDINGS + RANKS + MEMOS) + "丁目番号－０１２３４５６７８９"
        text += "".join(city for _, _, city in postal_places())
        return sorted({c for c in text if ord(c) > 0x7F})


class Generator:
    def __init__(self, args):
        self.a = args
        self.p = Pools(Encoder(args.encoding))
        self.controls = [c.encode() for c in CONTROLS[args.control]]
        self.emails = []  # earlier PC addresses, some of which get reused

    def chunk(self, index):
        """CHUNK rows starting at row index*CHUNK, as one bytes object without the last newline."""
        a, p = self.a, self.p
        rnd = random.Random(f"kaiin-members:{a.seed}:{index}")
        k = CHUNK
        pick = rnd.choices
        rand = rnd.random
        first = a.start_id + index * k
        ids = [b"%d" % i for i in range(first, first + k)]

        ctl = pick(self.controls, k=k)
        # A new member, and one update in five, carries a plaintext password
        # (crypted_pass 0); everyone else keeps the exported hash (crypted_pass 1).
        hexes = rnd.randbytes(16 * k).hex().encode()
        pw, crypted = [], []
        for j, c in enumerate(ctl):
            if c == b"n" or (c == b"u" and rand() < 0.2):
                pw.append(b"pw%06d" % rnd.randrange(1000000))
                crypted.append(b"0")
            else:
                pw.append(hexes[32 * j:32 * j + 32])
                crypted.append(b"1")

        last_name, last_kana = zip(*pick(p.surnames, k=k))
        first_name, first_kana = zip(*pick(p.given, k=k))

        # Addresses are unique per id except for a few reused ones, which is
        # what duplicate checks look for; the reuse pool is capped for memory.
        tags, domains = pick(p.pc_tags, k=k), pick(p.pc_domains, k=k)
        emails = self.emails
        email = []
        for j in range(k):
            if emails and rand() < a.dup_email_rate:
                email.append(emails[int(rand() * len(emails))])
            else:
                e = b"user%s.%s@%s" % (ids[j], tags[j], domains[j])
                email.append(e)
                if len(emails) < 100000:
                    emails.append(e)
        mdomains = pick(p.mobile_domains, k=k)
        mobile = [b"m%s_%d@%s" % (ids[j], int(rand() * 1000), mdomains[j]) if rand() < a.mobile_rate else b""
                  for j in range(k)]

        places = pick(p.places, k=k)
        zips = [z for z, _, _ in places]
        # A share of the members in another prefecture than their zip code's (the next one).
        prefs = [p.pref_after[pref] if a.address_mismatch_rate and rand() < a.address_mismatch_rate else pref
                 for _, pref, _ in places]
        addr1 = [c + t + b for (_, _, c), t, b in zip(places, pick(p.towns, k=k), pick(p.blocks, k=k))]
        areas = pick(p.tel_area, k=k)
        middle = [p.tel4 if x[2] == 0x30 else p.tel3 for x in areas]  # 0A0-: four digits; 0AB-: three
        tel = [x + rnd.choice(m) + b"-" + z for x, m, z in zip(areas, middle, pick(p.tel4, k=k))]
        registered = [x + y for x, y in zip(pick(p.reg_dates, k=k), pick(p.reg_times, k=k))]

        columns = [ctl, ids, pw, crypted, last_name, first_name, last_kana, first_kana, email, mobile,
                   zips, prefs, addr1, pick(p.buildings, k=k), tel, pick(p.birthdays, k=k),
                   pick([b"1", b"2", b""], k=k), pick([b"1", b"0", b"1"], k=k), pick(p.points, k=k),
                   pick(p.ranks, k=k), registered, pick(p.memos, k=k)]
        return list(map(b",".join, zip(*columns)))

    def write(self, out):
        nl = b"\r\n" if self.a.newline == "crlf" else b"\n"
        if self.a.encoding == "utf-8-sig":
            out.write(b"\xef\xbb\xbf")
        out.write(",".join(HEADER).encode() + nl)
        left, index = self.a.rows, 0
        while left > 0:
            rows = self.chunk(index)[:left]
            out.write(nl.join(rows) + nl)
            left -= len(rows)
            index += 1


def check():
    """Compare the CP932 bytes of every character used, and of every override, with iconv's."""
    enc = Encoder("cp932")
    used = Pools(enc).characters()
    chars = sorted(set(used) | set(enc.overrides))
    ours = [enc(c) for c in chars]
    # One iconv run over all characters, one per line (no CP932 trail byte is LF).
    res = subprocess.run(["iconv", "-f", "UTF-8", "-t", "CP932"], input="\n".join(chars).encode(),
                         capture_output=True)
    if res.returncode != 0:
        sys.exit(f"gen_members.py: iconv failed: {res.stderr.decode(errors='replace').strip()}")
    theirs = res.stdout.split(b"\n")
    bad = [(c, o, t) for c, o, t in zip(chars, ours, theirs) if o != t]
    if len(theirs) != len(chars):
        bad.append(("(count)", len(chars), len(theirs)))
    for c, o, t in bad:
        print(f"mismatch: {c!r}: ours {o.hex() if isinstance(o, bytes) else o}, "
              f"iconv {t.hex() if isinstance(t, bytes) else t}", file=sys.stderr)
    overridden = [c for c in used if c in enc.overrides]
    print(f"gen_members.py --check: {len(chars)} characters ({len(enc.overrides)} IBM-extension overrides, "
          f"used: {''.join(overridden)}), {len(bad)} differ from iconv")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=63)
    ap.add_argument("--encoding", default="cp932", choices=["cp932", "utf-8", "utf-8-sig"])
    ap.add_argument("--newline", default="crlf", choices=["crlf", "lf"],
                    help="record newline; newlines inside memos stay as written")
    ap.add_argument("--control", default="none", choices=list(CONTROLS),
                    help="values of the control column; none leaves it empty (an export)")
    ap.add_argument("--address-mismatch-rate", type=float, default=0.0,
                    help="share of members whose prefecture is not their zip code's (default 0: all agree)")
    ap.add_argument("--mobile-rate", type=float, default=0.15, help="share of members with a mobile address")
    ap.add_argument("--dup-email-rate", type=float, default=0.002, help="share reusing an earlier PC address")
    ap.add_argument("--start-id", type=int, default=10001)
    ap.add_argument("--check", action="store_true",
                    help="only compare the CP932 encoding of the characters used with glibc iconv, exit 1 on a difference")
    a = ap.parse_args()
    if a.check:
        return check()
    # Whole chunks (about 2.4 MB) go out in one write each; the big buffer
    # just keeps the header from being a write of its own.
    with open(sys.stdout.fileno(), "wb", buffering=1 << 20, closefd=False) as out:
        try:
            Generator(a).write(out)
        except BrokenPipeError:  # `| head` is fine
            sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
