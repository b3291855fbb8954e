"""Throughput and peak memory of the whole pipeline on real articles.

    python benchmarks/bench_pipeline.py [--n 500] [--workers 2] [--data ../shared/data/saudinewsnet]

Reads SaudiNewsNet's daily zips (a JSON array of articles each) from the
shared data folder, which is never copied into the repo, runs the default
pipeline over the first N articles and prints articles/second and peak
resident memory. Model and gazetteer loading happen before the clock starts
(they are paid once per process), and are reported separately.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from marsad.batch import Item, process_items
from marsad.core import Article
from marsad.pipeline import process

# the zips are read by one function, shared with the throughput benchmark beside this file
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import snn_articles  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"


def articles(data: Path, n: int):
    """The first ``n`` non-empty SaudiNewsNet articles as marsad Articles."""
    for obj in snn_articles(data, n):
        yield Article(text=obj["content"], title=obj.get("title") or None, url=obj.get("url"),
                      outlet=obj.get("source"), published=(obj.get("date_extracted") or "")[:10] or None,
                      origin=obj.get("url"))


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--events", choices=("rules", "learned"), default=None,
                    help="the events variant (default: the default options')")
    a = ap.parse_args()
    from marsad.options import default
    options = default().with_(events=a.events) if a.events else None
    if not (a.data / "raw_zips").is_dir():
        sys.exit(f"no SaudiNewsNet zips under {a.data}/raw_zips")
    docs = list(articles(a.data, a.n))
    chars = sum(len(d.text) for d in docs)
    t0 = time.perf_counter()
    process(Article(text="تحميل النماذج مرة واحدة: قتل ثلاثة في دمشق.", published="2015-08-01"), options)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    failed = events = 0
    for res in process_items((Item(d.origin or str(i), article=d) for i, d in enumerate(docs)), a.workers, options=options):
        failed += bool(res.article.failures)
        events += len(res.article.events)
    elapsed = time.perf_counter() - t0
    own, children = peak_mb()
    print(f"articles           {len(docs)}  ({chars / max(len(docs), 1):.0f} characters each on average)")
    print(f"workers            {a.workers}")
    print(f"model/data load    {load_s:.2f} s (once per process, not in the rate)")
    print(f"elapsed            {elapsed:.2f} s")
    print(f"articles/second    {len(docs) / elapsed:.1f}")
    print(f"events found       {events}")
    print(f"stage failures     {failed}")
    # Workers started by a forkserver (after torch was loaded here) are not our children,
    # so RUSAGE_CHILDREN does not see them.
    worker = f"{children:.0f} MB (largest worker)" if children else "largest worker not measurable (forkserver)"
    print(f"peak memory        {own:.0f} MB (main process)" + (f", {worker}" if a.workers > 1 else ""))


if __name__ == "__main__":
    main()
