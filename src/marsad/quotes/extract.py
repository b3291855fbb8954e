"""Who said what: direct and reported statements with their speakers.

The extractor reads the normalised view of the article (``arabic.norm_view``)
word by word, sentence by sentence, and looks for reporting cues from
``data/quotes/cues.tsv`` and ``according.tsv``:

* a reporting verb (قال، أكد، أفاد …) with its speaker after it (VSO, the usual
  order: وقال المتحدث باسم البيت الابيض جوش ايرنست "…"), before it (SVO: وكان
  مسؤول اميركي كبير افاد …) or left out (وأضاف …: the last speaker goes on);
  between the speaker and the statement may stand time, channel and addressee
  adjuncts (الثلاثاء، في بيان له، لوكالة فرانس برس، هاتفيا), then the statement
  opens with أن/إن، ":"، a quotation mark, إلى، عن or بـ as the verb allows;
* نقل X عن Y (X relays Y: Y is the speaker);
* a participle (مؤكدا، مشيرا إلى أن …) that goes on with the clause's speaker
  and starts a new statement, so one sentence can hold several;
* an "according to" phrase (بحسب، حسبما أفاد، وفق، نقلا عن …) whose statement
  stands before it, or after it when it opens the sentence;
* a headline "SPEAKER: statement", and a sentence that is one long quotation
  right after a speaker's quotation (the speaker goes on).

docs/quotes.md lists every rule with the example it handles.

A statement runs to the end of its sentence, to the next cue that starts
another statement, or, when it opens with a quotation mark, to the closing
mark (which may lie sentences later). Everything works on the view and maps
back to ``Article.text`` offsets (STYLE: one offset space).
"""
from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..arabic import NormText, normalize, view_of
from ..core import Article, Entity, Mention, Quote, Span, Speaker
from ..resources import data_lists
from ..spanindex import SpanIndex
from .lexicon import Cue, Lexicon, lexicon

# Longest speaker phrase kept, in words. Calibrated on the dev articles: the longest
# real one is "زهرة آدم المسؤولة المحلية بقرية الطيوري المجاورة والتي تمثل قبيلة تبو
# أغلبية بين سكانها" (13); past 12 words a phrase has almost always run into the statement.
MAX_SPEAKER_WORDS = 12
# Short quotations (names, terms) skipped between a cue and its opener, at most: a
# real opener follows a few ("قال «حزب الله» و«أمل» إن"); skipping is free of the
# word budget, so without a bound a text of thousands of short quotations made every
# cue scan to the end of its sentence, quadratic time (issue 19).
MAX_SKIPPED_QUOTES = 10
# Words of time, channel and addressee allowed between the speaker and the opening of
# the statement ("هاتفيا من سبها الواقعة على مسافة 700 كيلومتر تقريبا جنوب طرابلس" is 11).
MAX_ADJUNCT_WORDS = 12
# A participle's statement must open within this many words (مبينا في الوقت ذاته أن).
MAX_PARTICIPLE_GAP = 4
# A subject written before its verb (SVO) is at most this long.
MAX_SUBJECT_WORDS = 12
# A quotation of fewer words that does not end the sentence is a name or a term
# ("سانا"، حركة "أحرار الشام"، «داعش»), not the statement itself.
MIN_QUOTATION_WORDS = 4
# quote_words counts no further than this (its callers ask at most MIN_QUOTATION_WORDS + 2).
QUOTE_WORDS_ENOUGH = MIN_QUOTATION_WORDS + 2
# A participle's speaker found by its head word alone is at most this long, and the
# subject kept from a verb whose object follows unmarked (اعتبر محللون سياسيون أردنيون
# تصرفات …) is cut to this many words: head and two modifiers.
MAX_HEAD_WORDS = 6
# A source that opens its sentence without a comma after it is at most this long.
MAX_LEAD_SOURCE_WORDS = 6
# Words after a person's name, before على/إلى/عن/بـ, that make them the verb's object
# rather than part of the speaker's title ("… عبده الحذيفي سيطرة الأجهزة الأمنية على").
# Two: a title after a name is rarely followed by one of those prepositions.
OBJECT_AFTER_NAME = 2
MAX_BARE_SUBJECT_WORDS = 3
# A subject before a plural verb needs no speaker word when it is this short (منتقدين،
# سكان محليون).
PLURAL_SUBJECT_WORDS = 3
# A headline's speaker before its colon is at most this many words ("العميد عسيري:").
MAX_HEADLINE_SPEAKER = 6
# Words a statement before "بحسب X" needs to stand alone; fewer, and the sentence
# goes on after the source ("واستهدفت الغارات، بحسب مصادر محلية، مواقع …").
MIN_STATEMENT_WORDS = 4
# How far a quotation mark left open may reach, in words (it also stops at its line end).
MAX_UNCLOSED_WORDS = 400
# A participle without a speaker in its own sentence goes on with the last speaker only
# when that speaker's statement ended at most this many sentences before.
PARTICIPLE_REACH = 2

OPEN = {"«": "»", "“": "”", "„": "”", "‹": "›"}
CLOSE = {"»", "”", "›"}
AMBIG = {'"', "'"}
QUOTE_CHARS = set(OPEN) | CLOSE | AMBIG
CLAUSE_PUNCT = {"،", ",", "؛", ";", ":", ".", "!", "?", "؟", "(", ")", "-", "–", "—", "/"}
# The closed-class word lists live in data/quotes/words.tsv (each with what it is for and
# where it came from), normalised on load.
_LISTS = data_lists("quotes/words.tsv")
_WORDS = {name: frozenset(normalize(w) for w in words) for name, words in _LISTS.items() if name != "trailing"}
# Words that open a clause without being part of a subject written before its verb.
DISCOURSE = _WORDS["discourse"]
# Words that open a new clause inside a sentence: a subject before a verb starts after them.
CLAUSE_OPENERS = _WORDS["clause_openers"]
PRONOUNS = _WORDS["pronouns"]
NEGATION = _WORDS["negation"]
ADDRESSEE_PRONOUNS = _WORDS["addressee_pronouns"]
# A preposition with a pronoun back to a statement (بيان قالت فيه الوزارة، كلمة أعرب فيها عن …).
RESUMPTIVE = _WORDS["resumptive"]
VERB_KINDS = ("verb", "relay", "chant", "stance")
# Present forms that, with no speaker, are impersonal: يذكر أن "it is worth noting".
IMPERSONAL = _WORDS["impersonal"]
# Words after which a cue form is a verbal noun, not a verb (رغم نفي، بعد اعلان، مع تأكيد).
NOMINAL_BEFORE = _WORDS["nominal_before"]
# Words that cannot open a speaker's phrase: questions and relatives (ترى ما هي المسارات).
NOT_SPEAKER_START = _WORDS["not_speaker_start"]
PREPOSITIONS = _WORDS["prepositions"]
# A reporting verb in a relative clause (القرار الذي يدعو الحركة الى …) describes its
# antecedent; it neither reports a statement nor names a speaker.
RELATIVE = _WORDS["relative"]
# The speaker of "بحسب قوله/تعبيره" is the one already speaking.
PRONOUN_SOURCE = re.compile(r"^(" + "|".join(normalize(w) for w in _LISTS["pronoun_source"])
                            + r")(" + "|".join(_LISTS["pronoun_suffix"]) + ")$")
# Proclitic and article prefixes, tried in file order; pronoun suffixes, longest first.
STEM_PREFIXES = _LISTS["stem_prefix"]
DEFINITE_PREFIXES = _LISTS["definite_prefix"]
PRONOUN_SUFFIXES = tuple(sorted(_LISTS["pronoun_suffix"], key=len, reverse=True))
WORD = re.compile(r"[\w]+|[^\w\s]")
_MARKS = re.compile("\n[ \t]*\n\\s*|[«»“”„‹›\"']")


@dataclass(slots=True)
class Tok:
    vs: int               # start in the view
    ve: int               # end in the view (exclusive)
    w: str                # normalised word or punctuation
    bare: str             # w without one leading و/ف
    sent: int             # sentence index
    inq: int = -1         # index of the innermost quotation it stands in, -1 outside


@dataclass
class Who:
    text: str
    start: int            # original offsets
    end: int
    entity: str | None = None


@dataclass
class Cand:
    cue: Cue
    cue_tok: int           # first token of the cue
    cue_end: int           # token after the cue
    speaker: Who | None
    cs: int                # content start (view)
    ce: int | None = None  # content end (view), None until split
    direct_open: int = -1  # quotation index when the statement is a quotation
    backward: bool = False
    date_region: tuple[int, int] = (0, 0)   # view range between cue and statement
    dropped: bool = False
    relay: Who | None = None
    subj_tok: int = -1     # first token of a subject written before the verb (SVO)
    embedded: bool = False # reported inside another statement: nested, does not cut it


@dataclass
class _State:
    last: Who | None = None
    last_sent: int = -10
    direct_sent: int = -10       # the last sentence whose last statement was a quotation
    by_sent: dict = field(default_factory=dict)   # sentence -> last speaker in it


_CUE_WORDS: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _cue_words(lex: Lexicon) -> frozenset[str]:
    """The words that begin some cue of ``lex`` (single or multi-word), once per lexicon."""
    got = _CUE_WORDS.get(id(lex))
    if got is None or got[0] is not lex:
        got = _CUE_WORDS[id(lex)] = (lex, frozenset(lex.cues) | frozenset(lex.multi))
    return got[1]


class Extractor:
    def __init__(self, article: Article, lex: Lexicon | None = None):
        self.a = article
        self.lex = lex or lexicon()
        self.view: NormText = view_of(article.text)
        v = self.view.text
        self.pairs = _quotations(v)
        self.toks = self._tokens()
        self.state = _State()
        self.pending: dict[int, Who | None] = {}
        self._cue_cache: dict[int, tuple[Cue, int] | None] = {}
        self.sent_end = {si: idx[-1] + 1 for si, idx in self.sent_tokens.items()}
        self._pair_at = {o: qi for qi, (o, _) in enumerate(self.pairs)}
        self._opens = [o for o, _ in self.pairs]       # in text order: pairs open in order
        self._qwords: dict[int, int] = {}
        self._pairs_by_close: dict | None = None
        self._tok_ent: dict[int, tuple[str, int]] | None = None

    # --- setup -------------------------------------------------------------

    def _tokens(self) -> list[Tok]:
        v = self.view.text
        offs = self.view.offsets
        sent_starts = [bisect.bisect_left(offs, s.start) for s in self.a.sentences or [Span(0, len(self.a.text))]]
        # the words first, then each sentence's run of them by bisection over their starts: a
        # token belongs to the last sentence starting at or before it (the first sentence also
        # takes any word before it); built in comprehensions, not a loop that tests every token
        # for a sentence change (the stage's largest cost, about 40 % of it)
        found = [(m.start(), m.end(), m.group()) for m in WORD.finditer(v)]
        n = len(found)
        tstarts = [f[0] for f in found]
        cuts = [0, *(bisect.bisect_left(tstarts, st) for st in sent_starts[1:]), n]
        self.sent_tokens: dict[int, list[int]] = {}
        sents = [0] * n
        for si in range(len(sent_starts)):
            lo, hi = cuts[si], cuts[si + 1]
            if hi > lo:
                self.sent_tokens[si] = list(range(lo, hi))
                sents[lo:hi] = [si] * (hi - lo)
        bares = [w[1:] if len(w) > 3 and w[0] in "وف" else w for _, _, w in found]
        toks = [Tok(st, en, w, bare, si) for (st, en, w), bare, si in zip(found, bares, sents)]
        # whether a token can start a cue at all (its word or bare form begins one): the walk
        # reads cues only there, and skips a sentence that has none
        cue_words = _cue_words(self.lex)
        self.maybe_cue = [f[2] in cue_words or bare in cue_words for f, bare in zip(found, bares)]
        # innermost quotation of each token: of the quotations that cover it, the one
        # opened last (the highest index). One sweep over the tokens with the open ones in a
        # heap; marking each quotation's tokens in turn was quadratic in nested marks
        # ("«" x 3000 then a close: 0.55 s of a 15,000-character input, fuzz campaign)
        starts = self._starts = tstarts
        covers = []
        for qi, (o, c) in enumerate(self.pairs):
            lo = bisect.bisect_right(starts, o)
            if c is None:
                # an unclosed quotation reaches the end of its line, and no further than
                # MAX_UNCLOSED_WORDS: a stray mark must not swallow the article
                stop = v.find("\n", o)
                stop = len(v) if stop < 0 else stop
                hi = min(len(toks), lo + MAX_UNCLOSED_WORDS)
            else:
                stop, hi = c, len(toks)
            end = min(hi, max(lo, bisect.bisect_left(starts, stop)))
            if lo < end:
                covers.append((lo, end, qi))
        covers.sort()
        open_q: list[tuple[int, int]] = []          # (-index, end): the innermost on top
        j = 0
        for k in range(covers[0][0] if covers else len(toks), len(toks)):
            while j < len(covers) and covers[j][0] <= k:
                heapq.heappush(open_q, (-covers[j][2], covers[j][1]))
                j += 1
            while open_q and open_q[0][1] <= k:
                heapq.heappop(open_q)
            if open_q:
                toks[k].inq = -open_q[0][0]
            elif j == len(covers):
                break
        return toks

    # --- helpers -----------------------------------------------------------

    def span(self, vs: int, ve: int) -> Span:
        return self.view.span(vs, ve)

    def who(self, i: int, j: int, strip_l: bool = False) -> Who | None:
        """The speaker of tokens [i, j): text and offsets in the original."""
        while j > i and (self.toks[j - 1].w in RELATIVE or self.toks[j - 1].w in ("و", "من")):
            j -= 1            # أحد السكان الذي …: the relative pronoun opens a clause about him
        if i >= j:
            return None
        vs = self.toks[i].vs
        w0 = self.toks[i].w
        if strip_l and w0.startswith("ل") and not w0.startswith("لل") and len(w0) > 3:
            vs += 1
        elif w0 in ("و", "ف") or (len(w0) > 3 and w0[0] == "و" and w0[1:3] == "ال"):
            vs += 1     # وانصار → keep the name without the conjunction
        sp = self.span(vs, self.toks[j - 1].ve)
        raw = self.a.text[sp.start:sp.end]
        text = raw.lstrip(" ،,")
        start = sp.start + len(raw) - len(text)
        text = text.rstrip(" ،,")
        return Who(text, start, start + len(text)) if text else None

    def is_punct(self, t: Tok) -> bool:
        return not t.w[0].isalnum()

    def stem(self, w: str) -> str:
        """A word without proclitics and article, for the speaker and stop lists."""
        for p in STEM_PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 3:
                return w[len(p):]
        return w

    def cue_at(self, i: int, end: int) -> tuple[Cue, int] | None:
        """The cue starting at token i and how many tokens it takes."""
        # a cue never runs past its sentence, so one reading per token will do
        if not self.maybe_cue[i]:
            return None
        hit = self._cue_cache.get(i, False)
        if hit is False:
            hit = self._cue_cache[i] = self._cue_at(i, self.sent_end[self.toks[i].sent])
        return hit

    def _cue_at(self, i: int, end: int) -> tuple[Cue, int] | None:
        t = self.toks[i]
        for w in (t.w, t.bare):
            for cue in self.lex.multi.get(w, ()):
                n = len(cue.words)
                if i + n <= end and all(self.toks[i + k].w == cue.words[k] for k in range(1, n)):
                    return cue, n
        for w in (t.w, t.bare):
            cue = self.lex.cues.get(w)
            if cue:
                if cue.kind in VERB_KINDS and i > 0 and self.toks[i - 1].sent == t.sent \
                        and self.toks[i - 1].w in NOMINAL_BEFORE and t.w == t.bare:
                    return None   # طالبا عدم ذكر اسمه، رغم نفي …: a verbal noun, no cue
                return cue, 1
        return None

    def quote_words(self, qi: int) -> int:
        if qi in self._qwords:
            return self._qwords[qi]
        o, c = self.pairs[qi]
        v = self.view.text
        if c is None:
            c = v.find("\n", o)
            c = len(v) if c < 0 else c
        # Counted up to the largest threshold asked of it: an unclosed quote runs to the end
        # of its line, and counting all of it for each of thousands of quotes was quadratic.
        n = 0
        for _ in WORD.finditer(v, o + 1, c):
            n += 1
            if n >= QUOTE_WORDS_ENOUGH:
                break
        self._qwords[qi] = n
        return n

    def quote_at(self, i: int) -> int:
        """Index of the quotation opened by token i, or -1."""
        t = self.toks[i]
        if t.w not in QUOTE_CHARS:
            return -1
        return self._pair_at.get(t.vs, -1)

    def quote_end_tok(self, qi: int, i: int) -> int:
        """The token after the closing mark of quotation qi opened at token i."""
        c = self.pairs[qi][1]
        j = i + 1
        while j < len(self.toks) and (c is None or self.toks[j].vs <= c):
            if c is None and self.toks[j].sent != self.toks[i].sent:
                break
            j += 1
        return j

    def long_quotation(self, qi: int, i: int, end: int) -> bool:
        """A quotation that is a statement, not a quoted name or term."""
        if self.quote_words(qi) >= MIN_QUOTATION_WORDS:
            return True
        j = self.quote_end_tok(qi, i)
        return j >= end or self.toks[j].w in (".", "!", "؟", "?")

    # --- speaker phrases ---------------------------------------------------

    def np_end(self, i: int, end: int, cue: Cue | None) -> int:
        """Where the speaker phrase that starts at token i ends (exclusive)."""
        stops = self.lex.stops
        j = i
        while j < end and j - i < MAX_SPEAKER_WORDS:
            t = self.toks[j]
            w = t.bare if t.bare != t.w and t.w[0] == "و" else t.w
            if t.w in QUOTE_CHARS:
                qi = self.quote_at(j)
                if qi < 0 or self.long_quotation(qi, j, end):
                    break
                j = self.quote_end_tok(qi, j)
                continue
            if t.w == "(":
                k = j + 1
                while k < end and self.toks[k].w != ")" and k - j < 5:
                    k += 1
                if k < end and self.toks[k].w == ")" and k - j <= 4:
                    j = k + 1
                    continue
                break
            if self.is_punct(t):
                break
            # prepositions that open an adjunct or the statement: مصدر مطلع على الملف stops
            # at على; the bare ل/ب of لـ"الوطن"، بـ"الفعل الجبان" likewise
            if w in ("عن", "الي", "علي", "ل", "ب"):
                break
            if j > i and w in _TOLL_MASDARS:
                break             # أفاد مصدر أمني إصابة ثلاثة أشخاص: the statement starts bare
            if w == "اول" and j + 2 < end and self.toks[j + 1].w == "من" and self.toks[j + 2].w == "امس":
                break             # أول من أمس: the day before yesterday
            cls = stops.get(w) or stops.get(t.w)
            if cls in ("time", "manner", "intro_an", "object"):
                break
            if w == "في" and j + 1 < end and self.is_channel(self.toks[j + 1].w):
                break
            if j == i and (w in PREPOSITIONS or w in NOT_SPEAKER_START):
                break             # قال في …، ترى ما هي …: an adjunct or a question, no speaker here
            if j > i and w[0] == "ل" and len(w) > 3:
                prev_ent = self.tok_ent(j - 1)
                # أكد الرئيس باراك أوباما لدول مجلس التعاون: the addressee after the speaker's
                # name; but not inside an organisation named after a person (باسم مركز الملك
                # سلمان للإغاثة)
                if prev_ent and prev_ent[0] == "PER" and self.tok_ent(j) is None and not any(
                        self.toks[k].w == "باسم" or self.head_class(k) in ("institution", "media", "group",
                                                                            "monitor", "ORG")
                        for k in range(i, j)):
                    break
            if w == "من" and j + 1 < end and self.lex.stops.get(self.toks[j + 1].w) == "manner":
                break
            if w[0] in "بل" and len(w) >= 3:
                rest = w[1:]
                forms = {rest, rest[2:] if rest.startswith("ال") else rest}
                if w.startswith("لل"):
                    forms |= {"ال" + w[2:], w[2:]}        # للصحافيين = ل + الصحافيين
                c2 = next((stops[f] for f in forms if f in stops), None)
                if (w[0] == "ب" and c2 == "channel") or (w[0] == "ل" and c2 == "addressee"):
                    break
                if w[0] == "ب" and cue is not None and "bi" in cue.intros and j > i and self.bi_intro(w):
                    break         # طالبت حركة حماس بفتح مواجهة …: بـ + verbal noun opens the demand
            hit = self.cue_at(j, end)
            if hit and (j > i or hit[0].kind == "participle"):
                break             # وتابع قائلا: …: the participle is no speaker
            j += 1
        return j

    def bi_intro(self, w: str) -> bool:
        """بمقتل، بفتح، بوقف: بـ + a verbal noun opening what was reported or demanded; not
        بوزارة (a place in a title), باسم, بالقول or a channel (ببيان، بتصريح)."""
        if not w.startswith("ب") or len(w) < 3:
            return False
        rest = w[1:]
        if rest.startswith("ال"):
            # أقر بالهزيمة، طالب بالإفراج: a definite verbal noun; not بالقول، بالأمس، ببيان
            bare = rest[2:]
            return len(bare) >= 3 and self.lex.stops.get(w) is None and self.lex.stops.get(bare) is None \
                and self.lex.stops.get(rest) is None and not self.is_channel(bare) and bare not in self.lex.speakers
        if _masdar(rest):
            return True
        if len(rest) < 3:
            return False
        return rest not in self.lex.speakers and rest != "اسم" and not self.is_channel(rest) \
            and self.lex.stops.get(w) is None

    def is_channel(self, w: str) -> bool:
        """تصريح، بيانها، خطابه، كلمتها: a word for the channel of a statement."""
        for cand in {w, self.stem(w)} | _unsuffix(w) | _unsuffix(self.stem(w)):
            if self.lex.stops.get(cand) == "channel":
                return True
        return False

    def adjunct_at(self, e: int, end: int) -> bool:
        """Whether a time or channel adjunct stands at token e (اعلنت دمشق الاثنين على لسان …):
        the phrase before it is then the verb's subject, not its object."""
        if e >= end:
            return False
        w = self.toks[e].w
        if self.lex.stops.get(w) == "time" or self.toks[e].w == "علي" and e + 1 < end and self.toks[e + 1].w == "لسان":
            return True
        return w == "في" and e + 1 < end and self.is_channel(self.toks[e + 1].w)

    def is_head(self, i: int) -> bool:
        """Whether token i can open a speaker phrase: a title, source word or entity."""
        t = self.toks[i]
        if self.is_punct(t):
            return False
        if t.w[0] in "لب" and t.w not in self.lex.speakers:
            return False          # لمنظمة، بوزارة: the object of a preposition, not a speaker
        if self.speaker_word(t.w):
            return True
        ent = self.tok_ent(i)
        return ent is not None and ent[0] in ("PER", "ORG", "NORP", "GPE")

    def speaker_word(self, w: str) -> str | None:
        """The class of a speaker head word, also in the accusative with its tanween alif
        (لكن متحدثا باسم الوحدات قال، أن مصدرا أمنيا أكد)."""
        sp = self.lex.speakers
        s = self.stem(w)
        return sp.get(s) or sp.get(w) or (sp.get(s[:-1]) if s.endswith("ا") and len(s) > 3 else None)

    def head_class(self, i: int) -> str | None:
        t = self.toks[i]
        cls = self.speaker_word(t.w)
        if cls:
            return cls
        ent = self.tok_ent(i)
        return ent[0] if ent else None

    def tok_ent(self, i: int) -> tuple[str, int] | None:
        """(entity type, end in the original) of the mention that covers token i, a
        person before an organisation where mentions overlap."""
        if self._tok_ent is None:
            self._tok_ent = {}
            offs, n = self.view.offsets, len(self.toks)
            for e in self.a.entities:
                rank = _PREFER.get(e.type, 6)
                for m in e.mentions:
                    v0 = bisect.bisect_left(offs, m.start)
                    k = bisect.bisect_right(self._starts, v0) - 1     # the token holding it (وبغداد)
                    if k < 0 or self.toks[k].ve <= v0:
                        k += 1
                    while k < n and offs[self.toks[k].vs] < m.end:
                        old = self._tok_ent.get(k)
                        if old is None or rank < _PREFER.get(old[0], 6):
                            self._tok_ent[k] = (e.type, m.end)
                        k += 1
        return self._tok_ent.get(i)

    # --- the statement opener ----------------------------------------------

    def intro(self, k: int, end: int, cue: Cue, budget: int) -> tuple[int, int, int] | None:
        """Find the opening of the statement from token k: (content start view, token, quotation)."""
        j = k
        words = 0                 # the budget counts words: marks and commas are free
        skipped = 0
        while j < end and words <= budget and skipped <= MAX_SKIPPED_QUOTES:
            t = self.toks[j]
            w = t.w
            if not self.is_punct(t):
                words += 1
            if w in QUOTE_CHARS:
                qi = self.quote_at(j)
                if qi >= 0 and "quote" in cue.intros and self.long_quotation(qi, j, end):
                    return t.ve, j, qi
                if qi >= 0:
                    j = self.quote_end_tok(qi, j)
                    skipped += 1
                    continue
            if w == ":" and "colon" in cue.intros:
                return self._after(j + 1, end)
            if self.lex.stops.get(w) == "intro_an" and ("an" in cue.intros or cue.kind in ("participle",)):
                return self._after(j + 1, end, opener=t)
            if w == "الي" and "ila" in cue.intros:
                if j + 1 < end and self.lex.stops.get(self.toks[j + 1].w) == "intro_an":
                    return self._after(j + 2, end, opener=self.toks[j + 1])
                return self._after(j + 1, end)
            if w == "عن" and "an_prep" in cue.intros:
                return self._after(j + 1, end)
            if w == "علي" and "ala" in cue.intros:
                return self._after(j + 1, end)
            if w == "من" and "min" in cue.intros and j == k:
                return self._after(j + 1, end)
            if "bi" in cue.intros and self.bi_intro(w):
                return t.vs + 1, j, -1
            if j == k and w in _TOLL_MASDARS and cue.kind == "verb":
                return self._after(j, end)   # أفاد مصدر أمني إصابة ثلاثة أشخاص …: a bare opener
            hit = self.cue_at(j, end) if j > k else None
            if hit and hit[0].words[:2] == ("علي", "لسان"):
                j += hit[1]          # أعلن الجيش على لسان المتحدث باسمه أن …: the mouth, an adjunct
                continue
            if hit and hit[0].kind == "according" and j > k and self.toks[j - 1].w in ("،", ","):
                # وقالت مصادر، بحسب سكاي نيوز، إن …: a source set off by commas, then the opener
                m = j + hit[1]
                while m < end and self.toks[m].w not in ("،", ",") and m - j <= MAX_SPEAKER_WORDS:
                    m += 1
                if m < end and self.toks[m].w in ("،", ","):
                    j = m + 1
                    continue
            if hit and cue.kind != "chant":
                return None
            if w in (".", "!", "؟", "?"):
                return None
            j += 1
        return None

    def _after(self, j: int, end: int, opener: Tok | None = None):
        """Content starting at token j; a quotation right there makes it a direct statement."""
        if j >= end:
            return None
        t = self.toks[j]
        if self.lex.stops.get(t.w) == "intro_an":      # "قال: إن …"
            j += 1
            if j >= end:
                return None
            t = self.toks[j]
        if t.w in QUOTE_CHARS:
            qi = self.quote_at(j)
            if qi >= 0 and self.long_quotation(qi, j, end):
                return t.ve, j, qi
        return t.vs, j, -1

    # --- resolution --------------------------------------------------------

    def subject_before(self, i: int, start: int) -> tuple[int, int] | None:
        """A subject written before the verb at token i (SVO), as a token range."""
        t = self.toks[i]
        if t.w != t.bare:          # وقال، فقالت: the و opens a verb-first clause
            return None
        j = i
        while j > start and i - j < MAX_SUBJECT_WORDS + 3:
            p = self.toks[j - 1]
            if p.w in CLAUSE_PUNCT or p.w in QUOTE_CHARS or self.cue_at(j - 1, i) \
                    or self.lex.stops.get(p.w) == "intro_an" or p.w in CLAUSE_OPENERS:
                break
            j -= 1
        while j < i and (self.toks[j].w in DISCOURSE or self.toks[j].w in PRONOUNS
                         or self.toks[j].w in ("في", "حين")):
            if self.toks[j].w in PRONOUNS:
                return None
            j += 1
        e = i
        if e > j and self.toks[e - 1].w in ("قد", "لقد"):
            e -= 1
        if j >= e or e - j > MAX_SUBJECT_WORDS:
            return None
        kana = j > start and self.toks[j - 1].w in _WORDS["kana"]
        if not self.is_head(j) and not (kana and self.toks[j].w not in PREPOSITIONS):
            # لكن منتقدين يقولون إن …: a plural verb agrees with the short subject before it;
            # وكانت نادية السقاف … قالت: كان + subject + verb is always subject first
            if not (t.bare.endswith(("ون", "وا")) and e - j <= PLURAL_SUBJECT_WORDS
                    and self.toks[j].w not in PREPOSITIONS and not self.is_punct(self.toks[j])):
                return None
        return j, e

    def nearest_head(self, i: int, start: int) -> Who | None:
        """The closest speaker phrase before token i in its sentence (for participles).

        Only a person or a source word will do (وزير، مسؤول، مصدر، وكالة): an institution
        there is more often the object of what the sentence reports."""
        for j in range(i - 1, start - 1, -1):
            if self.is_head(j) and self.head_class(j) in ("official", "anonymous", "media", "PER") and not (j > start and self.is_head(j - 1)
                                        and self.toks[j - 1].w not in DISCOURSE):
                e = self.np_end(j, i, None)
                gap = [t for t in self.toks[e:i] if not self.is_punct(t) and self.lex.stops.get(t.w) != "time"]
                # "وزير الخارجية السوري وليد المعلم الاثنين داعيا": the phrase must reach the
                # participle; a long phrase that does not is the object of another verb
                if gap or e - j > MAX_HEAD_WORDS:
                    return None
                return self.who(j, e)
        return None

    def resolve_verb(self, cue: Cue, i: int, n: int, start: int, end: int) -> Cand | None:
        prev = self.toks[i - 1].w if i > start else ""
        if prev in NEGATION or prev in RELATIVE or prev in NOMINAL_BEFORE:
            return None           # لم يذكر، الذي يدعو، رغم نفي …: no report here
        j = i + n
        relay = None
        while j < end and (self.toks[j].w in ADDRESSEE_PRONOUNS or self.toks[j].w in RESUMPTIVE):
            j += 1                   # قال لنا قائد الكتيبة، بيان قالت فيه الوزارة: not the speaker
        e = self.np_end(j, end, cue)
        post = self.who(j, e)
        k = e
        if cue.kind == "stance":
            # أدان الوزراء …، مشيرين إلى أن …: no statement of its own, but its subject
            # is the speaker of the participles that follow
            # (not remembered for later sentences: هاجم مسلحون حاجزا is an attack, and the
            # next "وأضاف" is not theirs)
            # the subject of a stance verb needs no speaker word (رحب الحوثي بالحلول …)
            if post and j < end and self.toks[i].inq < 0 and self.toks[j].w not in PREPOSITIONS:
                self.pending[self.toks[i].sent] = self.short_subject(j, e)
            return None
        if cue.kind == "relay":
            # نقلت وكالة الأنباء الرسمية (سانا)، من جهتها، عن مصدر عسكري: "…"
            m = e
            while m < end and m - e <= 6 and self.toks[m].w != "عن":
                m += 1
            if m < end and self.toks[m].w == "عن":
                e2 = self.np_end(m + 1, end, cue)
                src = self.who(m + 1, e2)
                if src:
                    relay, post, k = post, src, e2
        svo = self.subject_before(i, start)
        subj = self.who(*svo) if svo else None
        found = self.intro(k, end, cue, MAX_ADJUNCT_WORDS)
        speaker = subj or post
        inside = self.toks[i].inq >= 0
        # a verb that reports nothing here may still name who speaks next (نفت الوزارة
        # تلك المعلومات. وقالت …), but only when its phrase opens with a speaker word
        if speaker and not inside and (found or subj or self.adjunct_at(e, end)):
            self._remember(speaker, self.toks[i].sent)
        back = None if found else self.quotation_before(i, start)
        if not found and back is None:
            if post and not subj and j < end and self.is_head(j) and not inside and not self.adjunct_at(e, end):
                # اعتبر محللون سياسيون أردنيون تصرفات …، مؤكدين أن …: a participle later in the
                # sentence goes on with this verb's subject; keep its head words only, as the
                # verb's object follows with no mark between them
                short = self.short_subject(j, e)
                self.pending[self.toks[i].sent] = short
                if short:
                    self._remember(short, self.toks[i].sent)
            return None
        if speaker is None and self.toks[i].bare in IMPERSONAL:
            return None           # يذكر أن …، ويذكر أن: "it is worth noting", nobody speaks
        if speaker is None:
            speaker = self.state.last
        if speaker is None:
            return None
        if back is not None:
            # «لن نسمح بتكرار ما حدث»، قال رئيس البلدية: the speaker comes after the quotation
            o, cl = self.pairs[back]
            c = Cand(cue, i, i + n, speaker, o + 1, cl, direct_open=back, backward=True)
            c.date_region = (self.toks[i].vs, self.toks[min(k, end - 1)].ve)
            return c
        cs, ctok, qi = found
        if post is speaker and ctok - 1 == e and self.toks[e].w in ("علي", "الي", "عن") or \
                post is speaker and ctok == e and self.bi_intro(self.toks[e].w):
            cut = self.name_end(j, e)
            if cut is not None:
                # أكد وزير الداخلية عبده الحذيفي سيطرة الأجهزة الأمنية على مدينة عدن: the
                # words after the name are the verb's object, and so the statement
                speaker, cs, qi = self.who(j, cut), self.toks[cut].vs, -1
        c = Cand(cue, i, i + n, speaker, cs, direct_open=qi, relay=relay)
        c.date_region = (self.toks[i].vs, cs)
        if subj:
            c.date_region = (self.toks[svo[0]].vs, cs)
            c.subj_tok = svo[0]
        return c

    def name_end(self, j: int, e: int) -> int | None:
        """The token after the last person named in tokens [j, e), when at least
        OBJECT_AFTER_NAME words follow it there."""
        last = None
        for k in range(j, e):
            ent = self.tok_ent(k)
            if ent and ent[0] == "PER":
                last = k
        if last is None or e - (last + 1) < OBJECT_AFTER_NAME:
            return None
        return last + 1

    def sentence_subject(self, start: int, i: int) -> Who | None:
        """The subject of a sentence that opens with a verb and a speaker word (وألقى الشيخ
        أحمد عبدالرب النقيب كلمة …، مشيرا الى …)."""
        j = start
        while j < i and (self.toks[j].w in DISCOURSE or self.is_punct(self.toks[j])):
            j += 1
        if j + 1 < i and self.toks[j].w == "من" and self.lex.stops.get(self.toks[j + 1].w) == "manner":
            j += 2                # من جانبه، هاجم زيد أبو زيد …
            while j < i and self.is_punct(self.toks[j]):
                j += 1
        if j + 1 >= i or self.is_punct(self.toks[j]) or self.is_head(j):
            return None
        h = j + 1
        if not self.is_head(h) or self.head_class(h) not in ("official", "anonymous", "media", "PER", "institution"):
            return None
        return self.short_subject(h, self.np_end(h, i, None))

    def short_subject(self, j: int, e: int) -> Who | None:
        """The subject of a verb whose object follows it unmarked: an entity mention, or the
        head and up to MAX_BARE_SUBJECT_WORDS - 1 words after it."""
        for h in range(j, min(e, j + 2)):
            ent = self.tok_ent(h)
            if ent:
                # الشيخ [أحمد عبدالرب النقيب]: the title and the name it opens
                k = h
                while k < e and self.view.offsets[self.toks[k].vs] < ent[1]:
                    k += 1
                return self.who(j, k)
        k = j + 1
        while k < min(e, j + MAX_BARE_SUBJECT_WORDS):
            w = self.toks[k].w
            if w[0] in "بل" and w != "باسم":
                break             # ورحب الوزراء بعودة …: a prepositional object starts
            k += 1
        return self.who(j, k)

    def quotation_before(self, i: int, start: int) -> int | None:
        """The quotation that ends right before the cue at token i ("…"، قال …), if any."""
        j = i - 1
        while j >= start and self.toks[j].w in ("،", ",", "-", "–", "—"):
            j -= 1
        if j < start or self.toks[i - 1].w not in ("،", ",", "-", "–", "—") and j != i - 1:
            return None
        if self.toks[j].w not in CLOSE and self.toks[j].w not in AMBIG:
            return None
        if self._pairs_by_close is None:      # built once: a scan of all pairs per cue was quadratic
            self._pairs_by_close = {}
            for qi, (o, cl) in enumerate(self.pairs):
                self._pairs_by_close.setdefault(cl, []).append(qi)
        for qi in self._pairs_by_close.get(self.toks[j].vs, ()):
            if self.quote_words(qi) >= MIN_QUOTATION_WORDS - 1:
                return qi
        return None

    def resolve_participle(self, cue: Cue, i: int, n: int, start: int, end: int, cands: list[Cand]) -> Cand | None:
        found = self.intro(i + n, end, cue, MAX_PARTICIPLE_GAP)
        if not found and "obj" in cue.intros and i + n < end and not self.is_punct(self.toks[i + n]):
            found = (self.toks[i + n].vs, i + n, -1)
        if not found:
            return None
        # a statement of the sentence gives its speaker; a trailing "بحسب X" does not make X
        # the subject of the sentence
        speaker = next((c.speaker for c in reversed(cands) if not c.dropped and not c.backward), None)
        if speaker is None:
            speaker = self.pending.get(self.toks[i].sent)
        if speaker is None:
            speaker = self.sentence_subject(start, i)
        if speaker is None:
            speaker = self.nearest_head(i, start)
        lead = all(self.toks[k].w in DISCOURSE or self.is_punct(self.toks[k]) for k in range(start, i))
        if speaker is None and lead and self.state.last and self.toks[i].sent - self.state.last_sent <= PARTICIPLE_REACH:
            # ". مؤكدا استعداد التحالف …": a sentence that opens with the participle goes on
            # with the last speaker; one with a clause of its own before it has another subject
            speaker = self.state.last
        if speaker is None:
            return None
        cs, _, qi = found
        c = Cand(cue, i, i + n, speaker, cs, direct_open=qi)
        c.date_region = (self.toks[i].vs, cs)
        return c

    def resolve_according(self, cue: Cue, i: int, n: int, start: int, end: int) -> tuple[Cand | None, int]:
        j = i + n
        if cue.words[:2] == ("علي", "لسان"):
            # واعلنت دمشق على لسان وزير خارجيتها …: the verb of the clause has the statement
            k = i - 1
            while k >= start and self.toks[k].w not in CLAUSE_PUNCT:
                hit = self.cue_at(k, i)
                if hit and hit[0].kind in ("verb", "relay"):
                    return None, n
                k -= 1
        if j < end and self.toks[j].w == "ما":
            # بحسب ما أفاد …: only a reporting verb may follow
            nxt = self.cue_at(j + 1, end) if j + 1 < end else None
            if not nxt or nxt[0].kind not in ("verb", "relay"):
                return None, n
            j += 1 + nxt[1]
            n = j - i
        elif cue.lemma in ("حسبما", "بحسبما"):
            nxt = self.cue_at(j, end) if j < end else None
            if not nxt or nxt[0].kind not in ("verb", "relay"):
                return None, n
            j += nxt[1]
            n = j - i
        while j < end and self.lex.stops.get(self.toks[j].w) == "time":
            j += 1
        if j < end and PRONOUN_SOURCE.match(self.toks[j].w):
            speaker, e = self.state.last, j + 1
        else:
            w0 = self.toks[j].w if j < end else ""
            if w0 and (({w0, self.stem(w0)} | _unsuffix(w0) | _unsuffix(self.stem(w0))) & self.lex.not_sources):
                return None, n      # وفق القانون، حسب الخطة: "in keeping with", no source
            e = self.np_end(j, end, None)
            speaker = self.who(j, e, strip_l=cue.lemma in ("وفقا", "طبقا"))
            if speaker and self.toks[i].inq < 0 and self.is_head(j):
                self._remember(speaker, self.toks[i].sent)
        if speaker is None:
            return None, n
        lead = all(self.toks[k].w in DISCOURSE for k in range(start, i))
        if lead and e < end and not any(self.toks[k].w in ("،", ",") for k in range(j, min(end, j + MAX_SPEAKER_WORDS + 1))):
            # "وطبقا للبيان استهدفت الضربات …": no comma closes the source, so it ends where
            # its noun phrase does: definite words, or a word after an indefinite one (idafa)
            k = j + 1
            while k < e and k - j < MAX_LEAD_SOURCE_WORDS:
                w, prev = self.toks[k].w, self.toks[k - 1].w
                if not (_definite(w) or not _definite(prev)):
                    break
                k += 1
            e = k
            speaker = self.who(j, e, strip_l=cue.lemma in ("وفقا", "طبقا"))
            if speaker is None:
                return None, n
        if lead:
            # ووفق معلومات من شهود عيان، فقد استطاع …: the statement follows the source
            k = e
            while k < end and (self.toks[k].w in ("،", ",") or self.toks[k].w in _WORDS["resumption"]):
                k += 1
            if k < end:
                c = Cand(cue, i, i + n, speaker, self.toks[k].vs)
                return c, n
            # "… بحسب موقع ترك برس." on its own: the statement is the sentence before
            prev = self.sent_tokens.get(self.toks[i].sent - 1)
            if not prev:
                return None, n
            c = Cand(cue, i, i + n, speaker, self.toks[prev[0]].vs, self.toks[prev[-1]].ve, backward=True)
            return c, n
        # words before the cue, counted only as far as the tests below look (a full count per cue was quadratic)
        before = 0
        for k in range(start, i):
            if not self.is_punct(self.toks[k]) and self.toks[k].w not in DISCOURSE and self.toks[k].w not in ("وذلك", "ذلك"):
                before += 1
                if before >= MIN_STATEMENT_WORDS:
                    break
        if before == 0:
            # "… . وذلك بحسب البي بي سي": the statement is the sentence before
            prev = self.sent_tokens.get(self.toks[i].sent - 1)
            if not prev:
                return None, n
            return Cand(cue, i, i + n, speaker, self.toks[prev[0]].vs, self.toks[prev[-1]].ve, backward=True), n
        if before < MIN_STATEMENT_WORDS and e < end:
            # "واستهدفت الغارات، بحسب مصادر محلية، مواقع للتنظيم": the statement goes on
            # after the source, so it is the whole sentence
            c = Cand(cue, i, i + n, speaker, self.toks[start].vs, self.toks[end - 1].ve, backward=True)
            return c, n
        c = Cand(cue, i, i + n, speaker, self.toks[start].vs, self.toks[i].vs, backward=True)
        return c, n

    def _remember(self, who: Who, sent: int) -> None:
        self.state.last, self.state.last_sent = who, sent

    # --- the walk ----------------------------------------------------------

    def run(self) -> list[Cand]:
        out: list[Cand] = []
        for si in sorted(self.sent_tokens):
            idx = self.sent_tokens[si]
            start, end = idx[0], idx[-1] + 1
            cands: list[Cand] = []
            if si == 0:
                head = self.headline(start, end)
                if head:
                    cands.append(head)
            i = start if any(self.maybe_cue[start:end]) else end    # no cue word: no statement to find
            first_open = min((o.cs for o in cands if not o.backward), default=None)
            while i < end:
                hit = self.cue_at(i, end)
                if not hit:
                    i += 1
                    continue
                cue, n = hit
                c = None
                if cue.kind in ("verb", "relay", "chant", "stance"):
                    c = self.resolve_verb(cue, i, n, start, end)
                elif cue.kind == "participle":
                    c = self.resolve_participle(cue, i, n, start, end, cands)
                elif cue.kind == "according":
                    c, n = self.resolve_according(cue, i, n, start, end)
                if c and self.inside_statement(c, cands, start, first_open):
                    # وقال البيان ان رئيس الوزراء دعا الى …: a report inside the statement is
                    # kept as a nested quote when its subject is named, dropped otherwise
                    if c.subj_tok < 0 and c.cue.kind != "participle":
                        c = None
                    elif c.cue.kind != "participle":
                        c.embedded = True
                if c:
                    cands.append(c)
                    if not c.backward:
                        first_open = c.cs if first_open is None else min(first_open, c.cs)
                    if not c.backward and self.toks[i].inq < 0:
                        self._remember(c.speaker, si)
                i += n
            if not cands:
                more = self.quotation_goes_on(si, start, end)
                if more:
                    cands.append(more)
                    self._remember(more.speaker, si)
            self._split(cands, start, end)
            out.extend(c for c in cands if not c.dropped)
            kept = [c for c in cands if not c.dropped and not c.backward]
            if kept and kept[-1].direct_open >= 0:
                self.state.direct_sent = si
        return _dedupe(out)

    def quotation_goes_on(self, si: int, start: int, end: int) -> Cand | None:
        """A sentence that is one long quotation with no cue, right after a sentence that
        ended in someone's quotation: the same speaker goes on (وقال نائب السفير "…".
        "سورية أصبحت ملاذا آمنا …")."""
        if self.state.direct_sent != si - 1 or self.state.last is None or self.state.last_sent != si - 1:
            return None
        qi = self.quote_at(start)
        if qi < 0 or self.quote_words(qi) < MIN_QUOTATION_WORDS + 2:
            return None
        after = self.quote_end_tok(qi, start)
        if any(not self.is_punct(self.toks[k]) for k in range(after, end)):
            return None       # words after the quotation: it is not the whole sentence
        o, cl = self.pairs[qi]
        cue = Cue(self.view.text[o], "continued", frozenset(), (self.view.text[o],))
        return Cand(cue, start, start + 1, self.state.last, o + 1, direct_open=qi)

    def headline(self, start: int, end: int) -> Cand | None:
        """A headline "SPEAKER: statement" (العميد عسيري: هدفنا إعادة الحكومة …، مصادر يمنية:
        الحوثيون يتراجعون …) on the first line. A place before the colon is a dateline or a
        topic (حلب: مقتل خمسة أطفال), not a speaker."""
        if "\n" not in self.view.text[self.toks[end - 1].ve:self.toks[end - 1].ve + 3] and end < len(self.toks):
            return None          # only a line of its own is a headline
        colon = next((k for k in range(start, min(end, start + MAX_HEADLINE_SPEAKER + 1))
                      if self.toks[k].w == ":"), None)
        if colon is None or colon == start or end - colon - 1 < 3:
            return None
        if self.head_class(start) not in ("official", "anonymous", "media", "monitor", "institution",
                                          "group", "PER", "ORG"):
            return None
        if any(self.cue_at(k, end) for k in range(start, colon)):
            return None          # "وقال الوزير: …" is the verb's, not a headline's
        speaker = self.who(start, colon)
        if speaker is None:
            return None
        c = Cand(Cue(":", "headline", frozenset(), (":",)), colon, colon + 1, speaker, self.toks[colon + 1].vs)
        return c

    def inside_statement(self, c: Cand, cands: list[Cand], start: int, first_open: int | None = -1) -> bool:
        """Whether the cue of c stands inside an earlier statement of its sentence and
        does not open a new one: no و/ف on the verb and no comma or discourse word before
        it (… ان المجتمعين شددوا على …), or its subject is inside that statement."""
        i = c.cue_tok
        # only the earliest opened statement matters: ``first_open`` is its start, kept by
        # the caller as cands grow (recomputing it per cue was quadratic)
        if first_open == -1:
            first_open = min((o.cs for o in cands if not o.backward), default=None)
        if first_open is None or first_open > self.toks[i].vs:
            return False
        if c.subj_tok >= 0 and first_open <= self.toks[c.subj_tok].vs:
            return True
        if c.cue.kind == "according" or c.cue.kind == "participle":
            return False
        t = self.toks[i]
        prev = self.toks[i - 1] if i > start else None
        return t.w == t.bare and prev is not None and not self.is_punct(prev) and prev.w not in DISCOURSE

    def _split(self, cands: list[Cand], start: int, end: int) -> None:
        """End each statement at the next cue of its sentence, its sentence end or its quotation."""
        sent_end = self.toks[end - 1].ve
        points = sorted(((self.toks[c.cue_tok].vs, c) for c in cands), key=lambda p: p[0])
        for c in cands:
            if c.backward:
                if c.ce is None:
                    c.ce = self.toks[c.cue_tok].vs
                continue
            if c.direct_open >= 0:
                close = self.pairs[c.direct_open][1]
                if close is not None:
                    c.ce = close
                    continue
            ce = sent_end
            for vs, o in points:
                if vs <= c.cs or o is c or o.embedded:
                    continue
                # a cue inside a quotation of the statement starts a nested quote, not a new one
                qi = self._inner_quote(vs)
                if qi >= 0 and self.pairs[qi][0] >= c.cs:
                    continue
                ce = vs
                break
            c.ce = ce
        for c in cands:
            # the statement is already someone's: "أفادت المعارضة بمقتل …، حسب بيان …"
            if c.backward and any(o is not c and not o.backward and o.cs < c.ce and c.cs < o.ce for o in cands):
                c.dropped = True

    def _inner_quote(self, vs: int) -> int:
        """The innermost quotation around the token that starts at view offset vs."""
        k = bisect.bisect_left(self._starts, vs)
        return self.toks[k].inq if k < len(self.toks) and self.toks[k].vs == vs else -1


def _definite(w: str) -> bool:
    """ال-words, with a proclitic or as لل (الأنباء، والمرصد، للبيان)."""
    return w.startswith(DEFINITE_PREFIXES)


def _unsuffix(w: str) -> set[str]:
    """A word without an attached pronoun (بيانها → بيان، كلمته → كلمه، هتافاتهم → هتافات)."""
    for suf in PRONOUN_SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            stem = w[: -len(suf)]
            return {stem, stem[:-1] + "ه"} if stem.endswith("ت") else {stem}
    return {w}


def _masdar(rest: str) -> bool:
    """A verbal noun after بـ opening a statement (أفاد بمقتل، طالب برحيل)."""
    return rest in _MASDARS


# Verbal nouns that follow أفاد/طالب/هدد/توعد + بـ at the head of a statement: the speaker
# phrase cannot run on into them (أفادت مصادر بمقتل …، طالب برحيل …).
_MASDARS = _WORDS["masdars"]
# The toll ones among them also open a statement bare, with no أن and no بـ (np_end).
_TOLL_MASDARS = _WORDS["toll_masdars"]


def _quotations(v: str) -> list[tuple[int, int | None]]:
    """Pairs of quotation marks (open, close) over the view; nested pairs kept; unclosed → None.

    A quotation left open at a paragraph break stays open only when the next paragraph
    opens with the same mark (the press habit for quotations of several paragraphs).
    """
    pairs: list[list] = []
    stack: list[int] = []        # indices into pairs
    n = len(v)
    skip = -1                    # the repeated opening mark of a continued quotation
    for m in _MARKS.finditer(v):
        i, ch = m.start(), m.group()
        if i == skip:
            continue
        if ch[0] == "\n":
            j = m.end()
            keep = [k for k in stack if j < n and v[j] == v[pairs[k][0]] and v[j] in OPEN]
            stack = keep
            if keep:
                skip = j
            continue
        if ch == "«" and stack and v[pairs[stack[-1]][0]] == "»":
            pairs[stack.pop()][1] = i          # »…« : guillemets written the other way round
        elif ch in OPEN:
            pairs.append([i, None])
            stack.append(len(pairs) - 1)
        elif ch in CLOSE:
            for pos in range(len(stack) - 1, -1, -1):
                o = pairs[stack[pos]][0]
                if OPEN.get(v[o]) == ch:
                    pairs[stack[pos]][1] = i
                    del stack[pos:]
                    break
            else:
                if ch == "»" and stack and v[pairs[stack[-1]][0]] == "»":
                    pairs[stack.pop()][1] = i  # »المدينة»: the same mark on both sides
                elif ch == "»":
                    pairs.append([i, None])    # some sites open with » and close with «
                    stack.append(len(pairs) - 1)
        elif ch in AMBIG:
            if ch == "'" and 0 < i < n - 1 and v[i - 1].isalpha() and v[i + 1].isalpha():
                continue          # an apostrophe inside a Latin word
            if stack and v[pairs[stack[-1]][0]] == ch:
                pairs[stack.pop()][1] = i
            elif ch == '"':
                pairs.append([i, None])
                stack.append(len(pairs) - 1)
    return [(o, c) for o, c in pairs]


def _dedupe(cands: list[Cand]) -> list[Cand]:
    """Drop a statement whose content another one already holds (ردد … هتافات تقول "…")."""
    out: list[Cand] = []
    seen: set[tuple[int, int]] = set()
    for c in sorted(cands, key=lambda c: (c.cs, -(c.ce or 0))):
        if c.ce is None or c.ce <= c.cs or (c.cs, c.ce) in seen:
            continue
        seen.add((c.cs, c.ce))
        out.append(c)
    return out


# --- building the record ---------------------------------------------------------

_TRIM = " \t\n،,.:؛;-–—"
# Conjunctions left at the end of a statement cut before the next cue. Compared with the
# original text, so not normalised: words.tsv lists each spelling.
_TRAILING = frozenset(_LISTS["trailing"])


def to_quotes(ex: Extractor, cands: list[Cand]) -> list[Quote]:
    a = ex.a
    quotes = []
    # built once: each quote looks up its speaker's entity and its date (linear time, issue 18)
    entities, dates = EntityIndex(a.entities), _date_index(a)
    for c in sorted(cands, key=lambda c: c.cs):
        sp = ex.span(c.cs, c.ce)
        s, e = sp.start, sp.end
        while s < e and a.text[s] in _TRIM:
            s += 1
        while e > s and a.text[e - 1] in _TRIM:
            e -= 1
        # a statement cut at the next cue keeps no dangling conjunction (… الى 25، فيما)
        while True:
            while e > s and a.text[e - 1] in _TRIM:
                e -= 1
            tail = a.text[s:e].rsplit(None, 1)
            if len(tail) == 2 and tail[1] in _TRAILING:
                e = s + len(tail[0])
                continue
            break
        if e - s < 2:
            continue
        if c.direct_open < 0:
            # drop the quotation marks that would be left unbalanced at either end
            if a.text[s] in QUOTE_CHARS and _unbalanced(a.text[s:e]):
                s += 1
            if e > s and a.text[e - 1] in QUOTE_CHARS and _unbalanced(a.text[s:e]):
                e -= 1
        if e - s > 2 and a.text[s] in OPEN and a.text[e - 1] == OPEN[a.text[s]] \
                or a.text[s] in AMBIG and a.text[e - 1] == a.text[s]:
            if sum(1 for ch in a.text[s + 1:e - 1] if ch in QUOTE_CHARS) == 0:
                s, e = s + 1, e - 1      # "الوضع كارثي"، بحسب …: the statement without its marks
        content = Mention(a.text[s:e], s, e)
        cue_sp = ex.span(ex.toks[c.cue_tok].vs, ex.toks[c.cue_end - 1].ve)
        cue_text = a.text[cue_sp.start:cue_sp.end]
        speaker = Speaker(c.speaker.text, c.speaker.entity or link_entity(entities, c.speaker),
                          c.speaker.start, c.speaker.end)
        direct = c.direct_open >= 0 or _has_long_quotation(ex, c)
        region = ex.span(*c.date_region) if c.date_region[1] > c.date_region[0] else None
        quotes.append(Quote(speaker=speaker, cue=cue_text, content=content, direct=direct,
                            date=quote_date(a, region, Span(s, e), dates), cue_span=cue_sp))
    return quotes


def _unbalanced(s: str) -> bool:
    return sum(1 for ch in s if ch in QUOTE_CHARS) % 2 == 1


def _has_long_quotation(ex: Extractor, c: Cand) -> bool:
    """A quotation of at least MIN_QUOTATION_WORDS - 1 words inside the statement."""
    qi = bisect.bisect_left(ex._opens, c.cs)
    while qi < len(ex.pairs) and ex.pairs[qi][0] < (c.ce or 0):
        o, cl = ex.pairs[qi]
        if cl is not None and cl <= (c.ce or 0) and ex.quote_words(qi) >= MIN_QUOTATION_WORDS - 1:
            return True
        qi += 1
    return False


# Entity types in the order a speaker phrase prefers them: the person in "المتحدث باسم
# البيت الابيض جوش ايرنست" is the speaker, not the White House.
_PREFER = {"PER": 0, "ORG": 1, "GPE": 2, "NORP": 3, "LOC": 4, "FAC": 4, "MISC": 5}


class EntityIndex:
    """The article's entities seen from a speaker phrase, built once per article.

    ``link_entity`` is asked once per quote and source: reading every mention of every
    entity each time was quadratic on a long article (issue 18: 16 s of 27 on 50,000
    words). Mentions are indexed by offset, and each person or organisation by the
    word a one-word speaker would name it by (a surname, an organisation's head)."""

    def __init__(self, entities: list[Entity]):
        self.entities = entities
        self.mentions = SpanIndex([(e, m) for e in entities for m in e.mentions],
                                  start=lambda p: p[1].start, end=lambda p: p[1].end)
        self._by_word: dict[str, list[int]] = {}
        self._starts: dict[int, list[int]] = {}

    def named_by(self, w: str) -> list[Entity]:
        """The PER and ORG entities (in order) one of whose names ends (PER) or starts (ORG) with ``w``."""
        if not self._by_word and self.entities:
            for i, e in enumerate(self.entities):
                if e.type not in ("PER", "ORG"):
                    continue
                keys = {_key(n.split()[-1] if e.type == "PER" else n.split()[0])
                        for n in [e.name] + [m.text for m in e.mentions] if n.split()}
                for k in keys:
                    self._by_word.setdefault(k, []).append(i)
        return [self.entities[i] for i in self._by_word.get(w, [])]

    def last_start_before(self, e: Entity, pos: int) -> int | None:
        starts = self._starts.get(id(e))
        if starts is None:
            starts = self._starts[id(e)] = sorted(m.start for m in e.mentions)
        k = bisect.bisect_left(starts, pos)
        return starts[k - 1] if k else None


def link_entity(entities: list[Entity] | EntityIndex, who: Who) -> str | None:
    """The entity the speaker names.

    A mention inside the speaker phrase: a person first (المتحدث باسم البيت الابيض جوش
    ايرنست → the PER), then an organisation; a place or nationality only when the phrase
    is that place (دمشق، تركيا), not when it qualifies a source (مصدر سوري مطلع، قيادة
    عمليات بغداد، المسؤولة المحلية بقرية الطيوري). With no mention there, a short name
    already met in the article: a surname (الخيالي، عسيري) or the head of an
    organisation's name (المرصد، الوكالة). A caller that links many phrases of one
    article passes an ``EntityIndex`` of its entities, built once."""
    index = entities if isinstance(entities, EntityIndex) else EntityIndex(entities)
    best = None
    head = _key(who.text.split()[0]) if who.text.split() else ""
    for e, m in index.mentions.overlapping(who.start, who.end):
        rank0 = _PREFER.get(e.type, 6)
        if rank0 >= 2 and _key(m.text.split()[0] if m.text.split() else "") != head:
            continue
        # of two people in the phrase the speaker's own name comes last (المتحدث باسم
        # مركز الملك سلمان للإغاثة رأفت الصباغ); of organisations, the first
        rank = (rank0, -m.start if e.type == "PER" else m.start)
        if best is None or rank < best[0]:
            best = (rank, e.id)
    if best:
        return best[1]
    words = who.text.split()
    if len(words) != 1 or len(_key(words[0])) < 3:
        return None
    near = None
    for e in index.named_by(_key(words[0])):
        before = index.last_start_before(e, who.start)
        dist = who.start - before if before is not None else 10 ** 9
        if near is None or dist < near[0]:
            near = (dist, e.id)
    return near[1] if near else None


@lru_cache(maxsize=65536)
def _key(word: str) -> str:
    """A word for name matching: normalised, without و and the article (والمرصد → مرصد)."""
    w = normalize(word).strip("\"«»“”()")
    if len(w) > 3 and w[0] == "و":
        w = w[1:]
    return w[2:] if w.startswith("ال") and len(w) > 4 else w


def quote_date(a: Article, region: Span | None, content: Span, dates: SpanIndex | None = None) -> str | None:
    """The day the statement was made: a date said with the cue (قال … الثلاثاء), else published.
    ``dates``: the article's dates indexed by offset, for a caller that dates many quotes."""
    if region is not None:
        # a date that ends by region.end + 1 starts by then too
        near = (dates or _date_index(a)).starting_in(region.start, region.end + 2)
        for d in near:
            if d.date and region.start <= d.start and d.end <= region.end + 1 and d.precision in (None, "day"):
                return d.date
    return a.published


def _date_index(a: Article) -> SpanIndex:
    return SpanIndex(a.dates or [], start=lambda d: d.start, end=lambda d: d.end)


def extract(article: Article) -> list[Quote]:
    ex = Extractor(article)
    return to_quotes(ex, ex.run())
