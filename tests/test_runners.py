import time

import pytest

from marsad.batch import Item, process_items
from marsad.core import Article
from marsad.errors import OptionsError
from marsad.runners import DaskRunner, ItemTimeout, ProcessRunner, Runner, SerialRunner, make_runner


def square(x: int) -> int:
    return x * x


def slow_on_three(x: int) -> int:
    if x == 3:
        time.sleep(5)
    return x


def skipped(x: int) -> int:
    return -x


def backtrack(n: int) -> bool:
    # a regular expression that backtracks for ages on n a's and a b: the kind of rule bug a
    # per-article time limit is for
    import re

    return bool(re.match(r"(a+)+$", "a" * n + "b"))


def test_a_regex_stuck_backtracking_is_stopped():
    t = time.monotonic()
    assert list(SerialRunner().map(backtrack, [3, 40, 4], timeout=0.5, on_timeout=str)) == [False, "40", False]
    assert time.monotonic() - t < 3


def test_runners_keep_input_order():
    items = list(range(100))
    assert list(SerialRunner().map(square, iter(items))) == [x * x for x in items]
    assert list(ProcessRunner(2).map(square, iter(items))) == [x * x for x in items]


def sleep_for(x: float) -> float:
    time.sleep(x)
    return x


def test_process_runner_streams_a_bounded_window():
    # the pool is fed chunk by chunk as results go out: an endless input is read only a
    # window ahead of what has been yielded (constant memory), and results stay in order
    from itertools import count, islice

    from marsad.runners import CHUNK, WINDOW_CHUNKS
    read = []

    def endless():
        for i in count():
            read.append(i)
            yield i
    got = list(islice(ProcessRunner(2).map(square, endless()), 50))
    assert got == [x * x for x in range(50)]
    assert len(read) <= 50 + (2 * WINDOW_CHUNKS + 1) * CHUNK


def test_process_runner_keeps_both_workers_busy():
    # two long chunks 7 chunks apart: a sliding window runs them side by side; the fixed
    # windows it replaced (chunks 0-7, then 8-15) ran them one after the other, a worker idle
    from marsad.runners import CHUNK, WINDOW_CHUNKS
    assert WINDOW_CHUNKS * 2 >= 8
    items = [0.15 if i // CHUNK in (7, 14) else 0.002 for i in range(16 * CHUNK)]
    results = ProcessRunner(2).map(sleep_for, items)
    first = next(results)          # the pool has started
    t = time.monotonic()
    assert [first, *results] == items
    assert time.monotonic() - t < 1.5 * CHUNK * 0.15     # one long chunk's time, and a margin


def test_make_runner_and_protocol():
    assert isinstance(make_runner(workers=1), SerialRunner)
    assert isinstance(make_runner(workers=2), ProcessRunner)
    assert isinstance(make_runner("serial", 4), Runner)
    assert isinstance(make_runner(scheduler="tcp://127.0.0.1:8786"), DaskRunner)     # no connection until map
    with pytest.raises(OptionsError):
        make_runner("spark")
    with pytest.raises(OptionsError):
        make_runner("processes", 2, scheduler="tcp://127.0.0.1:8786")


@pytest.mark.parametrize("runner", [SerialRunner(), ProcessRunner(2)], ids=["serial", "processes"])
def test_an_item_past_the_time_limit_becomes_its_stand_in(runner):
    t = time.monotonic()
    out = list(runner.map(slow_on_three, range(6), timeout=0.5, on_timeout=skipped))
    assert out == [0, 1, 2, -3, 4, 5]
    assert time.monotonic() - t < 4


def test_without_a_stand_in_the_timeout_raises():
    with pytest.raises(ItemTimeout):
        list(SerialRunner().map(slow_on_three, [3], timeout=0.2))


def test_batch_timeout_is_a_failure_as_data(monkeypatch):
    import marsad.batch

    monkeypatch.setattr(marsad.batch, "process", lambda a: time.sleep(5))
    items = [Item("a", article=Article(text="قتل ثلاثة جنود في هجوم قرب الرمادي.")), Item("b")]
    res = list(process_items(items, timeout=0.3))
    assert [r.origin for r in res] == ["a", "b"]
    assert res[0].failure.reason == "timeout"


def test_pipeline_options_reach_every_article(monkeypatch):
    import marsad.batch

    seen = []

    def fake_process(article, options=None):
        seen.append(options)
        return article

    monkeypatch.setattr(marsad.batch, "process", fake_process)
    items = [Item(f"i{n}", article=Article(text="نص")) for n in range(3)]
    assert [r.origin for r in process_items(items, options={"ner": "crf"})] == ["i0", "i1", "i2"]
    assert seen == [{"ner": "crf"}] * 3


# --- Dask: a LocalCluster of worker processes, as on a real cluster -----------------------------

def test_dask_runner_starts_a_local_cluster_and_keeps_input_order():
    pytest.importorskip("distributed")
    # abs: a function the workers import by name (a test module's own would not pickle by reference)
    assert list(DaskRunner(1).map(abs, iter(range(-50, 50)))) == [abs(x) for x in range(-50, 50)]


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl:
        yield cl.scheduler_address


def test_dask_records_equal_local_records(dev_files, dask_cluster):
    """Dev articles through a 2-worker cluster reached by its address: the same records, in order."""
    from marsad.batch import iter_files

    files = dev_files[:8]
    local = [r.article.to_json() for r in process_items(iter_files(files))]
    results = list(process_items(iter_files(files), runner=DaskRunner(scheduler=dask_cluster)))
    assert [r.origin for r in results] == [str(f) for f in files]
    assert [r.article.to_json() for r in results] == local


def test_cli_ingest_on_a_dask_cluster_stores_the_local_records(dev_files, dask_cluster, backend, request, tmp_path):
    from click.testing import CliRunner
    from conftest import store_target

    from marsad.batch import iter_files
    from marsad.cli import main
    from marsad.store import open_store

    files = dev_files[:4]
    local = {r.article.id: r.article.to_json() for r in process_items(iter_files(files))}
    with store_target(backend, request, tmp_path / "d.db") as db:
        res = CliRunner().invoke(main, ["ingest", *map(str, files), "--db", db, "--scheduler", dask_cluster])
        assert res.exit_code == 0, res.output
        with open_store(db) as st:
            assert {aid: st.record(aid) for aid in local} == local
