"""The incidents that hold the reports marsad places at one spot (the Suruç check of docs/incidents.md).

    python benchmarks/incident_at.py --records conflict.records.jsonl [--lat 36.976 --lon 38.425 --deg 0.1]

Groups every record's reports as an ingest does (wire copies and incidents, in file order),
then prints how the reports placed within --deg of the spot spread over incidents, and for
the largest: its reports, articles, sources, wire copies, killed and injured low / best /
high with the updates, and the contested reasons.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter

from marsad.incidents import IncidentIndex, WireIndex, summarise


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", required=True)
    ap.add_argument("--lat", type=float, default=36.976)
    ap.add_argument("--lon", type=float, default=38.425)
    ap.add_argument("--deg", type=float, default=0.1)
    a = ap.parse_args()
    wire, index = WireIndex(), IncidentIndex()
    with open(a.records, encoding="utf-8") as fh:
        for rec in map(json.loads, fh):
            if "events" in rec:
                wire.add(rec["id"], rec.get("text") or "", rec.get("published"))
                index.add_record(rec)
    groups = index.groups()

    def here(r) -> bool:
        return r.lat is not None and abs(r.lat - a.lat) < a.deg and abs(r.lon - a.lon) < a.deg

    held = sorted(((sum(map(here, reps)), len(reps), iid) for iid, reps in groups.items() if any(map(here, reps))),
                  reverse=True)
    print(f"{sum(n for n, _, _ in held)} reports placed here, in {len(held)} incidents "
          f"(of them here, all): {[(n, m) for n, m, _ in held[:12]]}")
    inc = summarise(held[0][2], groups[held[0][2]], wire.original)
    print(f"largest: {inc.id} {inc.kind} {inc.date} {inc.place}: {len(inc.reports)} reports, {inc.n_articles} articles, "
          f"{inc.n_sources} sources, {sum(1 for r in inc.reports if r['copy_of'])} wire copies")
    for name, fig in (("killed", inc.killed), ("injured", inc.injured)):
        print(f"  {name} low / best / high {fig.low} / {fig.best} / {fig.high}; updates "
              f"{[(u['published'], u['value']) for u in fig.updates]}; "
              f"figures {sorted(Counter(s['value'] for s in fig.by_source).items())}")
    print(f"  contested {inc.contested} {inc.reasons}")


if __name__ == "__main__":
    main()
