"""Places: every place an article names, resolved to coordinates with honest precision.

Resolves the recogniser's GPE/LOC/FAC mentions and also scans the text with the
gazetteer, so that places never depend on the recogniser alone; a confident
scan hit the recogniser missed becomes a GPE/LOC entity. One Place per entity
(the first mention is its evidence); see ``marsad.gazetteer`` for the rules.
"""
from __future__ import annotations

from ..core import Article, Entity, Mention
from ..gazetteer import resolve_article

NAME = "places"
NEEDS = ("text", "sentences", "entities")
ADDS = ("places", "entities")

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
        if r.key in by_key or any(p.entity == ent.id for p in places):
            by_key.setdefault(r.key, ent)
            continue
        by_key[r.key] = ent
        r.place.entity = ent.id
        places.append(r.place)
    article.places = places
    return article


def _entity_at(article: Article, span) -> Entity | None:
    """The recogniser's place entity with a mention overlapping ``span`` (its own mentions stay)."""
    for e in article.entities:
        if e.type in _PLACE_TYPES and any(m.span.overlaps(span) for m in e.mentions):
            return e
    return None
