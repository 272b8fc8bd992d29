"""The Ray engine on a local Ray instance with two analyser workers: the store it fills (through
Parquet partitions and ``--from-parquet``) holds exactly the rows of a local run, loading twice
changes nothing, and a run into the same folder resumes.

Ray is an optional dependency (``eventwire[ray]``): without it these tests fail, unless
``EVENTWIRE_TEST_RAY=off`` says to skip them.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

try:
    import ray
except ImportError:
    ray = None
    if os.environ.get("EVENTWIRE_TEST_RAY", "").strip().lower() == "off":
        pytest.skip("Ray is not installed and EVENTWIRE_TEST_RAY=off", allow_module_level=True)

from eventwire.ingest.sources import SKIPPED_FILE
from eventwire.scale import ray_engine
from eventwire.scale.ray_engine import load_parquet, partition_files, run_ray
from eventwire.scale.runner import run_ingest
from eventwire.store import open_store

# Columns that say when a row was stored, not what it holds.
VOLATILE = {"ingested_at", "first_seen"}

TEXTS = {
    "01-talks.txt": (
        "Ministers meet in Oslo\n\n"
        "OSLO, March 3 - The foreign minister of Norway met his Swedish counterpart in Oslo on "
        "Monday to discuss fishing quotas in the Barents Sea, the ministry said."
    ),
    "02-march.txt": (
        "Teachers march in Lima\n\n"
        "Thousands of teachers marched through Lima on Tuesday to demand higher pay, police "
        "said. The education minister refused to meet the union."
    ),
    "03-jamming.txt": (
        "Berlin accuses Moscow over jamming\n\n"
        "Germany accused Russia on Wednesday of jamming satellite signals over the Baltic Sea, "
        "a government spokesman told reporters in Berlin."
    ),
    "04-sanctions.txt": (
        "New sanctions on Iran\n\n"
        "The European Union imposed new sanctions on Iran on Friday over drone deliveries to "
        "Russia, officials in Brussels said."
    ),
    "05-aid.txt": (
        "Japan sends aid to the Philippines\n\n"
        "Japan sent tents and water pumps to the Philippines on Thursday after a typhoon "
        "flooded villages in the north, the Japanese embassy in Manila said."
    ),
    "06-strike.html": (
        "<html><head><title>Dock strike in Rotterdam</title></head><body>"
        "<nav>Home | World | Business</nav><article><h1>Dock strike in Rotterdam</h1>"
        "<p>Dock workers in Rotterdam went on strike on Monday over new shift rules, the port "
        "authority said. The union threatened to extend the strike to Antwerp.</p>"
        "<p>Shipping lines said they would divert vessels to Hamburg.</p></article>"
        "<footer>Leave a reply</footer></body></html>"
    ),
    "07-empty.txt": "   \n\n  ",
}
FEED_LINES = [
    {
        "text": "Kenya and Ethiopia signed a border trade agreement in Nairobi on Saturday, "
        "the Kenyan foreign ministry said.",
        "title": "Kenya, Ethiopia sign trade deal",
        "published": "2024-05-04",
        "outlet": "Example Wire",
    },
    "this line is not JSON",
    {
        "text": "Chile recalled its ambassador to Venezuela on Sunday after a dispute over an "
        "election, the government in Santiago said.",
        "published": "2024-05-05",
    },
    {"title": "a line with no text"},
    # The same text as a file above: one article, stored once, with the first source.
    {"text": TEXTS["03-jamming.txt"]},
    {
        "text": "Police in Nairobi fired tear gas at protesters who rallied against a new tax "
        "on Monday, witnesses said.",
        "published": "2024-05-06",
    },
]


def _corpus(root: Path) -> Path:
    folder = root / "news"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "08-photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not an article")
    with open(folder / "wire.jsonl", "w", encoding="utf-8") as fh:
        for line in FEED_LINES:
            fh.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return folder


def _rows(url: str) -> dict[str, list[dict]]:
    with open_store(url) as store:
        return {
            table: [
                {k: v for k, v in row.items() if k not in VOLATILE}
                for row in store.iter_table(table)
            ]
            for table in ("articles", "mentions", "events")
        }


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder with the corpus in news/, made the working directory, so that the inputs are
    named by relative paths (as on a command line) and the sources stored must match."""
    root = tmp_path_factory.mktemp("ray")
    _corpus(root)
    before = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(before)


@pytest.fixture(scope="module")
def local_run(workdir: Path) -> dict[str, list[dict]]:
    url = str(workdir / "local.duckdb")
    with open_store(url) as store:
        report = run_ingest(store, [Path("news")], workers=1, batch_size=3, progress=False)
    assert report.new == 9 and report.failed == 3, report.summary()
    return _rows(url)


@pytest.fixture(scope="module")
def ray_local() -> Iterator[None]:
    if ray is None:
        pytest.fail(
            "Ray is not installed: pip install -e '.[ray]' (or set EVENTWIRE_TEST_RAY=off to "
            "skip the Ray engine's tests)",
            pytrace=False,
        )
    # Two analyser actors and one CPU for the reader (run_ray asks for one more than workers).
    ray.init(
        num_cpus=3, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False
    )
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def ray_run(ray_local: None, workdir: Path):
    out = workdir / "parts"
    # Three files per reader task: several readers, whose rows must come back in input order.
    files_per_unit, ray_engine.FILES_PER_UNIT = ray_engine.FILES_PER_UNIT, 3
    try:
        report = run_ray(["news"], out_dir=out, batch_size=2, workers=2)
    finally:
        ray_engine.FILES_PER_UNIT = files_per_unit
    return out, report


def test_ray_run_writes_one_row_per_input_item(ray_run, local_run) -> None:
    out, report = ray_run
    assert report.workers == 2
    assert report.not_articles == {SKIPPED_FILE: 1}
    assert report.files and all(f.suffix == ".parquet" for f in report.files)
    assert report.articles == 10  # the duplicate is analysed too; storing it changes nothing
    assert report.rejected_by_reason == {"empty": 1, "invalid JSON": 1, "no text": 1}
    assert report.events >= len(local_run["mentions"]) > 0
    import pyarrow.parquet as pq

    table = pq.read_table(report.files)
    assert {"article_id", "source", "text", "analysis_json", "rejected_reason"} <= set(
        table.column_names
    )
    sources = set(table["source"].to_pylist())
    assert "news/01-talks.txt" in sources and "news/wire.jsonl:2" in sources
    assert set(table["unit_no"].to_pylist()) == {0, 1, 2}


def test_store_from_parquet_equals_local_run(ray_run, local_run, workdir: Path) -> None:
    out, _ = ray_run
    url = str(workdir / "ray.duckdb")
    with open_store(url) as store:
        report = load_parquet(store, out, rejects=workdir / "rejects.jsonl", progress=False)
    assert (report.new, report.failed) == (9, 3), report.summary()
    assert report.rejected_by_reason == {"empty": 1, "invalid JSON": 1, "no text": 1}
    rejects = [json.loads(line) for line in (workdir / "rejects.jsonl").open(encoding="utf-8")]
    assert sorted(r["source"] for r in rejects) == [
        "news/07-empty.txt", "news/wire.jsonl:2", "news/wire.jsonl:4"
    ]  # fmt: skip
    stored = _rows(url)
    assert [r["id"] for r in stored["articles"]] == [r["id"] for r in local_run["articles"]]
    assert [r["id"] for r in stored["events"]] == [r["id"] for r in local_run["events"]]
    assert local_run["mentions"], "the corpus should give events"
    for table in ("articles", "mentions", "events"):
        assert stored[table] == local_run[table], table
    jamming = [r for r in stored["articles"] if "jamming satellite" in r["text"]]
    assert [r["source"] for r in jamming] == ["news/03-jamming.txt"]  # the first of two copies

    # Loading the same partitions again changes nothing, not even when rows were stored.
    with open_store(url) as store:
        before = {t: list(store.iter_table(t)) for t in ("articles", "mentions", "events")}
        again = load_parquet(store, out, progress=False)
        after = {t: list(store.iter_table(t)) for t in ("articles", "mentions", "events")}
    assert (again.new, again.replaced, again.mentions) == (0, 0, 0)
    assert again.skipped == 10
    assert after == before


def test_cli_engine_ray_then_from_parquet(ray_local, local_run, workdir: Path, capsys) -> None:
    from eventwire.cli import main

    db = str(workdir / "cli.duckdb")
    out = str(workdir / "cli-parts")
    argv = ["ingest", "news", "--engine", "ray", "--out", out, "--db", db, "--batch-size", "3"]
    assert main(argv) == 0
    first = capsys.readouterr()
    assert "9 new" in first.out and "3 failed" in first.out
    assert "ray: 10 articles analysed" in first.err and "invalid JSON" in first.err
    assert _rows(db) == local_run
    assert main(["ingest", "--from-parquet", out, "--db", db]) == 0
    assert "0 new" in capsys.readouterr().out
    assert _rows(db) == local_run


def test_cli_usage_errors(workdir: Path, capsys) -> None:
    from eventwire.cli import main

    assert main(["ingest", "news", "--engine", "ray", "--db", str(workdir / "x.duckdb")]) == 1
    assert "--out" in capsys.readouterr().err
    assert main(["ingest", "news", "--from-parquet", str(workdir)]) == 1
    assert "no PATH" in capsys.readouterr().err
    assert main(["ingest", "--from-parquet", str(workdir / "nowhere")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_rerun_resumes_and_sets_broken_partitions_aside(ray_run, local_run, workdir: Path):
    """A folder holding part of the output and a partition cut short by a crash: the next run
    analyses only what is missing, and the store ends as after one whole run."""
    import pyarrow.parquet as pq

    out, _ = ray_run
    table = pq.read_table(partition_files(out))
    half = workdir / "half"
    half.mkdir()
    done = table.slice(0, 5)
    pq.write_table(done, half / "earlier.parquet")
    shutil.copy(partition_files(out)[0], half / "cut.parquet")
    with open(half / "cut.parquet", "r+b") as fh:
        fh.truncate(200)

    report = run_ray(["news"], out_dir=half, batch_size=2, workers=2)
    done_ids = {r["article_id"] for r in done.to_pylist() if r["rejected_reason"] is None}
    assert done_ids and report.skipped == len(done_ids)
    articles = [r for r in table.to_pylist() if r["rejected_reason"] is None]
    assert report.articles == sum(r["article_id"] not in done_ids for r in articles) < 10
    assert [p.name for p in report.incomplete] == ["cut.parquet.incomplete"]
    url = str(workdir / "resumed.duckdb")
    with open_store(url) as store:
        load_parquet(store, half, progress=False)
    assert _rows(url) == local_run


def test_refuses_a_folder_of_another_extractor_version(ray_run, workdir: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out, _ = ray_run
    table = pq.read_table(partition_files(out))
    old = workdir / "old"
    old.mkdir()
    versions = pa.array(["eventwire-0.0.1"] * len(table), pa.string())
    column = table.schema.get_field_index("extractor_version")
    pq.write_table(table.set_column(column, "extractor_version", versions), old / "a.parquet")
    with pytest.raises(ValueError, match="another folder"):
        run_ray(["news"], out_dir=old, workers=2)
