"""Dating and placing events (events/dating.py, events/placing.py; docs/dating.md) on Arabic
news copy written in the style of the corpus articles."""
from __future__ import annotations

import pytest

from marsad.core import Article
from marsad.events import dating
from marsad.events.lexicon import VIOLENT_KINDS
from marsad.export import event_row
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def first_violent(pipe, text, published="2015-07-26"):
    art = pipe(Article(text=text, published=published))
    evs = [e for e in art.events if e.kind in VIOLENT_KINDS]
    assert evs, text
    return art, evs[0]


def test_no_time_expression_is_publication_date_before(pipe):
    _, ev = first_violent(pipe, "قتل خمسة مدنيين في غارة جوية استهدفت سوقا شعبيا في مدينة صعدة شمال اليمن.")
    assert (ev.date, ev.date_precision, ev.date_evidence) == ("2015-07-26", "before", None)


def test_the_day_the_sentence_fixes(pipe):
    art, ev = first_violent(pipe, "قتل ثلاثة جنود أمس السبت في هجوم مسلح على نقطة تفتيش في مدينة العريش.")
    assert (ev.date, ev.date_precision) == ("2015-07-25", "day")
    assert art.text[ev.date_evidence.start:ev.date_evidence.end].startswith("أمس")


def test_announcement_day_is_not_the_event_day(pipe):
    # the day stands right after the reporting verb: the incident happened on or before it
    _, ev = first_violent(pipe, "أفادت مصادر محلية أمس بمقتل أربعة أشخاص في انفجار عبوة ناسفة في مدينة الرمادي.")
    assert (ev.date, ev.date_precision) == ("2015-07-25", "before")


def test_the_past_two_days_is_a_week_window(pipe):
    _, ev = first_violent(pipe, "قتل عشرات الحوثيين خلال اليومين الماضيين في معارك مع المقاومة الشعبية في مدينة زنجبار.")
    assert (ev.date, ev.date_precision) == ("2015-07-26", "week")


def test_years_window_never_dates_a_current_incident(pipe):
    _, ev = first_violent(pipe, "قتل جنديان في هجوم على موقع عسكري في منطقة تعاني من الفوضى منذ سنوات في مدينة العريش.")
    assert ev.date_precision in ("before", "day")


def test_last_week_is_the_weeks_last_day():
    # published on Sunday 26 July 2015: the previous Saturday-Friday week ends on Friday 24
    assert dating.contract("2015-07-19", "week", "الأسبوع الماضي", "2015-07-26") == ("2015-07-24", "week")
    assert dating.contract("2015-07-26", "before", "خلال الساعات الماضية", "2015-07-26") == ("2015-07-26", "before")
    assert dating.window_of("منذ أسابيع") == "month"
    # the night of Monday to Tuesday is Tuesday (after midnight)
    assert dating.contract("2015-08-03", "day", "منتصف ليل الاثنين - الثلاثاء", "2015-08-06") == ("2015-08-04", "day")


def test_the_nearest_expression_governs_the_trigger():
    class D:
        def __init__(self, date, precision="day"):
            self.date, self.precision = date, precision
    text = "x" * 200
    dates = [(D("2015-07-24"), 10, 15), (D("2015-07-25"), 120, 125)]
    ch = dating.choose(text, dates, 100, "2015-07-26")
    assert (ch.date, ch.rule) == ("2015-07-25", "sentence")
    # none in the trigger's sentence: the event's other sentences, nearest first
    ch = dating.choose(text, [], 100, "2015-07-26", others=[[], [(D("2015-07-23"), 150, 155)]])
    assert ch.date == "2015-07-23"


def test_held_place_over_its_province(pipe):
    _, ev = first_violent(pipe, "وفي مدينة المخا التابعة لمحافظة تعز، شن طيران التحالف غارات على معسكر للحوثيين.")
    assert ev.place is not None and ev.place.name == "المخا"


def test_acled_time_precision_in_the_export():
    row = event_row({"article_id": "a", "idx": 0, "kind": "air_strike", "date": "2015-07-26",
                     "date_precision": "before"})
    assert row["time_precision"] == 2
    assert [event_row({"article_id": "a", "idx": 0, "kind": "air_strike", "date": "2015-07-26",
                       "date_precision": p})["time_precision"]
            for p in ("day", "week", "month", "year")] == [1, 2, 3, 3]


def test_a_front_named_after_a_district_is_its_place(pipe):
    _, ev = first_violent(pipe, "شنت طائرات التحالف أمس 3 غارات جوية على مواقع للحوثيين في جبهة الجفينة جنوبي غرب مأرب.")
    assert ev.place is not None and ev.place.name == "الجفينة"


def test_a_date_inside_the_reported_clause_is_the_events(pipe):
    # "إن" between the reporting verb and the date: the clashes' own evening (Saturday 25),
    # not the day of the statement (shared dev snn-03)
    _, ev = first_violent(pipe, "وقالت المصادر إن مواجهات عنيفة اندلعت مساء السبت بين المقاومة الشعبية "
                                "والحوثيين في مدينة مأرب شرقي اليمن.", published="2015-07-27")
    assert (ev.date, ev.date_precision) == ("2015-07-25", "day")


def test_announced_reads_the_complement():
    from marsad.arabic import normalize
    from marsad.events.lexicon import cues
    report = [c.regex for c in cues()["report"]]

    def at(text, word):
        t = normalize(text)
        return dating.announced(t, t.index(normalize(word)), report, 40)
    assert at("أفادت مصادر محلية أمس بمقتل أربعة أشخاص", "أمس")
    assert not at("كما أكد المصدر أن اشتباكات متقطعة دارت، أمس، مع الحوثيين", "أمس")
    assert not at("وقال المرصد: «خطف عناصر من جبهة النصرة مساء أمس قائد الفرقة 30", "مساء أمس")


def test_russia_today_is_an_outlet_not_today():
    from marsad.dates import find_dates
    text = 'وحسب موقع "روسيا اليوم" الذي بثّ شريط فيديو للدبابات، قالت التقارير الصادرة، الثلاثاء، إن اللجان استعادت القاعدة.'
    found = [text[d.start:d.end] for d in find_dates(text, "2015-08-06")]
    assert found == ["الثلاثاء"]


def test_hours_ago_is_the_day_of_the_report(pipe):
    # a point some hours back is the publication day; a window of hours stays "before"
    _, ev = first_violent(pipe, "من ناحية أخرى، قصفت طائرات التحالف العربي، قبل ساعات قليلة، قاعدة العند "
                                "تمهيداً لاقتحامها من قبل قوات المقاومة.", published="2015-08-03")
    assert (ev.date, ev.date_precision) == ("2015-08-03", "day")
    assert dating.contract("2015-08-03", "before", "خلال الساعات الماضية", "2015-08-03") == ("2015-08-03", "before")


def test_earlier_is_before_not_a_week():
    # "في وقت سابق" (earlier) names no window of days
    assert dating.window_of("في وقت سابق") == "before"
    assert dating.window_of("الأيام السابقة") == "week"


def test_for_days_tells_the_front_not_the_incident(pipe):
    # "حيث تدور معارك منذ أيام": how long the front has been fighting, not when the town fell
    _, ev = first_violent(pipe, "وسيطرت الفصائل المقاتلة على قرية البحصة في سهل الغاب حيث تدور معارك منذ ايام "
                                "بين قوات النظام والفصائل الاسلامية.", published="2015-08-06")
    assert (ev.date, ev.date_precision) == ("2015-08-06", "before")
    # before the trigger it is "days ago": a window of days (held-out ho-11)
    _, ev = first_violent(pipe, "ومنذ أيام، نجحت قوات المقاومة الشعبية في طرد الحوثيين من عدن بعد معارك عنيفة "
                                "بين الطرفين.", published="2015-08-02")
    assert (ev.date, ev.date_precision) == ("2015-08-02", "week")
