"""The two CRF passes over one document, with attribute ids built once per word.

The same tags as ``model._final_pass`` + pycrfsuite (tests/test_ner_fast.py), for a
fraction of the CPU. Before, the recogniser spent about 60 % of its time building
attribute strings and handing them to crfsuite, which encoded and looked up each
one again, twice (pass 2 repeats pass 1's attributes). Here:

* the attributes of both models share one id space; a word's attributes
  (``features.word_info``: its own, and as context at -1, +1, -2, +2) become ids
  once, cached per word (news vocabulary is Zipfian), with its gazetteer start keys
  and its pass-2 lexicon attributes;
* a token's attribute ids are the concatenation of cached pieces, in the order of
  ``features.sentence_features`` (crfsuite adds weights in that order), built once
  and used by both passes; pass 2 appends document memory and lexicon attributes
  (``model.stage2_features``) with their values;
* each pass is scored and decoded for the whole document at once
  (``crftable.state_scores`` / ``crftable.viterbi``).

Ids are kept as bytes of int32 (values as bytes of float64): joining bytes is the
cheapest way Python has to concatenate small integer lists, and it costs a few
dozen bytes per id list in the cache.
"""
from __future__ import annotations

import threading
from array import array
from collections import Counter
from functools import lru_cache

import numpy as np

from . import crftable
from .features import (_CONTEXT, _OFFSETS, _gazetteer_tags, gazetteer_starts, memory_attrs, memory_of,
                       word_info)
from .resources import DATA, Resources, word_key

_EMPTY = b""
_NO_LX = (_EMPTY, _EMPTY)
# Word-cache size: as features._info's (a few hundred bytes a word here).
CACHE_WORDS = 200_000
# Fields of a cached word (Encoder.word).
KEY, SHAPE, NORM, GKEY, GSTARTS, OWN, CTX, LX, LX_PREV, LX_NEXT = range(10)

# _CONTEXT order (-1, +1, -2, +2) is the order of a word's context ids in its tuple.
assert _CONTEXT == ("-1", "+1", "-2", "+2") and [p for p, _ in _OFFSETS] == list(_CONTEXT)


class Encoder:
    """Attribute ids, for one or two crfsuite models, of the words of the shipped word lists."""

    def __init__(self, res: Resources, tables: list[crftable.Table]):
        self.res = res
        self.tables = tables
        names: dict[str, int] = {}
        for t in tables:
            for a in t.attrs:
                names.setdefault(a, len(names))
        self.names = names
        self.weights = [t.rows(names) for t in tables]
        # name → its id as 4 bytes, for attributes looked up one by one (bigrams)
        self.single = {a: array("i", [i]).tobytes() for a, i in names.items()}
        self.word = lru_cache(maxsize=CACHE_WORDS)(self._word)
        self._gaz: dict[tuple[str, ...], tuple[bytes, bytes, bytes]] = {}
        self._ones: dict[int, bytes] = {}
        one = self.single.get
        self.bos, self.eos = one("BOS", _EMPTY), one("EOS", _EMPTY)
        self.pad = {p: one(p + "pad", _EMPTY) for p in _CONTEXT}

    def ids(self, names) -> bytes:
        """Ids of attribute names, in order, unknown ones left out (as crfsuite does)."""
        a = self.names
        return array("i", [a[x] for x in names if x in a]).tobytes()

    def weighted(self, items) -> tuple[bytes, bytes]:
        """(ids, values) of (name, value) pairs, unknown names left out."""
        a = self.names
        kept = [(a[x], v) for x, v in items if x in a]
        return array("i", [i for i, _ in kept]).tobytes(), array("d", [v for _, v in kept]).tobytes()

    def _word(self, tok: str) -> tuple:
        """The fields named above: key, shape, normalised form, gazetteer key and start
        keys, own ids, ids as context at -1, +1, -2, +2, and the pass-2 lexicon
        attributes (ids, values) as itself, as -1 and as +1."""
        inf = word_info(tok, self.res)
        n = inf["n"]
        lx = lxm = lxp = _NO_LX
        entry = self.res.lexicon.get(inf["k"])
        if entry:
            lx = self.weighted(("lx=" + t, v) for t, v in entry.items())
            lxm = self.weighted(("-1lx=" + t, v) for t, v in entry.items())
            lxp = self.weighted(("+1lx=" + t, v) for t, v in entry.items())
        return (inf["k"], inf["shape"], n, word_key(n), gazetteer_starts(n, self.res),
                self.ids(inf["own"]), tuple(self.ids(inf["ctx"][p]) for p in _CONTEXT), lx, lxm, lxp)

    def gaz(self, tags: list[str]) -> tuple[bytes, bytes, bytes]:
        """Ids of a token's gazetteer tags as itself, as -1 and as +1."""
        key = tuple(tags)
        got = self._gaz.get(key)
        if got is None:
            got = self._gaz[key] = (self.ids(["g=" + g for g in tags]), self.ids(["-1g=" + g for g in tags]),
                                    self.ids(["+1g=" + g for g in tags]))
        return got

    def ones(self, n: int) -> bytes:
        b = self._ones.get(n)
        if b is None:
            b = self._ones[n] = array("d", [1.0] * n).tobytes()
        return b


def _sentence(enc: Encoder, words: list[tuple]) -> list[bytes]:
    """Each token's pass-1 attribute ids, in ``features.sentence_features``'s order:
    own, gazetteer, BOS, EOS, context -1 (+ its gazetteer tags), +1 (+ its), -2, +2,
    bigrams of keys."""
    L = len(words)
    empty = [_EMPTY] * L
    gaz = _gazetteer_tags([w[NORM] for w in words], enc.res, [w[GSTARTS] for w in words],
                          [w[GKEY] for w in words]) if any(w[GSTARTS] for w in words) else None
    if gaz and any(gaz):
        G = [enc.gaz(g) if g else (_EMPTY, _EMPTY, _EMPTY) for g in gaz]
        g_own = [g[0] for g in G]
        g_prev = [_EMPTY] + [g[1] for g in G[:-1]]
        g_next = [g[2] for g in G[1:]] + [_EMPTY]
    else:
        g_own = g_prev = g_next = empty
    be = list(empty)
    be[0] = enc.bos
    be[-1] = be[-1] + enc.eos
    pad = enc.pad
    C = [w[CTX] for w in words]
    own = [w[OWN] for w in words]
    prev1 = [pad["-1"]] + [c[0] for c in C[:-1]]
    next1 = [c[1] for c in C[1:]] + [pad["+1"]]
    prev2 = ([pad["-2"]] * 2 + [c[2] for c in C[:-2]])[:L]
    next2 = [c[3] for c in C[2:]] + [pad["+2"]] * min(2, L)
    keys = [w[KEY] for w in words]
    pairs = [a + "|" + b for a, b in zip(keys, keys[1:])]
    get = enc.single.get
    bi_prev = [_EMPTY] + [get("bi-=" + x, _EMPTY) for x in pairs]
    bi_next = [get("bi+=" + x, _EMPTY) for x in pairs] + [_EMPTY]
    return list(map(b"".join, zip(own, g_own, be, prev1, g_prev, next1, g_next, prev2, next2,
                                  bi_prev, bi_next)))


def _flat(parts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    lens = np.fromiter((len(p) >> 2 for p in parts), dtype=np.intp, count=len(parts))
    return np.frombuffer(b"".join(parts), dtype=np.int32).astype(np.intp), lens


def _memory_ids(enc: Encoder, words: list[tuple], mem: dict[str, Counter],
                  own: list[tuple[str, str]]) -> tuple[list[bytes], list[bytes]]:
    """Per token, the document-memory attributes (ids, values) of ``model.stage2_features``:
    the types pass 1 gave the word elsewhere (this sentence's own labels left out)."""
    L = len(words)
    ids = vals = None
    mine = None
    for t, x in enumerate(words):
        k = x[KEY]
        m = mem.get(k)
        if not m:
            continue
        if mine is None:
            mine = Counter(own)
            ids, vals = [_EMPTY] * L, [_EMPTY] * L
        items = memory_attrs(k, m, mine)
        if items:
            ids[t], vals[t] = enc.weighted(items)
    if ids is None:
        ids = vals = [_EMPTY] * L
    return ids, vals


def tag(sents: list[list[str]], window: int | None, enc: Encoder, min_memory_len: int) -> list[list[str]]:
    """IOB2 tags of every sentence with pass 1 (one table) or both passes (two):
    ``model.tag_document``'s tags, computed as above."""
    live = [i for i, s in enumerate(sents) if s]
    out: list[list[str]] = [[] for _ in sents]
    if not live:
        return out
    words = [list(map(enc.word, sents[i])) for i in live]
    lens = [len(w) for w in words]
    base = [_sentence(enc, w) for w in words]
    ids, per_tok = _flat([b for s in base for b in s])
    t1 = enc.tables[0]
    tags = crftable.viterbi(t1, crftable.state_scores(enc.weights[0], ids, per_tok), lens)
    if len(enc.tables) > 1:
        tags = _second_pass(enc, sents, window, live, words, base, tags, lens, min_memory_len)
    for i, t in zip(live, tags):
        out[i] = t
    return out


def _second_pass(enc: Encoder, sents, window, live, words, base, first, lens, min_memory_len):
    # The entity words of pass 1 (model.entity_types), then the document memory.
    found: list[list[tuple[str, str]]] = [[] for _ in sents]
    for i, w, tags in zip(live, words, first):
        found[i] = [(x[KEY], t[2:]) for x, t in zip(w, tags)
                    if t != "O" and len(x[KEY]) >= min_memory_len and x[SHAPE] == "A"]
    doc_mem = memory_of(found) if window is None else None
    ones = enc.ones
    p2: list[bytes] = []
    v2: list[bytes] = []
    for i, w, b in zip(live, words, base):
        mem = doc_mem if doc_mem is not None else memory_of(found[max(0, i - window):i + window + 1])
        dm_ids, dm_vals = _memory_ids(enc, w, mem, found[i]) if mem else ([_EMPTY] * len(w),) * 2
        lx = [x[LX] for x in w]
        lx_prev = [_NO_LX] + [x[LX_PREV] for x in w[:-1]]
        lx_next = [x[LX_NEXT] for x in w[1:]] + [_NO_LX]
        p2 += map(b"".join, zip(b, dm_ids, [x[0] for x in lx], [x[0] for x in lx_prev],
                                [x[0] for x in lx_next]))
        v2 += map(b"".join, zip([ones(len(x) >> 2) for x in b], dm_vals, [x[1] for x in lx],
                                [x[1] for x in lx_prev], [x[1] for x in lx_next]))
    ids, per_tok = _flat(p2)
    vals = np.frombuffer(b"".join(v2), dtype=np.float64)
    return crftable.viterbi(enc.tables[1], crftable.state_scores(enc.weights[1], ids, per_tok, vals), lens)


_lock = threading.Lock()
_encoders: dict[tuple[str, ...], Encoder] = {}


def encoder(res: Resources, models: tuple[str, ...]) -> Encoder:
    """The encoder of the shipped model files ``models`` (read once per process)."""
    with _lock:
        enc = _encoders.get(models)
        if enc is None or enc.res is not res:
            enc = _encoders[models] = Encoder(res, [crftable.read_table(DATA / m) for m in models])
    return enc
