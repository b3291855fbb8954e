"""From tagged token chunks to the entities of one article.

Three steps, all on offsets into the article text:

* ``trim``: a mention starts after its attached proclitics (وبغداد → بغداد) but
  keeps a name's own first letter (وليد stays وليد). ANERcorp tags whole tokens,
  clitics included, so the model's chunk is trimmed here.
* ``alias mentions``: names the tagger rarely sees (داعش، سانا) are found from
  ``data/ner/aliases.tsv``.
* ``group``: mentions of one entity are grouped (بشار الاسد … الاسد;
  تنظيم الدولة الاسلامية … الدولة الاسلامية … داعش; المرصد السوري لحقوق الانسان
  … المرصد), the fullest spelling becomes the entity's ``name``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..arabic import PROCLITICS, clitic_prefix, norm_view, normalize
from ..core import Entity, Mention
from .resources import Resources, lines, norm_token, phrase_key, word_key

PLACE = ("GPE", "LOC", "FAC")
# Head words an organisation's short form may drop (تنظيم الدولة الاسلامية → الدولة الاسلامية).
_ORG_DROPPABLE = frozenset(word_key(normalize(w)) for w in lines("org_droppable.txt"))


@dataclass
class Found:
    start: int
    end: int
    type: str
    text: str
    key: tuple[str, ...]


def proclitic_cut(token: str, res: Resources) -> int:
    """How many leading characters of ``token`` are proclitics outside the name.

    The evidence, in order: a spelling the name vocabulary (entity words seen in
    training plus gazetteer) knows better with the clitic off than on (وبغداد →
    بغداد, but وليد stays); an article after the clitic (والعراق → العراق);
    otherwise و / ف before a stem of 3+ letters.
    """
    n = normalize(token)
    if len(n) != len(token) or len(n) < 3 or n[0] not in PROCLITICS:
        return 0
    cands = []
    for i in (1, 2):
        if i < len(n) - 1 and all(c in PROCLITICS for c in n[:i]):
            if i == 2 and n[0] not in "وف":
                break   # only و / ف stand before another proclitic
            cands.append(i)
    full = res.names.get(word_key(n), 0)
    best, best_count = 0, full
    for i in cands:
        stem = n[i:]
        if stem.startswith("ل") and n[i - 1] == "ل":
            continue   # لل = ل + ال: the article's alef is not written, keep the token whole
        c = res.names.get(word_key(stem), 0)
        if c > best_count:
            best, best_count = i, c
    if best:
        return best
    for i in cands:
        if n[i:].startswith("ال") and len(n) - i > 3:
            return i
    if full == 0 and n[0] in "وف" and len(n) >= 5 and n[1] not in PROCLITICS:
        return 1
    return 0


def mentions_from_chunks(text: str, token_spans, chunks, res: Resources) -> list[Found]:
    """Tagged chunks (token start, end, tag type) as mentions trimmed of clitics and trailing words."""
    out = []
    for s, e, typ in chunks:
        while e - s > 1 and normalize(text[token_spans[e - 1].start:token_spans[e - 1].end]) in res.trailing:
            e -= 1
        start, end = token_spans[s].start, token_spans[e - 1].end
        start += proclitic_cut(text[token_spans[s].start:token_spans[s].end], res)
        if start >= end:
            continue
        out.append(Found(start, end, typ, text[start:end], phrase_key(text[start:end])))
    return out


# Definite words after the head that the ORG rule takes at most (وزارة الخارجية التركية).
ORG_RULE_MAX_WORDS = 3


def org_rule_mentions(text: str, token_spans, chunks, res: Resources, toks: list[str] | None = None) -> list[Found]:
    """Head word + definite words as ORG where the tagger found nothing (وزارة الداخلية);
    ``toks``: the tokens' ``norm_token``, if the caller has them."""
    heads = res.org_rule_heads
    if toks is None:
        toks = [norm_token(text[t.start:t.end]) for t in token_spans]
    starts = [i for i, w in enumerate(toks) if w in heads or w[1:] in heads]
    if not starts:
        return []
    covered = set()
    for s, e, _ in chunks:
        covered.update(range(s, e))
    out = []
    for i in starts:
        w = toks[i]
        if i in covered:
            continue
        cut = proclitic_cut(text[token_spans[i].start:token_spans[i].end], res)
        # بقيادة السعودية is "led by Saudi Arabia": a head under ب / ل / ك is not a name
        if w[cut:] not in res.org_rule_heads or any(c not in "وف" for c in w[:cut]):
            continue
        j = i + 1
        while j < len(toks) and j - i <= ORG_RULE_MAX_WORDS and j not in covered and toks[j].startswith("ال") \
                and len(toks[j]) > 3 and "GPE" not in res.gazetteer.get((word_key(toks[j]),), ()):
            j += 1
        if j > i + 1:
            start, end = token_spans[i].start + cut, token_spans[j - 1].end
            out.append(Found(start, end, "ORG", text[start:end], phrase_key(text[start:end])))
    return out


def join_place_words(text: str, found: list[Found], res: Resources) -> list[Found]:
    """ريف + دمشق → a mention ريف دمشق beside the mention دمشق (the region and the city
    are both places of the report); a lone generic place word (الريف) is dropped."""
    found = sorted(found, key=lambda f: f.start)
    out: list[Found] = []
    i = 0
    while i < len(found):
        f = found[i]
        w = normalize(f.text)
        if w in res.place_words:
            nxt = found[i + 1] if i + 1 < len(found) else None
            if nxt and nxt.type in PLACE and not text[f.end:nxt.start].strip():
                t = res.place_words[w] or nxt.type
                out.append(Found(f.start, nxt.end, t, text[f.start:nxt.end], phrase_key(text[f.start:nxt.end])))
                out.append(nxt)
                i += 2
                continue
            i += 1
            continue
        out.append(f)
        i += 1
    return out


@lru_cache(maxsize=4)
def _alias_regex(phrases: tuple[str, ...]) -> re.Pattern:
    # One alternation, longest first, with the clitics of arabic.find_phrase outside the
    # group: one scan of the text instead of one per alias.
    alts = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    return re.compile(r"(?<![\w])(?:" + clitic_prefix("وف") + clitic_prefix("بلك") + "|" + clitic_prefix("وف")
                      + clitic_prefix("ل") + ")(" + alts + r")(?![\w])")


def alias_mentions(text: str, found: list[Found], res: Resources) -> list[Found]:
    """``found`` plus occurrences of listed aliases; an alias replaces tagger mentions
    inside it (the tagger's الدولة within الدولة الاسلامية) but not one that covers it."""
    view = norm_view(text)
    out: list[Found | None] = list(found)     # None: replaced by an alias
    # (start, position in out), sorted: the mentions an alias overlaps are found by
    # bisection, not by reading every mention for every alias (quadratic in a long article)
    by_start = sorted((f.start, i) for i, f in enumerate(out))
    longest = max((f.end - f.start for f in found), default=0)
    for m in _alias_regex(res.alias_phrases).finditer(view.text):
        sp = view.span(m.start(1), m.end(1))
        typ = res.aliases[" ".join(phrase_key(m.group(1)))][1]
        lo = bisect_left(by_start, (sp.start - longest, -1))
        hi = bisect_left(by_start, (sp.end, -1))
        inside = [i for _, i in by_start[lo:hi]
                  if out[i] is not None and sp.start < out[i].end and out[i].start < sp.end]
        if any(not (sp.start <= out[i].start and out[i].end <= sp.end) or (out[i].start, out[i].end) == (sp.start, sp.end)
               for i in inside):
            continue
        for i in inside:
            out[i] = None
        new = Found(sp.start, sp.end, typ, text[sp.start:sp.end], phrase_key(text[sp.start:sp.end]))
        insort(by_start, (new.start, len(out)))
        longest = max(longest, new.end - new.start)
        out.append(new)
    return [f for f in out if f is not None]


def _compatible(a: str, b: str) -> bool:
    return a == b or (a in PLACE and b in PLACE)


def _sub(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _refers(short: tuple[str, ...], long: tuple[str, ...], typ: str) -> bool:
    """Whether a shorter mention can name the entity of a longer one in the same article."""
    if short == long:
        return True
    if len(short) >= len(long) or not _sub(short, long):
        return False
    if typ == "PER":
        # the family name (الاسد of بشار الاسد) or a run of the name (عبد الرحمن)
        return long[-len(short):] == short or len(short) >= 2 or long[:1] == short
    if typ == "ORG":
        # the head of the name (المرصد of المرصد السوري …) or the name without its
        # head word (الدولة الاسلامية of تنظيم الدولة الاسلامية)
        return long[:len(short)] == short or (long[0] in _ORG_DROPPABLE and long[1:1 + len(short)] == short)
    return long[:len(short)] == short and len(short) >= 2


def group(found: list[Found], res: Resources) -> list[Entity]:
    """Group mentions into entities; ids e1, e2 … in order of first mention."""
    # An alias joins its full name's group: key → canonical key.
    canon = {}
    for f in found:
        a = res.aliases.get(" ".join(f.key))
        canon[id(f)] = phrase_key(a[0]) if a else f.key
    groups: list[dict] = []
    # word -> the groups (by creation order) with a key holding it: a key can only refer to a
    # group one of whose keys contains its words, so only those groups are tried, in the
    # order the full scan would try them (every group for every mention is quadratic).
    holding: dict[str, set[int]] = {}
    for f in sorted(found, key=lambda f: (-len(canon[id(f)]), f.start)):
        k = canon[id(f)]
        home = None
        tried = sorted(holding.get(k[0], ())) if k else range(len(groups))
        for gi in tried:
            g = groups[gi]
            if any(_compatible(t, f.type) for t in g["types"]) and any(_refers(k, gk, f.type) for gk in g["keys"]):
                home = g
                break
        if home is None:
            home = {"keys": [], "types": Counter(), "items": [], "index": len(groups)}
            groups.append(home)
        if k not in home["keys"]:     # a name repeated a thousand times is one key to test
            home["keys"].append(k)
        for w in k:
            holding.setdefault(w, set()).add(home["index"])
        home["types"][f.type] += 1
        home["items"].append(f)
    entities = []
    for g in groups:
        items = sorted(g["items"], key=lambda f: f.start)
        full = max(items, key=lambda f: (len(f.key), len(f.text), -f.start))
        name = entity_name(full.text)
        a = res.aliases.get(" ".join(full.key))
        if a and len(phrase_key(a[0])) > len(full.key):
            name = a[0]
        typ = g["types"].most_common(1)[0][0]
        entities.append(Entity(id="", type=typ, name=name,
                               mentions=[Mention(f.text, f.start, f.end) for f in items]))
    return in_order(entities)


def entity_name(mention: str) -> str:
    """A mention's text as an entity name: ل + ال written لل (للمرصد) reads as ال (المرصد)."""
    return "ال" + mention[2:] if normalize(mention).startswith("لل") else mention


def in_order(entities: list[Entity]) -> list[Entity]:
    """The entities in order of first mention, with ids e1, e2 … in that order: the
    contract of every entity list (stable, so ties keep their given order)."""
    out = sorted(entities, key=lambda e: min((m.start for m in e.mentions), default=0))
    for i, e in enumerate(out, 1):
        e.id = f"e{i}"
    return out
