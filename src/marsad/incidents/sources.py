"""What the sources of one incident say: tolls as low / best / high, updates against
contradictions, and a ``contested`` flag with its reasons.

Tolls of a developing incident rise as the dead are counted: an early 8 and a later 14 are
an update, not a contradiction. Reports are therefore read in publication order:

- ``low`` and ``high`` are the smallest and largest figure any report gives;
- ``best`` follows one documented rule: the figure of the latest publication day, and
  when the reports of that day differ, the lower median of them, outliers
  (``OUTLIER_RATIO``) set aside (conservative, as ACLED's
  practice is to take the lowest credible figure when sources disagree);
- a *contradiction* is two figures of one publication day further apart than
  ``TOLL_TOLERANCE`` allows, or a later figure lower than an earlier one by more than it
  (counts rarely fall);
- a *denial* is a report whose status is ``denied`` beside one that reports or claims it;
- *actors disputed*: two reports that name actors with no side in common.

Wire copies (the same agency text republished) are counted once: a copy's report is listed
with its original and adds no source of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import kinds
from ..gazetteer import PRECISION_RANK
from .build import Report, tolls_far as _far

# A figure more than this many times above or below the median of the incident's figures,
# given by one source or by less than OUTLIER_SHARE of the sources that give one, is an *outlier*: set aside
# for the best estimate, updates and contradictions (it stays in low-high). On the dev half
# of the incident gold such figures were misread numbers (909000 injured), another
# incident's toll told in the same article (145 of the week's bombings), or a partial count
# (1 soldier of 3 killed), not sources disagreeing; a figure a quarter of the sources give
# (24 injured against 4 and 7) is a reading of its own. Two outlets giving 5 and 20 dead
# disagree (4 times): dev half, ratio 3: 6 of 8 gold contradictions flagged, 6 of 24 flags
# real; ratio 5: 7 of 8, 7 of 26. With two figures there is no telling which is the outlier.
OUTLIER_RATIO = 5
OUTLIER_SHARE = 0.25
# Reports naming actors with no side in common dispute the actor only when each reading
# has this many independent sources (one report's sides are often misread).
ACTOR_SOURCES = 2
# ... and only when each reading is given by this share of the sources that name sides at
# all: in an incident of 80 reports, two misread sides are noise, not a dispute (session 6,
# dev half: flags real 7 of 30 -> 7 of 26, gold contradictions flagged 7 of 8 both). A
# toll read only where a second source corroborates it was measured too (6 of 24, one
# gold contradiction lost: a lone 40 against 24 dead of a Diyala bombing is a real dispute):
# not kept.
ACTOR_SHARE = 0.25


@dataclass
class Figure:
    low: int | None = None
    best: int | None = None
    high: int | None = None
    by_source: list[dict] = field(default_factory=list)   # {"value", "published", "article", "outlet", "sources"}
    updates: list[dict] = field(default_factory=list)     # rises over time, in publication order

    def to_json(self) -> dict:
        return {"low": self.low, "best": self.best, "high": self.high,
                "by_source": self.by_source, "updates": self.updates}


@dataclass
class Incident:
    id: str
    kind: str
    date: str | None
    date_precision: str | None
    place: str | None
    lat: float | None
    lon: float | None
    country: str | None
    killed: Figure
    injured: Figure
    reports: list[dict]
    n_articles: int
    n_sources: int
    contested: bool
    reasons: list[str]

    def to_json(self) -> dict:
        out = dict(self.__dict__)
        out["killed"], out["injured"] = self.killed.to_json(), self.injured.to_json()
        return out


def _without_outliers(given: list[tuple[Report, int]]) -> list[tuple[Report, int]]:
    """The figures less outliers (``OUTLIER_RATIO``, ``OUTLIER_SHARE``)."""
    values = sorted(v for _, v in given)
    if len(values) < 3:
        return given   # two figures: no telling which one is the outlier
    median = values[(len(values) - 1) // 2]
    count: dict[int, int] = {}
    for v in values:
        count[v] = count.get(v, 0) + 1
    return [(r, v) for r, v in given if count[v] > 1 and count[v] >= OUTLIER_SHARE * len(values)
            or median <= OUTLIER_RATIO * max(v, 1) and v <= OUTLIER_RATIO * max(median, 1)]


def _figure(reports: list[Report], attr: str, reasons: list[str]) -> Figure:
    given = [(r, getattr(r, attr)) for r in reports if getattr(r, attr) is not None]
    fig = Figure()
    if not given:
        return fig
    values = [v for _, v in given]
    fig.low, fig.high = min(values), max(values)
    for r, v in given:
        fig.by_source.append({"value": v, "published": r.published, "article": r.article_id,
                              "outlet": r.outlet, "sources": list(r.sources)})
    # Best, updates and contradictions are read from the figures less outliers
    # (a late retelling's misread "1 injured" is not the latest word on the toll).
    days: dict[str, list[int]] = {}
    for r, v in _without_outliers(given):
        days.setdefault((r.published or "")[:10], []).append(v)
    last = sorted(days[max(days)])
    fig.best = last[(len(last) - 1) // 2]
    contradiction = any(_far(min(vs), max(vs)) for vs in days.values())
    running = None
    for day in sorted(days):
        top = max(days[day])
        if running is not None and _far(top, running) and top < running:
            contradiction = True
        if running is None or top > running:
            fig.updates.append({"published": day, "value": top})
            running = top
    if contradiction:
        reasons.append(f"{attr}_spread")
    return fig


def summarise(incident_id: str, reports: list[Report], original_of=lambda aid: None) -> Incident:
    """The incident's figures from its reports (earliest published first); ``original_of``
    maps an article to the original it copies (``WireIndex.original``)."""
    # A wire copy speaks with its original's voice: keep one report per original article.
    counted, seen = [], set()
    for r in reports:
        origin = original_of(r.article_id) or r.article_id
        if origin not in seen:
            seen.add(origin)
            counted.append(r)
    reasons: list[str] = []
    killed = _figure(counted, "killed", reasons)
    injured = _figure(counted, "injured", reasons)
    statuses = {r.status for r in counted}
    if "denied" in statuses and statuses & {"reported", "claimed"}:
        reasons.append("denial")
    readings: dict[frozenset, int] = {}
    for r in counted:
        if r.actor_sides:
            readings[frozenset(r.actor_sides)] = readings.get(frozenset(r.actor_sides), 0) + 1
    named = sum(readings.values())
    held = [a for a, n in readings.items() if n >= ACTOR_SOURCES and n >= ACTOR_SHARE * named]
    if any(not (a & b) for i, a in enumerate(held) for b in held[i + 1:]):
        reasons.append("actors_disputed")
    # The incident's description comes from its most specific report (a named site over a
    # town over a governorate), earliest first among equals.
    head = min(reports, key=lambda r: (PRECISION_RANK.get(r.place_precision, len(PRECISION_RANK)),
                                       r.published or "9999", r.key))
    dated = [r for r in reports if r.date and r.date_precision == "day"]
    when = min(dated, key=lambda r: r.date) if dated else head
    # ties of specificity broken by name: a set's order changes with the process's hash seed,
    # and the same reports must give the same incident in every process
    kinds_seen = sorted(sorted({r.kind for r in reports}), key=lambda k: -kinds.specificity(k))
    return Incident(
        id=incident_id, kind=kinds_seen[0], date=when.date, date_precision=when.date_precision,
        place=head.place, lat=head.lat, lon=head.lon, country=head.country, killed=killed, injured=injured,
        reports=[{"key": r.key, "article": r.article_id, "outlet": r.outlet, "published": r.published,
                  "kind": r.kind, "killed": r.killed, "injured": r.injured, "status": r.status,
                  "sources": list(r.sources), "evidence": [list(e) for e in r.evidence],
                  "copy_of": original_of(r.article_id)} for r in reports],
        n_articles=len({r.article_id for r in reports}), n_sources=len(counted),
        contested=bool(reasons), reasons=reasons)
