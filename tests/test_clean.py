from marsad.core import Article
from marsad.stages import clean


def run(text, **kw):
    return clean.run(Article(text=text, **kw))


def test_seed_comment_widget_is_removed(seed_text):
    art = run(seed_text)
    assert "ترك تعليق" not in art.text
    assert not art.text.rstrip().endswith("التعليق")
    assert art.text.startswith("واشنطن ترفض رسمياً")


def test_share_bar_glued_to_first_line_and_related_lines_are_removed_but_content_kept():
    text = ("شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك تقدمت قوات الجيش نحو مدينة لودر.\n"
            "شارك مئات المتظاهرين في مسيرة وسط صنعاء.\nاقرأ أيضا: غارات على صعدة\n"
            "جميع الحقوق محفوظة لصحيفة عكاظ 2015\n// انتهى //")
    assert run(text).text == "تقدمت قوات الجيش نحو مدينة لودر.\nشارك مئات المتظاهرين في مسيرة وسط صنعاء."


def test_unicode_noise_is_folded():
    art = run("قتل\u200f ثلاثة\u00a0\u00a0مدنيين\r\nفي \ufef7\ufee3\ufeb2")
    assert art.text == "قتل ثلاثة مدنيين\nفي لأمس"


def test_agency_tags_and_dateline():
    art = run("دمشق - (ا ف ب) - قتل اربعة اشخاص برصاص قناص (رويترز).")
    assert art.agencies == ["AFP", "Reuters"]
    assert art.dateline_place == "دمشق"
    assert art.text[art.dateline.start:art.dateline.end] == "دمشق"


def test_agency_before_the_place_in_a_dateline():
    # "واس - عدن:": the agency opens the line, the place follows it
    art = run("واس - عدن: تمكنت المقاومة الشعبية بمحافظة تعز من التقدم بعد اشتباكات عنيفة.")
    assert art.dateline_place == "عدن"
    assert art.agencies == ["SPA"]


def test_saudi_dateline_gives_place_agency_and_published_when_not_given():
    art = run("عام / مقتل العشرات\n\nبغداد 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس\nلقي عدد من عناصر داعش مصرعهم.",
              title="عام / مقتل العشرات")
    assert art.dateline_place == "بغداد"
    assert "SPA" in art.agencies
    assert art.published == "2015-08-10"


def test_published_given_on_input_is_kept():
    art = run("بغداد 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس\nنص.", published="2015-08-11")
    assert art.published == "2015-08-11"


def test_agency_end_markers_time_stamps_link_backs_and_credits_are_removed():
    text = ("قتل ثلاثة اشخاص في انفجار عبوة ناسفة.\n// انتهى //\n13:44 ت م\n"
            "وأصيب آخرون بجروح.       رابط الخبر بصحيفة الوئام: انفجار يقتل ثلاثة\n* خدمة «نيويورك تايمز»")
    assert run(text).text == "قتل ثلاثة اشخاص في انفجار عبوة ناسفة.\nوأصيب آخرون بجروح."
