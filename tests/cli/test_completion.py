"""Bash completion (completion/kaiin.bash): bash sources the file, the test sets
COMP_WORDS and COMP_CWORD as bash does and calls the completion function, then
reads COMPREPLY. The option lists must hold every long option of --help."""
import os
import re
import shutil
import subprocess
import unittest

from kaiin_test import BIN, SOURCE, TOOLS, TempDirTest, run

SCRIPT = os.path.join(SOURCE, "completion", "kaiin.bash")
SUBCOMMANDS = {"kaiin-points": ["check", "diff"], "kaiin-tags": ["check", "apply"]}


def bash(script, cwd=None, env=None):
    full_env = dict(os.environ, LC_ALL="C.UTF-8", PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    full_env.pop("KAIIN_DATADIR", None)
    full_env.update(env or {})
    proc = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], cwd=cwd, env=full_env,
                          capture_output=True, timeout=60)
    if proc.returncode != 0:
        raise AssertionError(proc.stderr.decode())
    return proc.stdout.decode()


def complete(*words, cwd=None, env=None):
    """COMPREPLY for the command line WORDS, the cursor at the end of the last word
    ("" for a new word)."""
    quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
    script = (f"source '{SCRIPT}'\nCOMP_WORDS=({quoted})\nCOMP_CWORD={len(words) - 1}\n"
              f"COMP_LINE=\"${{COMP_WORDS[*]}}\"\nCOMP_POINT=${{#COMP_LINE}}\n"
              "_kaiin\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
    return sorted(l for l in bash(script, cwd, env).split("\n") if l)


def option_list(tool, sub=""):
    return set(bash(f"source '{SCRIPT}'\n_kaiin_options {tool} '{sub}'").split())


def help_options(tool, sub=None):
    """The long options the option table of --help declares (not those the
    examples mention, which may belong to a subcommand)."""
    args = [sub, "--help"] if sub else ["--help"]
    return set(re.findall(r"(?m)^  (?:-[A-Za-z],)?(--[a-z][a-z-]+)", run(tool, *args).out.decode()))


class OptionLists(unittest.TestCase):
    def test_every_long_option_of_help_can_be_completed(self):
        for tool in TOOLS:
            for sub in [None] + SUBCOMMANDS.get(tool, []):
                with self.subTest(tool=tool, sub=sub):
                    missing = help_options(tool, sub) - option_list(tool, sub or "")
                    self.assertFalse(missing, f"completion/kaiin.bash lacks {sorted(missing)} for {tool} {sub or ''}")

    def test_no_option_is_offered_that_help_does_not_know(self):
        for tool in TOOLS:
            for sub in [None] + SUBCOMMANDS.get(tool, []):
                with self.subTest(tool=tool, sub=sub):
                    offered = {o for o in option_list(tool, sub or "") if o.startswith("--")}
                    self.assertFalse(offered - help_options(tool, sub))

    def test_every_program_is_registered(self):
        out = bash(f"source '{SCRIPT}'\ncomplete -p")
        for tool in TOOLS:
            self.assertIn(f"-F _kaiin {tool}", out)


class Completing(TempDirTest):
    def test_options(self):
        self.assertEqual(complete("kaiin-check", "--cu"), ["--current"])
        self.assertEqual(complete("kaiin-split", "--sub"), ["--subscribed-only"])
        self.assertEqual(complete("kaiin-conv", "--ne"), ["--newline"])

    def test_closed_sets(self):
        self.assertEqual(complete("kaiin-check", "--report", "j"), ["json"])
        self.assertEqual(complete("kaiin-check", "--report", "=", "c"), ["csv"])  # --report=c
        self.assertEqual(complete("kaiin-conv", "-t", "utf"), ["utf-8", "utf-8-bom"])
        self.assertEqual(complete("kaiin-conv", "-f", ""), ["auto", "cp932", "shift_jis", "sjis", "utf-8"])
        self.assertEqual(complete("kaiin-crosspoint", "--newline", ""), ["crlf", "lf"])
        self.assertEqual(complete("kaiin-split", "--by", "r"), ["rows:"])

    def test_profile_names_come_from_the_program(self):
        self.assertIn("futureshop", complete("kaiin-check", "--profile", "f"))
        # A data folder of the user's own: the program's answer, not a fixed list.
        os.makedirs(self.path("data/profiles"))
        shutil.copy(os.path.join(SOURCE, "data", "profiles", "kaiin.csv"), self.path("data/profiles/myshop.csv"))
        self.assertEqual(complete("kaiin-split", "--profile", "", cwd=self.dir,
                                  env={"KAIIN_DATADIR": self.path("data")}), ["data", "myshop"])  # a file too
        self.assertEqual(complete("kaiin-split", "--profile", "my", cwd=self.dir,
                                  env={"KAIIN_DATADIR": self.path("data")}), ["myshop"])

    def test_kaiin_crm(self):
        self.assertEqual(complete("kaiin-crm", "--shared-address", ""), ["error", "keep-latest"])
        self.assertEqual(complete("kaiin-crm", "--shipped-on", "y"), ["yesterday"])
        self.assertIn("eccube", complete("kaiin-crm", "--order-profile", "e"))
        self.assertEqual(complete("kaiin-crm", "--list-o"), ["--list-order-profiles"])

    def test_kaiin_find(self):
        self.assertEqual(complete("kaiin-find", "--format", ""), ["csv", "json", "text"])
        self.assertEqual(complete("kaiin-find", "--quiet-m"), ["--quiet-missing"])
        self.assertEqual(complete("kaiin-find", "--col"), ["--column"])
        self.assertEqual(complete("kaiin-find", "--column", ""), [])  # a header name: free text
        self.assertIn("ebisumart", complete("kaiin-find", "--order-profile", "e"))
        open(self.path("inbox.csv"), "w").close()
        self.assertEqual(complete("kaiin-find", "--addresses", "in", cwd=self.dir), ["inbox.csv"])

    def test_subcommands_and_their_options(self):
        self.assertEqual(complete("kaiin-points", ""), ["check", "diff"])
        self.assertEqual(complete("kaiin-points", "--report", "json", "d"), ["diff"])
        self.assertEqual(complete("kaiin-tags", "a"), ["apply"])
        self.assertEqual(complete("kaiin-points", "diff", "--max"), ["--max-errors", "--max-rows"])  # shared too
        self.assertEqual(complete("kaiin-tags", "check", "--rep"), ["--report"])
        self.assertEqual(complete("kaiin-tags", "apply", "--ru"), ["--rules"])
        self.assertNotIn("--rules", complete("kaiin-tags", "--"))

    def test_files(self):
        for name in ("upload.csv", "upload_fixed.csv", "other.txt"):
            open(self.path(name), "w").close()
        os.mkdir(self.path("uploads"))
        self.assertEqual(complete("kaiin-check", "up", cwd=self.dir), ["upload.csv", "upload_fixed.csv", "uploads"])
        self.assertEqual(complete("kaiin-conv", "-o", "oth", cwd=self.dir), ["other.txt"])
        self.assertEqual(complete("kaiin-split", "-d", "", cwd=self.dir), ["uploads"])
        self.assertEqual(complete("kaiin-points", "diff", "upload_f", cwd=self.dir), ["upload_fixed.csv"])


if __name__ == "__main__":
    unittest.main()
