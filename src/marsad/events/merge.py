"""One incident, one record: sentence mentions merged into events.

Rules, in order (each with the case that motivated it):

* an anaphoric mention (الغارات، القصف، الاشتباكات، "هذا القصف") joins the last
  event of its family: "وتسببت الغارات بمقتل سبعة مدنيين" belongs to the raids
  told just before; a generic anaphor (الهجوم، العملية، الحادث) joins the last
  violent event whatever its kind;
* a death with no form and no place of its own ("ثمانية أفراد من القبيلة
  قتلوا") joins the violent event of the sentence just before;
* otherwise a mention joins an earlier event of the same kind at the same
  place (or where one of them has no place) unless their days differ;
* headline mentions join the body event of their family that names the same
  place (or the first of that family): a headline repeats the lead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..arabic import normalize
from .. import kinds
from ..core import Place
from .detect import Mention
from .lexicon import alternation, rule_words

# Families, incident groups and specificity of the kinds: columns of data/events/kinds.tsv.
FAMILY = kinds.FAMILY
# Families a death or a generic anaphor never joins: an arrest or a protest kills nobody.
NO_VIOLENCE_FAMILIES = ("coerce", "crowd")
COERCE = "coerce"
DEATH = kinds.role("death")
NAMES_FAMILY = kinds.with_rule("names_family")
# An event with no place joins an earlier one of its kind only this many sentences back.
PLACELESS_REACH = 4
# A death count this large is a conflict's total (UN and monitor tallies), never one incident
# in these reports (the largest single incidents in SaudiNewsNet 2015 are in the tens).
AGGREGATE_TOLL = 1000
# A sentence that opens on a change of topic starts a new incident unless it names the same place.
TOPIC_SHIFT = re.compile(r"\W*و?" + alternation("topic_shifts"))
# How many sentences back "الغارات"/"الهجوم" may point; farther, a definite noun is a
# topic ("خسر اليمنيون المعركة"), not a reference to the event just told.
ANAPHORA_REACH = 3
# Weak words that name any attack ("استهداف"، "هجوم"): their kind comes from the context.
GENERIC_WEAK = frozenset(rule_words()["generic_attacks"])
# How many sentences back a placeless death may reach for its event.
DEATH_REACH = 2


@dataclass
class Draft:
    kind: str
    mentions: list[Mention] = field(default_factory=list)
    place: Place | None = None          # explicit place of the first mention that had one
    place_sent: int | None = None
    date: str | None = None
    date_precision: str | None = None
    date_span: object = None
    title_only: bool = False
    _last: int = field(default=-1, repr=False)

    def __post_init__(self) -> None:
        self._last = max((m.sent for m in self.mentions), default=-1)

    def add(self, m: Mention, front: bool = False) -> None:
        """A mention joins the draft (a headline mention in front of the body's)."""
        self.mentions.insert(0, m) if front else self.mentions.append(m)
        # the last sentence kept up to date: recomputed over the mentions at every look, it
        # made a sentence repeated thousands of times quadratic (issue 19)
        self._last = max(self._last, m.sent)

    @property
    def last_sent(self) -> int:
        return self._last


def place_key(p: Place | None) -> str | None:
    if p is None:
        return None
    # by name, not gazetteer id: the gazetteer may resolve a neighbourhood (حي الراشدين)
    # to its city's entry, and the two are separate incidents' places in dev
    words = [w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalize(p.name).split()]
    return " ".join(words)


def same_place(a: Place | None, b: Place | None, by_name: bool = False) -> bool | None:
    """True/False when both are known; None when one is missing.

    ``by_name``: only the same name counts, not a province or country holding a town.
    """
    if a is None or b is None:
        return None
    ka, kb = place_key(a), place_key(b)
    if ka == kb:
        return True
    na, nb = name_key(a), name_key(b)
    if na and nb and (na in nb or nb in na):
        return True
    if by_name:
        return False
    # a province or country holds the town: "عسير" and "أبها"; "العراق" and "البوشجل"
    for big, small in ((a, b), (b, a)):
        if big.precision == "country" and big.country and big.country == small.country:
            return True
        if big.precision == "admin1" and big.admin1 and big.admin1 == small.admin1:
            return True
    return False


def name_key(p: Place) -> str:
    return " ".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in normalize(p.name).split())


def compatible_kinds(a: str, b: str) -> bool:
    return kinds.same_incident(a, b)


def _absorb(d: Draft, m: Mention, place, date) -> None:
    d.add(m)
    if kinds.specificity(m.kind) > kinds.specificity(d.kind) and compatible_kinds(d.kind, m.kind):
        d.kind = m.kind
    if d.kind == DEATH and m.kind != DEATH and FAMILY.get(m.kind) != COERCE:
        d.kind = m.kind   # a plain death told again with its form: the form wins
    if d.place is None and place is not None:
        d.place, d.place_sent = place, m.sent
    if d.date is None and date is not None:
        d.date, d.date_precision, d.date_span = date


def _inherited_kind(m: Mention, violent: list[Draft], shift: bool) -> str:
    """A bare "استهداف"/"هجوم" right after strikes or shelling is one more of them.

    "مقتل 11 من داعش جراء استهداف مبنى في مدينة أ، بينما قتل 29 في استهداف لمنطقة ب"
    after "غارات للتحالف": "targeting" names the act of the strikes just told, at a new place;
    on its own the weak word would be read as a clash.
    """
    h = m.first
    stem = h.word[2:] if h.word.startswith("ال") else h.word
    if h.role != "weak" or stem not in GENERIC_WEAK or shift or not violent:
        return m.kind
    last = violent[-1]
    if FAMILY.get(last.kind) == "remote" and 0 <= m.sent - last.last_sent <= ANAPHORA_REACH:
        return last.kind
    return m.kind


def merge(mentions: list[Mention], place_of, date_of, title_sents: set[int], sent_text, tolls_of=None) -> list[Draft]:
    """``tolls_of(sentence)`` -> set of (count, group) deaths the sentence gives, to recognise a repeat."""
    tolls_of = tolls_of or (lambda si: set())
    """``place_of(m)`` -> explicit Place or None; ``date_of(m)`` -> (iso, precision, span) or None."""
    drafts: list[Draft] = []
    titles: list[tuple[Mention, object, object]] = []
    for m in mentions:
        place, date = place_of(m), date_of(m)
        if m.sent in title_sents:
            titles.append((m, place, date))
            continue
        if FAMILY.get(m.kind) is None:          # verbal kinds are not merged
            drafts.append(Draft(m.kind, [m], place, m.sent if place else None, *(date or (None, None, None))))
            continue
        target = None
        violent = [d for d in drafts if d.kind in FAMILY]
        if any(v >= AGGREGATE_TOLL for v, _ in tolls_of(m.sent)):
            continue   # "قتل نحو أربعة آلاف شخص": a war's running total, not an incident
        if m.anaphoric and not m.told and not tolls_of(m.sent) and date is None:
            # "الهجوم"/"التفجير" that adds no toll or day refers to the event as a topic
            # ("ولم تعلن أي مجموعة مسؤوليتها عن الهجوم"): not evidence of it, and not news
            continue
        if m.anaphoric and violent:
            for d in reversed(violent):
                if m.sent - d.last_sent > ANAPHORA_REACH:
                    break
                # "القصف" may name any remote violence; "الغارات" only air strikes
                if (m.generic_anaphor and FAMILY[d.kind] not in NO_VIOLENCE_FAMILIES) or compatible_kinds(d.kind, m.kind) \
                        or m.kind in NAMES_FAMILY and FAMILY[d.kind] == FAMILY[m.kind] != COERCE:
                    target = d   # "الاشتباكات" are the clashes just told, wherever the sentence says they were
                    break
        shift = bool(TOPIC_SHIFT.match(sent_text(m.sent)))
        if target is None and m.death_only and place is None and violent and not shift:
            d = violent[-1]
            if m.sent - d.last_sent <= DEATH_REACH and FAMILY[d.kind] not in NO_VIOLENCE_FAMILIES:
                target = d
        if target is None and m.kind == DEATH and place is not None and violent and not shift:
            # "كشف المتحدث عن تفاصيل صد هجوم" then "أثناء قيام القوات بمهامها في السويس فوجئت
            # بإطلاق نيران": the details of the event just announced, which named no place
            d = violent[-1]
            if d.place is None and 0 < m.sent - d.last_sent <= 1 and FAMILY[d.kind] not in NO_VIOLENCE_FAMILIES \
                    and not any(x.sent in title_sents for x in d.mentions):
                target = d
        if target is None and FAMILY[m.kind] != COERCE:
            # the same count of the same group told twice ("مقتل ثمانية حوثيين" in the lead and
            # the body) is one incident, even when one sentence names the town and one the village
            mine = {t for t in tolls_of(m.sent) if t[1]}
            if mine:
                # a plain death ("ما تسبب بمقتل 18 شخصا") repeats whatever form told that count
                target = next((d for d in reversed(violent) if (compatible_kinds(d.kind, m.kind) or m.kind == DEATH
                                                                       and FAMILY[d.kind] not in NO_VIOLENCE_FAMILIES)
                               and any(mine & tolls_of(x.sent) for x in d.mentions)), None)
        if target is None and place is None and not shift:
            # no place of its own and only one event it could be: the article's bombing told again
            same = [d for d in violent if compatible_kinds(d.kind, m.kind)]
            if len(same) == 1 and not (date and same[0].date and date[0] != same[0].date):
                target = same[0]
        if target is None:
            for d in reversed(violent):
                if not compatible_kinds(d.kind, m.kind):
                    continue
                # a toll of its own at a town inside the event's province is a part of a breakdown
                # by place ("مقتل 19 في محافظة إدلب ... وقتل 15 في بلدة سراقب"): its own incident
                own = {v for v, _ in tolls_of(m.sent)}
                theirs = {v for x in d.mentions for v, _ in tolls_of(x.sent)}
                sp = same_place(place, d.place, by_name=bool(own and theirs and not own & theirs))
                if sp is False or sp is None and (shift or m.sent - d.last_sent > PLACELESS_REACH):
                    continue
                if date and d.date and date[0] != d.date:
                    continue
                target = d
                break
        if target is not None:
            _absorb(target, m, place, date)
        else:
            kind = _inherited_kind(m, violent, shift)
            drafts.append(Draft(kind, [m], place, m.sent if place else None, *(date or (None, None, None))))
    for m, place, date in titles:
        fam = FAMILY.get(m.kind)
        if fam is None:
            drafts.insert(0, Draft(m.kind, [m], place, m.sent if place else None, *(date or (None, None, None))))
            continue
        cands = [d for d in drafts if d.kind in FAMILY and (FAMILY[d.kind] == fam or "any" in (fam, FAMILY[d.kind])
                                                          or compatible_kinds(d.kind, m.kind))]
        target = None
        if place is not None:
            # the same kind first: "مقتل 7 في انفجار سيارة بدرنة" is the body's bombing, not the
            # air strike the article also reports at Derna
            kin = [d for d in cands if compatible_kinds(d.kind, m.kind)]
            for group in (kin, cands):
                target = next((d for d in group if same_place(place, d.place)), None) or \
                    next((d for d in group if any(name_key(place) in sent_text(x.sent) for x in d.mentions)), None)
                if target is not None:
                    break
        if target is None and cands:
            same = [d for d in cands if d.kind == m.kind or compatible_kinds(d.kind, m.kind)]
            target = (same or cands)[0]
        if target is None:
            # "57 قتيلاً في مجزرة …" over a body that tells the same 57 dead as shelling: the
            # headline names the incident by its effect, not its form
            mine = {t for t in tolls_of(m.sent) if t[1]}
            if mine:
                target = next((d for d in drafts if FAMILY.get(d.kind) not in (None, *NO_VIOLENCE_FAMILIES)
                               and any(mine & tolls_of(x.sent) for x in d.mentions)), None)
        if target is not None:
            target.add(m, front=True)
            if target.place is None and place is not None:
                target.place = place
            if target.date is None and date is not None:
                target.date, target.date_precision, target.date_span = date
        else:
            drafts.insert(0, Draft(m.kind, [m], place, m.sent if place else None, *(date or (None, None, None)),
                                   title_only=True))
    return drafts
