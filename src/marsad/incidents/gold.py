"""The incident gold (eval/incidents/gold.jsonl, docs/incidents.md), stored by reference.

Each line is one incident: kind, date, place (English name and coordinates), the best
killed and injured figures, the contradictions its sources show, and its reports, each an
article of SaudiNewsNet's conflict subset named by url with the character offsets of the
sentences that tell the incident (no text: CC BY-NC-SA).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..arabic import sentences
from ..corpus.source import REPO, shared_dir

GOLD = REPO / "eval" / "incidents" / "gold.jsonl"


@lru_cache(maxsize=1)
def conflict_subset() -> list[dict]:
    path = shared_dir() / "data" / "saudinewsnet" / "conflict_subset.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def convert(work: list[dict]) -> list[dict]:
    """Annotator's working form (article line number ``n``, sentence numbers ``s``) to
    the stored form (url and character offsets)."""
    rows = conflict_subset()
    out = []
    for inc in work:
        reports = []
        for r in inc["reports"]:
            art = rows[r["n"]]
            spans = sentences(art["content"])
            reports.append({"url": art["url"], "sentences": [{"start": spans[s - 1].start, "end": spans[s - 1].end}
                                                              for s in r["s"]],
                            **{k: r.get(k) for k in ("killed", "injured", "status", "background")}})
        out.append({**{k: v for k, v in inc.items() if k != "reports"}, "reports": reports})
    return out


@dataclass
class GoldReport:
    incident: str
    url: str
    sentences: list[tuple[int, int]]
    killed: int | None
    injured: int | None
    status: str
    background: bool


def load(path: Path = GOLD) -> tuple[list[dict], list[GoldReport]]:
    incidents = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    reports = [GoldReport(inc["id"], r["url"], [(s["start"], s["end"]) for s in r["sentences"]], r.get("killed"),
                          r.get("injured"), r.get("status") or "reported", bool(r.get("background")))
               for inc in incidents for r in inc["reports"]]
    return incidents, reports
