"""Placing events: of the places a trigger's clause names, the incident's own and the finest.

The events stage proposes the candidate (``stages/events.py`` ``place_of``: the first place
after the trigger, or the last one just before it); this module refines it where the text
names the incident's place and then the place that holds it: "وفي مدينة المخا التابعة
لمحافظة تعز، شن طيران التحالف غارات" is at al-Mokha, not in Taizz province
(docs/annotation.md: "a village over its district, a district over its governorate").
"""
from __future__ import annotations

import re

from ..arabic import alternation, clitic_prefix
from ..gazetteer import PRECISION_RANK
from ..resources import data_lists

__all__ = ["front", "held_place"]

_W = data_lists("events/place_links.tsv")
# "X التابعة لمحافظة Y"، "X بمحافظة Y"، "X في Y"، "X، Y": nothing but a link between the two.
HOLDER_GAP = re.compile(r"^[\s،,]*(?:(?:" + alternation(_W["link"]) + r")\s*)?(?:(?:" + alternation(_W["noun"])
                        + r")\s*)?[\s،,]*$")
# "جبهة الجفينة": a front at a town or district.
FRONT = re.compile(r"(?<![\w])" + clitic_prefix("وفب") + r"(?:" + alternation(_W["front"]) + r")[\s\"«]*$")
FRONT_PRECISIONS = ("point", "town", "district")
# Coarse places that hold a finer one: a province, a region, a country.
COARSE = ("admin1", "region", "country")


def _rank(p) -> int:
    return PRECISION_RANK.get(p.precision, 3)


def held_place(text: str, places, i: int) -> int:
    """Index into ``places`` [(start, end, Place)] of the incident's place when the text names
    ``places[i]`` as the holder of the place just before it; else ``i``."""
    while i > 0:
        s, _, p = places[i]
        ps, pe, prev = places[i - 1]
        if p.precision not in COARSE or prev.lat is None or _rank(prev) >= _rank(p):
            break
        if prev.country and p.country and prev.country != p.country:
            break
        if not HOLDER_GAP.match(text[pe:s]):
            break
        i -= 1
    return i


def front(text_before: str, place) -> bool:
    """The place is named as a battle front ("في جبهة الجفينة"), not as an armed group's name."""
    return place.precision in FRONT_PRECISIONS and bool(FRONT.search(text_before))
