"""Batches: inputs in, (origin, article or failure) out, in input order.

Workers only process; the caller is the one writer. ``process_items`` maps the
top-level ``run_item`` with a ``Runner`` (``marsad.runners``: this process, a
pool of worker processes, or another engine behind the same protocol), so a
laptop, a multi-core box and a cluster share one code path. Nothing here stops
on a bad input: each becomes a Result with its failure, and the caller
accounts for every input.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Iterable, Iterator

from . import watchdog
from .core import Article, Failure
from .errors import InputError
from .pipeline import process
from .readers import iter_jsonl, read_file
from .runners import ProcessRunner, Runner, _start_method, make_runner

TEXT_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")


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


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many inputs ``expand(paths)`` will yield (files, and lines of JSON Lines files), for
    progress totals; one fast pass over the bytes of JSON Lines files."""
    n = 0
    for p in paths:
        p = Path(p)
        if p.is_dir():
            n += count_inputs(f for f in sorted(p.rglob("*")) if f.is_file()
                              and f.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES and not f.name.endswith(".meta.json"))
        elif p.suffix.lower() in JSONL_SUFFIXES:
            try:
                with open(p, "rb") as fh:
                    n += sum(1 for line in fh if line.strip())
            except OSError:
                n += 1
        else:
            n += 1
    return n


def run_item(item: Item, options: Any = None) -> Result:
    """The worker: a top-level function so process pools and other engines can map it (with
    ``options``, the pipeline's options object, bound by ``functools.partial``, which pickles)."""
    if item.article is None:
        return Result(item.origin, failure=item.failure)
    run = process if options is None else partial(process, options=options)
    try:
        # The per-article CPU budget (marsad.watchdog): always on, so one input never stalls a
        # batch; the runner's own time limit (``timeout``) is an optional wall-clock bound.
        return Result(item.origin, article=watchdog.within_budget(run, item.article, options=options))
    except watchdog.ArticleTimeout as exc:
        return Result(item.origin, failure=exc.failure(item.origin))


def process_items(items: Iterable[Item], workers: int = 1, runner: Runner | None = None,
                  timeout: float | None = None, options: Any = None) -> Iterator[Result]:
    """Results in input order, from ``runner`` (default: serial for one worker, a process pool for
    more). ``timeout``: seconds an item may take before it becomes a ``timeout`` failure;
    ``options``: passed to the pipeline with every article (None: the shipped defaults)."""
    runner = runner or make_runner(workers=workers)
    if isinstance(runner, ProcessRunner) and _start_method() == "fork":
        preload(options)
    fn = run_item if options is None else partial(run_item, options=options)
    yield from runner.map(fn, items, timeout=timeout, on_timeout=timed_out)


def preload(options: Any = None) -> None:
    """Build the pipeline for ``options`` and load every resource it reads lazily, in this
    process. Called before a pool is forked, the workers share the loaded models copy-on-write
    instead of each paying the cold start; the CRF tagger needs no threads, so fork is safe
    (``runners._start_method`` switches to a forkserver once torch is loaded)."""
    from .pipeline import default_pipeline
    default_pipeline(options)(Article(text=watchdog.warm_text(), published="2015-08-03"))
    # What is loaded now lives as long as the process: moved out of the cyclic collector's
    # reach, so that a forked worker's first full collection does not write to (and copy)
    # every page it shares with the parent. Measured in the fuzz campaign: the first article
    # of each worker cost 0.9 s more CPU (page copies, system time) without it.
    gc.collect()
    gc.freeze()


def timed_out(item: Item) -> Result:
    """What an item that ran past the runner's time limit becomes: a failure, as data."""
    return Result(item.origin, failure=Failure("pipeline", "timeout", f"{item.origin}: no result in time"))


# The one writer and its counts live with the sinks; kept importable from here.
from .sinks import Counts, store_results  # noqa: E402

__all__ = ["Counts", "Item", "Result", "count_inputs", "expand", "iter_files", "iter_jsonl_items", "preload", "process_items", "run_item",
           "store_results", "timed_out"]
