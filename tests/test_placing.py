"""The place ranker (events/placing.py): candidates around an event, their features, the choice.

Sentences written for the tests in the style of the corpus train split's reports.
"""
from __future__ import annotations

import pytest

from marsad.core import Article, Place
from marsad.events import placing
from marsad.pipeline import Pipeline


_CHOOSE = placing.choose


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def seen(pipe, text: str, monkeypatch, model: dict | None = None):
    """The events of ``text`` and, for each violent event, (its candidates, the place chosen)."""
    out = []
    real = _CHOOSE

    def spy(ctx, d, sents, rule, m=None):
        cands = placing.candidates(ctx, d, sents, rule)
        chosen = real(ctx, d, sents, rule, model) if model else rule
        out.append((cands, chosen))
        return chosen
    monkeypatch.setattr(placing, "choose", spy)
    art = pipe(Article(text=text, published="2015-08-02"))
    return art, out


def names(cands) -> list[str]:
    return [c.place.name for c in cands]


def test_a_camp_the_gazetteer_does_not_know_is_a_candidate(pipe, monkeypatch):
    _, out = seen(pipe, "وقال مصدر محلي إن غارتين جويتين استهدفتا صباح أمس معسكر المنار في مديرية "
                        "الحيمة الخارجية غرب العاصمة صنعاء.", monkeypatch)
    cands = out[0][0]
    camp = [c for c in cands if c.place.name == "معسكر المنار"]
    assert camp and camp[0].features.get("facility") == 1.0
    # unresolved: a name without invented coordinates, its words as evidence
    assert camp[0].place.lat is None and camp[0].place.precision == "point"
    assert camp[0].place.evidence is not None


@pytest.mark.parametrize("text", [
    # a relative clause after the noun, not a name
    "شنت طائرات التحالف غارتين على معسكر يسيطر عليه الحوثيون في محافظة صنعاء.",
    # an anaphor: the definite noun names no new place
    "وقتل ثلاثة جنود في قصف على المعسكر نفسه في محافظة صنعاء.",
    # the perpetrator, not a border crossing
    "وقتل منفذ الهجوم الانتحاري وخمسة جنود في مدينة عدن.",
    # "a camp of the Houthis": ل and the article open a phrase, not a name
    "وفي مدينة المخا شن طيران التحالف غارات على معسكر للحوثيين.",
])
def test_what_is_not_a_facility_name(pipe, monkeypatch, text):
    _, out = seen(pipe, text, monkeypatch)
    assert out and not any(c.features.get("facility") for cands, _ in out for c in cands)


def test_a_facility_named_after_its_town_yields_to_the_town(pipe, monkeypatch):
    # "مسجد قوة طوارئ عسير": عسير ends the mosque's name and stands for it
    _, out = seen(pipe, "قتل 15 شخصا في تفجير انتحاري استهدف مسجد قوة طوارئ عسير أمس.", monkeypatch)
    assert not any(c.features.get("facility") for cands, _ in out for c in cands)


def test_a_direction_marks_a_reference_place(pipe, monkeypatch):
    _, out = seen(pipe, "وقع انفجار في منطقة سبع البور، شمالي بغداد، مما أدى إلى مقتل شخص.", monkeypatch)
    cands = out[0][0]
    ref = next(c for c in cands if c.place.name == "بغداد")
    assert ref.features.get("dir_ref") == 1.0 and ref.features.get("p_town") == 1.0
    near = next(c for c in cands if "سبع البور" in c.place.name)
    assert near.features.get("noun_before") == 1.0 and not near.features.get("dir_ref")


def test_a_town_inside_the_rules_province(pipe, monkeypatch):
    _, out = seen(pipe, "وقتل خمسة مدنيين في غارة على بلدة سراقب في محافظة إدلب.", monkeypatch)
    cands = out[0][0]
    assert {"سراقب", "إدلب"} <= set(names(cands))
    town = next(c for c in cands if c.place.name == "سراقب")
    province = next(c for c in cands if c.place.name == "إدلب")
    assert province.features.get("finer_inside") == 1.0
    assert town.features.get("inside_other") == 1.0


def test_the_model_chooses_and_the_rules_stand_when_it_is_off(pipe, monkeypatch):
    text = "وقال مصدر محلي إن غارتين جويتين استهدفتا صباح أمس معسكر المنار في مديرية الحيمة الخارجية."
    off, _ = seen(pipe, text, monkeypatch)
    rule_place = off.events[0].place.name
    # a model that values nothing but a facility picks the camp, and the record carries its span
    on, _ = seen(pipe, text, monkeypatch, model={"features": ["facility"], "weights": [5.0], "margin": 0.0})
    ev = on.events[0]
    assert rule_place != "معسكر المنار" and ev.place.name == "معسكر المنار"
    assert on.text[ev.place.evidence.start:ev.place.evidence.end] == "معسكر المنار"


def _cand(name, precision, country="SY", admin1="Idlib", score=0.0, rule=False):
    c = placing.Candidate(Place(name=name, lat=1.0, lon=1.0, precision=precision, country=country,
                                admin1=admin1), {"rule": 1.0} if rule else {})
    c.score = score
    return c


def test_unsure_between_nested_places_the_finer_wins():
    province, town = _cand("إدلب", "admin1", score=0.52), _cand("سراقب", "town", score=0.48)
    assert placing.pick([province, town], margin=0.1) is town
    assert placing.pick([province, town], margin=0.01) is province
    # not nested: the best stays
    other = _cand("حماة", "town", admin1="Hama", score=0.48)
    assert placing.pick([province, other], margin=0.1) is province


def test_the_rules_place_stays_unless_beaten_by_keep_rule():
    rule, other = _cand("حلب", "town", admin1="Aleppo", score=0.45, rule=True), \
        _cand("حماة", "town", admin1="Hama", score=0.55)
    assert placing.pick([rule, other], margin=0.0, keep_rule=0.2) is rule
    assert placing.pick([rule, other], margin=0.0, keep_rule=0.05) is other


def test_the_shipped_model_reads_known_features():
    m = placing.model()
    assert m is not None and set(m["features"]) <= set(placing.FEATURES)
    assert len(m["weights"]) == len(m["features"]) and "provenance" in m


def test_a_finer_place_without_coordinates_takes_its_holders(pipe, monkeypatch):
    # "معسكر X في محافظة لحج": the camp keeps its name and span, the governorate lends its
    # coordinates and its precision (the record claims a governorate's precision, not a point's)
    text = "وقتل ثلاثة جنود في غارة جوية استهدفت معسكر لبوزة في محافظة لحج أمس."
    model = {"features": ["facility"], "weights": [5.0], "margin": 0.0}
    on, out = seen(pipe, text, monkeypatch, model=model)
    ev = on.events[0]
    holder = next(c.place for c in out[0][0] if c.place.name == "لحج")
    assert ev.place.name == "معسكر لبوزة"
    assert on.text[ev.place.evidence.start:ev.place.evidence.end] == "معسكر لبوزة"
    assert (ev.place.lat, ev.place.lon, ev.place.precision) == (holder.lat, holder.lon, "admin1")
    assert ev.place.country == "YE"
    # switched off, the camp stays without coordinates
    monkeypatch.setattr(placing, "BORROW", False)
    off, _ = seen(pipe, text, monkeypatch, model=model)
    assert off.events[0].place.name == "معسكر لبوزة" and off.events[0].place.lat is None


def test_no_holder_coarse_enough_leaves_the_place_without_coordinates():
    camp = placing.Candidate(Place(name="معسكر المنار", lat=None, lon=None, precision="admin1"), {},
                             start=0, end=12, sent=0)
    town = placing.Candidate(Place(name="صنعاء", lat=15.35, lon=44.2, precision="town", country="YE"),
                             {"rule": 1.0}, start=16, end=21, sent=0)
    assert placing.located("معسكر المنار قرب صنعاء", camp, [camp, town]) is camp.place


def test_the_places_option_chooses_ranker_or_rules(monkeypatch):
    # Options(places=...) is the switch users have (CLI --places): "rules" keeps the rules' place
    # whatever the ranker would choose
    from marsad.options import Options
    text = "وقال مصدر محلي إن غارتين جويتين استهدفتا صباح أمس معسكر المنار في مديرية الحيمة الخارجية."
    monkeypatch.setattr(placing, "model", lambda: {"features": ["facility"], "weights": [5.0], "margin": 0.0})
    ranked = Pipeline(Options(places="learned"))(Article(text=text, published="2015-08-02"))
    ruled = Pipeline(Options(places="rules"))(Article(text=text, published="2015-08-02"))
    assert ranked.events[0].place.name == "معسكر المنار"
    assert ruled.events[0].place.name != "معسكر المنار"
