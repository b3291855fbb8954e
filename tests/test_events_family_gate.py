"""The OEDA sentence decision as a gate over the events stage (marsad.events.family_gate).

Sentences written for these tests (not from any corpus)."""
from __future__ import annotations

from marsad.arabic import norm_view
from marsad.core import Article
from marsad.events import family_gate, learned
from marsad.events.detect import classify, hits
from marsad.options import Options
from marsad.pipeline import Pipeline

SIT_IN = "واعتصم مئات العمال أمس أمام مقر وزارة العمل في عمان مطالبين بصرف رواتبهم المتأخرة."
MARCH = "وفي الديوانية، خرج آلاف المتظاهرين إلى الشوارع احتجاجا على انقطاع الكهرباء."
STATEMENT = "وقال المتحدث باسم الحكومة إن الوزارة تدرس مطالب المحتجين وستعلن قرارها الأسبوع المقبل."
BOMBING = "قتل خمسة أشخاص وأصيب عشرة آخرون في انفجار سيارة مفخخة في سوق شعبي بمدينة الموصل صباح اليوم."
HISTORY = "ويعد الهجوم موضوعا لكتاب جديد يتناول تاريخ الصراعات في المنطقة خلال القرن الماضي."


def _families(text: str, events: str = "learned") -> set[str]:
    art = Pipeline(Options(events=events))(Article(text=text))
    return {learned.KIND_FAMILY.get(e.kind) for e in art.events}


def test_cue_and_head_features_tell_the_act_from_talk_about_it():
    assert "cue:act:early" in learned.cue_features(SIT_IN)
    assert "cue:speech<noun" in learned.cue_features(STATEMENT)
    # the main clause after a short lead-in opens with the act
    assert "h0:خرج" in learned.head_features(MARCH)


def test_a_protest_the_model_accepts_is_an_event():
    assert "protest" in _families(SIT_IN)
    assert "protest" in _families(MARCH)


def test_talk_about_protesters_is_not_a_protest():
    assert "protest" not in _families(STATEMENT)


def test_the_gate_keeps_an_incident_and_leaves_the_rules_variant_alone():
    assert "assault" in _families(BOMBING)
    assert _families(BOMBING, "rules") == {"assault"}


def test_the_gate_vetoes_what_the_model_rejects():
    view = norm_view(STATEMENT)
    bounds = [(0, len(view.text))]
    found = hits(view, bounds)
    ms = classify(view, bounds, found, None, set())
    gate = family_gate.FamilyGate(veto={"assault": 0.5, "protest": 1.01}, propose={"assault": 2.0, "protest": 2.0})
    kept, added = gate(view, bounds, found, ms, set(), frozenset())
    assert not [m for m in kept if m.kind in learned.KIND_FAMILY] and not added


def test_a_clause_is_judged_by_its_whole_sentence():
    text = BOMBING + " " + HISTORY
    view = norm_view(text)
    a = view.text.index("انفجار")
    assert family_gate.sentence_around(view, a, a + 5) == BOMBING
    b = view.text.index("الهجوم")
    assert family_gate.sentence_around(view, b, b + 5) == HISTORY
