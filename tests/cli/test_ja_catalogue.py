"""The Japanese catalogue (po/ja.po) keeps the mechanical parts of its style note,
po/STYLE.md: Japanese punctuation inside Japanese sentences, no space after an
inserted value before the Japanese that follows it, です/ます in every sentence,
the fixed terms spelled one way.

test_i18n.py checks the rest of the catalogue's mechanics: every message has a
translation, none is fuzzy, and the placeholders are those of the message."""
import os
import re
import unittest

from kaiin_test import SOURCE
from test_i18n import po_entries

CATALOGUE = os.path.join(SOURCE, "po", "ja.po")

# Japanese text: the CJK punctuation block (、。「」〜), kana, kanji, and the
# full-width forms (（）？：～).
J = "[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]"
KANA_KANJI = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
# A value put into a sentence: a placeholder of fmt, a number, or a quoted value.
PLACEHOLDER = r"\{[0-9]*(?::[^}]*)?\}"
NUMBER = rf"(?:{PLACEHOLDER}|[0-9][0-9,.]*|\bN)"  # N: a number the user gives
QUOTED = rf"'[^' ]*'"
# The counters and units that follow a number in the catalogue.
COUNTER = "(?:以上|以下|以内|未満|行目|文字目|列目|バイト|件|行|列|文字|人|個|項目|回|秒|年|レコード|つ|日)"

RULES = [
    # ASCII , ( ) ? ! ; next to a Japanese character: 、（）？！ instead.
    ("ASCII punctuation beside Japanese", re.compile(rf"{J}[,()?!;]|[,()?!;]{J}")),
    ("ASCII ':' between Japanese characters", re.compile(rf"{J}:{J}")),
    # "…があります: …してください" is two sentences: 。 between them.
    ("':' after a whole sentence (use 。)", re.compile(r"(?:です|ます|ません|でした|ました|）)[:：]")),
    # A fragment put after a sentence (": write 'n'") starts a sentence of its own.
    ("a fragment after a sentence starting with ':'", re.compile("^[:;] ")),
    ("a space between a quoted value and the Japanese after it", re.compile(rf"{QUOTED} +{J}")),
    ("a space after ）or 」 before Japanese", re.compile(rf"[）」] +{J}")),
    ("a space between a number and its counter", re.compile(rf"{NUMBER} +{COUNTER}")),
    ("a space between Japanese and a number with its counter", re.compile(rf"{J} +{NUMBER}{COUNTER}")),
    ("a space between Japanese and a number glued to the Japanese after it",
     re.compile(rf"{KANA_KANJI} +[0-9]+{KANA_KANJI}")),
    ("an ASCII word glued to the Japanese after it (UTF-8 の)", re.compile(rf"[A-Za-z][A-Za-z0-9_-]*[0-9]{KANA_KANJI}")),
    ("フォルダ without its ー", re.compile("フォルダ(?!ー)")),
    ("a fixed term written apart (会員CSV, 会員ID)", re.compile(rf"(?:会員|受注|ポイント|調整用) (?:CSV|ID)|(?:会員|受注|ポイント|調整用)(?:CSV|ID) +{J}")),
    ("桁目 (a column of text is 文字目)", re.compile("桁目")),
    # An offset counts from 0: the byte after N bytes is at 先頭からNバイトの位置.
    ("先頭から … バイト目", re.compile("先頭から[^、。）]*バイト目")),
    ("会員 … にいません (含まれていません)", re.compile("にいません")),
    ("読んだ/飛ばした会員 (読み込んだ/対象外の会員)", re.compile("(?<!込)読んだ会員|飛ばした")),
]

# A sentence ends in です/ます; a plain verb ends only a phrase that is put into
# another sentence (a modifier), or a heading.
PLAIN_ENDING = re.compile("(?<!ま)(?:する|できる|出す|書く|読む|使う|持つ|なる|ある|いる|ない)$")
FRAGMENTS = {
    "holding the lock",  # "another run holding the lock": ロックを持つ別の実行
}


def problems(msgstr):
    """The names of the rules MSGSTR breaks. A literal in 「」 (a line of a CSV file:
    「𠮷,吉」) is written as the user types it, and not checked."""
    text = re.sub("「[^」]*」", "「」", msgstr)
    return [name for name, pattern in RULES if pattern.search(text)]


class Catalogue(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.entries = po_entries(CATALOGUE)

    def test_the_catalogue_keeps_its_style_note(self):
        found = [f"{name}: {msgid!r} -> {msgstr!r}" for msgid, (msgstr, _) in self.entries.items()
                 for name in problems(msgstr or "")]
        self.assertEqual(found, [], "\n" + "\n".join(found))

    def test_sentences_end_in_desu_masu(self):
        plain = [f"{msgid!r} -> {msgstr!r}" for msgid, (msgstr, _) in self.entries.items()
                 if msgid not in FRAGMENTS and PLAIN_ENDING.search((msgstr or "").rstrip("\n"))]
        self.assertEqual(plain, [], "\n" + "\n".join(plain))

    def test_a_sentence_ends_in_a_period_in_both_languages_or_in_neither(self):
        odd = [f"{msgid!r} -> {msgstr!r}" for msgid, (msgstr, _) in self.entries.items()
               if msgid.rstrip("\n").endswith(".") != (msgstr or "").rstrip("\n").endswith("。")]
        self.assertEqual(odd, [], "\n" + "\n".join(odd))

    def test_the_rules_see_what_they_are_for(self):
        for bad in ["ヘッダー行ですか? 独自", "会員ID '20005' は", "会員ID '{}' は", "'20005'（6 行目）",
                    "（6行目） は", "{} 行目", "全 {}行", "最初は 6行目", "残高が 0を下回る", "ファイルが空です: ヘッダー", "列がありません（'{}'）: kaiin-crm には",
                    "N 件になったら", "フォルダを作れません", "会員 CSV", "会員CSV を", "{} 桁目", "先頭から 0 バイト目",
                    "'{}'にいません", "UTF-8の間", "読んだ会員", "飛ばした会員", "会員,受注", "列(名)", "既定:今日", ": '{}'と書いてください"]:
            with self.subTest(bad=bad):
                self.assertNotEqual(problems(bad), [])
        for good in ["会員ID '20005'は", "'20005'（6行目）は", "{}行目", "全{}行", "（{}行目）", "--fold で置き換えます",
                     "Mac や iPhone で入力", "UTF-8 か CP932 で保存", "ファイルが空です。ヘッダー", "既定: 今日",
                     "フォルダーを作れません", "会員CSV", "会員IDが", "例: 「𠮷,吉」", "{}文字目", "先頭から{}バイトの位置", "{}行目の{}バイト目", "読み込んだ会員",
                     "'{}'に含まれていません", "kaiin-check(1) を参照", "U+301C、U+2212"]:
            with self.subTest(good=good):
                self.assertEqual(problems(good), [])


if __name__ == "__main__":
    unittest.main()
