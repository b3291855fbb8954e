"""The OEDA sentence decision as a gate over the events stage (issue 14, OEDA part).

``events.learned`` says, for a sentence, how likely it reports an incident of each PLOVER
family it knows (ASSAULT, PROTEST). The gate makes that decision marsad's output for those
families, one sentence at a time, in the events stage's hook (``stages.events.run(propose=…)``):

* **veto**: where one sentence holds all of the article's mentions of a family (the rules', or
  the inner proposer's), they go when its probability for the family is under ``VETO_THRESHOLD``;
* **keep**: at or over it they stay, whatever the inner proposer's own veto said (the gate
  decides the families it knows; arrests and verbal kinds are left to the inner proposer);
* **propose**: where no mention of the family stands in the article, a sentence at or over
  ``PROPOSE_THRESHOLD`` gets one, anchored on a trigger of that family the rules found in it but
  dropped (their cues), a word of ``data/events/proposal_words.tsv`` of a kind of the family, or
  a protest cue of ``data/events/sentence_cues.tsv``. With no such word there is no evidence span
  to show, and no proposal.

Where several sentences tell an incident the rules' merge decides, as before.

The model reads the whole sentence (as it was trained), also when the stage reads it clause by
clause. The thresholds, the figures (model alone and through the pipeline, document-grouped CV on
the OEDA train half) and the corpus figures are in docs/events_learned.md (session 6).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..arabic import NormText
from . import learned
from .detect import Hit, Mention
from .learned import ASSAULT, KIND_FAMILY, PROTEST
from .proposals import Scored, word_hits

# Both are the sentence model's own decision threshold (``learned.DECIDE_THRESHOLD``, chosen by
# the document-grouped CV of scripts/train_event_detector.py), so that marsad's output for a
# family is the model's decision wherever a trigger can carry it; the OEDA figures through the
# pipeline (docs/events_learned.md, session 6) use each fold's own thresholds here.
# Probability under which a mention of the family goes (0: never vetoed).
VETO_THRESHOLD = dict(learned.DECIDE_THRESHOLD)
# Probability at or over which a sentence with no mention of the family gets one (> 1: never).
PROPOSE_THRESHOLD = dict(learned.DECIDE_THRESHOLD)

# The cue lists of data/events/sentence_cues.tsv a PROTEST proposal may be anchored on.
PROTEST_ANCHOR_CUES = ("noun", "act")
# Their kind: the first PROTEST kind of the kind table (the peaceful one; a riot needs riot words).
PROTEST_CUE_KIND = next(k for k, f in KIND_FAMILY.items() if f == PROTEST)

# Sentence ends around a clause (the stage may read a sentence clause by clause; the model
# reads sentences): a full stop before a space (not the dots of "د.ب.أ"), question and
# exclamation marks, line breaks.
_END = re.compile(r"\.(?=\s|$)|[!?؟\n]")


def sentence_around(view: NormText, a: int, b: int) -> str:
    """The original text of the sentence holding view characters [a, b)."""
    text = view.text
    start = a
    while start > 0 and not _END.match(text, start - 1):
        start -= 1
    m = _END.search(text, max(a, b - 1))
    end = m.end() if m else len(text)
    while start < end and text[start].isspace():
        start += 1
    if end <= start:
        return ""
    return view.original[view.offsets[start]:view.offsets[end - 1] + 1]


@lru_cache(maxsize=4096)
def sentence_probs(sentence: str) -> dict[str, float]:
    """The sentence model's family probabilities (cached: the inner proposer's features ask too)."""
    return learned.model().probs(learned.features(sentence))


def _anchors(view: NormText, bounds, found: Sequence[Hit], si: int) -> dict[str, list[Hit]]:
    """Per family, the triggers of sentence ``si`` a proposal may stand on: the rules' raw hits
    (strong first), then the proposal words."""
    a, b = bounds[si]
    hs = [h for h in found if h.sent == si and h.kind in KIND_FAMILY and not h.aim]
    hs.sort(key=lambda h: (h.role != "strong", h.start))
    hs += [h for h in word_hits(view, a, b, si) if h.kind in KIND_FAMILY]
    # the model's own protest cues (a march, a sit-in, "نزل المتظاهرون"): the trigger tables
    # leave out the common verbs a protest is told with, which say nothing alone
    for name in PROTEST_ANCHOR_CUES:
        for m in learned.cue_rx()[name].finditer(view.text, a, b):
            hs.append(Hit(PROTEST_CUE_KIND, "proposal", m.start(), m.end(), m.group(), False, si))
    out: dict[str, list[Hit]] = {}
    for h in hs:
        out.setdefault(KIND_FAMILY[h.kind], []).append(h)
    return out


@dataclass
class GateProposal(Scored):
    """A mention the gate proposed (kept apart so that keep() can tell it from the others)."""


class FamilyGate:
    """The events stage's hook (the shape of ``events.proposals.Proposer``), around an optional
    inner proposer whose mentions and proposals it judges for the families it knows."""

    def __init__(self, inner=None, veto: dict | None = None, propose: dict | None = None, probs=None):
        self.inner = inner
        self.veto = dict(VETO_THRESHOLD if veto is None else veto)
        self.propose = dict(PROPOSE_THRESHOLD if propose is None else propose)
        self.probs = probs or sentence_probs

    def __call__(self, view: NormText, bounds, found, mentions, title_sents, old) -> tuple[list[Mention], list[Mention]]:
        if self.inner is not None:
            mentions, proposed = self.inner(view, bounds, found, mentions, title_sents, old)
        else:
            mentions, proposed = list(mentions), []
        # The model judges a sentence alone, so the gate decides a family only where one sentence
        # holds all of the article's mentions of it (clauses of one sentence count as one), or,
        # for a proposal, where the article holds none that stands. Where several sentences tell
        # an incident the rules' merge decides: there a detail sentence ("وأضاف أن الانفجار …")
        # alone is a poor witness, and vetoing or proposing on it split and moved events on the
        # shared dev set (docs/events_learned.md, session 6).
        key = {}

        def sentence(si: int) -> str:
            if si not in key:
                key[si] = sentence_around(view, *bounds[si])
            return key[si]

        probs: dict[int, dict[str, float]] = {}

        def prob(si: int, fam: str) -> float:
            if si not in probs:
                probs[si] = self.probs(sentence(si))
            return probs[si].get(fam, 0.0)

        every = list(mentions) + list(proposed)
        told_in = {f: {sentence(m.sent) for m in every if KIND_FAMILY.get(m.kind) == f} for f in set(KIND_FAMILY.values())}

        def verdict(m: Mention) -> Mention | None:
            fam = KIND_FAMILY.get(m.kind)
            if fam is None or len(told_in[fam]) != 1:
                return m
            if prob(m.sent, fam) < self.veto.get(fam, 0.0):
                return None
            if isinstance(m, Scored):
                # the gate keeps it: the inner proposer's keep() must not drop it
                m.prob = max(m.prob, 1.0)
            return m

        kept = [x for x in map(verdict, mentions) if x is not None]
        added = [x for x in map(verdict, proposed) if x is not None]
        # an anaphoric mention ("المتظاهرين"، "الهجوم") may stand for nothing (the merge drops one
        # that adds no toll, day or verb): the gate proposes beside it, and keep() drops the
        # proposal if an event of the family stands after the merge
        standing = {KIND_FAMILY[m.kind] for m in kept + added if m.kind in KIND_FAMILY and not m.anaphoric}
        anchors: dict[int, dict[str, list[Hit]]] = {}
        for fam in sorted(set(KIND_FAMILY.values()) - standing):
            for si in range(len(bounds)):
                if si not in anchors:
                    anchors[si] = _anchors(view, bounds, found, si)
                hs = anchors[si].get(fam)
                if not hs or prob(si, fam) < self.propose.get(fam, 2.0):
                    continue
                h = hs[0]
                hit = Hit(h.kind, "proposal", h.start, h.end, h.word, h.definite, si)
                added.append(GateProposal(h.kind, si, [hit], told=True, prob=1.0, proposed=True))
        added.sort(key=lambda m: m.sent)
        return kept, added

    def keep(self, drafts: list, proposed: list = ()) -> list:
        """The inner proposer's choice, less the gate's proposals of a family of which another
        event stands (they were made for a sentence the rules' merge might have left empty)."""
        out = self.inner.keep(drafts, proposed) if self.inner is not None else list(drafts) + list(proposed)

        def gate_only(d) -> bool:
            return all(isinstance(m, GateProposal) for m in d.mentions)
        stands = {KIND_FAMILY.get(d.kind) for d in out if not gate_only(d)}
        return [d for d in out if not (gate_only(d) and KIND_FAMILY.get(d.kind) in stands)]


@lru_cache(maxsize=1)
def gate(inner=None) -> FamilyGate:
    return FamilyGate(inner)
