"""The two CRF passes over one document, from a table of the words seen so far.

The same tags as ``model._final_pass`` + pycrfsuite (tests/test_ner_fast.py), for a
fraction of the CPU. A token's attributes (``features.sentence_features``) are, in
order: its own (from its word alone), its gazetteer tags, BOS / EOS, the context
attributes of the words at -1 (+ their gazetteer tags), +1 (+ theirs), -2 and +2,
and the two key bigrams; pass 2 appends document memory and lexicon attributes
(``model.stage2_features``). crfsuite adds ``weight × value`` of each attribute to a
score that starts at 0, in that order, so:

* **a word's own attributes are one number per label**: the first thing added to a
  token's score, from 0, always the same words' ids in the same order, so their sum
  (left to right, as crfsuite adds them) is computed once per word and model;
* **the rest are columns**: a word's context ids at -1, +1, -2, +2 are a fixed-width
  row of the word table (ids of attributes the models do not know dropped, the rest
  padded with the weight tables' zero row, which adds exactly 0), so the document's
  window columns are the word rows shifted by one or two tokens, gathered by numpy;
  the sparse ones (gazetteer tags, BOS / EOS, bigrams, memory, lexicon) hold only the
  tokens that have them. ``crftable.add_columns`` adds them one column after the other;
* both passes read the same columns (pass 2 with its own weights, then its extra ones);
* the word table (``Words``) lives across documents (news vocabulary is Zipfian: a
  word is met again and again); its new words are encoded a document at a time.

Each pass is decoded for the whole document at once (``crftable.viterbi``).
"""
from __future__ import annotations

import threading
from collections import Counter

import numpy as np

from . import crftable
from .features import _CONTEXT, _LEN, _OFFSETS, gazetteer_match, gazetteer_starts, memory_attrs, memory_of, word_values
from .resources import DATA, Resources, word_key

# Words kept in the table; when a document would take it past this size, the table is
# emptied first (a few hundred bytes a word: about 80 MB when full).
CACHE_WORDS = 200_000
# Context attributes a word gives at ±1 (w, k, sh, s2, c, title, head) and ±2 (w, k,
# title, head): the widths of its rows in the word table (``features.word_parts``).
CTX_WIDTH = {"-1": 7, "+1": 7, "-2": 4, "+2": 4}
# A column holding an attribute for fewer than this share of the tokens is added at
# those tokens only (a gather over every token would mostly add the zero row).
SPARSE_SHARE = 0.5

assert _CONTEXT == ("-1", "+1", "-2", "+2") and [p for p, _ in _OFFSETS] == list(_CONTEXT)
_WIDTHS = [CTX_WIDTH[p] for p in _CONTEXT]


# Prefixes of the values a word gives under several positions, own first, then -1, +1
# (and -2, +2 for the word and its key), as ``features.word_parts`` spells them.
_GROUPS = {
    "n": ("w=", "-1w=", "+1w=", "-2w=", "+2w="),
    "k": ("k=", "-1k=", "+1k=", "-2k=", "+2k="),
    "sh": ("sh=", "-1sh=", "+1sh="),
    "s2": ("s2=", "-1s2=", "+1s2="),
    "c": ("c=", "-1c=", "+1c="),
}
_SINGLE = ("st=", "p2=", "p3=", "s1=", "s3=", "ks2=", "kp2=", "len=", "clitic=", "c1=")
_FLAGS = ("b", "al", "title", "head") + tuple(p + f for p in _CONTEXT for f in ("title", "head"))


def _by_value(split: dict[str, dict[str, int]], prefixes: tuple[str, ...], zero: int) -> dict[str, tuple[int, ...]]:
    tables = [split.get(p, {}) for p in prefixes]
    return {v: tuple(t.get(v, zero) for t in tables) for v in set().union(*tables)}


class Encoder:
    """The weight tables of one or two crfsuite models in one attribute id space, and the
    table of words they have read (``Words``)."""

    def __init__(self, res: Resources, tables: list[crftable.Table]):
        self.res = res
        self.tables = tables
        names: dict[str, int] = {}
        for t in tables:
            for a in t.attrs:
                names.setdefault(a, len(names))
        self.names = names
        self.zero = len(names)      # the zero row every weight table ends with
        # prefix → value → id, as ``features.word_parts`` splits a name: one lookup of a
        # word's value (its hash computed once) instead of building each name
        split: dict[str, dict[str, int]] = {}
        for name, i in names.items():
            head, eq, rest = name.partition("=")
            split.setdefault(head + eq, {})[rest] = i
        self.split = split
        # A value read under several prefixes (the word as itself and at -1, +1, -2, +2)
        # → its ids under each, zero where the models do not know it: one hash lookup
        # per value of a new word instead of one per attribute (``Words._add``).
        self.by_value = {g: _by_value(split, prefixes, self.zero) for g, prefixes in _GROUPS.items()}
        self.single = {p: split.get(p, {}) for p in _SINGLE}
        self.flag = {name: names.get(name, self.zero) for name in _FLAGS}
        self.weights = [t.rows(names) for t in tables]
        # every model's weights side by side: one gather serves both passes' shared columns
        self.joint = np.hstack(self.weights)
        self.bos, self.eos = names.get("BOS", self.zero), names.get("EOS", self.zero)
        self.pad = {p: names.get(p + "pad", self.zero) for p in _CONTEXT}
        self._gaz: dict[tuple[str, ...], tuple[list[int], list[int], list[int]]] = {}
        self._bigrams()
        self._lexicon()
        self.lock = threading.Lock()
        self.words = Words(self)

    def ids(self, names) -> list[int]:
        """Ids of attribute names, in order, unknown ones left out (as crfsuite does)."""
        a = self.names
        return [a[x] for x in names if x in a]

    def weighted(self, items) -> tuple[list[int], list[float]]:
        """(ids, values) of (name, value) pairs, unknown names left out."""
        a = self.names
        kept = [(a[x], v) for x, v in items if x in a]
        return [i for i, _ in kept], [v for _, v in kept]

    def _bigrams(self) -> None:
        """Key-pair → id of the models' ``bi-=a|b`` and ``bi+=a|b`` attributes, as sorted
        codes of integer key ids, so a document's bigrams are found by one search.

        A name with several ``|`` (a key may be a bar) is registered under every split:
        a document's pair (a, b) spells that name exactly when one split is (a, b)."""
        keys: dict[str, int] = {}
        pairs: dict[str, list[tuple[int, int, int]]] = {"bi-=": [], "bi+=": []}
        for name, i in self.names.items():
            kind = name[:4]
            if kind not in pairs:
                continue
            s = name[4:]
            at = s.find("|")
            while at >= 0:
                a = keys.setdefault(s[:at], len(keys))
                b = keys.setdefault(s[at + 1:], len(keys))
                pairs[kind].append((a, b, i))
                at = s.find("|", at + 1)
        self.bigram_keys = keys
        n = max(len(keys), 1)
        self.bigram_base = n
        self.bigram_codes = {}
        for kind, got in pairs.items():
            codes = np.array([a * n + b for a, b, _ in got], dtype=np.int64)
            ids = np.array([i for _, _, i in got], dtype=np.intp)
            order = np.argsort(codes, kind="stable")
            self.bigram_codes[kind] = (codes[order], ids[order])

    def _lexicon(self) -> None:
        """Per lexicon key, its pass-2 attributes as itself, as -1 and as +1: (ids, values)
        rows of width ``lex_width`` (zero row, value 0, after the known ones); the last
        row is a word without an entry."""
        lex = self.res.lexicon
        self.lex_width = w = max((len(e) for e in lex.values()), default=0)
        self.lex_row = {k: r for r, k in enumerate(lex)}
        ids = np.full((len(lex) + 1, 3, w), self.zero, dtype=np.intp)
        vals = np.zeros((len(lex) + 1, 3, w))
        for r, entry in enumerate(lex.values()):
            for g, prefix in enumerate(("lx=", "-1lx=", "+1lx=")):
                i, v = self.weighted((prefix + t, x) for t, x in entry.items())
                ids[r, g, :len(i)] = i
                vals[r, g, :len(v)] = v
        self.lex_ids, self.lex_vals = ids, vals

    def gaz(self, tags: list[str]) -> tuple[list[int], list[int], list[int]]:
        """Ids of a token's gazetteer tags as itself, as -1 and as +1."""
        key = tuple(tags)
        got = self._gaz.get(key)
        if got is None:
            got = self._gaz[key] = (self.ids(["g=" + g for g in tags]), self.ids(["-1g=" + g for g in tags]),
                                    self.ids(["+1g=" + g for g in tags]))
        return got


class Words:
    """The words met so far, one row each: the sum of the word's own attributes'
    weights, per model side by side (``Encoder.joint``); its context ids at -1, +1, -2,
    +2 (``CTX_WIDTH`` each); its key's id, bigram key id and lexicon row; and, in lists,
    what the gazetteer tags and the document memory read (key, gazetteer key and start
    keys)."""

    def __init__(self, enc: Encoder):
        self.enc = enc
        self.width = sum(CTX_WIDTH.values())
        self.clear()

    def clear(self) -> None:
        self.row: dict[str, int] = {}
        self.key_id: dict[str, int] = {}
        self.keys: list[str] = []
        self.gkeys: list[str] = []
        self.gstarts: list[tuple] = []
        self.n = 0
        cap = 1024
        self.own = np.zeros((cap, self.enc.joint.shape[1]))
        self.ctx = np.zeros((cap, self.width), dtype=np.int32)
        self.key = np.zeros(cap, dtype=np.int32)
        self.bigram = np.zeros(cap, dtype=np.int64)
        self.lex = np.zeros(cap, dtype=np.int32)
        self.has_gaz = np.zeros(cap, dtype=bool)
        self.memorable = np.zeros(cap, dtype=np.int32)   # key length of an Arabic word, else 0

    _ARRAYS = ("own", "ctx", "key", "bigram", "lex", "has_gaz", "memorable")

    def rows(self, flat: list[str]) -> np.ndarray:
        """The table rows of a document's tokens, adding the words it has not met."""
        row = self.row
        new = [w for w in flat if w not in row]
        if new:
            new = list(dict.fromkeys(new))
            if self.n + len(new) > CACHE_WORDS and self.n:
                self.clear()
                row = self.row
                new = list(dict.fromkeys(flat))
            self._add(new)
        return np.fromiter(map(row.__getitem__, flat), dtype=np.intp, count=len(flat))

    def _add(self, new: list[str]) -> None:
        enc, res = self.enc, self.enc.res
        zero = enc.zero
        m, at = len(new), self.n
        cap = len(self.ctx)
        if at + m > cap:
            while cap < at + m:
                cap *= 2
            for name in self._ARRAYS:
                a = getattr(self, name)
                b = np.zeros((cap,) + a.shape[1:], dtype=a.dtype)
                b[:at] = a[:at]
                setattr(self, name, b)
        bv, single, flag = enc.by_value, enc.single, enc.flag
        by_n, by_k, by_sh, by_s2, by_c = (bv[g].get for g in ("n", "k", "sh", "s2", "c"))
        st, p2, p3, s1, s3, ks2, kp2, ln, clitic, c1 = (single[p].get for p in _SINGLE)
        z5, z3 = (zero,) * 5, (zero,) * 3
        bias, al_, title_, head_ = flag["b"], flag["al"], flag["title"], flag["head"]
        ctx_title = [flag[p + "title"] for p in _CONTEXT]
        ctx_head = [flag[p + "head"] for p in _CONTEXT]
        # One word at a time, in ``features.word_parts``'s order (tests/test_ner_fast.py
        # checks the rows against ids looked up from its parts); nothing of a word kept
        # but its ids (what stays alive until the end of a batch is what the cyclic
        # garbage collector counts).
        own, ctx, keys, norms, memorable = [], [], [], [], []
        for w in new:
            n, stem, k, shape, title, head, cl, al = word_values(w, res)
            N, K = by_n(n, z5), by_k(k, z5)
            SH, S2 = by_sh(shape, z3), by_s2(n[-2:], z3)
            o = [bias, N[0], st(stem, zero), K[0], SH[0], p2(n[:2], zero), p3(n[:3], zero), s1(n[-1:], zero),
                 S2[0], s3(n[-3:], zero), ks2(k[-2:], zero), kp2(k[:2], zero), ln(_LEN[min(len(k), 8)], zero)]
            if n != stem:
                o.append(clitic(n[:len(n) - len(stem)], zero))
            if al:
                o.append(al_)
            if title:
                o.append(title_)
            if head:
                o.append(head_)
            C = by_c(cl, z3) if cl else None
            if cl:
                o += (C[0], c1(cl[:1], zero))
            own.append(o)
            for j in range(4):
                # a context attribute the models do not know is kept as the zero row (it adds 0)
                got = [N[j + 1], K[j + 1]]
                if j < 2:
                    got += (SH[j + 1], S2[j + 1])
                    if cl:
                        got.append(C[j + 1])
                if title:
                    got.append(ctx_title[j])
                if head:
                    got.append(ctx_head[j])
                ctx += got
                ctx += [zero] * (_WIDTHS[j] - len(got))
            keys.append(k)
            norms.append(n)
            memorable.append(len(k) if shape == "A" else 0)
        width = max(map(len, own))
        own_ids = np.full((m, width), zero, dtype=np.intp)
        for j, x in enumerate(own):
            own_ids[j, :len(x)] = x
        starts = [gazetteer_starts(n, res) for n in norms]
        key_id = self.key_id
        kid = [key_id.setdefault(k, len(key_id)) for k in keys]
        bigram_keys, lex_row, no_lex = enc.bigram_keys, enc.lex_row, len(enc.lex_row)
        self.row.update(zip(new, range(at, at + m)))
        self.keys += keys
        self.gkeys += [word_key(n) for n in norms]
        self.gstarts += starts
        # the own attributes' sum per model, added from 0 left to right as crfsuite does
        s = np.zeros((m, enc.joint.shape[1]))
        for k in range(width):
            s += np.take(enc.joint, own_ids[:, k], axis=0)
        end = at + m
        self.own[at:end] = s
        self.ctx[at:end] = np.array(ctx, dtype=np.int32).reshape(m, self.width)
        self.key[at:end] = kid
        self.bigram[at:end] = [bigram_keys.get(k, -1) for k in keys]
        self.lex[at:end] = [lex_row.get(k, no_lex) for k in keys]
        self.has_gaz[at:end] = [bool(x) for x in starts]
        self.memorable[at:end] = memorable
        self.n = end


class _Doc:
    """A document's tokens in a row (sentences one after the other), with what the
    passes read of them: the rows of its words, and pass 1's columns in attribute order
    (pass 2 reads them too, then its own)."""

    def __init__(self, enc: Encoder, sents: list[list[str]]):
        W = enc.words
        flat = [w for s in sents for w in s]
        self.lens = lens = np.array([len(s) for s in sents], dtype=np.intp)
        self.T = T = len(flat)
        ends = np.cumsum(lens)
        self.starts = starts = ends - lens
        self.rows = rows = W.rows(flat)
        self.sent_of = sent_of = np.repeat(np.arange(len(sents)), lens)
        pos = np.arange(T) - starts[sent_of]            # position in the sentence
        left = lens[sent_of] - pos - 1                  # tokens after it in the sentence
        self.own = W.own[rows]
        self.memorable = W.memorable[rows]
        self.key = W.key[rows]
        self.lex = W.lex[rows]
        self.prev_ok, self.next_ok = pos > 0, left > 0
        zero = enc.zero
        self.cols: list[tuple] = []
        g_own, g_prev, g_next = self._gazetteer(enc, left)
        self._sparse(g_own)
        self.cols.append((starts, np.full(len(starts), enc.bos), None))
        self.cols.append((ends - 1, np.full(len(ends), enc.eos), None))
        at = 0
        ar = np.arange(T)
        for p, off in _OFFSETS:
            # the context ids of the word ``off`` tokens away, or the padding attribute
            width = CTX_WIDTH[p]
            valid = pos >= -off if off < 0 else left >= off
            block = W.ctx[rows[np.where(valid, ar + off, 0)], at:at + width]
            block[~valid] = zero
            block[~valid, 0] = enc.pad[p]
            at += width
            self._block(block, zero)
            if p == "-1":
                self._sparse(g_prev)
            elif p == "+1":
                self._sparse(g_next)
        # bigrams of word keys: (token -1, token) and (token, token +1)
        kid = W.bigram[rows]
        pair = np.flatnonzero((kid[:-1] >= 0) & (kid[1:] >= 0) & self.prev_ok[1:])
        for kind, shift in (("bi-=", 1), ("bi+=", 0)):
            codes, ids = enc.bigram_codes[kind]
            if len(pair) and len(codes):
                c = kid[pair] * enc.bigram_base + kid[pair + 1]
                i = np.minimum(np.searchsorted(codes, c), len(codes) - 1)
                hit = codes[i] == c
                self.cols.append((pair[hit] + shift, ids[i[hit]], None))

    def _block(self, block: np.ndarray, zero: int) -> None:
        """Columns of a window block: a whole column, or the tokens that have an id in it."""
        filled = block != zero
        counts = filled.sum(axis=0).tolist()
        for c, n in enumerate(counts):
            if n == 0:
                continue
            if n >= SPARSE_SHARE * self.T:
                self.cols.append((None, block[:, c], None))
            else:
                at = np.flatnonzero(filled[:, c])
                self.cols.append((at, block[at, c], None))

    def _sparse(self, items: list[tuple[int, list[int]]], vals: list[list[float]] | None = None) -> None:
        """Columns of (token, ids) lists held by a few tokens, one column per list position."""
        if not items:
            return
        width = max(len(x) for _, x in items)
        for c in range(width):
            kept = [j for j, (_, x) in enumerate(items) if len(x) > c]
            at = np.array([items[j][0] for j in kept], dtype=np.intp)
            ids = np.array([items[j][1][c] for j in kept], dtype=np.intp)
            v = None if vals is None else np.array([vals[j][c] for j in kept])
            self.cols.append((at, ids, v))

    def _gazetteer(self, enc: Encoder, left: np.ndarray):
        """(token, ids) of gazetteer tags as itself, as -1 (at the next token) and as +1
        (at the previous one): the longest phrase at each token that starts one, left to
        right within each sentence (``features._gazetteer_tags``)."""
        W = enc.words
        own, prev, nxt = [], [], []
        cands = np.flatnonzero(W.has_gaz[self.rows])
        if not len(cands):
            return own, prev, nxt
        rows = self.rows.tolist()
        keys = list(map(W.gkeys.__getitem__, rows))
        room = (left[cands] + 1).tolist()
        first_ok = self.prev_ok
        free = 0
        for i, r in zip(cands.tolist(), room):
            if i < free:
                continue
            best = gazetteer_match(i, W.gstarts[rows[i]], keys, r, enc.res)
            if not best:
                continue
            length, cls = best
            free = i + length
            for j in range(i, i + length):
                o, m, p = enc.gaz(tuple(("B-" if j == i else "I-") + c for c in cls))
                if o:
                    own.append((j, o))
                if m and j + 1 < i + r:           # the next token, in the same sentence
                    prev.append((j + 1, m))
                if p and first_ok[j]:
                    nxt.append((j - 1, p))
        return own, prev, nxt

    def memory(self, enc: Encoder, live: list[int], found, window) -> None:
        """Pass 2's document-memory columns (``model.stage2_features``): for a token
        whose key pass 1 put in an entity elsewhere, the share of each type and how
        much memory there is. ``found`` holds pass 1's entity words of every sentence
        of the input, empty ones included (they count in a stream's window)."""
        keys = enc.words.keys
        items, vals = [], []
        mine: dict[int, tuple[set, Counter]] = {}
        # a key that sentence i did not put in an entity itself reads the memory as it
        # is, the same in every such sentence: computed once per key and memory
        plain: dict[str, tuple] = {}

        def add(t: int, i: int, k: str, m: Counter) -> None:
            c = mine.get(i)
            if c is None:
                c = mine[i] = ({x for x, _ in found[i]}, Counter(found[i]))
            cache = plain if k not in c[0] else None
            got = cache.get(k) if cache is not None else None
            if got is None:
                got = memory_attrs(k, m, c[1])
                got = enc.weighted(got) if got else ((), ())
                if cache is not None:
                    cache[k] = got
            if got[0]:
                items.append((t, got[0]))
                vals.append(got[1])
        rows = self.rows
        if window is None:
            mem = memory_of(found)
            if not mem:
                return
            key_id = enc.words.key_id
            at = np.flatnonzero(np.isin(self.key, [key_id[k] for k in mem]))
            for t in at.tolist():
                k = keys[rows[t]]
                add(t, live[self.sent_of[t]], k, mem[k])
        else:
            for li, i in enumerate(live):
                mem = memory_of(found[max(0, i - window):i + window + 1])
                plain.clear()       # a new memory
                a = int(self.starts[li])
                for j, x in enumerate(rows[a:a + int(self.lens[li])].tolist()):
                    m = mem.get(keys[x])
                    if m:
                        add(a + j, i, keys[x], m)
        self._sparse(items, vals)

    def lexicon(self, enc: Encoder) -> None:
        """Pass 2's lexicon columns: a token's own entry, its previous word's as -1, its
        next word's as +1 (``model.stage2_features``)."""
        has = np.flatnonzero(self.lex != len(enc.lex_row))
        for g, (shift, ok) in enumerate(((0, None), (-1, self.prev_ok), (1, self.next_ok))):
            tok = has - shift           # tokens whose word at ``shift`` has an entry
            if shift:
                tok = tok[(tok >= 0) & (tok < self.T)]
                tok = tok[ok[tok]]
            if not len(tok):
                continue
            r = self.lex[tok + shift]
            ids, vs = enc.lex_ids[r, g], enc.lex_vals[r, g]
            for c in range(enc.lex_width):
                keep = ids[:, c] != enc.zero
                if keep.any():
                    self.cols.append((tok[keep], ids[keep, c], vs[keep, c]))


def tag(sents: list[list[str]], window: int | None, enc: Encoder, min_memory_len: int) -> list[list[str]]:
    """IOB2 tags of every sentence with pass 1 (one table) or both passes (two):
    ``model.tag_document``'s tags, computed as above."""
    live = [i for i, s in enumerate(sents) if s]
    out: list[list[str]] = [[] for _ in sents]
    if not live:
        return out
    with enc.lock:      # the word table is shared by the threads of a process
        doc = _Doc(enc, [sents[i] for i in live])
    lens = doc.lens.tolist()
    # pass 1's columns with both models' weights side by side: pass 2 starts from them
    scores = crftable.add_columns(doc.own, enc.joint, doc.cols)
    t1 = enc.tables[0]
    L1 = len(t1.labels)
    path = crftable.viterbi(t1, scores[:, :L1], lens)
    labels = t1.labels
    if len(enc.tables) > 1:
        # The entity words of pass 1 (model.entity_types), then the document memory.
        o = labels.index("O") if "O" in labels else -1
        hit = np.flatnonzero((path != o) & (doc.memorable >= max(min_memory_len, 1)))
        found: list[list[tuple[str, str]]] = [[] for _ in sents]
        keys, rows, sent_of = enc.words.keys, doc.rows, doc.sent_of
        for t in hit.tolist():
            found[live[sent_of[t]]].append((keys[rows[t]], labels[path[t]][2:]))
        doc.cols = []
        doc.memory(enc, live, found, window)
        doc.lexicon(enc)
        t2 = enc.tables[1]
        path = crftable.viterbi(t2, crftable.add_columns(scores[:, L1:], enc.weights[1], doc.cols), lens)
        labels = t2.labels
    tags = np.array(labels, dtype=object)[path].tolist()
    for i, a, n in zip(live, doc.starts.tolist(), lens):
        out[i] = tags[a:a + n]
    return out


_lock = threading.Lock()
_encoders: dict[tuple[str, ...], Encoder] = {}


def encoder(res: Resources, models: tuple[str, ...]) -> Encoder:
    """The encoder of the shipped model files ``models`` (read once per process)."""
    with _lock:
        enc = _encoders.get(models)
        if enc is None or enc.res is not res:
            enc = _encoders[models] = Encoder(res, [crftable.read_table(DATA / m) for m in models])
    return enc
