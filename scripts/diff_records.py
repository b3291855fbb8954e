"""Compare two directories of article records (NAME.json each), field by field.

    python scripts/diff_records.py BEFORE_DIR AFTER_DIR [--ignore events.*.status_evidence]

Prints one line per differing JSON path (``file: path: before -> after``) and a count;
exits 1 when anything differs. ``--ignore`` takes glob patterns over the dotted path
(list indices are written as ``*`` in the pattern), for fields a change adds on purpose.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from pathlib import Path


def walk(a, b, path: str, out: list[tuple[str, object, object]]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            walk(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}" if path else str(k), out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}.{i}", out)
    elif a != b:
        out.append((path, a, b))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--ignore", action="append", default=[], help="glob over the dotted path, e.g. events.*.status_evidence")
    args = ap.parse_args(argv)
    names = sorted({p.name for p in args.before.glob("*.json")} | {p.name for p in args.after.glob("*.json")})
    n = 0
    for name in names:
        pa, pb = args.before / name, args.after / name
        if not pa.exists() or not pb.exists():
            print(f"{name}: only in {'after' if not pa.exists() else 'before'}")
            n += 1
            continue
        diffs: list[tuple[str, object, object]] = []
        walk(json.loads(pa.read_text(encoding="utf-8")), json.loads(pb.read_text(encoding="utf-8")), "", diffs)
        for path, x, y in diffs:
            generic = ".".join("*" if part.isdigit() else part for part in path.split("."))
            if any(fnmatch.fnmatch(generic, pat) for pat in args.ignore):
                continue
            print(f"{name}: {path}: {json.dumps(x, ensure_ascii=False)[:120]} -> {json.dumps(y, ensure_ascii=False)[:120]}")
            n += 1
    print(f"{n} difference(s) in {len(names)} record(s)")
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
