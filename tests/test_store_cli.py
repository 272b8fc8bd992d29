"""`eventwire ingest`, `query` and `export` end to end, and the folder loader behind `ingest`.

The articles are short texts written for these tests: three reports of one meeting (two plain
texts, one HTML page with an outlet and a url), one article with an accusation and a protest,
an empty file and a file that is not an article.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest

from eventwire import nlp
from eventwire.cli import main
from eventwire.store import open_store
from eventwire.store.base import EVENT_COLUMNS, MENTION_COLUMNS
from eventwire.store.export import GDELT_COLUMNS
from eventwire.store.loader import LoadReport, article_files, ingest_paths

HOSTS = (
    "Scholz hosts Erdogan in Berlin\n"
    "\n"
    "German Chancellor Olaf Scholz met Turkish President Tayyip Erdogan in Berlin on Friday,\n"
    "November 17, 2023. The two leaders discussed the war in Gaza and migration.\n"
)
TALKS = (
    "Erdogan and Scholz hold talks\n"
    "\n"
    "Turkish President Tayyip Erdogan held talks with German Chancellor Olaf Scholz in Berlin\n"
    "on November 17, 2023, officials said. Their meeting lasted two hours.\n"
)
PAGE = """<!DOCTYPE html>
<html><head>
<title>Erdogan visits Berlin | Example Daily</title>
<meta property="og:title" content="Erdogan visits Berlin">
<meta property="og:site_name" content="Example Daily">
<link rel="canonical" href="https://daily.example.com/2023/11/erdogan-berlin">
<meta property="article:published_time" content="2023-11-18">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Erdogan visits Berlin</h1>
<p>Turkish President Tayyip Erdogan met German Chancellor Olaf Scholz in Berlin on Friday,
November 17, 2023. The leaders spoke about trade, the war in Gaza and refugees.</p>
<p>Both governments described the visit as difficult but useful.</p>
</article>
<footer>Copyright Example Daily. Leave a Reply.</footer>
</body></html>
"""
SPYING = (
    "Chile recalls envoy\n"
    "\n"
    "Chile accused Peru of spying on its navy on Tuesday, November 14, 2023. Thousands of\n"
    "farmers protested in Lima on Wednesday.\n"
)
BERLIN = "52.52,13.40,25"


@pytest.fixture(scope="module", autouse=True)
def model_loaded() -> None:
    nlp.load()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    (root / "wire").mkdir(parents=True)
    (root / "web").mkdir()
    (root / "wire" / "hosts.txt").write_text(HOSTS, encoding="utf-8")
    (root / "wire" / "talks.txt").write_text(TALKS, encoding="utf-8")
    (root / "web" / "visit.html").write_text(PAGE, encoding="utf-8")
    (root / "spying.txt").write_text(SPYING, encoding="utf-8")
    (root / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "notes.md").write_text("not an article, not read\n", encoding="utf-8")
    return root


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def query_jsonl(capsys: pytest.CaptureFixture[str], db: str, *filters: str) -> list[dict]:
    code, out, err = cli(capsys, "query", "--db", db, "--format", "jsonl", *filters)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_article_files_walks_folders_sorted(corpus: Path) -> None:
    names = [p.relative_to(corpus).as_posix() for p in article_files([corpus, corpus / "x.txt"])]
    assert names[:5] == ["empty.txt", "spying.txt", "web/visit.html", "wire/hosts.txt",
                         "wire/talks.txt"]  # fmt: skip
    assert names[5] == "x.txt"  # named: kept (it does not exist), so that reading reports it
    assert "notes.md" not in names
    # A file named explicitly is read whatever its suffix, as `eventwire extract` reads it.
    assert [p.name for p in article_files([corpus / "notes.md"])] == ["notes.md"]


def test_ingest_query_export(
    capsys: pytest.CaptureFixture[str], corpus: Path, store_url: str, tmp_path: Path
) -> None:
    code, out, err = cli(capsys, "ingest", str(corpus), "--db", store_url)
    assert code == 0, err
    assert out.startswith("4 articles (4 new, 0 unchanged, 0 replaced)")
    assert "1 failed" in out
    assert err.count("skipped") == 1 and "empty.txt" in err

    events = query_jsonl(capsys, store_url)
    assert events and all(list(e) == list(EVENT_COLUMNS) for e in events)
    (meeting,) = query_jsonl(capsys, store_url, "--type", "consult", "--min-articles", "2")
    assert meeting["num_articles"] == 3 and meeting["num_mentions"] == 3
    assert {meeting["actor_country"], meeting["recipient_country"]} == {"DEU", "TUR"}
    assert meeting["date_value"] == "2023-11-17"

    # Filters: each narrows to what it names.
    assert [e["id"] for e in query_jsonl(capsys, store_url, "--near", BERLIN)] == [meeting["id"]]
    (accuse,) = query_jsonl(capsys, store_url, "--text", "SPYING ON")
    assert accuse["event_type"] == "ACCUSE" and accuse["actor_country"] == "CHL"
    assert query_jsonl(capsys, store_url, "--country", "per", "--type", "ACCUSE,AID") == [accuse]
    assert query_jsonl(capsys, store_url, "--actor-country", "CHL", "--recipient-country", "PER")
    assert query_jsonl(capsys, store_url, "--source", "example daily") == [meeting]
    assert query_jsonl(capsys, store_url, "--from", "2023-11-15", "--to", "2023-11-30") == [
        meeting
    ]
    assert query_jsonl(capsys, store_url, "--status", "denied") == []
    assert len(query_jsonl(capsys, store_url, "--limit", "1")) == 1

    # The table for people.
    code, out, _ = cli(capsys, "query", "--db", store_url, "--type", "CONSULT")
    assert code == 0
    assert "CONSULT" in out and "3 articles" in out and out.rstrip().endswith("(1 event)")

    # Files: CSV, Parquet, GeoJSON, GDELT.
    target = tmp_path / "out"
    target.mkdir()
    code, _, err = cli(capsys, "query", "--db", store_url, "--format", "csv",
                       "--output", str(target / "e.csv"))  # fmt: skip
    assert code == 0 and "wrote" in err
    with open(target / "e.csv", encoding="utf-8", newline="") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == [e["id"] for e in events]
    assert cli(capsys, "query", "--db", store_url, "--format", "parquet",
               "--output", str(target / "e.parquet"))[0] == 0  # fmt: skip
    back = duckdb.sql(f"SELECT id, num_articles FROM '{target / 'e.parquet'}'").fetchall()
    assert sorted(back) == sorted((e["id"], e["num_articles"]) for e in events)
    code, out, err = cli(capsys, "query", "--db", store_url, "--format", "geojson")
    features = json.loads(out)["features"]
    without = sum(1 for e in events if e["lat"] is None)
    assert len(features) == len(events) - without
    if without:
        assert f"{without} event{'s' if without > 1 else ''} without coordinates" in err
    code, out, _ = cli(capsys, "query", "--db", store_url, "--format", "gdelt", "--near", BERLIN)
    header, row = (line.split("\t") for line in out.splitlines())
    gdelt = dict(zip(header, row, strict=True))
    assert header == list(GDELT_COLUMNS)
    assert (gdelt["EventRootCode"], gdelt["NumArticles"], gdelt["SQLDATE"]) == (
        "04", "3", "20231117",
    )  # fmt: skip
    assert gdelt["SOURCEURL"] in ("", "https://daily.example.com/2023/11/erdogan-berlin")

    # Whole tables.
    code, _, err = cli(capsys, "export", "mentions", "--db", store_url,
                       "--output", str(target / "m.parquet"))  # fmt: skip
    assert code == 0 and "wrote" in err
    columns = [d[0] for d in duckdb.sql(f"DESCRIBE '{target / 'm.parquet'}'").fetchall()]
    assert columns == list(MENTION_COLUMNS)
    code, out, _ = cli(capsys, "export", "articles", "--db", store_url, "--output", "-")
    articles = [json.loads(line) for line in out.splitlines()]
    assert len(articles) == 4
    assert {a["outlet"] for a in articles} >= {"Example Daily"}

    # Ingesting the same folder again changes nothing.
    code, out, _ = cli(capsys, "ingest", str(corpus), "--db", store_url)
    assert code == 0 and out.startswith("4 articles (0 new, 4 unchanged, 0 replaced)")
    assert query_jsonl(capsys, store_url) == events
    code, out, _ = cli(capsys, "export", "articles", "--db", store_url, "--output", "-")
    assert [json.loads(line)["id"] for line in out.splitlines()] == [a["id"] for a in articles]


def test_duckdb_and_postgresql_answer_the_same(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, pg_url: str
) -> None:
    from conftest import clear_pg

    clear_pg(pg_url)
    duck = str(tmp_path / "same.duckdb")
    try:
        for db in (duck, pg_url):
            assert cli(capsys, "ingest", str(corpus), "--db", db)[0] == 0
        for filters in ((), ("--country", "TUR"), ("--near", BERLIN), ("--text", "spying")):
            rows = [query_jsonl(capsys, db, *filters) for db in (duck, pg_url)]
            for row in rows[0] + rows[1]:
                row.pop("first_seen")  # the time of ingest
            assert rows[0] == rows[1]
    finally:
        clear_pg(pg_url)


def test_default_database_and_environment(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVENTWIRE_DB", raising=False)
    assert cli(capsys, "ingest", str(corpus / "spying.txt"))[0] == 0
    assert (tmp_path / "eventwire.duckdb").exists()
    monkeypatch.setenv("EVENTWIRE_DB", str(tmp_path / "env.duckdb"))
    assert cli(capsys, "ingest", str(corpus / "wire"), "--published", "2023-11-18")[0] == 0
    assert (tmp_path / "env.duckdb").exists()
    with open_store(str(tmp_path / "env.duckdb")) as store:
        assert store.stats()["articles"] == 2
        assert {a["published"].isoformat() for a in store.iter_table("articles")} == {
            "2023-11-18"
        }


def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "e.duckdb")
    code, out, err = cli(capsys, "query", "--db", str(tmp_path / "missing.duckdb"))
    assert code == 1 and err.count("\n") == 1 and "no such database" in err
    assert not (tmp_path / "missing.duckdb").exists()

    code, out, err = cli(capsys, "ingest", str(corpus / "empty.txt"), "--db", db)
    assert code == 1 and "no article could be read" in err
    code, out, err = cli(capsys, "ingest", str(tmp_path / "nothing-here"), "--db", db)
    assert code == 1 and "file not found" in err

    assert cli(capsys, "ingest", str(corpus / "spying.txt"), "--db", db)[0] == 0
    code, _, err = cli(capsys, "query", "--db", db, "--format", "parquet")
    assert code == 1 and "--output" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as usage:
        main(["query", "--db", db, "--near", "52,13"])
    assert usage.value.code == 2 and "LAT,LON,KM" in capsys.readouterr().err
    code, _, err = cli(capsys, "query", "--db", db, "--type", "CONSULT,MEET")
    assert code == 1 and "--type: unknown value 'MEET'" in err and err.count("\n") == 1
    code, _, err = cli(capsys, "query", "--db", db, "--from", "2023-12-01", "--to", "2023-11-01")
    assert code == 1 and "start date is after" in err
    with pytest.raises(SystemExit) as usage:
        main(["export", "people", "--db", db, "--output", "x.jsonl"])
    assert usage.value.code == 2 and "invalid choice" in capsys.readouterr().err
    code, _, err = cli(capsys, "query", "--db", "mysql://somewhere/db")
    assert code == 1 and "unknown database URL scheme" in err and err.count("\n") == 1


def test_loader_reports_and_shows_progress(corpus: Path) -> None:
    stream = io.StringIO()
    with open_store(":memory:") as store:
        report = ingest_paths(store, [corpus], progress=True, stream=stream, batch_size=2)
        again = ingest_paths(store, [corpus / "wire"], progress=False, stream=stream)
    assert isinstance(report, LoadReport)
    assert (report.new, report.unchanged, report.replaced, report.failed) == (4, 0, 0, 1)
    assert report.articles == 4 and report.mentions >= 4 and report.seconds > 0
    ((path, reason),) = report.failures
    assert path.name == "empty.txt" and "empty" in reason
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3  # one line per batch of two files when not on a terminal
    assert lines[-1].startswith("ingest: 5 articles") and "articles/s" in lines[-1]
    assert (again.new, again.unchanged, again.mentions) == (0, 2, 0)
    assert "2 unchanged" in again.summary()
