"""The embedded store: SQLite with full-text search over normalised Arabic.

One writer writes whole articles in one transaction each, keyed by article id,
so ingesting twice stores once and a batch killed mid-way resumes cleanly:
an article is either fully stored or not at all. Failures are stored as data
in their own table, keyed by the input they came from. The query methods here
(the ``Store`` protocol of ``base.py``) are what the CLI, API and exports call;
nobody else writes SQL.

The full-text indexes are FTS5 tables linked to their content tables
(``articles_fts`` to ``articles``, ``event_texts_fts`` to ``event_texts``, the
events' sentences) and kept by triggers, as sqlite-utils builds them, so
sqlite-utils and Datasette find them; ``events_flat`` is a view of events
with their article and sentences for browsing.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..arabic import normalize
from ..core import Article, Failure
from ..errors import StoreError
from ..incidents.build import IncidentIndex, incident_countries, reports_of
from ..incidents.sources import summarise
from ..incidents.wire import WireIndex, from_bytes, minhash, to_bytes
from ..search import parse, snippet, stems
from .base import (FACETS, SEARCH_SCOPES, EventQuery, Hit, IncidentQuery, Page, event_conditions, incident_conditions, Summary, check_aggregate, check_facets,
                   check_scope)

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
CACHE_KIB = 64 * 1024
MMAP_BYTES = 256 * 1024 * 1024

# Version 1 (session 1): the tables. Kept verbatim: stores made by it migrate from here.
SCHEMA_1 = """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        origin TEXT,
        published TEXT,
        title TEXT,
        outlet TEXT,
        url TEXT,
        agencies TEXT,
        text TEXT NOT NULL,
        record TEXT NOT NULL,
        stage_failures INTEGER NOT NULL DEFAULT 0,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_origin ON articles(origin);
    CREATE TABLE entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        eid TEXT NOT NULL,
        type TEXT,
        name TEXT,
        name_norm TEXT,
        mentions INTEGER,
        PRIMARY KEY (article_id, eid)
    );
    CREATE INDEX entities_name ON entities(name_norm);
    CREATE INDEX entities_type ON entities(type);
    CREATE TABLE places (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        entity TEXT,
        name TEXT,
        name_en TEXT,
        lat REAL, lon REAL,
        country TEXT,
        admin1 TEXT,
        precision TEXT,
        gazetteer_id TEXT,
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX places_country ON places(country);
    CREATE INDEX places_latlon ON places(lat, lon);
    CREATE TABLE quotes (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        speaker TEXT,
        speaker_entity TEXT,
        cue TEXT,
        content TEXT,
        direct INTEGER,
        date TEXT,
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE events (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind TEXT,
        date TEXT,
        date_precision TEXT,
        place TEXT,
        lat REAL, lon REAL,
        country TEXT,
        precision TEXT,
        actors TEXT,
        targets TEXT,
        killed INTEGER,
        injured INTEGER,
        status TEXT,
        sources TEXT,
        acled_type TEXT,
        acled_sub_type TEXT,
        plover_type TEXT,
        record TEXT NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE INDEX events_kind ON events(kind);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_country ON events(country);
    CREATE TABLE failures (
        origin TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, body, stems, tokenize='unicode61 remove_diacritics 2');
    """

# Version 2: events rebuilt lean (every filter and sort column in a short row,
# the record JSON and sentences in event_texts), participants for the actor and
# side filters, indexes that keep lists, facets and aggregates fast on 10^5
# events (benchmarks/bench_store.py), the schema_version table, and full-text
# indexes linked to their content tables. Rows a version-1 store holds are
# rewritten from their records in Python between SCHEMA_2 and SCHEMA_2_END.
SCHEMA_2 = """
    CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied_at TEXT NOT NULL
    );
    DROP TABLE articles_fts;
    ALTER TABLE articles ADD COLUMN stems TEXT;
    DROP INDEX events_kind;
    DROP INDEX events_date;
    DROP INDEX events_country;
    ALTER TABLE events RENAME TO events_v1;
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind TEXT,
        date TEXT,
        date_precision TEXT,
        place TEXT,
        place_en TEXT,
        lat REAL, lon REAL,
        country TEXT,
        admin1 TEXT,
        precision TEXT,
        actors TEXT,
        targets TEXT,
        killed INTEGER,
        injured INTEGER,
        status TEXT,
        sources TEXT,
        acled_type TEXT,
        acled_sub_type TEXT,
        plover_type TEXT,
        published TEXT,
        UNIQUE (article_id, idx)
    );
    CREATE TABLE event_texts (
        id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
        notes TEXT,
        stems TEXT,
        record TEXT NOT NULL
    );
    CREATE TABLE event_participants (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        n INTEGER NOT NULL,
        text TEXT,
        norm TEXT,
        side TEXT,
        PRIMARY KEY (event_id, role, n)
    );
"""
# Indexes of the lean events table and the view for browsing it: the same SQL on every backend.
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
"""
SCHEMA_2_END = f"""
    DROP TABLE events_v1;
{EVENT_INDEXES}    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, stems, content="articles", {TOKENIZE});
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text, stems) VALUES (new.rowid, new.title, new.text, new.stems);
    END;
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text, stems)
            VALUES ('delete', old.rowid, old.title, old.text, old.stems);
    END;
    CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text, stems)
            VALUES ('delete', old.rowid, old.title, old.text, old.stems);
        INSERT INTO articles_fts (rowid, title, text, stems) VALUES (new.rowid, new.title, new.text, new.stems);
    END;
    CREATE VIRTUAL TABLE event_texts_fts USING fts5(notes, stems, content="event_texts", content_rowid="id",
                                                    {TOKENIZE});
    CREATE TRIGGER event_texts_ai AFTER INSERT ON event_texts BEGIN
        INSERT INTO event_texts_fts (rowid, notes, stems) VALUES (new.id, new.notes, new.stems);
    END;
    CREATE TRIGGER event_texts_ad AFTER DELETE ON event_texts BEGIN
        INSERT INTO event_texts_fts (event_texts_fts, rowid, notes, stems)
            VALUES ('delete', old.id, old.notes, old.stems);
    END;
    CREATE TRIGGER event_texts_au AFTER UPDATE ON event_texts BEGIN
        INSERT INTO event_texts_fts (event_texts_fts, rowid, notes, stems)
            VALUES ('delete', old.id, old.notes, old.stems);
        INSERT INTO event_texts_fts (rowid, notes, stems) VALUES (new.id, new.notes, new.stems);
    END;
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    INSERT INTO event_texts_fts (event_texts_fts) VALUES ('rebuild');
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _joined(parts: Iterable[dict]) -> str:
    return "; ".join(p["text"] for p in parts)


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


def insert_events(db: sqlite3.Connection, aid: str, rec: dict) -> None:
    """The rows of one article's events: events, event_texts and event_participants."""
    for i, e in enumerate(rec["events"]):
        pl = e["place"] or {}
        acled, plover = e.get("acled") or {}, e.get("plover") or {}
        extra = event_columns(rec["text"], e, rec)
        eid = db.execute(
            f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(_EVENT_COLUMNS))})",
            (aid, i, e["kind"], e["date"], e["date_precision"], pl.get("name"), extra["place_en"], pl.get("lat"),
             pl.get("lon"), pl.get("country"), extra["admin1"], pl.get("precision"), _joined(e["actors"]),
             _joined(e["targets"]), e["killed"]["total"], e["injured"]["total"], e["status"], _joined(e["sources"]),
             acled.get("event_type"), acled.get("sub_event_type"), plover.get("event_type"), rec["published"])
        ).lastrowid
        db.execute("INSERT INTO event_texts (id, notes, stems, record) VALUES (?, ?, ?, ?)",
                   (eid, extra["notes"], extra["stems"], json.dumps(e, ensure_ascii=False)))
        db.executemany("INSERT INTO event_participants VALUES (?,?,?,?,?,?)",
                       [(eid, role, n, p["text"], normalize(p["text"]), p.get("side"))
                        for role, key in (("actor", "actors"), ("target", "targets"), ("source", "sources"))
                        for n, p in enumerate(e[key])])


def _migrate_2(db: sqlite3.Connection) -> None:
    _run_script(db, SCHEMA_2)
    for aid, title, text, raw in db.execute("SELECT id, title, text, record FROM articles").fetchall():
        rec = json.loads(raw)
        db.execute("UPDATE articles SET stems = ? WHERE id = ?", (article_stems(title, text, rec), aid))
        insert_events(db, aid, rec)
    _run_script(db, SCHEMA_2_END)


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Run ``script`` statement by statement inside the caller's transaction (executescript would
    commit it first, and a migration is all or nothing)."""
    stmt = ""
    for line in script.splitlines(keepends=True):
        stmt += line
        if sqlite3.complete_statement(stmt):
            db.execute(stmt)
            stmt = ""
    if stmt.strip():
        db.execute(stmt)


SCHEMA_3 = """
    CREATE TABLE wire (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        published TEXT,
        signature BLOB
    );
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        country TEXT NOT NULL,
        kind TEXT,
        date TEXT,
        date_precision TEXT,
        place TEXT,
        lat REAL, lon REAL,
        killed INTEGER,
        injured INTEGER,
        n_reports INTEGER,
        n_sources INTEGER,
        contested INTEGER,
        record TEXT NOT NULL
    );
    CREATE TABLE incident_reports (
        incident_id TEXT NOT NULL,
        article_id TEXT NOT NULL,
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
    CREATE TABLE incidents_dirty (country TEXT PRIMARY KEY);
"""


def _migrate_3(db: sqlite3.Connection) -> None:
    _run_script(db, SCHEMA_3)
    for aid, published, text in db.execute("SELECT id, published, text FROM articles").fetchall():
        _put_signature(db, aid, published, text)
    db.execute("INSERT OR IGNORE INTO incidents_dirty SELECT DISTINCT coalesce(country, '') FROM events")


def _put_signature(db: sqlite3.Connection, aid: str, published: str | None, text: str) -> None:
    m = minhash(text)
    db.execute("INSERT OR REPLACE INTO wire VALUES (?,?,?)", (aid, published, to_bytes(m) if m else None))


# Recorded migrations, run once each in order; schema_version holds one row per migration run
# (stores made before version 2 counted them in PRAGMA user_version, which is still kept in step).
MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
    ("tables", SCHEMA_1),
    ("events lean with event_texts, participants, indexes, FTS linked to content tables, events_flat", _migrate_2),
    ("incidents: wire signatures, incidents and their reports, countries to rebuild", _migrate_3),
]
_INCIDENT_ORDER = {"date": "date", "killed": "killed", "sources": "n_sources", "reports": "n_reports"}

# Columns an order_by name sorts on; article and index break ties so pages are stable.
_ORDER_COLUMNS = {"date": "date", "published": "published", "killed": "killed", "injured": "injured",
                  "kind": "kind", "country": "country"}
_FACET_COLUMNS = {"kind": "kind", "acled_type": "acled_type", "acled_sub_type": "acled_sub_type",
                  "plover_type": "plover_type", "country": "country", "admin1": "admin1", "status": "status",
                  "precision": "precision", "date_precision": "date_precision", "year": "substr(date, 1, 4)"}
_BUCKETS = {"day": "date", "week": "date(date, 'weekday 0', '-6 days')", "month": "substr(date, 1, 7)",
            "year": "substr(date, 1, 4)", "country": "country", "admin1": "admin1", "kind": "kind"}
_EVENT_COLUMNS = ("article_id", "idx", "kind", "date", "date_precision", "place", "place_en", "lat", "lon",
                  "country", "admin1", "precision", "actors", "targets", "killed", "injured", "status", "sources",
                  "acled_type", "acled_sub_type", "plover_type", "published")


# Seconds to wait for another process's lock: an article's transaction is milliseconds; an
# incident rebuild at the end of a batch of thousands, a few seconds.
BUSY_SECONDS = 60


class SQLiteStore:
    """The ``Store`` protocol on one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | Path = "marsad.db"):
        self.path = str(path)
        # A reader or a second writer waits this long for another process's transaction.
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_SECONDS)
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                # WAL keeps readers unblocked while the one writer ingests.
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            # Lists, facets and aggregates read the lean events table and its indexes (~40 MB at 10^5
            # events): a page cache of that size keeps them in memory, and memory-mapped reads skip a
            # copy. Both are upper bounds, not allocations.
            self.db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            self.migrate()
        except sqlite3.Error as exc:
            # "file is not a database", "database disk image is malformed": refused, the file left as it is
            self.db.close()
            raise StoreError(f"{self.path}: not a usable marsad store ({exc})") from None

    # --- schema --------------------------------------------------------------

    def schema_version(self) -> int:
        has_table = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
        if has_table:
            v = self.db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if v is not None:
                return v
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        while (version := self.schema_version()) < len(MIGRATIONS):
            description, step = MIGRATIONS[version]
            i = version + 1
            # One locked transaction per migration. Two processes opening a new store at once
            # both see the old version: the second waits for the lock, then finds the step
            # done (or fails on the tables the first made, rolls back and finds it done).
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if self.schema_version() >= i:
                    self.db.execute("ROLLBACK")
                    continue
                step(self.db) if callable(step) else _run_script(self.db, step)
                if i >= 2:      # version 2 brought the table
                    self.db.execute("INSERT OR IGNORE INTO schema_version VALUES (1, ?, ?)", (MIGRATIONS[0][0], _now()))
                    self.db.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (i, description, _now()))
                self.db.execute(f"PRAGMA user_version = {i}")
            except BaseException:
                self.db.execute("ROLLBACK")
                if self.schema_version() < i:
                    raise
                continue
            self.db.execute("COMMIT")

    def close(self) -> None:
        # keeps the planner's statistics current after large ingests (cheap when nothing changed);
        # a reader closing while another process writes skips it rather than wait for the lock
        try:
            self.db.execute("PRAGMA optimize")
        except sqlite3.OperationalError:
            pass
        self.db.close()

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def has_origin(self, origin: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE origin = ?", (origin,)).fetchone() is not None

    def put(self, article: Article) -> bool:
        """Store one processed article atomically; False when its id was already stored.
        StoreError when it cannot be written (disk full, corrupt, locked too long): not stored."""
        try:
            return self._put(article)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not store {article.origin or article.id} ({exc})") from None

    def _put(self, article: Article) -> bool:
        aid = article.ensure_id()
        record = article.to_json()
        with self._transaction():  # all of the article or none of it
            cur = self.db.execute(
                "INSERT OR IGNORE INTO articles (id, origin, published, title, outlet, url, agencies, text, record,"
                " stage_failures, ingested_at, stems) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (aid, article.origin, article.published, article.title, article.outlet, article.url,
                 json.dumps(article.agencies), article.text, json.dumps(record, ensure_ascii=False),
                 len(article.failures), _now(), article_stems(article.title, article.text, record)))
            if cur.rowcount == 0:
                return False
            self._put_children(aid, record)
            _put_signature(self.db, aid, article.published, article.text)
            self.db.execute("INSERT OR IGNORE INTO incidents_dirty SELECT DISTINCT coalesce(country, '')"
                            " FROM events WHERE article_id = ?", (aid,))
            # and the countries its reports were placed in from the article (ungazetteered places)
            self.db.executemany("INSERT OR IGNORE INTO incidents_dirty VALUES (?)",
                                [(c,) for c in incident_countries(record)])
            if article.origin:
                self.db.execute("DELETE FROM failures WHERE origin = ?", (article.origin,))
        return True

    def _put_children(self, aid: str, rec: dict) -> None:
        self.db.executemany(
            "INSERT INTO entities VALUES (?,?,?,?,?,?)",
            [(aid, e["id"], e["type"], e["name"], normalize(e["name"]), len(e["mentions"])) for e in rec["entities"]])
        self.db.executemany(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(aid, i, p["entity"], p["name"], p.get("name_en"), p["lat"], p["lon"], p.get("country"),
              p.get("admin1"), p["precision"], p.get("gazetteer_id")) for i, p in enumerate(rec["places"])])
        self.db.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?)",
            [(aid, i, q["speaker"]["text"], q["speaker"]["entity"], q["cue"], q["content"]["text"],
              int(q["direct"]), q.get("date")) for i, q in enumerate(rec["quotes"])])
        insert_events(self.db, aid, rec)

    def put_failure(self, origin: str, failure: Failure) -> None:
        try:
            with self._transaction():
                self.db.execute("INSERT OR REPLACE INTO failures VALUES (?,?,?,?)",
                                (origin, failure.reason, failure.message, _now()))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not record the failure of {origin} ({exc})") from None

    # --- reading -------------------------------------------------------------

    def count(self, table: str) -> int:
        if table not in ("articles", "entities", "places", "quotes", "events", "failures"):
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def record(self, article_id: str) -> dict | None:
        row = self.db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def records(self, query: EventQuery | None = None) -> Iterator[dict]:
        if query is None or not query.filtered:
            sql, args = "SELECT record FROM articles ORDER BY published, id", []
        else:
            where, args = _where(query)
            sql = (f"SELECT record FROM articles WHERE id IN (SELECT events.article_id FROM events WHERE {where})"
                   " ORDER BY published, id")
        for row in self.db.execute(sql, args):
            yield json.loads(row[0])

    def _event_rows(self, query: EventQuery, page: bool) -> Iterator[dict]:
        where, args = _where(query)
        order = _order(query.order_by)
        if page:
            # the page's ids from the lean table and its indexes first, then only their records
            where = (f"events.id IN (SELECT events.id FROM events WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?)")
            args = [*args, query.limit, query.offset]
        sql = ("SELECT events.article_id, events.idx, events.published, events.admin1, t.notes, t.record, a.url,"
               " a.outlet FROM events JOIN event_texts t ON t.id = events.id JOIN articles a ON a.id = events.article_id"
               f" WHERE {where} ORDER BY {order}")
        for row in self.db.execute(sql, args):
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
        return self.db.execute(f"SELECT count(*) FROM events WHERE {where}", args).fetchone()[0]

    def facets(self, query: EventQuery = EventQuery(), fields: Iterable[str] = FACETS,
               size: int = 20) -> dict[str, list[tuple[Any, int]]]:
        where, args = _where(query)
        names = check_facets(fields)
        out = {}
        if "side" in names:
            sql = ("SELECT side, count(DISTINCT event_id) AS n FROM event_participants"
                   " WHERE role IN ('actor', 'target') AND side IS NOT NULL"
                   + ("" if where == "1=1" else f" AND event_id IN (SELECT events.id FROM events WHERE {where})")
                   + " GROUP BY side ORDER BY n DESC, side LIMIT ?")
            out["side"] = [(r[0], r[1]) for r in self.db.execute(sql, [*args, size])]
        cols = [n for n in names if n != "side"]
        if not cols:
            return out
        if where == "1=1":
            # every event: one GROUP BY per field, each read from that field's index alone
            for name in cols:
                col = _FACET_COLUMNS[name]
                sql = f"SELECT {col}, count(*) AS n FROM events GROUP BY {col} ORDER BY n DESC, 1 LIMIT ?"
                out[name] = [(r[0], r[1]) for r in self.db.execute(sql, (size,))]
        else:
            # a filter: the matching rows are read once into a temporary table, then grouped per field
            selected = ", ".join(f"{_FACET_COLUMNS[n]} AS {n}" for n in cols)
            groups = " UNION ALL ".join(
                f"SELECT * FROM (SELECT '{n}', {n}, count(*) AS c FROM m GROUP BY {n} ORDER BY c DESC, 2 LIMIT {size})"
                for n in cols)
            for name, value, n in self.db.execute(
                    f"WITH m AS MATERIALIZED (SELECT {selected} FROM events WHERE {where}) {groups}", args):
                out.setdefault(name, []).append((value, n))
            for name in cols:
                out.setdefault(name, [])
        return {n: out[n] for n in names}

    def aggregate(self, query: EventQuery = EventQuery(), by: str = "day") -> list[dict]:
        where, args = _where(query)
        check_aggregate(by)
        if by == "place":
            sql = ("SELECT place, lat, lon, count(*), sum(killed), sum(injured) FROM events"
                   f" WHERE {where} AND place IS NOT NULL GROUP BY place, lat, lon ORDER BY count(*) DESC, place")
            return [{"key": r[0], "lat": r[1], "lon": r[2], "events": r[3], "killed": r[4] or 0, "injured": r[5] or 0}
                    for r in self.db.execute(sql, args)]
        col = _BUCKETS[by]
        sql = (f"SELECT {col} AS k, count(*), sum(killed), sum(injured) FROM events"
               f" WHERE {where} AND {col} IS NOT NULL GROUP BY k ORDER BY k")
        return [{"key": r[0], "events": r[1], "killed": r[2] or 0, "injured": r[3] or 0}
                for r in self.db.execute(sql, args)]

    def search(self, text: str, scope: Iterable[str] = SEARCH_SCOPES, limit: int = 20) -> list[Hit]:
        """Events and articles matching ``text`` (syntax of ``marsad.search``), best first; snippets are
        cut from the original text. A phrase is looked up near and then checked word by word."""
        q = parse(text)
        scope = check_scope(scope)
        # a phrase lookup returns candidates the word-by-word check may drop: fetch more of them
        fetch = limit * 4 if q.has_phrase else limit
        hits: list[Hit] = []
        if "events" in scope:
            rows = self.db.execute(
                "SELECT e.article_id, e.idx, e.kind, e.date, e.place, e.place_en, t.notes, e.actors, e.targets,"
                " e.sources, a.title, a.published, event_texts_fts.rank AS score FROM event_texts_fts"
                " JOIN event_texts t ON t.id = event_texts_fts.rowid JOIN events e ON e.id = t.id"
                " JOIN articles a ON a.id = e.article_id"
                " WHERE event_texts_fts MATCH ? ORDER BY event_texts_fts.rank LIMIT ?", (q.fts(), fetch)).fetchall()
            for r in rows:
                indexed = "\n".join(r[k] or "" for k in ("notes", "place", "place_en", "actors", "targets", "sources"))
                if q.has_phrase and not q.matches(indexed):
                    continue
                hits.append(Hit("event", r["article_id"], r["idx"], r["title"], r["published"],
                                snippet(r["notes"] or "", q), r["score"], r["kind"], r["date"], r["place"]))
        if "articles" in scope:
            rows = self.db.execute(
                "SELECT a.id, a.title, a.published, a.text, articles_fts.rank AS score FROM articles_fts"
                " JOIN articles a ON a.rowid = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?", (q.fts(), fetch)).fetchall()
            for r in rows:
                body = f"{r['title'] or ''}\n{r['text']}"
                if q.has_phrase and not q.matches(body):
                    continue
                # the text usually opens with its title: cut from the text, from the title when only it matches
                text = r["text"] if q.matches(r["text"]) or not r["title"] else r["title"]
                hits.append(Hit("article", r["id"], None, r["title"], r["published"], snippet(text, q), r["score"]))
        # bm25 ranks of the two indexes are on one scale (lower is better) though not calibrated to each other
        hits.sort(key=lambda h: h.score)
        return hits[:limit]

    # --- incidents -----------------------------------------------------------

    def update_incidents(self) -> int:
        dirty = [r[0] for r in self.db.execute("SELECT country FROM incidents_dirty")]
        if not dirty:
            return 0
        wire = WireIndex()
        for aid, published, blob in self.db.execute("SELECT article_id, published, signature FROM wire"):
            wire.add(aid, None, published, from_bytes(blob) if blob else None)
        marks = ",".join("?" * len(dirty))
        index = IncidentIndex()
        for (raw,) in self.db.execute(
                f"SELECT record FROM articles WHERE id IN (SELECT DISTINCT article_id FROM events"
                f" WHERE coalesce(country, '') IN ({marks}) OR country IS NULL)", dirty):
            for rep in reports_of(json.loads(raw)):
                if (rep.country or "") in dirty:
                    index.add(rep)
        groups = index.groups()
        with self._transaction():
            self.db.execute(f"DELETE FROM incident_reports WHERE incident_id IN"
                            f" (SELECT id FROM incidents WHERE country IN ({marks}))", dirty)
            self.db.execute(f"DELETE FROM incidents WHERE country IN ({marks})", dirty)
            for iid, reps in groups.items():
                inc = summarise(iid, reps, wire.original)
                self.db.execute(
                    "INSERT INTO incidents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (iid, inc.country or "", inc.kind, inc.date, inc.date_precision, inc.place, inc.lat, inc.lon,
                     inc.killed.best, inc.injured.best, len(inc.reports), inc.n_sources, int(inc.contested),
                     json.dumps(inc.to_json(), ensure_ascii=False)))
                self.db.executemany("INSERT OR REPLACE INTO incident_reports VALUES (?,?,?)",
                                    [(iid, r.article_id, int(r.key.rsplit("#", 1)[1])) for r in reps])
            self.db.execute(f"DELETE FROM incidents_dirty WHERE country IN ({marks})", dirty)
        return len(groups)

    def incidents(self, query: IncidentQuery = IncidentQuery()) -> Page:
        where, args = incident_conditions(query)
        col = _INCIDENT_ORDER[query.order_by.lstrip("-")]
        desc = " DESC" if query.order_by.startswith("-") else ""
        rows = self.db.execute(f"SELECT record FROM incidents WHERE {where} ORDER BY {col}{desc}, id"
                               f" LIMIT ? OFFSET ?", args + [query.limit, query.offset]).fetchall()
        return Page([json.loads(r[0]) for r in rows], self.count_incidents(query), query.limit, query.offset)

    def count_incidents(self, query: IncidentQuery = IncidentQuery()) -> int:
        where, args = incident_conditions(query)
        return self.db.execute(f"SELECT count(*) FROM incidents WHERE {where}", args).fetchone()[0]

    def incident(self, incident_id: str) -> dict | None:
        row = self.db.execute("SELECT record FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def failures(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM failures ORDER BY origin")]

    def summary(self) -> Summary:
        by_kind = [(r[0], r[1], r[2] or 0) for r in self.db.execute(
            "SELECT kind, count(*), sum(killed) FROM events GROUP BY kind ORDER BY count(*) DESC")]
        by_country = [(r[0] or "?", r[1]) for r in self.db.execute(
            "SELECT country, count(*) FROM events GROUP BY country ORDER BY count(*) DESC")]
        return Summary(self.count("articles"), self.count("failures"), self.count("entities"),
                       self.count("places"), self.count("quotes"), self.count("events"), by_kind, by_country)


def _order(order_by: str) -> str:
    desc = " DESC" if order_by.startswith("-") else ""
    col = _ORDER_COLUMNS[order_by.lstrip("-")]
    return f"events.{col}{desc}, events.article_id{desc}, events.idx{desc}"


def _where(q: EventQuery) -> tuple[str, list]:
    """The SQL condition on ``events`` for the query's filters, and its arguments."""
    return event_conditions(q, lambda parsed: (
        "events.id IN (SELECT rowid FROM event_texts_fts WHERE event_texts_fts MATCH ?)", [parsed.fts()]))


def snapshot(path: str | Path) -> dict:
    """What a store file holds, for comparing two stores after faults (a killed ingest rerun
    against a clean one): integrity, every record, duplicate inputs, events, incidents, the
    full-text index's size and the failures. Opened directly, without migrating."""
    con = sqlite3.connect(str(path))
    try:
        return {
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
            "articles": dict(con.execute("SELECT id, record FROM articles").fetchall()),
            "dup_origins": con.execute("SELECT count(*) FROM (SELECT origin FROM articles GROUP BY origin"
                                       " HAVING count(*) > 1)").fetchone()[0],
            "events": sorted(con.execute("SELECT e.article_id, e.idx, t.record FROM events e"
                                         " JOIN event_texts t ON t.id = e.id").fetchall()),
            "incidents": sorted(r[0] for r in con.execute("SELECT record FROM incidents")),
            "fts": con.execute("SELECT count(*) FROM articles_fts").fetchone()[0],
            "failures": sorted(r[0] for r in con.execute("SELECT origin FROM failures")),
        }
    finally:
        con.close()


def stored_articles(path: str | Path) -> int:
    """How many articles a store file holds, read-only (0 while it cannot be read: being created)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0
