"""The documentation cannot go stale: every example in --help and in the man
pages runs against samples/, and every long option of --help is in the man page."""
import os
import re
import tempfile
import unittest

from kaiin_test import (BIN, SOURCE, expected_exit, help_examples, man_examples, man_text, run, run_shell,
                        workspace_with_samples)

TOOLS = sorted(f[:-2] for f in os.listdir(os.path.join(SOURCE, "man")) if f.endswith(".1"))


class ManPages(unittest.TestCase):
    def test_every_program_has_a_man_page_and_every_page_a_program(self):
        # build/bin holds the programs and nothing else: test binaries are in build/tests.
        self.assertEqual(sorted(os.listdir(BIN)), TOOLS)

    def test_sections(self):
        for tool in TOOLS:
            text = man_text(tool)
            for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
                self.assertIn(".SH " + section, text, f"{tool}(1) lacks {section}")

    def test_every_long_option_of_help_is_in_the_man_page(self):
        for tool in TOOLS:
            options = set(re.findall(r"--[a-z][a-z-]+", run(tool, "--help").out.decode()))
            self.assertTrue(options, tool)
            text = man_text(tool)
            for option in sorted(options):
                # --all is not documented by --all-orders
                self.assertRegex(text, re.escape(option) + r"(?![a-z-])", f"{tool}(1) does not document {option}")


class Examples(unittest.TestCase):
    def check(self, command, expected=0):
        with tempfile.TemporaryDirectory(prefix="kaiin-example-") as d:
            p = run_shell(command, workspace_with_samples(d))
            self.assertEqual(p.returncode, expected, f"{command}\n{p.stderr.decode()}")

    def test_help_examples_run(self):
        for tool in TOOLS:
            examples = help_examples(tool)
            self.assertTrue(examples, f"{tool} --help has no examples")
            for command, expected in examples:
                with self.subTest(command=command):
                    self.check(command, expected)

    def test_man_page_examples_run(self):
        for tool in TOOLS:
            examples = man_examples(tool)
            self.assertTrue(examples, f"{tool}(1) has no examples")
            for command, expected in examples:
                with self.subTest(command=command):
                    self.check(command, expected)


class Readme(unittest.TestCase):
    """The README's console sessions are run as written: each '$ command' must print
    exactly the lines shown under it ('$ echo $?' checks the previous exit status)."""

    JAPANESE = "## 使い方"

    def sessions(self):
        """(session, lang) pairs: the sessions of the Japanese section (使い方) run
        as a Japanese session has it, LANG=ja_JP.UTF-8, the others in English."""
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
            text = f.read()
        found = []
        for m in re.finditer(r"```console\n(.*?)```", text, re.S):
            heading = text.rfind("\n## ", 0, m.start())
            lang = "ja_JP.UTF-8" if text.startswith(self.JAPANESE, heading + 1) else None
            found.append((m.group(1), lang))
        return found

    def test_console_sessions_print_what_the_readme_shows(self):
        sessions = self.sessions()
        self.assertTrue(sessions)
        self.assertTrue(any(lang for _, lang in sessions), "the 使い方 section has no console session")
        for session, lang in sessions:
            steps = []
            for line in session.splitlines():
                if line.startswith("$ "):
                    steps.append([line[2:], []])
                else:
                    steps[-1][1].append(line)
            status = None
            with tempfile.TemporaryDirectory(prefix="kaiin-readme-") as d:
                workspace_with_samples(d)  # the commands write files: never into the repository
                for command, expected in steps:
                    with self.subTest(command=command, lang=lang):
                        if command == "echo $?":
                            self.assertEqual([str(status)], expected)
                            continue
                        p = run_shell(command.replace("build/bin/", ""), d, lang)
                        status = p.returncode
                        shown = (p.stdout + p.stderr).decode().splitlines()
                        self.assertEqual(shown, expected)

    def test_example_command_lines_run(self):
        """The README's ```sh examples of the programs run against samples/ as written
        (a line ending in \\ goes on on the next; '# exit N' after one that should
        fail): none names a file that is not there."""
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
            text = f.read()
        commands = []
        for block in re.findall(r"```sh\n(.*?)```", text, re.S):
            for command in block.replace("\\\n", " ").splitlines():
                if command.startswith("build/bin/kaiin-"):
                    commands.append(expected_exit(command))
        self.assertTrue(commands)
        for command, expected in commands:
            with self.subTest(command=command):
                with tempfile.TemporaryDirectory(prefix="kaiin-readme-") as d:
                    p = run_shell(command.replace("build/bin/", ""), workspace_with_samples(d))
                    self.assertEqual(p.returncode, expected, f"{command}\n{p.stderr.decode()}")

    def test_the_japanese_section_follows_the_walkthrough(self):
        """使い方 shows the same walkthrough: every command of the English one."""
        english = [s for s, lang in self.sessions() if not lang]
        japanese = "\n".join(s for s, lang in self.sessions() if lang)
        walkthrough = [line for line in english[0].splitlines() + english[1].splitlines()
                       if line.startswith("$ ")]
        for line in walkthrough:
            self.assertIn(line, japanese)

    def test_the_two_commands_come_first(self):
        with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
            head = f.read(600)
        self.assertIn("make run", head)
        self.assertIn("make test", head)


if __name__ == "__main__":
    unittest.main()
