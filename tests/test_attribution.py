"""Attribution stage: the sources and status of events, from the statements that hold them.
Events are built by hand here (the events stage has its own tests), on real sentences."""
from marsad.arabic import sentences
from marsad.core import Article, Event, EventMention, Participant, Span
from marsad.stages import attribution
from marsad.stages import quotes as quotes_stage


def article(text: str, **kw) -> Article:
    a = Article(text=text, published="2015-08-01", **kw)
    a.sentences = sentences(text)
    return quotes_stage.run(a)


def event(a: Article, trigger: str, kind: str = "killing", actors=()) -> Event:
    i = a.text.index(trigger)
    sent = next(s for s in a.sentences if s.start <= i < s.end)
    return Event(kind=kind, evidence=[sent], trigger=Span(i, i + len(trigger)), actors=list(actors))


def attribute(a: Article, *events: Event) -> list[Event]:
    a.events = list(events)
    return attribution.run(a).events


def test_stage_contract():
    assert attribution.NAME == "attribution"
    assert {"events", "quotes"} <= set(attribution.REQUIRES)
    # the one writer of an event's status and sources (tests/test_pipeline.py has the whole table)
    assert set(attribution.ASSIGNS) == {"events.sources", "events.status", "events.status_evidence"}


def test_source_is_the_speaker_of_the_statement_holding_the_event():
    a = article("وقالت مصادر يمنية لوكالة الأنباء الألمانية إن القصف أدى إلى مقتل وإصابة عدد من الحوثيين.")
    ev = attribute(a, event(a, "القصف", "air_strike", [Participant("طيران التحالف", "foreign_state")]))[0]
    assert [s.text for s in ev.sources] == ["مصادر يمنية"]
    # the reporting source is kept apart from the actor
    assert [p.text for p in ev.actors] == ["طيران التحالف"]
    assert ev.status == "reported"
    assert ev.to_json()["sources"][0]["text"] == "مصادر يمنية"


def test_according_to_source_before_and_after():
    a = article("فيما قتل 25 مقاتلا من المعارضة على الأقل خلال محاولة هجوم فاشلة على قاعدة عسكرية في "
                "المدينة، حسبما أفاد المرصد السوري لحقوق الإنسان، السبت.")
    ev = attribute(a, event(a, "قتل", "armed_clash"))[0]
    assert [s.text for s in ev.sources] == ["المرصد السوري لحقوق الإنسان"]


def test_one_event_several_sources():
    text = ('وقال الخيالي هاتفيا من سبها "قتل حوالى 29 فردا من الطوارق وجرح أربعة في الاشتباكات".\n'
            'وقالت زهرة آدم المسؤولة المحلية بقرية الطيوري، ان ثمانية أفراد من القبيلة قتلوا وجرح 18 آخرون.')
    a = article(text)
    ev = event(a, "قتل حوالى", "armed_clash")
    ev.evidence.append(a.sentences[1])
    ev = attribute(a, ev)[0]
    assert [s.text for s in ev.sources] == ["الخيالي", "زهرة آدم المسؤولة المحلية بقرية الطيوري"]


def test_state_media_claim_for_the_army_is_claimed():
    a = article('وذكرت وكالة الانباء السورية الرسمية "سانا" ان "وحدات من الجيش والقوات المسلحة استهدفت '
                'مقرات واوكارا" لتنظيم "الدولة الاسلامية" و"قضت على أعداد كبيرة منهم".')
    ev = attribute(a, event(a, "استهدفت", "air_strike", [Participant("وحدات من الجيش", "state")]))[0]
    assert ev.status == "claimed"
    assert a.text[ev.status_evidence.start:ev.status_evidence.end] == "وذكرت"
    assert ev.sources[0].text.startswith("وكالة الانباء السورية الرسمية")


def test_monitor_report_is_not_a_claim():
    a = article("وقال المرصد ان قوات النظام قصفت الحي بالبراميل المتفجرة.")
    ev = attribute(a, event(a, "قصفت", "air_strike", [Participant("قوات النظام", "state")]))[0]
    assert ev.status == "reported" and ev.sources[0].text == "المرصد"


def test_denied_by_the_statement():
    a = article("ونفت وزارة الداخلية أن يكون أي مقر آخر لقوات الطوارئ قد تعرض لهجوم إرهابي.")
    ev = attribute(a, event(a, "لهجوم", "bombing"))[0]
    assert ev.status == "denied"
    assert a.text[ev.status_evidence.start:ev.status_evidence.end] == "ونفت"
    assert ev.sources[0].text == "وزارة الداخلية"


def test_planned_and_threatened():
    a = article("وقال مسؤول عسكري إن القوات تعتزم شن هجوم واسع على البلدة خلال أيام.")
    ev = attribute(a, event(a, "هجوم", "armed_clash"))[0]
    assert ev.status == "planned"
    assert a.text[ev.status_evidence.start:ev.status_evidence.end] == "تعتزم"
    a = article("وهدد تنظيم داعش بشن هجمات جديدة في أوروبا، بحسب تسجيل صوتي نشر على الإنترنت.")
    ev = attribute(a, event(a, "هجمات", "bombing"))[0]
    assert ev.status == "threatened"
    assert ev.sources[0].text == "تنظيم داعش"


def test_agency_when_the_text_names_no_source():
    a = article("وقتل الثلاثاء برصاص قنص داخل المدينة اربعة اشخاص.", agencies=["AFP"])
    assert [s.text for s in attribute(a, event(a, "برصاص قنص"))[0].sources] == ["AFP"]
    # no tag, but a speaker told the agency: the agency wrote the report
    a = article("وقال عبد الرحمن لوكالة فرانس برس ان الطائرات حلقت فوق المدينة.\nوتتواصل المعارك في "
                "المنطقة منذ ايام.\nوقتل الثلاثاء برصاص قنص داخل المدينة اربعة اشخاص.")
    assert [s.text for s in attribute(a, event(a, "برصاص قنص"))[0].sources] == ["AFP"]
    a = article("وقتل الثلاثاء برصاص قنص داخل المدينة اربعة اشخاص.", outlet="alriyadh")
    assert [s.text for s in attribute(a, event(a, "برصاص قنص"))[0].sources] == ["alriyadh"]


def told(a: Article, ev: Event) -> Event:
    """The event as the events stage leaves it: where its sentence told it."""
    ev.mentions = [EventMention(ev.evidence[0], [ev.trigger])]
    return ev


def test_status_is_attributions_alone_whatever_it_was_before():
    a = article("وقال المرصد ان اشتباكات عنيفة اندلعت في المدينة.")
    ev = event(a, "اشتباكات", "armed_clash")
    ev.status = "claimed"                  # no earlier stage's word counts
    ev = attribute(a, told(a, ev))[0]
    assert (ev.status, ev.status_evidence) == ("reported", None)


def test_claim_of_responsibility_in_the_sentence_is_claimed_with_its_words():
    a = article("وتبنى تنظيم داعش مسؤولية التفجير الذي استهدف مسجدا في مدينة القديح.")
    ev = attribute(a, told(a, event(a, "التفجير", "bombing")))[0]
    assert ev.status == "claimed"
    assert a.text[ev.status_evidence.start:ev.status_evidence.end] == "وتبنى"


def test_denial_before_the_trigger_is_denied_with_its_words():
    a = article("ونفت وزارة الدفاع قصف طائراتها لأي مواقع مدنية في المدينة.")
    ev = attribute(a, told(a, event(a, "قصف", "air_strike")))[0]
    assert ev.status == "denied"
    assert a.text[ev.status_evidence.start:ev.status_evidence.end] == "نفت"


def test_a_threatened_act_is_threatened():
    a = article("وهدد التنظيم بتفجير السفارة في العاصمة.")
    ev = attribute(a, told(a, event(a, "تفجير", "threaten")))[0]
    assert ev.status == "threatened"
    assert "هدد" in a.text[ev.status_evidence.start:ev.status_evidence.end]


def test_relay_is_a_second_source():
    a = article('ونقلت وكالة الأنباء الرسمية (سانا)، من جهتها، عن مصدر عسكري: "إن وحدة من الجيش أردت '
                'إرهابيين قتلى في محيط الكلية الجوية".')
    ev = attribute(a, event(a, "أردت", "killing", [Participant("وحدة من الجيش", "state")]))[0]
    assert [s.text for s in ev.sources] == ["مصدر عسكري", "وكالة الأنباء الرسمية (سانا)"]
    assert ev.status == "claimed"


def test_unattributed_sentence_goes_with_the_statement_before_it():
    text = ('وقال مدير المرصد رامي عبد الرحمن ان بين الاهداف "معسكر تدريب للتنظيم في قرية الشميطية".\n\n'
            'وتسببت الغارات بمقتل سبعة مدنيين.')
    a = article(text, agencies=["AFP"])
    ev = attribute(a, event(a, "الغارات", "air_strike"))[0]
    assert [s.text for s in ev.sources] == ["مدير المرصد رامي عبد الرحمن"]
    # not across a heading
    a = article('وقال المرصد ان الاشتباكات مستمرة في ريف حلب الشمالي منذ الصباح.\nمعارك الجنوب\n'
                'وسيطر جيش الفتح على سد كوكب.', agencies=["SANA"])
    assert [s.text for s in attribute(a, event(a, "وسيطر", "territory_taken"))[0].sources] == ["SANA"]


def test_refusing_to_deny_is_no_denial_and_a_clause_about_an_actor_is_no_claim():
    a = article("وقالت مصادر إن الوزارة رفضت نفي أو تأكيد الأنباء عن استيلاء الأكراد على طائرتين.")
    ev = attribute(a, event(a, "استيلاء", "territory_taken"))[0]
    assert ev.status == "reported"
    a = article("كشف أسرى يمنيون وقعوا بأيدي قوات المقاومة الشعبية أن المتمردين قاموا باختطافهم.")
    ev = attribute(a, event(a, "باختطافهم", "abduction", [Participant("المقاومة الشعبية", "unknown")]))[0]
    assert ev.status == "reported"


def test_planned_within_a_long_statement():
    a = article("وكان مسؤول اميركي كبير افاد وكالة فرانس برس الاثنين ان بلاده على وشك ارسال طائرات تجسس "
                "وطائرات من دون طيار فوق سوريا لرصد الجهاديين المتطرفين واعداد الارض لاحتمال شن ضربات جوية.")
    ev = attribute(a, event(a, "ضربات جوية", "air_strike"))[0]
    assert ev.status == "planned" and ev.sources[0].text == "مسؤول اميركي كبير"
