"""Access to the package's data files (lexicons, gazetteer, schema, models).

Data files are TSV with ``#`` comment lines for provenance; rows are tuples of
their tab-separated fields.
"""
from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    return Path(str(resources.files("marsad") / "data" / name))


def data_rows(name: str) -> list[tuple[str, ...]]:
    rows = []
    with open(data_path(name), encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            rows.append(tuple(f.strip() for f in line.split("\t")))
    return rows


def data_lists(name: str) -> dict[str, tuple[str, ...]]:
    """Named word lists of a ``list<TAB>word`` file, each in file order (order can matter:
    a list joined into a regex alternation tries its words in that order)."""
    out: dict[str, list[str]] = {}
    for row in data_rows(name):
        out.setdefault(row[0], []).append(row[1])
    return {k: tuple(v) for k, v in out.items()}


def write_model(path: Path, doc: dict) -> None:
    """A learned model's weights as compact gzipped JSON (read back by ``read_model``)."""
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))


def read_model(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def schema() -> dict:
    """The JSON Schema of the article record (shared/spec/OUTPUT.md); the event kinds it
    allows are the rows of the kind table (data/events/kinds.tsv), their one home."""
    from . import kinds
    out = json.loads(data_path("article.schema.json").read_text(encoding="utf-8"))
    out["properties"]["events"]["items"]["properties"]["kind"]["enum"] = list(kinds.names())
    return out
