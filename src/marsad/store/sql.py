"""What the SQL backends share: the tables, version by version, and every query, written once.

``SQLStore`` holds the ``Store`` protocol over a DB-API connection. A backend
(``sqlite.SQLiteStore``, ``postgres.PostgresStore``) supplies only what really differs:

- ``DDL``, the format fields of the schema scripts below: its column types and its own
  statements of a version (SQLite's FTS5 tables and triggers, PostgreSQL's tsvector
  columns and GIN indexes, SQLite's version-1 events table that version 2 replaced);
- its full-text clauses (``TEXT_CONDITION``, ``EVENT_SEARCH``, ``ARTICLE_SEARCH`` and
  ``_text_arg``) and its week bucket (``WEEK``);
- how a statement runs (placeholders: queries here are written with ``?``; psycopg's
  are ``%s``), how a script runs, how a transaction opens, how the schema version is
  read and migrations are locked, and how incidents are rebuilt beside other writers.

Upserts are written in the ``ON CONFLICT`` form both understand (SQLite 3.24), a new
event's id comes back by ``RETURNING`` (SQLite 3.35, which ``MATERIALIZED`` below needs
anyway), and NULL goes first ascending and last descending, spelled out because that
is SQLite's order and not PostgreSQL's.
"""
from __future__ import annotations

import json
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator

from ..arabic import normalize
from ..core import Article, Failure
from ..errors import StoreError
from ..incidents.build import IncidentIndex, incident_countries, reports_of
from ..incidents.sources import summarise
from ..incidents.wire import WireIndex, from_bytes, minhash, to_bytes
from ..search import Query, parse, snippet, stems
from . import stats
from .base import (FACETS, POINT_COLUMNS, SEARCH_SCOPES, EventQuery, Hit, IncidentQuery, Page, Summary,
                   check_aggregate, check_facets, check_scope, event_conditions, incident_conditions)

# --- the tables, version by version ------------------------------------------------------
# Format fields every backend's DDL fills: {T} text that is sorted and compared (PostgreSQL
# collates it "C", code point order, as SQLite compares); {REAL}, {BLOB}; {EVENT_ID} the events
# table's own key and {BIGINT} a reference to it; {before_N}/{after_N} the backend's own
# statements of version N; {event_texts_extra} its extra columns of event_texts; {search}
# how its full-text search is kept, for the description of version 2.

SCHEMA_VERSION = """
    CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at TEXT NOT NULL
    );
"""

# Version 1 (session 1): articles and what was extracted from them, and failures.
TABLES_1 = """{before_1}
    CREATE TABLE articles (
        id {T} PRIMARY KEY,
        origin {T},
        published {T},
        title {T},
        outlet {T},
        url {T},
        agencies TEXT,
        text TEXT NOT NULL,
        record TEXT NOT NULL,
        stage_failures INTEGER NOT NULL DEFAULT 0,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_origin ON articles(origin);
    CREATE TABLE entities (
        article_id {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        eid {T} NOT NULL,
        type {T},
        name {T},
        name_norm {T},
        mentions INTEGER,
        PRIMARY KEY (article_id, eid)
    );
    CREATE INDEX entities_name ON entities(name_norm);
    CREATE INDEX entities_type ON entities(type);
    CREATE TABLE places (
        article_id {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        entity {T},
        name {T},
        name_en {T},
        lat {REAL}, lon {REAL},
        country {T},
        admin1 {T},
        precision {T},
        gazetteer_id {T},
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX places_country ON places(country);
    CREATE INDEX places_latlon ON places(lat, lon);
    CREATE TABLE quotes (
        article_id {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker {T},
        speaker_entity {T},
        cue {T},
        content TEXT,
        direct INTEGER,
        date {T},
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE failures (
        origin {T} PRIMARY KEY,
        reason {T} NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL
    );
{after_1}"""

# Version 2: events lean (every filter and sort column in a short row, the record JSON and
# sentences in event_texts), participants for the actor and side filters, indexes that keep
# lists, facets and aggregates fast on 10^5 events (benchmarks/bench_store.py), the
# schema_version table and the full-text indexes. Stored articles' rows are rewritten from
# their records in Python (``_rewrite_events``) between the tables and the indexes.
EVENTS_2 = """{before_2}
    CREATE TABLE events (
        id {EVENT_ID},
        article_id {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind {T},
        date {T},
        date_precision {T},
        place {T},
        place_en {T},
        lat {REAL}, lon {REAL},
        country {T},
        admin1 {T},
        precision {T},
        actors {T},
        targets {T},
        killed INTEGER,
        injured INTEGER,
        status {T},
        sources {T},
        acled_type {T},
        acled_sub_type {T},
        plover_type {T},
        published {T},
        UNIQUE (article_id, idx)
    );
    CREATE TABLE event_texts (
        id {BIGINT} PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        notes TEXT,
        stems TEXT,
        record TEXT NOT NULL{event_texts_extra}
    );
    CREATE TABLE event_participants (
        event_id {BIGINT} NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role {T} NOT NULL,
        n INTEGER NOT NULL,
        text {T},
        norm {T},
        side {T},
        PRIMARY KEY (event_id, role, n)
    );
"""
# Indexes of the lean events table and the view for browsing it.
EVENT_INDEXES = """
    CREATE INDEX participants_side ON event_participants(side, role, event_id);
    CREATE INDEX participants_norm ON event_participants(role, norm);
    CREATE INDEX events_order ON events(date, article_id, idx, killed, injured);
    CREATE INDEX events_kind ON events(kind, date, killed, injured);
    CREATE INDEX events_country ON events(country, date, killed, injured);
    CREATE INDEX events_acled ON events(acled_type, date);
    CREATE INDEX events_admin1 ON events(admin1);
    CREATE INDEX events_sub_type ON events(acled_sub_type);
    CREATE INDEX events_plover ON events(plover_type);
    CREATE INDEX events_precision ON events(precision);
    CREATE INDEX events_date_precision ON events(date_precision);
    CREATE INDEX events_status ON events(status);
    CREATE INDEX events_killed ON events(killed);
    CREATE INDEX events_published ON events(published);
    CREATE INDEX events_latlon ON events(lat, lon, date, article_id, idx);
    CREATE INDEX events_place ON events(place, lat, lon, killed, injured);
    CREATE VIEW events_flat AS
        SELECT e.article_id || '-' || e.idx AS event_id, e.article_id, e.idx, e.date, e.date_precision, e.kind,
               e.acled_type, e.acled_sub_type, e.plover_type, e.place, e.place_en, e.admin1, e.country,
               e.lat, e.lon, e.precision, e.actors, e.targets, e.killed, e.injured, e.status, e.sources,
               t.notes, a.published, a.title, a.outlet, a.url
        FROM events e JOIN event_texts t ON t.id = e.id JOIN articles a ON a.id = e.article_id;
{after_2}"""

# Version 3: incidents (marsad.incidents): each article's wire signature, incidents and the
# events that report them, and the countries whose incidents are stale.
INCIDENTS_3 = """
    CREATE TABLE wire (
        article_id {T} PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        published {T},
        signature {BLOB}
    );
    CREATE TABLE incidents (
        id {T} PRIMARY KEY,
        country {T} NOT NULL,
        kind {T},
        date {T},
        date_precision {T},
        place {T},
        lat {REAL}, lon {REAL},
        killed INTEGER,
        injured INTEGER,
        n_reports INTEGER,
        n_sources INTEGER,
        contested INTEGER,
        record TEXT NOT NULL
    );
    CREATE TABLE incident_reports (
        incident_id {T} NOT NULL,
        article_id {T} NOT NULL,
        idx INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX incident_reports_incident ON incident_reports(incident_id);
    CREATE INDEX incidents_country ON incidents(country, date);
    CREATE INDEX incidents_date ON incidents(date);
    CREATE INDEX incidents_kind ON incidents(kind, date);
    CREATE INDEX incidents_contested ON incidents(contested, date);
    CREATE INDEX incidents_killed ON incidents(killed);
    -- Countries whose events changed since incidents were last built (written in the same
    -- transaction as the article, so a killed ingest leaves them marked).
    CREATE TABLE incidents_dirty (country {T} PRIMARY KEY);
"""


def _rewrite_events(store: "SQLStore") -> None:
    # rows of a version-1 store, rewritten from the records it holds
    for r in store._execute("SELECT id, title, text, record FROM articles ORDER BY id").fetchall():
        rec = json.loads(r["record"])
        store._execute("UPDATE articles SET stems = ? WHERE id = ?", (article_stems(r["title"], r["text"], rec), r["id"]))
        store._put_events(r["id"], rec)


def _mark_incidents(store: "SQLStore") -> None:
    for r in store._execute("SELECT id, published, text FROM articles ORDER BY id").fetchall():
        store._put_signature(r["id"], r["published"], r["text"])
    # "WHERE true": SQLite reads ON after a bare FROM as a join's
    store._execute("INSERT INTO incidents_dirty SELECT DISTINCT coalesce(country, '') FROM events WHERE true"
                   " ON CONFLICT DO NOTHING")


def _count_4(store: "SQLStore") -> None:
    # version 4: the counts of marsad.store.stats beside the events, and the backend's triggers
    # ({stats_triggers}) that mark the months a write touches; filled once here
    store._script(stats.schema(store.DDL["T"]) + store.DDL["stats_triggers"])
    for sql, args in stats.refresh_statements(None, store.WEEK):
        store._execute(sql, args)


Step = str | Callable[["SQLStore"], None]
# Recorded migrations, run once each in order, numbered alike on every backend: a version means
# the same tables everywhere. A step is a script (formatted with the backend's DDL) or a function
# of the store; the description is formatted too. schema_version holds one row per migration run.
MIGRATIONS: list[tuple[str, list[Step]]] = [
    ("tables", [TABLES_1]),
    ("events lean with event_texts, participants, indexes, {search}, events_flat",
     [EVENTS_2, _rewrite_events, EVENT_INDEXES]),
    ("incidents: wire signatures, incidents and their reports, countries to rebuild", [INCIDENTS_3, _mark_incidents]),
    ("counts per month and per day for facets and aggregates, months to recount", [_count_4]),
]

# --- columns the queries name ----------------------------------------------------------------

EVENT_COLUMNS = ("article_id", "idx", "kind", "date", "date_precision", "place", "place_en", "lat", "lon",
                 "country", "admin1", "precision", "actors", "targets", "killed", "injured", "status", "sources",
                 "acled_type", "acled_sub_type", "plover_type", "published")
# Columns an order_by name sorts on; article and index break ties so pages are stable.
ORDER_COLUMNS = {"date": "date", "published": "published", "killed": "killed", "injured": "injured",
                 "kind": "kind", "country": "country"}
FACET_COLUMNS = {"kind": "kind", "acled_type": "acled_type", "acled_sub_type": "acled_sub_type",
                 "plover_type": "plover_type", "country": "country", "admin1": "admin1", "status": "status",
                 "precision": "precision", "date_precision": "date_precision", "year": "substr(date, 1, 4)"}
# Buckets of aggregate(); "week" is the backend's WEEK.
BUCKETS = {"day": "date", "month": "substr(date, 1, 7)", "year": "substr(date, 1, 4)", "country": "country",
           "admin1": "admin1", "kind": "kind"}
INCIDENT_ORDER = {"date": "date", "killed": "killed", "sources": "n_sources", "reports": "n_reports"}
# What an event search hit reads (e: events, t: event_texts, a: articles); the backend adds its score.
EVENT_HIT = ("SELECT e.article_id, e.idx, e.kind, e.date, e.place, e.place_en, t.notes, e.actors, e.targets,"
             " e.sources, a.title, a.published")


def _reason(exc: BaseException) -> str:
    """A driver's message on one line (PostgreSQL's HINT and DETAIL lines left out)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _first_told(published, outlet, url, origin) -> tuple:
    """Which of two stored copies of one text is kept: the earliest published (an undated copy
    last), then by outlet, url and origin (a total order: the choice never depends on arrival)."""
    return (published or "9999", outlet or "", url or "", origin or "")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _joined(parts: Iterable[dict]) -> str:
    return "; ".join(p["text"] for p in parts)


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def article_stems(title: str | None, text: str, record: dict) -> str:
    """The article's index column: its words in every clitic reading, and the English names of its
    places (Aleppo finds the article that says حلب)."""
    english = " ".join(p.get("name_en") or "" for p in record.get("places", []))
    return stems(f"{title or ''}\n{text}\n{english}")


def event_columns(text: str, event: dict, record: dict) -> dict:
    """The columns of an event row beyond its record: English place name, admin1 (from the
    article's resolution of the same place), the evidence sentences (``notes``, original spelling)
    and the index column."""
    pl = event.get("place") or {}
    admin1 = None
    if pl:
        key = normalize(pl.get("name") or "")
        for p in record.get("places", []):
            if (p.get("lat"), p.get("lon")) == (pl.get("lat"), pl.get("lon")) or normalize(p["name"]) == key:
                admin1 = p.get("admin1")
                if admin1:
                    break
    notes = " … ".join(text[s["start"]:s["end"]].strip() for s in event.get("evidence", []))
    words = [notes, pl.get("name") or "", pl.get("name_en") or "", _joined(event["actors"]),
             _joined(event["targets"]), _joined(event["sources"])]
    return {"place_en": pl.get("name_en"), "admin1": admin1, "notes": notes, "stems": stems("\n".join(words))}


def _order(order_by: str) -> str:
    d = " DESC" if order_by.startswith("-") else ""
    nulls = " DESC NULLS LAST" if d else " NULLS FIRST"
    return f"events.{ORDER_COLUMNS[order_by.lstrip('-')]}{nulls}, events.article_id{d}, events.idx{d}"


class SQLStore:
    """The ``Store`` protocol on a SQL database; a subclass is one backend (see the module's doc)."""

    DDL: dict[str, str]
    WEEK: str                   # an event's week bucket: the Monday that starts it (none for a month or year)
    TEXT_CONDITION: str         # events whose texts match the one "?" argument (``_text_arg``)
    EVENT_SEARCH: str           # event hits (EVENT_HIT and a score, lower first) for ``_text_arg``, LIMIT ?
    ARTICLE_SEARCH: str         # article hits (id, title, published, text, score), the same way
    # driver errors that put and put_failure report as StoreError (the article is not stored)
    ERRORS: tuple[type[BaseException], ...] = ()
    # with no filter, facet each field from its own index rather than from one scan
    FACETS_PER_INDEX = False
    name: str                   # the store in messages

    # --- what a backend supplies -----------------------------------------------------------

    def _execute(self, sql: str, args: Any = None) -> Any:
        """Run one statement written with "?" placeholders; its cursor (rows by column name)."""
        raise NotImplementedError

    def _executemany(self, sql: str, rows: list) -> None:
        raise NotImplementedError

    def _script(self, sql: str) -> None:
        """Run statements without arguments inside the caller's transaction."""
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager:
        raise NotImplementedError

    def _text_arg(self, q: Query) -> str:
        """The argument of the full-text clauses for a parsed query."""
        raise NotImplementedError

    def _stream(self, sql: str, args: list) -> Iterator[Any]:
        """Rows of a query that may return every event (exports)."""
        return self._execute(sql, args)

    def __enter__(self) -> "SQLStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError

    # --- schema ------------------------------------------------------------------------------

    def _upgrade(self, migration: tuple[str, list[Step]]) -> str:
        """Run one migration's steps inside the caller's transaction; its description."""
        description, steps = migration
        for step in steps:
            step(self) if callable(step) else self._script(step.format_map(self.DDL))
        return description.format_map(self.DDL)

    # --- writing -----------------------------------------------------------------------------

    def has_origin(self, origin: str) -> bool:
        return self._execute("SELECT 1 FROM articles WHERE origin = ?", (origin,)).fetchone() is not None

    def put(self, article: Article) -> bool:
        """Store one processed article atomically; False when its id was already stored.
        StoreError when it cannot be written (disk full, corrupt, locked too long): not stored."""
        try:
            return self._put(article)
        except self.ERRORS as exc:
            raise StoreError(f"{self.name}: could not store {article.origin or article.id} ({_reason(exc)})") from None

    def _put(self, article: Article) -> bool:
        aid = article.ensure_id()
        record = article.to_json()
        row = (aid, article.origin, article.published, article.title, article.outlet, article.url,
               json.dumps(article.agencies), article.text, json.dumps(record, ensure_ascii=False),
               len(article.failures), _now(), article_stems(article.title, article.text, record))
        insert = ("INSERT INTO articles (id, origin, published, title, outlet, url, agencies, text, record,"
                  " stage_failures, ingested_at, stems) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING")
        with self._transaction():  # all of the article or none of it
            if self._execute(insert, row).rowcount == 0:
                # The same text again (one agency text in two outlets, one article scraped twice):
                # the store keeps its earliest publication, whatever arrived first, so that two
                # ingest orders give the same store and the same incidents (issue 15).
                old = self._execute("SELECT published, outlet, url, origin, record FROM articles WHERE id = ?",
                                    (aid,)).fetchone()
                if _first_told(*(old[k] for k in ("published", "outlet", "url", "origin"))) \
                        <= _first_told(article.published, article.outlet, article.url, article.origin):
                    return False
                self._mark_dirty(aid, json.loads(old["record"]))
                self._execute("DELETE FROM articles WHERE id = ?", (aid,))
                self._execute(insert, row)
            self._put_children(aid, record)
            self._put_signature(aid, article.published, article.text)
            self._mark_dirty(aid, record)
            if article.origin:
                self._execute("DELETE FROM failures WHERE origin = ?", (article.origin,))
        return True

    def _mark_dirty(self, aid: str, record: dict) -> None:
        """The countries whose incidents an article's reports touch: its events' countries, and
        the countries its reports were placed in from the article (ungazetteered places)."""
        self._execute("INSERT INTO incidents_dirty SELECT DISTINCT coalesce(country, '') FROM events"
                      " WHERE article_id = ? ON CONFLICT DO NOTHING", (aid,))
        self._executemany("INSERT INTO incidents_dirty VALUES (?) ON CONFLICT DO NOTHING",
                          [(c,) for c in incident_countries(record)])

    def _put_children(self, aid: str, rec: dict) -> None:
        self._executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?)",
            [(aid, e["id"], e["type"], e["name"], normalize(e["name"]), len(e["mentions"])) for e in rec["entities"]])
        self._executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(aid, i, p["entity"], p["name"], p.get("name_en"), p["lat"], p["lon"], p.get("country"),
              p.get("admin1"), p["precision"], p.get("gazetteer_id")) for i, p in enumerate(rec["places"])])
        self._executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?)",
            [(aid, i, q["speaker"]["text"], q["speaker"]["entity"], q["cue"], q["content"]["text"],
              int(q["direct"]), q.get("date")) for i, q in enumerate(rec["quotes"])])
        self._put_events(aid, rec)

    def _put_events(self, aid: str, rec: dict) -> None:
        """The rows of one article's events: events, event_texts and event_participants."""
        for i, e in enumerate(rec["events"]):
            pl = e["place"] or {}
            acled, plover = e.get("acled") or {}, e.get("plover") or {}
            extra = event_columns(rec["text"], e, rec)
            eid = self._execute(
                f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({_marks(EVENT_COLUMNS)}) RETURNING id",
                (aid, i, e["kind"], e["date"], e["date_precision"], pl.get("name"), extra["place_en"], pl.get("lat"),
                 pl.get("lon"), pl.get("country"), extra["admin1"], pl.get("precision"), _joined(e["actors"]),
                 _joined(e["targets"]), e["killed"]["total"], e["injured"]["total"], e["status"],
                 _joined(e["sources"]), acled.get("event_type"), acled.get("sub_event_type"),
                 plover.get("event_type"), rec["published"])).fetchone()["id"]
            self._execute("INSERT INTO event_texts (id, notes, stems, record) VALUES (?, ?, ?, ?)",
                          (eid, extra["notes"], extra["stems"], json.dumps(e, ensure_ascii=False)))
            self._executemany("INSERT INTO event_participants VALUES (?,?,?,?,?,?)",
                              [(eid, role, n, p["text"], normalize(p["text"]), p.get("side"))
                               for role, key in (("actor", "actors"), ("target", "targets"), ("source", "sources"))
                               for n, p in enumerate(e[key])])

    def _put_signature(self, aid: str, published: str | None, text: str) -> None:
        m = minhash(text)
        self._execute("INSERT INTO wire VALUES (?, ?, ?) ON CONFLICT (article_id) DO UPDATE"
                      " SET published = excluded.published, signature = excluded.signature",
                      (aid, published, to_bytes(m) if m else None))

    def put_failure(self, origin: str, failure: Failure) -> None:
        try:
            with self._transaction():
                self._execute("INSERT INTO failures VALUES (?,?,?,?) ON CONFLICT (origin) DO UPDATE"
                              " SET reason = excluded.reason, message = excluded.message, at = excluded.at",
                              (origin, failure.reason, failure.message, _now()))
        except self.ERRORS as exc:
            raise StoreError(f"{self.name}: could not record the failure of {origin} ({_reason(exc)})") from None

    # --- reading -----------------------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in ("articles", "entities", "places", "quotes", "events", "failures"):
            raise ValueError(table)
        return self._execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]

    def record(self, article_id: str) -> dict | None:
        row = self._execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return json.loads(row["record"]) if row else None

    def _where(self, q: EventQuery) -> tuple[str, list]:
        """The SQL condition on ``events`` for the query's filters, and its arguments."""
        return event_conditions(q, lambda parsed: (self.TEXT_CONDITION, [self._text_arg(parsed)]))

    def records(self, query: EventQuery | None = None) -> Iterator[dict]:
        where, args = "", []
        if query is not None and query.filtered:
            cond, args = self._where(query)
            where = f" WHERE id IN (SELECT events.article_id FROM events WHERE {cond})"
        for row in self._stream(f"SELECT record FROM articles{where} ORDER BY published NULLS FIRST, id", args):
            yield json.loads(row["record"])

    def _event_rows(self, query: EventQuery, page: bool) -> Iterator[dict]:
        where, args = self._where(query)
        order = _order(query.order_by)
        if page:
            # the page's ids from the lean table and its indexes first, then only their records
            where = f"events.id IN (SELECT events.id FROM events WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?)"
            args = [*args, query.limit, query.offset]
        sql = ("SELECT events.article_id, events.idx, events.published, events.admin1, t.notes, t.record, a.url,"
               " a.outlet FROM events JOIN event_texts t ON t.id = events.id JOIN articles a ON a.id = events.article_id"
               f" WHERE {where} ORDER BY {order}")
        for row in self._execute(sql, args) if page else self._stream(sql, args):
            ev = json.loads(row["record"])
            ev.update(article_id=row["article_id"], idx=row["idx"], published=row["published"], url=row["url"],
                      outlet=row["outlet"], admin1=row["admin1"], notes=row["notes"])
            yield ev

    def events(self, query: EventQuery = EventQuery()) -> Page:
        return Page(list(self._event_rows(query, True)), self.count_events(query), query.limit, query.offset)

    def iter_events(self, query: EventQuery = EventQuery()) -> Iterator[dict]:
        return self._event_rows(query, False)

    def points(self, query: EventQuery = EventQuery()) -> list[dict]:
        where, args = self._where(query)
        return [dict(r) for r in self._execute(
            f"SELECT {', '.join(POINT_COLUMNS)} FROM events WHERE {where} ORDER BY {_order(query.order_by)}"
            " LIMIT ? OFFSET ?", [*args, query.limit, query.offset])]

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        fast = stats.count(self._stats_run, query)
        if fast is not None:
            return fast
        where, args = self._where(query)
        return self._execute(f"SELECT count(*) AS n FROM events WHERE {where}", args).fetchone()["n"]

    def facets(self, query: EventQuery = EventQuery(), fields: Iterable[str] = FACETS,
               size: int = 20) -> dict[str, list[tuple[Any, int]]]:
        where, args = self._where(query)
        names = check_facets(fields)
        fast = stats.facets(self._stats_run, query, names, size)
        if fast is not None:
            return fast
        out: dict[str, list[tuple[Any, int]]] = {}
        if "side" in names:
            sql = ("SELECT side, count(DISTINCT event_id) AS n FROM event_participants"
                   " WHERE role IN ('actor', 'target') AND side IS NOT NULL"
                   + ("" if where == "1=1" else f" AND event_id IN (SELECT events.id FROM events WHERE {where})")
                   + " GROUP BY side ORDER BY n DESC, side LIMIT ?")
            out["side"] = [(r["side"], r["n"]) for r in self._execute(sql, [*args, size])]
        cols = [n for n in names if n != "side"]
        if cols and where == "1=1" and self.FACETS_PER_INDEX:
            # every event: one GROUP BY per field, each read from that field's index alone
            for name in cols:
                col = FACET_COLUMNS[name]
                sql = f"SELECT {col} AS v, count(*) AS c FROM events GROUP BY {col} ORDER BY c DESC, 1 NULLS FIRST LIMIT ?"
                out[name] = [(r["v"], r["c"]) for r in self._execute(sql, (size,))]
        elif cols:
            # the matching rows are read once into a temporary table, then grouped per field
            selected = ", ".join(f"{FACET_COLUMNS[n]} AS {n}" for n in cols)
            groups = " UNION ALL ".join(
                f"SELECT * FROM (SELECT CAST('{n}' AS TEXT) AS f, CAST({n} AS TEXT) AS v, count(*) AS c FROM m"
                f" GROUP BY {n} ORDER BY c DESC, 2 NULLS FIRST LIMIT {int(size)}) AS g{i}" for i, n in enumerate(cols))
            for r in self._execute(f"WITH m AS MATERIALIZED (SELECT {selected} FROM events WHERE {where}) {groups}",
                                   args):
                out.setdefault(r["f"], []).append((r["v"], r["c"]))
            for name in cols:
                out.setdefault(name, [])
        return {n: out[n] for n in names}

    def aggregate(self, query: EventQuery = EventQuery(), by: str = "day") -> list[dict]:
        where, args = self._where(query)
        check_aggregate(by)
        fast = stats.aggregate(self._stats_run, query, by)
        if fast is not None:
            return fast
        if by == "place":
            sql = ("SELECT place, lat, lon, count(*) AS n, sum(killed) AS k, sum(injured) AS i FROM events"
                   f" WHERE {where} AND place IS NOT NULL GROUP BY place, lat, lon"
                   " ORDER BY count(*) DESC, place, lat NULLS FIRST, lon NULLS FIRST")
            return [{"key": r["place"], "lat": r["lat"], "lon": r["lon"], "events": r["n"], "killed": r["k"] or 0,
                     "injured": r["i"] or 0} for r in self._execute(sql, args)]
        col = self.WEEK if by == "week" else BUCKETS[by]
        sql = (f"SELECT {col} AS key, count(*) AS n, sum(killed) AS k, sum(injured) AS i FROM events"
               f" WHERE {where} AND {col} IS NOT NULL GROUP BY 1 ORDER BY 1")
        return [{"key": r["key"], "events": r["n"], "killed": r["k"] or 0, "injured": r["i"] or 0}
                for r in self._execute(sql, args)]

    def search(self, text: str, scope: Iterable[str] = SEARCH_SCOPES, limit: int = 20) -> list[Hit]:
        """Events and articles matching ``text`` (syntax of ``marsad.search``), best first; snippets are
        cut from the original text. A phrase is looked up by the index (near, or as all its words) and
        then checked word by word."""
        q = parse(text)
        scope = check_scope(scope)
        # a phrase lookup returns candidates the word-by-word check may drop: fetch more of them
        fetch = limit * 4 if q.has_phrase else limit
        arg = self._text_arg(q)
        hits: list[Hit] = []
        if "events" in scope:
            for r in self._execute(self.EVENT_SEARCH, (arg, fetch)).fetchall():
                indexed = "\n".join(r[k] or "" for k in ("notes", "place", "place_en", "actors", "targets", "sources"))
                if q.has_phrase and not q.matches(indexed):
                    continue
                hits.append(Hit("event", r["article_id"], r["idx"], r["title"], r["published"],
                                snippet(r["notes"] or "", q), r["score"], r["kind"], r["date"], r["place"]))
        if "articles" in scope:
            for r in self._execute(self.ARTICLE_SEARCH, (arg, fetch)).fetchall():
                body = f"{r['title'] or ''}\n{r['text']}"
                if q.has_phrase and not q.matches(body):
                    continue
                # the text usually opens with its title: cut from the text, from the title when only it matches
                text = r["text"] if q.matches(r["text"]) or not r["title"] else r["title"]
                hits.append(Hit("article", r["id"], None, r["title"], r["published"], snippet(text, q), r["score"]))
        # the ranks of the two indexes are on one scale (lower is better) though not calibrated to each other
        hits.sort(key=lambda h: h.score)
        return hits[:limit]

    # --- incidents ---------------------------------------------------------------------------

    # --- counts (marsad.store.stats) ------------------------------------------------------------

    def _stats_run(self, sql: str, args: list) -> list:
        return self._execute(sql, args).fetchall()

    def refresh_stats(self) -> int:
        """Recount the months whose events changed since the last call; how many months. The backend
        takes the marks under its own lock (as ``update_incidents`` its countries)."""
        raise NotImplementedError

    def update_incidents(self) -> int:
        """Rebuild the incidents of the countries whose events changed (and the counts of the months
        they touched); how many incidents. StoreError when it cannot be written: the marks stay,
        for the next run."""
        try:
            return self._update_incidents()
        except self.ERRORS as exc:
            raise StoreError(f"{self.name}: could not rebuild the incidents ({_reason(exc)})") from None

    def _update_incidents(self) -> int:
        raise NotImplementedError

    def _recount(self, months: list[str]) -> None:
        for sql, args in stats.refresh_statements(months, self.WEEK):
            self._execute(sql, args)

    def _regroup(self, dirty: list[str]) -> tuple[dict, WireIndex]:
        """The incidents of the ``dirty`` countries, clustered again from their articles' records,
        and the wire index that names each copy's original."""
        wire = WireIndex()
        for r in self._execute("SELECT article_id, published, signature FROM wire ORDER BY article_id").fetchall():
            wire.add(r["article_id"], None, r["published"], from_bytes(r["signature"]) if r["signature"] else None)
        index = IncidentIndex()
        for r in self._execute("SELECT record FROM articles WHERE id IN (SELECT DISTINCT article_id FROM events"
                               f" WHERE coalesce(country, '') IN ({_marks(dirty)}) OR country IS NULL) ORDER BY id", dirty).fetchall():
            for rep in reports_of(json.loads(r["record"])):
                if (rep.country or "") in dirty:
                    index.add(rep)
        return index.groups(), wire

    def _replace_incidents(self, dirty: list[str], groups: dict, wire: WireIndex) -> None:
        """Write ``groups`` in place of the incidents of the ``dirty`` countries (in the caller's transaction)."""
        marks = _marks(dirty)
        self._execute(f"DELETE FROM incident_reports WHERE incident_id IN"
                      f" (SELECT id FROM incidents WHERE country IN ({marks}))", dirty)
        self._execute(f"DELETE FROM incidents WHERE country IN ({marks})", dirty)
        for iid, reps in groups.items():
            inc = summarise(iid, reps, wire.original)
            self._execute(
                f"INSERT INTO incidents VALUES ({_marks(range(14))})",
                (iid, inc.country or "", inc.kind, inc.date, inc.date_precision, inc.place, inc.lat, inc.lon,
                 inc.killed.best, inc.injured.best, len(inc.reports), inc.n_sources, int(inc.contested),
                 json.dumps(inc.to_json(), ensure_ascii=False)))
            self._executemany("INSERT INTO incident_reports VALUES (?,?,?) ON CONFLICT (article_id, idx) DO UPDATE"
                              " SET incident_id = excluded.incident_id",
                              [(iid, r.article_id, int(r.key.rsplit("#", 1)[1])) for r in reps])

    def incidents(self, query: IncidentQuery = IncidentQuery()) -> Page:
        where, args = incident_conditions(query)
        col = INCIDENT_ORDER[query.order_by.lstrip("-")]
        order = " DESC NULLS LAST" if query.order_by.startswith("-") else " NULLS FIRST"
        rows = self._execute(f"SELECT record FROM incidents WHERE {where} ORDER BY {col}{order}, id"
                             " LIMIT ? OFFSET ?", [*args, query.limit, query.offset]).fetchall()
        return Page([json.loads(r["record"]) for r in rows], self.count_incidents(query), query.limit, query.offset)

    def count_incidents(self, query: IncidentQuery = IncidentQuery()) -> int:
        where, args = incident_conditions(query)
        return self._execute(f"SELECT count(*) AS n FROM incidents WHERE {where}", args).fetchone()["n"]

    def incident(self, incident_id: str) -> dict | None:
        row = self._execute("SELECT record FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        return json.loads(row["record"]) if row else None

    def failures(self) -> list[dict]:
        return [dict(r) for r in self._execute("SELECT * FROM failures ORDER BY origin")]

    def summary(self) -> Summary:
        by_kind = [(r["kind"], r["n"], r["k"] or 0) for r in self._execute(
            "SELECT kind, count(*) AS n, sum(killed) AS k FROM events GROUP BY kind"
            " ORDER BY count(*) DESC, kind NULLS FIRST")]
        by_country = [(r["country"] or "?", r["n"]) for r in self._execute(
            "SELECT country, count(*) AS n FROM events GROUP BY country ORDER BY count(*) DESC, country NULLS FIRST")]
        return Summary(self.count("articles"), self.count("failures"), self.count("entities"),
                       self.count("places"), self.count("quotes"), self.count("events"), by_kind, by_country)


__all__ = ["MIGRATIONS", "SQLStore", "article_stems", "event_columns"]
