"""Place phrases the gazetteer cannot resolve ("حي الراشدين", "سد كوكب").

The events stage takes places from ``article.places`` first; a place phrase
that the gazetteer does not know still names where an event happened, and is
kept with its name and null coordinates (unknown values are null, never
invented). Numbers and dates come only from their own stages.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..arabic import NormText, normalize
from ..core import Place
from ..resources import data_rows

# --- places -----------------------------------------------------------------

_PLACE = re.compile(
    r"(?<![\w])[وفبل]?(?P<type>مدينه|بلده|بلدتي|قريه|حي|احياء|منطقه|منطقتي|مناطق|محافظه|ريف|ضاحيه|مخيم|سد|مطار|مسجد|جامع|سجن|ولايه|قضاء|ناحيه)"
    r"\s+(?P<name>(?!(?:في|علي|علي|من|الي|الي|عن|مع|التي|الذي|قرب|بين)\b)[\u0621-\u064a]{3,}"
    r"(?:\s+(?!(?:في|علي|علي|من|الي|الي|عن|مع|التي|الذي|قرب|بين|شمال|جنوب|شرق|غرب|شرقي|غربي|شمالي|جنوبي|وسط|امس|اليوم)\b)"
    r"(?:ال[\u0621-\u064a]{2,}))?)")
PRECISION = {"مدينه": "town", "بلده": "town", "بلدتي": "town", "قريه": "town", "حي": "point", "احياء": "point",
             "مخيم": "point", "سد": "point", "مطار": "point", "مسجد": "point", "جامع": "point", "سجن": "point",
             "محافظه": "admin1", "ولايه": "admin1", "قضاء": "district", "ناحيه": "district", "ضاحيه": "point"}
POINT_TYPES = frozenset({"مسجد", "جامع", "سجن", "مطار", "سد", "مخيم"})
_REGION = re.compile(r"(?<![\w])(?P<name>(?:شرق|غرب|شمال|جنوب)\s+(?:سوريا|سوريه|العراق|اليمن|ليبيا|لبنان|البلاد))(?![\w])")
_GENERIC = frozenset({"مدينه", "بلده", "قريه", "حي", "احياء", "منطقه", "مناطق", "خاضعه", "واقعه", "محيط", "مقر", "موقع", "مركز", "القوات", "المعسكر", "المسجد", "المدينه", "الشرقي", "الغربي", "الشمالي", "الجنوبي", "الاشتباكات", "المعارك", "المذكوره", "المجاوره", "الخاضعه", "الواقعه", "الجنوبيه", "الشماليه",
                      "الشرقيه", "الغربيه", "العسكريه", "الثالثه", "الحدوديه", "المحيطه", "نفسها"})


# A present-tense verb with an object pronoun opens a relative clause, not a name: "في منطقة
# يؤمها السياح"، "منطقة تسكنها عشائر" (ي/ت + stem + ها/هم/هما).
_VERB_WITH_OBJECT = re.compile(r"[يت][\u0621-\u064a]{2,}(?:ها|هما|هم)")


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Words after a place noun that are not a name (verbs, directions, adjectives)."""
    return frozenset(normalize(r[0]) for r in data_rows("events/not_place_names.tsv"))


@lru_cache(maxsize=1)
def _heads() -> frozenset[str]:
    """First words of compound place names (راس، عين، تل …)."""
    return frozenset(normalize(r[0]) for r in data_rows("events/place_name_heads.tsv"))


def places(view: NormText, a: int, b: int) -> list[Place]:
    """Place phrases (مدينة X، قرية X، ريف X، شرق سوريا) in view[a:b], unresolved (no coordinates)."""
    out = []
    for rx in (_PLACE, _REGION):
        for m in rx.finditer(view.text, a, b):
            name = m.group("name")
            first = name.split()[0]
            if first in _GENERIC or first in _not_names() or _VERB_WITH_OBJECT.fullmatch(first):
                continue
            start = m.start("name")
            kind = m.groupdict().get("type") or ""
            if len(name.split()) == 1 and name in _heads():
                # "منطقة رأس عيسى": a construct-state head takes the next word as part of the name
                nxt = re.match(r"\s+(?!(?:في|علي|من|الي|عن|مع|التي|الذي|قرب|بين|شمال|جنوب|شرق|غرب|امس|اليوم)(?![\w]))[\u0621-\u064a]{3,}",
                               view.text[m.end("name"):b])
                if nxt:
                    name = name + nxt.group(0)
            name_end = m.start("name") + len(name)
            if kind in POINT_TYPES:
                # "مسجد قوة طوارئ عسير": a building is named by its type and up to three words
                start = m.start("type")
                more = re.match(r"(?:\s+(?!(?:في|علي|علي|من|الي|عن|مع|التي|الذي|قرب|بين|امس|اليوم)(?![\w]))[\u0621-\u064a]{3,}){0,2}",
                                view.text[name_end:b])
                end = name_end + (more.end() if more else 0)
            else:
                end = name_end
            sp = view.span(start, end)
            out.append(Place(name=view.original[sp.start:sp.end], lat=None, lon=None,
                             precision=PRECISION.get(kind, "region"), evidence=sp))
    out.sort(key=lambda p: p.evidence.start)
    return out
