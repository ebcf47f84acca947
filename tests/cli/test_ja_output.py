"""What a Japanese user reads has no English left where Japanese reads better: the
standard streams (標準入力), a missing profile (なし), kaiin-fix's counts by rule
(修正した郵便番号), the characters --fold names (波ダッシュ), and --help without C++
type names in columns aligned as a terminal shows them. What scripts read stays as
it is: the JSON report keeps "<stdin>", the summary keys and the rule ids."""
import os
import re
import subprocess
import unittest

from kaiin_test import BIN, TOOLS, TempDirTest, json_report, run, sample, write
from test_i18n import ja

TODAY = ("--today", "2026-11-23")
BROKEN = sample("upload_broken.csv")


def display_width(text):
    """Columns TEXT takes on a terminal: two for a Japanese character."""
    return sum(2 if re.match("[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]", c)
               else 1 for c in text)


class StandardStreams(TempDirTest):
    def test_standard_input_is_named_in_japanese_in_text_and_as_is_in_json(self):
        with open(BROKEN, "rb") as f:
            data = f.read()
        r = ja("kaiin-check", *TODAY, "-", stdin=data)
        self.assertEqual(r.code, 1)
        text = r.out.decode()
        self.assertIn("標準入力:3: エラー: ", text)
        self.assertIn("集計: ファイル 標準入力、", text)
        self.assertNotIn("<stdin>", text)
        j = ja("kaiin-check", *TODAY, "--report", "json", "-", stdin=data)
        findings, summary = json_report(j.out)
        self.assertEqual({f["file"] for f in findings}, {"<stdin>"})
        self.assertEqual(summary["files"], "<stdin>")

    def test_an_error_reading_standard_input_names_it_in_japanese(self):
        for lang, name in (("ja_JP.UTF-8", "'標準入力'"), ("C.UTF-8", "'<stdin>'")):
            folder = os.open("/", os.O_RDONLY)  # standard input a folder: it cannot be read
            with self.subTest(lang=lang):
                env = dict(os.environ, LC_ALL="", LC_MESSAGES="", LANGUAGE="", LANG=lang)
                p = subprocess.run([os.path.join(BIN, "kaiin-check"), "-"], stdin=folder, capture_output=True, env=env)
                os.close(folder)
                self.assertEqual(p.returncode, 2)
                self.assertIn(f"kaiin-check: {'エラー' if lang.startswith('ja') else 'error'}: {name}: ",
                              p.stderr.decode())

    def test_english_keeps_the_name_of_the_stream(self):
        with open(BROKEN, "rb") as f:
            r = run("kaiin-check", *TODAY, "-", stdin=f.read())
        self.assertIn("<stdin>:3: error: ", r.out.decode())


class Summary(TempDirTest):
    def test_an_empty_file_has_no_profile_in_japanese(self):
        empty = write(os.path.join(self.dir, "empty.csv"), "")
        r = ja("kaiin-check", empty)
        self.assertIn("プロファイル なし、", r.out.decode())
        self.assertNotIn("none", r.out.decode())

    def test_kaiin_fix_counts_its_fixes_by_a_japanese_name_and_json_keeps_the_rule_ids(self):
        out = os.path.join(self.dir, "fixed.csv")
        r = ja("kaiin-fix", *TODAY, "-o", out, BROKEN)
        text = r.err + r.out.decode()
        self.assertIn("修正したレコード 4、修正した住所（都道府県の重複） 1、修正したコントロールカラムの値 1、修正したメールアドレス 1、"
                      "修正したフリガナ 2、修正した都道府県 1、修正した郵便番号 1、", text)
        for rule in ("address-pref-repeated", "control-value", "email-syntax", "kana-format", "pref-name", "zip-format"):
            self.assertNotIn(rule + " ", text)
        j = ja("kaiin-fix", *TODAY, "--report", "json", "-o", out, BROKEN)
        _, summary = json_report(j.out + j.err.encode())
        self.assertEqual(summary["fixed zip-format"], 1)
        self.assertEqual(summary["fixed kana-format"], 2)


class Lists(unittest.TestCase):
    def test_members_listed_in_a_japanese_sentence_are_separated_by_the_japanese_comma(self):
        r = ja("kaiin-crosspoint", sample("export_duplicates.csv"))
        self.assertIn("会員 '20001'（2行目）、'20003'（4行目）、'20005'（6行目）は同じメールアドレスを使っています。", r.err)
        e = run("kaiin-crosspoint", sample("export_duplicates.csv"))
        self.assertIn("members '20001' (line 2), '20003' (line 4), '20005' (line 6) share", e.err)


class CharacterNames(TempDirTest):
    def test_the_characters_fold_changes_have_japanese_names_and_their_code_points(self):
        r = ja("kaiin-conv", "-t", "cp932", sample("members_mac.csv"))
        err = r.err
        self.assertIn("'〜'（波ダッシュ、U+301C）は CP932 にない文字です", err)
        self.assertIn("Windows では '～'（全角チルダ、U+FF5E）にあたります", err)
        self.assertNotIn("WAVE DASH", err)
        e = run("kaiin-conv", "-t", "cp932", sample("members_mac.csv"))
        self.assertIn("U+301C WAVE DASH '〜' has no CP932 code", e.err)


def help_texts(env_run):
    """Every program's --help and its subcommands', as ENV_RUN runs them."""
    for tool in TOOLS:
        yield tool, env_run(tool, "--help").out.decode()
        for sub in ("check", "diff", "apply"):
            r = env_run(tool, sub, "--help")
            if r.code == 0 and f" {sub} " in r.out.decode().split("\n")[1]:  # its usage line: a subcommand
                yield f"{tool} {sub}", r.out.decode()


class Help(unittest.TestCase):
    def test_help_shows_no_cpp_type_name(self):
        for name, text in list(help_texts(ja)) + list(help_texts(run)):
            with self.subTest(name=name):
                self.assertIsNone(re.search(r"^  [A-Z]\S* (TEXT|INT|UINT|FLOAT)\b", text, re.M), text)

    def test_descriptions_start_in_one_column_as_a_terminal_shows_them(self):
        for name, text in help_texts(ja):
            with self.subTest(name=name):
                starts = set()
                for line in text.split("\n例:")[0].splitlines():  # the options, not the examples
                    m = re.match(r"^(  \S.*?\S?)( {2,})(\S.*)$", line)
                    if m and not line.startswith("   "):
                        starts.add(display_width(m.group(1) + m.group(2)))
                self.assertEqual(starts, {30}, text)

    def test_a_required_argument_is_marked_in_japanese(self):
        r = ja("kaiin-points", "diff", "--help")
        self.assertRegex(r.out.decode(), r"\n  OLD 必須 {20}現在の残高")


if __name__ == "__main__":
    unittest.main()
