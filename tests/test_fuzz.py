"""Property-based fuzzing (the fast part of issue 19's campaign; scripts/fuzz_campaign.py is the long one).

Whatever the input: no crash, offsets inside the text, every record valid
against the shipped JSON Schema, every input accounted for, and a slow input
becomes a ``timeout`` failure instead of a stalled batch.
"""
import json
import time

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad import watchdog
from marsad.arabic import _DROP, find_phrase, norm_view
from marsad.batch import Item, iter_jsonl_items, process_items, run_item
from marsad.cli import main
from marsad.core import Article
from marsad.errors import InputError
from marsad.pipeline import process
from marsad.readers import jsonl_record
from marsad.resources import schema

VALIDATOR = jsonschema.Draft202012Validator(schema())

# Characters that have broken offset maps and writers: case mappings that change
# a string's length, combining marks and tatweel, bidi and zero-width controls,
# lone surrogates, and the Arabic letters, digits and punctuation the rules read.
AWKWARD = ["\u0130", "\u0131", "\u00df", "\ufb03", "\u0149", "\u01f0", "\u0390", "\u1e9e", "\u0301", "\u0651",
           "\u064b", "\u0670", "\u0640", "\u200f", "\u200e", "\u202b", "\u202e", "\u2066", "\u061c", "\u200b",
           "\u200c", "\u200d", "\ufeff", "\ud800", "\udfff", "\U0001f600", "\x00", "\r", "\u2028", "«", "»", '"',
           "(", ")", "،", ".", "؟", "\n", " ", "٫", "٣", "5"]
WORDS = ["قال", "قتل", "غارة", "قصف", "أصيب", "مدنيين", "المرصد", "السوري", "في", "حلب", "دير", "الزور", "يوم",
         "الاثنين", "أمس", "ثلاثة", "عشرات", "ألف", "2015", "12", "عنصرا", "الجيش", "تنظيم", "داعش", "إن", "و",
         "بحسب", "وكالة", "سانا", "(أ ف ب)", "İstanbul", "ـــ"]
everything = st.characters(codec=None, exclude_categories=())          # surrogates included
odd_text = st.lists(st.one_of(st.sampled_from(AWKWARD), everything), max_size=60).map("".join)
news_like = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(AWKWARD), everything),
                     min_size=1, max_size=80).map(" ".join)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(odd_text, st.integers(-5, 80), st.integers(-5, 80))
def test_offset_map_stays_valid_whatever_normalisation_does(text, a, b):
    view = norm_view(text)
    assert len(view.text) == len(view.offsets)
    assert all(0 <= o < len(text) for o in view.offsets)
    assert view.offsets == sorted(view.offsets)
    assert all(text[o] not in _DROP for o in view.offsets)
    span = view.span(a, b)
    assert 0 <= span.start <= span.end <= len(text)


@FAST
@given(st.lists(st.sampled_from(WORDS + AWKWARD), max_size=40).map(" ".join), st.sampled_from(["حلب", "دير الزور", "المرصد السوري"]))
def test_found_phrases_are_spans_of_the_original(text, phrase):
    for sp in find_phrase(norm_view(text), phrase):
        assert 0 <= sp.start <= sp.end <= len(text)


def _spans(obj):
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int):
            yield obj
        for v in obj.values():
            yield from _spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _spans(v)


def check_record(rec: dict) -> None:
    errors = sorted(VALIDATOR.iter_errors(rec), key=str)
    assert not errors, f"{errors[0].message} at {list(errors[0].absolute_path)}"
    text = rec["text"]
    for key in ("entities", "places", "quotes", "events"):
        for sp in _spans(rec[key]):
            assert 0 <= sp["start"] <= sp["end"] <= len(text), sp
            if isinstance(sp.get("text"), str):
                assert text[sp["start"]:sp["end"]] == sp["text"], sp
    json.dumps(rec, ensure_ascii=False).encode("utf-8")      # what every writer does


@PIPELINE
@given(news_like)
def test_pipeline_never_crashes_and_its_records_hold(text):
    try:
        art = jsonl_record(json.dumps({"text": text, "id": "p"}), "prop:1")
    except InputError:
        return                              # a clean per-item failure (surrogates, empty) is an outcome
    art = process(art)
    assert not art.failures, art.failures
    check_record(art.to_json())


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | odd_text,
                           lambda kids: st.lists(kids, max_size=3) | st.dictionaries(odd_text, kids, max_size=3),
                           max_leaves=8)
fields = st.fixed_dictionaries({}, optional={
    k: json_values for k in ("id", "title", "published", "date_extracted", "url", "source", "outlet", "text")})


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "json-ascii"]))
def test_any_json_record_is_an_article_or_a_clean_failure(obj, enc):
    obj.setdefault("content", "قتل ثلاثة مدنيين في حلب.")
    line = json.dumps(obj, ensure_ascii=enc == "json-ascii")
    raw = line.encode("utf-8" if enc == "json-ascii" else enc, "surrogatepass")
    try:
        art = jsonl_record(raw, "prop:1")
    except InputError as exc:
        assert exc.reason and exc.message
        return
    for v in (art.id, art.title, art.url, art.outlet, art.published, art.text):
        assert v is None or isinstance(v, str) and v.encode("utf-8")


@FAST
@given(st.binary(max_size=200) | st.sampled_from([b"[" * 5000, b'{"text": ' + b'{"a": ' * 3000, b"\xff\xfe{\x00",
                                                  b'{"text": "\\ud800 \xd9\x82"}', b"\x00" * 10]))
def test_any_bytes_are_an_article_or_a_clean_failure(raw):
    try:
        jsonl_record(raw, "prop:1")
    except InputError as exc:
        assert exc.reason


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.just(json.dumps({"text": "قتل ثلاثة مدنيين في غارة على حلب."}, ensure_ascii=False)),
                          fields.map(json.dumps), st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
                          st.sampled_from(["{oops", "[]", '{"text": "\\udfff"}', "   ", "[" * 3000])),
                max_size=12))
def test_every_input_line_is_accounted_for(tmp_path_factory, lines):
    src = tmp_path_factory.mktemp("acc") / "in.jsonl"
    data = "\n".join(line.replace("\n", " ").replace("\r", " ") for line in lines) + "\n"
    src.write_bytes(data.encode("utf-8", "surrogatepass"))
    expected = sum(1 for line in data.encode("utf-8", "surrogatepass").split(b"\n") if line.strip())
    items = list(iter_jsonl_items(src))
    assert len(items) == expected
    results = list(process_items(items))
    assert [r.origin for r in results] == [i.origin for i in items]
    for r in results:
        assert (r.article is None) != (r.failure is None) or (r.article is not None and r.failure is None)
        if r.article is not None:
            check_record(r.article.to_json())
    out = src.with_suffix(".out.jsonl")
    res = CliRunner().invoke(main, ["extract", "--jsonl", str(src), "--out", str(out)])
    assert res.exit_code in (0, 1), res.output
    assert len(out.read_bytes().splitlines()) == expected


def test_utf16_jsonl_with_a_bom_is_read(tmp_path):
    src = tmp_path / "in.jsonl"
    rows = [{"id": "u1", "text": "قتل ثلاثة مدنيين في غارة على حلب."}, {"id": "u2", "text": "أصيب خمسة جنود."}]
    src.write_bytes("\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode("utf-16"))
    items = list(iter_jsonl_items(src))
    assert [i.article.id for i in items] == ["u1", "u2"]
    assert items[0].article.text == rows[0]["text"]


@pytest.mark.parametrize("field,value,reason", [
    ("date_extracted", 20150721, "bad_record"), ("published", True, "bad_record"), ("published", {"y": 1}, "bad_record"),
    ("title", ["x"], "bad_record"), ("id", "\ud800", "bad_unicode"), ("title", "\udfff", "bad_unicode"),
    ("text", "قتل \ud800", "bad_unicode")])
def test_wrong_types_and_lone_surrogates_are_per_item_failures(field, value, reason):
    obj = {"text": "قتل ثلاثة مدنيين في حلب.", field: value}
    with pytest.raises(InputError) as exc:
        jsonl_record(json.dumps(obj).encode(), "t:1")
    assert exc.value.reason == reason


def test_deep_nesting_is_a_per_item_failure():
    with pytest.raises(InputError) as exc:
        jsonl_record(b'{"text": "x", "title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "t:1")
    assert exc.value.reason == "bad_json"


def test_a_slow_article_is_a_timeout_failure_and_the_batch_moves_on(monkeypatch):
    def spin(article):
        while True:
            pass

    with pytest.raises(watchdog.ArticleTimeout):
        watchdog.within_budget(spin, Article(text="x"), seconds=0.2)
    # through the batch: a budget far too small for the long article, a normal one after it
    monkeypatch.setenv(watchdog.ENV_BUDGET, "0.05")
    monkeypatch.setattr(watchdog, "BUDGET_PER_CHAR", 0.0)
    slow = Article(text="قتل غارة قال في دير الزور، " * 4000)
    t0 = time.process_time()
    res = run_item(Item("slow", article=slow))
    assert time.process_time() - t0 < 5
    assert res.article is None and res.failure.reason == "timeout"
    monkeypatch.delenv(watchdog.ENV_BUDGET)
    ok = run_item(Item("ok", article=Article(text="قتل ثلاثة مدنيين في غارة على حلب.")))
    assert ok.article is not None and ok.article.events


@pytest.mark.parametrize("words", [["قال", "قتل", "غارة", "،"], ["في", "دير", "الزور", "قتل", "\n"]])
def test_repeated_triggers_take_linear_time(words):
    """A few thousand repetitions of trigger words once took 10-50 s (issue 19); now within the default budget."""
    text = " ".join(words * 1000)
    t0 = time.process_time()
    art = process(Article(text=text))
    took = time.process_time() - t0
    assert not art.failures
    assert took < watchdog.budget_for(art), took
