"""Actors and targets of an event, each with a side.

Actors come from the side lexicons (``sides.tsv``: the agents and armed groups
of these reports; ``actors.tsv``: derived from the PETRARCH Arabic
dictionaries). A phrase after a target marker (على، ضد، استهدف، مواقع، مع …)
is a target; one before the trigger, or right after an active verb ("نفذ
الطيران الحربي السوري غارات"), is an actor; the counted victims of the toll
("سبعة مدنيين") are targets too. Passive forms name the actor after ل or من
قبل ("بغارات للنظام"، "من قبل مقاتلي الفصائل").
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..arabic import NormText, alternation, clitic_prefix, normalize
from ..core import Article, Participant
from ..resources import data_lists
from ..spanindex import SpanIndex
from .lexicon import actor_rows, fold, number_words, side_of, side_patterns

# The words of the rules below live in data/events/participant_words.tsv (with their
# provenance); the regular expressions around them stay here. Compiled once, at import.
_ALT = {name: alternation(fold(w) for w in words)
        for name, words in data_lists("events/participant_words.tsv").items()}

TARGET_MARKER = re.compile(_ALT["target_markers"] + r'\s+(?:\S+\s+){0,2}["«]?$')
PASSIVE_ACTOR = re.compile(_ALT["passive_markers"] + r"\s+(?:\S+\s+)?$")
MAX_PARTICIPANTS = 3
# A phrase right after a number is a count of people acted upon ("نحو 230 مدنيا").
COUNTED = re.compile(r"\d+\s*$")
# Who reports is a source (attribution stage), not an actor: "وكالة"، "مصدر عسكري"، "المرصد".
REPORTER = re.compile(clitic_prefix("وفبل", article=True) + _ALT["reporters"])
# A noun of the act, then an adjective of it as the very next word (هجوم مسلح، كمينا مسلحا).
ACT_NOUN_BEFORE = re.compile(r"(?<![\w])" + clitic_prefix("وفبل", article=True) + _ALT["act_nouns"] + r"\s+$")
ACT_ADJECTIVE = re.compile(_ALT["act_adjectives"] + r"ا?")    # ا: the accusative (كمينا مسلحا)
# A new clause about something else: "في وقت اعلنت واشنطن ..."، "بينما"، "في حين".
CLAUSE_BREAK = re.compile(r"[،,;]\s*" + _ALT["clause_break_after_comma"] +
                          r"|\s" + _ALT["clause_break"] + r"\s")
_TOKEN = re.compile(r"[\u0621-\u064a]+")


@lru_cache(maxsize=None)
def _actor_dict() -> tuple[dict[str, str], int, frozenset[str]]:
    d = {}
    longest = 1
    for name, side in actor_rows():
        d[name] = side
        longest = max(longest, len(name.split()))
    return d, min(longest, 5), frozenset(k.split()[0] for k in d)


def _matches(view: NormText, a: int, b: int) -> list[tuple[int, int, str]]:
    """(view start, view end, side) of actor phrases in view[a:b], longest first, no overlaps."""
    cache = view.__dict__.setdefault("_actor_matches", {})
    if (a, b) not in cache:
        cache[(a, b)] = _find(view, a, b)
    return cache[(a, b)]


def _find(view: NormText, a: int, b: int) -> list[tuple[int, int, str]]:
    text = view.text
    found: list[tuple[int, int, str]] = []
    for rx, side in side_patterns():
        for m in rx.finditer(text, a, b):
            found.append((m.start(), m.end(), side))
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, a, b)]
    d, longest, firsts = _actor_dict()
    for i in range(len(toks)):
        first = toks[i][2]
        strips = [x for x in (first, first[1:] if first[:1] in "وفبل" else None,
                              first[2:] if first.startswith("ال") else None) if x and x in firsts]
        if not strips:
            continue
        for n in range(min(longest, len(toks) - i), 0, -1):
            words = [t[2] for t in toks[i:i + n]]
            for strip in strips:
                key = " ".join([strip] + words[1:])
                if key in d and (n > 1 or len(key) > 4):
                    found.append((toks[i][0], toks[i + n - 1][1], d[key]))
                    break
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if not any(f[0] < k[1] and k[0] < f[1] for k in kept):
            kept.append(f)
    kept.sort()
    return kept


def participants(article: Article, view: NormText, a: int, b: int, trigger: int,
                 victims: list[tuple[int, int, str]]) -> tuple[list[Participant], list[Participant]]:
    """Actors and targets for a trigger at view offset ``trigger`` in sentence view[a:b]."""
    text = view.text
    lo, hi = _clause(text, a, b, trigger)
    actors: list[Participant] = []
    targets: list[Participant] = []
    # the counted dead and wounded are targets, whatever else the phrase could be
    for s, e, side in victims:
        sp = view.span(s, e)
        targets.append(Participant(article.text[sp.start:sp.end], side, None, sp.start, sp.end))
    prev_end, last = -2, None     # where the phrase before ended, and its participant if kept
    for s, e, side in _matches(view, lo, hi):
        # a side word right after the phrase before it, with no conjunction, goes on with that
        # phrase: "تنظيم داعش الإرهابي"، "ميليشيات الحوثيين"، "إدارة الأمن العام"
        follows = s == prev_end + 1 and text[s] not in "وف"
        prev_end = e
        if follows:
            if last is not None:
                sp = view.span(s, e)
                last.text, last.end = article.text[last.start:sp.end], sp.end
                last.entity = last.entity or _entity(article, view, sp)
            continue
        last = None
        # inside a counted phrase, or right after one as its adjective ("ثمانية مسلحين حوثيين")
        if any(vs <= s <= ve + 1 or s <= vs < e for vs, ve, _ in victims) or REPORTER.match(text, s) \
                or ACT_ADJECTIVE.fullmatch(text, s, e) and ACT_NOUN_BEFORE.search(text, max(lo, s - 12), s):
            continue
        before = text[max(lo, s - 30):s]     # what precedes the phrase, its conjunction aside
        sp = view.span(s + _conjunction(text[s:e]), e)
        if _inside_place_name(article, view, sp):
            continue
        p = last = Participant(article.text[sp.start:sp.end], side, _entity(article, view, sp), sp.start, sp.end)
        if COUNTED.search(before) or _number_word_before(before):
            targets.append(p)       # "نحو 230 مدنيا": counted people are what the act was done to
        elif PASSIVE_ACTOR.search(before):
            actors.append(p)
        elif TARGET_MARKER.search(before) or s > trigger and re.search(r"(?:^|\s)لل?\S*$", text[max(lo, s - 3):s + 2][:3]):
            targets.append(p)
        elif s < trigger or s - trigger < 40:
            actors.append(p)
        else:
            targets.append(p)
    return _dedupe(actors), _dedupe(targets)


def _number_word_before(before: str) -> bool:
    words = before.split()
    return bool(words) and words[-1].lstrip("و") in number_words()


def _clause(text: str, a: int, b: int, trigger: int) -> tuple[int, int]:
    """The part of the sentence around the trigger: up to a clause break ("، في وقت"، "بينما")."""
    lo, hi = a, b
    for m in CLAUSE_BREAK.finditer(text, a, b):
        if m.end() <= trigger:
            lo = m.end()
        elif m.start() > trigger:
            hi = m.start()
            break
    return lo, hi


def _dedupe(ps: list[Participant]) -> list[Participant]:
    out, seen = [], set()
    for p in ps:
        k = (normalize(p.text), p.side)
        if k not in seen:
            seen.add(k)
            out.append(p)
    return out[:MAX_PARTICIPANTS]


def _conjunction(phrase: str) -> int:
    """How many letters open the phrase that are no part of the actor: the conjunction و/ف
    (والجيش الوطني، وقوات الجيش) and then a preposition ب/ل/ك before the article or a name
    the lexicons know (بالنظام → النظام، لحزب العمال الكردستاني → حزب العمال الكردستاني);
    0 where the letter belongs to the word (فصائل، وحدات، لواء). "للجيش" keeps its ل: the
    article's alif is not written, and a span is the text's own letters."""
    n = 0
    if phrase[:1] in ("و", "ف") and _bare(phrase[1:]):
        n = 1
    if phrase[n:n + 1] in ("ب", "ل", "ك") and not phrase[n + 1:].startswith("ل") and _bare(phrase[n + 1:]):
        n += 1
    return n


def _bare(rest: str) -> bool:
    """Whether ``rest``, a phrase without its first letter, is an actor phrase of its own."""
    return len(rest) >= 4 and (rest.startswith("ال") or side_of(rest) is not None or rest in _actor_dict()[0])


def _mentions(article: Article, view: NormText) -> SpanIndex:
    """Every (entity, mention) of the article, indexed by offset, entities in their order.

    Asked once per participant phrase: a scan of all mentions each time was quadratic on
    a long article (issue 18: 5 s of 18 on 50,000 words). Built once per view (the events
    stage makes one per article, after the entity stages have run) and entity list."""
    cached = view.__dict__.get("_mention_index")
    if cached is None or cached[0] is not article.entities or cached[1] != len(article.entities):
        pairs = [(ent, m) for ent in article.entities for m in ent.mentions]
        cached = view.__dict__["_mention_index"] = (
            article.entities, len(article.entities),
            SpanIndex(pairs, start=lambda p: p[1].start, end=lambda p: p[1].end))
    return cached[2]


def _inside_place_name(article: Article, view: NormText, sp) -> bool:
    """Whether the phrase is a word of a longer place name: قاعدة (al-Qaeda) in قاعدة العند
    (the al-Anad air base). A place named alone (شنت إسرائيل غارات) can still act."""
    return any(ent.type in ("GPE", "LOC", "FAC") and m.start <= sp.start and sp.end <= m.end
               and (m.end - m.start) > (sp.end - sp.start)
               for ent, m in _mentions(article, view).overlapping(sp.start, sp.end))


def _entity(article: Article, view: NormText, sp) -> str | None:
    for ent, m in _mentions(article, view).overlapping(sp.start, sp.end):
        # a nationality is the participant only as the phrase's head (الاكراد), not
        # where it qualifies it (الطيران الحربي السوري، بالجيش العراقي)
        if ent.type == "NORP" and any(c.isspace() for c in article.text[sp.start:m.start]):
            continue
        return ent.id
    return None
