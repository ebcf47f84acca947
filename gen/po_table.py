#!/usr/bin/env python3
"""The Japanese catalogue, po/ja.po, as tables for the page, which has no libintl.

  po_table.py ja.po --cpp OUT.cpp    the library's messages: core/message_table.h's
                                     table, by msgid in strcmp's order (i18n.cpp
                                     looks a message up there under KAIIN_WEB)
  po_table.py ja.po --page OUT.json  the page's own words (the entries whose
                                     references name web/), msgid -> msgstr, for its
                                     script to show before the library has loaded

What gettext would not use is left out as gettext leaves it: untranslated and fuzzy
entries, the header. A plural entry (msgid_plural) is looked up by its singular, and
Japanese has one form (nplurals=1), msgstr[0]; another catalogue's plural forms, or a
msgctxt, fail here rather than being read wrong."""
import argparse
import json
import re
import sys

ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r"}


def unquote(line):
    """The text of one "..." line of a .po file, its C escapes decoded."""
    m = re.fullmatch(r'\s*"(.*)"\s*', line)
    if not m:
        raise ValueError(f"not a quoted string: {line!r}")
    out, text, i = [], m.group(1), 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if text[i + 1] not in ESCAPES:
                raise ValueError(f"unknown escape \\{text[i + 1]} in {line!r}")
            out.append(ESCAPES[text[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def entries(path):
    """(msgid, msgstr, references, flags) of each entry; msgstr[0] for a plural one."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    found, refs, flags, key, fields = [], [], "", None, {}

    def close():
        nonlocal refs, flags, fields, key
        if "msgid" in fields:
            if "msgctxt" in fields:
                raise ValueError(f"msgctxt is not supported: {fields['msgid']!r}")
            text = fields.get("msgstr", fields.get("msgstr[0]", ""))
            found.append((fields["msgid"], text, refs, flags))
        refs, flags, key, fields = [], "", None, {}

    for line in lines + [""]:
        if not line.strip():
            close()
        elif line.startswith("#:"):
            refs += line[2:].split()
        elif line.startswith("#,"):
            flags += line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[key] += unquote(line)
        else:
            key, rest = line.split(" ", 1)
            fields[key] = unquote(rest)
    return found


def plural_forms(items):
    header = next((text for msgid, text, _, _ in items if msgid == ""), "")
    m = re.search(r"^Plural-Forms:\s*(.*)$", header, re.M)
    return m.group(1).strip() if m else ""


def usable(items):
    """What gettext answers with: translated, not fuzzy, not the header."""
    return [(msgid, text, refs) for msgid, text, refs, flags in items if msgid and text and "fuzzy" not in flags]


def cpp_literal(s):
    out = []
    for c in s:
        if c in '\\"':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def write_cpp(items, path):
    messages = sorted(usable(items), key=lambda e: e[0].encode("utf-8"))
    with open(path, "w", encoding="utf-8") as f:
        f.write("// Written by gen/po_table.py from po/ja.po: do not edit.\n// clang-format off\n")
        f.write('#include <iterator>\n\n#include "core/message_table.h"\n\nnamespace kaiin::detail {\n\n')
        f.write("const message messages[] = {\n")
        for msgid, text, _ in messages:
            f.write(f"    {{{cpp_literal(msgid)},\n     {cpp_literal(text)}}},\n")
        f.write("};\nconst std::size_t messages_size = std::size(messages);\n\n}  // namespace kaiin::detail\n")


def write_page(items, path):
    page = {msgid: text for msgid, text, refs in usable(items) if any(r.startswith("web/") for r in refs)}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(page, f, ensure_ascii=False, sort_keys=True, indent=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("po")
    parser.add_argument("--cpp")
    parser.add_argument("--page")
    args = parser.parse_args()
    items = entries(args.po)
    forms = plural_forms(items)
    if forms.replace(" ", "") != "nplurals=1;plural=0;":
        sys.exit(f"po_table.py: {args.po}: plural forms '{forms}': only nplurals=1 is supported")
    if args.cpp:
        write_cpp(items, args.cpp)
    if args.page:
        write_page(items, args.page)


if __name__ == "__main__":
    main()
