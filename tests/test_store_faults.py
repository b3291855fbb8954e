"""The store under faults, as SQLite itself is tested: kill -9 during ingest, two ingests at
once, reads during an ingest, a full disk; and the command line's edge cases.

The long version (20 kills) is in scripts/fuzz_campaign.py.
"""
import json
import os
import random
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.store import SQLiteStore as Store
from marsad.store.sqlite import snapshot, stored_articles

ROOT = Path(__file__).resolve().parents[1]
# Reports written for the tests: a strike, a clash and an arrest, with numbers and places that vary.
REPORTS = [
    "قتل {n} مدنيين الثلاثاء في غارات جوية على بلدة سراقب في ريف إدلب، بحسب المرصد السوري لحقوق الإنسان.",
    "قالت وزارة الداخلية إن {n} عنصرا من الشرطة أصيبوا في هجوم مسلح على نقطة تفتيش قرب الرمادي صباح الأحد.",
    "اعتقلت قوات الأمن {n} أشخاص في مدينة الموصل بتهمة الانتماء إلى تنظيم داعش، وفق مصدر أمني.",
]
N = 60


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OMP_NUM_THREADS": "1"}


def _write_input(path: Path, n: int = N) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = REPORTS[i % len(REPORTS)].format(n=i + 2)
            fh.write(json.dumps({"id": f"t{i}", "text": text, "published": "2015-08-04"}, ensure_ascii=False) + "\n")
        fh.write("{not json\n")                   # a failure is part of what must survive
    return path


def _ingest(inp: Path, db: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "marsad.cli", "ingest", str(inp), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), **kw)


def state(db: Path) -> dict:
    return snapshot(db)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A clean ingest of the test input, in this process (same code path as the command)."""
    tmp = tmp_path_factory.mktemp("clean")
    inp, db = _write_input(tmp / "in.jsonl"), tmp / "clean.db"
    res = CliRunner().invoke(main, ["ingest", str(inp), "--db", str(db)])
    assert res.exit_code == 1, res.output          # the one malformed line
    st = state(db)
    assert len(st["articles"]) == N and st["fts"] == N and len(st["failures"]) == 1
    return inp, st


def _count(db: Path) -> int:
    return stored_articles(db)


def test_kill_9_during_ingest_then_rerun_equals_a_clean_ingest(clean, tmp_path):
    inp, ref = clean
    rng = random.Random(19)
    for k in range(3):
        db = tmp_path / f"kill{k}.db"
        proc = _ingest(inp, db)
        target = rng.randint(1, N - 20)            # a random moment, as an article count
        deadline = time.time() + 120
        while proc.poll() is None and time.time() < deadline and _count(db) < target:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = state(db)
        assert killed["integrity"] == "ok"
        assert len(killed["articles"]) < N, "the kill should land mid-batch"
        # what was stored before the kill is whole: each article with its events and search row
        assert killed["fts"] == len(killed["articles"])
        assert all(ref["articles"][i] == r for i, r in killed["articles"].items())
        CliRunner().invoke(main, ["ingest", str(inp), "--db", str(db)])     # the rerun, in this process
        after = state(db)
        assert after == ref, f"kill {k} at {target} articles: not the clean store after a rerun"


def test_two_ingests_at_once_store_every_article_once(clean, tmp_path):
    inp, ref = clean
    db = tmp_path / "both.db"
    other = _ingest(inp, db)                  # one in another process, one in this one, at once
    res = CliRunner().invoke(main, ["ingest", str(inp), "--db", str(db)])
    assert res.exit_code in (0, 1) and res.exception is None or isinstance(res.exception, SystemExit), res.output
    _, err = other.communicate(timeout=300)
    assert other.returncode in (0, 1), err.decode()
    assert b"Traceback" not in err, err.decode()
    assert state(db) == ref


def test_search_and_export_during_an_ingest(clean, tmp_path):
    inp, ref = clean
    db = tmp_path / "busy.db"
    proc = _ingest(inp, db)
    runner = CliRunner()
    reads = 0
    deadline = time.time() + 120
    while proc.poll() is None and time.time() < deadline:
        if db.exists() and _count(db):
            res = runner.invoke(main, ["search", "سراقب", "--db", str(db)])
            assert res.exit_code == 0, res.output
            res = runner.invoke(main, ["export", "--db", str(db), "--format", "csv"])
            assert res.exit_code == 0, res.output
            reads += 1
        time.sleep(0.05)
    proc.wait()
    assert reads > 0
    assert state(db) == ref


@contextmanager
def small_disk(tmp_path: Path, size_kb: int):
    """A tmpfs of size_kb mounted at tmp_path/disk (needs mount rights), else None."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mnt)],
                        capture_output=True).returncode == 0
    try:
        yield mnt if ok else None
    finally:
        if ok:
            subprocess.run(["umount", str(mnt)], capture_output=True)


def test_a_full_disk_ends_with_a_clear_error_and_an_intact_store(clean, tmp_path):
    inp, ref = clean
    with small_disk(tmp_path, 1000) as disk:
        if disk is None:
            pytest.skip("cannot mount a small tmpfs here (needs mount rights): the full-disk case is untested")
        db = disk / "full.db"
        res = CliRunner().invoke(main, ["ingest", str(inp), "--db", str(db)])
        assert res.exit_code == 3, res.output
        assert "[store_error]" in res.output and "disk is full" in res.output
        st = state(db)
        assert st["integrity"] == "ok"
        assert 0 < len(st["articles"]) < N
        assert st["fts"] == len(st["articles"])
        assert all(ref["articles"][i] == r for i, r in st["articles"].items())


# The same on PostgreSQL: the store's tables in a tablespace on a small tmpfs. Needs the
# test server ($MARSAD_TEST_PG) on this machine, mount rights and the server's superuser
# through `runuser -u postgres psql` (CREATE TABLESPACE is a superuser's); skipped otherwise.
PG_DISK_KB = 1200       # the empty store (schema version 4, with its count tables and indexes) takes
#                         ~1,000 kB there, each test article ~17 kB: full mid-ingest


def _as_postgres(*sql: str) -> subprocess.CompletedProcess:
    cmd = ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    for q in sql:
        cmd += ["-c", q]
    return subprocess.run(cmd, capture_output=True, text=True)


@contextmanager
def pg_small_tablespace(url: str, size_kb: int):
    """(tablespace name, its tmpfs) for the test server, or a reason why not."""
    import shutil
    import tempfile
    import uuid

    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(url)
    if info.get("host", "localhost") not in ("localhost", "127.0.0.1", "::1") or not shutil.which("runuser"):
        yield None, "the test server is not on this machine (or no runuser): its disk cannot be filled from here"
        return
    # under /tmp, not pytest's tmp_path: the server's user must reach the directory
    mnt = Path(tempfile.mkdtemp(prefix="marsad-pgdisk-"))
    mnt.chmod(0o755)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(mnt)],
                             capture_output=True).returncode == 0
    name = "marsad_full_" + uuid.uuid4().hex[:8]
    made = False
    try:
        if not mounted:
            yield None, "cannot mount a small tmpfs here (needs mount rights)"
            return
        (mnt / "pg").mkdir()
        shutil.chown(mnt / "pg", "postgres", "postgres")
        (mnt / "pg").chmod(0o700)
        done = _as_postgres(f"CREATE TABLESPACE {name} LOCATION '{mnt / 'pg'}'",
                            f"GRANT CREATE ON TABLESPACE {name} TO {info.get('user', 'marsad')}")
        made = done.returncode == 0
        if not made:
            yield None, f"cannot create a tablespace as the server's superuser ({done.stderr.strip()[:200]})"
            return
        yield name, mnt
    finally:
        if made:
            _as_postgres(f"DROP TABLESPACE IF EXISTS {name}")
        if mounted:
            subprocess.run(["umount", str(mnt)], capture_output=True)
        mnt.rmdir()


def test_a_full_disk_ends_postgres_ingest_with_a_clear_error_and_an_intact_store(clean, pg_url):
    from conftest import pg_schema
    from psycopg.conninfo import conninfo_to_dict

    from marsad.store import open_store

    inp, ref = clean
    with pg_small_tablespace(pg_url, PG_DISK_KB) as (space, disk):
        if space is None:
            pytest.skip(f"PostgreSQL full disk untested: {disk}")
        with pg_schema(pg_url) as url:
            url += f"%20-cdefault_tablespace%3D{space}"      # every table and index on the small disk
            res = subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", str(inp), "--db", url],
                                 capture_output=True, text=True, env=_env())
            lines = res.stderr.strip().splitlines()
            assert res.returncode == 3, res.stderr[-2000:]
            assert "Traceback" not in res.stderr
            # one line for the store, naming the cause, after the per-input lines
            assert lines[-1].startswith("marsad: PostgreSQL database") and "[store_error]" in lines[-1]
            # the server says so in one of two ways, by where the write failed
            assert "No space left on device" in lines[-1] or "wrote only" in lines[-1]
            password = conninfo_to_dict(pg_url).get("password")
            assert not password or f":{password}@" not in res.stderr       # no credentials in the message
            with open_store(url) as st:          # readable, and what it holds is whole
                stored = {r["id"]: json.loads(r["record"]) for r in st.db.execute("SELECT id, record FROM articles")}
                assert 0 < len(stored) < N
                assert all(rec == json.loads(ref["articles"][i]) for i, rec in stored.items())
                assert st.count("events") == sum(len(r["events"]) for r in stored.values())
                assert st.count("entities") == sum(len(r["entities"]) for r in stored.values())
                assert len(st.search("سراقب", ("articles",), limit=1000)) == \
                    sum("سراقب" in r["text"] for r in stored.values())
            # room again: the rerun completes the store, every article once
            subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)
            res = subprocess.run([sys.executable, "-m", "marsad.cli", "ingest", str(inp), "--db", url],
                                 capture_output=True, text=True, env=_env())
            assert res.returncode == 1, res.stderr[-2000:]      # the one malformed line
            with open_store(url) as st:
                ids = [r["id"] for r in st.db.execute("SELECT id FROM articles")]
                assert sorted(ids) == sorted(ref["articles"])
                assert st.count("events") == len(ref["events"])


# --- the command line at its edges ----------------------------------------------------

def test_a_missing_jsonl_input_creates_no_output(tmp_path):
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["extract", "--jsonl", str(tmp_path / "nope.jsonl"), "--out", str(out)])
    assert res.exit_code == 2
    assert "does not exist" in res.output
    assert not out.exists()


def test_ingest_of_a_missing_path_creates_no_store(tmp_path):
    db = tmp_path / "m.db"
    res = CliRunner().invoke(main, ["ingest", str(tmp_path / "nope"), "--db", str(db)])
    assert res.exit_code == 2
    assert "does not exist" in res.output
    assert not db.exists()


@pytest.mark.parametrize("content", [b"id,text\n1,not a database\n", b"SQLite format 3\x00" + b"\x13" * 8000])
def test_a_db_that_is_not_a_marsad_store_is_refused_with_its_reason(tmp_path, content):
    db = tmp_path / "bad.db"
    db.write_bytes(content)
    src = _write_input(tmp_path / "in.jsonl", 2)
    for args in (["ingest", str(src)], ["search", "حلب"], ["export", "--format", "jsonl"]):
        res = CliRunner().invoke(main, [*args, "--db", str(db)])
        assert res.exit_code == 2, (args, res.output)
        assert "not a usable marsad store" in res.output and "[bad_store]" in res.output
    assert db.read_bytes() == content            # refused, not "repaired"
