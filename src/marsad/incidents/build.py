"""Incidents: events of different articles that report one happening.

Two reports (events of two articles) can be one incident when their kinds are compatible
(one family, or a death of no named form with a lethal kind), their date windows overlap
given each date's precision, and their places are the same or one lies inside the other.
The reports that are *specific* (a town, district or named site, and a date within a
week) are joined by single link over that relation: connected components do not depend on
the order in which articles arrive, and adding an article touches only the reports of its
country and weeks. Coarse reports (a country or governorate only, or a month) would chain
unrelated incidents together, so they join no one by themselves: each is attached to the
one specific incident it is compatible with, and stays alone when there are none or
several.

An incident's id is derived from its earliest report (by publication, then key), so it
is the same whatever the arrival order, and later reports, the usual case, leave it as
it was.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import kinds

# A day-precision date resolved from "yesterday" against a publication timestamp can be
# a day off either way.
DAY_SLACK = 1
# A date given as "before publication" or as a week: the incident may lie this many days
# before the date.
WEEK_DAYS = 7
# Two specific places are the same place within this distance (a town and a village or
# neighbourhood beside it are often named for one strike).
NEAR_KM = {"point": 15.0, "town": 25.0, "district": 40.0}
SPECIFIC_PLACES = frozenset(NEAR_KM)
SPECIFIC_DATES = frozenset({"day", "week", "before"})
# Days from a date's start to its window's start, per precision; a report without a date
# is placed in the week before its publication.
_UNKNOWN_DATE = "before"


@dataclass(frozen=True)
class Report:
    """One event of one article, as incident building sees it."""
    key: str                      # "ARTICLE_ID#N": the N-th event of the article
    article_id: str
    outlet: str | None
    published: str | None
    kind: str
    date: str | None
    date_precision: str | None
    place: str | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    place_precision: str | None
    killed: int | None
    injured: int | None
    status: str
    actor_sides: tuple[str, ...]
    sources: tuple[str, ...]
    evidence: tuple[tuple[int, int], ...]

    @property
    def window(self) -> tuple[date, date] | None:
        anchor = self.date or self.published
        if not anchor:
            return None
        d = date.fromisoformat(anchor[:10])
        prec = self.date_precision if self.date else _UNKNOWN_DATE
        if prec == "day":
            return d - timedelta(DAY_SLACK), d + timedelta(DAY_SLACK)
        if prec in ("week", "before"):
            return d - timedelta(WEEK_DAYS), d + timedelta(DAY_SLACK)
        if prec == "month":
            nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
            return d.replace(day=1), nxt - timedelta(1)
        return d.replace(month=1, day=1), d.replace(month=12, day=31)

    @property
    def specific(self) -> bool:
        return (self.place_precision in SPECIFIC_PLACES and self.lat is not None
                and (self.date_precision if self.date else _UNKNOWN_DATE) in SPECIFIC_DATES)


def reports_of(record: dict) -> list[Report]:
    """The violent events of one record as reports."""
    admin1 = {p.get("name"): p.get("admin1") for p in record.get("places") or []}
    out = []
    for n, ev in enumerate(record.get("events") or []):
        if ev.get("kind") not in kinds.VIOLENT or ev.get("background"):
            continue
        pl = ev.get("place") or {}
        out.append(Report(
            key=f"{record['id']}#{n}", article_id=record["id"], outlet=(record.get("source") or {}).get("outlet"),
            published=record.get("published"), kind=ev["kind"], date=ev.get("date"),
            date_precision=ev.get("date_precision"), place=pl.get("name"), lat=pl.get("lat"), lon=pl.get("lon"),
            country=pl.get("country"), admin1=admin1.get(pl.get("name")), place_precision=pl.get("precision"),
            killed=(ev.get("killed") or {}).get("total"), injured=(ev.get("injured") or {}).get("total"),
            status=ev.get("status") or "reported",
            actor_sides=tuple(sorted({a.get("side") for a in ev.get("actors") or []} - {None, "unknown"})),
            sources=tuple(s.get("text") for s in ev.get("sources") or [] if s.get("text")),
            evidence=tuple((e["start"], e["end"]) for e in ev.get("evidence") or [])))
    return out


def kinds_compatible(a: str, b: str) -> bool:
    fa, fb = kinds.family(a), kinds.family(b)
    if fa is None or fb is None:
        return False
    if fa == fb:
        return True
    # A death told without its form may be any lethal act.
    death = {x for x, f in ((a, fa), (b, fb)) if f == kinds.family(kinds.role("death"))}
    other = b if a in death else a
    return bool(death) and kinds.get(other).tolls


def km(a: Report, b: Report) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(min(1.0, h)))


def places_compatible(a: Report, b: Report) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    if a.specific and b.specific:
        return km(a, b) <= max(NEAR_KM[a.place_precision], NEAR_KM[b.place_precision])
    # One inside the other: a town inside a governorate named by the other report.
    coarse, fine = (a, b) if a.place_precision not in SPECIFIC_PLACES else (b, a)
    if coarse.place_precision == "admin1" and fine.place_precision in SPECIFIC_PLACES:
        return not (coarse.admin1 and fine.admin1) or coarse.admin1 == fine.admin1
    return bool(a.country and a.country == b.country) or coarse.place is None


def windows_overlap(a: Report, b: Report) -> bool:
    wa, wb = a.window, b.window
    return bool(wa and wb and wa[0] <= wb[1] and wb[0] <= wa[1])


def compatible(a: Report, b: Report) -> bool:
    return (a.article_id != b.article_id and kinds_compatible(a.kind, b.kind)
            and windows_overlap(a, b) and places_compatible(a, b))


def incident_id(first_key: str) -> str:
    return "i" + hashlib.sha1(first_key.encode("utf-8")).hexdigest()[:12]


@dataclass
class IncidentIndex:
    """Reports added one article at a time; ``incidents()`` groups them."""
    reports: dict[str, Report] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    # (country, ISO week) -> keys of specific reports: the only ones a new report is compared with.
    blocks: dict[tuple, list[str]] = field(default_factory=dict)

    def _find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            keep, drop = sorted((ra, rb))
            self.parent[drop] = keep

    @staticmethod
    def _weeks(r: Report) -> list[tuple]:
        lo, hi = r.window
        out, d = [], lo
        while d <= hi + timedelta(6):
            out.append((r.country,) + tuple(d.isocalendar())[:2])
            d += timedelta(7)
        return out

    def add(self, report: Report) -> None:
        if report.key in self.reports:
            return
        self.reports[report.key] = report
        self.parent[report.key] = report.key
        if not report.specific or report.window is None:
            return
        seen: set[str] = set()
        for block in self._weeks(report):
            for other in self.blocks.get(block, ()):
                if other not in seen:
                    seen.add(other)
                    if compatible(report, self.reports[other]):
                        self._union(report.key, other)
        for block in self._weeks(report):
            self.blocks.setdefault(block, []).append(report.key)

    def add_record(self, record: dict) -> list[Report]:
        reps = reports_of(record)
        for r in reps:
            self.add(r)
        return reps

    def groups(self) -> dict[str, list[Report]]:
        """Incident id -> its reports, earliest published first."""
        members: dict[str, list[str]] = {}
        coarse = []
        for k, r in self.reports.items():
            if r.specific and r.window is not None:
                members.setdefault(self._find(k), []).append(k)
            else:
                coarse.append(r)
        by_key = {k: root for root, ks in members.items() for k in ks}
        for r in coarse:
            hits = set()
            if r.window is not None:
                for block in self._weeks(r):
                    for other in self.blocks.get(block, ()):
                        if compatible(r, self.reports[other]):
                            hits.add(by_key[other])
            if len(hits) == 1:
                members[hits.pop()].append(r.key)
            else:
                members[r.key] = [r.key]
        out = {}
        for ks in members.values():
            reps = sorted((self.reports[k] for k in ks), key=lambda r: (r.published or "9999", r.key))
            out[incident_id(reps[0].key)] = reps
        return out
