import io

from marsad.batch import Result
from marsad.core import Article, Failure
from marsad.progress import Progress


def results(n: int):
    for i in range(n):
        yield Result(f"i{i}", failure=Failure("read", "empty", "x")) if i % 4 == 0 else \
            Result(f"i{i}", article=Article(text="نص"))


def test_log_lines_when_stderr_is_not_a_terminal():
    log = io.StringIO()
    p = Progress("ingest", total=12, stream=log, tty=False, every=0)
    p.skip(2)
    assert [r.origin for r in p.wrap(results(10))] == [f"i{i}" for i in range(10)]
    lines = log.getvalue().splitlines()
    assert len(lines) == 11          # one per result (every=0) and the last
    assert lines[-1].startswith("marsad: ingest: 12/12 articles,") and "3 failed" in lines[-1]
    assert "2 already done" in lines[-1] and lines[-1].endswith("(done)")
    assert "ETA" in lines[0] and "/s" in lines[0]


def test_a_short_run_in_a_log_prints_nothing():
    log = io.StringIO()
    list(Progress("extract", stream=log, tty=False).wrap(results(3)))
    assert log.getvalue() == ""


def test_a_bar_with_total_rate_and_eta_on_a_terminal():
    term = io.StringIO()
    list(Progress("ingest", total=5, stream=term, tty=True).wrap(results(5)))
    out = term.getvalue()
    assert "5/5" in out and "articles/s" in out and "failed=2" in out
