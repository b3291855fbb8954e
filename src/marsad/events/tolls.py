"""Death and injury counts of one sentence, by side, and their sum over an event.

Casualty rules of shared/spec/OUTPUT.md: ``total`` is the sum of the numbers
given; a vague count (عدد لم يحدد، العشرات) is null and adds nothing. A
breakdown after بينهم/منهم/هم ("خمسة أطفال بينهم أربعة أشقاء") is a split of the
number before it, never an addition. Across the sentences of one event the
same group counted twice (headline, lead, body) counts once: the largest
figure of a group wins (a toll that rose from 10 to 12), and different groups
(29 Tuareg in one quote, 8 Tebu in another) add up.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ..arabic import NormText, alternation, clitic_prefix, normalize, word_regex
from ..core import NumberSpan, Span, Toll
from ..numbers import NUMBER_CLOSER
from ..resources import data_lists
from .lexicon import side_of

_W = data_lists("events/tolls.tsv")


def _alt(name: str) -> str:
    return alternation(_W[name])


DEATH_CUE = re.compile(word_regex(_W["death_cue"], "وفب", article=True))
INJURY_CUE = re.compile(word_regex(_W["injury_cue"], "وفب", article=True))
HIT_VERB = re.compile(clitic_prefix("وف") + _alt("hit_verb"))
# A number that comes before its verb: "ثمانية أفراد من القبيلة قتلوا".
# "لقي 7 أشخاص مصرعهم": the object pronoun after the count.
DEATH_VERB_AFTER = re.compile(r"^\s*(?:\S+\s+){0,6}?" + _alt("death_verb_after") + r"(?![\w])")
INJURY_VERB_AFTER = re.compile(r"^\s*(?:\S+\s+){0,6}?" + _alt("injury_verb_after") + r"(?![\w])")
# The subject may be a long description before its verb: "نحو 25 من ميليشيات الحوثي وقوات
# موالية للرئيس المخلوع علي صالح قتلوا"، "ستة مقاتلين في المعارضة السورية الذين تلقوا تدريبات
# على يد الجيش الأمريكي قتلوا" (corpus train c0282, c0243): up to eleven words with no number
# and no punctuation between, within FAR_REACH characters.
DEATH_VERB_FAR = re.compile(r"^\s*(?:[^\s\d.:؛؟!«»\"]+\s+){7,11}?(?P<verb>" + _alt("death_verb_far") + r")(?![\w])")
FAR_REACH = 100
# "تعرض سبعة من رجال الأمن للإصابة"، "خمسة أشخاص أصيبوا بجروح": the count's own predicate
# says wounded, whatever death cue stood before it ("... وتقبلهم في الشهداء، كما تعرض سبعة").
# Only forms that follow their subject (plural verbs, للإصابة، بجروح), so that "قتل 3 بينما
# أصيب 5" keeps the 3 dead.
INJURY_PRED_AFTER = re.compile(r"^\s*(?:[^\s\d]+\s+){0,6}?" + _alt("injury_pred_after") + r"(?![\w])")
# A casualty noun right after the number names what it counts ("راح ضحيتها 40 قتيلا"،
# "و20 جريحا"), whichever cue stood before it.
DEATH_NOUN = re.compile(r"^\s*" + _alt("death_noun") + r"(?![\w])")
INJURY_NOUN = re.compile(r"^\s*" + _alt("injury_noun") + r"(?![\w])")
BREAKDOWN = re.compile(_alt("breakdown") + r"\s*$")
# The counted noun stands right after the number (past a closing bracket or quote: «17» من
# الحوثيين); "من ..." after it names the group.
NOUN = re.compile(r"^" + NUMBER_CLOSER + r"\s*(?P<noun>(?!من\s)[\u0621-\u064a]{2,})?(?P<group>\s*" + _alt("group_link")
                  + r"\s*[\u0621-\u064a]+(?:\s+ال[\u0621-\u064a]+){0,2})?")
# What may stand between two counts of one list: "13 مقاتلا معارضا وعشرون عنصرا"، "عشرة ... إضافة إلى ثلاثة".
LIST_GAP = re.compile(r"^(?:\s*[\u0621-\u064a]+){0,2}?[\s،,]*" + _alt("list_link") + r"?\s*$")
# The first count's group may run on before the و of the next: "استشهاد عشرة من منسوبي قوات
# الطوارئ الخاصة وثلاثة من العاملين" (corpus train c0068): up to four more words, then و.
# A word with a preposition (بالطوال بجازان، في، على) is a place or a circumstance: the next
# count is another incident's ("استشهاد أحد رجال المجاهدين بالطوال بجازان وثلاثة جنود بمركز
# السيال", held-out 1 ho-02: two shellings), not the list's.
LIST_GAP_LONG = re.compile(r"^(?:\s*(?![بل]|في\s|علي\s)[\u0621-\u064a]+){1,4}\s+و\s*$")
ALT_ACCOUNT = re.compile(r"(?<![\w])" + _alt("alt_contrast") + r"\s+" + _alt("alt_say") + r"(?![\w])")
# Reach of a list (characters between the end of one count's noun and the next count).
LIST_REACH, LIST_REACH_LONG = 25, 40
# "ارتفعت حصيلة الشهداء إلى 12": a revised total, not one more group.
TOTAL_BEFORE = re.compile(_alt("total_before") + r"\s+(?:\S+\s+){0,5}$")
# Words that can follow a number without being what it counts.
STOP_NOUNS = frozenset(_W["stop_noun"])
# "آخرين"، "منهم" or a preposition after a number: not what it counts.
NOT_COUNTED = frozenset(_W["not_counted"])
# "بعد مقتل أحد أفراد القبيلة": an earlier death that set the event off, not its toll.
CAUSE_BEFORE = re.compile(_alt("cause_before") + r"\s*$")
GROUP_WORDS = re.compile(r"^\s*" + _alt("group_link") + r"\s*")
# One victim, named without a number: "بقتل ضابط", "مقتل شخص".
SINGULAR_VICTIM = re.compile(r"^\s*(?P<noun>" + "|".join(_W["victim"]) + r")(?![\w])")
# "استشهاد ضابط ومجند"، "امرأة وطفلها": singular victims joined by و count one each.
MORE_SINGULAR = re.compile(r"^\s*و" + clitic_prefix("", article=True) + alternation(_W["victim"] + _W["kin"])
                           + _alt("kin_suffix") + r"?(?![\w])")
# The و that opens a gapped clause, standing for the death verb of the clause before.
GAPPED_START = re.compile(r"\s*[،,]?\s*و(?=\S)")
# Named victims by rank: "استشهاد العريف أحمد …، والجندي أول محمد …، والجندي أول حسن …" = 3.
_RANK = clitic_prefix("", article=True) + _alt("rank") + r"(?:\s+" + _alt("rank_grade") + ")?"
RANK_LIST = re.compile(r"^\s*" + _RANK + r"(?:\s+[^\s،,.\d]+){1,5}(?:\s*[،,]?\s*و" + _RANK + r"(?:\s+[^\s،,.\d]+){1,5})*(?=[\s،,.]|$)")
RANK_WORD = re.compile(r"(?<![\w])" + clitic_prefix("و") + _RANK + r"(?![\w])")
# One named person as the subject of a passive death verb: "إن القيادي في جماعة خراسان محسن
# الفضلي قتل في ضربة جوية" (no count in the sentence).
SINGULAR_SUBJECT = re.compile(
    r"(?:^|\s)" + _alt("complementizer") + r"\s+" + clitic_prefix("", article=True) + _alt("subject_head")
    + r"(?:\s+[^\s\d.،,:؟!]+){0,14}\s+$")
SUBJECT_DEATH_VERB = frozenset(_W["subject_death_verb"])
# Largest gap (normalised chars) between a cue and the number it counts: "وقتل الثلاثاء
# برصاص قنص داخل المدينة اربعة اشخاص" (34); longer gaps reached other clauses in dev.
CUE_GAP = 45
APPROX = re.compile(_alt("approx") + r"\s*$")
# "مقتل وجرح 110"، "20 بين قتيل وجريح": dead and wounded in one count, a toll of neither.
MIXED_BEFORE = re.compile("(?:(?<![\\w])" + _alt("mixed_before") + "|" + _alt("mixed_before_verb") + r")\s+(?:"
                          + _alt("approx") + r"\s+)?$")
MIXED_AFTER = re.compile(r"^\s*(?:\S+\s+){0,1}?" + _alt("mixed_after") + r"(?![\w])")
MIXED_PHRASE = re.compile(r"(?<![\w])" + _alt("mixed_after") + r"(?![\w])")


def mixed(text: str, a: int, b: int, ns: int, ne: int) -> bool:
    """Whether the number at text[ns:ne] counts the dead and the wounded together."""
    return bool(MIXED_BEFORE.search(text[max(a, ns - 40):ns]) or MIXED_AFTER.match(text[ne:min(b, ne + 45)]))


@dataclass
class Part:
    value: int
    side: str               # civilians | state_forces | non_state | unknown
    group: str | None       # normalised counted noun + group, to recognise a repeat
    span: Span
    breakdown: bool = False
    vstart: int = 0
    is_total: bool = False


@dataclass
class SentenceToll:
    killed: list[Part] = field(default_factory=list)
    injured: list[Part] = field(default_factory=list)
    vague_killed: bool = False
    no_harm: bool = False       # "لم يسفر عن إصابات": no casualties reported (a toll of 0)
    no_harm_at: int = -1        # where that phrase starts (view offset): the events stage gives
    #                             it to the trigger nearest it when a sentence has two events


def _side_field(side: str | None) -> str:
    return {"civilians": "civilians", "state": "state_forces", "foreign_state": "state_forces",
            "non_state": "non_state"}.get(side or "", "unknown")


def _group_key(noun: str, group: str | None) -> str:
    g = GROUP_WORDS.sub("", group or "").strip()
    words = (g or noun).split()
    w = words[0] if words else noun
    w = w[2:] if w.startswith("ال") else w
    return w[:4]


def wounding(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Injury words of text[a:b] that say wounded on their own: without a death beside it,
    the verb أصابت is as often "hit" as "wounded" ("وأصابت خمس وحدات من المقاتلين"), unlike
    "إصابة ثلاثة أشخاص" or "أصيب"."""
    return [(m.start(), m.end()) for m in INJURY_CUE.finditer(text, a, b)
            if not HIT_VERB.fullmatch(text, m.start(), m.end())]


def sentence_toll(view: NormText, a: int, b: int, numbers: list[tuple[NumberSpan, int, int]],
                  gapped: bool = False, model: bool = False) -> SentenceToll:
    """Tolls of view[a:b]; ``numbers`` are (number, view start, view end) inside it.

    ``model``: the toll model's weights decide each count (``Options.tolls`` learned,
    events.toll_model); False keeps the rules' readings under the model's hard limits.

    ``gapped``: the clause goes on from a clause whose death verb it leaves out ("وقتل
    طفلان في غارة على أ، وامرأة وطفلها في قصف على ب"): its opening و stands for that verb.
    """
    text = view.text
    out = SentenceToll()
    deaths = [(m.start() + a, m.end() + a) for m in DEATH_CUE.finditer(text[a:b])
              if not CAUSE_BEFORE.search(text[max(a, m.start() + a - 6):m.start() + a])]
    if gapped and not deaths:
        g = GAPPED_START.match(text, a, b)
        if g:
            deaths = [(a, g.end())]
    injuries = [(m.start() + a, m.end() + a) for m in INJURY_CUE.finditer(text[a:b])]
    if not deaths:
        injuries = wounding(text, a, b)
    if not deaths and not injuries:
        return _learned(view, a, b, numbers, out, [], model) if LEARNED else out
    cues = [(s, e, "k") for s, e in deaths] + [(s, e, "i") for s, e in injuries]
    cues.sort()
    # Offsets sorted for bisection: each number looks only at the cues and numbers
    # near it, so a sentence of thousands of counts stays linear (issue 19).
    cue_starts = [c[0] for c in cues]
    cue_reach = CUE_GAP + max(e - s for s, e, _ in cues)
    by_start = sorted(numbers, key=lambda x: x[1])
    num_starts = [x[1] for x in by_start]

    def numbers_in(lo: int, hi: int) -> list:
        return by_start[bisect_left(num_starts, lo):bisect_left(num_starts, hi)]

    prev: tuple | None = None   # (which, view end, breakdown, cue, number end) of the last part
    for n, ns, ne in numbers:
        # the numbers stage marks the split after منهم/بينهم "partitive": keep it, as a breakdown
        partitive = n.reason == "partitive"
        if n.value is None or (not n.is_toll_candidate and not partitive) or n.kind == "vague" or n.value < 1:
            continue
        # nearest cue before the number, with no sentence break between
        # a cue counts the first number after it; later ones join it only as a list (below)
        near = cues[bisect_left(cue_starts, ns - cue_reach):bisect_right(cue_starts, ns)]
        before = [c for c in near if c[1] <= ns and ns - c[1] <= CUE_GAP and not re.search(r"[.؟!:]", text[c[1]:ns])
                  and not numbers_in(c[1], ns)]
        which, cue = (before[-1][2], before[-1]) if before else (None, None)
        # a list of counts after one cue: "13 مقاتلا معارضا وعشرون عنصرا"
        if prev and bisect_left(cue_starts, prev[4]) >= bisect_left(cue_starts, ns) \
                and (0 <= ns - prev[1] <= LIST_REACH and LIST_GAP.match(text[prev[1]:ns])
                     or 0 <= ns - prev[1] <= LIST_REACH_LONG and LIST_GAP_LONG.match(text[prev[1]:ns])):
            which, cue = prev[0], prev[3]
        after = text[ne:min(b, ne + 45)]
        if mixed(text, a, b, ns, ne):
            prev = None
            continue
        if DEATH_NOUN.match(after):
            which, cue = "k", cue or ("noun", ns)
        elif INJURY_NOUN.match(after):
            which, cue = "i", cue or ("noun", ns)
        else:
            im = INJURY_PRED_AFTER.match(after)
            # a number between is another count, unless it repeats this one in words ("(7) سبعة")
            if im and which == "k" and not any(n2.value != n.value for n2, _, _ in numbers_in(ne, ne + im.end())) \
                    and not DEATH_CUE.search(after[:im.start(0) + im.end()]) \
                    and not INJURY_CUE.search(after[:im.end()].rsplit(None, 1)[0]):
                # ("قتل شرطي تركي وأصيب آخر بجروح": the predicate is آخر's, after its own verb)
                which, cue = "i", ("after", ns)
        if which is None:
            far = DEATH_VERB_FAR.match(text[ne:min(b, ne + FAR_REACH)])
            # "ما يرفع إلى 13 شخصا عدد القتلى الذين سقطوا": a death noun between makes the
            # count another phrase's, not the far verb's subject
            if far and DEATH_CUE.search(text, ne, ne + far.start("verb")):
                far = None
            if DEATH_VERB_AFTER.match(after) or far:
                which, cue = "k", ("after", ns)
            elif INJURY_VERB_AFTER.match(after) or INJURY_PRED_AFTER.match(after):
                which, cue = "i", ("after", ns)
        if which is None:
            continue
        nm = NOUN.match(text[ne:b])
        noun = (nm.group("noun") or "") if nm else ""
        group = nm.group("group") if nm else None
        if not noun and group:
            noun = GROUP_WORDS.sub("", group).strip()
        if noun in STOP_NOUNS:
            noun, group = "", None
        if DEATH_NOUN.match(after) or INJURY_NOUN.match(after):
            pass    # "40 قتيلا": the casualty noun is what it counts (a group of its own)
        elif noun in NOT_COUNTED \
                or DEATH_CUE.fullmatch(noun) or INJURY_CUE.fullmatch(noun):
            # "مقتل 9 وإصابة 14": the next word is the next count's cue, not what 9 counts
            noun, group = "", None
        end = ne + nm.end() if noun else ne
        side = side_of(" ".join(x for x in (noun, group or "") if x)) if noun else None
        is_break = partitive or bool(BREAKDOWN.search(text[max(a, ns - 12):ns])) or bool(
            prev and prev[2] and prev[3] == cue)
        part = Part(int(n.value), _side_field(side), _group_key(noun, group) if noun else None,
                    view.span(ns, end), is_break, ns)
        part.is_total = bool(TOTAL_BEFORE.search(text[max(a, ns - 40):ns]))
        (out.killed if which == "k" else out.injured).append(part)
        prev = (which, end, is_break, cue, ne)
    # one victim without a number
    for s, e in deaths:
        m = SINGULAR_VICTIM.match(text[e:b])
        if m:
            # the numbers stage may read the singular noun itself as "1"
            count, end = 1, e + m.end()
            while (more := MORE_SINGULAR.match(text[end:b])):
                count, end = count + 1, end + more.end()
            for p in out.killed:
                if e <= p.vstart < e + m.end() and p.value == 1 and count > 1:
                    p.value, p.group = count, _group_key(m.group("noun"), None)
                elif e <= p.vstart < e + m.end() and p.side == "unknown":
                    # "قتل شرطي تركي": the victim noun names the side the word after it did not
                    p.side = _side_field(side_of(m.group("noun")))
        rl = None if m else RANK_LIST.match(text[e:b])
        if rl and not any(0 <= p.vstart - e < 20 for p in out.killed):
            count = len(RANK_WORD.findall(rl.group(0)))
            out.killed.append(Part(count, "state_forces", "رتب", view.span(e, e + rl.end()), False, e))
            continue
        if m and not any(0 <= p.vstart - e < 20 for p in out.killed):
            side = side_of(m.group("noun"))
            count, end = 1, e + m.end()
            while (more := MORE_SINGULAR.match(text[end:b])):
                count, end = count + 1, end + more.end()
            out.killed.append(Part(count, _side_field(side), _group_key(m.group("noun"), None),
                                   view.span(e, end), False, e))
    if not out.killed:
        for s, e in deaths:
            if text[s:e] in SUBJECT_DEATH_VERB and SINGULAR_SUBJECT.search(text[max(a, s - 160):s]):
                out.killed.append(Part(1, "unknown", None, view.span(s, e), False, s))
                break
    if LEARNED:
        out = _learned(view, a, b, numbers, out, cues, model)
    for parts in (out.killed, out.injured):
        _other_accounts(text, parts)
    return out


def _other_accounts(text: str, parts: list[Part]) -> None:
    """A count told by a second source after "فيما تحدثت ... عن" is the same dead told
    again: a split of the first (not added), unless the two name different sides."""
    ordered = sorted(parts, key=lambda p: p.vstart)
    for p1, p2 in zip(ordered, ordered[1:]):
        same_side = p1.side == p2.side or "unknown" in (p1.side, p2.side)
        if same_side and ALT_ACCOUNT.search(text, p1.vstart, p2.vstart):
            p2.breakdown = True


# The learned decision over the rules' candidates (events.toll_model, docs/tolls.md);
# False keeps the rules alone.
LEARNED = True


def _learned(view: NormText, a: int, b: int, numbers, out: SentenceToll, cues,
             model: bool = False) -> SentenceToll:
    """The rules' counts, checked and completed by events.toll_model: a count of things, of
    displaced people or over a period is dropped; a casualty noun that is its own count
    (قتيلين) or a victim after a verb of dying is added; with ``model`` the learned weights
    decide the rest."""
    from . import toll_model as tm
    parts = {p.vstart: ("killed", p) for p in out.killed}
    parts.update({p.vstart: ("injured", p) for p in out.injured if p.vstart not in parts})
    cands = tm.candidates(view, a, b, numbers, parts)
    harm = tm.NO_HARM.search(view.text, a, b) if tm.NO_HARM_ZERO else None
    new = SentenceToll(vague_killed=out.vague_killed, no_harm=harm is not None,
                       no_harm_at=harm.start() if harm else -1)
    text = view.text
    for c, what in tm.decide(view, a, b, cands, [(s, e, k) for s, e, k in cues if k in "ki"], model):
        rule = parts.get(c.vstart)
        if rule:
            part = rule[1]
        else:
            noun = c.noun or ""
            side = side_of(noun) if noun else None
            part = Part(c.value, _side_field(side), _group_key(noun, None) if noun else None,
                        view.span(c.vstart, c.vend),
                        bool(BREAKDOWN.search(text[max(a, c.vstart - 12):c.vstart])), c.vstart)
        (new.killed if what == "killed" else new.injured).append(part)
    return new


def aggregate(tolls: list[SentenceToll]) -> tuple[Toll, Toll]:
    killed, injured = _agg([t.killed for t in tolls]), _agg([t.injured for t in tolls])
    # "no casualties reported" and no count anywhere in the event: 0 dead, 0 wounded
    if killed.is_empty() and injured.is_empty() and any(t.no_harm for t in tolls) \
            and not any(t.vague_killed for t in tolls):
        killed.total = injured.total = 0
    return killed, injured


def _one_per_group(parts: list[Part]) -> list[Part]:
    """The same group counted twice in one sentence is one count, the larger.

    A long sentence may hold the lead and its quote ("قتل 18 شخصا ... وقال مدير المرصد إن 18
    شخصا قتلوا") or a first and a revised figure ("قتل القيادي و21 مسلحا ... ما أسفر عن مقتل 22
    مسلحا"); two different groups ("13 مقاتلا معارضا وعشرون عنصرا من قوات النظام") still add up.
    """
    best: dict[tuple[str, str], Part] = {}
    out: list[Part] = []
    for p in parts:
        if p.group is None:
            out.append(p)
            continue
        k = (p.side, p.group)
        if k not in best:
            best[k] = p
            out.append(p)
        elif p.value > best[k].value:
            out[out.index(best[k])] = p
            best[k] = p
    return out


def _agg(per_sentence: list[list[Part]]) -> Toll:
    toll = Toll()
    sent_totals: list[tuple[int, dict[str, int]]] = []
    groups: dict[tuple[str, str], int] = {}
    seen: list[tuple[int, str, int]] = []     # (value, side, sentence) of the counted groups
    for si, parts in enumerate(per_sentence):
        if not parts:
            continue
        totals = [p.value for p in parts if p.is_total]
        top = _one_per_group([p for p in parts if not p.breakdown and not p.is_total])
        brk = [p for p in parts if p.breakdown and not p.is_total]
        total = sum(p.value for p in top) if top else sum(p.value for p in brk)
        total = max([total] + totals)
        sides: dict[str, int] = {}
        for p in top:
            if p.side != "unknown":
                sides[p.side] = sides.get(p.side, 0) + p.value
        if len(top) == 1 and top[0].side == "unknown" and brk:
            for p in brk:
                if p.side != "unknown":
                    sides[p.side] = sides.get(p.side, 0) + p.value
        sent_totals.append((total, sides))
        for p in top:
            if p.group:
                # the same figure in another sentence is the same dead told again, whatever noun
                # each uses ("قتل 14 شخصا" in the lead, "14 مدنيا قتلوا" in a quote), unless
                # the two name different sides (5 soldiers and 5 militants)
                if any(v == p.value and s2 != si and (sd == p.side or "unknown" in (sd, p.side))
                       for v, sd, s2 in seen):
                    continue
                seen.append((p.value, p.side, si))
                k = (p.side, p.group)
                groups[k] = max(groups.get(k, 0), p.value)
        toll.evidence += [p.span for p in parts]
    if not sent_totals:
        return toll
    group_sum = sum(groups.values())
    best_total, best_sides = max(sent_totals, key=lambda t: (t[0], len(t[1])))
    if group_sum > best_total:
        toll.total = group_sum
        by_side: dict[str, int] = {}
        for (side, _), v in groups.items():
            if side != "unknown":
                by_side[side] = by_side.get(side, 0) + v
        best_sides = by_side if sum(by_side.values()) <= group_sum else {}
    else:
        toll.total = best_total
    for side, v in best_sides.items():
        setattr(toll, side, v)
    if UNKNOWN_SIDE and toll.total is not None and not best_sides:
        # no count names whose dead they are: the side is unknown (docs/annotation.md "Tolls":
        # `unknown` = the text does not say who), rather than no side field at all
        toll.unknown = toll.total
    return toll


# Whether a toll no count gives a side to fills the `unknown` side field (docs/tolls.md).
UNKNOWN_SIDE = True


def normalize_noun(s: str) -> str:
    return normalize(s)
