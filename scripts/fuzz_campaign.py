#!/usr/bin/env python3
"""The long fuzzing campaign (issue 19): hostile inputs through the JSON Lines path, and kills during ingest.

    OMP_NUM_THREADS=1 PYTHONPATH=src python scripts/fuzz_campaign.py --n 10000 --seed 19 --workers 2 --kills 20

Inputs are generated from a seed: real SaudiNewsNet articles (read at run time from
--data, never stored in the repository), their mutations (Unicode that changes
length when lower-cased, combining marks, bidi and zero-width controls, tatweel,
lone surrogates, duplicated text, huge numbers), other encodings (UTF-16 and
UTF-8 with BOMs, Windows-1256, Latin-1 mojibake, random bytes), malformed JSON
(truncated, deeply nested, wrong field types) and pathological repetitions
(a trigger word thousands of times). Each input is one JSON Lines line and goes
through what ``marsad extract --jsonl`` does with a line: read, pipeline under
the watchdog, record, JSON, UTF-8. Every record is validated against the
shipped JSON Schema and every span checked against its text. Then the same
lines go through the real command (``marsad extract --jsonl``) to check that
every input line has exactly one output line, and ingests are killed with
SIGKILL at random moments, recovered and compared with a clean ingest.

Prints a table of figures (docs/reliability.md holds a run of it).
"""
from __future__ import annotations

import argparse
import codecs
import glob
import json
import multiprocessing as mp
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from pathlib import Path

DATA = Path("/work/shared/data/saudinewsnet")

# --- inputs ---------------------------------------------------------------------

ODD_CHARS = [
    "\u0130", "\u0131", "\u1e9e", "\u00df", "\ufb00", "\u0149", "\u01f0", "\u0390",  # case maps that change length
    "\u0301", "\u0651", "\u064b", "\u0670", "\u0640",                                 # combining marks, tatweel
    "\u200f", "\u200e", "\u202a", "\u202b", "\u202e", "\u2066", "\u2069", "\u061c",   # bidi controls
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060",                                 # zero-width
    "\ud800", "\udfff", "\udc80",                                                      # lone surrogates
    "\U0001f600", "\U00010000", "\x00", "\x1b", "\r", "\u2028", "\u0085", "\ufffd",
    "«", "»", "\"", "(", ")", "[", "]", "٫", "٬", "٠", "٩", "۴",
]
TRIGGERS = ["قال", "قتل", "غارة", "قصف", "أصيب", "انفجار", "مقتل", "أكد", "أعلن", "هجوم", "اشتباكات",
            "المرصد السوري", "في دير الزور", "يوم الاثنين", "أمس", "«", "»", "(", ")", "و", "عشرات",
            "عنصرا", "مدنيا", "123", "2015", "الساعة", "قتلى", "جرحى", "ثلاثة", "ألف", "مليون"]


def load_articles(data: Path, limit_zips: int) -> list[dict]:
    arts = []
    subset = data / "conflict_subset.jsonl"
    if subset.exists():
        with open(subset, encoding="utf-8") as fh:
            arts += [json.loads(line) for line in fh if line.strip()]
    for z in sorted(glob.glob(str(data / "raw_zips" / "*.zip")))[:limit_zips]:
        with zipfile.ZipFile(z) as zf:
            for name in zf.namelist():
                arts += json.loads(zf.read(name))
    if not arts:
        sys.exit(f"no SaudiNewsNet articles under {data}")
    return arts


def mutate_text(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(9)
        n = len(text)
        i = rng.randrange(n + 1)
        if op == 0:     # sprinkle odd characters
            chars = list(text)
            for _ in range(rng.randint(1, 50)):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(ODD_CHARS))
            text = "".join(chars)
        elif op == 1:   # duplicate a stretch
            j = min(n, i + rng.randint(1, 2000))
            text = text[:j] + text[i:j] * rng.randint(1, 20) + text[j:]
        elif op == 2:   # truncate
            text = text[:i] if rng.random() < 0.5 else text[i:]
        elif op == 3:   # huge or odd numbers
            num = rng.choice(["9" * rng.randint(15, 500), "1" + "0" * rng.randint(15, 400), "٩" * 40,
                              "1.000.000.000.000.000", "12,5", "0", "-7", "3e400", "1٬000٬000٬000٬000٬000"])
            text = text[:i] + f" {num} " + rng.choice(["قتيلا", "مدنيا", "شخصا", "جريحا", ""]) + " " + text[i:]
        elif op == 4:   # tatweel, bidi marks inside words
            text = "".join(c + (rng.choice("\u0640\u200f\u200c\u0651") if rng.random() < 0.2 else "") for c in text)
        elif op == 5:   # delete a stretch
            text = text[:i] + text[i + rng.randint(1, 500):]
        elif op == 6:   # swap words around
            words = text.split(" ")
            rng.shuffle(words)
            text = " ".join(words)
        elif op == 7:   # upper/lower case Latin mixed in
            text = text[:i] + " İSTANBUL ﬃ ǰ ß ΐ ŉ " + text[i:]
        else:           # lines and spaces
            text = text[:i] + rng.choice(["\n" * 50, " " * 500, "\t" * 50, "\r\n" * 20, ".\n" * 30]) + text[i:]
    return text


# Twice the longest SaudiNewsNet article (34k characters): long enough to expose any
# rule that is quadratic in repetitions, short enough that linear time is well under 2 s.
MAX_PATHOLOGICAL_CHARS = 70_000


def pathological(rng: random.Random) -> str:
    k = rng.choice([300, 1000, 2000, 4000])
    words = [rng.choice(TRIGGERS) for _ in range(rng.randint(1, 3))]
    sep = rng.choice([" ", "، ", " و", "\n", ". "])
    body = sep.join(words * k)
    if rng.random() < 0.3:
        body = rng.choice(TRIGGERS) * rng.choice([1000, 5000, 20000])     # no spaces at all
    if rng.random() < 0.2:
        body = "«" * 3000 + body + "»" * 10
    return body[:MAX_PATHOLOGICAL_CHARS]


def field_value(rng: random.Random):
    return rng.choice([5, 3.5, True, False, None, {"a": 1}, [1, 2], "", "\ud800", "2015-13-45", "x" * 50,
                       "2015-07-21 02:51:32", 10 ** 30, -1, "٢٠١٥-٠٧-٢١"])


def make_input(rng: random.Random, arts: list[dict]) -> tuple[str, bytes]:
    """(kind, one JSON Lines line as bytes)."""
    art = dict(rng.choice(arts))
    art.pop("author", None)
    kind = rng.choices(["real", "mutated", "fields", "encoding", "malformed", "repetition"],
                       weights=[15, 40, 12, 15, 10, 8])[0]
    if kind == "mutated":
        art["content"] = mutate_text(rng, art.get("content") or "")
        if rng.random() < 0.3:
            art["title"] = mutate_text(rng, art.get("title") or "")
    elif kind == "fields":
        for key in rng.sample(["id", "title", "date_extracted", "published", "url", "source", "text", "outlet"],
                              rng.randint(1, 3)):
            art[key] = field_value(rng)
    elif kind == "repetition":
        art["content"] = pathological(rng)
    line = json.dumps(art, ensure_ascii=rng.random() < 0.3)
    if kind == "encoding":
        enc = rng.choice(["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1256", "latin1-mojibake",
                          "random-bytes", "cut-utf8", "nul"])
        if enc == "utf-16-le-bom":
            raw = codecs.BOM_UTF16_LE + line.encode("utf-16-le", "surrogatepass")
        elif enc == "utf-16-be-bom":
            raw = codecs.BOM_UTF16_BE + line.encode("utf-16-be", "surrogatepass")
        elif enc == "cp1256":
            raw = line.encode("cp1256", errors="replace")
        elif enc == "latin1-mojibake":
            raw = line.encode("utf-8", "surrogatepass").decode("latin-1").encode("utf-8")
        elif enc == "random-bytes":
            b = bytearray(line.encode("utf-8", "surrogatepass"))
            for _ in range(rng.randint(1, 40)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            raw = bytes(b)
        elif enc == "cut-utf8":
            b = line.encode("utf-8", "surrogatepass")
            raw = b[: rng.randrange(1, len(b))]
        elif enc == "nul":
            raw = line.encode("utf-8", "surrogatepass").replace(b" ", b"\x00", rng.randint(1, 5))
        else:
            raw = line.encode(enc, "surrogatepass")
        kind = f"encoding:{enc}"
    elif kind == "malformed":
        m = rng.randrange(7)
        if m == 0:
            line = line[: rng.randrange(1, len(line))]
        elif m == 1:
            line = "[" * rng.choice([100, 1000, 100_000]) + "]" * rng.randint(0, 1000)
        elif m == 2:
            line = '{"text": ' + '{"a": ' * rng.choice([500, 5000, 50_000]) + "1" + "}" * 10
        elif m == 3:
            line = rng.choice(["[]", "1", '"text"', "null", "true", "NaN", "{}", '{"text": null}', "{,}"])
        elif m == 4:
            line = line + rng.choice(["}", " xx", ",", "]"])
        elif m == 5:
            line = '{"text": "' + "\\ud800" * rng.randint(1, 5) + (art.get("content") or "")[:300] + '"}'
        else:
            line = '{"text": ' + json.dumps(art.get("content") or "") + ', "text": 5, "id": ' + str(10 ** 400) + "}"
        raw = line.encode("utf-8", "surrogatepass")
        kind = f"malformed:{m}"
    else:
        raw = line.encode("utf-8", "surrogatepass")
    # one input, one line: a raw newline would make it two
    raw = raw.replace(b"\n", b" ")
    if not raw.strip():
        raw = b"{}"
    return kind, raw


# --- one input through the extract path ---------------------------------------

_validator = None


def _check_spans(rec: dict) -> tuple[int, int]:
    """(spans outside the text, spans whose quoted text is not the text at its offsets)."""
    text = rec["text"]
    outside = mismatch = 0

    def walk(obj):
        nonlocal outside, mismatch
        if isinstance(obj, dict):
            s, e = obj.get("start"), obj.get("end")
            if isinstance(s, int) and isinstance(e, int):
                if not 0 <= s <= e <= len(text):
                    outside += 1
                elif isinstance(obj.get("text"), str) and obj["text"] != text[s:e]:
                    mismatch += 1
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for key in ("entities", "places", "quotes", "events"):
        walk(rec.get(key))
    return outside, mismatch


def probe(args: tuple[int, str, bytes]) -> dict:
    global _validator
    import jsonschema

    from marsad.batch import Item, _from_error, run_item
    from marsad.sinks import dump as _dump, failure_record as _failure_record
    from marsad.errors import InputError
    from marsad.readers import jsonl_record
    from marsad.resources import schema

    if _validator is None:
        _validator = jsonschema.Draft202012Validator(schema())
    i, kind, raw = args
    origin = f"fuzz.jsonl:{i + 1}"
    out = {"i": i, "kind": kind, "crash": None, "stage_errors": [], "outcome": None, "chars": 0,
           "schema": 0, "outside": 0, "mismatch": 0}
    c0, w0 = time.process_time(), time.perf_counter()
    try:
        try:
            item = Item(origin, article=jsonl_record(raw, origin))
        except InputError as exc:
            item = _from_error(origin, exc)
        res = run_item(item)
        rec = res.article.to_json() if res.article else _failure_record(res)
        _dump(rec).encode("utf-8")        # what the writer does with it
        # the input's time is what marsad spent on it (read, pipeline, record, JSON), not
        # the checks below (schema validation is ~7 % more on a record of 3,000 mentions)
        out["cpu"], out["wall"] = time.process_time() - c0, time.perf_counter() - w0
        if res.article is not None:
            out["outcome"] = "record"
            out["chars"] = len(res.article.text)
            out["stage_errors"] = [f"{f.stage}: {f.message}" for f in res.article.failures]
            out["schema"] = sum(1 for _ in _validator.iter_errors(rec))
            out["outside"], out["mismatch"] = _check_spans(rec)
        else:
            out["outcome"] = res.failure.reason
    except BaseException as exc:  # noqa: BLE001 - that is what is counted
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        out["crash"] = f"{type(exc).__name__}: {str(exc)[:120]} ({Path(tb.filename).name}:{tb.lineno})"
    if "cpu" not in out:      # a crash before the record was written
        out["cpu"], out["wall"] = time.process_time() - c0, time.perf_counter() - w0
    return out


def _init_worker() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")


# --- the real command on the same lines ------------------------------------------

def cli_accounting(lines: list[bytes], workers: int, tmp: Path) -> tuple[int, int, int]:
    """(input lines, output lines, exit code) of ``marsad extract --jsonl`` over the inputs."""
    src, dst = tmp / "fuzz.jsonl", tmp / "fuzz.out.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    proc = subprocess.run([sys.executable, "-m", "marsad.cli", "extract", "--jsonl", str(src), "--out", str(dst),
                           "--workers", str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    n_out = sum(1 for line in open(dst, "rb") if line.strip()) if dst.exists() else 0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-2000:])
    return len(lines), n_out, proc.returncode


# --- kills during ingest -----------------------------------------------------------

def _ingest(inp: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "marsad.cli", "ingest", str(inp), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def store_state(db: Path) -> dict:
    from marsad.store.sqlite import snapshot
    return snapshot(db)


def _count(db: Path) -> int:
    from marsad.store.sqlite import stored_articles
    return stored_articles(db)


def kill_campaign(arts: list[dict], runs: int, rng: random.Random, tmp: Path) -> list[dict]:
    """SIGKILL an ingest at a random moment (a random number of articles stored, or before
    the first), then check the store, rerun the ingest and compare with a clean one."""
    from click.testing import CliRunner

    from marsad.cli import main as cli_main

    inp = tmp / "ingest.jsonl"
    picked = rng.sample(arts, min(60, len(arts)))
    lines = [json.dumps(a, ensure_ascii=False) for a in picked] + ["{not json", '{"text": ""}']
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    clean = tmp / "clean.db"
    CliRunner().invoke(cli_main, ["ingest", str(inp), "--db", str(clean)])     # the reference, in this process
    ref = store_state(clean)
    n = len(ref["articles"])
    out = []
    for k in range(runs):
        db = tmp / f"kill{k}.db"
        p = _ingest(inp, db)
        target = rng.randint(0, n - 1)
        if target == 0:
            time.sleep(rng.uniform(0.05, 2.0))       # during start-up or the first article
        else:
            deadline = time.time() + 300
            while p.poll() is None and time.time() < deadline and _count(db) < target:
                time.sleep(0.005)
        killed = p.poll() is None
        if killed:
            p.send_signal(signal.SIGKILL)
        p.wait()
        after_kill = store_state(db) if db.exists() else None
        whole = after_kill is None or (after_kill["integrity"] == "ok" and after_kill["fts"] == len(after_kill["articles"])
                                       and all(ref["articles"].get(i) == r for i, r in after_kill["articles"].items()))
        CliRunner().invoke(cli_main, ["ingest", str(inp), "--db", str(db)])    # the rerun
        st = store_state(db)
        ok = (whole and st["integrity"] == "ok" and st["articles"] == ref["articles"] and st["events"] == ref["events"]
              and st["dup_origins"] == 0 and st["fts"] == n and st["failures"] == ref["failures"])
        out.append({"killed": killed, "stored_at_kill": len(after_kill["articles"]) if after_kill else 0, "ok": ok})
        print(f"  kill {k + 1}/{runs}: {'killed' if killed else 'had finished'} with "
              f"{out[-1]['stored_at_kill']} of {n} articles stored, recovered {'ok' if ok else 'NOT OK'}", file=sys.stderr)
    return out


# --- report ------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="generated inputs")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kills", type=int, default=20, help="ingest runs killed with SIGKILL")
    ap.add_argument("--zips", type=int, default=3, help="SaudiNewsNet daily zips read besides the conflict subset")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cli-sample", type=int, default=1500,
                    help="inputs (a seeded sample) also sent through `marsad extract --jsonl`; 0 skips it")
    ap.add_argument("--slow", type=float, default=2.0, help="seconds over which an input counts as slow")
    ap.add_argument("--results", type=Path, help="write each input's figures (index, kind, characters, CPU and "
                    "wall seconds, outcome) to this JSON Lines file, to find and rerun the slowest")
    ap.add_argument("--only", help="run only these inputs of the seeded plan (comma-separated indices, as "
                    "--results and the slowest list name them): a slow input reproduced")
    ap.add_argument("--minutes", type=float, default=0,
                    help="stop feeding inputs after this many minutes (0: no limit); the report says how many ran")
    args = ap.parse_args()

    t_start = time.perf_counter()
    arts = load_articles(args.data, args.zips)
    rng = random.Random(args.seed)
    inputs = [(i, *make_input(random.Random(rng.getrandbits(64)), arts)) for i in range(args.n)]
    if args.only:
        keep = {int(x) for x in args.only.split(",")}
        inputs = [x for x in inputs if x[0] in keep]
    print(f"{len(inputs)} inputs from {len(arts)} SaudiNewsNet articles, seed {args.seed}", file=sys.stderr)

    results = []
    # models and lexicons loaded before the fork, as `marsad extract --workers N` does
    # (batch.process_items): the cold start is not charged to the first input of a worker
    from marsad.batch import preload
    preload()
    ctx = mp.get_context("fork")
    stopped = False
    with ctx.Pool(args.workers, initializer=_init_worker) as pool:
        for r in pool.imap(probe, inputs, chunksize=4):       # in order: what ran is a prefix of the plan
            results.append(r)
            if len(results) % 500 == 0:
                print(f"  {len(results)} done, {time.perf_counter() - t_start:.0f}s", file=sys.stderr)
            if args.minutes and time.perf_counter() - t_start > args.minutes * 60:
                stopped = True
                break
    inputs = inputs[:len(results)]
    if args.results:
        with open(args.results, "w", encoding="utf-8") as fh:
            for r in results:
                fh.write(json.dumps({k: r[k] for k in ("i", "kind", "chars", "cpu", "wall", "outcome")}) + "\n")

    crashes = [r for r in results if r["crash"]]
    staged = [r for r in results if r["stage_errors"]]
    # the criterion: every input finishes under 2 s or is stopped and recorded as a
    # `timeout` failure (which has spent its budget, so is itself over 2 s): counted apart
    slow_cpu = [r for r in results if r["cpu"] > args.slow and r["outcome"] != "timeout"]
    slow_wall = [r for r in results if r["wall"] > args.slow]
    timeouts = [r for r in results if r["outcome"] == "timeout"]
    outcomes = Counter(r["outcome"] or "crash" for r in results)
    kinds = Counter(r["kind"].split(":")[0] for r in results)

    with tempfile.TemporaryDirectory(prefix="marsad-fuzz-") as tmp:
        tmp = Path(tmp)
        sample = sorted(random.Random(args.seed).sample(range(len(inputs)), min(args.cli_sample, len(inputs))))
        cli = cli_accounting([inputs[i][2] for i in sample], args.workers, tmp) if sample else None
        kills = kill_campaign(arts, args.kills, random.Random(args.seed), tmp) if args.kills else []

    rows = [
        ("inputs", f"{len(results)}" + (f" (of {args.n} planned: stopped at the {args.minutes:g}-minute limit)"
                                          if stopped else "")),
        ("  by kind", ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))),
        ("  outcome", ", ".join(f"{k} {v}" for k, v in outcomes.most_common())),
        ("crashes (an exception out of read, pipeline or write)", len(crashes)),
        ("stage exceptions (inputs with a stage_error)", len(staged)),
        (f"inputs over {args.slow:g} s of CPU (finished, not stopped as timeouts)", len(slow_cpu)),
        (f"inputs over {args.slow:g} s of wall time (shared machine)", len(slow_wall)),
        ("timeouts recorded as failures", len(timeouts)),
        ("max CPU / wall seconds for one input", f"{max(r['cpu'] for r in results):.2f} / "
                                                f"{max(r['wall'] for r in results):.2f}"),
        ("CPU seconds, all inputs", f"{sum(r['cpu'] for r in results):.0f}"),
        ("max CPU per 10,000 characters (inputs of 20,000+)", f"{max([r['cpu'] / r['chars'] * 1e4 for r in results if r['chars'] >= 20_000] or [0]):.2f} s"),
        ("schema failures (records not valid against article.schema.json)", sum(1 for r in results if r["schema"])),
        ("offsets outside the text", sum(r["outside"] for r in results)),
        ("spans whose text differs from the text at their offsets", sum(r["mismatch"] for r in results)),
        ("inputs unaccounted for (in-process)", len(inputs) - len(results)),
    ]
    if cli:
        rows.append((f"`marsad extract --jsonl` on a sample of {cli[0]}: input lines / output lines / exit code",
                     f"{cli[0]} / {cli[1]} / {cli[2]}"))
        rows.append(("inputs unaccounted for (the command, sample)", cli[0] - cli[1]))
    if kills:
        rows.append(("ingests killed with SIGKILL (of runs)", f"{sum(k['killed'] for k in kills)} of {len(kills)}"))
        rows.append(("recovered: integrity ok, every article once, events identical",
                     f"{sum(k['ok'] for k in kills)} of {len(kills)}"))
    rows.append(("campaign wall time", f"{time.perf_counter() - t_start:.0f} s"))

    print("| figure | value |\n| --- | --- |")
    for k, v in rows:
        print(f"| {k} | {v} |")
    for title, group, key in (("crashes", crashes, "crash"), ("stage exceptions", staged, "stage_errors")):
        if group:
            print(f"\n{title} (first 15 of {len(group)}):")
            for r in group[:15]:
                print(f"  input {r['i']} [{r['kind']}]: {r[key]}")
    if slow_cpu:
        print(f"\nslowest inputs (CPU s):")
        for r in sorted(slow_cpu, key=lambda r: -r["cpu"])[:10]:
            print(f"  input {r['i']} [{r['kind']}]: {r['cpu']:.2f} s, outcome {r['outcome']}")


if __name__ == "__main__":
    main()
