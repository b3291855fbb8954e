from marsad.arabic import (clitic_variants, find_phrase, norm_view, normalize, paragraphs, sentences,
                           strip_clitics, tokens)


def test_normalize_folds_hamza_alef_maqsura_ta_marbuta_diacritics_tatweel():
    assert normalize("أَعْلَنَتْ إدارة الـمستشفى") == "اعلنت اداره المستشفي"
    assert normalize("٢٠١٤") == "2014"


def test_norm_view_maps_back_to_original_offsets():
    text = "قُتِلَ سبعةُ مدنيين في دير الزّور"
    view = norm_view(text)
    i = view.text.index("دير الزور")
    span = view.span(i, i + len("دير الزور"))
    assert text[span.start:span.end] == "دير الزّور"


def test_find_phrase_leaves_clitics_outside_the_span():
    text = "وصل الوفد الى بغداد ثم غادر وبغداد تستعد، وللعاصمة بغداد حصة"
    spans = find_phrase(norm_view(text), "بغداد")
    assert [text[s.start:s.end] for s in spans] == ["بغداد", "بغداد", "بغداد"]
    assert text[spans[1].start - 1] == "و"


def test_clitic_variants_and_strip():
    stems = {s for _, s in clitic_variants("وبالمدينه")}
    assert {"بالمدينه", "المدينه", "مدينه"} <= stems
    assert strip_clitics("وللعاصمه") == "عاصمه"
    assert strip_clitics("وبالمدينه") == "مدينه"


def test_sentences_split_on_arabic_punctuation_not_on_decimals_or_inside_quotes():
    text = 'قتل 2.5 مليون؟ نعم. وقال "هذا. ذاك" ثم مضى.\nسطر جديد'
    got = [text[s.start:s.end] for s in sentences(text)]
    assert got == ["قتل 2.5 مليون؟", "نعم.", 'وقال "هذا. ذاك" ثم مضى.', "سطر جديد"]


def test_tokens_keep_numbers_with_separators_and_arabic_indic_digits():
    text = "خصص 64.5 مليون و١٢٬٥ الف"
    assert [text[s.start:s.end] for s in tokens(text)] == ["خصص", "64.5", "مليون", "و", "١٢٬٥", "الف"]


def test_paragraphs():
    text = "عنوان\n\nفقرة اولى.\n\n\nفقرة ثانية."
    assert [text[p.start:p.end] for p in paragraphs(text)] == ["عنوان", "فقرة اولى.", "فقرة ثانية."]


# --- the lexicon-pattern builder (issue 12: one clitic-pattern builder) ----------------------

def test_clitic_prefix_names_the_clitics():
    from marsad.arabic import clitic_prefix
    assert clitic_prefix("وفب", article=True) == "[وفب]?(?:ال)?"
    assert clitic_prefix("و") == "و?"
    assert clitic_prefix("", article=True) == "(?:ال)?"
    assert clitic_prefix() == "[وفبلك]?"
    import pytest
    with pytest.raises(ValueError):
        clitic_prefix("وا")


def test_clitic_groups_name_conjunction_preposition_and_article():
    import re

    from marsad.arabic import clitic_groups, norm_view
    rx = re.compile(r"(?<!\w)" + clitic_groups() + "(?:سيطره|غارات)")
    view = norm_view("تقدموا لسيطرة على المدينة، وبالغارات، غارات")
    got = [(m.group("conj"), m.group("prep"), m.group("art")) for m in rx.finditer(view.text)]
    # لسيطرة: a purpose lam; وبالغارات: all three
    assert got == [("", "ل", None), ("و", "ب", "ال"), ("", "", None)]


def test_clitic_run_takes_any_clitics_at_a_window_end():
    import re

    import pytest

    from marsad.arabic import clitic_run
    assert clitic_run() == "[وفبلك]*"
    assert re.fullmatch(r"شن\s+" + clitic_run(), "شن وب")
    with pytest.raises(ValueError):
        clitic_run("وا")


def test_word_regex_matches_whole_words_with_their_clitics():
    import re

    from marsad.arabic import norm_view, word_regex
    rx = re.compile(word_regex(["قتل", "مقتل"], "وفب", article=True))
    view = norm_view("أعلن عن مقتل خمسة والمقتل، لا المقتلة ولا قتلى ولا وبقتل")
    assert [m.group() for m in rx.finditer(view.text)] == ["مقتل", "والمقتل"]   # one proclitic: not وبقتل


def test_norm_view_drops_runs_of_marks_and_keeps_every_offset():
    # a vowelled name with shadda and tatweel: runs of dropped marks between letters
    text = "قالَ مُحَمّـــدٌ إنّ"
    view = norm_view(text)
    assert view.text == normalize(text) == "قال محمد ان"
    assert len(view.offsets) == len(view.text)
    assert all(text[o] in "اأإآ" or normalize(text[o]) == c for o, c in zip(view.offsets, view.text))
    assert norm_view("بغداد").offsets == [0, 1, 2, 3, 4]


def test_view_of_is_one_view_per_text():
    # the stages of one article share its view (built once); it is the view norm_view builds
    from marsad.arabic import norm_view, view_of
    text = "قُتل ثلاثة مدنيين في قصفٍ على حلب"
    v = view_of(text)
    assert view_of(text) is v
    assert (v.text, v.offsets) == (norm_view(text).text, norm_view(text).offsets)


def test_norm_view_folds_exactly_as_normalize():
    # the view folds by chained replacements, normalize by str.translate: one result
    text = "أعلنت إمارة الشارقة يوم الأحد ١٥ مؤسسة، ومئة کتاب آمنة في ٢٠١٤ ۱۳۹۵ منطقة إدلب ٱلشمالية Istanbul"
    assert norm_view(text).text == normalize(text)
