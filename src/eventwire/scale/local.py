"""The local engine: batches of articles analysed by a pool of worker processes on this machine.

Each worker loads the model once, in the pool initializer, and runs ``analyze_batch`` (one
``nlp.pipe`` call per batch). Results come back in input order. At most ``max_in_flight``
batches (default two per worker) are read ahead of the results the caller has taken, so memory
stays flat however long the input is. Workers ignore Ctrl-C: the parent stops them, and a
worker that dies (killed, out of memory) stops the run with ``BrokenProcessPool`` instead of
hanging it; either way only the batches in flight are lost. A worker stuck on one article
where the time budget (``eventwire.deadline``) cannot interrupt it is replaced (``analyze``).

``workers=1`` runs everything in this process, with no pool.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain
from typing import Any, TypeVar

from eventwire.deadline import TIMEOUT, hard_deadline, timeout_detail
from eventwire.ingest.sources import Rejected
from eventwire.limits import Limits
from eventwire.model import Analysis, Article
from eventwire.scale import work

T = TypeVar("T")
R = TypeVar("R")

# Worker-process state, set by the pool initializer.
_MODEL: str | None = None
_LIMITS: Limits | None = None
_INIT_ERROR: BaseException | None = None


def default_workers() -> int:
    """The number of worker processes when none is given: the machine's cores."""
    return os.cpu_count() or 1


def peak_rss() -> int:
    """This process's peak resident memory so far, in bytes (0 where the system won't say)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux counts in KiB


def _watch(parent: int) -> None:
    """End this worker when the process that started the pool is gone (killed with SIGKILL,
    say): its workers would otherwise wait for work forever, each holding a model."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except OSError:
            pass


def _init_worker(model: str | None, parent: int, limits: Limits | None = None) -> None:
    global _MODEL, _LIMITS, _INIT_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    threading.Thread(target=_watch, args=(parent,), name="eventwire-watch", daemon=True).start()
    _MODEL = model
    _LIMITS = limits
    try:
        work.warm_up(model)
    except BaseException as err:  # reported with the first task, not by a broken pool
        _INIT_ERROR = err


Timed = tuple[list[Analysis | Rejected], list[float]]  # a batch's results, seconds per article


def _analyze_task(articles: list[Article]) -> tuple[int, int, Timed]:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    seconds: list[float] = []
    results = work.analyze_batch(articles, _MODEL, _LIMITS, seconds=seconds)
    return os.getpid(), peak_rss(), (results, seconds)


def _parse_task(texts: list[str]) -> tuple[int, int, int]:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    tokens = work.parse_batch(texts, _MODEL)
    return os.getpid(), peak_rss(), tokens


def _ready_task(_: int) -> tuple[int, int, None]:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    time.sleep(0.05)  # long enough for the other ready workers to take a task too
    return os.getpid(), peak_rss(), None


def _components_task() -> tuple[int, int, list[str]]:
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    from eventwire import nlp

    return os.getpid(), peak_rss(), list(nlp.load(_MODEL).pipe_names)


def _context() -> multiprocessing.context.BaseContext:
    # Not fork: the parent may hold database connections and threads. The fork server
    # imports spaCy and eventwire once; each worker then starts from that copy.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["eventwire.scale.work"])
        return ctx
    return multiprocessing.get_context("spawn")


class LocalEngine:
    """A pool of ``workers`` processes with the model loaded in each (``workers=1``: this
    process). Use it as a context manager; ``rss`` maps each worker ("main" in-process) to its
    peak resident memory in bytes, as last reported."""

    def __init__(
        self,
        workers: int,
        model: str | None = None,
        *,
        max_in_flight: int | None = None,
        rss: dict[str, int] | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.workers = max(1, int(workers))
        self.model = model
        self.limits = limits if limits is not None else Limits.from_env()
        self.max_in_flight = max(1, max_in_flight or 2 * self.workers)
        self.rss: dict[str, int] = rss if rss is not None else {}
        self._pool: ProcessPoolExecutor | None = None
        self.seconds: list[float] = []  # the last batch's seconds per article (``analyze``)
        self.worker = "main"  # the process that ran the last batch

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            from eventwire.nlp import resolve_model_name

            # Named here: a worker's environment is the fork server's, fixed when it started.
            model = resolve_model_name(self.model)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=_context(),
                initializer=_init_worker,
                # the parent's limits, not the environment the fork server started with
                initargs=(model, os.getpid(), self.limits),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(wait=exc[0] is None)

    def close(self, wait: bool = True) -> None:
        """Stop the workers; ``wait=False`` kills them without finishing the batches in flight."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not wait:
            # ProcessPoolExecutor (before Python 3.14) cannot kill its workers; without this an
            # interrupted run would wait for every running batch to finish before exiting.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                if process.is_alive():
                    process.terminate()
        pool.shutdown(wait=wait, cancel_futures=True)

    def warm(self, timeout: float = 600.0) -> None:
        """Wait until every worker has loaded the model (so that timings leave start-up out)."""
        if self._pool is None:
            work.warm_up(self.model)
            self.rss["main"] = peak_rss()
            return
        ready: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(ready) < self.workers and time.monotonic() < deadline:
            ready.update(pid for pid, _, _ in self._pool.map(_ready_task, range(self.workers)))

    def components(self) -> list[str]:
        """The names of the pipeline's components, as the workers loaded it."""
        if self._pool is None:
            from eventwire import nlp

            return list(nlp.load(self.model).pipe_names)
        return self._pool.submit(_components_task).result()[2]

    def analyze(self, batches: Iterable[list[Article]]) -> Iterator[list[Analysis | Rejected]]:
        """``analyze_batch`` over each batch, results in input order. After each batch,
        ``seconds`` holds its articles' analysis times and ``worker`` the process that ran it.

        A worker still busy with a batch past its hard deadline (stuck where the time budget
        cannot interrupt it) is stopped with the pool, which is started again: the batch's
        articles are analysed again one at a time, the one that gets stuck alone is rejected
        ("timeout"), and the batches in flight are sent to the new pool."""
        if self._pool is None:
            for batch in batches:
                self.seconds = []
                results = work.analyze_batch(batch, self.model, self.limits, seconds=self.seconds)
                self.rss["main"] = peak_rss()
                self.worker = "main"
                yield results
            return
        budget = self.limits.max_seconds
        for results, seconds in self._ordered(
            _analyze_task, batches,
            deadline=lambda batch: hard_deadline(budget, len(batch)),
            stuck=self._one_by_one,
        ):  # fmt: skip
            self.seconds = seconds
            yield results

    def parse(self, batches: Iterable[list[str]]) -> Iterator[int]:
        """Bare ``nlp.pipe`` over each batch of texts; yields token counts in input order."""
        if self._pool is None:
            for texts in batches:
                tokens = work.parse_batch(texts, self.model)
                self.rss["main"] = peak_rss()
                yield tokens
            return
        yield from self._ordered(_parse_task, batches)

    def _ordered(
        self,
        task: Callable[[T], tuple[int, int, R]],
        items: Iterable[T],
        deadline: Callable[[T], float] | None = None,
        stuck: Callable[[T], R] | None = None,
    ) -> Iterator[R]:
        assert self._pool is not None, "use the engine as a context manager"
        pending: deque[tuple[T, Future[Any]]] = deque()
        source = iter(items)
        exhausted = False
        while True:
            while not exhausted and len(pending) < self.max_in_flight:
                item = next(source, None)
                if item is None:
                    exhausted = True
                else:
                    pending.append((item, self._pool.submit(task, item)))
            if not pending:
                return
            item, future = pending[0]
            try:
                # The clock starts when this batch is the oldest: it is running, or next.
                pid, rss, result = future.result(timeout=deadline(item) if deadline else None)
            except TimeoutError:
                if stuck is None:
                    raise
                pending.popleft()
                self._replace_pool()
                result = stuck(item)
                pending = deque((i, self._pool.submit(task, i)) for i, _ in pending)
                yield result
                continue
            pending.popleft()
            self.worker = f"worker-{pid}"
            self.rss[self.worker] = max(rss, self.rss.get(self.worker, 0))
            yield result

    def _one_by_one(self, batch: list[Article]) -> Timed:
        """A stuck batch again, one article per task on the fresh pool; an article that gets
        stuck alone is rejected ("timeout") and its worker replaced too."""
        assert self._pool is not None
        budget = self.limits.max_seconds
        out: list[Analysis | Rejected] = []
        seconds: list[float] = []
        for article in batch:
            future = self._pool.submit(_analyze_task, [article])
            limit = hard_deadline(budget, 1)
            try:
                pid, rss, (results, took) = future.result(timeout=limit)
            except TimeoutError:
                self._replace_pool()
                out.append(Rejected(
                    article.source or article.id, TIMEOUT,
                    timeout_detail(budget) + "; its worker was stuck and was replaced",
                ))  # fmt: skip
                seconds.append(limit)
                continue
            self.rss[f"worker-{pid}"] = max(rss, self.rss.get(f"worker-{pid}", 0))
            out.extend(results)
            seconds.extend(took)
        return out, seconds

    def _replace_pool(self) -> None:
        """Kill the workers (one is stuck) and start a fresh pool in their place."""
        self.close(wait=False)
        self.__enter__()


def run_local(
    batches: Iterable[list[Article]],
    *,
    workers: int | None = None,
    model: str | None = None,
    max_in_flight: int | None = None,
    rss: dict[str, int] | None = None,
    on_batch: Callable[[list[float], str], None] | None = None,
) -> Iterator[list[Analysis | Rejected]]:
    """Analyse batches of articles with ``workers`` processes (default: the machine's cores);
    yields each batch's results in input order. An input of a single batch is analysed in
    this process: starting workers would take longer than the work. ``rss`` (optional) is
    filled with each worker's peak resident memory in bytes; ``on_batch`` (optional) is given
    each batch's seconds per article and the worker that ran it, before its results."""
    count = default_workers() if workers is None else max(1, workers)
    source: Iterator[list[Article]] = iter(batches)
    ahead = [b for b in (next(source, None), next(source, None)) if b is not None]
    if not ahead:
        return
    if len(ahead) < 2:
        count = 1
    source = chain(ahead, source)
    with LocalEngine(count, model, max_in_flight=max_in_flight, rss=rss) as engine:
        for results in engine.analyze(source):
            if on_batch is not None:
                on_batch(engine.seconds, engine.worker)
            yield results
