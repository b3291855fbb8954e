"""Named entities: the shipped recogniser on real news sentences (../shared/eval/dev/seed-000)."""
import io

import pytest

from marsad.core import Article
from marsad.ner import canon, recognize
from marsad.ner.conll import tag_file, tag_lines
from marsad.ner.evaluate import chunks, score
from marsad.ner.resources import load, phrase_key
from marsad.stages import entities as stage

SEED = (
    "نفذ الطيران الحربي السوري غارات مكثفة الثلاثاء على مواقع لتنظيم \"الدولة الاسلامية\" في شرق سوريا، "
    "في وقت اعلنت واشنطن رفضها لاي تنسيق عسكري مع نظام الرئيس السوري بشار الاسد في اطار مواجهة "
    "تنظيم الدولة الاسلامية.\n\n"
    "وقال المتحدث باسم البيت الابيض جوش ايرنست الثلاثاء \"ليس هناك اي مشروع لاقامة تنسيق مع نظام "
    "الاسد في الوقت الذي نواجه فيه هذا التهديد الارهابي\".\n\n"
    "وفي الاطار نفسه قال مصدر سوري مطلع على الملف رافضا الكشف عن هويته ان \"تنسيقا بدأ بين الولايات "
    "المتحدة ودمشق، وقد زودت الاولى الثانية بمعلومات عن الدولة الاسلامية عن طريق بغداد وموسكو\".\n\n"
    "ويقاتل مئات الاجانب الغربيين في صفوف تنظيم داعش."
)


@pytest.fixture(scope="module")
def ents():
    return recognize(SEED)


def by_name(ents, name):
    return next((e for e in ents if e.name == name), None)


def test_offsets_are_the_mention_text(ents):
    assert ents
    for e in ents:
        assert e.type in ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "MISC")
        for m in e.mentions:
            assert SEED[m.start:m.end] == m.text


def test_ids_in_order(ents):
    assert [e.id for e in ents] == [f"e{i}" for i in range(1, len(ents) + 1)]
    firsts = [e.mentions[0].start for e in ents]
    assert firsts == sorted(firsts)


def test_person_grouped_under_full_name(ents):
    assad = by_name(ents, "بشار الاسد")
    assert assad is not None and assad.type == "PER"
    assert {m.text for m in assad.mentions} == {"بشار الاسد", "الاسد"}


def test_clitic_outside_mention(ents):
    # ودمشق: the conjunction و stays outside the mention of دمشق
    damascus = by_name(ents, "دمشق")
    assert damascus is not None and damascus.type == "GPE"
    m = damascus.mentions[0]
    assert m.text == "دمشق" and SEED[m.start - 1] == "و"


def test_alias_joins_full_name(ents):
    isis = [e for e in ents if any(m.text == "داعش" for m in e.mentions)]
    assert len(isis) == 1
    texts = {m.text for m in isis[0].mentions}
    assert "تنظيم الدولة الاسلامية" in texts and "الدولة الاسلامية" in texts
    assert isis[0].type == "ORG"


def test_places_and_people(ents):
    names = {e.name for e in ents}
    for n in ("واشنطن", "بغداد", "موسكو", "سوريا"):
        assert n in names
    assert by_name(ents, "البيت الابيض").type == "ORG"


def test_proclitic_cut():
    res = load()
    assert canon.proclitic_cut("وبغداد", res) == 1
    assert canon.proclitic_cut("والعراق", res) == 1
    assert canon.proclitic_cut("وليد", res) == 0
    assert canon.proclitic_cut("بغداد", res) == 0
    assert canon.proclitic_cut("للمرصد", res) == 0   # ل + ال: the article's alef is not written


def test_group_short_forms():
    res = load()

    def f(text, typ, start):
        return canon.Found(start, start + len(text), typ, text, phrase_key(text))

    found = [f("المرصد السوري لحقوق الانسان", "ORG", 0), f("المرصد", "ORG", 100),
             f("رامي عبد الرحمن", "PER", 40), f("عبد الرحمن", "PER", 140), f("الرحمن", "ORG", 200)]
    out = canon.group(found, res)
    obs = next(e for e in out if e.name == "المرصد السوري لحقوق الانسان")
    assert len(obs.mentions) == 2
    rami = next(e for e in out if e.name == "رامي عبد الرحمن")
    assert [m.start for m in rami.mentions] == [40, 140]


def test_stage_contract():
    assert stage.NAME == "entities" and stage.REQUIRES == ("text", "sentences") and stage.ASSIGNS == ("entities",)
    from marsad.arabic import sentences
    a = Article(text=SEED)
    a.sentences = sentences(SEED)
    a = stage.run(a)
    assert by_name(a.entities, "بشار الاسد") is not None


def test_conll_tagging(tmp_path):
    src = tmp_path / "in.conll"
    src.write_text("وقال O\nالرئيس O\nالسوري O\nبشار B-PERS\nالاسد I-PERS\nفي O\nدمشق B-LOC\n. O\n\n"
                   "واشنطن B-LOC\nترفض O\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    tag_file(str(src), str(out), tagset="anercorp")
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[3] == "بشار B-PERS B-PERS" and lines[4] == "الاسد I-PERS I-PERS"
    assert lines[6] == "دمشق B-LOC B-LOC" and lines[8] == ""
    assert lines[9].startswith("واشنطن B-LOC ")
    buf = io.StringIO()
    tag_lines(["دمشق\n", "\n"], buf, tagset="marsad")
    assert buf.getvalue() == "دمشق B-GPE\n\n"


def test_conlleval_rules():
    assert chunks(["B-PERS", "I-PERS", "O", "I-LOC", "B-LOC"]) == {(0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "LOC")}
    s = score([["B-PERS", "I-PERS", "O"]], [["B-PERS", "O", "O"]])
    assert s["overall"]["f1"] == 0.0 and s["PERS"]["gold"] == 1


def test_accurate_model_refused_cleanly_without_its_extra(monkeypatch, tmp_path):
    """Without torch (the [e5] extra), --ner accurate stops before reading any input, with
    the install line; the default model is untouched."""
    import sys

    from click.testing import CliRunner

    from marsad.cli import main
    monkeypatch.setenv("MARSAD_NER", "crf")
    monkeypatch.setitem(sys.modules, "torch", None)       # import torch -> ImportError
    src = tmp_path / "a.txt"
    src.write_text(SEED, encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(src), "--ner", "accurate"])
    assert res.exit_code == 2
    assert "pip install 'marsad[e5]'" in res.output
    assert __import__("os").environ["MARSAD_NER"] == "crf"
