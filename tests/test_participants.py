"""events/participants.py: the actors and targets of an event, each with a side.

Sentences written for the tests in the wording of the agency reports marsad reads."""
from __future__ import annotations

from marsad.arabic import norm_view
from marsad.core import Article
from marsad.events.participants import participants


def parts(text: str, trigger: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(actors, targets) as (words, side) for the trigger word of a one-sentence article."""
    a, view = Article(text=text), norm_view(text)
    at = view.text.index(norm_view(trigger).text)
    actors, targets = participants(a, view, 0, len(view.text), at, [])
    for p in actors + targets:          # every participant keeps its words' span
        assert text[p.start:p.end] == p.text
    return [(p.text, p.side) for p in actors], [(p.text, p.side) for p in targets]


def test_the_subject_acts_on_the_object_after_على():
    assert parts("شنت طائرات التحالف غارات على مواقع الحوثيين في صنعاء.", "غارات") \
        == ([("طائرات التحالف", "foreign_state")], [("الحوثيين", "non_state")])


def test_a_state_force_before_its_verb_is_the_actor():
    actors, _ = parts("قصفت قوات النظام السوري بلدة الزبداني بالبراميل المتفجرة.", "قصفت")
    assert actors == [("قوات النظام", "state")]


def test_the_reporting_source_is_no_actor():
    """The observatory reports the raid; the air force carries it out."""
    actors, _ = parts("وقال المرصد السوري لحقوق الإنسان إن الطيران الحربي شن غارات على مدينة الرقة.", "غارات")
    assert actors == [("الطيران الحربي", "state")]


def test_counted_people_are_what_the_act_was_done_to():
    _, targets = parts("قتل نحو 230 مدنيا في قصف لقوات النظام.", "قصف")
    assert ("مدنيا", "civilians") in targets


def test_the_agent_of_a_passive_is_an_actor():
    actors, _ = parts("تعرضت دورية للجيش لهجوم من قبل مسلحين مجهولين.", "لهجوم")
    assert ("مسلحين", "non_state") in actors


def test_aircraft_and_security_units_act():
    """Forces the side lexicon did not name: a state's jets, its security forces (forces.tsv)."""
    actors, targets = parts("وقصفت المقاتلات التركية مواقع لحزب العمال الكردستاني شمال العراق.", "قصفت")
    assert actors == [("المقاتلات التركية", "foreign_state")]
    actors, _ = parts("ونفذت القوات الأمنية عملية عسكرية في الرمادي.", "عملية")
    assert actors == [("القوات الأمنية", "state")]


def test_a_state_named_as_the_one_that_struck():
    actors, _ = parts("وذكرت الشبكة أن الولايات المتحدة نفذت أول ضربة جوية في شمال سوريا.", "ضربة جوية")
    assert actors == [("الولايات المتحدة", "foreign_state")]


def test_a_preposition_is_no_part_of_the_actor():
    """Issue 14: "no prepositions or clitics in spans" (بالحكومة → الحكومة)."""
    actors, targets = parts("وقتل خمسة من عناصر الأمن في هجوم لحزب العمال الكردستاني جنوب شرق تركيا.", "هجوم")
    assert ("حزب العمال الكردستاني", "non_state") in actors
    _, targets = parts("شنت طائرات التحالف العربي غارات على مواقع تابعة بالكامل لقوات النظام.", "غارات")
    assert ("قوات النظام", "state") in targets
