"""Place candidates the gazetteer lacks: camps, border posts, valleys, villages (issue 14, session 6).

The place ranker (``events/placing.py``) chooses an event's place among the places named
around it; on the corpus train split 62 missed events had no right place among them, because
the gazetteer does not know the place and no place phrase gave it (docs/events.md, "Places
the gazetteer lacks"). Three cues, each generalisable and each read off the text alone:

- a place noun in construct with a name: "تعرض مركز المسيال"، "قطاع الطوال"، "وادي عقان"،
  'منطقة "سلطان بيلي"'، "منطقة آل حميقان" (``head`` rows of ``data/events/unlisted.tsv``);
- the later members of a list after a place noun: "منطقتي الوهط وصبر"، "قرى سهرة والحيمة
  والتعزية"، "منطقة رأس عيسى والصليف";
- a bare name after a locative preposition that the text places inside a known place right
  after it: "في كرش بمحافظة لحج"، "في لافايت بولاية لويزيانا"، "في هاكورك شمال العراق".

Every candidate is a ``core.Place`` with its evidence span, null coordinates (never invented),
the precision its noun names, and, where the text names its holder right after it, the
holder's country and admin1 (``holder`` is the holder's place). Only the ranker reads them: they
never join the stage's place mentions, so merging and the per-place split of lists are as
before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..arabic import alternation, clitic_prefix
from ..core import Place
from ..resources import data_lists, data_rows
from . import fallback

__all__ = ["USE", "Unlisted", "find"]

# Offered to the ranker (docs/events.md, "Places the gazetteer lacks": adopted by the decision
# rule written there before measuring).
USE = True

_ROWS = data_rows("events/unlisted.tsv")
_HEADS = {r[1]: (r[2], r[3] == "yes", r[0] == "plural") for r in _ROWS if r[0] in ("head", "plural")}
_LISTS = {k: frozenset(r[1] for r in _ROWS if r[0] == k) for k in ("compound", "prep", "gap", "link", "not_name")}
_PHRASES = data_lists("events/place_phrases.tsv")
_LINKS = data_lists("events/place_links.tsv")
# Words that end a name: function words, directions, time words, generic nouns (the stage's
# place phrase lists), and this module's own.
_STOP = (frozenset(_PHRASES["function"]) | frozenset(_PHRASES["direction"]) | frozenset(_PHRASES["time"])
         | frozenset(_PHRASES["direction_adjective"]) | _LISTS["not_name"] | _LISTS["gap"])
# Common nouns after في that a holder may follow ("في عمق صعدة"، "في محافظتي عدن ولحج").
_HELD_STOP = frozenset(r[1] for r in _ROWS if r[0] == "held_not_name")
# "في معارك بالأنبار"، "حاجز لوحدات حماية الشعب": a feminine plural is no village.
_FEMININE_PLURAL = "ات"
# A noun with a possessive pronoun is no name: "مركز هجومهم"، "في معاقلها".
_POSSESSIVE = ("هم", "هما", "ها")
# Head letters written with hamza in the original: "وأدى" (and led to) folds to "وادي" (valley).
_HAMZA_VERB = ("أ",)
# Heads whose name must be definite ("مواقع الطلح ومران", never "مواقع معروفة").
_DEFINITE_ONLY = frozenset(r[1] for r in _ROWS if r[0] == "definite_only")
_COMPOUND = _LISTS["compound"] | frozenset(r[0] for r in data_rows("events/place_name_heads.tsv"))

_HEAD = re.compile(r"(?<![\w])" + clitic_prefix("وفبل") + r"(?P<head>"
                   + alternation(sorted(_HEADS, key=len, reverse=True)) + r")(?=\s)")
_WORD = re.compile(r"\s+([\u0621-\u064a]{2,})(?![\w])")
# A name in quotes or brackets after a place noun: up to four words ('منطقة "سلطان بيلي"').
_QUOTED = re.compile(r"\s*[«\"(]\s*((?:[\u0621-\u064a0-9]+\s*){1,4}?)\s*[»\")]")
# A list member after the name: "، و" or "و" and a word ("الوهط وصبر"، "سهرة والحيمة").
_MEMBER = re.compile(r"\s*،?\s*و([\u0621-\u064a]{3,})(?![\w])")
# What joins a name to the place that holds it, right after it: a link (في، ب، التابعة ل), a
# direction or the centre, and a place noun, in that order ("بمحافظة"، "في وسط"، "شمال").
_GAP = re.compile(r"[\s،,»\")]*(?:" + alternation(_LISTS["link"]) + r"\s*)?(?:" + alternation(sorted(_LISTS["gap"]))
                  + r"\s+)?(?:" + alternation(_LINKS["noun"]) + r"\s*)?[\s،,]*")
# A bare name after a locative preposition, ending where its holder's link starts.
_PREP = re.compile(r"(?<![\w])" + alternation(sorted(_LISTS["prep"])) + r"(?=\s)")
# Members a list may have after its first name: "مواقع الطلح ومران ونقعة والمعايين" has four.
MAX_MEMBERS = 5
# Words a name may have after its head: "محطة تشرين الحرارية"، "قيادة اللواء 17".
NAME_WORDS = 3
# One level finer than its holder, for a bare name the text puts inside a known place: a name
# "in" a province is a town or district, "in" a town a quarter or a point.
FINER = {"country": "town", "region": "town", "admin1": "town", "district": "town", "town": "point", "point": "point"}


@dataclass
class Unlisted:
    """A candidate (view start, view end, place) and the cue that found it."""

    start: int
    end: int
    place: Place
    cue: str                        # "head" | "member" | "held"
    holder: Place | None = None     # the resolved place the text names as holding it, right after it


# Place nouns are no names ("في محافظتي البيضاء وإب"، "مركز محافظة"), nor are the nouns of
# people in the plural ("على المتمردين في"، "المدنيين"): the nisba plural ends in ـيين.
_PLACE_NOUNS = (frozenset(_HEADS) | frozenset(_LINKS["noun"]) | frozenset(r[0] for r in data_rows("events/place_types.tsv"))
                | frozenset(_PHRASES["generic"]))
# (the sound plural, "المتمردين"، "المسلحين"، "الحوثيين": a definite word of five letters or more
# after the article ending in ـين; short ones are towns: "جنين"، "الحسين").
_PEOPLE_PLURAL = "ين"
# An indefinite accusative ("جسورا"، "كمينا") is an object, never a name in a list.
_ACCUSATIVE = "ا"
# The relative adjective (nisba) ends a name after its first word: "الحدودي"، "الجويه".
_NISBA = ("ي", "يه")


def _stop(word: str) -> bool:
    # "مواقع وتجمعات": a word with the conjunction opens the next phrase (but "وادي" is a valley)
    bare = word[2:] if word.startswith("ال") else word
    if word[0] in "بلف" and word[1:] in _STOP:
        return True     # "قاعدة بجنوب تركيا": a preposition and a direction, no name
    return word in _STOP or word in _PLACE_NOUNS or bare in _PLACE_NOUNS or fallback.not_name(word) \
        or word.startswith("لل") or word[0] == "و" and not word.startswith("واد") \
        or word.startswith("ال") and len(word) > 6 and word.endswith(_PEOPLE_PLURAL) \
        or word.endswith(_ACCUSATIVE)


def _name_end(text: str, pos: int, b: int, taken, held: bool = False) -> int:
    """End of a bare name starting with the word at ``pos`` (its leading spaces included), or
    ``pos`` when no name starts there. ``held``: a name after a bare preposition, where common
    nouns abound ("في معارك بالأنبار"، "في إحدى الشقق بجازان"): one word, or a compound's two,
    and no plural or common noun (``held_not_name``)."""
    w = _WORD.match(text, pos, b)
    if not w or _stop(w.group(1)) or _inside(w.start(1), taken) \
            or len(w.group(1)) < 3 and w.group(1) not in _COMPOUND:
        return pos
    end, n, first = w.end(1), 1, w.group(1)
    if first.endswith(_FEMININE_PLURAL) and len(first) > 4 or first.endswith(_POSSESSIVE) \
            or not first.startswith("ال") and first.endswith(_NISBA) and len(first) > 3 and first not in _COMPOUND:
        return pos      # "حاجز لوحدات"، "مركز هجومهم"، "مركز ثقافي"، "بلدات موالية": no name
    if held and first in _HELD_STOP:
        return pos
    while n < (2 if held and first in _COMPOUND else 1 if held else NAME_WORDS):
        nxt = _WORD.match(text, end, b)
        if not nxt or _stop(nxt.group(1)) or _inside(nxt.start(1), taken):
            break
        word = nxt.group(1)
        # "خور المكسر"، "آل حميقان": a compound's head takes the next word; otherwise only a
        # definite word goes on with the name ("محطة تشرين الحرارية"), never "وصبر" (a list)
        if not (n == 1 and first in _COMPOUND) and (not word.startswith("ال") or word.endswith(_NISBA)):
            break       # nor a relative adjective: "مركز المسيال الحدودي"، "قاعدة انجرليك الجوية"
        end, n = nxt.end(1), n + 1
    nxt = _WORD.match(text, end, b)
    if nxt and _inside(nxt.start(1), taken):
        return pos      # "منطقة سهل الزبداني"، "قرية قصر البريج": the known place stands for the name
    return end


def _inside(pos: int, taken) -> bool:
    return any(s <= pos < e for s, e in taken)


def _holder(text: str, end: int, b: int, resolved, linked: bool = False) -> Place | None:
    """The resolved place the text names right after view offset ``end`` as the holder.
    ``linked``: only across a link, a direction or a comma ("كرش بمحافظة لحج"), never across a
    space alone: "قناة السويس"، "بلاد الشام"، "معركة قاعدة العند" are a noun of the place."""
    g = _GAP.match(text, end, b)
    stop = g.end() if g else end
    for s, e, p in resolved:
        if s > stop:
            break
        if s >= end and p.lat is not None and _GAP.fullmatch(text, end, s) \
                and len(text[end:s].split()) <= HOLDER_GAP_WORDS and not (linked and not _LINKED.search(text, end, s)):
            return p
    return None


# What makes a held name's gap a link, not a construct ("في سماء مدينة تعز" is the sky of Taizz):
# a comma, a preposition of place (ب attached or في) or a direction.
_LINKED = re.compile(r"[،,]|(?<![\w])(?:" + alternation(sorted(_LISTS["link"] | _LISTS["gap"])) + r")")
# Words between a name and its holder: a link, a direction and a place noun at most.
HOLDER_GAP_WORDS = 3


def _place(ctx, s: int, e: int, precision: str, holder: Place | None) -> Place:
    sp = ctx.view.span(s, e)
    return Place(name=ctx.article.text[sp.start:sp.end], lat=None, lon=None, precision=precision,
                 country=holder.country if holder else None, admin1=holder.admin1 if holder else None,
                 evidence=sp)


def find(ctx, a: int, b: int, taken) -> list[Unlisted]:
    """Candidates in view[a:b] (one sentence of the events stage's view) that overlap none of
    ``taken`` [(start, end)]: the places and phrases the ranker has already."""
    text = ctx.view.text
    resolved = [t for t in ctx._places_in(a, b) if t[2].lat is not None]
    out: list[Unlisted] = []
    busy = list(taken)

    def add(s: int, e: int, precision: str, cue: str) -> None:
        if e <= s or any(s < te and ts < e for ts, te in busy):
            return
        h = _holder(text, e, b, resolved)
        out.append(Unlisted(s, e, _place(ctx, s, e, precision, h), cue, h))
        busy.append((s, e))

    for m in _HEAD.finditer(text, a, b):
        precision, building, plural = _HEADS[m.group("head")]
        hs = m.start("head")
        if ctx.view.original[ctx.view.span(hs, hs + 2).start + 1:][:1] in _HAMZA_VERB:
            continue    # "وأدى القصف إلى": the verb, written with hamza, not "وادي" (a valley)
        q = _QUOTED.match(text, m.end(), b)
        if q and q.group(1).strip():
            # the quoted name alone ("سلطان بيلي"), or with a building's noun ("معسكر (اللواء 15)")
            s, e = (hs, q.end()) if building else (q.start(1), q.start(1) + len(q.group(1).rstrip()))
            add(s, e, precision, "head")
            continue
        w = _WORD.match(text, m.end(), b)
        if not w or m.group("head") in _DEFINITE_ONLY and not w.group(1).startswith("ال"):
            continue      # "مواقع معروفة"، "مواقع لتنظيم داعش": not a list of places
        known = next((te for ts, te in taken if ts <= w.start(1) < te), None)
        if known is not None:
            end = known      # a place the ranker has already ("منطقتي الوهط" from the stage): its list
        else:
            end = _name_end(text, m.end(), b, busy)
            if end == m.end():
                continue
            add(hs if building else w.start(1), end, precision, "head")
        # the list after it: "منطقتي الوهط وصبر"؛ after a singular noun only definite members
        # ("منطقة رأس عيسى والصليف"), as "منطقة X وقتل" goes on with a verb
        pos, n = end, 0
        while n < MAX_MEMBERS:
            mm = _MEMBER.match(text, pos, b)
            if not mm or _stop(mm.group(1)) or not plural and not mm.group(1).startswith("ال") \
                    or _inside(mm.start(1), taken):
                break
            e = mm.end(1)
            nxt = _WORD.match(text, e, b) if mm.group(1) in _COMPOUND else None
            if nxt and not _stop(nxt.group(1)):
                e = nxt.end(1)      # "وعين عيسى": a compound member takes its next word
            add(mm.start(1), e, precision, "member")
            pos, n = e, n + 1
    for m in _PREP.finditer(text, a, b):
        end = _name_end(text, m.end(), b, busy, held=True)
        if end == m.end():
            continue
        h = _holder(text, end, b, resolved, linked=True)
        if h is None:
            continue
        w = _WORD.match(text, m.end(), b)
        if _entity_word(ctx, w.start(1), end):
            continue
        add(w.start(1), end, FINER.get(h.precision, "point"), "held")
    return out


def _entity_word(ctx, s: int, e: int) -> bool:
    """The name is a person, organisation or nationality the recogniser found ("في عبد الله")."""
    spans = getattr(ctx, "_unlisted_entities", None)
    if spans is None:
        spans = [(ctx.vpos(m.start), ctx.vpos(m.end)) for ent in ctx.article.entities
                 if ent.type in ("PER", "ORG", "NORP") for m in ent.mentions]
        ctx._unlisted_entities = spans
    return any(s < me and ms < e for ms, me in spans)
