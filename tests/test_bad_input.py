"""Bad input at every door: the command line, the Python API and bulk ingest.

``tests/fixtures/bad`` holds small files of every kind a news pipeline is fed (empty, binary,
mis-encoded, HTML without an article, broken JSONL lines and feeds, other languages) and a few
good articles among them. The large ones (a 50 MB page, a 5,000-word sentence, a 200,000-character
token) and a WARC file cut short are made here, in tmp_path. Every good article must be stored,
every bad input listed with a reason, and no traceback shown.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire import nlp
from eventwire.cli import main
from eventwire.ingest import IngestError, article_from_text, make_article, read_article
from eventwire.ingest.language import guess_language
from eventwire.ingest.sources import REASONS, Rejected, iter_source
from eventwire.limits import Limits
from eventwire.model import Article
from eventwire.pipeline import analyze
from eventwire.store import open_store

BAD = Path(__file__).parent / "fixtures" / "bad"
SAMPLES = Path(__file__).parent.parent / "src" / "eventwire" / "samples"

# What each bad input of the fixture folder is rejected for (source relative to the folder).
EXPECTED_REJECTS = {
    "empty.txt": "empty",
    "whitespace-only.txt": "empty",
    "binary-noise.txt": "binary data",
    "pdf-named.html": "binary data",
    "png-named.html": "binary data",
    "zip-named.txt": "binary data",
    "gzip-named.html": "binary data",
    "digits-only.txt": "no text",
    "latin1-undeclared.txt": "undecodable",
    "bogus-charset.html": "undecodable",
    "broken-after-bom.txt": "undecodable",
    "utf16-odd-bytes.txt": "undecodable",
    "cp1252-declared-wrong.html": "undecodable",
    "no-article.html": "no article text",
    "scripts-only.html": "no article text",
    "comments-only.html": "no article text",
    "deeply-nested.html": "no article text",
    "truncated-page.html": "no article text",
    "french.txt": "not English",
    "german.html": "not English",
    "spanish.txt": "not English",
    "russian.txt": "not English",
    "chinese.txt": "not English",
    "arabic.txt": "not English",
    "lines.jsonl:2": "invalid JSON",
    "lines.jsonl:3": "not a JSON object",
    "lines.jsonl:4": "no text",
    "lines.jsonl:5": "no text",
    "lines.jsonl:6": "no text",
    "lines.jsonl:7": "undecodable",
    "lines.jsonl:8": "not English",
    "lines.jsonl:9": "no article text",
    "lines.jsonl:12": "invalid JSON",
    "empty.jsonl": "empty",
    "broken.rss": "invalid XML",
    "empty.rss": "empty",
    "html-not-feed.rss": "not a feed",
    "entity-bomb.rss": "invalid XML",
    "entries.atom#1": "no text",
    "entries.atom#2": "not English",
    "garbage.warc@0": "broken record",
    "empty.warc.gz": "empty",
}
EXPECTED_ARTICLES = {
    "good-farmers.txt",
    "good-page.html",
    "good-mojibake.txt",
    "good-latin1-declared.html",
    "lines.jsonl:1",
    "lines.jsonl:11",
    "broken.rss#1",
    "entries.atom#3",
}
# Made in tmp_path by ``_generated``: bad ones with their reasons, good ones by name.
GENERATED_REJECTS = {"huge.txt": "too long", "huge.jsonl:1": "too long"}
GENERATED_ARTICLES = {"long-sentence.txt", "long-token.txt"}
WARC_REASONS = ["HTTP error", "redirect", "not HTML", "truncated"]

ENGLISH = (
    "Dockworkers walk out\n\nDockworkers at the country's largest port walked off the job on "
    "Monday to demand higher pay, their union said, and the port authority warned of delays."
)


@pytest.fixture(scope="module")
def model_loaded() -> None:
    nlp.load()


def _page(body: str) -> bytes:
    return (
        f"<html><head><title>Port news</title></head><body><article><p>{body}</p></article>"
        "</body></html>"
    ).encode()


def _warc(path: Path) -> None:
    """A .warc.gz of one good page, a 404, a redirect, a PDF, a request record and a last
    page cut off in the middle of its gzip member."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)

    def response(url: str, status: str, ctype: str, body: bytes) -> None:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)

    response("https://example.org/a", "200 OK", "text/html", _page(ENGLISH.split("\n\n")[1]))
    response("https://example.org/gone", "404 Not Found", "text/html", b"<html>gone</html>")
    response("https://example.org/moved", "301 Moved Permanently", "text/html", b"")
    response("https://example.org/r.pdf", "200 OK", "application/pdf", b"%PDF-1.4\n")
    writer.write_record(writer.create_warc_record("https://example.org/a", "request"))
    response("https://example.org/b", "200 OK", "text/html", _page(ENGLISH) * 40)
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - 30])  # into the last member's compressed data


def _generated(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # 50 MB: refused on its size before it is read.
    with open(folder / "huge.txt", "wb") as fh:
        line = (ENGLISH.replace("\n", " ") + " ").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    # One JSONL line over the limit (4 bytes a character and a megabyte of metadata).
    with open(folder / "huge.jsonl", "wb") as fh:
        fh.write(b'{"text": "' + b"word " * (1_000_000 + 300_000) + b'"}\n')
    # English, but 5,000 words with no sentence end, and one 200,000-character token.
    words = "the convoy of lorries carrying grain moved slowly along the coast road and"
    (folder / "long-sentence.txt").write_text(" ".join([words] * 360) + ".\n", encoding="utf-8")
    (folder / "long-token.txt").write_text(
        "Police arrested two men in the harbour district on Sunday, officials said. "
        + "Q" * 200_000
        + " The men were later released on bail, a court spokesman said.\n",
        encoding="utf-8",
    )
    _warc(folder / "mixed.warc.gz")


def _relative(source: str, root: Path) -> str:
    return source[len(str(root)) + 1 :] if source.startswith(str(root)) else source


def test_the_bad_corpus_through_ingest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(BAD, corpus / "bad")
    _generated(corpus / "made")
    db, rejects = tmp_path / "store.duckdb", tmp_path / "rejects.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "eventwire.cli", "ingest", str(corpus), "--db", str(db),
         "--rejects", str(rejects), "--workers", "1", "--batch-size", "4"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stderr
    listed = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    got = {_relative(r["source"], corpus): r["reason"] for r in listed}
    assert all(r["reason"] in (*REASONS, "parse failed") and r.get("detail") for r in listed)
    expected = {f"bad/{name}": reason for name, reason in EXPECTED_REJECTS.items()}
    expected |= {f"made/{name}": reason for name, reason in GENERATED_REJECTS.items()}
    warc = sorted(
        (int(k.rpartition("@")[2]), v) for k, v in got.items() if k.startswith("made/mixed.warc")
    )
    assert [reason for _, reason in warc] == WARC_REASONS
    assert {k: v for k, v in got.items() if "mixed.warc" not in k} == expected
    assert len(got) >= 30
    # Every good article is stored, and nothing else.
    with open_store(str(db)) as store:
        stored = {_relative(row["source"], corpus) for row in store.iter_table("articles")}
    good = {f"bad/{name}" for name in EXPECTED_ARTICLES}
    good |= {f"made/{name}" for name in GENERATED_ARTICLES} | {"made/mixed.warc.gz@0"}
    assert stored == good
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.startswith(f"{len(good)} articles") and f"{len(got)} failed" in summary
    # The first rejects are named on stderr, one line each, the rest counted.
    lines = done.stderr.strip().splitlines()
    assert all(line.startswith("eventwire: ") for line in lines)
    assert sum(line.startswith("eventwire: skipped: ") for line in lines) == 20


@pytest.mark.parametrize(
    "name", sorted(n for n in EXPECTED_REJECTS if ":" not in n and "#" not in n and "@" not in n)
)
def test_extract_names_the_input_and_the_reason_in_one_line(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / name
    assert main(["extract", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"eventwire: error: {path}: ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_a_single_bad_input_to_ingest_exits_1(tmp_path: Path, capsys, model_loaded) -> None:
    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", str(BAD / "french.txt"), "--db", db, "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "skipped: " in err and "not English" in err
    assert err.strip().endswith("no article could be read")


def test_a_huge_file_is_refused_unread(tmp_path: Path, capsys) -> None:
    path = tmp_path / "huge.html"
    path.write_bytes(b" " * (5 * 1024 * 1024))
    assert main(["extract", str(path), "--max-article-chars", "1000000"]) == 1
    assert "article too long" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["extract", str(path), "--max-article-chars", "0"])
    assert usage.value.code == 2
    assert "expected a whole number >= 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty input"),
        (" \n\t ", "empty input"),
        ("abc\x00def", "binary data"),
        ("Police \ud800 arrested two men.", "not valid Unicode"),
        ("1,200 / 44 -- 3.5 %", "no words"),
        ("<html><body><script>x()</script></body></html>", "no article text"),
        ("<html><body>" + "<div>" * 3000 + "</div>" * 3000 + "</body></html>", "no article text"),
        ((BAD / "french.txt").read_text(encoding="utf-8"), "not English: looks like French"),
        ((BAD / "russian.txt").read_text(encoding="utf-8"), "Cyrillic"),
    ],
)
def test_the_python_api_raises_one_ingest_error(text: str, words: str) -> None:
    with pytest.raises(IngestError, match=words) as info:
        analyze(text)
    assert "\n" not in str(info.value)


def test_an_article_object_is_checked_too(model_loaded) -> None:
    with pytest.raises(IngestError, match="empty input"):
        analyze(Article(id="x", text="  "))
    with pytest.raises(IngestError, match="too long"):
        analyze(Article(id="x", text=ENGLISH), limits=Limits(max_article_chars=50))


# -- limits ----------------------------------------------------------------------------------


def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Limits.from_env({}) == Limits()
    env = {"EVENTWIRE_MAX_CHARS": "5000", "EVENTWIRE_MAX_SENTENCE_TOKENS": "40",
           "EVENTWIRE_MAX_EVENTS": "nope"}  # fmt: skip
    assert Limits.from_env(env) == Limits(5000, 40)
    assert Limits.from_env(Limits(7, 8, 9).env()) == Limits(7, 8, 9)
    with pytest.raises(ValueError, match="max_events_per_article"):
        Limits(max_events_per_article=0)
    monkeypatch.setenv("EVENTWIRE_MAX_CHARS", "60")
    with pytest.raises(IngestError, match="too long"):
        make_article(ENGLISH)


def test_a_long_sentence_is_cut_before_the_parser(model_loaded) -> None:
    text = " ".join(["soldiers and police moved along the coast road"] * 100) + "."
    doc = nlp.parse(text, limits=Limits(max_sentence_tokens=60))
    assert max(len(sent) for sent in doc.sents) <= 60
    with_commas = ", ".join(["the army shelled the town"] * 60) + "."
    doc = nlp.parse(with_commas, limits=Limits(max_sentence_tokens=50))
    # Cut after a comma: every chunk but the last ends with one.
    assert all(sent[-1].text == "," for sent in list(doc.sents)[:-1])
    # Ordinary prose is left to the parser.
    plain = nlp.parse(ENGLISH, limits=Limits(max_sentence_tokens=10))
    assert [s.text.strip() for s in plain.sents][0] == "Dockworkers walk out"


def test_events_over_the_limit_keep_the_most_confident(
    model_loaded, caplog: pytest.LogCaptureFixture
) -> None:
    text = (SAMPLES / "wire-eu-shipping-sanctions.txt").read_text(encoding="utf-8")
    everything = analyze(text).events
    assert len(everything) >= 3
    with caplog.at_level("WARNING", logger="eventwire"):
        kept = analyze(text, limits=Limits(max_events_per_article=2)).events
    best = sorted(everything, key=lambda e: -e.confidence)[:2]
    assert sorted(e.id for e in kept) == sorted(e.id for e in best)
    assert [e.id for e in kept] == [e.id for e in everything if e in kept]
    assert f"{len(everything)} events, kept the 2 most confident" in caplog.text


def test_ingest_workers_apply_the_limits(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "eventwire.cli", "ingest", str(SAMPLES), "--db", str(db),
         "--workers", "2", "--batch-size", "1", "--max-events", "1"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    with open_store(str(db)) as store:
        analyses = [json.loads(row["analysis"]) if isinstance(row["analysis"], str)
                    else row["analysis"] for row in store.iter_table("articles")]  # fmt: skip
    assert len(analyses) == 3 and all(len(a["events"]) <= 1 for a in analyses)
    assert "kept the 1 most confident" in done.stderr


# -- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Putin met Xi in Moscow.",
        "Vladimir Putin, Xi Jinping, Kim Jong Un, Recep Tayyip Erdogan, Emmanuel Macron, Olaf "
        "Scholz, Giorgia Meloni, Pedro Sanchez, Luiz Inacio Lula da Silva, Narendra Modi and "
        "Joko Widodo met in Rio de Janeiro.",
        "Los Angeles beat San Antonio 110-102 in Las Vegas as El Paso native Juan de la Cruz and "
        "Maria dos Santos Da Silva of Sao Paulo scored for the visitors in the final quarter.",
        "Protesters chanted \u00abНет войне\u00bb outside the embassy on Friday, and police said "
        "that twelve people had been detained after the crowd refused to disperse.",
        "BREAKING: Ceasefire collapses",
        *(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))),
    ],
)
def test_english_is_never_refused(text: str) -> None:
    assert guess_language(text).english
    article_from_text(text)


@pytest.mark.parametrize(
    ("name", "code"),
    [("french.txt", "fr"), ("spanish.txt", "es"), ("russian.txt", "ru"), ("chinese.txt", "zh"),
     ("arabic.txt", "ar")],
)  # fmt: skip
def test_other_languages_are_named(name: str, code: str) -> None:
    guess = guess_language((BAD / name).read_text(encoding="utf-8"))
    assert not guess.english and guess.code == code


def test_language_any_turns_the_check_off(monkeypatch, capsys, model_loaded) -> None:
    path = BAD / "french.txt"
    with pytest.raises(IngestError, match="not English"):
        read_article(path)
    assert main(["extract", str(path), "--language", "any"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("EVENTWIRE_LANGUAGE", "any")
    assert read_article(path).text.startswith("Grève")
    items = list(iter_source(BAD / "entries.atom"))
    assert [getattr(i, "reason", "article") for i in items] == ["no text", "article", "article"]


def test_readers_reject_not_english_with_the_language(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = (BAD / "spanish.txt").read_text(encoding="utf-8")
    path.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    (item,) = iter_source(path)
    assert isinstance(item, Rejected) and item.reason == "not English"
    assert item.detail.startswith("looks like Spanish")
