"""CRF features of a sentence of tokens.

Arabic has no capital letters, so a name is told by what surrounds it (a title
word before it: الرئيس بشار الاسد; a head word: حركة حماس), by its shape once
the clitics and article are peeled off (وبغداد → بغداد), by gazetteer
membership, and by word clusters that group words used alike (from the
multilingual-e5-small input embeddings, see scripts/train_ner.py).
"""
from __future__ import annotations

from functools import lru_cache

from ..arabic import ARABIC_LETTER, clitic_variants, normalize, strip_clitics
from .resources import MAX_GAZ_WORDS, Resources, word_key

# Context window, in tokens either side, for word identity features.
WINDOW = 2


def _shape(tok: str) -> str:
    if tok.isdigit():
        return "D"
    if ARABIC_LETTER.match(tok):
        return "A"
    if tok[:1].isalpha():
        return "L"
    return "P"


def _gazetteer_tags(norms: list[str], res: Resources) -> list[list[str]]:
    """Per token, the gazetteer classes of the longest phrase covering it, as B-/I- tags."""
    n = len(norms)
    out: list[list[str]] = [[] for _ in range(n)]
    keys = [word_key(w) for w in norms]
    i = 0
    while i < n:
        best = None
        for _, stem in clitic_variants(norms[i]):
            first = word_key(stem)
            for length in res.gaz_starts.get(first, ()):
                if length <= n - i and (best is None or length > best[0]):
                    k = (first,) + tuple(keys[i + 1:i + length])
                    cls = res.gazetteer.get(k)
                    if cls:
                        best = (length, cls)
                        break
        if best:
            length, cls = best
            for c in cls:
                out[i].append("B-" + c)
                for j in range(i + 1, i + length):
                    out[j].append("I-" + c)
            i += length
        else:
            i += 1
    return out


@lru_cache(maxsize=200_000)
def _info(tok: str, res_id: int) -> dict:
    # Keyed on the token string: news vocabulary is Zipfian, so most lookups hit.
    res = _RES[res_id]
    n = normalize(tok)
    stem = strip_clitics(n)
    k = word_key(stem)
    return {"n": n, "stem": stem, "k": k, "shape": _shape(n),
            "title": k in res.titles or word_key(n) in res.titles,
            "head": k in res.org_heads or word_key(n) in res.org_heads,
            "cl": res.clusters.get(k)}


_RES: dict[int, Resources] = {}


def token_info(tokens: list[str], res: Resources) -> list[dict]:
    rid = id(res)
    if rid not in _RES:
        _RES.clear()
        _info.cache_clear()
        _RES[rid] = res
    return [_info(t, rid) for t in tokens]


def sentence_features(tokens: list[str], res: Resources) -> list[list[str]]:
    infos = token_info(tokens, res)
    gaz = _gazetteer_tags([i["n"] for i in infos], res)
    feats = []
    L = len(tokens)
    for i, inf in enumerate(infos):
        n, stem = inf["n"], inf["stem"]
        f = ["b", "w=" + n, "st=" + stem, "k=" + inf["k"], "sh=" + inf["shape"],
             "p2=" + n[:2], "p3=" + n[:3], "s1=" + n[-1:], "s2=" + n[-2:], "s3=" + n[-3:],
             "ks2=" + inf["k"][-2:], "kp2=" + inf["k"][:2],
             "len=" + str(min(len(inf["k"]), 8))]
        if n != stem:
            f.append("clitic=" + n[:len(n) - len(stem)])
        if n.startswith("ال") or stem.startswith("ال") or n[1:3] == "ال" or n.startswith("لل"):
            f.append("al")
        if inf["title"]:
            f.append("title")
        if inf["head"]:
            f.append("head")
        if inf["cl"]:
            f.append("c=" + inf["cl"])
            f.append("c1=" + inf["cl"][:1])
        for g in gaz[i]:
            f.append("g=" + g)
        if i == 0:
            f.append("BOS")
        if i == L - 1:
            f.append("EOS")
        for d in range(1, WINDOW + 1):
            for sign, j in (("-", i - d), ("+", i + d)):
                if 0 <= j < L:
                    o = infos[j]
                    p = sign + str(d)
                    f.append(p + "w=" + o["n"])
                    f.append(p + "k=" + o["k"])
                    if d == 1:
                        f.append(p + "sh=" + o["shape"])
                        f.append(p + "s2=" + o["n"][-2:])
                        if o["cl"]:
                            f.append(p + "c=" + o["cl"])
                        for g in gaz[j]:
                            f.append(p + "g=" + g)
                    if o["title"]:
                        f.append(p + "title")
                    if o["head"]:
                        f.append(p + "head")
                else:
                    f.append(sign + str(d) + "pad")
        if i > 0:
            f.append("bi-=" + infos[i - 1]["k"] + "|" + inf["k"])
        if i < L - 1:
            f.append("bi+=" + inf["k"] + "|" + infos[i + 1]["k"])
        feats.append(f)
    return feats
