"""The HTTP API of `marsad serve` over a store of the demo and dev articles."""
from __future__ import annotations

import csv
import io
import json

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from marsad.serve import create_app  # noqa: E402
from marsad.store import EventQuery, open_store  # noqa: E402
from serve_fixtures import shared_store  # noqa: E402

TOKEN = "s3cret-test-token"
# A short report written for this test: one air strike with a toll, placed and dated.
POSTED = {"id": "api-test-1", "published": "2015-08-10", "title": "غارة على سراقب",
          "text": "قتل ثلاثة مدنيين الأحد في غارة جوية على بلدة سراقب في ريف إدلب، بحسب المرصد السوري لحقوق الإنسان."}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return shared_store(tmp_path_factory)


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


@pytest.fixture(scope="module")
def store(db):
    with open_store(db) as s:
        yield s


def test_events_list_pages_and_filters(client, store):
    r = client.get("/api/events", params={"limit": 3, "order_by": "-killed"})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == store.count_events() and page["total"] >= 9
    assert len(page["items"]) == 3 and page["next_offset"] == 3
    tolls = [e["killed"]["total"] or 0 for e in page["items"]]
    assert tolls == sorted(tolls, reverse=True)
    first = page["items"][0]
    assert first["id"] == f"{first['article_id']}-{first['idx']}"
    # the same filters as the store's query object: kind (repeated or comma list), country, dates
    both = client.get("/api/events", params=[("kind", "air_strike"), ("kind", "bombing")]).json()
    comma = client.get("/api/events", params={"kind": "air_strike,bombing"}).json()
    assert both["total"] == comma["total"] == store.count_events(EventQuery(kind=("air_strike", "bombing")))
    sy = client.get("/api/events", params={"country": "sy", "since": "2015", "until": "2015-12"}).json()
    assert sy["total"] == store.count_events(EventQuery(country="SY", since="2015", until="2015-12")) > 0
    assert all(e["place"]["country"] == "SY" for e in sy["items"])
    box = client.get("/api/events", params={"bbox": "35,34,38,37"}).json()
    assert box["total"] > 0 and all(34 <= e["place"]["lat"] <= 37 for e in box["items"])


@pytest.mark.parametrize("params, status, words", [
    ({"since": "last week"}, 400, "since"),
    ({"kind": "picnic"}, 400, "kind='picnic'"),
    ({"order_by": "colour"}, 400, "order_by"),
    ({"bbox": "1,2,3"}, 400, "bbox"),
    ({"bbox": "a,b,c,d"}, 400, "bbox"),
    ({"country": "Syria"}, 400, "alpha-2"),
    ({"side": "blue"}, 400, "side"),
    ({"text": "-"}, 400, "text"),
    ({"limit": 0}, 422, "limit"),
    ({"limit": 5000}, 422, "limit"),
    ({"min_killed": -1}, 422, "min_killed"),
    ({"offset": "x"}, 422, "offset"),
])
def test_bad_parameters_are_4xx_with_a_message(client, params, status, words):
    r = client.get("/api/events", params=params)
    assert r.status_code == status, r.text
    assert words in json.dumps(r.json(), ensure_ascii=False)


def test_bad_facet_aggregate_and_search_are_400(client):
    assert client.get("/api/facets", params={"fields": "colour"}).status_code == 400
    assert client.get("/api/aggregate", params={"by": "fortnight"}).status_code == 400
    assert client.get("/api/search", params={"q": "غارات", "scope": "tweets"}).status_code == 400
    assert client.get("/api/search", params={"q": "NOT"}).status_code == 400
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/events/not-an-event").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404


def test_event_detail_carries_the_article_and_evidence_offsets(client, store):
    ev = store.events(EventQuery(kind="air_strike", min_killed=1, limit=1)).items[0]
    r = client.get(f"/api/events/{ev['article_id']}-{ev['idx']}")
    assert r.status_code == 200
    body = r.json()
    text = body["article"]["text"]
    got = body["event"]
    assert got["kind"] == "air_strike" and body["article"]["id"] == ev["article_id"]
    # each figure's words are offsets into the article text the detail view highlights
    spans = got["killed"]["evidence"]
    assert spans and all(0 <= s["start"] < s["end"] <= len(text) for s in spans)
    assert any(text[t["start"]:t["end"]] == t["text"] for t in got["targets"] + got["sources"])
    assert got["notes"]


def test_facets_aggregate_and_timeline_agree_with_the_store(client, store):
    f = client.get("/api/facets", params={"fields": "kind,country", "size": 50}).json()
    assert {d["value"]: d["count"] for d in f["kind"]} == dict(store.facets(EventQuery(), ["kind"], 50)["kind"])
    agg = client.get("/api/aggregate", params={"by": "month", "country": "IQ"}).json()
    assert agg["buckets"] == store.aggregate(EventQuery(country="IQ"), "month")
    places = client.get("/api/aggregate", params={"by": "place"}).json()["buckets"]
    assert places and {"lat", "lon", "events", "killed"} <= set(places[0])
    tl = client.get("/api/timeline", params={"by": "month", "kinds": 3}).json()
    assert len(tl["series"]) <= 3 and all(len(s["events"]) == len(tl["keys"]) for s in tl["series"])
    m = client.get("/api/map", params={"kind": "air_strike"}).json()
    assert m["total"] == store.count_events(EventQuery(kind="air_strike"))
    assert all(p["kind"] == "air_strike" and p["lat"] is not None for p in m["points"])


def test_geojson_and_csv_variants_use_the_exporters(client, store):
    n = store.count_events(EventQuery(country="IQ"))
    gj = client.get("/api/events.geojson", params={"country": "IQ"})
    assert gj.status_code == 200 and gj.headers["content-type"].startswith("application/geo+json")
    coll = gj.json()
    assert coll["type"] == "FeatureCollection" and len(coll["features"]) == n == coll["marsad"]["events"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events.csv", params={"country": "IQ"}).text)))
    assert len(rows) == n and rows[0]["country"] == "IQ"
    acled = client.get("/api/events.csv", params={"profile": "acled"}).text
    assert acled.splitlines()[0].startswith("event_id_cnty,event_date")
    assert client.get("/api/events.csv", params={"profile": "gdelt"}).status_code == 422


def test_search_snippets_keep_the_original_spelling(client):
    hits = client.get("/api/search", params={"q": "غارات", "scope": "events"}).json()["hits"]
    assert hits and all(h["type"] == "event" and h["event_id"] for h in hits)
    assert any("[" in h["snippet"] for h in hits)
    english = client.get("/api/search", params={"q": "Aleppo OR Saraqib"}).json()["hits"]
    assert english


def test_read_only_server_refuses_writes(client):
    r = client.post("/api/articles", json=POSTED)
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    assert client.get("/api/meta").json()["writable"] is False


def test_writes_need_the_token(tmp_path):
    db = tmp_path / "w.db"
    open_store(db).close()
    with TestClient(create_app(db, token=TOKEN)) as c:
        assert c.post("/api/articles", json=POSTED).status_code == 401
        assert c.post("/api/articles", json=POSTED, headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert c.get("/api/events").json()["total"] == 0
        bad = c.post("/api/articles", json={"body": "x"}, headers={"X-Marsad-Token": TOKEN})
        assert bad.status_code == 422 and "text" in bad.json()["detail"]
        r = c.post("/api/articles", json=[POSTED], headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200, r.text
        assert r.json()["results"][0] == {"id": "api-test-1", "stored": True, "events": 1}
        page = c.get("/api/events").json()
        assert page["total"] == 1 and page["items"][0]["kind"] == "air_strike"
        # a facet asked before the write is not served stale from the cache after it
        again = c.post("/api/articles", json=POSTED, headers={"X-Marsad-Token": TOKEN}).json()
        assert again["results"][0]["stored"] is False
        assert c.get("/api/facets", params={"fields": "kind"}).json()["kind"] == [{"value": "air_strike", "count": 1}]


def test_openapi_schema_and_dashboard(client):
    schema = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{eid}", "/api/facets", "/api/aggregate", "/api/search",
                 "/api/articles", "/api/events.geojson", "/api/events.csv", "/api/articles/{article_id}"):
        assert path in schema["paths"], path
    page = client.get("/")
    assert page.status_code == 200 and "leaflet.js" in page.text and "/static/app.js" in page.text
    for asset in ("/static/app.js", "/static/i18n.json", "/static/vendor/leaflet/leaflet.js",
                  "/static/vendor/uplot/uPlot.iife.min.js", "/static/vendor/world-atlas/countries-50m.json"):
        assert client.get(asset).status_code == 200, asset
    i18n = client.get("/static/i18n.json").json()
    assert set(i18n["en"]) == set(i18n["ar"])
    meta = client.get("/api/meta").json()
    assert set(meta["kinds"]) == set(i18n["kinds_ar"])


def test_vendored_files_carry_their_licences():
    from marsad.serve import WEB

    vendor = WEB / "static" / "vendor"
    for pkg in ("leaflet", "uplot", "topojson-client", "world-atlas"):
        assert (vendor / pkg / "LICENSE").exists(), pkg
        assert f"| {pkg}/ |" in (vendor / "README.md").read_text()


def test_cli_serve_refuses_a_missing_store(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "does not exist" in r.output
    assert "dashboard" in CliRunner().invoke(main, ["serve", "--help"]).output


def test_timeline_periods_are_continuous():
    from marsad.serve import periods

    assert periods(["2015-07-27", "2015-08-17"], "week") == ["2015-07-27", "2015-08-03", "2015-08-10", "2015-08-17"]
    assert periods(["2014-11", "2015-02"], "month") == ["2014-11", "2014-12", "2015-01", "2015-02"]
    assert periods(["2013", "2015"], "year") == ["2013", "2014", "2015"]
    assert periods(["0001-01-01", "2015-01-01"], "day") == ["0001-01-01", "2015-01-01"]


def test_demo_ends_with_how_to_open_the_dashboard(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    db = tmp_path / "demo.db"
    r = CliRunner().invoke(main, ["demo", "--db", str(db)])
    assert r.exit_code == 0
    assert f"marsad serve --db {db}" in r.output.strip().splitlines()[-1]


def test_incidents_list_filters_and_detail_mark_the_contradiction(client, store):
    from marsad.store import IncidentQuery

    page = client.get("/api/incidents", params={"limit": 5}).json()
    assert page["total"] == store.count_incidents() > 0 and len(page["items"]) <= 5
    contested = client.get("/api/incidents", params={"contested": "true"}).json()
    assert contested["total"] == store.count_incidents(IncidentQuery(contested=True)) >= 1
    inc = next(i for i in contested["items"] if {r["article"] for r in i["reports"]} >= {"strike-a", "strike-b"})
    assert "killed_spread" in inc["reasons"] and inc["killed"]["low"] == 5 and inc["killed"]["high"] == 20
    detail = client.get(f"/api/incidents/{inc['id']}").json()
    # every source's version, with its article's text, and the toll marked where they disagree
    assert {"strike-a", "strike-b"} <= set(detail["articles"])
    assert all(detail["articles"][a]["text"] for a in ("strike-a", "strike-b"))
    marks = {c["key"]: c["differs"] for c in detail["comparison"]}
    assert all("killed" in marks[r["key"]] for r in detail["incident"]["reports"] if r["article"] in ("strike-a", "strike-b"))
    assert client.get("/api/incidents/nope").status_code == 404
    assert client.get("/api/incidents", params={"order_by": "colour"}).status_code == 400
    assert client.get("/api/incidents", params={"contested": "maybe"}).status_code == 422
    assert client.get("/api/incidents", params={"min_sources": 0}).status_code == 422


def test_compare_reports_never_sets_a_copy_against_its_original():
    from marsad.serve import compare_reports

    inc = {"reports": [{"key": "a#0", "article": "a", "killed": 5, "kind": "air_strike", "copy_of": None},
                       {"key": "b#0", "article": "b", "killed": 7, "kind": "air_strike", "copy_of": "a"},
                       {"key": "c#0", "article": "c", "killed": 5, "kind": "shelling", "copy_of": None}]}
    got = {c["key"]: c["differs"] for c in compare_reports(inc)}
    # a and its copy b are one voice: their 5 and 7 are not set against each other; c is set against both
    assert got == {"a#0": ["kind"], "b#0": ["kind", "killed"], "c#0": ["kind", "killed"]}


def test_ci_runs_the_readme_test_command_after_its_chromium_block():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    commands = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1]
    assert "apt-get install -y -qq chromium" in "\n".join(ci)
