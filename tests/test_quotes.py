"""Quotes stage: who said what. Real Arabic sentences, written for these tests or from
../shared/eval/dev; the stage runs alone after segmenting (no NER needed)."""


from marsad.arabic import sentences
from marsad.core import Article, DateSpan, Entity, Mention
from marsad.stages import quotes as quotes_stage


def run(text: str, **kw) -> list:
    a = Article(text=text, published=kw.pop("published", "2015-08-01"), **kw)
    a.sentences = sentences(a.text)
    return quotes_stage.run(a).quotes


def only(text: str):
    qs = run(text)
    assert len(qs) == 1, [(q.speaker.text, q.content.text) for q in qs]
    return qs[0]


def test_stage_contract():
    assert quotes_stage.NAME == "quotes"
    assert set(quotes_stage.REQUIRES) == {"text", "sentences", "entities"}
    assert quotes_stage.ASSIGNS == ("quotes",)


def test_direct_quote_with_titled_speaker_and_time_word():
    text = ('وقال المتحدث باسم البيت الابيض جوش ايرنست الثلاثاء "ليس هناك اي مشروع لاقامة تنسيق '
            'مع نظام الاسد" في اشارة الى تنظيم الدولة الاسلامية.')
    q = only(text)
    assert q.speaker.text == "المتحدث باسم البيت الابيض جوش ايرنست"
    assert q.content.text == "ليس هناك اي مشروع لاقامة تنسيق مع نظام الاسد"
    assert q.direct and q.cue == "وقال"
    assert text[q.content.start:q.content.end] == q.content.text
    assert text[q.speaker.start:q.speaker.end] == q.speaker.text


def test_reported_speech_content_leaves_out_cue_and_complementiser():
    q = only("وأكدت مصادر طبية في مستشفى الشفاء أن عدد القتلى ارتفع إلى 25.")
    assert q.speaker.text == "مصادر طبية في مستشفى الشفاء"
    assert q.content.text == "عدد القتلى ارتفع إلى 25"
    assert not q.direct


def test_continuation_goes_on_with_the_last_speaker():
    text = ('قال المتحدث باسم التحالف العربي العميد أحمد عسيري إن التحالف يهدف أولا إلى عودة الحكومة '
            'لمدينة عدن.\n وأضاف في تصريح صحفي أمس، أنه إذا لم يوافق الحوثيون على الانسحاب فإنه سيكون '
            'للحكومة الحق في إخراجهم بالقوة.')
    qs = run(text)
    assert len(qs) == 2
    assert qs[1].speaker.text == "المتحدث باسم التحالف العربي العميد أحمد عسيري"
    assert qs[1].content.text.startswith("إذا لم يوافق الحوثيون")


def test_participles_split_one_sentence_into_statements_of_one_speaker():
    text = ("وأكد رئيس الوزراء العراقي حيدر العبادي أن القوات الأمنية ستحرر الموصل قريبا، مشددا على "
            "ضرورة حماية المدنيين، ولافتا إلى أن الحكومة ستقدم الدعم للنازحين.")
    qs = run(text)
    assert [q.content.text for q in qs] == ["القوات الأمنية ستحرر الموصل قريبا", "ضرورة حماية المدنيين",
                                            "الحكومة ستقدم الدعم للنازحين"]
    assert {q.speaker.text for q in qs} == {"رئيس الوزراء العراقي حيدر العبادي"}


def test_nested_quotes():
    text = 'وقال المتحدث باسم الجيش: «قال لنا قائد الكتيبة "سنصمد في مواقعنا حتى النهاية"، ونحن نثق بذلك».'
    qs = run(text)
    assert len(qs) == 2
    outer, inner = qs
    assert outer.speaker.text == "المتحدث باسم الجيش"
    assert outer.content.text == 'قال لنا قائد الكتيبة "سنصمد في مواقعنا حتى النهاية"، ونحن نثق بذلك'
    assert inner.speaker.text == "قائد الكتيبة"
    assert inner.content.text == "سنصمد في مواقعنا حتى النهاية"
    assert outer.content.start < inner.content.start < inner.content.end < outer.content.end
    assert outer.direct and inner.direct


def test_quote_over_several_sentences():
    text = ("قال وزير الداخلية في مؤتمر صحفي: «لقد أحبطنا الهجوم قبل وقوعه. وقد اعتقلنا ثلاثة من "
            "المشتبه بهم. والتحقيقات مستمرة». وغادر القاعة.")
    q = only(text)
    assert q.speaker.text == "وزير الداخلية"
    assert q.content.text == "لقد أحبطنا الهجوم قبل وقوعه. وقد اعتقلنا ثلاثة من المشتبه بهم. والتحقيقات مستمرة"


def test_quote_over_paragraphs_reopened_with_the_same_mark():
    text = ("وقال الوزير: «سنواصل العمليات حتى تحرير كامل الأراضي.\n\n«ولن نتوقف قبل أن يعود آخر "
            "نازح إلى بيته».\n\nوأضاف أن الجيش مستعد.")
    qs = run(text)
    assert qs[0].content.text.endswith("يعود آخر نازح إلى بيته")
    assert qs[1].speaker.text == "الوزير" and qs[1].content.text == "الجيش مستعد"


def test_speaker_after_the_quote():
    q = only("«لن نسمح بتكرار ما حدث في المدينة»، قال رئيس البلدية لوكالة فرانس برس.")
    assert q.speaker.text == "رئيس البلدية"
    assert q.content.text == "لن نسمح بتكرار ما حدث في المدينة"
    assert q.direct
    q = only("«لم نعد نملك شيئا، فقدنا كل شيء في القصف»، يقول أحد السكان الذي فر من المدينة.")
    assert q.speaker.text.startswith("أحد السكان")


def test_anonymous_sources():
    q = only("وفي الاطار نفسه قال مصدر سوري مطلع على الملف رافضا الكشف عن هويته ان \"تنسيقا بدأ بين "
             "الولايات المتحدة ودمشق\".")
    assert q.speaker.text == "مصدر سوري مطلع"
    assert q.content.text == "تنسيقا بدأ بين الولايات المتحدة ودمشق"
    q = only("وقال مسؤول أميركي كبير، طالبا عدم الكشف عن هويته، إن واشنطن تدرس خيارات عدة.")
    assert q.speaker.text == "مسؤول أميركي كبير"
    q = only("وأفاد ناشطون بمقتل خمسة مدنيين في قصف على المدينة.")
    assert q.speaker.text == "ناشطون" and q.content.text.startswith("مقتل خمسة مدنيين")


def test_subject_before_the_verb():
    q = only("وكان مسؤول اميركي كبير افاد وكالة فرانس برس الاثنين ان بلاده على وشك ارسال طائرات تجسس فوق سوريا.")
    assert q.speaker.text == "مسؤول اميركي كبير"
    assert q.content.text.startswith("بلاده على وشك")
    q = only("بيان وزارة الداخلية حول الحادثة أوضح أن الأشلاء التي عثر عليها ناتجة عن تفجير بأحزمة ناسفة.")
    assert q.speaker.text.startswith("بيان وزارة الداخلية")


def test_institutions_media_and_relays_as_speakers():
    q = only('وذكرت وكالة الانباء السورية الرسمية "سانا" ان "وحدات من الجيش والقوات المسلحة استهدفت مقرات" للتنظيم.')
    assert q.speaker.text == 'وكالة الانباء السورية الرسمية "سانا"'
    q = only('ونقلت وكالة الأنباء الرسمية (سانا)، من جهتها، عن مصدر عسكري: "إن وحدة من الجيش أردت '
             'إرهابيين قتلى في محيط الكلية الجوية".')
    assert q.speaker.text == "مصدر عسكري"
    assert q.content.text.startswith("إن وحدة من الجيش")
    q = only("من جانبها أعلنت خلية الإعلام الحربي العراقية في بيان عن مقتل 49 مسلحا من تنظيم داعش.")
    assert q.speaker.text == "خلية الإعلام الحربي العراقية"
    assert q.content.text.startswith("مقتل 49 مسلحا")


def test_according_to_before_and_after_the_statement():
    q = only("قتل خمسة اطفال على الاقل اثر سقوط قذيفة صاروخية على احد احياء مدينة حلب، حسبما افاد "
             "الاحد المرصد السوري لحقوق الانسان.")
    assert q.speaker.text == "المرصد السوري لحقوق الانسان"
    assert q.content.text.startswith("قتل خمسة اطفال") and q.content.text.endswith("مدينة حلب")
    q = only("وبحسب المرصد، فإن الاشتباكات أسفرت عن مقتل 12 عنصرا.")
    assert q.speaker.text == "المرصد" and q.content.text == "الاشتباكات أسفرت عن مقتل 12 عنصرا"
    q = only("وفقا للأمم المتحدة، نزح أكثر من ألف شخص خلال الأسبوع الماضي.")
    assert q.speaker.text == "للأمم المتحدة"


def test_according_to_an_explicit_statement_adds_no_second_quote():
    qs = run("أفادت المعارضة السورية بمقتل 50 عنصراً لقوات النظام في حي الراشدين، حسب بيان نشر على "
             "صفحة حركة نور الدين الزنكي الجمعة.")
    assert len(qs) == 1 and qs[0].speaker.text == "المعارضة السورية"


def test_no_quote_without_a_statement():
    assert run("ولم يذكر المرصد أي تفاصيل عن الهجوم.") == []
    assert run("في سيدني، اعلن الثلاثاء انشاء وحدة للتحقيق والتدخل.") == []
    assert run("وعلقت شركة الطيران رحلاتها إلى بغداد حتى إشعار آخر.") == []
    assert run("ويشتبه بان احدهم هو الذي نفذ العملية، بحسب ما ظهر في شريط الفيديو.") == []
    assert run('خطف تنظيم «داعش» نحو 230 مدنيًا في بلدة القريتين.') == []


def test_reporting_verb_in_a_relative_clause_is_no_cue():
    qs = run("وقال عسيري إن على الحوثيين أن ينفذوا قرار مجلس الأمن الدولي رقم 2216 الذي يدعو الحركة "
             "إلى الانسحاب من المدن الخاضعة لسيطرتها.")
    assert len(qs) == 1 and qs[0].content.text.endswith("لسيطرتها")


def test_speaker_links_to_the_overlapping_entity_preferring_the_person():
    text = "وقال مدير المرصد رامي عبد الرحمن ان الغارات استهدفت معسكر تدريب للتنظيم."
    a = Article(text=text, published="2014-08-26")
    a.sentences = sentences(text)
    i, j = text.index("المرصد"), text.index("رامي")
    a.entities = [Entity("e1", "ORG", "المرصد السوري لحقوق الانسان", [Mention("المرصد", i, i + 6)]),
                  Entity("e2", "PER", "رامي عبد الرحمن", [Mention("رامي عبد الرحمن", j, j + 15)])]
    q = quotes_stage.run(a).quotes[0]
    assert q.speaker.entity == "e2"


def test_quote_date_from_the_cue_or_published():
    text = "وقال المتحدث الاثنين إن الهجوم فشل."
    a = Article(text=text, published="2015-08-11")
    a.sentences = sentences(text)
    i = text.index("الاثنين")
    a.dates = [DateSpan(i, i + 7, "2015-08-10", "day")]
    assert quotes_stage.run(a).quotes[0].date == "2015-08-10"
    assert run("وقال المتحدث إن الهجوم فشل.", published="2015-08-11")[0].date == "2015-08-11"


def _with_people(text: str, *names: str) -> Article:
    a = Article(text=text, published="2015-08-01")
    a.sentences = sentences(text)
    for k, name in enumerate(names):
        i = text.index(name)
        a.entities.append(Entity(f"e{k + 1}", "PER", name, [Mention(name, i, i + len(name))]))
    return a


def test_the_name_ends_the_speaker_when_the_object_follows_unmarked():
    text = ("أكد وزير الداخلية اليمني عبده الحذيفي سيطرة الأجهزة الأمنية التابعة للحكومة الشرعية "
            "على مدينة عدن، لافتا إلى أن هذه الأجهزة تقوم بدورها.")
    qs = quotes_stage.run(_with_people(text, "عبده الحذيفي")).quotes
    assert qs[0].speaker.text == "وزير الداخلية اليمني عبده الحذيفي" and qs[0].speaker.entity == "e1"
    assert qs[0].content.text.startswith("سيطرة الأجهزة الأمنية")
    assert qs[1].speaker.text == "وزير الداخلية اليمني عبده الحذيفي"


def test_participle_after_a_sentence_opened_by_verb_and_speaker():
    text = ("وألقى الشيخ أحمد عبدالرب النقيب شيخ مشايخ يافع كلمة أشاد فيها بدور المملكة، مشيرا الى "
            "تقدم المقاومة في الكثير من المحافظات.")
    q = quotes_stage.run(_with_people(text, "أحمد عبدالرب النقيب")).quotes[0]
    assert q.speaker.text == "الشيخ أحمد عبدالرب النقيب" and q.speaker.entity == "e1"
    assert q.content.text == "تقدم المقاومة في الكثير من المحافظات"


def test_stray_quotation_marks_stay_linear():
    """Unclosed marks must not make the stage quadratic (a batch never stalls on one article)."""
    import time
    text = ("وقال المتحدث إن " + "«كلام " * 3 + "\n") * 2000
    t0 = time.perf_counter()
    qs = run(text)
    assert len(qs) == 2000
    assert time.perf_counter() - t0 < 5


def test_source_in_the_middle_of_its_statement():
    q = only("واستهدفت الغارات، بحسب مصادر محلية، مواقع للتنظيم في ريف الرقة.")
    assert q.speaker.text == "مصادر محلية"
    assert q.content.text.endswith("مواقع للتنظيم في ريف الرقة")


def test_resumptive_pronoun_and_addressee_with_article():
    assert only("وأصدرت الوزارة بيانا قالت فيه الخارجية إن الوضع مستقر تماما.").speaker.text == "الخارجية"
    assert only("وصرح بحاح للصحافيين عند وصوله بأن عودته جزء من تحرير عدن.").speaker.text == "بحاح"


def test_verbal_nouns_and_impersonal_forms_are_no_cues():
    q = only("وقال المسؤول طالبا عدم ذكر اسمه : «إن السماح باستخدام القواعد التركية سيعزز الفعالية».")
    assert q.speaker.text == "المسؤول"
    assert run("يذكر أن جيش الإسلام هو عبارة عن اندماج أكثر من 50 لواء.") == []


def test_every_span_points_at_its_text(dev_files):
    for path in dev_files:
        text = path.read_text(encoding="utf-8")
        for q in run(text):
            assert text[q.content.start:q.content.end] == q.content.text
            assert text[q.speaker.start:q.speaker.end] == q.speaker.text
            assert text[q.cue_span.start:q.cue_span.end] == q.cue


def test_entity_links_skip_places_that_qualify_a_source_and_find_short_names():
    text = ("وقال المرصد السوري لحقوق الانسان ان الاشتباكات مستمرة.\nوأفادت قيادة عمليات بغداد "
            "بمقتل 17 مسلحا.\nوأضاف المرصد أن الطائرات قصفت البلدة.\nوقالت دمشق إن الغارات عدوان.")
    a = Article(text=text, published="2015-08-01")
    a.sentences = sentences(text)
    i, j, k = text.index("المرصد"), text.index("بغداد"), text.index("دمشق")
    a.entities = [Entity("e1", "ORG", "المرصد السوري لحقوق الانسان", [Mention("المرصد السوري لحقوق الانسان", i, i + 27)]),
                  Entity("e2", "GPE", "بغداد", [Mention("بغداد", j, j + 5)]),
                  Entity("e3", "GPE", "دمشق", [Mention("دمشق", k, k + 4)])]
    qs = quotes_stage.run(a).quotes
    assert [q.speaker.entity for q in qs] == ["e1", None, "e1", "e3"]


def test_plural_verb_after_its_short_subject_and_no_speaker_borrowed_across_clauses():
    q = only("واستعادت قوات الجيش بعض الأراضي في بنغازي لكن منتقدين يقولون إن استخدامها للطائرات "
             "الحربية ألحق أضرارا شديدة بالمدينة.")
    assert q.speaker.text == "منتقدين"
    # a participle after a clause of its own does not go on with an earlier speaker
    qs = run("وقال المحلل فؤاد دبور إن المالكي فقد صوابه.\nمن جانبه وصل رجل إلى المدينة، معتبرًا "
             "أن الهجوم على السعودية حلقة من حلقات التآمر.")
    assert [q.speaker.text for q in qs] == ["المحلل فؤاد دبور"]


def test_stance_verb_subject_speaks_the_participle_and_sources_that_open_a_sentence():
    q = only("وعلى وقع الهزائم رحب الحوثي بالحلول السياسية، قائلا إنها «متاحة وممكنة ونحن نرحب بكل جهد».")
    assert q.speaker.text == "الحوثي" and q.direct
    q = only("وطبقا للبيان استهدفت الضربات التي جرت في العراق وحدات تكتيكية قرب ست مدن.")
    assert q.speaker.text == "للبيان" and q.content.text.startswith("استهدفت الضربات")
    q = only("وكانت نادية السقاف رئيسة لجنة الإغاثة قالت عبر حسابها على تويتر إن الرحلات توقفت.")
    assert q.speaker.text == "نادية السقاف رئيسة لجنة الإغاثة"
    q = only("من جانبه، أقر عبد الملك الحوثي، زعيم الحوثيين، بالهزيمة في مدينة عدن.")
    assert q.content.text == "الهزيمة في مدينة عدن"


def test_sources_set_off_by_commas_and_sources_of_the_sentence_before():
    q = only("وقالت مصادر، بحسب سكاي نيوز، إن الاشتباكات تجددت في المدينة.")
    assert q.speaker.text == "مصادر" and q.content.text == "الاشتباكات تجددت في المدينة"
    q = only("وتجددت الاشتباكات في حي الشيخ مقصود في حلب. وذلك بحسب البي بي سي.")
    assert q.speaker.text == "البي بي سي" and q.content.text.startswith("وتجددت الاشتباكات")
    assert run("ترى ما هي المسارات التي يمكن أن تأخذها الأزمة السورية؟") == []


def test_quotation_paragraphs_without_a_cue_go_on_with_the_speaker():
    text = ('وقال نائب سفير تركيا في الأمم المتحدة في الرسالة "من الواضح أن النظام في سورية غير '
            'قادر على وقف هذه التهديدات".\n\n"سورية أصبحت ملاذا آمنا. هذه المنطقة يستخدمها التنظيم في '
            'التدريب والتخطيط للهجمات عبر الحدود".')
    qs = run(text)
    assert len(qs) == 2 and qs[1].speaker.text == "نائب سفير تركيا في الأمم المتحدة"
    assert qs[1].content.text.startswith("سورية أصبحت ملاذا آمنا")
    # not after a reported statement
    assert len(run('وذكرت الوكالة أن الجيش تقدم.\n\n"وهذه جملة مقتبسة طويلة لا يسبقها اقتباس مباشر من أحد".')) == 1


def test_the_speakers_own_name_is_the_last_person_in_the_phrase():
    text = ("وقال المتحدث الرسمي باسم مركز الملك سلمان للإغاثة والأعمال الإنسانية رأفت الصباغ إن "
            "وصول الطائرة الثانية يأتي ضمن برنامج خصصه المركز.")
    q = quotes_stage.run(_with_people(text, "الملك سلمان", "رأفت الصباغ")).quotes[0]
    assert q.speaker.text.endswith("رأفت الصباغ") and q.speaker.entity == "e2"
    text = "أكد الرئيس الأمريكي باراك أوباما لدول مجلس التعاون الخليجي الست أن لدى الولايات المتحدة التزاما."
    q = quotes_stage.run(_with_people(text, "باراك أوباما")).quotes[0]
    assert q.speaker.text == "الرئيس الأمريكي باراك أوباما"


def test_closed_class_words_live_in_a_data_file():
    """The function words of the extractor load from data/quotes/words.tsv, normalised
    (إلى → الي) except the trailing conjunctions, which are compared with the original text."""
    from importlib import import_module

    from marsad.resources import data_lists

    extract = import_module("marsad.quotes.extract")    # the package exports a function of that name

    lists = data_lists("quotes/words.tsv")
    assert lists and all(lists.values())
    assert "الي" in extract.PREPOSITIONS and "الذي" in extract.RELATIVE
    assert {"اذ", "إذ"} <= extract._TRAILING
    assert extract.PRONOUN_SOURCE.match("تعبيره")          # بحسب تعبيره: the speaker goes on
    assert "مقتل" in extract._MASDARS                       # أفادت مصادر بمقتل …


def test_a_toll_noun_after_the_speaker_opens_a_bare_statement():
    # no أن and no بـ: "أفاد مصدر أمني عراقي إصابة ثلاثة أشخاص" — the speaker ends before إصابة
    q = only("وأفاد مصدر أمني عراقي إصابة ثلاثة أشخاص بانفجار عبوة لاصقة بشاحنة متوقفة في حي أبودشير جنوبي بغداد.")
    assert q.speaker.text == "مصدر أمني عراقي"
    assert q.content.text.startswith("إصابة ثلاثة أشخاص بانفجار")
    q = only("وأعلنت وزارة الداخلية مقتل خمسة مسلحين في اشتباك مع قوات الأمن في سيناء.")
    assert q.speaker.text == "وزارة الداخلية"
    assert q.content.text.startswith("مقتل خمسة مسلحين")


def test_an_accusative_speaker_word_before_its_verb_is_the_speaker():
    # "ولكن متحدثاً باسم وحدات حماية الشعب قال إن …": the tanween alif of the accusative
    # after لكن; the statement was given to the previous sentence's speaker
    qs = run("وقال المرصد السوري لحقوق الإنسان إن سبب الانفجار سيارة ملغومة. ولكن متحدثاً باسم "
             "وحدات حماية الشعب قال إن انفجارات وقعت في كوباني نتيجة انفجار عتاد.")
    assert [q.speaker.text for q in qs] == ["المرصد السوري لحقوق الإنسان", "متحدثاً باسم وحدات حماية الشعب"]
