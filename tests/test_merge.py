"""events/merge.py: sentence mentions merged into one record per incident.

Mentions come from the detector (events/detect.py) on sentences written for the tests in
agency wording; places are given by hand where a rule depends on them.
"""
from __future__ import annotations

from bisect import bisect_left

from marsad.arabic import norm_view, sentences
from marsad.core import Place
from marsad.events.detect import classify, hits, sentence_bounds
from marsad.events.merge import compatible_kinds, merge, place_key, same_place
from marsad.events.tolls import sentence_toll
from marsad.numbers import find_numbers, view_of

ADEN = Place("عدن", 12.8, 45.0, "town", country="YE", admin1="Aden Governorate")
TAIZ = Place("تعز", 13.6, 44.0, "town", country="YE", admin1="Taizz Governorate")
YEMEN = Place("اليمن", 15.0, 48.0, "country", country="YE")


def incidents(text: str, places: dict[int, Place] | None = None) -> list[tuple[str, list[int]]]:
    """(kind, sentence numbers) of each merged incident; ``places``: sentence -> its place."""
    view = norm_view(text)
    bounds = sentence_bounds(view, sentences(text))
    nums = [(n, bisect_left(view.offsets, n.start), bisect_left(view.offsets, n.end))
            for n in find_numbers(text, view_of(text))]

    def toll_keys(si: int) -> set:
        a, b = bounds[si]
        toll = sentence_toll(view, a, b, [t for t in nums if a <= t[1] < b])
        return {(p.value, p.group) for p in toll.killed if not p.breakdown}

    mentions = classify(view, bounds, hits(view, bounds), "2015-08-01", set())
    places = places or {}
    drafts = merge(mentions, lambda m: places.get(m.sent), lambda m: None, set(),
                   lambda si: view.text[bounds[si][0]:bounds[si][1]], toll_keys)
    return [(d.kind, [m.sent for m in d.mentions]) for d in drafts]


def test_an_anaphor_joins_the_event_just_told():
    """"وتسببت الغارات بمقتل سبعة مدنيين" belongs to the raids of the sentence before."""
    assert incidents("شنت طائرات التحالف غارات على مواقع الحوثيين في صنعاء. وتسببت الغارات بمقتل سبعة مدنيين.") \
        == [("air_strike", [0, 1])]


def test_a_death_without_form_or_place_joins_the_violence_before():
    assert incidents("قصفت طائرات التحالف مواقع الحوثيين في صنعاء. وقتل ثمانية أفراد من القبيلة.") \
        == [("air_strike", [0, 1])]
    assert incidents("اندلعت اشتباكات عنيفة بين الجيش والمسلحين. وقتل ثلاثة جنود.") == [("armed_clash", [0, 1])]


def test_the_more_specific_kind_of_one_incident_wins():
    text = "انفجرت سيارة مفخخة قرب مسجد في المدينة. وقال مصدر إن انتحاريا فجر نفسه داخل السيارة المفخخة."
    assert incidents(text) == [("suicide_bombing", [0, 1])]


def test_an_arrest_is_no_part_of_the_shelling_before_it():
    assert incidents("قصفت المدفعية مواقع المسلحين. واعتقلت الشرطة خمسة أشخاص في المدينة.") \
        == [("shelling", [0]), ("arrest", [1])]


def test_strikes_at_two_towns_are_two_incidents_and_a_country_holds_its_town():
    text = "شنت طائرات التحالف غارات على مواقع الحوثيين في عدن. وشنت طائرات التحالف غارات على مواقع في تعز."
    assert incidents(text, {0: ADEN, 1: TAIZ}) == [("air_strike", [0]), ("air_strike", [1])]
    assert incidents(text, {0: ADEN, 1: YEMEN}) == [("air_strike", [0, 1])]


def test_a_change_of_topic_starts_a_new_incident():
    text = "شنت طائرات التحالف غارات على مواقع الحوثيين. من جهة أخرى، شنت طائرات التحالف غارات على مواقع في تعز."
    assert incidents(text) == [("air_strike", [0]), ("air_strike", [1])]


def test_a_war_total_is_no_incident():
    assert incidents("وقتل نحو أربعة آلاف شخص منذ بداية الحرب.") == []


def test_places_and_kinds_compared():
    assert same_place(ADEN, YEMEN) is True              # the country holds the town
    assert same_place(ADEN, YEMEN, by_name=True) is False
    assert same_place(ADEN, TAIZ) is False and same_place(ADEN, None) is None
    assert place_key(Place("الرمادي", 33.4, 43.3, "town")) == "رمادي"
    assert compatible_kinds("arrest", "abduction") and not compatible_kinds("shelling", "air_strike")
