"""Runners: how a function is mapped over a stream of items, results in input order.

A ``Runner`` only computes; the caller that consumes ``map`` is the one writer.
``SerialRunner`` runs in this process, ``ProcessRunner`` in a pool of worker
processes with the same top-level function, ``DaskRunner`` on a Dask cluster
(a local one of worker processes, or an existing one by its scheduler's
address); another engine is one more class with the same ``map`` and a name
in ``RUNNERS``.

Per-item time limit: ``map(fn, items, timeout=S, on_timeout=f)`` gives each item
S seconds of wall time in the worker; an item that runs over is replaced in
the results by ``on_timeout(item)`` (or raises ``ItemTimeout`` when no
``on_timeout`` is given). The limit is an alarm signal raised inside the
worker: it stops Python code and a regular expression stuck backtracking (the
``re`` engine checks for signals; tested), not a C extension that never
returns to the interpreter (a runner that kills and replaces its worker would
be the stronger form, behind the same arguments). It needs the main thread of
a POSIX process; elsewhere items run without a limit, and so do items on Dask,
whose workers run tasks in threads.
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections import deque
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
        # A sliding window of chunks (Pool.imap would read its whole input eagerly): a new
        # chunk goes in as the oldest comes out, so memory stays constant on inputs of any
        # size and a worker always has a chunk waiting. Feeding imap fixed windows in turn
        # left one worker idle at the end of every window while the other finished its last
        # chunk (tests/test_runners.py; docs/performance.md, session 6).
        chunks = _chunks(items, CHUNK)
        with ctx.Pool(self.workers, initializer=_worker_init) as pool:
            pending = deque(pool.apply_async(_map_chunk, (timed, c))
                            for c in islice(chunks, self.workers * WINDOW_CHUNKS))
            while pending:
                done = pending.popleft()
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(pool.apply_async(_map_chunk, (timed, nxt)))
                yield from done.get()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _map_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    """A Dask task: one chunk of items through ``fn`` on a worker (top-level, so it pickles by name)."""
    return [fn(item) for item in chunk]


class DaskRunner:
    """Chunks of items as tasks on a Dask cluster; results stream back in input order.

    Without ``scheduler``, a ``LocalCluster`` of ``workers`` processes (one thread each: the
    pipeline is pure Python, so threads would only contend for the GIL) lives as long as one
    ``map``. With ``scheduler`` (``tcp://host:8786``), the tasks go to that cluster, whose
    workers must have marsad installed; it is left running. Only a window of chunks is in flight
    at once, so memory stays constant on inputs of any size, and a chunk lost with its worker
    is recomputed by Dask on another.
    """

    name = "dask"

    def __init__(self, workers: int = 2, scheduler: str | None = None):
        self.workers = workers
        self.scheduler = scheduler

    def _connect(self):
        """A client, and the local cluster this runner started (None for an existing cluster)."""
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise OptionsError("the dask runner needs dask and distributed: pip install 'marsad[dask]'") from None
        if self.scheduler:
            return Client(self.scheduler), None
        cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        return Client(cluster), cluster

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, timeout: float | None = None,
            on_timeout: Callable[[T], R] | None = None) -> Iterator[R]:
        timed = _Timed(fn, timeout, on_timeout)
        client, cluster = self._connect()
        try:
            slots = sum(client.nthreads().values()) or self.workers
            chunks = _chunks(items, CHUNK)
            pending = deque(client.submit(_map_chunk, timed, c, pure=False)
                            for c in islice(chunks, slots * WINDOW_CHUNKS))
            while pending:
                done = pending.popleft()
                nxt = next(chunks, None)
                if nxt is not None:
                    pending.append(client.submit(_map_chunk, timed, nxt, pure=False))
                yield from done.result()
        finally:
            client.close()
            if cluster is not None:      # a cluster handed to a Client is not closed with it
                cluster.close()


# Runner names the command line accepts, each a factory from a worker count and a scheduler address.
RUNNERS: dict[str, Callable[[int, str | None], Runner]] = {
    "serial": lambda workers, scheduler: SerialRunner(),
    "processes": lambda workers, scheduler: ProcessRunner(workers),
    "dask": lambda workers, scheduler: DaskRunner(workers, scheduler),
}


def make_runner(name: str | None = None, workers: int = 1, scheduler: str | None = None) -> Runner:
    """The runner called ``name``; without a name, dask when a scheduler address is given, else serial
    for one worker and processes for more."""
    if name is None:
        name = "dask" if scheduler else "processes" if workers > 1 else "serial"
    if name not in RUNNERS:
        raise OptionsError(f"unknown runner {name!r} (known: {', '.join(RUNNERS)})")
    if scheduler and name != "dask":
        raise OptionsError(f"a scheduler address is for the dask runner, not {name!r}")
    return RUNNERS[name](workers, scheduler)
