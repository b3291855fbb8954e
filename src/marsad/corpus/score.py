"""Score marsad records against the annotated corpus (docs/annotation.md, docs/corpus.md).

Four views, each a dict of named figures:

- ``sentence``: sentence-level detection. A gold sentence carries the kinds of the
  events that list it (current and background alike: the sentence reports an event);
  a predicted sentence carries the kinds of the predicted violent events whose evidence
  overlaps it. P/R/F1 over (sentence, kind) pairs per kind and overall, and for the
  binary decision "reports an event or not".
- ``incident``: article-level events with the shared scorer's rules
  (../shared/eval/score.py: one-to-one matching on compatible kind and place; background
  and aggregate events are optional), plus what issue 14 asks beyond it: the date *and*
  its precision for every current event, and the injured total.
- ``args``: for matched current events, span F1 per argument field (trigger, actors,
  targets, place, time, toll numbers): a predicted span matches a gold one when their
  texts, normalised by the shared scorer's ``norm``, overlap as words.
- ``counts``: articles, gold events per class.

Predicted evidence offsets are into the record's cleaned ``text``; they are carried to
the article's ``content`` by locating the evidence text there (the cleaner only drops
boilerplate and folds a few Unicode variants).
"""
from __future__ import annotations

import importlib.util
from collections import Counter
from functools import lru_cache

from ..arabic import PROCLITICS
from .annotation import AnnotatedArticle, Annotation, _locate
from .source import shared_dir


@lru_cache(maxsize=1)
def shared_scorer():
    """../shared/eval/score.py as a module: the incident rules are the shared scorer's own."""
    path = shared_dir() / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("marsad_shared_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
            "tp": tp, "pred": n_pred, "gold": n_gold}


def _content_span(record: dict, content: str, span: dict | None) -> tuple[int, int] | None:
    if not span or span.get("start") is None:
        return None
    text = record.get("text") or ""
    piece = text[span["start"]:span["end"]].strip()
    if not piece:
        return None
    i = content.find(piece)
    if i >= 0:
        return i, i + len(piece)
    return _locate(content, 0, len(content), piece)


def place_names(span_text: str | None) -> list[str]:
    """The names a gold place phrase accepts: every run of its words. Annotators mark the
    place phrase as written ("مديرية حزم العدين"، "قاعدة العند العسكرية"); a prediction
    naming the place inside it ("العدين"، "قاعدة العند") names that place. The shared
    scorer's dev gold lists such variants by hand; here they are generated."""
    if not span_text:
        return []
    # A conjunction or preposition left on a word by the annotator ("والزهراء") is not
    # part of the name.
    words = [w[1:] if len(w) > 3 and w[0] in PROCLITICS else w for w in span_text.split()]
    names = [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]
    return [span_text] + names


# How far a predicted place may lie from the gold place's gazetteer reading, by the
# precision the annotator gave (the shared dev gold uses about 30 km for a town and
# hundreds for a country).
RADIUS_KM = {"point": 15, "town": 30, "district": 60, "admin1": 150, "region": 250, "country": 600}


def _geocode(span_text: str | None, country: str | None) -> dict:
    """Coordinates of a gold place phrase where the gazetteer reads it in the annotated
    country: a second way to match besides the name (the shared scorer's radius rule)."""
    if not span_text or not country:
        return {}
    from ..gazetteer import candidates
    for c in candidates(span_text, country)[:3]:
        if c.get("country") == country and c.get("lat") is not None:
            return {"lat": c["lat"], "lon": c["lon"]}
    return {}


def gold_events_shared(aa: AnnotatedArticle) -> list[dict]:
    """The annotation as the shared scorer's gold events."""
    ann = aa.annotation
    out = []
    for ev in ann.events:
        place = ev.get("place") or {}
        where = _geocode(ann.text(ev.get("place")), place.get("country"))
        if where:
            where["radius_km"] = RADIUS_KM.get(place.get("precision"), RADIUS_KM["town"])
        out.append({**where, "kind": ev["kind"], "place": place_names(ann.text(ev.get("place"))),
                    "date": ev["date"] if ev.get("date_precision") == "day" else None,
                    "killed": ev["killed"]["total"], "optional": ev["class"] != "current"})
    return out


def _is_current(e: dict) -> bool:
    return e.get("class", "current") == "current" and not e.get("background") and not e.get("aggregate")


def annotation_as_record(ann: Annotation) -> dict:
    """An annotation in the record's shape (text = the article's content), so that one
    annotator can be scored against another with the same code as marsad."""
    events = []
    for ev in ann.events:
        place = ann.text(ev.get("place"))
        events.append({
            "kind": ev["kind"], "class": ev["class"], "date": ev.get("date"), "date_precision": ev.get("date_precision"),
            "place": {"name": place} if place else None, "trigger": ev.get("trigger"),
            "actors": [{"text": ann.text(a)} for a in ev.get("actors") or []],
            "targets": [{"text": ann.text(a)} for a in ev.get("targets") or []],
            "date_evidence": ev.get("time"),
            "killed": dict(ev["killed"], evidence=[t for t in ev.get("tolls") or [] if t.get("what") == "killed"]),
            "injured": dict(ev["injured"], evidence=[t for t in ev.get("tolls") or [] if t.get("what") == "injured"]),
            "evidence": ev["sentences"]})
    return {"text": ann.article.content, "events": events}


def _words(s: str) -> set[str]:
    return set(shared_scorer().norm(s).split())


def _span_match(pred: str, gold: str) -> bool:
    a, b = _words(pred), _words(gold)
    return bool(a and b and a & b)


def _pred_args(record: dict, ev: dict) -> dict[str, list[str]]:
    text = record.get("text") or ""

    def piece(sp):
        return text[sp["start"]:sp["end"]] if sp and sp.get("start") is not None else None
    place = ev.get("place") or {}
    out = {"trigger": [piece(ev.get("trigger"))], "actors": [a.get("text") for a in ev.get("actors") or []],
           "targets": [a.get("text") for a in ev.get("targets") or []],
           "place": [place.get("name")] if place else [], "time": [piece(ev.get("date_evidence"))],
           "tolls": [piece(sp) for k in ("killed", "injured") for sp in (ev.get(k) or {}).get("evidence") or []]}
    return {k: [s for s in v if s] for k, v in out.items()}


def _gold_args(aa: AnnotatedArticle, ev: dict) -> dict[str, list[str]]:
    t = aa.annotation.text
    return {"trigger": [t(ev.get("trigger"))] if ev.get("trigger") else [],
            "actors": [t(a) for a in ev.get("actors") or []], "targets": [t(a) for a in ev.get("targets") or []],
            "place": [t(ev.get("place"))] if ev.get("place") else [],
            "time": [t(ev.get("time"))] if ev.get("time") else [],
            "tolls": [t(x) for x in ev.get("tolls") or []]}


def score(items: list[tuple[AnnotatedArticle, dict | None]]) -> dict:
    """Figures for (annotated article, marsad record or None when it failed) pairs."""
    sc = shared_scorer()
    tally = sc.Tally()
    sent_tp, sent_pred, sent_gold = Counter(), Counter(), Counter()
    bin_tp = bin_pred = bin_gold = 0
    arg_tp, arg_pred, arg_gold = Counter(), Counter(), Counter()
    dated = Counter()
    injured = Counter()
    classes = Counter()
    flags = Counter()
    for aa, record in items:
        record = record or {}
        ann, content = aa.annotation, aa.article.content
        sents = aa.article.sentences()
        gold_sent: dict[int, set[str]] = {}
        for ev in ann.events:
            classes[ev["class"]] += 1
            for sp in ev["sentences"]:
                for k, s in enumerate(sents):
                    if s.start == sp["start"]:
                        gold_sent.setdefault(k, set()).add(ev["kind"])
        pev = [e for e in record.get("events") or [] if e.get("kind") in sc.VIOLENT]
        pred_sent: dict[int, set[str]] = {}
        for e in pev:
            for ev_sp in e.get("evidence") or []:
                where = _content_span(record, content, ev_sp)
                if where is None:
                    continue
                for k, s in enumerate(sents):
                    if s.start < where[1] and where[0] < s.end:
                        pred_sent.setdefault(k, set()).add(e["kind"])
        for k in range(len(sents)):
            g, p = gold_sent.get(k, set()), pred_sent.get(k, set())
            for kind in g:
                sent_gold[kind] += 1
            for kind in p:
                sent_pred[kind] += 1
            for kind in g & p:
                sent_tp[kind] += 1
            bin_gold += bool(g)
            bin_pred += bool(p)
            bin_tp += bool(g and p)
        # Incident level, with the shared scorer's matching; events a prediction marks as
        # background or aggregate are not offered as incidents.
        flagged = [e for e in pev if not _is_current(e)]
        pev = [e for e in pev if _is_current(e)]
        gold = {"events": gold_events_shared(aa)}
        _score_flags(sc, flagged, gold["events"], flags)
        sc.score_events({"events": pev}, gold, tally)
        weights = []
        for g in gold["events"]:
            weights.append([0 if not sc.kind_compatible(e.get("kind"), g["kind"]) or not sc.place_matches(e, g)
                            else (0.5 if g["optional"] else 100 + (e.get("kind") == g["kind"])) for e in pev])
        match = sc.assign(weights)
        for gi, pi in match.items():
            gev = ann.events[gi]
            if gev["class"] != "current":
                continue
            e = pev[pi]
            dated["total"] += 1
            dated["exact"] += bool(e.get("date") == gev["date"] and e.get("date_precision") == gev["date_precision"])
            dated["date"] += bool(e.get("date") == gev["date"])
            if gev["injured"]["total"] is not None:
                injured["gold"] += 1
                injured["exact"] += (e.get("injured") or {}).get("total") == gev["injured"]["total"]
            pa, ga = _pred_args(record, e), _gold_args(aa, gev)
            for f in ga:
                arg_gold[f] += len(ga[f])
                arg_pred[f] += len(pa[f])
                used: set[int] = set()
                for gs in ga[f]:
                    for j, ps in enumerate(pa[f]):
                        if j not in used and _span_match(ps, gs):
                            used.add(j)
                            arg_tp[f] += 1
                            break
    kinds = sorted(set(sent_gold) | set(sent_pred))
    ratio = tally.ratio
    incident = {name: None if ratio(name) is None else round(ratio(name), 3) for name in ("event_precision", "event_recall", "event_kind_accuracy",
                                                "event_date_accuracy", "casualty_recall")}
    p, r = incident["event_precision"], incident["event_recall"]
    incident["event_f1"] = round(2 * p * r / (p + r), 3) if p and r else 0.0
    incident["date_and_precision_accuracy"] = round(dated["exact"] / dated["total"], 3) if dated["total"] else None
    incident["any_date_accuracy"] = round(dated["date"] / dated["total"], 3) if dated["total"] else None
    incident["injured_exact"] = round(injured["exact"] / injured["gold"], 3) if injured["gold"] else None
    return {
        "counts": {"articles": len(items), **{f"gold_{c}": n for c, n in sorted(classes.items())}},
        "sentence": {"any": _prf(bin_tp, bin_pred, bin_gold),
                     "micro": _prf(sum(sent_tp.values()), sum(sent_pred.values()), sum(sent_gold.values())),
                     **{k: _prf(sent_tp[k], sent_pred[k], sent_gold[k]) for k in kinds}},
        "incident": incident,
        "args": {f: _prf(arg_tp[f], arg_pred[f], arg_gold[f]) for f in sorted(arg_gold)},
        "flags": {"background_or_aggregate": _prf(flags["tp"], flags["pred"], flags["gold"]),
                  "flagged_but_current": flags["current"]},
    }


def _score_flags(sc, flagged: list[dict], gold: list[dict], flags: Counter) -> None:
    """Issue 14 item 2 (background and aggregates kept, flagged): the incident view drops
    flagged predictions, so a right flag can only cost there. Here they are matched, with the
    same kind-and-place rule, against the gold's optional (background or aggregate) events,
    and separately counted when they fit a current gold event (a flag that lost an incident).
    This adds figures and leaves the incident view as it was, so the logged runs compare."""
    optional = [g for g in gold if g["optional"]]
    current = [g for g in gold if not g["optional"]]
    flags["pred"] += len(flagged)
    flags["gold"] += len(optional)

    def fits(group):
        return sc.assign([[0 if not sc.kind_compatible(e.get("kind"), g["kind"]) or not sc.place_matches(e, g)
                           else 1 + (e.get("kind") == g["kind"]) for e in flagged] for g in group])
    hit = fits(optional)
    flags["tp"] += len(hit)
    flags["current"] += len(set(fits(current).values()) - set(hit.values()))
