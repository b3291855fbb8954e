"""Places: every place an article names, resolved to coordinates with honest precision.

Resolves the recogniser's GPE/LOC/FAC mentions and also scans the text with the
gazetteer, so that places never depend on the recogniser alone; a confident
scan hit the recogniser missed becomes a GPE/LOC entity. One Place per entity
(its first resolved mention is the evidence; two recogniser entities for one place each get one); see ``marsad.gazetteer`` for the rules.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..core import Article, Entity, Mention
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
    placed: set[str] = set()
    touched: dict[int, Entity] = {}
    by_key: dict[tuple, Entity] = {}
    index = _PlaceMentions(article.entities)
    next_id = 1 + max((int(e.id[1:]) for e in article.entities if e.id[1:].isdigit()), default=0)
    for r in resolved:
        ent = index.entity_at(r.mention) or by_key.get(r.key)
        if ent is None:
            ent = Entity(f"e{next_id}", _ENTITY_TYPE.get(r.place.precision, "GPE"), r.place.name,
                         name_en=r.place.name_en)
            next_id += 1
            article.entities.append(ent)
            index.add_entity(ent)
        if not index.touches(ent, r.mention):
            m = Mention(article.text[r.mention.start:r.mention.end], r.mention.start, r.mention.end)
            ent.mentions.append(m)
            index.add(ent, m)
            touched[id(ent)] = ent
        by_key.setdefault(r.key, ent)
        if ent.id in placed:
            continue     # one place per entity: its first resolved mention
        r.place.entity = ent.id
        placed.add(ent.id)
        places.append(r.place)
    for ent in touched.values():
        # once, not after every new mention: an entity named a thousand times in a long
        # article would be sorted a thousand times
        ent.mentions.sort(key=lambda m: m.start)
    article.places = places
    return article


class _PlaceMentions:
    """The mentions of the article's place entities, sorted by start, so that the mentions
    overlapping a span are found by bisection instead of reading every mention of every
    entity for each resolved place (quadratic in a long article)."""

    def __init__(self, entities: list[Entity]):
        self.starts: list[int] = []
        self.items: list[tuple[int, int, int, Entity]] = []   # start, end, entity's order, entity
        self.order: dict[int, int] = {}
        self.longest = 0
        for e in entities:
            self.add_entity(e)

    def add_entity(self, e: Entity) -> None:
        self.order[id(e)] = len(self.order)
        if e.type in _PLACE_TYPES:
            for m in e.mentions:
                self.add(e, m)

    def add(self, e: Entity, m: Mention) -> None:
        i = bisect_right(self.starts, m.start)
        self.starts.insert(i, m.start)
        self.items.insert(i, (m.start, m.end, self.order[id(e)], e))
        self.longest = max(self.longest, m.end - m.start)

    def _near(self, span) -> list[tuple[int, int, int, Entity]]:
        """Mentions that may overlap ``span`` or start where it starts."""
        lo = bisect_left(self.starts, span.start - self.longest)
        hi = bisect_right(self.starts, max(span.end, span.start))
        return self.items[lo:hi]

    def entity_at(self, span) -> Entity | None:
        """The recogniser's place entity whose mention overlaps ``span`` most (إقليم كردستان العراق
        overlaps both كردستان and العراق: the name's head, the first, wins a tie; of two entities
        with the same mention, the earlier)."""
        best, best_key = None, None
        for start, end, order, e in self._near(span):
            if start < span.end and span.start < end:
                key = (min(end, span.end) - max(start, span.start), -start, -order)
                if best_key is None or key > best_key:
                    best, best_key = e, key
        return best

    def touches(self, ent: Entity, span) -> bool:
        """Whether ``ent`` already has a mention at ``span`` or overlapping it."""
        return any(e is ent and ((start == span.start and end == span.end) or (start < span.end and span.start < end))
                   for start, end, _, e in self._near(span))
