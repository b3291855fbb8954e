"""Sinks: where results go, written by the one writer in input order.

A sink takes every ``Result`` of a batch (an article, or the failure of an
input) and accounts for it: ``DirectorySink`` writes NAME.json per input and
``_failures.jsonl``; ``JsonlSink`` one line per input, a failed input as its
failure record at its position; ``PrintSink`` records on standard output;
``StoreSink`` stores articles and failures in a ``Store``. Reporting failures
to the user stays with the caller (the CLI), so sinks are quiet.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Protocol, TextIO

if TYPE_CHECKING:
    from .batch import Result
    from .store import Store


@dataclass
class Counts:
    stored: int = 0
    already: int = 0     # stored before (same id or same input)
    failed: int = 0      # inputs that could not be read, or articles a stage failed on
    written: int = 0     # results a file sink wrote, failures included
    incidents: int = 0   # incidents a store sink rebuilt when it closed


class Sink(Protocol):
    counts: Counts

    def write(self, result: "Result") -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> "Sink": ...

    def __exit__(self, *exc: object) -> None: ...


def dump(obj: dict, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def failure_record(res: "Result") -> dict:
    """A failed input's line in JSON Lines outputs and ``_failures.jsonl``."""
    return {"origin": res.origin, "failures": [{"stage": res.failure.stage, "reason": res.failure.reason,
                                                "message": res.failure.message}]}


@dataclass
class _Base:
    counts: Counts = field(default_factory=Counts, kw_only=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass

    def _count(self, res: "Result") -> None:
        self.counts.written += 1
        self.counts.failed += res.article is None or bool(res.article.failures)


@dataclass
class DirectorySink(_Base):
    """DIR/NAME.json per article (NAME: the input's file name without suffix); failed inputs in
    DIR/_failures.jsonl, written when the batch ends and only when something failed."""

    out: Path
    failures: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.out = Path(self.out)
        self.out.mkdir(parents=True, exist_ok=True)

    def write(self, res: "Result") -> None:
        self._count(res)
        if res.article is None:
            self.failures.append(failure_record(res))
            return
        (self.out / (Path(res.origin).stem + ".json")).write_text(dump(res.article.to_json(), 1), encoding="utf-8")

    def close(self) -> None:
        if self.failures:
            with open(self.out / "_failures.jsonl", "w", encoding="utf-8") as fh:
                for f in self.failures:
                    fh.write(dump(f) + "\n")


@dataclass
class JsonlSink(_Base):
    """One line per input, in input order; a failed input is its failure record at its position."""

    fh: TextIO

    def write(self, res: "Result") -> None:
        self._count(res)
        rec = res.article.to_json() if res.article else failure_record(res)
        self.fh.write(dump(rec) + "\n")


@dataclass
class PrintSink(_Base):
    """Records to a text stream: indented when there is one (easier to read), one a line otherwise.
    Failed inputs are left to the caller's report."""

    fh: TextIO
    indent: int | None = None

    def write(self, res: "Result") -> None:
        self._count(res)
        if res.article is not None:
            self.fh.write(dump(res.article.to_json(), self.indent) + "\n")


@dataclass
class StoreSink(_Base):
    """The one writer of a store: each article once under its id, each unreadable input as a failure."""

    store: "Store"

    def write(self, res: "Result") -> None:
        if res.article is None:
            self.store.put_failure(res.origin, res.failure)
            self.counts.failed += 1
            return
        if self.store.put(res.article):
            self.counts.stored += 1
        else:
            self.counts.already += 1
        self.counts.failed += bool(res.article.failures)

    def close(self) -> None:
        # Incidents once per batch, for the countries it touched (and any a killed run left
        # marked): grouping reports is a step over a country's reports, not over one article.
        self.counts.incidents = self.store.update_incidents()

    def __exit__(self, exc_type, *exc: object) -> None:
        # A batch stopped by a store that cannot be written (disk full) leaves its countries
        # marked, as a killed run does: the rebuild would hit the same wall and hide the error.
        if exc_type is None:
            self.close()


def drain(results: Iterable["Result"], sink: Sink) -> Counts:
    """Write every result to ``sink`` and close it; its counts."""
    with sink:
        for res in results:
            sink.write(res)
    return sink.counts


def store_results(store: "Store", results: Iterable["Result"], counts: Counts | None = None) -> Counts:
    return drain(results, StoreSink(store, counts=counts or Counts()))
