"""Time the quotes and attribution stages inside the whole pipeline.

    python -m marsad.quotes.bench ../shared/data/saudinewsnet/conflict_subset.jsonl -n 200

Reads JSON Lines with a ``content`` (or ``text``) field, runs every default stage on
each article and prints the milliseconds per article of each stage, then how many
violent events got a source and which statuses they carry.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from ..core import Article
from ..pipeline import Pipeline

VIOLENT = {"air_strike", "shelling", "bombing", "suicide_bombing", "armed_clash", "territory_taken",
           "attack_on_civilians", "killing", "abduction", "arrest", "protest", "riot"}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl")
    ap.add_argument("-n", type=int, default=200, help="articles to read (default 200)")
    a = ap.parse_args(argv)
    arts = []
    with open(a.jsonl, encoding="utf-8") as fh:
        for line in fh:
            if len(arts) >= a.n:
                break
            row = json.loads(line)
            text = row.get("content") or row.get("text") or ""
            date = (row.get("date_extracted") or row.get("published") or "")[:10] or None
            arts.append(Article(text=text, published=date, outlet=row.get("source")))
    pipe = Pipeline()
    spent = Counter()
    for art in arts:
        for st in pipe.stages:
            t0 = time.perf_counter()
            try:
                art = st.run(art)
            except Exception:  # noqa: BLE001 - another stage's bug is not what we time
                pass
            spent[st.name] += time.perf_counter() - t0
    n = max(1, len(arts))
    print(f"{len(arts)} articles, {sum(len(x.text) for x in arts) / n:.0f} characters on average")
    for st in pipe.stages:
        print(f"  {st.name:12s} {1000 * spent[st.name] / n:7.2f} ms/article")
    events = [e for x in arts for e in x.events if e.kind in VIOLENT]
    print(f"violent events {len(events)}, with a source {sum(bool(e.sources) for e in events)}")
    print("statuses", dict(Counter(e.status for e in events)))
    print("quotes", sum(len(x.quotes) for x in arts))


if __name__ == "__main__":
    main()
