"""The time budget per article (``eventwire.deadline``): no article takes a worker hostage.

A stage is made to hang on purpose: in this process by patching ``find_events``; in the worker
processes of ``eventwire ingest`` (local pool, Ray) by a ``sitecustomize`` module put on the
PYTHONPATH of the command, which every Python process of the run imports. An article holding
``HANG_MARKER`` then never finishes its analysis:

* "soft": a loop that never ends, which the budget interrupts;
* "hard": a sleep with the alarm signal blocked that swallows every exception, which nothing
  inside the worker can stop, so that the pool must replace the worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from eventwire import pipeline
from eventwire.deadline import TIMEOUT, ArticleTimeout, hard_deadline, time_limit
from eventwire.ingest import IngestError, make_article
from eventwire.ingest.sources import Rejected
from eventwire.limits import Limits
from eventwire.model import Analysis
from eventwire.scale import work

HANG_MARKER = "zzhangzz"

SITECUSTOMIZE = '''
import os
import signal
import time

_mode = os.environ.get("EVENTWIRE_TEST_HANG")
if _mode:
    import eventwire.pipeline as _pipeline

    _real = _pipeline.find_events

    def _find_events(doc, **kwargs):
        if "zzhangzz" in doc.text:
            if _mode == "soft":
                while True:
                    pass
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                try:
                    time.sleep(3600)
                except BaseException:
                    pass
        return _real(doc, **kwargs)

    _pipeline.find_events = _find_events
'''

GOOD = {
    "01-talks.txt": "The foreign minister of Norway met his Swedish counterpart in Oslo on "
    "Monday, the ministry said.",
    "02-march.txt": "Thousands of teachers marched through Lima on Tuesday to demand higher pay.",
    "04-sanctions.txt": "The European Union imposed new sanctions on Iran on Friday.",
    "05-aid.txt": "Japan sent tents and water pumps to the Philippines on Thursday.",
}
HANGING = {"03-hang.txt": f"Germany accused Russia of jamming satellites. {HANG_MARKER}"}


def _spin(*_args, **_kwargs):
    while True:
        pass


# -- the budget itself ---------------------------------------------------------------------


def test_time_limit_stops_a_loop_in_the_main_thread_and_in_another() -> None:
    started = time.monotonic()
    with pytest.raises(ArticleTimeout) as caught:
        with time_limit(0.3, "story.txt"):
            _spin()
    assert time.monotonic() - started < 2
    assert isinstance(caught.value, IngestError)  # every input path reports it as it reports
    assert caught.value.reason.startswith(f"{TIMEOUT}: ")  # bad input: one line, a reason
    assert caught.value.source == "story.txt"

    outcome: list[str] = []

    def in_a_thread() -> None:
        try:
            with time_limit(0.3):
                _spin()
        except ArticleTimeout:
            outcome.append("stopped")

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join(5)
    assert outcome == ["stopped"]


def test_time_limit_stops_a_sleep_and_leaves_nothing_behind() -> None:
    with pytest.raises(ArticleTimeout):
        with time_limit(0.2):
            time.sleep(30)
    # a block that ends in time: no late interruption afterwards, in either kind of thread
    with time_limit(0.2):
        time.sleep(0.05)
    time.sleep(0.4)

    def in_a_thread() -> None:
        with time_limit(0.2):
            time.sleep(0.05)
        time.sleep(0.4)

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()


def test_an_interrupted_thread_leaves_the_interpreter_sound() -> None:
    """After a thread was interrupted, a profiler in the main thread (coverage tools, the
    tracer of tests/test_token_identity.py) must not spin: run in a child process, so that a
    regression fails here instead of hanging the suite."""
    script = (
        "import sys, threading, time\n"
        "from eventwire.deadline import ArticleTimeout, time_limit\n"
        "def spin():\n"
        "    with time_limit(0.2):\n"
        "        while True:\n"
        "            pass\n"
        "def quick():\n"
        "    with time_limit(0.2):\n"
        "        time.sleep(0.01)\n"
        "def run(target):\n"
        "    try:\n"
        "        target()\n"
        "    except ArticleTimeout:\n"
        "        pass\n"
        "for target in (spin, quick):\n"
        "    t = threading.Thread(target=run, args=(target,)); t.start(); t.join()\n"
        "sys.setprofile(lambda frame, event, arg: None)\n"
        "with time_limit(5.0):\n"
        "    time.sleep(0.05)\n"
        "sys.setprofile(None)\n"
        "print('sound')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.stdout.strip() == "sound", done.stderr[-2000:]


def test_a_stage_that_swallows_the_interruption_is_interrupted_again() -> None:
    def stubborn() -> None:
        try:
            _spin()
        except BaseException:
            pass
        _spin()

    with pytest.raises(ArticleTimeout):
        with time_limit(0.2):
            stubborn()


def test_max_seconds_is_a_limit_like_the_others() -> None:
    assert Limits().max_seconds == 20.0
    assert Limits.from_env({"EVENTWIRE_MAX_SECONDS": "2.5"}).max_seconds == 2.5
    assert Limits.from_env({"EVENTWIRE_MAX_SECONDS": "soon"}).max_seconds == 20.0
    assert Limits.from_env(Limits(max_seconds=0.5).env()) == Limits(max_seconds=0.5)
    with pytest.raises(ValueError):
        Limits(max_seconds=0)
    assert hard_deadline(20, 32) > 32 * 20


# -- in this process: analyze, extract, analyze_batch, the web API's POST ----------------------


def test_analyze_stops_a_hanging_stage(monkeypatch) -> None:
    pipeline.warm_up()
    monkeypatch.setattr(pipeline, "find_events", _spin)
    started = time.monotonic()
    with pytest.raises(ArticleTimeout):
        pipeline.analyze("Germany accused Russia of jamming.", limits=Limits(max_seconds=0.5))
    assert time.monotonic() - started < 3


def test_extract_command_rejects_a_hanging_article(monkeypatch, tmp_path, capsys) -> None:
    from eventwire.cli import main

    pipeline.warm_up()
    monkeypatch.setattr(pipeline, "find_events", _spin)
    story = tmp_path / "story.txt"
    story.write_text("Germany accused Russia of jamming satellites.", encoding="utf-8")
    assert main(["extract", str(story), "--max-seconds", "0.5"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"eventwire: error: {story}: timeout: not analysed within 0.5 s")
    assert err.count("\n") == 1


def test_analyze_batch_rejects_only_the_hanging_article(monkeypatch) -> None:
    real = pipeline.find_events

    def hang_on_marker(doc, **kwargs):
        if HANG_MARKER in doc.text:
            _spin()
        return real(doc, **kwargs)

    pipeline.warm_up()
    monkeypatch.setattr(pipeline, "find_events", hang_on_marker)
    articles = [
        make_article(GOOD["01-talks.txt"], source="a"),
        make_article(HANGING["03-hang.txt"], source="b"),
        make_article(GOOD["04-sanctions.txt"], source="c"),
    ]
    results = work.analyze_batch(articles, limits=Limits(max_seconds=0.5))
    assert [type(r) for r in results] == [Analysis, Rejected, Analysis]
    assert (results[1].source, results[1].reason) == ("b", TIMEOUT)
    assert results[0].events and results[2].events


def test_bench_counts_a_hanging_article(monkeypatch, tmp_path) -> None:
    from eventwire.scale.bench import run_bench

    real = pipeline.find_events

    def hang_on_marker(doc, **kwargs):
        if HANG_MARKER in doc.text:
            _spin()
        return real(doc, **kwargs)

    folder = _corpus(tmp_path)
    pipeline.warm_up()
    monkeypatch.setattr(pipeline, "find_events", hang_on_marker)
    monkeypatch.setenv("EVENTWIRE_MAX_SECONDS", "0.5")
    report = run_bench([folder], workers=1, batch_size=2)
    assert report.articles == 5 and report.failed == {TIMEOUT: 1}
    assert "not analysed: 1 (timeout)" in report.text()


def test_web_post_rejects_a_hanging_article(monkeypatch, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from eventwire.web.app import create_app

    pipeline.warm_up()
    monkeypatch.setattr(pipeline, "find_events", _spin)
    monkeypatch.setenv("EVENTWIRE_MAX_SECONDS", "0.5")
    app = create_app(str(tmp_path / "web.duckdb"), allow_ingest=True, token="secret")
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.post(
            "/api/articles", json={"text": "Germany accused Russia of jamming satellites."},
            headers={"Authorization": "Bearer secret"},
        )  # fmt: skip
        assert time.monotonic() - started < 5
        assert response.status_code == 422
        assert response.json()["detail"].startswith("timeout: not analysed within 0.5 s")
        monkeypatch.undo()
        again = client.post(
            "/api/articles", json={"text": "Germany accused Russia of jamming satellites."},
            headers={"Authorization": "Bearer secret"},
        )  # fmt: skip
        assert again.status_code == 200  # the server goes on


# -- eventwire ingest with worker processes ---------------------------------------------------


def _corpus(root: Path) -> Path:
    folder = root / "news"
    folder.mkdir()
    for name, text in {**GOOD, **HANGING}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _ingest(tmp_path: Path, mode: str, *extra: str, timeout: float) -> tuple[Path, list[dict]]:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    folder = _corpus(tmp_path)
    db, rejects = tmp_path / "events.duckdb", tmp_path / "rejects.jsonl"
    env = {**os.environ, "EVENTWIRE_TEST_HANG": mode, "RAY_USAGE_STATS_ENABLED": "0",
           "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "eventwire.cli", "ingest", str(folder), "--db", str(db),
               "--rejects", str(rejects), "--batch-size", "2", "--max-seconds", "1", *extra]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    listed = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    return db, listed


def _stored_sources(db: Path) -> list[str]:
    from eventwire.store import open_store

    with open_store(str(db)) as store:
        return sorted(Path(row["source"]).name for row in store.iter_table("articles"))


@pytest.mark.parametrize("mode", ["soft", "hard"])
def test_ingest_with_workers_stores_the_rest_and_rejects_the_hanging_one(tmp_path, mode) -> None:
    """Two worker processes: a hang the budget interrupts ("soft"), and one it cannot ("hard"),
    after which the stuck worker is replaced and the run goes on."""
    db, listed = _ingest(tmp_path, mode, "--workers", "2", timeout=240)
    assert _stored_sources(db) == sorted(GOOD)
    assert [(Path(r["source"]).name, r["reason"]) for r in listed] == [("03-hang.txt", TIMEOUT)]
    if mode == "hard":
        assert "replaced" in listed[0]["detail"]


def test_ingest_on_ray_stores_the_rest_and_rejects_the_hanging_one(tmp_path) -> None:
    if os.environ.get("EVENTWIRE_TEST_RAY", "").strip().lower() == "off":
        pytest.skip("EVENTWIRE_TEST_RAY=off")
    db, listed = _ingest(
        tmp_path, "soft", "--engine", "ray", "--workers", "2", "--out", str(tmp_path / "parts"),
        timeout=300,
    )  # fmt: skip
    assert _stored_sources(db) == sorted(GOOD)
    assert [(Path(r["source"]).name, r["reason"]) for r in listed] == [("03-hang.txt", TIMEOUT)]
