"""Exports from the store: article records as JSON Lines, events as CSV and GeoJSON."""
from __future__ import annotations

import csv
import json
from typing import TextIO

from .events.dating import ACLED_TIME_PRECISION
from .store import Store

CSV_COLUMNS = ["date", "date_precision", "time_precision", "kind", "acled_event_type", "acled_sub_event_type", "plover_event_type",
               "actors", "targets", "place", "country", "lat", "lon", "precision", "killed", "injured",
               "status", "sources", "article_id"]


def event_row(ev: dict) -> dict:
    place = ev.get("place") or {}
    acled, plover = ev.get("acled") or {}, ev.get("plover") or {}
    return {
        "date": ev.get("date"), "date_precision": ev.get("date_precision"),
        "time_precision": ACLED_TIME_PRECISION.get(ev.get("date_precision")), "kind": ev["kind"],
        "acled_event_type": acled.get("event_type"), "acled_sub_event_type": acled.get("sub_event_type"),
        "plover_event_type": plover.get("event_type"),
        "actors": "; ".join(f"{a['text']} ({a['side']})" for a in ev.get("actors", [])),
        "targets": "; ".join(f"{t['text']} ({t['side']})" for t in ev.get("targets", [])),
        "place": place.get("name"), "country": place.get("country"),
        "lat": place.get("lat"), "lon": place.get("lon"), "precision": place.get("precision"),
        "killed": (ev.get("killed") or {}).get("total"), "injured": (ev.get("injured") or {}).get("total"),
        "status": ev.get("status"), "sources": "; ".join(s["text"] for s in ev.get("sources", [])),
        "article_id": ev.get("article_id"),
    }


def export_jsonl(store: Store, out: TextIO) -> int:
    n = 0
    for rec in store.records():
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def export_csv(store: Store, out: TextIO) -> int:
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    w.writeheader()
    n = 0
    for ev in store.events():
        w.writerow(event_row(ev))
        n += 1
    return n


def export_geojson(store: Store, out: TextIO) -> int:
    """A FeatureCollection of the events that have coordinates (RFC 7946: lon, lat order)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for ev in store.events():
        place = ev.get("place") or {}
        if place.get("lat") is None or place.get("lon") is None:
            continue
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
                   "properties": event_row(ev)}
        out.write((",\n" if n else "") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n


EXPORTERS = {"jsonl": export_jsonl, "csv": export_csv, "geojson": export_geojson}
