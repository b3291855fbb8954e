"""python -m marsad.corpus COMMAND: the annotated event corpus (docs/annotation.md).

    prepare --out DIR [--ids c0001,c0002]   numbered-sentence views for annotators (text; never commit)
    check FILE...                           validate working annotations against their articles
    convert FILE... [--as second]           store working annotations as offsets in eval/corpus/ann/
    inputs --out DIR [--split test]         the articles as marsad input files (text; never commit)
    stats                                   sizes per split, kind, class, outlet and stratum
    agreement                               agreement of the double annotations, per field
    score --pred DIR [--split test]         score marsad records against the corpus
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from collections import Counter

from ..options import VARIANTS
from .annotation import convert, load_annotations, stored_path
from .score import annotation_as_record, score
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


def _print(figures: dict, as_json: bool) -> None:
    """Figures as JSON, or one line each: ``area name  f1 (p / r, counts)``."""
    if as_json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    for area, block in figures.items():
        for name, v in block.items():
            if isinstance(v, dict) and "f1" in v:
                print(f"{area:9} {name:28} F1 {v['f1']:.3f}  (P {v['p']:.3f} / R {v['r']:.3f}; "
                      f"{v['tp']} of {v['pred']} predicted, {v['gold']} gold)")
            else:
                print(f"{area:9} {name:28} {v}")


def cmd_inputs(args) -> int:
    """The corpus articles as marsad inputs: NAME.txt (title, blank line, content) and
    NAME.meta.json, so that ``marsad extract`` reads them as any user's files."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for a in load_articles(args.split):
        body = f"{a.title}\n\n{a.content}" if a.title else a.content
        (out / f"{a.id}.txt").write_text(body + "\n", encoding="utf-8")
        meta = {"published": a.published, "outlet": a.outlet, "url": a.url, "title": a.title or None}
        (out / f"{a.id}.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        n += 1
    print(f"{n} articles -> {out}")
    return 0


def cmd_stats(args) -> int:
    articles = load_articles()
    annotated = {aa.article.id: aa for aa in load_annotations(articles)}
    by = Counter()
    kinds, classes, outlets, strata = Counter(), Counter(), Counter(), Counter()
    for a in articles:
        by[(a.split, "drawn")] += 1
        aa = annotated.get(a.id)
        if aa is None:
            continue
        by[(a.split, "annotated")] += 1
        by[(a.split, "double")] += aa.second is not None
        by[(a.split, "with_events")] += bool(aa.annotation.events)
        by[(a.split, "sentences")] += len(a.sentences())
        outlets[(a.split, a.outlet)] += 1
        strata[(a.split, a.stratum)] += 1
        for ev in aa.annotation.events:
            by[(a.split, "events")] += 1
            kinds[(a.split, ev["kind"])] += 1
            classes[(a.split, ev["class"])] += 1
    splits = ("train", "dev", "test")
    print("| | " + " | ".join(splits) + " | all |\n| --- |" + " --- |" * (len(splits) + 1))
    for label, counter, keys in (
            ("", by, ["drawn", "annotated", "double", "with_events", "sentences", "events"]),
            ("class ", classes, sorted({k for _, k in classes})),
            ("kind ", kinds, sorted({k for _, k in kinds})),
            ("stratum ", strata, sorted({k for _, k in strata})),
            ("outlet ", outlets, sorted({k for _, k in outlets}))):
        for key in keys:
            row = [counter[(sp, key)] for sp in splits]
            print(f"| {label}{key} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    return 0


def _kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    n = len(pairs)
    if not n:
        return None
    po = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return round((po - pe) / (1 - pe), 3) if pe < 1 else 1.0


def cmd_agree(args) -> int:
    doubles = [aa for aa in load_annotations(load_articles()) if aa.second is not None]
    if not doubles:
        print("no double annotations yet")
        return 1
    from .annotation import AnnotatedArticle
    figures = score([(AnnotatedArticle(aa.article, aa.annotation), annotation_as_record(aa.second))
                     for aa in doubles])
    sent_pairs, art_pairs = [], []
    for aa in doubles:
        sents = aa.article.sentences()
        marked = [{sp["start"] for ev in ann.events for sp in ev["sentences"]} for ann in (aa.annotation, aa.second)]
        sent_pairs += [(s.start in marked[0], s.start in marked[1]) for s in sents]
        art_pairs.append((bool(aa.annotation.events), bool(aa.second.events)))
    figures["kappa"] = {"sentence_reports_event": _kappa(sent_pairs), "article_reports_event": _kappa(art_pairs),
                        "sentences": len(sent_pairs), "articles": len(art_pairs)}
    _print(figures, args.json)
    return 0


def cmd_score(args) -> int:
    articles = load_articles(args.split)
    annotated = load_annotations(articles)
    items = []
    if args.pred:
        for aa in annotated:
            p = Path(args.pred) / f"{aa.article.id}.json"
            items.append((aa, json.loads(p.read_text(encoding="utf-8")) if p.exists() else None))
    else:
        from ..core import Article
        from ..options import default
        from ..pipeline import process
        chosen = {k: v for k, v in (("events", args.events), ("tolls", args.tolls)) if v}
        options = default().with_(**chosen) if chosen else None
        for aa in annotated:
            a = aa.article
            art = Article(text=a.content, title=a.title or None, published=a.published, outlet=a.outlet, url=a.url)
            items.append((aa, process(art, options).to_json()))
    _print(score(items), args.json)
    return 0


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
    sp = sub.add_parser("inputs", help="write corpus articles as marsad input files")
    sp.add_argument("--out", required=True)
    sp.add_argument("--split", choices=("train", "dev", "test"))
    sp.set_defaults(fn=cmd_inputs)
    sub.add_parser("stats", help="sizes per split, kind, class, stratum and outlet").set_defaults(fn=cmd_stats)
    sp = sub.add_parser("agreement", help="agreement of the double annotations")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_agree)
    sp = sub.add_parser("score", help="score marsad against the corpus")
    sp.add_argument("--split", choices=("train", "dev", "test"))
    sp.add_argument("--pred", help="directory of records NAME.json (default: run the pipeline here)")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--events", choices=VARIANTS["events"], help="the events variant (default: the default's)")
    sp.add_argument("--tolls", choices=VARIANTS["tolls"], help="the toll reader (default: the default's)")
    sp.set_defaults(fn=cmd_score)
    args = p.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
