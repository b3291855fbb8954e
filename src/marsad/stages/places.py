"""Places: every place an article names, resolved to coordinates with honest precision.

Resolves the recogniser's GPE/LOC/FAC mentions and also scans the text with the
gazetteer, so that places never depend on the recogniser alone; a confident
scan hit the recogniser missed becomes a GPE/LOC entity. One Place per entity
(its first resolved mention is the evidence; two recogniser entities for one place each get one); see ``marsad.gazetteer`` for the rules.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..core import Article, Entity, Mention, Span
from ..gazetteer import resolve_article

NAME = "places"
REQUIRES = ("text", "sentences", "entities")
ASSIGNS = ("places",)
# a confident gazetteer hit the recogniser missed becomes a place entity
REFINES = ("entities",)

_ENTITY_TYPE = {"country": "GPE", "admin1": "GPE", "town": "GPE", "district": "GPE", "region": "LOC", "point": "FAC"}
_PLACE_TYPES = ("GPE", "LOC", "FAC")


def run(article: Article) -> Article:
    resolved = resolve_article(article)
    places = []
    by_key: dict[tuple, Entity] = {}
    next_id = 1 + max((int(e.id[1:]) for e in article.entities if e.id[1:].isdigit()), default=0)
    index = _PlaceMentions(article.entities)
    grown: dict[int, Entity] = {}
    for r in resolved:
        ent = _entity_at(index, r.mention) or by_key.get(r.key)
        if ent is None:
            ent = Entity(f"e{next_id}", _ENTITY_TYPE.get(r.place.precision, "GPE"), r.place.name,
                         name_en=r.place.name_en)
            next_id += 1
            article.entities.append(ent)
            index.order[id(ent)] = len(article.entities) - 1
        if not any(e is ent and (m.span == r.mention or m.span.overlaps(r.mention)) for m, _, e in index.near(r.mention)):
            m = Mention(article.text[r.mention.start:r.mention.end], r.mention.start, r.mention.end)
            ent.mentions.append(m)
            index.add(m, ent)
            grown[id(ent)] = ent
        by_key.setdefault(r.key, ent)
        if any(p.entity == ent.id for p in places):
            continue     # one place per entity: its first resolved mention
        r.place.entity = ent.id
        places.append(r.place)
    # sorted once here, not after every added mention (a stable sort either way, so the same order)
    for ent in grown.values():
        ent.mentions.sort(key=lambda m: m.start)
    article.places = places
    return article


class _PlaceMentions:
    """The mentions of place entities by start offset, so that finding those that overlap a
    span takes log time: an article naming one town thousands of times made a scan of
    every mention per resolved name quadratic (issue 19)."""

    def __init__(self, entities: list[Entity]):
        self.starts: list[int] = []
        self.rows: list[tuple[Mention, int, Entity]] = []     # (mention, entity order, entity)
        self.order: dict[int, int] = {}
        self.longest = 0
        for i, e in enumerate(entities):
            if e.type in _PLACE_TYPES:
                self.order[id(e)] = i
                for m in e.mentions:
                    self.add(m, e)

    def add(self, m: Mention, e: Entity) -> None:
        i = bisect_right(self.starts, m.start)
        self.starts.insert(i, m.start)
        self.rows.insert(i, (m, self.order[id(e)], e))
        self.longest = max(self.longest, m.end - m.start)

    def near(self, span: Span) -> list[tuple[Mention, int, Entity]]:
        """Every mention that may overlap ``span`` (and a few that do not)."""
        return self.rows[bisect_left(self.starts, span.start - self.longest):bisect_right(self.starts, span.end)]


def _entity_at(index: _PlaceMentions, span: Span) -> Entity | None:
    """The recogniser's place entity whose mention overlaps ``span`` most (إقليم كردستان العراق
    overlaps both كردستان and العراق: the name's head, the first, wins a tie; between
    entities, the first in the article's list)."""
    best, best_key = None, None
    for m, order, e in index.near(span):
        if m.span.overlaps(span):
            ov = min(m.end, span.end) - max(m.start, span.start)
            key = (ov, -m.start, -order)
            if best_key is None or key > best_key:
                best, best_key = e, key
    return best
