"""Component contracts, the writer of each record field, and the options that choose variants."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from marsad.core import Article
from marsad.errors import OptionsError, PipelineError
from marsad.options import Options
from marsad.pipeline import DEFAULT_STAGES, Pipeline, Stage, load_stage, process

SRC = Path(__file__).resolve().parents[1] / "src" / "marsad"


def stage(name: str, requires=(), assigns=(), refines=()) -> Stage:
    return Stage(name, frozenset(requires), frozenset(assigns), lambda a: a, frozenset(refines))


# Who writes each field of the record, in pipeline order. A change to this table is a change
# of who owns a field: make it here on purpose, with the stage's REQUIRES/ASSIGNS/REFINES.
WRITERS = {
    "agencies": [("clean", "assigns")],
    "dateline": [("clean", "assigns")],
    "dateline_place": [("clean", "assigns")],
    "dates": [("dates", "assigns")],
    "entities": [("entities", "assigns"), ("places", "refines")],
    "events": [("events", "assigns")],
    "events.acled": [("events", "assigns")],
    "events.actors": [("events", "assigns")],
    "events.date": [("events", "assigns")],
    "events.date_evidence": [("events", "assigns")],
    "events.date_precision": [("events", "assigns")],
    "events.evidence": [("events", "assigns")],
    "events.injured": [("events", "assigns")],
    "events.killed": [("events", "assigns")],
    "events.kind": [("events", "assigns")],
    "events.mentions": [("events", "assigns")],
    "events.place": [("events", "assigns")],
    "events.plover": [("events", "assigns")],
    "events.sources": [("attribution", "assigns")],
    "events.status": [("attribution", "assigns")],
    "events.status_evidence": [("attribution", "assigns")],
    "events.targets": [("events", "assigns")],
    "events.trigger": [("events", "assigns")],
    "id": [("input", "given")],
    "numbers": [("numbers", "assigns")],
    "outlet": [("input", "given")],
    "places": [("places", "assigns")],
    "published": [("input", "given"), ("clean", "refines")],
    "published_source": [("clean", "assigns")],
    "quotes": [("quotes", "assigns")],
    "raw_text": [("clean", "assigns")],
    "sentences": [("segment", "assigns")],
    "text": [("input", "given"), ("clean", "refines")],
    "title": [("input", "given"), ("clean", "refines")],
    "url": [("input", "given")],
}


def test_the_writer_of_each_field():
    pipe = Pipeline()
    print("\n" + pipe.writer_table())
    assert pipe.writers() == WRITERS
    # one assigning component per field
    for field, writers in pipe.writers().items():
        assert sum(how in ("given", "assigns") for _, how in writers) == 1, field


def test_two_writers_of_one_field_are_refused():
    with pytest.raises(PipelineError, match="both assign 'events.status'"):
        Pipeline([stage("a", assigns=["events", "events.status"]), stage("b", ["events"], ["events.status"])])
    # a status stage that would overwrite what the shipped attribution stage decides
    rogue = stage("rogue_status", ["events"], ["events.status"])
    with pytest.raises(PipelineError, match="events.status"):
        Pipeline([*DEFAULT_STAGES, rogue])
    # assigning the whole list after another stage wrote a field of it is writing that field too
    with pytest.raises(PipelineError, match="both assign 'events'"):
        Pipeline([stage("a", assigns=["events", "events.status"]), stage("b", ["events"], ["events"])])


def test_a_declared_refiner_may_write_again():
    pipe = Pipeline([stage("a", assigns=["entities"]), stage("b", ["entities"], ["places"], ["entities"])])
    assert pipe.writers()["entities"] == [("a", "assigns"), ("b", "refines")]
    with pytest.raises(PipelineError, match="refines 'quotes', which no earlier stage assigns"):
        Pipeline([stage("b", refines=["quotes"])])


def test_requirements_come_first():
    with pytest.raises(PipelineError, match="requires \\['sentences'\\]"):
        Pipeline(["numbers", "segment"])
    with pytest.raises(PipelineError, match="before any stage assigns 'events'"):
        Pipeline([stage("a", assigns=["events.status"])])
    assert Pipeline(["clean", "segment", "numbers"]).names == ["clean", "segment", "numbers"]


def test_every_shipped_stage_declares_its_contract():
    for name in DEFAULT_STAGES:
        mod = __import__(f"marsad.stages.{name}", fromlist=["NAME"])
        assert mod.NAME == name
        assert isinstance(mod.REQUIRES, tuple) and isinstance(mod.ASSIGNS, tuple) and mod.ASSIGNS
        assert not hasattr(mod, "NEEDS") and not hasattr(mod, "ADDS")


def test_options_choose_variants():
    assert Options() == Options(ner="crf", events="rules")
    with pytest.raises(OptionsError, match="ner='fast'"):
        Options(ner="fast")
    with pytest.raises(OptionsError, match="events='guess'"):
        Options(events="guess")
    assert Options(events="learned").events == "learned"
    assert Options().with_(ner="accurate").ner == "accurate"
    # the variant is bound when the pipeline is built, not read from the environment later
    crf = load_stage("entities", Options(ner="crf"))
    assert crf.name == "entities" and callable(crf.run)
    pipe = Pipeline(Options(ner="crf"))
    assert pipe.options.ner == "crf" and pipe.names == list(DEFAULT_STAGES)


def test_options_travel_with_the_library_call(monkeypatch):
    monkeypatch.setenv("MARSAD_NER", "crf")
    text = "قتل سبعة مدنيين في غارة جوية على مدينة دير الزور أمس."
    a = process(Article(text=text, published="2014-08-26"), options=Options())
    b = process(Article(text=text, published="2014-08-26"))
    assert a.to_json() == b.to_json() and not a.failures
    assert [e.kind for e in a.events] == [e.kind for e in b.events] and a.events


def test_the_environment_override_is_read_in_one_place():
    """MARSAD_NER is a documented override of Options.ner, read by marsad.options alone."""
    readers = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
               if re.search(r"environ(?:\.get)?\(?\[?[\"']MARSAD_NER|getenv\([\"']MARSAD_NER", p.read_text(encoding="utf-8"))]
    assert readers == [], readers      # options.py reads it through ENV_NER
    assert "ENV_NER = \"MARSAD_NER\"" in (SRC / "options.py").read_text(encoding="utf-8")
    assert [p.name for p in SRC.rglob("*.py") if "ENV_NER" in p.read_text(encoding="utf-8")] == ["options.py"]
