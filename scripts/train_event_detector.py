#!/usr/bin/env python3
"""Train (and cross-validate) the learned sentence-level event decision (marsad.events.learned).

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/train_event_detector.py [--data ../shared/data]
        [--no-baseline] [--no-save] [--folds 5] [--seeds 0,1,2] [--pipeline]

(session 6, docs/events_learned.md: the shipped model is ``--seeds "" --no-baseline``, a fit of
~2 min; the figures ``--pipeline --no-baseline --no-save`` with seeds 0 and 1,2 in two runs, each
~10 min of CPU; ``--seeds ""`` skips the cross-validation.)

Data, read at train time (never committed):
* the Open Event Data Alliance Arabic event gold, train half (MIT; Arabic Gigaword sentences):
  DATA/oeda_event_gsr_train/{assault,protest}_gsr_train.csv. Each sentence is labelled for one
  family only (the file it is in): ``yes`` (no annotator rejected it) is a positive, ``easy no``
  and ``difficult no`` negatives, ``ambiguous`` (exactly one rejection) is left out of training
  and of the headline scores (``--ambiguous pos|neg`` to change; the scores with ambiguous
  counted as positives are printed too).
* the hand-labelled SaudiNewsNet sentences eval/labelled/events.tsv (references; the text is
  rebuilt from DATA/saudinewsnet/conflict_subset.jsonl), fully labelled with spec kinds.
* more ``(sentence_text, labels)`` pairs: ``--extra FILE.jsonl`` (one {"text", "labels", "group"}
  object a line; labels a list of kinds/families, or a {family: bool} object), e.g. the sentences
  of the annotated corpus of issue 13 once it exists.

Cross-validation is grouped by document (OEDA: the id before its last "-"; SaudiNewsNet: the
article url), so no fold sees another sentence of a test document. For each fold seed it prints
P/R/F1 per family at the module's thresholds and at thresholds chosen inside each outer fold (an
inner grouped CV over its training folds only), the threshold sweep (first seed), and the mean
over the seeds; today's rules on the same sentences (the whole pipeline run on the sentence as an
article, a family detected when an event of that family has evidence in it); with
``--pipeline``, marsad's own output: each test fold run through ``Pipeline(Options(events=
"learned"))`` with its fold's model and thresholds installed (events.family_gate reads them).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.events import learned  # noqa: E402
from marsad.events.learned import FAMILIES, KIND_FAMILY  # noqa: E402

MODEL = learned.model   # the shipped model's loader (the pipeline CV swaps in each fold's model)

OEDA_FILES = {"assault": "assault_gsr_train.csv", "protest": "protest_gsr_train.csv"}
OEDA_NEGATIVE = ("easy no", "difficult no")


def oeda_rows(data: Path) -> list[dict]:
    rows = []
    for fam, name in OEDA_FILES.items():
        with open(data / "oeda_event_gsr_train" / name, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                rows.append({"text": r["text"], "group": "oeda:" + r["id"].rsplit("-", 1)[0], "source": "oeda",
                             "family": fam, "label": r["label"]})
    return rows


def snn_rows(data: Path, labels: Path) -> list[dict]:
    refs = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rid, url, start, end, label, bg = line.split("\t")
        refs.append((rid, url, int(start), int(end), label, bg == "1"))
    urls = {r[1] for r in refs}
    content = {}
    with open(data / "saudinewsnet" / "conflict_subset.jsonl", encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            if a.get("url") in urls and a["url"] not in content:
                content[a["url"]] = a["content"]
    rows = []
    for rid, url, a, b, label, bg in refs:
        if url not in content:
            continue
        kinds = [] if label == "none" else label.split("|")
        rows.append({"text": content[url][a:b], "group": "snn:" + url, "source": "snn", "kinds": kinds,
                     "background": bg, "id": rid})
    return rows


def labels_of(row: dict, ambiguous: str) -> object | None:
    """Training labels of a row, or None to leave it out of training."""
    if row["source"] == "oeda":
        if row["label"] == "yes":
            return {row["family"]: True}
        if row["label"] in OEDA_NEGATIVE:
            return {row["family"]: False}
        if ambiguous == "drop" and learned.HEAD_PARAMS[row["family"]].get("ambiguous", 0) > 0:
            # the family's head trains on ambiguous sentences as weighted positives (weight_of)
            return {row["family"]: True}
        return {"pos": {row["family"]: True}, "neg": {row["family"]: False}}.get(ambiguous)
    return row.get("labels", row.get("kinds"))


def weight_of(row: dict, ambiguous: str) -> float:
    """Training weight of a row: OEDA's ambiguous positives weigh their family's ``ambiguous``."""
    if row["source"] == "oeda" and row["label"] == "ambiguous" and ambiguous == "drop":
        return learned.HEAD_PARAMS[row["family"]].get("ambiguous", 0.0)
    return 1.0


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(rows, pred, fam: str, source: str, ambiguous_pos: bool = False) -> tuple[float, float, float, int, int]:
    """Sentence-level P/R/F1 of ``fam`` on the rows of ``source`` labelled for it; pred[i] a bool."""
    tp = fp = fn = n = 0
    for i, r in enumerate(rows):
        if r["source"] != source:
            continue
        if source == "oeda":
            if r["family"] != fam:
                continue
            if r["label"] == "ambiguous" and not ambiguous_pos:
                continue
            gold = r["label"] in ("yes", "ambiguous")
        else:
            gold = any(KIND_FAMILY.get(k) == fam for k in r["kinds"])
        n += 1
        tp += gold and pred[i]
        fp += (not gold) and pred[i]
        fn += gold and not pred[i]
    p, rc, f = prf(tp, fp, fn)
    return p, rc, f, tp + fn, n


def report(title: str, rows, pred_by_fam: dict[str, list[bool]]) -> dict:
    print(f"\n{title}")
    out = {}
    for source in ("oeda", "snn"):
        for fam in FAMILIES:
            p, r, f, pos, n = score(rows, pred_by_fam[fam], fam, source)
            line = f"  {source:4s} {fam:8s} P {p:.3f} R {r:.3f} F1 {f:.3f}  ({pos} positives of {n})"
            if source == "oeda":
                p2, r2, f2, pos2, n2 = score(rows, pred_by_fam[fam], fam, source, ambiguous_pos=True)
                line += f"   ambiguous as yes: P {p2:.3f} R {r2:.3f} F1 {f2:.3f} ({pos2}/{n2})"
            print(line)
            out[f"{source}_{fam}"] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3), "positives": pos}
    return out


def rule_baseline(rows) -> dict[str, list[bool]]:
    from marsad.core import Article
    from marsad.pipeline import Pipeline

    pipe = Pipeline()
    pred = {f: [] for f in FAMILIES}
    for r in rows:
        art = pipe(Article(text=r["text"]))
        fams = {KIND_FAMILY.get(e.kind) for e in art.events}
        for f in FAMILIES:
            pred[f].append(f in fams)
    return pred


THRESHOLDS = tuple(round(0.1 + 0.05 * k, 2) for k in range(17))   # 0.1 … 0.9


def best_threshold(rows, probs, fam: str, idx) -> float:
    """The threshold of THRESHOLDS with the best OEDA F1 of ``fam`` over rows ``idx`` (yes vs no)."""
    sub = [i for i in idx if rows[i]["source"] == "oeda" and rows[i]["family"] == fam
           and rows[i]["label"] != "ambiguous"]
    best, best_f = 0.5, -1.0
    for t in THRESHOLDS:
        tp = sum(1 for i in sub if probs[i] >= t and rows[i]["label"] == "yes")
        fp = sum(1 for i in sub if probs[i] >= t and rows[i]["label"] != "yes")
        fn = sum(1 for i in sub if probs[i] < t and rows[i]["label"] == "yes")
        f = prf(tp, fp, fn)[2]
        if f > best_f:
            best, best_f = t, f
    return best


def fit(rows, feats, labels, weights, idx, min_df: int):
    keep = [i for i in idx if labels[i] is not None]
    return learned.train([(rows[i]["text"], labels[i]) for i in keep], [feats[i] for i in keep], min_df=min_df,
                         weights=[weights[i] for i in keep])


def folds_of(rows, idx, folds: int, seed: int):
    from sklearn.model_selection import GroupKFold

    idx = list(idx)
    splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for tr, te in splitter.split(idx, groups=[rows[i]["group"] for i in idx]):
        yield [idx[k] for k in tr], [idx[k] for k in te]


def cross_validate(rows, feats, labels, weights, folds: int, min_df: int, seed: int = 0, idx=None, nested=False,
                   on_fold=None):
    """Out-of-fold probability per row and family (rows left out of training are still scored);
    with ``nested``, also each row's threshold per family, chosen by an inner document-grouped CV
    over its outer fold's training rows only. ``on_fold(model, thresholds, test_rows)`` is called
    for each outer fold (the pipeline measurement)."""
    idx = list(range(len(rows))) if idx is None else list(idx)
    oof = {f: [0.0] * len(rows) for f in FAMILIES}
    thr = {f: [learned.DECIDE_THRESHOLD[f]] * len(rows) for f in FAMILIES}
    for tr, te in folds_of(rows, idx, folds, seed):
        m = fit(rows, feats, labels, weights, tr, min_df)
        for i in te:
            p = m.probs(feats[i])
            for f in FAMILIES:
                oof[f][i] = p.get(f, 0.0)
        chosen = dict(learned.DECIDE_THRESHOLD)
        if nested:
            inner, _ = cross_validate(rows, feats, labels, weights, folds, min_df, seed + 100, tr)
            chosen = {f: best_threshold(rows, inner[f], f, tr) for f in FAMILIES}
            for i in te:
                for f in FAMILIES:
                    thr[f][i] = chosen[f]
        if on_fold is not None:
            on_fold(m, chosen, te)
    return oof, thr


def pipeline_fold():
    """``on_fold`` for cross_validate: the fold's model and thresholds installed where the events
    stage reads them (events.learned.model, events.family_gate's thresholds), then every test
    sentence run as an article through the pipeline of ``Options(events="learned")``; a family
    detected when an output event of that family has evidence in it (the article is the
    sentence). The stages before events do not read the model: each sentence goes through them
    once (cached across folds and seeds), then through the events and later stages per fold."""
    import copy

    from marsad.core import Article
    from marsad.events import family_gate
    from marsad.options import Options
    from marsad.pipeline import DEFAULT_STAGES, Pipeline, load_stage

    cut = DEFAULT_STAGES.index("events")
    options = Options(events="learned")
    before = Pipeline(DEFAULT_STAGES[:cut], options)
    later = [load_stage(name, options) for name in DEFAULT_STAGES[cut:]]
    done: dict[int, Article] = {}

    def after(art: Article) -> Article:
        for st in later:
            art = st.run(art)
        return art

    def run(model, thresholds, test, rows, pred: dict[str, list[bool]]):
        learned.model = lambda: model
        family_gate.sentence_probs.cache_clear()
        family_gate.gate.cache_clear()
        family_gate.VETO_THRESHOLD.update(thresholds)
        family_gate.PROPOSE_THRESHOLD.update(thresholds)
        for i in test:
            if i not in done:
                done[i] = before(Article(text=rows[i]["text"]))
            art = after(copy.deepcopy(done[i]))
            fams = {KIND_FAMILY.get(e.kind) for e in art.events}
            for f in FAMILIES:
                pred[f][i] = f in fams
    return run


def sweep(rows, oof, fam: str, source: str = "oeda", base=None) -> list[tuple[float, float, float, float]]:
    """P/R/F1 by threshold; with ``base`` (the rules' detections), of the rules with the veto."""
    out = []
    for t in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        pred = [x >= t and (base is None or b) for x, b in zip(oof[fam], base[fam] if base else oof[fam])]
        p, r, f, _, _ = score(rows, pred, fam, source)
        out.append((t, p, r, f))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--labels", default=str(ROOT / "eval" / "labelled" / "events.tsv"))
    ap.add_argument("--extra", action="append", default=[], help="more pairs: jsonl of {text, labels, group}")
    ap.add_argument("--ambiguous", choices=("drop", "pos", "neg"), default="drop")
    ap.add_argument("--no-snn", action="store_true", help="train on OEDA only")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seeds", default="0,1,2", help="seeds of the fold assignment (figures are their mean)")
    ap.add_argument("--pipeline", action="store_true",
                    help="also run each test fold through the pipeline (events=learned) with its fold's model")
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--no-baseline", action="store_true", help="skip today's rules (whole pipeline) and the veto")
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "src" / "marsad" / "data" / learned.MODEL_FILE))
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()
    t0 = time.time()
    data = Path(a.data)
    rows = oeda_rows(data)
    if not a.no_snn:
        rows += snn_rows(data, Path(a.labels))
    for path in a.extra:
        with open(path, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                d = json.loads(line)
                rows.append({"text": d["text"], "group": "extra:" + str(d.get("group", f"{path}:{i}")),
                             "source": "extra", "labels": d["labels"]})
    print(f"sentences: {Counter(r['source'] for r in rows)}; "
          f"OEDA labels: {Counter((r['family'], r['label']) for r in rows if r['source'] == 'oeda')}")
    labels = [labels_of(r, a.ambiguous) for r in rows]
    feats = [learned.features(r["text"]) for r in rows]
    t_feat = time.time() - t0
    print(f"features: {t_feat:.1f} s ({len(rows) / t_feat:.0f} sentences/s)")
    figures = {"params": learned.HEAD_PARAMS, "min_df": a.min_df, "ambiguous": a.ambiguous, "folds": a.folds}
    if not a.no_baseline:
        tb = time.time()
        base = rule_baseline(rows)
        figures["rules"] = report(f"today's rules (whole pipeline per sentence, {time.time() - tb:.0f} s)", rows, base)
    weights = [weight_of(r, a.ambiguous) for r in rows]
    seeds = [int(x) for x in a.seeds.split(",") if x.strip()]
    per_seed: dict[str, list[dict]] = {"alone": [], "fixed": [], "pipeline": []}
    pooled = {f: [] for f in FAMILIES}
    run = None
    for seed in seeds:
        tc = time.time()
        pred = {f: [False] * len(rows) for f in FAMILIES}
        on_fold = None
        if a.pipeline:
            run = pipeline_fold() if run is None else run
            on_fold = lambda m, t, te: run(m, t, te, rows, pred)  # noqa: E731
        oof, thr = cross_validate(rows, feats, labels, weights, a.folds, a.min_df, seed, nested=True, on_fold=on_fold)
        learned.model = MODEL
        print(f"\ncross-validation, fold seed {seed}: {time.time() - tc:.0f} s; thresholds chosen in the folds: "
              + ", ".join(f"{f} {sorted(Counter(thr[f]).items())}" for f in FAMILIES))
        for f in FAMILIES:
            pooled[f].append(oof[f])
        if seed == seeds[0]:
            for fam in FAMILIES:
                for source in ("oeda", "snn"):
                    print(f"\nthreshold sweep, {source} {fam} (cross-validated): learned alone"
                          + ("" if a.no_baseline else " | rules with the veto"))
                    alone = sweep(rows, oof, fam, source)
                    veto = alone if a.no_baseline else sweep(rows, oof, fam, source, base)
                    for (t, p, r, f), (_, p2, r2, f2) in zip(alone, veto):
                        print(f"  t={t:.1f}  P {p:.3f} R {r:.3f} F1 {f:.3f}"
                              + ("" if a.no_baseline else f"  |  P {p2:.3f} R {r2:.3f} F1 {f2:.3f}"))
        decide_t = learned.DECIDE_THRESHOLD
        per_seed["fixed"].append(report(f"seed {seed}: learned alone, thresholds {decide_t}", rows,
                                        {f: [x >= decide_t[f] for x in oof[f]] for f in FAMILIES}))
        per_seed["alone"].append(report(f"seed {seed}: learned alone, thresholds chosen inside the folds", rows,
                                        {f: [x >= t for x, t in zip(oof[f], thr[f])] for f in FAMILIES}))
        if a.pipeline:
            per_seed["pipeline"].append(report(f"seed {seed}: through the pipeline (events=learned), fold models",
                                               rows, pred))
    print(f"\nmean over fold seeds {seeds} (OEDA yes vs no, ambiguous left out):")
    for what, runs in per_seed.items():
        if not runs:
            continue
        figures[f"cv_{what}"] = mean = {k: {m: round(sum(r[k][m] for r in runs) / len(runs), 3) for m in ("p", "r", "f1")}
                                        for k in runs[0]}
        for k in ("oeda_assault", "oeda_protest", "snn_assault", "snn_protest"):
            print(f"  {what:8s} {k:13s} P {mean[k]['p']:.3f} R {mean[k]['r']:.3f} F1 {mean[k]['f1']:.3f}   "
                  f"(F1 by seed {[r[k]['f1'] for r in runs]})")
    figures["cv"] = figures.get("cv_alone")
    # the shipped model's thresholds: chosen by the same criterion over the out-of-fold probabilities
    # of all the data (every fold seed pooled), never on the model's own training fit
    if seeds:
        figures["thresholds"] = {f: best_threshold(rows * len(seeds), [x for o in pooled[f] for x in o], f,
                                                   range(len(rows) * len(seeds))) for f in FAMILIES}
        print(f"\nthresholds for the shipped model (CV over all of the data): {figures['thresholds']}")
    if not a.no_save:
        pairs = [(r["text"], lab) for r, lab in zip(rows, labels) if lab is not None]
        fts = [f for f, lab in zip(feats, labels) if lab is not None]
        meta = {"trained_on": dict(Counter(r["source"] for r, lab in zip(rows, labels) if lab is not None)),
                "params": learned.HEAD_PARAMS, "min_df": a.min_df, "ambiguous": a.ambiguous,
                "decide_threshold": dict(learned.DECIDE_THRESHOLD), "veto_threshold": dict(learned.VETO_THRESHOLD),
                "cv_thresholds": figures.get("thresholds"), "cv": figures["cv"]}
        tt = time.time()
        wts = [w for w, lab in zip(weights, labels) if lab is not None]
        m = learned.train(pairs, fts, min_df=a.min_df, meta=meta, weights=wts)
        print(f"\nfinal fit: {time.time() - tt:.0f} s")
        out = Path(a.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        m.save(out)
        print(f"\nmodel: {out} ({out.stat().st_size / 1e6:.2f} MB; "
              f"{ {f: len(w) for f, (_, w) in m.heads.items()} } weights)")
    figures["seconds"] = round(time.time() - t0, 1)
    print(f"total time: {figures['seconds']} s")
    if a.json:
        Path(a.json).write_text(json.dumps(figures, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
