"""Bulk ingest: stream articles from files, folders, JSONL, feeds or WARC archives, analyse them
with the local engine and store them, one transaction per batch.

The run is resumable. Before a batch is parsed, the articles already stored whole by this
extractor version are dropped from it (``EventStore.stored_ids``: one query per batch), and
each analysed batch is stored in one transaction. An interrupted run (Ctrl-C, a crash, a killed
process) therefore loses at most the batches in flight, and running the same command again
picks up where it stopped without parsing or storing anything twice.

Memory stays flat: the readers stream, the engine keeps a bounded number of batches in flight,
and the report keeps counts (the rejects themselves go to the rejects file, JSONL).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from eventwire import EXTRACTOR_VERSION
from eventwire.ingest.sources import FieldMap, Rejected, iter_sources
from eventwire.model import Analysis, Article
from eventwire.scale.local import default_workers, run_local
from eventwire.store.loader import LoadReport as _LoaderReport
from eventwire.store.loader import count_result as _count

if TYPE_CHECKING:
    from eventwire.store.base import EventStore, IngestResult

BATCH_SIZE = 32
NOT_STORED = "not stored"
KEPT_FAILURES = 100  # rejects kept in the report for display; the rejects file has them all
KEPT_REASONS = 100  # distinct reasons counted one by one; the rest as OTHER_REASONS
OTHER_REASONS = "other reasons"
PROGRESS_INTERVAL_ENV = "EVENTWIRE_PROGRESS_INTERVAL"
LOG_INTERVAL = 5.0  # seconds between progress lines when stderr is not a terminal


@dataclass
class LoadReport(_LoaderReport):
    """What one ``run_ingest`` did. ``unchanged`` includes the ``skipped`` articles (stored
    already, not parsed again); ``failed`` counts every reject, by reason in
    ``rejected_by_reason``; ``failures`` keeps the first few as (source, reason).
    ``not_articles`` counts what the readers passed over without a reject (WARC request
    records, files of other types); ``rss`` is each worker's peak resident memory in bytes;
    ``interrupted`` is True when the run ended by an exception (Ctrl-C included)."""

    failures: list[tuple[str, str]] = field(default_factory=list)  # type: ignore[assignment]
    skipped: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    not_articles: dict[str, int] = field(default_factory=dict)  # skipped inputs, from the readers
    rss: dict[str, int] = field(default_factory=dict)  # peak resident bytes per worker process
    interrupted: bool = False

    def reject(self, item: Rejected) -> None:
        self.failed += 1
        reason = item.reason
        if reason not in self.rejected_by_reason and len(self.rejected_by_reason) >= KEPT_REASONS:
            reason = OTHER_REASONS
        self.rejected_by_reason[reason] = self.rejected_by_reason.get(reason, 0) + 1
        if len(self.failures) < KEPT_FAILURES:
            self.failures.append((item.source, _shown_reason(item)))

    def summary(self) -> str:
        """One line for people: counts, rejects by reason, time."""
        line = super().summary()
        if self.skipped:
            head, _, tail = line.partition("), ")
            line = f"{head}), {self.skipped} already stored (not parsed again), {tail}"
        if self.rejected_by_reason:
            reasons = ", ".join(
                f"{reason}: {n}"
                for reason, n in sorted(self.rejected_by_reason.items(), key=lambda kv: -kv[1])
            )
            line = line.replace(f"{self.failed} failed", f"{self.failed} failed ({reasons})", 1)
        if self.not_articles:
            also = ", ".join(f"{key}: {n}" for key, n in sorted(self.not_articles.items()))
            line = f"{line}; {also}"
        return line


def _shown_reason(item: Rejected) -> str:
    detail = getattr(item, "detail", "")
    if detail and detail != item.reason:
        return f"{item.reason}: {detail}"
    return item.reason


def _log_interval() -> float:
    try:
        return max(0.0, float(os.environ.get(PROGRESS_INTERVAL_ENV, "")))
    except ValueError:
        return LOG_INTERVAL


class Progress:
    """Articles, events and articles per second on a stream (stderr): one line rewritten in
    place on a terminal, else a line every ``interval`` seconds (default: 5, or
    $EVENTWIRE_PROGRESS_INTERVAL) and one at the end."""

    def __init__(self, stream: TextIO, report: LoadReport, interval: float | None = None) -> None:
        self.stream = stream
        self.report = report
        self.live = bool(getattr(stream, "isatty", lambda: False)())
        if interval is None:
            interval = 0.2 if self.live else _log_interval()
        self.interval = interval
        self.started = time.perf_counter()
        self.last = -1e9
        self.shown = False

    def line(self) -> str:
        r = self.report
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        done = r.articles
        text = (
            f"ingest: {done:,} article{'s' if done != 1 else ''}, "
            f"{r.mentions:,} event{'s' if r.mentions != 1 else ''}, "
            f"{done / elapsed:.1f} articles/s"
        )
        if r.skipped:
            text += f", {r.skipped:,} already stored"
        if r.failed:
            text += f", {r.failed:,} rejected"
        return text

    def update(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        text = self.line()
        self.stream.write("\r\x1b[K" + text if self.live else text + "\n")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown or not self.live:
            self.update(force=True)
        if self.live:
            self.stream.write("\n")
            self.stream.flush()


class RejectsFile:
    """The rejects, one JSON object a line (source, reason, detail), flushed per batch (both
    engines write them this way)."""

    def __init__(self, path: Path | None) -> None:
        self.handle = open(path, "w", encoding="utf-8") if path is not None else None

    def write(self, item: Rejected) -> None:
        if self.handle is not None:
            record = {"source": item.source, "reason": item.reason}
            detail = getattr(item, "detail", "")
            if detail:
                record["detail"] = detail
            self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def flush(self) -> None:
        if self.handle is not None:
            self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


class TimingsFile:
    """Seconds per analysed article, one JSON object a line (``ingest --timings FILE``)."""

    def __init__(self, path: Path | None) -> None:
        self.handle = open(path, "w", encoding="utf-8") if path is not None else None
        self.seconds: list[float] = []
        self.worker = "main"

    def note(self, seconds: list[float], worker: str) -> None:
        """The next batch's seconds per article and the worker that ran it."""
        self.seconds, self.worker = seconds, worker

    def __enter__(self) -> TimingsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()

    def write(
        self, batch: list[Article], results: list[Analysis | Rejected], rss: dict[str, int]
    ) -> None:
        """One line per article of the batch just analysed (``note`` gave its times)."""
        if self.handle is None:
            return
        took = self.seconds if len(self.seconds) == len(batch) else None
        for i, (article, result) in enumerate(zip(batch, results, strict=True)):
            record = {
                "source": article.source or article.id,
                "chars": len(article.text),
                "seconds": round(took[i], 4) if took else None,
                "outcome": result.reason if isinstance(result, Rejected) else "analysed",
                "events": 0 if isinstance(result, Rejected) else len(result.events),
                "worker": self.worker,
                "peak_rss_mib": round(rss.get(self.worker, 0) / 2**20, 1),
            }
            self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.handle.flush()


@contextmanager
def accounted(report: LoadReport, listing: RejectsFile, meter: Progress | None) -> Iterator[None]:
    """The bookkeeping around a run that stores batches: an exception marks the report
    interrupted (and goes on up); however the run ends, its time is recorded, the rejects
    listing closed and the progress line finished."""
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        report.interrupted = True
        raise
    finally:
        report.seconds = time.perf_counter() - started
        listing.close()
        if meter:
            meter.done()


def store_batch(
    store: EventStore,
    analysed: list[tuple[Analysis, str]],
    report: LoadReport,
    reject: Callable[[Rejected], None],
) -> None:
    """Store one batch's analyses and count what happened to each (both engines use it)."""
    for stored in _store(store, analysed) if analysed else []:
        if isinstance(stored, Rejected):
            reject(stored)
        else:
            _count(report, stored)


def _store(
    store: EventStore, items: list[tuple[Analysis, str]]
) -> list[IngestResult | Rejected]:
    """One transaction for the batch; when it fails, each article alone, to find the bad one."""
    try:
        return list(store.ingest_many(items))
    except Exception:
        pass
    out: list[IngestResult | Rejected] = []
    for analysis, text in items:
        try:
            out.append(store.ingest(analysis, text))
        except Exception as err:
            meta = analysis.article
            detail = " ".join(f"{type(err).__name__}: {err}".split())
            out.append(Rejected(meta.source or meta.id, NOT_STORED, detail))
    return out


def run_ingest(
    store: EventStore,
    paths: Iterable[Path | str],
    *,
    fmt: str | None = None,
    fields: FieldMap | None = None,
    published: date | None = None,
    model: str | None = None,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    rejects: Path | None = None,
    progress: bool | None = None,
    stream: TextIO | None = None,
    report: LoadReport | None = None,
    max_in_flight: int | None = None,
    timings: Path | None = None,
) -> LoadReport:
    """Read every article under ``paths``, analyse the ones not stored yet and store them.

    ``fmt``: the input format (None: detected per file). ``published``: the date of articles
    that give none. ``workers``: processes (default: the machine's cores; 1: this process).
    ``rejects``: a file to list every reject in (JSONL, rewritten by each run; a resumed run
    reads its input again, so it lists every reject once). ``progress``: True shows progress
    on ``stream`` (default stderr), None only when that is a terminal, False never.
    ``report`` (optional) is filled in place, so that a caller keeps the counts of an
    interrupted run; ``report.interrupted`` is then True and the interrupt goes on up.
    ``timings``: a file to write one JSON line per analysed article to (source, characters,
    seconds, outcome, events, the worker and its peak memory so far), to find slow articles.
    """
    report = report if report is not None else LoadReport()
    out = stream if stream is not None else sys.stderr
    if progress is None:
        progress = bool(getattr(out, "isatty", lambda: False)())
    meter = Progress(out, report) if progress else None
    size = max(1, int(batch_size))
    listing = RejectsFile(rejects)
    timing = TimingsFile(timings)
    in_flight: deque[list[Article]] = deque()

    def reject(item: Rejected) -> None:
        report.reject(item)
        listing.write(item)
        if meter:
            meter.update()

    def fresh(chunk: list[Article]) -> list[Article]:
        done = store.stored_ids([a.id for a in chunk], EXTRACTOR_VERSION)
        if done:
            report.skipped += sum(a.id in done for a in chunk)
            report.unchanged += sum(a.id in done for a in chunk)
        return [a for a in chunk if a.id not in done]

    def batches() -> Iterator[list[Article]]:
        # A batch is a fixed run of the input (less what is stored already), never repacked:
        # spaCy's results can shift with a batch's make-up, so a resumed run must parse the
        # same batches as an uninterrupted one to end with exactly its rows.
        chunk: list[Article] = []
        items = iter_sources(
            [Path(p) for p in paths], fmt, fields=fields or FieldMap(), published=published,
            stats=report.not_articles,
        )  # fmt: skip
        for item in items:
            if isinstance(item, Rejected):
                reject(item)
                continue
            chunk.append(item)
            if len(chunk) < size:
                continue
            batch, chunk = fresh(chunk), []
            if meter:
                meter.update()
            if batch:
                in_flight.append(batch)
                yield batch
        batch = fresh(chunk) if chunk else []
        if batch:
            in_flight.append(batch)
            yield batch

    with accounted(report, listing, meter), timing:
        for results in run_local(
            batches(), workers=workers, model=model, max_in_flight=max_in_flight, rss=report.rss,
            on_batch=timing.note,
        ):  # fmt: skip
            batch = in_flight.popleft()
            analysed: list[tuple[Analysis, str]] = []
            for article, result in zip(batch, results, strict=True):
                if isinstance(result, Rejected):
                    reject(result)
                else:
                    analysed.append((result, article.text))
            store_batch(store, analysed, report, reject)
            timing.write(batch, results, report.rss)
            listing.flush()
            if meter:
                meter.update()
    return report


__all__ = ["BATCH_SIZE", "LoadReport", "Progress", "default_workers", "run_ingest"]
