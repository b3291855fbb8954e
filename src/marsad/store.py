"""The embedded store: SQLite with full-text search over normalised Arabic.

One writer writes whole articles in one transaction each, keyed by article id,
so ingesting twice stores once and a batch killed mid-way resumes cleanly:
an article is either fully stored or not at all. Failures are stored as data
in their own table, keyed by the input they came from. Query functions here
are what the CLI, API and exports call; nobody else writes SQL.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .arabic import clitic_variants, normalize, token_texts
from .core import Article, Failure
from .errors import StoreError

# Recorded migrations: each runs once, in order; PRAGMA user_version holds how many ran.
MIGRATIONS: list[str] = [
    """
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
    """,
]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fts_text(article: Article) -> tuple[str, str]:
    """(normalised text for snippets, clitic-stripped stems for matching)."""
    body = normalize((article.title or "") + "\n" + article.text)
    return body, stems(body)


def stems(normalised: str) -> str:
    # Every clitic reading of every word is indexed (وبغداد → وبغداد بغداد غداد),
    # so a query word as typed (بغداد, المرصد, مرصد) finds its attached forms.
    return " ".join(v for w in token_texts(normalised) for _, v in clitic_variants(w))


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


class Store:
    def __init__(self, path: str | Path = "marsad.db"):
        self.path = str(path)
        self.db = sqlite3.connect(self.path)
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                # WAL keeps readers unblocked while the one writer ingests.
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        except sqlite3.Error as exc:
            # "file is not a database", "database disk image is malformed": refused, and the file left as it is
            self.db.close()
            raise StoreError(f"{self.path}: not a usable marsad store ({exc})") from None

    def migrate(self) -> None:
        while (version := self.db.execute("PRAGMA user_version").fetchone()[0]) < len(MIGRATIONS):
            # One locked transaction per migration. Two processes opening a new store at
            # once both see version 0: the second waits for the lock, fails on the
            # tables the first created, rolls back and finds the migration done.
            try:
                self.db.executescript(f"BEGIN IMMEDIATE; {MIGRATIONS[version]}; PRAGMA user_version = {version + 1}; COMMIT;")
            except sqlite3.OperationalError:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                if self.db.execute("PRAGMA user_version").fetchone()[0] <= version:
                    raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -------------------------------------------------------------

    def has_origin(self, origin: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE origin = ?", (origin,)).fetchone() is not None

    def put(self, article: Article) -> bool:
        """Store one processed article atomically; False when its id was already stored."""
        try:
            return self._put(article)
        except sqlite3.Error as exc:   # disk full, store corrupted or locked too long: the article is not stored
            raise StoreError(f"{self.path}: could not store {article.origin or article.id} ({exc})") from None

    def _put(self, article: Article) -> bool:
        aid = article.ensure_id()
        record = article.to_json()
        with self.db:  # one transaction: all of the article or none of it
            cur = self.db.execute(
                "INSERT OR IGNORE INTO articles (id, origin, published, title, outlet, url, agencies, text, record,"
                " stage_failures, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (aid, article.origin, article.published, article.title, article.outlet, article.url,
                 json.dumps(article.agencies), article.text, json.dumps(record, ensure_ascii=False),
                 len(article.failures), _now()))
            if cur.rowcount == 0:
                return False
            self._put_children(aid, record)
            self.db.execute("INSERT INTO articles_fts (id, body, stems) VALUES (?, ?, ?)", (aid, *_fts_text(article)))
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
        rows = []
        for i, e in enumerate(rec["events"]):
            pl = e["place"] or {}
            acled, plover = e.get("acled") or {}, e.get("plover") or {}
            rows.append((aid, i, e["kind"], e["date"], e["date_precision"], pl.get("name"), pl.get("lat"),
                         pl.get("lon"), pl.get("country"), pl.get("precision"),
                         "; ".join(a["text"] for a in e["actors"]), "; ".join(t["text"] for t in e["targets"]),
                         e["killed"]["total"], e["injured"]["total"], e["status"],
                         "; ".join(s["text"] for s in e["sources"]), acled.get("event_type"),
                         acled.get("sub_event_type"), plover.get("event_type"), json.dumps(e, ensure_ascii=False)))
        self.db.executemany("INSERT INTO events VALUES (" + ",".join("?" * 20) + ")", rows)

    def put_failure(self, origin: str, failure: Failure) -> None:
        try:
            with self.db:
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

    def records(self) -> Iterator[dict]:
        for row in self.db.execute("SELECT record FROM articles ORDER BY published, id"):
            yield json.loads(row[0])

    def events(self, kind: str | None = None, country: str | None = None,
               since: str | None = None, until: str | None = None) -> Iterator[dict]:
        """Events with their article id, newest data order (date, article, index)."""
        sql, args = "SELECT article_id, record FROM events WHERE 1=1", []
        for col, op, val in (("kind", "=", kind), ("country", "=", country), ("date", ">=", since), ("date", "<=", until)):
            if val:
                sql += f" AND {col} {op} ?"
                args.append(val)
        for row in self.db.execute(sql + " ORDER BY date, article_id, idx", args):
            ev = json.loads(row["record"])
            ev["article_id"] = row["article_id"]
            yield ev

    def search(self, query: str, limit: int = 20) -> list[dict]:
        """Full-text search over normalised Arabic (hamza/alef/ta marbuta forms fold together)."""
        terms = [t for t in token_texts(normalize(query)) if t.isalnum()]
        if not terms:
            return []
        match = "stems: " + " ".join(f'"{t}"' for t in terms)
        rows = self.db.execute(
            "SELECT a.id, a.title, a.published, substr(articles_fts.body, 1, 160) AS snip"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.id"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?", (match, limit)).fetchall()
        return [dict(r) for r in rows]

    def failures(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM failures ORDER BY origin")]

    def summary(self) -> Summary:
        by_kind = [(r[0], r[1], r[2] or 0) for r in self.db.execute(
            "SELECT kind, count(*), sum(killed) FROM events GROUP BY kind ORDER BY count(*) DESC")]
        by_country = [(r[0] or "?", r[1]) for r in self.db.execute(
            "SELECT country, count(*) FROM events GROUP BY country ORDER BY count(*) DESC")]
        return Summary(self.count("articles"), self.count("failures"), self.count("entities"),
                       self.count("places"), self.count("quotes"), self.count("events"), by_kind, by_country)

