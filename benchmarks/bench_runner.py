"""How well a runner keeps its workers busy, whatever else the machine is doing.

    python benchmarks/bench_runner.py [--n 300] [--ms 40] [--workers 1,2,4]

Each item stands for one SaudiNewsNet article and *sleeps* for a time proportional to
that article's length (mean ``--ms``, 40 ms: the pipeline's CPU per article), so the
rates measure the runner (how it hands out chunks, waits for results in order, starts
its pool), not the pipeline. With W workers a perfect runner reaches W times the serial
rate (efficiency 1.0); what it loses is time a worker spent idle while work was waiting.
A sleep needs no core, but waking from it does: on a loaded machine (load average above
the cores) every wake-up waits its turn and the figures scatter by ±0.2x; read several
rounds (docs/performance.md, session 6).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench_throughput import DEFAULT_DATA, write_input

from marsad.runners import ProcessRunner, SerialRunner


def work(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--ms", type=float, default=40.0, help="mean time per item")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as d:
        inp = Path(d) / "input.jsonl"
        write_input(a.data, a.n, inp)
        lens = [len(json.loads(line)["text"]) for line in open(inp, encoding="utf-8")]
    mean = sum(lens) / len(lens)
    items = [a.ms / 1000 * n / mean for n in lens]
    serial = None
    print(f"{len(items)} items, {a.ms:g} ms each on average (sleeps in proportion to the article lengths)")
    for w in (int(x) for x in a.workers.split(",")):
        runner = SerialRunner() if w == 1 else ProcessRunner(w)
        t = time.perf_counter()
        out = list(runner.map(work, items))
        wall = time.perf_counter() - t
        assert out == items, "results out of order"
        rate = len(items) / wall
        serial = serial or rate
        print(f"workers {w}: {rate:6.1f} items/s, {rate / serial:4.2f}x serial, efficiency {rate / serial / w:4.2f}")


if __name__ == "__main__":
    main()
