"""The data files the recogniser reads: word lists, gazetteer, word clusters, model.

Everything lives in ``marsad/data/ner`` (see its README for where each file
came from) and is loaded once per process through :func:`load`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..arabic import normalize

DATA = Path(str(resources.files("marsad") / "data" / "ner"))
# Longest gazetteer phrase tried at each token; longer names are rare and the
# CRF joins them from shorter matches plus context.
MAX_GAZ_WORDS = 6


def word_key(word: str) -> str:
    """Lexicon key of one normalised word: the definite article dropped (الاسد → اسد)."""
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


@lru_cache(maxsize=200_000)
def norm_token(token: str) -> str:
    """``normalize`` of one token, cached: the recogniser's stages normalise every token
    of every article, and news vocabulary is Zipfian."""
    return normalize(token)


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(word_key(w) for w in normalize(phrase).split())


def lines(name: str) -> list[str]:
    """The non-comment lines of data/ner/<name> (a word list with a provenance header)."""
    path = DATA / name
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@dataclass
class Resources:
    titles: frozenset[str]
    org_heads: frozenset[str]
    # phrase key → gazetteer classes (GPE, LOC, PER, ORG, FIRST …)
    gazetteer: dict[tuple[str, ...], frozenset[str]]
    # first word key → lengths of phrases starting with it, longest first
    gaz_starts: dict[str, tuple[int, ...]]
    clusters: dict[str, str] = field(default_factory=dict)
    # alias key (words joined by a space) → (full name, type)
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)
    # alias as written (article kept), for finding it in text
    alias_phrases: tuple[str, ...] = ()
    # normalised name key → GPE / LOC / FAC, for splitting ANERcorp's LOC
    subtypes: dict[tuple[str, ...], str] = field(default_factory=dict)
    # word key → how often it starts a name (training entities and gazetteer)
    names: dict[str, int] = field(default_factory=dict)
    # normalised words trimmed off the end of a mention (الإرهابي)
    trailing: frozenset[str] = frozenset()
    # head words of the ORG rule (وزارة + definite words)
    org_rule_heads: frozenset[str] = frozenset()
    # generic place word → type of "word + name" (None: the name's own type)
    place_words: dict[str, str | None] = field(default_factory=dict)
    # word key → {entity type: share of its training occurrences inside that type}
    lexicon: dict[str, dict[str, float]] = field(default_factory=dict)


def build_gazetteer(rows) -> tuple[dict, dict]:
    gaz: dict[tuple[str, ...], set[str]] = {}
    for phrase, cls in rows:
        k = phrase_key(phrase)
        if k and len(k) <= MAX_GAZ_WORDS:
            gaz.setdefault(k, set()).add(cls)
    starts: dict[str, set[int]] = {}
    for k in gaz:
        starts.setdefault(k[0], set()).add(len(k))
    return ({k: frozenset(v) for k, v in gaz.items()},
            {w: tuple(sorted(v, reverse=True)) for w, v in starts.items()})


def read_gazetteer_file(name: str = "gazetteer.tsv"):
    rows = []
    for line in lines(name):
        parts = line.split("\t")
        if len(parts) >= 2:
            rows.append((parts[0], parts[1]))
    return rows


def read_lexicon(path: Path) -> dict[str, dict[str, float]]:
    """lexicon.tsv: key<TAB>occurrences<TAB>TYPE=count,… → shares."""
    out = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        k, total, types = line.split("\t")
        n = int(total)
        out[k] = {t: int(c) / n for t, c in (x.split("=") for x in types.split(","))}
    return out


def lexicon_counts(sents) -> dict[str, tuple[int, dict[str, int]]]:
    """Occurrences and per-type entity counts of each word key in tagged sentences."""
    from ..arabic import strip_clitics
    total: dict[str, int] = {}
    types: dict[str, dict[str, int]] = {}
    for toks, tags in sents:
        for t, g in zip(toks, tags):
            k = word_key(strip_clitics(normalize(t)))
            total[k] = total.get(k, 0) + 1
            if g != "O":
                d = types.setdefault(k, {})
                d[g[2:]] = d.get(g[2:], 0) + 1
    return {k: (total[k], v) for k, v in types.items()}


def lexicon_shares(counts) -> dict[str, dict[str, float]]:
    return {k: {t: c / n for t, c in v.items()} for k, (n, v) in counts.items()}


@lru_cache(maxsize=1)
def load() -> Resources:
    gaz, starts = build_gazetteer(read_gazetteer_file())
    clusters = {}
    for line in lines("clusters.tsv"):
        w, _, c = line.partition("\t")
        clusters[w] = c
    aliases, phrases = {}, []
    for line in lines("aliases.tsv"):
        parts = line.split("\t")
        if len(parts) == 3:
            aliases[" ".join(phrase_key(parts[0]))] = (parts[1], parts[2])
            phrases.append(normalize(parts[0]))
    subtypes = {}
    for line in lines("subtypes.tsv"):
        parts = line.split("\t")
        if len(parts) == 2:
            subtypes[phrase_key(parts[0])] = parts[1]
    names = {}
    for line in lines("names.tsv"):
        w, _, c = line.partition("\t")
        names[w] = int(c or 1)
    place_words = {}
    for line in lines("place_words.txt"):
        w, _, t = line.partition("\t")
        place_words[normalize(w)] = t.strip() or None
    return Resources(
        titles=frozenset(word_key(normalize(w)) for w in lines("titles.txt")),
        org_heads=frozenset(word_key(normalize(w)) for w in lines("org_heads.txt")),
        gazetteer=gaz, gaz_starts=starts, clusters=clusters, aliases=aliases,
        alias_phrases=tuple(sorted(set(phrases), key=len, reverse=True)),
        subtypes=subtypes, names=names, lexicon=read_lexicon(DATA / "lexicon.tsv"),
        trailing=frozenset(normalize(w) for w in lines("trailing.txt")),
        org_rule_heads=frozenset(normalize(w) for w in lines("org_rule_heads.txt")),
        place_words=place_words)
