"""Current gold events that no prediction finds, on a corpus split (train or dev).

    PYTHONPATH=src python scripts/corpus_missed.py --split train --pred DIR [--write]

With --write the pipeline runs here and writes DIR/ID.json first. A current gold event is
"missed" when the corpus scorer's matching (marsad.corpus.score) leaves it unmatched and none
of its sentences holds a predicted violent event. Each is printed with its kind, trigger text and
first sentence, for classing by hand (docs/events.md, "Missed event sentences (session 6)").
The test split is refused: it is scored once, by the lead.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from marsad.corpus import load_articles
from marsad.corpus.annotation import load_annotations
from marsad.corpus.score import _content_span

from corpus_unmatched import matching     # the same matching (scripts/ is on the path)


def missed(aa, record: dict) -> list[dict]:
    content, sents = aa.article.content, aa.article.sentences()
    _, pev, gold, match = matching(aa, record)
    pred_sents = set()
    for e in pev:
        for sp in e.get("evidence") or []:
            w = _content_span(record, content, sp)
            if w:
                pred_sents |= {k for k, s in enumerate(sents) if s.start < w[1] and w[0] < s.end}
    out = []
    for gi, (g, ev) in enumerate(zip(gold, aa.annotation.events)):
        if g["optional"] or gi in match:
            continue
        mine = {k for k, s in enumerate(sents) for sp in ev["sentences"] if s.start == sp["start"]}
        if mine & pred_sents:
            continue
        k0 = min(mine) if mine else None
        out.append({"id": aa.article.id, "kind": g["kind"],
                    "trigger": aa.annotation.text(ev["trigger"]) if ev.get("trigger") else None,
                    "sentence": content[sents[k0].start:sents[k0].end].replace("\n", " ") if k0 is not None else None, "index": k0})
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--split", choices=("train", "dev"), required=True)
    p.add_argument("--pred", required=True)
    p.add_argument("--write", action="store_true")
    args = p.parse_args()
    out = Path(args.pred)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for aa in load_annotations(load_articles(args.split)):
        path = out / f"{aa.article.id}.json"
        if args.write:
            from marsad.core import Article
            from marsad.pipeline import process
            a = aa.article
            art = Article(text=a.content, title=a.title or None, published=a.published, outlet=a.outlet, url=a.url)
            path.write_text(json.dumps(process(art).to_json(), ensure_ascii=False), encoding="utf-8")
        record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for m in missed(aa, record):
            n += 1
            print("\t".join(str(m[k]) for k in ("id", "kind", "trigger", "index", "sentence")))
    print(f"total\t{n}")


if __name__ == "__main__":
    main()
