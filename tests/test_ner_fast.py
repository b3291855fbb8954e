"""The numpy CRF decoder (ner/crftable.py, ner/fast.py) gives pycrfsuite's tags, bit for bit.

Real text: the dev articles of ../shared/eval/dev (read when present) and a seed
article written for the tests; both passes, document memory and a CoNLL-style stream.
"""
from pathlib import Path

import numpy as np
import pytest

from marsad.arabic import sentences, tokens
from marsad.ner import crftable, model
from marsad.ner.resources import DATA

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"

SEED = (
    "نفذ الطيران الحربي السوري غارات مكثفة الثلاثاء على مواقع لتنظيم \"الدولة الاسلامية\" في شرق سوريا، "
    "في وقت اعلنت واشنطن رفضها لاي تنسيق عسكري مع نظام الرئيس السوري بشار الاسد.\n\n"
    "وقال المتحدث باسم البيت الابيض جوش ايرنست الثلاثاء \"ليس هناك اي مشروع لاقامة تنسيق مع نظام "
    "الاسد\".\n\nوزار وزير الخارجية الأمريكي جون كيري الرياض، والتقى العاهل السعودي الملك سلمان بن "
    "عبدالعزيز في قصر اليمامة.\n\nالأسد"
)


def _doc(text: str) -> list[list[str]]:
    return [[text[t.start:t.end] for t in tokens(text, s.start, s.end)] for s in sentences(text)]


def _texts() -> list[str]:
    out = [SEED]
    if DEV.is_dir():
        out += [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    return out


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:12])
def test_document_tags_equal_pycrfsuite(text):
    doc = _doc(text)
    assert model.tag_document(doc) == model.tag_document_crfsuite(doc)


def test_stream_window_equal_pycrfsuite():
    # CoNLL files have no article boundaries: memory from the sentences around
    stream = [s for t in _texts() for s in _doc(t)] + [[]]
    assert model.tag_document(stream, window=model.STREAM_WINDOW) == \
        model.tag_document_crfsuite(stream, window=model.STREAM_WINDOW)


def test_pass_one_equal_pycrfsuite(monkeypatch):
    monkeypatch.setattr(model, "TWO_PASS", False)
    doc = _doc(SEED)
    assert model.tag_document(doc) == model.tag_document_crfsuite(doc)


def test_empty_sentences_and_documents():
    assert model.tag_document([]) == []
    assert model.tag_document([[], ["دمشق"], []]) == model.tag_document_crfsuite([[], ["دمشق"], []])


def test_table_reads_the_model():
    t = crftable.read_table(DATA / model.STAGE1)
    assert set(t.labels) >= {"O", "B-PERS", "I-PERS", "B-LOC", "B-ORG"}
    assert len(t.attrs) == len(t.weights) and t.trans.shape == (len(t.labels),) * 2
    # every weight the tagger reports is in the table (crfsuite's dump rounds to 6 places)
    info = model.tagger(model.STAGE1).info()
    lab = {y: i for i, y in enumerate(t.labels)}
    for (a, y), w in list(info.state_features.items())[:2000]:
        assert t.weights[t.attrs[a], lab[y]] == pytest.approx(w, abs=1e-6)
    for (a, b), w in info.transitions.items():
        assert t.trans[lab[a], lab[b]] == pytest.approx(w, abs=1e-6)


def test_state_scores_add_in_attribute_order():
    # floating-point addition is not associative: the sum must be crfsuite's, left to right
    rng = np.random.default_rng(0)
    weights = np.vstack([rng.standard_normal((50, 4)) * 10.0 ** rng.integers(-8, 8, (50, 1)), np.zeros((1, 4))])
    lens = rng.integers(1, 30, 40)
    ids = rng.integers(0, 50, int(lens.sum()))
    vals = rng.random(len(ids))
    got = crftable.state_scores(weights, ids, lens, vals)
    at = 0
    for t, n in enumerate(lens):
        want = np.zeros(4)
        for i, v in zip(ids[at:at + n], vals[at:at + n]):
            want = want + weights[i] * v
        at += n
        assert np.array_equal(got[t], want)


def test_one_long_sentence_among_short_ones():
    # the decoder keeps scores in token order: no padding of every sentence to the longest
    words = [w for s in _doc(SEED) for w in s if w not in (".", "،", "\"")]
    doc = [words * 20] + [s for s in _doc(SEED)] * 10
    assert len(doc[0]) > 1000
    assert model.tag_document(doc) == model.tag_document_crfsuite(doc)


def test_state_scores_in_slices_equal_whole(monkeypatch):
    rng = np.random.default_rng(1)
    weights = np.vstack([rng.standard_normal((30, 3)), np.zeros((1, 3))])
    lens = rng.integers(1, 12, 100)
    ids = rng.integers(0, 30, int(lens.sum()))
    vals = rng.random(len(ids))
    whole, plain = crftable.state_scores(weights, ids, lens, vals), crftable.state_scores(weights, ids, lens)
    monkeypatch.setattr(crftable, "CHUNK_TOKENS", 7)
    assert np.array_equal(crftable.state_scores(weights, ids, lens, vals), whole)
    assert np.array_equal(crftable.state_scores(weights, ids, lens), plain)
