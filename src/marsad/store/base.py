"""The store seam: what every backend offers, and the query object the readers pass.

Adapters (CLI, exports, a later HTTP API) talk to a ``Store`` only through this
protocol and ``EventQuery``; the SQLite backend (``marsad.store.sqlite``) is
one implementation, and a server database is meant to be another chosen by a
URL in ``marsad.store.open_store``. Values a store cannot honour raise
``QueryError`` (a ValueError) when the query is built, before any backend sees it.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar, Iterable, Iterator, Protocol, runtime_checkable

from .. import kinds
from ..core import SIDES, STATUSES, Article, Failure
from ..errors import QueryError
from ..search import parse

# Most rows one page may hold: a page is what one API response carries; bulk
# readers (exports) stream with ``iter_events`` instead.
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
# Orders a query may ask for; "-" in front reverses. Ties break on article and
# event index, so paging is stable.
ORDERS = ("date", "published", "killed", "injured", "kind", "country")
FACETS = ("kind", "acled_type", "acled_sub_type", "plover_type", "country", "admin1", "status",
          "precision", "date_precision", "year", "side")
AGGREGATES = ("day", "week", "month", "year", "place", "country", "admin1", "kind")
# What ``Store.points`` answers per event: the place's name (Arabic, English) and point, the tolls.
POINT_COLUMNS = ("article_id", "idx", "kind", "date", "lat", "lon", "place", "place_en", "killed", "injured")
SEARCH_SCOPES = ("events", "articles")

def known_kinds() -> tuple[str, ...]:
    """The event kinds of the kind table, for validating queries."""
    return kinds.names()


_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True)
class _Query:
    """What an event and an incident query share: filters on when, what and where, an order and a
    page. Values are checked (and normalised) when the query is built."""

    ORDERS: ClassVar[tuple[str, ...]] = ORDERS
    since: str | None = None
    until: str | None = None
    kind: tuple[str, ...] = ()
    country: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_killed: int | None = None
    order_by: str = "date"
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        set_ = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731 - frozen
        if isinstance(self.kind, str):
            set_("kind", (self.kind,) if self.kind else ())
        else:
            set_("kind", tuple(self.kind))
        unknown = [k for k in self.kind if k not in known_kinds()]
        if unknown:
            raise QueryError(f"kind={unknown[0]!r}: one of {', '.join(known_kinds())}")
        for name in ("since", "until"):
            v = getattr(self, name)
            if v is not None and not _DATE.fullmatch(v):
                raise QueryError(f"{name}={v!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
        if self.country is not None:
            if not _COUNTRY.fullmatch(self.country):
                raise QueryError(f"country={self.country!r}: give an ISO 3166-1 alpha-2 code such as SY")
            set_("country", self.country.upper())
        if self.bbox is not None:
            try:
                w, s, e, n = (float(x) for x in self.bbox)
            except (TypeError, ValueError):
                raise QueryError(f"bbox={self.bbox!r}: give four numbers west,south,east,north") from None
            if not (-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s <= n <= 90):
                raise QueryError(f"bbox={self.bbox!r}: west/east in [-180, 180], south <= north in [-90, 90]")
            set_("bbox", (w, s, e, n))
        if self.min_killed is not None and (not isinstance(self.min_killed, int) or self.min_killed < 0):
            raise QueryError(f"min_killed={self.min_killed!r}: a whole number >= 0")
        if self.order_by.lstrip("-") not in self.ORDERS:
            raise QueryError(f"order_by={self.order_by!r}: one of {', '.join(self.ORDERS)}, '-' in front to reverse")
        if not isinstance(self.limit, int) or not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit={self.limit!r}: between 1 and {MAX_LIMIT}")
        if not isinstance(self.offset, int) or self.offset < 0:
            raise QueryError(f"offset={self.offset!r}: a whole number >= 0")

    def replace(self, **changes: Any) -> Any:
        return type(self)(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})

    def next_page(self) -> Any:
        return self.replace(offset=self.offset + self.limit)


@dataclass(frozen=True)
class EventQuery(_Query):
    """Which events, in which order, which page. Every filter is optional and they combine with AND.

    since/until: ISO dates, a year or month taken whole (``until="2015-08"`` keeps 31 August);
    kind: one kind or several; country: ISO 3166-1 alpha-2; bbox: (west, south, east, north)
    in degrees, west > east crossing the antimeridian; actor/source: words the participant's
    text contains (normalised, so hamza and alef forms fold); side: a side of any actor or
    target; text: the search syntax of ``marsad.search`` over the event's sentences,
    place (Arabic or English), actors, targets and sources.
    """

    acled_type: str | None = None
    admin1: str | None = None
    actor: str | None = None
    side: str | None = None
    source: str | None = None
    status: str | None = None
    text: str | None = None
    article_id: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.side is not None and self.side not in SIDES:
            raise QueryError(f"side={self.side!r}: one of {', '.join(SIDES)}")
        if self.status is not None and self.status not in STATUSES:
            raise QueryError(f"status={self.status!r}: one of {', '.join(STATUSES)}")
        if self.text is not None:
            try:
                parse(self.text)
            except QueryError as e:
                raise QueryError(f"text={self.text!r}: {e}") from None

    @property
    def filtered(self) -> bool:
        """Whether any filter is set (paging and order aside)."""
        return any(getattr(self, f.name) not in (None, ()) for f in fields(self)
                   if f.name not in ("order_by", "limit", "offset"))


# Orders an incident query may ask for: its date, best death toll, number of independent
# sources, number of reports.
INCIDENT_ORDERS = ("date", "killed", "sources", "reports")


@dataclass(frozen=True)
class IncidentQuery(_Query):
    """Which incidents (marsad.incidents: one happening across its reports), in which order.

    since/until, kind, country, bbox and min_killed (on the best death toll) as for events;
    contested: only incidents whose sources contradict each other (True) or agree (False);
    min_sources: at least this many independent sources (wire copies count once).
    """

    ORDERS: ClassVar[tuple[str, ...]] = INCIDENT_ORDERS
    order_by: str = "-date"
    contested: bool | None = None
    min_sources: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.min_sources is not None and (not isinstance(self.min_sources, int) or self.min_sources < 1):
            raise QueryError(f"min_sources={self.min_sources!r}: a whole number >= 1")


@dataclass
class Page:
    """One page of events: each a record event (``docs/OUTPUT.md``) plus ``article_id``, ``idx``
    (the event's index in its article), the article's ``published``, ``url`` and ``outlet``, the
    event place's ``admin1`` and ``notes`` (the event's sentences in the original spelling)."""

    items: list[dict]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    def to_json(self) -> dict:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset,
                "next_offset": self.next_offset}


@dataclass
class Hit:
    """A search hit: an event (``idx`` set) or an article, with a snippet in the original spelling."""

    type: str                       # "event" or "article"
    article_id: str
    idx: int | None
    title: str | None
    published: str | None
    snippet: str
    score: float
    kind: str | None = None
    date: str | None = None
    place: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Summary:
    articles: int
    failures: int
    entities: int
    places: int
    quotes: int
    events: int
    by_kind: list[tuple[str, int, int]]        # kind, events, killed
    by_country: list[tuple[str, int]]


@runtime_checkable
class Store(Protocol):
    """One writer (``put``, ``put_failure``) and any number of readers. ``put`` stores a whole
    article atomically under its id and returns False when that id is already stored."""

    def put(self, article: Article) -> bool: ...

    def put_failure(self, origin: str, failure: Failure) -> None: ...

    def has_origin(self, origin: str) -> bool: ...

    def record(self, article_id: str) -> dict | None: ...

    def records(self, query: EventQuery | None = None) -> Iterator[dict]:
        """Article records, by publication date; with filters, the articles that have a matching event."""
        ...

    def events(self, query: EventQuery = EventQuery()) -> Page: ...

    def iter_events(self, query: EventQuery = EventQuery()) -> Iterator[dict]:
        """Every matching event in the query's order (paging ignored), streaming."""
        ...

    def count_events(self, query: EventQuery = EventQuery()) -> int: ...

    def points(self, query: EventQuery = EventQuery()) -> list[dict]:
        """The query's page of events as the columns a map draws (``POINT_COLUMNS``), read from the
        events table without decoding a record: a map of 1,000 events cost 270 ms through ``events``."""
        ...

    def facets(self, query: EventQuery = EventQuery(), fields: Iterable[str] = FACETS,
               size: int = 20) -> dict[str, list[tuple[Any, int]]]:
        """Per field, the ``size`` commonest values among matching events with their counts."""
        ...

    def aggregate(self, query: EventQuery = EventQuery(), by: str = "day") -> list[dict]:
        """Matching events per bucket: ``{"key", "events", "killed", "injured"}`` (place buckets add
        ``lat``/``lon``), in key order (place: most events first)."""
        ...

    def search(self, text: str, scope: Iterable[str] = SEARCH_SCOPES, limit: int = 20) -> list[Hit]: ...

    def incidents(self, query: IncidentQuery = IncidentQuery()) -> Page:
        """A page of incidents, each as ``marsad.incidents.Incident.to_json()``."""

    def count_incidents(self, query: IncidentQuery = IncidentQuery()) -> int: ...

    def incident(self, incident_id: str) -> dict | None:
        """One incident with its reports (article, outlet, figures, evidence offsets)."""

    def update_incidents(self) -> int:
        """Rebuild the incidents of the countries whose events changed since the last call;
        returns how many incidents those countries now hold."""

    def failures(self) -> list[dict]: ...

    def summary(self) -> Summary: ...

    def schema_version(self) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> "Store": ...

    def __exit__(self, *exc: object) -> None: ...


def check_facets(names: Iterable[str]) -> list[str]:
    names = list(names)
    bad = [n for n in names if n not in FACETS]
    if bad:
        raise QueryError(f"facet {bad[0]!r}: one of {', '.join(FACETS)}")
    return names


def check_aggregate(by: str) -> str:
    if by not in AGGREGATES:
        raise QueryError(f"by={by!r}: one of {', '.join(AGGREGATES)}")
    return by


def check_scope(scope: Iterable[str]) -> tuple[str, ...]:
    scope = (scope,) if isinstance(scope, str) else tuple(scope)
    bad = [s for s in scope if s not in SEARCH_SCOPES]
    if bad or not scope:
        raise QueryError(f"scope {bad[0] if bad else '()'!r}: one or more of {', '.join(SEARCH_SCOPES)}")
    return scope


__all__ = ["AGGREGATES", "DEFAULT_LIMIT", "EventQuery", "FACETS", "Hit", "MAX_LIMIT", "ORDERS", "Page",
           "SEARCH_SCOPES", "Store", "Summary"]


# --- SQL conditions shared by the backends ---------------------------------------------
# Written once with "?" placeholders; a backend with another style (PostgreSQL's %s)
# replaces them. No "?" or "%" stands in the SQL text itself: values travel as arguments.

class _Conds:
    def __init__(self) -> None:
        self.sql: list[str] = ["1=1"]
        self.args: list[Any] = []

    def add(self, cond: str, *values: Any) -> None:
        self.sql.append(cond)
        self.args.extend(values)

    def done(self) -> tuple[str, list]:
        return " AND ".join(self.sql), self.args

    def dates_and_place(self, q: Any, prefix: str = "") -> None:
        if q.since:
            self.add(f"{prefix}date >= ?", q.since)
        if q.until:
            self.add(f"{prefix}date <= ?", q.until + "~")     # ~ sorts after digits: a year or month whole
        if q.kind:
            self.add(f"{prefix}kind IN ({', '.join('?' * len(q.kind))})", *q.kind)
        if q.min_killed is not None:
            self.add(f"{prefix}killed >= ?", q.min_killed)
        if q.bbox:
            w, s, e, n = q.bbox
            self.add(f"{prefix}lat BETWEEN ? AND ?", s, n)
            self.add(f"({prefix}lon BETWEEN ? AND ?)" if w <= e else f"({prefix}lon >= ? OR {prefix}lon <= ?)", w, e)


def event_conditions(q: EventQuery, text_condition: Any) -> tuple[str, list]:
    """The SQL condition on ``events`` for the query's filters and its arguments;
    ``text_condition(parsed_query)`` gives the backend's full-text clause and its arguments."""
    from ..arabic import normalize
    c = _Conds()
    c.dates_and_place(q, "events.")
    for col in ("acled_type", "country", "admin1", "status", "article_id"):
        if getattr(q, col) is not None:
            c.add(f"events.{col} = ?", getattr(q, col))
    for role, value in (("actor", q.actor), ("source", q.source)):
        if value:
            c.add("events.id IN (SELECT event_id FROM event_participants WHERE role = ? AND norm LIKE ?)",
                  role, f"%{normalize(value)}%")
    if q.side:
        c.add("events.id IN (SELECT event_id FROM event_participants WHERE side = ? AND role IN ('actor', 'target'))",
              q.side)
    if q.text:
        clause, values = text_condition(parse(q.text))
        c.add(clause, *values)
    return c.done()


def incident_conditions(q: IncidentQuery) -> tuple[str, list]:
    """The SQL condition on ``incidents`` for the query's filters and its arguments."""
    c = _Conds()
    c.dates_and_place(q)
    if q.country:
        c.add("country = ?", q.country)
    if q.contested is not None:
        c.add("contested = ?", int(q.contested))
    if q.min_sources is not None:
        c.add("n_sources >= ?", q.min_sources)
    return c.done()
