"""Throughput of the full pipeline against bare spaCy on the same texts (``eventwire bench``).

One run, one pool of workers (model loaded and warmed before any clock starts):

* full: ``analyze_batch`` over every batch in the local engine, and (unless ``store=False``)
  each batch stored in a throwaway DuckDB file by this process, as ``eventwire ingest`` does;
* bare: ``nlp.pipe`` with the same loaded pipeline (same model, same components) over the
  same texts in the same batches and workers, doing nothing with the Docs.

The ratio full/bare says what eventwire's own work costs on top of spaCy's. The full run goes
first, so that anything the first pass over the texts pays (new strings in the vocabulary)
is paid by the full pipeline, not by the baseline.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.ingest.sources import FieldMap, Rejected, iter_sources
from eventwire.model import Article
from eventwire.scale.local import LocalEngine, default_workers, peak_rss


@dataclass
class BenchReport:
    articles: int = 0
    words: int = 0
    tokens: int = 0
    rejected: int = 0  # inputs that are not articles
    failed: dict[str, int] = field(default_factory=dict)  # articles rejected in analysis, by reason
    workers: int = 1
    batch_size: int = 0
    model: str = ""
    components: list[str] = field(default_factory=list)
    stored: bool = True
    full_seconds: float = 0.0
    bare_seconds: float = 0.0
    events: int = 0
    rss: dict[str, int] = field(default_factory=dict)  # peak resident bytes per worker
    repeat: int = 1

    @property
    def ratio(self) -> float:
        return self.bare_seconds / self.full_seconds if self.full_seconds > 0 else 0.0

    def rate(self, seconds: float) -> tuple[float, float]:
        """(articles/s, words/s) for a run that took ``seconds``."""
        if seconds <= 0:
            return 0.0, 0.0
        return self.articles / seconds, self.words / seconds

    def text(self) -> str:
        """The report for people, a few lines."""
        full_a, full_w = self.rate(self.full_seconds)
        bare_a, bare_w = self.rate(self.bare_seconds)
        full_name = "full pipeline" + (" (+ store)" if self.stored else "")
        words = self.words / self.articles if self.articles else 0
        rss = ", ".join(
            f"{name} {_mib(n)}" for name, n in sorted(self.rss.items(), key=lambda kv: kv[0])
        )
        lines = [
            f"corpus: {self.articles} articles ({words:.0f} words each on average, "
            f"{self.tokens:,} tokens){f', {self.rejected} rejected' if self.rejected else ''}"
            + (f"; not analysed: {failed}" if (failed := self._failed()) else ""),
            f"model: {self.model} ({', '.join(self.components)})",
            f"machine: {_machine()}; workers: {self.workers}, batch size {self.batch_size}"
            + (f"; fastest of {self.repeat} runs each" if self.repeat > 1 else ""),
            f"{full_name:<26} {full_a:8.2f} articles/s {full_w:10,.0f} words/s"
            f"  ({self.full_seconds:.1f} s, {self.events:,} events)",
            f"{'bare nlp.pipe':<26} {bare_a:8.2f} articles/s {bare_w:10,.0f} words/s"
            f"  ({self.bare_seconds:.1f} s)",
            f"{'ratio full/bare':<26} {self.ratio:8.2f}",
            f"peak RSS per worker: {rss}; main process {_mib(peak_rss())}",
        ]
        return "\n".join(lines) + "\n"


    def _failed(self) -> str:
        return ", ".join(f"{n} ({reason})" for reason, n in sorted(self.failed.items()))


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def _feed(batches: list[list[Article]], sent: deque[list[Article]]) -> Iterator[list[Article]]:
    """The batches, each noted in ``sent`` as it goes to the engine."""
    for batch in batches:
        sent.append(batch)
        yield batch


def _batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_bench(
    paths: Iterable[Path | str],
    *,
    fmt: str | None = None,
    fields: FieldMap | None = None,
    workers: int | None = None,
    limit: int | None = None,
    model: str | None = None,
    batch_size: int = 32,
    store: bool = True,
    repeat: int = 1,
) -> BenchReport:
    """Time the full pipeline and bare ``nlp.pipe`` over the articles under ``paths`` (the
    first ``limit``), with ``workers`` processes (default: the machine's cores). With
    ``repeat`` > 1 both run that many times, alternately, and the fastest of each counts
    (other work on the machine only ever slows a run down)."""
    from eventwire import nlp
    from eventwire.store import open_store

    count = default_workers() if workers is None else max(1, workers)
    report = BenchReport(workers=count, batch_size=batch_size, stored=store, repeat=repeat)
    articles: list[Article] = []
    for item in iter_sources([Path(p) for p in paths], fmt, fields=fields or FieldMap()):
        if isinstance(item, Rejected):
            report.rejected += 1
            continue
        articles.append(item)
        if limit is not None and len(articles) >= limit:
            break
    report.articles = len(articles)
    report.words = sum(len(a.text.split()) for a in articles)
    report.model = nlp.resolve_model_name(model)
    batches = _batches(articles, batch_size)
    texts = _batches([a.text for a in articles], batch_size)
    full: list[float] = []
    bare: list[float] = []
    with LocalEngine(count, model, rss=report.rss) as engine, tempfile.TemporaryDirectory() as tmp:
        engine.warm()
        report.components = engine.components()
        for run in range(max(1, repeat)):
            with open_store(str(Path(tmp) / f"bench{run}.duckdb")) as db:
                started = time.perf_counter()
                sent: deque[list[Article]] = deque()
                events = 0
                failed: dict[str, int] = {}
                for results in engine.analyze(_feed(batches, sent)):
                    batch = sent.popleft()
                    done = [(r, a.text) for r, a in zip(results, batch, strict=True)
                            if not isinstance(r, Rejected)]  # fmt: skip
                    for r in results:
                        if isinstance(r, Rejected):  # a timeout, a failed stage
                            failed[r.reason] = failed.get(r.reason, 0) + 1
                    events += sum(len(r.events) for r, _ in done)
                    if store and done:
                        db.ingest_many(done)
                full.append(time.perf_counter() - started)
                report.events, report.failed = events, failed
            started = time.perf_counter()
            report.tokens = sum(engine.parse(texts))
            bare.append(time.perf_counter() - started)
    report.full_seconds, report.bare_seconds = min(full), min(bare)
    return report
