"""Toll figures of the pipeline on a corpus split (dev or train; never test).

    PYTHONPATH=src python scripts/score_tolls.py --split dev [--rules] [--tolls learned]

Prints the shared scorer's casualty_recall (killed total exact over the gold current
events, unmatched ones counting as wrong), and over the gold current events matched to a
predicted event: killed total exact and injured total exact (where the gold gives one).
``--rules`` switches the hard limits and word-list readings off (events.tolls.LEARNED = False);
``--tolls learned`` reads with the toll model (``Options.tolls``).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.core import TOLL_SIDES, Article  # noqa: E402
from marsad.corpus import load_articles  # noqa: E402
from marsad.corpus.annotation import load_annotations  # noqa: E402
from marsad.corpus.score import _is_current, gold_events_shared, score, shared_scorer  # noqa: E402
from marsad.events import tolls  # noqa: E402
from marsad.options import Options  # noqa: E402
from marsad.pipeline import process  # noqa: E402


def evaluate(annotated, show: bool = False, options: Options | None = None) -> tuple[Counter, list]:
    """Counters of the toll figures over annotated articles, and the (article, record) pairs."""
    sc = shared_scorer()
    items, c = [], Counter()
    for aa in annotated:
        a = aa.article
        rec = process(Article(text=a.content, title=a.title or None, published=a.published,
                              outlet=a.outlet, url=a.url), options=options).to_json()
        items.append((aa, rec))
        pev = [e for e in rec.get("events") or [] if e.get("kind") in sc.VIOLENT and _is_current(e)]
        gold = gold_events_shared(aa)
        weights = [[0 if not sc.kind_compatible(e.get("kind"), g["kind"]) or not sc.place_matches(e, g)
                    else (0.5 if g["optional"] else 100 + (e.get("kind") == g["kind"])
                          + (sc.killed_total(e) == g.get("killed"))) for e in pev] for g in gold]
        for gi, pi in sc.assign(weights).items():
            gev = aa.annotation.events[gi]
            if gev["class"] != "current":
                continue
            e = pev[pi]
            k, i = (e.get("killed") or {}).get("total"), (e.get("injured") or {}).get("total")
            gk, gi_ = gev["killed"]["total"], gev["injured"]["total"]
            c["matched"] += 1
            c["killed_exact"] += k == gk
            c["killed_gold"] += gk is not None
            c["killed_gold_exact"] += gk is not None and k == gk
            c["injured_exact"] += i == gi_
            c["injured_gold"] += gi_ is not None
            c["injured_gold_exact"] += gi_ is not None and i == gi_
            for what, pt, gt in (("killed", e.get("killed") or {}, gev["killed"]),
                                 ("injured", e.get("injured") or {}, gev["injured"])):
                if gt["total"] is None:
                    continue
                # by side, where the gold gives a number: all four sides equal, and each side
                c[f"{what}_sides_gold"] += 1
                c[f"{what}_sides_exact"] += all(pt.get(sd) == gt.get(sd) for sd in TOLL_SIDES)
                for sd in TOLL_SIDES:
                    if gt.get(sd) is not None:
                        c[f"{what}_{sd}_gold"] += 1
                        c[f"{what}_{sd}_exact"] += pt.get(sd) == gt[sd]
            if show and (k != gk or i != gi_):
                print(f"  {a.id} {e.get('kind')}: killed {k} gold {gk}; injured {i} gold {gi_}")
    return c, items


def report(c: Counter, items=None) -> str:
    out = []
    if items is not None:
        inc = score(items)["incident"]
        out.append(f"casualty_recall {inc['casualty_recall']}  injured_exact {inc['injured_exact']}")
    m = max(1, c["matched"])
    out.append(f"matched current events {c['matched']}: killed exact (null = null counts) "
               f"{c['killed_exact']}/{c['matched']} = {c['killed_exact'] / m:.3f}; injured exact "
               f"{c['injured_exact']}/{c['matched']} = {c['injured_exact'] / m:.3f}; where gold gives a number: "
               f"killed {c['killed_gold_exact']}/{c['killed_gold']}, injured {c['injured_gold_exact']}/{c['injured_gold']}")
    for what in ("killed", "injured"):
        sides = ", ".join(f"{sd} {c[f'{what}_{sd}_exact']}/{c[f'{what}_{sd}_gold']}" for sd in TOLL_SIDES)
        out.append(f"{what} by side (events whose gold gives a {what} number): all sides equal "
                   f"{c[f'{what}_sides_exact']}/{c[f'{what}_sides_gold']}; where gold gives the side: {sides}")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev", choices=("train", "dev"))
    ap.add_argument("--rules", action="store_true")
    ap.add_argument("--tolls", default="rules", choices=("rules", "learned"))
    ap.add_argument("--show", action="store_true", help="print each matched event's killed pred/gold")
    args = ap.parse_args()
    tolls.LEARNED = not args.rules
    c, items = evaluate(load_annotations(load_articles(args.split)), args.show, Options(tolls=args.tolls))
    print(report(c, items))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
