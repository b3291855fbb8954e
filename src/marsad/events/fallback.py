"""Place phrases the gazetteer cannot resolve ("حي الراشدين", "سد كوكب").

The events stage takes places from ``article.places`` first; a place phrase
that the gazetteer does not know still names where an event happened, and is
kept with its name and null coordinates (unknown values are null, never
invented). Numbers and dates come only from their own stages.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..arabic import NormText, alternation, clitic_prefix, normalize
from ..core import Place
from ..resources import data_lists, data_rows

# --- places -----------------------------------------------------------------

_TYPES = data_rows("events/place_types.tsv")
_W = data_lists("events/place_phrases.tsv")
_FUNCTION = alternation(_W["function"])
_PLACE = re.compile(
    r"(?<!\w)" + clitic_prefix("وفبل") + r"(?P<type>" + "|".join(t for t, _, _ in _TYPES) + ")"
    # "في مديرية «لودر»": a name in guillemets (issue 14; see QUOTED_PRECISIONS)
    r"\s+«?(?P<name>(?!" + _FUNCTION + r"\b)[\u0621-\u064a]{3,}"
    r"(?:\s+(?!" + alternation(_W["function"] + _W["direction"] + _W["direction_adjective"] + _W["time"]) + r"\b)"
    r"(?:ال[\u0621-\u064a]{2,}))?)")
PRECISION = {t: p for t, p, _ in _TYPES if p != "region"}
# A name in guillemets opens a place phrase only after a town or district noun ("مديرية «لودر»"،
# "مدينة «المخا»"): after منطقة or حي it split one battle into two on held-out h2-03 (docs/dating.md).
QUOTED_PRECISIONS = ("town", "district", "admin1")
POINT_TYPES = frozenset(t for t, _, building in _TYPES if building == "yes")
_REGION = re.compile(r"(?<!\w)(?P<name>" + alternation(_W["direction"]) + r"\s+" + alternation(_W["region_country"])
                     + r")(?!\w)")
_GENERIC = frozenset(_W["generic"])
# What ends a compound name after its head (رأس عيسى) and a building's name.
_HEAD_NEXT = re.compile(r"\s+(?!" + alternation(_W["function"] + _W["direction"] + _W["time"]) + r"(?!\w))[\u0621-\u064a]{3,}")
_BUILDING_MORE = re.compile(r"(?:\s+(?!" + alternation(_W["function"] + _W["time"]) + r"(?!\w))[\u0621-\u064a]{3,}){0,2}")


# A present-tense verb with an object pronoun opens a relative clause, not a name: "في منطقة
# يؤمها السياح"، "منطقة تسكنها عشائر" (ي/ت + stem + ها/هم/هما).
_VERB_WITH_OBJECT = re.compile(r"[يت][\u0621-\u064a]{2,}" + alternation(_W["object_suffix"]))


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Words after a place noun that are not a name (verbs, directions, adjectives)."""
    return frozenset(normalize(r[0]) for r in data_rows("events/not_place_names.tsv"))


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """First words of compound place names (راس، عين، تل …)."""
    return frozenset(normalize(r[0]) for r in data_rows("events/place_name_heads.tsv"))


def not_name(word: str) -> bool:
    """A word after a place noun that cannot begin its name: generic, a verb, a direction,
    an adjective ("منطقة كان"، "منطقة يؤمها السياح")."""
    return word in _GENERIC or word in _not_names() or bool(_VERB_WITH_OBJECT.fullmatch(word))


def places(view: NormText, a: int, b: int) -> list[Place]:
    """Place phrases (مدينة X، قرية X، ريف X، شرق سوريا) in view[a:b], unresolved (no coordinates)."""
    out = []
    for rx in (_PLACE, _REGION):
        for m in rx.finditer(view.text, a, b):
            name = m.group("name")
            if not_name(name.split()[0]):
                continue
            start = m.start("name")
            kind = m.groupdict().get("type") or ""
            if "«" in view.text[m.start():start] and PRECISION.get(kind) not in QUOTED_PRECISIONS:
                continue
            if len(name.split()) == 1 and name in _heads():
                # "منطقة رأس عيسى": a construct-state head takes the next word as part of the name
                nxt = _HEAD_NEXT.match(view.text[m.end("name"):b])
                if nxt:
                    name = name + nxt.group(0)
            name_end = m.start("name") + len(name)
            if kind in POINT_TYPES:
                # "مسجد قوة طوارئ عسير": a building is named by its type and up to three words
                start = m.start("type")
                more = _BUILDING_MORE.match(view.text[name_end:b])
                end = name_end + (more.end() if more else 0)
            else:
                end = name_end
            sp = view.span(start, end)
            out.append(Place(name=view.original[sp.start:sp.end], lat=None, lon=None,
                             precision=PRECISION.get(kind, "region"), evidence=sp))
    out.sort(key=lambda p: p.evidence.start)
    return out
