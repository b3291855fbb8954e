import csv
import io
import json

import pytest

from marsad.errors import OptionsError
from marsad.export import ACLED_COLUMNS, CSV_COLUMNS, EXPORTERS, ExportOptions, export
from marsad.store import EventQuery, open_store


@pytest.fixture(scope="module")
def store():
    from marsad.batch import iter_files, process_items
    from marsad.demo import sample_files

    st = open_store(":memory:")
    for res in process_items(iter_files(sample_files())):
        st.put(res.article)
    yield st
    st.close()


def _csv(store, **kw):
    fh = io.StringIO()
    query = kw.pop("query", EventQuery())
    stats = export(store, "csv", fh, query, ExportOptions(**kw))
    return fh.getvalue(), stats


def test_registry_lists_the_formats():
    assert {"csv", "geojson", "jsonl", "parquet"} <= set(EXPORTERS)
    assert "acled" in EXPORTERS["csv"].profiles
    assert all(e.help for e in EXPORTERS.values())


def test_marsad_csv_keeps_events_without_coordinates_and_counts_them(store):
    text, stats = _csv(store)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == stats.written == store.count_events()
    assert stats.without_coordinates == sum(1 for r in rows if not r["lat"]) >= 1
    assert all(r["event_id"] and r["url"] is not None and r["notes"] for r in rows)


def test_acled_profile_columns_and_codes(store):
    text, stats = _csv(store, profile="acled", bom=True)
    assert text.startswith("\ufeffevent_id_cnty,")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == ACLED_COLUMNS
    assert stats.written + stats.left_out == store.count_events() and stats.left_out >= 1   # threaten: no ACLED type
    strike = next(r for r in rows if r["sub_event_type"] == "Air/drone strike")
    assert strike["event_id_cnty"].startswith("SYR-") and strike["iso"] == "760" and strike["country"] == "Syria"
    assert strike["time_precision"] == "1" and strike["geo_precision"] == "1" and strike["location"] == "Saraqib"
    assert strike["admin1"] == "Idlib Governorate" and strike["fatalities"] == "5"
    assert strike["civilian_targeting"] == "Civilian targeting" and strike["inter2"] == "7"
    assert strike["notes"].startswith("مقتل خمسة مدنيين")
    assert all(r["fatalities"] for r in rows)          # ACLED writes 0, never blank
    protest = next(r for r in rows if r["event_type"] == "Protests")
    assert protest["inter1"] in ("", "6") and protest["interaction"] in ("", "60")


def test_filters_apply_to_every_export(store):
    text, stats = _csv(store, query=EventQuery(country="IQ", min_killed=1))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["country"] == "IQ" and int(r["killed"]) >= 1 for r in rows)
    fh = io.StringIO()
    st = export(store, "jsonl", fh, EventQuery(kind=("air_strike",)))
    assert st.written == 1 and json.loads(fh.getvalue())["events"][0]["kind"] == "air_strike"


def test_geojson_writes_null_geometry_and_the_count(store):
    fh = io.StringIO()
    stats = export(store, "geojson", fh)
    fc = json.loads(fh.getvalue())
    assert len(fc["features"]) == store.count_events()
    nulls = [f for f in fc["features"] if f["geometry"] is None]
    assert len(nulls) == stats.without_coordinates == fc["marsad"]["without_coordinates"] >= 1


def test_unknown_profile_or_bom_on_json_is_refused(store):
    with pytest.raises(OptionsError):
        export(store, "geojson", io.StringIO(), options=ExportOptions(profile="acled"))
    with pytest.raises(OptionsError):
        export(store, "jsonl", io.StringIO(), options=ExportOptions(bom=True))
    with pytest.raises(OptionsError):
        export(store, "xlsx", io.StringIO())


def test_parquet_tables_have_typed_columns(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    stats = export(store, "parquet", tmp_path / "pq")
    events = pq.read_table(tmp_path / "pq" / "events.parquet")
    assert events.num_rows == stats.written == store.count_events()
    types = {f.name: str(f.type) for f in events.schema}
    assert types["killed"] == "int32" and types["lat"] == "double" and types["day"] == "date32[day]"
    assert types["published"] == "date32[day]" and types["kind"] == "string"
    assert events.column("lat").null_count == stats.without_coordinates
    for name in ("entities", "places", "quotes"):
        assert pq.read_table(tmp_path / "pq" / f"{name}.parquet").num_rows > 0


def test_acled_csv_and_parquet_load_in_pandas_and_duckdb_with_their_dtypes(store, tmp_path):
    """The documented dtypes (docs/python.md) as pandas and DuckDB read them."""
    pd = pytest.importorskip("pandas")
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    path = tmp_path / "acled.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        stats = export(store, "csv", fh, options=ExportOptions(profile="acled", bom=True))
    df = pd.read_csv(path, encoding="utf-8-sig", parse_dates=["event_date"])
    assert list(df.columns) == ACLED_COLUMNS and len(df) == stats.written
    assert str(df["event_date"].dtype).startswith("datetime64")
    assert df["fatalities"].dtype.kind == "i" and df["latitude"].dtype.kind == "f"
    assert df["time_precision"].dtype.kind == "i" and df["iso"].dtype.kind in "if"     # float when a country is missing
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_csv('{path}', header=true)")
    types = dict(zip(rel.columns, map(str, rel.types)))
    assert types["event_date"] == "DATE" and types["fatalities"] == "BIGINT" and types["latitude"] == "DOUBLE"
    export(store, "parquet", tmp_path / "pq")
    ev = pd.read_parquet(tmp_path / "pq" / "events.parquet")
    assert str(ev["killed"].dtype) in ("Int32", "int32", "float64") and ev["lat"].dtype.kind == "f"
    rel = con.sql(f"SELECT * FROM read_parquet('{tmp_path / 'pq' / 'events.parquet'}')")
    types = dict(zip(rel.columns, map(str, rel.types)))
    assert types["killed"] == "INTEGER" and types["day"] == "DATE" and types["lat"] == "DOUBLE"
    assert con.execute(f"SELECT count(*) FROM read_parquet('{tmp_path / 'pq' / 'quotes.parquet'}')").fetchall()[0][0] > 0
