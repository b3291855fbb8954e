#!/usr/bin/env python3
"""Speed, peak memory (and optionally F1) of the fine-tuned e5 NER tagger (marsad.ner.e5_tagger).

    .venv/bin/python benchmarks/bench_ner_e5.py                     # speed on the train holdout tail
    .venv/bin/python benchmarks/bench_ner_e5.py --conll ../shared/data/anercorp/ANERCorp_CamelLab_test.txt \
        --pred /tmp/e5ner/test.pred                                 # speed + conlleval F1 on that file

Speed is measured on pre-tokenised sentences after loading (load time printed apart);
tokens/second / 700 gives articles/second for an average ~700-word article.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_ner_e5 import DATA, HOLDOUT_FRAC, read_conll  # noqa: E402

from marsad.ner.evaluate import format_score, score  # noqa: E402

WORDS_PER_ARTICLE = 700


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conll", help="gold CoNLL file to tag and score (default: the train holdout tail)")
    ap.add_argument("--pred", help="write the tagged file here (token gold pred)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    args = ap.parse_args(argv)

    if args.conll:
        sents = read_conll(Path(args.conll))
    else:
        sents = read_conll(DATA)
        sents = sents[-round(len(sents) * HOLDOUT_FRAC):]
    if args.limit:
        sents = sents[: args.limit]
    t0 = time.time()
    from marsad.ner.e5_tagger import E5Tagger
    tagger = E5Tagger(threads=args.threads)
    load = time.time() - t0
    words = [w for w, _ in sents]
    n_tok = sum(len(w) for w in words)
    t0 = time.time()
    pred = tagger.tag_sentences(words)
    el = time.time() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"load {load:.1f}s; {len(sents)} sentences, {n_tok} tokens in {el:.1f}s on {args.threads} threads: "
          f"{len(sents) / el:.1f} sentences/s, {n_tok / el:.0f} tokens/s "
          f"(= {n_tok / el / WORDS_PER_ARTICLE:.2f} articles/s of {WORDS_PER_ARTICLE} words); "
          f"peak RSS {peak:.0f} MB")
    print(format_score(score([t for _, t in sents], pred)))
    if args.pred:
        with open(args.pred, "w", encoding="utf-8") as fh:
            for (w, g), p in zip(sents, pred):
                for a, b, c in zip(w, g, p):
                    fh.write(f"{a} {b} {c}\n")
                fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
