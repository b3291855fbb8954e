"""Corpus annotations: the working form annotators write, and the stored form.

Annotators write spans as text copied from a numbered sentence (``{"s": 3, "text":
"غارات"}``); ``convert`` checks each against the article and stores it as character
offsets into the article's ``content`` (``{"start": 120, "end": 125}``), so the stored
annotation holds no article text. ``resolve`` does the reverse at load time.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..arabic import normalize
from ..core import STATUSES, SIDES, TOLL_SIDES
from .. import kinds
from .source import CORPUS_DIR, CorpusArticle

CLASSES = ("current", "background", "aggregate")
PRECISIONS = ("point", "town", "district", "admin1", "region", "country")
DATE_PRECISIONS = ("day", "week", "month", "year", "before")
ANNOTATED_STATUSES = ("reported", "claimed", "denied")
SPAN_FIELDS = ("trigger", "place", "time")
LIST_FIELDS = ("actors", "targets", "tolls", "sources")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def violent_kinds() -> tuple[str, ...]:
    """The kinds the corpus annotates: the violent and coercive kinds of the kind table."""
    return tuple(k for k in kinds.names() if k in kinds.VIOLENT)


def _locate(text: str, sent_start: int, sent_end: int, wanted: str) -> tuple[int, int] | None:
    """Where ``wanted`` stands in the sentence: exactly, else ignoring diacritics, hamza
    forms and spacing (copying from a terminal loses neither letters nor order)."""
    sentence = text[sent_start:sent_end]
    i = sentence.find(wanted)
    if i >= 0:
        return sent_start + i, sent_start + i + len(wanted)
    # A normalised search with an offset map over the sentence.
    keep = [(k, ch) for k, ch in enumerate(sentence) if not ch.isspace()]
    squeezed = normalize("".join(ch for _, ch in keep))
    target = normalize("".join(ch for ch in wanted if not ch.isspace()))
    if not target or len(squeezed) != len(keep):
        return None
    j = squeezed.find(target)
    if j < 0:
        return None
    return sent_start + keep[j][0], sent_start + keep[j + len(target) - 1][0] + 1


def _span(article: CorpusArticle, sents, obj: dict, where: str, errors: list[str]) -> dict | None:
    if obj is None:
        return None
    s, txt = obj.get("s"), obj.get("text")
    if not isinstance(s, int) or not 1 <= s <= len(sents) or not isinstance(txt, str) or not txt.strip():
        errors.append(f"{where}: needs a sentence number s (1..{len(sents)}) and a non-empty text")
        return None
    sp = sents[s - 1]
    found = _locate(article.content, sp.start, sp.end, txt.strip())
    if found is None:
        errors.append(f"{where}: {txt!r} is not in sentence {s}")
        return None
    out = {k: v for k, v in obj.items() if k not in ("s", "text")}
    out.update(start=found[0], end=found[1])
    return out


def _toll(obj, where: str, errors: list[str]) -> dict:
    obj = obj or {}
    out = {}
    for k in ("total",) + TOLL_SIDES:
        v = obj.get(k)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            errors.append(f"{where}.{k}: a whole number of people or null, not {v!r}")
            v = None
        out[k] = v
    return out


def convert(work: dict, article: CorpusArticle) -> tuple[dict, list[str]]:
    """The stored form of a working annotation, and what is wrong with it."""
    errors: list[str] = []
    sents = article.sentences()
    kinds = violent_kinds()
    events = []
    for n, ev in enumerate(work.get("events") or [], 1):
        w = f"event {n}"
        if ev.get("kind") not in kinds:
            errors.append(f"{w}: kind {ev.get('kind')!r} is not one of {', '.join(kinds)}")
        if ev.get("class") not in CLASSES:
            errors.append(f"{w}: class must be one of {CLASSES}")
        if ev.get("status", "reported") not in ANNOTATED_STATUSES:
            errors.append(f"{w}: status must be one of {ANNOTATED_STATUSES}")
        numbers = ev.get("sentences") or []
        if not numbers or not all(isinstance(s, int) and 1 <= s <= len(sents) for s in numbers):
            errors.append(f"{w}: sentences must list sentence numbers 1..{len(sents)}")
            numbers = [s for s in numbers if isinstance(s, int) and 1 <= s <= len(sents)]
        date, dp = ev.get("date"), ev.get("date_precision")
        if date is not None and not (isinstance(date, str) and DATE.match(date)):
            errors.append(f"{w}: date must be YYYY-MM-DD or null")
        if dp is not None and dp not in DATE_PRECISIONS:
            errors.append(f"{w}: date_precision must be one of {DATE_PRECISIONS} or null")
        if ev.get("class") == "current" and (date is None or dp is None):
            errors.append(f"{w}: a current event needs a date and its precision (see 'Date and precision')")
        out = {"kind": ev.get("kind"), "class": ev.get("class"), "status": ev.get("status", "reported"),
               "sentences": [{"start": sents[s - 1].start, "end": sents[s - 1].end} for s in numbers],
               "date": date, "date_precision": dp,
               "killed": _toll(ev.get("killed"), f"{w}.killed", errors),
               "injured": _toll(ev.get("injured"), f"{w}.injured", errors)}
        for f in SPAN_FIELDS:
            out[f] = _span(article, sents, ev.get(f), f"{w}.{f}", errors)
        if out["place"] is not None:
            p = out["place"]
            if p.get("precision") not in PRECISIONS:
                errors.append(f"{w}.place: precision must be one of {PRECISIONS}")
            if not (isinstance(p.get("country"), str) and len(p["country"]) == 2):
                errors.append(f"{w}.place: country must be an ISO alpha-2 code")
        for f in LIST_FIELDS:
            items = []
            for k, obj in enumerate(ev.get(f) or [], 1):
                sp = _span(article, sents, obj, f"{w}.{f}[{k}]", errors)
                if sp is None:
                    continue
                if f in ("actors", "targets") and sp.get("side") not in SIDES:
                    errors.append(f"{w}.{f}[{k}]: side must be one of {SIDES}")
                if f == "tolls":
                    if sp.get("what") not in ("killed", "injured"):
                        errors.append(f"{w}.tolls[{k}]: what must be killed or injured")
                    if sp.get("side") not in TOLL_SIDES:
                        errors.append(f"{w}.tolls[{k}]: side must be one of {TOLL_SIDES}")
                    if not isinstance(sp.get("count"), int) or isinstance(sp.get("count"), bool):
                        errors.append(f"{w}.tolls[{k}]: count must be a whole number")
                items.append(sp)
            out[f] = items
        if ev.get("note"):
            out["note"] = ev["note"]
        events.append(out)
    if work.get("id") != article.id:
        errors.append(f"id {work.get('id')!r} is not {article.id!r}")
    stored = {"id": article.id, "url": article.url, "annotator": work.get("annotator"),
              "reports_events": bool(work.get("reports_events", bool(events))), "events": events}
    if work.get("note"):
        stored["note"] = work["note"]
    return stored, errors


@dataclass
class Annotation:
    """One annotator's stored annotation of one article, with the text resolved."""
    article: CorpusArticle
    annotator: str
    events: list[dict] = field(default_factory=list)
    reports_events: bool = False

    def text(self, span: dict | None) -> str | None:
        return None if span is None else self.article.content[span["start"]:span["end"]]


@dataclass
class AnnotatedArticle:
    article: CorpusArticle
    annotation: Annotation                  # the adjudicated (or only) annotation
    second: Annotation | None = None        # the independent second annotation, if any


def stored_path(article_id: str, annotator: str | None = None, root: Path | None = None) -> Path:
    root = root or CORPUS_DIR / "ann"
    return root / (f"{article_id}.json" if annotator is None else f"{article_id}.{annotator}.json")


def load_annotations(articles: list[CorpusArticle], root: Path | None = None) -> list[AnnotatedArticle]:
    """The annotated articles among ``articles``: ``ann/ID.json`` is the adjudicated
    annotation; ``ann/ID.second.json`` the independent second one of a double."""
    root = root or CORPUS_DIR / "ann"
    out = []
    for a in articles:
        main = stored_path(a.id, root=root)
        if not main.exists():
            continue
        rec = json.loads(main.read_text(encoding="utf-8"))
        ann = Annotation(a, rec.get("annotator") or "", rec["events"], rec.get("reports_events", False))
        second = None
        p2 = stored_path(a.id, "second", root)
        if p2.exists():
            r2 = json.loads(p2.read_text(encoding="utf-8"))
            second = Annotation(a, r2.get("annotator") or "", r2["events"], r2.get("reports_events", False))
        out.append(AnnotatedArticle(a, ann, second))
    return out
