"""Train the learned events variant (events.candidates) on the annotated corpus's train split.

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/train_events.py [--save] [--dev]

1. Runs today's rules (Options(events="rules")) on every train article.
2. Labels each rule event by the corpus scorer's matching to the gold events
   (marsad.corpus.score / ../shared/eval/score.py): matched to a current gold event ->
   current; to a background or aggregate one -> that class; unmatched -> drop.
3. Cross-validates the candidate model by article (5 folds, 3 fold seeds), printing event
   F1/P/R of the decided events against the rules' on the same articles, for each C and
   keep threshold; then fits on all of train and, with --save, writes
   src/marsad/data/events/candidates.json.gz.
4. --dev: the decided events on the dev split (the figure that decides adoption).

Never touches the test split. Needs scikit-learn (pip install marsad[train]).
"""
from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.core import Article  # noqa: E402
from marsad.corpus import load_articles  # noqa: E402
from marsad.corpus.annotation import load_annotations  # noqa: E402
from marsad.corpus.score import _content_span, gold_events_shared, score, shared_scorer  # noqa: E402
from marsad.events import candidates  # noqa: E402
from marsad.options import Options  # noqa: E402
from marsad.pipeline import process  # noqa: E402

RULES = Options(events="rules")


def run_rules(split: str):
    out = []
    for aa in load_annotations(load_articles(split)):
        a = aa.article
        art = Article(text=a.content, title=a.title or None, published=a.published, outlet=a.outlet, url=a.url)
        out.append((aa, process(art, RULES)))
    return out


def _overlaps(art: Article, rec: dict, ev, gev: dict, content: str) -> bool:
    for sp in ev.evidence:
        where = _content_span(rec, content, sp.to_json())
        if where and any(s["start"] < where[1] and where[0] < s["end"] for s in gev["sentences"]):
            return True
    return False


def labels(aa, art: Article, by: str = "sentence") -> list[str]:
    """The class of each decided event of ``art`` (events.candidates.DECIDED_KINDS, in order).

    ``by="place"``: the corpus scorer's matching (kind and place). ``by="sentence"``: kind
    and sentence — the event's evidence overlaps the gold event's sentences, its place
    aside: whether an event is news is this decision's; whether its place is right is the
    place choice's (a current incident with a wrong place is still not to be dropped)."""
    sc = shared_scorer()
    pev = [e for e in art.events if e.kind in candidates.DECIDED_KINDS]
    js = [e.to_json() for e in pev]
    gold = gold_events_shared(aa)
    rec = art.to_json()
    content = aa.article.content
    if by == "place":
        weights = [[0 if not sc.kind_compatible(e["kind"], g["kind"]) or not sc.place_matches(e, g)
                    else (0.5 if g["optional"] else 100 + (e["kind"] == g["kind"])) for e in js] for g in gold]
    else:
        weights = [[0 if not sc.kind_compatible(e["kind"], g["kind"]) or not _overlaps(art, rec, ev, gev, content)
                    else (50 if g["optional"] else 100 + (e["kind"] == g["kind"]) + sc.place_matches(e, g))
                    for ev, e in zip(pev, js)] for g, gev in zip(gold, aa.annotation.events)]
    match = sc.assign(weights)
    out = ["drop"] * len(pev)
    kinds = [None] * len(pev)
    for gi, pi in match.items():
        out[pi] = aa.annotation.events[gi]["class"]
        kinds[pi] = aa.annotation.events[gi]["kind"]
    return out, kinds


def decided_record(art: Article, classes: list[str]) -> dict:
    """The record with the decisions applied (classes: one per decided event, in order)."""
    a = copy.copy(art)
    it = iter(classes)
    kept = []
    for ev in art.events:
        if ev.kind not in candidates.DECIDED_KINDS:
            kept.append(ev)
            continue
        c = next(it)
        c, kind = c if isinstance(c, tuple) else (c, None)
        if c == "drop":
            continue
        e = copy.copy(ev)
        e.background, e.aggregate = c == "background", c == "aggregate"
        if kind and kind != e.kind:
            candidates.set_kind(e, kind)
        kept.append(e)
    a.events = kept
    return a.to_json()


def figures(items, classes_by_article=None) -> dict:
    pairs = []
    for k, (aa, art) in enumerate(items):
        rec = art.to_json() if classes_by_article is None else decided_record(art, classes_by_article[k])
        pairs.append((aa, rec))
    s = score(pairs)
    inc = s["incident"]
    return {"f1": inc["event_f1"], "p": inc["event_precision"], "r": inc["event_recall"],
            "kind": inc["event_kind_accuracy"], "sent_any": s["sentence"]["any"]["f1"]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--save", action="store_true")
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--balanced", action="store_true")
    ap.add_argument("--label-by", choices=("sentence", "place"), default="place")
    ap.add_argument("--kind-thresholds", default="0.6,0.7,0.8,1.01")
    ap.add_argument("--kind-C", type=float, default=1.0)
    ap.add_argument("--exclude", default="", help="feature name prefixes to leave out, comma-separated")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--C", default="0.1,0.3,1,3")
    ap.add_argument("--thresholds", default="0.2,0.25,0.3,0.35,0.4,0.45,0.5")
    args = ap.parse_args()
    t0 = time.time()
    train = run_rules("train")
    print(f"rules on {len(train)} train articles: {time.time() - t0:.0f}s", flush=True)
    feats = [candidates.all_features(art) for _, art in train]
    both = [labels(aa, art, args.label_by) for aa, art in train]
    labs = [b[0] for b in both]
    gkinds = [b[1] for b in both]
    print("labels:", dict(Counter(c for ls in labs for c in ls)), flush=True)
    print("rule kind -> gold kind (matched):", Counter((e.kind, g) for (_, art), ks in zip(train, gkinds)
          for e, g in zip([e for e in art.events if e.kind in candidates.DECIDED_KINDS], ks) if g and g != e.kind).most_common(12))
    base = figures(train)
    print("rules, train:", base, flush=True)
    Cs = [float(c) for c in args.C.split(",")]
    ths = [float(t) for t in args.thresholds.split(",")]
    kths = [float(t) for t in args.kind_thresholds.split(",")]
    results: dict[tuple, list[dict]] = {}
    excl = [x for x in args.exclude.split(",") if x]

    def fit_kind(idx):
        rows = [r for k in idx for r, g in zip(feats[k], gkinds[k]) if g]
        ys = [g for k in idx for g in gkinds[k] if g]
        return candidates.train(rows, ys, C=args.kind_C, exclude=excl)

    for seed in range(args.seeds):
        order = list(range(len(train)))
        random.Random(seed).shuffle(order)
        folds = [order[i::5] for i in range(5)]
        kprobs: dict[int, list[dict]] = {}
        for f in folds:
            held = set(f)
            km = fit_kind([k for k in range(len(train)) if k not in held])
            for k in f:
                kprobs[k] = [km.probs(r) for r in feats[k]]
        for C in Cs:
            probs: dict[int, list[dict]] = {}
            for f in folds:
                held = set(f)
                rows = [r for k in range(len(train)) if k not in held for r in feats[k]]
                ys = [y for k in range(len(train)) if k not in held for y in labs[k]]
                m = candidates.train(rows, ys, C=C, balanced=args.balanced, exclude=excl)
                for k in f:
                    probs[k] = [m.probs(r) for r in feats[k]]
            for th in ths:
                for kth in kths:
                    cls = [[(candidates.choose(p, th), candidates.choose_kind(e.kind, kp, kth))
                            for p, kp, e in zip(probs[k], kprobs[k],
                                                [e for e in train[k][1].events if e.kind in candidates.DECIDED_KINDS])]
                           for k in range(len(train))]
                    results.setdefault((C, th, kth), []).append(figures(train, cls))
        print(f"seed {seed} done {time.time() - t0:.0f}s", flush=True)
    print("\nCV over train (5 folds by article), mean over fold seeds; rules:", base)
    print("C\tthreshold\tkind_th\tF1\tP\tR\tkind\tsent_any")
    best = None
    for key, rs in sorted(results.items()):
        mean = {k: sum(r[k] or 0 for r in rs) / len(rs) for k in rs[0]}
        print("\t".join(str(x) for x in key) + f"\t{mean['f1']:.3f}\t{mean['p']:.3f}\t{mean['r']:.3f}\t{mean['kind']:.3f}"
              f"\t{mean['sent_any']:.3f}\t(per seed F1 {' '.join('%.3f' % r['f1'] for r in rs)})")
        if best is None or mean["f1"] > best[0]:
            best = (mean["f1"], *key)
    print("best:", best, flush=True)
    C = best[1]
    rows = [r for fs in feats for r in fs]
    ys = [y for ls in labs for y in ls]
    final = candidates.train(rows, ys, C=C, balanced=args.balanced, exclude=excl, meta={
        "exclude": excl,
        "C": C, "trained_on": "corpus train split", "label_by": args.label_by,
        "n_events": len(ys), "labels": dict(Counter(ys))})
    kfinal = fit_kind(range(len(train)))
    kfinal.meta = {"C": args.kind_C, "trained_on": "corpus train split, gold kinds of matched rule events"}
    if args.save:
        path = ROOT / "src/marsad/data" / candidates.MODEL_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        final.save(path)
        kpath = ROOT / "src/marsad/data" / candidates.KIND_MODEL_FILE
        print(f"saved {path} ({path.stat().st_size / 1e6:.2f} MB), C {C}")
        if candidates.KIND_THRESHOLD <= 1.0:
            kfinal.save(kpath)
            print(f"saved {kpath} ({kpath.stat().st_size / 1e6:.2f} MB)")
    if args.dev:
        dev = run_rules("dev")
        print("rules, dev:", figures(dev))
        for th in ths:
            for kth in kths:
                cls = [[(candidates.choose(final.probs(r), th), candidates.choose_kind(e.kind, kfinal.probs(r), kth))
                        for r, e in zip(candidates.all_features(art),
                                        [e for e in art.events if e.kind in candidates.DECIDED_KINDS])]
                       for _, art in dev]
                print(f"decided, dev, threshold {th} kind {kth}:", figures(dev, cls))
    print(f"total {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
