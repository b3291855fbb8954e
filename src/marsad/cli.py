"""The command line: a thin layer over marsad.batch, marsad.store and marsad.export.

Exit codes: 0 all inputs processed; 1 some inputs (or stages) failed, the rest
done; 2 usage errors (a missing input, a --db that is not a marsad store);
3 the store could not be written (disk full, corrupt): what was stored is intact.
"""
from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from . import __version__
from .batch import Counts, Result, expand, iter_files, iter_jsonl_items, process_items, store_results
from .errors import StoreError
from .store import Store

EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE = 3


def _open_store(db: Path) -> Store:
    try:
        return Store(db)
    except StoreError as exc:
        click.echo(f"marsad: {exc} [bad_store]", err=True)
        sys.exit(EXIT_USAGE)


def _progress(iterable, label: str, enabled: bool):
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=label, unit=" articles", file=sys.stderr)


def _report(res: Result) -> bool:
    """One clear line on stderr per failed input or stage; True when the input fully succeeded."""
    if res.failure:
        click.echo(f"marsad: {res.failure.message} [{res.failure.reason}]", err=True)
        return False
    for f in res.article.failures:
        click.echo(f"marsad: {res.origin}: stage {f.stage} failed: {f.message} [{f.reason}]", err=True)
    return not res.article.failures


def _reported(results):
    for res in results:
        _report(res)
        yield res


def _failure_record(res: Result) -> dict:
    return {"origin": res.origin, "failures": [{"stage": res.failure.stage, "reason": res.failure.reason,
                                                "message": res.failure.message}]}


def _dump(obj: dict, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """marsad (مرصد): Arabic news reports to structured, geocoded event data."""


def _use_ner(ctx, param, value):
    if value:
        from .ner import use
        try:
            use(value)
        except ValueError as e:
            raise click.BadParameter(str(e), ctx=ctx, param=param) from None
    return value


ner_option = click.option(
    "--ner", "--model", "ner_model", type=click.Choice(["crf", "accurate"]), default=None,
    expose_value=True, callback=_use_ner,
    help="Entity tagger. crf: two CRF passes (fast); accurate: the fine-tuned e5 tagger mixed "
         "with the CRF, about ten times slower, needs the [e5] extra. Default: $MARSAD_NER, else crf.")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--jsonl", "jsonl_in", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read articles from JSON Lines (one a line).")
@click.option("--out", "out", type=click.Path(path_type=Path),
              help="FILE inputs: a directory for NAME.json each. --jsonl: an output .jsonl file.")
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that do not give one.")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@ner_option
def extract(files, jsonl_in, out, published, workers, ner_model):
    """Extract article records from text/HTML FILES or a JSON Lines file.

    One file and no --out prints its record; with --out DIR, writes DIR/NAME.json
    per input (NAME.meta.json beside an input is read). With --jsonl, writes one
    record per input line, in order, streaming in constant memory.
    """
    if bool(files) == bool(jsonl_in):
        raise click.UsageError("give FILE... or --jsonl IN.jsonl (not both)")
    ok = True
    if jsonl_in:
        items = iter_jsonl_items(jsonl_in, published)
        progress = out is not None and sys.stderr.isatty()
        with (open(out, "w", encoding="utf-8") if out else nullcontext(sys.stdout)) as fh:
            for res in _progress(process_items(items, workers), "extract", progress):
                ok &= _report(res)
                rec = res.article.to_json() if res.article else _failure_record(res)
                fh.write(_dump(rec) + "\n")
    else:
        if out:
            out.mkdir(parents=True, exist_ok=True)
        results = process_items(iter_files(files, published), workers)
        failures = []
        for res in _progress(results, "extract", out is not None and sys.stderr.isatty() and len(files) > 1):
            ok &= _report(res)
            if res.article is None:
                failures.append(_failure_record(res))
                continue
            rec = res.article.to_json()
            if out:
                (out / (Path(res.origin).stem + ".json")).write_text(_dump(rec, 1), encoding="utf-8")
            else:
                click.echo(_dump(rec, 2 if len(files) == 1 else None))
        if out and failures:
            with open(out / "_failures.jsonl", "w", encoding="utf-8") as fh:
                for f in failures:
                    fh.write(_dump(f) + "\n")
    sys.exit(0 if ok else EXIT_SOME_FAILED)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", default="marsad.db", show_default=True, type=click.Path(path_type=Path), help="SQLite store.")
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that do not give one.")
@click.option("--workers", default=1, show_default=True, help="Worker processes (one writer stores).")
@ner_option
def ingest(paths, db, published, workers, ner_model):
    """Run the pipeline over PATHS (files, directories, .jsonl) and store the records.

    Each article is stored in its own transaction under its id, so ingesting
    twice stores once and a killed run resumes where it stopped when rerun.
    """
    counts = Counts()
    with _open_store(db) as store:
        def fresh():
            # Inputs already stored are skipped before the pipeline runs: a rerun after a kill is cheap.
            for it in expand(paths, published):
                if store.has_origin(it.origin):
                    counts.already += 1
                else:
                    yield it

        results = _progress(process_items(fresh(), workers), "ingest", sys.stderr.isatty())
        try:
            store_results(store, _reported(results), counts)
        except StoreError as exc:
            click.echo(f"marsad: {exc} [store_error]; stored {counts.stored} before it", err=True)
            sys.exit(EXIT_STORE)
    click.echo(f"stored {counts.stored}, already stored {counts.already}, failed {counts.failed} -> {db}", err=True)
    sys.exit(EXIT_SOME_FAILED if counts.failed else 0)


@main.command()
@click.option("--db", default="marsad.db", show_default=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson"]), required=True)
@click.option("--out", type=click.Path(path_type=Path), help="Output file (default: standard output).")
def export(db, fmt, out):
    """Export the store: article records (jsonl), events (csv, one row an event) or events (geojson)."""
    from .export import EXPORTERS

    with _open_store(db) as store, (open(out, "w", encoding="utf-8", newline="") if out else nullcontext(sys.stdout)) as fh:
        n = EXPORTERS[fmt](store, fh)
    click.echo(f"exported {n} {'records' if fmt == 'jsonl' else 'events'}", err=True)


@main.command()
@click.argument("query")
@click.option("--db", default="marsad.db", show_default=True, type=click.Path(exists=True, path_type=Path))
@click.option("--limit", default=20, show_default=True)
def search(query, db, limit):
    """Full-text search of stored articles (normalised Arabic, clitic-aware)."""
    with _open_store(db) as store:
        for hit in store.search(query, limit):
            click.echo(_dump(hit))


@main.command()
@click.option("--db", default="marsad-demo.db", show_default=True, type=click.Path(path_type=Path))
def demo(db):
    """Run marsad on its bundled sample articles into a store, then print a summary."""
    from .demo import run_demo

    sys.exit(run_demo(db))


@main.command()
@click.option("--conll", "conll", required=True, type=click.Path(exists=True, path_type=Path),
              help="Pre-tokenised CoNLL input: a token a line, blank line between sentences.")
@click.option("--out", type=click.Path(path_type=Path), help="Output file (default: standard output).")
@click.option("--tagset", type=click.Choice(["marsad", "anercorp"]), default="marsad", show_default=True,
              help="anercorp: PERS/LOC/ORG/MISC tags.")
@ner_option
def ner(conll, out, tagset, ner_model):
    """Tag pre-tokenised CoNLL with marsad's recognizer (IOB2 tag appended as last column)."""
    from .ner.conll import tag_file

    tag_file(str(conll), str(out) if out else None, tagset)


@main.command()
@click.argument("name")
@click.option("--country", help="ISO 3166-1 alpha-2 code to prefer, e.g. SY.")
@click.option("--limit", default=10, show_default=True)
def geocode(name, country, limit):
    """Ranked gazetteer candidates for a place NAME, as JSON."""
    from .gazetteer import candidates

    click.echo(_dump(candidates(name, country=country)[:limit], 2))


if __name__ == "__main__":
    main()
