"""Filling a store from files and folders: read, parse in batches, extract, store.

``ingest_paths`` walks the given files and folders (folders recursively, .txt/.html/.htm files in
sorted order), reads each file as an article, parses the texts in batches through
``nlp.parse_many``, runs the extract stages and stores each batch in one transaction. A file
that cannot be read or analysed is counted and listed with its reason; it never stops the run.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from eventwire import nlp
from eventwire.ingest import IngestError, read_article
from eventwire.model import Analysis, Article
from eventwire.pipeline import analyze_doc

if TYPE_CHECKING:
    from eventwire.store.base import EventStore, IngestResult

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
BATCH_SIZE = 16


@dataclass
class LoadReport:
    """What one ``ingest_paths`` run did."""

    new: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: int = 0
    mentions: int = 0  # mentions stored by this run (of new and replaced articles)
    failures: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        """Articles read and stored (or found already stored)."""
        return self.new + self.unchanged + self.replaced

    def summary(self) -> str:
        """One line for people: counts, failures, time."""
        rate = f", {self.articles / self.seconds:.1f} articles/s" if self.seconds > 0 else ""
        return (
            f"{self.articles} article{'s' if self.articles != 1 else ''} "
            f"({self.new} new, {self.unchanged} unchanged, {self.replaced} replaced), "
            f"{self.mentions} event mention{'s' if self.mentions != 1 else ''}, "
            f"{self.failed} failed, in {self.seconds:.1f} s{rate}"
        )


def article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files to read: a named file as it is, a folder's article files recursively, sorted.

    A path that does not exist is yielded too, so that reading it reports the reason.
    """
    seen: set[Path] = set()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
        else:
            found = [path]
        for file in found:
            key = file.resolve() if file.exists() else file
            if key not in seen:
                seen.add(key)
                yield file


class _Progress:
    """A counter on stderr: rewritten in place on a terminal, one line per batch otherwise."""

    def __init__(self, stream: TextIO, started: float) -> None:
        self.stream = stream
        self.started = started
        self.live = bool(getattr(stream, "isatty", lambda: False)())
        self.shown = False

    def update(self, report: LoadReport) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        done = report.articles + report.failed
        line = (
            f"ingest: {done} article{'s' if done != 1 else ''}, "
            f"{report.mentions} event{'s' if report.mentions != 1 else ''}, "
            f"{report.articles / elapsed:.1f} articles/s"
        )
        if report.failed:
            line += f", {report.failed} failed"
        self.stream.write("\r\x1b[K" + line if self.live else line + "\n")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.live and self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _reason(err: Exception) -> str:
    if isinstance(err, IngestError):
        return err.reason
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return f"{type(err).__name__}: {err}"


def _batches(files: Iterable[Path], size: int) -> Iterator[list[Path]]:
    batch: list[Path] = []
    for file in files:
        batch.append(file)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def count_result(report: LoadReport, result: IngestResult) -> None:
    """Add one stored article's outcome to a report."""
    if result.status == "new":
        report.new += 1
    elif result.status == "replaced":
        report.replaced += 1
    else:
        report.unchanged += 1
    if result.status in ("new", "replaced"):
        report.mentions += result.mentions


def _store_batch(
    store: EventStore, items: list[tuple[Path, Analysis, str]], report: LoadReport
) -> None:
    """One transaction for the batch; when it fails, each article alone, to find the bad one."""
    try:
        results = store.ingest_many([(analysis, text) for _, analysis, text in items])
    except Exception:
        results = None
    if results is not None:
        for result in results:
            count_result(report, result)
        return
    for path, analysis, text in items:
        try:
            result = store.ingest(analysis, text)
        except Exception as err:
            report.failed += 1
            report.failures.append((path, f"not stored: {_reason(err)}"))
        else:
            count_result(report, result)


def ingest_paths(
    store: EventStore,
    paths: list[Path],
    *,
    published: date | None = None,
    model: str | None = None,
    progress: bool | None = True,
    batch_size: int = BATCH_SIZE,
    stream: TextIO | None = None,
) -> LoadReport:
    """Read, extract and store every article under ``paths``; returns what happened.

    ``published`` stands in as the publication date of every article (it wins over a page's
    own). ``progress``: True shows a counter on ``stream`` (default stderr), None only when
    that stream is a terminal, False never.
    """
    started = time.perf_counter()
    out = stream if stream is not None else sys.stderr
    if progress is None:
        progress = bool(getattr(out, "isatty", lambda: False)())
    meter = _Progress(out, started) if progress else None
    report = LoadReport()
    try:
        for batch in _batches(article_files(paths), batch_size):
            articles: list[tuple[Path, Article]] = []
            for path in batch:
                try:
                    articles.append((path, read_article(path, published=published)))
                except (IngestError, OSError) as err:
                    report.failed += 1
                    report.failures.append((path, _reason(err)))
            docs = nlp.parse_many((article.text for _, article in articles), model)
            analysed: list[tuple[Path, Analysis, str]] = []
            for (path, article), doc in zip(articles, docs, strict=True):
                try:
                    analysed.append((path, analyze_doc(article, doc), article.text))
                except Exception as err:  # a bug in one stage must not lose the other articles
                    report.failed += 1
                    report.failures.append((path, f"not analysed: {_reason(err)}"))
            if analysed:
                _store_batch(store, analysed, report)
            if meter:
                meter.update(report)
    finally:
        report.seconds = time.perf_counter() - started
        if meter:
            meter.done()
    return report
