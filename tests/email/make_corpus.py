#!/usr/bin/env python3
"""Writes tests/email/corpus.csv: e-mail addresses from public test suites, each with
the verdict kaiin's rule (spec §4.3) gives it, worked out here by a second, separate
implementation of the rule (regular expressions over the WHATWG grammar), so that the
C++ rule is checked against something it does not share code with.

The addresses are facts taken from the suites (the values they test), not their code:

  python3 tests/email/make_corpus.py --sources DIR > tests/email/corpus.csv

DIR holds the files of SOURCES below as DIR/OWNER/REPO/PATH, at the commits named
there (--fetch downloads them from raw.githubusercontent.com first). The cases of the
Chromium and web-platform-tests files and of the WHATWG standard are listed below as
they are written there; tests/email/README.md says where each comes from and under
which licence.
"""
import argparse
import ast
import csv
import os
import re
import sys
import unicodedata
import urllib.request
import xml.etree.ElementTree as ET

# (name, repository, commit, path) of the files whose cases are read from the file.
SOURCES = [
    ("isemail", "dominicsayers/isemail", "cfeefc3f2f88cb195053f6a309fa4f640cd369b5", "test/tests.xml"),
    ("isemail", "dominicsayers/isemail", "cfeefc3f2f88cb195053f6a309fa4f640cd369b5", "test/tests-original.xml"),
    ("email-validator", "JoshData/python-email-validator", "b73d010bb3db70547199f39fd85d2286a7f6f476",
     "tests/test_syntax.py"),
]

# The values Chromium's type=email test sets (third_party/blink/web_tests/fast/forms/
# resources/ValidityState-typeMismatch-email.js), as written there (JavaScript and
# Python escapes agree for these).
CHROMIUM = [
    "something@something.com", "someone@localhost.localdomain", "someone@127.0.0.1", "a@b.b", "a/b@domain.com",
    "{}@domain.com", "m*'!%@something.sa", "tu!!7n7.ad##0!!!@company.ca", "%@com.com",
    "!#$%&'*+/=?^_`{|}~.-@com.com", ".wooly@example.com", "wo..oly@example.com", "someone@do-ma-in.com",
    "somebody@example", "\u000Aa@p.com\u000A", "\u000Da@p.com\u000D", "a\u000A@p.com", "a\u000D@p.com", "", " ",
    " a@p.com", "a@p.com ", " a@p.com ", "\u0009a@p.com\u0009", "\u000Ca@p.com\u000C",
    "invalid:email@example.com", "@somewhere.com", "example.com", "@@example.com", "a space@example.com",
    "something@ex..ample.com", "a\b@c", "someone@somewhere.com.", "\"\"test\blah\"\"@example.com",
    "\"testblah\"@example.com", "someone@somewhere.com@", "someone@somewhere_com", "someone@some:where.com", ".",
    "F/s/f/a@feo+re.com", "some+long+email+address@some+host-weird-/looking.com", "a @p.com", "a\u0009@p.com",
    "a\u000B@p.com", "a\u000C@p.com", "a\u2003@p.com", "a\u3000@p.com", "ddjk-s-jk@asl-.com", "someone@do-.com",
    "somebody@-p.com", "somebody@-.com", "\u000Ba@p.com\u000B", "\u2003a@p.com\u2003", "\u3000a@p.com\u3000",
    "someone@somewhere.com,john@doe.com,a@b.c,a/b@c.c,ualla@ualla.127",
    "tu!!7n7.ad##0!!!@company.ca,F/s/f/a@feo-re.com,m*'@a.b", " a@p.com,b@p.com", "a@p.com ,b@p.com",
    "a@p.com, b@p.com", "a@p.com,b@p.com ", "   a@p.com   ,   b@p.com   ",
    "\u0009a@p.com\u0009,\u0009b@p.com\u0009", "\u000Aa@p.com\u000A,\u000Ab@p.com\u000A",
    "\u000Ca@p.com\u000C,\u000Cb@p.com\u000C", "\u000Da@p.com\u000D,\u000Db@p.com\u000D",
    "someone@somewhere.com,john@doe..com,a@b,a/b@c,ualla@ualla.127",
    "some+long+email+address@some+host:weird-/looking.com,F/s/f/a@feo+re.com,,m*'@'!%",
    "   a @p.com   ,   b@p.com   ", "   a@p.com   ,   b @p.com   ", "\u000Ba@p.com\u000B,\u000Bb@p.com\u000B",
    "\u2003a@p.com\u2003,\u2003b@p.com\u2003", "\u3000a@p.com\u3000,\u3000b@p.com\u3000", ",,", " ,,", ", ,", ",, ",
    "  ,  ,  ", "\u0009,\u0009,\u0009", "\u000A,\u000A,\u000A", "\u000B,\u000B,\u000B", "\u000C,\u000C,\u000C",
    "\u000D,\u000D,\u000D", "\u2003,\u2003,\u2003", "\u3000,\u3000,\u3000",
]

# The values of web-platform-tests' type=email tests: html/semantics/forms/
# the-input-element/email-validity.window.js and email.html, and html/semantics/forms/
# constraints/form-validation-validity-typeMismatch.html.
WPT = [
    "a", "a@a", "a@\u00f1", "\u00f1@\u00f1", "a@123", "a@123.123.123.123", "a@123.123.123.123.123", "a@0xFFFFFFFFF",
    "a@[123.123.123.123]", "a@\uFFFD", "a@[::1]",
    "user@example.com", "user1@example.com, user2@test.com", "user2@example.com\u000A", "user3@example.com\u000D",
    "user4@example.com", "  user@example.com  , user2@example.com  ", "user,@example.com",
    "user@e\\U000Axample.com", "user@e\\U000Dxample.com", "  user1@example.com  , user2@test.com, user3@test.com  ",
    "test@example.com", "\u000A\u000D\u0020\u0009 test@example.com \u000A\u000D\u0020\u0009", "abc",
    "test1@example.com,test2@example.com", "test1@example.com;test2@example.com",
]

# The addresses of the WHATWG HTML standard's example of the multiple attribute.
WHATWG = ["hedral@damowmow.com", "pillar@example.com", "astrophy@cute.example", "astronomy@science.example.org"]

# What Japanese member files hold: the old mobile forms of the carriers ('..', a '.'
# first or right before '@', which docomo and au accepted until 2009), the same on
# other domains, full-width characters typed with the IME on, spaces and line breaks
# pasted with the address, and what people write in an address cell.
JAPANESE = [
    "taro..yamada@docomo.ne.jp", ".taro@docomo.ne.jp", "taro.@docomo.ne.jp", "yui..@docomo.ne.jp",
    "taro.@ezweb.ne.jp", "hanako..@ezweb.ne.jp", "..taro@au.com", "taro.@softbank.ne.jp", "taro..@i.softbank.jp",
    "taro.@disney.ne.jp", "taro.@dk.pdx.ne.jp", "taro..x@wm.pdx.ne.jp", "taro.@willcom.com", "taro..x@emnet.ne.jp",
    "taro.@ymobile.ne.jp", "Taro.@DoCoMo.ne.jp", "taro.@mail.docomo.ne.jp", "taro..yamada@example.com",
    "taro.@gmail.com", ".taro@example.co.jp", "taro@docomo.ne.jp", "taro.yamada@ezweb.ne.jp",
    "ｔａｒｏ．．＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ", "taro.@docomo.ne.jp ", "yui..@docomo.ne.jp\n", "ｙｕｉ．．＠docomo.ne.jp",
    "taro@docomo.ne.jp ", "\u3000taro@example.com", "taro@example.com\u3000", "taro@example.com\r\n",
    "taro@exam\r\nple.com", "taro@example.com\t", " taro@example.com", "taro @example.com", "ta ro@example.com",
    "山田@example.jp", "taro@例え.jp", "ｔａｒｏ＠例え.jp", "taro@ｅｘａｍｐｌｅ.com", "ｔａｒｏ＠example.com",
    "taro＠example．com", "ＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ", "Ａ5@Example.com ", "taro@example.com。",
    "taro@example,com", "taro@example.co.jp", "taro+shop@example.com", "taro@example", "taro@localhost",
    "taro@-example.com", "taro@example-.com", "taro@ex-ample.com", "taro_yamada@example.com", "taro@exa_mple.com",
    "a@" + "b" * 63 + ".com", "a@" + "b" * 64 + ".com", "taro@example.com.", "<taro@example.com>",
    "山田太郎 <taro@example.com>", "taro@example.com;hanako@example.com", "taro@example.com,hanako@example.com",
    "mailto:taro@example.com", "taro@@example.com", "taro\u00a0@example.com", "taro@example.com\u00a0",
    "taro@example.com\u200b", "taro@xn--r8jz45g.jp", "taro@123.com", "taro.example.com", "@example.com", "taro@",
    "taro@.example.com", "taro@example..com", "ta\"ro@example.com", "taro(yamada)@example.com",
    "taro@example.com\x00", "taro\x1b@example.com", "taro\x7f@example.com", "taro@exa\x85mple.com",
    "taro@example.com\x0b", "taro@exam ple.com", "taro@example.c", "taro@e.x.a.m.p.l.e", "t@e.jp",
    "user%example.com@example.org", "taro@EXAMPLE.COM", "TARO@example.com", "taro@example.com\n\n",
    "\ttaro@example.com\t", "taro@example.com\f", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ\u3000", "taro@example.com（携帯）",
    "taro@example.com\r\nhanako@example.com", "\"taro\"@example.com", "taro@[192.168.0.1]",
]

CARRIERS = {"docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "disney.ne.jp",
            "willcom.com", "emnet.ne.jp", "ymobile.ne.jp"}
CARRIER_SUFFIXES = (".pdx.ne.jp",)

# ---- kaiin's rule, written a second time ----

LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
WHATWG_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + LABEL + r"(?:\." + LABEL + r")*")


def valid(address):
    """The WHATWG valid e-mail address, with a dot in the domain (kaiin's own rule)."""
    return WHATWG_ADDRESS.fullmatch(address) is not None and "." in address.split("@", 1)[1]


def folded(address):
    """What a form makes of a value (line breaks out, ASCII whitespace trimmed), with
    full-width ASCII and the ideographic space made half-width first (spec §4.3, §13)."""
    half = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else " " if c == "\u3000" else c
                   for c in address)
    return half.replace("\r", "").replace("\n", "").strip(" \t\n\f\r")


def verdict(address):
    """(verdict, fix): valid; warning or mobile for an old mobile form (mobile at a
    carrier's domain); error, with what kaiin-fix writes where folding makes it valid."""
    if valid(address):
        local, domain = address.split("@", 1)
        if ".." not in local and not local.startswith(".") and not local.endswith("."):
            return "valid", ""
        domain = domain.lower()
        carrier = domain in CARRIERS or domain.endswith(CARRIER_SUFFIXES)
        return ("mobile" if carrier else "warning"), ""
    fix = folded(address)
    return "error", (fix if fix != address and valid(fix) else "")


# ---- reading the suites ----

def isemail_addresses(text):
    # Control characters are written U+2400 + their code (the file's own note).
    for test in ET.fromstring(text).iter("test"):
        address = test.findtext("address") or ""
        yield "".join(chr(ord(c) - 0x2400) if 0x2400 <= ord(c) <= 0x241F else c for c in address)


def parametrized_addresses(text):
    """The first value of each case of each pytest.mark.parametrize list."""
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "parametrize"):
            continue
        names, cases = node.args[0], node.args[1]
        first = (names.value if isinstance(names, ast.Constant) else names.elts[0].value).split(",")[0].strip()
        for case in cases.elts:
            value = case.elts[0] if isinstance(case, (ast.Tuple, ast.List)) else case
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            if first == "s":  # a character the test puts before and after '@test'
                yield value.value + "@test"
                yield "test@" + value.value
            else:
                yield value.value


READERS = {"tests.xml": isemail_addresses, "tests-original.xml": isemail_addresses,
           "test_syntax.py": parametrized_addresses}


def source_text(root, repo, commit, path, fetch):
    local = os.path.join(root, repo, path)
    if fetch and not os.path.exists(local):
        os.makedirs(os.path.dirname(local), exist_ok=True)
        url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
        with urllib.request.urlopen(url) as r, open(local, "wb") as out:
            out.write(r.read())
    with open(local, encoding="utf-8") as f:
        return f.read()


def escaped(s):
    """The corpus's notation: a backslash as \\\\, TAB CR LF as \\t \\r \\n, and other
    characters one cannot see (controls, format characters, spaces other than ' ')
    as \\u{XXXX}."""
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c in "\t\r\n":
            out.append({"\t": "\\t", "\r": "\\r", "\n": "\\n"}[c])
        elif unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn") or (
                unicodedata.category(c) == "Zs" and c != " "):
            out.append("\\u{%04X}" % ord(c))
        else:
            out.append(c)
    return "".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sources", required=True, help="folder with OWNER/REPO/PATH of each file of SOURCES")
    p.add_argument("--fetch", action="store_true", help="download missing files at their pinned commits")
    args = p.parse_args()

    found = {}  # address -> its sources, in the order met
    def add(address, source):
        if address == "":  # no address at all: the required-field rules' business
            return
        try:
            address.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no UTF-8 file can hold it
            return
        found.setdefault(address, [])
        if source not in found[address]:
            found[address].append(source)

    for name, repo, commit, path in SOURCES:
        for address in READERS[os.path.basename(path)](source_text(args.sources, repo, commit, path, args.fetch)):
            add(address, name)
    for name, cases in (("chromium", CHROMIUM), ("wpt", WPT), ("whatwg", WHATWG), ("kaiin-jp", JAPANESE)):
        for address in cases:
            add(address, name)

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["address", "verdict", "fix", "source"])
    for address, sources in found.items():
        v, fix = verdict(address)
        w.writerow([escaped(address), v, escaped(fix), " ".join(sources)])


if __name__ == "__main__":
    main()
