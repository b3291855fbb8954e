"""The corpus articles' text, rebuilt from ../shared/data/saudinewsnet by url."""
from __future__ import annotations

import csv
import glob
import json
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..arabic import sentences
from ..core import Span

REPO = Path(__file__).resolve().parents[3]
CORPUS_DIR = REPO / "eval" / "corpus"


def shared_dir() -> Path:
    """../shared beside the repository, or $MARSAD_SHARED (a documented override for
    checkouts that keep the shared data elsewhere)."""
    return Path(os.environ.get("MARSAD_SHARED") or REPO.parent / "shared")


@dataclass
class CorpusArticle:
    id: str
    url: str
    date_extracted: str
    outlet: str
    stratum: str
    split: str
    double: bool
    title: str = ""
    content: str = ""

    @property
    def published(self) -> str:
        return self.date_extracted[:10]

    def sentences(self) -> list[Span]:
        """Sentence spans over ``content``: the unit every sentence label refers to."""
        return sentences(self.content)


def read_index(path: Path | None = None) -> list[CorpusArticle]:
    path = path or CORPUS_DIR / "articles.tsv"
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    out = []
    for row in csv.DictReader(rows, delimiter="\t"):
        out.append(CorpusArticle(row["id"], row["url"], row["date_extracted"], row["outlet"],
                                 row["stratum"], row["split"], row["double"] == "yes"))
    return out


def _raw_rows():
    """SaudiNewsNet's articles as they are stored: the conflict subset, then the daily dumps."""
    snn = shared_dir() / "data" / "saudinewsnet"
    with (snn / "conflict_subset.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)
    for z in sorted(glob.glob(str(snn / "raw_zips" / "*.zip"))):
        with zipfile.ZipFile(z) as f:
            for name in f.namelist():
                yield from json.loads(f.read(name))


@lru_cache(maxsize=1)
def _snn_by_url() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for a in _raw_rows():
        found.setdefault(a["url"], a)
    return found


def load_articles(split: str | None = None, path: Path | None = None) -> list[CorpusArticle]:
    """The corpus index with each article's text; ``split`` keeps one split."""
    wanted = [a for a in read_index(path) if split is None or a.split == split]
    by_url = _snn_by_url()
    for a in wanted:
        raw = by_url.get(a.url)
        if raw is None:
            raise FileNotFoundError(f"{a.id}: {a.url} is not in {shared_dir() / 'data' / 'saudinewsnet'}")
        a.title, a.content = raw.get("title") or "", raw.get("content") or ""
    return wanted


def saudinewsnet_texts(limit: int):
    """Up to ``limit`` SaudiNewsNet article texts for property tests over real news
    (tests/test_toll_model.py, benchmarks/toll_property.py): every article of the conflict
    subset first, then the raw dumps' other articles in date order; the corpus test split
    is left out (docs/corpus.md). Yields nothing when ../shared/data is absent."""
    if not (shared_dir() / "data" / "saudinewsnet" / "conflict_subset.jsonl").exists() or limit <= 0:
        return
    seen = {a.url for a in read_index() if a.split == "test"}
    n = 0
    for a in _raw_rows():
        if a["url"] not in seen and a.get("content"):
            seen.add(a["url"])
            yield a["content"]
            n += 1
            if n >= limit:
                return
