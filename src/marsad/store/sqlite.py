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

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..errors import StoreError
from ..search import Query
from .sql import EVENT_HIT, MIGRATIONS, SCHEMA_VERSION, SQLStore, _marks, _now

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"
CACHE_KIB = 64 * 1024
MMAP_BYTES = 256 * 1024 * 1024

# Version 1's events table and full-text index, which version 2 replaced. Kept verbatim: stores
# made by version 1 migrate from here.
EVENTS_1 = """    CREATE TABLE events (
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
    CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, body, stems, tokenize='unicode61 remove_diacritics 2');
"""
# Version 2 here: version 1's events table set aside (dropped once its rows are rewritten) and
# its FTS index replaced by FTS5 tables linked to their content tables, kept by triggers.
BEFORE_2 = SCHEMA_VERSION + """    DROP TABLE articles_fts;
    ALTER TABLE articles ADD COLUMN stems TEXT;
    DROP INDEX events_kind;
    DROP INDEX events_date;
    DROP INDEX events_country;
    ALTER TABLE events RENAME TO events_v1;
"""
AFTER_2 = f"""    DROP TABLE events_v1;
    CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, stems, content="articles", {TOKENIZE});
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
# Version 4 here: triggers mark the months a write touches (in the writer's transaction), for
# refresh_stats to recount.
STATS_TRIGGERS = """
    CREATE TRIGGER events_stats_ai AFTER INSERT ON events BEGIN
        INSERT OR IGNORE INTO event_stats_dirty VALUES (coalesce(substr(new.date, 1, 7), ''));
    END;
    CREATE TRIGGER events_stats_ad AFTER DELETE ON events BEGIN
        INSERT OR IGNORE INTO event_stats_dirty VALUES (coalesce(substr(old.date, 1, 7), ''));
    END;
    CREATE TRIGGER events_stats_au AFTER UPDATE ON events BEGIN
        INSERT OR IGNORE INTO event_stats_dirty VALUES (coalesce(substr(old.date, 1, 7), ''));
        INSERT OR IGNORE INTO event_stats_dirty VALUES (coalesce(substr(new.date, 1, 7), ''));
    END;
"""
# The schema's format fields (marsad.store.sql): SQLite's types, and its own statements.
DDL = {"T": "TEXT", "REAL": "REAL", "BLOB": "BLOB", "EVENT_ID": "INTEGER PRIMARY KEY", "BIGINT": "INTEGER",
       "event_texts_extra": "", "search": "FTS linked to content tables",
       "before_1": "", "after_1": EVENTS_1, "before_2": BEFORE_2, "after_2": AFTER_2,
       "stats_triggers": STATS_TRIGGERS}
# Version 1 as one script (tests build a version-1 store from it).
SCHEMA_1 = MIGRATIONS[0][1][0].format_map(DDL)


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


# Seconds to wait for another process's lock: an article's transaction is milliseconds; an
# incident rebuild at the end of a batch of thousands, a few seconds.
BUSY_SECONDS = 60


class SQLiteStore(SQLStore):
    """The ``Store`` protocol on one SQLite file (or ``:memory:``)."""

    DDL = DDL
    WEEK = "date(date, 'weekday 0', '-6 days')"
    TEXT_CONDITION = "events.id IN (SELECT rowid FROM event_texts_fts WHERE event_texts_fts MATCH ?)"
    EVENT_SEARCH = (f"{EVENT_HIT}, event_texts_fts.rank AS score FROM event_texts_fts"
                    " JOIN event_texts t ON t.id = event_texts_fts.rowid JOIN events e ON e.id = t.id"
                    " JOIN articles a ON a.id = e.article_id"
                    " WHERE event_texts_fts MATCH ? ORDER BY event_texts_fts.rank LIMIT ?")
    ARTICLE_SEARCH = ("SELECT a.id, a.title, a.published, a.text, articles_fts.rank AS score FROM articles_fts"
                      " JOIN articles a ON a.rowid = articles_fts.rowid"
                      " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?")
    ERRORS = (sqlite3.Error,)
    FACETS_PER_INDEX = True

    def __init__(self, path: str | Path = "marsad.db"):
        self.path = self.name = str(path)
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

    def _execute(self, sql: str, args: Any = None) -> sqlite3.Cursor:
        return self.db.execute(sql, args or ())

    def _executemany(self, sql: str, rows: list) -> None:
        self.db.executemany(sql, rows)

    def _script(self, sql: str) -> None:
        _run_script(self.db, sql)

    def _text_arg(self, q: Query) -> str:
        return q.fts()

    @contextmanager
    def _transaction(self, mode: str = "") -> Iterator[None]:
        # mode "IMMEDIATE": the write lock taken before the first read
        self.db.execute(f"BEGIN {mode}")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- schema --------------------------------------------------------------

    def schema_version(self) -> int:
        has_table = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
        if has_table:
            v = self.db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
            if v is not None:
                return v
        # stores made before version 2 counted their migrations here; it is still kept in step
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        while (version := self.schema_version()) < len(MIGRATIONS):
            i = version + 1
            # One locked transaction per migration. Two processes opening a new store at once
            # both see the old version: the second waits for the lock, then finds the step
            # done (or fails on the tables the first made, rolls back and finds it done).
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if self.schema_version() >= i:
                    self.db.execute("ROLLBACK")
                    continue
                description = self._upgrade(MIGRATIONS[version])
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

    # --- counts and incidents ------------------------------------------------

    def refresh_stats(self) -> int:
        # the marks read under the write lock: a writer marking a month meanwhile waits
        with self._transaction("IMMEDIATE"):
            months = [r[0] for r in self.db.execute("SELECT month FROM event_stats_dirty")]
            if months:
                self._recount(months)
                self.db.execute(f"DELETE FROM event_stats_dirty WHERE month IN ({_marks(months)})", months)
        return len(months)

    def _update_incidents(self) -> int:
        # the counts of the months this batch touched are brought up to date at the same point
        self.refresh_stats()
        # clustered outside the write lock (ingesting processes keep writing meanwhile); the marks
        # are cleared with the new incidents, in one transaction
        dirty = [r["country"] for r in self.db.execute("SELECT country FROM incidents_dirty")]
        if not dirty:
            return 0
        groups, wire = self._regroup(dirty)
        with self._transaction():
            self._replace_incidents(dirty, groups, wire)
            self.db.execute(f"DELETE FROM incidents_dirty WHERE country IN ({_marks(dirty)})", dirty)
        return len(groups)


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
