"""Throughput of the whole pipeline against a bare pass, CPU ratio, peak memory, profile.

    python benchmarks/bench_throughput.py [--n 2000] [--repeat 1] [--profile 300]
        [--data /work/shared/data/saudinewsnet] [--only full1,full2,bare]

In one run, over the same N SaudiNewsNet articles (the first N non-empty ones of
the daily zips under DATA/raw_zips, read at run time and never copied into the
repo; written once to a scratch JSON Lines file that every configuration reads):

* **bare**: read each line, normalise (``arabic.norm_view``), split sentences and
  tokens, write one JSON line per article: the floor any pipeline pays;
* **full1**, **full2**: ``marsad.batch.process_items`` with 1 and 2 workers, each
  record written by ``JsonlSink`` (what ``marsad extract --jsonl`` does).

Each configuration runs in its own child process, so CPU seconds (user + system, the
child and its workers, from ``wait4``) and peak memory are its own. Resources load
before the clock starts ("load", a cold start, reported apart); articles/s and
"cpu run" cover reading, processing and writing only. ``--repeat`` interleaves the
configurations (bare, full1, full2, bare, …) and reports medians: the machine is
shared and noisy. ``--profile K`` then profiles K articles in this process, stage
by stage: time per stage and the top functions (cProfile, own time) inside each.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "saudinewsnet"
CONFIGS = ("bare", "full1", "full2")


def snn_articles(data: Path, n: int):
    """The first ``n`` non-empty SaudiNewsNet articles, as the JSON objects of the zips."""
    import zipfile
    count = 0
    for zpath in sorted((data / "raw_zips").glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            for name in zf.namelist():
                for obj in json.loads(zf.read(name)):
                    if not (obj.get("content") or "").strip():
                        continue
                    yield obj
                    count += 1
                    if count >= n:
                        return


def write_input(data: Path, n: int, path: Path) -> tuple[int, int]:
    """The scratch JSON Lines input marsad reads: text, title, url, outlet, published."""
    k = chars = 0
    with open(path, "w", encoding="utf-8") as fh:
        for obj in snn_articles(data, n):
            rec = {"text": obj["content"], "title": obj.get("title") or None, "url": obj.get("url"),
                   "outlet": obj.get("source"), "published": (obj.get("date_extracted") or "")[:10] or None}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            k += 1
            chars += len(obj["content"])
    return k, chars


def _cpu_self_and_children() -> float:
    return sum(_cpu_split())


def _cpu_split() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children (the workers)."""
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime, c.ru_utime + c.ru_stime


def _preload() -> None:
    try:
        from marsad.batch import preload
    except ImportError:     # a checkout from before batch.preload: warm the pipeline by hand
        from marsad.core import Article
        from marsad.pipeline import process

        def preload():
            process(Article(text="تحميل النماذج مرة واحدة: قتل ثلاثة في دمشق.", published="2015-08-01"))
    preload()


# --- one configuration, in a child process ------------------------------------

def _bare(inp: Path, out: Path) -> int:
    from marsad.arabic import norm_view, sentences, tokens
    n = 0
    with open(inp, encoding="utf-8") as fh, open(out, "w", encoding="utf-8") as w:
        for line in fh:
            obj = json.loads(line)
            view = norm_view(obj["text"])
            sents = sentences(obj["text"])
            toks = tokens(obj["text"])
            w.write(json.dumps({"url": obj.get("url"), "norm": view.text,
                                "sentences": [[s.start, s.end] for s in sents],
                                "tokens": [[t.start, t.end] for t in toks]}, ensure_ascii=False) + "\n")
            n += 1
    return n


def _full(inp: Path, out: Path, workers: int) -> int:
    from marsad.batch import iter_jsonl_items, process_items
    from marsad.sinks import JsonlSink, drain
    with open(out, "w", encoding="utf-8") as w:
        counts = drain(process_items(iter_jsonl_items(inp), workers=workers), JsonlSink(w))
    return counts.written


def child(config: str, inp: Path, out: Path) -> None:
    t0, c0 = time.perf_counter(), _cpu_self_and_children()
    if config != "bare":
        # The cold start: imports, models, gazetteer, built once in this process
        # (and inherited by forked workers).
        _preload()
    else:
        import marsad.arabic  # noqa: F401
    load_s, load_cpu = time.perf_counter() - t0, _cpu_self_and_children() - c0
    t1, c1, (m1, _) = time.perf_counter(), _cpu_self_and_children(), _cpu_split()
    n = _bare(inp, out) if config == "bare" else _full(inp, out, int(config[4:]))
    wall, cpu = time.perf_counter() - t1, _cpu_self_and_children() - c1
    # the main process's share: reading, the runner, unpickling results, the one writer
    cpu_main = _cpu_split()[0] - m1
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"n": n, "load_s": load_s, "load_cpu": load_cpu, "wall": wall, "cpu": cpu, "cpu_main": cpu_main,
                      "peak_main_mb": own, "peak_worker_mb": kids}))


def run_config(config: str, inp: Path, tmp: Path) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, __file__, "--child", config, "--input", str(inp),
                             "--output", str(tmp / f"{config}.jsonl")], stdout=subprocess.PIPE, env=env)
    out = proc.stdout.read()
    _, status, ru = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{config} failed (status {status})")
    res = json.loads(out.decode().strip().splitlines()[-1])
    res["cpu_total"] = ru.ru_utime + ru.ru_stime
    return res


# --- profile --------------------------------------------------------------------

def profile(inp: Path, k: int, top: int = 8) -> None:
    from marsad.batch import iter_jsonl_items
    from marsad.pipeline import default_pipeline
    _preload()
    pipe = default_pipeline()
    profs = {s.name: cProfile.Profile() for s in pipe.stages}
    spent = {s.name: 0.0 for s in pipe.stages}
    arts = [it.article for it in iter_jsonl_items(inp)][:k]
    for art in arts:
        for st in pipe.stages:
            p = profs[st.name]
            t0 = time.process_time()
            p.enable()
            art = st.run(art)
            p.disable()
            spent[st.name] += time.process_time() - t0
    total = sum(spent.values())
    print(f"\nprofile of {len(arts)} articles, CPU ms per article by stage (under cProfile, which inflates "
          f"Python-heavy code; shares are what to read):")
    for name, s in spent.items():
        print(f"  {name:<12} {1000 * s / len(arts):7.2f} ms  {100 * s / total:5.1f}%")
    for name, p in profs.items():
        buf = io.StringIO()
        st = pstats.Stats(p, stream=buf)
        st.sort_stats("tottime").print_stats(top)
        print(f"\n-- {name}: top {top} functions by own time")
        rows = [ln for ln in buf.getvalue().splitlines() if ln.strip() and ln.strip()[0].isdigit()]
        for ln in rows[:top]:
            print("   " + ln.replace(str(Path(__file__).resolve().parents[1]) + "/src/", ""))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=1, help="interleaved rounds; medians are reported")
    ap.add_argument("--profile", type=int, default=300, help="articles to profile by stage (0: none)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--only", default=",".join(CONFIGS))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.child, a.input, a.output)
        return
    if not (a.data / "raw_zips").is_dir():
        sys.exit(f"no SaudiNewsNet zips under {a.data}/raw_zips")
    configs = [c for c in a.only.split(",") if c]
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as d:
        tmp = Path(d)
        inp = tmp / "input.jsonl"
        n, chars = write_input(a.data, a.n, inp)
        print(f"articles        {n} SaudiNewsNet ({chars / max(n, 1):.0f} characters each on average)")
        print(f"load average    {' '.join(f'{x:.2f}' for x in os.getloadavg())} at start, on {os.cpu_count()} cores")
        runs: dict[str, list[dict]] = {c: [] for c in configs}
        for _ in range(a.repeat):
            for c in configs:
                runs[c].append(run_config(c, inp, tmp))
        med = {c: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for c, rs in runs.items()}
        print(f"load average    {' '.join(f'{x:.2f}' for x in os.getloadavg())} at end; medians of {a.repeat} "
              f"interleaved round(s)")
        print(f"\n{'config':<7} {'art/s':>7} {'wall s':>7} {'cpu run':>8} {'cpu/art ms':>10} {'main ms':>8} "
              f"{'load s':>7} {'cpu total':>9} {'peak main':>10} {'peak worker':>11}")
        for c, m in med.items():
            worker = f"{m['peak_worker_mb']:.0f} MB" if c == "full2" else "-"
            print(f"{c:<7} {m['n'] / m['wall']:7.1f} {m['wall']:7.2f} {m['cpu']:8.2f} {1000 * m['cpu'] / m['n']:10.2f} "
                  f"{1000 * m['cpu_main'] / m['n']:8.2f} {m['load_s']:7.2f} {m['cpu_total']:9.2f} {m['peak_main_mb']:7.0f} MB {worker:>11}")
        if "bare" in med:
            for c in configs:
                if c != "bare":
                    print(f"CPU ratio {c} / bare: {med[c]['cpu'] / med['bare']['cpu']:.1f} "
                          f"(wall {med[c]['wall'] / med['bare']['wall']:.1f})")
        if a.profile:
            profile(inp, a.profile)


if __name__ == "__main__":
    main()
