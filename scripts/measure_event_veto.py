#!/usr/bin/env python3
"""Measure the learned veto (marsad.events.learned.veto) inside the whole pipeline, off and on.

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/measure_event_veto.py [--data ../shared/data]
        [--n 300] [--out /tmp/veto]

The events stage is not edited: the veto is put in by wrapping the stage's ``classify``
(the hook the stage would call, see docs/events_learned.md). For each mode it prints
sentence-level detection on the held-out and the tuning SaudiNewsNet sentences
(scripts/score_event_detection.py); the event scores of the dev set and of the two held-out
article sets (eval/heldout, eval/heldout2, rebuilt by scripts/make_heldout.py) by
../shared/eval/score.py, with the records the veto changed; and the pipeline's throughput
(CPU time) on the first N SaudiNewsNet articles (benchmarks/bench_pipeline.py's reader).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import marsad.stages.events as stage  # noqa: E402
from marsad.batch import iter_files, process_items  # noqa: E402
from marsad.events import learned  # noqa: E402
from marsad.pipeline import process  # noqa: E402

ORIGINAL = stage.classify
SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def classify_with_veto(view, bounds, found, *args, **kw):
    return learned.veto(ORIGINAL(view, bounds, found, *args, **kw), learned.view_sentence(view, bounds))


def detection(labels: Path, data: Path) -> dict:
    import score_event_detection as S
    argv, out = sys.argv, io.StringIO()
    sys.argv = ["score_event_detection.py", "--json", "--labels", str(labels), "--data", str(data)]
    try:
        with contextlib.redirect_stdout(out):
            S.main()
    finally:
        sys.argv = argv
    return json.loads(out.getvalue())


def articles_score(inputs: Path, gold: Path, out: Path) -> dict:
    """Records for inputs/*.txt into ``out``, scored against gold/*.gold.json by the shared scorer."""
    out.mkdir(parents=True, exist_ok=True)
    for res in process_items(iter_files(sorted(inputs.glob("*.txt"))), 1):
        if res.article is not None:
            (out / (Path(res.origin).stem + ".json")).write_text(
                json.dumps(res.article.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    r = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(out), "--json"],
                       capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 and r.stdout.strip().startswith("{") else {"raw": r.stdout[-2000:]}


def article_sets(shared: Path, data: Path, out: Path) -> dict[str, tuple[Path, Path]]:
    """dev, and the two held-out article sets rebuilt from ../shared/data (scripts/make_heldout.py)."""
    sets = {"dev": (shared / "eval" / "dev", shared / "eval" / "dev")}
    for name, gold in (("heldout", ROOT / "eval" / "heldout"), ("heldout2", ROOT / "eval" / "heldout2")):
        inputs = out / f"{name}_in"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_heldout.py"), "--data", str(data),
                        "--list", str(gold / "articles.tsv"), "--out", str(inputs)], check=True, capture_output=True)
        sets[name] = (inputs, gold)
    return sets


def throughput(data: Path, n: int) -> float:
    import bench_pipeline
    docs = list(bench_pipeline.articles(data / "saudinewsnet", n))
    process(docs[0])            # models load before the clock starts
    # CPU time of this process: the machine is shared, wall time would measure the neighbours
    t0 = time.process_time()
    for d in docs:
        process(d)
    return len(docs) / (time.process_time() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--n", type=int, default=300, help="articles for the throughput figure (0: skip)")
    ap.add_argument("--out", default="/tmp/marsad_veto")
    a = ap.parse_args()
    data, shared, out = Path(a.data), Path(a.data).parent, Path(a.out)
    learned.model()
    global SCORER
    SCORER = shared / "eval" / "score.py"
    sets = article_sets(shared, data, out)
    results = {}
    for mode in ("off", "on"):
        stage.classify = classify_with_veto if mode == "on" else ORIGINAL
        r = results[mode] = {}
        for name in ("events_heldout", "events"):
            r[name] = detection(ROOT / "eval" / "labelled" / f"{name}.tsv", data)
        for name, (inputs, gold) in sets.items():
            r[name] = articles_score(inputs, gold, out / mode / name)
        if a.n:
            r["articles_per_s"] = round(throughput(data, a.n), 1)
    stage.classify = ORIGINAL
    for mode, r in results.items():
        print(f"\n== veto {mode}")
        for name in ("events_heldout", "events"):
            d = r[name]
            print(f"  {name:15s} P {d['precision']} R {d['recall']} F1 {d['f1']} kind_acc {d['kind_accuracy']} "
                  f"(positives {d['positives']}, negatives {d['negatives']}) by kind {d['recall_by_kind']}")
        for name in sets:
            print(f"  {name:15s} " + json.dumps({k: v for k, v in r[name].items() if k.startswith(("event", "casualty"))}))
        if a.n:
            print(f"  throughput     {r['articles_per_s']} articles per CPU-second ({a.n} SaudiNewsNet articles, 1 process)")
    for name in sets:
        changed = [p.name for p in sorted((out / "off" / name).glob("*.json"))
                   if p.read_text(encoding="utf-8") != (out / "on" / name / p.name).read_text(encoding="utf-8")]
        print(f"{name}: records changed by the veto: {len(changed)} {changed}")
    (out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
