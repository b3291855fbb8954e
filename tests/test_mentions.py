"""Repeat mentions of one built event (events/mentions.py), on Arabic reports written for the
tests after corpus train articles (the corpus text itself is not committed)."""
from __future__ import annotations

import pytest

from marsad.core import Article
from marsad.events import mentions
from marsad.events.lexicon import VIOLENT_KINDS
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


@pytest.fixture
def merging(monkeypatch):
    monkeypatch.setattr(mentions, "MERGE_REPEATS", True)


def violent(pipe, text, published="2015-07-25"):
    return [e for e in pipe(Article(text=text, published=published)).events if e.kind in VIOLENT_KINDS]


# Deaths told bare, then the air strikes on the same town two sentences on (c0142's pattern).
STRIKES = ("لقي عدد من عناصر ميليشيا الحوثي مصرعهم في ضربات لقوات التحالف بمدينة البيضاء وسط اليمن.\n"
           "وقالت مصادر في المقاومة الشعبية إن المقاومة نفذت كمائن في مديرية الصومعة.\n"
           "من جانب آخر شن طيران التحالف العربي فجر أمس ثلاث غارات استهدفت مباني يتمركز فيها الحوثيون بمدينة البيضاء.")
# A toll, then the taking of the same town (c0325's pattern).
TAKEN = ("قتل 14 مسلحا حوثيا في مدينة الحوطة بمحافظة لحج أمس.\n"
         "وأعلنت المقاومة الشعبية سيطرتها على مدينة الحوطة بعد معارك مع الحوثيين استمرت ساعات.")
# Attacks "for days", then a sniper killing on its own day: two incidents (shared dev seed-000).
SNIPER = ("وبدأ مقاتلو المعارضة منذ أيام هجمات على مواقع للقوات النظامية في محيط مدينة الزبداني وتمكنوا من "
          "السيطرة على خمسة حواجز لقوات النظام.\n\nوقتل الثلاثاء برصاص قنص داخل المدينة أربعة أشخاص.")


def test_off_by_default(pipe):
    assert mentions.MERGE_REPEATS is False
    assert len(violent(pipe, STRIKES)) == 2


def test_bare_deaths_and_their_strikes_are_one_event(pipe, merging):
    [ev] = violent(pipe, STRIKES)
    assert ev.kind == "air_strike"                  # the form wins over the plain death
    assert ev.place.name == "البيضاء"
    assert (ev.date, ev.date_precision) == ("2015-07-24", "day")   # أمس, from the later mention
    assert len(ev.evidence) == 2 and len(ev.mentions) == 2         # both mentions' evidence kept


def test_toll_then_taking_of_the_town(pipe, merging):
    [ev] = violent(pipe, TAKEN)
    assert ev.place.name == "الحوطة" and ev.killed.total == 14
    assert len(ev.evidence) == 2


def test_own_day_against_a_window_stays_apart(pipe, merging):
    evs = violent(pipe, SNIPER)
    assert len(evs) == 2
    assert any(e.killed.total == 4 and e.date_precision == "day" for e in evs)


def test_contradicting_tolls_stay_apart(pipe, merging):
    text = ("قتل 19 شخصا في غارات على محافظة إدلب أمس.\n"
            "وقتل 15 شخصا في غارة على مدينة سراقب.")
    assert len(violent(pipe, text)) == 2


def test_repeats_needs_a_compatible_kind(pipe):
    [arrest] = violent(pipe, "اعتقلت قوات الأمن خمسة أشخاص في مدينة الحوطة أمس.")
    [taken] = violent(pipe, "سيطرت المقاومة الشعبية على مدينة الحوطة أمس.")
    assert not mentions.repeats(taken, arrest)      # an arrest is no part of a battle
    assert mentions.repeats(taken, taken)
