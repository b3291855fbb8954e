"""NORP: nationalities, ethnic, religious and political groups, from a lexicon.

ANERcorp, on which the taggers are trained, leaves nationality adjectives untagged,
so NORP comes from ``data/ner/norp.tsv`` (nisba stems, broken plurals and group
nouns, each with the country or group it refers to) rather than from a model:

* a token is NORP when its normalised form, after the proclitics و ف ب ل ك, is a
  listed form plus an inflection (السوريين = سوري + ين) with or without the
  article; the clitics stay outside the mention (والسوريين → السوريين), and ل + ال
  written لل stays whole (للسوريين), as in ``canon.proclitic_cut``;
* a token inside another entity's mention is left alone (المرصد السوري لحقوق
  الانسان stays one ORG), and so is the last word of a place name of the
  gazetteer (الاراضي الفلسطينية، الاتحاد الاوروبي) or of a nom de guerre that
  the tagger missed (أبو قتادة المغربي);
* the mentions of one group are one entity (السوري، السورية، السوريين → "Syrian");
  its ``name`` is the spelling met most often in the article (the first of equals;
  the accusative مسيحيًا only where there is no other): the form an analyst sees
  most, not a constructed lemma; ``name_en`` is the English adjective of the
  lexicon (Syrian).

``add`` merges these entities into the recogniser's and renumbers the ids e1, e2 …
in order of first mention, the contract of ``canon.group``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat

from ..arabic import clitic_variants, norm_view, normalize
from ..core import Entity, Mention, Span
from ..resources import data_rows
from .canon import entity_name, in_order
from .resources import MAX_GAZ_WORDS, Resources, load, norm_token, phrase_key, word_key

__all__ = ["add", "mentions", "lexicon"]

# The endings a nisba stem takes in news text: masculine and feminine singular,
# sound masculine plural (nominative, oblique) and feminine plural. The stem keeps
# its ي, so سوري + ين is السوريين (the brief's يين / يون counted from the bare root).
NISBA_ENDINGS = ("", "ه", "ين", "ون", "ات")
# Stems whose singular is not a group of people (اسلامي، غربي، مسلم): plurals only.
PLURAL_ENDINGS = ("ين", "ون")
# Indefinite accusative (مسؤولا اميركيا, tanween written as alef); only without the
# article, and never where the spelling is a place (سوريا، تركيا).
ACCUSATIVE = "ا"
# Gazetteer classes of a multi-word name whose last word is not a NORP mention.
_PLACE_CLASSES = frozenset({"GPE", "LOC"})


@dataclass(frozen=True)
class Group:
    key: str          # the normalised "refers to" column: one entity per article
    name_en: str


@dataclass(eq=False)      # hashed by identity: the key of _reading's per-word cache
class Lexicon:
    forms: dict[str, Group]        # normalised form without article → group
    bare: dict[str, Group]         # forms only without the article (accusative)
    adjective: dict[str, Group]    # exact forms that are NORP only after a definite word
    never: frozenset[str]          # exact forms that are never NORP
    kunya: frozenset[str] = frozenset()   # أبو …: a nisba two words later ends a name


def _is_place(word: str, res: Resources) -> bool:
    """A place in the gazetteer or a word the training text tagged as a place (كوريا،
    بريطانيا: the PETRARCH part of the gazetteer lists some countries only as actors)."""
    return bool(_PLACE_CLASSES & res.gazetteer.get(phrase_key(word), frozenset())) \
        or res.lexicon.get(word_key(word), {}).get("LOC", 0) > 0


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    res = load()
    forms: dict[str, Group] = {}
    bare: dict[str, Group] = {}
    adjective: dict[str, Group] = {}
    never: set[str] = set()
    kunya: set[str] = set()
    for row in data_rows("ner/norp.tsv"):
        form, how = normalize(row[0]), row[1]
        if how == "not":
            never.add(form)
            continue
        if how == "kunya":
            kunya.add(form)
            continue
        g = Group(normalize(row[2]), row[3] if len(row) > 3 else "")
        if how == "nisba":
            for end in NISBA_ENDINGS:
                forms.setdefault(form + end, g)
            acc = form + ACCUSATIVE
            if not _is_place(acc, res):
                bare.setdefault(acc, g)
        elif how == "plural":
            for end in PLURAL_ENDINGS:
                forms.setdefault(form + end, g)
        elif how == "word":
            forms.setdefault(form, g)
        elif how == "adjective":
            adjective[form] = g
        else:
            raise ValueError(f"norp.tsv: unknown kind {how!r} in row {row!r}")
    return Lexicon(forms, bare, adjective, frozenset(never), frozenset(kunya))


def _definite(word: str) -> bool:
    """Whether a normalised word is definite (القوات، بالقوات); الى / التي are too short."""
    return any(stem.startswith(("ال", "لل")) and len(stem) > 3 for _, stem in clitic_variants(word))


def _match(word: str, prev: str | None, lex: Lexicon) -> tuple[int, Group, bool] | None:
    """(characters of proclitics before the mention, group, whether it is the accusative
    ا form) of one normalised token."""
    r = _reading(word, lex)
    if r is None:
        return None
    cut, group, acc, adjective = r
    if adjective:
        return (cut, group, False) if prev is not None and _definite(prev) else None
    return cut, group, acc


@lru_cache(maxsize=100_000)
def _reading(word: str, lex: Lexicon) -> tuple[int, Group, bool, bool] | None:
    """``_match`` of a word before its neighbour is looked at: (cut, group, accusative,
    whether it is an adjective that needs a definite word before it). Cached per word:
    it runs on every token of every article.

    The readings are tried with the fewest clitics removed first, so a stem that
    begins with a clitic letter (بلجيكي، فلسطيني، كردي) is read whole."""
    for cut, form in clitic_variants(word):
        if form in lex.never:
            return None
        if form in lex.adjective:
            return cut, lex.adjective[form], False, True
        if form in lex.forms:
            return cut, lex.forms[form], False, False
        if form.startswith("ال") and form[2:] in lex.forms:
            return cut, lex.forms[form[2:]], False, False
        if form in lex.bare:
            return cut, lex.bare[form], True, False
    return None


def _after_kunya(words: list[str], i: int, lex: Lexicon) -> bool:
    """Whether words[i] follows أبو + name (أبو قتادة المغربي) or أبو written joined to
    the name (أبوجعفر السوداني): the last word of a nom de guerre."""
    if i >= 2 and any(stem in lex.kunya for _, stem in clitic_variants(words[i - 2])):
        return True
    prev = words[i - 1] if i >= 1 else ""
    prev = prev[1:] if prev[:1] in ("و", "ف") else prev
    return any(prev.startswith(k) and len(prev) > len(k) + 2 for k in lex.kunya)


def _ends_place_name(words: list[str], i: int, res: Resources) -> bool:
    """Whether words[i] ends a multi-word gazetteer place (الاراضي الفلسطينية)."""
    for n in range(2, MAX_GAZ_WORDS + 1):
        if i - n + 1 < 0:
            break
        rest = tuple(word_key(w) for w in words[i - n + 2:i + 1])
        for _, first in clitic_variants(words[i - n + 1]):
            if _PLACE_CLASSES & res.gazetteer.get((word_key(first),) + rest, frozenset()):
                return True
    return False


@dataclass
class _Hit:
    start: int
    end: int
    text: str
    group: Group
    accusative: bool


def mentions(text: str, token_spans: list[list[Span]], taken: list[Span] = (),
             norms: list[list[str]] | None = None) -> list[_Hit]:
    """NORP mentions in the sentences' tokens, outside the spans already ``taken``;
    ``norms``: the tokens' ``norm_token``, if the caller has them."""
    lex, res = lexicon(), load()
    mask = bytearray(len(text))
    for sp in taken:
        mask[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
    out = []
    if norms is None:
        norms = [[norm_token(text[t.start:t.end]) for t in sent] for sent in token_spans]
    for sent, words in zip(token_spans, norms):
        # most tokens have no NORP reading: the mask and neighbours are read for the others
        for i, r in enumerate(map(_reading, words, repeat(lex))):
            if r is None:
                continue
            t = sent[i]
            if any(mask[t.start:t.end]):
                continue
            prev = words[i - 1] if i and words[i - 1][:1].isalpha() else None
            m = _match(words[i], prev, lex)
            if m is None or _after_kunya(words, i, lex) or _ends_place_name(words, i, res):
                continue
            cut, group, acc = m
            start = t.start + norm_view(text[t.start:t.end]).offsets[cut]
            out.append(_Hit(start, t.end, text[start:t.end], group, acc))
    return out


def add(text: str, token_spans: list[list[Span]], entities: list[Entity],
        norms: list[list[str]] | None = None) -> list[Entity]:
    """``entities`` plus one NORP entity per group mentioned outside them, ids
    renumbered e1, e2 … in order of first mention."""
    taken = [m.span for e in entities for m in e.mentions]
    by_group: dict[Group, list[_Hit]] = {}
    for h in mentions(text, token_spans, taken, norms):
        by_group.setdefault(h.group, []).append(h)
    if not by_group:
        return entities
    new = []
    for group, hits in by_group.items():
        # the accusative (مسيحيًا) names the group only when it is its one spelling
        named = [h for h in hits if not h.accusative] or hits
        spellings = [normalize(entity_name(h.text)) for h in named]
        counts = Counter(spellings)
        best = max(counts.values())
        name = entity_name(next(h.text for h, sp in zip(named, spellings) if counts[sp] == best))
        new.append(Entity(id="", type="NORP", name=name, name_en=group.name_en or None,
                          mentions=[Mention(h.text, h.start, h.end) for h in hits]))
    return in_order(entities + new)
