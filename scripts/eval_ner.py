#!/usr/bin/env python3
"""Entity-level P/R/F1 of a tagged CoNLL file, by the conlleval rules.

    .venv/bin/python scripts/eval_ner.py PRED              # gold = second-to-last column, prediction = last
    .venv/bin/python scripts/eval_ner.py --gold GOLD PRED  # gold tags from GOLD's second column
    .venv/bin/python scripts/eval_ner.py --run ../shared/data/anercorp/ANERCorp_CamelLab_test.txt

``--run FILE`` tags FILE with the shipped model first (marsad.ner.conll.tag_file,
tagset anercorp) and scores it against FILE's own tags. An entity counts only with
the exact span and type (conlleval: a chunk starts at B-X or at an I-X that does
not continue a chunk of type X).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.ner.conll import read_columns  # noqa: E402
from marsad.ner.evaluate import format_score, score  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pred", nargs="?", help="tagged CoNLL file (prediction in the last column)")
    ap.add_argument("--gold", help="gold CoNLL file (tag in the second column), aligned line by line")
    ap.add_argument("--run", help="tag this gold file with the shipped model, then score it")
    ap.add_argument("--tagset", default="anercorp")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.run:
        from marsad.ner.conll import tag_file
        out = tempfile.NamedTemporaryFile(suffix=".conll", delete=False).name
        t0 = time.time()
        tag_file(args.run, out, args.tagset)
        print(f"tagged {args.run} in {time.time() - t0:.1f}s", file=sys.stderr)
        args.pred = out
    if not args.pred:
        ap.error("give PRED or --run")
    pred = read_columns(args.pred)
    pred_tags = [[c[-1] for c in s] for s in pred]
    if args.gold:
        gold_tags = [[c[1] for c in s] for s in read_columns(args.gold)]
    else:
        gold_tags = [[c[-2] for c in s] for s in pred]
    result = score(gold_tags, pred_tags)
    print(json.dumps(result, indent=1) if args.json else format_score(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
