"""Events and casualties: what happened, to whom, where, when, how many dead.

Sentence by sentence, triggers from ``data/events/triggers.tsv`` are read in
the normalised view; cues (``cues.tsv``) drop what is not news (condemnation,
remembrance, threat, plan, negation, background) and set the status; the
mentions of one incident across headline, lead and body are merged
(``marsad.events.merge``); each event then takes its toll (``events.tolls``),
place and date (nearest supporting evidence first) and its participants.
Numbers, dates and places come from their own stages; when those layers are
empty the small fallbacks of ``marsad.events.fallback`` stand in.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..arabic import NormText, norm_view, normalize, sentences as split_sentences
from ..core import Article, Event, Place, Span
from ..events import fallback
from ..events.detect import Mention, classify, hits, sentence_bounds
from ..events.lexicon import VIOLENT_KINDS, cues, kind_table
from ..events.merge import Draft, merge
from ..events.participants import participants
from ..events.tolls import SentenceToll, aggregate, sentence_toll

NAME = "events"
NEEDS = ("text", "sentences", "numbers", "dates", "entities", "places", "quotes")
ADDS = ("events",)

# A date this close after a reporting word (قال، أفاد، بحسب …) is the report's
# date, not the event's ("أفادت مصادر يمنية أمس الأحد بمقتل ..."). Calibrated on
# the dev articles: 30 normalised characters reach over a two-word source name.
REPORT_DATE_GAP = 30
# Words that point back to a place already named: "داخل المدينة"، "هناك".
ANAPHORIC_PLACE = re.compile(r"(?<![\w])[وفب]?(?:المدينه|البلده|القريه|المنطقه|هناك|فيها)(?![\w])")


def run(article: Article) -> Article:
    text = article.text or ""
    if not text.strip():
        article.events = []
        return article
    view = norm_view(text)
    spans = article.sentences or split_sentences(text)
    bounds = sentence_bounds(view, spans)
    title_sent = _title_sentence(article, view, bounds)
    mentions = classify(view, bounds, hits(view, bounds), article.published, title_sent)
    if not mentions:
        article.events = []
        return article
    ctx = _Context(article, view, bounds)
    drafts = merge(mentions, ctx.place_of, ctx.date_of, title_sent, lambda si: ctx.sent_text(si))
    article.events = [ctx.build(d) for d in drafts]
    return article


def _title_sentence(article: Article, view: NormText, bounds) -> int | None:
    if not bounds:
        return None
    first = view.text[bounds[0][0]:bounds[0][1]]
    if article.title and normalize(article.title).strip()[:40] == first.strip()[:40]:
        return 0
    # A text whose first line is short and unpunctuated is a headline (dev .txt files).
    a, b = bounds[0]
    if not article.title and b - a < 140 and "\n" in view.original[view.offsets[b - 1]:view.offsets[b - 1] + 3]:
        return 0
    return None


class _Context:
    """The article's layers seen from the normalised view, built once per article."""

    def __init__(self, article: Article, view: NormText, bounds):
        self.article, self.view, self.bounds = article, view, bounds
        self.starts = [a for a, _ in bounds]
        self._numbers = self._load_numbers()
        self._dates = self._load_dates()
        self._places = self._load_places()
        self._tolls: dict[int, SentenceToll] = {}

    # --- view offsets of the other stages' spans
    def vpos(self, orig: int) -> int:
        return bisect_left(self.view.offsets, orig)

    def sent_of(self, vpos: int) -> int:
        return bisect_right(self.starts, vpos) - 1

    def sent_text(self, si: int) -> str:
        a, b = self.bounds[si]
        return self.view.text[a:b]

    def _load_numbers(self):
        art = self.article
        if art.numbers:
            return [(n, self.vpos(n.start), self.vpos(n.end - 1) + 1) for n in art.numbers]
        out = []
        for a, b in self.bounds:
            for n in fallback.numbers(self.view, a, b):
                out.append((n, self.vpos(n.start), self.vpos(n.end - 1) + 1))
        return out

    def _load_dates(self):
        ds = self.article.dates or fallback.dates(self.view, self.article.published)
        return [(d, self.vpos(d.start), self.vpos(d.end - 1) + 1) for d in ds if d.date]

    def _load_places(self):
        """(view start, view end, Place) for every place mention, in text order."""
        out = []
        art = self.article
        for p in art.places:
            ent = art.entity(p.entity)
            spans = [m.span for m in ent.mentions] if ent else []
            if not spans and p.evidence:
                spans = [p.evidence]
            for sp in spans:
                q = Place(**{**p.__dict__, "evidence": sp})
                q.name = art.text[sp.start:sp.end] if len(art.text[sp.start:sp.end]) >= len(p.name) - 2 else p.name
                out.append((self.vpos(sp.start), self.vpos(sp.end - 1) + 1, q))
        if not out:
            for a, b in self.bounds:
                for p in fallback.places(self.view, a, b):
                    out.append((self.vpos(p.evidence.start), self.vpos(p.evidence.end - 1) + 1, p))
        out.sort(key=lambda t: t[0])
        return out

    # --- per mention
    def place_of(self, m: Mention) -> Place | None:
        a, b = self.bounds[m.sent]
        here = [(s, e, p) for s, e, p in self._places if a <= s < b]
        trig = m.first.start
        after = [t for t in here if t[0] >= trig]
        if after:
            return after[0][2]
        if here:
            return here[-1][2]
        if ANAPHORIC_PLACE.search(self.view.text[a:b]):
            return self.last_place_before(a, prefer_town=True)
        return None

    def last_place_before(self, vpos: int, prefer_town: bool = False) -> Place | None:
        before = [t for t in self._places if t[0] < vpos]
        if not before:
            return None
        if prefer_town:
            towns = [t for t in before if re.search(r"مدينه\s*$", self.view.text[max(0, t[0] - 7):t[0]])
                     or t[2].precision == "town"]
            if towns:
                return towns[-1][2]
        return before[-1][2]

    def date_of(self, m: Mention):
        a, b = self.bounds[m.sent]
        trig = m.first.start
        best = None
        for d, s, e in self._dates:
            if not (a <= s < b) or (d.precision or "day") not in ("day",):
                continue
            if any(c.regex.search(self.view.text[max(a, s - REPORT_DATE_GAP):s]) for c in cues().get("report", [])):
                continue
            dist = abs(s - trig)
            if best is None or dist < best[0]:
                best = (dist, d, s, e)
        if best is None:
            return None
        d = best[1]
        return d.date, d.precision or "day", Span(d.start, d.end)

    def toll(self, si: int) -> SentenceToll:
        if si not in self._tolls:
            a, b = self.bounds[si]
            nums = [t for t in self._numbers if a <= t[1] < b]
            self._tolls[si] = sentence_toll(self.view, a, b, nums)
        return self._tolls[si]

    # --- the record
    def build(self, d: Draft) -> Event:
        art, view = self.article, self.view
        sents = sorted({m.sent for m in d.mentions})
        evidence = [Span(view.offsets[self.bounds[si][0]], view.offsets[self.bounds[si][1] - 1] + 1) for si in sents]
        first = d.mentions[0].first
        trig = view.span(first.start, first.end)
        ev = Event(kind=d.kind, evidence=evidence, trigger=trig)
        violent = d.kind in VIOLENT_KINDS
        if violent:
            # each sentence counted once, even when it carries two mentions of the event
            ev.killed, ev.injured = aggregate([self.toll(si) for si in sents])
        place = d.place
        if place is None and violent:
            place = self.last_place_before(self.bounds[sents[0]][0])
        ev.place = place
        if d.date:
            ev.date, ev.date_precision, ev.date_evidence = d.date, d.date_precision, d.date_span
        statuses = [m.status for m in d.mentions]
        ev.status = "denied" if statuses and all(s == "denied" for s in statuses) else \
            "claimed" if "claimed" in statuses else "threatened" if "threatened" in statuses else "reported"
        a, b = self.bounds[d.mentions[0].sent]
        victims = []
        for si in sents:
            for part in self.toll(si).killed + self.toll(si).injured:
                if part.side != "unknown":
                    s = self.vpos(part.span.start)
                    victims.append((s, self.vpos(part.span.end - 1) + 1,
                                    {"state_forces": "state"}.get(part.side, part.side)))
        ev.actors, ev.targets = participants(art, view, a, b, first.start, victims)
        acled, plover = kind_table().get(d.kind, (None, None))
        if d.kind == "territory_taken" and acled:
            # ACLED splits by who took the ground
            if any(p.side == "state" for p in ev.actors):
                acled = {**acled, "sub_event_type": "Government regains territory"}
        if d.kind == "killing" and acled and any(t.side in ("state", "non_state") for t in ev.targets):
            acled = {"event_type": "Battles", "sub_event_type": "Armed clash"}
        if d.kind == "attack_on_civilians" and plover:
            plover = dict(plover)
        ev.acled, ev.plover = (dict(acled) if acled else None), (dict(plover) if plover else None)
        return ev
