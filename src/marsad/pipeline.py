"""Ordered stages over an Article, checked when the pipeline is built.

A stage is a module with ``NAME``, ``NEEDS`` and ``ADDS`` (Article field names)
and ``run(article) -> article``. ``Pipeline`` checks that every need is added by
an earlier stage (or is given on input), then runs the stages in order. A stage
that raises is recorded as a Failure on the article and the later stages still
run on what there is: one stage's bug never loses the article.
"""
from __future__ import annotations

import importlib
import traceback
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable

from .core import Article, Failure
from .errors import PipelineError

# What an Article carries before any stage runs.
GIVEN = frozenset({"text", "published", "title", "outlet", "url", "id"})

DEFAULT_STAGES = ("clean", "segment", "numbers", "dates", "entities", "places", "quotes", "events", "attribution")


@dataclass(frozen=True)
class Stage:
    name: str
    needs: frozenset[str]
    adds: frozenset[str]
    run: Callable[[Article], Article]

    @classmethod
    def from_module(cls, mod: ModuleType) -> "Stage":
        return cls(mod.NAME, frozenset(mod.NEEDS), frozenset(mod.ADDS), mod.run)


def load_stage(name: str) -> Stage:
    return Stage.from_module(importlib.import_module(f"marsad.stages.{name}"))


class Pipeline:
    def __init__(self, stages: Iterable[Stage | str] = DEFAULT_STAGES):
        self.stages = [load_stage(s) if isinstance(s, str) else s for s in stages]
        have = set(GIVEN)
        for st in self.stages:
            missing = st.needs - have
            if missing:
                raise PipelineError(f"stage {st.name!r} needs {sorted(missing)}, which no earlier stage adds")
            have |= st.adds

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def __call__(self, article: Article) -> Article:
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


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """The shipped pipeline, built once per process (models load once)."""
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def process(article: Article) -> Article:
    """Run the default pipeline: a top-level function, so batch engines can map it."""
    return default_pipeline()(article)
