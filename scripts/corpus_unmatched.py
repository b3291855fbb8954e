"""Classes of the predicted events that match no gold event, on a corpus split (train or dev).

    PYTHONPATH=src python scripts/corpus_unmatched.py --split train --pred DIR

DIR holds ID.json records of the split's articles (as `python -m marsad.corpus score --pred`
reads them). Matching is the corpus scorer's (marsad.corpus.score: flagged predictions left
out, background/aggregate gold optional); each unmatched prediction is classed by the gold
events of its sentences (docs/events.md, "Repeat and background mentions (session 6)").
The test split is refused: it is scored once, by the lead.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from marsad.corpus import load_articles
from marsad.corpus.annotation import load_annotations
from marsad.corpus.score import _content_span, _is_current, gold_events_shared, shared_scorer

CLASSES = {
    "A": "no gold event in its sentences",
    "B": "repeat: kind and place fit a current gold event matched by another prediction",
    "C": "repeat of a background/aggregate event matched by another prediction",
    "D": "wrong place of a current gold event no prediction found",
    "E": "wrong place, the current gold event found by another prediction",
    "F": "wrong place of a background/aggregate event",
    "G": "wrong kind (the place fits a current gold event)",
    "H": "wrong kind and place",
}


def matching(aa, record: dict):
    """The corpus scorer's one-to-one matching: (scorer, predicted events, gold events, gold->pred)."""
    sc = shared_scorer()
    pev = [e for e in record.get("events") or [] if e.get("kind") in sc.VIOLENT and _is_current(e)]
    gold = gold_events_shared(aa)
    weights = [[0 if not sc.kind_compatible(e.get("kind"), g["kind"]) or not sc.place_matches(e, g)
                else (0.5 if g["optional"] else 100 + (e.get("kind") == g["kind"])) for e in pev] for g in gold]
    return sc, pev, gold, sc.assign(weights)


def classify(aa, record: dict) -> list[tuple[dict, str]]:
    content, sents = aa.article.content, aa.article.sentences()
    sc, pev, gold, match = matching(aa, record)
    taken = set(match.values())
    gsents = [{k for k, s in enumerate(sents) for sp in g["sentences"] if s.start == sp["start"]}
              for g in aa.annotation.events]
    out = []
    for pi, e in enumerate(pev):
        if pi in taken:
            continue
        mine = set()
        for sp in e.get("evidence") or []:
            w = _content_span(record, content, sp)
            if w:
                mine |= {k for k, s in enumerate(sents) if s.start < w[1] and w[0] < s.end}
        over = [gi for gi in range(len(gold)) if gsents[gi] & mine]
        cur = [gi for gi in over if not gold[gi]["optional"]]
        opt = [gi for gi in over if gold[gi]["optional"]]

        def kind_ok(gi):
            return sc.kind_compatible(e["kind"], gold[gi]["kind"])

        def fits(gi):
            return kind_ok(gi) and sc.place_matches(e, gold[gi])
        if not over:
            c = "A"
        elif any(fits(gi) for gi in cur):
            c = "B"
        elif any(fits(gi) for gi in opt):
            c = "C"
        elif any(kind_ok(gi) and gi not in match for gi in cur):
            c = "D"
        elif any(kind_ok(gi) for gi in cur):
            c = "E"
        elif any(kind_ok(gi) for gi in opt):
            c = "F"
        elif any(sc.place_matches(e, gold[gi]) for gi in cur):
            c = "G"
        else:
            c = "H"
        out.append((e, c))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("train", "dev"), required=True)
    p.add_argument("--pred", required=True, help="directory of ID.json records")
    p.add_argument("--list", action="store_true", help="print each unmatched prediction")
    args = p.parse_args()
    counts = Counter()
    for aa in load_annotations(load_articles(args.split)):
        path = Path(args.pred) / f"{aa.article.id}.json"
        record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for e, c in classify(aa, record):
            counts[c] += 1
            if args.list:
                place = (e.get("place") or {}).get("name")
                print(f"{aa.article.id}\t{c}\t{e['kind']}\t{place}\t{e.get('date')}\t{(e.get('killed') or {}).get('total')}")
    for c, what in CLASSES.items():
        print(f"{c}\t{counts[c]}\t{what}")
    print(f"total\t{sum(counts.values())}")


if __name__ == "__main__":
    main()
