#!/usr/bin/env python3
"""The function definitions in C++ source, with the lines each spans.

  cpp_functions.py FILE...   prints each file's functions, longest first:
                             LINES FILE:LINE NAME

A function spans the lines from the first of its signature (its template<...> line,
its return type) to its closing brace. What is defined inside a function (a lambda,
a local struct and its members) is part of that function, and not a function of its
own; a member function defined in its class is one. Comments, string and character
literals (raw strings too) and preprocessor lines are skipped first, so that a brace
in them counts for nothing.

It reads kaiin's code, not every C++ program: a body is a brace after a parameter
list (with const, noexcept, override, a trailing return type or a constructor's
initialisers between), at namespace or class scope. A lambda given to a variable at
namespace scope counts as a function; a table's braces do not."""
import re
import sys
from dataclasses import dataclass

TOKEN = re.compile(
    r"""
    (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+|\\\n)
  | (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?\*/)
  | (?P<raw_string>(?:u8|u|U|L)?R"(?P<delimiter>[^()\\\s]{0,16})\()
  | (?P<string>(?:u8|u|U|L)?"(?:\\.|[^"\\\n])*")
  | (?P<char>(?:u8|u|U|L)?'(?:\\.|[^'\\\n])+')
  | (?P<number>\.?[0-9](?:[eEpP][+-]|'[0-9A-Za-z_]|[0-9A-Za-z_.])*)
  | (?P<word>[A-Za-z_][A-Za-z_0-9]*)
  | (?P<punct>::|->|&&|.)
    """, re.X | re.S)
DIRECTIVE = re.compile(r"[ \t]*#(?:[^\n\\]|\\.)*", re.S)  # to the end of the line, \ continuing it
# What may stand between a parameter list and the body of a function.
QUALIFIERS = {"const", "volatile", "noexcept", "override", "final", "mutable", "&", "&&"}
CLASS_KEYS = {"class", "struct", "union"}
OPEN, CLOSE = {"(", "[", "{"}, {")", "]", "}"}


@dataclass
class Token:
    text: str
    line: int
    kind: str  # word, number, string, char, punct


@dataclass
class Function:
    name: str
    first: int  # the line where its signature starts
    last: int  # the line of its closing brace

    @property
    def lines(self):
        return self.last - self.first + 1


def tokens(source):
    """The tokens of SOURCE without comments, blanks and preprocessor lines."""
    line, at, line_start = 1, 0, True
    while at < len(source):
        if line_start:
            directive = DIRECTIVE.match(source, at)
            if directive:
                line += directive.group(0).count("\n")
                at = directive.end()
                continue
        m = TOKEN.match(source, at)
        kind, text = m.lastgroup, m.group(0)
        if kind == "raw_string":  # up to )delimiter"
            end = source.find(")" + m.group("delimiter") + '"', m.end())
            end = len(source) if end < 0 else end + len(m.group("delimiter")) + 2
            text = source[at:end]
            kind = "string"
        at += len(text)
        line_start = kind == "newline"
        if kind in ("word", "number", "string", "char", "punct"):
            yield Token(text, line, kind)
        line += text.count("\n")


def skip_template_prefix(head):
    """Where HEAD continues after a leading template<...> (or several)."""
    i = 0
    while i < len(head) and head[i].text == "template":
        depth, i = 0, i + 1
        while i < len(head):
            depth += {"<": 1, ">": -1}.get(head[i].text, 0)
            i += 1
            if depth == 0:
                break
    return i


def top_level(head, start=0):
    """(index, token) of HEAD from START that are outside (), [] and {}, the
    brackets that open and close at that level included."""
    depth = 0
    for i in range(start, len(head)):
        t = head[i]
        if t.kind == "punct" and t.text in CLOSE:
            depth -= 1
        if depth == 0:
            yield i, t
        if t.kind == "punct" and t.text in OPEN:
            depth += 1


def operator_name(head, i):
    """True when HEAD[I] is part of an operator's name: the ( of operator(), the = of
    operator=, operator== or operator<=>."""
    if head[i].text == "(":
        return i > 0 and head[i - 1].text == "operator"
    before = [t.text for t in head[max(0, i - 3):i]]
    return "operator" in before and not {"(", ")", "[", "]"} & set(before[before.index("operator"):])


def assigns(head):
    """The index of HEAD's top-level '=' (an initialiser), or None."""
    return next((i for i, t in top_level(head) if t.text == "=" and not operator_name(head, i)), None)


def parameters(head, start):
    """(open, close): the indexes of the brackets of the parameter list in HEAD, the
    first top-level '(' from START that is not an operator's name; or None."""
    opened = None
    for i, t in top_level(head, start):
        if opened is None and t.text == "(" and not operator_name(head, i):
            opened = i
        elif opened is not None and t.text == ")":
            return opened, i
    return None


def name_of(head, end):
    """The (qualified) name before HEAD[END]: ns::type::f, type::~type, operator==."""
    stop = next((i for i in range(max(0, end - 3), end) if head[i].text == "operator"), end)
    suffix = "".join(t.text for t in head[stop:end])
    i = stop
    if i > 0 and head[i - 1].kind == "word" and stop == end:
        i -= 1
    while True:
        if i >= 1 and head[i - 1].text == "~":
            i -= 1
        elif i >= 2 and head[i - 1].text == "::" and head[i - 2].kind == "word":
            i -= 2
        else:
            break
    return "".join(t.text for t in head[i:stop]) + suffix or "?"


def is_lambda(head, eq):
    """= [captures](parameters) ...: a lambda given to a variable."""
    return eq + 1 < len(head) and head[eq + 1].text == "["


def body_after(head, close):
    """What a brace after HEAD opens, where HEAD's parameter list closes at CLOSE:
    function (right after it, its qualifiers, a trailing return type or a
    constructor's initialisers), member (a brace initialiser inside those: the
    head goes on) or data (sizeof(x) in a type, say)."""
    rest = [t.text for _, t in top_level(head, close + 1)]
    if ":" in rest:  # a constructor's ': member(value), member{value}'
        return "function" if head[-1].text in (")", "}") else "member"
    if all(t in QUALIFIERS for t in rest) or "->" in rest or rest[0] in ("noexcept", "requires"):
        return "function"
    return "data"


def unbalanced(head):
    """True when HEAD has a ( or [ that is not closed yet."""
    depth = 0
    for t in head:
        if t.kind == "punct" and t.text in ("(", "["):
            depth += 1
        elif t.kind == "punct" and t.text in (")", "]"):
            depth -= 1
    return depth > 0


def classify(head):
    """What a brace after HEAD opens at namespace or class scope: namespace, class,
    function, member (see body_after) or data (a table, an enum, a member's
    initialiser)."""
    if not head:
        return "data"
    if unbalanced(head):  # a lambda in a constructor's initialiser: the head goes on
        return "member"
    if "namespace" in [t.text for t in head[:2]] or (head[0].text == "extern" and
                                                      all(t.kind == "string" for t in head[1:])):
        return "namespace"
    eq = assigns(head)
    if eq is not None:
        return "function" if is_lambda(head, eq) else "data"
    start = skip_template_prefix(head)
    found = parameters(head, start)
    for i, t in top_level(head, start):
        if found and i >= found[0]:
            break
        if t.text == "enum":
            return "data"
        if t.text in CLASS_KEYS:
            return "class"
    return body_after(head, found[1]) if found else "data"


def signature_name(head):
    """The name of the function whose signature is HEAD."""
    eq = assigns(head)
    return name_of(head, eq if eq is not None else parameters(head, skip_template_prefix(head))[0])


def functions(source):
    """The functions defined in SOURCE, in order."""
    found, head = [], []
    stream = tokens(source)
    for t in stream:
        if t.kind == "punct" and t.text == "{":
            kind = classify(head)
            if kind in ("namespace", "class"):  # functions are found inside
                head = []
                continue
            last = skip_block(stream)
            if kind == "function":
                found.append(Function(signature_name(head), head[0].line, last.line))
                head = []
            elif kind == "member":
                head += [t, last]
            continue
        if t.kind == "punct" and t.text in (";", "}"):
            head = []
        elif t.text == ":" and len(head) == 1 and head[0].text in ("public", "private", "protected"):
            head = []
        else:
            head.append(t)
    return found


def skip_block(stream):
    """Reads STREAM past the brace that closes one just opened; that brace."""
    depth = 1
    for t in stream:
        if t.kind == "punct" and t.text in "{}":
            depth += 1 if t.text == "{" else -1
            if depth == 0:
                return t
    raise ValueError("a brace that is never closed")


def functions_in(path):
    with open(path, encoding="utf-8") as f:
        return functions(f.read())


if __name__ == "__main__":
    listed = [(f.lines, f"{path}:{f.first}", f.name) for path in sys.argv[1:] for f in functions_in(path)]
    for lines, where, name in sorted(listed, key=lambda x: -x[0]):
        print(lines, where, name)
