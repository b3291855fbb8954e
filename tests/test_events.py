"""Events and casualties on real Arabic sentences (dev articles and SaudiNewsNet-style copy)."""
from __future__ import annotations

from pathlib import Path

import pytest

from marsad.core import Article
from marsad.events.lexicon import VIOLENT_KINDS
from marsad.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def violent(article: Article):
    return [e for e in article.events if e.kind in VIOLENT_KINDS]


def run(pipe, text, published="2014-08-26", title=None):
    return pipe(Article(text=text, published=published, title=title))


def test_air_strike_with_civilian_toll_and_day(pipe):
    art = run(pipe, "نفذ الطيران الحربي السوري غارات مكثفة الثلاثاء على مواقع لتنظيم \"الدولة الاسلامية\" في شرق سوريا.\n"
                    "وتسببت الغارات بمقتل سبعة مدنيين، بالاضافة الى عدد لم يحدد من مقاتلي \"الدولة الاسلامية\".")
    [ev] = violent(art)
    assert ev.kind == "air_strike"
    assert ev.killed.total == 7 and ev.killed.civilians == 7
    assert ev.date == "2014-08-26"           # الثلاثاء, the day of publication
    assert ev.acled == {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}
    assert ev.plover["event_type"] == "ASSAULT" and ev.plover["mode"] == "aerial"
    assert len(ev.evidence) == 2              # both sentences, one record
    assert any(a.side == "state" for a in ev.actors)


def test_split_toll_sums_the_sides(pipe):
    art = run(pipe, "تتواصل المعارك في منطقة الزبداني في ريف دمشق بين القوات النظامية ومقاتلين من كتائب معارضة.\n"
                    "بينما قتل في معارك الايام الماضية 13 مقاتلا معارضا وعشرون عنصرا من قوات النظام.")
    [ev] = violent(art)
    assert ev.kind == "armed_clash"
    assert (ev.killed.total, ev.killed.non_state, ev.killed.state_forces) == (33, 13, 20)


def test_passive_and_nominal_forms(pipe):
    art = run(pipe, "قتل سبعة مدنيين بغارات للنظام على بلدة كفرنبل.")
    [ev] = violent(art)
    assert ev.kind == "air_strike" and ev.killed.civilians == 7
    art = run(pipe, "مقتل 12 شخصا في انفجار سيارة مفخخة في بغداد.")
    [ev] = violent(art)
    assert ev.kind == "bombing" and ev.killed.total == 12


def test_breakdown_after_minhum_is_not_added(pipe):
    art = run(pipe, "وأسفر الهجوم الانتحاري على مسجد قوات الطوارئ في أبها عن استشهاد 15 منهم 12 من منسوبي القوات، "
                    "وثلاثة عاملين وإصابة آخرين.", published="2015-08-07")
    [ev] = violent(art)
    assert ev.kind == "suicide_bombing"
    assert (ev.killed.total, ev.killed.state_forces, ev.killed.civilians) == (15, 12, 3)


def test_vague_count_stays_null(pipe):
    art = run(pipe, "لقي عدد من عناصر تنظيم داعش مصرعهم وأصيب آخرون في اشتباكات مع الجيش العراقي في الرمادي.")
    [ev] = violent(art)
    assert ev.killed.total is None


@pytest.mark.parametrize("text", [
    "أدانت الحكومة اليمنية بشدة التفجير الإرهابي الذي استهدف مسجد قوات الطوارئ.",
    "وأكد ان اي قرار لم يتخذ في شأن شن غارات على سوريا.",
    "أحيا السكان ذكرى المجزرة التي ارتكبت في القرية.",
    "وبحث الوزيران سبل مكافحة الإرهاب والتصدي لهجمات التنظيم.",
    "هل تعتقد أن الأسلحة الثقيلة استخدمت بكثافة في المعارك؟",
    "ونفذ حكم القتل تعزيرا في الجاني في محافظة جدة.",
    "وتقول الأمم المتحدة إن نحو أربعة آلاف شخص نصفهم من المدنيين قتلوا منذ بدء النزاع.",
])
def test_violence_mentioned_but_not_reported(pipe, text):
    assert violent(run(pipe, text, published="2015-08-01")) == []


def test_threat_becomes_a_verbal_event(pipe):
    art = run(pipe, "وهدد التنظيم بشن هجمات على السفارات الغربية.", published="2015-08-01")
    assert violent(art) == []
    assert [e.kind for e in art.events] == ["threaten"]


def test_headline_and_body_toll_counted_once(pipe):
    text = ("قصف منزل قائد عسكري حوثي في شبوة.. ومقتل 8 حوثيين في مأرب\n\n"
            "أفادت مصادر يمنية أمس الأحد بمقتل ثمانية حوثيين في مواجهات مع المقاومة الشعبية في مدينة مأرب.\n"
            "وقالت المصادر إن مواجهات عنيفة اندلعت مساء السبت في منطقة الجفينة جنوب غرب مأرب ما أسفر عن مقتل "
            "ثمانية حوثيين وإصابة آخرين.")
    art = run(pipe, text, published="2015-07-27",
              title="قصف منزل قائد عسكري حوثي في شبوة.. ومقتل 8 حوثيين في مأرب")
    clashes = [e for e in violent(art) if e.kind in ("armed_clash", "killing")]
    assert len(clashes) == 1 and clashes[0].killed.total == 8


def test_separate_incidents_stay_separate(pipe):
    text = ("نفذت طائرات النظام السوري غارات على مواقع التنظيم في ريف دير الزور الغربي.\n"
            "في تقرير ميداني آخر، قتل الثلاثاء برصاص قنص داخل مدينة الزبداني اربعة اشخاص.")
    kinds = sorted(e.kind for e in violent(run(pipe, text)))
    assert kinds == ["air_strike", "killing"]


def test_arrest_protest_and_killing_in_one_sentence(pipe):
    text = ("قالت الوكالة يوم الاثنين إن السلطات اعتقلت أحد أقارب الرئيس بعد احتجاجات استمرت يومين "
            "للمطالبة بمعاقبته جراء قيامه بقتل ضابط بالجيش.")
    art = run(pipe, text, published="2015-08-11")
    kinds = {e.kind: e for e in violent(art)}
    assert set(kinds) == {"arrest", "protest", "killing"}
    assert kinds["killing"].killed.total == 1
    assert kinds["arrest"].killed.total is None   # deaths never go to an arrest


def test_every_event_keeps_its_evidence(pipe):
    art = run(pipe, "خطف تنظيم داعش نحو 230 مدنيا بعد استيلائه على بلدة القريتين في ريف حمص.", published="2015-08-08")
    assert {e.kind for e in violent(art)} == {"abduction", "territory_taken"}
    for ev in art.events:
        assert ev.evidence and ev.trigger
        assert ev.evidence[0].start <= ev.trigger.start < ev.trigger.end <= ev.evidence[0].end


def test_labelled_set_is_references_only():
    path = ROOT / "eval" / "labelled" / "events.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert len(rows) >= 300
    kinds = set(VIOLENT_KINDS) | {"none"}
    for rid, url, start, end, label, bg in rows:
        assert url.startswith("http") and int(start) < int(end) and bg in ("0", "1")
        assert set(label.split("|")) <= kinds
    # the set was labelled for the violent kinds of the contract (a kind added later has none yet)
    labelled_for = {"air_strike", "shelling", "bombing", "suicide_bombing", "armed_clash", "territory_taken",
                    "attack_on_civilians", "killing", "abduction", "arrest", "protest", "riot"}
    assert {k for r in rows for k in r[4].split("|")} >= labelled_for | {"none"}


# --- tolls on unseen wording (error kinds found on the held-out set; sentences written for the tests)

def test_dead_and_wounded_in_one_phrase_are_not_added(pipe):
    art = run(pipe, "مقتل 9 وإصابة 14 آخرين في انفجار عبوة ناسفة بمدينة الموصل.")
    [ev] = violent(art)
    assert (ev.killed.total, ev.injured.total) == (9, 14)


def test_casualty_noun_after_the_number_and_a_subset(pipe):
    art = run(pipe, "ارتكب المسلحون مجزرة راح ضحيتها 40 قتيلا بينهم 9 أطفال في قصف على مدينة حمص.")
    [ev] = violent(art)
    assert ev.killed.total == 40          # بينهم 9 أطفال is a subset, not the total
    art = run(pipe, "قتل 5 أشخاص و3 جرحى في قصف على مدينة حمص.")
    [ev] = violent(art)
    assert (ev.killed.total, ev.injured.total) == (5, 3)


def test_wounded_predicate_after_the_count_wins_over_an_earlier_death_word(pipe):
    art = run(pipe, "قتل ثلاثة جنود في هجوم على حاجز بمدينة الرمادي وتقبلهم الله في الشهداء، "
                    "كما تعرض خمسة من رجال الشرطة للإصابة.")
    [ev] = violent(art)
    assert (ev.killed.total, ev.injured.total) == (3, 5)


def test_same_figure_in_lead_and_quote_counts_once(pipe):
    art = run(pipe, "قتل 14 شخصا في قصف صاروخي على مدينة حمص.\n"
                    "وقال مدير المرصد إن 14 مدنيا قتلوا في القصف.")
    [ev] = violent(art)
    assert ev.killed.total == 14


def test_same_group_twice_in_one_long_sentence_counts_once(pipe):
    art = run(pipe, "قتل 11 شخصا في قصف على حي الشعار في مدينة حلب بحسب المرصد السوري وقال مدير المرصد "
                    "إن 11 شخصا قتلوا في القصف")
    [ev] = violent(art)
    assert ev.killed.total == 11
    art = run(pipe, "قتل 13 مقاتلا معارضا وعشرون عنصرا من قوات النظام في معارك في ريف دمشق.")
    [ev] = violent(art)
    assert ev.killed.total == 33


# --- places: a clause per place, and no words that are not place names

def test_a_breakdown_by_place_in_one_sentence_is_one_event_per_place(pipe):
    art = run(pipe, "وقتل ثلاثة أطفال في غارة على مدينة كفرزيتا، بينما قتل أربعة آخرون في غارة على بلدة مورك.")
    evs = sorted(violent(art), key=lambda e: e.place.name)
    assert [(e.place.name, e.killed.total) for e in evs] == [("كفرزيتا", 3), ("مورك", 4)]
    # a clause that only comments on the place stays with its incident
    art = run(pipe, "قتل 6 مسلحين في غارة على مبنى في مدينة الميادين، والذي يتخذه التنظيم مقرا في المدينة.")
    [ev] = violent(art)
    assert ev.killed.total == 6


def test_event_place_is_a_name_not_a_verb_direction_or_adjective(pipe):
    for text, place in (("قتل 18 شخصا في سقوط صاروخ على حي شعبي في وسط مدينة حلب.", "حلب"),
                        ("نفذ سلاح الجو ضربة جوية على منطقة كان مسلحون يتحصنون فيها في مدينة سرت.", "سرت"),
                        ("استهدفت الغارات مواقع للتنظيم على الطرق المؤدية إلى حمص وحماة ومناطق في ريف إدلب.", "ريف إدلب")):
        [ev] = violent(run(pipe, text))
        assert ev.place is not None and ev.place.name == place, text


def test_town_tolls_after_a_province_total_are_their_own_incidents(pipe):
    art = run(pipe, "أفاد المرصد بمقتل 20 مدنيا في غارات جوية على محافظة حماة.\n"
                    "وقتل 12 شخصا بينهم أطفال في غارة على مدينة كفرزيتا.\n"
                    "كما قتل ثمانية مدنيين في غارة على بلدة مورك.")
    tolls = {e.place.name: e.killed.total for e in violent(art)}
    assert tolls.get("كفرزيتا") == 12 and tolls.get("مورك") == 8


def test_count_between_laqiya_and_masra3ahum(pipe):
    art = run(pipe, "أعلن مصدر أمني أنه لقي 6 أشخاص مصرعهم في انفجار سيارة ملغومة في مدينة سرت.")
    [ev] = violent(art)
    assert ev.killed.total == 6


def test_parts_of_a_breakdown_share_the_day_of_the_total(pipe):
    art = run(pipe, "قتل 19 مدنيا أمس الاثنين في غارات على محافظة إدلب.\n"
                    "وقتل ثلاثة أطفال في غارة على مدينة كفرنبل، بينما قتل أربعة آخرون في غارة على بلدة سراقب.",
              published="2015-03-10")
    days = {e.place.name: e.date for e in violent(art)}
    assert days.get("كفرنبل") == "2015-03-09" and days.get("سراقب") == "2015-03-09"


# --- kinds

def test_targeting_after_air_strikes_is_an_air_strike(pipe):
    art = run(pipe, "شن طيران التحالف غارات على مواقع التنظيم في ريف الرقة.\n"
                    "وقتل 11 مسلحا جراء استهداف مبنى في مدينة الطبقة، بينما قتل 20 منهم في استهداف لمعسكر قرب بلدة عين عيسى.")
    kinds = {e.place.name: (e.kind, e.killed.total) for e in violent(art)}
    assert kinds.get("الطبقة") == ("air_strike", 11) and kinds.get("عين عيسى") == ("air_strike", 20)
    # on its own, with no strikes before it, a targeting with deaths stays a clash
    [ev] = violent(run(pipe, "قتل 5 جنود جراء استهداف حاجز للجيش في مدينة الرمادي."))
    assert ev.kind != "air_strike"


def test_possessive_raids(pipe):
    [ev] = violent(run(pipe, "كثفت طائرات التحالف من غاراتها أمس على مواقع المسلحين في مدينة صعدة."))
    assert ev.kind == "air_strike"


def test_protests_and_strikes_listed_by_place_are_one_event_per_place(pipe):
    art = run(pipe, "خرجت أمس تظاهرات في العاصمة اليمنية صنعاء ومدن أخرى، منها عدن وتعز والحديدة، للمطالبة بالرواتب.")
    assert sorted(e.place.name for e in violent(art)) == sorted(["صنعاء", "عدن", "تعز", "الحديدة"])
    art = run(pipe, "شنت طائرات التحالف غارات على مواقع المسلحين في قاعدة العند، وفي مدينة الحوطة في محافظة لحج، "
                    "فضلا عن تعز (جنوب غرب).")
    assert sorted(e.place.name for e in violent(art)) == sorted(["قاعدة العند", "الحوطة", "تعز"])
    # a container is not a list item, and villages of one advance stay one event
    assert len(violent(run(pipe, "شنت طائرات التحالف غارات على مدينة الموصل في محافظة نينوى."))) == 1
    assert len(violent(run(pipe, "سيطرت القوات على قرى نافعة وعين ذكر وسحم الجولان."))) == 1


def test_a_toll_goes_to_the_nearest_of_two_events_in_a_sentence(pipe):
    art = run(pipe, "كثفت طائرات التحالف من غاراتها أمس على مواقع المسلحين في مدينة صعدة، "
                    "حيث قتل 30 مسلحا في معارك عنيفة مع القوات الحكومية.")
    tolls = {e.kind: e.killed.total for e in violent(art)}
    assert tolls == {"air_strike": None, "armed_clash": 30}


def test_singular_victims_joined_by_wa(pipe):
    [ev] = violent(run(pipe, "استشهاد ضابط ومجند في انفجار عبوة ناسفة بمدينة العريش."))
    assert ev.killed.total == 2


def test_a_total_over_incidents_told_apart_is_not_one_more_toll(pipe):
    art = run(pipe, "قتل 8 أشخاص في مدينة الرمادي أمس.\n"
                    "وقال مصدر أمني إن ثلاثة جنود قتلوا في هجوم شنه مسلحون على حاجز في المدينة.\n"
                    "وأضاف أن خمسة مدنيين آخرين قتلوا في انفجار عبوة ناسفة في سوق شعبي.")
    tolls = sorted((e.kind, e.killed.total) for e in violent(art))
    assert ("armed_clash", 3) in tolls and ("bombing", 5) in tolls
    assert not any(t == 8 for _, t in tolls)


def test_headline_count_yields_to_the_body(pipe):
    art = run(pipe, "مقتل 4 جنود في قصف على الحدود\n\nقتل جندي في قصف استهدف مركزا حدوديا في منطقة جازان.",
              title="مقتل 4 جنود في قصف على الحدود")
    ev = next(e for e in violent(art) if e.place and e.place.name == "جازان")
    assert ev.killed.total == 1


# --- recall: wording the lexicon lacked

def test_new_wordings_of_arrest_capture_and_strikes(pipe):
    [ev] = violent(run(pipe, "نجحت قوات الأمن في محافظة الأنبار في ضبط 12 شخصا من المطلوبين في حملة أمنية."))
    assert ev.kind == "arrest"
    [ev] = violent(run(pipe, "أكدت قيادات في المقاومة نجاحها في السيطرة على منطقة الوازعية بمحافظة تعز."))
    assert ev.kind == "territory_taken"
    [ev] = violent(run(pipe, "نجحت طائرات التحالف في تدمير مواقع للمسلحين في منطقة رأس عيسى شمال مدينة الحديدة."))
    assert ev.kind == "air_strike" and ev.place.name == "رأس عيسى"
    # seized goods are not an arrest
    assert not violent(run(pipe, "ضبطت الشرطة كمية من المخدرات في مدينة جدة."))


def test_an_old_year_in_a_later_statement_does_not_make_the_event_background(pipe):
    [ev] = violent(run(pipe, "قالت الوزارة أمس إن القيادي قتل في ضربة جوية قرب بلدة الدانا، "
                             "وقال المتحدث إن القيادي كان على علم بهجمات عام 2001."))
    assert ev.kind == "air_strike" and ev.place.name == "الدانا"
    assert not violent(run(pipe, "قتل القيادي في ضربة جوية قرب بلدة الدانا عام 2012."))


def test_country_then_town_of_the_same_clause_and_nationality_adjectives(pipe):
    [ev] = violent(run(pipe, "قالت الوزارة أمس إن القيادي قتل في ضربة جوية في سوريا بينما كان يتنقل في سيارة قرب بلدة الدانا."))
    assert ev.place.name == "الدانا"
    [ev] = violent(run(pipe, "ردت القوات المسلحة السعودية بقصف عنيف لمصادر إطلاق النار داخل الأراضي اليمنية."))
    assert ev.place is None or ev.place.country != "SA"


def test_a_place_past_a_contrastive_clause_belongs_to_that_clause(pipe):
    art = run(pipe, "سيطرت القوات على منطقة الوازعية بعد مواجهات عنيفة مع المسلحين، "
                    "فيما دمرت قوات التحالف مخزنا للأسلحة في مديرية يريم.")
    assert all(e.place.name == "الوازعية" for e in violent(art) if e.kind in ("armed_clash", "territory_taken"))


def test_named_victims_by_rank_are_counted(pipe):
    [ev] = violent(run(pipe, "ونتج عن ذلك استشهاد العريف أحمد سالم الزهراني، والجندي أول محمد علي القحطاني، "
                             "والجندي أول سعد ناصر الشهري، تغمدهم الله برحمته، في قصف على مركز حدودي في منطقة نجران."))
    assert ev.killed.total == 3 and ev.killed.state_forces == 3


def test_attacker_blowing_up_his_own_car_is_a_suicide_bombing(pipe):
    art = run(pipe, "مقتل 5 أشخاص في انفجار سيارة ملغومة في مدينة سرت.\n"
                    "وتبنى التنظيم الهجوم وقال إن أحد عناصره قام بتفجير سيارته المفخخة على تجمع للقوات في مدينة سرت.")
    [ev] = violent(art)
    assert ev.kind == "suicide_bombing" and ev.killed.total == 5


def test_details_after_an_announcement_give_the_event_its_place(pipe):
    art = run(pipe, "وكشف المتحدث العسكري عن تفاصيل صد هجوم على عناصر التأمين.\n"
                    "وقال إنه أثناء قيام عناصر التأمين المتواجدة بمحافظة الإسماعيلية بمهامها فوجئت القوات "
                    "بإطلاق نيران عشوائية تجاهها.")
    [ev] = violent(art)
    assert ev.kind == "armed_clash" and ev.place.name == "الإسماعيلية"


def test_one_named_person_as_subject_of_a_passive_death_counts_one(pipe):
    [ev] = violent(run(pipe, "قالت الوزارة أمس إن القيادي البارز في التنظيم أبو محمد العراقي قتل في ضربة جوية قرب بلدة الدانا."))
    assert ev.killed.total == 1
    [ev] = violent(run(pipe, "قالت الوزارة إن الجيش قتل عددا من المسلحين في ضربة جوية قرب بلدة الدانا."))
    assert ev.killed.total is None


def test_a_count_repeated_in_words_keeps_its_wounded_predicate(pipe):
    [ev] = violent(run(pipe, "قتل جنديان في قصف على مركز حدودي في منطقة نجران وتقبلهم الله في الشهداء، "
                             "كما تعرض (5) خمسة من رجال حرس الحدود للإصابة."))
    assert (ev.killed.total, ev.injured.total) == (2, 5)


def test_a_clause_of_a_background_sentence_stays_background(pipe):
    art = run(pipe, "وكانت الطائرات قد قتلت العشرات من عناصر التنظيم في مدينة المكلا، وكان على رأسهم القائد "
                    "أبو بصير الذي قتل في غارة بمنطقة كورنيش المحضار في المدينة، مساء 9 يناير الماضي.",
              published="2015-03-10")
    assert not violent(art)


def test_others_killed_after_a_dated_toll_share_its_day(pipe):
    art = run(pipe, "قال مسعفون إن ثمانية جنود قتلوا خلال اشتباكات مع مسلحين في مدينة سرت يوم الاثنين.\n"
                    "وذكر مصدر عسكري أن ثلاثة جنود آخرين قتلوا في انفجار عبوة ناسفة في المدينة.",
              published="2015-03-10")
    days = {e.kind: e.date for e in violent(art)}
    assert days.get("bombing") == days.get("armed_clash") == "2015-03-09"


def test_a_gapped_clause_takes_the_death_verb_of_the_clause_before(pipe):
    art = run(pipe, "وقتل طفلان في غارة على مدينة كفرنبل، وامرأة وطفلها في قصف جوي على قرية البارة.")
    assert {e.place.name: e.killed.total for e in violent(art)} == {"كفرنبل": 2, "البارة": 2}
    art = run(pipe, "قتل ثلاثة أطفال في غارة على مدينة كفرنبل، و4 مدنيين في قصف على بلدة سراقب.")
    assert {e.place.name: e.killed.total for e in violent(art)} == {"كفرنبل": 3, "سراقب": 4}


def test_headline_with_the_body_toll_is_the_body_incident_whatever_its_form(pipe):
    art = run(pipe, "40 قتيلاً في مجزرة للمسلحين في حمص\n\n"
                    "قصفت المليشيات أمس حي الوعر في مدينة حمص بصواريخ الكاتيوشا مما أدى إلى سقوط 40 قتيلاً.",
              title="40 قتيلاً في مجزرة للمسلحين في حمص")
    evs = violent(art)
    assert len(evs) == 1 and evs[0].killed.total == 40


def test_a_clause_without_its_own_day_shares_its_sentences_day(pipe):
    art = run(pipe, "اختطف مسلحون من تنظيم داعش سبعة عمال في بلدة هيت غرب محافظة الأنبار الخميس، فيما قتل جنديان "
                    "عراقيان في هجوم بقذائف الهاون على موقع للجيش قرب الرمادي، حسب مسؤول محلي.",
              published="2015-07-24")
    kinds = {e.kind: e for e in violent(art)}
    assert kinds["abduction"].date == "2015-07-23"
    assert kinds["shelling"].date == "2015-07-23" and kinds["shelling"].killed.total == 2


def test_word_lists_of_detection_and_participants_live_in_data_files():
    """The words of detect.py's and participants.py's rules load from their data files, each
    list non-empty, each file with its provenance; the rules built from them still read
    real sentences (normalised, as the stage reads them)."""
    from marsad.arabic import normalize
    from marsad.events import detect, participants
    from marsad.resources import data_lists, data_path

    for name in ("events/detect_words.tsv", "events/participant_words.tsv"):
        lists = data_lists(name)
        assert lists and all(lists.values()), name
        assert "# Source:" in data_path(name).read_text(encoding="utf-8"), name
    # aircraft as the subject of a shelling verb (SaudiNewsNet): طائرات written with hamza
    assert detect.AIR_SUBJECT.search(normalize("أن الطائرات الحربية التركية بدأت مساء الجمعة قصف"))
    assert detect.DAWN_AFTER.match(normalize(" الخميس"))            # فجر الخميس: dawn
    assert detect.NEGATION.search(normalize("أي قرار لم يتخذ "))
    assert participants.TARGET_MARKER.search(normalize("نفذ الطيران الحربي السوري غارات على "))
    assert participants.CLAUSE_BREAK.search(normalize("قتل خمسة مدنيين، في وقت أعلنت واشنطن"))


def test_the_wounded_make_an_attack_a_report_and_are_counted(pipe):
    # an injury toll alone, with no death: the attack is an event and carries the wounded
    [ev] = violent(run(pipe, "أصيب خمسة جنود بجروح في هجوم مسلح على حاجز للجيش في الرمادي أمس.", "2015-08-03"))
    assert ev.injured.total == 5 and ev.killed.total is None
    assert ev.place.name == "الرمادي"
    assert not ev.actors                       # "مسلح" describes the attack, it is no actor
    [ev] = violent(run(pipe, "وأفاد مصدر أمني عراقي إصابة ثلاثة أشخاص بانفجار عبوة لاصقة بشاحنة متوقفة "
                             "داخل محل لبيع الخضار في حي أبودشير التابع لمنطقة الدورة جنوبي بغداد.", "2015-08-03"))
    assert ev.kind == "bombing" and ev.injured.total == 3
    assert ev.place.name == "حي أبودشير"
    assert [s.text for s in ev.sources] == ["مصدر أمني عراقي"]


def test_a_weapon_is_no_actor_and_a_suicide_bomber_after_his_verb_is(pipe):
    [ev] = violent(run(pipe, "كما أفاد مصدر أمني عن إصابة رجل وزوجته بانفجار قنبلة يدوية ألقاها مسلحون مجهولون "
                             "على منزلهما في حي الواسطي جنوبي مدينة كركوك.", "2015-08-03"))
    assert [(a.text, a.side) for a in ev.actors] == [("مسلحون", "non_state")]
    assert ev.status == "reported"
    [ev] = violent(run(pipe, "فجر انتحاري نفسه في سوق ببغداد مما أسفر عن مقتل عشرة أشخاص.", "2015-08-03"))
    assert [a.text for a in ev.actors] == ["انتحاري"] and ev.killed.total == 10


def test_an_event_place_written_with_lil_is_named_without_it(pipe):
    # ل + ال is written لل (للرمادي): the place is الرمادي
    [ev] = violent(run(pipe, "قتل ثلاثة جنود في هجوم مسلح على حاجز تابع للرمادي أمس.", "2015-08-03"))
    assert ev.place.name == "الرمادي" and ev.killed.total == 3


def test_the_pkk_is_a_non_state_actor_not_workers(pipe):
    # العمال alone is "the workers" (civilians); حزب العمال الكردستاني is the armed group
    [ev] = violent(run(pipe, "قتل ثلاثة جنود أتراك في هجوم شنه حزب العمال الكردستاني على موقع للجيش "
                             "في ولاية شرناق.", "2015-08-03"))
    assert ev.kind == "armed_clash"
    assert ("حزب العمال الكردستاني", "non_state") in [(a.text, a.side) for a in ev.actors]
    assert not any(p.side == "civilians" for p in ev.actors + ev.targets)
    assert any(e.type == "ORG" and e.name == "حزب العمال الكردستاني" for e in
               run(pipe, "هاجم مقاتلون من حزب العمال الكردستاني مركزا للشرطة.", "2015-08-03").entities)


def test_a_verb_after_a_place_noun_names_no_place(pipe):
    [ev] = violent(run(pipe, "ووقع هجوم اليوم في منطقة يؤمها السياح في الغرب مما أدى إلى مقتل شرطي.", "2015-08-03"))
    assert ev.place is None


def test_participants_leave_out_the_conjunction_and_words_of_a_place_name(pipe):
    art = run(pipe, "وكانت المقاومة الشعبية والجيش الوطني تمكنا من تحرير قاعدة العند الجوية الاستراتيجية "
                    "بمحافظة لحج بعد هجوم كبير شنته على القاعدة.", "2015-07-31")
    [ev] = violent(art)
    assert [(a.text, a.side) for a in ev.actors] == [("المقاومة الشعبية", "non_state"), ("الجيش الوطني", "state")]
    assert all(art.text[a.start:a.end] == a.text for a in ev.actors)
    # قاعدة of قاعدة العند (the air base) is not al-Qaeda acting
    assert "قاعدة" not in [a.text for a in ev.actors]
    [ev] = violent(run(pipe, "اندلعت اشتباكات عنيفة بين قوات الجيش وفصائل المعارضة في ريف حلب."))
    assert "فصائل المعارضة" in [p.text for p in ev.actors + ev.targets]   # ف of فصائل is the word's own


def test_an_attack_named_as_the_cause_of_a_threat_happened(pipe):
    # "يتوعد داعش بعد تفجير سروج": the bombing was done; what is threatened comes after the verb
    [ev] = violent(run(pipe, "داود أوغلو يتوعد داعش بعد تفجير سروج", "2015-07-21"))
    assert ev.status == "reported"
    [ev] = violent(run(pipe, "توعد الحوثيون بقصف المدن السعودية.", "2015-07-21"))
    assert ev.status == "threatened"


def test_a_count_in_quotes_in_a_headline_keeps_its_noun_and_side(pipe):
    # "مقتل «17» من الحوثيين": the Houthis are the dead, not the actor
    [ev] = violent(run(pipe, "مقتل «17» من الحوثيين بقصف للتحالف على الحديدة", "2015-08-07"))
    assert ev.killed.total == 17 and ev.killed.non_state == 17
    assert not any(a.side == "non_state" for a in ev.actors)
    assert any("الحوثيين" in t.text for t in ev.targets)


def test_the_dead_in_the_ranks_of_a_side_and_civilians_are_targets_not_actors(pipe):
    [ev] = violent(run(pipe, "سقط اليوم عشرات القتلى في صفوف ميليشيات الحوثيين بالاشتباكات المستمرة على "
                             "تخوم لودر في محافظة أبين.", "2015-08-10"))
    assert not ev.actors and "ميليشيات الحوثيين" in [t.text for t in ev.targets]   # one phrase
    [ev] = violent(run(pipe, "سقط عدد من الضحايا في صفوف المدنيين من بينهم أطفال في مخيم درعا نتيجة القصف "
                             "العنيف الذي تعرض له المخيم.", "2015-08-10"))
    assert not any(a.side == "civilians" for a in ev.actors)
    assert any(t.side == "civilians" for t in ev.targets)


def test_an_ambush_laid_by_a_side_has_that_side_as_actor(pipe):
    # "بمقتل ثمانية مسلحين حوثيين في كمين نصبته المقاومة الشعبية": حوثيين describes the dead,
    # the resistance laid the ambush; "كمينا مسلحا" names no actor
    [ev] = violent(run(pipe, "وأفادت مصادر محلية يمنية بمقتل ثمانية مسلحين حوثيين في كمين نصبته المقاومة "
                             "الشعبية بمدينة رداع.", "2015-07-24"))
    assert [(a.text, a.side) for a in ev.actors] == [("المقاومة الشعبية", "non_state")]
    assert ev.killed.total == 8
    [ev] = violent(run(pipe, "وقالت المصادر إن المقاومة الشعبية نصبت كمينا مسلحا استهدف دورية عسكرية تابعة "
                             "للحوثيين مما أسفر عن مقتل 8 حوثيين.", "2015-07-24"))
    assert [a.text for a in ev.actors] == ["المقاومة الشعبية"]


def test_strikes_that_hit_units_wound_nobody(pipe):
    # أصابت is "hit" here, not "wounded": no injury toll without a death or an injury word
    [ev] = violent(run(pipe, "وقال البيان إن ست غارات نفذت قرب الحسكة وأصابت خمس وحدات من المقاتلين إلى جانب "
                             "أهداف أخرى.", "2015-07-24"))
    assert ev.kind == "air_strike" and ev.injured.total is None


def test_what_an_advance_heads_for_is_its_target_and_a_military_advance_has_no_soldier(pipe):
    art = run(pipe, "حققت المقاومة الشعبية مدعومة من قوات الجيش الوطني تقدماً عسكرياً باتجاه اللواء 35 مدرع "
                    "بعد سيطرتها على نقطة الربيعي.", "2015-07-24")
    [ev] = violent(art)
    assert "عسكرياً" not in [a.text for a in ev.actors]
    [ev] = violent(run(pipe, "تمكنت المقاومة الشعبية من التقدم باتجاه قيادة المحور وإدارة الأمن العام بعد "
                             "اشتباكات عنيفة مع مليشيات الحوثي.", "2015-07-24"))
    assert "إدارة الأمن العام" in [t.text for t in ev.targets]   # و left out, and after باتجاه a target


def test_adjacent_side_words_are_one_participant(pipe):
    [ev] = violent(run(pipe, "وأفادت وزارة الدفاع العراقية في بيان اليوم أن عناصر تنظيم داعش الإرهابي هاجمت "
                             "قطعات عسكرية تابعة للفرقة الثامنة بالجيش العراقي في منطقة الفلاحات غربي الفلوجة.",
                       "2015-07-24"))
    assert ("داعش الإرهابي", "non_state") in [(a.text, a.side) for a in ev.actors]


def test_a_press_statement_is_no_journalist(pipe):
    [ev] = violent(run(pipe, "وأفادت وزارة الدفاع العراقية في بيان صحفي اليوم أن عناصر تنظيم داعش هاجمت قطعات "
                             "عسكرية تابعة للجيش العراقي في منطقة الفلاحات غربي الفلوجة.", "2015-07-24"))
    assert not any(p.side == "civilians" for p in ev.actors + ev.targets)
    [ev] = violent(run(pipe, "قتل صحفي في قصف على حي الشعار في حلب.", "2015-07-24"))
    assert [(t.text, t.side) for t in ev.targets] == [("صحفي", "civilians")]


def test_a_bare_aircraft_is_no_civilian(pipe):
    [ev] = violent(run(pipe, "سقطت طائرة مقاتلة للنظام السوري في بلدة أريحا بريف أدلب وأسفر عن مقتل 20 على "
                             "الأقل.", "2015-08-03"))
    assert ev.killed.total == 20
    assert not any(p.side == "civilians" and "طائرة" in p.text for p in ev.actors + ev.targets)


# --- a summary's parts: the reachable sums answer as every combination did ----------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(deadline=None)       # the first example imports the events stage
@given(st.lists(st.integers(-3, 30), max_size=9), st.integers(1, 80), st.integers(1, 3))
def test_sums_to_answers_as_the_combinations(values, target, least):
    from itertools import combinations

    from marsad.stages.events import SUMMARY_PARTS, _sums_to

    every = any(sum(c) == target for k in range(least, min(len(values), SUMMARY_PARTS) + 1)
                for c in combinations(values, k))
    assert _sums_to(values, target, least) == every
