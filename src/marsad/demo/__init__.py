"""`marsad demo`: the main job on the bundled sample articles, then a summary table."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ..batch import iter_files, process_items, store_results
from ..store import open_store


def sample_files() -> list[Path]:
    return sorted(Path(str(resources.files("marsad") / "demo")).glob("sample-*.txt"))


def run_demo(db: str | Path) -> int:
    files = sample_files()
    with open_store(db) as store:
        counts = store_results(store, process_items(iter_files(files)))
        click.echo(f"marsad demo: {len(files)} sample articles -> {db}\n")
        click.echo(f"{'date':<11} {'kind':<18} {'place':<16} {'killed':>6} {'injured':>7}  sources")
        for ev in store.iter_events():
            place = (ev.get("place") or {}).get("name") or "-"
            killed = ev["killed"]["total"]
            injured = ev["injured"]["total"]
            sources = "، ".join(s["text"] for s in ev["sources"]) or "-"
            click.echo(f"{ev['date'] or '-':<11} {ev['kind']:<18} {place:<16} "
                       f"{'-' if killed is None else killed:>6} {'-' if injured is None else injured:>7}  {sources}")
        s = store.summary()
        click.echo(f"\n{s.articles} articles, {s.entities} entities, {s.places} places, {s.quotes} quotes, "
                   f"{s.events} events, {s.failures} failed inputs")
        click.echo(f"try: marsad search 'غارات' --db {db}   marsad export --db {db} --format csv")
        click.echo(f"dashboard: marsad serve --db {db}   then open http://127.0.0.1:8000/")
    return 1 if counts.failed else 0
