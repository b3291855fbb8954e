"""The learned sentence-level event decision (marsad.events.learned).

Sentences written for these tests (not from any corpus)."""
from __future__ import annotations

import time

import pytest

from marsad.arabic import norm_view
from marsad.events import learned
from marsad.events.detect import classify, hits
from marsad.resources import data_path

BOMBING = "قتل خمسة أشخاص وأصيب عشرة آخرون في انفجار سيارة مفخخة في سوق شعبي بمدينة الموصل صباح اليوم."
CLASH = "اندلعت اشتباكات عنيفة بين قوات الجيش ومسلحين في ريف حلب الشمالي فجر الأحد أسفرت عن مقتل ثلاثة جنود."
PROTEST = "تظاهر آلاف المواطنين أمس أمام مبنى البرلمان في العاصمة احتجاجا على ارتفاع أسعار الوقود."
ECONOMY = "أعلنت وزارة الاقتصاد عن ارتفاع معدل النمو إلى ثلاثة في المئة خلال العام الجاري."
SPORT = "فاز المنتخب الوطني على نظيره بهدفين مقابل هدف في المباراة التي أقيمت مساء أمس."
CONDEMN = "أدان وزير الخارجية بشدة الإرهاب بكل أشكاله ودعا المجتمع الدولي إلى تعزيز التعاون في مكافحته."


def test_model_ships_small_and_loads():
    assert data_path(learned.MODEL_FILE).stat().st_size < 20_000_000
    m = learned.model()
    assert set(m.heads) == set(learned.FAMILIES)
    assert all(len(w) > 100 for _, w in m.heads.values())


def test_incidents_get_their_family():
    d = learned.decide([BOMBING, CLASH, PROTEST])
    assert [x.family for x in d] == ["assault", "assault", "protest"]
    assert all(0.5 <= x.prob <= 1.0 for x in d)


def test_no_incident_is_none():
    for dec in learned.decide([ECONOMY, SPORT]):
        assert dec.family == learned.NONE
        assert dec.probs["assault"] < learned.DECIDE_THRESHOLD["assault"]


def test_condemnation_weighs_less_than_an_incident():
    bomb, condemn = learned.decide([BOMBING, CONDEMN])
    assert condemn.probs["assault"] < bomb.probs["assault"]


def _mentions(text):
    view = norm_view(text)
    bounds = [(0, len(view.text))]
    return view, bounds, classify(view, bounds, hits(view, bounds), None, set())


def test_veto_keeps_an_incident_and_leaves_arrests_alone():
    view, bounds, ms = _mentions(BOMBING)
    assert ms and learned.veto(ms, learned.view_sentence(view, bounds)) == ms
    arrest = "اعتقلت قوات الأمن أمس ثلاثة مطلوبين في حي الملز بمدينة الرياض."
    view, bounds, ms = _mentions(arrest)
    assert [m.kind for m in ms] == ["arrest"]
    assert learned.veto(ms, learned.view_sentence(view, bounds)) == ms


def test_veto_drops_what_the_model_rejects(monkeypatch):
    view, bounds, ms = _mentions(PROTEST)
    assert any(m.kind == "protest" for m in ms)
    monkeypatch.setitem(learned.VETO_THRESHOLD, "protest", 1.01)   # nothing passes
    assert not [m for m in learned.veto(ms, learned.view_sentence(view, bounds)) if m.kind == "protest"]


def test_fast_enough():
    learned.decide([BOMBING])
    sents = [BOMBING, CLASH, PROTEST, ECONOMY, SPORT, CONDEMN] * 40
    t0 = time.process_time()   # CPU time: the machine may be shared
    learned.decide(sents)
    rate = len(sents) / (time.process_time() - t0)
    assert rate > 100   # measured ~850 sentences/s (CPU time, one core); the events stage asks a few per article


def test_train_takes_sentence_label_pairs(tmp_path):
    pytest.importorskip("sklearn")
    pairs = [(BOMBING, ["bombing"]), (CLASH, {"assault"}), (PROTEST, ["protest"]), (ECONOMY, []), (SPORT, []),
             (CONDEMN, {"assault": False}), ("أصيب جنديان برصاص قناص في حي الصاخور.", ["killing"]),
             ("خرجت مسيرة حاشدة في ساحة التحرير تطالب بالإصلاح.", ["protest"])]
    m = learned.train(pairs, min_df=1)
    assert set(m.heads) == {"assault", "protest"}
    path = tmp_path / "m.json.gz"
    m.save(path)
    again = learned.Model.load(path)
    f = learned.features(BOMBING)
    assert again.probs(f)["assault"] == pytest.approx(m.probs(f)["assault"], abs=1e-3)
    assert m.probs(f)["assault"] > m.probs(learned.features(ECONOMY))["assault"]
