"""NORP (nationalities, ethnic, religious and political groups) from the lexicon
data/ner/norp.tsv, on sentences of ../shared/eval/dev (seed-000, snn-07, snn-09)
and held-out-style newswire copy."""
from __future__ import annotations

import pytest

from marsad.arabic import sentences, tokens
from marsad.core import Article, Span
from marsad.ner import norp, recognize
from marsad.pipeline import Pipeline
from marsad.resources import data_path, data_rows


def hits(text, taken=()):
    """NORP mentions of a text from the lexicon alone (no tagger): (text, start, end, name_en)."""
    spans = [tokens(text, s.start, s.end) for s in sentences(text)]
    return [(h.text, h.start, h.end, h.group.name_en) for h in norp.mentions(text, spans, list(taken))]


def words(text):
    return [h[0] for h in hits(text)]


def norp_entities(text):
    return [e for e in recognize(text) if e.type == "NORP"]


# --- which tokens are NORP ---------------------------------------------------

def test_nisba_after_a_noun_is_norp_with_offsets():
    text = "نفذ الطيران الحربي السوري غارات مكثفة الثلاثاء على مواقع لتنظيم الدولة الاسلامية."
    [(w, s, e, en)] = hits(text)
    assert (w, en) == ("السوري", "Syrian")
    assert text[s:e] == "السوري"


def test_two_nationalities_and_the_conjunction_left_outside():
    text = "نقلت الى الحكومة السورية عبر الحكومتين الروسية والعراقية."
    found = hits(text)
    assert [h[0] for h in found] == ["السورية", "الروسية", "العراقية"]
    s, e = found[2][1], found[2][2]
    assert text[s - 1:e] == "والعراقية" and text[s:e] == "العراقية"


def test_westerners_but_not_foreigners():
    # الاجانب is a status, not a nationality or group; الغربيين (Westerners) is a group
    assert words("ويقاتل مئات الاجانب الغربيين في صفوف تنظيم داعش.") == ["الغربيين"]


def test_sound_plurals_broken_plurals_and_group_nouns():
    assert words("وقال مسؤولون ان السوريين والاكراد والدروز فروا من المدينة.") == ["السوريين", "الاكراد", "الدروز"]
    assert words("قام داعش بخطف 170 سنيًا، وأكثر من 60 مسيحيًا.") == ["سنيًا", "مسيحيًا"]
    assert words("اشتبكت قبائل الطوارق مع مسلحين من التبو جنوب ليبيا.") == ["الطوارق"]
    assert words("وتتعرض الأقلية التركمانية الشيعية لهجمات.") == ["التركمانية", "الشيعية"]


def test_both_spellings_of_american_are_one_group():
    found = hits("ولو ان مسؤولا اميركيا تحدث عن قرار أمريكي بارسال طائرات استطلاع.")
    assert [h[0] for h in found] == ["اميركيا", "أمريكي"]
    assert {h[3] for h in found} == {"American"}


def test_li_plus_article_stays_whole():
    # لل = ل + ال: as in canon, the token keeps its letters (the article's alef is not written)
    assert words("وقدمت الامم المتحدة مساعدات للسوريين في لبنان.") == ["للسوريين"]


# --- what is left out ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    "وقال في السنة الماضية ان المفاوضات فشلت.",            # السنة: the year
    "ونشرت الوثيقة باللغة العربية على موقع قناة العربية.",    # العربية: language, channel
    "وعانى السكان طوال سني الحرب من الجوع.",                # سني: "the years of"
    "وصل الوزير الى السعودية في زيارة رسمية.",              # the country
    "وصل الوفد الى سورية امس.",                          # the country, as SANA spells it
    "واعلنت وزارة الخارجية في الاراضي الفلسطينية ذلك.",      # end of a place name
    "وقالت الوكالة ان أبو قتادة المغربي قتل في الغارة.",       # a nom de guerre
    "وانتقد الحوثيين في بيان.",                           # the ORG alias جماعة الحوثيين
    "وقالت وزارة المالية ان الموازنة لم تقر.",               # مالي / المالية: financial
])
def test_ambiguous_words_are_not_norp(text):
    assert hits(text) == []


def test_saudi_as_adjective_after_a_definite_noun():
    assert words("وردت القوات المسلحة السعودية على مصادر النيران.") == ["السعودية"]


def test_tokens_inside_other_mentions_are_skipped():
    text = "وقال المرصد السوري لحقوق الانسان ان القصف استمر."
    start = text.index("المرصد")
    end = text.index(" ان")
    assert hits(text, [Span(start, end)]) == []
    assert words(text) == ["السوري"]           # without the ORG mention it would be NORP
    assert norp_entities(text) == []          # the recogniser's ORG (an alias) covers السوري


def test_data_file_kinds_and_provenance():
    head = data_path("ner/norp.tsv").read_text(encoding="utf-8")
    assert "written for marsad" in head and "Wojood" in head
    kinds = {r[1] for r in data_rows("ner/norp.tsv")}
    assert kinds <= {"nisba", "plural", "word", "adjective", "not", "kunya"}
    lex = norp.lexicon()
    assert "سوريا" not in lex.bare and "تركيا" not in lex.bare    # countries, not accusatives
    assert len({g.key for g in lex.forms.values()}) >= 80


# --- entities: grouping, names, ids -------------------------------------------

SEED = (
    "نفذ الطيران الحربي السوري غارات مكثفة الثلاثاء على مواقع لتنظيم \"الدولة الاسلامية\" في شرق سوريا، "
    "في وقت اعلنت واشنطن رفضها لاي تنسيق عسكري مع نظام الرئيس السوري بشار الاسد.\n\n"
    "وقال عبد الرحمن لوكالة فرانس برس ان طائرات حلقت فوق دير الزور ونقلت معلومات الى الحكومة "
    "السورية عبر الحكومتين الروسية والعراقية.\n\n"
    "وقال مسؤولون ان السوريين يدفعون الثمن."
)


def test_mentions_of_one_group_are_one_entity():
    ents = norp_entities(SEED)
    syrian = [e for e in ents if e.name_en == "Syrian"]
    assert len(syrian) == 1
    [e] = syrian
    assert [m.text for m in e.mentions] == ["السوري", "السوري", "السورية", "السوريين"]
    assert e.name == "السوري"                  # the most frequent spelling
    assert all(SEED[m.start:m.end] == m.text for e in ents for m in e.mentions)
    assert {e.name for e in ents} == {"السوري", "الروسية", "العراقية"}


def test_ids_stay_in_order_of_first_mention():
    ents = recognize(SEED)
    assert [e.id for e in ents] == [f"e{i}" for i in range(1, len(ents) + 1)]
    firsts = [min(m.start for m in e.mentions) for e in ents]
    assert firsts == sorted(firsts)
    assert any(e.type == "NORP" for e in ents) and any(e.type == "PER" for e in ents)


def test_name_after_li_plus_article_reads_with_the_article():
    [e] = norp_entities("وقدمت المنظمة مساعدات للسوريين في لبنان.")
    assert e.name == "السوريين" and e.mentions[0].text == "للسوريين"


# --- consumers ----------------------------------------------------------------

@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def test_event_actor_is_not_linked_to_the_nationality_that_qualifies_it(pipe):
    art = pipe(Article(text="نفذ الطيران الحربي السوري غارات مكثفة الثلاثاء على مواقع لتنظيم "
                            "\"الدولة الاسلامية\" في شرق سوريا.", published="2014-08-26"))
    norp_ids = {e.id for e in art.entities if e.type == "NORP"}
    assert norp_ids
    actors = [a for ev in art.events for a in ev.actors]
    assert actors and not any(a.entity in norp_ids for a in actors)
