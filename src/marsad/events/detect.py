"""Sentence-level event mentions: triggers, their kind and whether they report an event.

A *mention* is what one sentence says about one kind of event: the trigger
words, the cues that decide whether it is news at all (condemnation,
remembrance, threat, plan, negation, background). Whether it is reported, denied
or claimed is the attribution stage's to decide (``stages/attribution.py``, the one
writer of ``event.status``), from these triggers and the cues around them.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .. import arabic
from ..arabic import NormText, clitic_prefix, clitic_run
from ..core import Span
from ..resources import data_lists
from .. import kinds
from .lexicon import VIOLENT_KINDS, cues, fold, trigger_prefixes, trigger_regex, trigger_regex_at
from .tolls import wounding

# The words of the rules below live in data/events/detect_words.tsv (one list per rule, with
# its provenance); the regular expressions around them stay here. Compiled once, at import.
_WORDS = {name: tuple(fold(w) for w in words) for name, words in data_lists("events/detect_words.tsv").items()}


def _alt(name: str) -> str:
    """One list of detect_words.tsv as a regex alternation ``(?:…)``, in file order (the first match wins)."""
    return arabic.alternation(_WORDS[name])


# How far (normalised characters) a cue may stand from its trigger. Calibrated on
# the dev articles and SaudiNewsNet sentences: 40 covers "أي قرار لم يتخذ في شأن
# شن غارات" and "استنكرت ... الهجوم" but not a second clause of a long sentence.
TRIGGER_WINDOW = 40
# Negation words bind tighter: "لم يتخذ قرار" 15 characters before a trigger.
NEGATION_WINDOW = 20
# Aircraft named this far before a shelling verb make it an air strike (calibrated on
# "أن الطائرات الحربية التركية بدأت مساء الجمعة قصف" in SaudiNewsNet).
AIR_BEFORE = 50
# Demands bind to the next word or two: "للمطالبة باعدام" (not a report of an execution).
CLOSE_WINDOW = 14
# "طائرة بدون طيار" is a drone, not a negation.
DRONE = re.compile(r"(?:من )?" + _alt("drone_negators") + r" طيار\s*")
# Aircraft as the subject earlier in the sentence ("ثلاث مقاتلات إف-16 أقلعت ... وقصفت").
AIR_SUBJECT = re.compile(r"(?<![\w])(?:" + clitic_prefix("وف") + "ال)?" + _alt("aircraft") + r"(?![\w])")
# A threat binds to the next few words: "تهديد بشن غارات"، not "توعدت بملاحقة منفذي الهجوم".
THREAT_WINDOW = 12
# A casualty noun (قتيل، شهداء: NEEDS_NUMBER) reports deaths only with a count within a few words
# ("12 قتيلا") or a verb of falling before it ("سقوط قتلى").
COUNT_NEAR = re.compile(r"\d|\b" + _alt("count_words") + r"\b")
FALL_VERB = re.compile(_alt("fall_verbs"))
NEGATION = re.compile(r"(?<![\w])" + clitic_prefix("وف") + _alt("negators") + r"\s+(?:\S+\s+){0,2}$")
EXECUTION = re.compile(_alt("execution"))
# Nouns of the people taking part (المتظاهرين، المحتجون) and "القبض على" stay news when definite.
PARTICIPANT_NOUN = re.compile(_alt("participant_nouns"))
# A definite noun with a verb of happening beside it is told as news, not as a topic:
# "الغارات الجوية قصفت"، "القصف طال أحياء"، "استمرت الاشتباكات"، "أمطرت ... بالقذائف".
EVENT_VERB = re.compile(r"(?<![\w])" + clitic_prefix("وف") + _alt("event_verbs") + r"\S*")
# How far a verb of happening may stand from a definite trigger ("وشنت تركيا منذ ذلك
# الحين سلسلة من الغارات": 35 characters).
TOLD_WINDOW = 40
# A weak trigger told with its time is an incident: "هجوم الليلة الماضية"، "هجوم امس".
WHEN_AFTER = re.compile(r"\s*(?:\S+\s+)?" + _alt("when_after"))
# How far back a supporting verb may stand ("شنت في وقت سابق من نهار أمس الاثنين هجوما").
SUPPORT_WINDOW = 60
# Support that turns a weak trigger (هجوم، استهداف) into a report: شنّ هجوماً، نفذ، تم.
SUPPORT = re.compile(r"(?<![\w])" + clitic_prefix("وف") + _alt("support_verbs") + _alt("support_verb_endings")
                     + r"?\s+(?:\S+\s+){0,8}" + clitic_run() + "$"
                     r"|(?<![\w])" + clitic_prefix("وف") + r"تم\s+(?:\S+\s+){0,1}" + clitic_run() + "$")
TAKE_SUPPORT = re.compile(_alt("take_support") + r"\s+(?:ال)?$")
# Words that need a number next to them to mean a death toll (الشهداء is also a name part).
NEEDS_NUMBER = frozenset(_WORDS["needs_number"])
YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")
# A generic anaphor refers back to whatever violence was just told (الهجوم، العملية).
GENERIC_ANAPHOR = frozenset(_WORDS["generic_anaphors"])
DEMONSTRATIVE = re.compile(_alt("demonstratives") + r"\s+(?:ال)?$")
# Word tests of single rules in hits() and classify(), where a comment gives each one's
# example; the words and what each list is for are in detect_words.tsv.
SUFFERED = re.compile(_alt("suffered_verbs") + r"\S*\s")
DAWN_AFTER = re.compile(r"\s*" + _alt("dawn_after"))
ATTEMPT = re.compile(_alt("attempt_before_taking"))
BOMB_ATTEMPT = re.compile(_alt("attempt_before_bombing") + r"\s+$")
GROUND_WEAPON = re.compile(_alt("ground_weapons"))
RIOT_WORD = re.compile(_alt("riot_words"))
RIOT_ACT = re.compile(_alt("riot_acts"))
CIVILIAN_TARGET = re.compile(_alt("civilian_targets"))
SEIZED_GOODS = re.compile(_alt("seized_goods"))
# "تم القبض على"، "قامت الشرطة باعتقال": a weak detention word reported as done.
DETENTION_SUPPORT = re.compile(_alt("detention_support") + r"\s*$")
SUCCESS_VERB = re.compile(_alt("success_verbs") + r"\S*")

# The kinds each rule below applies to, from the kind table (data/events/kinds.tsv).
DEATH = kinds.role("death")
THREAT = kinds.role("threat")
AIR = kinds.role("air")
SUICIDE = kinds.role("suicide")
RIOTING = kinds.role("rioting")
CIVILIAN_ATTACK = kinds.role("civilian_attack")
DETENTION = kinds.role("detention")
PRACTICE_WHEN_DEFINITE = kinds.with_rule("definite_is_practice")
PRETENCE = kinds.with_rule("pretence")
TAKES_GROUND = kinds.with_rule("takes_ground")
FOILED_ATTEMPT = kinds.with_rule("foiled_attempt")
AIR_BY_WEAPON = kinds.with_rule("air_by_weapon")
AIR_BY_ATTACK_VERB = kinds.with_rule("air_by_attack_verb")
SUICIDE_POSSIBLE = kinds.with_rule("suicide_possible")
RIOT_POSSIBLE = kinds.with_rule("riot_possible")
CIVILIAN_TARGET_KINDS = kinds.with_rule("civilian_target")
CAUSES_EXPLOSIONS = kinds.with_rule("causes_explosions")
EXPLOSION_EFFECT = kinds.with_rule("explosion_effect")
# Violent kinds that take a toll host the deaths and weak words of their sentence.
HOSTS = kinds.TOLLS


@dataclass
class Hit:
    kind: str
    role: str
    start: int          # view offsets
    end: int
    word: str
    definite: bool
    sent: int
    aim: bool = False   # after a purpose lam (للسيطرة، لشن): an aim, not an act


@dataclass
class Mention:
    """One kind of event in one sentence."""

    kind: str
    sent: int
    hits: list[Hit] = field(default_factory=list)
    anaphoric: bool = False
    generic_anaphor: bool = False
    death_only: bool = False
    told: bool = False          # a verb of happening stands beside the trigger
    folded: list[Hit] = field(default_factory=list)   # death/weak hits that joined it

    @property
    def first(self) -> Hit:
        return self.hits[0]


def sentence_bounds(view: NormText, sentences: list[Span]) -> list[tuple[int, int]]:
    """View offsets of each sentence."""
    out = []
    for s in sentences:
        a = bisect_right(view.offsets, s.start - 1)
        b = bisect_right(view.offsets, s.end - 1)
        out.append((a, b))
    return out


def _cue(name: str, text: str) -> bool:
    return any(c.regex.search(text) for c in cues().get(name, []))


# The same sentence-wide question asked again for each trigger of a sentence: a
# sentence of thousands of triggers made that quadratic (issue 19). A string's
# hash is computed once, so a repeated lookup of the same sentence is O(1).
_sent_cue = lru_cache(maxsize=256)(_cue)


@lru_cache(maxsize=256)
def _sent_search(rx: re.Pattern, stext: str) -> bool:
    return bool(rx.search(stext))


class _NextMatch:
    """``rx.search(text, pos, end)`` for a rising ``pos``, reusing the last match while it
    still lies ahead: each trigger of a long sentence no longer rescans its rest."""

    def __init__(self, rx: re.Pattern, text: str, end: int):
        self.rx, self.text, self.end = rx, text, end
        self.pos: int | None = None
        self.m: re.Match | None = None

    def __call__(self, pos: int) -> re.Match | None:
        if self.pos is None or pos < self.pos or (self.m is not None and self.m.start() < pos):
            self.pos, self.m = pos, self.rx.search(self.text, pos, self.end)
        return self.m



def _first(cs, text: str, a: int, b: int) -> int:
    """Start of the earliest match of any cue in text[a:b], or b when none matches."""
    return min([_first_rx(c.regex, text, a, b) for c in cs] or [b])


def _first_rx(rx: re.Pattern, text: str, a: int, b: int) -> int:
    m = rx.search(text, a, b)
    return m.start() if m else b


def _is_background(stext: str, published_year: int | None) -> bool:
    if _cue("background", stext):
        return True
    return _old_year(stext, published_year)


def _old_year(stext: str, published_year: int | None) -> bool:
    if published_year:
        years = [int(y) for y in YEAR.findall(stext)]
        if years and max(years) < published_year:
            return True
    return False


# A new statement joined without a full stop ("... قتل في ضربة جوية قرب سرمدا، وقال المتحدث
# إن القيادي كان ممن علموا بهجمات 2001"): a year it gives belongs to it, not to the event before.
NEW_STATEMENT = re.compile(r"[،,]?\s+و" + _alt("statement_verbs") + r"\s")


def _candidates(text: str, rx: re.Pattern):
    """Trigger matches, tried only at words that begin, after their clitics (و ف ب ل ك ال),
    like some trigger: the one big alternation is costly to run at every character."""
    starts = _start_regex()
    # at each candidate word, only the triggers that can begin there (lexicon.trigger_regex_at)
    at = trigger_regex_at if starts is not None and rx is trigger_regex()[0] else None
    last_end = 0
    for w in (starts or _WORD).finditer(text):
        pos = w.start()
        if pos < last_end:
            continue
        here = at(w.group()) if at else rx
        if here is None:
            continue
        m = here.match(text, pos)
        if m:
            last_end = m.end()
            yield m


_LETTER = "\u0621-\u064a"
_WORD = re.compile(f"[{_LETTER}]+")
# A word's first 2 to 8 letters are looked up among the trigger beginnings (longer ones are never tried)
START_MIN, START_MAX = 2, 8
# The clitics a trigger's word may begin with (detect_words.tsv), and none.
_CLITIC_STRINGS = ("",) + _WORDS["trigger_start_clitics"]


@lru_cache(maxsize=None)
def _word_starts() -> frozenset[str] | None:
    prefixes = trigger_prefixes()
    if prefixes is None:
        return None
    return frozenset(c + p for c in _CLITIC_STRINGS for p in prefixes)


@lru_cache(maxsize=None)
def _start_regex() -> re.Pattern | None:
    """Whole words whose first START_MIN..START_MAX letters are a trigger beginning (clitics
    included), as one regex over a trie of the beginnings: the C scanner finds the candidate
    words instead of a Python loop over every word of the text. None: try every word."""
    starts = _word_starts()
    if starts is None:
        return None
    trie: dict = {}
    for st in starts:
        if START_MIN <= len(st) <= START_MAX and all("\u0621" <= c <= "\u064a" for c in st):
            node = trie
            for c in st:
                node = node.setdefault(c, {})
            node[""] = {}

    def branch(node: dict) -> str:
        if "" in node:
            return ""      # a beginning ends here: the word qualifies whatever follows
        return "(?:" + "|".join(re.escape(c) + branch(node[c]) for c in sorted(node)) + ")"
    return re.compile(f"(?<![{_LETTER}])" + branch(trie) + f"[{_LETTER}]*")


def hits(view: NormText, bounds: list[tuple[int, int]]) -> list[Hit]:
    rx, trig = trigger_regex()
    out = []
    starts = [a for a, _ in bounds]
    for m in _candidates(view.text, rx):
        name = m.lastgroup
        if not name or not name.startswith("t"):
            continue
        t = trig[int(name[1:])]
        si = bisect_right(starts, m.start()) - 1
        if si < 0 or m.start() >= bounds[si][1]:
            continue
        definite = bool(m.group("art")) and m.group("art") == "ال"
        out.append(Hit(t.kind, t.role, m.start(name), m.end(name), m.group(name), definite, si))
        # a purpose lam (للسيطرة، لشن) marks an aim, not an act
        # ("تعرضت للقصف" is suffered, "دفعه لإطلاق النار" is done)
        if m.group("prep") == "ل" and not SUFFERED.search(view.text[max(0, m.start() - 60):m.start()]):
            out[-1].aim = True
    return out


def classify(view: NormText, bounds: list[tuple[int, int]], all_hits: list[Hit], published: str | None,
             title_sents: set[int], old_sents: frozenset[int] = frozenset()) -> list[Mention]:
    """``old_sents``: sentences dated well before publication (background, e.g. "في 21 مايو")."""
    """Mentions per sentence, after cues have decided what each trigger means."""
    text = view.text
    pub_year = int(published[:4]) if published and published[:4].isdigit() else None
    by_sent: dict[int, list[Hit]] = {}
    for h in all_hits:
        by_sent.setdefault(h.sent, []).append(h)
    mentions: list[Mention] = []
    for si, hs in sorted(by_sent.items()):
        a, b = bounds[si]
        stext = text[a:b]
        background = (_is_background(stext, pub_year) or si in old_sents) and si not in title_sents
        # a question asks about violence, it does not report it
        question = "؟" in stext
        # first positions of the sentence-wide cues, found once per sentence
        block_from = _first(cues().get("block_sentence", []), text, a, b)
        air_from = _first_rx(AIR_SUBJECT, text, a, b)
        kept: list[Hit] = []
        new_statement = _NextMatch(NEW_STATEMENT, text, b)
        old_before: dict[int, bool] = {}
        blocked_at: int | None = None   # a condemned/negated strong trigger: its clause's weak words go too
        for h in hs:
            before = text[max(a, h.start - TRIGGER_WINDOW):h.start]
            if h.word in NEEDS_NUMBER and not COUNT_NEAR.search(text[max(a, h.start - 12):min(b, h.end + 12)]) \
                    and not FALL_VERB.search(before[-14:]):
                continue
            if h.kind in VIOLENT_KINDS:
                if h.aim or question:
                    continue
                # "تظاهر بأنه ميت" is pretending; "لتسجيل احتجاج" a diplomatic protest
                if h.kind in PRETENCE and (re.match(r"\s*ب", text[h.end:h.end + 3]) and h.word.startswith("تظاهر")
                                            or re.search(r"تسجيل\s*$", text[max(a, h.start - 8):h.start])):
                    continue
                # "فجر الخميس" is dawn, not "blew up"
                if h.word in ("فجر", "ففجر") and DAWN_AFTER.match(text[h.end:h.end + 12]):
                    continue
                # "عمليات القتل والذبح": a definite killing noun names a practice, not an incident
                # so does "بالقتل والخطف والاعتقال"، "التظاهرات المطالبة"، "أعمال الشغب"
                if h.kind in PRACTICE_WHEN_DEFINITE and h.definite \
                        and h.word not in NEEDS_NUMBER and not PARTICIPANT_NOUN.match(h.word) and " " not in h.word \
                        and not EVENT_VERB.search(text[max(a, h.start - TOLD_WINDOW):min(b, h.end + TOLD_WINDOW)]):
                    continue
                # "خلال محاولتهم اقتحام الحي واستعادة السيطرة": an attempt does not take ground
                if h.kind in TAKES_GROUND and ATTEMPT.search(text[max(a, h.start - TRIGGER_WINDOW):h.start]):
                    continue
                # "محاولة تفجير" is an attempt, as a rule foiled
                if h.kind in FOILED_ATTEMPT and BOMB_ATTEMPT.search(text[max(a, h.start - 10):h.start]):
                    continue
                if _cue("block", before) or block_from < h.start \
                        or _cue("block_close", text[max(a, h.start - CLOSE_WINDOW):h.start]) \
                        or NEGATION.search(DRONE.sub("", text[max(a, h.start - NEGATION_WINDOW):h.start])):
                    if h.role == "strong" and blocked_at is None:
                        blocked_at = h.start
                    continue
                if blocked_at is not None and h.role in ("weak", "death") and h.start > blocked_at:
                    continue
                if _cue("threatened", text[max(a, h.start - THREAT_WINDOW):h.start]):
                    # a violent act threatened is a threat (its status is attribution's)
                    h.kind, h.role = THREAT, "verbal"
                elif _cue("planned", before):
                    continue
                if background and h.role != "verbal":
                    ns = new_statement(h.end)
                    if ns and ns.start() not in old_before:
                        old_before[ns.start()] = _old_year(text[a:ns.start()], pub_year)
                    if not (ns and si not in old_sents and not _sent_cue("background", stext)
                            and not old_before[ns.start()]):
                        continue
                # aircraft named before the verb ("الطائرات المقاتلة التركية قصفت") or after it ("قصف طيران التحالف")
                if (h.kind in AIR_BY_WEAPON and not GROUND_WEAPON.search(h.word)
                        or h.kind in AIR_BY_ATTACK_VERB and h.word.startswith("هاجم")) \
                        and (_cue("air", text[max(a, h.start - AIR_BEFORE):min(b, h.end + 25)])
                             or air_from < h.start):
                    h.kind = AIR
                if h.kind in SUICIDE_POSSIBLE and _sent_cue("suicide", stext):
                    h.kind = SUICIDE
                if h.kind in RIOT_POSSIBLE and _sent_search(RIOT_WORD, stext):
                    h.kind = RIOTING
                if h.role == "weak" and h.kind in CIVILIAN_TARGET_KINDS and CIVILIAN_TARGET.search(
                        text[h.end:min(b, h.end + 30)]):
                    h.kind = CIVILIAN_ATTACK
                # "الأسلحة التي استولت عليها": seized goods, not ground
                if h.kind in TAKES_GROUND and SEIZED_GOODS.search(text[max(a, h.start - 25):min(b, h.end + 25)]):
                    continue
                if h.kind in TAKES_GROUND and h.role == "weak":
                    if not (TAKE_SUPPORT.search(text[max(a, h.start - 20):h.start])
                            or h.word == "تحرير" and SUCCESS_VERB.search(text[a:h.start])):
                        continue
                    h.role = "strong"
            kept.append(h)
        mentions += _group(view, si, a, b, kept)
    return mentions


def _distance(starts: list[int], p: int) -> int:
    """Distance from ``p`` to the nearest of the sorted ``starts``."""
    j = bisect_left(starts, p)
    return min(abs(starts[k] - p) for k in (j - 1, j) if 0 <= k < len(starts))


def _group(view: NormText, si: int, a: int, b: int, hs: list[Hit]) -> list[Mention]:
    text = view.text
    violent = [h for h in hs if h.kind in VIOLENT_KINDS]
    strong = [h for h in violent if h.role == "strong"]
    death = [h for h in violent if h.role == "death"]
    weak = [h for h in violent if h.role == "weak"]
    out: dict[str, Mention] = {}
    # A killing by a named form (sniping, execution) that shares its sentence with a
    # clash or a strike is part of that event, not a separate one.
    # Deaths join violence, never an arrest or a protest told in the same sentence
    # ("اعتقلت ... بعد احتجاجات ... جراء قيامه بقتل ضابط" is three events).
    if any(h.kind in HOSTS and h.kind != DEATH for h in strong):
        # an execution is its own act even beside a battle ("أعدم 19 ... لفرارهم من المعارك")
        folded_kill = [h for h in strong if h.kind == DEATH and not EXECUTION.match(h.word)]
        strong = [h for h in strong if h.kind != DEATH or EXECUTION.match(h.word)]
    else:
        folded_kill = []
    # "انفجارات سمعت جراء القصف": explosions that a strike or shelling caused are its effect
    if any(h.kind in CAUSES_EXPLOSIONS for h in strong):
        strong = [h for h in strong if not (h.kind in EXPLOSION_EFFECT and h.word.startswith("انفجار"))]
    for h in strong:
        m = out.setdefault(h.kind, Mention(h.kind, si))
        m.hits.append(h)
    hosts = [m for k, m in out.items() if k in HOSTS]
    if hosts:
        starts = [sorted(x.start for x in m.hits) for m in hosts]
        for h in death + weak + folded_kill:
            # join the nearest strong mention (nearest hit found by bisection: linear in a sentence of many hits)
            best = hosts[min(range(len(hosts)), key=lambda i: _distance(starts[i], h.start))]
            best.folded.append(h)
    else:
        # "أصيب خمسة جنود بجروح في هجوم على حاجز": the wounded make the attack a report,
        # as a death does (below)
        wounded = bool(wounding(text, a, b))
        riot_act = any(h.kind == RIOTING for h in weak) and bool(RIOT_ACT.search(text[a:b]))
        supported = [h for h in weak if wounded or SUPPORT.search(text[max(a, h.start - SUPPORT_WINDOW):h.start])
                     or WHEN_AFTER.match(text[h.end:min(b, h.end + 20)])
                     or h.kind == RIOTING and riot_act
                     or h.kind == DETENTION and DETENTION_SUPPORT.search(text[max(a, h.start - 12):h.start])]
        if death and weak:
            h = weak[0]
            m = Mention(h.kind, si, [h], folded=death + weak[1:])
            out[h.kind] = m
        elif supported:
            h = supported[0]
            out[h.kind] = Mention(h.kind, si, [h], folded=[x for x in weak if x is not h])
        elif death or folded_kill:
            h = (death + folded_kill)[0]
            out[DEATH] = Mention(DEATH, si, [h], folded=(death + folded_kill)[1:], death_only=h.role == "death")
        elif weak and all(x.definite for x in weak):
            # "الهجوم" on its own: an anaphor to the last event (merged later, never alone)
            h = weak[0]
            out[h.kind] = Mention(h.kind, si, [h], folded=weak[1:])
    mentions = list(out.values())
    for m in mentions:
        m.hits.sort(key=lambda h: h.start)
        h = m.first
        stem = h.word[2:] if h.word.startswith("ال") else h.word
        m.anaphoric = h.definite or bool(DEMONSTRATIVE.search(text[max(a, h.start - 8):h.start]))
        m.told = bool(EVENT_VERB.search(text[max(a, h.start - TOLD_WINDOW):min(b, h.end + TOLD_WINDOW)]))
        m.generic_anaphor = m.anaphoric and stem in GENERIC_ANAPHOR
        if m.kind not in VIOLENT_KINDS or h.role == "weak" and not m.death_only and not m.folded:
            m.anaphoric = m.anaphoric or (h.role == "weak" and h.definite)
    if not mentions:
        # "التعاون"، "الاتفاق" name a topic; a verbal event needs its verb or an indefinite noun
        verbal = [h for h in hs if h.role == "verbal" and not h.definite]
        if verbal:
            h = verbal[0]
            mentions.append(Mention(h.kind, si, [h]))
    return mentions
