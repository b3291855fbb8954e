"""The annotated corpus: working annotations become offsets, and scoring reads them back."""
import json

import pytest

from marsad.corpus.annotation import Annotation, AnnotatedArticle, convert
from marsad.corpus.score import annotation_as_record, score
from marsad.corpus.source import CorpusArticle, read_index

# Written for this test.
TEXT = ("قتل سبعة مدنيين في غارات شنها الطيران الحربي على بلدة الميادين بريف دير الزور أمس. "
        "وقال المرصد السوري لحقوق الإنسان إن بين القتلى طفلين. "
        "وفي سياق آخر، أدان الاتحاد الأوروبي الهجمات على المدنيين.")


def article():
    return CorpusArticle("c9999", "http://example.org/x", "2015-07-21 10:00:00", "test", "conflict", "train",
                         False, "عنوان", TEXT)


def work(**over):
    ev = {"kind": "air_strike", "class": "current", "sentences": [1, 2],
          "trigger": {"s": 1, "text": "غارات"},
          "actors": [{"s": 1, "text": "الطيران الحربي", "side": "state"}],
          "targets": [], "place": {"s": 1, "text": "الميادين", "country": "SY", "precision": "town"},
          "time": {"s": 1, "text": "أمس"}, "date": "2015-07-20", "date_precision": "day",
          "killed": {"total": 7, "civilians": 7}, "injured": {},
          "tolls": [{"s": 1, "text": "سبعة", "count": 7, "what": "killed", "side": "civilians"}],
          "status": "reported", "sources": [{"s": 2, "text": "المرصد السوري لحقوق الإنسان"}]}
    ev.update(over)
    return {"id": "c9999", "annotator": "T", "reports_events": True, "events": [ev]}


def test_convert_stores_offsets_not_text():
    stored, errors = convert(work(), article())
    assert errors == []
    ev = stored["events"][0]
    assert TEXT[ev["place"]["start"]:ev["place"]["end"]] == "الميادين"
    assert TEXT[ev["sources"][0]["start"]:ev["sources"][0]["end"]] == "المرصد السوري لحقوق الإنسان"
    assert "الميادين" not in json.dumps(stored, ensure_ascii=False)
    assert ev["killed"] == {"total": 7, "civilians": 7, "state_forces": None, "non_state": None, "unknown": None}


def test_convert_finds_a_span_copied_without_hamza_or_spacing():
    stored, errors = convert(work(sources=[{"s": 2, "text": "المرصد السوري لحقوق  الانسان"}]), article())
    assert errors == []
    sp = stored["events"][0]["sources"][0]
    assert TEXT[sp["start"]:sp["end"]] == "المرصد السوري لحقوق الإنسان"


@pytest.mark.parametrize("over, message", [
    ({"place": {"s": 2, "text": "الميادين", "country": "SY", "precision": "town"}}, "not in sentence 2"),
    ({"kind": "war"}, "kind 'war'"),
    ({"date": None}, "needs a date"),
    ({"killed": {"total": -3}}, "whole number"),
])
def test_convert_refuses_what_does_not_fit(over, message):
    _, errors = convert(work(**over), article())
    assert any(message in e for e in errors), errors


def test_an_annotator_scored_against_itself_agrees_fully():
    stored, _ = convert(work(), article())
    ann = Annotation(article(), "T", stored["events"], True)
    figures = score([(AnnotatedArticle(article(), ann), annotation_as_record(ann))])
    assert figures["incident"]["event_f1"] == 1.0
    assert figures["sentence"]["micro"]["f1"] == 1.0
    assert figures["sentence"]["air_strike"]["gold"] == 2  # sentences 1 and 2; the condemnation is none
    assert all(v["f1"] == 1.0 for v in figures["args"].values() if v["gold"])


def test_a_background_flag_is_scored_against_the_optional_gold_not_dropped():
    stored, _ = convert(work(**{"class": "background"}), article())
    ann = Annotation(article(), "T", stored["events"], True)
    record = annotation_as_record(ann)
    figures = score([(AnnotatedArticle(article(), ann), record)])
    assert figures["flags"]["background_or_aggregate"]["tp"] == 1
    assert figures["incident"]["event_precision"] is None  # the flagged event is not an incident
    # the same flag on an event the gold calls current is counted as a lost incident
    stored, _ = convert(work(), article())
    current = Annotation(article(), "T", stored["events"], True)
    figures = score([(AnnotatedArticle(article(), current), record)])
    assert figures["flags"]["flagged_but_current"] == 1


def test_the_index_fixes_splits_and_a_blind_test_of_at_least_60():
    rows = read_index()
    assert len(rows) >= 300
    assert sum(r.split == "test" for r in rows) >= 60
    assert len({r.id for r in rows}) == len(rows)
