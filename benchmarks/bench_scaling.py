"""Scaling: articles/second with 1, 2 and 4 workers, local processes and Dask, and what a store costs.

    OMP_NUM_THREADS=1 python benchmarks/bench_scaling.py [--n 300] [--workers 1,2,4]
        [--runners processes,dask] [--pg postgresql://…] [--data ../shared/data/saudinewsnet]

Runs the default pipeline over the first N SaudiNewsNet articles (never copied
into the repo) with each runner and worker count, and prints per run:

- wall: articles / seconds from the call to the last result, start-up included
  (a pool's workers load the models once each; a Dask LocalCluster starts its
  workers and they load the models);
- steady: articles after the first result / seconds from the first result to the
  last, the rate a long run settles at (start-up excluded);
- efficiency: steady rate / (workers x the steady rate of one worker of that runner).

Then, from a serial run in this process: CPU seconds per article (CPU-hours per
million), peak memory of a worker, and the bytes a stored article takes in a
SQLite file and (with --pg) in a PostgreSQL schema, per million articles.
On a machine shared with other jobs, read the load average it prints first.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import DEFAULT_DATA, articles  # noqa: E402

from marsad.batch import Item, process_items  # noqa: E402
from marsad.runners import DaskRunner, ProcessRunner, SerialRunner  # noqa: E402
from marsad.store import open_store  # noqa: E402


def timed_run(runner, items: list[Item]) -> tuple[float, float, int]:
    """(wall seconds, steady seconds from the first result, results)."""
    t0 = time.perf_counter()
    first = None
    n = 0
    for res in process_items(iter(items), runner=runner):
        n += 1
        if first is None:
            first = time.perf_counter()
        assert res.article is not None, res.failure
    end = time.perf_counter()
    return end - t0, end - first, n


def worker_rss_mb(address: str) -> float:
    from distributed import Client

    import psutil

    with Client(address) as c:
        rss = c.run(lambda: psutil.Process().memory_info().rss)
    return max(rss.values()) / 2 ** 20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--runners", default="processes,dask")
    ap.add_argument("--pg", help="a postgresql:// URL to measure the stored size there too")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    a = ap.parse_args()
    if not (a.data / "raw_zips").is_dir():
        sys.exit(f"no SaudiNewsNet zips under {a.data}/raw_zips")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    docs = list(articles(a.data, a.n))
    items = [Item(d.origin or str(i), article=d) for i, d in enumerate(docs)]
    counts = [int(w) for w in a.workers.split(",")]
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"articles: {len(docs)} SaudiNewsNet, {sum(len(d.text) for d in docs) / len(docs):.0f} characters each")
    print()
    print(f"{'runner':<10} {'workers':>7} {'wall/s':>8} {'steady/s':>9} {'efficiency':>10} {'first result s':>14}")
    worker_mb = {}
    for name in a.runners.split(","):
        base = None
        for w in counts:
            cluster = None
            if name == "processes":
                runner = ProcessRunner(w)
            else:
                from distributed import LocalCluster

                t = time.perf_counter()
                cluster = LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None)
                cluster_s = time.perf_counter() - t
                runner = DaskRunner(scheduler=cluster.scheduler_address)
            wall, steady, n = timed_run(runner, items)
            if cluster is not None:
                worker_mb[f"dask, {w} workers"] = worker_rss_mb(cluster.scheduler_address)
                cluster.close()
                wall += cluster_s     # what --runner dask without --scheduler pays
            rate = (n - 1) / steady
            base = base or rate / w
            print(f"{name:<10} {w:>7} {n / wall:>8.1f} {rate:>9.1f} {rate / (w * base):>10.2f} "
                  f"{wall - steady:>14.1f}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    # serial, in this process: CPU time per article and what the stores take
    cpu0 = time.process_time()
    results = [r.article for r in process_items(iter(items), runner=SerialRunner())]
    cpu = (time.process_time() - cpu0) / len(results)
    print(f"CPU per article (serial, models loaded): {cpu * 1000:.1f} ms = {cpu * 1e6 / 3600:.0f} CPU-hours per million")
    if children:
        print(f"peak memory of a process-pool worker: {children:.0f} MB")
    for k, v in worker_mb.items():
        print(f"peak memory of a Dask worker ({k}): {v:.0f} MB")
    print(f"this process after the serial run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    half = len(results) // 2

    def report(name: str, sizes: list[int], put_s: float, note: str = "") -> None:
        # the marginal size of the second half: a new store's fixed pages (one or more per table and
        # index) do not grow with the articles
        per = (sizes[1] - sizes[0]) / (len(results) - half)
        print(f"{name}: {len(results)} articles in {sizes[1] / 2 ** 20:.1f} MB; {per / 1024:.1f} KB per further"
              f" article = {per * 1e6 / 2 ** 30:.1f} GB per million{note}; {len(results) / put_s:.0f} articles/s"
              " stored by the one writer")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        sizes, put_s = [], 0.0
        for part in (results[:half], results[half:]):
            with open_store(path) as st:
                t = time.perf_counter()
                for art in part:
                    st.put(art)
                put_s += time.perf_counter() - t
            sizes.append(sum(p.stat().st_size for p in Path(tmp).iterdir()))
        report("SQLite", sizes, put_s)
    if a.pg:
        import psycopg

        schema = "bench_" + uuid.uuid4().hex[:8]
        size_sql = ("SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n"
                    " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('r', 'm')")
        with psycopg.connect(a.pg, autocommit=True) as con:
            con.execute(f"CREATE SCHEMA {schema}")
            try:
                url = a.pg + ("&" if "?" in a.pg else "?") + f"options=-csearch_path%3D{schema}"
                sizes, put_s = [], 0.0
                with open_store(url) as st:
                    for part in (results[:half], results[half:]):
                        t = time.perf_counter()
                        for art in part:
                            st.put(art)
                        put_s += time.perf_counter() - t
                        con.execute("VACUUM ANALYZE")
                        sizes.append(con.execute(size_sql, (schema,)).fetchone()[0])
            finally:
                con.execute(f"DROP SCHEMA {schema} CASCADE")
        report("PostgreSQL", sizes, put_s, " (tables, indexes, TOAST)")

if __name__ == "__main__":
    main()
