"""CRF features of a sentence of tokens.

Arabic has no capital letters, so a name is told by what surrounds it (a title
word before it: الرئيس بشار الاسد; a head word: حركة حماس), by its shape once
the clitics and article are peeled off (وبغداد → بغداد), by gazetteer
membership, and by word clusters that group words used alike (from the
multilingual-e5-small input embeddings, see scripts/train_ner.py).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache

from ..arabic import ARABIC_LETTER, clitic_variants, normalize, strip_clitics
from .resources import Resources, word_key

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


# Letters clitic_variants and word_key take off the front of a word at most: two
# proclitics and the article (tests/test_ner_fast.py checks it on the gazetteer's words).
MAX_CUT = 4


@lru_cache(maxsize=200_000)
def _first_keys(norm: str) -> tuple[str, ...]:
    """Keys a phrase's first word may have under its clitics (وبالعراق → عراق …)."""
    return tuple(dict.fromkeys(word_key(stem) for _, stem in clitic_variants(norm)))


def gazetteer_starts(norm: str, res: Resources) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """(first key, lengths of gazetteer phrases starting with it) for each key a phrase's
    first word may have under its clitics; empty for most words."""
    starts = res.gaz_starts
    # Every key of ``_first_keys`` is the word without its first 0 to MAX_CUT letters
    # (up to two proclitics, then the article; ل + ال written لل leaves its key a
    # suffix too), so a word none of whose suffixes starts a phrase is answered without
    # reading its clitic variants.
    if not any(norm[i:] in starts for i in range(min(len(norm), MAX_CUT + 1))):
        return ()
    return tuple((f, starts[f]) for f in _first_keys(norm) if f in starts)


_PAIRS: dict[int, tuple[dict, frozenset]] = {}


def _gaz_pairs(res: Resources) -> frozenset[tuple[str, str]]:
    """The first two keys of every gazetteer phrase of two words or more."""
    got = _PAIRS.get(id(res.gazetteer))
    if got is None or got[0] is not res.gazetteer:
        _PAIRS.clear()
        got = _PAIRS[id(res.gazetteer)] = (res.gazetteer, frozenset(k[:2] for k in res.gazetteer if len(k) >= 2))
    return got[1]


def gazetteer_match(i: int, first_lengths, keys, room: int, res: Resources) -> tuple[int, frozenset[str]] | None:
    """(length, classes) of the longest gazetteer phrase at token ``i``, of at most
    ``room`` words: ``first_lengths`` is the token's ``gazetteer_starts``, ``keys`` the
    ``word_key`` of the tokens (indexed as ``i``)."""
    best = None
    pairs = _gaz_pairs(res)
    for first, lengths in first_lengths:
        # a phrase of two words or more needs its first two keys among the pairs
        # (الشيخ starts hundreds of names: most tokens after it start none of them)
        longer = room >= 2 and (first, keys[i + 1]) in pairs
        for length in lengths:
            if length <= room and (best is None or length > best[0]) and (longer or length == 1):
                cls = res.gazetteer.get((first,) + tuple(keys[i + 1:i + length]))
                if cls:
                    best = (length, cls)
                    break
    return best


def gazetteer_tags(n: int, matches) -> list[list[str]]:
    """Per token of ``n``, the B-/I- tags of the phrases ``matches`` (token, length, classes)."""
    out: list[list[str]] = [[] for _ in range(n)]
    for i, length, cls in matches:
        for c in cls:
            out[i].append("B-" + c)
            for j in range(i + 1, i + length):
                out[j].append("I-" + c)
    return out


def _gazetteer_tags(norms: list[str], res: Resources, starts: list | None = None,
                    keys: list[str] | None = None) -> list[list[str]]:
    """Per token, the gazetteer classes of the longest phrase covering it, as B-/I- tags,
    phrases taken left to right. ``starts`` (``gazetteer_starts`` per token) and ``keys``
    (``word_key`` per token) may come from a caller's per-word cache."""
    n = len(norms)
    if keys is None:
        keys = [word_key(w) for w in norms]
    if starts is None:
        starts = [gazetteer_starts(w, res) for w in norms]
    matches = []
    free = 0
    # only a token with start keys can begin a phrase
    for i in [i for i, s in enumerate(starts) if s]:
        if i < free:
            continue
        best = gazetteer_match(i, starts[i], keys, n - i, res)
        if best:
            matches.append((i, best[0], best[1]))
            free = i + best[0]
    return gazetteer_tags(n, matches)


_RES: dict[int, Resources] = {}
_CONTEXT = ("-1", "+1", "-2", "+2")


@lru_cache(maxsize=200_000)
def _info(tok: str, res_id: int) -> dict:
    """What a token contributes as itself and as context (keyed on the token string:
    news vocabulary is Zipfian, so most lookups hit the cache)."""
    return word_info(tok, _RES[res_id])


# Attribute name prefixes: a word's own (the ones every word has first), and as a
# context word at each position (``word_parts``).
_OWN = ("b", "w=", "st=", "k=", "sh=", "p2=", "p3=", "s1=", "s2=", "s3=", "ks2=", "kp2=", "len=")
_CTX_PREFIX = {p: tuple(p + x for x in ("w=", "k=", "sh=", "s2=", "c=", "title", "head")) for p in _CONTEXT}
_LEN = tuple(str(i) for i in range(9))


def word_values(tok: str, res: Resources) -> tuple[str, str, str, str, bool, bool, str | None, bool]:
    """What a token's attributes are made of: normalised form, stem, key, shape, title
    word?, organisation head?, cluster, article? (``word_parts`` spells them as
    attributes; ``fast.Words`` looks their ids up directly)."""
    n = normalize(tok)
    stem = strip_clitics(n)
    k = word_key(stem)
    kn = word_key(n)
    al = n.startswith("ال") or stem.startswith("ال") or n[1:3] == "ال" or n.startswith("لل")
    return (n, stem, k, _shape(n), k in res.titles or kn in res.titles,
            k in res.org_heads or kn in res.org_heads, res.clusters.get(k), al)


def word_parts(tok: str, res: Resources) -> dict:
    """A token's attributes as itself (``own``) and as context at each position
    (``ctx``), each as (prefixes, values): an attribute's name is prefix + value (a
    name with ``=`` splits at its first ``=``; one without has the empty value). With
    its normalised form, key, shape and cluster. Not cached: ``fast.Words`` keeps ids,
    ``word_info`` the names. (Two lists, not a tuple per attribute: fewer objects for
    the cyclic garbage collector to count.)"""
    n, stem, k, shape, title, head, cl, al = word_values(tok, res)
    s2 = n[-2:]
    own_p = list(_OWN)
    own_v = ["", n, stem, k, shape, n[:2], n[:3], n[-1:], s2, n[-3:], k[-2:], k[:2], _LEN[min(len(k), 8)]]
    if n != stem:
        own_p.append("clitic=")
        own_v.append(n[:len(n) - len(stem)])
    if al:
        own_p.append("al")
        own_v.append("")
    if title:
        own_p.append("title")
        own_v.append("")
    if head:
        own_p.append("head")
        own_v.append("")
    if cl:
        own_p += ("c=", "c1=")
        own_v += (cl, cl[:1])
    ctx = {}
    for p in _CONTEXT:
        w_, k_, sh_, s2_, c_, title_, head_ = _CTX_PREFIX[p]
        fp, fv = [w_, k_], [n, k]
        if p[1] == "1":
            fp += (sh_, s2_)
            fv += (shape, s2)
            if cl:
                fp.append(c_)
                fv.append(cl)
        if title:
            fp.append(title_)
            fv.append("")
        if head:
            fp.append(head_)
            fv.append("")
        ctx[p] = (fp, fv)
    return {"n": n, "stem": stem, "k": k, "shape": shape, "title": title, "head": head,
            "cl": cl, "own": (own_p, own_v), "ctx": ctx}


def word_info(tok: str, res: Resources) -> dict:
    """``word_parts`` with the attributes as names (crfsuite's strings)."""
    d = word_parts(tok, res)
    d["own"] = list(map(str.__add__, *d["own"]))
    d["ctx"] = {p: list(map(str.__add__, *f)) for p, f in d["ctx"].items()}
    return d


def token_info(tokens: list[str], res: Resources) -> list[dict]:
    rid = id(res)
    if rid not in _RES:
        _RES.clear()
        _info.cache_clear()
        _RES[rid] = res
    return [_info(t, rid) for t in tokens]


# Context positions in the order their features are listed: -1, +1, -2, +2 …
_OFFSETS = tuple((sign + str(d), -d if sign == "-" else d) for d in range(1, WINDOW + 1) for sign in "-+")


def sentence_features(tokens: list[str], res: Resources) -> list[list[str]]:
    """Per token: its own features (cached per word, ``_info``), its gazetteer tags, the
    context features of its neighbours, and the bigrams of word keys.

    Runs once per token of every article (the CRF's input), so the lists are put
    together from the cached parts without recomputing anything; the order of the
    attributes is fixed (crfsuite sums weights in that order)."""
    infos = token_info(tokens, res)
    gaz = _gazetteer_tags([i["n"] for i in infos], res)
    ctx = [i["ctx"] for i in infos]
    keys = [i["k"] for i in infos]
    feats = []
    L = len(tokens)
    last = L - 1
    for i, inf in enumerate(infos):
        f = list(inf["own"])
        if gaz[i]:
            f += ["g=" + g for g in gaz[i]]
        if i == 0:
            f.append("BOS")
        if i == last:
            f.append("EOS")
        for p, off in _OFFSETS:
            j = i + off
            if 0 <= j < L:
                f += ctx[j][p]
                if gaz[j] and (off == 1 or off == -1):
                    f += [p + "g=" + g for g in gaz[j]]
            else:
                f.append(p + "pad")
        if i > 0:
            f.append("bi-=" + keys[i - 1] + "|" + keys[i])
        if i < last:
            f.append("bi+=" + keys[i] + "|" + keys[i + 1])
        feats.append(f)
    return feats


# --- document memory (pass 2) ---------------------------------------------------

def memory_of(sents: list[list[tuple[str, str]]]) -> dict[str, Counter]:
    """Word key → how often pass 1 put it in an entity of each type, over ``sents``
    (each a list of (word key, type))."""
    mem: dict[str, Counter] = defaultdict(Counter)
    for s in sents:
        for k, t in s:
            mem[k][t] += 1
    return mem


def memory_attrs(k: str, m: Counter, mine: Counter) -> list[tuple[str, float]]:
    """Pass-2 attributes of word key ``k`` with memory ``m``: the share of each type
    elsewhere in the document (``mine``, this sentence's own (key, type) counts, left
    out) and how much memory there is, capped at 5 mentions."""
    counts = {t: c - mine.get((k, t), 0) for t, c in m.items()}
    total = sum(counts.values())
    if total <= 0:
        return []
    out = [("dm=" + t, c / total) for t, c in counts.items() if c > 0]
    out.append(("dm_n", min(total, 5) / 5))
    return out
