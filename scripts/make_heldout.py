#!/usr/bin/env python3
"""Rebuild the held-out evaluation articles from the corpus, outside the repo.

    python3 scripts/make_heldout.py [--data ../shared/data] [--out $TMPDIR/marsad-heldout]
                                    [--list eval/heldout/articles.tsv]

``eval/heldout/articles.tsv`` lists the held-out articles by reference only
(name, url, date_extracted): the SaudiNewsNet text is CC BY-NC-SA and must not
be committed. This script looks each url up in
``DATA/saudinewsnet/conflict_subset.jsonl`` and writes, into OUT:

- ``NAME.txt``: the title line, a blank line, then the content, as collected;
- ``NAME.meta.json``: ``published`` (date_extracted[:10]), ``outlet`` (the
  corpus ``source``), ``url`` and ``title``, which ``marsad extract`` reads.

The gold annotations stay in ``eval/heldout/NAME.gold.json``; score with
``scripts/score_heldout.sh``. The second held-out set is built the same way with
``--list eval/heldout2/articles.tsv`` (``GOLD=eval/heldout2`` for the score script).
Standard library only.
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_list(path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, url, extracted = line.split("\t")
        rows.append((name, url, extracted))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "marsad-heldout"))
    ap.add_argument("--list", default=str(ROOT / "eval" / "heldout" / "articles.tsv"))
    a = ap.parse_args()

    rows = read_list(Path(a.list))
    wanted = {url: (name, extracted) for name, url, extracted in rows}
    found = {}
    corpus = Path(a.data) / "saudinewsnet" / "conflict_subset.jsonl"
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            # the corpus holds a few exact duplicates; the first copy is the one annotated
            if d["url"] in wanted and d["url"] not in found:
                found[d["url"]] = d

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    missing = []
    for name, url, extracted in rows:
        d = found.get(url)
        if d is None:
            missing.append(name)
            continue
        if d["date_extracted"] != extracted:
            print(f"warning: {name}: date_extracted {d['date_extracted']} != {extracted}", file=sys.stderr)
        (out / f"{name}.txt").write_text(f"{d['title']}\n\n{d['content']}", encoding="utf-8")
        meta = {"published": d["date_extracted"][:10], "outlet": d["source"], "url": url, "title": d["title"]}
        (out / f"{name}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {len(rows) - len(missing)} articles to {out}")
    if missing:
        sys.exit(f"not found in {corpus}: {' '.join(missing)}")


if __name__ == "__main__":
    main()
