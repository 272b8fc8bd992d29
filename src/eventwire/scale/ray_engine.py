"""The Ray engine: the same per-article work as the local engine, on a Ray cluster.

``run_ray`` lists the input files on the driver (``source_files``), reads them as a Ray Dataset
in reader tasks (a few files each, streaming), analyses the articles with
``work.analyze_batch`` in a pool of actors (each loads the model once) and writes Parquet
partitions to an output folder, one row per input item:

    unit_no, item_no    where the item is in the input (the order a local run stores it in)
    article_id, source  the article's id and where it was read from
    text                the article text (null for a rejected item)
    analysis_json       the ``Analysis`` as JSON (null for a rejected item)
    events              how many event records the analysis has
    rejected_reason     null for an article; else why the item is not one (``rejected_detail``
                        has the full message)
    extractor_version   the version of eventwire's extractor that wrote the analysis

``load_parquet`` stores such a folder through ``EventStore.ingest_many`` in input order, so
that the store ends with the same rows as a local run over the same inputs; loading twice
changes nothing. Only ``run_ray`` needs Ray (``pip install 'eventwire[ray]'``); loading needs
only DuckDB, so partitions written on a cluster can be loaded anywhere.

Running again into the same folder resumes: articles whose id is already in a readable
partition there are not analysed again, and a partition left unreadable by a crash is renamed
``*.incomplete`` so that its articles are redone. Without ``address`` a local Ray instance is
started (usage statistics off unless ``RAY_USAGE_STATS_ENABLED`` says otherwise) and stopped
at the end. With a cluster, the inputs and the output folder must be paths every node sees.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from eventwire.ingest.language import LANGUAGE_ENV
from eventwire.ingest.sources import FieldMap, Rejected
from eventwire.limits import Limits
from eventwire.model import Analysis, Article

if TYPE_CHECKING:
    import pyarrow as pa

    from eventwire.scale.runner import LoadReport
    from eventwire.store.base import EventStore

INSTALL_HINT = "the Ray engine needs Ray: pip install 'eventwire[ray]'"
USAGE_STATS_ENV = "RAY_USAGE_STATS_ENABLED"
PARTITION_SUFFIX = ".parquet"
BROKEN_SUFFIX = ".incomplete"
# Rows a partition file holds at least (Ray writes one file per block otherwise: many tiny files).
ROWS_PER_FILE = 1000
LOAD_BATCH = 64
# A reader task reads up to this many files, or files of up to this many bytes, in turn.
FILES_PER_UNIT = 16
UNIT_BYTES = 8 << 20
BLOCK_BYTES = 1 << 20

# (name, arrow type name); large_string for the columns that can exceed 2 GiB in one file.
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit_no", "int64"),
    ("item_no", "int64"),
    ("article_id", "string"),
    ("source", "string"),
    ("text", "large_string"),
    ("analysis_json", "large_string"),
    ("events", "int32"),
    ("rejected_reason", "string"),
    ("rejected_detail", "string"),
    ("extractor_version", "string"),
)
# Between the reader and the analysers an article travels as JSON (dates and all).
_READ_COLUMNS: tuple[tuple[str, str], ...] = (
    ("unit_no", "int64"),
    ("item_no", "int64"),
    ("article_id", "string"),
    ("source", "string"),
    ("article_json", "large_string"),
    ("rejected_reason", "string"),
    ("rejected_detail", "string"),
)
COLUMNS: tuple[str, ...] = tuple(name for name, _ in _COLUMNS)


class RayUnavailable(RuntimeError):
    """Ray (the optional dependency) is not installed."""


class RayJobFailed(RuntimeError):
    """The Ray job stopped with an error (a worker's, or the cluster's)."""


def _ray() -> Any:
    os.environ.setdefault(USAGE_STATS_ENV, "0")  # no usage report unless the user asks
    try:
        import ray
        import ray.data  # noqa: F401  (ray[data]: pyarrow, pandas)
    except ImportError as err:
        raise RayUnavailable(f"{INSTALL_HINT} ({err})") from None
    return ray


def _schema(columns: Sequence[tuple[str, str]]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in columns])


@dataclass
class RayReport:
    """What one ``run_ray`` did."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)  # partitions written by this run
    articles: int = 0  # analysed and written
    events: int = 0
    rejected: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # already in a partition of out_dir (resumed run)
    incomplete: list[Path] = field(default_factory=list)  # unreadable partitions set aside
    not_articles: dict[str, int] = field(default_factory=dict)  # files skipped by type
    workers: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line for people."""
        rate = f", {self.articles / self.seconds:.1f} articles/s" if self.seconds > 0 else ""
        return (
            f"ray: {self.articles} article{'s' if self.articles != 1 else ''} analysed "
            f"({self.events} event{'s' if self.events != 1 else ''}), {self.rejected} rejected, "
            f"{self.skipped} already done, {len(self.files)} partition"
            f"{'s' if len(self.files) != 1 else ''} written to {self.out_dir} by "
            f"{self.workers} worker{'s' if self.workers != 1 else ''} "
            f"in {self.seconds:.1f} s{rate}"
        ) + "".join(f"; {key}: {n}" for key, n in sorted(self.not_articles.items()))


# --- the Ray side: reading and analysing ------------------------------------------------------


def _shown(source: str, roots: list[tuple[str, str]]) -> str:
    """A source as a local run names it: under the path the user gave, not the absolute one
    the workers opened (``roots`` pairs each opened path with the given one)."""
    for opened, given in roots:
        rest = source[len(opened):]
        if source.startswith(opened) and rest[:1] in ("", os.sep, ":", "#", "@"):
            return given + rest
    return source


def _units(
    opened: list[str], fmt: str | None, stats: dict[str, int]
) -> list[dict[str, Any]]:
    """The input files in ``source_files`` order, grouped into units that one reader task
    reads in turn: a few small files together, a big one (a WARC, a JSONL dump) alone."""
    from eventwire.ingest.sources import source_files

    units: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    size = 0
    for entry in source_files([Path(p) for p in opened], fmt, stats=stats):
        if isinstance(entry, Rejected):
            entries.append({"reject": [entry.source, entry.reason, entry.detail]})
        else:
            path, file_fmt = entry
            entries.append({"file": str(path), "fmt": file_fmt})
            try:
                size += path.stat().st_size
            except OSError:
                pass
        if len(entries) >= FILES_PER_UNIT or size >= UNIT_BYTES:
            units.append({"unit_no": len(units), "entries": json.dumps(entries)})
            entries, size = [], 0
    if entries:
        units.append({"unit_no": len(units), "entries": json.dumps(entries)})
    return units


def _read_inputs(
    batch: pa.Table,
    *,
    roots: list[tuple[str, str]],
    fields: FieldMap,
    published: date | None,
    chunk: int,
    done_ids: frozenset[str],
    done_rejects: frozenset[tuple[str, str]],
) -> Iterator[pa.Table]:
    """Reader task: the files of each unit as a stream of rows, one per article or reject."""
    from eventwire.ingest.sources import iter_source

    schema = _schema(_READ_COLUMNS)
    rows: list[dict[str, Any]] = []
    for unit in batch.to_pylist():
        unit_no = unit["unit_no"]
        item_no = 0
        for entry in json.loads(unit["entries"]):
            if "reject" in entry:
                items: Iterable[Article | Rejected] = [Rejected(*entry["reject"])]
            else:
                items = iter_source(
                    Path(entry["file"]), entry["fmt"], fields=fields, published=published
                )
            try:
                for item in items:
                    row = _read_row(item, unit_no, item_no, roots, done_ids, done_rejects)
                    item_no += 1
                    if row is not None:
                        rows.append(row)
                    if len(rows) >= chunk:
                        yield _table(rows, schema)
                        rows = []
            except Exception as err:  # a reader bug must not lose the other files
                reason = " ".join(f"{type(err).__name__}: {err}".split())
                source = _shown(entry.get("file", ""), roots)
                rows.append(_reject_row(unit_no, item_no, None, source, "unreadable", reason))
                item_no += 1
    if rows:
        yield _table(rows, schema)


def _read_row(
    item: Article | Rejected,
    unit_no: int,
    item_no: int,
    roots: list[tuple[str, str]],
    done_ids: frozenset[str],
    done_rejects: frozenset[tuple[str, str]],
) -> dict[str, Any] | None:
    source = _shown(item.source or "", roots)
    if isinstance(item, Rejected):
        if (source, item.reason) in done_rejects:
            return None
        return _reject_row(unit_no, item_no, None, source, item.reason, item.detail)
    if item.id in done_ids:
        return None
    if source != (item.source or ""):
        item = item.model_copy(update={"source": source})
    return {
        "unit_no": unit_no, "item_no": item_no, "article_id": item.id, "source": item.source,
        "article_json": item.model_dump_json(), "rejected_reason": None, "rejected_detail": None,
    }  # fmt: skip


def _reject_row(
    unit_no: int, item_no: int, article_id: str | None, source: str, reason: str, detail: str
) -> dict[str, Any]:
    return {
        "unit_no": unit_no, "item_no": item_no, "article_id": article_id, "source": source,
        "rejected_reason": reason, "rejected_detail": detail or None,
    }  # fmt: skip


def _table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(
        [{name: row.get(name) for name in schema.names} for row in rows], schema=schema
    )


class Analyzer:
    """The Ray actor: loads the model once, then runs ``analyze_batch`` on each batch."""

    def __init__(self, model: str | None = None, limits: Limits | None = None) -> None:
        from eventwire.scale import work

        self.model = model
        self.limits = limits
        self.analyze_batch = work.analyze_batch
        work.warm_up(model)
        self.schema = _schema(_COLUMNS)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        todo = [i for i, row in enumerate(rows) if row["rejected_reason"] is None]
        articles = [Article.model_validate_json(rows[i]["article_json"]) for i in todo]
        results = self.analyze_batch(articles, self.model, self.limits)
        analysed = dict(zip(todo, zip(articles, results, strict=True), strict=True))
        out: list[dict[str, Any]] = []
        for i, row in enumerate(rows):
            base = {k: row[k] for k in ("unit_no", "item_no", "article_id", "source")}
            if i not in analysed:
                out.append(base | {"rejected_reason": row["rejected_reason"],
                                   "rejected_detail": row["rejected_detail"]})
                continue
            article, result = analysed[i]
            if isinstance(result, Rejected):
                out.append(base | {"rejected_reason": result.reason,
                                   "rejected_detail": result.detail or None})
            else:
                out.append(base | {"text": article.text,
                                   "analysis_json": result.model_dump_json(),
                                   "events": len(result.events),
                                   "extractor_version": result.extractor_version})
        return _table(out, self.schema)


# --- the driver ---------------------------------------------------------------------------------


def partition_files(out_dir: Path) -> list[Path]:
    """The Parquet partitions under ``out_dir`` (recursively), in sorted order."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.rglob(f"*{PARTITION_SUFFIX}") if p.is_file())


def _done(files: Iterable[Path]) -> tuple[set[str], set[tuple[str, str]], list[Path]]:
    """Article ids and rejects already in readable partitions; the unreadable files.

    Raises ValueError when a partition holds analyses by another extractor version: mixing
    versions in one folder would leave which analysis a load stores to chance.
    """
    import pyarrow.parquet as pq

    from eventwire import EXTRACTOR_VERSION

    ids: set[str] = set()
    rejects: set[tuple[str, str]] = set()
    broken: list[Path] = []
    for file in files:
        try:
            table = pq.read_table(
                file, columns=["article_id", "source", "rejected_reason", "extractor_version"]
            )
        except Exception:
            broken.append(file)
            continue
        for row in table.to_pylist():
            if row["rejected_reason"] is not None:
                rejects.add((row["source"], row["rejected_reason"]))
                continue
            if row["extractor_version"] != EXTRACTOR_VERSION:
                raise ValueError(
                    f"{file} holds analyses by extractor version {row['extractor_version']}, "
                    f"this is {EXTRACTOR_VERSION}: write to another folder"
                )
            ids.add(row["article_id"])
    return ids, rejects, broken


def _count_written(files: Iterable[Path], report: RayReport) -> None:
    import pyarrow.parquet as pq

    for file in files:
        table = pq.read_table(file, columns=["events", "rejected_reason"])
        for events, reason in zip(table["events"].to_pylist(),
                                  table["rejected_reason"].to_pylist(), strict=True):
            if reason is None:
                report.articles += 1
                report.events += events or 0
            else:
                report.rejected += 1
                report.rejected_by_reason[reason] = report.rejected_by_reason.get(reason, 0) + 1


def run_ray(
    source_paths: Iterable[Path | str],
    *,
    address: str | None = None,
    out_dir: Path | str,
    model: str | None = None,
    batch_size: int = 32,
    fmt: str | None = None,
    fields: FieldMap | None = None,
    published: date | None = None,
    workers: int | None = None,
) -> RayReport:
    """Analyse every article under ``source_paths`` on Ray and write Parquet partitions to
    ``out_dir``; returns what was written.

    ``address``: a running cluster ("auto", "HOST:PORT", "ray://HOST:PORT"); None starts a
    local instance (``workers`` + 1 CPUs) unless this process is already connected to one.
    ``workers``: analyser actors (default: this machine's cores for a local instance, else
    the cluster's CPUs less one; one CPU is always left to the readers). ``fmt``, ``fields``
    and ``published`` mean what they mean for ``iter_sources``. The model is loaded once per
    actor; ``model`` None: $EVENTWIRE_MODEL here, else each worker's default model.
    """
    given = list(dict.fromkeys(str(Path(p)) for p in source_paths))
    if "-" in given:
        raise ValueError("the Ray engine reads files, not standard input ('-')")
    ray = _ray()
    started = time.perf_counter()
    out = Path(out_dir)
    report = RayReport(out_dir=out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"--out must be a folder: {out}")
    out.mkdir(parents=True, exist_ok=True)
    before = partition_files(out)
    done_ids, done_rejects, broken = _done(before)
    for file in broken:
        aside = file.with_name(file.name + BROKEN_SUFFIX)
        file.rename(aside)
        report.incomplete.append(aside)
    before = [f for f in before if f not in broken]

    opened = [str(Path(p).absolute()) for p in given]
    # Listing the files is quick; reading them (HTML cleaning included) is the readers' work.
    units = _units(opened, fmt, report.not_articles)
    if not units:
        report.seconds = time.perf_counter() - started
        return report

    model = model or os.environ.get("EVENTWIRE_MODEL") or None
    limits = Limits.from_env()
    # The readers and analysers on the cluster follow this process's limits and language check.
    settings = limits.env()
    if os.environ.get(LANGUAGE_ENV):
        settings[LANGUAGE_ENV] = os.environ[LANGUAGE_ENV]
    started_here = not ray.is_initialized()
    if started_here:
        if address:
            ray.init(address=address, logging_level="warning",
                     runtime_env={"env_vars": settings})
        else:
            workers = workers or os.cpu_count() or 1
            # One logical CPU more than the analysers: the reader's (it reads and cleans HTML).
            ray.init(num_cpus=workers + 1, include_dashboard=False, logging_level="warning",
                     runtime_env={"env_vars": settings})
    try:
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if cpus < 2:
            raise ValueError(
                f"the Ray cluster has {cpus} CPU{'s' if cpus != 1 else ''}; the Ray engine "
                "needs at least 2 (one reads the inputs, the others analyse)"
            )
        report.workers = max(1, min(workers or cpus - 1, cpus - 1))
        dataset = ray.data.from_items(units, override_num_blocks=max(1, len(units)))
        # Ray hands a task's output on in blocks of up to 128 MiB: the analysers would wait
        # for the reader to gather that much (or finish). Smaller blocks start them at once.
        dataset.context.target_max_block_size = BLOCK_BYTES
        articles = dataset.map_batches(
            _read_inputs,
            batch_size=1,
            batch_format="pyarrow",
            fn_kwargs={
                "roots": list(zip(opened, given, strict=True)),
                "fields": fields or FieldMap(), "published": published,
                "chunk": batch_size, "done_ids": frozenset(done_ids),
                "done_rejects": frozenset(done_rejects),
            },  # fmt: skip
        )
        # Blocks of batch_size rows spread the work over every actor.
        articles = articles.repartition(target_num_rows_per_block=batch_size)
        results = articles.map_batches(
            Analyzer,
            batch_size=batch_size,
            batch_format="pyarrow",
            fn_constructor_kwargs={"model": model, "limits": limits},
            compute=ray.data.ActorPoolStrategy(size=report.workers),
            num_cpus=1,
        )
        with warnings.catch_warnings():
            # Ray counts the reader tasks' inputs, not the blocks the repartition makes.
            warnings.filterwarnings("ignore", "The minimum number of concurrent actors")
            results.write_parquet(
                str(out),
                min_rows_per_file=max(batch_size, ROWS_PER_FILE),
                ray_remote_args={"num_cpus": 0},
            )
    except ray.exceptions.RayError as err:
        # Ray's message carries the worker's whole traceback; its last line says what failed.
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        last = lines[-1] if lines else type(err).__name__
        raise RayJobFailed(f"the Ray job failed: {last}") from err
    finally:
        if started_here:
            ray.shutdown()
    report.files = [f for f in partition_files(out) if f not in set(before)]
    _count_written(report.files, report)
    report.skipped = len(done_ids)
    report.seconds = time.perf_counter() - started
    return report


# --- loading into the store ---------------------------------------------------------------------


def _readable(con: Any, files: Iterable[Path]) -> tuple[list[str], list[Path]]:
    good: list[str] = []
    bad: list[Path] = []
    for file in files:
        try:
            con.execute("SELECT count(*) FROM parquet_metadata(?)", [str(file)]).fetchall()
        except Exception:
            bad.append(file)
        else:
            good.append(str(file))
    return good, bad


def _fresh(store: EventStore, rows: list[tuple], report: LoadReport) -> list[tuple]:
    """The article rows not stored whole yet by their own extractor version (the rest are
    counted as skipped, as a local run counts them)."""
    by_version: dict[str, list[str]] = {}
    for row in rows:
        by_version.setdefault(row[6] or "", []).append(row[0])
    done = {
        (version, article_id)
        for version, ids in by_version.items() if version
        for article_id in store.stored_ids(ids, version)
    }  # fmt: skip
    kept = [row for row in rows if (row[6] or "", row[0]) not in done]
    report.skipped += len(rows) - len(kept)
    report.unchanged += len(rows) - len(kept)
    return kept


def load_parquet(
    store: EventStore,
    out_dir: Path | str,
    *,
    batch_size: int = LOAD_BATCH,
    rejects: Path | str | None = None,
    progress: bool | None = None,
    stream: TextIO | None = None,
) -> LoadReport:
    """Store every article of the partitions under ``out_dir`` (written by ``run_ray``) in
    input order; returns the same report as a local run. Articles already stored whole by
    their extractor version are skipped, so loading twice changes nothing. Rejected items are
    counted by reason and listed in ``rejects`` (JSONL, rewritten) when given. An unreadable
    partition is counted as a failure and left out."""
    import duckdb

    from eventwire.scale.runner import LoadReport, Progress, RejectsFile, accounted, store_batch

    folder = Path(out_dir)
    if not folder.is_dir():
        raise FileNotFoundError(2, "no such folder", str(folder))
    report = LoadReport()
    out = stream if stream is not None else sys.stderr
    if progress is None:
        progress = bool(getattr(out, "isatty", lambda: False)())
    meter = Progress(out, report) if progress else None
    listing = RejectsFile(Path(rejects) if rejects else None)

    def reject(item: Rejected) -> None:
        report.reject(item)
        listing.write(item)

    with (
        accounted(report, listing, meter),
        duckdb.connect() as con,
        tempfile.TemporaryDirectory(prefix="eventwire-load-") as spill,
    ):
        # Sorting a large output spills to disk instead of holding every text in memory.
        con.execute(f"SET temp_directory = '{spill}'")
        con.execute("SET memory_limit = '1GB'")
        files, bad = _readable(con, partition_files(folder))
        for file in bad:
            reject(Rejected(str(file), "unreadable", "unreadable partition"))
        if files:
            cursor = con.execute(
                "SELECT article_id, source, text, analysis_json, rejected_reason, "
                "rejected_detail, extractor_version "
                "FROM read_parquet(?, union_by_name = true) "
                "ORDER BY unit_no, item_no, article_id NULLS LAST",
                [files],
            )
            while rows := cursor.fetchmany(batch_size):
                for row in rows:
                    if row[4] is not None:
                        reject(Rejected(row[1] or row[0] or "", row[4], row[5] or ""))
                todo = _fresh(store, [row for row in rows if row[4] is None], report)
                analysed = [(Analysis.model_validate_json(row[3]), row[2]) for row in todo]
                store_batch(store, analysed, report, reject)
                listing.flush()
                if meter:
                    meter.update()
    return report


def check_model(name: str | None) -> None:
    """Fail now (``ModelNotFound``) when a local Ray instance's actors could not load the
    model."""
    import importlib.util

    from eventwire import nlp

    model = nlp.resolve_model_name(name)
    try:
        installed = importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):
        installed = False
    if not installed and not Path(model).is_dir():
        raise nlp.ModelNotFound(f"cannot load spaCy model {model!r}: not installed, not a folder")
