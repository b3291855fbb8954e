"""Counts kept beside the events, so a facet, an aggregate or a count of the dashboard's filters
reads a few thousand rows instead of every matching event.

Two tables, the same on both backends (version 4 of the schema):

- ``event_stats``: events per month and per combination of the exact-value columns (kind, the
  ACLED and PLOVER types, country, admin1, status, the two precisions), with their killed and
  injured summed. Rows with ``side = ''`` count every event; a row with a side counts the events
  that have an actor or target of that side (each event once per side), so the side facet and
  the side filter read the same table. 100,000 events of three years make ~10,000 rows.
- ``event_days``: events per day, kind and country (with the day's week), for the day and week
  buckets and for counts with a day-precise date.

A query is answered here only when every filter it sets is one these tables keep (dates to the
month or year for ``event_stats``, any date for ``event_days``); anything else (a bounding box, a
participant, words, a toll, one article, a day-precise date with a facet) reads the events as
before, and so does every query while counts are stale. Triggers on ``events`` mark the months
whose events changed (``event_stats_dirty``, in the writer's own transaction); the backend's
``refresh_stats`` recounts those months, and ``update_incidents`` (run once at the end of
every ingest batch and every POST) calls it. Both paths give the same answers: the tests ask each
question of the counts and of the events and compare.

SQL here is written once with ``?`` placeholders, as ``base.event_conditions``; the PostgreSQL
backend replaces them. ``run(sql, args)`` is the backend's: it returns rows readable by column name.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from .base import EventQuery, _Conds

Run = Callable[[str, list], list]

# The exact-value columns event_stats keeps, each a facet and (but the precisions and sub-types) a filter.
DIMS = ("kind", "acled_type", "acled_sub_type", "plover_type", "country", "admin1", "status", "precision",
        "date_precision")
# Facets answered from event_stats: its columns, the year of its month, and side.
STATS_FACETS = {**{d: d for d in DIMS}, "year": "substr(month, 1, 4)"}
STATS_BUCKETS = {"month": "month", "year": "substr(month, 1, 4)", "country": "country", "admin1": "admin1",
                 "kind": "kind"}
# Buckets answered from event_days.
DAY_BUCKETS = ("day", "week")


def schema(text: str) -> str:
    """The tables and indexes of version 4 (``text``: the backend's text column type), and indexes on
    events for what the counts do not answer. The per-place aggregate is read from covering indexes
    (a country's or a kind's entries, or all of them with every exact filter column): the planner
    takes the place index for its order, and without the filter columns in it read every event's
    row to test them (1 s for one kind on 10^5 events, against 6 ms). A page of one country and
    kind, newest first, is read in order from its own."""
    dims = ", ".join(f"{d} {text}" for d in DIMS)
    return f"""
    CREATE TABLE event_stats (
        month {text},
        side {text} NOT NULL,
        {dims},
        n INTEGER NOT NULL,
        killed INTEGER,
        injured INTEGER
    );
    CREATE INDEX event_stats_month ON event_stats(side, month);
    CREATE INDEX event_stats_country ON event_stats(side, country, month);
    CREATE INDEX event_stats_kind ON event_stats(side, kind, month);
    CREATE TABLE event_days (
        date {text},
        week {text},
        kind {text},
        country {text},
        n INTEGER NOT NULL,
        killed INTEGER,
        injured INTEGER
    );
    -- covering: the planner may read a bucket's index for its order and test the filters in it
    CREATE INDEX event_days_date ON event_days(date, country, kind, n, killed, injured);
    CREATE INDEX event_days_week ON event_days(week, country, kind, n, killed, injured);
    CREATE INDEX event_days_country ON event_days(country, kind, date, week, n, killed, injured);
    CREATE INDEX event_days_kind ON event_days(kind, date, country, week, n, killed, injured);
    -- Months (substr(date, 1, 7); '' for no date) whose events changed since they were last counted.
    CREATE TABLE event_stats_dirty (month {text} PRIMARY KEY);
    DROP INDEX events_place;
    CREATE INDEX events_place ON events(place, lat, lon, kind, country, admin1, status, acled_type, date, killed,
                                        injured);
    CREATE INDEX events_country_place ON events(country, place, lat, lon, kind, date, killed, injured);
    CREATE INDEX events_kind_place ON events(kind, place, lat, lon, country, date, killed, injured);
    CREATE INDEX events_country_kind ON events(country, kind, date, article_id, idx);
"""


def _months_condition(months: list[str] | None, prefix: str = "") -> tuple[str, list]:
    """Events whose month is one of ``months`` (None: every event), by ranges an index on date serves."""
    if months is None:
        return "1=1", []
    parts, args = [], []
    for m in months:
        if m == "":
            parts.append(f"{prefix}date IS NULL")
        else:
            parts.append(f"({prefix}date >= ? AND {prefix}date <= ? AND substr({prefix}date, 1, 7) = ?)")
            args += [m, m + "~", m]
    return "(" + " OR ".join(parts or ["1=0"]) + ")", args


def refresh_statements(months: list[str] | None, week: str) -> list[tuple[str, list]]:
    """The statements that recount ``months`` (None: all), to run in one transaction. ``week``: the
    backend's week bucket over ``date`` (its Monday), kept per row: a date function over every row
    of a week aggregate cost more than the sums."""
    cond, cargs = _months_condition(months)
    dims = ", ".join(DIMS)
    e_dims = ", ".join(f"e.{d}" for d in DIMS)
    if months is None:
        clear = [("DELETE FROM event_stats", []), ("DELETE FROM event_days", [])]
    else:
        marks = ", ".join("?" * len(months))
        clear = [(f"DELETE FROM event_stats WHERE coalesce(month, '') IN ({marks})", list(months)),
                 (f"DELETE FROM event_days WHERE coalesce(substr(date, 1, 7), '') IN ({marks})", list(months))]
    return clear + [
        (f"INSERT INTO event_stats (month, side, {dims}, n, killed, injured)"
         f" SELECT substr(date, 1, 7), '', {dims}, count(*), sum(killed), sum(injured) FROM events"
         f" WHERE {cond} GROUP BY substr(date, 1, 7), {dims}", cargs),
        (f"INSERT INTO event_stats (month, side, {dims}, n, killed, injured)"
         f" SELECT substr(e.date, 1, 7), s.side, {e_dims}, count(*), sum(e.killed), sum(e.injured)"
         " FROM (SELECT DISTINCT event_id, side FROM event_participants"
         "       WHERE role IN ('actor', 'target') AND side IS NOT NULL"
         f"      AND event_id IN (SELECT id FROM events WHERE {cond})) s JOIN events e ON e.id = s.event_id"
         f" GROUP BY substr(e.date, 1, 7), s.side, {e_dims}", cargs),
        ("INSERT INTO event_days (date, week, kind, country, n, killed, injured)"
         f" SELECT date, {week}, kind, country, count(*), sum(killed), sum(injured) FROM events"
         f" WHERE {cond} GROUP BY date, kind, country", cargs),
    ]


def _fresh(run: Run) -> bool:
    return not run("SELECT month FROM event_stats_dirty LIMIT 1", [])


def _plain(q: EventQuery) -> bool:
    """No filter the count tables cannot honour."""
    return not (q.bbox or q.actor or q.source or q.text or q.min_killed is not None or q.article_id)


def month_conditions(q: EventQuery) -> tuple[str, list] | None:
    """The condition on event_stats equivalent to the query's on events (its side clause apart), or
    None. A month key is a prefix of its dates, so ``date >= since`` and ``month >= since`` agree
    for a year or a month; a day-precise bound does not, and is left to the events."""
    if not _plain(q) or any(d is not None and len(d) not in (4, 7) for d in (q.since, q.until)):
        return None
    c = _Conds()
    if q.since:
        c.add("month >= ?", q.since)
    if q.until:
        c.add("month <= ?", q.until + "~")
    if q.kind:
        c.add(f"kind IN ({', '.join('?' * len(q.kind))})", *q.kind)
    for col in ("acled_type", "country", "admin1", "status"):
        if getattr(q, col) is not None:
            c.add(f"{col} = ?", getattr(q, col))
    return c.done()


def day_conditions(q: EventQuery) -> tuple[str, list] | None:
    """The condition on event_days equivalent to the query's on events, or None."""
    if not _plain(q) or any(getattr(q, col) is not None for col in ("acled_type", "admin1", "status", "side")):
        return None
    c = _Conds()
    c.dates_and_place(q)          # dates and kinds (toll and box are not plain)
    if q.country:
        c.add("country = ?", q.country)
    return c.done()


def count(run: Run, q: EventQuery) -> int | None:
    """How many events match, from the counts; None when they cannot say."""
    cond = month_conditions(q)
    if cond is not None:
        where, args = cond
        sql, args = f"SELECT sum(n) AS n FROM event_stats WHERE side = ? AND {where}", [q.side or "", *args]
    elif (cond := day_conditions(q)) is not None:
        sql, args = f"SELECT sum(n) AS n FROM event_days WHERE {cond[0]}", cond[1]
    else:
        return None
    if not _fresh(run):
        return None
    return int(run(sql, args)[0]["n"] or 0)


def facets(run: Run, q: EventQuery, names: Iterable[str], size: int) -> dict[str, list[tuple[Any, int]]] | None:
    """The commonest values per field, as the backend's ``facets`` answers them, or None.
    NULL sorts first among equal counts, as in ``SQLStore.facets`` (spelled out for PostgreSQL)."""
    names = list(names)
    cond = month_conditions(q)
    if cond is None or any(n not in STATS_FACETS and n != "side" for n in names) or ("side" in names and q.side):
        return None
    if not _fresh(run):
        return None
    where, args = cond
    out = {}
    for name in names:
        if name == "side":
            sql = (f"SELECT side AS v, sum(n) AS c FROM event_stats WHERE side <> '' AND {where}"
                   f" GROUP BY side ORDER BY c DESC, v LIMIT ?")
            rows = run(sql, [*args, size])
        else:
            col = STATS_FACETS[name]
            sql = (f"SELECT {col} AS v, sum(n) AS c FROM event_stats WHERE side = ? AND {where}"
                   f" GROUP BY {col} ORDER BY c DESC, v NULLS FIRST LIMIT ?")
            rows = run(sql, [q.side or "", *args, size])
        out[name] = [(r["v"], int(r["c"])) for r in rows]
    return out


def aggregate(run: Run, q: EventQuery, by: str) -> list[dict] | None:
    """Events, killed and injured per bucket, as the backend's ``aggregate`` answers them, or None."""
    if by in STATS_BUCKETS and (cond := month_conditions(q)) is not None:
        col = STATS_BUCKETS[by]
        where, args = cond
        sql = (f"SELECT {col} AS k, sum(n) AS n, sum(killed) AS killed, sum(injured) AS injured FROM event_stats"
               f" WHERE side = ? AND {where} AND {col} IS NOT NULL GROUP BY {col} ORDER BY k")
        args = [q.side or "", *args]
    elif by in DAY_BUCKETS and (cond := day_conditions(q)) is not None:
        where, args = cond
        col = "date" if by == "day" else "week"
        sql = (f"SELECT {col} AS k, sum(n) AS n, sum(killed) AS killed, sum(injured) AS injured FROM event_days"
               f" WHERE {where} AND {col} IS NOT NULL GROUP BY {col} ORDER BY k")
    else:
        return None
    if not _fresh(run):
        return None
    return [{"key": r["k"], "events": int(r["n"]), "killed": int(r["killed"] or 0), "injured": int(r["injured"] or 0)}
            for r in run(sql, args)]


__all__ = ["DIMS", "aggregate", "count", "day_conditions", "facets", "month_conditions", "refresh_statements",
           "schema"]
