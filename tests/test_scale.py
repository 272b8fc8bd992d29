"""Bulk ingest: the per-batch work, the local engine, the resumable runner, rejects, the
progress line, the bench, and a run killed at a random moment and started again.

The articles are short texts made here from templates (states, places, what they did), each
one different, so that the runs have many batches and many events to store.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventwire import EXTRACTOR_VERSION, nlp
from eventwire.ingest import make_article
from eventwire.ingest.sources import Rejected
from eventwire.model import Analysis
from eventwire.scale import work
from eventwire.scale.bench import run_bench
from eventwire.scale.local import LocalEngine, run_local
from eventwire.scale.runner import LoadReport, Progress, run_ingest
from eventwire.store import open_store

STATES = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Japan", "Tokyo"), ("Brazil", "Brasilia"),
    ("Kenya", "Nairobi"), ("Canada", "Ottawa"), ("India", "New Delhi"), ("Egypt", "Cairo"),
    ("Poland", "Warsaw"), ("Chile", "Santiago"), ("Turkey", "Ankara"), ("Norway", "Oslo"),
]  # fmt: skip
MONTHS = ["March", "April", "May", "June", "September", "October"]
OFFENCES = ["spying on its navy", "violating its airspace", "harbouring smugglers",
            "jamming its satellites"]  # fmt: skip
GROUPS = ["farmers", "teachers", "nurses", "students", "miners"]
ISSUES = ["fuel prices", "a new pension law", "job cuts", "water shortages"]
SENTENCES = [
    "{a} accused {b} of {offence} on {month} {day}, 2023.",
    "The foreign minister of {a} met her counterpart from {b} in {city_b} on {month} {day}.",
    "Thousands of {group} protested in {city_a} against {issue} on Tuesday.",
    "{a} pledged {n} million dollars in humanitarian aid to {b}, officials said.",
    "{a} imposed sanctions on {n} companies from {b} on {month} {day}, 2023.",
    "Police in {city_a} arrested {n} people after the protest, a spokesman said.",
    "{b} denied the claims and summoned the ambassador of {a}.",
]


def make_texts(count: int, seed: int = 5) -> list[str]:
    """``count`` different short articles: a headline and three sentences from the templates."""
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        (a, city_a), (b, city_b) = rng.sample(STATES, 2)
        slots = {
            "a": a, "b": b, "city_a": city_a, "city_b": city_b, "n": 3 + i,
            "month": rng.choice(MONTHS), "day": 1 + i % 28, "offence": rng.choice(OFFENCES),
            "group": rng.choice(GROUPS), "issue": rng.choice(ISSUES),
        }  # fmt: skip
        body = " ".join(s.format(**slots) for s in rng.sample(SENTENCES, 3))
        texts.append(f"{a} and {b}: report {i + 1}\n\n{body}\n")
    return texts


def write_corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(make_texts(count)):
        (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def table_rows(url: str) -> dict[str, list[dict]]:
    """Every row of the store, without the times of ingest."""
    with open_store(url) as store:
        out = {}
        for name in ("articles", "mentions", "events"):
            rows = []
            for row in store.iter_table(name):
                row.pop("ingested_at", None)
                row.pop("first_seen", None)
                rows.append(row)
            out[name] = rows
    return out


@pytest.fixture(scope="module", autouse=True)
def model_loaded() -> None:
    nlp.load()


def test_analyze_batch_keeps_order_and_rejects_one_failure(monkeypatch) -> None:
    articles = [make_article(t, source=f"t{i}") for i, t in enumerate(make_texts(3))]
    results = work.analyze_batch(articles)
    assert [r.article.id for r in results] == [a.id for a in articles]
    assert all(isinstance(r, Analysis) for r in results)
    assert any(r.events for r in results)

    real = work.analyze_doc

    def flaky(article, doc, limits=None):
        if article.source == "t1":
            raise KeyError("boom")
        return real(article, doc, limits)

    monkeypatch.setattr(work, "analyze_doc", flaky)
    first, bad, last = work.analyze_batch(articles)
    assert isinstance(bad, Rejected) and bad.source == "t1"
    assert bad.reason == work.ANALYSIS_FAILED and "KeyError" in bad.detail
    assert first == results[0] and last == results[2]
    assert work.analyze_batch([]) == []


def test_one_and_two_workers_fill_identical_stores(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "news", 12)
    urls = []
    for workers in (1, 2):
        url = str(tmp_path / f"w{workers}.duckdb")
        with open_store(url) as store:
            report = run_ingest(store, [corpus], workers=workers, batch_size=3, progress=False)
        assert (report.new, report.failed) == (12, 0) and report.mentions > 12
        # Peak memory per worker process ("main" when the work runs in-process).
        assert 1 <= len(report.rss) <= workers and min(report.rss.values()) > 50 * 2**20
        urls.append(url)
    one, two = (table_rows(u) for u in urls)
    assert len(one["articles"]) == 12 and one["events"]
    assert one == two


def test_local_engine_in_process() -> None:
    articles = [make_article(t) for t in make_texts(4, seed=9)]
    batches = [articles[:3], articles[3:]]
    rss: dict[str, int] = {}
    results = [r for batch in run_local(batches, workers=1, rss=rss) for r in batch]
    assert [r.article.id for r in results] == [a.id for a in articles]
    assert list(rss) == ["main"] and rss["main"] > 50 * 2**20
    assert list(run_local([], workers=2)) == []
    with LocalEngine(1) as engine:
        assert sum(engine.parse([["Rain fell.", "Kenya won."]])) >= 6


def test_rerun_skips_stored_articles_before_parsing(tmp_path: Path, monkeypatch) -> None:
    corpus = write_corpus(tmp_path / "news", 6)
    with open_store(str(tmp_path / "s.duckdb")) as store:
        first = run_ingest(store, [corpus], workers=1, batch_size=4, progress=False)
        assert first.new == 6 and first.skipped == 0

        def no_parsing(articles, model=None):
            raise AssertionError("an article already stored was parsed again")

        monkeypatch.setattr("eventwire.scale.local.work.analyze_batch", no_parsing)
        again = run_ingest(store, [corpus], workers=1, batch_size=4, progress=False)
        assert (again.new, again.unchanged, again.skipped, again.mentions) == (0, 6, 6, 0)
        assert "6 already stored" in again.summary()
        assert store.stats()["articles"] == 6


def test_rejects_are_listed_and_counted(tmp_path: Path, monkeypatch) -> None:
    corpus = write_corpus(tmp_path / "news", 3)
    (corpus / "blank.txt").write_text("   \n", encoding="utf-8")
    (corpus / "lines.jsonl").write_text(
        json.dumps({"text": "Egypt hosted talks between Chile and Norway in Cairo."}) + "\n"
        "{not json\n" + json.dumps({"title": "no text here"}) + "\n",
        encoding="utf-8",
    )
    real = work.analyze_doc

    def flaky(article, doc, limits=None):
        if "report 2\n" in article.text:
            raise ValueError("stage bug")
        return real(article, doc, limits)

    monkeypatch.setattr(work, "analyze_doc", flaky)
    listing = tmp_path / "rejects.jsonl"
    with open_store(":memory:") as store:
        report = run_ingest(store, [corpus], workers=1, rejects=listing, progress=False)
    assert report.new == 3  # two of the .txt files and the good JSONL line
    assert report.failed == 4
    assert report.rejected_by_reason == {
        "analysis failed": 1, "empty": 1, "invalid JSON": 1, "no text": 1
    }  # fmt: skip
    lines = [json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines()]
    assert sorted((Path(r["source"]).name, r["reason"]) for r in lines) == [
        ("a001.txt", "analysis failed"), ("blank.txt", "empty"),
        ("lines.jsonl:2", "invalid JSON"), ("lines.jsonl:3", "no text"),
    ]  # fmt: skip
    assert all(set(r) <= {"source", "reason", "detail"} for r in lines)
    assert "4 failed (" in report.summary() and "invalid JSON: 1" in report.summary()
    # Rewritten, not appended, by the next run: a resumed run lists every reject once.
    with open_store(":memory:") as store:
        run_ingest(store, [corpus / "blank.txt"], workers=1, rejects=listing, progress=False)
    assert len(listing.read_text(encoding="utf-8").splitlines()) == 1


def test_progress_lines(tmp_path: Path) -> None:
    stream = io.StringIO()
    report = LoadReport(new=3, mentions=7, skipped=2, unchanged=2)
    meter = Progress(stream, report, interval=0)
    meter.update()
    meter.done()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("ingest: 5 articles, 7 events, ")
    assert "articles/s" in lines[0] and "2 already stored" in lines[0]

    corpus = write_corpus(tmp_path / "news", 5)
    out = io.StringIO()
    with open_store(":memory:") as store:
        run_ingest(store, [corpus], workers=1, batch_size=2, progress=True, stream=out)
    assert out.getvalue().splitlines()[-1].startswith("ingest: 5 articles")


def test_stored_ids_on_both_backends(store_url: str) -> None:
    article = make_article(make_texts(1)[0])
    with open_store(store_url) as store:
        assert store.stored_ids([article.id], EXTRACTOR_VERSION) == set()
        (analysis,) = work.analyze_batch([article])
        store.ingest(analysis, article.text)
        assert store.stored_ids([article.id, "nope", article.id], EXTRACTOR_VERSION) == {
            article.id
        }
        assert store.has_article(article.id, EXTRACTOR_VERSION)
        assert not store.has_article(article.id, "eventwire-0.0.0")


def test_bench_reports_both_runs(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "news", 4)
    report = run_bench([corpus], workers=1, batch_size=2, limit=3)
    assert report.articles == 3 and report.words > 60 and report.tokens > report.words
    assert report.full_seconds > 0 and report.bare_seconds > 0 and report.events > 0
    assert "ner" in report.components and "eventwire_entities" in report.components
    assert report.rss["main"] > 50 * 2**20
    text = report.text()
    for expected in ("full pipeline (+ store)", "bare nlp.pipe", "ratio full/bare",
                     "articles/s", "words/s", "peak RSS per worker"):  # fmt: skip
        assert expected in text


def test_ingest_and_bench_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eventwire.cli import main

    corpus = write_corpus(tmp_path / "news", 3)
    (corpus / "feed.jsonl").write_text(
        json.dumps({"body": "Kenya sent aid to Egypt.", "link": "https://x.example/1"})
        + "\n[1, 2]\n",
        encoding="utf-8",
    )
    db, listing = tmp_path / "cli.duckdb", tmp_path / "rejects.jsonl"
    args = ["ingest", str(corpus), "--db", str(db), "--workers", "1", "--text-field", "body",
            "--url-field", "link", "--rejects", str(listing)]  # fmt: skip
    assert main(args) == 0
    out, err = capsys.readouterr()
    assert out.startswith("4 articles (4 new, 0 unchanged, 0 replaced)")
    assert "1 failed (not a JSON object: 1)" in out
    assert err.count("skipped:") == 1 and "feed.jsonl:2" in err
    assert [json.loads(line)["source"] for line in listing.read_text().splitlines()] == [
        f"{corpus / 'feed.jsonl'}:2"
    ]
    with open_store(str(db)) as store:
        urls = {row["url"] for row in store.iter_table("articles")}
    assert "https://x.example/1" in urls
    assert main(args) == 0
    assert "4 already stored (not parsed again)" in capsys.readouterr().out

    code = main(["bench", str(corpus), "--workers", "1", "--limit", "2", "--no-store"])
    out = capsys.readouterr().out
    assert code == 0 and "full pipeline " in out and "ratio full/bare" in out
    assert "corpus: 2 articles" in out


PROGRESS_COUNT = re.compile(r"ingest: (\d+) articles?")


def _ingest_command(corpus: Path, db: Path, workers: int, batch_size: int = 4) -> list[str]:
    return [sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db", str(db),
            "--batch-size", str(batch_size), "--workers", str(workers), "--progress"]  # fmt: skip


def _run_and_kill(command: list[str], rng: random.Random) -> bool:
    """Start an ingest and SIGKILL it (and its workers) at a random moment: while it loads,
    or a random moment after its first or second stored batch. Returns False when the run
    finished before the kill came."""
    env = {**os.environ, "EVENTWIRE_PROGRESS_INTERVAL": "0"}
    proc = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
        start_new_session=True,
    )  # fmt: skip
    batches = rng.choice((0, 1, 1, 2))
    try:
        assert proc.stderr is not None
        if batches == 0:
            time.sleep(rng.uniform(0.5, 4.0))
        else:
            seen = 0
            for line in proc.stderr:
                match = PROGRESS_COUNT.search(line)
                if match and int(match.group(1)) > 0:
                    seen += 1
                    if seen == batches:
                        break
            time.sleep(rng.uniform(0.0, 0.4))
        code = proc.poll()
        assert code in (None, 0), f"the ingest failed on its own (exit code {code})"
        finished = code == 0
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
    return not finished


def assert_consistent(url: str) -> int:
    """What a kill may never leave behind: a half-stored article, a mention without its
    article or event, an event whose counts disagree with its mentions. Returns how many
    articles are stored."""
    with open_store(url) as store:
        articles = {r["id"]: r for r in store.iter_table("articles")}
        mentions = list(store.iter_table("mentions"))
        events = {r["id"]: r for r in store.iter_table("events")}
    per_event: dict[str, int] = {}
    per_article: dict[str, int] = {}
    for m in mentions:
        assert m["article_id"] in articles, "a mention outlived its article"
        assert m["event_id"] in events, "a mention points at no event"
        per_event[m["event_id"]] = per_event.get(m["event_id"], 0) + 1
        per_article[m["article_id"]] = per_article.get(m["article_id"], 0) + 1
    assert {k: v["num_mentions"] for k, v in events.items()} == per_event
    for article_id, row in articles.items():
        analysis = Analysis.model_validate_json(row["analysis"])
        told = len({e.id for e in analysis.events})
        assert per_article.get(article_id, 0) == told, "an article was stored in part"
    return len(articles)


KILLS = 20
KILL_CORPUS = 120


def test_an_ingest_killed_twenty_times_ends_with_the_rows_of_one_run(tmp_path: Path) -> None:
    """Kill an ingest twenty times at random moments. After every kill the store must be
    consistent and hold at least what it held before; whenever the killed runs between them
    have worked through the whole input (a fast machine gets there before the twentieth kill),
    the store must hold exactly the rows of one uninterrupted run, and a new round starts on
    an empty store."""
    corpus = write_corpus(tmp_path / "news", KILL_CORPUS)
    reference = tmp_path / "whole.duckdb"
    with open_store(str(reference)) as store:
        run_ingest(store, [corpus], workers=1, batch_size=2, progress=False)
    expected = table_rows(str(reference))
    assert len(expected["articles"]) == KILL_CORPUS

    def finish_round(db: Path) -> None:
        done = subprocess.run(
            _ingest_command(corpus, db, workers=2, batch_size=2), capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert table_rows(str(db)) == expected

    rng = random.Random()
    rounds, kills, kills_mid_storing, stored_before = 0, 0, 0, 0
    db = tmp_path / f"round{rounds}" / "killed.duckdb"
    db.parent.mkdir()
    while kills < KILLS:
        command = _ingest_command(corpus, db, workers=1 + kills % 2, batch_size=2)
        killed = _run_and_kill(command, rng)
        stored = assert_consistent(str(db)) if db.exists() else 0
        assert stored >= stored_before, "a kill lost articles stored by an earlier run"
        stored_before = stored
        if killed:
            kills += 1
            kills_mid_storing += 0 < stored < KILL_CORPUS
        if not killed or stored == KILL_CORPUS:
            finish_round(db)
            rounds += 1
            db = tmp_path / f"round{rounds}" / "killed.duckdb"
            db.parent.mkdir()
            stored_before = 0
    finish_round(db)
    assert kills_mid_storing > 0, "no kill came while the run was storing"
