"""`marsad serve` under load: p50/p99 latency of the list, facet and aggregate endpoints at a fixed rate.

Fills (or reuses) a store of --events synthetic events as benchmarks/bench_store.py does, starts
the server in its own process on 127.0.0.1 only, then sends --rate requests a second for
--seconds (open loop: each request leaves at its scheduled time whether or not earlier ones have
answered, so a slow server shows as latency, not as a lower rate). Requests cycle through list,
facet and aggregate queries with filters drawn at random from a fixed pool (countries, kinds,
months): --views distinct views drawn by popularity, the way dashboard users ask the same views
again and again. By default every distinct request is asked once, serially, before the timed run
(their first-time latencies are printed apart): the timed figures are those of a server that has
been answering these views; --no-warm starts from a cold cache; --fresh asks every request
with a view not asked before (no answer can come from the cache: the store's own speed). Latency is measured from
the scheduled send time to the last byte. Bounded: at most rate x seconds requests, each with
a 10 s timeout.

    PYTHONPATH=src OMP_NUM_THREADS=1 python benchmarks/bench_serve.py [--events 100000] [--db /tmp/bench.db]
        [--rate 100] [--seconds 20] [--cache 256]

--cache 0 turns the server's answer cache off, to see the store's own speed under load.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import fill  # noqa: E402

HOST = "127.0.0.1"
# Client threads sending (open loop): enough that a slow answer never holds back the next send.
CLIENT_THREADS = 64
TIMEOUT_S = 10
COUNTRIES = ["SY", "IQ", "YE", "LY", "EG"]
KINDS = ["air_strike", "shelling", "bombing", "armed_clash", "killing", "abduction", "arrest", "protest"]
MONTHS = [f"{y}-{m:02d}" for y in (2014, 2015, 2016) for m in range(1, 13)]


def views(rng: random.Random, n: int) -> list[dict]:
    """``n`` distinct dashboard views (filter sets), the first the unfiltered landing view."""
    out, seen = [{}], {()}
    while len(out) < n:
        q = {"country": rng.choice(COUNTRIES)}
        r = rng.random()
        if r < 0.6:
            q["kind"] = rng.choice(KINDS)
        if r > 0.7:
            q["since"] = q["until"] = rng.choice(MONTHS)
        key = tuple(sorted(q.items()))
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


def every_view() -> list[dict]:
    """Every filter set of a country, a kind and a month (each or none), but the unfiltered one:
    1,997 views, so that 2,000 requests need never ask one twice."""
    return [{k: v for k, v in (("country", c), ("kind", kd), ("since", m), ("until", m)) if v}
            for c in [None, *COUNTRIES] for kd in [None, *KINDS] for m in [None, *MONTHS] if c or kd or m]


def queries(rng: random.Random, n_views: int, fresh: bool = False) -> dict[str, callable]:
    """Endpoint name -> a function drawing one request path. Views are drawn by popularity
    (weight 1/rank: the landing view most, a long tail of others), as shared links and reloads do;
    ``fresh``: each endpoint's requests take the views of ``every_view`` in a random order, each
    once, so no answer is ever in the server's cache."""
    pool = views(rng, n_views)
    weights = [1 / (i + 1) for i in range(len(pool))]
    decks: dict[int, list[dict]] = {}

    def filt(deck: int = 0) -> dict:
        if not fresh:
            return dict(rng.choices(pool, weights)[0])
        if not decks.get(deck):
            decks[deck] = every_view()
            rng.shuffle(decks[deck])
        return dict(decks[deck].pop())

    return {
        "list": lambda: "/api/events?" + urlencode({**filt(0), "limit": 50, "order_by": "-date",
                                                     "offset": rng.choice([0, 0, 0, 50, 100])}),
        "facets": lambda: "/api/facets?" + urlencode({**filt(1), "fields": "kind,country,admin1,status,side,year",
                                                      "size": 12}),
        "aggregate": lambda: "/api/aggregate?" + urlencode({**filt(2), "by": rng.choice(["week", "month", "place"])}),
    }


class Client(threading.local):
    conn: http.client.HTTPConnection | None = None


def start_server(db: str, port: int, cache: int) -> subprocess.Popen:
    code = f"from marsad.serve import run; run({db!r}, {HOST!r}, {port}, cache_size={cache})"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection(HOST, port, timeout=2)
            c.request("GET", "/api/meta")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start in 60 s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/marsad-bench-store.db")
    ap.add_argument("--rate", type=float, default=100.0)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--cache", type=int, default=256)
    ap.add_argument("--port", type=int, default=0, help="default: a free port")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--warm", action=argparse.BooleanOptionalAction, default=True,
                    help="ask every distinct request once before timing (default); --no-warm starts cold")
    ap.add_argument("--views", type=int, default=40, help="distinct filter sets the requests are drawn from")
    ap.add_argument("--fresh", action="store_true",
                    help="every request a view not asked before (country x kind x month, 1,997 of them): "
                         "the cache never answers; implies --no-warm")
    ap.add_argument("--show-slowest", type=int, default=0, help="print the N slowest requests (time, path)")
    args = ap.parse_args()
    if args.fresh:
        args.warm = False

    store = fill(args.db, args.events)
    n_events = store.count("events")
    store.close()
    if not args.port:
        with socket.socket() as s:
            s.bind((HOST, 0))
            args.port = s.getsockname()[1]
    proc = start_server(args.db, args.port, args.cache)
    rng = random.Random(args.seed)
    makers = queries(rng, args.views, args.fresh)
    names = list(makers)
    n = int(args.rate * args.seconds)
    plan = [(names[i % len(names)], makers[names[i % len(names)]]()) for i in range(n)]
    local = Client()
    lat: dict[str, list[float]] = {k: [] for k in [*names, "meta"]}
    errors: list[str] = []
    slowest: list[tuple[float, float, str]] = []

    def send(name: str, path: str, due: float) -> None:
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        for attempt in (1, 2):
            try:
                if local.conn is None:
                    local.conn = http.client.HTTPConnection(HOST, args.port, timeout=TIMEOUT_S)
                local.conn.request("GET", path)
                resp = local.conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    errors.append(f"{resp.status} {path} {body[:100]!r}")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as e:
                # a kept-alive connection the server closed while it sat idle (uvicorn: after 5 s):
                # sent again once on a new one, as HTTP clients do; the time it took counts
                local.conn = None
                if attempt == 2:
                    errors.append(f"{type(e).__name__} {path}")
                    return
            except OSError as e:
                local.conn = None
                errors.append(f"{type(e).__name__} {path}")
                return
        lat[name].append((time.perf_counter() - due) * 1000)
        slowest.append((lat[name][-1], due, path))

    try:
        # warm-up, not timed: one of each (page cache, first connections); with --warm every distinct
        # request of the plan once, serially, as a server that has been answering these views
        warm = sorted(set(plan)) if args.warm else [(name, makers[name]()) for name in names]
        t_warm = time.perf_counter()
        cold: dict[str, list[float]] = {k: [] for k in names}
        for name, path in warm:
            t = time.perf_counter()
            send(name, path, t)
            cold[name].append((time.perf_counter() - t) * 1000)
        t_warm = time.perf_counter() - t_warm
        # every client thread's connection opened and the server's worker threads started (each
        # opens its store connection on first use) by a burst of counts, an endpoint not timed: a
        # server that has been up has both; what stays cold is the answer cache
        pool = ThreadPoolExecutor(max_workers=CLIENT_THREADS)
        list(pool.map(lambda _: send("meta", "/api/events/count", time.perf_counter()), range(4 * CLIENT_THREADS)))
        for k in lat:
            lat[k].clear()
        slowest.clear()
        t0 = time.perf_counter() + 0.5
        with pool:
            for i, (name, path) in enumerate(plan):
                due = t0 + i / args.rate
                wait = due - 0.05 - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                pool.submit(send, name, path, due)
        elapsed = time.perf_counter() - t0
    finally:
        proc.terminate()
        proc.wait(10)

    print(f"{n_events} events; {n} requests at {args.rate:g}/s over {elapsed:.1f} s; "
          f"{'every request a new view' if args.fresh else f'{args.views} views'}; cache {args.cache}; "
          f"{len(errors)} errors")
    print(f"warm-up: {len(warm)} distinct requests serially in {t_warm:.1f} s; cold (first-time) latency:")
    for name in names:
        ms = sorted(cold[name])
        if ms:
            print(f"  {name:<10} n {len(ms):>4}  p50 {statistics.median(ms):7.1f} ms  max {ms[-1]:7.1f} ms")
    print(f"{'endpoint':<12} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    worst = 0.0
    out = {}
    for name in names:
        ms = sorted(lat[name])
        if not ms:
            continue
        p99 = ms[min(len(ms) - 1, int(round(0.99 * (len(ms) - 1))))]
        worst = max(worst, p99)
        out[name] = {"n": len(ms), "p50": round(statistics.median(ms), 1), "p99": round(p99, 1)}
        print(f"{name:<12} {len(ms):>5} {statistics.median(ms):8.1f} {p99:8.1f} {ms[-1]:8.1f}")
    print(f"worst p99: {worst:.1f} ms ({'under' if worst < 200 else 'OVER'} the 200 ms budget)")
    for e in errors[:5]:
        print("error:", e)
    if args.show_slowest:
        for ms, due, path in sorted(slowest, reverse=True)[:args.show_slowest]:
            print(f"slow: {ms:7.1f} ms at {due - t0:5.2f} s {path}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
