"""The quote lexicons (data/quotes/*.tsv), loaded once and keyed by normalised form."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..arabic import normalize
from ..resources import data_rows


@dataclass(frozen=True)
class Cue:
    lemma: str
    kind: str                 # verb | relay | participle | chant | according
    intros: frozenset[str]
    words: tuple[str, ...]    # normalised words of a multi-word cue (جاء في، نقلا عن)


@dataclass(frozen=True)
class Lexicon:
    cues: dict[str, Cue]                       # first normalised word -> cue (single words)
    multi: dict[str, tuple[Cue, ...]]           # first word -> multi-word cues
    speakers: dict[str, str]                   # stem -> class
    stops: dict[str, str]                      # normalised word -> class
    not_sources: frozenset[str]                # first words that make بحسب mean "in keeping with"


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cues: dict[str, Cue] = {}
    multi: dict[str, list[Cue]] = {}
    for lemma, kind, intros, forms in data_rows("quotes/cues.tsv"):
        words = tuple(normalize(lemma).split())
        if len(words) > 1:
            cue = Cue(lemma, kind, frozenset(intros.split()), words)
            multi.setdefault(words[0], []).append(cue)
            continue
        for form in forms.split():
            cues.setdefault(normalize(form), Cue(lemma, kind, frozenset(intros.split()), (normalize(form),)))
    not_sources = set()
    for (phrase,) in data_rows("quotes/according.tsv"):
        if phrase.startswith("!"):
            not_sources.add(normalize(phrase[1:]).split()[0])
            continue
        words = tuple(normalize(phrase).split())
        cue = Cue(phrase, "according", frozenset(), words)
        if len(words) == 1:
            cues.setdefault(words[0], cue)
        else:
            multi.setdefault(words[0], []).append(cue)
    speakers = {normalize(w): c for w, c in data_rows("quotes/speakers.tsv")}
    stops = {normalize(w): c for w, c in data_rows("quotes/stops.tsv")}
    return Lexicon(cues, {k: tuple(v) for k, v in multi.items()}, speakers, stops, frozenset(not_sources))
