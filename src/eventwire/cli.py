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
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from eventwire import __version__

FORMATS = ("jsonl", "json", "table")
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
        help="jsonl: one event per line (default); json: the whole analysis; table: for people",
    )
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
        "eval", parents=[common, model], help="score the extractor against a gold folder",
        description="Score the extractor against a folder of *.gold.json files and their texts.",
    )
    evaluate.add_argument("gold_dir", metavar="GOLD_DIR", help="folder of *.gold.json files")
    evaluate.add_argument("--json", action="store_true", help="print the summary as JSON")
    evaluate.add_argument("--verbose", action="store_true", help="list every match and miss")
    evaluate.set_defaults(handler=cmd_eval)

    demo = commands.add_parser(
        "demo", parents=[common, model], help="run the bundled sample articles",
        description="Analyse every bundled sample article and print its events as a table.",
    )
    demo.set_defaults(handler=cmd_demo)
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
    else:
        out.write(_render(analysis))
    return 0


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
    if args.json:
        sys.stdout.write(json.dumps(report.summary()) + "\n")
    else:
        text = report.format_text(args.verbose)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
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
    if isinstance(err, OSError) and err.filename:
        return str(err.filename), err.strerror or str(err)
    if isinstance(err, ValueError):
        # Bad input (a gold file, a date): the message is meant for the user.
        return None, str(err)
    return None, f"{type(err).__name__}: {err} (run with --debug for the traceback)"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 error, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    try:
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
