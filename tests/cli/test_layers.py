"""The library's folders are its layers, and the includes keep to their order.

lib/src/core          bytes, CSV, CP932, I/O, reports, progress, dates: includes nothing above it
lib/src/members       member profiles, rules, fixes            (core)
lib/src/orders        order profiles, the order reader         (core, members)
lib/src/checker       the engine kaiin-check and kaiin-fix share (core, members)
lib/src/jobs/<name>   one program's job                        (all of the above; never another job)
lib/src/cli           the options every program shares         (core, members, orders)
lib/include/kaiin     what the programs use: each header belongs to the layer that implements it

A wrong-way include fails here, and so does an include written without its folder."""
import os
import re
import unittest

from kaiin_test import SOURCE

LIB = os.path.join(SOURCE, "lib", "src")
PUBLIC = os.path.join(SOURCE, "lib", "include", "kaiin")
TOOLS = os.path.join(SOURCE, "tools")

BELOW = {
    "core": set(),
    "members": {"core"},
    "orders": {"core", "members"},
    "checker": {"core", "members"},
    "jobs": {"core", "members", "orders", "checker"},
    "cli": {"core", "members", "orders"},
}
JOBS = {"check", "conv", "crm", "crosspoint", "find", "fix", "points", "split", "tags"}
# A public header's layer: a job's entry point, the shared options, or the core.
PUBLIC_LAYER = {f"{job}.h": f"jobs/{job}" for job in JOBS}
PUBLIC_LAYER.update({"cli.h": "cli"})
PUBLIC_LAYER.update({h: "core" for h in ("atomic_output.h", "csv.h", "date.h", "detect.h", "diagnostics.h",
                                         "encoding.h", "error.h", "i18n.h", "io.h")})

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(path):
    with open(path, encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


def layer_of_private(rel):
    """core, members, ..., or jobs/<name> for a path under lib/src."""
    parts = rel.split("/")
    return "/".join(parts[:2]) if parts[0] == "jobs" else parts[0]


def layer_of_include(name):
    """The layer an include names: kaiin/x.h by the table, a private one by its folder."""
    if name.startswith("kaiin/"):
        base = name[len("kaiin/"):]
        return PUBLIC_LAYER.get(base)
    return layer_of_private(name)


def may_include(layer, target):
    if target == layer:
        return True
    top = layer.split("/")[0]
    return target.split("/")[0] in BELOW[top]


def library_files():
    for folder, _, files in os.walk(LIB):
        for f in files:
            if f.endswith((".cpp", ".h", ".h.in")):
                path = os.path.join(folder, f)
                yield os.path.relpath(path, LIB).replace(os.sep, "/"), path


class Layers(unittest.TestCase):
    def test_every_file_is_in_the_folder_of_a_layer(self):
        for rel, _ in library_files():
            with self.subTest(file=rel):
                self.assertIn("/", rel, "lib/src holds folders only")
                top = rel.split("/")[0]
                self.assertIn(top, BELOW)
                if top == "jobs":
                    self.assertIn(rel.split("/")[1], JOBS, "a folder under jobs/ is one program's job")

    def test_includes_are_written_with_their_folder(self):
        known = set(BELOW) | {"kaiin"}
        for rel, path in library_files():
            for name in includes(path):
                with self.subTest(file=rel, include=name):
                    self.assertIn(name.split("/")[0], known, "write the layer's folder: \"core/cp932.h\"")
                    if not name.startswith("kaiin/"):
                        path = os.path.join(LIB, name)  # generated ones from name.in
                        self.assertTrue(os.path.exists(path) or os.path.exists(path + ".in"), "no such file")

    def test_no_include_runs_upward_or_sideways(self):
        for rel, path in library_files():
            layer = layer_of_private(rel)
            for name in includes(path):
                target = layer_of_include(name)
                with self.subTest(file=rel, include=name):
                    self.assertIsNotNone(target, "a public header without a layer: add it to PUBLIC_LAYER")
                    self.assertTrue(may_include(layer, target), f"{layer} may not include {target}")

    def test_public_headers_include_public_headers_of_their_layer_or_below(self):
        for header in sorted(os.listdir(PUBLIC)):
            layer = PUBLIC_LAYER.get(header)
            with self.subTest(header=header):
                self.assertIsNotNone(layer, "a public header without a layer: add it to PUBLIC_LAYER")
                for name in includes(os.path.join(PUBLIC, header)):
                    self.assertTrue(name.startswith("kaiin/"), f"{header} includes a private header {name}")
                    self.assertTrue(may_include(layer, layer_of_include(name)), f"{header} includes {name}")

    def test_programs_see_the_public_headers_only(self):
        for tool in sorted(os.listdir(TOOLS)):
            for name in includes(os.path.join(TOOLS, tool, "main.cpp")):
                with self.subTest(tool=tool, include=name):
                    self.assertTrue(name.startswith("kaiin/"))

    def test_every_public_header_reaches_a_program(self):
        # What the programs include, and what those headers include in turn.
        seen, todo = set(), []
        for tool in os.listdir(TOOLS):
            todo += [n[len("kaiin/"):] for n in includes(os.path.join(TOOLS, tool, "main.cpp"))]
        while todo:
            header = todo.pop()
            if header in seen:
                continue
            seen.add(header)
            todo += [n[len("kaiin/"):] for n in includes(os.path.join(PUBLIC, header)) if n.startswith("kaiin/")]
        for header in sorted(os.listdir(PUBLIC)):
            with self.subTest(header=header):
                self.assertIn(header, seen,
                              "no program uses it: it belongs under lib/src, in its layer's folder")

    def test_the_order_is_what_the_docstring_says(self):
        # The rule itself, on literal cases: the test above cannot pass by allowing all.
        self.assertTrue(may_include("members", "core"))
        self.assertFalse(may_include("core", "members"))
        self.assertFalse(may_include("members", "orders"))
        self.assertFalse(may_include("checker", "orders"))
        self.assertFalse(may_include("jobs/crm", "jobs/find"))
        self.assertTrue(may_include("jobs/crm", "jobs/crm"))
        self.assertFalse(may_include("cli", "jobs/check"))
        self.assertFalse(may_include("core", "jobs/check"))


if __name__ == "__main__":
    unittest.main()
