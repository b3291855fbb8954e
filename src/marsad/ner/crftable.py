"""A crfsuite model as numpy tables, and a Viterbi decoder that gives crfsuite's answers.

Tagging with python-crfsuite costs most of the recogniser's time, and little of it
is the decoding: every call encodes each attribute string of each token to UTF-8
and looks it up in the model's string table (about 65 attributes a token, two
passes). Here the model file is read once into an attribute → id dict, a weight
table (one row of label weights per attribute) and the label-to-label transition
matrix; the recogniser maps each word's attributes to ids once (``fast.py`` caches
them per word) and a document is decoded with a handful of numpy operations.

The answers are crfsuite's, bit for bit, because the arithmetic is the same
(crfsuite 0.12, ``crf1d_tag.c`` / ``crf1d_context.c``): a token's score for a label
starts at 0 and adds ``weight × value`` of its attributes **in their order** (floating
point addition is not associative, so the order is kept: ``add_columns`` adds one
attribute column at a time); unknown attributes are skipped; a transition score is
the weight of the (previous label, label) feature, else 0; Viterbi takes, for each
label, the first best previous label (strict ``<``, so ties go to the lower label id,
as ``argmax`` does) and, at the end, the first best last label.
tests/test_ner_fast.py checks the tags against pycrfsuite's on real articles.

File layout (crfsuite's ``crf1d_model.c``, little-endian): a 48-byte header (magic
``lCRF``, size, type ``FOMC``, version, numbers of features, labels and attributes,
offsets of the feature table, the label and attribute string tables, and the two
reference tables); features of 20 bytes (type 0 = state: attribute → label, type 1 =
transition: label → label; then a float64 weight); each string table is a CQDB chunk
whose records, from byte 2,072 on, are (int32 id, uint32 size, the string and a NUL).
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
# CQDB: a 24-byte chunk header and 256 (offset, size) references to hash tables
# precede the records.
_CQDB_DATA = 24 + 256 * 8


@dataclass
class Table:
    """One crfsuite model: ``weights[attribute id]`` is the row of state-feature weights
    per label; ``trans[i, j]`` the weight of label i followed by label j."""

    labels: list[str]
    attrs: dict[str, int]
    weights: np.ndarray
    trans: np.ndarray

    def rows(self, names: dict[str, int]) -> np.ndarray:
        """The weight table re-indexed by ``names`` (attribute → id, covering this
        model's attributes and maybe others'), plus a last row of zeros: attributes
        of several models share one id space, and an id this model does not know
        adds 0 to every label, as leaving it out would."""
        out = np.zeros((len(names) + 1, len(self.labels)))
        mine = [(names[a], i) for a, i in self.attrs.items()]
        out[[u for u, _ in mine]] = self.weights[[i for _, i in mine]]
        return out


def _strings(buf: bytes, at: int, n: int) -> dict[str, int]:
    """The ``n`` (string → id) records of the CQDB chunk at byte ``at``."""
    if buf[at:at + 4] != b"CQDB":
        raise ValueError("not a CQDB chunk")
    out: dict[str, int] = {}
    p = at + _CQDB_DATA
    for _ in range(n):
        ident, size = struct.unpack_from("<iI", buf, p)
        out[buf[p + 8:p + 8 + size - 1].decode("utf-8")] = ident
        p += 8 + size
    return out


def read_table(path: str | Path) -> Table:
    """The tables of a crfsuite (CRF1d) model file."""
    buf = Path(path).read_bytes()
    (magic, _size, kind, _version, _n_feat, n_labels, n_attrs,
     off_feat, off_labels, off_attrs, _off_lrefs, _off_arefs) = _HEADER.unpack_from(buf, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    label_ids = _strings(buf, off_labels, n_labels)
    labels = [""] * n_labels
    for s, i in label_ids.items():
        labels[i] = s
    attrs = _strings(buf, off_attrs, n_attrs)
    # The feature chunk: "FEAT", size, count, then the features.
    # (crfsuite leaves the header's feature count at 0; the chunk's is the real one.)
    chunk, size, count = struct.unpack_from("<4sII", buf, off_feat)
    if chunk != b"FEAT" or size != 12 + count * _FEATURE.itemsize:
        raise ValueError(f"{path}: bad feature chunk")
    feats = np.frombuffer(buf, dtype=_FEATURE, count=count, offset=off_feat + 12)
    weights = np.zeros((n_attrs, n_labels))
    trans = np.zeros((n_labels, n_labels))
    state, tr = feats[feats["type"] == 0], feats[feats["type"] == 1]
    # One feature per (attribute, label) and per (label, label): plain assignment.
    weights[state["src"].astype(np.intp), state["dst"].astype(np.intp)] = state["weight"]
    trans[tr["src"].astype(np.intp), tr["dst"].astype(np.intp)] = tr["weight"]
    return Table(labels, attrs, weights, trans)


def add_columns(start: np.ndarray, weights: np.ndarray, columns) -> np.ndarray:
    """Per token, ``start`` plus its attributes' weight rows (times their values), added
    one column after the other, so each token's attributes in their order (floating
    point addition is not associative: crfsuite's order is kept). A column is (tokens,
    ids, values): ``tokens`` None for every token, else the tokens that have an
    attribute in this column; ``values`` None for 1. ``weights`` ends with a row of
    zeros (``Table.rows``): an id of it adds exactly 0."""
    out = np.array(start, dtype=np.float64)
    buf = np.empty_like(out)
    for rows, ids, vals in columns:
        if rows is None:
            np.take(weights, ids, axis=0, out=buf)
            if vals is not None:
                buf *= vals[:, None]
            out += buf
        else:
            got = np.take(weights, ids, axis=0)
            if vals is not None:
                got *= vals[:, None]
            out[rows] += got
    return out


def viterbi(table: Table, scores: np.ndarray, lens: list[int]) -> np.ndarray:
    """The best label (an index into ``table.labels``) of each token; ``scores`` holds the
    state scores of the sentences' tokens one sentence after the other, ``lens`` their
    lengths (> 0).

    All sentences advance together, longest first, so a document costs as many numpy
    steps as its longest sentence has tokens. The scores are laid out time-major (the
    first tokens of all sentences, then the second tokens of those that have one …),
    so each step reads and writes contiguous slices, and memory stays in proportion
    to the tokens (a sentence of 50,000 words among a thousand short ones pads nothing)."""
    S = len(lens)
    T = len(scores)
    if S == 0:
        return np.zeros(0, dtype=np.intp)
    L = len(table.labels)
    lens_arr = np.asarray(lens, dtype=np.intp)
    order = np.argsort(-lens_arr, kind="stable")
    lens_sorted = lens_arr[order]
    Tmax = int(lens_sorted[0])
    # alive[t]: sentences longer than t (a prefix of the longest-first order);
    # at[t]: where step t's tokens start in the time-major layout
    alive = np.searchsorted(-lens_sorted, -np.arange(Tmax), side="left")
    at = np.concatenate(([0], np.cumsum(alive)))
    rank = np.empty(S, dtype=np.intp)
    rank[order] = np.arange(S)
    starts = np.cumsum(lens_arr) - lens_arr
    sent = np.repeat(np.arange(S), lens_arr)
    pos = np.arange(T) - starts[sent]
    where = at[pos] + rank[sent]           # token (in input order) → its time-major slot
    X = np.empty_like(scores)
    X[where] = scores
    alive, at = alive.tolist(), at.tolist()
    back = np.empty((T, L), dtype=np.intp)   # per slot and label: the best previous label
    alpha = X[:S].copy()
    # to[j, i]: the weight of label i followed by label j (the previous label last, so
    # both reductions run over contiguous memory)
    to = np.ascontiguousarray(table.trans.T)
    cand_buf = np.empty((S, L, L))
    best_buf = np.empty((S, L))
    add, maximum = np.add, np.maximum.reduce
    views = {}          # n → the views of the first n sentences (n changes at most S times)
    for t in range(1, Tmax):
        n, a = alive[t], at[t]
        v = views.get(n)
        if v is None:
            v = views[n] = (alpha[:n, None, :], cand_buf[:n], best_buf[:n], alpha[:n])
        a3, cand, best, a2 = v
        add(a3, to, out=cand)           # [s, j, i] = alpha[s, i] + trans[i, j]
        # the first best previous label (crfsuite's strict <, numpy's argmax); the maximum
        # is the very value at the argmax: no rounding differs
        cand.argmax(axis=2, out=back[a:a + n])
        add(maximum(cand, axis=2, out=best), X[a:a + n], out=a2)
    # Back-pointers, one sentence at a time in Python: a step of the trace is one list
    # lookup, cheaper than a numpy call over the sentences still alive.
    # (One flat list of ints: a list per token would wake the cyclic garbage collector.)
    last = alpha.argmax(axis=1).tolist()
    back_l = back.ravel().tolist()
    path_l = [0] * T
    lens_l = lens_sorted.tolist()
    for r in range(S):
        y = last[r]
        for t in range(lens_l[r] - 1, 0, -1):
            slot = at[t] + r
            path_l[slot] = y
            y = back_l[slot * L + y]
        path_l[r] = y           # at[0] == 0
    path = np.array(path_l, dtype=np.intp)
    return path[where]
