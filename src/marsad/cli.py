"""The command line: a thin layer over marsad.batch, marsad.runners, marsad.sinks, marsad.store
and marsad.export.

Exit codes: 0 all inputs processed; 1 some inputs (or stages) failed, the rest
done; 2 usage errors (a missing input, a --db that is not a marsad store);
3 the store could not be written (disk full, corrupt): what was stored is intact.
"""
from __future__ import annotations

import re
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from . import __version__
from .batch import Result, count_inputs, expand, iter_files, iter_jsonl_items, process_items
from .errors import MarsadError, StoreError
from .options import VARIANTS
from .export import EXPORTERS
from .progress import Progress
from .runners import RUNNERS, make_runner
from .sinks import Counts, DirectorySink, JsonlSink, PrintSink, StoreSink, drain, dump
from .store import EventQuery, is_url, open_store

EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_STORE = 3      # the store could not be written (disk full, corrupt): what was stored is intact
DB_HELP = "Store: a SQLite file path, or a postgresql://user:password@host/dbname URL."


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


def _runner(name: str | None, workers: int, scheduler: str | None = None):
    try:
        return make_runner(name, workers, scheduler)
    except MarsadError as e:
        raise click.UsageError(str(e)) from None


def shown(db) -> str:
    """A store target fit for a log line: a URL's password replaced by ***."""
    return re.sub(r"(://[^:/@]+:)[^@/]*@", r"\1***@", str(db))


def _open(db, must_exist: bool = False):
    if must_exist and not is_url(db) and not Path(db).exists():
        raise click.UsageError(f"no store at {db} (give a SQLite file or a postgresql:// URL)")
    try:
        return open_store(db)
    except StoreError as e:     # one line, as every per-input error: "marsad: WHAT: why [code]"
        click.echo(f"marsad: {e} [bad_store]", err=True)
        sys.exit(EXIT_USAGE)
    except MarsadError as e:
        raise click.UsageError(str(e)) from None


runner_option = click.option(
    "--runner", "runner_name", type=click.Choice(list(RUNNERS)), default=None,
    help="How articles are processed: serial (this process), processes (--workers of them) or dask "
         "(a local Dask cluster of --workers processes, or the cluster at --scheduler). "
         "Default: serial for one worker, processes for more, dask with --scheduler.")

scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS", default=None,
    help="Dask scheduler of an existing cluster, e.g. tcp://10.0.0.5:8786 (its workers need marsad installed); "
         "implies --runner dask. Results still come back here, to the one writer.")

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
@click.option("--workers", default=1, show_default=True, help="Worker processes (of this machine, or of a local Dask cluster).")
@runner_option
@scheduler_option
@ner_option
@click.option("--events", "events_variant", type=click.Choice(list(VARIANTS["events"])), default=None,
              help="Events: rules (the lexicon and rules) or learned (the rules with a learned veto "
                   "and learned proposals, docs/events_learned.md). Default: rules.")
@click.option("--places", "places_variant", type=click.Choice(list(VARIANTS["places"])), default=None,
              help="An event's place: learned (the place ranker over the places named around it, "
                   "docs/events.md) or rules (the rules' place). Default: learned.")
@click.option("--tolls", "tolls_variant", type=click.Choice(list(VARIANTS["tolls"])), default=None,
              help="A toll's counts: rules (the rules under the hard limits, docs/tolls.md) or learned "
                   "(the toll model's weights decide each count). Default: rules.")
def extract(files, jsonl_in, out, published, workers, runner_name, scheduler, ner_model, events_variant,
            places_variant, tolls_variant):
    """Extract article records from text/HTML FILES or a JSON Lines file.

    One file and no --out prints its record; with --out DIR, writes DIR/NAME.json
    per input (NAME.meta.json beside an input is read). With --jsonl, writes one
    record per input line, in order, streaming in constant memory.
    """
    if bool(files) == bool(jsonl_in):
        raise click.UsageError("give FILE... or --jsonl IN.jsonl (not both)")
    runner = _runner(runner_name, workers, scheduler)
    if jsonl_in:
        items, many = iter_jsonl_items(jsonl_in, published), True
        out_fh = open(out, "w", encoding="utf-8") if out else nullcontext(sys.stdout)
    else:
        items, many = iter_files(files, published), len(files) > 1
        out_fh = nullcontext(sys.stdout)
    with out_fh as fh:
        if jsonl_in:
            sink = JsonlSink(fh)
        elif out:
            sink = DirectorySink(out)
        else:
            sink = PrintSink(fh, indent=None if many else 2)
        options = None
        chosen = {k: v for k, v in (("events", events_variant), ("places", places_variant),
                                              ("tolls", tolls_variant)) if v}
        if chosen:
            from .options import default
            options = default().with_(**chosen)
        results = process_items(items, runner=runner, options=options)
        if out is not None and many:
            results = Progress("extract", count_inputs([jsonl_in] if jsonl_in else files)).wrap(results)
        counts = drain(_reported(results), sink)
    sys.exit(EXIT_SOME_FAILED if counts.failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", default="marsad.db", show_default=True, help=DB_HELP)
@click.option("--published", help="Publication date YYYY-MM-DD for inputs that do not give one.")
@click.option("--workers", default=1, show_default=True, help="Worker processes (one writer stores).")
@runner_option
@scheduler_option
@ner_option
def ingest(paths, db, published, workers, runner_name, scheduler, ner_model):
    """Run the pipeline over PATHS (files, directories, .jsonl) and store the records.

    Each article is stored in its own transaction under its id, so ingesting
    twice stores once and a killed run resumes where it stopped when rerun.
    """
    counts = Counts()
    runner = _runner(runner_name, workers, scheduler)
    with _open(db) as store:
        progress = Progress("ingest", count_inputs(paths))

        def fresh():
            # Inputs already stored are skipped before the pipeline runs: a rerun after a kill is cheap.
            for it in expand(paths, published):
                if store.has_origin(it.origin):
                    counts.already += 1
                    progress.skip()
                else:
                    yield it

        results = progress.wrap(process_items(fresh(), runner=runner))
        try:
            drain(_reported(results), StoreSink(store, counts=counts))
        except StoreError as exc:
            click.echo(f"marsad: {exc} [store_error]; stored {counts.stored} before it", err=True)
            sys.exit(EXIT_STORE)
    click.echo(f"stored {counts.stored}, already stored {counts.already}, failed {counts.failed} -> {shown(db)}"
               + (f"; incidents in the countries touched: {counts.incidents}" if counts.incidents else ""), err=True)
    sys.exit(EXIT_SOME_FAILED if counts.failed else 0)


@main.command()
@click.option("--db", default="marsad.db", show_default=True, help=DB_HELP)
@click.option("--format", "fmt", type=click.Choice(list(EXPORTERS)), required=True,
              help="; ".join(f"{e.name}: {e.help}" for e in EXPORTERS.values()))
@click.option("--profile", default="marsad", show_default=True, type=click.Choice(["marsad", "acled"]),
              help="csv columns: marsad's, or ACLED's columns and codes (then marsad's own).")
@click.option("--bom", is_flag=True, help="csv: start with a UTF-8 byte order mark, so Excel reads Arabic right.")
@click.option("--out", help="Output file (default: standard output); a directory for parquet.")
@click.option("--since", help="Events on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", help="Events on or before this date (a year or month is taken whole).")
@click.option("--country", help="Events in this country (ISO 3166-1 alpha-2, e.g. SY).")
@click.option("--kind", multiple=True, help="Events of this kind (repeat for several), e.g. air_strike.")
@click.option("--min-killed", type=click.IntRange(min=0), help="Events with at least this many killed.")
def export(db, fmt, profile, bom, out, since, until, country, kind, min_killed):
    """Export the store: article records (jsonl) or events (csv, geojson, parquet), filtered.

    Events without coordinates are kept (empty lat/lon, null geometry) and counted on stderr.
    """
    from .export import ExportOptions, export as run_export

    ex = EXPORTERS[fmt]
    if ex.binary and not out:
        raise click.UsageError(f"--format {fmt} writes files: give --out DIR")
    try:
        query = EventQuery(since=since, until=until, country=country, kind=kind, min_killed=min_killed)
        with _open(db, must_exist=True) as store:
            if ex.binary:
                stats = run_export(store, fmt, out, query, ExportOptions(profile, bom))
            else:
                with open(out, "w", encoding="utf-8", newline="") if out else nullcontext(sys.stdout) as fh:
                    stats = run_export(store, fmt, fh, query, ExportOptions(profile, bom))
    except MarsadError as e:
        raise click.UsageError(str(e)) from None
    extra = f", {stats.without_coordinates} without coordinates" if stats.unit == "events" else ""
    extra += f", {stats.left_out} left out (no {profile} type)" if stats.left_out else ""
    click.echo(f"exported {stats.written} {stats.unit}{extra}", err=True)


@main.command()
@click.argument("query")
@click.option("--db", default="marsad.db", show_default=True, help=DB_HELP)
@click.option("--limit", default=20, show_default=True)
@click.option("--scope", type=click.Choice(["all", "events", "articles"]), default="all", show_default=True)
def search(query, db, limit, scope):
    """Full-text search of stored events and articles, one JSON hit a line with a snippet.

    Arabic is matched normalised and clitic-aware (حلب finds وبحلب); English place names
    (Aleppo) find events and articles placed there. Syntax: words (all must match),
    a OR b, "a phrase", -word to exclude.
    """
    try:
        with _open(db, must_exist=True) as store:
            for hit in store.search(query, ("events", "articles") if scope == "all" else (scope,), limit):
                click.echo(dump(hit.to_json()))
    except MarsadError as e:
        raise click.UsageError(str(e)) from None


@main.command()
@click.option("--db", default="marsad-demo.db", show_default=True, type=click.Path(path_type=Path))
def demo(db):
    """Run marsad on its bundled sample articles into a store, then print a summary."""
    from .demo import run_demo

    sys.exit(run_demo(db))


@main.command()
@click.option("--db", default="marsad.db", show_default=True, type=click.Path(exists=True, path_type=Path),
              help="Store: a SQLite file path.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", default=None,
              help="Accept POST /api/articles from requests carrying this token (default: $MARSAD_TOKEN; "
                   "without one the server is read-only).")
def serve(db, host, port, token):
    """Serve the JSON API (/docs for its OpenAPI schema) and the dashboard (/) over a store."""
    from .serve import run, token_from_env

    click.echo(f"marsad: serving {db} on http://{host}:{port}/ (API schema: /docs)", err=True)
    try:
        run(db, host, port, token or token_from_env())
    except MarsadError as e:
        raise click.UsageError(str(e)) from None


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

    click.echo(dump(candidates(name, country=country)[:limit], 2))


if __name__ == "__main__":
    main()
