"""Placing events: of the places a trigger's clause names, the incident's own and the finest.

The events stage proposes the candidate (``stages/events.py`` ``place_of``: the first place
after the trigger, or the last one just before it); this module refines it where the text
names the incident's place and then the place that holds it: "وفي مدينة المخا التابعة
لمحافظة تعز، شن طيران التحالف غارات" is at al-Mokha, not in Taizz province
(docs/annotation.md: "a village over its district, a district over its governorate").
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from ..arabic import alternation, clitic_prefix
from . import fallback, unlisted
from ..gazetteer import PRECISION_RANK
from ..resources import data_lists, data_path, read_model

__all__ = ["front", "held_place", "candidates", "choose"]

_W = data_lists("events/place_links.tsv")
# "X التابعة لمحافظة Y"، "X بمحافظة Y"، "X في Y"، "X، Y": nothing but a link between the two.
HOLDER_GAP = re.compile(r"^[\s،,]*(?:(?:" + alternation(_W["link"]) + r")\s*)?(?:(?:" + alternation(_W["noun"])
                        + r")\s*)?[\s،,]*$")
# "جبهة الجفينة": a front at a town or district.
FRONT = re.compile(r"(?<![\w])" + clitic_prefix("وفب") + r"(?:" + alternation(_W["front"]) + r")[\s\"«]*$")
FRONT_PRECISIONS = ("point", "town", "district")
# Coarse places that hold a finer one: a province, a region, a country.
COARSE = ("admin1", "region", "country")


def _rank(p) -> int:
    return PRECISION_RANK.get(p.precision, 3)


def held_place(text: str, places, i: int) -> int:
    """Index into ``places`` [(start, end, Place)] of the incident's place when the text names
    ``places[i]`` as the holder of the place just before it; else ``i``."""
    while i > 0:
        s, _, p = places[i]
        ps, pe, prev = places[i - 1]
        if p.precision not in COARSE or prev.lat is None or _rank(prev) >= _rank(p):
            break
        if prev.country and p.country and prev.country != p.country:
            break
        if not HOLDER_GAP.match(text[pe:s]):
            break
        i -= 1
    return i


def front(text_before: str, place) -> bool:
    """The place is named as a battle front ("في جبهة الجفينة"), not as an armed group's name."""
    return place.precision in FRONT_PRECISIONS and bool(FRONT.search(text_before))


# --- place choice: a learned ranker over the places around an event (issue 14) -------------
#
# The rules above (and ``place_of`` in the stage) pick one place per mention; on the corpus
# train split the incident's place was often another place of the same sentences: a town the
# rules passed over for its governorate or country, or a place that is no incident's place
# at all (the monitor's base, a capital in "an alliance led by …", "the Kingdom"). The ranker
# scores every place named around the event (its sentences, their neighbours, the headline)
# with a logistic regression trained on the corpus train split's gold places
# (scripts/train_placing.py; docs/events.md, "Place choice") and keeps the best.

_F = data_lists("events/place_features.tsv")


def _word_set(name: str) -> frozenset[str]:
    return frozenset(_F[name])


_IN, _NEAR, _ON, _FROM, _TO = (_word_set(k) for k in ("in", "near", "on", "from", "to"))
_NOUN, _REPORT, _ORG, _STATE = (_word_set(k) for k in ("noun", "report", "org", "state"))
_DIR = re.compile(r"^(?:ال)?(?:" + "|".join(_F["dir"]) + r")")
# Two-word cues ("بالقرب من"، "ولي عهد") are matched on the words joined.
_NEAR2 = frozenset(w for w in _NEAR if " " in w)
_ORG2 = frozenset(w for w in _ORG if " " in w)

# How far back a reporter or a name's head may stand and still govern the place (words):
# "قال المرصد السوري لحقوق الانسان ومقره لندن" puts the base four words after المرصد.
REPORT_WORDS = 6
ORG_WORDS = 2
# Neighbouring sentences searched for the incident's place (a town named in the sentence
# before: "في منطقة الجفينة جنوب غرب مأرب. وقتل …").
NEIGHBOURS = 1
# Token distances are capped here: a place farther from the trigger is simply far.
FAR_TOKENS = 60

FEATURES = (
    "rule", "sent_trigger", "sent_event", "sent_next", "sent_prev", "headline", "headline_only",
    "log_tokens", "after_trigger", "first_after", "last_before",
    "prep_in", "prep_bi", "prep_near", "prep_dir", "prep_on", "prep_from", "prep_to", "noun_before",
    "report_before", "org_before", "state_name",
    "p_point", "p_town", "p_admin1", "p_region", "p_country", "unresolved",
    "dom_country", "dom_admin1", "foreign", "log_count",
    "finer_inside", "inside_other", "inside_rule", "holds_rule", "dateline",
    "dir_ref", "then_dir", "quoted", "town_in_trigger", "coarse_in_trigger", "rule_unresolved",
    "named", "facility", "contrast_between", "short_name",
    "unlisted", "unlisted_held", "unlisted_member",
)


@dataclass
class Candidate:
    """One place named around an event: its nearest mention and the ranker's features."""

    place: object                  # core.Place; ``place.evidence`` is the nearest mention
    features: dict[str, float]
    score: float = 0.0
    start: int = -1                # the nearest mention in the view, and its sentence
    end: int = -1
    sent: int = -1
    holder: object = None          # a place the gazetteer lacks: the place the text names as its holder


def _strip(w: str) -> str:
    """A word without the proclitics a preposition or noun may carry (و ف ب ل, then ال)."""
    while len(w) > 3 and w[0] in "وف":
        w = w[1:]
    return w


def _contains(outer, inner) -> bool:
    """``outer`` holds ``inner``: a country its places, a province its towns."""
    if outer is inner or not outer.country or outer.country != inner.country or _rank(outer) <= _rank(inner):
        return False
    if outer.precision in ("country",):
        return True
    return outer.precision == "admin1" and bool(outer.admin1) and outer.admin1 == inner.admin1


def _before_features(text: str, s: int, sent_start: int) -> dict[str, float]:
    """Features of the words just before a place mention starting at view offset ``s``."""
    f: dict[str, float] = {}
    left = text[max(sent_start, s - 80):s]
    words = left.split()
    attached = left[-1:] if left and not left[-1].isspace() else ""
    if attached in ("ب", "ل"):
        f["prep_bi" if attached == "ب" else "prep_to"] = 1.0
    k = len(words) - (1 if attached else 0)
    head = words[k - 1] if k >= 1 else ""
    if _strip(head).lstrip("بل") in _NOUN or _strip(head) in _NOUN:
        f["noun_before"] = 1.0
        if _strip(head)[:1] == "ب":
            f["prep_bi"] = 1.0
        k -= 1
    prev = _strip(words[k - 1]) if k >= 1 else ""
    two = " ".join(words[max(0, k - 2):k])
    if prev in _IN:
        f["prep_in"] = 1.0
    if prev in _NEAR or any(two.endswith(w) for w in _NEAR2):
        f["prep_near"] = 1.0
    if prev and _DIR.match(prev.lstrip("ب")):
        f["prep_dir"] = 1.0
    if prev in _ON:
        f["prep_on"] = 1.0
    if prev in _FROM:
        f["prep_from"] = 1.0
    if prev in _TO:
        f["prep_to"] = 1.0
    near_words = [_strip(w) for w in words[-REPORT_WORDS:]]
    if any(w in _REPORT for w in near_words):
        f["report_before"] = 1.0
    org_words = [_strip(w) for w in words[-ORG_WORDS:]]
    if any(w.lstrip("ل") in _ORG or w in _ORG for w in org_words) or any(
            " ".join(words[-ORG_WORDS - 1:]).find(w) >= 0 for w in _ORG2):
        f["org_before"] = 1.0
    return f


_STOP = frozenset(data_lists("events/place_phrases.tsv")["function"]) | frozenset(_F["not_name"])
_FACILITY = re.compile(r"(?<![\w])" + clitic_prefix("وفبل") + r"(?:" + "|".join(_F["facility"]) + r")(?=\s)")
_NAME_WORD = re.compile(r"\s+«?([\u0621-\u064a]{2,})»?")
# "معسكر يسيطر عليه الحوثيون": a present verb after the noun opens a relative clause, not a name.
_PRESENT_VERB = re.compile(r"[يت][\u0621-\u064a]{3,4}")
_RESUMPTIVE = frozenset(_F["resumptive"])


def _relative(text: str, w, b: int) -> bool:
    nxt = _NAME_WORD.match(text, w.end(), b)
    return bool(_PRESENT_VERB.fullmatch(w.group(1)) and nxt and nxt.group(1) in _RESUMPTIVE)
# A facility's name: its noun and up to this many words ("معسكر لبوزة الاستراتيجي").
FACILITY_WORDS = 2


def facilities(ctx, a: int, b: int, taken) -> list:
    """(view start, view end, Place) of facility phrases in view[a:b] that overlap no place
    mention: "معسكر المنار"، "وادي عقان". Unresolved: null coordinates, precision point."""
    from ..core import Place
    text = ctx.view.text
    out = []
    for m in _FACILITY.finditer(text, a, b):
        s = m.start()
        if text[s] in "وفبل" and not text.startswith(("ال",), s):
            s += 1      # the clitic is not part of the name
        end, n, pos = m.end(), 0, m.end()
        while n < FACILITY_WORDS:
            w = _NAME_WORD.match(text, pos, b)
            if not w or w.group(1) in _STOP or any(ts <= w.start(1) < te for ts, te in taken) \
                    or not n and (fallback.not_name(w.group(1)) or _relative(text, w, b)
                                  or w.group(1).startswith("لل")):
                break   # "معسكر للحوثيين": ل + the article opens "a camp of the Houthis", not a name
            if n and w.group(1)[0] in "وب" and not w.group(1).startswith("ال"):
                break   # "معسكر لبوزة وآخر": the next word opens a new phrase
            end, pos, n = w.end(1), w.end(), n + 1
        if not n or any(s < te and ts < end for ts, te in taken):
            continue
        nxt = _NAME_WORD.match(text, pos, b)
        if nxt and any(ts == nxt.start(1) for ts, _ in taken):
            continue    # "مسجد قوة طوارئ عسير": the place ends the facility's name, and stands for it
        sp = ctx.view.span(s, end)
        out.append((s, end, Place(name=ctx.article.text[sp.start:sp.end], lat=None, lon=None,
                                  precision="point", evidence=sp)))
    return out


# A name this short that the gazetteer resolved is often a common word ("أمن" security, "علم"
# flag), three letters after the article is dropped.
SHORT_NAME = 3


def _contrast():
    from ..stages.events import CONTRAST
    return CONTRAST


def candidates(ctx, d, sents: list[int], rule) -> list[Candidate]:
    """The places named around draft ``d``: in its sentences, their neighbours and the
    headline, each once (by name) with the features of its nearest mention.

    ``ctx`` is the events stage's article context (view, sentence bounds, place mentions);
    ``rule`` the place the rules chose (it may come from farther back).
    """
    from .merge import place_key
    text = ctx.view.text
    bounds = ctx.bounds
    places = ctx._places
    title = ctx.title_sents
    trigs = [(m.sent, min([h.start for h in m.hits] + [h.start for h in m.folded])) for m in d.mentions]
    own = set(sents)
    pool_sents = set(own) | set(title)
    for si in own:
        for k in range(1, NEIGHBOURS + 1):
            pool_sents.update((si - k, si + k))
    pool_sents = {si for si in pool_sents if 0 <= si < len(bounds)}
    counts: dict[str, int] = {}
    countries: dict[str, int] = {}
    admin1s: dict[tuple, int] = {}
    for _, _, p in places:
        key = place_key(p)
        counts[key] = counts.get(key, 0) + 1
        if p.country:
            countries[p.country] = countries.get(p.country, 0) + 1
        if p.admin1 and p.precision != "country":
            admin1s[(p.country, p.admin1)] = admin1s.get((p.country, p.admin1), 0) + 1
    dom_country = max(countries, key=countries.get) if countries else None
    dom_admin1 = max(admin1s, key=admin1s.get) if admin1s else None
    body = [si for si in range(len(bounds)) if si not in title]
    dateline_end = bounds[body[0]][0] + 40 if body else -1
    rule_key = place_key(rule) if rule is not None else None
    # the places the rules read off each mention's clause (``place_of``), of which they keep the finest
    named = {place_key(p) for p in (ctx.place_of(m) for m in d.mentions) if p is not None}

    groups: dict[str, list] = {}
    for si in sorted(pool_sents):
        for s, e, p in ctx._places_in(*bounds[si]):
            groups.setdefault(place_key(p), []).append((s, e, p, si))
    fac_keys = set()
    for si in sorted(pool_sents):
        a, b = bounds[si]
        taken = [(s, e) for s, e, _ in ctx._places_in(a, b)]
        for s, e, p in facilities(ctx, a, b, taken):
            key = place_key(p)
            if key not in groups:
                fac_keys.add(key)
            groups.setdefault(key, []).append((s, e, p, si))
    # places the gazetteer lacks: camps, posts, list members, names held by a known place
    # (events/unlisted.py, session 6)
    unl: dict[str, object] = {}
    if unlisted.USE:
        for si in sorted(pool_sents):
            a, b = bounds[si]
            taken = [(t[0], t[1]) for g in groups.values() for t in g if t[3] == si]
            for u in unlisted.find(ctx, a, b, taken):
                key = place_key(u.place)
                if key not in groups:
                    unl[key] = u
                    groups[key] = []
                if key in unl:
                    groups[key].append((u.start, u.end, u.place, si))
    if rule is not None and rule_key not in groups:
        # the rules' place from farther back (the sentence before, an anaphor's antecedent)
        for s, e, p in places:
            if p is rule:
                groups[rule_key] = [(s, e, p, ctx.sent_of(s))]
    # the triggers by sentence, and every candidate's start by sentence, looked up by bisection: a
    # draft of thousands of repeated mentions (fuzz campaign) must not cost their square
    trig_sents = sorted({ts for ts, _ in trigs})
    trig_at: dict[int, list[int]] = {}
    for ts, tp in trigs:
        trig_at.setdefault(ts, []).append(tp)
    for v in trig_at.values():
        v.sort()
    starts_at: dict[int, list[int]] = {}
    for g in groups.values():
        for t in g:
            starts_at.setdefault(t[3], []).append(t[0])
    for v in starts_at.values():
        v.sort()

    def nearest_sents(si: int) -> list[int]:
        # the trigger sentences nearest ``si`` (one, or two at the same distance), earlier first
        i = bisect_left(trig_sents, si)
        near = [trig_sents[j] for j in (i - 1, i) if 0 <= j < len(trig_sents)]
        d = min(abs(si - ts) for ts in near)
        return [ts for ts in near if abs(si - ts) == d]

    def nearest_pos(tps: list[int], s: int) -> int:
        # the trigger position nearest ``s`` (the earlier of two at the same distance)
        i = bisect_left(tps, s)
        near = [tps[j] for j in (i - 1, i) if 0 <= j < len(tps)]
        return min(near, key=lambda x: (abs(x - s), x))

    def nearness(t):
        # (sentences away, characters away) from the nearest trigger
        s, e, p, si = t
        return min((abs(si - ts), abs(s - nearest_pos(trig_at[ts], s))) for ts in nearest_sents(si))

    out = []
    for key, ms in groups.items():
        s, e, p, si = min(ms, key=nearness)
        f: dict[str, float] = {}
        f["rule"] = float(key == rule_key)
        if key in named:
            f["named"] = 1.0
        if key in fac_keys:
            f["facility"] = 1.0
        u = unl.get(key)
        if u is not None:
            f["unlisted"] = 1.0
            if u.holder is not None:
                f["unlisted_held"] = 1.0
            if u.cue == "member":
                f["unlisted_member"] = 1.0
        sent_d = min(si - ts for ts in nearest_sents(si))
        if si in trig_at:
            f["sent_trigger"] = 1.0
        if any(t[3] in own for t in ms):
            f["sent_event"] = 1.0
        if sent_d == 1:
            f["sent_next"] = 1.0
        elif sent_d == -1:
            f["sent_prev"] = 1.0
        if any(t[3] in title for t in ms):
            f["headline"] = 1.0
            if all(t[3] in title for t in ms):
                f["headline_only"] = 1.0
        same = si in trig_at
        if same:
            tp = nearest_pos(trig_at[si], s)
            lo, hi = (tp, s) if tp < s else (e, tp)
            f["log_tokens"] = math.log1p(min(FAR_TOKENS, len(text[lo:hi].split())))
            starts = starts_at[si]
            i = bisect_left(starts, tp)
            if s >= tp:
                f["after_trigger"] = 1.0
                if i < len(starts) and starts[i] == s:          # the first start at or after the trigger
                    f["first_after"] = 1.0
            elif i > 0 and starts[i - 1] == s:                  # the last start before it
                f["last_before"] = 1.0
        else:
            f["log_tokens"] = math.log1p(FAR_TOKENS)
        f.update(_before_features(text, s, bounds[si][0]))
        if same:
            # "سيطرت على منطقة الفاو …، فيما دمرت قوات التحالف مخزنا في مديرية يريم": a place past
            # a contrastive clause is that clause's (the stage's CONTRAST)
            lo, hi = sorted((tp, s))
            if _contrast().search(text, lo, hi):
                f["contrast_between"] = 1.0
        if len(key.replace(" ", "")) <= SHORT_NAME:
            f["short_name"] = 1.0
        # "الى الشمال من عدن"، "شمالي بغداد": a reference point; "في منطقة سبع البور، شمالي
        # بغداد": the place named before the direction is the incident's
        if any(_DIR.match(_strip(w)) for w in text[max(bounds[si][0], s - 30):s].split()[-3:]):
            f["dir_ref"] = 1.0
        nxt = text[e:e + 30].split()[:3]
        if any(_DIR.match(_strip(w).lstrip("ب")) for w in nxt[:2]):
            f["then_dir"] = 1.0
        if text[max(0, s - 1):s] in "«\"" and s > 0 or text[e:e + 1] in ("»", '"'):
            f["quoted"] = 1.0
        if key in _STATE or key in {place_key_text(w) for w in _STATE}:
            f["state_name"] = 1.0
        prec = p.precision if p.precision in ("point", "town", "admin1", "region", "country") else \
            ("town" if p.precision == "district" else "town")
        f["p_" + prec] = 1.0
        if p.lat is None:
            f["unresolved"] = 1.0
        if p.country and p.country == dom_country:
            f["dom_country"] = 1.0
        elif p.country:
            f["foreign"] = 1.0
        if dom_admin1 and (p.country, p.admin1) == dom_admin1 and p.precision != "country":
            f["dom_admin1"] = 1.0
        f["log_count"] = math.log1p(counts.get(key, 0))
        if s < dateline_end and body and si == body[0]:
            f["dateline"] = 1.0
        if f.get("sent_trigger"):
            f["town_in_trigger" if prec in ("point", "town") else "coarse_in_trigger"] = 1.0
        if f["rule"] and p.lat is None:
            f["rule_unresolved"] = 1.0
        out.append(Candidate(p, f, start=s, end=e, sent=si, holder=u.holder if u is not None else None))
    # nesting, once every candidate is known
    own_cands = [c for c in out if c.features.get("sent_event")]
    for c in out:
        if any(_contains(c.place, o.place) for o in own_cands):
            c.features["finer_inside"] = 1.0
        if any(_contains(o.place, c.place) for o in out):
            c.features["inside_other"] = 1.0
        if rule is not None and _contains(rule, c.place):
            c.features["inside_rule"] = 1.0
        if rule is not None and _contains(c.place, rule):
            c.features["holds_rule"] = 1.0
    return out


def place_key_text(name: str) -> str:
    from .merge import place_key
    from ..core import Place
    return place_key(Place(name=name, lat=None, lon=None, precision="town"))


MODEL_FILE = "events/place_model.json.gz"
# On since session 5's second pass: with the rules' place kept unless beaten by the model's
# ``keep_rule`` (0.2, chosen on train CV) and a finer place lent its holder's coordinates
# (``BORROW``), the ranker raises train CV and corpus dev incident F1 without lowering
# ../shared/eval/dev, eval/heldout or eval/heldout2 (docs/events.md, "Place choice").
USE_MODEL = True


@lru_cache(maxsize=1)
def model() -> dict | None:
    path = data_path(MODEL_FILE)
    return read_model(path) if path.exists() else None


def score_candidates(cands: list[Candidate], m: dict) -> None:
    """Each candidate's share of the event (a softmax over the event's candidates of the
    model's linear scores: the ranker is a conditional logit)."""
    w = dict(zip(m["features"], m["weights"]))
    zs = [sum(w.get(k, 0.0) * v for k, v in c.features.items()) for c in cands]
    top = max(zs)
    es = [math.exp(z - top) for z in zs]
    total = sum(es)
    for c, e in zip(cands, es):
        c.score = e / total


def pick(cands: list[Candidate], margin: float, keep_rule: float = 0.0):
    """The best-scored candidate; where the ranker is unsure (the runner-up within ``margin``)
    and one of the two holds the other, the finer: a town inside the governorate chosen.
    The rules' place stays unless another beats it by more than ``keep_rule``."""
    if not cands:
        return None
    ranked = sorted(cands, key=lambda c: -c.score)
    best = ranked[0]
    rule = next((c for c in cands if c.features.get("rule")), None)
    if rule is not None and best.score - rule.score <= keep_rule:
        best = rule
    for other in ranked[1:]:
        if best.score - other.score > margin:
            break
        if _contains(best.place, other.place):
            best = other
    return best


def choose(ctx, d, sents: list[int], rule, m: dict | None = None):
    """The event's place: the ranker's choice among the places named around it (``rule``
    when no model is shipped or switched on, or when nothing is named around it)."""
    m = m if m is not None else (model() if USE_MODEL else None)
    if m is None:
        return rule
    cands = candidates(ctx, d, sents, rule)
    if not cands:
        return rule
    score_candidates(cands, m)
    best = pick(cands, m.get("margin", 0.0), m.get("keep_rule", 0.0))
    # the rules' own place keeps the mention the rules read it from
    place = rule if best.features.get("rule") and rule is not None else best.place
    return located(ctx.view.text, best, cands, place) if BORROW else place


# --- coordinates for a finer place the gazetteer does not know --------------------------------
#
# The ranker often keeps the place the corpus guidelines ask for, a camp or neighbourhood the
# gazetteer lacks ("حي الشهباء الجديدة في حلب"), where the rules had kept حلب with its
# coordinates: a record without coordinates loses the scorers' radius match and any map. The
# finer place keeps its name and evidence and takes the coordinates of the resolved place
# that holds it, with the holder's precision: the record never claims more precision than the
# coordinates have (docs/events.md, "Place choice").
BORROW = True


def _holder(text: str, best: Candidate, cands: list[Candidate]) -> Candidate | None:
    """The resolved candidate that most likely holds ``best``: the place the text names as
    its holder right after it ("حي X في حلب"، "معسكر المنار بمحافظة صنعاء"); else the rules'
    place; else the nearest resolved place of its sentence. None: no place is coarse enough."""
    def coarse(c: Candidate) -> bool:
        return c is not best and c.place.lat is not None and _rank(c.place) >= _rank(best.place)
    after = [c for c in cands if coarse(c) and c.sent == best.sent and c.start >= best.end]
    for c in sorted(after, key=lambda c: c.start):
        if HOLDER_GAP.match(text[best.end:c.start]):
            return c
    rule = next((c for c in cands if c.features.get("rule") and coarse(c)), None)
    if rule is not None:
        return rule
    same = [c for c in cands if coarse(c) and c.sent == best.sent]
    return min(same, key=lambda c: min(abs(c.start - best.end), abs(best.start - c.end)), default=None)


def located(text: str, best: Candidate, cands: list[Candidate], place=None):
    """``place`` (default ``best.place``), with the coordinates, country and precision of
    ``best``'s holder when it has no coordinates."""
    place = place if place is not None else best.place
    if place.lat is not None:
        return place
    if best.holder is not None and best.holder.lat is not None and place is best.place:
        # the holder the text names right after a place the gazetteer lacks ("في كرش بمحافظة لحج")
        h = best.holder
        return replace(place, lat=h.lat, lon=h.lon, precision=h.precision,
                       country=place.country or h.country, admin1=place.admin1 or h.admin1)
    h = _holder(text, best, cands)
    if h is None:
        return place
    return replace(place, lat=h.place.lat, lon=h.place.lon, precision=h.place.precision,
                   country=place.country or h.place.country, admin1=place.admin1 or h.place.admin1)
