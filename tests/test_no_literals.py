"""Linguistic knowledge lives in data files (src/marsad/data), not in code literals.

STYLE.md §6 and issue 12 item 4: word lists and regex alternations of Arabic words belong in
data files with a provenance header, compiled at import time (``arabic.word_regex``,
``resources.data_lists``). This test parses every module of the package with ``ast`` and
fails on

* a string literal holding more than ``MAX_WORDS`` Arabic words (a phrase in an error
  message or a single cue word is fine; a word list is not);
* a string literal with an alternation of Arabic words (``قتل|مقتل``);
* a tuple, list, set or dict literal with more than ``MAX_ITEMS`` Arabic strings;
* a hand-written class of proclitics in a pattern (``[وفبل]?``): ``arabic.clitic_prefix``
  builds them, so that which clitics a word may take is said in one way.

Docstrings are exempt: they quote the Arabic a rule was written for. Comments are not in the
syntax tree at all.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "marsad"

# Calibration (2026-12-03, all modules): the Arabic literals left are the
# grammar around a lexicon, at most three words in one literal (dates.py: "(?:من\s+)?(?:شهر\s+)?"
# around a day and month) and three in one tuple (quotes: "عن", "الي", "علي" after a verb).
# Every word list moved to data/ was an alternation or had four words or more.
MAX_WORDS = 3
MAX_ITEMS = 3

ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]{2,}")
ARABIC_ALTERNATION = re.compile(r"[\u0621-\u064a]{2,}\)?\|\(?(?:\?:)?[\u0621-\u064a]{2,}")
# A character class ([وفبل]) is a set of clitic letters, not a word.
CHAR_CLASS = re.compile(r"\[[^\]]*\]")
CLITIC_CLASS = re.compile(r"\[[وفبلك]{2,5}\][?{*]")
# arabic.py is the home of the clitic-pattern builder (and of find_phrase's own clitics).
CLITIC_HOME = {"arabic.py"}

# Modules exempt from the test: none (the last seven were cleared in session 4, issue 12).
ALLOWLIST: set[str] = set()


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _arabic_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(ARABIC_WORD.search(node.value))


def offences(source: str, clitics: bool = True) -> list[str]:
    """What in ``source`` looks like a word list (or, with ``clitics``, a clitic class) written in code."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            if clitics and CLITIC_CLASS.search(node.value):
                out.append(f"line {node.lineno}: a hand-written clitic class (use arabic.clitic_prefix)")
            text = CHAR_CLASS.sub("", node.value)
            words = ARABIC_WORD.findall(text)
            if len(words) > MAX_WORDS:
                out.append(f"line {node.lineno}: {len(words)} Arabic words in one literal")
            elif ARABIC_ALTERNATION.search(text):
                out.append(f"line {node.lineno}: an alternation of Arabic words")
        elif isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            items = node.keys if isinstance(node, ast.Dict) else node.elts
            n = sum(1 for x in items if x is not None and _arabic_string(x))
            if n > MAX_ITEMS:
                out.append(f"line {node.lineno}: {n} Arabic strings in one collection")
    return out


def test_detector_catches_word_lists():
    assert offences('X = re.compile(r"(?:قتل|مقتل)")')
    assert offences('X = {"قتل", "مقتل", "قتيل", "قتلى"}')
    assert offences('X = "قتل مقتل قتيل قتلى استشهد"')
    assert not offences('X = "في صفوف"')
    assert offences('X = r"(?<!\\w)[وفبل]?(?:حي)"')
    assert offences('X = r"\\s+[وفبلك]*$"')
    assert not offences('X = r"(?<!\\w)" + clitic_prefix("وفبل") + "حي"')
    assert not offences('def f():\n    """قتل|مقتل: مقتل قتيل قتلى استشهد"""\n')


def test_no_arabic_word_lists_in_code():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in ALLOWLIST:
            continue
        bad = offences(path.read_text(encoding="utf-8"), clitics=rel not in CLITIC_HOME)
        if bad:
            found[rel] = bad
    assert not found, "word lists in code (move them to src/marsad/data):\n" + "\n".join(
        f"{k}: {v[:5]}{' …' if len(v) > 5 else ''} ({len(v)})" for k, v in found.items())
