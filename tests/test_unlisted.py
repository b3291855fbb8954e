"""Places the gazetteer lacks (events/unlisted.py): camps, posts, list members, held names.

Sentences written for the tests in the style of the corpus train split's reports (session 6).
"""
from __future__ import annotations

import pytest

from marsad.core import Article
from marsad.events import placing, unlisted
from marsad.pipeline import Pipeline

_CHOOSE = placing.choose


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def run(pipe, text: str, monkeypatch):
    """The article and, per violent event, the ranker's candidates."""
    out = []
    real = _CHOOSE

    def spy(ctx, d, sents, rule, m=None):
        out.append(placing.candidates(ctx, d, sents, rule))
        return real(ctx, d, sents, rule, m)
    monkeypatch.setattr(placing, "choose", spy)
    return pipe(Article(text=text, published="2015-08-02")), out


def unlisted_of(out) -> dict[str, placing.Candidate]:
    return {c.place.name: c for cands in out for c in cands if c.features.get("unlisted")}


def test_a_village_held_by_a_province_is_a_candidate_with_the_holder_country(pipe, monkeypatch):
    art, out = run(pipe, "قتل أربعة مسلحين في اشتباكات عنيفة في كرش بمحافظة لحج صباح أمس.", monkeypatch)
    c = unlisted_of(out)["كرش"]
    assert c.features.get("unlisted_held") == 1.0
    # no invented coordinates on the candidate; the holder is the one the text names
    assert c.place.lat is None and c.place.country == "YE" and c.holder.name == "لحج"
    text = art.text
    assert text[c.place.evidence.start:c.place.evidence.end] == "كرش"
    ev = next(e for e in art.events if e.kind == "armed_clash")
    # chosen, it keeps its name and evidence and borrows the holder's coordinates and precision
    assert ev.place.name == "كرش" and ev.place.lat == c.holder.lat
    assert ev.place.precision == c.holder.precision and ev.place.country == "YE"


def test_a_foreign_town_held_by_a_country_after_a_direction(pipe, monkeypatch):
    _, out = run(pipe, "وقصفت مقاتلات تركية أهدافا للمسلحين في هاكورك شمال العراق مساء السبت.", monkeypatch)
    c = unlisted_of(out)["هاكورك"]
    assert c.holder is not None and c.holder.country == "IQ" and c.place.precision == "town"


def test_the_second_member_of_a_list_after_a_dual_noun(pipe, monkeypatch):
    _, out = run(pipe, "وسيطرت المقاومة على منطقتي الوهط وصبر بعد معارك عنيفة مع الحوثيين.", monkeypatch)
    c = unlisted_of(out)["صبر"]
    assert c.features.get("unlisted_member") == 1.0


def test_a_list_of_villages_after_a_plural_noun(pipe, monkeypatch):
    _, out = run(pipe, "وتعرضت قرى سهرة والحيمة والتعزية لقصف مدفعي عنيف من الميليشيات أمس.", monkeypatch)
    found = unlisted_of(out)
    assert {"سهرة", "الحيمة", "التعزية"} <= set(found)


def test_a_border_post_and_a_quoted_district(pipe, monkeypatch):
    _, out = run(pipe, "تعرض مركز المسيال الحدودي لقذائف كثيفة أطلقت من داخل اليمن فجر الجمعة.", monkeypatch)
    assert "مركز المسيال" in unlisted_of(out)
    _, out = run(pipe, 'وأصيب عشرة أشخاص في تفجير سيارة مفخخة في منطقة "سلطان بيلي" بمدينة إسطنبول.', monkeypatch)
    c = unlisted_of(out)["سلطان بيلي"]
    assert c.holder is not None and c.holder.country == "TR"


@pytest.mark.parametrize("text", [
    # an armed group named with a place noun
    "وقتل عشرة من مقاتلي جبهة النصرة في غارة جوية على ريف إدلب.",
    # "sites known to belong to": an adjective, not a list of places
    "وشنت الطائرات غارات على مواقع معروفة لداعش في الأراضي السورية.",
    # على + a verbal noun + ل: no place however a holder follows
    "وقتل جندي تركي بعد الموافقة على السماح للولايات المتحدة باستخدام القاعدة.",
    # people, not a place, after في
    "وقتل خمسة في هجوم نفذه مسلحون في المدنيين في حلب.",
    # a noun in construct with a known place is not held by it: the sky of Taizz, the Suez canal
    "وقتل ثلاثة حين تصاعدت ألسنة اللهب في سماء مدينة تعز إثر انفجار مخازن الوقود.",
    "وقتل بحار في هجوم على سفينة في قناة السويس أمس.",
    # "on the other hand", not a district
    "ومن ناحية ثانية قتل جنديان في اشتباكات قرب مدينة عدن.",
])
def test_what_is_not_a_place_the_gazetteer_lacks(pipe, monkeypatch, text):
    _, out = run(pipe, text, monkeypatch)
    assert not unlisted_of(out), list(unlisted_of(out))


def test_switched_off_the_ranker_sees_no_such_candidates(pipe, monkeypatch):
    monkeypatch.setattr(unlisted, "USE", False)
    _, out = run(pipe, "قتل أربعة مسلحين في اشتباكات عنيفة في كرش بمحافظة لحج صباح أمس.", monkeypatch)
    assert not unlisted_of(out)
