"""CPU time spent in each pipeline stage over N SaudiNewsNet articles.

    python benchmarks/profile_stages.py [--n 200]
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict

from bench_pipeline import DEFAULT_DATA, articles

from marsad.core import Article
from marsad.pipeline import default_pipeline


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    a = ap.parse_args()
    pipe = default_pipeline()
    pipe(Article(text="تحميل: قتل ثلاثة في دمشق.", published="2015-08-01"))
    spent: dict[str, float] = defaultdict(float)
    docs = list(articles(DEFAULT_DATA, a.n))
    for art in docs:
        for st in pipe.stages:
            t0 = time.process_time()
            art = st.run(art)
            spent[st.name] += time.process_time() - t0
    total = sum(spent.values())
    for name in pipe.names:
        print(f"{name:<12} {1000 * spent[name] / len(docs):7.2f} ms/article  {100 * spent[name] / total:5.1f}%")
    print(f"{'total':<12} {1000 * total / len(docs):7.2f} ms/article  -> {len(docs) / total:.1f} articles/s on one core")


if __name__ == "__main__":
    main()
