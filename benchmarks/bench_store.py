"""Store queries on 100,000 events: is a list, facet or aggregate fast enough for an API (p99 < 200 ms)?

Fills a store with synthetic articles made from the demo articles' records
(each article carries EVENTS_PER_ARTICLE events drawn from the demo events,
with dates spread over three years, places and tolls varied), then times each
query REPEAT times and prints p50 / p99 / max in milliseconds.

    PYTHONPATH=src OMP_NUM_THREADS=1 python benchmarks/bench_store.py [--events 100000] [--db /tmp/bench.db]

A store already filled at --db with the same number of events is reused.
"""
from __future__ import annotations

import argparse
import copy
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from marsad.batch import iter_files, process_items
from marsad.core import Place, Toll
from marsad.demo import sample_files
from marsad.store import EventQuery, SQLiteStore

EVENTS_PER_ARTICLE = 10
REPEAT = 30
PLACES = [("حلب", "Aleppo", 36.2021, 37.1343, "SY"), ("سراقب", "Saraqib", 35.8645, 36.8059, "SY"),
          ("الرمادي", "Ramadi", 33.4206, 43.3078, "IQ"), ("الموصل", "Mosul", 36.335, 43.1189, "IQ"),
          ("تعز", "Taiz", 13.5795, 44.0209, "YE"), ("عدن", "Aden", 12.7794, 45.0367, "YE"),
          ("بنغازي", "Benghazi", 32.1167, 20.0667, "LY"), ("العريش", "Arish", 31.1316, 33.7984, "EG")]


def fill(db: str, n_events: int, seed: int = 7) -> SQLiteStore:
    rng = random.Random(seed)
    demo = [r.article for r in process_items(iter_files(sample_files()))]
    pool = [(a, e) for a in demo for e in a.events]
    store = SQLiteStore(db)
    have = store.count("events")
    if have >= n_events:
        store.db.execute("ANALYZE")
        return store
    t = time.perf_counter()
    for n in range(have // EVENTS_PER_ARTICLE, n_events // EVENTS_PER_ARTICLE):
        base, _ = rng.choice(pool)
        art = copy.deepcopy(base)
        art.id, art.origin = f"synthetic-{n}", f"synthetic:{n}"
        day = date(2014, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        art.published = day.isoformat()
        art.events = []
        for _ in range(EVENTS_PER_ARTICLE):
            _, ev = rng.choice(pool)
            ev = copy.deepcopy(ev)
            ev.date = (day - timedelta(days=rng.randrange(3))).isoformat()
            if rng.random() < 0.9:
                name, en, lat, lon, cc = rng.choice(PLACES)
                # places around the town on a 0.05° grid: ~80 distinct points a town, as a gazetteer gives
                # a few thousand distinct points to a real store (every event at its own point would make
                # the place aggregate return 10^5 buckets)
                ev.place = Place(name, round((lat + rng.uniform(-.2, .2)) * 20) / 20,
                                 round((lon + rng.uniform(-.2, .2)) * 20) / 20, "town", name_en=en, country=cc)
            else:
                ev.place = None
            ev.killed = Toll(total=rng.choice([None, None, 0, 1, 2, 3, 5, 8, 13, 40]))
            art.events.append(ev)
        store.put(art)
        if n % 1000 == 0:
            print(f"  {store.count('events')} events, {time.perf_counter() - t:.0f} s", file=sys.stderr)
    print(f"filled {store.count('events')} events in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    store.refresh_stats()            # what an ingest does at the end of its batch (update_incidents)
    store.db.execute("ANALYZE")      # what PRAGMA optimize on closing a store after a large ingest does
    return store


def timed(fn) -> list[float]:
    fn()      # warm the page cache
    out = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/marsad-bench-store.db")
    args = ap.parse_args()
    store = fill(args.db, args.events)
    n = store.count("events")
    queries = {
        "page 1, newest first": lambda: store.events(EventQuery(order_by="-date")),
        "page at offset 50,000": lambda: store.events(EventQuery(offset=50_000)),
        "country + kind, by toll": lambda: store.events(EventQuery(country="SY", kind="air_strike",
                                                                   order_by="-killed")),
        "date range month": lambda: store.events(EventQuery(since="2015-03", until="2015-03")),
        "min_killed 10": lambda: store.events(EventQuery(min_killed=10)),
        "bbox (Idlib)": lambda: store.events(EventQuery(bbox=(36.4, 35.6, 37.2, 36.1))),
        "actor contains": lambda: store.events(EventQuery(actor="داعش")),
        "side civilians": lambda: store.events(EventQuery(side="civilians")),
        "text (FTS)": lambda: store.events(EventQuery(text="غارات OR قصف")),
        "count, filtered": lambda: store.count_events(EventQuery(country="IQ", since="2015")),
        "facets (all 11), no filter": lambda: store.facets(EventQuery()),
        "facets (all 11), country": lambda: store.facets(EventQuery(country="YE")),
        "aggregate by day": lambda: store.aggregate(EventQuery(), by="day"),
        "aggregate by week, country": lambda: store.aggregate(EventQuery(country="SY"), by="week"),
        "aggregate by place": lambda: store.aggregate(EventQuery(), by="place"),
        "search events+articles": lambda: store.search("حلب"),
        "search phrase": lambda: store.search('"غارات جوية"'),
    }
    print(f"{n} events, {store.count('articles')} articles; {REPEAT} runs each after one warm-up")
    print(f"{'query':<30} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    worst = 0.0
    for name, fn in queries.items():
        ms = sorted(timed(fn))
        p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
        worst = max(worst, p99)
        print(f"{name:<30} {statistics.median(ms):8.1f} {p99:8.1f} {ms[-1]:8.1f}")
    print(f"worst p99: {worst:.1f} ms ({'under' if worst < 200 else 'OVER'} the 200 ms budget)")
    print(f"store size: {Path(args.db).stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
