"""The shipped tagger: two CRFs, the second reading what the first found in the document.

A name is often introduced once with a title (الرئيس السوري بشار الاسد) and then
repeated bare (الاسد), where a sentence-level tagger misses it. So tagging is
two-pass (stacking, as Krishnan & Manning 2006):

1. ``crf1.model`` tags each sentence from its own features (``features.py``);
2. ``crf2.model`` tags again with two more kinds of features per token:
   *document memory*: the types pass 1 gave the same word elsewhere in the
   document (or, in a CoNLL stream without documents, in the sentences around
   it); *lexicon*: how often the word was part of each entity type in the
   training text (``lexicon.tsv``).

Both load once per process.
"""
from __future__ import annotations

import threading
from collections import Counter

import pycrfsuite

from . import fast
from .features import memory_attrs, memory_of, sentence_features, token_info
from .resources import DATA, Resources, load

STAGE1, STAGE2 = "crf1.model", "crf2.model"
# Sentences either side that count as "the document" when there are no article
# boundaries (ANERcorp's ~316 articles average ~15 sentences).
STREAM_WINDOW = 8
# Words too short or too common to carry a document-level type.
MIN_MEMORY_LEN = 3
# Pass 2 adds 3.3 F1 points on ANERcorp test (0.661 → 0.694) and about 9 ms per
# 375-token article (docs/ner.md); False keeps pass 1 only, for tighter budgets.
TWO_PASS = True

_lock = threading.Lock()
_taggers: dict[str, pycrfsuite.Tagger] = {}


def tagger(name: str = STAGE1, path: str | None = None) -> pycrfsuite.Tagger:
    key = path or name
    with _lock:
        if key not in _taggers:
            t = pycrfsuite.Tagger()
            t.open(path or str(DATA / name))
            _taggers[key] = t
    return _taggers[key]


def has_stage2() -> bool:
    return (DATA / STAGE2).exists()


# --- second-pass features ------------------------------------------------------

def entity_types(tokens: list[str], tags: list[str], res: Resources) -> list[tuple[str, str]]:
    """(word key, entity type) for every word pass 1 put inside an entity."""
    out = []
    for inf, tag in zip(token_info(tokens, res), tags):
        if tag != "O" and len(inf["k"]) >= MIN_MEMORY_LEN and inf["shape"] == "A":
            out.append((inf["k"], tag[2:]))
    return out


def stage2_features(tokens: list[str], feats: list[list[str]], memory: dict[str, Counter],
                    own: list[tuple[str, str]], lexicon: dict[str, dict[str, float]],
                    res: Resources) -> list[dict[str, float]]:
    """Pass-1 features plus document memory (this sentence's own pass-1 labels left out)
    and lexicon features, as crfsuite weighted attributes."""
    mine = Counter(own)
    out = []
    infos = token_info(tokens, res)
    for i, (inf, f) in enumerate(zip(infos, feats)):
        d = dict.fromkeys(f, 1.0)
        k = inf["k"]
        m = memory.get(k)
        if m:
            d.update(memory_attrs(k, m, mine))
        lx = lexicon.get(k)
        if lx:
            for t, v in lx.items():
                d["lx=" + t] = v
        for j, p in ((i - 1, "-1"), (i + 1, "+1")):
            if 0 <= j < len(infos):
                lj = lexicon.get(infos[j]["k"])
                if lj:
                    for t, v in lj.items():
                        d[p + "lx=" + t] = v
        out.append(d)
    return out


# --- tagging -------------------------------------------------------------------

def tag_tokens(tokens: list[str], crf: pycrfsuite.Tagger | None = None) -> list[str]:
    """Pass-1 IOB2 tags (ANERcorp types PERS/ORG/LOC/MISC) for one sentence, no document."""
    if not tokens:
        return []
    crf = crf or tagger(STAGE1)
    return crf.tag(sentence_features(tokens, load()))


def _final_pass(sents: list[list[str]], window: int | None, crf1: pycrfsuite.Tagger | None,
                crf2: pycrfsuite.Tagger | None, found: list[list[tuple[str, str]]] | None = None):
    """The tagger and per-sentence attribute sequences of the last pass: pass 2 over
    pass-1 predictions (or over ``found``, entity words another tagger gave), else pass 1."""
    res = load()
    crf1 = crf1 or tagger(STAGE1)
    feats = [sentence_features(s, res) if s else [] for s in sents]
    if crf2 is None and (not TWO_PASS or not has_stage2()):
        return crf1, feats
    crf2 = crf2 or tagger(STAGE2)
    if found is None:
        first = [crf1.tag(f) if f else [] for f in feats]
        found = [entity_types(s, t, res) for s, t in zip(sents, first)]
    doc_mem = memory_of(found) if window is None else None
    out = []
    for i, (s, f) in enumerate(zip(sents, feats)):
        if not s:
            out.append([])
            continue
        mem = doc_mem if doc_mem is not None else memory_of(found[max(0, i - window):i + window + 1])
        out.append(stage2_features(s, f, mem, found[i], res.lexicon, res))
    return crf2, out


def tag_document(sents: list[list[str]], window: int | None = None,
                 crf1: pycrfsuite.Tagger | None = None, crf2: pycrfsuite.Tagger | None = None) -> list[list[str]]:
    """IOB2 tags for every sentence of one document (``window=None``) or of a stream of
    sentences without document boundaries (memory from ``window`` sentences either side).

    With the shipped models (no ``crf1``/``crf2`` given) the tags come from ``fast.tag``:
    the same tags, attribute ids built once per word and both passes decoded with
    numpy. Taggers passed in (training's cross-fitted models) go through pycrfsuite."""
    if crf1 is None and crf2 is None:
        enc = fast.encoder(load(), (STAGE1, STAGE2) if TWO_PASS and has_stage2() else (STAGE1,))
        return fast.tag(sents, window, enc, MIN_MEMORY_LEN)
    crf, xs = _final_pass(sents, window, crf1, crf2)
    return [crf.tag(x) if x else [] for x in xs]


def tag_document_crfsuite(sents: list[list[str]], window: int | None = None) -> list[list[str]]:
    """``tag_document`` through pycrfsuite and the attribute strings: the reference the
    fast path is tested against."""
    crf, xs = _final_pass(sents, window, None, None)
    return [crf.tag(x) if x else [] for x in xs]


def document_marginals(sents: list[list[str]], labels: tuple[str, ...], window: int | None = None,
                       crf1: pycrfsuite.Tagger | None = None, crf2: pycrfsuite.Tagger | None = None,
                       found: list[list[tuple[str, str]]] | None = None) -> list[list[list[float]]]:
    """Per token, the last pass's marginal probability of each of ``labels`` (0 for a label
    the CRF never saw): what the e5 ensemble (``ensemble.py``) mixes with its own."""
    crf, xs = _final_pass(sents, window, crf1, crf2, found)
    known = set(crf.labels())
    out = []
    for x in xs:
        if not x:
            out.append([])
            continue
        crf.set(x)
        out.append([[crf.marginal(y, t) if y in known else 0.0 for y in labels] for t in range(len(x))])
    return out
