"""A time budget per article: stop an analysis that runs past ``Limits.max_seconds``.

``time_limit(seconds, source)`` runs a block and raises ``ArticleTimeout`` (an ``IngestError``
with reason "timeout") when the block is still running after ``seconds``. It interrupts the
block where Python code runs, so a loop that never ends in an extract stage is stopped:

* in the main thread (the command line, a local worker process, a Ray actor) by a ``SIGALRM``
  timer, which also interrupts a sleep or a blocking read;
* in any other thread (the web server's worker threads) by an exception set asynchronously in
  that thread (``PyThreadState_SetAsyncExc``), which takes effect at its next Python bytecode.

What runs inside the block sees the interruption as ``_Expired``, a ``BaseException``, so that
the ``except Exception`` of a stage cannot swallow it; if something swallows it anyway, it is
raised again every ``REPEAT`` seconds. Code that never returns to Python (a hang inside C) is
not interrupted: the local engine's pool replaces a worker that stays busy past its batch's
hard deadline (``hard_deadline``), whatever it is doing.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from eventwire.ingest.errors import IngestError
from eventwire.limits import MAX_SECONDS_ENV

TIMEOUT = "timeout"
REPEAT = 1.0  # seconds between further interruptions of a block that swallowed one
# A worker that has not returned a batch after this long past its soft budget is stuck where
# no interruption reaches (see ``hard_deadline``).
HARD_GRACE_SECONDS = 10.0


class ArticleTimeout(IngestError):
    """An article whose analysis ran past its time budget (reason "timeout: ...")."""

    def __init__(self, seconds: float, source: str | None = None) -> None:
        self.seconds = seconds
        super().__init__(f"{TIMEOUT}: {timeout_detail(seconds)}", source)


def timeout_detail(seconds: float) -> str:
    return (
        f"not analysed within {seconds:g} s (the time limit per article: --max-seconds or "
        f"${MAX_SECONDS_ENV})"
    )


class _Expired(BaseException):
    """Raised inside the block when its time is up (a BaseException: see the module doc)."""


def hard_deadline(seconds: float, articles: int) -> float:
    """Seconds after which a worker still busy with a batch of ``articles`` is stuck: each
    article may take its budget to parse (the batch parse, then alone after a failure) and
    its budget to analyse."""
    return 3 * seconds * max(1, articles) + HARD_GRACE_SECONDS


@contextmanager
def time_limit(seconds: float | None, source: str | None = None) -> Iterator[None]:
    """Run the block with a budget of ``seconds`` (None: no limit); past it, raise
    ``ArticleTimeout`` naming ``source``."""
    if seconds is None:
        yield
        return
    timer = _SignalTimer(seconds) if _signals_usable() else _ThreadTimer(seconds)
    try:
        with timer:
            yield
    except _Expired:
        raise ArticleTimeout(seconds, source) from None


def _signals_usable() -> bool:
    if not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    # Someone else's alarm (an application's own SIGALRM handler) is left alone.
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


class _SignalTimer:
    """SIGALRM after ``seconds``, then every ``REPEAT`` seconds until the block ends."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.fired = False
        self.previous: object = None

    def _on_alarm(self, signum: int, frame: object) -> None:
        if self.armed:
            self.fired = True
            raise _Expired()

    def __enter__(self) -> _SignalTimer:
        self.previous = signal.signal(signal.SIGALRM, self._on_alarm)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT)
        return self

    def __exit__(self, *exc: object) -> None:
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)  # type: ignore[arg-type]


def _raise_in(thread: int, exc: type[BaseException]) -> None:
    """Raise ``exc`` in ``thread`` when it next runs Python code. (Never used to clear a
    pending exception: in CPython that leaves the interpreter's "async exception" flag set
    with nothing to raise, and a profiler or tracer then spins on it for ever.)"""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exc))


class _ThreadTimer:
    """``_Expired`` raised in this thread after ``seconds`` (and every ``REPEAT`` seconds
    until the block ends), by a watchdog thread."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.target = threading.get_ident()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.fired = False
        self.watchdog = threading.Thread(target=self._watch, name="eventwire-deadline",
                                         daemon=True)  # fmt: skip

    def _watch(self) -> None:
        wait = self.seconds
        while not self.done.wait(wait):
            with self.lock:
                if self.done.is_set():
                    return
                self.fired = True
                _raise_in(self.target, _Expired)
            wait = REPEAT

    def __enter__(self) -> _ThreadTimer:
        self.watchdog.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # An interruption fired just before the block ended is raised at the thread's next
        # call, at the latest while taking the lock here: it then leaves through this exit
        # (and time_limit turns it into ArticleTimeout), and the watchdog is stopped anyway.
        try:
            with self.lock:
                self.done.set()
        finally:
            self.done.set()
