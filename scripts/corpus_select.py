"""Draw the articles of the annotated event corpus (docs/annotation.md) and fix their splits.

    python scripts/corpus_select.py            # writes eval/corpus/articles.tsv

Seeded and deterministic: the same ../shared/data gives the same draw, splits and
double-annotation set. References only (url, date_extracted): the text is CC BY-NC-SA
and stays in ../shared/data; marsad.corpus rebuilds it.

Strata (decided before any annotation; the counts are the issue's floors plus a margin
for articles that turn out to report nothing):
- conflict: 270 articles of SaudiNewsNet's conflict subset, round-robin over outlet and
  month so that no outlet dominates (aawsat is a quarter of the subset);
- negative: 80 articles from the daily zips outside the conflict subset that use war
  words (the hard negatives: statements, analysis, sport and economy pieces), half from
  the sport and economy outlets;
Articles already used by marsad's rules or gold sets (shared/eval/dev, eval/heldout,
eval/heldout2, eval/labelled) are left out. Articles longer than MAX_CHARS are left out
so one annotator pass stays tractable (about 9% of the conflict subset; noted in the
guidelines as a bias of the corpus).

Splits: a seeded shuffle of all drawn articles; the first TEST go to the blind test,
the next DEV to development, the rest to train. DOUBLE articles (10%), drawn by a second
seeded shuffle, are annotated twice, independently.
"""
from __future__ import annotations

import csv
import glob
import json
import random
import re
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SNN = SHARED / "data" / "saudinewsnet"
OUT = ROOT / "eval" / "corpus" / "articles.tsv"

SEED = 20261203
N_CONFLICT = 270
N_NEGATIVE = 80
MIN_CHARS, MAX_CHARS = 300, 6000
TEST, DEV = 70, 40
DOUBLE = 35
SPORT_ECONOMY = {"arreyadi", "arriyadiyah", "aleqtisadiya"}
# War words that make a non-conflict article a hard negative (written for this draw).
WAR_WORDS = re.compile("|".join([
    "قتل", "هجوم", "حرب", "معرك", "انفجار", "قصف", "غار[ةا]", "اشتباك", "ضرب", "سلاح",
    "هجمات", "ارهاب", "إرهاب", "تفجير", "رصاص", "اعتقال", "مظاهر", "احتجاج", "خطف"]))


def used_urls() -> set[str]:
    urls: set[str] = set()
    for meta in (SHARED / "eval" / "dev").glob("*.meta.json"):
        urls.add(json.loads(meta.read_text(encoding="utf-8")).get("url") or "")
    for tsv in ["eval/heldout/articles.tsv", "eval/heldout2/articles.tsv",
                "eval/labelled/events.tsv", "eval/labelled/events_heldout.tsv"]:
        for line in (ROOT / tsv).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                urls.add(line.split("\t")[1])
    return urls


def round_robin(groups: dict[tuple, list[dict]], n: int, rng: random.Random) -> list[dict]:
    keys = sorted(groups)
    for k in keys:
        rng.shuffle(groups[k])
    out: list[dict] = []
    while len(out) < n and any(groups[k] for k in keys):
        for k in keys:
            if groups[k] and len(out) < n:
                out.append(groups[k].pop())
    return out


def main() -> None:
    rng = random.Random(SEED)
    skip = used_urls()
    conflict = [json.loads(line) for line in (SNN / "conflict_subset.jsonl").open(encoding="utf-8")]
    conflict_urls = {a["url"] for a in conflict}
    by_group: dict[tuple, list[dict]] = defaultdict(list)
    for a in conflict:
        if a["url"] not in skip and MIN_CHARS <= len(a["content"]) <= MAX_CHARS:
            by_group[(a["source"], a["date_extracted"][:7])].append(a)
    drawn = [dict(a, stratum="conflict") for a in round_robin(by_group, N_CONFLICT, rng)]

    neg_groups: dict[tuple, list[dict]] = defaultdict(list)
    for z in sorted(glob.glob(str(SNN / "raw_zips" / "*.zip"))):
        with zipfile.ZipFile(z) as f:
            for name in f.namelist():
                for a in json.loads(f.read(name)):
                    c = a.get("content") or ""
                    if (a["url"] in conflict_urls or a["url"] in skip
                            or not MIN_CHARS <= len(c) <= MAX_CHARS or len(WAR_WORDS.findall(c)) < 2):
                        continue
                    neg_groups[("sport_economy" if a["source"] in SPORT_ECONOMY else "general", a["source"])].append(a)
    sport = {k: v for k, v in neg_groups.items() if k[0] == "sport_economy"}
    general = {k: v for k, v in neg_groups.items() if k[0] == "general"}
    negatives = round_robin(sport, N_NEGATIVE // 2, rng)
    negatives += round_robin(general, N_NEGATIVE - len(negatives), rng)
    seen = {a["url"] for a in drawn}
    drawn += [dict(a, stratum="negative") for a in negatives if a["url"] not in seen]

    # Ids in a shuffled order, so that an annotator cannot tell a stratum from an id.
    rng.shuffle(drawn)
    order = list(range(len(drawn)))
    rng.shuffle(order)
    split = {}
    for rank, i in enumerate(order):
        split[i] = "test" if rank < TEST else "dev" if rank < TEST + DEV else "train"
    double = set(random.Random(SEED + 1).sample(range(len(drawn)), DOUBLE))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# The annotated event corpus: one article per line, by reference only (docs/annotation.md).\n"
                 f"# Drawn by scripts/corpus_select.py (seed {SEED}); splits fixed before any annotation.\n")
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["id", "url", "date_extracted", "outlet", "stratum", "split", "double"])
        for n, a in enumerate(drawn):
            w.writerow([f"c{n + 1:04d}", a["url"], a["date_extracted"], a["source"], a["stratum"],
                        split[n], "yes" if n in double else "no"])
    print(f"{len(drawn)} articles -> {OUT}")


if __name__ == "__main__":
    main()
