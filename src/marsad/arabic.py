"""Arabic basics every stage shares.

* ``normalize``/``NormText``: a matching view of a text (one alef, ya for alef
  maqsura, ha for ta marbuta, no diacritics or tatweel) that keeps a map from
  every character of the view back to the original offsets, so a match found
  in the view becomes a span of ``Article.text`` (STYLE: one offset space).
* ``sentences``: sentence spans; ``tokens``: word/number/punctuation spans.
* ``strip_clitics``/``clitic_variants``: the proclitics و ف ب ل ك and the
  article ال, so that وبغداد and لبغداد match بغداد.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .core import Span

DIACRITICS = "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a" \
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657" \
    "\u0658\u0659\u065a\u065b\u065c\u065d\u065e\u065f\u0670\u0640"
_DROP = frozenset(DIACRITICS)
# One character in, one character out: offsets survive the replacement.
_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "ک": "ك", "ی": "ي", "ہ": "ه",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
# The same folding as chained replacements, for whole articles: str.translate looks every
# character of a non-ASCII string up in the table (~0.2 ms for a 3,000-character article),
# while a substring test per folded character skips the ones a text lacks and a replace is
# a C scan (~0.01 ms). No output is another key, so the order of the replacements is free.
_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD.items())


def _fold(s: str) -> str:
    for ch, to in _FOLD_PAIRS:
        if ch in s:
            s = s.replace(ch, to)
    return s


PROCLITICS = "وفبلك"
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


# One run of dropped characters: most news text has none, and where it has some
# (a vowelled name, a tatweel) they come in short runs, so the view is built
# from the runs between them rather than one character at a time.
_DROP_RUN = re.compile("[" + DIACRITICS + "]+")


def normalize(s: str) -> str:
    """The matching form of a string (no offset map): for lexicon keys."""
    if _DROP_RUN.search(s):
        s = _DROP_RUN.sub("", s)
    return s.translate(_FOLD).lower()


@dataclass
class NormText:
    """A normalised view of ``original`` with ``offsets[i]`` = index in original of view char i."""

    original: str
    text: str
    offsets: list[int]

    def span(self, start: int, end: int) -> Span:
        """Original span covering view characters [start, end).

        Indices are clamped to the view, so a caller that computes one past
        the end (or a negative start) still gets a span inside the original.
        """
        n = len(self.offsets)
        start, end = min(max(start, 0), n), min(max(end, 0), n)
        if start >= end:
            o = self.offsets[start] if start < n else len(self.original)
            return Span(o, o)
        return Span(self.offsets[start], self.offsets[end - 1] + 1)

    def find_all(self, pattern: re.Pattern) -> list[tuple[Span, re.Match]]:
        return [(self.span(m.start(), m.end()), m) for m in pattern.finditer(self.text)]


def norm_view(text: str) -> NormText:
    """The normalised view of ``text`` with its offset map (the same as ``normalize``'s text)."""
    runs = list(_DROP_RUN.finditer(text))
    if not runs:
        kept, offs = text, list(range(len(text)))
    else:
        pieces, offs, pos = [], [], 0
        for m in runs:
            pieces.append(text[pos:m.start()])
            offs.extend(range(pos, m.start()))
            pos = m.end()
        pieces.append(text[pos:])
        offs.extend(range(pos, len(text)))
        kept = "".join(pieces)
    view = _fold(kept).lower()
    if len(view) != len(offs):
        # Lower-casing changed the length (Turkish İ → i + combining dot, some
        # ligatures): map each output character of each input character back
        # to that input's offset, so the map stays one entry per view character.
        parts = [c.translate(_FOLD).lower() for c in kept]
        view = "".join(parts)
        offs = [o for o, part in zip(offs, parts) for _ in part]
    return NormText(text, view, offs)


# Views kept: an article's stages (numbers, dates, places, quotes, events, attribution) all
# read the view of the same cleaned text, and one view per article is enough. A few more than
# one, so a caller that interleaves an article with its title or a sentence keeps its hit.
VIEW_CACHE = 4


@lru_cache(maxsize=VIEW_CACHE)
def view_of(text: str) -> NormText:
    """``norm_view(text)``, built once for the stages of one article and shared by them (the
    whole article's view was built five times per article, one per stage: 1-2 ms). The view is
    read-only to its callers; what they cache on it (``view.__dict__``) depends on its text alone."""
    return norm_view(text)


# --- tokens -----------------------------------------------------------------

_TOKEN = re.compile(
    r"\d+(?:[.,٫٬]\d+)*"                       # numbers (any script's digits) with separators
    r"|(?:[^\W\d_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])+"  # words, diacritics kept inside
    r"|[^\s\w]", re.UNICODE)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Word, number and punctuation spans of ``text[start:end]``."""
    end = len(text) if end is None else end
    return [Span(m.start() + start, m.end() + start) for m in _TOKEN.finditer(text[start:end])]


def token_texts(text: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(text)]


# --- sentences --------------------------------------------------------------

# A sentence ends at . ! ? ؟ or a line break; not at a dot inside a number
# (2.5) or after a one-letter abbreviation (أ. ف. ب.), and an opening quote is
# not cut off from its close.
_BOUNDARY = re.compile(r"(?<!\d)[.!?؟](?!\d)[\"»”')]*|\n+")
_ABBREV = re.compile(r"(?:^|\s)\S$")
# _ABBREV on the last three characters of a longer piece (``$`` may stand before a final newline)
_ABBREV_TAIL = re.compile(r"\s\S\n?\Z")
_QUOTE_CHARS = "«»“”\""


def sentences(text: str) -> list[Span]:
    # The piece since the last cut grows while a quote stays open or a boundary is an
    # abbreviation: its quote counts are kept as it grows and only its tail is read for
    # an abbreviation, so an article of thousands of open quotes stays linear (issue 19).
    out, start = [], 0
    counts = dict.fromkeys(_QUOTE_CHARS, 0)
    scanned = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        for c in _QUOTE_CHARS:
            counts[c] += text.count(c, scanned, m.start())
        scanned = m.start()
        if m.group()[0] == "." and _abbrev_end(text, start, m.start()) and "\n" not in m.group():
            continue
        if _quote_open(counts) and "\n" not in m.group():
            continue
        _add(out, text, start, end)
        start = scanned = end
        counts = dict.fromkeys(_QUOTE_CHARS, 0)
    _add(out, text, start, len(text))
    return out


def _abbrev_end(text: str, start: int, stop: int) -> bool:
    """Whether text[start:stop] ends in a one-letter word (أ. ف. ب.)."""
    if stop - start <= 3:
        return bool(_ABBREV.search(text[start:stop]))
    return bool(_ABBREV_TAIL.search(text, stop - 3, stop))


def _quote_open(counts: dict[str, int]) -> bool:
    return counts["«"] > counts["»"] or counts["“"] > counts["”"] or counts['"'] % 2 == 1


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def paragraphs(text: str) -> list[Span]:
    out, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        _add(out, text, start, m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


# --- clitics ----------------------------------------------------------------

def clitic_variants(word: str) -> list[tuple[int, str]]:
    """Ways to read a normalised word with proclitics removed, as (chars removed, stem).

    وبالمدينة → (0, وبالمدينه), (1, بالمدينه), (2, بالمدينه→ المدينه …). The
    stem keeps at least two letters so that short words are not eaten away.
    """
    out = [(0, word)]
    seen = {word}

    def push(stem: str) -> None:
        # Characters removed from the front; for ل+ال (للمدينة → المدينة) the
        # count is one short of a pure prefix, which is where the stem's letters start.
        if len(stem) >= 2 and stem not in seen:
            seen.add(stem)
            out.append((len(word) - len(stem), stem))

    for i in range(0, 3):
        if i > 0 and (len(word) <= i + 1 or word[i - 1] not in PROCLITICS):
            break
        stem = word[i:]
        push(stem)
        # ل + ال is written لل: للمدينة → المدينة
        if stem.startswith("لل") and len(stem) > 3:
            stem = "ا" + stem[1:]
            push(stem)
        if stem.startswith("ال") and len(stem) > 3:
            push(stem[2:])
        if i >= 1 and word[i - 1] not in "وف":
            break   # ب ل ك are the innermost proclitics: nothing stands after them
    return out


def strip_clitics(word: str) -> str:
    """The shortest stem of ``clitic_variants`` that still has 3 letters.

    Greedy, so it may over-strip (بغداد → غداد): where that matters, match
    against all of ``clitic_variants`` instead.
    """
    best = word
    for _, stem in clitic_variants(word):
        if len(stem) >= 3 and len(stem) < len(best):
            best = stem
    return best


def is_arabic(text: str, threshold: float = 0.3) -> bool:
    """Whether at least ``threshold`` of the letters are Arabic."""
    letters = [c for c in text[:5000] if c.isalpha()]
    if not letters:
        return False
    return sum(1 for c in letters if ARABIC_LETTER.match(c)) / len(letters) >= threshold


@lru_cache(maxsize=None)
def _phrase_regex(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in normalize(phrase).split()]
    return re.compile(r"(?<![\w])(?:[وف]?[بلك]?|[وف]?ل?)(?:ال)?(" + r"\s+".join(words) + r")(?![\w])")


def find_phrase(view: NormText, phrase: str) -> list[Span]:
    """Clitic-aware occurrences of ``phrase`` in a normalised view, clitics outside the span."""
    return [view.span(m.start(1), m.end(1)) for m in _phrase_regex(phrase).finditer(view.text)]


# --- lexicon patterns ---------------------------------------------------------

def clitic_prefix(letters: str = PROCLITICS, article: bool = False) -> str:
    """The regex of an optional proclitic, one of ``letters``, and with ``article`` an optional ال.

    ``clitic_prefix("وفب", article=True)`` is ``[وفب]?(?:ال)?``. Every lexicon pattern
    names the clitics it accepts through this one builder instead of a hand-written class:
    which clitics a word may carry is a choice made per list (a death noun takes و ف ب and
    the article, a place type takes و ف ب ل), and the choice should be read, not decoded.
    """
    if any(c not in PROCLITICS for c in letters):
        raise ValueError(f"not a proclitic: {letters!r}")
    out = "" if not letters else (f"{letters}?" if len(letters) == 1 else f"[{letters}]?")
    return out + ("(?:ال)?" if article else "")


# The two layers of proclitics: a conjunction (و ف) stands before a preposition (ب ل ك).
CONJUNCTIONS = "وف"
PREPOSITIONS = "بلك"


def clitic_groups() -> str:
    """``clitic_prefix`` of a conjunction, a preposition and the article, each in a named group
    (``conj``, ``prep``, ``art``) for a rule that must see which clitics a word carried (a
    purpose lam in للسيطرة, the article of الغارات). An ل followed by another ل counts as the
    article (ل + ال is written لل)."""
    return (f"(?P<conj>{clitic_prefix(CONJUNCTIONS)})(?P<prep>{clitic_prefix(PREPOSITIONS)})"
            "(?P<art>ال|ل(?=ل))?")


def clitic_run(letters: str = PROCLITICS) -> str:
    """Any number of proclitics of ``letters`` (``[وفبلك]*``): what may stand at the very end of
    a window cut just before a word, whose clitics are not yet split off."""
    if any(c not in PROCLITICS for c in letters):
        raise ValueError(f"not a proclitic: {letters!r}")
    return f"[{letters}]*"


def alternation(words) -> str:
    """``(?:w1|w2|…)`` of regex fragments in the order given: an alternation tries its
    branches in order, so a list read from a data file keeps the file's order."""
    return "(?:" + "|".join(words) + ")"


def word_regex(words, letters: str = "", article: bool = False) -> str:
    """A whole word of ``words`` (regex fragments, e.g. rows of a data list) after an optional
    proclitic of ``letters`` and article: ``(?<!\\w)[وفب]?(?:ال)?(?:قتل|مقتل)(?!\\w)``."""
    return r"(?<!\w)" + clitic_prefix(letters, article) + alternation(words) + r"(?!\w)"
