"""ingest: plain text kept as given, HTML without boilerplate, metadata, and every refusal."""

from __future__ import annotations

import codecs
import io
import types
from datetime import date
from pathlib import Path

import pytest

from eventwire.ingest import (
    IngestError,
    article_from_html,
    article_from_text,
    article_id,
    decode_bytes,
    headline,
    looks_like_html,
    make_article,
    parse_date,
    read_article,
)
from eventwire.ingest.samples import list_samples, read_sample, sample_articles

HTML_DIR = Path(__file__).parent / "fixtures" / "html"

WIRE = (
    "Border guards detain fishing crews\n"
    "\n"
    "ARLANDSTAD, May 2 - Border guards of Arland detained two fishing crews on Monday,\n"
    "the interior ministry said. Borovia protested against the arrests.\n"
)


# --- plain text -------------------------------------------------------------------------------


def test_text_is_kept_exactly_and_headline_becomes_title() -> None:
    article = article_from_text(WIRE, published="2023-05-02", outlet="Wire", url="https://x.test/a")
    assert article.text == WIRE
    assert article.title == "Border guards detain fishing crews"
    assert article.published == date(2023, 5, 2)
    assert (article.outlet, article.url, article.language) == ("Wire", "https://x.test/a", "en")


def test_crlf_and_leading_space_are_kept() -> None:
    text = "  Talks end\r\n\r\nThe two sides met on Friday and agreed to meet again.\r\n"
    article = article_from_text(text)
    assert article.text == text
    assert article.title == "Talks end"


@pytest.mark.parametrize(
    "text",
    [
        "The ministers met on Friday and agreed to meet again in June.\n\nMore text follows.",
        "A headline with no blank line after it\nThe ministers met on Friday.",
        "By Anna Example\n\nThe ministers met on Friday.",
        "14:05\n\nThe ministers met on Friday.",
        "Only one line without a body\n\n",
        " ".join(["word"] * 40) + "\n\nThe ministers met on Friday.",
    ],
)
def test_no_headline(text: str) -> None:
    assert headline(text) is None


def test_explicit_title_wins() -> None:
    assert article_from_text(WIRE, title="Mine").title == "Mine"


def test_id_is_stable_and_ignores_whitespace_but_not_url() -> None:
    first = article_from_text(WIRE)
    again = article_from_text(WIRE)
    reflowed = article_from_text(WIRE.replace("\n", "  \n ").replace("Monday,\n", "Monday, "))
    with_url = article_from_text(WIRE, url="https://x.test/a")
    assert first.id == again.id == reflowed.id == article_id(WIRE)
    assert with_url.id != first.id
    assert len(first.id) == 16


def test_parse_date() -> None:
    assert parse_date("2024-06-04") == date(2024, 6, 4)
    assert parse_date("2024-06-04T14:30:00+02:00") == date(2024, 6, 4)
    assert parse_date(date(2020, 1, 2)) == date(2020, 1, 2)
    assert parse_date(None) is None
    with pytest.raises(IngestError, match="not a date"):
        parse_date("4 June 2024")


# --- HTML -------------------------------------------------------------------------------------


def test_html_boilerplate_is_removed() -> None:
    html = (HTML_DIR / "news-page.html").read_text(encoding="utf-8")
    article = article_from_html(html)
    text = article.text
    assert "detained four fishing boats" in text
    assert "denied that any shots had been fired" in text
    for boilerplate in ("Leave a Reply", "Post Comment", "email address", "World desk",
                        "Subscribe today", "Copyright", "Privacy notice"):
        assert boilerplate not in text
    assert "\n\n" in text  # blocks stay apart


def test_html_metadata() -> None:
    html = (HTML_DIR / "news-page.html").read_text(encoding="utf-8")
    article = article_from_html(html, source="page.html")
    assert article.title == "Coastguard seizes fishing boats in disputed waters"
    assert article.text.startswith(article.title)
    assert article.outlet == "The Harbour Gazette"
    assert article.url == "https://gazette.example.com/world/coastguard-seizes-boats"
    assert article.published == date(2022, 8, 9)
    assert article.language == "en"
    assert article.source == "page.html"


def test_html_explicit_arguments_win() -> None:
    html = (HTML_DIR / "news-page.html").read_text(encoding="utf-8")
    article = article_from_html(html, published=date(2022, 8, 10), url="https://mirror.test/x")
    assert article.published == date(2022, 8, 10)
    assert article.url == "https://mirror.test/x"


def test_html_title_only_in_head_is_put_in_front_of_the_text() -> None:
    html = (
        "<html><head><title>Strike halts port</title></head><body><article>"
        "<p>Dock workers in Arlandstad walked out on Tuesday over pay, halting the port.</p>"
        "</article></body></html>"
    )
    article = article_from_html(html)
    assert article.title == "Strike halts port"
    assert article.text.startswith("Strike halts port\n\nDock workers")


def test_html_fragment() -> None:
    article = make_article("<p>Protesters marched through the capital on Sunday.</p>")
    assert article.text == "Protesters marched through the capital on Sunday."


def test_html_with_only_boilerplate_is_refused() -> None:
    with pytest.raises(IngestError, match="no article text"):
        read_article(HTML_DIR / "boilerplate-only.html")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("\ufeff  <html lang='en'><p>x</p></html>", True),
        ("<p>One.</p>\n<p>Two.</p>", True),
        ("Text first, then <p>some</p> tags <b>here</b> and <i>there</i>.", True),
        ("The ministry said 3 < 4 and that <b> marks bold.", False),
        ("Plain news text.\n\nSecond paragraph.", False),
    ],
)
def test_looks_like_html(data: str, expected: bool) -> None:
    assert looks_like_html(data) is expected


def test_make_article_dispatches() -> None:
    html = (HTML_DIR / "news-page.html").read_text(encoding="utf-8")
    assert make_article(html, published="2022-08-11").published == date(2022, 8, 11)
    assert make_article(WIRE, title="T").text == WIRE


# --- files, decoding and errors ---------------------------------------------------------------


def test_read_text_and_html_files(tmp_path: Path) -> None:
    txt = tmp_path / "wire.txt"
    txt.write_bytes(WIRE.encode("utf-8"))
    article = read_article(txt, published=date(2023, 5, 2))
    assert article.text == WIRE
    assert article.source == str(txt)
    assert article.published == date(2023, 5, 2)
    page = read_article(HTML_DIR / "news-page.html")
    assert "Leave a Reply" not in page.text


def test_content_decides_not_the_extension(tmp_path: Path) -> None:
    disguised = tmp_path / "page.txt"
    disguised.write_bytes((HTML_DIR / "news-page.html").read_bytes())
    assert read_article(disguised).title == "Coastguard seizes fishing boats in disputed waters"


def test_read_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", types.SimpleNamespace(buffer=io.BytesIO(WIRE.encode())))
    article = read_article("-")
    assert article.text == WIRE
    assert article.source == "<stdin>"


def test_bom_and_declared_charset(tmp_path: Path) -> None:
    bom = tmp_path / "bom.txt"
    bom.write_bytes(codecs.BOM_UTF8 + WIRE.encode("utf-8"))
    assert read_article(bom).text == WIRE
    latin = read_article(HTML_DIR / "latin1-page.html")
    assert "Zürich" in latin.text and "Café Léman" in latin.text
    assert decode_bytes("Grüße".encode("utf-16")) == "Grüße"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"  \n\t \n", "empty input"),
        ("nul.txt", b"Some text\x00\x01\x02 more", "binary data"),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
        ("latin1.txt", "Les ministres se sont réunis.".encode("iso-8859-1"), "not valid UTF-8"),
    ],
)
def test_refusals(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=reason) as caught:
        read_article(path)
    assert caught.value.source == str(path)
    assert "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="file not found"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="is a directory"):
        read_article(tmp_path)


def test_strings_are_checked_too() -> None:
    with pytest.raises(IngestError, match="empty input"):
        make_article("   \n ")
    with pytest.raises(IngestError, match="binary data"):
        article_from_text("a\x00b")
    assert issubclass(IngestError, ValueError)


def test_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_MAX_CHARS", "50")
    with pytest.raises(IngestError, match="too long"):
        article_from_text("word " * 20)


# --- bundled samples --------------------------------------------------------------------------


def test_samples_are_listed_and_readable() -> None:
    samples = list_samples()
    assert len(samples) >= 3
    assert all(s.published is not None for s in samples)
    assert {Path(s.file).suffix for s in samples} >= {".txt", ".html"}
    articles = sample_articles()
    for sample, article in zip(samples, articles, strict=True):
        assert article.published == sample.published
        assert article.title
        assert len(article.text.split()) > 150
    html = read_sample(next(s for s in samples if s.file.endswith(".html")))
    assert "Leave a Reply" not in html.text and "Privacy policy" not in html.text
    assert html.outlet and html.url


# -- bad input ---------------------------------------------------------------------------------


def test_an_unknown_declared_charset_is_named() -> None:
    page = b'<html><head><meta charset="x-martian"></head><body>Stra\xdfe</body></html>'
    with pytest.raises(IngestError, match="declared charset 'x-martian' is unknown"):
        decode_bytes(page, "page.html")


@pytest.mark.parametrize("name", ["feed.rss", "dump.jsonl", "crawl.warc.gz"])
def test_files_of_many_articles_are_for_ingest(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('{"text": "<p>a</p><p>b</p><b>c</b></p>"}\n', encoding="utf-8")
    with pytest.raises(IngestError, match="eventwire ingest"):
        read_article(path)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVENTWIRE_MAX_CHARS", "100")
    path = tmp_path / "big.txt"
    path.write_text("word " * 100, encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    with pytest.raises(IngestError, match="too long"):
        read_article(path)


def test_a_failing_html_extractor_is_an_ingest_error(monkeypatch) -> None:
    import trafilatura

    def broken(*args, **kwargs):
        raise ValueError("lxml gave up\non this page")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    with pytest.raises(IngestError, match=r"cannot read the HTML page \(ValueError: lxml gave up"):
        article_from_html("<html><body><p>Police said the road was closed.</p></body></html>")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Police \ud800 arrested two men on Sunday.", "not valid Unicode"),
        ("2024 / 17 -- 3.5 %", "no words"),
        ("Die Polizei hat am Montag in der Stadt zwei Männer festgenommen, die nach Angaben der "
         "Behörden an einem Überfall auf eine Bank beteiligt waren.", "looks like German"),
    ],
)
def test_text_that_is_not_an_english_article_is_refused(text: str, words: str) -> None:
    with pytest.raises(IngestError, match=words):
        article_from_text(text)
