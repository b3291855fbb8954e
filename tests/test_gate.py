"""The evaluation gate: every score floor of eval/floors.toml, checked here and nowhere else.

The full pipeline runs on the hand-annotated dev articles (../shared/eval/dev beside the
repository) and the shared scorer's figures must reach their floors; the CRF tagger alone
is held to its ANERcorp floor. Both skip, saying why, when their data is not beside the repo.
"""
from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

from marsad.ner.conll import tag_file
from marsad.ner.evaluate import score as conll_score
from marsad.pipeline import process
from marsad.readers import read_file

ROOT = Path(__file__).resolve().parents[1]
FLOORS = tomllib.loads((ROOT / "eval" / "floors.toml").read_text(encoding="utf-8"))


def _scorer(path: Path):
    spec = importlib.util.spec_from_file_location("shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def dev_scores() -> dict[str, float]:
    """The scorer's figures (as score.py prints them) for the pipeline's dev records."""
    cfg = FLOORS["dev"]
    dev, scorer = ROOT / cfg["path"], ROOT / cfg["scorer"]
    golds = sorted(dev.glob("*.gold.json"))
    if not golds or not scorer.exists():
        pytest.skip(f"{cfg['path']} (with its gold files) or {cfg['scorer']} is not beside the repository")
    score = _scorer(scorer)
    t = score.Tally()
    for g in golds:
        pred = json.loads(json.dumps(process(read_file(g.with_name(g.name.replace(".gold.json", ".txt")))).to_json()))
        gold = json.loads(g.read_text(encoding="utf-8"))
        score.score_text(pred, gold, t)
        score.score_entities(pred, gold, t)
        score.score_places(pred, gold, t)
        score.score_quotes(pred, gold, t)
        score.score_events(pred, gold, t)
    out = {name: t.ratio(name) for name in t.c}
    for area in ("entity", "place", "quote", "event"):
        p, r = out.get(f"{area}_precision") or 0.0, out.get(f"{area}_recall") or 0.0
        out[f"{area}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def test_dev_floors():
    scores = dev_scores()
    low = {k: (round(scores.get(k) or 0.0, 3), floor) for k, floor in FLOORS["dev"]["floors"].items()
           if (scores.get(k) or 0.0) < floor}
    assert not low, f"below the floors of eval/floors.toml (score, floor): {low}"


def test_anercorp_floors(tmp_path):
    cfg = FLOORS["anercorp_test"]
    src = ROOT / cfg["path"]
    if not src.exists():
        pytest.skip(f"{cfg['path']} (ANERcorp) is not beside the repository")
    out = tmp_path / "pred.conll"
    tag_file(str(src), str(out), tagset="anercorp")
    sents, cur = [], []
    for line in out.read_text(encoding="utf-8").splitlines():
        if line.strip():
            cur.append(line.split())
        elif cur:
            sents.append(cur)
            cur = []
    if cur:
        sents.append(cur)
    s = conll_score([[c[-2] for c in x] for x in sents], [[c[-1] for c in x] for x in sents])
    got = {"overall_f1": s["overall"]["f1"], "LOC_f1": s["LOC"]["f1"]}
    low = {k: (round(got[k], 3), floor) for k, floor in cfg["floors"].items() if got[k] < floor}
    assert not low, f"below the floors of eval/floors.toml (score, floor): {low}"


def test_every_floor_names_a_figure_the_gate_computes():
    """A misspelt floor would never fail: each must be one of the scorer's figures."""
    known = {"entity_f1", "place_f1", "quote_f1", "event_f1", "entity_precision", "entity_recall",
             "entity_recall_typed", "place_precision", "place_recall", "quote_precision", "quote_recall",
             "quote_speaker_accuracy", "event_precision", "event_recall", "event_kind_accuracy",
             "event_date_accuracy", "casualty_recall", "casualty_open_kept_null", "boilerplate_removed",
             "published_date"}
    assert set(FLOORS["dev"]["floors"]) <= known
    assert set(FLOORS["anercorp_test"]["floors"]) <= {"overall_f1", "LOC_f1"}
