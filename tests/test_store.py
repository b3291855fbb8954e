import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from marsad.core import Article
from marsad.pipeline import process
from marsad.store import Store

REPORT = ("قتل {n} مدنيين الثلاثاء في غارات جوية على بلدة سراقب في ريف إدلب، بحسب المرصد السوري لحقوق الإنسان. "
          "وقال مدير المرصد رامي عبد الرحمن إن الطائرات شنت أربع غارات.")


def article(n: int) -> Article:
    return process(Article(text=REPORT.format(n=n), published="2015-08-04", origin=f"mem:{n}"))


def test_ingesting_the_same_article_twice_stores_it_once():
    with Store(":memory:") as st:
        assert st.put(article(3)) is True
        assert st.put(article(3)) is False
        assert st.put(article(4)) is True
        assert st.count("articles") == 2


def test_search_is_clitic_and_hamza_aware():
    with Store(":memory:") as st:
        st.put(article(5))
        assert len(st.search("ادلب")) == 1          # إدلب in the text, written without hamza
        assert len(st.search("المرصد")) == 1
        assert len(st.search("مرصد")) == 1
        assert st.search("بغداد") == []


def _jsonl(path, n):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "text": REPORT.format(n=i + 2), "published": "2015-08-04"},
                                ensure_ascii=False) + "\n")


def test_ingest_killed_mid_batch_then_rerun_stores_every_article_exactly_once(tmp_path):
    src, db = tmp_path / "in.jsonl", tmp_path / "m.db"
    n = 400
    _jsonl(src, n)
    cmd = [sys.executable, "-m", "marsad.cli", "ingest", str(src), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
        try:
            with sqlite3.connect(db, timeout=1) as con:
                stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 10:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    with sqlite3.connect(db) as con:
        after_kill = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < after_kill < n, "the kill should land mid-batch"
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Store(db) as st:
        assert st.count("articles") == n
        ids = [r[0] for r in st.db.execute("SELECT id FROM articles")]
        assert len(set(ids)) == n
        fts = st.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts == n
