"""Incident building at scale: ingest SaudiNewsNet's conflict subset twice, in two orders.

    python benchmarks/bench_incidents.py [--n 2359] [--workers 2] [--dir /tmp/marsad-inc]

Prints, for each order: the ingest wall time, the time of incident building within it
(``update_incidents`` after the batch, timed again on a copy with every country marked),
the number of incidents and their peak memory; then whether the two orders gave the same
incidents (ids and members). The articles are read from ../shared/data (CC BY-NC-SA);
nothing is written outside --dir.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from marsad.corpus.source import shared_dir
from marsad.store import IncidentQuery, SQLiteStore


def members(db: Path) -> dict[str, list]:
    with SQLiteStore(db) as s:
        out, q = {}, IncidentQuery(limit=1000)
        while True:
            page = s.incidents(q)
            for inc in page.items:
                out[inc["id"]] = sorted(r["key"] for r in inc["reports"])
            if page.next_offset is None:
                return out
            q = IncidentQuery(limit=1000, offset=page.next_offset)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2359)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", default="/tmp/marsad-inc")
    a = ap.parse_args()
    work = Path(a.dir)
    work.mkdir(parents=True, exist_ok=True)
    lines = (shared_dir() / "data" / "saudinewsnet" / "conflict_subset.jsonl").read_text(encoding="utf-8").splitlines()[: a.n]
    results = {}
    for name, seed in (("file order", None), ("shuffled", 7)):
        order = lines[:]
        if seed is not None:
            random.Random(seed).shuffle(order)
        feed = work / f"{name.replace(' ', '_')}.jsonl"
        feed.write_text("\n".join(order) + "\n", encoding="utf-8")
        db = work / f"{name.replace(' ', '_')}.db"
        for p in work.glob(db.name + "*"):
            p.unlink()
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", str(feed), "--db", str(db),
                        "--workers", str(a.workers)], check=False, stderr=subprocess.DEVNULL)
        ingest = time.perf_counter() - t
        copy = work / "copy.db"
        shutil.copy(db, copy)
        with SQLiteStore(copy) as s:
            s.db.execute("INSERT OR IGNORE INTO incidents_dirty SELECT DISTINCT coalesce(country, '') FROM events")
            tracemalloc.start()
            t = time.perf_counter()
            n = s.update_incidents()
            build = time.perf_counter() - t
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        copy.unlink()
        results[name] = members(db)
        print(f"{name:10}  ingest {ingest:7.1f} s  incidents {n:5d}  building them {build:5.1f} s "
              f"({100 * build / ingest:.1f}% of ingest)  peak {peak / 2**20:.0f} MB")
    a_, b_ = results.values()
    print(f"same incidents in both orders: {a_ == b_} ({len(a_)} and {len(b_)})")


if __name__ == "__main__":
    main()
