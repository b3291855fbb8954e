"""Split a sentence that tells several incidents, each at its own place, into clauses.

Wire copy often packs a breakdown by place into one sentence: "وقتل طفلان في غارة على
مدينة أ، وامرأة وطفلها في قصف جوي على قرية ب" or "مقتل 11 ... في مدينة أ، بينما قتل 29
منهم في استهداف ... قرب مدينة ب". An ACLED coder records one event per place, and
the toll of each clause belongs to its own place; read as one sentence, the places and
tolls were merged into one event. The split is made only where every resulting clause
carries both a violence or death word and a place of its own, so that a clause that
only comments ("والذي يتخذه التنظيم مقرا") or only adds a place stays with its
neighbour, and a sentence with one incident is never cut.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from .lexicon import alternation

# Where a new clause may begin: after a comma, or at a contrastive or additive
# conjunction (بينما، فيما، في حين، كما).
BOUNDARY = re.compile(r"،\s*|\s(?=" + alternation("clause_openers") + r"\s)")


def split(text: str, bounds: list[tuple[int, int]], cue_starts: list[int],
          place_starts: list[int]) -> list[tuple[int, int]]:
    """New bounds: each sentence cut where two or more clauses each have a cue and a place.

    ``cue_starts``: sorted view offsets of trigger and death words; ``place_starts``:
    sorted view offsets of place mentions.
    """
    out: list[tuple[int, int]] = []
    for a, b in bounds:
        pieces = _pieces(text, a, b, cue_starts, place_starts)
        out.extend(pieces)
    return out


def _has(starts: list[int], a: int, b: int) -> bool:
    i = bisect_left(starts, a)
    return i < len(starts) and starts[i] < b


def _pieces(text: str, a: int, b: int, cues: list[int], places: list[int]) -> list[tuple[int, int]]:
    if not (_has(cues, a, b) and _has(places, a, b)):
        return [(a, b)]
    cuts = [m.end() for m in BOUNDARY.finditer(text, a, b) if a < m.end() < b]
    if not cuts:
        return [(a, b)]
    segs = list(zip([a] + cuts, cuts + [b]))
    # a segment joins the one before it until it has a cue and a place of its own
    merged: list[list[int]] = []
    for s, e in segs:
        if merged and not (_has(cues, s, e) and _has(places, s, e)):
            merged[-1][1] = e
        else:
            merged.append([s, e])
    # a first segment without both (a lead-in) joins the next one
    if len(merged) > 1 and not (_has(cues, *merged[0]) and _has(places, *merged[0])):
        merged[1][0] = merged[0][0]
        merged.pop(0)
    return [(s, e) for s, e in merged]
