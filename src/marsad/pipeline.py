"""Ordered components over an Article, with contracts checked when the pipeline is built.

A component (a stage) is a module of ``marsad.stages`` with ``NAME``, ``run(article) ->
article`` and its contract, at the level of the record's fields ("entities", "events",
"events.status" …):

* ``REQUIRES``: fields an earlier component (or the input) must have filled;
* ``ASSIGNS``: fields it fills. Each field has one assigning component: a second one
  is refused when the pipeline is built;
* ``REFINES``: fields an earlier component assigned that it may change (the places
  stage adds place entities the recogniser missed). Only these may be written twice.

A component with variants (``VARIANTS``, chosen by ``marsad.options.Options``) also has
``build(options) -> run``. ``Pipeline(options=...)`` builds each component once;
``Pipeline.writers()`` is the table of who writes each field (tests/test_pipeline.py).

A stage that raises is recorded as a Failure on the article and the later stages still
run on what there is: one stage's bug never loses the article.
"""
from __future__ import annotations

import gc
import importlib
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable

from .core import Article, Failure
from .errors import PipelineError
from .options import Options, default as default_options

__all__ = ["Stage", "Pipeline", "GIVEN", "DEFAULT_STAGES", "load_stage", "default_pipeline", "process"]

# What an Article carries before any component runs.
GIVEN = frozenset({"text", "published", "title", "outlet", "url", "id"})

DEFAULT_STAGES = ("clean", "segment", "numbers", "dates", "entities", "places", "quotes", "events", "attribution")


@dataclass(frozen=True)
class Stage:
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]
    run: Callable[[Article], Article]
    refines: frozenset[str] = frozenset()

    @classmethod
    def from_module(cls, mod: ModuleType, options: Options | None = None) -> "Stage":
        build = getattr(mod, "build", None)
        run = build(options or default_options()) if build else mod.run
        return cls(mod.NAME, frozenset(mod.REQUIRES), frozenset(mod.ASSIGNS), run,
                   frozenset(getattr(mod, "REFINES", ())))


def load_stage(name: str, options: Options | None = None) -> Stage:
    return Stage.from_module(importlib.import_module(f"marsad.stages.{name}"), options)


def _parent(field: str) -> str | None:
    return field.rsplit(".", 1)[0] if "." in field else None


class Pipeline:
    def __init__(self, stages: Iterable[Stage | str] | Options = DEFAULT_STAGES, options: Options | None = None):
        if isinstance(stages, Options):      # Pipeline(Options(ner="accurate")): the shipped stages
            stages, options = DEFAULT_STAGES, stages
        self.options = options or default_options()
        self.stages = [load_stage(s, self.options) if isinstance(s, str) else s for s in stages]
        self._writers: dict[str, list[tuple[str, str]]] = {f: [("input", "given")] for f in sorted(GIVEN)}
        assigned: dict[str, str] = {f: "input" for f in GIVEN}
        for st in self.stages:
            missing = sorted(f for f in st.requires if f not in assigned)
            if missing:
                raise PipelineError(f"stage {st.name!r} requires {missing}, which no earlier stage assigns")
            for f in sorted(st.assigns):
                parent = _parent(f)
                if parent and parent not in assigned and parent not in st.assigns:
                    raise PipelineError(f"stage {st.name!r} assigns {f!r} before any stage assigns {parent!r}")
                other = assigned.get(f) or next((w for g, w in assigned.items() if g.startswith(f + ".")), None)
                if other is not None:
                    raise PipelineError(f"stages {other!r} and {st.name!r} both assign {f!r}; the later one "
                                        f"must declare it in REFINES, or leave it to one writer")
            for f in sorted(st.refines):
                if f not in assigned and _parent(f) not in assigned:
                    raise PipelineError(f"stage {st.name!r} refines {f!r}, which no earlier stage assigns")
            for f in st.assigns:
                assigned[f] = st.name
                self._writers.setdefault(f, []).append((st.name, "assigns"))
            for f in st.refines:
                self._writers.setdefault(f, []).append((st.name, "refines"))

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def writers(self) -> dict[str, list[tuple[str, str]]]:
        """Field -> [(component, "given" | "assigns" | "refines")], in pipeline order."""
        return {f: list(w) for f, w in sorted(self._writers.items())}

    def writer_table(self) -> str:
        """The writers as a plain-text table, one field a line."""
        rows = self.writers()
        width = max(len(f) for f in rows)
        return "\n".join(f"{f:<{width}}  " + ", ".join(f"{who} ({how})" for who, how in w) for f, w in rows.items())

    def __call__(self, article: Article) -> Article:
        with _fewer_collections():
            for st in self.stages:
                try:
                    article = st.run(article)
                    article.done.append(st.name)
                except Exception as exc:  # noqa: BLE001 - a stage's bug is recorded, not fatal
                    last = traceback.extract_tb(exc.__traceback__)[-1]
                    article.failures.append(Failure(
                        st.name, "stage_error", f"{type(exc).__name__}: {exc} ({last.filename.rsplit('/', 1)[-1]}:{last.lineno})"))
        article.ensure_id()
        return article


# The stages allocate millions of short-lived objects per long article (tokens, features,
# candidate tuples) and make almost no reference cycles; at Python's default (a young
# collection every 700 allocations) the cyclic collector took 15-25 % of the CPU of a
# 70,000-character article (fuzz campaign, issue 19; 1.45-1.67 s against 1.21-1.24 s with
# it off). Calibration: 50,000 cut that to within noise of "off" on those inputs, while a
# young generation of 50,000 objects is a few MB at most. Set only while an article is
# processed, and put back after, so a host process keeps its own setting.
GC_YOUNG_THRESHOLD = 50_000


@contextmanager
def _fewer_collections():
    before = gc.get_threshold()
    if before[0] == 0 or before[0] >= GC_YOUNG_THRESHOLD:    # collection off, or already rarer
        yield
        return
    gc.set_threshold(GC_YOUNG_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


_built: dict[Options, Pipeline] = {}


def default_pipeline(options: Options | None = None) -> Pipeline:
    """The shipped pipeline for these options (default: the process's), built once per
    process and options (models load once)."""
    options = options or default_options()
    if options not in _built:
        _built[options] = Pipeline(options=options)
    return _built[options]


def process(article: Article, options: Options | None = None) -> Article:
    """Run the shipped pipeline: a top-level function, so batch engines can map it."""
    return default_pipeline(options)(article)
