"""python -m marsad.incidents COMMAND

    score --records FILE.jsonl    score incident building on the incident gold; FILE holds marsad
                                  records of SaudiNewsNet's conflict subset (marsad extract --jsonl)
"""
from __future__ import annotations

import argparse
import json
import sys

from . import gold
from .score import score


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m marsad.incidents", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("score", help="score incident building on the incident gold")
    sp.add_argument("--records", required=True)
    sp.add_argument("--split", choices=("dev", "test"), help="one half of the gold (default: all)")
    args = p.parse_args(argv)
    with open(args.records, encoding="utf-8") as fh:
        records = [r for r in map(json.loads, fh) if "events" in r]
    incidents, reports = gold.load()
    if args.split:
        keep = {i["id"] for i in incidents if i.get("split") == args.split}
        incidents = [i for i in incidents if i["id"] in keep]
        reports = [r for r in reports if r.incident in keep]
    contents = {a["url"]: a["content"] for a in gold.conflict_subset()}
    print(json.dumps(score(records, incidents, reports, contents), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
