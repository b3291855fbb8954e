"""The typed record marsad produces: one module of dataclasses.

The JSON shape is the contract in shared/spec/OUTPUT.md (mirrored by
``data/article.schema.json``). Offsets are Python string indices into
``Article.text`` (the cleaned body), end exclusive. Internal annotation layers
(sentences, numbers, dates, failures) travel on the same object between stages
but only the contract fields, plus a few documented additions, are serialised.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

EntityType = Literal["PER", "ORG", "GPE", "LOC", "FAC", "NORP", "MISC"]
Precision = Literal["point", "town", "district", "admin1", "region", "country"]
Side = Literal["state", "non_state", "civilians", "foreign_state", "international", "unknown"]
Status = Literal["reported", "claimed", "denied", "planned", "threatened"]
DatePrecision = Literal["day", "week", "month", "year", "before"]
NumberKind = Literal["exact", "approximate", "at_least", "at_most", "vague"]

ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "MISC")
PRECISIONS = ("point", "town", "district", "admin1", "region", "country")
SIDES = ("state", "non_state", "civilians", "foreign_state", "international", "unknown")
STATUSES = ("reported", "claimed", "denied", "planned", "threatened")
TOLL_SIDES = ("civilians", "state_forces", "non_state", "unknown")


@dataclass(frozen=True, order=True)
class Span:
    """A stretch of ``Article.text``; the evidence every extracted value keeps."""

    start: int
    end: int

    def text(self, text: str) -> str:
        return text[self.start:self.end]

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end}


def _with_span(out: dict, key: str, span: Span | None) -> dict:
    """``out`` with ``span`` under ``key`` when there is one (records leave an absent span out)."""
    if span:
        out[key] = span.to_json()
    return out


@dataclass
class Mention:
    text: str
    start: int
    end: int

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def to_json(self) -> dict:
        # what ``dataclasses.asdict`` gives, written out: asdict copies every value through
        # a recursive deepcopy, a third of the record-building time
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass
class Entity:
    id: str
    type: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    name_en: str | None = None

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.type, "name": self.name, "name_en": self.name_en,
                "mentions": [m.to_json() for m in self.mentions]}


@dataclass
class Place:
    """A gazetteer resolution of an entity (or of an event's place phrase)."""

    name: str
    lat: float
    lon: float
    precision: str
    entity: str | None = None
    name_en: str | None = None
    country: str | None = None
    admin1: str | None = None
    gazetteer_id: str | None = None
    evidence: Span | None = None

    def to_json(self) -> dict:
        return _with_span({"entity": self.entity, "name": self.name, "name_en": self.name_en,
                           "lat": self.lat, "lon": self.lon, "country": self.country, "admin1": self.admin1,
                           "precision": self.precision, "gazetteer_id": self.gazetteer_id}, "evidence", self.evidence)

    def to_event_json(self) -> dict:
        return _with_span({"name": self.name, "name_en": self.name_en, "lat": self.lat, "lon": self.lon,
                           "country": self.country, "precision": self.precision}, "evidence", self.evidence)


@dataclass
class Speaker:
    text: str
    entity: str | None = None
    start: int | None = None
    end: int | None = None

    def to_json(self) -> dict:
        return {"text": self.text, "entity": self.entity, "start": self.start, "end": self.end}


@dataclass
class Quote:
    speaker: Speaker
    cue: str
    content: Mention
    direct: bool
    date: str | None = None
    cue_span: Span | None = None

    def to_json(self) -> dict:
        return _with_span({"speaker": self.speaker.to_json(), "cue": self.cue, "content": self.content.to_json(),
                           "direct": self.direct, "date": self.date}, "cue_span", self.cue_span)


@dataclass
class Participant:
    """An actor, target or reporting source of an event."""

    text: str
    side: str = "unknown"
    entity: str | None = None
    start: int | None = None
    end: int | None = None

    def to_json(self, with_side: bool = True) -> dict:
        out: dict[str, Any] = {"text": self.text, "entity": self.entity}
        if with_side:
            out["side"] = self.side
        if self.start is not None:
            out["start"], out["end"] = self.start, self.end
        return out


@dataclass
class Toll:
    """Deaths or injuries in one event, split by side where the report splits them."""

    total: int | None = None
    civilians: int | None = None
    state_forces: int | None = None
    non_state: int | None = None
    unknown: int | None = None
    evidence: list[Span] = field(default_factory=list)

    def is_empty(self) -> bool:
        return self.total is None and all(getattr(self, s) is None for s in TOLL_SIDES)

    def to_json(self) -> dict:
        out: dict[str, Any] = {"total": self.total}
        for s in TOLL_SIDES:
            out[s] = getattr(self, s)
        out["evidence"] = [e.to_json() for e in self.evidence]
        return out


@dataclass
class EventMention:
    """Where one sentence (or clause) of the text tells an event: the clause and the trigger
    words read there. An internal layer (not serialised) that the events stage leaves for
    the attribution stage, which decides the status from the cues around these triggers."""

    clause: Span
    triggers: list[Span] = field(default_factory=list)


@dataclass
class Event:
    kind: str
    evidence: list[Span] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    date_evidence: Span | None = None
    place: Place | None = None
    actors: list[Participant] = field(default_factory=list)
    targets: list[Participant] = field(default_factory=list)
    killed: Toll = field(default_factory=Toll)
    injured: Toll = field(default_factory=Toll)
    status: str = "reported"
    status_evidence: Span | None = None
    sources: list[Participant] = field(default_factory=list)
    trigger: Span | None = None
    acled: dict | None = None
    plover: dict | None = None
    mentions: list[EventMention] = field(default_factory=list)   # internal, not serialised
    # the learned events variant's flags (docs/OUTPUT.md "Additions"): told as the past, or a
    # running total over a period; serialised only when set
    background: bool = False
    aggregate: bool = False

    def to_json(self) -> dict:
        return {
            "kind": self.kind, "date": self.date, "date_precision": self.date_precision,
            "date_evidence": self.date_evidence.to_json() if self.date_evidence else None,
            "place": self.place.to_event_json() if self.place else None,
            "actors": [a.to_json() for a in self.actors],
            "targets": [t.to_json() for t in self.targets],
            "killed": self.killed.to_json(), "injured": self.injured.to_json(),
            "status": self.status,
            "status_evidence": self.status_evidence.to_json() if self.status_evidence else None,
            "sources": [s.to_json(with_side=False) for s in self.sources],
            "acled": self.acled, "plover": self.plover,
            "trigger": self.trigger.to_json() if self.trigger else None,
            "evidence": [e.to_json() for e in self.evidence],
            **({"background": True} if self.background else {}),
            **({"aggregate": True} if self.aggregate else {}),
        }


@dataclass
class NumberSpan:
    """A number written in the text: digits, words or a counted dual."""

    start: int
    end: int
    value: float | None
    kind: str = "exact"                 # NumberKind
    noun: str | None = None             # the counted noun (مدنيين، عنصرا …) when present
    noun_span: Span | None = None
    is_toll_candidate: bool = True      # False for years, ages, unit names, money …
    reason: str | None = None           # why it is not a toll candidate
    subset_of: int | None = None        # start of the larger count this one is part of ("ثلاثة منهم")


@dataclass
class DateSpan:
    """A date or time expression resolved against the publication date."""

    start: int
    end: int
    date: str | None                    # ISO date, or None when it cannot be fixed
    precision: str | None = None        # DatePrecision
    part_of_day: str | None = None      # dawn, morning, noon, evening, night
    calendar: str = "gregorian"


@dataclass
class Failure:
    """Why an article (or one stage on it) could not be processed: stored as data."""

    stage: str
    reason: str            # a short code: empty, binary, undecodable, too_large, bad_json, stage_error …
    message: str


@dataclass
class Article:
    text: str
    id: str | None = None
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    agencies: list[str] = field(default_factory=list)
    language: str = "ar"
    origin: str | None = None           # file name or jsonl line the article came from
    # Annotation layers, filled by stages in order.
    raw_text: str | None = None
    published_source: str | None = None  # "input", "dateline" or "text"
    dateline: Span | None = None
    dateline_place: str | None = None
    sentences: list[Span] = field(default_factory=list)
    numbers: list[NumberSpan] = field(default_factory=list)
    dates: list[DateSpan] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    done: list[str] = field(default_factory=list)   # names of stages that ran

    def ensure_id(self) -> str:
        if not self.id:
            self.id = hashlib.sha1(self.text.encode("utf-8")).hexdigest()
        return self.id

    def entity(self, eid: str | None) -> Entity | None:
        return next((e for e in self.entities if e.id == eid), None) if eid else None

    def to_json(self) -> dict:
        """The record of shared/spec/OUTPUT.md."""
        out = {
            "id": self.ensure_id(),
            "source": {"outlet": self.outlet, "url": self.url, "agencies": list(self.agencies)},
            "published": self.published,
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "entities": [e.to_json() for e in self.entities],
            "places": [p.to_json() for p in self.places],
            "quotes": [q.to_json() for q in self.quotes],
            "events": [e.to_json() for e in self.events],
        }
        if self.failures:
            out["failures"] = [{"stage": f.stage, "reason": f.reason, "message": f.message} for f in self.failures]
        return out

