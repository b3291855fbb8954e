"""Attribution: who reports each event, and with what status.

Runs after events. Every event gets its reporting sources in ``event.sources``
(kept apart from ``event.actors``: SANA reports what the army did):

1. the speaker of each statement (article.quotes) that holds the event: its
   content contains the event's trigger or covers a good part of one of the
   event's evidence sentences (an event merged from several sentences can have
   several sources: a mayor for one side's dead, a tribal official for the other's);
2. else an "according to" source (بحسب، وفق، نقلا عن، أفاد …) named in an evidence
   sentence, as found by the quotes extractor;
3. else the article's agency (article.agencies, from the cleaning stage: AFP, SANA),
   and failing that its outlet: the report itself is then the only source.

This stage is the one writer of ``event.status`` and of its evidence
(``event.status_evidence``, the words that decided it; null for a plain report).
In order, the first that gives a status wins:

1. the statement: ``denied`` (نفى، ليس هناك …), ``planned`` (على وشك، تعتزم، إحباط …),
   ``threatened`` (هدد، توعد …) from words of ``data/quotes/status.tsv`` before the
   trigger in its statement or sentence;
2. ``claimed`` when a source speaks for one of the event's actors (SANA for the
   Syrian army: "قضت على أعداد كبيرة منهم"; data/quotes/sides.tsv);
3. the cues of ``data/events/cues.tsv`` around the triggers of the sentences that
   tell the event (``Event.mentions``, left by the events stage): a denial right
   before the trigger (نفت … قصف) in every mention makes it ``denied``; a claim of
   responsibility in a mention's sentence (أعلن مسؤوليته، تبنى) makes it ``claimed``;
   a threat word right before a violent trigger (هدد بشن غارات) made the events
   stage read a threat, and that threat is ``threatened``;
4. else ``reported``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from .. import arabic, kinds
from ..arabic import NormText, clitic_prefix, norm_view, normalize, view_of
from ..core import Article, Event, Mention, Participant, Quote, Span
from ..events.detect import THREAT_WINDOW
from ..events.lexicon import alternation, cues
from ..quotes.extract import EntityIndex, Who, extract, link_entity
from ..spanindex import SpanIndex
from ..resources import data_rows

NAME = "attribution"
REQUIRES = ("text", "sentences", "entities", "quotes", "agencies", "events")
ASSIGNS = ("events.sources", "events.status", "events.status_evidence")

# A statement supports an evidence sentence when it covers at least this share of it.
# Calibrated on the dev articles: reported content after "وقالت مصادر يمنية لوكالة
# الأنباء الألمانية إن" covers about 0.7 of its sentence; a neighbouring quote that only
# touches a sentence's tail covers less than 0.2.
MIN_COVER = 0.3
# A statement that runs to the end of the sentence just before an event's sentence is
# taken as that sentence's source too (see _Context.preceding_statement); its content
# may stop this many characters short of the sentence end (closing marks and stop).
SENTENCE_TAIL = 3
# A line of at most this many words without a full stop is a heading, not a statement.
HEADING_WORDS = 12
# Inside a statement a status word may stand this far before the trigger (one long
# sentence of reported speech).
STATEMENT_STATUS_WINDOW = 300
# The words at the head of a source's phrase that may name the actor it speaks for.
SOURCE_HEAD_WORDS = 4
# How many characters before the trigger a status word may stand ("بلاده على وشك ارسال
# طائرات" is 15; 60 reaches over a short subject and verb, not into another clause).
STATUS_WINDOW = 60
# The trigger as the object of "after / because of / in reply to" names what already
# happened, whatever was threatened or planned before it: "داود أوغلو يتوعد داعش بعد تفجير
# سروج"، "توعد الجيش بالرد إثر هجوم انتحاري" (the bombing was done, not threatened).
# A denial binds to the trigger it stands just before: "نفت الوزارة قيام طائراتها بقصف"
# (40 normalised characters, the events stage's cue window, calibrated on the dev articles).
DENIAL_WINDOW = 40
THREAT = kinds.role("threat")
# The family of kinds a crowd takes part in (kinds.tsv): its organisers' to claim.
CROWD = "crowd"
CAUSE_BEFORE_TRIGGER = re.compile(r"(?<![\w])" + alternation("cause_words") + r"\s+(?:\S+\s+)?$")


# "لوكالة فرانس برس"، "لوكالة الأنباء الألمانية": the agency a speaker told.
_TOLD = re.compile(r"(?<!\w)" + clitic_prefix("وف") + r"لوكاله\s+((?:[^\s،,.:]+\s+){0,2}[^\s،,.:]+)")


# The first words of the "according to" phrases: a sentence without one has no source
# that the quotes stage could have left out.
_ACCORDING = re.compile(r"(?<!\w)" + clitic_prefix("وف") + arabic.alternation(sorted(
    {re.escape(normalize(p).split()[0]) for (p,) in data_rows("quotes/according.tsv") if not p.startswith("!")},
    key=len, reverse=True)) + r"(?!\w)")


@lru_cache(maxsize=1)
def _status_words() -> list[tuple[str, re.Pattern]]:
    out = []
    for status, phrase in data_rows("quotes/status.tsv"):
        words = r"\s+".join(re.escape(w) for w in normalize(phrase).split())
        out.append((status, re.compile(r"(?<!\w)" + clitic_prefix("وف") + "(" + words + r")(?!\w)")))
    return out


@lru_cache(maxsize=1)
def _sides() -> list[tuple[str, str]]:
    return [(side, normalize(phrase)) for side, phrase in data_rows("quotes/sides.tsv")]


@lru_cache(maxsize=4096)
def speaker_side(text: str) -> str | None:
    n = normalize(text)
    for side, phrase in _sides():
        if re.search(r"(?<!\w)" + clitic_prefix("وفبل") + re.escape(phrase) + r"(?!\w)", n):
            return side
    return None


def run(article: Article) -> Article:
    if not article.events:
        return article
    ctx = _Context(article)
    for ev in article.events:
        attribute(ev, ctx)
    return article


class _Context:
    def __init__(self, article: Article):
        self.a = article
        self._view: NormText | None = None
        self._seen: dict[Span, list[Quote]] = {}
        self._told: list[str] | None = None
        self.sent_starts = [s.start for s in article.sentences]
        self._entities: EntityIndex | None = None
        self._quotes: SpanIndex | None = None

    # built once per article, asked once per event or quote (linear time, issue 18)
    @property
    def entities(self) -> EntityIndex:
        if self._entities is None:
            self._entities = EntityIndex(self.a.entities)
        return self._entities

    @property
    def quotes(self) -> SpanIndex:
        """The article's quotes, (position, quote), by the offsets of their content."""
        if self._quotes is None:
            self._quotes = SpanIndex(list(enumerate(self.a.quotes)), start=lambda p: p[1].content.start,
                                     end=lambda p: p[1].content.end)
        return self._quotes

    @property
    def view(self) -> NormText:
        if self._view is None:
            self._view = view_of(self.a.text)
        return self._view

    def vpos(self, orig: int) -> int:
        return bisect_left(self.view.offsets, orig)

    def sentence_of(self, pos: int) -> Span | None:
        i = bisect_right(self.sent_starts, pos) - 1
        return self.a.sentences[i] if 0 <= i < len(self.a.sentences) else None

    def sentence_quotes(self, spans: list[Span]) -> list[Quote]:
        """Statements found in these sentences read on their own: "according to" sources
        the quotes stage left to an overlapping statement come back here. Reading only the
        evidence keeps this cheap."""
        out: list[Quote] = []
        for sp in spans:
            if sp in self._seen:
                out.extend(self._seen[sp])
                continue
            if not _ACCORDING.search(normalize(self.a.text[sp.start:sp.end])):
                self._seen[sp] = []
                continue
            sub = Article(text=self.a.text[sp.start:sp.end], published=self.a.published)
            sub.sentences = [Span(0, sp.end - sp.start)]
            found = []
            for q in extract(sub):
                q.content = Mention(q.content.text, q.content.start + sp.start, q.content.end + sp.start)
                if q.cue_span:
                    q.cue_span = Span(q.cue_span.start + sp.start, q.cue_span.end + sp.start)
                if q.speaker.start is None:
                    continue
                q.speaker.start += sp.start
                q.speaker.end += sp.start
                q.speaker.entity = link_entity(self.entities, Who(q.speaker.text, q.speaker.start, q.speaker.end))
                found.append(q)
            self._seen[sp] = found
            out.extend(found)
        return out

    def preceding_statement(self, ev: Event) -> list[Quote]:
        """The statement that fills the sentence right before one of the event's sentences.
        Wire copy tells a source's account over several sentences and names the source
        once ("وقال مدير المرصد رامي عبد الرحمن ان … . وتسببت الغارات بمقتل سبعة مدنيين"),
        so an unattributed sentence goes with the statement just before it."""
        for sp in ev.evidence:
            i = bisect_right(self.sent_starts, sp.start) - 1
            if i <= 0:
                continue
            prev = self.a.sentences[i - 1]
            if self._is_heading(prev):
                continue
            for _, q in self.quotes.starting_in(prev.start, prev.end):
                # the statement runs to the end of that sentence (its closing marks aside)
                if q.content.end >= prev.end - SENTENCE_TAIL:
                    return [q]
        return []

    def _is_heading(self, sp: Span) -> bool:
        """A short line without a full stop: a headline or a subheading (معارك الجنوب)."""
        line = self.a.text[sp.start:sp.end].strip()
        return len(line.split()) <= HEADING_WORDS and not line.endswith((".", "؟", "!", "»", '"', "”"))

    def told_agencies(self) -> list[str]:
        """Agencies the article's speakers talk to (قال … لوكالة فرانس برس): the agency
        wrote the report, when the cleaning stage found no agency tag."""
        from .clean import agency_code
        found: list[str] = []
        if self._told is not None:
            return self._told
        for m in _TOLD.finditer(normalize(self.a.text)):
            words = m.group(1).split()
            for k in range(len(words), 0, -1):
                code = agency_code(" ".join(words[:k]))
                if code:
                    if code not in found:
                        found.append(code)
                    break
        self._told = found
        return found


def supporting_quotes(ev: Event, quotes: list[Quote], index: SpanIndex | None = None) -> list[Quote]:
    """The statements that hold the event's trigger or cover enough of a sentence of it.
    ``index``: ``quotes`` as (position, quote) by offset; only those that overlap the
    trigger or the evidence are then read, in their order."""
    out: list[Quote] = []
    trig = ev.trigger
    if index is not None:
        near = {i for sp in ([Span(trig.start - 1, trig.end + 1)] if trig else []) + list(ev.evidence)
                for i, _ in index.overlapping(sp.start, sp.end)}
        quotes = [quotes[i] for i in sorted(near)]
    for q in quotes:
        c = q.content
        if trig and c.start <= trig.start and trig.end <= c.end:
            out.append(q)
            continue
        for sp in ev.evidence:
            inter = min(c.end, sp.end) - max(c.start, sp.start)
            if inter > 0 and inter >= MIN_COVER * (sp.end - sp.start):
                out.append(q)
                break
    # the statement that holds the trigger first: it is the event's own report
    out.sort(key=lambda q: (not (trig and q.content.start <= trig.start < q.content.end), q.content.start))
    return out


def _participant(q: Quote) -> Participant:
    side = speaker_side(q.speaker.text) or "unknown"
    return Participant(q.speaker.text, side=side, entity=q.speaker.entity,
                       start=q.speaker.start, end=q.speaker.end)


# نقل/نقلت … عن: the relaying outlet stands between the cue and "عن".
_RELAY_CUE = re.compile("^" + clitic_prefix("وف") + alternation("relay_verbs") + r"$")
_RELAY_NAME = re.compile(r"^\s*(.+?)\s*(?:[،,]\s*من\s+" + alternation("relay_asides") + r"\s*[،,]?\s*)?\s*عن\s")


def relay_of(q: Quote, a: Article, entities: EntityIndex | None = None) -> Participant | None:
    """The outlet that passed the statement on: "ونقلت وكالة الأنباء الرسمية (سانا) عن
    مصدر عسكري" → SANA, a second source beside the military source."""
    if not q.cue_span or q.speaker.start is None or not _RELAY_CUE.match(normalize(q.cue)):
        return None
    between = a.text[q.cue_span.end:q.speaker.start]
    m = _RELAY_NAME.match(between)
    if not m or len(m.group(1).split()) > 8:
        return None
    start = q.cue_span.end + m.start(1)
    name = m.group(1).rstrip(" ،,")
    return Participant(name, side=speaker_side(name) or "unknown", entity=link_entity(entities or a.entities, Who(name, start, start + len(name))),
                       start=start, end=start + len(name))


def _same(p: Participant, sources: list[Participant]) -> bool:
    k = normalize(p.text)
    return any((p.entity and s.entity == p.entity) or normalize(s.text) == k for s in sources)


def attribute(ev: Event, ctx: _Context) -> None:
    a = ctx.a
    quotes = supporting_quotes(ev, a.quotes, ctx.quotes)
    if not quotes:
        # a source named with بحسب/وفق/أفاد whose statement the quotes stage left to another
        quotes = supporting_quotes(ev, ctx.sentence_quotes(ev.evidence))
    if not quotes:
        quotes = ctx.preceding_statement(ev)
    sources: list[Participant] = []
    for q in quotes:
        for p in (_participant(q), relay_of(q, a, ctx.entities)):
            if p is not None and not _same(p, sources):
                sources.append(p)
    if not sources:
        for code in a.agencies or ctx.told_agencies():
            sources.append(Participant(code))
    if not sources and a.outlet:
        sources.append(Participant(a.outlet))
    ev.sources = sources
    status, evidence = statement_status(ev, quotes, ctx)
    if status is None:
        status, evidence = claimed(ev, sources, quotes)
    if status is None:
        status, evidence = told_status(ev, ctx)
    ev.status, ev.status_evidence = status or "reported", evidence


def statement_status(ev: Event, quotes: list[Quote], ctx: _Context) -> tuple[str | None, Span | None]:
    """denied / planned / threatened from the words before the trigger in its statement."""
    trig = ev.trigger or (ev.evidence[0] if ev.evidence else None)
    if trig is None:
        return None, None
    sent = ctx.sentence_of(trig.start)
    lo = sent.start if sent else max(0, trig.start - STATUS_WINDOW)
    holder = next((q for q in quotes if q.content.start <= trig.start < q.content.end), None)
    if holder is not None:
        # a denial's or a threat's verb is the cue itself: نفت الوزارة أن يكون …، وهدد
        # التنظيم بشن هجمات …
        for status, pat in _status_words():
            if status in ("denied", "threatened") and pat.fullmatch(normalize(holder.cue)) and holder.cue_span:
                return status, holder.cue_span
        # within one statement a status word scopes over what follows it ("ان بلاده على
        # وشك ارسال طائرات تجسس … لاحتمال شن ضربات جوية"), so the whole statement counts
        lo = max(holder.content.start, trig.start - STATEMENT_STATUS_WINDOW)
    else:
        lo = max(lo, trig.start - STATUS_WINDOW)
    view = norm_view(ctx.a.text[lo:trig.start])
    window, vlo = view.text, 0
    best = None
    for status, pat in _status_words():
        for m in pat.finditer(window):
            if m.group(1) == "نفي":
                # the verb نفى folds to the noun نفي (رفضت الوزارة نفي أو تأكيد …): only the
                # spelling with alef maqsura is the verb
                sp = view.span(m.start(1), m.end(1))
                if not ctx.a.text[lo + sp.start:lo + sp.end].endswith("ى"):
                    continue
            if best is None or m.start(1) > best[1]:
                best = (status, m.start(1), m.end(1))
    if best is None or best[0] in ("threatened", "planned") and CAUSE_BEFORE_TRIGGER.search(window, best[2]):
        return None, None
    sp = view.span(vlo + best[1], vlo + best[2])
    return best[0], Span(sp.start + lo, sp.end + lo)


def claimed(ev: Event, sources: list[Participant], quotes: list[Quote]) -> tuple[str | None, Span | None]:
    """One party's own account: a source that is, or speaks for, one of the actors."""
    if not quotes:
        return None, None
    for q, src in zip(quotes, [_participant(q) for q in quotes]):
        for act in ev.actors:
            same_entity = src.entity and act.entity == src.entity
            # the actor named at the head of the source (بيان "جيش الفتح" في …), not deep in a
            # clause about it (أسرى وقعوا بأيدي قوات المقاومة)
            head = " ".join(normalize(src.text).split()[:SOURCE_HEAD_WORDS])
            same_text = len(normalize(act.text)) >= 3 and normalize(act.text) in head
            # a protest is its organisers' to claim, not the claim of a side's media
            same_side = src.side in ("state", "non_state") and act.side == src.side \
                and kinds.family(ev.kind) != CROWD
            if same_entity or same_text or same_side:
                return "claimed", q.cue_span
    return None, None


def _last_cue(name: str, text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """View span of the last match of a cue of cues.tsv in text[lo:hi] (searched in the slice,
    as the events stage reads its windows), or None."""
    window, best = text[lo:hi], None
    for c in cues().get(name, []):
        for m in c.regex.finditer(window):
            if best is None or m.start() > best[0]:
                best = (m.start(), m.end())
    return (best[0] + lo, best[1] + lo) if best else None


def told_status(ev: Event, ctx: _Context) -> tuple[str | None, Span | None]:
    """The status the sentences telling the event give it (step 3 of the module's rules)."""
    if not ev.mentions:
        return None, None
    view, text = ctx.view, ctx.view.text
    if ev.kind == THREAT:
        m = ev.mentions[0]
        a = ctx.vpos(m.clause.start)
        for t in m.triggers:
            s = ctx.vpos(t.start)
            hit = _last_cue("threatened", text, max(a, s - THREAT_WINDOW), s)
            if hit:
                return "threatened", view.span(*hit)
        return None, None
    if ev.kind not in kinds.VIOLENT:
        return None, None
    denials, claims = [], []
    for m in ev.mentions:
        a, b = ctx.vpos(m.clause.start), ctx.vpos(m.clause.end)
        denial = claim = None
        for t in m.triggers:
            s = ctx.vpos(t.start)
            denial = denial or _last_cue("denied", text, max(a, s - DENIAL_WINDOW), s)
        if denial is None:
            # "أعلن التنظيم مسؤوليته عن التفجير": a claim anywhere in the sentence
            claim = _last_cue("claimed", text, a, b)
        denials.append(denial)
        claims.append(claim)
    if all(denials):
        return "denied", view.span(*denials[0])
    claim = next((c for c in claims if c), None)
    if claim:
        return "claimed", view.span(*claim)
    return None, None
