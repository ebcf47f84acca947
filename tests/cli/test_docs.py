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


def readme_lines():
    with open(os.path.join(SOURCE, "README.md"), encoding="utf-8") as f:
        return f.read().splitlines()


def section(lines, heading):
    """The lines of the README section that starts with heading, up to the next '## '."""
    starts = [i for i, line in enumerate(lines) if line == heading]
    if len(starts) != 1:
        raise AssertionError(f"README.md has {len(starts)} sections '{heading}', not one")
    end = next((i for i in range(starts[0] + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[starts[0]:end]


# What a work log says and a user's guide does not: numbered benchmark runs ("run 23",
# "runs 23-26", "runs 3 and 4"), rounds of work, issue numbers. A count of things run
# ("runs 3 threads", "runs 1,000,000 members") is a number followed by a plural.
HISTORY = [
    (re.compile(r"\bruns?\s+\d+(?![\d,]|\.\d)(?!\s+[a-z]+s\b)", re.I), "a numbered run"),
    (re.compile(r"\brounds?\b(?![- ]trip)", re.I), "a round"),
    (re.compile(r"\bissues?\s+#?\d", re.I), "an issue number"),
]


def history_in(text):
    """(line number, what, line) of each line of text that reads like a work log."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what in HISTORY:
            if pattern.search(line):
                found.append((number, what, line.strip()))
    return found


def user_documents():
    """README.md, the man pages and every text under docs/ (not its pictures),
    relative to the source."""
    paths = ["README.md"] + [os.path.join("man", f) for f in sorted(os.listdir(os.path.join(SOURCE, "man")))]
    for folder, _, files in os.walk(os.path.join(SOURCE, "docs")):
        paths += [os.path.relpath(os.path.join(folder, f), SOURCE) for f in sorted(files) if not f.endswith(".png")]
    return paths


class ReadmeIsAGuide(unittest.TestCase):
    """The README is a user's guide, not a log of work: at most 800 lines, one
    Performance section of at most 60 (one table of current figures and the command
    that reproduces it; the method is docs/performance.md), and no numbered runs,
    rounds or issue numbers there, in the man pages or in docs/."""

    MAX_LINES = 800
    MAX_PERFORMANCE = 60

    def test_the_readme_stays_short(self):
        lines = readme_lines()
        self.assertLessEqual(len(lines), self.MAX_LINES,
                             "README.md is for users: move detail to the man pages or docs/")

    def test_the_performance_section_is_one_short_table(self):
        performance = section(readme_lines(), "## Performance")
        self.assertLessEqual(len(performance), self.MAX_PERFORMANCE,
                             "one table of current figures; how they are measured goes in docs/performance.md")
        tables = [line for line in performance if re.match(r"\|\s*-", line)]
        self.assertEqual(len(tables), 1, "the Performance section holds one table")
        self.assertIn("tests/bench/run.py", "\n".join(performance), "the command that reproduces the figures")
        self.assertIn("docs/performance.md", "\n".join(performance))
        self.assertTrue(os.path.isfile(os.path.join(SOURCE, "docs", "performance.md")))

    def test_no_work_log_in_user_documentation(self):
        documents = user_documents()
        self.assertIn(os.path.join("docs", "performance.md"), documents)
        for path in documents:
            with open(os.path.join(SOURCE, path), encoding="utf-8") as f:
                found = history_in(f.read())
            with self.subTest(path=path):
                self.assertEqual(found, [], "the story goes in commit messages, not in user documentation")

    def test_the_work_log_patterns_catch_what_they_should_and_no_more(self):
        for line in ("run 23", "(run 25 / run 26)", "runs 3 and 4", "Runs 23-26", "from run 4 of the table",
                     "measured in run 23.",
                     "What the rounds changed",
                     "a second round", "issue 17", "(issue #30)", "Issues 28 and 29"):
            with self.subTest(line=line):
                self.assertTrue(history_in(line), line)
        for line in ("CP932 → UTF-8 → CP932 round-trips", "a round trip", "make run", "runs 3 threads",
                     "runs 1,000,000 members", "run 10.5 s",
                     "it runs three threads", "the issue is", "-n 3 runs each"):
            with self.subTest(line=line):
                self.assertEqual(history_in(line), [], line)


if __name__ == "__main__":
    unittest.main()
