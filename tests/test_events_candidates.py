"""The learned events variant: a decision over the rules' events (marsad.events.candidates).

Sentences written for these tests (not from any corpus)."""
from __future__ import annotations

from marsad.core import Article
from marsad.events import candidates
from marsad.options import Options
from marsad.pipeline import process
from marsad.resources import data_path

NEWS = ("قتل سبعة مدنيين في غارة جوية على مدينة دير الزور أمس. "
        "وأصيب عشرة آخرون في قصف مدفعي على بلدة الميادين صباح اليوم.")


def test_models_ship_small():
    assert data_path(candidates.MODEL_FILE).stat().st_size < 20_000_000
    assert set(candidates.model().weights) == set(candidates.CLASSES)


def test_choose_keeps_a_likely_incident():
    assert candidates.choose({"current": 0.9, "drop": 0.1}) == "current"
    assert candidates.choose({"current": 0.01, "background": 0.6, "drop": 0.39}) == "background"
    assert candidates.choose({"current": 0.01, "aggregate": 0.2, "drop": 0.79}) == "drop"
    assert candidates.choose_kind("armed_clash", {"air_strike": 0.95, "armed_clash": 0.05}, 0.7) == "air_strike"
    assert candidates.choose_kind("armed_clash", {"air_strike": 0.55, "armed_clash": 0.45}, 0.7) == "armed_clash"


def test_the_decision_only_flags_or_drops_rule_events():
    rules = process(Article(text=NEWS, published="2014-08-26"), options=Options(events="rules")).to_json()
    learned = candidates.decide(process(Article(text=NEWS, published="2014-08-26"),
                                        options=Options(events="rules"))).to_json()
    assert rules["events"] and all("background" not in e and "aggregate" not in e for e in rules["events"])
    assert len(learned["events"]) <= len(rules["events"])
    for e in learned["events"]:
        assert e.get("background", True) is True and e.get("aggregate", True) is True
        assert any(e["evidence"] == r["evidence"] for r in rules["events"])


def test_features_tell_date_toll_and_position():
    a = process(Article(text=NEWS, published="2014-08-26"), options=Options(events="rules"))
    f = candidates.all_features(a)
    assert len(f) == len([e for e in a.events if e.kind in candidates.DECIDED_KINDS])
    first = f[0]
    assert first["title"] if "title" in first else True
    assert any(k.startswith("days:") for k in first) and any(k.startswith("killed:") for k in first)
    assert 0.0 <= first["p:assault"] <= 1.0
