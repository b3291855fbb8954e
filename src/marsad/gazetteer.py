"""Arabic gazetteer and geocoder with honest precision.

The gazetteer is a built resource (``data/gazetteer.tsv.gz``, made by
``scripts/build_gazetteer.py`` from GeoNames, CLDR country names and the
project's curated tables in ``data/places/``); it is loaded once per process.

* ``candidates(name, country=None)``: ranked, JSON-able readings of a name;
* ``scan(text)``: every gazetteer name in a text, clitic-aware, longest match,
  with the place word before it (ريف، محافظة، مدينة، حي …) and a directional
  qualifier after it (الغربي …);
* ``resolve_article(article)``: the places an article names, disambiguated by
  the article's focus country, its dateline and co-mentioned countries (the
  events stage places each event among these, ``stages/events.py``).

Precision says what the coordinate is worth: ``town`` is the place's own point,
``district`` a nearby town's point or a part of a governorate, ``admin1`` a
governorate's settlement centre, ``region`` and ``country`` a broad centre.
"""
from __future__ import annotations

import gzip
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

from .arabic import ARABIC_LETTER, NormText, clitic_prefix, clitic_variants, normalize, view_of
from .core import Article, Place, Span
from .resources import data_lists

__all__ = ["Entry", "Gazetteer", "Hit", "load", "candidates", "scan", "resolve_article", "PRECISION_RANK"]

# Most specific first: the events stage gives an event the finest place its mentions name.
# A district (a nearby town's point or part of a governorate) ranks with a town: of "في منطقة
# الجفينة جنوب غرب مأرب" the named spot wins over its governorate either way, and the dev
# articles were calibrated with this order.
PRECISION_RANK = {"point": 0, "town": 1, "district": 1, "admin1": 2, "region": 3, "country": 4}

_PLACE_LISTS = data_lists("places/place_words.tsv")


def _words(name: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in _PLACE_LISTS[name])


# Place words that introduce a name. After one of them a name counts even when it is small or a
# common word (قرية الشجرة is a village, الشجرة alone is "the tree").
ADMIN_WORDS = _words("admin")
# منطقة is a Saudi region (منطقة عسير) but also any "area" (منطقة جديدة): weak, with a Saudi exception.
MANTIQA = normalize("منطقة")
RIF_WORDS = _words("rif")
# Strong place words name the kind of place that follows (بلدة الشجرة); weak ones only say a place
# may follow (جنوب، منطقة، محيط): they help rank but do not make a common word a place.
STRONG_TOWN_WORDS = _words("strong_town")
WEAK_TOWN_WORDS = _words("weak_town")
TOWN_WORDS = STRONG_TOWN_WORDS | WEAK_TOWN_WORDS
STRONG_WORDS = STRONG_TOWN_WORDS | ADMIN_WORDS
# Directional qualifiers after "ريف X": the countryside's part, so district precision.
DIRECTIONS = _words("direction")
KINGDOM_KEY = normalize("المملكة")
KINGDOMS = frozenset({"SA", "JO", "MA", "BH"})
AMMAN_KEY = normalize("عمان")
_WEEKDAYS = _words("weekday")
_PLACE_WORDS = ADMIN_WORDS | RIF_WORDS | TOWN_WORDS
NEIGHBOURHOOD_WORDS = _words("neighbourhood")
# Words that end a neighbourhood's name (a preposition, a place word, a conjunction).
_NAME_STOP = _words("name_stop")

# --- ranking constants (calibrated on ../shared/eval/dev and a sample of 2015 Saudi news) --------
# A settlement's prior grows with log10(population): Moscow RU (10M, 7.0) beats Moscow ID (25k, 4.4).
KIND_PRIOR = {"country": 8.0, "region": 6.0, "admin1": 5.5, "district": 4.0, "point": 4.0}
CAPITAL_BONUS = 2.0       # capitals are named (and used as metonyms) far beyond their size
CURATED_BONUS = 1.0       # a curated row was added because the news of the region names it
REGION_BONUS = 1.0        # Arabic news names the Arab world's towns first: بيت لحم is in Palestine
FOCUS_BONUS = 3.5         # same country as the article's focus: worth ~3000x population
COMENTION_BONUS = 1.5     # country named elsewhere in the article (موسكو beside روسيا)
DATELINE_BONUS = 1.5      # country of the dateline place
# A single-word settlement name found by the scan alone (no recogniser entity, no place word before
# it) counts only when it is well known; in the article's focus country a smaller town is enough.
# In the Arab world (and Turkey, Israel) a town of LOCAL_POP is news; elsewhere only a city of
# WORLD_POP (GeoNames' Arabic names of small foreign towns are transliterations that collide with
# Arabic words: Ely الي, Pine بين, Van وان). Calibrated on the most frequent scan hits in 2,359
# Saudi news articles of 2015 (see data/places/stopnames.txt for the words that still collide).
LOCAL_POP = 20_000
WORLD_POP = 150_000
FOCUS_TOWN_POP = 1_000
MIN_NAME_LETTERS = 3       # two-letter names (اب، ال) are never taken bare
LOCAL = frozenset("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE TR IL".split())
TRIGGER_ONLY_PENALTY = 5.0   # candidates(): a bare حلب is the city before the governorate
NEIGHBOURHOOD_WINDOW = 400  # characters back to look for the city a "حي X" belongs to


@dataclass(frozen=True)
class Entry:
    gid: str
    kind: str
    lat: float
    lon: float
    country: str
    admin1: str
    population: int
    name_en: str
    names: tuple[str, ...]
    match: str           # "any", or "trigger": only after a place word
    flags: frozenset[str]
    source: str

    @property
    def curated(self) -> bool:
        return "curated" in self.flags

    @property
    def capital(self) -> bool:
        return "capital" in self.flags

    def prior(self) -> float:
        if self.kind == "town":
            p = math.log10(self.population + 10)
        else:
            p = KIND_PRIOR.get(self.kind, 4.0)
        return p + CAPITAL_BONUS * self.capital + CURATED_BONUS * self.curated + REGION_BONUS * (self.country in LOCAL)

    def to_json(self) -> dict:
        return {"gazetteer_id": self.gid, "name": self.names[0] if self.names else "", "name_en": self.name_en,
                "lat": self.lat, "lon": self.lon, "country": self.country or None, "admin1": self.admin1 or None,
                "precision": self.kind, "population": self.population, "names": list(self.names),
                "source": self.source}


@dataclass
class Hit:
    """A gazetteer name found in a text (view offsets mapped back to the text)."""

    span: Span                    # the name, clitics outside
    key: str                      # normalised name
    entries: list[int]
    words: int                    # words in the name
    before: str = ""              # normalised place word before the name (clitics stripped)
    before_span: Span | None = None
    direction: str = ""           # directional qualifier after the name
    direction_span: Span | None = None
    stripped: int = 0             # clitic letters removed from the first word


class Gazetteer:
    def __init__(self, rows: list[dict]):
        self.entries: list[Entry] = []
        self.by_key: dict[str, list[int]] = {}
        self.first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.admin1: dict[tuple[str, str], int] = {}
        self.country: dict[str, int] = {}
        self.by_en: dict[str, list[int]] = {}     # English names (Aleppo), case-folded
        for r in rows:
            e = Entry(r["gid"], r["kind"], float(r["lat"]), float(r["lon"]), r["country"], r["admin1"],
                      int(r["population"] or 0), r["name_en"], tuple(n for n in r["names"].split("|") if n),
                      r["match"], frozenset(f for f in r["flags"].split(",") if f), r["source"])
            i = len(self.entries)
            self.entries.append(e)
            if e.kind == "admin1":
                self.admin1[(e.country, e.admin1)] = i
            if e.kind == "country":
                self.country[e.country] = i
            if e.name_en:
                self.by_en.setdefault(" ".join(e.name_en.casefold().split()), []).append(i)
            for n in e.names:
                k = normalize(n).replace("-", " ")
                k = " ".join(k.split())
                if not e.curated and " " in k and k.split(" ")[0] in _PLACE_WORDS:
                    continue    # GeoNames' مدينة حمص: the scan reads مدينة as a place word before حمص
                # ديرالزور: the press sometimes glues a two-word name whose second word has the article
                keys = [k] + ([k.replace(" ال", "ال")] if k.count(" ") == 1 and " ال" in k else [])
                for kk in keys:
                    lst = self.by_key.setdefault(kk, [])
                    if i not in lst:
                        lst.append(i)
        # المملكة alone names the article's own kingdom (resolved in context, see resolve_text)
        self.by_key.setdefault(KINGDOM_KEY, [])
        for k in self.by_key:
            words = tuple(k.split())
            self.first.setdefault(words[0], []).append((words[1:], k))
        for lst in self.first.values():
            lst.sort(key=lambda x: -len(x[0]))   # longest name first
        # The scan's index: a first word's longer names by their second word (in the longest-first
        # order above), and its one-word name. A name of two words or more can only fit where the
        # text's next word is its second, so the scan tries those alone instead of every name that
        # starts with the word (الشيخ, جبل, وادي start thousands).
        self.longer: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
        self.single: dict[str, str] = {}
        for stem, lst in self.first.items():
            for rest, key in lst:
                if rest:
                    self.longer.setdefault((stem, rest[0]), []).append((rest, key))
                else:
                    self.single[stem] = key
        self._starts: dict[str, tuple[tuple[int, str], ...]] = {}
        self._priors: dict[int, float] = {}
        self.stopnames = _stopnames()

    # -- lookups ------------------------------------------------------------
    def lookup(self, name: str) -> list[int]:
        if not ARABIC_LETTER.search(name):
            # a name written in Latin letters: the entries' English names (geocode "Aleppo")
            return list(self.by_en.get(" ".join(name.casefold().split()), []))
        k = " ".join(normalize(name).replace("-", " ").split())
        if k in self.by_key:
            return list(self.by_key[k])
        # a clitic or an article on the first word: وبغداد، بالرقة
        first, _, rest = k.partition(" ")
        for n, stem in clitic_variants(first)[1:]:
            kk = (stem + " " + rest).strip()
            if kk in self.by_key:
                return list(self.by_key[kk])
        return []

    def rank(self, ids: list[int], country: str | None = None, mentioned: frozenset[str] = frozenset(),
             dateline: str | None = None, prefer: str | None = None) -> list[tuple[float, int]]:
        out = []
        priors = self._priors
        for i in ids:
            e = self.entries[i]
            s = priors.get(i)
            if s is None:
                s = priors[i] = e.prior()
            if country and e.country == country:
                s += FOCUS_BONUS
            elif e.country and e.country in mentioned:
                s += COMENTION_BONUS
            if dateline and e.country == dateline:
                s += DATELINE_BONUS
            if prefer == "admin1" and e.kind == "admin1":
                s += 10.0
            elif prefer == "town" and e.kind in ("town", "district", "point"):
                s += 10.0
            out.append((s, i))
        out.sort(key=lambda x: (-x[0], x[1]))
        return out

    # -- scanning -----------------------------------------------------------
    def scan(self, text: str, view: NormText | None = None) -> list[Hit]:
        view = view or view_of(text)
        toks = [(m.start(), m.end()) for m in _WORD.finditer(view.text)]
        words = [view.text[a:b] for a, b in toks]
        hits: list[Hit] = []
        i = 0
        starts = self._starts
        longer, single = self.longer, self.single
        while i < len(toks):
            best = None
            word = words[i]
            readings = starts.get(word)
            if readings is None:
                readings = self._word_readings(word)
            for n, stem in readings:
                fit = None
                if i + 1 < len(toks):
                    for rest, key in longer.get((stem, words[i + 1]), ()):
                        L = len(rest)
                        if i + L >= len(toks):
                            continue
                        if all(words[i + 1 + j] == rest[j] and _gap_ok(view.text, toks[i + j][1], toks[i + 1 + j][0])
                               for j in range(L)):
                            fit = (L, key)
                            break   # longest first: the first fit is the longest for this stem
                if fit is None and stem in single:
                    fit = (0, single[stem])
                if fit is None:
                    continue
                L, key = fit
                cand = (L, -n, key)
                if best is None or cand[:2] > best[0][:2]:
                    best = (cand, n)
            if best is None:
                i += 1
                continue
            (L, _, key), n = best
            stem0 = key.split(" ")[0]
            # للعراق = ل + العراق with the article's alef elided: the name starts after the ل
            off = n if words[i][n:] == stem0 else max(0, len(words[i]) - len(stem0) + 1)
            start, end = toks[i][0] + off, toks[i + L][1]
            hit = Hit(view.span(start, end), key, list(self.by_key[key]), L + 1, stripped=off)
            if i > 0 and _gap_ok(view.text, toks[i - 1][1], toks[i][0]):
                prev = _strip(words[i - 1])
                if prev in ADMIN_WORDS or prev in RIF_WORDS or prev in TOWN_WORDS:
                    hit.before = prev
                    hit.before_span = view.span(toks[i - 1][0], toks[i - 1][1])
            j = i + L + 1
            if j < len(toks) and words[j] in DIRECTIONS and _gap_ok(view.text, toks[j - 1][1], toks[j][0]):
                hit.direction = words[j]
                hit.direction_span = view.span(toks[j][0], toks[j][1])
            hits.append(hit)
            i += L + 1
        return hits

    def _word_readings(self, word: str) -> tuple[tuple[int, str], ...]:
        """The readings of a word (clitics removed) that start some name, cached per word: news
        vocabulary repeats, and most words start none."""
        out = tuple((n, stem) for n, stem in _variants(word)
                    if stem in self.first and (not n or _clitic_ok(word, n, stem)))
        if len(self._starts) < WORD_CACHE_SIZE:
            self._starts[word] = out
        return out


_WORD = re.compile(r"\w+")
WORD_CACHE_SIZE = 200_000     # words whose readings the scan remembers (a few tens of MB at most)
_TANWEEN = re.compile("[\u064b-\u064d]")


@lru_cache(maxsize=200_000)
def _variants(word: str) -> tuple[tuple[int, str], ...]:
    """clitic_variants, cached: news vocabulary repeats, and this is the scan's inner loop."""
    return tuple(clitic_variants(word))


def _gap_ok(text: str, a: int, b: int) -> bool:
    """Words of one name are separated by spaces (or a hyphen) only, never by punctuation."""
    gap = text[a:b]
    return len(gap) <= 3 and all(c in " -\u200f\u200e" for c in gap)


@lru_cache(maxsize=50_000)
def _strip(word: str) -> str:
    """The place word under proclitics (بريف → ريف), but not under the article: المدينة، المحافظة
    refer back to a place already named (عاصمة المحافظة المكلا), they do not introduce one."""
    for n, stem in _variants(word):
        if stem != word[n:] or word[:n].endswith("ال") or word[:n].endswith("لل"):
            continue
        if stem in ADMIN_WORDS or stem in RIF_WORDS or stem in TOWN_WORDS:
            return stem
    return word


def _clitic_ok(word: str, n: int, stem: str) -> bool:
    """A reading with clitics removed keeps a name's own article: الرقة is not read off الحرقة,
    nor رقة off الرقة; و ب ل ك ف before the name are fine."""
    removed = word[:n]
    if removed.endswith("ال") and not stem.startswith("ال"):
        return False     # the article was stripped: names keep theirs in the index
    return True


@lru_cache(maxsize=1)
def _stopnames() -> frozenset[str]:
    txt = resources.files("marsad").joinpath("data/places/stopnames.txt").read_text(encoding="utf-8")
    return frozenset(normalize(w.strip()) for w in txt.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The shipped gazetteer, parsed once per process."""
    raw = resources.files("marsad").joinpath("data/gazetteer.tsv.gz").read_bytes()
    lines = [ln for ln in gzip.decompress(raw).decode("utf-8").splitlines() if ln and not ln.startswith("#")]
    cols = lines[0].split("\t")
    return Gazetteer([dict(zip(cols, ln.split("\t"))) for ln in lines[1:]])


def candidates(name: str, country: str | None = None) -> list[dict]:
    """Ranked readings of ``name`` (JSON-able), the focus ``country`` (ISO2) first among equals.

    ``ريف X`` and ``محافظة X`` give X's governorate; ``مدينة X`` prefers towns.
    """
    g = load()
    k = " ".join(normalize(name).split())
    first, _, rest = k.partition(" ")
    prefer = None
    ids = g.lookup(k)
    if not ids and rest:
        w = _strip(first)
        if w in RIF_WORDS or w in ADMIN_WORDS:
            prefer = "admin1"
            ids = [_admin1_for(g, i) for i in g.lookup(rest)]
            ids = list(dict.fromkeys(i for i in ids if i is not None))
        elif w in TOWN_WORDS:
            prefer = "town"
            ids = g.lookup(rest)
    ranked = g.rank(ids, country.upper() if country else None, prefer=prefer)
    if prefer is None:
        # a name that is a governorate only after محافظة (بيت لحم) is the town when bare
        ranked = sorted(((s - TRIGGER_ONLY_PENALTY * (g.entries[i].match == "trigger"), i) for s, i in ranked),
                        key=lambda x: (-x[0], x[1]))
    out = []
    for s, i in ranked:
        d = g.entries[i].to_json()
        d["score"] = round(s, 3)
        out.append(d)
    if not out:
        # a phrase rather than a name ("ريف دير الزور الغربي"): read it as text would be read
        out = [_resolved_json(r) for r in resolve_text(name) if r.mention.end - r.mention.start >= len(name.strip()) - 2]
    return out


def _resolved_json(r: "Resolved") -> dict:
    p = r.place
    return {"gazetteer_id": p.gazetteer_id, "name": p.name, "name_en": p.name_en, "lat": p.lat, "lon": p.lon,
            "country": p.country, "admin1": p.admin1, "precision": p.precision, "source": "phrase"}


def _admin1_for(g: Gazetteer, i: int) -> int | None:
    e = g.entries[i]
    if e.kind == "admin1":
        return i
    if e.country and e.admin1:
        return g.admin1.get((e.country, e.admin1))
    return None


# --- article-level resolution ---------------------------------------------

@dataclass
class Resolved:
    """One place mention resolved: the Place it gives and the text that names it."""

    place: Place
    mention: Span
    entry: int | None
    confident: bool
    key: tuple = field(default_factory=tuple)


def _confident(g: Gazetteer, hit: Hit, e: Entry, focus: str | None, named: frozenset[str] = frozenset()) -> bool:
    if hit.key in TOWN_WORDS or hit.key in ADMIN_WORDS or hit.key in RIF_WORDS:
        return False    # مدينة is Medina's name in GeoNames but in text the word "city"
    if hit.stripped and e.kind == "town" and e.country not in LOCAL and not e.capital:
        return False    # فرانس برس is not ف + رانس (Reims): foreign towns are taken without clitics
    in_context = e.country == focus or e.country in named
    if hit.before in NEIGHBOURHOOD_WORDS and e.kind in ("country", "admin1", "region"):
        return False    # حي الأندلس in Fallujah is named after Andalusia, not in it
    if hit.key in g.stopnames:
        # قرية الشجرة is a village; "محافظة دون غيرها" is not Dunn, Texas; "قضاء الأحد" is spending Sunday
        return hit.before in STRONG_TOWN_WORDS and (in_context or e.curated) and hit.key not in _WEEKDAYS
    if hit.before == MANTIQA and e.kind == "admin1" and e.country == "SA":
        return True     # منطقة جازان: a Saudi region
    if hit.before in STRONG_WORDS:
        # قرية البسيط in a Syrian report is a village, not Albacete
        return e.kind != "town" or e.country in LOCAL or in_context
    if hit.stripped and e.kind == "town" and not (in_context or e.population >= WORLD_POP):
        return False    # فاجأ is not ف + اجا (Aga, Egypt)
    if hit.before in RIF_WORDS:
        return True
    if e.match == "trigger":
        return False
    if hit.before and e.kind == "town":
        if in_context:
            return True
        if e.country not in LOCAL:
            return False    # منطقة بوسان in a Yemeni report is a local area, not Busan
    if e.kind != "town" or e.curated or e.capital:
        return True
    if hit.words > 1:
        # two-word names are rarely common phrases, but GeoNames has a few (السلطة الجديدة, a Qatari
        # district): outside the focus country they must be a sizeable place
        return (e.country in LOCAL and (e.country == focus or e.country in named)) or e.population >= LOCAL_POP * 2
    if len(hit.key.removeprefix("ال")) < MIN_NAME_LETTERS:
        return False
    if e.country in LOCAL:
        if e.country == focus or e.country in named:
            return e.population >= (FOCUS_TOWN_POP if e.country == focus else LOCAL_POP)
        # a Gaza camp's name in a Syrian report with no word of Palestine is most likely another place
        return e.population >= WORLD_POP or (focus is None and e.population >= LOCAL_POP)
    return e.population >= WORLD_POP


def _in_context(e: Entry, focus: str | None, named: frozenset[str]) -> bool:
    """A name that is a governorate only after محافظة (الجنوب، الشمالية) is taken in its own country's
    news only: محافظات الجنوب in a Yemeni report is not Lebanon's South Governorate."""
    return e.match == "any" or e.country == focus or e.country in named


def _focus(g: Gazetteer, hits: list[Hit], dateline_cc: str | None) -> tuple[str | None, frozenset[str]]:
    """The article's focus country: the most named one (countries, and places of one country only)."""
    votes: dict[str, float] = {}
    named = set()
    for h in hits:
        ccs = {g.entries[i].country for i in h.entries if g.entries[i].match == "any" or h.before in STRONG_WORDS}
        ccs.discard("")
        countries = {g.entries[i].country for i in h.entries if g.entries[i].kind == "country"}
        if len(countries) == 1:
            ccs = countries     # لبنان is the country, not Lebanon, Ohio
        top = g.rank(h.entries)[0][1] if h.entries else None
        if top is None or not _confident(g, h, g.entries[top], None):
            continue
        if len(ccs) == 1:
            cc = next(iter(ccs))
            votes[cc] = votes.get(cc, 0) + (1.0 if countries else 0.7)
            if countries:
                named.add(cc)
    if dateline_cc:
        votes[dateline_cc] = votes.get(dateline_cc, 0) + 1.5
    focus = max(votes, key=lambda c: (votes[c], c)) if votes else None
    return focus, frozenset(named)


def _overlap_test(spans: Iterable[Span]) -> Callable[[Span], bool]:
    """Whether a span overlaps any of ``spans``, in log time (was a scan of all per hit:
    quadratic on an article that names one place thousands of times)."""
    ordered = sorted(spans, key=lambda s: s.start)
    starts = [s.start for s in ordered]
    reach, far = [], -1      # reach[i]: the furthest end among ordered[:i + 1]
    for s in ordered:
        far = max(far, s.end)
        reach.append(far)

    def test(span: Span) -> bool:
        # some span starts before span.end and ends after span.start: Span.overlaps
        i = bisect_left(starts, span.end)
        return i > 0 and reach[i - 1] > span.start
    return test


def resolve_text(text: str, dateline_place: str | None = None, ner_spans: list[Span] = ()) -> list[Resolved]:
    """Resolve every place the text names. ``ner_spans``: GPE/LOC/FAC mentions a recogniser found
    (a gazetteer name inside one counts without the confidence test)."""
    g = load()
    view = view_of(text)
    hits = g.scan(text, view)
    dl_cc = None
    if dateline_place:
        r = g.rank(g.lookup(dateline_place))
        if r:
            dl_cc = g.entries[r[0][1]].country or None
    focus, named = _focus(g, hits, dl_cc)
    ner_overlaps = _overlap_test(ner_spans)
    out: list[Resolved] = []
    for h in hits:
        if h.key == KINGDOM_KEY:
            # "المملكة" in a Saudi (Jordanian, Moroccan, Bahraini) report is that kingdom
            k = g.country.get(focus) if focus in KINGDOMS else None
            if k is not None:
                out.append(_make(text, g.entries[k], "country", h.span, k, True))
            continue
        if h.key == AMMAN_KEY and "\u0651" in text[h.span.start:h.span.end]:
            # عمّان with shadda is Amman; عمان without it is Oman or Amman by context
            h.entries = [i for i in h.entries if g.entries[i].country == "JO"] or h.entries
        prefer = "admin1" if h.before in ADMIN_WORDS or h.before in RIF_WORDS \
            else "town" if h.before in TOWN_WORDS else None
        saudi_region = h.before == MANTIQA and any(
            g.entries[i].kind == "admin1" and g.entries[i].country == "SA" for i in h.entries)
        if saudi_region:
            # منطقة الرياض is the Riyadh region, منطقة مكيشيفة just an area
            prefer = "admin1"
        ids = [i for i in h.entries if g.entries[i].match == "any"
               or ((h.before in ADMIN_WORDS or h.before in RIF_WORDS) and _in_context(g.entries[i], focus, named))
               or (saudi_region and g.entries[i].country == "SA")
               or (h.before in STRONG_TOWN_WORDS and g.entries[i].kind != "admin1")]
        if not ids:
            continue
        ranked = g.rank(ids, focus, named, dl_cc, prefer)
        i = ranked[0][1]
        e = g.entries[i]
        if _TANWEEN.search(text, h.span.start, h.span.end + 1):
            continue    # دوماً "always", صيداً "prey": names take no tanween
        in_ner = ner_overlaps(h.span)
        # the recogniser's word is taken for any gazetteer reading, except a stop name (ضواحي المدينة
        # is "the city's outskirts" even when tagged LOC)
        conf = (in_ner and (h.key not in g.stopnames or h.before in STRONG_TOWN_WORDS)) \
            or _confident(g, h, e, focus, named)
        if not conf:
            continue
        mention = h.span
        precision = e.kind
        if h.before in RIF_WORDS:
            # ريف حمص: the governorate around the city; ريف دير الزور الغربي: a part of it
            a = _admin1_for(g, i)
            if a is None:
                continue
            i, e = a, g.entries[a]
            precision = "admin1"
            mention = Span(h.before_span.start, h.span.end)
            if h.direction:
                precision = "district"
                mention = Span(mention.start, h.direction_span.end)
        elif h.direction and h.key.split(" ")[0] in RIF_WORDS:
            # ريف دمشق الغربي: a part of a countryside the gazetteer names
            precision = "district"
            mention = Span(h.span.start, h.direction_span.end)
        elif prefer == "admin1" and e.kind == "town":
            a = _admin1_for(g, i)
            if e.country == "SA" and h.before in ADMIN_WORDS:
                # a Saudi محافظة (محافظة الطائف) is a governorate inside a region: the town's district
                precision = "district"
                mention = Span(h.before_span.start, h.span.end)
            elif a is not None and (h.before in ADMIN_WORDS or saudi_region):
                i, e, precision = a, g.entries[a], "admin1"
        out.append(_make(text, e, precision, mention, i, conf, h.key if mention == h.span else ""))
    out.extend(_neighbourhoods(text, view, out))
    return out


def _make(text: str, e: Entry, precision: str, mention: Span, i: int | None, conf: bool,
          key: str = "") -> Resolved:
    name = text[mention.start:mention.end]
    if key and normalize(name) != key and normalize(name).endswith(key[2:]) and key.startswith("ال"):
        name = next((n for n in e.names if normalize(n) == key), "ال" + name[1:])
    # a proclitic glued to a place word (بريف) stays outside the name
    for n, stem in _variants(normalize(name.split(" ")[0])):
        if n and (stem in RIF_WORDS or stem in ADMIN_WORDS or stem in NEIGHBOURHOOD_WORDS):
            mention = Span(mention.start + n, mention.end)
            name = text[mention.start:mention.end]
            break
    p = Place(name=name, lat=e.lat, lon=e.lon, precision=precision, name_en=e.name_en or None,
              country=e.country or None, admin1=e.admin1 or None, gazetteer_id=e.gid, evidence=mention)
    return Resolved(p, mention, i, conf, (e.gid, precision))


def _neighbourhoods(text: str, view: NormText, found: list[Resolved]) -> list[Resolved]:
    """حي X that the gazetteer lacks lies in the city named around it: the city's point, town precision."""
    out = []
    towns = [r for r in found if r.place.precision == "town"]
    for m in _HAYY.finditer(view.text):
        if m.group(1) != "حي":
            continue    # أحياء X و Y names a list, often not by name (أحياء متفرقة)
        span = view.span(m.start(1), m.end(1))
        if any(r.mention.overlaps(span) for r in found):
            continue
        words = _neighbourhood_words(view.text, m.end(1))
        if not words:
            continue
        name_span = view.span(m.start(1), words[-1].end())
        if any(r.mention.overlaps(name_span) for r in found):
            continue    # حي التواهي: the gazetteer knows the neighbourhood itself
        near = [r for r in towns if 0 <= name_span.start - r.mention.end <= NEIGHBOURHOOD_WINDOW
                or 0 <= r.mention.start - name_span.end <= 60]
        if not near:
            continue
        city = min(near, key=lambda r: abs(r.mention.start - name_span.start))
        p = Place(name=text[name_span.start:name_span.end], lat=city.place.lat, lon=city.place.lon,
                  precision="town", name_en=None, country=city.place.country, admin1=city.place.admin1,
                  gazetteer_id=city.place.gazetteer_id, evidence=name_span)
        out.append(Resolved(p, name_span, city.entry, True, (city.place.gazetteer_id, "town", p.name)))
    return out


def _neighbourhood_words(text: str, pos: int) -> list[re.Match]:
    """The words of a neighbourhood's name after حي: a noun and its adjectives (الشهباء الجديدة) or a
    construct (بابا عمرو، كرم الطراب); a conjunction, a preposition or a verb ends it."""
    words: list[re.Match] = []
    for w in _WORD.finditer(text, pos):
        gap = text[(words[-1].end() if words else pos):w.start()]
        t = w.group()
        if not gap or not all(c == " " for c in gap) or t in _NAME_STOP or len(words) >= 3 or t.isdigit():
            break
        if words:
            prev = words[-1].group()
            if t[0] in "وب" and not t.startswith("ال"):
                break
            if prev.startswith("ال") and not t.startswith("ال"):
                break      # after النشوة only an adjective (الغربية) continues the name
            if len(words) == 2 and t not in DIRECTIONS and t not in _NAME_TAIL:
                break      # حي الشهباء الجديدة الخاضع …: a third word only as a qualifier
        words.append(w)
    return words


_NAME_TAIL = _words("name_tail")
# up to two proclitics before حي (وبحي، فلحي)
_HAYY = re.compile(r"(?<!\w)(?:" + clitic_prefix("وفبل") * 2 + ")(" + "|".join(_PLACE_LISTS["hayy"]) + r")(?=\s)")


def resolve_article(article: Article) -> list[Resolved]:
    spans = [m.span for e in article.entities if e.type in ("GPE", "LOC", "FAC") for m in e.mentions]
    return resolve_text(article.text, article.dateline_place, spans)


def scan(text: str) -> list[Hit]:
    return load().scan(text)
