"""Train the learned proposals (events.proposals) on the annotated corpus's train split.

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/train_proposals.py [--save] [--dev] [--cache DIR]

The shipped model (docs/events_learned.md, session 5; ~3 min on the shared 2-core machine):

    ... --seeds "" --C 1 --label new --fit-threshold 0.5 --fit-alone 0.7 --fit-veto 0.5 --save --dev

The CV sweep behind it (~10 min per grid): --seeds 0,1 --C 1 --thresholds 0.5 --alone 0.5,0.6,0.7,0.8,1.01 --veto 0.5

1. Runs the pipeline up to the events stage on every train article (``--cache DIR`` keeps
   those articles in DIR/pre-SPLIT.pkl for the next run), then the events stage with a hook
   that records, for each sentence with a candidate trigger and no violent rule mention, its
   features (events.proposals.sentence_rows).
2. Labels each such sentence by the gold: ``yes`` when it is a sentence of a current gold
   event of a violent kind (that event's kind is the kind label; with ``--label new`` only of
   a gold event the rules' record does not match), ``no`` otherwise; and each sentence with a
   violent rule mention, for the veto: ``yes`` when it is a sentence of any gold event.
3. Cross-validates by article (5 folds, 2 fold seeds): the detector and kind model are fit on
   four folds, the events stage runs with them on the fifth, and the corpus scorer's incident
   figures of the out-of-fold records are printed against the rules' on the same articles, for
   each C and threshold.
4. Fits on all of train; ``--save`` writes src/marsad/data/events/proposals.json.gz; ``--dev``
   prints the corpus dev split's figures with the fitted model (the adoption check).

Never touches the test split. Needs scikit-learn (pip install marsad[train]).
"""
from __future__ import annotations

import argparse
import copy
import pickle
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.core import Article  # noqa: E402
from marsad.corpus import load_articles  # noqa: E402
from marsad.corpus.annotation import load_annotations  # noqa: E402
from marsad.corpus.score import gold_events_shared, score, shared_scorer  # noqa: E402
from marsad.events import candidates, proposals  # noqa: E402
from marsad.options import Options  # noqa: E402
from marsad.pipeline import DEFAULT_STAGES, Pipeline  # noqa: E402
from marsad.stages import attribution, events  # noqa: E402

BEFORE_EVENTS = DEFAULT_STAGES[:DEFAULT_STAGES.index("events")]


def prepared(split: str, cache: Path | None):
    """(annotated article, article after the stages before events) for the split."""
    path = cache / f"pre-{split}.pkl" if cache else None
    anns = load_annotations(load_articles(split))
    if path and path.exists():
        pre = dict(pickle.loads(path.read_bytes()))
        return [(aa, pre[aa.article.id]) for aa in anns]
    pipe = Pipeline(BEFORE_EVENTS, Options())
    out = []
    for aa in anns:
        a = aa.article
        out.append((aa, pipe(Article(text=a.content, title=a.title or None, published=a.published,
                                     outlet=a.outlet, url=a.url))))
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps([(aa.article.id, art) for aa, art in out]))
    return out


def finish(art: Article, propose=None, decide: bool = False) -> dict:
    """The events and attribution stages on a copy of ``art``: its record."""
    a = events.run(copy.deepcopy(art), propose)
    if decide:
        a = candidates.decide(a)
    return attribution.run(a).to_json()


def matched_gold(aa, record: dict) -> set[int]:
    """Indices of the gold events the record's events match (the corpus scorer's matching)."""
    sc = shared_scorer()
    pev = [e for e in record.get("events") or [] if e.get("kind") in sc.VIOLENT]
    gold = gold_events_shared(aa)
    weights = [[0 if not sc.kind_compatible(e.get("kind"), g["kind"]) or not sc.place_matches(e, g)
                else (0.5 if g["optional"] else 100 + (e.get("kind") == g["kind"])) for e in pev] for g in gold]
    return set(sc.assign(weights))


def rows_of(aa, art: Article, label: str = "any", rules_record: dict | None = None):
    """The article's proposal rows with their labels: [(features, yes/no, kind or None)].

    ``label="any"``: yes for a sentence of any current gold event; ``"new"``: only of a current
    gold event the rules' record does not match (a proposal elsewhere adds no incident)."""
    skip = matched_gold(aa, rules_record) if label == "new" else set()
    got = []

    def record(view, bounds, found, mentions, title_sents, old):
        for ruled in (False, True):
            for si, cands, feats in proposals.sentence_rows(view, bounds, found, mentions, title_sents, old, ruled):
                a, b = bounds[si]
                got.append((ruled, view.offsets[a], view.offsets[b - 1] + 1, feats))
        return mentions, []
    record.keep = lambda drafts, proposed: drafts
    events.run(copy.deepcopy(art), record)
    violent = shared_scorer().VIOLENT
    out = []
    veto = []
    for ruled, s, e, feats in got:
        here = [(gi, ev) for gi, ev in enumerate(aa.annotation.events) if ev["kind"] in violent
                and any(sp["start"] < e and s < sp["end"] for sp in ev["sentences"])]
        if ruled:
            # the veto's label: the sentence tells some gold event (current, background or aggregate)
            veto.append((feats, "yes" if here else "no", None))
            continue
        kinds = [ev["kind"] for gi, ev in here if ev["class"] == "current" and gi not in skip]
        out.append((feats, "yes" if kinds else "no", kinds[0] if kinds else None))
    return out, veto


def fit(rows, C: float, kind_C: float, threshold: float, veto_rows=None, veto_C: float = 1.0) -> proposals.Proposer:
    det = candidates.train([r[0] for r in rows], [r[1] for r in rows], C=C)
    pos = [r for r in rows if r[1] == "yes"]
    km = candidates.train([r[0] for r in pos], [r[2] for r in pos], C=kind_C)
    veto = candidates.train([r[0] for r in veto_rows], [r[1] for r in veto_rows], C=veto_C) if veto_rows else None
    return proposals.Proposer(det, km, threshold, veto=veto)


def line(name: str, fig: dict) -> str:
    i, s = fig["incident"], fig["sentence"]["any"]
    return (f"{name:34s} event F1 {i['event_f1']:.3f} P {i['event_precision']:.3f} R {i['event_recall']:.3f} "
            f"kind {i['event_kind_accuracy']:.3f} | sentence any F1 {s['f1']:.3f} P {s['p']:.3f} R {s['r']:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--save", action="store_true")
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--C", default="0.3,1")
    ap.add_argument("--kind-C", type=float, default=1.0)
    ap.add_argument("--thresholds", default="0.4,0.5,0.6,0.7,0.8")
    ap.add_argument("--alone", default="0.6,0.7,0.8,0.9,1.01",
                    help="thresholds for an event of proposals alone (over 1: never)")
    ap.add_argument("--fit-alone", type=float, default=None)
    ap.add_argument("--veto", default="0", help="veto thresholds for rule events (0: no veto)")
    ap.add_argument("--veto-C", type=float, default=1.0)
    ap.add_argument("--fit-veto", type=float, default=None)
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--label", choices=("any", "new"), default="new",
                    help="proposal labels: sentences of any current gold event, or only of those the rules miss")
    ap.add_argument("--decide", action="store_true", help="also run events.candidates on the result")
    ap.add_argument("--fit-C", type=float, default=None, help="C of the final fit (default: the best in CV)")
    ap.add_argument("--fit-threshold", type=float, default=None)
    args = ap.parse_args()

    items = prepared("train", args.cache)
    rules = [finish(art, decide=args.decide) for _, art in items]
    both = [rows_of(aa, art, args.label, r) for (aa, art), r in zip(items, rules)]
    rows, vrows = [b[0] for b in both], [b[1] for b in both]
    n = sum(len(r) for r in rows)
    print(f"train: {len(items)} articles, {n} candidate sentences, "
          f"{sum(x[1] == 'yes' for r in rows for x in r)} yes; {sum(len(r) for r in vrows)} rule sentences, "
          f"{sum(x[1] == 'no' for r in vrows for x in r)} telling no gold event", flush=True)
    print(line("rules" + (" + decide" if args.decide else ""), score([(aa, r) for (aa, _), r in zip(items, rules)])),
          flush=True)
    Cs = [float(c) for c in args.C.split(",")]
    ths = [(float(t), float(al), float(v)) for t in args.thresholds.split(",") for al in args.alone.split(",")
           for v in args.veto.split(",") if float(al) >= float(t)]
    results: dict[tuple[float, float], list[float]] = {}
    for seed in [int(s) for s in args.seeds.split(",") if s]:
        order = list(range(len(items)))
        random.Random(seed).shuffle(order)
        folds = [order[k::5] for k in range(5)]
        for C in Cs:
            preds = {t: [None] * len(items) for t in ths}
            for fold in folds:
                held = set(fold)
                train_rows = [x for i, r in enumerate(rows) if i not in held for x in r]
                train_vrows = [x for i, r in enumerate(vrows) if i not in held for x in r]
                prop = fit(train_rows, C, args.kind_C, 0.0, train_vrows, args.veto_C)
                for t in ths:
                    prop.threshold, prop.alone, prop.veto_threshold = t
                    for i in fold:
                        preds[t][i] = finish(items[i][1], prop, args.decide)
            for t in ths:
                fig = score([(aa, p) for (aa, _), p in zip(items, preds[t])])
                results.setdefault((C, t), []).append(fig["incident"]["event_f1"])
                print(line(f"seed {seed} C {C} threshold {t}", fig), flush=True)
    # no CV (--seeds ""): the --fit-* values, else the shipped constants
    best = max(results, key=lambda k: sum(results[k]) / len(results[k])) if results else \
        (Cs[0], (proposals.PROPOSE_THRESHOLD, proposals.ALONE_THRESHOLD, proposals.VETO_THRESHOLD))
    for k, v in sorted(results.items()):
        print(f"C {k[0]} threshold/alone/veto {k[1]}: mean event F1 {sum(v) / len(v):.3f}")
    C = args.fit_C if args.fit_C is not None else best[0]
    t = args.fit_threshold if args.fit_threshold is not None else best[1][0]
    al = args.fit_alone if args.fit_alone is not None else best[1][1]
    vt = args.fit_veto if args.fit_veto is not None else best[1][2]
    print(f"best in CV: C {best[0]} threshold/alone/veto {best[1]}; fitting C {C} threshold {t} alone {al} "
          f"veto {vt} on all of train", flush=True)
    prop = fit([x for r in rows for x in r], C, args.kind_C, t, [x for r in vrows for x in r], args.veto_C)
    prop.alone, prop.veto_threshold = al, vt
    if args.save:
        prop.save(ROOT / "src" / "marsad" / "data" / proposals.MODEL_FILE)
        print("saved", proposals.MODEL_FILE)
    if args.dev:
        dev = prepared("dev", args.cache)
        print(line("dev rules" + (" + decide" if args.decide else ""),
                   score([(aa, finish(art, decide=args.decide)) for aa, art in dev])))
        for tt in sorted(set(ths) | {(t, al, vt)}):
            prop.threshold, prop.alone, prop.veto_threshold = tt
            print(line(f"dev proposals {tt}", score([(aa, finish(art, prop, args.decide)) for aa, art in dev])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
