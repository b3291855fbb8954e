"""Places: every place an article names, resolved to coordinates with honest precision.

Resolves the recogniser's GPE/LOC/FAC mentions and also scans the text with the
gazetteer, so that places never depend on the recogniser alone; a confident
scan hit the recogniser missed becomes a GPE/LOC entity. One Place per entity
(its first resolved mention is the evidence; two recogniser entities for one place each get one); see ``marsad.gazetteer`` for the rules.
"""
from __future__ import annotations

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
    by_key: dict[tuple, Entity] = {}
    next_id = 1 + max((int(e.id[1:]) for e in article.entities if e.id[1:].isdigit()), default=0)
    for r in resolved:
        ent = _entity_at(article, r.mention) or by_key.get(r.key)
        if ent is None:
            ent = Entity(f"e{next_id}", _ENTITY_TYPE.get(r.place.precision, "GPE"), r.place.name,
                         name_en=r.place.name_en)
            next_id += 1
            article.entities.append(ent)
        if not any(m.start == r.mention.start and m.end == r.mention.end for m in ent.mentions) \
                and not any(m.span.overlaps(r.mention) for m in ent.mentions):
            ent.mentions.append(Mention(article.text[r.mention.start:r.mention.end], r.mention.start, r.mention.end))
            ent.mentions.sort(key=lambda m: m.start)
        by_key.setdefault(r.key, ent)
        if any(p.entity == ent.id for p in places):
            continue     # one place per entity: its first resolved mention
        r.place.entity = ent.id
        places.append(r.place)
    article.places = places
    return article


def _entity_at(article: Article, span) -> Entity | None:
    """The recogniser's place entity whose mention overlaps ``span`` most (إقليم كردستان العراق
    overlaps both كردستان and العراق: the name's head, the first, wins a tie)."""
    best, best_key = None, None
    for e in article.entities:
        if e.type not in _PLACE_TYPES:
            continue
        for m in e.mentions:
            if m.span.overlaps(span):
                ov = min(m.end, span.end) - max(m.start, span.start)
                key = (ov, -m.start)
                if best_key is None or key > best_key:
                    best, best_key = e, key
    return best
