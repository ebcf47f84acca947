#!/usr/bin/env python3
"""Writes the page, build/web/kaiin.html: web/page.html with its style, its script,
its words (po/ja.po's, from gen/po_table.py) and the worker's script (web/worker.js,
then the library as emscripten wrote it, the wasm inside) in one file that fetches
nothing.

  make_page.py --library kaiin.js --words page_words.json --version 0.1.0 \
               --postal data/postal/zip_codes.txt -o kaiin.html

The footer's postal date is the `date` line of Japan Post's table (the file the
library reads, embedded in the page with the rest of data/); where the table is not
there, the footer names no date.
The Content-Security-Policy names the page's one script by its hash: no other
script runs (the report's, shown in a frame without scripts, neither); WebAssembly
may be compiled ('wasm-unsafe-eval'), the worker comes from a blob: URL, and
connect-src 'none' refuses every request."""
import argparse
import base64
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def sha256(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inert(text, what):
    """TEXT for the inside of a <script> element: it must not end the element."""
    if re.search(r"</script|<!--", text, re.I):
        sys.exit(f"make_page.py: {what} holds '</script' or '<!--'")
    return text


def postal_date(path):
    """The date line of the postal table at PATH (YYYY-MM-DD), or "" without one."""
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("date "):
                date = line.split()[1]
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                    sys.exit(f"make_page.py: {path}: the date '{date}' is not YYYY-MM-DD")
                return date
            if not line.startswith("#"):
                break
    sys.exit(f"make_page.py: {path} has no date line")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--library", required=True, help="emscripten's kaiin.js")
    parser.add_argument("--words", required=True, help="the page's words in Japanese (JSON)")
    parser.add_argument("--version", required=True)
    parser.add_argument("--postal", required=True, help="data/postal/zip_codes.txt (it may be missing)")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()

    with open(args.library, encoding="utf-8") as f:
        library = f.read()
    with open(args.words, encoding="utf-8") as f:
        words = json.dumps(json.load(f), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    script, style = read("page.js"), read("page.css")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {sha256(script)} 'wasm-unsafe-eval'",
        "worker-src blob:",
        # The report's own style, in the frame, and the page's.
        "style-src 'unsafe-inline'",
        "img-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    parts = {
        "CSP": csp,
        "STYLE": style,
        "WORDS": inert(words, "the words"),
        "WORKER": inert(read("worker.js") + "\n" + library, "the worker's script"),
        "SCRIPT": inert(script, "page.js"),
        "VERSION": args.version,
        "POSTAL": postal_date(args.postal),
    }
    page = re.sub(r"\{\{([A-Z]+)\}\}", lambda m: parts[m.group(1)], read("page.html"))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    temp = args.output + ".tmp"
    with open(temp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(temp, args.output)


if __name__ == "__main__":
    main()
