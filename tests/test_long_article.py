"""A 100,000-word article goes through the pipeline with sane output.

Only that it completes and its record holds together: time per word is the
linearity benchmark's business (benchmarks/bench_linearity.py), not a test's.
The article is the packaged demo articles (real Arabic news text) repeated.

The whole pipeline is linear now (docs/performance.md), but 100,000 words still take
about 12 s of CPU, too long for every run: by default a 20,000-word article goes
through the stages up to quotes; ``MARSAD_LONG_TEST=1`` adds 100,000 words through
them and through every stage.
"""
import os
from importlib import resources

import pytest

from marsad.core import Article
from marsad.pipeline import DEFAULT_STAGES, Pipeline

LONG = bool(os.environ.get("MARSAD_LONG_TEST"))
UP_TO_QUOTES = DEFAULT_STAGES[:DEFAULT_STAGES.index("quotes") + 1]


def _long_text(words: int) -> str:
    demo = resources.files("marsad") / "demo"
    texts = [(demo / f"sample-0{i}.txt").read_text(encoding="utf-8").strip() for i in range(1, 6)]
    out, n = [], 0
    while n < words:
        t = texts[len(out) % len(texts)]
        out.append(t)
        n += len(t.split())
    return "\n\n".join(out)


_slow = pytest.mark.skipif(not LONG, reason="minutes on 100,000 words: MARSAD_LONG_TEST=1")


@pytest.mark.parametrize("words,stages", [
    (20_000, UP_TO_QUOTES),
    pytest.param(100_000, UP_TO_QUOTES, marks=_slow),
    pytest.param(100_000, DEFAULT_STAGES, marks=_slow),
], ids=["20k-up-to-quotes", "100k-up-to-quotes", "100k-all-stages"])
def test_long_article_completes_with_sane_record(words, stages):
    text = _long_text(words)
    art = Pipeline(stages)(Article(text=text, published="2015-08-01"))
    assert art.failures == []
    assert len(text.split()) >= words
    assert art.entities and art.places and art.quotes
    for e in art.entities:
        for m in e.mentions:
            assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
    ids = {e.id for e in art.entities}
    assert len(ids) == len(art.entities)
    assert all(p.entity in ids for p in art.places if p.entity)
    # the article repeats five articles: their entities repeat as mentions, not as entities
    assert len(art.entities) < 2000
    if "events" in stages:
        assert art.events and len(art.events) <= len(art.sentences)
