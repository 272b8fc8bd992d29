"""The ``eventwire`` command: extract events from an article, print the record schema, score
against gold data, run the bundled demo.

A thin layer over the library: every command calls the same functions as the Python API.
Errors are one line on stderr (``eventwire: error: <input>: <reason>``), exit code 1; usage
errors exit 2. ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from eventwire import __version__
from eventwire.limits import applied as limits_applied

FORMATS = ("jsonl", "json", "geojson", "table")
EVAL_TASKS = ("events", "geo", "time", "attribution", "snippets", "police", "sentences")
PROG = "eventwire"


class CommandError(Exception):
    """A failure the user can act on; ``subject`` is the input it concerns."""

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = reason


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: error: {message} (see '{self.prog} --help')\n")


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date (expected YYYY-MM-DD): {value!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS,
        help="show the full traceback on errors",
    )
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument(
        "--model", metavar="NAME",
        help="spaCy model package or directory (default: $EVENTWIRE_MODEL, else en_core_web_sm)",
    )

    parser = _Parser(
        prog=PROG,
        description="Turn news articles into span-anchored PLOVER event records.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    extract = commands.add_parser(
        "extract", parents=[common, model], help="extract the events of one article",
        description="Extract the events of one article (.txt or .html file, '-' for stdin).",
    )
    extract.add_argument("article", metavar="ARTICLE", help="a .txt or .html file, or - for stdin")
    extract.add_argument(
        "--published", type=_iso_date, metavar="YYYY-MM-DD",
        help="publication date, for resolving relative dates (wins over the page's own)",
    )
    extract.add_argument(
        "--format", choices=FORMATS, default="jsonl",
        help=(
            "jsonl: one event per line (default); json: the whole analysis (places, dates, "
            "quantities, events); geojson: the located events as a map layer; table: for people"
        ),
    )
    _add_limit_options(extract)
    extract.set_defaults(handler=cmd_extract)

    schema = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the event record",
        description="Print the JSON Schema of the event record (or of the whole analysis).",
    )
    schema.add_argument(
        "--analysis", action="store_true",
        help="the schema of `extract --format json` output instead",
    )
    schema.set_defaults(handler=cmd_schema)

    evaluate = commands.add_parser(
        "eval", parents=[common, model], help="score the extractor against gold data",
        description=(
            "Score the extractor against gold data. --task events (default): a folder of "
            "*.gold.json files and their texts; --task geo: GeoWebNews/LGL/TR-News XML (a file "
            "or a folder of them); --task time: TimeML .tml files (a file or a folder tree); "
            "--task attribution: PolNeAR brat .ann files (the attribution/ folder or one file); "
            "--task snippets: CASE 2021 snippets (case2021-dev/); --task police: "
            "IndiaPoliceEvents (ipe-dev/); --task sentences: labelled news sentences "
            "(news-sentences/). Split sets are scored in their tuned and held-out parts."
        ),
    )
    evaluate.add_argument(
        "gold_dir", metavar="GOLD", help="gold folder (or file, for geo/time/attribution)"
    )
    evaluate.add_argument(
        "--task", choices=EVAL_TASKS, default="events",
        help="what to score: events (default), geo (toponyms and coordinates), time (TIMEX3), "
        "attribution (source, cue and content of who said what), snippets (event types found "
        "in labelled snippets), police (police actions per sentence), sentences (events per "
        "sentence: detection, type, dyad)",
    )
    evaluate.add_argument(
        "--limit", type=_positive, metavar="N",
        help="geo/time/attribution/snippets/police/sentences: score only the first N "
        "documents",
    )
    evaluate.add_argument("--json", action="store_true", help="print the summary as JSON")
    evaluate.add_argument("--verbose", action="store_true", help="list every match and miss")
    evaluate.set_defaults(handler=cmd_eval)

    demo = commands.add_parser(
        "demo", parents=[common, model], help="run the bundled sample articles",
        description="Analyse every bundled sample article and print its events as a table.",
    )
    demo.set_defaults(handler=cmd_demo)
    _add_store_commands(commands, common, model)
    _add_serve_command(commands, common, model)
    return parser


def _can_print(stream: TextIO, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _render(analysis) -> str:
    from eventwire.render import render_table

    return render_table(analysis, ascii_only=not _can_print(sys.stdout, "\u2192\u2500\u2550"))


def cmd_extract(args: argparse.Namespace) -> int:
    from eventwire.ingest import read_article

    article = read_article(args.article, published=args.published)
    from eventwire.pipeline import analyze

    analysis = analyze(article, model=args.model)
    out = sys.stdout
    if args.format == "jsonl":
        for event in analysis.events:
            out.write(event.model_dump_json() + "\n")
    elif args.format == "json":
        out.write(analysis.model_dump_json(indent=2) + "\n")
    elif args.format == "geojson":
        _write_event_layer(analysis, out)
    else:
        out.write(_render(analysis))
    return 0


def _write_event_layer(analysis, out: TextIO) -> None:
    """The events as GeoJSON Point features, in the same columns as ``query --format geojson``."""
    from eventwire.store.base import mention_row
    from eventwire.store.export import write_geojson

    rows = []
    for event in analysis.events:
        row = mention_row(event, analysis.article.id)
        del row["record"], row["event_id"]
        rows.append(row)
    result = write_geojson(rows, out)
    if result.skipped:
        sys.stderr.write(
            f"{PROG}: note: {result.skipped} event{'s' if result.skipped != 1 else ''} "
            "without coordinates left out of the GeoJSON (--format jsonl has them all)\n"
        )


def cmd_schema(args: argparse.Namespace) -> int:
    from eventwire.model import analysis_schema, event_schema

    schema = analysis_schema() if args.analysis else event_schema()
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return 0


class Progress:
    """"eval: 3/14 name" on stderr: rewritten in place on a terminal, one line each otherwise."""

    def __init__(self, label: str, total: int | None, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = total
        self.count = 0
        self.stream = stream if stream is not None else sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())

    def step(self, name: str = "") -> None:
        self.count += 1
        of = f"/{self.total}" if self.total else ""
        line = f"{self.label}: {self.count}{of} {name}".rstrip()
        if self.live:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.live and self.count:
            self.stream.write("\n")
            self.stream.flush()


def cmd_eval(args: argparse.Namespace) -> int:
    if args.task != "events":
        return _eval_task(args)
    folder = Path(args.gold_dir)
    if not folder.is_dir():
        reason = "not a folder" if folder.exists() else "no such folder"
        raise CommandError(args.gold_dir, reason)
    from eventwire.eval import evaluate
    from eventwire.pipeline import extract

    progress = Progress("eval", len(list(folder.glob("*.gold.json"))) or None)
    # The scorer's own progress lines carry per-article scores; use them when it has them.
    own_progress = "progress" in inspect.signature(evaluate).parameters

    def fn(text: str, published: date | str | None):
        if not own_progress:
            progress.step()
        return extract(text, published=published, model=args.model)

    try:
        report = evaluate(folder, fn, progress=True) if own_progress else evaluate(folder, fn)
    finally:
        progress.done()
    _print_report(report, args)
    return 0


def _print_report(report, args: argparse.Namespace) -> None:
    """A scorer's report: its summary as JSON with --json, else its text (--verbose: all)."""
    if args.json:
        sys.stdout.write(json.dumps(report.summary()) + "\n")
    else:
        text = report.format_text(args.verbose)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _eval_task(args: argparse.Namespace) -> int:
    """``eval --task geo|time|attribution|snippets|police|sentences``: the scorer reads its own
    gold format and reports progress."""
    path = Path(args.gold_dir)
    if not path.exists():
        raise CommandError(args.gold_dir, "no such file or folder")
    if args.task == "geo":
        from eventwire.eval.geo import evaluate_geo as evaluate_task
    elif args.task == "attribution":
        from eventwire.eval.attribution import evaluate_attribution as evaluate_task
    elif args.task == "snippets":
        from eventwire.eval.snippets import evaluate_snippets as evaluate_task
    elif args.task == "police":
        from eventwire.eval.police import evaluate_police as evaluate_task
    elif args.task == "sentences":
        from eventwire.eval.sentences import evaluate_sentences as evaluate_task
    else:
        from eventwire.eval.time import evaluate_time as evaluate_task
    progress = Progress(f"eval {args.task}", None)
    try:
        report = evaluate_task(path, model=args.model, limit=args.limit, progress=progress.step)
    finally:
        progress.done()
    _print_report(report, args)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from eventwire.ingest.samples import list_samples, read_sample
    from eventwire.pipeline import analyze

    samples = list_samples()
    progress = Progress("demo", len(samples))
    for sample in samples:
        progress.step(sample.file)
        try:
            analysis = analyze(read_sample(sample), model=args.model)
        except Exception as err:
            err.add_note(f"samples/{sample.file}")
            raise
        sys.stdout.write(_render(analysis) + "\n")
        sys.stdout.flush()
    progress.done()
    return 0


# --- the event store: ingest, query, export ---------------------------------------------------

DB_ENV = "EVENTWIRE_DB"
QUERY_FORMATS = ("table", "jsonl", "csv", "parquet", "geojson", "gdelt")
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
TABLE_NAMES = ("articles", "mentions", "events")


def _codes(upper: bool) -> Callable[[str], list[str]]:
    """An argparse type: "RUS,PRK" -> ["RUS", "PRK"] (a repeated option adds to the list)."""

    def parse(value: str) -> list[str]:
        items = [v.strip() for v in value.split(",") if v.strip()]
        if not items:
            raise argparse.ArgumentTypeError(f"empty value: {value!r}")
        return [v.upper() if upper else v.lower() for v in items]

    return parse


def _near(value: str) -> tuple[float, float, float]:
    try:
        lat, lon, km = (float(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected LAT,LON,KM (e.g. 43.1,131.9,50): {value!r}"
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0):
        raise argparse.ArgumentTypeError(f"out of range (lat, lon, km >= 0): {value!r}")
    return lat, lon, km


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0: {value!r}")
    return number


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1: {value!r}")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds > 0: {value!r}")
    return number


SOURCE_FORMATS = ("auto", "folder", "text", "html", "jsonl", "feed", "warc")


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    """--format and the JSONL field names, shared by ingest and bench."""
    add = parser.add_argument
    add("--format", choices=SOURCE_FORMATS, default="auto",
        help="how to read each PATH (default auto: by file name, else by content)")
    fields = (("text", "plain text"), ("html", "HTML page"), ("title", "title"), ("url", "URL"),
              ("published", "publication date"), ("outlet", "outlet name"))
    for name, what in fields:
        add(f"--{name}-field", metavar="F", help=f"JSONL: the field with the article's {what} "
            f"(default {name!r})" + ("; a dotted name (meta.body) reaches into nested objects"
                                     if name == "text" else ""))
    add("--id-field", metavar="F",
        help="JSONL: a field with the article's id (default: a hash of text and url)")


def _add_limit_options(parser: argparse.ArgumentParser) -> None:
    """The limits of ``eventwire.limits`` and the language check, shared by extract and ingest.

    Each sets its environment variable for the command (``_limit_env``), so that the readers,
    the parser and every worker process of the run follow it."""
    from eventwire.limits import (
        DEFAULT_MAX_ARTICLE_CHARS,
        DEFAULT_MAX_EVENTS,
        DEFAULT_MAX_SECONDS,
        DEFAULT_MAX_SENTENCE_TOKENS,
        MAX_CHARS_ENV,
        MAX_EVENTS_ENV,
        MAX_SECONDS_ENV,
        MAX_SENTENCE_TOKENS_ENV,
    )

    limits = parser.add_argument_group("limits")
    add = limits.add_argument
    add("--max-article-chars", type=_positive, metavar="N",
        help=f"refuse longer articles as too long (default: ${MAX_CHARS_ENV}, else "
        f"{DEFAULT_MAX_ARTICLE_CHARS:,})")
    add("--max-sentence-tokens", type=_positive, metavar="N",
        help="cut longer runs of text without a sentence end before parsing (default: "
        f"${MAX_SENTENCE_TOKENS_ENV}, else {DEFAULT_MAX_SENTENCE_TOKENS})")
    add("--max-events", type=_positive, metavar="N",
        help=f"keep at most the N most confident events of an article (default: "
        f"${MAX_EVENTS_ENV}, else {DEFAULT_MAX_EVENTS})")
    add("--max-seconds", type=_seconds, metavar="S",
        help="stop and reject (reason 'timeout') an article whose analysis takes longer "
        f"(default: ${MAX_SECONDS_ENV}, else {DEFAULT_MAX_SECONDS:g})")
    add("--language", choices=("en", "any"), default=None,
        help="en: refuse articles that are clearly not English (default); any: analyse every "
        "article (for a model of another language)")


def _limit_env(args: argparse.Namespace) -> dict[str, str | None]:
    """The environment variables the limit options set (None: not given, left as it is)."""
    from eventwire.ingest.language import LANGUAGE_ENV
    from eventwire.limits import (
        MAX_CHARS_ENV,
        MAX_EVENTS_ENV,
        MAX_SECONDS_ENV,
        MAX_SENTENCE_TOKENS_ENV,
    )

    given = {
        MAX_CHARS_ENV: getattr(args, "max_article_chars", None),
        MAX_SENTENCE_TOKENS_ENV: getattr(args, "max_sentence_tokens", None),
        MAX_EVENTS_ENV: getattr(args, "max_events", None),
        MAX_SECONDS_ENV: getattr(args, "max_seconds", None),
        LANGUAGE_ENV: getattr(args, "language", None),
    }
    return {name: None if value is None else str(value) for name, value in given.items()}


def _field_map(args: argparse.Namespace):
    from eventwire.ingest.sources import FieldMap

    names = ("text", "html", "title", "url", "published", "outlet", "id")
    given = {n: getattr(args, f"{n}_field", None) for n in names}
    return FieldMap(**{n: v for n, v in given.items() if v})


def _add_store_commands(commands, common: argparse.ArgumentParser, model) -> None:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db", metavar="URL",
        help=f"a DuckDB file (default: ${DB_ENV}, else eventwire.duckdb here) "
        "or postgresql://user@host/dbname",
    )

    ingest = commands.add_parser(
        "ingest", parents=[common, model, db], help="extract articles and store their events",
        description="Read articles from files and folders (.txt, .html), JSONL, RSS/Atom feeds "
        "and WARC archives, extract their events and store them, a batch per transaction. "
        "Articles already stored are not parsed again, so running the same command after an "
        "interruption resumes where it stopped.",
    )
    ingest.add_argument("paths", metavar="PATH", nargs="*",
                        help="a file (article, JSONL, feed, WARC) or a folder")
    ingest.add_argument(
        "--published", type=_iso_date, metavar="YYYY-MM-DD",
        help="publication date of the articles that give none of their own",
    )
    _add_source_options(ingest)
    add = ingest.add_argument
    add("--workers", type=_positive, metavar="N",
        help=f"worker processes (default: the number of cores, {os.cpu_count() or 1} here)")
    add("--batch-size", type=_positive, default=32, metavar="N",
        help="articles parsed together and stored in one transaction (default 32)")
    add("--rejects", metavar="FILE",
        help="list every input that is not an article, with the reason, in FILE (JSONL)")
    add("--timings", metavar="FILE",
        help="write the seconds each article took (and its worker's memory) to FILE, one "
        "JSON line per article (local engine)")
    add("--progress", action=argparse.BooleanOptionalAction, default=None,
        help="show articles, events and articles/s on stderr (default: on a terminal only)")
    add("--engine", choices=("local", "ray"), default="local",
        help="local: worker processes on this machine (default); ray: a Ray cluster "
        "(needs eventwire[ray])")
    add("--address", metavar="ADDR",
        help="the Ray cluster to use (default: start a local Ray instance)")
    add("--out", metavar="DIR", help="with --engine ray: the folder to write Parquet partitions to")
    add("--from-parquet", metavar="DIR",
        help="store the Parquet partitions that --engine ray wrote to DIR (no PATH)")
    _add_limit_options(ingest)
    ingest.set_defaults(handler=cmd_ingest)

    bench = commands.add_parser(
        "bench", parents=[common, model], help="measure extraction speed against bare spaCy",
        description="Time the full pipeline (analysis and storing, local engine) and bare "
        "nlp.pipe with the same model and components over the same texts, in one run; print "
        "articles/s and words/s of both, their ratio and the peak memory of each worker.",
    )
    bench.add_argument("paths", metavar="CORPUS", nargs="+",
                       help="a folder or file of articles, in any format ingest reads")
    _add_source_options(bench)
    add = bench.add_argument
    add("--workers", type=_positive, metavar="N", help="worker processes (default: the cores)")
    add("--limit", type=_positive, metavar="N", help="use the first N articles only")
    add("--batch-size", type=_positive, default=32, metavar="N",
        help="articles per nlp.pipe call (default 32)")
    add("--no-store", dest="store", action="store_false",
        help="time the analysis only, without storing the events")
    add("--repeat", type=_positive, default=1, metavar="N",
        help="run both N times, alternately, and keep the fastest of each (default 1)")
    _add_limit_options(bench)
    bench.set_defaults(handler=cmd_bench)

    query = commands.add_parser(
        "query", parents=[common, db], help="read stored events, filtered",
        description="Print the stored events that match every filter given. A repeated "
        "option (or a comma-separated list) matches any of its values.",
    )
    add = query.add_argument
    add("--type", dest="event_type", type=_codes(True), action="extend", metavar="TYPE",
        help="PLOVER event type (CONSULT, AID, ...)")
    add("--mode", type=_codes(False), action="extend", metavar="MODE", help="PLOVER mode")
    add("--actor-country", type=_codes(True), action="extend", metavar="ISO3")
    add("--recipient-country", type=_codes(True), action="extend", metavar="ISO3")
    add("--country", dest="either_country", type=_codes(True), action="extend", metavar="ISO3",
        help="actor or recipient country")
    add("--actor-sector", type=_codes(True), action="extend", metavar="SECTOR")
    add("--recipient-sector", type=_codes(True), action="extend", metavar="SECTOR")
    add("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD",
        help="events on or after this date")
    add("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD",
        help="events on or before this date")
    add("--place-country", type=_codes(True), action="extend", metavar="ISO3",
        help="country of the event's place")
    add("--near", type=_near, metavar="LAT,LON,KM", help="place within KM km of a point")
    add("--status", type=_codes(False), action="extend", metavar="STATUS",
        help="asserted, reported, denied, speculated, planned")
    add("--source", metavar="TEXT", help="a mention's source or outlet contains TEXT")
    add("--source-type", type=_codes(False), action="extend", metavar="TYPE",
        help="state_media, media, government, ...")
    add("--text", metavar="TEXT", help="a mention's evidence contains TEXT")
    add("--min-articles", type=_count, metavar="N", help="reported by at least N articles")
    add("--limit", type=_count, metavar="N", help="at most N events")
    add("--format", choices=QUERY_FORMATS, default="table",
        help="table (default), jsonl, csv, parquet (needs --output), geojson, gdelt (TSV)")
    add("--output", metavar="PATH", help="write to PATH instead of stdout")
    query.set_defaults(handler=cmd_query)

    export = commands.add_parser(
        "export", parents=[common, db], help="write a whole table of the store",
        description="Write a whole table (articles, mentions or events) to a file.",
    )
    export.add_argument("table", metavar="TABLE", choices=TABLE_NAMES,
                        help="articles, mentions or events")
    export.add_argument("--format", choices=EXPORT_FORMATS,
                        help="jsonl, csv or parquet (default: from the file name, else jsonl)")
    export.add_argument("--output", metavar="PATH", required=True,
                        help="the file to write ('-': stdout, for jsonl and csv)")
    export.set_defaults(handler=cmd_export)


def _db_url(args: argparse.Namespace) -> str:
    return args.db or os.environ.get(DB_ENV) or "eventwire.duckdb"


def _shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    import re

    return re.sub(r"^([a-z+]+://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _duckdb_path(url: str) -> str | None:
    """The file a DuckDB URL names, None for PostgreSQL, ':memory:' and unknown schemes."""
    if "://" not in url:
        return None if url == ":memory:" else url
    if url.lower().startswith("duckdb://"):
        return url[len("duckdb://") :] or None
    return None


def _open_db(args: argparse.Namespace, *, must_exist: bool):
    from eventwire.store import open_store

    url = _db_url(args)
    path = _duckdb_path(url)
    if must_exist and path is not None and not Path(path).exists():
        raise CommandError(url, "no such database (store articles with 'eventwire ingest')")
    try:
        return open_store(url)
    except Exception as err:
        err.add_note(_shown_url(url))
        raise


SHOWN_REJECTS = 20


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.engine == "ray" or args.from_parquet:
        return _ingest_on_ray(args)
    if not args.paths:
        raise CommandError("ingest", "give at least one PATH (or --from-parquet DIR)")
    from eventwire import nlp
    from eventwire.scale.runner import LoadReport, default_workers, run_ingest

    workers = args.workers or default_workers()
    if workers == 1:
        nlp.load(args.model)  # a missing model is one error, not one per batch
    else:
        nlp.resolve_model_name(args.model)  # the workers load it
    report = LoadReport()
    with _open_db(args, must_exist=False) as store:
        try:
            run_ingest(
                store, [Path(p) for p in args.paths], fmt=args.format, fields=_field_map(args),
                published=args.published, model=args.model, workers=workers,
                batch_size=args.batch_size, rejects=Path(args.rejects) if args.rejects else None,
                progress=args.progress, report=report,
                timings=Path(args.timings) if args.timings else None,
            )
        except KeyboardInterrupt:
            sys.stderr.write(
                f"\n{PROG}: interrupted: {report.summary()}; run the same command again to "
                "resume\n"
            )
            return 130
    _print_ingest_report(report, args)
    if report.articles == 0:
        reason = "no article could be read" if report.failed else "no articles found"
        raise CommandError(" ".join(args.paths), reason)
    return 0


def _print_ingest_report(report, args: argparse.Namespace) -> None:
    """The first rejects on stderr, then the one-line summary and the store on stdout."""
    for source, reason in report.failures[:SHOWN_REJECTS]:
        sys.stderr.write(f"{PROG}: skipped: {_one_line(str(source))}: {_one_line(reason)}\n")
    if report.failed > SHOWN_REJECTS:
        where = f"listed in {args.rejects}" if args.rejects else "give --rejects FILE to list them"
        sys.stderr.write(f"{PROG}: ... and {report.failed - SHOWN_REJECTS} more ({where})\n")
    sys.stdout.write(f"{report.summary()} -> {_shown_url(_db_url(args))}\n")


def _ingest_on_ray(args: argparse.Namespace) -> int:
    """``ingest --engine ray --out DIR PATH...`` (analyse on Ray, write Parquet partitions,
    then store them) and ``ingest --from-parquet DIR`` (store partitions written before)."""
    from eventwire.scale import ray_engine

    paths = list(args.paths or [])
    if args.timings:
        raise CommandError("--timings", "is for the local engine (not --engine ray)")
    if args.from_parquet:
        if paths:
            raise CommandError(
                "--from-parquet", "stores partitions already written: give no PATH with it"
            )
        folder = Path(args.from_parquet)
        if not folder.is_dir():
            raise CommandError(args.from_parquet, "no such folder")
        if not ray_engine.partition_files(folder):
            raise CommandError(args.from_parquet, "no Parquet partitions in this folder")
    else:
        if not paths:
            raise CommandError("ingest", "give at least one PATH (or --from-parquet DIR)")
        if not args.out:
            raise CommandError(
                "--engine ray", "needs --out DIR: a folder every Ray node can write to"
            )
        if not args.address:
            ray_engine.check_model(args.model)
        try:
            ray_report = ray_engine.run_ray(
                paths, address=args.address, out_dir=Path(args.out), model=args.model,
                batch_size=args.batch_size or 32,
                fmt=None if args.format in (None, "auto") else args.format,
                fields=_field_map(args), published=args.published, workers=args.workers,
            )  # fmt: skip
        except (ray_engine.RayUnavailable, ray_engine.RayJobFailed) as err:
            raise CommandError("--engine ray", str(err)) from err
        for aside in ray_report.incomplete:
            sys.stderr.write(f"{PROG}: note: set aside an unreadable partition: {aside}\n")
        sys.stderr.write(f"{PROG}: {ray_report.summary()}\n")
        folder = Path(args.out)
    with _open_db(args, must_exist=False) as store:
        report = ray_engine.load_parquet(
            store, folder, rejects=Path(args.rejects) if args.rejects else None,
            progress=args.progress,
        )  # fmt: skip
    _print_ingest_report(report, args)
    if report.articles == 0:
        raise CommandError(str(folder), "no article in the partitions")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from eventwire import nlp
    from eventwire.scale.bench import run_bench

    nlp.resolve_model_name(args.model)
    report = run_bench(
        [Path(p) for p in args.paths], fmt=args.format, fields=_field_map(args),
        workers=args.workers, limit=args.limit, model=args.model, batch_size=args.batch_size,
        store=args.store, repeat=args.repeat,
    )
    if report.articles == 0:
        raise CommandError(" ".join(args.paths), "no articles found")
    sys.stdout.write(report.text())
    return 0


def _query_filter(args: argparse.Namespace):
    from eventwire.store import EventFilter

    names = (
        "event_type", "mode", "actor_country", "recipient_country", "either_country",
        "actor_sector", "recipient_sector", "date_from", "date_to", "place_country", "near",
        "status", "source", "source_type", "text", "min_articles",
    )  # fmt: skip
    return EventFilter(**{name: getattr(args, name) for name in names})


def _write_rows(rows, fmt: str, output: str | None, columns: Sequence[str]):
    """Rows to --output (or stdout) in a store format; returns the ExportResult."""
    from eventwire.store.export import BINARY_FORMATS, export_rows

    if output is None or output == "-":
        if fmt in BINARY_FORMATS:
            raise CommandError(fmt, "writes a binary file: give --output PATH")
        return export_rows(rows, fmt, sys.stdout, columns=columns)
    return export_rows(rows, fmt, Path(output), columns=columns)


def cmd_query(args: argparse.Namespace) -> int:
    from eventwire.model import EVENT_TYPES, SourceType, Status
    from eventwire.store.base import EVENT_COLUMNS

    known = {
        "--type": (args.event_type, EVENT_TYPES),
        "--status": (args.status, Status.__args__),  # type: ignore[attr-defined]
        "--source-type": (args.source_type, SourceType.__args__),  # type: ignore[attr-defined]
    }
    for option, (given, allowed) in known.items():
        unknown = [v for v in given or () if v not in allowed]
        if unknown:
            raise CommandError(
                option, f"unknown value {unknown[0]!r} (expected one of {', '.join(allowed)})"
            )
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise CommandError("--from/--to", "the start date is after the end date")
    if args.format == "parquet" and not args.output:
        raise CommandError("parquet", "writes a binary file: give --output PATH")
    with _open_db(args, must_exist=True) as store:
        rows = store.query(_query_filter(args), limit=args.limit)
    if args.format == "table":
        from eventwire.render import render_store_events

        ascii_only = not _can_print(sys.stdout, "\u2192\u2500")
        text = render_store_events(rows, ascii_only=ascii_only and not args.output)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    result = _write_rows(rows, args.format, args.output, EVENT_COLUMNS)
    if result.skipped:
        sys.stderr.write(
            f"{PROG}: note: {result.skipped} event{'s' if result.skipped != 1 else ''} "
            "without coordinates left out of the GeoJSON\n"
        )
    if args.output:
        sys.stderr.write(f"{PROG}: wrote {result.written} events to {args.output}\n")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from eventwire.store.base import TABLES

    fmt = args.format
    if fmt is None:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        fmt = {"csv": "csv", "parquet": "parquet", "pq": "parquet"}.get(suffix, "jsonl")
    with _open_db(args, must_exist=True) as store:
        result = _write_rows(store.iter_table(args.table), fmt, args.output, TABLES[args.table])
    if args.output != "-":
        sys.stderr.write(f"{PROG}: wrote {result.written} {args.table} rows to {args.output}\n")
    return 0


# --- the web workbench --------------------------------------------------------------------------

TOKEN_ENV = "EVENTWIRE_TOKEN"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 1-65535: {value!r}")
    return number


def _add_serve_command(commands, common: argparse.ArgumentParser, model) -> None:
    serve = commands.add_parser(
        "serve", parents=[common, model], help="browse, map and verify stored events in a browser",
        description="Serve the web workbench (a page and a JSON API, schema at /openapi.json) "
        "over a store. Read-only unless --allow-ingest is given.",
    )
    add = serve.add_argument
    add("--db", metavar="URL",
        help=f"a DuckDB file (default: ${DB_ENV}, else eventwire.duckdb here) "
        "or postgresql://user@host/dbname")
    add("--host", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)")
    add("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    add("--allow-ingest", action="store_true",
        help="accept articles at POST /api/articles from clients that send the token")
    add("--token", metavar="TOKEN",
        help=f"the ingest token (default: ${TOKEN_ENV}, which other users cannot see in the "
        "process list)")
    _add_limit_options(serve)
    serve.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get(TOKEN_ENV) or None
    if args.allow_ingest and not token:
        raise CommandError(
            "--allow-ingest", f"needs a token: give --token TOKEN or set ${TOKEN_ENV}"
        )
    url = _db_url(args)
    path = _duckdb_path(url)
    if not args.allow_ingest and path is not None and not Path(path).exists():
        raise CommandError(url, "no such database (store articles with 'eventwire ingest')")
    import uvicorn

    from eventwire.web import create_app

    if args.allow_ingest:
        from eventwire.nlp import load

        load(args.model)  # a missing model is an error now, not on the first article
    app = create_app(url, allow_ingest=args.allow_ingest, token=token, model=args.model)
    try:
        with app.state.store.use():  # a bad URL or database is one error before serving
            pass
    except Exception as err:
        err.add_note(_shown_url(url))
        raise
    host = f"[{args.host}]" if ":" in args.host else args.host
    mode = "ingest enabled" if args.allow_ingest else "read-only"
    sys.stderr.write(
        f"{PROG}: serving {_shown_url(url)} ({mode}) at http://{host}:{args.port}/ "
        "(Ctrl-C stops)\n"
    )
    if args.host not in LOOPBACK:
        sys.stderr.write(
            f"{PROG}: note: listening on {args.host}: other machines can read the events\n"
        )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _subject(args: argparse.Namespace, err: BaseException) -> str:
    for note in getattr(err, "__notes__", ()):
        return note
    return getattr(args, "article", None) or getattr(args, "gold_dir", None) or args.command


def _one_line(text: str) -> str:
    return " ".join(str(text).split()) or "unknown error"


def _describe(err: Exception) -> tuple[str | None, str]:
    """The input an error names (if it names one) and its reason, for the one-line message."""
    from eventwire.ingest import IngestError
    from eventwire.nlp import ModelNotFound

    if isinstance(err, CommandError):
        return err.subject, err.reason
    if isinstance(err, IngestError):
        return err.source, err.reason
    if isinstance(err, ModelNotFound):
        return None, str(err)
    store = sys.modules.get("eventwire.store")
    if store is not None and isinstance(err, store.StoreError):
        return None, str(err)
    if isinstance(err, OSError) and err.filename:
        return str(err.filename), err.strerror or str(err)
    if isinstance(err, ValueError):
        # Bad input (a gold file, a date): the message is meant for the user.
        return None, str(err)
    return None, f"{type(err).__name__}: {err} (run with --debug for the traceback)"


@contextmanager
def _warnings_on_stderr() -> Iterator[None]:
    """The library's warnings (an article's events cut to the limit, ...) as one line each on
    stderr: "eventwire: warning: <input>: <what>". Left alone when the caller set up logging."""
    logger = logging.getLogger(PROG)
    if logger.handlers or logging.getLogger().handlers:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(f"{PROG}: warning: %(message)s"))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 error, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        with _warnings_on_stderr(), limits_applied(_limit_env(args)):
            return handler(args)
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader (head, less) went away: not an error of ours. Point stdout at devnull so
        # that the interpreter's final flush does not complain either.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 0
    except Exception as err:
        if args.debug:
            raise
        subject, reason = _describe(err)
        subject = subject or _subject(args, err)
        sys.stderr.write(f"{PROG}: error: {_one_line(subject)}: {_one_line(reason)}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
