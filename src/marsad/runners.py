"""Runners: how a function is mapped over a stream of items, results in input order.

A ``Runner`` only computes; the caller that consumes ``map`` is the one writer.
``SerialRunner`` runs in this process, ``ProcessRunner`` in a pool of worker
processes with the same top-level function; another engine (a Dask cluster)
is one more class with the same ``map`` and a name in ``RUNNERS``.

Per-item time limit: ``map(fn, items, timeout=S, on_timeout=f)`` gives each item
S seconds of wall time in the worker; an item that runs over is replaced in
the results by ``on_timeout(item)`` (or raises ``ItemTimeout`` when no
``on_timeout`` is given). The limit is an alarm signal raised inside the
worker: it stops Python code and a regular expression stuck backtracking (the
``re`` engine checks for signals; tested), not a C extension that never
returns to the interpreter (a runner that kills and replaces its worker would
be the stronger form, behind the same arguments). It needs the main thread of
a POSIX process; elsewhere items run without a limit.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator, Protocol, TypeVar, runtime_checkable

from .errors import MarsadError, OptionsError

T = TypeVar("T")
R = TypeVar("R")

# Items handed to a worker at once: large enough to amortise pickling, small
# enough that results stream out in order without piling up.
CHUNK = 8
# Chunks per worker held in memory at once.
WINDOW_CHUNKS = 4


class ItemTimeout(MarsadError, TimeoutError):
    """An item ran past the runner's per-item time limit."""


@runtime_checkable
class Runner(Protocol):
    """Maps a top-level (picklable) function over items; yields results in input order, streaming."""

    name: str

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_timeout: Callable[[T], R] | None = None) -> Iterator[R]: ...


@dataclass(frozen=True)
class _Timed:
    """``fn`` under a wall-clock alarm: picklable, so it runs the same in this process and in a worker."""

    fn: Callable
    timeout: float | None
    on_timeout: Callable | None

    def __call__(self, item):
        if not self.timeout or threading.current_thread() is not threading.main_thread() \
                or not hasattr(signal, "setitimer"):
            return self.fn(item)

        def alarm(signum, frame):
            raise ItemTimeout(f"no result within {self.timeout:g} s")

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, self.timeout)
        try:
            return self.fn(item)
        except ItemTimeout:
            if self.on_timeout is None:
                raise
            return self.on_timeout(item)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


class SerialRunner:
    """In this process, one item after another."""

    name = "serial"

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_timeout: Callable[[T], R] | None = None) -> Iterator[R]:
        timed = _Timed(fn, timeout, on_timeout)
        for item in items:
            yield timed(item)


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


class ProcessRunner:
    """A pool of ``workers`` processes; results stream back in input order in constant memory."""

    name = "processes"

    def __init__(self, workers: int = 2):
        self.workers = workers

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_timeout: Callable[[T], R] | None = None) -> Iterator[R]:
        import multiprocessing as mp

        ctx = mp.get_context(_start_method())
        timed = _Timed(fn, timeout, on_timeout)
        # Pool.imap reads its whole input eagerly; feeding it bounded windows keeps
        # memory constant on inputs of any size while keeping every worker busy.
        window = self.workers * CHUNK * WINDOW_CHUNKS
        items = iter(items)
        with ctx.Pool(self.workers, initializer=_worker_init) as pool:
            while batch := list(islice(items, window)):
                yield from pool.imap(timed, batch, chunksize=CHUNK)


# Runner names the command line accepts, each a factory from a worker count.
RUNNERS: dict[str, Callable[[int], Runner]] = {
    "serial": lambda workers: SerialRunner(),
    "processes": lambda workers: ProcessRunner(workers),
}


def make_runner(name: str | None = None, workers: int = 1) -> Runner:
    """The runner called ``name``; without a name, serial for one worker and processes for more."""
    if name is None:
        name = "processes" if workers > 1 else "serial"
    if name not in RUNNERS:
        raise OptionsError(f"unknown runner {name!r} (known: {', '.join(RUNNERS)})")
    return RUNNERS[name](workers)
