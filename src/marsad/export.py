"""Exports from a store, in a registry: ``marsad export --format NAME`` offers what is registered.

An exporter is a function ``(store, out, query, options) -> Stats`` registered
with ``@exporter(NAME, ...)``; ``out`` is a text stream, or for binary formats
a path (a directory for Parquet, one file per table). Every exporter honours
the same ``EventQuery`` filters (dates, country, kind, toll ...). Events without
coordinates are never dropped: CSV leaves their coordinates empty, GeoJSON
writes them with a null geometry, and ``Stats.without_coordinates`` counts them.

Registered: ``jsonl`` (article records), ``csv`` (events; profiles ``marsad``
and ``acled``, the ACLED column set and codes), ``geojson`` (events) and
``parquet`` (events, entities, places and quotes with typed columns; needs
pyarrow, the ``parquet`` extra).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from .errors import OptionsError
from .resources import data_rows
from .store import MAX_LIMIT, EventQuery, IncidentQuery, Store


@dataclass(frozen=True)
class ExportOptions:
    profile: str = "marsad"     # column set of the csv exporter: marsad or acled
    bom: bool = False           # a UTF-8 byte order mark first, so Excel reads the CSV as UTF-8


@dataclass
class Stats:
    written: int = 0
    without_coordinates: int = 0    # events written without a point (null geometry, empty lat/lon)
    left_out: int = 0               # events a profile cannot express (acled: kinds with no ACLED type)
    unit: str = "events"


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Callable[[Store, Any, EventQuery, ExportOptions], Stats]
    help: str
    binary: bool = False        # writes to a path (--out), not to a text stream
    profiles: tuple[str, ...] = ("marsad",)


EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str, help: str, binary: bool = False, profiles: tuple[str, ...] = ("marsad",)):
    """Register the decorated function as the exporter called ``name``."""
    def register(fn: Callable[[Store, Any, EventQuery, ExportOptions], Stats]):
        EXPORTERS[name] = Exporter(name, fn, help, binary, profiles)
        return fn
    return register


def export(store: Store, fmt: str, out: Any, query: EventQuery = EventQuery(),
           options: ExportOptions = ExportOptions()) -> Stats:
    """Run the exporter ``fmt``; unknown formats and profiles raise OptionsError."""
    if fmt not in EXPORTERS:
        raise OptionsError(f"no exporter {fmt!r} (registered: {', '.join(EXPORTERS)})")
    ex = EXPORTERS[fmt]
    if options.profile not in ex.profiles:
        raise OptionsError(f"{fmt} has no profile {options.profile!r} (profiles: {', '.join(ex.profiles)})")
    if options.bom and fmt != "csv":
        raise OptionsError("--bom is for csv (a byte order mark breaks JSON readers)")
    return ex.write(store, out, query, options)


# --- marsad's own columns ----------------------------------------------------

CSV_COLUMNS = ["event_id", "date", "date_precision", "time_precision", "kind", "acled_event_type", "acled_sub_event_type",
               "plover_event_type", "actors", "targets", "place", "place_en", "admin1", "country", "lat", "lon",
               "precision", "killed", "injured", "status", "sources", "notes", "article_id", "published", "url"]


def time_precision(date_precision: str | None) -> int | None:
    """ACLED's time_precision (1 day, 2 week or a few days, 3 month or coarser) of a record's
    date precision, from the code table data/export/acled.tsv."""
    code = _acled_codes()["time_precision"].get(date_precision or "")
    return int(code) if code else None


def event_id(ev: dict) -> str:
    """A stable id of a stored event: its article's id and its index in the article."""
    return f"{ev['article_id']}-{ev['idx']}"


def _has_point(ev: dict) -> bool:
    place = ev.get("place") or {}
    return place.get("lat") is not None and place.get("lon") is not None


def event_row(ev: dict) -> dict:
    place = ev.get("place") or {}
    acled, plover = ev.get("acled") or {}, ev.get("plover") or {}
    return {
        "event_id": event_id(ev),
        "date": ev.get("date"), "date_precision": ev.get("date_precision"),
        "time_precision": time_precision(ev.get("date_precision")), "kind": ev["kind"],
        "acled_event_type": acled.get("event_type"), "acled_sub_event_type": acled.get("sub_event_type"),
        "plover_event_type": plover.get("event_type"),
        "actors": "; ".join(f"{a['text']} ({a['side']})" for a in ev.get("actors", [])),
        "targets": "; ".join(f"{t['text']} ({t['side']})" for t in ev.get("targets", [])),
        "place": place.get("name"), "place_en": place.get("name_en"), "admin1": ev.get("admin1"),
        "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
        "precision": place.get("precision"),
        "killed": (ev.get("killed") or {}).get("total"), "injured": (ev.get("injured") or {}).get("total"),
        "status": ev.get("status"), "sources": "; ".join(s["text"] for s in ev.get("sources", [])),
        "notes": ev.get("notes"), "article_id": ev.get("article_id"), "published": ev.get("published"),
        "url": ev.get("url"),
    }


# --- the ACLED profile --------------------------------------------------------

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
                 "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
                 "civilian_targeting", "iso", "country", "admin1", "admin2", "location", "latitude", "longitude",
                 "geo_precision", "source", "notes", "fatalities",
                 # marsad's own, after ACLED's
                 "injured", "status", "fatalities_low", "fatalities_best", "fatalities_high", "kind",
                 "reported_by", "location_ar", "url", "published", "event_id"]


@lru_cache(maxsize=1)
def _acled_codes() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for table, value, code, *_ in data_rows("export/acled.tsv"):
        out.setdefault(table, {})[value] = code
    return out


@lru_cache(maxsize=1)
def _iso() -> dict[str, tuple[str, str]]:
    return {iso2: (iso3, numeric) for iso2, iso3, numeric in data_rows("export/iso3166.tsv")}


@lru_cache(maxsize=None)
def country_name_en(iso2: str) -> str | None:
    """The gazetteer's English name of a country (Syria, Iraq …)."""
    from .gazetteer import load

    g = load()
    i = g.country.get(iso2)
    return g.entries[i].name_en if i is not None else None


def _inter(side: str | None, event_type: str | None, first: bool) -> int | None:
    codes = _acled_codes()
    if first and event_type in codes["inter_event_type"]:
        return int(codes["inter_event_type"][event_type])
    code = codes["inter"].get(side or "")
    return int(code) if code else None


def acled_row(ev: dict) -> dict:
    """An event in ACLED's columns and codes, then marsad's own columns. Actor names stay in Arabic as
    the article wrote them; places and countries are in English where the gazetteer has them."""
    codes = _acled_codes()
    place = ev.get("place") or {}
    acled = ev.get("acled") or {}
    etype = acled.get("event_type")
    actors, targets = ev.get("actors", []), ev.get("targets", [])
    inter1 = _inter(actors[0]["side"], etype, True) if actors else None
    inter2 = _inter(targets[0]["side"], etype, False) if targets else None
    pair = sorted(c for c in (inter1, inter2) if c is not None)
    # ACLED's interaction: the two inter codes, lower first; one actor alone is its code and 0
    interaction = pair[0] * 10 + pair[1] if len(pair) == 2 else (pair[0] * 10 if pair else None)
    cc = place.get("country")
    iso3, numeric = _iso().get(cc or "", (None, None))
    killed = (ev.get("killed") or {}).get("total")
    d = ev.get("date")
    return {
        "event_id_cnty": f"{iso3 or 'XXX'}-{event_id(ev)}", "event_date": d, "year": d[:4] if d else None,
        "time_precision": time_precision(ev.get("date_precision")),
        "event_type": etype, "sub_event_type": acled.get("sub_event_type"),
        "actor1": actors[0]["text"] if actors else None,
        "assoc_actor_1": "; ".join(a["text"] for a in actors[1:]) or None, "inter1": inter1,
        "actor2": targets[0]["text"] if targets else None,
        "assoc_actor_2": "; ".join(t["text"] for t in targets[1:]) or None, "inter2": inter2,
        "interaction": interaction,
        "civilian_targeting": codes["civilian_targeting"]["civilians"]
        if any(t["side"] == "civilians" for t in targets) else None,
        "iso": int(numeric) if numeric else None, "country": country_name_en(cc) if cc else None,
        "admin1": ev.get("admin1"), "admin2": None,
        "location": place.get("name_en") or place.get("name"),
        "latitude": place.get("lat"), "longitude": place.get("lon"),
        "geo_precision": codes["geo_precision"].get(place.get("precision") or ""),
        "source": "; ".join(x for x in (ev.get("outlet"),) if x) or None,
        "notes": ev.get("notes"),
        # ACLED writes 0 when no death is reported
        "fatalities": killed or 0,
        "injured": (ev.get("injured") or {}).get("total"), "status": ev.get("status"),
        # marsad keeps one count per event: the range is that count until tolls carry ranges
        "fatalities_low": killed, "fatalities_best": killed, "fatalities_high": killed,
        "kind": ev["kind"], "reported_by": "; ".join(s["text"] for s in ev.get("sources", [])) or None,
        "location_ar": place.get("name"), "url": ev.get("url"), "published": ev.get("published"),
        "event_id": event_id(ev),
    }


# --- text formats ---------------------------------------------------------------

@exporter("jsonl", "article records, one a line (with filters: the articles that have a matching event)")
def export_jsonl(store: Store, out: IO[str], query: EventQuery, options: ExportOptions) -> Stats:
    stats = Stats(unit="records")
    for rec in store.records(query):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        stats.written += 1
    return stats


@exporter("csv", "events, one a row; --profile acled for ACLED's columns and codes", profiles=("marsad", "acled"))
def export_csv(store: Store, out: IO[str], query: EventQuery, options: ExportOptions) -> Stats:
    acled = options.profile == "acled"
    if options.bom:
        out.write("\ufeff")
    w = csv.DictWriter(out, fieldnames=ACLED_COLUMNS if acled else CSV_COLUMNS)
    w.writeheader()
    stats = Stats()
    for ev in store.iter_events(query):
        if acled and not (ev.get("acled") or {}).get("event_type"):
            stats.left_out += 1
            continue
        w.writerow(acled_row(ev) if acled else event_row(ev))
        stats.written += 1
        stats.without_coordinates += not _has_point(ev)
    return stats


@exporter("geojson", "events as a FeatureCollection (events without a point have a null geometry)")
def export_geojson(store: Store, out: IO[str], query: EventQuery, options: ExportOptions) -> Stats:
    """RFC 7946: lon, lat order; a feature with no known point has ``"geometry": null``. The collection
    ends with the count of such events (a foreign member, ignored by readers that do not know it)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    stats = Stats()
    for ev in store.iter_events(query):
        place = ev.get("place") or {}
        geometry = {"type": "Point", "coordinates": [place["lon"], place["lat"]]} if _has_point(ev) else None
        feature = {"type": "Feature", "id": event_id(ev), "geometry": geometry, "properties": event_row(ev)}
        out.write((",\n" if stats.written else "") + json.dumps(feature, ensure_ascii=False))
        stats.written += 1
        stats.without_coordinates += geometry is None
    out.write(f'\n], "marsad": {{"events": {stats.written}, "without_coordinates": {stats.without_coordinates}}}}}\n')
    return stats


# --- Parquet ------------------------------------------------------------------

def _day(s: str | None) -> date | None:
    try:
        return date.fromisoformat(s) if s and len(s) == 10 else None
    except ValueError:
        return None


def _parquet_tables(store: Store, query: EventQuery) -> Iterator[tuple[str, dict[str, list], dict[str, str]]]:
    """(table name, columns, arrow type names) for events, entities, places and quotes."""
    ev_cols: dict[str, list] = {c: [] for c in CSV_COLUMNS}
    ev_cols["idx"], ev_cols["day"] = [], []
    for side in ("civilians", "state_forces", "non_state", "unknown"):
        ev_cols[f"killed_{side}"] = []
    for ev in store.iter_events(query):
        row = event_row(ev)
        for c in CSV_COLUMNS:
            ev_cols[c].append(row[c])
        ev_cols["idx"].append(ev["idx"])
        ev_cols["day"].append(_day(ev.get("date")))
        for side in ("civilians", "state_forces", "non_state", "unknown"):
            ev_cols[f"killed_{side}"].append((ev.get("killed") or {}).get(side))
    ev_cols["published"] = [_day(p) for p in ev_cols["published"]]
    types = {c: "string" for c in ev_cols}
    types.update(lat="float64", lon="float64", killed="int32", injured="int32", idx="int32", time_precision="int8",
                 day="date32",
                 published="date32", **{f"killed_{s}": "int32" for s in ("civilians", "state_forces", "non_state",
                                                                          "unknown")})
    yield "events", ev_cols, types

    ent: dict[str, list] = {c: [] for c in ("article_id", "entity", "type", "name", "name_en", "mentions")}
    pla: dict[str, list] = {c: [] for c in ("article_id", "idx", "entity", "name", "name_en", "lat", "lon",
                                            "country", "admin1", "precision", "gazetteer_id")}
    quo: dict[str, list] = {c: [] for c in ("article_id", "idx", "speaker", "speaker_entity", "cue", "content",
                                            "direct", "date")}
    for rec in store.records(query):
        aid = rec["id"]
        for e in rec["entities"]:
            for k, v in zip(ent, (aid, e["id"], e["type"], e["name"], e.get("name_en"), len(e["mentions"]))):
                ent[k].append(v)
        for i, p in enumerate(rec["places"]):
            for k in pla:
                pla[k].append(aid if k == "article_id" else i if k == "idx" else p.get(k))
        for i, q in enumerate(rec["quotes"]):
            for k, v in zip(quo, (aid, i, q["speaker"]["text"], q["speaker"]["entity"], q["cue"],
                                  q["content"]["text"], q["direct"], _day(q.get("date")))):
                quo[k].append(v)
    yield "entities", ent, {**{c: "string" for c in ent}, "mentions": "int32"}
    yield "places", pla, {**{c: "string" for c in pla}, "idx": "int32", "lat": "float64", "lon": "float64"}
    yield "quotes", quo, {**{c: "string" for c in quo}, "idx": "int32", "direct": "bool_", "date": "date32"}


@exporter("parquet", "events, entities, places and quotes: DIR/TABLE.parquet with typed columns (needs --out DIR)",
          binary=True)
def export_parquet(store: Store, out: str | Path, query: EventQuery, options: ExportOptions) -> Stats:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OptionsError("parquet export needs pyarrow: pip install 'marsad[parquet]'") from None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stats = Stats()
    for name, cols, types in _parquet_tables(store, query):
        schema = pa.schema([(c, getattr(pa, types[c])()) for c in cols])
        pq.write_table(pa.table(cols, schema=schema), out / f"{name}.parquet")
        if name == "events":
            stats.written = len(cols["idx"])
            stats.without_coordinates = sum(lat is None for lat in cols["lat"])
    return stats


# --- incidents --------------------------------------------------------------------

INCIDENT_COLUMNS = ["incident_id", "event_date", "time_precision", "event_type", "sub_event_type", "kind",
                    "iso", "country", "location", "latitude", "longitude", "fatalities", "fatalities_low",
                    "fatalities_high", "injured", "injured_low", "injured_high", "n_articles", "n_sources",
                    "contested", "contested_reasons", "outlets", "first_published", "last_published"]


def iter_incidents(store: Store, query: EventQuery) -> Iterator[dict]:
    """The incidents matching the export filters that incidents have (dates, country, kind, toll)."""
    q = IncidentQuery(since=query.since, until=query.until, kind=query.kind, country=query.country,
                      min_killed=query.min_killed, order_by="date", limit=MAX_LIMIT)
    while True:
        page = store.incidents(q)
        yield from page.items
        if page.next_offset is None:
            return
        q = replace(q, offset=page.next_offset)


def incident_row(inc: dict) -> dict:
    """An incident in ACLED-like columns: the best toll as ``fatalities`` (the rule of
    marsad.incidents.sources), its range, how many articles and independent sources tell it,
    and why it is contested."""
    from . import kinds
    codes = _acled_codes()
    acled = (kinds.get(inc["kind"]).acled if kinds.get(inc["kind"]) else None) or {}
    iso3, numeric = _iso().get(inc.get("country") or "", (None, None))
    published = sorted(r["published"] for r in inc["reports"] if r.get("published"))
    killed, injured = inc["killed"], inc["injured"]
    return {
        "incident_id": inc["id"], "event_date": inc.get("date"),
        "time_precision": time_precision(inc.get("date_precision")),
        "event_type": acled.get("event_type"), "sub_event_type": acled.get("sub_event_type"), "kind": inc["kind"],
        "iso": int(numeric) if numeric else None,
        "country": country_name_en(inc["country"]) if inc.get("country") else None,
        "location": inc.get("place"), "latitude": inc.get("lat"), "longitude": inc.get("lon"),
        "fatalities": killed["best"], "fatalities_low": killed["low"], "fatalities_high": killed["high"],
        "injured": injured["best"], "injured_low": injured["low"], "injured_high": injured["high"],
        "n_articles": inc["n_articles"], "n_sources": inc["n_sources"], "contested": int(inc["contested"]),
        "contested_reasons": "; ".join(inc["reasons"]) or None,
        "outlets": "; ".join(sorted({r["outlet"] for r in inc["reports"] if r.get("outlet")})) or None,
        "first_published": published[0] if published else None,
        "last_published": published[-1] if published else None,
    }


@exporter("incidents-csv", "incidents (one happening across its reports), one a row: best toll and its "
          "range, sources, contested reasons")
def export_incidents_csv(store: Store, out: IO[str], query: EventQuery, options: ExportOptions) -> Stats:
    w = csv.DictWriter(out, fieldnames=INCIDENT_COLUMNS)
    w.writeheader()
    stats = Stats(unit="incidents")
    for inc in iter_incidents(store, query):
        w.writerow(incident_row(inc))
        stats.written += 1
        stats.without_coordinates += inc.get("lat") is None
    return stats


@exporter("incidents-geojson", "incidents as a FeatureCollection (null geometry where no point is known)")
def export_incidents_geojson(store: Store, out: IO[str], query: EventQuery, options: ExportOptions) -> Stats:
    out.write('{"type": "FeatureCollection", "features": [\n')
    stats = Stats(unit="incidents")
    for inc in iter_incidents(store, query):
        point = inc.get("lat") is not None and inc.get("lon") is not None
        geometry = {"type": "Point", "coordinates": [inc["lon"], inc["lat"]]} if point else None
        feature = {"type": "Feature", "id": inc["id"], "geometry": geometry, "properties": incident_row(inc)}
        out.write((",\n" if stats.written else "") + json.dumps(feature, ensure_ascii=False))
        stats.written += 1
        stats.without_coordinates += not point
    out.write(f'\n], "marsad": {{"incidents": {stats.written}, "without_coordinates": '
              f'{stats.without_coordinates}}}}}\n')
    return stats


@exporter("incidents-jsonl", "incidents with their reports and what each source says, one a line")
def export_incidents_jsonl(store: Store, out: IO[str], query: EventQuery, options: ExportOptions) -> Stats:
    stats = Stats(unit="incidents")
    for inc in iter_incidents(store, query):
        out.write(json.dumps(inc, ensure_ascii=False) + "\n")
        stats.written += 1
    return stats
