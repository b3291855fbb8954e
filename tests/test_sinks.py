import io
import json

from marsad.batch import Item, Result
from marsad.core import Article, Failure
from marsad.pipeline import process
from marsad.sinks import DirectorySink, JsonlSink, PrintSink, StoreSink, drain
from marsad.store import open_store

TEXT = "قتل ثلاثة جنود عراقيين الاثنين في هجوم بقذائف الهاون على موقع للجيش قرب الرمادي."


def results() -> list[Result]:
    good = Result("in/good.txt", article=process(Article(text=TEXT, published="2015-07-20", origin="in/good.txt")))
    bad = Result("in/empty.txt", failure=Failure("read", "empty", "in/empty.txt: empty file"))
    return [good, bad]


def test_directory_sink_writes_one_file_per_article_and_the_failures(tmp_path):
    counts = drain(results(), DirectorySink(tmp_path / "out"))
    assert json.loads((tmp_path / "out" / "good.json").read_text(encoding="utf-8"))["text"] == TEXT
    fails = (tmp_path / "out" / "_failures.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(fails[0])["failures"][0]["reason"] == "empty"
    assert (counts.written, counts.failed) == (2, 1)


def test_jsonl_sink_keeps_every_input_at_its_position():
    fh = io.StringIO()
    drain(results(), JsonlSink(fh))
    lines = [json.loads(x) for x in fh.getvalue().splitlines()]
    assert lines[0]["text"] == TEXT and lines[1]["origin"] == "in/empty.txt"


def test_print_sink_prints_articles_only():
    fh = io.StringIO()
    drain(results(), PrintSink(fh, indent=2))
    assert json.loads(fh.getvalue())["text"] == TEXT


def test_store_sink_is_the_one_writer():
    with open_store(":memory:") as st:
        c = drain(results(), StoreSink(st))
        assert (c.stored, c.failed) == (1, 1)
        c = drain(results()[:1], StoreSink(st))
        assert c.already == 1
        assert st.failures()[0]["reason"] == "empty"


def test_items_and_results_share_one_shape():
    assert Item is Result
