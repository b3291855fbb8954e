"""The learned events variant (``Options(events="learned")``, issue 14): a decision for
every event the rules build — a current incident, a background event, an aggregate, or
nothing to report.

The rules propose; this module decides, after the events stage has built its events.
Each violent event is described by what the record already knows of it (kind, trigger
word, the sentence model's probabilities for its sentences (``events.learned``), date and
its distance from publication, toll, place precision, position in the text, headline,
quotation, the words of its first sentence) and a multinomial logistic regression over
those features (``data/events/candidates.json.gz``, trained by ``scripts/train_events.py``
on the annotated corpus's train split: rule events matched to gold events with the corpus
scorer's matching) chooses one of :data:`CLASSES`. Background and aggregate events stay in
the record, flagged (``Event.background`` / ``Event.aggregate``); dropped ones go.
Scoring is a sum of weights (standard library only). docs/events_learned.md has the
figures and the calibration of :data:`KEEP_THRESHOLD`.
"""
from __future__ import annotations

import json
import math
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .. import kinds
from ..arabic import normalize
from ..core import Article, Event
from ..resources import data_path, read_model, write_model
from . import learned

CLASSES = ("current", "background", "aggregate", "drop")
MODEL_FILE = "events/candidates.json.gz"
KIND_MODEL_FILE = "events/candidate_kinds.json.gz"
# Kinds the decision is about: the violent kinds the corpus annotates (arrests included).
DECIDED_KINDS = frozenset(learned.KIND_FAMILY) | {kinds.role("detention")}
# An event stays a current incident while its probability of being one is at least this.
# Calibrated by the article-grouped CV over the corpus train split (5 folds, 2 fold seeds;
# scripts/train_events.py prints the sweep, docs/events_learned.md has it): event F1 0.514
# (rules) -> 0.527 at 0.2 (C 0.1); 0.1: 0.514-0.525, 0.3: 0.47-0.50. The rules' candidates
# are mostly right, so the decision removes only what the model is fairly sure is not news.
KEEP_THRESHOLD = 0.2
# The kind model's kind replaces the rules' when it differs and its probability is at least
# this. Off (over 1): in the same CV, kind thresholds 0.6-0.8 left event F1 unchanged and
# lowered kind accuracy (0.836 -> 0.828), so no kind model ships (docs/events_learned.md).
KIND_THRESHOLD = 1.01

_WORD = re.compile(r"[\u0621-\u064a]+|\d+")


def _days(published: str | None, day: str | None) -> int | None:
    try:
        return (date.fromisoformat(published[:10]) - date.fromisoformat(day[:10])).days
    except (TypeError, ValueError):
        return None


def _bucket(n: int | None, edges: Sequence[int], name: str) -> str:
    if n is None:
        return f"{name}:none"
    for e in edges:
        if n < e:
            return f"{name}:<{e}"
    return f"{name}:>={edges[-1]}"


def features(article: Article, ev: Event, probs: Mapping[str, float] | None = None,
             index: int = 0, n_events: int = 1) -> dict[str, float]:
    """Named features of one event (values 1 unless numeric); ``probs``: the sentence
    model's family probabilities (max over the event's sentences) when already known."""
    text = article.text or ""
    out: dict[str, float] = {"bias_": 1.0, f"kind:{ev.kind}": 1.0}
    fam = learned.KIND_FAMILY.get(ev.kind, "other")
    out[f"fam:{fam}"] = 1.0
    if ev.trigger:
        trig = normalize(text[ev.trigger.start:ev.trigger.end]).strip()
        out[f"trig:{trig}"] = 1.0
        out[f"kindtrig:{ev.kind}:{trig}"] = 1.0
    sents = [text[s.start:s.end] for s in ev.evidence] or [""]
    if probs is None:
        probs = sentence_probs(sents)
    for f, p in probs.items():
        out[f"p:{f}"] = p
        out[f"p:{f}:{min(4, int(p * 5))}"] = 1.0
    if fam in probs:
        out["p:own"] = probs[fam]
    out[_bucket(len(ev.evidence), (2, 3, 5), "nsent")] = 1.0
    line_end = text.find("\n")
    first = min((s.start for s in ev.evidence), default=0)
    if 0 <= first < line_end:
        out["title"] = 1.0
    out["pos"] = first / max(1, len(text))
    out[_bucket(index, (1, 2, 4, 8), "index")] = 1.0
    out[_bucket(n_events, (2, 3, 5, 9), "nevents")] = 1.0
    days = _days(article.published, ev.date)
    out[_bucket(days, (0, 1, 3, 8, 15, 60), "days")] = 1.0
    out[f"prec:{ev.date_precision}"] = 1.0
    out[_bucket(ev.killed.total, (1, 2, 10, 20, 100), "killed")] = 1.0
    out[_bucket(ev.injured.total, (1, 10, 100), "injured")] = 1.0
    out[f"place:{ev.place.precision if ev.place else 'none'}"] = 1.0
    if ev.trigger and any(q.content.start <= ev.trigger.start < q.content.end for q in article.quotes):
        out["quoted"] = 1.0
    words = _WORD.findall(normalize(sents[0]))
    if words:
        w = 1.0 / math.sqrt(len(words))
        for x in set(words):
            out[f"w:{x}"] = w
    return out


def sentence_probs(sentences: Sequence[str]) -> dict[str, float]:
    """The sentence model's family probabilities, the highest over the sentences."""
    best: dict[str, float] = {}
    for d in learned.decide(list(sentences)):
        for f, p in d.probs.items():
            best[f] = max(best.get(f, 0.0), p)
    return best


class Model:
    """Per class: a bias and weights over named features; softmax over the classes."""

    def __init__(self, weights: Mapping[str, Mapping[str, float]], meta: Mapping | None = None):
        self.weights = {c: dict(w) for c, w in weights.items()}
        self.meta = dict(meta or {})

    def probs(self, feats: Mapping[str, float]) -> dict[str, float]:
        z = {c: sum(w.get(f, 0.0) * v for f, v in feats.items()) for c, w in self.weights.items()}
        top = max(z.values())
        e = {c: math.exp(v - top) for c, v in z.items()}
        s = sum(e.values())
        return {c: v / s for c, v in e.items()}

    def save(self, path: Path) -> None:
        doc = {"meta": self.meta, "weights": {c: {f: round(v, 4) for f, v in sorted(w.items()) if abs(v) >= 5e-4}
                                              for c, w in self.weights.items()}}
        write_model(path, doc)

    @classmethod
    def load(cls, path: Path) -> "Model":
        doc = read_model(path)
        return cls(doc["weights"], doc.get("meta"))


@lru_cache(maxsize=1)
def model() -> Model:
    return Model.load(data_path(MODEL_FILE))


@lru_cache(maxsize=1)
def kind_model() -> Model | None:
    try:
        return Model.load(data_path(KIND_MODEL_FILE))
    except FileNotFoundError:
        return None


def choose_kind(kind: str, probs: Mapping[str, float] | None, threshold: float = KIND_THRESHOLD) -> str:
    """The rules' kind unless the kind model is confident of another."""
    if not probs:
        return kind
    best = max(probs, key=probs.get)
    return best if best != kind and probs[best] >= threshold else kind


def set_kind(ev: Event, kind: str) -> None:
    """Give ``ev`` another kind, with the ACLED and PLOVER mapping that goes with it."""
    ev.kind = kind
    ev.acled = kinds.acled_for(kind, state_actor=any(p.side == "state" for p in ev.actors),
                               armed_target=any(t.side in ("state", "non_state") for t in ev.targets))
    row = kinds.get(kind)
    ev.plover = dict(row.plover) if row else None


def choose(probs: Mapping[str, float], threshold: float = KEEP_THRESHOLD) -> str:
    """The class of an event: current while its probability reaches ``threshold``,
    otherwise the likeliest of the others."""
    if probs.get("current", 0.0) >= threshold:
        return "current"
    return max((c for c in CLASSES if c != "current"), key=lambda c: probs.get(c, 0.0))


def decide(article: Article, m: Model | None = None, threshold: float = KEEP_THRESHOLD,
           km: Model | None = None, kind_threshold: float = KIND_THRESHOLD) -> Article:
    """The events stage's one call for the learned variant: flag or drop ``article.events``
    and correct the kinds the kind model is confident the rules got wrong."""
    m = m or model()
    if km is None and kind_threshold <= 1.0:
        km = kind_model()
    decided = [e for e in article.events if e.kind in DECIDED_KINDS]
    kept: list[Event] = []
    k = 0
    for ev in article.events:
        if ev.kind not in DECIDED_KINDS:
            kept.append(ev)
            continue
        feats = features(article, ev, index=k, n_events=len(decided))
        cls = choose(m.probs(feats), threshold)
        k += 1
        if cls == "drop":
            continue
        if km is not None:
            kind = choose_kind(ev.kind, km.probs(feats), kind_threshold)
            if kind != ev.kind:
                set_kind(ev, kind)
        ev.background = cls == "background"
        ev.aggregate = cls == "aggregate"
        kept.append(ev)
    article.events = kept
    return article


def all_features(article: Article) -> list[dict[str, float]]:
    """Features of the article's decided events, in order (training)."""
    decided = [e for e in article.events if e.kind in DECIDED_KINDS]
    return [features(article, ev, index=k, n_events=len(decided)) for k, ev in enumerate(decided)]


# -- training (scikit-learn) ------------------------------------------------------------

def train(rows: Sequence[Mapping[str, float]], labels: Sequence[str], C: float = 1.0,
          min_df: int = 2, balanced: bool = False, exclude: Sequence[str] = (),
          meta: Mapping | None = None) -> Model:
    """Multinomial logistic regression over the rows' named features (those seen in at
    least ``min_df`` rows; names starting with an ``exclude`` prefix left out: a feature
    the model has no weight for weighs nothing at run time)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for r in rows:
        for f in r:
            counts[f] = counts.get(f, 0) + 1
    rows = [{f: v for f, v in r.items() if counts[f] >= min_df and f != "bias_"
             and not any(f.startswith(x) for x in exclude)} for r in rows]
    vec = DictVectorizer()
    X = vec.fit_transform(rows)
    y = np.array(labels)
    clf = LogisticRegression(C=C, max_iter=5000, class_weight="balanced" if balanced else None)
    clf.fit(X, y)
    names = vec.get_feature_names_out()
    weights = {}
    for k, c in enumerate(clf.classes_):
        # two classes: sklearn keeps one row (the second class's log-odds); the first weighs 0
        coef = clf.coef_[k] if len(clf.classes_) > 2 else clf.coef_[0] * (k == 1)
        b = clf.intercept_[k] if len(clf.classes_) > 2 else clf.intercept_[0] * (k == 1)
        w = {f: float(v) for f, v in zip(names, coef)}
        w["bias_"] = float(b)
        weights[str(c)] = w
    return Model(weights, meta)
