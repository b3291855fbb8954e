"""CPU per article of the recogniser's steps: the pycrfsuite path against the numpy one.

    PYTHONHASHSEED=0 PYTHONPATH=src python benchmarks/profile_ner.py [--n 200] [--rounds 2]

Over the first N non-empty SaudiNewsNet articles (read from the daily zips at run
time, as bench_throughput.py does), tokenised once, in one process with warm caches,
rounds interleaved so both paths see the same machine state:

* **crfsuite**: ``model.tag_document_crfsuite``'s steps one by one: pass-1
  attribute strings (``features.sentence_features``), pycrfsuite tagging, the words
  pass 1 put in entities and the document memory, pass-2 attribute dicts
  (``model.stage2_features``), pycrfsuite tagging;
* **numpy**: ``model.tag_document`` (``ner/fast.py``): of which the document's
  attribute columns (``fast._Doc``, warm: every word already in the word table), state
  scores (``crftable.add_columns``) and Viterbi (``crftable.viterbi``), the rest being
  the memory and lexicon columns; and, apart, the same over an empty word table
  (``cold``: every word of the N articles met for the first time, as in a fresh process);
* ``recognize`` as the entities stage runs it (tagging plus mentions, grouping, NORP).

Also checks that both paths gave the same tags. CPU time (``time.process_time``),
not wall: the machine is shared.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict

from bench_throughput import DEFAULT_DATA, snn_articles

from marsad.arabic import sentences, tokens
from marsad.ner import crftable, fast, recognize
from marsad.ner import model as M
from marsad.ner.features import sentence_features
from marsad.ner.resources import load


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    texts = [o["content"] for o in snn_articles(DEFAULT_DATA, a.n)]
    docs = [[[t[x.start:x.end] for x in tokens(t, s.start, s.end)] for s in sentences(t)] for t in texts]
    ntok = sum(len(s) for d in docs for s in d)
    res = load()
    c1, c2 = M.tagger(M.STAGE1), M.tagger(M.STAGE2)
    spent: dict[str, float] = defaultdict(float)

    def timed(mod, name):
        f = getattr(mod, name)

        def g(*args, **kw):
            t0 = time.process_time()
            r = f(*args, **kw)
            spent["numpy: " + name] += time.process_time() - t0
            return r
        setattr(mod, name, g)
        return f

    enc = fast.encoder(res, (M.STAGE1, M.STAGE2))
    enc.words.clear()
    t0 = time.process_time()
    for d in docs:
        M.tag_document(d)
    cold = time.process_time() - t0
    # warm both paths' per-word caches, and check that they agree
    same = all(M.tag_document(d) == M.tag_document_crfsuite(d) for d in docs)
    for _ in range(a.rounds):
        for d in docs:
            live = [s for s in d if s]
            t0 = time.process_time()
            feats = [sentence_features(s, res) for s in live]
            t1 = time.process_time()
            first = [c1.tag(f) for f in feats]
            t2 = time.process_time()
            found = [M.entity_types(s, t, res) for s, t in zip(live, first)]
            mem = M.memory_of(found)
            t3 = time.process_time()
            x2 = [M.stage2_features(s, f, mem, found[i], res.lexicon, res) for i, (s, f) in enumerate(zip(live, feats))]
            t4 = time.process_time()
            [c2.tag(x) for x in x2]
            t5 = time.process_time()
            for k, x, y in (("pass-1 attributes", t0, t1), ("pass-1 tagging", t1, t2),
                            ("entity words, memory", t2, t3), ("pass-2 attributes", t3, t4),
                            ("pass-2 tagging", t4, t5)):
                spent["crfsuite: " + k] += y - x
        originals = timed(crftable, "add_columns"), timed(crftable, "viterbi"), timed(fast, "_Doc")
        for d in docs:
            live = [s for s in d if s]
            t0 = time.process_time()
            M.tag_document(live)
            spent["numpy: tag_document"] += time.process_time() - t0
        crftable.add_columns, crftable.viterbi, fast._Doc = originals
        t0 = time.process_time()
        for t in texts:
            recognize(t)
        spent["recognize (whole stage)"] += time.process_time() - t0
    n = len(docs) * a.rounds
    print(f"{len(docs)} SaudiNewsNet articles, {ntok / len(docs):.0f} tokens each; {a.rounds} round(s); "
          f"CPU ms per article")

    def row(name, v):
        print(f"  {name:<34} {1000 * v / n:7.2f}")
    for k, v in spent.items():
        if k.startswith("crfsuite"):
            row(k, v)
    row("crfsuite: total", sum(v for k, v in spent.items() if k.startswith("crfsuite")))
    for k in ("numpy: _Doc", "numpy: add_columns", "numpy: viterbi"):
        row(k, spent[k])
    row("numpy: memory, lexicon, the rest",
        spent["numpy: tag_document"] - spent["numpy: _Doc"] - spent["numpy: add_columns"] - spent["numpy: viterbi"])
    row("numpy: total (tag_document)", spent["numpy: tag_document"])
    print(f"  {'numpy: tag_document, cold (once)':<34} {1000 * cold / len(docs):7.2f}")
    row("recognize (whole stage, numpy)", spent["recognize (whole stage)"])
    print("same tags on every article:", same)
    print(f"word table: {enc.words.n} words")


if __name__ == "__main__":
    main()
