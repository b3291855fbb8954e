"""Search syntax and snippets, shared by every store backend.

A query is words, ``"quoted phrases"``, ``OR`` (or ``|``) between alternatives,
``AND`` (the default between words) and ``-word`` / ``NOT word`` to exclude.
Words are matched as the index stores them: normalised Arabic (hamza, alef,
ta marbuta and ya forms fold together) with every proclitic reading of every
word indexed (وبحلب → وبحلب بحلب حلب), so ``حلب`` finds وبحلب; Latin words
(English place names such as Aleppo) are matched case-insensitively.

Snippets are cut from the original text, in its own spelling (طائرات stays
طائرات, not the folded طايرات the index holds), with the matched words marked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .arabic import clitic_variants, normalize, token_texts, tokens
from .errors import QueryError

OR_WORDS = frozenset({"OR", "|"})
AND_WORDS = frozenset({"AND", "&"})
NOT_WORDS = frozenset({"NOT"})
# A phrase is looked up with FTS5 NEAR and then checked word by word: every word
# of the index column is written with all its clitic readings (at most six for
# a word with two proclitics and the article), so the words of a phrase stand
# at most this many index tokens apart per word.
READINGS_PER_WORD = 6
# Words of context on each side of the first match in a snippet.
SNIPPET_WORDS = 10

_QUERY_TOKEN = re.compile(r'-?"[^"]*"?|\S+')


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query, as the index spells it."""

    words: tuple[str, ...]
    negated: bool = False

    def fts(self, column: str) -> str:
        if len(self.words) == 1:
            return f'{column} : "{self.words[0]}"'
        near = READINGS_PER_WORD * len(self.words)
        return f"{column} : NEAR({' '.join(f'{chr(34)}{w}{chr(34)}' for w in self.words)}, {near})"


@dataclass(frozen=True)
class Query:
    """A parsed query: every clause must match; a clause matches when one of its terms does."""

    clauses: tuple[tuple[Term, ...], ...]
    text: str = ""

    @property
    def positive(self) -> list[Term]:
        return [t for c in self.clauses for t in c if not t.negated]

    @property
    def has_phrase(self) -> bool:
        return any(len(t.words) > 1 for c in self.clauses for t in c)

    def fts(self, column: str = "stems") -> str:
        """The FTS5 MATCH expression over ``column``."""
        pos = [c for c in self.clauses if not c[0].negated]
        neg = [c[0] for c in self.clauses if c[0].negated]
        expr = " AND ".join("(" + " OR ".join(t.fts(column) for t in c) + ")" for c in pos)
        for t in neg:
            expr += f" NOT ({t.fts(column)})"
        return expr

    def matches(self, text: str) -> bool:
        """Whether the original ``text`` satisfies the query word by word (phrases in order)."""
        words = [_readings(w) for w in token_texts(text)]
        for clause in self.clauses:
            hit = any(_find(words, t.words) is not None for t in clause)
            if hit == clause[0].negated:
                return False
        return True


def index_words(word: str) -> list[str]:
    """How one query or text word is spelled in the index: normalised, Latin lower-cased."""
    return [w for w in token_texts(normalize(word)) if w.isalnum()]


def stems(text: str) -> str:
    """The index column of ``text``: every clitic reading of every normalised word.

    Every reading is indexed (وبغداد → وبغداد بغداد غداد), so a query word as
    typed (بغداد, المرصد, مرصد) finds its attached forms.
    """
    return " ".join(v for w in token_texts(normalize(text)) for _, v in clitic_variants(w))


def parse(text: str) -> Query:
    """Parse the query syntax of this module; a query with nothing to look for raises QueryError."""
    clauses: list[list[Term]] = []
    join_next = negate_next = False
    for raw in _QUERY_TOKEN.findall(text):
        if raw in OR_WORDS:
            join_next = bool(clauses)
            continue
        if raw in AND_WORDS:
            continue
        if raw in NOT_WORDS:
            negate_next = True
            continue
        negated = negate_next or (raw.startswith("-") and len(raw) > 1)
        negate_next = False
        body = raw[1:] if raw.startswith("-") and len(raw) > 1 else raw
        words = tuple(w for part in body.strip('"').split() for w in index_words(part))
        if not words:
            continue
        term = Term(words, negated)
        if join_next and not negated and not clauses[-1][0].negated:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        join_next = False
    if not any(not c[0].negated for c in clauses):
        raise QueryError(f"nothing to search for in {text!r}: give at least one word not excluded")
    return Query(tuple(tuple(c) for c in clauses), text)


@lru_cache(maxsize=1 << 16)
def _readings(word: str) -> frozenset[str]:
    return frozenset(v for w in index_words(word) for _, v in clitic_variants(w))


def _find(words: list[frozenset[str]], phrase: tuple[str, ...], start: int = 0) -> int | None:
    n = len(phrase)
    for i in range(start, len(words) - n + 1):
        if all(phrase[j] in words[i + j] for j in range(n)):
            return i
    return None


def snippet(text: str, query: Query, before: str = "[", after: str = "]",
            context: int = SNIPPET_WORDS) -> str:
    """The stretch of ``text`` around the first match of ``query``, in the text's own spelling,
    with each matched word or phrase between ``before`` and ``after``; the opening words when
    nothing matches word by word (a NEAR lookup that the words do not bear out)."""
    spans = tokens(text)
    words = [_readings(text[s.start:s.end]) for s in spans]
    marks: list[tuple[int, int]] = []
    for term in query.positive:
        i = _find(words, term.words)
        while i is not None:
            marks.append((i, i + len(term.words)))
            i = _find(words, term.words, i + len(term.words))
    if not spans:
        return ""
    marks.sort()
    first = marks[0][0] if marks else 0
    lo, hi = max(0, first - context), min(len(spans), first + context + 1)
    out, pos = [], spans[lo].start
    for a, b in marks:
        if a < lo or b > hi or spans[a].start < pos:
            continue
        out += [text[pos:spans[a].start], before, text[spans[a].start:spans[b - 1].end], after]
        pos = spans[b - 1].end
    out.append(text[pos:spans[hi - 1].end])
    cut = "".join(out).replace("\n", " ")
    return ("…" if lo else "") + cut + ("…" if hi < len(spans) else "")
