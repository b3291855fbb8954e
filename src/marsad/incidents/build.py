"""Incidents: events of different articles that report one happening.

Two reports (events of two articles) can be one incident when their kinds are compatible
(one incident label, or a death of no named form with a lethal kind), their date windows
overlap given each date's precision, and their places are the same or one lies inside the
other. Reports are clustered by *leader* (``IncidentIndex``): taken in a canonical order,
each joins the best incident whose first report it fits, or opens one; coarse reports (a
country or governorate) join the one incident they fit. Extraction slips are absorbed with
corroboration (``corroborated``): a late retelling of a notable incident at its place, a
kind of the same family with the same number of dead, a place the gazetteer does not know
placed in the country of the article's nearest known place. The order is a function of the
set of reports, so the incidents do not depend on the order in which articles arrive, and
adding an article re-clusters only its countries.

An incident's id is derived from its earliest report (by publication, then key), so it
is the same whatever the arrival order, and later reports, the usual case, leave it as
it was.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, timedelta

from .. import kinds
from ..arabic import normalize
from ..gazetteer import PRECISION_RANK

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
# Two figures of one incident differ meaningfully when they are more than this many
# people and this share of the larger apart (27 against 28 dead from two outlets on the
# same day is rounding and late counting; 30 against 60 is not).
TOLL_TOLERANCE_PEOPLE = 2
TOLL_TOLERANCE_SHARE = 0.15
# A number of dead that two reports share is evidence they tell one incident only from
# this many up: one or two dead are reported of many incidents a day in a war (on the dev
# half, "1 killed" pulled a Kilis border clash into the Suruç bombing).
DISTINCT_TOLL = 3
# A toll this many times smaller than an incident's is a part of it (one victim named) or
# a misreading, not a sign of another incident.
PARTIAL_RATIO = 3
# Days from a date's start to its window's start, per precision; a report without a date
# is placed in the week before its publication.
_UNKNOWN_DATE = "before"
# A report may retell an incident this many days before its publication (a background
# mention: "the bombing that killed 32 in Suruç", undated or dated by the extractor to the
# day it was published). Such a late report joins only on corroboration (same place, a kind
# of the same incident label, no toll against it). Calibrated on the dev half of the
# incident gold: the Suruç bombing is retold for three weeks after 20 July.
RECALL_DAYS = 28
# Only an incident that this many articles have reported already is retold: a notable
# happening is recalled later, a day's shelling of a town is not, and without this bound
# the first shelling of a besieged town took the later ones that had no leader of their
# own day (dev half: B-cubed precision 0.907 without it, 0.912 with it).
RETOLD_MIN_ARTICLES = 3


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
    # The country was read off the article, not the event's place (an ungazetteered place
    # or none: the country of the article's gazetteered place mentioned nearest to it).
    country_inferred: bool = False

    @cached_property
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

    @cached_property
    def place_key(self) -> str | None:
        return normalize(self.place) if self.place else None

    @cached_property
    def order_key(self) -> tuple:
        w = self.window
        return (w[0].isoformat() if w else "9999", PRECISION_RANK.get(self.place_precision, len(PRECISION_RANK)),
                self.published or "9999", self.key)

    @cached_property
    def recall_window(self) -> tuple[date, date] | None:
        """The days a *retelling* report may point back to: ``RECALL_DAYS`` before its own
        window, when its date is a day, a week, "before" publication or none (a background
        mention is often undated, or dated by the extractor to a day near publication)."""
        w = self.window
        if w is None or (self.date and self.date_precision not in SPECIFIC_DATES):
            return w
        return w[0] - timedelta(RECALL_DAYS), w[1]

    @property
    def specific(self) -> bool:
        return (self.place_precision in SPECIFIC_PLACES and self.lat is not None
                and (self.date_precision if self.date else _UNKNOWN_DATE) in SPECIFIC_DATES)


def _article_country(record: dict, ev: dict) -> str | None:
    """The country of the gazetteered place the article names nearest to the event (its
    place's mention, else its trigger): what an ungazetteered village or a place-less
    event most likely lies in ("قرية المغيرة ... جازان")."""
    at = (ev.get("place") or {}).get("evidence") or ev.get("trigger") or {}
    pos = at.get("start")
    known = [p for p in record.get("places") or [] if p.get("country") and (p.get("evidence") or {}).get("start") is not None]
    if pos is None or not known:
        return None
    return min(known, key=lambda p: (abs(p["evidence"]["start"] - pos), p["evidence"]["start"]))["country"]


def reports_of(record: dict) -> list[Report]:
    """The violent events of one record as reports."""
    admin1 = {p.get("name"): p.get("admin1") for p in record.get("places") or []}
    out = []
    for n, ev in enumerate(record.get("events") or []):
        if ev.get("kind") not in kinds.VIOLENT or ev.get("background"):
            continue
        pl = ev.get("place") or {}
        inferred = None if pl.get("country") or pl.get("lat") is not None else _article_country(record, ev)
        out.append(Report(
            key=f"{record['id']}#{n}", article_id=record["id"], outlet=(record.get("source") or {}).get("outlet"),
            published=record.get("published"), kind=ev["kind"], date=ev.get("date"),
            date_precision=ev.get("date_precision"), place=pl.get("name"), lat=pl.get("lat"), lon=pl.get("lon"),
            country=pl.get("country") or inferred, admin1=admin1.get(pl.get("name")),
            place_precision=pl.get("precision"),
            killed=(ev.get("killed") or {}).get("total"), injured=(ev.get("injured") or {}).get("total"),
            status=ev.get("status") or "reported",
            actor_sides=tuple(sorted({a.get("side") for a in ev.get("actors") or []} - {None, "unknown"})),
            sources=tuple(s.get("text") for s in ev.get("sources") or [] if s.get("text")),
            evidence=tuple((e["start"], e["end"]) for e in ev.get("evidence") or []),
            country_inferred=inferred is not None))
    return out


def incident_countries(record: dict) -> set[str]:
    """The countries whose incidents an article's reports can change (a store marks them
    stale when the article arrives)."""
    return {r.country or "" for r in reports_of(record)}


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
    return _overlap(a.window, b.window)


def _overlap(wa, wb) -> bool:
    return bool(wa and wb and wa[0] <= wb[1] and wb[0] <= wa[1])


def tolls_far(a: int, b: int) -> bool:
    """Two tolls further apart than rounding and late counting explain."""
    return abs(a - b) > max(TOLL_TOLERANCE_PEOPLE, TOLL_TOLERANCE_SHARE * max(a, b))


def same_place(a: Report, b: Report) -> bool:
    """The two reports name one place: the same name, or two specific places within reach."""
    if a.place_key and a.place_key == b.place_key:
        return True
    return (a.lat is not None and b.lat is not None and a.place_precision in SPECIFIC_PLACES
            and b.place_precision in SPECIFIC_PLACES
            and km(a, b) <= max(NEAR_KM[a.place_precision], NEAR_KM[b.place_precision]))


def compatible(a: Report, b: Report) -> bool:
    return (a.article_id != b.article_id and kinds_compatible(a.kind, b.kind)
            and windows_overlap(a, b) and places_compatible(a, b))


def incident_id(first_key: str) -> str:
    return "i" + hashlib.sha1(first_key.encode("utf-8")).hexdigest()[:12]


@dataclass
class IncidentIndex:
    """Reports added one article at a time; ``groups()`` clusters them.

    Single link over "could be the same incident" chains a besieged city's daily strikes
    into one incident of hundreds of reports (seen on the conflict subset: 654 reports in
    Aden). So clustering is by leader: reports are taken in a canonical order (date, then
    how specific the place is, then publication and key), and each joins the best incident
    whose *leader* (its first report) it is compatible with, or leads a new one. The order
    is a function of the set of reports, never of arrival, so the incidents are the same
    whatever order articles come in; only the countries that new reports touch are
    clustered again.
    """
    reports: dict[str, Report] = field(default_factory=dict)
    by_country: dict[str | None, list[str]] = field(default_factory=dict)
    _cache: dict[str | None, dict[str, list[Report]]] = field(default_factory=dict)

    def add(self, report: Report) -> None:
        old = self.reports.get(report.key)
        if old is not None:
            # One article twice (the conflict subset holds 44 articles scraped twice, at two
            # times): keep its earliest publication, whatever came first.
            if (report.published or "9999", repr(report)) >= (old.published or "9999", repr(old)):
                return
            self.by_country[old.country].remove(old.key)
            self._cache.pop(old.country, None)
        self.reports[report.key] = report
        self.by_country.setdefault(report.country, []).append(report.key)
        self._cache.pop(report.country, None)

    def add_record(self, record: dict) -> list[Report]:
        reps = reports_of(record)
        for r in reps:
            self.add(r)
        return reps

    def groups(self) -> dict[str, list[Report]]:
        """Incident id -> its reports, earliest published first."""
        out: dict[str, list[Report]] = {}
        for country, keys in self.by_country.items():
            if country not in self._cache:
                self._cache[country] = _cluster([self.reports[k] for k in keys])
            out.update(self._cache[country])
        return out


def _order(r: Report) -> tuple:
    return r.order_key


def joins(leader: Report, r: Report) -> bool:
    """``r`` may be a report of the incident that ``leader`` opened."""
    if not windows_overlap(leader, r) or not places_compatible(leader, r):
        return False
    if not (kinds.same_incident(leader.kind, r.kind) or _death_of(leader, r)):
        return False
    return _sides_agree(leader, r)


def _sides_agree(leader: Report, r: Report) -> bool:
    # Two reports of different kinds naming the acting side differently are two incidents
    # (a coalition air strike and a Houthi shelling of one town on one day). Of one kind,
    # they are one incident whose actor the sources dispute (or that one of them misread).
    # A death told without its form gives no kind to set against another's: its "side" is
    # most often the authority that announced the dead (session 6, dev half: a death
    # by the state at Suruç, the Turkish ministry's count, split the bombing in two;
    # B-cubed F1 0.508 -> 0.538, precision 0.922 both).
    return (leader.kind == r.kind or not (leader.actor_sides and r.actor_sides)
            or bool(set(leader.actor_sides) & set(r.actor_sides))
            or kinds.role("death") in (leader.kind, r.kind))


def _incident_kind(reps: list[Report]) -> str | None:
    """The kind an incident is of: the most specific form its reports name (the first
    named among equals; reports are added in canonical order), None for deaths only."""
    death = kinds.role("death")
    named = [m.kind for m in reps if m.kind != death]
    return max(named, key=lambda k: (kinds.specificity(k), -named.index(k))) if named else None


def _kinds_fit(r: Report, reps: list[Report]) -> bool:
    """A death of no named form joins any lethal incident, but once a report of the
    incident names its form, a report of another form is another incident: an incident
    opened by "six killed in Aden" took every shelling, clash and air strike of Aden that
    week (98 reports on the conflict subset)."""
    kind = _incident_kind(reps)
    return r.kind == kinds.role("death") or kind is None or kinds.same_incident(kind, r.kind)


def _same_toll(r: Report, reps: list[Report]) -> bool:
    return r.killed is not None and r.killed >= DISTINCT_TOLL and any(m.killed == r.killed for m in reps)


def _toll_fits(r: Report, reps: list[Report]) -> bool:
    """No toll against it: ``r`` gives none, one near the median of the incident's (not near
    any one of them: a stray "1 killed" would then let in every small toll), or one so much
    smaller that it is a part of the dead (one policeman of those killed) or a misreading."""
    tolls = sorted(m.killed for m in reps if m.killed is not None)
    if r.killed is None or not tolls:
        return True
    median = tolls[(len(tolls) - 1) // 2]
    return not tolls_far(median, r.killed) or r.killed * PARTIAL_RATIO <= median


def corroborated(leader: Report, r: Report, reps: list[Report]) -> bool:
    """``r`` fails ``joins`` by an extraction slip that the incident's reports explain:

    - a *retelling*: a background mention of a past incident is undated, or dated near the
      day it was published, so its date window misses the incident; it may lie up to
      ``RECALL_DAYS`` before (``Report.recall_window``);
    - a *kind slip*: a kind of the incident's family read loosely (a suicide bombing told
      as a shelling), when it gives the same number of dead as a report of the incident
      (``DISTINCT_TOLL`` or more). Slipping into a more specific incident without a toll
      (an air strike at Suruç into the Suruç bombing) was measured too: +0.004 B-cubed F1
      on the dev half, below the bar set before measuring, and it took the Turkish air
      strikes of the following days into the bombing.
    Either needs the same place (the same name, or specific places within reach) or the
    same number of dead as a report of the incident, and no toll against it. ``_retold``
    adds that only one incident may fit so."""
    if not _overlap(leader.window, r.recall_window) or not _sides_agree(leader, r):
        return False
    if not _overlap(leader.window, r.window) and len({m.article_id for m in reps}) < RETOLD_MIN_ARTICLES:
        return False
    same_toll = _same_toll(r, reps)
    if not ((kinds.same_incident(leader.kind, r.kind) or _death_of(leader, r)) and _kinds_fit(r, reps)):
        if not (kinds.family(_incident_kind(reps) or leader.kind) == kinds.family(r.kind) and same_toll):
            return False
    return (_toll_fits(r, reps) and places_compatible(leader, r)
            and (same_toll or any(same_place(m, r) for m in reps)))


def _death_of(a: Report, b: Report) -> bool:
    """A death told without its form joins a lethal kind of the same place."""
    death = kinds.role("death")
    if death not in (a.kind, b.kind):
        return False
    other = b.kind if a.kind == death else a.kind
    return other == death or kinds.get(other).tolls


def _affinity(leader: Report, r: Report) -> tuple:
    same_name = bool(leader.place and leader.place == r.place)
    near = km(leader, r) if leader.lat is not None and r.lat is not None else 1e9
    return (not same_name, leader.kind != r.kind, near, leader.key)


def _tell_apart(r: Report, fits: list[Report], members: dict[str, list[Report]]) -> Report | None:
    """The one incident a coarse report belongs to: the only compatible one, or the one
    that alone shares its toll (or failing that its exact kind); None when undecided."""
    if len(fits) <= 1:
        return fits[0] if fits else None

    def evidence(ld: Report) -> tuple[int, int, int]:
        reps = members[ld.key]
        return (int(any(same_place(m, r) for m in reps)), int(_same_toll(r, reps)),
                int(any(m.kind == r.kind for m in reps)))
    ranked = sorted(fits, key=evidence, reverse=True)
    top = evidence(ranked[0])
    if top > (0, 0, 0) and evidence(ranked[1]) < top:
        return ranked[0]
    return None


class _Leaders:
    """Incident leaders indexed by the weeks their date window covers, so that a report is
    compared with the leaders of its own weeks only (linear in reports, not quadratic)."""

    def __init__(self) -> None:
        self.by_week: dict[tuple, list[Report]] = {}

    @staticmethod
    def _weeks(window: tuple[date, date]) -> list[tuple]:
        lo, hi = window
        out, d = [], lo
        while d <= hi + timedelta(6):
            out.append(tuple(d.isocalendar())[:2])
            d += timedelta(7)
        return out

    def add(self, r: Report) -> None:
        for w in self._weeks(r.window):
            self.by_week.setdefault(w, []).append(r)

    def near(self, r: Report, window: tuple[date, date] | None = None) -> list[Report]:
        seen: dict[str, Report] = {}
        for w in self._weeks(window or r.window):
            for ld in self.by_week.get(w, ()):
                seen.setdefault(ld.key, ld)
        return sorted(seen.values(), key=_order)


def _retold(r: Report, leaders: _Leaders, members: dict[str, list[Report]]) -> list[Report]:
    """The one incident ``r`` fits by ``corroborated`` evidence, as a list; none when
    several do (a town struck every day: which strike a late report retells is unknown)."""
    found = [ld for ld in leaders.near(r, r.recall_window) if corroborated(ld, r, members[ld.key])]
    if len(found) > 1:
        # Several fit: the one whose kind is the report's own incident label, then the one
        # that alone shares its toll, then its place name, when exactly one is ahead (a
        # retold "32 killed in the Suruç suicide bombing" fitted the bombing and a shelling
        # incident of the same family and toll; session 6, dev half).
        def evidence(ld: Report) -> tuple[int, int, int]:
            reps = members[ld.key]
            kind = _incident_kind(reps)
            return (int(kind is not None and kinds.same_incident(kind, r.kind)), int(_same_toll(r, reps)),
                    int(any(m.place_key == r.place_key for m in reps)))
        ranked = sorted(found, key=evidence, reverse=True)
        return ranked[:1] if evidence(ranked[0]) > evidence(ranked[1]) else []
    return found


def _median_toll(reps: list[Report]) -> int | None:
    tolls = sorted(m.killed for m in reps if m.killed is not None)
    return tolls[(len(tolls) - 1) // 2] if tolls else None


def _merge_slips(members: dict[str, list[Report]]) -> None:
    """An incident opened by a kind slip (the Suruç bombing read as a shelling on its day)
    collects the retellings that name the slipped kind. It is the other incident's when
    both are of one family at one place and days, and their reports agree on the number
    of dead (their median tolls, ``DISTINCT_TOLL`` or more), and only one incident fits so."""
    # members are keyed by their leader's key (the report that opened them)
    leaders = {k: next(m for m in reps if m.key == k) for k, reps in members.items()}
    index = _Leaders()
    for k, ld in leaders.items():
        if ld.window is not None:
            index.add(ld)
    for key in sorted(members, key=lambda k: _order(leaders[k])):
        reps, ld = members[key], leaders[key]
        toll = _median_toll(reps)
        if toll is None or toll < DISTINCT_TOLL or ld.window is None:
            continue
        near = (other.key for other in index.near(ld, ld.recall_window))
        into = [k for k in near if k != key and (other := members[k]) and _order(leaders[k]) < _order(ld)
                and len({m.article_id for m in other}) >= RETOLD_MIN_ARTICLES
                and same_place(leaders[k], ld) and _overlap(leaders[k].window, ld.recall_window)
                and kinds.family(_incident_kind(other) or leaders[k].kind) == kinds.family(_incident_kind(reps) or ld.kind)
                and (t := _median_toll(other)) is not None and not tolls_far(t, toll)]
        if len(into) == 1:
            members[into[0]].extend(reps)
            members[key] = []
    for k in [k for k, reps in members.items() if not reps]:
        del members[k]


def _cluster(reports: list[Report]) -> dict[str, list[Report]]:
    specific = sorted((r for r in reports if r.specific and r.window), key=_order)
    coarse = sorted((r for r in reports if not (r.specific and r.window)), key=_order)
    leaders = _Leaders()
    members: dict[str, list[Report]] = {}
    for r in specific:
        # An article that tells one incident as two events (a bombing, then the suicide
        # bombing it was) joins it twice: its reports count once as a source.
        fits = ([ld for ld in leaders.near(r) if joins(ld, r) and _kinds_fit(r, members[ld.key])]
                or _retold(r, leaders, members)[:1])
        if fits:
            members[min(fits, key=lambda ld: _affinity(ld, r)).key].append(r)
        else:
            leaders.add(r)
            members[r.key] = [r]
    loose: list[Report] = []
    for r in coarse:
        fits = ([ld for ld in leaders.near(r) if joins(ld, r) and _kinds_fit(r, members[ld.key])]
                if r.window else [])
        best = _tell_apart(r, fits, members)
        if best is None and r.window:
            best = (_retold(r, leaders, members) or [None])[0]
        if best is not None:
            members[best.key].append(r)
        else:
            loose.append(r)
    # Coarse reports that fit no single incident join each other only on a shared toll:
    # "32 killed in Turkey" twice is one incident, "clashes in Yemen" twice is not.
    coarse_leaders = _Leaders()
    for r in loose:
        fits = ([ld for ld in coarse_leaders.near(r) if r.killed is not None and ld.killed == r.killed
                 and joins(ld, r)] if r.window else [])
        if fits:
            members[fits[0].key].append(r)
        else:
            if r.window:
                coarse_leaders.add(r)
            members[r.key] = [r]
    _merge_slips(members)
    out = {}
    for reps in members.values():
        reps = sorted(reps, key=lambda r: (r.published or "9999", r.key))
        out[incident_id(reps[0].key)] = reps
    return out
