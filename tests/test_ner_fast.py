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


def _columns(rng, T, n_attrs, K):
    """K random columns over T tokens: dense ones (every token, some holding the zero
    row) and sparse ones (a few tokens), with or without values."""
    zero = n_attrs
    cols = []
    for k in range(K):
        vals = rng.random(T) if k % 3 == 2 else None
        if k % 2:
            at = np.flatnonzero(rng.random(T) < 0.2)
            cols.append((at, rng.integers(0, n_attrs, len(at)), None if vals is None else vals[at]))
        else:
            ids = rng.integers(0, n_attrs + 1, T)
            ids[rng.random(T) < 0.3] = zero
            cols.append((None, ids, vals))
    return cols


def test_columns_add_in_attribute_order():
    # floating-point addition is not associative: the sum must be crfsuite's, left to right
    rng = np.random.default_rng(0)
    weights = np.vstack([rng.standard_normal((50, 4)) * 10.0 ** rng.integers(-8, 8, (50, 1)), np.zeros((1, 4))])
    T = 300
    start = rng.standard_normal((T, 4)) * 10.0 ** rng.integers(-8, 8, (T, 1))
    cols = _columns(rng, T, 50, 40)
    got = crftable.add_columns(start, weights, cols)
    for t in range(T):
        want = start[t].copy()
        for rows, ids, vals in cols:
            if rows is None:
                want = want + weights[ids[t]] * (1.0 if vals is None else vals[t])
            elif t in rows:
                j = int(np.flatnonzero(rows == t)[0])
                want = want + weights[ids[j]] * (1.0 if vals is None else vals[j])
        assert np.array_equal(got[t], want)


def test_viterbi_equals_a_plain_one():
    # crfsuite's Viterbi, one sentence at a time: first best previous label, first best last
    rng = np.random.default_rng(2)
    labels = ["O", "B-X", "I-X", "B-Y", "I-Y"]
    table = crftable.Table(labels, {}, np.zeros((0, 5)), rng.integers(-3, 3, (5, 5)).astype(float))
    lens = rng.integers(1, 25, 60).tolist()
    scores = rng.integers(-4, 4, (sum(lens), 5)).astype(float)   # integers: many ties
    got = crftable.viterbi(table, scores, lens)
    at = 0
    for n in lens:
        s = scores[at:at + n]
        alpha, back = s[0].copy(), []
        for t in range(1, n):
            cand = alpha[:, None] + table.trans
            b = [max(range(5), key=lambda i: (cand[i, j], -i)) for j in range(5)]
            back.append(b)
            alpha = np.array([cand[b[j], j] for j in range(5)]) + s[t]
        y = [max(range(5), key=lambda j: (alpha[j], -j))]
        for b in reversed(back):
            y.append(b[y[-1]])
        assert got[at:at + n].tolist() == y[::-1]
        at += n


def test_one_long_sentence_among_short_ones():
    # the decoder keeps scores in token order: no padding of every sentence to the longest
    words = [w for s in _doc(SEED) for w in s if w not in (".", "،", "\"")]
    doc = [words * 20] + [s for s in _doc(SEED)] * 10
    assert len(doc[0]) > 1000
    assert model.tag_document(doc) == model.tag_document_crfsuite(doc)


def test_gazetteer_starts_prefilter_keeps_every_start():
    # gazetteer_starts answers () when no suffix of the word, MAX_CUT letters off at most,
    # starts a phrase: every clitic reading's key must be such a suffix
    from marsad.arabic import normalize
    from marsad.ner import features
    from marsad.ner.resources import load
    res = load()
    words = {w for t in _texts() for s in _doc(t) for w in s}
    firsts = list(res.gaz_starts)[:3000]
    words |= {c + w for w in firsts for c in ("", "و", "ب", "ل", "وال", "بال", "ل", "فبال", "لل", "ولل")}
    for w in sorted(words):
        n = normalize(w)
        for f in features._first_keys(n):
            assert any(n[i:] == f for i in range(features.MAX_CUT + 1)), (w, f)
        full = tuple((f, res.gaz_starts[f]) for f in features._first_keys(n) if f in res.gaz_starts)
        assert features.gazetteer_starts(n, res) == full


def _gazetteer_tags_every_token(norms, res):
    # the loop before session 6: every token tried, every length of its start keys
    from marsad.ner.features import gazetteer_starts
    from marsad.ner.resources import word_key
    n = len(norms)
    out = [[] for _ in range(n)]
    keys = [word_key(w) for w in norms]
    starts = [gazetteer_starts(w, res) for w in norms]
    i = 0
    while i < n:
        best = None
        for first, lengths in starts[i]:
            for length in lengths:
                if length <= n - i and (best is None or length > best[0]):
                    cls = res.gazetteer.get((first,) + tuple(keys[i + 1:i + length]))
                    if cls:
                        best = (length, cls)
                        break
        if best:
            length, cls = best
            for c in cls:
                out[i].append("B-" + c)
                for j in range(i + 1, i + length):
                    out[j].append("I-" + c)
            i += length
        else:
            i += 1
    return out


def test_gazetteer_tags_equal_the_token_by_token_loop():
    # phrases tried only at tokens with start keys, longer ones only after a known pair
    from marsad.arabic import normalize
    from marsad.ner.features import _gazetteer_tags
    from marsad.ner.resources import load
    res = load()
    sents = [[normalize(w) for w in s] for t in _texts() for s in _doc(t)]
    # names of several words in a row, and cut short at a sentence end
    phrases = [list(k) for k in list(res.gazetteer)[:4000] if len(k) >= 2]
    sents += [sum(phrases[i:i + 5], []) for i in range(0, len(phrases), 5)] + [p[:-1] for p in phrases[:500]]
    for s in sents:
        assert _gazetteer_tags(s, res) == _gazetteer_tags_every_token(s, res)


def test_word_rows_equal_ids_looked_up_from_word_parts():
    # ``Words._add`` looks a new word's ids up by value (``Encoder.by_value``); the rows
    # must hold the ids of ``features.word_parts``'s attributes, in its order.
    from marsad.ner import fast
    from marsad.ner.features import _CONTEXT, word_parts
    from marsad.ner.resources import load
    res = load()
    enc = fast.encoder(res, (model.STAGE1, model.STAGE2))
    words = fast.Words(enc)
    flat = list(dict.fromkeys(w for t in _texts() for s in _doc(t) for w in s)) + ["=", "w=", "", "بالعراق"]
    rows = words.rows(flat)
    split, zero = enc.split, enc.zero
    for w, r in zip(flat, rows):
        inf = word_parts(w, res)
        own = [split.get(p, {}).get(v, zero) for p, v in zip(*inf["own"])]
        s = np.zeros(enc.joint.shape[1])
        for i in own:
            s += enc.joint[i]
        assert np.array_equal(words.own[r], s), w
        ctx = []
        for p in _CONTEXT:
            got = [split.get(a, {}).get(v, zero) for a, v in zip(*inf["ctx"][p])]
            ctx += got + [zero] * (fast.CTX_WIDTH[p] - len(got))
        assert words.ctx[r].tolist() == ctx, w
