"""`marsad serve`: a JSON API and a web dashboard over a store.

A thin adapter: every view builds an ``EventQuery`` from its parameters and
calls the store's query methods (``events``, ``count_events``, ``facets``,
``aggregate``, ``search``, ``record``); no SQL here. CSV and GeoJSON variants
of the event list are the exporters of ``marsad.export``. A value the store
cannot honour (``QueryError``) is a 400 with the store's message; a parameter
of the wrong type is FastAPI's 422; nothing a client sends is a 500.

The server is read-only unless it is started with a token (``--token`` or
``MARSAD_TOKEN``); then ``POST /api/articles`` runs the pipeline on the
articles posted and stores them, when the request carries the token
(``Authorization: Bearer TOKEN`` or ``X-Marsad-Token: TOKEN``).

SQLite connections belong to the thread that opened them, and FastAPI runs
views in a thread pool: each thread opens its own connection to the store
(readers never block each other in WAL mode); writes take one lock, as the
store has one writer.
"""
from __future__ import annotations

import hmac
import queue
import json
import os
import threading
import time
from collections import OrderedDict
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Iterator

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from . import __version__, kinds
from .batch import Item, process_items
from .core import SIDES, STATUSES, Article
from .errors import MarsadError, QueryError
from .export import ExportOptions, event_id, export
from .store import AGGREGATES, FACETS, INCIDENT_ORDERS, MAX_LIMIT, ORDERS, EventQuery, IncidentQuery, open_store
from .store.base import POINT_COLUMNS, SEARCH_SCOPES

TOKEN_ENV = "MARSAD_TOKEN"
# Most articles one POST may carry: the pipeline runs in the request (about 30 articles/s with
# the CRF tagger), so a batch this size answers within a minute; bigger loads go through
# `marsad ingest`.
MAX_POST_ARTICLES = 100
# Answers kept per query (list pages, facets, aggregates, timeline, map), already encoded: a
# dashboard asks the same views again and again (every reload, every shared link). Facets and
# aggregates of the dashboard's filters read the store's counts (a few ms on 10^5 events); the
# cache spares what still reads the events (a map's 1,000 points, the unfiltered place buckets,
# filters the counts do not keep: 20-300 ms) and the encoding (benchmarks/bench_serve.py).
# 512 answers of at most ~140 kB (a page of 100 events) bound it near 70 MB. The cache is dropped
# on every write through this server; a store written by another process (marsad ingest beside
# a running server) shows within CACHE_TTL seconds.
CACHE_SIZE = 512
CACHE_TTL = 60.0
# Pages up to this size are cached; bigger ones (up to MAX_LIMIT) are rarer and larger.
CACHE_PAGE_LIMIT = 100
# CSV and GeoJSON exports stream in chunks of about this many characters, at most this many
# chunks ahead of the client (~4 MB): memory stays flat however many events match.
EXPORT_CHUNK_CHARS = 64 * 1024
EXPORT_QUEUE_CHUNKS = 64
# Most events the map draws: the largest tolls of the filter first (a map of 10^5 circles is
# neither readable nor fast); the list and the timeline count them all.
MAP_LIMIT = 1000
# Largest offset and toll a query may name: SQLite integers are 64-bit, and a bigger number
# (schemathesis sent 2**63) would overflow in the store rather than match nothing.
MAX_INT = 10**12
# Most periods a timeline fills in: ten years of days. A longer span comes from a stray date
# (a year misread), and is then drawn with its own keys only.
MAX_PERIODS = 3660

# The facets the dashboard shows (and a facet request without fields gets).
DASHBOARD_FACETS = ("kind", "country", "admin1", "status", "side", "year")

WEB = Path(str(resources.files("marsad") / "web"))


class _Stores(threading.local):
    store = None


class _Cache:
    """A small LRU of JSON answers keyed by the query that made them. Single flight: while one
    thread computes an answer, others asking the same query wait for it rather than run it again
    (under load a slow facet is asked many times before its first answer is back)."""

    def __init__(self, size: int = CACHE_SIZE, ttl: float = CACHE_TTL):
        self.size, self.ttl, self.items, self.lock = size, ttl, OrderedDict(), threading.Lock()
        self.pending: dict = {}
        self.generation = 0

    def get(self, key, make):
        if not self.size:
            return make()
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and time.monotonic() - hit[0] < self.ttl:
                self.items.move_to_end(key)
                return hit[1]
            flight = self.pending.get(key)
            owner = flight is None
            if owner:
                flight = self.pending[key] = [threading.Event(), None, None]
            generation = self.generation
        if not owner:
            flight[0].wait()
            if flight[2] is not None:
                raise flight[2]
            return flight[1]
        try:
            flight[1] = make()
        except BaseException as e:
            flight[2] = e
            raise
        finally:
            with self.lock:
                self.pending.pop(key, None)
                # an answer computed across a write is handed to its waiters but not kept
                if flight[2] is None and generation == self.generation:
                    self.items[key] = (time.monotonic(), flight[1])
                    self.items.move_to_end(key)
                    while len(self.items) > self.size:
                        self.items.popitem(last=False)
            flight[0].set()
        return flight[1]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.generation += 1


def _split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated parameters and comma lists alike: ``kind=a&kind=b`` or ``kind=a,b``."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


def _bbox(value: str | None) -> tuple | None:
    if value is None or value == "":
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise QueryError(f"bbox={value!r}: give four numbers west,south,east,north")
    try:
        return tuple(float(p) for p in parts)
    except ValueError:
        raise QueryError(f"bbox={value!r}: give four numbers west,south,east,north") from None


def event_query(
    since: Annotated[str | None, Query(description="Events on or after this date: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="Events on or before this date (a year or month taken whole)")] = None,
    kind: Annotated[list[str] | None, Query(description="Event kind(s) of the kind table; repeat or comma-separate")] = None,
    acled_type: Annotated[str | None, Query(description="ACLED event type, e.g. Battles")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code, e.g. SY")] = None,
    admin1: Annotated[str | None, Query(description="First-level division as the gazetteer names it")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    actor: Annotated[str | None, Query(description="Words an actor contains (spelling-folded)")] = None,
    side: Annotated[str | None, Query(description=f"Side of an actor or target: {', '.join(SIDES)}")] = None,
    source: Annotated[str | None, Query(description="Words a reporting source contains")] = None,
    status: Annotated[str | None, Query(description=f"One of {', '.join(STATUSES)}")] = None,
    text: Annotated[str | None, Query(description="Search syntax over the event's sentences, place and participants")] = None,
    min_killed: Annotated[int | None, Query(ge=0, le=MAX_INT, description="At least this many killed")] = None,
    article_id: Annotated[str | None, Query(description="Events of one article")] = None,
    order_by: Annotated[str, Query(description=f"One of {', '.join(ORDERS)}; '-' in front reverses")] = "date",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> EventQuery:
    """The query parameters every event endpoint takes, as the store's query object."""
    return EventQuery(since=since or None, until=until or None, kind=_split(kind), acled_type=acled_type or None,
                      country=country or None, admin1=admin1 or None, bbox=_bbox(bbox), actor=actor or None,
                      side=side or None, source=source or None, status=status or None, text=text or None,
                      min_killed=min_killed, article_id=article_id or None, order_by=order_by, limit=limit,
                      offset=offset)


Filters = Annotated[EventQuery, Depends(event_query)]


def incident_query(
    since: Annotated[str | None, Query(description="Incidents on or after this date: YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="Incidents on or before this date")] = None,
    kind: Annotated[list[str] | None, Query(description="Kind(s); repeat or comma-separate")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code")] = None,
    bbox: Annotated[str | None, Query(description="west,south,east,north in degrees")] = None,
    contested: Annotated[bool | None, Query(description="Only incidents whose sources contradict each other "
                                                        "(true) or agree (false)")] = None,
    min_killed: Annotated[int | None, Query(ge=0, le=MAX_INT, description="Best death toll at least")] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=MAX_INT, description="Independent sources at least")] = None,
    order_by: Annotated[str, Query(description=f"One of {', '.join(INCIDENT_ORDERS)}; '-' in front reverses")] = "-date",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> IncidentQuery:
    """The query parameters of the incident endpoints, as the store's IncidentQuery."""
    return IncidentQuery(since=since or None, until=until or None, kind=_split(kind), country=country or None,
                         bbox=_bbox(bbox), contested=contested, min_killed=min_killed, min_sources=min_sources,
                         order_by=order_by, limit=limit, offset=offset)


IncidentFilters = Annotated[IncidentQuery, Depends(incident_query)]


def compare_reports(incident: dict) -> list[dict]:
    """Per report, which of its figures disagree with another independent report of the incident
    (kind, killed, injured, status): the cells the detail view marks. A wire copy is compared
    through its original, so a copy never contradicts the text it copies."""
    reps = incident.get("reports") or []
    out = []
    for r in reps:
        differs = []
        for field in ("kind", "killed", "injured", "status"):
            if r.get(field) is None:
                continue
            others = {o.get(field) for o in reps if o is not r and o.get(field) is not None
                      and (o.get("copy_of") or o["article"]) != (r.get("copy_of") or r["article"])}
            if others - {r[field]}:
                differs.append(field)
        out.append({"key": r.get("key"), "differs": differs})
    return out


def _encode(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json(obj: Any) -> Response:
    """A JSON answer written by json.dumps: FastAPI's own encoder walks every value in Python and
    costs more than the query for a page of 50 events; cached answers are kept already encoded."""
    return Response(obj if isinstance(obj, bytes) else _encode(obj), media_type="application/json")


class _Cancelled(Exception):
    """The client went away: the exporter writing for it stops."""


def _exported(target: str, fmt: str, q: EventQuery, options: ExportOptions) -> Iterator[bytes]:
    """The exporter ``fmt`` streamed: it writes from its own thread (on its own connection) into a
    bounded queue the response reads, so an export of 10^5 events never sits whole in memory, and
    a client that goes away stops it."""
    chunks: queue.Queue = queue.Queue(maxsize=EXPORT_QUEUE_CHUNKS)
    gone = threading.Event()
    done = object()

    class Writer:
        def __init__(self) -> None:
            self.buf: list[str] = []
            self.size = 0

        def write(self, text: str) -> None:
            self.buf.append(text)
            self.size += len(text)
            if self.size >= EXPORT_CHUNK_CHARS:
                self.flush()

        def flush(self) -> None:
            if self.buf:
                self.put("".join(self.buf).encode("utf-8"))
                self.buf, self.size = [], 0

        def put(self, item) -> None:
            while True:
                if gone.is_set():
                    raise _Cancelled()
                try:
                    chunks.put(item, timeout=1)
                    return
                except queue.Full:
                    continue

    def run() -> None:
        out = Writer()
        try:
            with open_store(target) as st:
                export(st, fmt, out, q, options)
            out.flush()
        except _Cancelled:
            return
        except Exception as e:     # handed to the response, which ends the body early
            out.put(e)
        out.put(done)

    threading.Thread(target=run, name=f"marsad-export-{fmt}", daemon=True).start()
    try:
        while True:
            item = chunks.get()
            if item is done:
                return
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        gone.set()


def _with_id(ev: dict) -> dict:
    return {"id": event_id(ev), **ev}


def periods(keys: list[str], by: str) -> list[str]:
    """Every period from the first key to the last, so a timeline shows quiet weeks as zero rather
    than drawing a line across them. Keys as the store makes them: YYYY-MM-DD (day; week: its
    Monday), YYYY-MM, YYYY. Left as given when the span is implausibly long (a stray date)."""
    if not keys:
        return []
    first, last = min(keys), max(keys)
    try:
        if by == "year":
            out = [str(y) for y in range(int(first), int(last) + 1)]
        elif by == "month":
            y, m = int(first[:4]), int(first[5:7])
            out = []
            while f"{y:04d}-{m:02d}" <= last:
                out.append(f"{y:04d}-{m:02d}")
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        else:
            step = timedelta(days=7 if by == "week" else 1)
            d, end = date.fromisoformat(first), date.fromisoformat(last)
            out = []
            while d <= end:
                out.append(d.isoformat())
                d += step
    except ValueError:
        return sorted(keys)
    return out if len(out) <= MAX_PERIODS else sorted(keys)


def _parse_event_id(value: str) -> tuple[str, int]:
    aid, sep, idx = value.rpartition("-")
    if not sep or not aid or not idx.isdigit():
        raise HTTPException(404, f"no event {value!r}: an event id is ARTICLE_ID-INDEX")
    return aid, int(idx)


def create_app(db: str | Path = "marsad.db", token: str | None = None, cache_size: int = CACHE_SIZE,
               prewarm: bool = True) -> FastAPI:
    """The API and dashboard over the store at ``db``; writable only when ``token`` is given.
    ``cache_size`` facet, aggregate, timeline and map answers are kept (0: none); ``prewarm``
    computes the unfiltered view's in the background at start."""
    target = str(db)
    # fail at start, not on the first request, when the store cannot be opened
    open_store(target).close()
    stores = _Stores()
    write_lock = threading.Lock()
    cache = _Cache(cache_size)

    def store():
        if stores.store is None:
            stores.store = open_store(target)
        return stores.store

    app = FastAPI(
        title="marsad", version=__version__,
        description="Events extracted from Arabic news reports, each field with the words it came from. "
                    "Read-only unless the server was started with a token.")

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(MarsadError)
    async def _marsad_error(request: Request, exc: MarsadError):
        return JSONResponse({"detail": str(exc)}, status_code=400)

    # --- events ---------------------------------------------------------------

    @app.get("/api/events", tags=["events"], summary="Events matching the filters, one page")
    def list_events(q: Filters) -> Response:
        def make() -> bytes:
            page = store().events(q)
            out = page.to_json()
            out["items"] = [_with_id(ev) for ev in page.items]
            return _encode(out)

        return _json(cache.get(("events", q), make) if q.limit <= CACHE_PAGE_LIMIT else make())

    @app.get("/api/events.geojson", tags=["events"], summary="Every matching event as GeoJSON (paging ignored)",
             response_class=Response, responses={200: {"content": {"application/geo+json": {}}}})
    def events_geojson(q: Filters) -> Response:
        return StreamingResponse(_exported(target, "geojson", q, ExportOptions()), media_type="application/geo+json")

    @app.get("/api/events.csv", tags=["events"], summary="Every matching event as CSV (paging ignored)",
             response_class=Response, responses={200: {"content": {"text/csv": {}}}})
    def events_csv(q: Filters, profile: Annotated[str, Query(pattern="^(marsad|acled)$")] = "marsad") -> Response:
        return StreamingResponse(_exported(target, "csv", q, ExportOptions(profile=profile)),
                                 media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="events.csv"'})

    @app.get("/api/events/count", tags=["events"], summary="How many events match")
    def count_events(q: Filters) -> Response:
        return _json({"total": store().count_events(q)})

    @app.get("/api/events/{eid}", tags=["events"], summary="One event with its article (text and record)")
    def get_event(eid: str) -> Response:
        aid, idx = _parse_event_id(eid)
        rec = store().record(aid)
        if rec is None or idx >= len(rec["events"]):
            raise HTTPException(404, f"no event {eid!r}")
        stored = [ev for ev in store().events(EventQuery(article_id=aid, limit=MAX_LIMIT)).items if ev["idx"] == idx]
        event = _with_id(stored[0]) if stored else {"id": eid, "article_id": aid, "idx": idx, **rec["events"][idx]}
        return _json({"event": event, "article": rec})

    @app.get("/api/facets", tags=["events"], summary="Commonest values of each field among matching events")
    def facets(q: Filters, fields: Annotated[list[str] | None, Query(
                   description=f"Fields, repeat or comma-separate: {', '.join(FACETS)}")] = None,
               size: Annotated[int, Query(ge=1, le=200)] = 20) -> Response:
        names = _split(fields) or DASHBOARD_FACETS
        key = ("facets", q.replace(limit=1, offset=0, order_by="date"), names, size)
        return _json(cache.get(key, lambda: _encode(
            {name: [{"value": v, "count": n} for v, n in values] for name, values in store().facets(q, names, size).items()})))

    @app.get("/api/aggregate", tags=["events"],
             summary="Events, killed and injured per day, week, month, year, place, country, admin1 or kind")
    def aggregate(q: Filters, by: Annotated[str, Query(description=f"One of {', '.join(AGGREGATES)}")] = "day") -> Response:
        key = ("aggregate", q.replace(limit=1, offset=0, order_by="date"), by)
        return _json(cache.get(key, lambda: _encode({"by": by, "buckets": store().aggregate(q, by)})))

    @app.get("/api/timeline", tags=["events"],
             summary="Events and killed per period for each of the commonest kinds (the dashboard's timeline)")
    def timeline(q: Filters, by: Annotated[str, Query(pattern="^(day|week|month|year)$")] = "week",
                 kinds_: Annotated[int, Query(alias="kinds", ge=1, le=12)] = 6) -> Response:
        base = q.replace(limit=1, offset=0, order_by="date")

        def make():
            top = [k for k, _ in store().facets(base, ["kind"], kinds_)["kind"] if k]
            series = {k: store().aggregate(base.replace(kind=(k,)), by) for k in top}
            keys = periods([b["key"] for bs in series.values() for b in bs], by)
            out = []
            for k, buckets in series.items():
                at = {b["key"]: b for b in buckets}
                out.append({"kind": k, "events": [at.get(x, {}).get("events", 0) for x in keys],
                            "killed": [at.get(x, {}).get("killed", 0) for x in keys]})
            return _encode({"by": by, "keys": keys, "series": out})

        return _json(cache.get(("timeline", base, by, kinds_), make))

    @app.get("/api/map", tags=["events"], summary="Matching events with a point, largest toll first, for a map")
    def map_points(q: Filters) -> Response:
        base = q.replace(order_by="-killed", limit=MAP_LIMIT, offset=0)

        def make():
            points = [{"id": event_id(r), **{k: r[k] for k in POINT_COLUMNS[2:]}} for r in store().points(base)
                      if r["lat"] is not None and r["lon"] is not None]
            return _encode({"total": store().count_events(base), "shown": len(points), "points": points})

        return _json(cache.get(("map", base), make))

    # --- incidents: one happening across its reports (marsad.incidents) ----------

    @app.get("/api/incidents", tags=["incidents"], summary="Incidents matching the filters, one page")
    def list_incidents(q: IncidentFilters) -> Response:
        return _json(cache.get(("incidents", q), lambda: _encode(store().incidents(q).to_json())))

    @app.get("/api/incidents/{incident_id}", tags=["incidents"],
             summary="One incident: every report's version side by side, with their articles' text")
    def get_incident(incident_id: str) -> Response:
        inc = store().incident(incident_id)
        if inc is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        articles = {}
        for r in inc.get("reports") or []:
            aid = r["article"]
            if aid in articles:
                continue
            rec = store().record(aid) or {}
            articles[aid] = {"id": aid, "title": rec.get("title"), "published": rec.get("published"),
                             "text": rec.get("text", ""), "source": rec.get("source"), "events": rec.get("events", [])}
        return _json({"incident": inc, "comparison": compare_reports(inc), "articles": articles})

    # --- articles and search -----------------------------------------------------

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article's record")
    def get_article(article_id: str) -> Response:
        rec = store().record(article_id)
        if rec is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return _json(rec)

    @app.get("/api/search", tags=["search"],
             summary="Events and articles matching words, with snippets in the original spelling")
    def search(q: Annotated[str, Query(min_length=1, description="Words; a OR b; \"a phrase\"; -word")],
               scope: Annotated[list[str] | None, Query(description="events, articles (repeat or comma-separate)")] = None,
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> Response:
        hits = store().search(q, _split(scope) or SEARCH_SCOPES, limit)
        return _json({"hits": [{**h.to_json(), "event_id": f"{h.article_id}-{h.idx}" if h.idx is not None else None}
                               for h in hits]})

    @app.get("/api/meta", tags=["meta"], summary="What the store holds and what the filters accept")
    def meta() -> Response:
        return _json(cache.get(("meta",), lambda: _encode(_meta())))

    def _meta() -> dict:
        s = store().summary()
        return {"version": __version__, "writable": token is not None, "articles": s.articles, "events": s.events,
                "failures": s.failures, "kinds": list(kinds.names()), "sides": list(SIDES),
                "statuses": list(STATUSES), "orders": list(ORDERS), "facets": list(FACETS),
                "aggregates": list(AGGREGATES), "incident_orders": list(INCIDENT_ORDERS), "max_limit": MAX_LIMIT,
                "incidents": store().count_incidents()}


    # --- writing ---------------------------------------------------------------------

    def check_token(request: Request) -> None:
        if token is None:
            raise HTTPException(403, "this server is read-only: start it with --token (or MARSAD_TOKEN) to accept articles")
        given = request.headers.get("x-marsad-token") or ""
        auth = request.headers.get("authorization") or ""
        if auth.lower().startswith("bearer "):
            given = given or auth[7:].strip()
        if not given:
            raise HTTPException(401, "give the token: Authorization: Bearer TOKEN (or X-Marsad-Token)")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(403, "wrong token")

    @app.post("/api/articles", tags=["articles"], dependencies=[Depends(check_token)],
              summary="Run the pipeline on one article or a batch and store them (needs the server's token)")
    def post_articles(body: Annotated[Any, Body(
            description="An article {text, published?, title?, url?, outlet?, id?} or a list of them")]) -> Response:
        items = body if isinstance(body, list) else [body]
        if not items or len(items) > MAX_POST_ARTICLES:
            raise HTTPException(422, f"post between 1 and {MAX_POST_ARTICLES} articles")
        articles = []
        for i, it in enumerate(items):
            if not isinstance(it, dict) or not isinstance(it.get("text"), str) or not it["text"].strip():
                raise HTTPException(422, f"article {i}: an object with a non-empty 'text'")
            extra = set(it) - {"text", "published", "title", "url", "outlet", "id"}
            if extra:
                raise HTTPException(422, f"article {i}: unknown field {sorted(extra)[0]!r}")
            if any(it.get(k) is not None and not isinstance(it[k], str) for k in ("published", "title", "url",
                                                                                 "outlet", "id")):
                raise HTTPException(422, f"article {i}: published, title, url, outlet and id are strings")
            articles.append(Article(text=it["text"], published=it.get("published"), title=it.get("title"),
                                    url=it.get("url"), outlet=it.get("outlet"), id=it.get("id"),
                                    origin=f"api:{it['id']}" if it.get("id") else None))
        results = []
        with write_lock:
            for res in process_items([Item(f"api:{i}", a) for i, a in enumerate(articles)]):
                if res.article is None:
                    results.append({"stored": False, "failure": {"reason": res.failure.reason,
                                                                  "message": res.failure.message}})
                    continue
                stored = store().put(res.article)
                results.append({"id": res.article.id, "stored": stored, "events": len(res.article.events)})
            # incidents are regrouped once per batch, for the countries it touched (as StoreSink does)
            incidents = store().update_incidents()
            cache.clear()
        return _json({"results": results, "incidents": incidents})

    def warm() -> None:
        """The dashboard's landing view (no filter) computed once at start: its place and week
        aggregates and its map are the slowest queries (every event read) and the most asked. The
        views one click away need no warming: their facets and aggregates read the store's counts
        (marsad.store.stats, a few ms each on 10^5 events); warming eight countries' views here
        took the first second of a fresh server's time from the requests it was being sent."""
        everything = EventQuery()
        try:
            meta()
            facets(everything, [",".join(DASHBOARD_FACETS)], 12)
            for by in ("week", "month", "day", "place"):
                aggregate(everything, by)
            timeline(everything, "week", 6)
            map_points(everything)
            list_events(EventQuery(order_by="-date", limit=50))
        except Exception:       # a store that cannot answer yet answers its requests with their own errors
            pass

    if prewarm and cache_size:
        threading.Thread(target=warm, name="marsad-serve-warm", daemon=True).start()

    # --- the dashboard -------------------------------------------------------------------

    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB / "static" / "index.html")

    return app


def token_from_env() -> str | None:
    return os.environ.get(TOKEN_ENV) or None


def run(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
        cache_size: int = CACHE_SIZE) -> None:
    import gc

    import uvicorn

    app = create_app(db, token, cache_size)
    # What start-up loaded (the framework, the pipeline's modules and tables: ~90,000 objects) is
    # kept for the process's life: frozen out of the cyclic collector, whose full passes over it
    # otherwise stalled every request for 100-300 ms now and then under load.
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level="warning")


__all__ = ["compare_reports", "incident_query", "MAP_LIMIT", "MAX_POST_ARTICLES", "create_app", "event_query", "run", "token_from_env"]
