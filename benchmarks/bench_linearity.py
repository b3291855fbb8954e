"""Time per article against article length: the pipeline must grow linearly.

    python benchmarks/bench_linearity.py [--sizes 1000,5000,20000,50000,100000] [--stages]

Builds synthetic articles of each size (in words) by repeating real sentences of
SaudiNewsNet articles (read at run time from DATA/raw_zips, never copied into the
repo), runs the default pipeline on each once, warm, and prints CPU seconds and
CPU milliseconds per 1,000 words. Linear growth shows as a flat ms/1,000 words
column; a quadratic loop as a column that grows with the size. ``--stages``
adds the same per stage, to find which one bends.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench_throughput import DEFAULT_DATA, snn_articles

from marsad.arabic import sentences
from marsad.batch import preload
from marsad.core import Article
from marsad.pipeline import default_pipeline


def real_sentences(data: Path, k: int = 300) -> list[str]:
    """Sentences of the first ``k`` articles, in order, the short fragments left out."""
    out = []
    for obj in snn_articles(data, k):
        text = obj["content"]
        out += [text[s.start:s.end] for s in sentences(text) if len(text[s.start:s.end].split()) >= 5]
    return out


def synthetic(sents: list[str], words: int) -> str:
    """Real sentences, cycled, in paragraphs of five, until ``words`` words."""
    out, n, i = [], 0, 0
    while n < words:
        s = sents[i % len(sents)]
        out.append(s)
        n += len(s.split())
        i += 1
    return "\n\n".join(" ".join(out[j:j + 5]) for j in range(0, len(out), 5))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,20000,50000,100000")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--stages", action="store_true")
    a = ap.parse_args()
    preload()
    pipe = default_pipeline()
    sents = real_sentences(a.data)
    print(f"{'words':>8} {'cpu s':>8} {'ms/1k words':>12} {'events':>7} {'entities':>9}"
          + ("  per stage ms/1k words: " + " ".join(pipe.names) if a.stages else ""))
    for size in (int(x) for x in a.sizes.split(",")):
        art = Article(text=synthetic(sents, size), published="2015-08-01")
        words = len(art.text.split())
        spent = []
        t0 = time.process_time()
        for st in pipe.stages:
            t = time.process_time()
            art = st.run(art)
            spent.append(time.process_time() - t)
        cpu = time.process_time() - t0
        line = f"{words:>8} {cpu:8.2f} {1e6 * cpu / words:12.1f} {len(art.events):>7} {len(art.entities):>9}"
        if a.stages:
            line += "  " + " ".join(f"{1e6 * s / words:.1f}" for s in spent)
        print(line, flush=True)


if __name__ == "__main__":
    main()
