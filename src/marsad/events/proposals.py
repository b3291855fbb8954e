"""Learned proposals (issue 14, detection): events for sentences where the rules find none.

The rules' classifier (``events.detect.classify``) drops many triggers it cannot vouch for
(a weak "هجوم" without support, a cue nearby) and the trigger table lacks words that do
report incidents ("أطلق النار"، "تعرض لهجوم"، "اعتصام"، "سلسلة بشرية"; the list and its
provenance are in ``data/events/proposal_words.tsv``). For each sentence that holds such a
candidate trigger but no violent mention of the rules, a logistic regression over named
features (the sentence's words, the candidate triggers and their kinds, the OEDA sentence
model's probabilities from ``events.learned``, the rules' events around it) says whether it
reports a current incident, and a second one of which kind. A proposal is an ordinary
:class:`~marsad.events.detect.Mention` anchored on its candidate trigger: the events stage
then merges it and gives it toll, place, date and participants as any rule mention.

Both models are :class:`marsad.events.candidates.Model` (a sum of weights and a softmax,
standard library only), stored in ``data/events/proposals.json.gz`` and trained by
``scripts/train_proposals.py`` on the annotated corpus's train split (sentences labelled by the
current gold events they belong to). The thresholds and the figures are in
docs/events_learned.md (session 5).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

from .. import arabic
from ..arabic import NormText, clitic_prefix
from ..resources import data_lists, data_path, read_model, write_model
from . import learned
from .candidates import Model
from .detect import Hit, Mention
from .lexicon import VIOLENT_KINDS, fold

MODEL_FILE = "events/proposals.json.gz"
# The three thresholds were chosen together by the article-grouped 5-fold CV over the corpus
# train split (fold seeds 0 and 1; scripts/train_proposals.py prints the sweep, docs/events_learned.md
# (session 5) has it): incident event F1 0.536 (rules) -> 0.549 at (0.5, 0.7, 0.5); the grid
# was 0.5/0.6/0.7 x 0.7/0.8/never x 0.5 after a veto sweep 0.1-0.7 (best 0.5).
# A sentence with a candidate trigger and no violent rule mention gets a proposal when the
# detector's probability of "reports a current incident" reaches this. A proposal at this
# level joins an event of the rules when the merge makes it one (more evidence, same incident).
PROPOSE_THRESHOLD = 0.5
# An event made of proposals alone (no rule mention merged with it) stands only at this
# probability: a new incident needs more confidence than more evidence for a known one
# (most proposals are detail sentences of an incident the rules already hold).
ALONE_THRESHOLD = 0.7
# A rule event all of whose sentences the veto scores under this is dropped (0: no veto).
# Veto alone, same CV: 0.1 -> 0.538, 0.3 -> 0.544, 0.5 -> 0.547-0.550, 0.7 -> 0.542-0.544.
VETO_THRESHOLD = 0.5

# Whether the OEDA sentence model's probabilities are features. They are three quarters of the
# proposer's cost (character n-grams, the rule detector rerun on each sentence alone): with them
# the learned variant costs about +19% CPU per article, without them +5%; but without them train
# CV falls 0.550 -> 0.548 and corpus dev 0.557 -> 0.544 (docs/events_learned.md, session 5), so
# they stay, and the variant is opt-in (the rules' cost is unchanged).
SENTENCE_MODEL = True

_WORD = re.compile(r"[\u0621-\u064a]+|\d+")


@lru_cache(maxsize=1)
def _word_rx() -> re.Pattern:
    """One alternation of every proposal word, each as a named group ``k<kind index>_<row>``."""
    parts = []
    for name, words in data_lists("events/proposal_words.tsv").items():
        for j, w in enumerate(words):
            parts.append(f"(?P<k{_KINDS.index(name)}_{j}>{fold(w)})")
    return re.compile(r"(?<![\w])" + clitic_prefix("وفبل", article=True) + arabic.alternation(parts) + r"(?![\w])")


_KINDS = tuple(VIOLENT_KINDS)


def word_hits(view: NormText, a: int, b: int, si: int) -> list[Hit]:
    """The proposal words of view characters [a, b) as hits of sentence ``si`` (role ``proposal``)."""
    out = []
    for m in _word_rx().finditer(view.text, a, b):
        name = m.lastgroup
        kind = _KINDS[int(name[1:].split("_")[0])]
        out.append(Hit(kind, "proposal", m.start(name), m.end(name), m.group(name), False, si))
    return out


def _bucket(n: int, edges: Sequence[int], name: str) -> str:
    for e in edges:
        if n < e:
            return f"{name}:<{e}"
    return f"{name}:>={edges[-1]}"


def features(stext: str, cands: Sequence[Hit], si: int, n_sents: int, title: bool, old: bool,
             near: Mapping[str, bool], n_rule_events: int) -> dict[str, float]:
    """Named features of one sentence (values 1 unless weighted): its words (1/√n), its
    candidate triggers, the OEDA sentence model's family probabilities, and its context."""
    out: dict[str, float] = {"bias_": 1.0}
    words = _WORD.findall(stext)
    if words:
        w = 1.0 / math.sqrt(len(words))
        for x in set(words):
            out["w:" + x] = w
        for x, y in set(zip(words, words[1:])):
            out[f"b:{x}_{y}"] = w
    for h in cands:
        out[f"hit:{h.kind}"] = 1.0
        out[f"role:{h.role}"] = 1.0
        out[f"hitword:{h.word}"] = 1.0
        if h.aim:
            out["aim"] = 1.0
        if h.definite:
            out["definite"] = 1.0
    if SENTENCE_MODEL:
        probs = learned.model().probs(learned.features(stext))
        for f, p in probs.items():
            out[f"p:{f}"] = p
            out[f"p:{f}:{min(4, int(p * 5))}"] = 1.0
    if "؟" in stext or "?" in stext:
        out["question"] = 1.0
    if title:
        out["title"] = 1.0
    if old:
        out["old"] = 1.0
    out[_bucket(si, (1, 2, 4, 8, 16), "sent")] = 1.0
    out["pos"] = si / max(1, n_sents)
    for k, v in near.items():
        if v:
            out[f"near:{k}"] = 1.0
    out[_bucket(n_rule_events, (1, 2, 4, 8), "ruleevents")] = 1.0
    return out


def sentence_rows(view: NormText, bounds, found: Sequence[Hit], mentions: Sequence[Mention],
                  title_sents: set[int], old: frozenset[int], ruled: bool = False
                  ) -> list[tuple[int, list[Hit], dict[str, float]]]:
    """(sentence, candidate hits, features) for every sentence that holds a candidate trigger
    and no violent mention of the rules (the sentences a proposal may be made for); with
    ``ruled``, for the sentences that hold one (the sentences a veto may judge)."""
    violent: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.kind in VIOLENT_KINDS:
            violent.setdefault(m.sent, []).append(m)
    by_sent: dict[int, list[Hit]] = {}
    for h in found:
        if h.kind in VIOLENT_KINDS:
            by_sent.setdefault(h.sent, []).append(h)
    n = len(bounds)
    out = []
    for si, (a, b) in enumerate(bounds):
        if (si in violent) != ruled:
            continue
        cands = by_sent.get(si, []) + word_hits(view, a, b, si)
        if not cands:
            continue
        near = {"prev": si - 1 in violent, "next": si + 1 in violent,
                "window": any(abs(si - v) <= 3 for v in violent if v != si)}
        feats = features(view.text[a:b], cands, si, n, si in title_sents, si in old, near, len(violent))
        for m in violent.get(si, []):
            feats[f"rule:{m.kind}"] = 1.0
            for flag in ("anaphoric", "told", "death_only", "generic_anaphor"):
                if getattr(m, flag):
                    feats[f"rule:{flag}"] = 1.0
        out.append((si, cands, feats))
    return out


@dataclass
class Scored(Mention):
    """A mention with the learned detector's probability that its sentence reports a current
    incident; ``proposed``: made by the detector (else a rule mention it judged)."""

    prob: float = 0.0
    proposed: bool = False


class Proposer:
    """The detector (classes ``yes``/``no``), the kind model (the violent kinds) and, optionally,
    the veto over the rules' sentences (classes ``yes``/``no``)."""

    def __init__(self, detector: Model, kind_model: Model, threshold: float = PROPOSE_THRESHOLD,
                 alone: float = ALONE_THRESHOLD, veto: Model | None = None, veto_threshold: float = VETO_THRESHOLD):
        self.detector, self.kind_model, self.veto = detector, kind_model, veto
        self.threshold, self.alone, self.veto_threshold = threshold, alone, veto_threshold

    def __call__(self, view: NormText, bounds, found, mentions, title_sents, old) -> tuple[list[Mention], list[Mention]]:
        """The events stage's hook: the rules' ``mentions`` (with a veto, scored) and the
        proposals, in sentence order."""
        out = list(mentions)
        if self.veto is not None and self.veto_threshold > 0:
            judged = {si: self.veto.probs(feats).get("yes", 0.0)
                      for si, _, feats in sentence_rows(view, bounds, found, mentions, title_sents, old, ruled=True)}
            out = [Scored(**{f: getattr(m, f) for f in m.__dataclass_fields__}, prob=judged[m.sent])
                   if m.kind in VIOLENT_KINDS and m.sent in judged else m for m in out]
        added: list[Mention] = []
        if self.threshold <= 1:
            for si, cands, feats in sentence_rows(view, bounds, found, mentions, title_sents, old):
                p = self.detector.probs(feats).get("yes", 0.0)
                if p < self.threshold:
                    continue
                kp = self.kind_model.probs(feats)
                kind = max(kp, key=kp.get)
                # the trigger: a candidate of the chosen kind, else the first candidate
                anchor = next((h for h in cands if h.kind == kind), cands[0])
                hit = Hit(kind, "proposal", anchor.start, anchor.end, anchor.word, anchor.definite, si)
                added.append(Scored(kind, si, [hit], told=True, prob=p, proposed=True))
        return out, added

    def keep(self, drafts: list, proposed: list = ()) -> list:
        """The rules' drafts less those every sentence of which the veto scores under
        ``veto_threshold``, then (after them, so that the rules' events keep their order) the
        drafts of proposals that reach ``alone``."""
        out = [d for d in drafts if not all(isinstance(m, Scored) for m in d.mentions)
               or max(m.prob for m in d.mentions) >= self.veto_threshold]
        return out + [d for d in proposed if max(m.prob for m in d.mentions) >= self.alone]

    def save(self, path) -> None:
        doc = {"meta": {"threshold": self.threshold, "alone": self.alone, "veto_threshold": self.veto_threshold},
               "detector": _weights(self.detector), "kinds": _weights(self.kind_model)}
        if self.veto is not None:
            doc["veto"] = _weights(self.veto)
        write_model(path, doc)

    @classmethod
    def load(cls, path) -> "Proposer":
        """The stored models with this module's thresholds (the stored ones are a record of the fit)."""
        doc = read_model(path)
        return cls(Model(doc["detector"]), Model(doc["kinds"]), PROPOSE_THRESHOLD, ALONE_THRESHOLD,
                   Model(doc["veto"]) if "veto" in doc else None, VETO_THRESHOLD)


def _weights(m: Model) -> dict:
    return {c: {f: round(v, 4) for f, v in sorted(w.items()) if abs(v) >= 5e-4} for c, w in m.weights.items()}


@lru_cache(maxsize=1)
def proposer() -> Proposer:
    return Proposer.load(data_path(MODEL_FILE))


