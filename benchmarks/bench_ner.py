#!/usr/bin/env python3
"""Speed and memory of the named-entity recogniser.

    .venv/bin/python benchmarks/bench_ner.py                 # ANERcorp test sentences + dev articles
    .venv/bin/python benchmarks/bench_ner.py --repeat 3
    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/bench_ner.py --model accurate   # e5 + CRF ([e5] extra)

Prints sentences/second and tokens/second of the CRF tagger on the ANERcorp test
split (pre-tokenised), articles/second of ``marsad.ner.recognize`` on the
articles of ../shared/eval/dev (tokenising, tagging, grouping), the time to load
the model, and peak resident memory. Single process; run the CRF with
OMP_NUM_THREADS=1 (it uses one core), the accurate model with its torch threads.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SHARED = ROOT.parent / "shared"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--model", choices=["crf", "accurate"], default="crf")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from marsad.ner import recognize, tag_sentences, use
    from marsad.ner.model import STAGE1, STAGE2, STREAM_WINDOW, has_stage2, tag_tokens, tagger
    from marsad.ner.resources import load
    use(args.model)
    load()
    tagger(STAGE1)
    if has_stage2():
        tagger(STAGE2)
    if args.model == "accurate":
        from marsad.ner.e5_tagger import tagger as e5
        print(f"e5 tagger: bfloat16 {'on' if e5().bf16 else 'off'}")
    print(f"load ({args.model}): {time.perf_counter() - t0:.2f}s")

    from marsad.ner.conll import read_columns
    sents = [[row[0] for row in s] for s in read_columns(SHARED / "data" / "anercorp" / "ANERCorp_CamelLab_test.txt")]
    ntok = sum(map(len, sents))
    runs = [("shipped " + args.model, lambda: tag_sentences(sents, window=STREAM_WINDOW))]
    if args.model == "crf":
        runs.insert(0, ("pass 1 only", lambda: [tag_tokens(s) for s in sents]))
    for label, run in runs:
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            run()
        dt = time.perf_counter() - t0
        n = len(sents) * args.repeat
        print(f"ANERcorp test, {label}: {n / dt:.0f} sentences/s, {ntok * args.repeat / dt:.0f} tokens/s "
              f"({len(sents)} sentences, {ntok} tokens)")

    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "eval" / "dev").glob("*.txt"))]
    if texts:
        from marsad.arabic import tokens
        words = sum(len(tokens(t)) for t in texts)
        t0 = time.perf_counter()
        for _ in range(args.repeat):
            for t in texts:
                recognize(t)
        dt = time.perf_counter() - t0
        n = len(texts) * args.repeat
        print(f"dev articles: {n / dt:.1f} articles/s, {1000 * dt / n:.1f} ms/article "
              f"(mean {words / len(texts):.0f} tokens)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
