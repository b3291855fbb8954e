#!/usr/bin/env python3
"""Score event detection on the hand-labelled SaudiNewsNet sentences.

    .venv/bin/python scripts/score_event_detection.py [--data ../shared/data] [--errors]

``eval/labelled/events.tsv`` holds references only (article url, sentence
offsets into its ``content``, label). This script rebuilds each sentence from
``DATA/saudinewsnet/conflict_subset.jsonl``, runs the whole pipeline on the
article, and counts a sentence as detected when a violent event (a kind of
the first table of shared/spec/OUTPUT.md) has evidence in it. It reports
precision, recall and F1 of detection, and kind accuracy (a detected sentence
whose predicted kinds include one of its labelled kinds). Background rows
(past or standing events told as context) are scored apart: the events stage
leaves them out on purpose.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.core import Article  # noqa: E402
from marsad.events.lexicon import VIOLENT_KINDS  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402


def load_labels(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rid, url, start, end, label, bg = line.split("\t")
        rows.append({"id": rid, "url": url, "start": int(start), "end": int(end),
                     "kinds": set() if label == "none" else set(label.split("|")), "background": bg == "1"})
    return rows


def load_articles(path: Path, urls: set[str]) -> dict[str, dict]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            a = json.loads(line)
            if a.get("url") in urls and a["url"] not in out:
                out[a["url"]] = a
    return out


def locate(text: str, content: str, start: int, end: int) -> tuple[int, int] | None:
    if text == content:
        return start, end
    sent = content[start:end]
    pos = text.find(sent)
    if pos >= 0:
        return pos, pos + len(sent)
    m = re.search(r"\s+".join(re.escape(w) for w in sent.split()), text)
    return (m.start(), m.end()) if m else None


def predicted_kinds(article: Article, start: int, end: int) -> set[str]:
    kinds = set()
    for ev in article.events:
        if ev.kind in VIOLENT_KINDS and any(sp.start < end and start < sp.end for sp in ev.evidence):
            kinds.add(ev.kind)
    return kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--labels", default=str(ROOT / "eval" / "labelled" / "events.tsv"))
    ap.add_argument("--errors", action="store_true", help="print the sentences scored wrong")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = load_labels(Path(a.labels))
    arts = load_articles(Path(a.data) / "saudinewsnet" / "conflict_subset.jsonl", {r["url"] for r in rows})
    pipe = Pipeline()
    by_url = defaultdict(list)
    for r in rows:
        by_url[r["url"]].append(r)
    tally = Counter()
    kind_hits = Counter()
    kind_gold = Counter()
    missing = 0
    t0 = time.time()
    for url, rs in by_url.items():
        src = arts.get(url)
        if src is None:
            missing += len(rs)
            continue
        content = src["content"]
        published = (src.get("date_extracted") or "")[:10] or None
        art = pipe(Article(text=content, title=src.get("title"), published=published, url=url))
        for r in rs:
            sent = content[r["start"]:r["end"]]
            # the cleaner may have moved the text (boilerplate cut, spaces normalised): find it again
            span = locate(art.text, content, r["start"], r["end"])
            if span is None:
                missing += 1   # the cleaner removed it (e.g. a "رابط الخبر" line)
                continue
            pred = predicted_kinds(art, *span)
            gold = r["kinds"]
            bucket = "bg_" if r["background"] else ""
            if gold and pred:
                tally[bucket + "tp"] += 1
                ok = bool(gold & pred)
                tally[bucket + "kind_ok"] += ok
            elif gold:
                tally[bucket + "fn"] += 1
            elif pred:
                tally[bucket + "fp"] += 1
            else:
                tally[bucket + "tn"] += 1
            if not r["background"]:
                for k in gold:
                    kind_gold[k] += 1
                    kind_hits[k] += k in pred
            wrong = bool(gold) != bool(pred) or (gold and pred and not gold & pred)
            if a.errors and wrong and not r["background"]:
                print(f"{r['id']}\tgold={'|'.join(sorted(gold)) or 'none'}\tpred={'|'.join(sorted(pred)) or 'none'}\t"
                      f"{sent[:160]}", file=sys.stderr)
    secs = time.time() - t0
    tp, fp, fn = tally["tp"], tally["fp"], tally["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    out = {
        "sentences": len(rows) - missing, "removed_by_cleaner": missing, "articles": len(by_url), "seconds": round(secs, 1),
        "positives": tp + fn, "negatives": fp + tally["tn"],
        "precision": round(p, 3), "recall": round(rc, 3), "f1": round(f1, 3),
        "kind_accuracy": round(tally["kind_ok"] / tp, 3) if tp else None,
        "background_rows": sum(tally[k] for k in ("bg_tp", "bg_fn", "bg_fp", "bg_tn")),
        "background_detected": tally["bg_tp"] + tally["bg_fp"],
        "recall_by_kind": {k: f"{kind_hits[k]}/{kind_gold[k]}" for k in sorted(kind_gold)},
    }
    if a.json:
        print(json.dumps(out, ensure_ascii=False, sort_keys=True))
    else:
        for k, v in out.items():
            print(f"{k:22s} {v}")


if __name__ == "__main__":
    main()
