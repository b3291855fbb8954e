"""Train the toll decision (marsad.events.toll_model) on the corpus train split.

    PYTHONPATH=src OMP_NUM_THREADS=1 python scripts/train_toll_model.py [--cv] [--dev] [--write]

Runs the pipeline on each train article with the model switched off (the rules' readings
only) and records every toll candidate with its features; a candidate that overlaps a gold
toll span (eval/corpus/ann, docs/annotation.md "Tolls") takes that toll's ``what``
(killed / injured); a toll of an aggregate event (a count over months) is labelled none;
the same figure (3 or more) told again elsewhere in the article takes its toll's label
(annotators mark a toll once); every other candidate is none. A multinomial logistic regression (scikit-learn, training
only) is chosen by 5-fold cross-validation grouped by article, and written as JSON
weights to src/marsad/data/events/toll_model.json. ``--dev`` also scores the candidates
of the corpus dev split; ``--e2e-cv`` scores the pipeline on train with each fold read by a
model fitted on the other four. Never reads the test split. About 3 minutes on one core
(10 with --cv --dev --e2e-cv).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.core import Article  # noqa: E402
from marsad.corpus import load_articles  # noqa: E402
from marsad.corpus.annotation import load_annotations  # noqa: E402
from marsad.events import toll_model as tm  # noqa: E402
from marsad.options import Options  # noqa: E402
from marsad.pipeline import process  # noqa: E402

OUT = ROOT / "src" / "marsad" / "data" / "events" / "toll_model.json"
CLASSES = list(tm.WHAT)
PROVENANCE = ("marsad toll decision (events/toll_model.py): multinomial logistic regression trained by "
              "scripts/train_toll_model.py on the toll spans of the annotated corpus, train split "
              "(eval/corpus, marsad's own annotations); feature names are single words, no article "
              "text (SaudiNewsNet, CC BY-NC-SA) is stored. See docs/tolls.md.")


def _every_sentence():
    """Have the events stage read the toll of every sentence, not only of the sentences it
    found events in: the model learns from every number the corpus annotates or leaves out."""
    from marsad.stages import events as st
    if getattr(st, "_toll_patched", False):
        return
    init, classify = st._Context.__init__, st.classify
    last = {}

    def init2(self, *a, **k):
        init(self, *a, **k)
        last["ctx"] = self

    def classify2(view, bounds, *a, **k):
        ctx = last.get("ctx")
        if ctx is not None:
            for si in range(len(ctx.bounds)):
                ctx.toll(si)
        return classify(view, bounds, *a, **k)
    st._Context.__init__, st.classify, st._toll_patched = init2, classify2, True


def collect(split: str) -> list[dict]:
    """Candidates of a split's articles, with features, the rules' reading and the gold label."""
    rows: list[dict] = []
    _every_sentence()
    model = tm.model
    tm.model = lambda: None          # the rules' readings only, whatever model is shipped
    try:
        for aa in load_annotations(load_articles(split)):
            a, ann = aa.article, aa.annotation
            gold = []
            for ev in ann.events:
                for t in ev.get("tolls") or []:
                    what = "none" if ev["class"] == "aggregate" else t["what"]
                    gold.append((t["start"], t["end"], what, t["count"]))
            got: list[tuple] = []

            def rec(view, s, e, c, feats):
                got.append((view.original, view.span(c.vstart, c.vend), c, feats))
            tm.RECORDER = rec
            art = Article(text=a.content, title=a.title or None, published=a.published, outlet=a.outlet, url=a.url)
            try:
                process(art)
            finally:
                tm.RECORDER = None
            seen, covered = set(), set()
            for original, span, c, feats in got:
                piece = original[span.start:span.end]
                ctx = original[max(0, span.start - 40):span.end + 40]
                i = a.content.find(ctx)
                if i >= 0:
                    cs = i + (span.start - max(0, span.start - 40))
                else:
                    cs = a.content.find(original[span.start:span.end + 25])
                    if cs < 0:
                        continue
                ce = cs + len(piece)
                if (cs, ce) in seen:
                    continue
                seen.add((cs, ce))
                label = "none"
                for gs, ge, what, count in gold:
                    if cs < ge and gs < ce:
                        label = what
                        break
                else:
                    # annotators mark a toll once, where it is first told; the same figure
                    # told again (headline, lead, quote) is that toll, not a non-toll
                    again = {what for gs, ge, what, count in gold if count == c.value and what != "none"
                             and c.value >= 3}
                    if len(again) == 1:
                        label = again.pop()
                covered.update(g for g in gold if cs < g[1] and g[0] < ce)
                rows.append({"article": a.id, "span": [cs, ce], "text": a.content[cs:ce], "feats": feats, "rule": c.rule, "label": label,
                             "value": c.value, "person": tm.is_person_count(c), "toll_candidate": c.toll_candidate,
                             "self": c.self_what})
            for g in gold:
                if g not in covered:
                    MISSED.append({"article": a.id, "split": split, "what": g[2], "count": g[3],
                                   "text": a.content[max(0, g[0] - 40):g[0]] + "[[" + a.content[g[0]:g[1]] + "]]"
                                   + a.content[g[1]:g[1] + 40]})
    finally:
        tm.model = model
    return rows


MISSED: list[dict] = []


def vectorize(rows, vocab=None, min_count=2):
    if vocab is None:
        cnt = Counter(f for r in rows for f in set(r["feats"]))
        vocab = {f: i for i, f in enumerate(sorted(f for f, n in cnt.items() if n >= min_count))}
    from scipy.sparse import csr_matrix
    ind, ptr = [], [0]
    for r in rows:
        ind += sorted({vocab[f] for f in r["feats"] if f in vocab})
        ptr.append(len(ind))
    X = csr_matrix((np.ones(len(ind)), ind, ptr), shape=(len(rows), len(vocab)))
    y = np.array([CLASSES.index(r["label"]) for r in rows])
    return X, y, vocab


def fit(rows, C):
    from sklearn.linear_model import LogisticRegression
    X, y, vocab = vectorize(rows)
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(X, y)
    inv = {i: f for f, i in vocab.items()}
    order = [list(clf.classes_).index(k) if k in clf.classes_ else None for k in range(len(CLASSES))]
    weights = {}
    for i in range(len(vocab)):
        row = [round(float(clf.coef_[j, i]), 4) if j is not None else 0.0 for j in order]
        if any(abs(v) >= 1e-4 for v in row):
            weights[inv[i]] = row
    bias = [round(float(clf.intercept_[j]), 4) if j is not None else -20.0 for j in order]
    return {"source": PROVENANCE, "C": C, "classes": CLASSES, "bias": bias, "weights": weights}


def decisions(rows, m, drop, add):
    """The hybrid decision of toll_model.decide on recorded candidates."""
    out = []
    for r in rows:
        if not r["person"]:
            out.append("none")
            continue
        if r.get("self") and r["toll_candidate"]:
            out.append(r["self"])
            continue
        if m is None:
            out.append(r["rule"])
            continue
        p = tm.predict(r["feats"], m)
        if r["rule"] != "none":
            other = "injured" if r["rule"] == "killed" else "killed"
            out.append("none" if p["none"] >= drop else (other if p[other] > p[r["rule"]] and p[other] >= add else r["rule"]))
        elif r["toll_candidate"]:
            best = max(("killed", "injured"), key=lambda k: p[k])
            out.append(best if p[best] >= add else "none")
        else:
            out.append("none")
    return out


def prf(rows, pred):
    tp = sum(1 for r, p in zip(rows, pred) if p != "none" and p == r["label"])
    npred = sum(1 for p in pred if p != "none")
    ngold = sum(1 for r in rows if r["label"] != "none")
    P = tp / npred if npred else 0.0
    R = tp / ngold if ngold else 0.0
    return {"p": round(P, 3), "r": round(R, 3), "f1": round(2 * P * R / (P + R), 3) if P + R else 0.0,
            "tp": tp, "pred": npred, "gold": ngold}


def rules_only(rows):
    return [r["rule"] for r in rows]


def cv(rows, Cs=(0.1, 0.3, 1.0, 3.0), grid=((0.5, 0.5), (0.6, 0.6), (0.7, 0.7), (0.5, 0.7), (0.6, 0.8), (0.7, 0.9))):
    arts = sorted({r["article"] for r in rows})
    rng = np.random.default_rng(14)
    rng.shuffle(arts)
    fold = {a: i % 5 for i, a in enumerate(arts)}
    results = {}
    for C in Cs:
        preds = {g: [None] * len(rows) for g in grid}
        for k in range(5):
            train = [r for r in rows if fold[r["article"]] != k]
            m = fit(train, C)
            idx = [i for i, r in enumerate(rows) if fold[r["article"]] == k]
            for g in grid:
                for i, p in zip(idx, decisions([rows[i] for i in idx], m, *g)):
                    preds[g][i] = p
        for g in grid:
            results[(C, g)] = prf(rows, preds[g])
    return results


def folds(rows) -> dict[str, int]:
    arts = sorted({r["article"] for r in rows})
    rng = np.random.default_rng(14)
    rng.shuffle(arts)
    return {a: i % 5 for i, a in enumerate(arts)}


DROPS = (0.6, 0.8)


def e2e_cv(rows, C):
    """Event-level toll figures on train: rules alone, then each fold with a model fitted
    on the other four (the articles of a fold never seen by its model)."""
    from score_tolls import evaluate, report
    from marsad.events import tolls
    annotated = load_annotations(load_articles("train"))
    fold = folds(rows)
    tolls.LEARNED = False
    c_rules, _ = evaluate(annotated)
    print("e2e train rules:", report(c_rules), flush=True)
    tolls.LEARNED = True
    total = Counter()
    saved, drop0 = tm.model, tm.DROP
    learned = Options(tolls="learned")
    try:
        models = [fit([r for r in rows if fold[r["article"]] != k], C) for k in range(5)]
        for drop in DROPS:
            tm.DROP = tm.ADD = drop
            total = Counter()
            for k in range(5):
                tm.model = lambda mk=models[k]: mk
                c, _ = evaluate([aa for aa in annotated if fold.get(aa.article.id, 0) == k], options=learned)
                total += c
            print(f"e2e train model (5-fold) drop=add={drop}:", report(total), flush=True)
        tm.model = saved
        c_lim, _ = evaluate(annotated)
    finally:
        tm.model = saved
        tm.DROP = tm.ADD = drop0
    print("e2e train rules+limits:", report(c_lim))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", action="store_true")
    ap.add_argument("--dev", action="store_true")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--e2e-cv", action="store_true",
                    help="toll figures of the pipeline on train, each fold read by a model fitted on the others")
    ap.add_argument("--C", type=float, default=0.1)
    ap.add_argument("--cache", default="/tmp/tolls/cands")
    args = ap.parse_args()
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    data = {}
    for split in ("train",) + (("dev",) if args.dev else ()):
        f = cache / f"{split}.json"
        if f.exists():
            data[split] = json.loads(f.read_text())
        else:
            data[split] = collect(split)
            f.write_text(json.dumps(data[split], ensure_ascii=False))
            (cache / f"{split}.missed.json").write_text(json.dumps([m for m in MISSED if m["split"] == split],
                                                                  ensure_ascii=False, indent=0))
        print(split, len(data[split]), "candidates", Counter(r["label"] for r in data[split]))
    rows = data["train"]
    print("train rules-only", prf(rows, rules_only(rows)))
    print("train rules+limits", prf(rows, decisions(rows, None, 0, 0)))
    if args.cv:
        for (C, g), v in sorted(cv(rows).items(), key=lambda kv: -kv[1]["f1"]):
            print("cv C", C, "drop/add", g, v)
    m = fit(rows, args.C)
    if args.e2e_cv:
        e2e_cv(rows, args.C)
    if args.dev:
        dev = data["dev"]
        print("dev rules-only", prf(dev, rules_only(dev)))
        print("dev rules+limits", prf(dev, decisions(dev, None, 0, 0)))
        print("dev model", prf(dev, decisions(dev, m, tm.DROP, tm.ADD)))
    if args.write:
        OUT.write_text(json.dumps(m, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        print("wrote", OUT, len(m["weights"]), "weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
