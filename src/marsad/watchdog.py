"""A time budget per article, so one input never stalls a batch.

``within_budget(fn, article)`` runs ``fn(article)`` under a deadline that
grows linearly with the article's length (the budget every rule is held to:
linear time). Past it, ``ArticleTimeout`` is raised inside the pipeline; the
batch records a ``timeout`` failure for that input and moves on.

The deadline is an interval timer on the process's CPU time (``ITIMER_PROF``),
not on the wall clock: on a machine shared with other jobs, waiting for a core
is not the article's fault, and the same input gets the same outcome however
busy the machine is. It works wherever articles are processed in the main
thread of a process: a serial run and every worker of ``batch.process_items``
(a pool worker runs its tasks in its main thread). Elsewhere (another thread,
a platform without ``setitimer``) the budget is not enforced.

A Python signal handler runs between bytecodes, so a single regular
expression stuck in C would only be stopped when it returns: the rules
themselves must be linear (see docs/reliability.md); the watchdog is the
backstop for what slips through, not a licence for slow rules.
"""
from __future__ import annotations

import os
import signal
import threading
from typing import Callable, TypeVar

from .core import Article, Failure

__all__ = ["ArticleTimeout", "TIMEOUT_REASON", "budget_for", "warm_text", "within_budget"]

TIMEOUT_REASON = "timeout"
# Calibration (docs/reliability.md): the default pipeline spends a few hundredths
# of a second of CPU on a median SaudiNewsNet article (2 kB), and at most 0.42 s per
# 10,000 characters on the fuzz campaign's worst inputs (session 5; trigger words repeated
# thousands of times) once every rule is linear. The base covers any article of
# ordinary length with a wide margin (the accurate NER model is ~10x slower), and the
# per-character allowance is about 2.4x the worst rate measured, so only a rule gone
# super-linear (before issue 19: 10-50 s on such inputs) runs into it.
BUDGET_BASE = 2.0               # seconds of CPU for any article
BUDGET_PER_CHAR = 100e-6        # and this much per character of its text
# MARSAD_TIME_BUDGET overrides the base (seconds; 0 turns the watchdog off).
ENV_BUDGET = "MARSAD_TIME_BUDGET"
# The accurate NER model (Options(ner="accurate")) is about ten times slower, and the
# process's CPU time counts each of torch's threads: its budget is this many times larger.
ACCURATE_NER_FACTOR = 20

T = TypeVar("T")


class ArticleTimeout(BaseException):
    """An article over its time budget. A BaseException, so that the pipeline's
    per-stage ``except Exception`` does not record it as one stage's error and go on."""

    def __init__(self, seconds: float):
        super().__init__(f"over its time budget of {seconds:.1f} s of CPU")
        self.seconds = seconds

    def failure(self, origin: str | None) -> Failure:
        return Failure("pipeline", TIMEOUT_REASON, f"{origin}: {self}")


def budget_for(article: Article, options=None) -> float:
    """Seconds of CPU ``article`` may take under ``options`` (default: this process's) (0: no limit)."""
    base = os.environ.get(ENV_BUDGET)
    try:
        base = BUDGET_BASE if base is None else float(base)
    except ValueError:
        base = BUDGET_BASE
    if base <= 0:
        return 0.0
    from .options import default
    factor = ACCURATE_NER_FACTOR if getattr(options or default(), "ner", None) == "accurate" else 1
    return factor * (base + BUDGET_PER_CHAR * len(article.text or ""))


def _enforceable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_warm = False


def _warm_up(fn: Callable[[Article], T]) -> None:
    """Run ``fn`` once on a short article without a deadline: models, gazetteer and
    lexicons load lazily, and a timeout must never interrupt (and half-build) them."""
    global _warm
    if not _warm:
        _warm = True
        # the first paragraph of a bundled sample article: every stage's resources load on it
        fn(Article(text=warm_text().split("\n\n")[0]))


# The warm-up article: a packaged demo news article (a toll, a date, places, people), so
# every stage's lazily loaded resources are in memory after one call (batch.preload too).
WARM_ARTICLE = "sample-01.txt"


def warm_text() -> str:
    # read as a resource file, not through marsad.demo, whose package imports the store
    # and with it scipy (1.5 s of imports once charged to the first article of a worker)
    from importlib import resources
    return (resources.files("marsad") / "demo" / WARM_ARTICLE).read_text(encoding="utf-8")


def within_budget(fn: Callable[[Article], T], article: Article, seconds: float | None = None,
                  options=None) -> T:
    """``fn(article)``, or ArticleTimeout once it has used ``seconds`` of CPU (default: budget_for)."""
    seconds = budget_for(article, options) if seconds is None else seconds
    if seconds <= 0 or not _enforceable():
        return fn(article)
    _warm_up(fn)

    def _expired(signum, frame):
        raise ArticleTimeout(seconds)

    previous = signal.signal(signal.SIGPROF, _expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        return fn(article)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
