"""The server store: PostgreSQL behind the same ``Store`` protocol as the SQLite file.

Chosen by a URL (``marsad ingest … --db postgresql://user:pass@host/dbname``;
``open_store`` routes the scheme here). The tables, columns and queries are
those of ``marsad.store.sqlite``, version for version, so a page, a facet, an
aggregate or a search answers the same on both (tested against a real server,
``tests/test_store.py``). What differs, and why:

- full-text search is a ``tsvector`` over the same Arabic-normalised,
  clitic-expanded ``stems`` column the SQLite FTS5 index reads, with the
  ``simple`` configuration (no stemming, no stop words: the normalisation is
  marsad's own) and a GIN index; rank is ``ts_rank`` negated, lower first as
  bm25 is. A phrase is looked up as all its words and then checked word by
  word, as SQLite checks its NEAR candidates.
- text columns collate as ``"C"`` (code point order), which is SQLite's
  order: sorts, ties and the ``until`` bound (``~`` after digits) agree.
- ascending orders put NULL first, descending last, as SQLite does.
- incidents (version 3) are rebuilt per stale country in one transaction under an
  advisory lock that first takes the countries' marks, so several writers into
  one database never lose a mark nor rebuild a country twice at once.
- one writer writes each article in one transaction, keyed by its id
  (``ON CONFLICT DO NOTHING``): ingesting twice stores once, and a killed run
  leaves whole articles only. Migrations run under an advisory lock, so
  several processes opening a new database at once migrate it once.

The database must be UTF-8 (PostgreSQL's default); psycopg 3 is the driver
(``pip install 'marsad[postgres]'``).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator

import psycopg
from psycopg.rows import dict_row

from ..arabic import normalize
from ..core import Article, Failure
from ..incidents.build import IncidentIndex, incident_countries, reports_of
from ..incidents.sources import summarise
from ..incidents.wire import WireIndex, from_bytes, minhash, to_bytes
from ..search import Query, Term, parse, snippet
from .base import (FACETS, SEARCH_SCOPES, EventQuery, Hit, IncidentQuery, Page, Summary, check_aggregate,
                   event_conditions, incident_conditions,
                   check_facets, check_scope)
from .sqlite import EVENT_INDEXES, article_stems, event_columns

# Code point order, as SQLite compares text: same sorts, same date bounds.
T = 'TEXT COLLATE "C"'
# The text search configuration: marsad normalises and expands clitics itself.
TS_CONFIG = "simple"
# Key of the advisory lock migrations hold (any constant; "marsad" in ASCII).
MIGRATION_LOCK = 0x6D61727361640001

# Version 1: the tables of SQLite's version 1 that version 2 keeps (its events
# table and FTS index version 2 replaced, so a server store starts without them).
SCHEMA_1 = f"""
    CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at TEXT NOT NULL
    );
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
        lat DOUBLE PRECISION, lon DOUBLE PRECISION,
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
"""

# Version 2: SQLite's version 2 (lean events, event_texts, participants, the
# same indexes, events_flat), with a stored tsvector beside each stems column.
SCHEMA_2 = f"""
    ALTER TABLE articles ADD COLUMN stems TEXT;
    ALTER TABLE articles ADD COLUMN tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}', coalesce(stems, ''))) STORED;
    CREATE INDEX articles_tsv ON articles USING gin(tsv);
    CREATE TABLE events (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        article_id {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind {T},
        date {T},
        date_precision {T},
        place {T},
        place_en {T},
        lat DOUBLE PRECISION, lon DOUBLE PRECISION,
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
        id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        notes TEXT,
        stems TEXT,
        record TEXT NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}', coalesce(stems, ''))) STORED
    );
    CREATE INDEX event_texts_tsv ON event_texts USING gin(tsv);
    CREATE TABLE event_participants (
        event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role {T} NOT NULL,
        n INTEGER NOT NULL,
        text {T},
        norm {T},
        side {T},
        PRIMARY KEY (event_id, role, n)
    );
{EVENT_INDEXES}"""

# Version 3: SQLite's version 3, incidents (marsad.incidents): each article's wire signature,
# incidents and the events that report them, and the countries whose incidents are stale.
SCHEMA_3 = f"""
    CREATE TABLE wire (
        article_id {T} PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        published {T},
        signature BYTEA
    );
    CREATE TABLE incidents (
        id {T} PRIMARY KEY,
        country {T} NOT NULL,
        kind {T},
        date {T},
        date_precision {T},
        place {T},
        lat DOUBLE PRECISION, lon DOUBLE PRECISION,
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
    CREATE TABLE incidents_dirty (country {T} PRIMARY KEY);
"""


def _put_signature(db: psycopg.Connection, aid: str, published: str | None, text: str) -> None:
    m = minhash(text)
    db.execute("INSERT INTO wire VALUES (%s, %s, %s) ON CONFLICT (article_id) DO UPDATE"
               " SET published = excluded.published, signature = excluded.signature",
               (aid, published, to_bytes(m) if m else None))


def _migrate_3(db: psycopg.Connection) -> None:
    db.execute(SCHEMA_3)
    for r in db.execute("SELECT id, published, text FROM articles ORDER BY id").fetchall():
        _put_signature(db, r["id"], r["published"], r["text"])
    db.execute("INSERT INTO incidents_dirty SELECT DISTINCT coalesce(country, '') FROM events ON CONFLICT DO NOTHING")


# Recorded migrations, numbered as SQLite's: a version means the same tables on both backends.
MIGRATIONS: list[tuple[str, str | Callable[[psycopg.Connection], None]]] = [
    ("tables", SCHEMA_1),
    ("events lean with event_texts, participants, indexes, tsvector search, events_flat", SCHEMA_2),
    ("incidents: wire signatures, incidents and their reports, countries to rebuild", _migrate_3),
]
# Key of the advisory lock an incident rebuild holds: two writers never rebuild one country at once.
INCIDENT_LOCK = MIGRATION_LOCK + 1
_INCIDENT_ORDER = {"date": "date", "killed": "killed", "sources": "n_sources", "reports": "n_reports"}

_EVENT_COLUMNS = ("article_id", "idx", "kind", "date", "date_precision", "place", "place_en", "lat", "lon",
                  "country", "admin1", "precision", "actors", "targets", "killed", "injured", "status", "sources",
                  "acled_type", "acled_sub_type", "plover_type", "published")
_ORDER_COLUMNS = {"date": "date", "published": "published", "killed": "killed", "injured": "injured",
                  "kind": "kind", "country": "country"}
_FACET_COLUMNS = {"kind": "kind", "acled_type": "acled_type", "acled_sub_type": "acled_sub_type",
                  "plover_type": "plover_type", "country": "country", "admin1": "admin1", "status": "status",
                  "precision": "precision", "date_precision": "date_precision", "year": "substr(date, 1, 4)"}
# The week bucket is the Monday that starts it (SQLite: date(date, 'weekday 0', '-6 days')); a date
# known only to the month or year has no week.
_BUCKETS = {"day": "date",
            "week": "CASE WHEN date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
                    " THEN to_char(date_trunc('week', date::date), 'YYYY-MM-DD') END",
            "month": "substr(date, 1, 7)", "year": "substr(date, 1, 4)", "country": "country",
            "admin1": "admin1", "kind": "kind"}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _joined(parts: Iterable[dict]) -> str:
    return "; ".join(p["text"] for p in parts)


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _term(t: Term) -> str:
    # a phrase: all its words here; the caller checks their order word by word, as SQLite's NEAR
    return _lexeme(t.words[0]) if len(t.words) == 1 else "(" + " & ".join(map(_lexeme, t.words)) + ")"


def tsquery(q: Query) -> str:
    """The ``to_tsquery`` text of a parsed query (``marsad.search``): clauses ANDed, a clause's terms
    ORed, negated terms excluded."""
    pos = [c for c in q.clauses if not c[0].negated]
    neg = [c[0] for c in q.clauses if c[0].negated]
    expr = " & ".join("(" + " | ".join(_term(t) for t in c) + ")" for c in pos)
    for t in neg:
        expr += f" & !{_term(t)}"
    return expr


class PostgresStore:
    """The ``Store`` protocol on a PostgreSQL database, given by a ``postgresql://`` URL (libpq's
    connection string syntax: ``?options=-csearch_path%3Dname`` keeps the tables in a schema)."""

    def __init__(self, url: str):
        self.url = url
        self.db = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        self.migrate()

    # --- schema --------------------------------------------------------------

    def schema_version(self) -> int:
        if self.db.execute("SELECT to_regclass('schema_version') AS t").fetchone()["t"] is None:
            return 0
        return self.db.execute("SELECT coalesce(max(version), 0) AS v FROM schema_version").fetchone()["v"]

    def migrate(self) -> None:
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            version = self.schema_version()
            for i, (description, step) in enumerate(MIGRATIONS[version:], start=version + 1):
                step(self.db) if callable(step) else self.db.execute(step)
                self.db.execute("INSERT INTO schema_version VALUES (%s, %s, %s)", (i, description, _now()))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "PostgresStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------

    def has_origin(self, origin: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE origin = %s", (origin,)).fetchone() is not None

    def put(self, article: Article) -> bool:
        """Store one processed article atomically; False when its id was already stored."""
        aid = article.ensure_id()
        record = article.to_json()
        with self.db.transaction():  # all of the article or none of it
            cur = self.db.execute(
                "INSERT INTO articles (id, origin, published, title, outlet, url, agencies, text, record,"
                " stage_failures, ingested_at, stems) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (id) DO NOTHING",
                (aid, article.origin, article.published, article.title, article.outlet, article.url,
                 json.dumps(article.agencies), article.text, json.dumps(record, ensure_ascii=False),
                 len(article.failures), _now(), article_stems(article.title, article.text, record)))
            if cur.rowcount == 0:
                return False
            self._put_children(aid, record)
            _put_signature(self.db, aid, article.published, article.text)
            self.db.execute("INSERT INTO incidents_dirty SELECT DISTINCT coalesce(country, '') FROM events"
                            " WHERE article_id = %s ON CONFLICT DO NOTHING", (aid,))
            # and the countries its reports were placed in from the article (ungazetteered places)
            with self.db.cursor() as cur:
                cur.executemany("INSERT INTO incidents_dirty VALUES (%s) ON CONFLICT DO NOTHING",
                                [(c,) for c in incident_countries(record)])
            if article.origin:
                self.db.execute("DELETE FROM failures WHERE origin = %s", (article.origin,))
        return True

    def _put_children(self, aid: str, rec: dict) -> None:
        with self.db.cursor() as cur:
            cur.executemany(
                "INSERT INTO entities VALUES (%s,%s,%s,%s,%s,%s)",
                [(aid, e["id"], e["type"], e["name"], normalize(e["name"]), len(e["mentions"]))
                 for e in rec["entities"]])
            cur.executemany(
                "INSERT INTO places VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                [(aid, i, p["entity"], p["name"], p.get("name_en"), p["lat"], p["lon"], p.get("country"),
                  p.get("admin1"), p["precision"], p.get("gazetteer_id")) for i, p in enumerate(rec["places"])])
            cur.executemany(
                "INSERT INTO quotes VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                [(aid, i, q["speaker"]["text"], q["speaker"]["entity"], q["cue"], q["content"]["text"],
                  int(q["direct"]), q.get("date")) for i, q in enumerate(rec["quotes"])])
            self._put_events(cur, aid, rec)

    def _put_events(self, cur: psycopg.Cursor, aid: str, rec: dict) -> None:
        for i, e in enumerate(rec["events"]):
            pl = e["place"] or {}
            acled, plover = e.get("acled") or {}, e.get("plover") or {}
            extra = event_columns(rec["text"], e, rec)
            eid = cur.execute(
                f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))})"
                " RETURNING id",
                (aid, i, e["kind"], e["date"], e["date_precision"], pl.get("name"), extra["place_en"], pl.get("lat"),
                 pl.get("lon"), pl.get("country"), extra["admin1"], pl.get("precision"), _joined(e["actors"]),
                 _joined(e["targets"]), e["killed"]["total"], e["injured"]["total"], e["status"],
                 _joined(e["sources"]), acled.get("event_type"), acled.get("sub_event_type"),
                 plover.get("event_type"), rec["published"])).fetchone()["id"]
            cur.execute("INSERT INTO event_texts (id, notes, stems, record) VALUES (%s, %s, %s, %s)",
                        (eid, extra["notes"], extra["stems"], json.dumps(e, ensure_ascii=False)))
            rows = [(eid, role, n, p["text"], normalize(p["text"]), p.get("side"))
                    for role, key in (("actor", "actors"), ("target", "targets"), ("source", "sources"))
                    for n, p in enumerate(e[key])]
            if rows:
                cur.executemany("INSERT INTO event_participants VALUES (%s,%s,%s,%s,%s,%s)", rows)

    def put_failure(self, origin: str, failure: Failure) -> None:
        self.db.execute(
            "INSERT INTO failures VALUES (%s,%s,%s,%s) ON CONFLICT (origin) DO UPDATE"
            " SET reason = excluded.reason, message = excluded.message, at = excluded.at",
            (origin, failure.reason, failure.message, _now()))

    # --- reading -------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in ("articles", "entities", "places", "quotes", "events", "failures"):
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) AS n FROM {table}").fetchone()["n"]

    def record(self, article_id: str) -> dict | None:
        row = self.db.execute("SELECT record FROM articles WHERE id = %s", (article_id,)).fetchone()
        return json.loads(row["record"]) if row else None

    def records(self, query: EventQuery | None = None) -> Iterator[dict]:
        order = " ORDER BY published NULLS FIRST, id"
        if query is None or not query.filtered:
            sql, args = "SELECT record FROM articles" + order, []
        else:
            where, args = _where(query)
            sql = f"SELECT record FROM articles WHERE id IN (SELECT events.article_id FROM events WHERE {where})" + order
        for row in self._stream(sql, args):
            yield json.loads(row["record"])

    def _stream(self, sql: str, args: list) -> Iterator[dict]:
        """Rows of ``sql`` from a server-side cursor on a connection of its own: an export of every
        event never holds them all, and the writer's transactions are not entangled with it."""
        with psycopg.connect(self.url, row_factory=dict_row) as con, con.cursor(name="marsad_stream") as cur:
            yield from cur.execute(sql, args)

    def _event_rows(self, query: EventQuery, page: bool) -> Iterator[dict]:
        where, args = _where(query)
        order = _order(query.order_by)
        if page:
            where = f"events.id IN (SELECT events.id FROM events WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s)"
            args = [*args, query.limit, query.offset]
        sql = ("SELECT events.article_id, events.idx, events.published, events.admin1, t.notes, t.record, a.url,"
               " a.outlet FROM events JOIN event_texts t ON t.id = events.id JOIN articles a ON a.id = events.article_id"
               f" WHERE {where} ORDER BY {order}")
        for row in self.db.execute(sql, args) if page else self._stream(sql, args):
            ev = json.loads(row["record"])
            ev.update(article_id=row["article_id"], idx=row["idx"], published=row["published"], url=row["url"],
                      outlet=row["outlet"], admin1=row["admin1"], notes=row["notes"])
            yield ev

    def events(self, query: EventQuery = EventQuery()) -> Page:
        return Page(list(self._event_rows(query, True)), self.count_events(query), query.limit, query.offset)

    def iter_events(self, query: EventQuery = EventQuery()) -> Iterator[dict]:
        return self._event_rows(query, False)

    def count_events(self, query: EventQuery = EventQuery()) -> int:
        where, args = _where(query)
        return self.db.execute(f"SELECT count(*) AS n FROM events WHERE {where}", args).fetchone()["n"]

    def facets(self, query: EventQuery = EventQuery(), fields: Iterable[str] = FACETS,
               size: int = 20) -> dict[str, list[tuple[Any, int]]]:
        where, args = _where(query)
        names = check_facets(fields)
        out: dict[str, list[tuple[Any, int]]] = {}
        if "side" in names:
            sql = ("SELECT side, count(DISTINCT event_id) AS n FROM event_participants"
                   " WHERE role IN ('actor', 'target') AND side IS NOT NULL"
                   + ("" if where == "1=1" else f" AND event_id IN (SELECT events.id FROM events WHERE {where})")
                   + " GROUP BY side ORDER BY n DESC, side LIMIT %s")
            out["side"] = [(r["side"], r["n"]) for r in self.db.execute(sql, [*args, size])]
        cols = [n for n in names if n != "side"]
        if cols:
            selected = ", ".join(f"{_FACET_COLUMNS[n]} AS {n}" for n in cols)
            groups = " UNION ALL ".join(
                f"SELECT * FROM (SELECT '{n}'::text AS f, {n}::text AS v, count(*) AS c FROM m GROUP BY {n}"
                f" ORDER BY c DESC, 2 NULLS FIRST LIMIT {int(size)}) AS g{i}" for i, n in enumerate(cols))
            for r in self.db.execute(f"WITH m AS MATERIALIZED (SELECT {selected} FROM events WHERE {where}) {groups}",
                                     args):
                out.setdefault(r["f"], []).append((r["v"], r["c"]))
            for name in cols:
                out.setdefault(name, [])
        return {n: out[n] for n in names}

    def aggregate(self, query: EventQuery = EventQuery(), by: str = "day") -> list[dict]:
        where, args = _where(query)
        check_aggregate(by)
        if by == "place":
            sql = ("SELECT place, lat, lon, count(*) AS n, sum(killed) AS k, sum(injured) AS i FROM events"
                   f" WHERE {where} AND place IS NOT NULL GROUP BY place, lat, lon"
                   " ORDER BY count(*) DESC, place, lat NULLS FIRST, lon NULLS FIRST")
            return [{"key": r["place"], "lat": r["lat"], "lon": r["lon"], "events": r["n"], "killed": r["k"] or 0,
                     "injured": r["i"] or 0} for r in self.db.execute(sql, args)]
        col = _BUCKETS[by]
        sql = (f"SELECT {col} AS key, count(*) AS n, sum(killed) AS k, sum(injured) AS i FROM events"
               f" WHERE {where} AND {col} IS NOT NULL GROUP BY 1 ORDER BY 1")
        return [{"key": r["key"], "events": r["n"], "killed": r["k"] or 0, "injured": r["i"] or 0}
                for r in self.db.execute(sql, args)]

    def search(self, text: str, scope: Iterable[str] = SEARCH_SCOPES, limit: int = 20) -> list[Hit]:
        """Events and articles matching ``text`` (syntax of ``marsad.search``), best first; snippets are
        cut from the original text. A phrase is looked up as all its words, then checked in order."""
        q = parse(text)
        scope = check_scope(scope)
        fetch = limit * 4 if q.has_phrase else limit
        tsq = tsquery(q)
        hits: list[Hit] = []
        if "events" in scope:
            rows = self.db.execute(
                "SELECT e.article_id, e.idx, e.kind, e.date, e.place, e.place_en, t.notes, e.actors, e.targets,"
                " e.sources, a.title, a.published, -ts_rank(t.tsv, q) AS score"
                f" FROM to_tsquery('{TS_CONFIG}', %s) q, event_texts t JOIN events e ON e.id = t.id"
                " JOIN articles a ON a.id = e.article_id"
                " WHERE t.tsv @@ q ORDER BY score, e.article_id, e.idx LIMIT %s", (tsq, fetch)).fetchall()
            for r in rows:
                indexed = "\n".join(r[k] or "" for k in ("notes", "place", "place_en", "actors", "targets", "sources"))
                if q.has_phrase and not q.matches(indexed):
                    continue
                hits.append(Hit("event", r["article_id"], r["idx"], r["title"], r["published"],
                                snippet(r["notes"] or "", q), r["score"], r["kind"], r["date"], r["place"]))
        if "articles" in scope:
            rows = self.db.execute(
                "SELECT a.id, a.title, a.published, a.text, -ts_rank(a.tsv, q) AS score"
                f" FROM to_tsquery('{TS_CONFIG}', %s) q, articles a"
                " WHERE a.tsv @@ q ORDER BY score, a.id LIMIT %s", (tsq, fetch)).fetchall()
            for r in rows:
                body = f"{r['title'] or ''}\n{r['text']}"
                if q.has_phrase and not q.matches(body):
                    continue
                text_ = r["text"] if q.matches(r["text"]) or not r["title"] else r["title"]
                hits.append(Hit("article", r["id"], None, r["title"], r["published"], snippet(text_, q), r["score"]))
        hits.sort(key=lambda h: h.score)
        return hits[:limit]

    # --- incidents -----------------------------------------------------------

    def update_incidents(self) -> int:
        """As SQLite's, in one transaction that takes the stale countries' marks first: a writer that
        marks a country meanwhile waits, and its mark then stays for the next rebuild."""
        with self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (INCIDENT_LOCK,))
            dirty = [r["country"] for r in self.db.execute("DELETE FROM incidents_dirty RETURNING country")]
            if not dirty:
                return 0
            wire = WireIndex()
            for r in self.db.execute("SELECT article_id, published, signature FROM wire ORDER BY article_id"):
                wire.add(r["article_id"], None, r["published"], from_bytes(r["signature"]) if r["signature"] else None)
            index = IncidentIndex()
            for r in self.db.execute(
                    "SELECT record FROM articles WHERE id IN (SELECT DISTINCT article_id FROM events"
                    " WHERE coalesce(country, '') = ANY(%s) OR country IS NULL) ORDER BY id", (dirty,)):
                for rep in reports_of(json.loads(r["record"])):
                    if (rep.country or "") in dirty:
                        index.add(rep)
            groups = index.groups()
            self.db.execute("DELETE FROM incident_reports WHERE incident_id IN"
                            " (SELECT id FROM incidents WHERE country = ANY(%s))", (dirty,))
            self.db.execute("DELETE FROM incidents WHERE country = ANY(%s)", (dirty,))
            with self.db.cursor() as cur:
                for iid, reps in groups.items():
                    inc = summarise(iid, reps, wire.original)
                    cur.execute(
                        "INSERT INTO incidents VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                        (iid, inc.country or "", inc.kind, inc.date, inc.date_precision, inc.place, inc.lat, inc.lon,
                         inc.killed.best, inc.injured.best, len(inc.reports), inc.n_sources, int(inc.contested),
                         json.dumps(inc.to_json(), ensure_ascii=False)))
                    cur.executemany(
                        "INSERT INTO incident_reports VALUES (%s,%s,%s) ON CONFLICT (article_id, idx) DO UPDATE"
                        " SET incident_id = excluded.incident_id",
                        [(iid, r.article_id, int(r.key.rsplit("#", 1)[1])) for r in reps])
        return len(groups)

    def incidents(self, query: IncidentQuery = IncidentQuery()) -> Page:
        where, args = _incident_where(query)
        col = _INCIDENT_ORDER[query.order_by.lstrip("-")]
        order = " DESC NULLS LAST" if query.order_by.startswith("-") else " NULLS FIRST"
        rows = self.db.execute(f"SELECT record FROM incidents WHERE {where} ORDER BY {col}{order}, id"
                               " LIMIT %s OFFSET %s", [*args, query.limit, query.offset]).fetchall()
        return Page([json.loads(r["record"]) for r in rows], self.count_incidents(query), query.limit, query.offset)

    def count_incidents(self, query: IncidentQuery = IncidentQuery()) -> int:
        where, args = _incident_where(query)
        return self.db.execute(f"SELECT count(*) AS n FROM incidents WHERE {where}", args).fetchone()["n"]

    def incident(self, incident_id: str) -> dict | None:
        row = self.db.execute("SELECT record FROM incidents WHERE id = %s", (incident_id,)).fetchone()
        return json.loads(row["record"]) if row else None

    def failures(self) -> list[dict]:
        return list(self.db.execute("SELECT * FROM failures ORDER BY origin"))

    def summary(self) -> Summary:
        by_kind = [(r["kind"], r["n"], r["k"] or 0) for r in self.db.execute(
            "SELECT kind, count(*) AS n, sum(killed) AS k FROM events GROUP BY kind ORDER BY count(*) DESC, kind")]
        by_country = [(r["country"] or "?", r["n"]) for r in self.db.execute(
            "SELECT country, count(*) AS n FROM events GROUP BY country ORDER BY count(*) DESC, country")]
        return Summary(self.count("articles"), self.count("failures"), self.count("entities"),
                       self.count("places"), self.count("quotes"), self.count("events"), by_kind, by_country)


def _order(order_by: str) -> str:
    # SQLite puts NULL first ascending and last descending; so does this
    desc = " DESC NULLS LAST" if order_by.startswith("-") else " NULLS FIRST"
    col = _ORDER_COLUMNS[order_by.lstrip("-")]
    d = " DESC" if order_by.startswith("-") else ""
    return f"events.{col}{desc}, events.article_id{d}, events.idx{d}"


def _incident_where(q: IncidentQuery) -> tuple[str, list]:
    """The SQL condition on ``incidents`` for the query's filters (SQLite's, in psycopg's style)."""
    sql, args = incident_conditions(q)
    return sql.replace("?", "%s"), args


def _where(q: EventQuery) -> tuple[str, list]:
    """The SQL condition on ``events`` for the query's filters (SQLite's, in psycopg's style)."""
    sql, args = event_conditions(q, lambda parsed: (
        f"events.id IN (SELECT id FROM event_texts WHERE tsv @@ to_tsquery('{TS_CONFIG}', ?))", [tsquery(parsed)]))
    return sql.replace("?", "%s"), args


__all__ = ["MIGRATIONS", "PostgresStore", "tsquery"]
