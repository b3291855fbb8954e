"""A learned sentence-level event decision over the rule detector (issue 14).

For a sentence, :func:`decide` answers: does it report an incident, and of which
family — ``assault`` (the violent kinds PLOVER files under ASSAULT: strikes,
shelling, bombings, clashes, killings, abductions, territory taken), ``protest``
(protests and riots) — or ``none``. The events stage may use it to veto (or
confirm) the candidates its rules propose, one sentence at a time.

The model is one logistic-regression head per family over sparse features of
the sentence: character n-grams of its normalised words, word uni- and bigrams, the
words its main clause opens with, cue lists (``data/events/sentence_cues.tsv``: protest acts,
crowd sizes, statements, calls, clashes),
and what the rule detector (``events.detect``) finds in the sentence alone
(raw trigger kinds, the mentions its cues keep, their status). Scoring is a sum
of weights over the features present, so the shipped model
(``data/events/learned.json.gz``) loads and runs with the standard library only;
scikit-learn is needed to train (``pip install marsad[train]``; see
``scripts/train_event_detector.py`` and docs/events_learned.md for the data,
the cross-validated figures and how the thresholds were chosen).

Training takes ``(sentence_text, labels)`` pairs (:func:`train`): labels are
either the kinds/families the sentence reports (fully annotated: every other
family is a negative) or a ``{family: bool}`` dict for data that labels one
family only (the OEDA gold labels a sentence for ASSAULT *or* PROTEST).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from .. import kinds
from ..arabic import clitic_prefix, normalize
from ..resources import data_lists, data_path, read_model, write_model

# The model's families are PLOVER event types (in lower case), and a kind's family is the
# PLOVER type the kind table maps it to. Arrests are COERCE: the model knows nothing of
# them, so a veto never touches an arrest.
_PLOVER_FAMILIES = ("ASSAULT", "PROTEST")
FAMILIES = tuple(t.lower() for t in _PLOVER_FAMILIES)
ASSAULT, PROTEST = FAMILIES
NONE = "none"
KIND_FAMILY = {k: kinds.get(k).plover["event_type"].lower() for k in kinds.names()
               if k in kinds.VIOLENT and kinds.get(k).plover["event_type"] in _PLOVER_FAMILIES}
MODEL_FILE = "events/learned.json.gz"
CUES_FILE = "events/sentence_cues.tsv"

# Probability under which a rule candidate of that family is vetoed. Calibrated on the
# out-of-fold probabilities of the document-grouped CV (3 fold seeds; scripts/train_event_detector.py
# prints the sweep, docs/events_learned.md has it): the rules already found the sentence, so the
# veto removes only what the model is fairly sure is no incident.
# ASSAULT 0.25: rules+veto on the SaudiNewsNet tuning sentences F1 0.858 → 0.860-0.868
# (P 0.842 → 0.874-0.882, R 0.874 → 0.847-0.855), on OEDA 0.387 → 0.564-0.574. At 0.3 OEDA
# gains more (0.60) but dev sentences at p 0.28-0.29 were lost (an anaphoric detail, a
# killing told beside an arrest), so the in-domain recall decides.
# PROTEST 0.0 (never vetoed): the protest head is too weak (44 OEDA positives; CV F1 ~0.3);
# at 0.2 it lifted OEDA F1 0.149 → 0.18 but cost 1-2 of the 12 SaudiNewsNet protests.
VETO_THRESHOLD = {ASSAULT: 0.25, PROTEST: 0.0}
# Probability at or over which a sentence is decided an incident of the family on its
# own (no rule candidate needed). Session 6: the threshold of best OEDA F1 over the
# out-of-fold probabilities of the document-grouped CV (fold seeds 0-2 pooled;
# scripts/train_event_detector.py prints it, docs/events_learned.md has the figures); the CV
# figures themselves use thresholds chosen inside each fold. ASSAULT 0.5 for the NB-LR C 3
# head (session 6 fix; the plain LR C 1 head it replaced had 0.55).
DECIDE_THRESHOLD = {ASSAULT: 0.5, PROTEST: 0.6}

_WORD = re.compile(r"[\u0621-\u064a]+|\d+")
# Character n-gram lengths over "<word>" (the brackets mark word edges, so a prefix
# such as وال or a suffix such as ون is a feature of its own).
NGRAMS = (2, 3, 4, 5)


def rule_features(sentence: str) -> list[str]:
    """What the rule detector sees in the sentence alone: raw trigger kinds and roles,
    then the mentions that survive its cues (condemnation, plan, negation, …)."""
    from ..arabic import norm_view
    from .detect import classify, hits

    view = norm_view(sentence)
    bounds = [(0, len(view.text))]
    found = hits(view, bounds)
    out = {f"raw:{h.kind}" for h in found} | {f"rawrole:{h.role}" for h in found}
    out |= {f"rawfam:{KIND_FAMILY[h.kind]}:{h.role}" for h in found if h.kind in KIND_FAMILY}
    # A trigger after a purpose lam (للسيطرة، لشن) is an aim, not an act.
    if any(h.aim for h in found):
        out.add("raw:planned")
    for m in classify(view, bounds, found, None, set()):
        out.add(f"rule:{m.kind}")
        if m.kind in KIND_FAMILY:
            out.add(f"rulefam:{KIND_FAMILY[m.kind]}")
            if m.anaphoric:
                out.add("rule:anaphoric")
            if m.told:
                out.add("rule:told")
            if m.death_only:
                out.add("rule:death_only")
    if not any(f.startswith("rulefam:") for f in out):
        out.add("rulefam:none")
    return sorted(out)


def text_features(sentence: str) -> list[str]:
    words = _WORD.findall(normalize(sentence))
    out = set()
    for w in words:
        out.add("w:" + w)
        b = f"<{w}>"
        for n in NGRAMS:
            for i in range(len(b) - n + 1):
                out.add(f"c{n}:{b[i:i + n]}")
    for x, y in zip(words, words[1:]):
        out.add(f"b:{x}_{y}")
    if "؟" in sentence or "?" in sentence:
        out.add("question")
    return sorted(out)


# The words a sentence's main clause opens with: Arabic news sentences put the verb first
# ("وتظاهر الآلاف"، "خرجت مظاهرات"), after a short lead-in phrase closed by a comma
# ("وفي الديوانية، تظاهر …"، "إلى ذلك، …") of at most this many words.
HEAD_LEAD_WORDS = 5
_LEAD_END = re.compile(r"[،,:]")
HEADS_FILE = "events/sentence_heads.tsv"


@lru_cache(maxsize=1)
def _clitics() -> tuple[str, ...]:
    return data_lists(HEADS_FILE)["clitic"]


def _bare(word: str) -> str:
    for p in _clitics():
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


def head_features(sentence: str) -> list[str]:
    """The first two words of the sentence, and of its main clause after a short lead-in,
    without a leading conjunction, with their first 3-5 letters (so تظاهر، تظاهرت and تظاهروا
    share a feature): whether the sentence's predicate is the event or a statement about it."""
    n = normalize(sentence)
    segs = [n]
    m = _LEAD_END.search(n)
    if m and len(_WORD.findall(n[:m.start()])) <= HEAD_LEAD_WORDS:
        segs.append(n[m.end():])
    out = set()
    for seg in segs:
        for j, w in enumerate(_WORD.findall(seg)[:2]):
            w = _bare(w)
            out.add(f"h{j}:{w}")
            b = "<" + w
            for k in (3, 4, 5):
                if len(b) >= k:
                    out.add(f"h{j}p{k}:{b[:k]}")
    return sorted(out)


@lru_cache(maxsize=1)
def cue_rx() -> dict[str, re.Pattern]:
    return {name: re.compile(r"(?<![\u0621-\u064a])" + clitic_prefix("وف") + "(?:" + "|".join(words)
                             + r")(?![\u0621-\u064a])")
            for name, words in data_lists(CUES_FILE).items()}


# A cue among the sentence's first words is the predicate's, not a clause's far down.
CUE_EARLY_WORDS = 3


def cue_features(sentence: str) -> list[str]:
    """Which cue lists of ``data/events/sentence_cues.tsv`` the sentence holds (and whether
    early), and four pairings that tell an act from talk about one (docs/events_learned.md)."""
    n = normalize(sentence)
    out = set()
    first: dict[str, int] = {}
    for name, rx in cue_rx().items():
        m = rx.search(n)
        if m is None:
            continue
        first[name] = m.start()
        out.add(f"cue:{name}")
        if len(_WORD.findall(n[:m.start()])) < CUE_EARLY_WORDS:
            out.add(f"cue:{name}:early")
    if "noun" in first:
        for other in ("act", "crowd", "call"):
            if other in first:
                out.add(f"cue:{other}+noun")
        if "speech" in first and first["speech"] < first["noun"]:
            out.add("cue:speech<noun")
    return sorted(out)


def features(sentence: str, rules: Sequence[str] | None = None) -> list[str]:
    """All features of a sentence; ``rules`` are its :func:`rule_features` when already known."""
    return (text_features(sentence) + head_features(sentence) + cue_features(sentence)
            + list(rule_features(sentence) if rules is None else rules))


@dataclass
class Decision:
    """The family a sentence reports (``none`` when no family reaches its threshold),
    that family's probability (for ``none``: the highest family probability), and all."""

    family: str
    prob: float
    probs: dict[str, float]

    def vetoes(self, family: str) -> bool:
        """True when the model is confident the sentence reports no incident of ``family``."""
        if family not in self.probs:
            return False
        return self.probs[family] < VETO_THRESHOLD.get(family, 0.0)


class Model:
    """Per family: a bias and a weight per feature (absent features weigh nothing)."""

    def __init__(self, heads: Mapping[str, tuple[float, Mapping[str, float]]], meta: Mapping | None = None):
        self.heads = {f: (float(b), dict(w)) for f, (b, w) in heads.items()}
        self.meta = dict(meta or {})
        # one lookup per feature for all heads (scoring is most of decide()'s time)
        self._names = list(self.heads)
        zero = (0.0,) * len(self._names)
        joint: dict[str, tuple[float, ...]] = {}
        for k, fam in enumerate(self._names):
            for f, v in self.heads[fam][1].items():
                t = list(joint.get(f, zero))
                t[k] = v
                joint[f] = tuple(t)
        self._joint = joint

    def probs(self, feats: Iterable[str]) -> dict[str, float]:
        feats = list(feats)
        # each sentence's features weigh 1/sqrt(their number): a long sentence has hundreds
        # of n-grams and would otherwise outvote its few telling ones (as trained, see train())
        norm = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        sums = [0.0] * len(self._names)
        get = self._joint.get
        for f in feats:
            t = get(f)
            if t is not None:
                for k, v in enumerate(t):
                    sums[k] += v
        out = {}
        for k, fam in enumerate(self._names):
            z = self.heads[fam][0] + norm * sums[k]
            out[fam] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        return out

    def save(self, path: Path) -> None:
        doc = {"meta": self.meta,
               "heads": {f: {"bias": round(b, 5), "weights": {k: round(v, 4) for k, v in sorted(w.items())}}
                         for f, (b, w) in self.heads.items()}}
        write_model(path, doc)

    @classmethod
    def load(cls, path: Path) -> "Model":
        doc = read_model(path)
        return cls({f: (h["bias"], h["weights"]) for f, h in doc["heads"].items()}, doc.get("meta"))


@lru_cache(maxsize=1)
def model() -> Model:
    return Model.load(data_path(MODEL_FILE))


def decide(sentences: Sequence[str], rules: Sequence[Sequence[str]] | None = None) -> list[Decision]:
    """One :class:`Decision` per sentence. ``rules``: each sentence's :func:`rule_features`
    if the caller has them (otherwise the detector is run on the sentence alone)."""
    m = model()
    out = []
    for i, s in enumerate(sentences):
        p = m.probs(features(s, None if rules is None else rules[i]))
        fam = max(p, key=p.get)
        if p[fam] >= DECIDE_THRESHOLD.get(fam, 0.5):
            out.append(Decision(fam, p[fam], p))
        else:
            out.append(Decision(NONE, p[fam], p))
    return out


def veto(mentions: list, sentence_text: Callable[[int], str]) -> list:
    """The rule mentions (``events.detect.Mention``) the model does not veto.

    The hook for the events stage, right after ``classify``: ``sentence_text(i)`` gives the
    text of sentence (or clause) ``i``. Only sentences holding a mention of a family the
    model may veto are decided (ASSAULT-family kinds while PROTEST's threshold is 0);
    arrests and verbal kinds pass untouched. A mention goes when its family's probability is under
    ``VETO_THRESHOLD``.
    """
    # a family whose threshold is 0 is never vetoed: its sentences need no decision
    need = sorted({m.sent for m in mentions if VETO_THRESHOLD.get(KIND_FAMILY.get(m.kind, ""), 0.0) > 0})
    if not need:
        return mentions
    dec = dict(zip(need, decide([sentence_text(i) for i in need])))
    return [m for m in mentions if m.sent not in dec or not dec[m.sent].vetoes(KIND_FAMILY[m.kind])]


def view_sentence(view, bounds: Sequence[tuple[int, int]]) -> Callable[[int], str]:
    """``sentence_text`` for :func:`veto` from the stage's normalised view and its sentence
    bounds (view offsets): the original text of each sentence, as the model was trained on."""
    def text(i: int) -> str:
        a, b = bounds[i]
        if b <= a:
            return ""
        return view.original[view.offsets[a]:view.offsets[b - 1] + 1]
    return text


# -- training (scikit-learn) ------------------------------------------------------------

def _targets(labels) -> dict[str, int | None]:
    """Labels → {family: 1, 0 or None (unknown)}."""
    if isinstance(labels, Mapping):
        return {f: (None if labels.get(f) is None else int(bool(labels[f]))) for f in FAMILIES}
    fams = {KIND_FAMILY.get(k, k) for k in labels}
    return {f: int(f in fams) for f in FAMILIES}


def featurize(pairs: Sequence[tuple[str, object]]) -> list[list[str]]:
    return [features(s) for s, _ in pairs]


# Per family: naive-Bayes log-count-ratio scaling of the features (NB-LR, Wang & Manning
# 2012) or not, the inverse regularisation strength C, and the training weight of OEDA's
# ``ambiguous`` sentences as positives (0: left out). Chosen by the document-grouped CV of
# scripts/train_event_detector.py, thresholds chosen inside the folds (docs/events_learned.md,
# session 6; mean F1 over fold seeds 0-2, head and cue features in):
# ASSAULT NB-LR C 3 0.680 (script; SaudiNewsNet out of fold 0.845, session 5 0.847). Plain LR
# C 1 reached 0.695 (harness) but lowered SaudiNewsNet ASSAULT to 0.806, which the adoption rule
# written before measuring forbids (fall > 0.01), so it was reverted. PROTEST C 3 with
# ambiguous at 0.25: 0.415 harness, 0.383 script (ambiguous left out, C 1: 0.325 at 0.5;
# ambiguous at 0.5: 0.401; C 1: 0.382): 44 unanimous positives are too few to learn what a protest
# sentence looks like, and most of the 170 ambiguous ones (one rejection of 3-5) are.
HEAD_PARAMS = {ASSAULT: {"nb": True, "C": 3.0}, PROTEST: {"nb": False, "C": 3.0, "ambiguous": 0.25}}
# Additive smoothing of the NB counts.
NB_ALPHA = 1.0


def train(pairs: Sequence[tuple[str, object]], feats: Sequence[Sequence[str]] | None = None,
          params: Mapping[str, Mapping] | None = None, min_df: int = 2, meta: Mapping | None = None,
          weights: Sequence[float] | None = None) -> Model:
    """Fit one logistic regression per family on ``(sentence_text, labels)`` pairs.

    ``feats`` may carry precomputed :func:`features` of the sentences (cross-validation
    computes them once). Features seen in fewer than ``min_df`` training sentences are
    dropped; so are weights that round to zero, which keeps the file small. Classes are
    weighted to balance (positives are 3-10% of the data), after ``weights`` (one per pair,
    e.g. a half weight for OEDA's ``ambiguous`` positives). The NB ratios and the row
    scaling fold into the stored weights, so scoring stays a sum.
    """
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    params = {**HEAD_PARAMS, **(params or {})}
    feats = featurize(pairs) if feats is None else feats
    heads = {}
    for fam in FAMILIES:
        idx = [i for i, (_, lab) in enumerate(pairs) if _targets(lab)[fam] is not None]
        y = np.array([_targets(pairs[i][1])[fam] for i in idx])
        if not idx or len(set(y)) < 2:
            continue
        vec = CountVectorizer(analyzer=lambda x: x, min_df=min_df, binary=True)
        X = vec.fit_transform([feats[i] for i in idx]).astype(float)
        if params[fam].get("nb"):
            p = NB_ALPHA + np.asarray(X[y == 1].sum(axis=0)).ravel()
            q = NB_ALPHA + np.asarray(X[y == 0].sum(axis=0)).ravel()
            r = np.log((p / p.sum()) / (q / q.sum()))
        else:
            r = np.ones(X.shape[1])
        norm = np.array([1.0 / math.sqrt(max(1, len(feats[i]))) for i in idx])
        Z = sp.diags(norm) @ X @ sp.diags(r)
        w = np.array([1.0 if weights is None else float(weights[i]) for i in idx])
        # classes balanced by their total weight
        w = w * np.where(y == 1, len(y) / (2 * w[y == 1].sum()), len(y) / (2 * w[y == 0].sum()))
        clf = LogisticRegression(C=params[fam]["C"], max_iter=3000, solver="liblinear", random_state=0)
        clf.fit(Z, y, sample_weight=w)
        coef = clf.coef_[0] * r
        w = {f: float(c) for f, c in zip(vec.get_feature_names_out(), coef) if abs(c) >= 5e-4}
        heads[fam] = (float(clf.intercept_[0]), w)
    return Model(heads, meta)
