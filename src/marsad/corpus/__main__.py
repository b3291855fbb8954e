"""python -m marsad.corpus COMMAND: the annotated event corpus (docs/annotation.md).

    prepare --out DIR [--ids c0001,c0002]   numbered-sentence views for annotators (text; never commit)
    check FILE...                           validate working annotations against their articles
    convert FILE... [--as second]           store working annotations as offsets in eval/corpus/ann/
    stats                                   sizes per split, kind, outlet and stratum
    agree                                   agreement of the double annotations, per field
    score --pred DIR [--split test]         score marsad records against the corpus
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .annotation import convert, stored_path
from .source import load_articles


def _articles_by_id():
    return {a.id: a for a in load_articles()}


def cmd_prepare(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.ids.split(",")) if args.ids else None
    n = 0
    for a in load_articles():
        if wanted and a.id not in wanted:
            continue
        lines = [f"id: {a.id}", f"outlet: {a.outlet}", f"published: {a.published}",
                 f"title: {a.title}", ""]
        lines += [f"[{k}] {a.content[s.start:s.end]}" for k, s in enumerate(a.sentences(), 1)]
        (out / f"{a.id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        n += 1
    print(f"{n} articles -> {out}")
    return 0


def _work_files(files: list[str]):
    by_id = _articles_by_id()
    for f in files:
        try:
            work = json.loads(Path(f).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            yield f, None, None, [f"unreadable: {exc}"]
            continue
        article = by_id.get(work.get("id"))
        if article is None:
            yield f, work, None, [f"unknown article id {work.get('id')!r}"]
            continue
        stored, errors = convert(work, article)
        yield f, work, stored, errors


def cmd_check(args) -> int:
    bad = 0
    for f, _, _, errors in _work_files(args.files):
        for e in errors:
            print(f"{f}: {e}")
        bad += bool(errors)
    print(f"{len(args.files) - bad} of {len(args.files)} files valid")
    return 1 if bad else 0


def cmd_convert(args) -> int:
    bad = 0
    for f, _, stored, errors in _work_files(args.files):
        if errors:
            bad += 1
            print(f"{f}: not stored: {errors[0]} (and {len(errors) - 1} more)" if len(errors) > 1
                  else f"{f}: not stored: {errors[0]}")
            continue
        path = stored_path(stored["id"], None if args.as_ == "main" else args.as_)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(args.files) - bad} stored, {bad} refused")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m marsad.corpus", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("prepare", help="numbered-sentence views for annotators")
    sp.add_argument("--out", required=True)
    sp.add_argument("--ids")
    sp.set_defaults(fn=cmd_prepare)
    sp = sub.add_parser("check", help="validate working annotations")
    sp.add_argument("files", nargs="+")
    sp.set_defaults(fn=cmd_check)
    sp = sub.add_parser("convert", help="store working annotations as offsets")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--as", dest="as_", default="main", choices=("main", "second"))
    sp.set_defaults(fn=cmd_convert)
    args = p.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
