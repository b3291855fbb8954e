import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from marsad.core import Article
from marsad.pipeline import process

REPORT = ("قتل {n} مدنيين الثلاثاء في غارات جوية على بلدة سراقب في ريف إدلب، بحسب المرصد السوري لحقوق الإنسان. "
          "وقال مدير المرصد رامي عبد الرحمن إن الطائرات شنت أربع غارات.")


def article(n: int) -> Article:
    return process(Article(text=REPORT.format(n=n), published="2015-08-04", origin=f"mem:{n}"))


def test_ingesting_the_same_article_twice_stores_it_once(new_store):
    st = new_store
    assert st.put(article(3)) is True
    assert st.put(article(3)) is False
    assert st.put(article(4)) is True
    assert st.count("articles") == 2


def test_one_text_from_two_outlets_keeps_its_earliest_publication_in_either_order(new_store):
    """Issue 15: two ingest orders give the same store. The same agency text republished a day
    later by another outlet has the same id; the store keeps the earlier, whatever came first."""
    def told(published: str, outlet: str) -> Article:
        return process(Article(text=REPORT.format(n=6), published=published, outlet=outlet, origin=f"mem:{outlet}"))
    st = new_store
    assert st.put(told("2015-08-05", "alriyadh")) is True
    assert st.put(told("2015-08-04", "okaz")) is True           # earlier: it replaces the later copy
    assert st.put(told("2015-08-05", "alriyadh")) is False
    assert st.count("articles") == 1
    rec = st.record(told("2015-08-04", "okaz").ensure_id())
    assert rec["published"] == "2015-08-04"
    assert st.count("events") == len(rec["events"]) > 0


def test_search_is_clitic_and_hamza_aware(new_store):
    st = new_store
    st.put(article(5))
    articles = ("articles",)
    assert len(st.search("ادلب", articles)) == 1          # إدلب in the text, written without hamza
    assert len(st.search("المرصد", articles)) == 1
    assert len(st.search("مرصد", articles)) == 1
    assert st.search("بغداد") == []


def test_failures_are_stored_replaced_and_cleared_by_success(new_store):
    from marsad.core import Failure

    st = new_store
    st.put_failure("mem:7", Failure("read", "empty", "mem:7: no text"))
    st.put_failure("mem:7", Failure("read", "encoding", "mem:7: undecodable"))
    assert [(f["origin"], f["reason"]) for f in st.failures()] == [("mem:7", "encoding")]
    assert not st.has_origin("mem:7")
    st.put(article(7))
    assert st.has_origin("mem:7") and st.failures() == []


def _jsonl(path, n):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "text": REPORT.format(n=i + 2), "published": "2015-08-04"},
                                ensure_ascii=False) + "\n")


def _count_articles(target: str) -> int | None:
    """Articles stored so far, read from outside the writing process; None while unreadable."""
    if target.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(target, connect_timeout=2) as con:
                return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except psycopg.Error:            # the schema is not migrated yet
            return None
    try:
        with sqlite3.connect(target, timeout=1) as con:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return None


def test_ingest_killed_mid_batch_then_rerun_stores_every_article_exactly_once(tmp_path, backend, request):
    from conftest import store_target

    src = tmp_path / "in.jsonl"
    n = 400
    _jsonl(src, n)
    with store_target(backend, request, tmp_path / "m.db") as db:
        cmd = [sys.executable, "-m", "marsad.cli", "ingest", str(src), "--db", db]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            time.sleep(0.02)
            if (_count_articles(db) or 0) >= 10:
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait()
        after_kill = _count_articles(db)
        assert 0 < after_kill < n, "the kill should land mid-batch"
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        with open_store(db) as st:
            assert st.count("articles") == n
            ids = [r["id"] for r in st.db.execute("SELECT id FROM articles")]
            assert len(set(ids)) == n
            # every article whole: each has its events, and the full-text index has every article
            assert st.count("events") == n * st.count_events(EventQuery(article_id=ids[0]))
            assert len(st.search("سراقب", ("articles",), limit=1000)) == n


# --- the Store protocol and EventQuery --------------------------------------

import pytest  # noqa: E402

from marsad.errors import QueryError  # noqa: E402
from marsad.store import EventQuery, Store as StoreProtocol, open_store  # noqa: E402
from marsad.store.sqlite import MIGRATIONS  # noqa: E402

CLASH = ("قتل ثلاثة جنود عراقيين الاثنين في هجوم شنه مسلحون من تنظيم داعش على حاجز للجيش قرب الرمادي، "
         "بحسب مصدر أمني.")


@pytest.fixture(scope="module")
def demo_articles():
    from marsad.batch import iter_files, process_items
    from marsad.demo import sample_files

    return [res.article for res in process_items(iter_files(sample_files()))] + [
        process(Article(text=CLASH, published="2015-07-20", origin="mem:clash"))]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_store(request, demo_articles):
    from conftest import store_target

    with store_target(request.param, request) as target:
        st = open_store(target)
        for a in demo_articles:
            st.put(a)
        yield st
        st.close()


def test_store_is_a_store_and_records_its_migrations(demo_store):
    assert isinstance(demo_store, StoreProtocol)
    assert demo_store.schema_version() == len(MIGRATIONS)
    assert [r["version"] for r in demo_store.db.execute("SELECT version FROM schema_version ORDER BY version")] \
        == list(range(1, len(MIGRATIONS) + 1))


def test_postgres_store_answers_as_the_sqlite_store(demo_articles, pg_url, request):
    """Same articles in, same pages, facets, aggregates, searches and records out."""
    from conftest import store_target

    from marsad.store.postgres import MIGRATIONS as PG_MIGRATIONS

    assert len(PG_MIGRATIONS) == len(MIGRATIONS)
    with store_target("postgresql", request) as url, open_store(url) as pg, open_store(":memory:") as sq:
        for a in demo_articles:
            assert pg.put(a) and sq.put(a)
        questions = [
            lambda s: s.events(EventQuery(limit=7, order_by="-killed")).to_json(),
            lambda s: s.events(EventQuery(order_by="date", offset=2)).to_json(),
            lambda s: list(s.iter_events(EventQuery(since="2015-08", until="2015", order_by="-published"))),
            lambda s: s.facets(), lambda s: s.facets(EventQuery(kind=("air_strike", "bombing", "armed_clash"))),
            lambda s: [s.aggregate(by=b) for b in ("day", "week", "month", "year", "place", "country", "kind")],
            lambda s: sorted((h.type, h.article_id, h.idx, h.snippet) for h in s.search("غارات OR Aleppo -تدريبات")),
            lambda s: sorted((h.type, h.article_id, h.idx) for h in s.search('"غارات جوية"')),
            lambda s: s.count_events(EventQuery(text="الرمادي", side="state")),
            lambda s: list(s.records(EventQuery(country="YE"))), lambda s: list(s.records()),
            lambda s: s.record(demo_articles[0].id),
        ]
        for i, ask in enumerate(questions):
            assert ask(pg) == ask(sq), f"question {i}"
        assert pg.summary().by_kind == sq.summary().by_kind


def test_events_page_filters_and_orders(demo_store):
    total = demo_store.count_events()
    page = demo_store.events(EventQuery(limit=4, order_by="-killed"))
    assert page.total == total and len(page.items) == 4 and page.next_offset == 4
    killed = [e["killed"]["total"] or 0 for e in page.items]
    assert killed == sorted(killed, reverse=True)
    rest = demo_store.events(EventQuery(limit=4, order_by="-killed", offset=4))
    assert not {(e["article_id"], e["idx"]) for e in page.items} & {(e["article_id"], e["idx"]) for e in rest.items}
    iq = demo_store.events(EventQuery(country="iq"))
    assert iq.items and all(e["place"]["country"] == "IQ" for e in iq.items)
    assert all(e["killed"]["total"] >= 5 for e in demo_store.iter_events(EventQuery(min_killed=5)))
    aug = list(demo_store.iter_events(EventQuery(since="2015-08", until="2015-08")))
    assert aug and all(e["date"].startswith("2015-08") for e in aug)
    # Idlib province and around: a bounding box west, south, east, north
    assert {e["place"]["name"] for e in demo_store.iter_events(EventQuery(bbox=(36, 35, 37.5, 36.5)))} == {"سراقب"}


def test_participant_filters_fold_spelling(demo_store):
    isis = list(demo_store.iter_events(EventQuery(actor="داعش")))
    assert isis and all(any("داعش" in a["text"] for a in e["actors"]) for e in isis)
    civ = list(demo_store.iter_events(EventQuery(side="civilians")))
    assert civ and all(any(p["side"] == "civilians" for p in e["actors"] + e["targets"]) for e in civ)
    assert list(demo_store.iter_events(EventQuery(source="المرصد السوري")))      # hamza-free spelling finds it


def test_facets_and_aggregates(demo_store):
    f = demo_store.facets(EventQuery(), ["kind", "country", "side", "year"])
    assert sum(n for _, n in f["kind"]) == demo_store.count_events()
    assert ("IQ", demo_store.count_events(EventQuery(country="IQ"))) in f["country"]
    weeks = demo_store.aggregate(by="week")
    assert [w["key"] for w in weeks] == sorted(w["key"] for w in weeks)
    places = demo_store.aggregate(EventQuery(country="YE"), by="place")
    assert places[0]["key"] == "تعز" and places[0]["lat"] is not None


@pytest.mark.parametrize("bad", [dict(order_by="rank"), dict(limit=0), dict(limit=10**6), dict(offset=-1),
                                 dict(since="last week"), dict(country="Syria"), dict(side="rebels"),
                                 dict(status="rumoured"), dict(bbox=(1, 2, 3)), dict(min_killed=-2),
                                 dict(text="-غارات"), dict(kind=("air_strike", "airstrike"))])
def test_bad_query_values_raise_a_clear_value_error(bad):
    with pytest.raises(QueryError) as e:
        EventQuery(**bad)
    assert isinstance(e.value, ValueError) and next(iter(bad)) in str(e.value)


def test_bad_facet_and_bucket_names_raise(demo_store):
    with pytest.raises(QueryError):
        demo_store.facets(fields=["colour"])
    with pytest.raises(QueryError):
        demo_store.aggregate(by="hour")


def test_search_finds_events_and_articles_with_snippets_in_the_original_spelling(demo_store):
    hits = demo_store.search("طايرات")                 # typed without hamza: the text has الطائرات
    assert hits and all("طائرات" in h.snippet for h in hits)
    assert {h.type for h in demo_store.search("غارات")} == {"event", "article"}
    either = {h.article_id for h in demo_store.search("سراقب OR تعز", ("articles",))}
    assert len(either) == 2
    assert demo_store.search("سراقب تعز", ("articles",)) == []          # words are ANDed
    assert demo_store.search('"غارات جوية"', ("articles",))
    assert demo_store.search('"جوية غارات"', ("articles",)) == []       # a phrase keeps its order
    english = demo_store.search("Saraqib", ("events",))
    assert english and english[0].place == "سراقب"


def test_migrating_a_version_1_sqlite_store_keeps_every_article(tmp_path):
    """A SQLite store written by version 1 (no stems, FTS not linked) opens, migrates and answers."""
    import sqlite3 as sq

    from marsad.store.sqlite import SCHEMA_1

    db = tmp_path / "v1.db"
    a = article(6)
    rec = a.to_json()
    con = sq.connect(db)
    con.executescript(SCHEMA_1)
    con.execute("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (rec["id"], a.origin, a.published, None, None, None, "[]", a.text, json.dumps(rec), 0, "2026"))
    ev = rec["events"][0]
    con.execute("INSERT INTO events VALUES (" + ",".join("?" * 20) + ")",
                (rec["id"], 0, ev["kind"], ev["date"], ev["date_precision"], ev["place"]["name"], ev["place"]["lat"],
                 ev["place"]["lon"], ev["place"]["country"], ev["place"]["precision"], "", "", ev["killed"]["total"],
                 None, ev["status"], "", None, None, None, json.dumps(ev)))
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with open_store(db) as st:
        assert st.schema_version() == len(MIGRATIONS)
        assert len(st.search("سراقب", ("articles",))) == 1
        assert st.count_events(EventQuery(text="سراقب")) == 1
        assert st.events().items[0]["notes"].startswith("قتل 6 مدنيين")


def test_incidents_are_built_and_queried_alike_on_both_backends(dev_files, pg_url, request):
    from conftest import store_target

    from marsad.batch import iter_files, process_items
    from marsad.store import IncidentQuery

    arts = [r.article for r in process_items(iter_files(dev_files))]
    with store_target("postgresql", request) as url, open_store(url) as pg, open_store(":memory:") as sq:
        built = []
        for st in (pg, sq):
            for a in arts:
                st.put(a)
            built.append(st.update_incidents())
            assert st.update_incidents() == 0            # nothing stale left
        assert built[0] == built[1] > 0
        questions = [
            lambda s: s.incidents(IncidentQuery(limit=1000)).to_json(),
            lambda s: s.incidents(IncidentQuery(order_by="-killed", limit=3, offset=1)).to_json(),
            lambda s: s.incidents(IncidentQuery(order_by="sources", since="2015", until="2015-08")).to_json(),
            lambda s: [s.count_incidents(IncidentQuery(**f)) for f in
                       (dict(country="SY"), dict(contested=True), dict(min_killed=1), dict(min_sources=2),
                        dict(kind=("air_strike",)), dict(bbox=(35, 32, 43, 38)))],
        ]
        for i, ask in enumerate(questions):
            assert ask(pg) == ask(sq), f"question {i}"
        first = sq.incidents(IncidentQuery(limit=1)).items[0]["id"]
        assert pg.incident(first) == sq.incident(first) is not None


def test_a_version_2_postgres_store_migrates_and_builds_its_incidents(pg_url, request, monkeypatch):
    from conftest import store_target

    import marsad.store.postgres as pgmod

    a = article(8)
    with store_target("postgresql", request) as url:
        with monkeypatch.context() as m:
            m.setattr(pgmod, "MIGRATIONS", pgmod.MIGRATIONS[:2])
            with open_store(url) as st:
                assert st.schema_version() == 2
                with st.db.transaction():           # an article as version 2 stored it
                    st.db.execute("INSERT INTO articles (id, origin, published, text, record, ingested_at, stems)"
                                  " VALUES (%s, %s, %s, %s, %s, '2026', '')",
                                  (a.ensure_id(), a.origin, a.published, a.text, json.dumps(a.to_json())))
                    st._put_events(a.id, a.to_json())
        with open_store(url) as st:
            assert st.schema_version() == len(pgmod.MIGRATIONS) == len(MIGRATIONS)
            assert st.update_incidents() == 1 and st.count_incidents() == 1
