"""Score incident building against the incident gold (docs/incidents.md).

A gold report (an article and the sentences that tell the incident) is matched to the
article's violent event whose evidence overlaps those sentences most, of a compatible
kind where there is one; its predicted incident is the one holding that event. A gold
report with no such event stands alone (marsad missed it). Over the gold reports:

- pairwise P/R/F1: pairs of reports in one predicted incident against pairs in one gold
  incident;
- B-cubed P/R/F1 (Bagga and Baldwin 1998), per report, averaged;
- tolls: the share of gold incidents with a killed figure whose predicted incident's
  low–high range holds it;
- contradictions: the share of gold-marked contradictions (toll, denial, actors) that the
  predicted incident flags, and the share of flags raised on gold incidents that the gold
  marks (flags on incidents outside the gold are not judged).
Figures are given over all gold reports and over current reports only (background mentions
left out: marsad does not yet mark background events).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from ..corpus.annotation import _locate
from .build import IncidentIndex, kinds_compatible
from .gold import GoldReport
from .sources import Incident, summarise
from .wire import WireIndex

# Gold contradiction labels and the reasons marsad gives for them.
REASONS = {"toll": ("killed_spread", "injured_spread"), "denial": ("denial",), "actors": ("actors_disputed",)}


def build(records: list[dict]) -> tuple[dict[str, Incident], dict[str, str]]:
    """Incidents of ``records`` (in the given order) and the incident id of each report key."""
    wire, index = WireIndex(), IncidentIndex()
    for r in records:
        wire.add(r["id"], r.get("text") or "", r.get("published"))
        index.add_record(r)
    incidents, of = {}, {}
    for iid, reps in index.groups().items():
        incidents[iid] = summarise(iid, reps, wire.original)
        for rep in reps:
            of[rep.key] = iid
    return incidents, of


def _event_for(record: dict, content: str, gold: GoldReport, kind: str) -> str | None:
    text = record.get("text") or ""
    best, best_key = 0, None
    for n, ev in enumerate(record.get("events") or []):
        overlap = 0
        for sp in ev.get("evidence") or []:
            piece = text[sp["start"]:sp["end"]].strip()
            where = _locate(content, 0, len(content), piece) if piece else None
            if where is None:
                continue
            overlap += sum(max(0, min(where[1], e) - max(where[0], s)) for s, e in gold.sentences)
        score = overlap * (2 if kinds_compatible(ev.get("kind"), kind) else 1)
        if score > best:
            best, best_key = score, f"{record['id']}#{n}"
    return best_key


def _prf(p: float, r: float) -> dict:
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _cluster_scores(gold_of: list[str], pred_of: list[str]) -> dict:
    n = len(gold_of)
    tp = fp = fn = 0
    for i in range(n):
        for j in range(i + 1, n):
            same_g, same_p = gold_of[i] == gold_of[j], pred_of[i] == pred_of[j]
            tp += same_g and same_p
            fp += same_p and not same_g
            fn += same_g and not same_p
    pair = _prf(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)
    g_size, p_size, both = Counter(gold_of), Counter(pred_of), Counter(zip(gold_of, pred_of))
    bp = sum(both[(g, p)] / p_size[p] for g, p in zip(gold_of, pred_of)) / n if n else 0.0
    br = sum(both[(g, p)] / g_size[g] for g, p in zip(gold_of, pred_of)) / n if n else 0.0
    return {"pairwise": pair, "bcubed": _prf(bp, br), "reports": n}


def score(records: list[dict], gold_incidents: list[dict], gold_reports: list[GoldReport],
          contents: dict[str, str]) -> dict:
    """``contents``: url -> the article's content (the offsets' text)."""
    incidents, of = build(records)
    by_url = {(r.get("source") or {}).get("url"): r for r in records}
    kind_of = {g["id"]: g["kind"] for g in gold_incidents}
    pred: list[str] = []
    matched = 0
    for k, gr in enumerate(gold_reports):
        rec = by_url.get(gr.url)
        key = _event_for(rec, contents[gr.url], gr, kind_of[gr.incident]) if rec else None
        iid = of.get(key) if key else None
        matched += iid is not None
        pred.append(iid or f"missed-{k}")
    out = {"all": _cluster_scores([g.incident for g in gold_reports], pred)}
    current = [i for i, g in enumerate(gold_reports) if not g.background]
    out["current"] = _cluster_scores([gold_reports[i].incident for i in current], [pred[i] for i in current])
    out["reports_matched"] = f"{matched} of {len(gold_reports)}"
    # Tolls and contradictions, per gold incident, on the predicted incident holding most of its reports.
    held = defaultdict(Counter)
    for g, p in zip(gold_reports, pred):
        if not p.startswith("missed-"):
            held[g.incident][p] += 1
    in_range = with_toll = 0
    marked = flagged_marked = flags = flags_real = 0
    for g in gold_incidents:
        if not held[g["id"]]:
            continue
        inc = incidents[held[g["id"]].most_common(1)[0][0]]
        if g.get("killed") is not None and len(g["reports"]) > 1:
            with_toll += 1
            in_range += inc.killed.low is not None and inc.killed.low <= g["killed"] <= inc.killed.high
        for label, reasons in REASONS.items():
            raised = any(r in inc.reasons for r in reasons)
            if label in g.get("contradictions", []):
                marked += 1
                flagged_marked += raised
            if raised:
                flags += 1
                flags_real += label in g.get("contradictions", [])
    out["toll_in_range"] = f"{in_range} of {with_toll}" + (f" ({in_range / with_toll:.3f})" if with_toll else "")
    out["contradictions_flagged"] = f"{flagged_marked} of {marked}" + (f" ({flagged_marked / marked:.3f})" if marked else "")
    out["flags_real"] = f"{flags_real} of {flags}" + (f" ({flags_real / flags:.3f})" if flags else "")
    out["incidents_built"] = len(incidents)
    return out
