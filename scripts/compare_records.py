"""Records before and after a change: the same inputs through two versions of marsad.

    python scripts/compare_records.py [--before REV] [--after DIR_WITH_SRC] [--out /tmp/records]
        [--inputs dev,ho,h2,snn500]

``--before`` is a git revision of this repository (default: HEAD), unpacked with
``git archive`` into the scratch folder; ``--after`` is a folder holding the
``src`` to test (default: this checkout). Both run ``marsad extract`` over the dev
set (../shared/eval/dev), the two held-out input sets and the 500 SaudiNewsNet
lines (/work/baseline; an input set that is missing is skipped), with the same
``PYTHONHASHSEED``: the CRF's gazetteer features list a token's gazetteer classes
from a set, whose order follows string hashing, and crfsuite sums weights in
attribute order, so two processes with different seeds may differ in the last bits
of a score. Prints the differing JSON paths (``scripts/diff_records.py``) and exits
1 when anything differs. A performance change must leave every record identical.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASELINE = Path("/work/baseline")
INPUTS = {
    "dev": ("files", SHARED / "eval" / "dev"),
    "ho": ("files", BASELINE / "ho_in"),
    "h2": ("files", BASELINE / "h2_in"),
    "snn500": ("jsonl", BASELINE / "snn500.jsonl"),
}

sys.path.insert(0, str(ROOT / "scripts"))
from diff_records import walk  # noqa: E402


def unpack(rev: str, dest: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True, capture_output=True).stdout
    tar = dest / "src.tar"
    tar.write_bytes(data)
    with tarfile.open(tar) as tf:
        tf.extractall(dest)
    return dest / "src"


def extract(src: Path, name: str, out: Path) -> Path:
    kind, path = INPUTS[name]
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0", OMP_NUM_THREADS="1")
    marsad = [sys.executable, "-m", "marsad.cli"]
    if kind == "files":
        target = out / name
        cmd = marsad + ["extract", *sorted(str(p) for p in path.glob("*.txt")), "--out", str(target)]
    else:
        target = out / f"{name}.jsonl"
        cmd = marsad + ["extract", "--jsonl", str(path), "--out", str(target)]
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return target


def differences(a: Path, b: Path) -> list[str]:
    out: list[tuple[str, object, object]] = []
    if a.is_dir():
        for fa in sorted(a.glob("*.json")):
            fb = b / fa.name
            recs = json.loads(fa.read_text(encoding="utf-8")), (json.loads(fb.read_text(encoding="utf-8"))
                                                                 if fb.exists() else "<absent>")
            walk(recs[0], recs[1], fa.name, out)
    else:
        la = a.read_text(encoding="utf-8").splitlines()
        lb = b.read_text(encoding="utf-8").splitlines()
        if len(la) != len(lb):
            out.append(("lines", len(la), len(lb)))
        for i, (x, y) in enumerate(zip(la, lb), 1):
            if x != y:
                walk(json.loads(x), json.loads(y), f"line {i}", out)
    return [f"{p}: {x!r} -> {y!r}" for p, x, y in out]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="HEAD")
    ap.add_argument("--after", type=Path, default=ROOT)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--inputs", default=",".join(INPUTS))
    a = ap.parse_args()
    out = a.out or Path(tempfile.mkdtemp(prefix="marsad-records-"))
    before_src = unpack(a.before, out / "before")
    bad = 0
    for name in a.inputs.split(","):
        if not INPUTS[name][1].exists():
            print(f"{name:<7} skipped ({INPUTS[name][1]} is missing)")
            continue
        x = extract(before_src, name, out / "before")
        y = extract(a.after / "src", name, out / "after")
        diffs = differences(x, y)
        print(f"{name:<7} {'identical' if not diffs else f'{len(diffs)} differences'}")
        for d in diffs[:50]:
            print("   " + d)
        bad += bool(diffs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
