"""Batches: inputs in, (origin, article or failure) out, in input order.

Workers only process; the caller is the one writer. ``process_items`` runs in
this process or in a pool of worker processes with the same top-level
function, so a laptop, a multi-core box and other map-style engines share one
code path. Nothing here stops on a bad input: each becomes a Result with its
failure, and the caller accounts for every input.
"""
from __future__ import annotations

import os
import sys
from itertools import islice
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import watchdog
from .core import Article, Failure
from .errors import InputError
from .pipeline import process
from .readers import iter_jsonl, read_file
from .store import Store

TEXT_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
# Articles handed to a worker at once: large enough to amortise pickling,
# small enough that results stream out in order without piling up.
CHUNK = 8
# Chunks per worker held in memory at once.
WINDOW_CHUNKS = 4


@dataclass
class Item:
    """One input (its file or file:line), as read (the article, or why it could not be
    read) and, after the pipeline, as processed: an input and its result have one shape."""
    origin: str
    article: Article | None = None
    failure: Failure | None = None


Result = Item


def _from_error(origin: str, exc: InputError) -> Item:
    return Item(origin, failure=Failure("read", exc.reason, exc.message))


def iter_files(paths: Iterable[str | Path], published: str | None = None) -> Iterator[Item]:
    for p in paths:
        p = Path(p)
        try:
            yield Item(str(p), article=read_file(p, published))
        except InputError as exc:
            yield _from_error(str(p), exc)


def iter_jsonl_items(path: str | Path, published: str | None = None) -> Iterator[Item]:
    try:
        for it in iter_jsonl(path, published):
            origin = f"{path}:{it.line}"
            yield Item(origin, article=it.article) if it.article else _from_error(origin, it.error)
    except OSError as exc:
        yield Item(str(path), failure=Failure("read", "unreadable", f"{path}: {exc.strerror or exc}"))


def expand(paths: Iterable[str | Path], published: str | None = None) -> Iterator[Item]:
    """Files, directories (walked for text, HTML and JSON Lines) and JSON Lines files."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES
                           and not f.name.endswith(".meta.json"))
            yield from expand(files, published)
        elif p.suffix.lower() in JSONL_SUFFIXES:
            yield from iter_jsonl_items(p, published)
        else:
            yield from iter_files([p], published)


def run_item(item: Item) -> Result:
    """The worker: a top-level function so process pools and other engines can map it."""
    if item.article is None:
        return Result(item.origin, failure=item.failure)
    try:
        return Result(item.origin, article=watchdog.within_budget(process, item.article))
    except watchdog.ArticleTimeout as exc:
        return Result(item.origin, failure=exc.failure(item.origin))


def _start_method() -> str:
    """fork is cheapest, but a child forked after torch has started its OpenMP threads in
    this process (the accurate NER model, or any caller that ran it) can hang for good,
    waiting on a lock a thread that was not copied held: then a fresh forkserver."""
    if not hasattr(os, "fork"):
        return "spawn"
    return "forkserver" if "torch" in sys.modules else "fork"


def _worker_init() -> None:
    # The workers are the parallelism: torch threads inside each one would only
    # oversubscribe the cores. Read when torch loads; an explicit setting is kept.
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def process_items(items: Iterable[Item], workers: int = 1) -> Iterator[Result]:
    """Results in input order. workers > 1 uses a process pool (imap keeps order and streams)."""
    if workers <= 1:
        for item in items:
            yield run_item(item)
        return
    import multiprocessing as mp

    ctx = mp.get_context(_start_method())
    # Pool.imap reads its whole input eagerly; feeding it bounded windows keeps
    # memory constant on inputs of any size while keeping both workers busy.
    window = workers * CHUNK * WINDOW_CHUNKS
    items = iter(items)
    with ctx.Pool(workers, initializer=_worker_init) as pool:
        while batch := list(islice(items, window)):
            yield from pool.imap(run_item, batch, chunksize=CHUNK)


@dataclass
class Counts:
    stored: int = 0
    already: int = 0     # stored before (same id or same input)
    failed: int = 0      # inputs that could not be read, or articles a stage failed on


def store_results(store: Store, results: Iterable[Result], counts: Counts | None = None) -> Counts:
    """The one writer: each article stored once under its id, each unreadable input as a failure."""
    counts = counts or Counts()
    for res in results:
        if res.article is None:
            store.put_failure(res.origin, res.failure)
            counts.failed += 1
            continue
        if store.put(res.article):
            counts.stored += 1
        else:
            counts.already += 1
        counts.failed += bool(res.article.failures)
    return counts
