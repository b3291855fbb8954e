"""The toll property of issue 14 over real SaudiNewsNet articles (../shared; not committed).

    PYTHONPATH=src python benchmarks/toll_property.py [-n 3000] [--rules] [--show 10]

Reads the toll of every sentence of N SaudiNewsNet articles (the conflict subset's, then
the raw dumps' others: corpus.source.saudinewsnet_texts; the corpus test split left out)
as the events stage does, and counts the sentences where a toll is above the
largest number of people the sentence names, a sentence total above all the people it
names, or a count of a noun that is not a person or not a casualty
(events.toll_model.sentence_violations). ``--rules`` reads with the rules alone (no learned
decision, no hard limits): today's behaviour. Prints counts only, unless --show N.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.corpus.source import saudinewsnet_texts  # noqa: E402
from marsad.events import toll_model as tm  # noqa: E402
from marsad.events import tolls  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=3000)
    ap.add_argument("--rules", action="store_true")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    tolls.LEARNED = not args.rules
    n = tolled = 0
    bad: list[dict] = []
    t0 = time.perf_counter()
    for text in saudinewsnet_texts(args.n):
        t, v = tm.sentence_violations(text)
        n, tolled, bad = n + 1, tolled + t, bad + v
    kinds = Counter(b["what"] for b in bad)
    print(f"{'rules' if args.rules else 'learned'}: {n} articles, {tolled} sentences with a toll, "
          f"{len(bad)} violations {dict(kinds)} ({time.perf_counter() - t0:.0f} s)")
    for b in bad[:args.show]:
        print(" ", {k: v for k, v in b.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
