"""The event lexicons of ``data/events/`` compiled once per process.

Every pattern is a regular expression over the normalised view of the text
(``arabic.norm_view``: one alef, ya for alef maqsura, ha for ta marbuta, no
diacritics), so one pattern covers the spellings that news copy mixes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import arabic, kinds
from ..arabic import CONJUNCTIONS, PREPOSITIONS, clitic_groups, clitic_prefix
from ..resources import data_lists, data_rows

# The letters arabic.normalize folds (one alef, ya for alef maqsura, ha for ta marbuta, bare
# waw and ya for hamza seats). Data files may spell patterns either way ("طائرات"); they are
# folded here so that they meet the normalised text.
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})


def fold(pattern: str) -> str:
    return pattern.translate(_FOLD)


@lru_cache(maxsize=None)
def rule_words() -> dict[str, tuple[str, ...]]:
    """The word lists of data/events/rule_words.tsv (folded), by list name."""
    return {name: tuple(fold(w) for w in words) for name, words in data_lists("events/rule_words.tsv").items()}


def alternation(name: str) -> str:
    """One list of rule_words.tsv as a regex alternation ``(?:…)``, in file order."""
    return arabic.alternation(rule_words()[name])


# The kinds, from the one kind table (marsad.kinds), in table order.
VIOLENT_KINDS = tuple(k for k in kinds.names() if k in kinds.VIOLENT)
VERBAL_KINDS = tuple(k for k in kinds.names() if k in kinds.VERBAL)

# Clitics that may stand before a trigger: conjunction, preposition, article.
# The groups are kept so that the stage can see a purpose lam (للسيطرة) and a
# definite article (الغارات: the raids already told of).
_PREFIX = r"(?<![\w])" + clitic_groups()
# A conjunction then a preposition, without groups: before cues, sides and actors.
_CLITICS = "(?:" + clitic_prefix(CONJUNCTIONS) + clitic_prefix(PREPOSITIONS) + ")"
_SUFFIX = r"(?![\w])"


@dataclass(frozen=True)
class Trigger:
    kind: str
    role: str           # strong | weak | death | verbal
    pattern: str
    source: str


@dataclass(frozen=True)
class Cue:
    cue: str
    where: str          # before | near | sentence
    regex: re.Pattern


@lru_cache(maxsize=None)
def triggers() -> tuple[Trigger, ...]:
    out = tuple(Trigger(k, r, fold(p), s) for k, r, p, *rest in data_rows("events/triggers.tsv")
                for s in [rest[0] if rest else ""])
    unknown = sorted({t.kind for t in out} - set(kinds.names()))
    if unknown:
        raise ValueError(f"events/triggers.tsv: kinds not in {kinds.TABLE}: {unknown}")
    return out


@lru_cache(maxsize=None)
def trigger_regex() -> tuple[re.Pattern, list[Trigger]]:
    """One alternation of every trigger; longest patterns first so that عبوة ناسفة beats a shorter hit."""
    trig = sorted(triggers(), key=lambda t: -max(len(a) for a in t.pattern.split("|")))
    parts = [f"(?P<t{i}>{t.pattern})" for i, t in enumerate(trig)]
    return re.compile(_PREFIX + arabic.alternation(parts) + _SUFFIX), trig


def _split_top(pattern: str) -> list[str]:
    """Top-level alternatives of a regular expression (no nesting beyond groups)."""
    out, depth, cur = [], 0, ""
    for i, c in enumerate(pattern):
        if c == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif c == ")" and (i == 0 or pattern[i - 1] != "\\"):
            depth -= 1
        if c == "|" and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return out


PREFIX_LEN = 3


def _prefixes(alt: str) -> set[str] | None:
    """Three-letter literal beginnings of an alternative, or None when it may begin otherwise."""
    if len(alt) >= PREFIX_LEN and all("\u0621" <= c <= "\u064a" for c in alt[:PREFIX_LEN]):
        return {alt[:PREFIX_LEN]}
    # a two-letter word (حث، تم القبض): its two letters
    if len(alt) >= 2 and all("\u0621" <= c <= "\u064a" for c in alt[:2]) and alt[2:3] in ("", " "):
        return {alt[:2]}
    if alt.startswith("(?:"):
        depth, end = 0, None
        for i, c in enumerate(alt):
            depth += c == "("
            depth -= c == ")"
            if depth == 0:
                end = i
                break
        if end is None or alt[end + 1:end + 2] in ("?", "*"):
            return None
        out: set[str] = set()
        for inner in _split_top(alt[3:end]):
            p = _prefixes(inner)
            if p is None:
                return None
            out |= p
        return out
    return None


@lru_cache(maxsize=None)
def trigger_prefixes() -> frozenset[str] | None:
    """Two-letter beginnings of every trigger: words starting otherwise are not tried.

    None when some pattern cannot be reduced to literal beginnings (then every word is tried).
    """
    out: set[str] = set()
    for t in triggers():
        for alt in _split_top(t.pattern):
            p = _prefixes(alt)
            if p is None:
                return None
            out |= p
    return frozenset(out)


# Which triggers can match at a word is decided by its first letters: the longest clitic run
# the trigger regex's prefix takes (a conjunction, a preposition and the article: وبال) and
# a trigger's literal beginning (``_prefixes``).
SUBSET_SPAN = 4 + PREFIX_LEN
# Words whose trigger subset is kept; the cache starts again when full (a few MB at most).
SUBSET_CACHE = 100_000


@lru_cache(maxsize=None)
def _clitic_splits() -> tuple[str, ...]:
    """Every clitic run the trigger regex's prefix (``arabic.clitic_groups``) may take before a
    trigger, and a few it may not (ل as the article is only taken before another ل)."""
    return tuple(sorted({c + p + a for c in ("",) + tuple(CONJUNCTIONS) for p in ("",) + tuple(PREPOSITIONS)
                         for a in ("", "ال", "ل")}))


@lru_cache(maxsize=None)
def _trigger_keys() -> dict[str, frozenset[int]] | None:
    """Literal beginnings -> the indices (in ``trigger_regex``'s order) of the triggers with an
    alternative that begins so; None when some alternative has no literal beginning."""
    _, trig = trigger_regex()
    out: dict[str, set[int]] = {}
    for i, t in enumerate(trig):
        for alt in _split_top(t.pattern):
            p = _prefixes(alt)
            if p is None:
                return None
            for k in p:
                out.setdefault(k, set()).add(i)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=4096)
def _subset_regex(indices: tuple[int, ...]) -> re.Pattern:
    _, trig = trigger_regex()
    return re.compile(_PREFIX + arabic.alternation(f"(?P<t{i}>{trig[i].pattern})" for i in indices) + _SUFFIX)


_SUBSETS: dict[str, re.Pattern | None] = {}


def trigger_regex_at(word: str) -> re.Pattern | None:
    """The trigger regex cut down to the triggers that can match at the start of ``word`` (None:
    none can), for ``match`` at that word: what ``trigger_regex()`` would match there.

    The alternation of every trigger is tried branch by branch at each candidate word (73
    triggers, 375 alternatives: about 30 µs a word, 0.6 ms an article). A branch whose literal
    beginning stands after none of the word's possible clitic runs cannot match there, and
    dropping branches that cannot match leaves the first one that does, and its groups (named
    by the triggers' indices, as in the full regex), unchanged."""
    head = word[:SUBSET_SPAN]
    got = _SUBSETS.get(head, False)
    if got is False:
        keys = _trigger_keys()
        if keys is None:
            got = trigger_regex()[0]
        else:
            found: set[int] = set()
            for c in _clitic_splits():
                if head.startswith(c):
                    rest = head[len(c):]
                    found.update(keys.get(rest[:2], ()), keys.get(rest[:PREFIX_LEN], ()))
            got = _subset_regex(tuple(sorted(found))) if found else None
        if len(_SUBSETS) >= SUBSET_CACHE:
            _SUBSETS.clear()
        _SUBSETS[head] = got
    return got


@lru_cache(maxsize=None)
def cues() -> dict[str, list[Cue]]:
    out: dict[str, list[Cue]] = {}
    for cue, where, pattern, *_ in data_rows("events/cues.tsv"):
        pattern = fold(pattern)
        # Patterns ending in a space ("لم ") are whole words before the next word.
        rx = re.compile(r"(?<![\w])" + _CLITICS + r"(?:" + pattern + r")" + ("" if pattern.endswith(" ") else ""))
        out.setdefault(cue + ("_close" if where == "close" else ""), []).append(Cue(cue, where, rx))
    return out


@lru_cache(maxsize=None)
def side_patterns() -> list[tuple[re.Pattern, str]]:
    out = []
    for side, pattern, *_ in data_rows("events/sides.tsv"):
        pattern = fold(pattern)
        out.append((re.compile(r"(?<![\w])" + _CLITICS + r"(?:ال)?(?:" + pattern + r")(?![\w])"), side))
    return out


def actor_rows() -> list[tuple[str, str]]:
    """(normalised name, side) of the named actors: PETRARCH's (actors.tsv) and marsad's own
    forces (forces.tsv)."""
    return [(fold(name), side) for f in ("events/actors.tsv", "events/forces.tsv") for name, side, *_ in data_rows(f)]


@lru_cache(maxsize=None)
def actor_patterns() -> list[tuple[re.Pattern, str]]:
    """Named and generic actors with a side, longest first (sides.tsv + actor_rows)."""
    rows: list[tuple[str, str]] = []
    for side, pattern, *_ in data_rows("events/sides.tsv"):
        rows += [(alt, side) for alt in fold(pattern).split("|")]
    for name, side in actor_rows():
        rows.append((re.escape(name), side))
    rows.sort(key=lambda r: -len(r[0]))
    return [(re.compile(r"(?<![\w])" + _CLITICS + r"(?:" + p + r")(?![\w])"), s) for p, s in rows]


def side_of(phrase_norm: str) -> str | None:
    """The side named in a normalised phrase: the longest matching pattern wins."""
    best, best_len = None, 0
    for rx, side in side_patterns():
        for m in rx.finditer(phrase_norm):
            if m.end() - m.start() > best_len:
                best, best_len = side, m.end() - m.start()
    return best


@lru_cache(maxsize=None)
def number_words() -> dict[str, int]:
    return {fold(w): int(v) for w, v in data_rows("events/number_words.tsv")}
