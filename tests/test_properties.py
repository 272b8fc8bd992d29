"""Property tests: whatever comes in, the readers and the extractor answer in their contract.

* readers: any bytes or text give an ``Article`` or a one-line refusal (``IngestError`` for one
  input, ``Rejected`` items for a bulk file), never another exception;
* extractor: any text gives an ``Analysis`` that validates against ``analysis_schema()``, with
  every span inside the text and every span's text equal to the slice it names.

Examples are few (hypothesis' shrinking finds the small case when one fails) and deadlines off:
a parse takes a few milliseconds, more on a slow machine.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from eventwire import nlp
from eventwire.ingest import IngestError, article_from_bytes, make_article
from eventwire.ingest.html import looks_like_html
from eventwire.ingest.sources import Rejected, iter_source
from eventwire.model import Analysis, Article, analysis_schema
from eventwire.pipeline import analyze

# No example database: a failure prints its example, and the checkout stays clean.
FEW = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Words that set the stages going: actors, places, dates, numbers, event verbs, attribution.
NEWS_WORDS = (
    "the", "police", "army", "troops", "protesters", "president", "minister", "Russia",
    "Ukraine", "France", "China", "Kyiv", "Paris", "Beijing", "the United Nations", "NATO",
    "arrested", "shelled", "met", "signed", "an agreement", "condemned", "protested",
    "killed", "sanctions", "aid", "on Monday", "last week", "in March 2024", "yesterday",
    "12", "3,000", "five", "people", "tonnes", "of grain", "said", "according to",
    "officials", "told Reuters", "denied", "may", "will", "not", "in", "near", "and",
    "\u201c", "\u201d", "'", "(", ")", "-", "Dr.", "U.S.", "\u00e9", "\u4e2d",
)  # fmt: skip
SEPARATORS = (" ", " ", " ", ", ", ". ", ".\n\n", "\n", " - ", ": ", "; ", "  ", "\t")


@st.composite
def news_like(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(NEWS_WORDS), min_size=1, max_size=60))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(SEPARATORS)) + word
    return text + draw(st.sampled_from(("", ".", "\n")))


ANY_TEXT = st.one_of(
    st.text(max_size=300),
    news_like(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
)
TAGS = ("p", "div", "article", "span", "h1", "script", "style", "nav", "b", "li", "table")


@st.composite
def html_like(draw: st.DrawFn) -> str:
    def element(depth: int) -> str:
        tag = draw(st.sampled_from(TAGS))
        if depth > 3 or draw(st.booleans()):
            inner = draw(st.one_of(news_like(), st.text(max_size=40)))
        else:
            inner = "".join(element(depth + 1) for _ in range(draw(st.integers(1, 3))))
        closed = draw(st.integers(0, 9)) > 0  # now and then an unclosed tag
        return f"<{tag}>{inner}" + (f"</{tag}>" if closed else "")

    body = "".join(element(0) for _ in range(draw(st.integers(1, 4))))
    return draw(
        st.sampled_from(("<html><body>{}</body></html>", "{}", "<!doctype html>{}"))
    ).format(body)


def _article_or_refusal(make: Any, *args: Any) -> Article | None:
    try:
        article = make(*args)
    except IngestError as err:
        assert err.reason and "\n" not in str(err)
        return None
    assert isinstance(article, Article) and article.text.strip()
    return article


# -- readers -----------------------------------------------------------------------------------


@FEW
@given(st.binary(max_size=400))
def test_any_bytes_are_an_article_or_one_refusal(data: bytes) -> None:
    _article_or_refusal(lambda d: article_from_bytes(d, source="x"), data)


@FEW
@given(ANY_TEXT, st.sampled_from(("utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig")))
def test_encoded_text_is_an_article_or_one_refusal(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    _article_or_refusal(lambda d: article_from_bytes(d, source="x"), data)


@FEW
@given(ANY_TEXT)
def test_plain_text_is_kept_as_given(text: str) -> None:
    article = _article_or_refusal(make_article, text)
    if article is not None and not looks_like_html(text):
        assert article.text == text


@FEW
@given(html_like())
def test_any_html_is_an_article_or_one_refusal(page: str) -> None:
    _article_or_refusal(make_article, page)


def _lines() -> st.SearchStrategy[bytes]:
    record = st.dictionaries(
        st.sampled_from(("text", "html", "title", "url", "published", "outlet", "id")),
        st.one_of(ANY_TEXT, st.integers(), st.none(), st.lists(st.integers(), max_size=2)),
        max_size=4,
    ).map(lambda d: json.dumps(d).encode())
    return st.one_of(record, st.binary(max_size=60), st.just(b""), st.just(b'{"text": "cut'))


def _read_all(data: bytes, suffix: str, fmt: str) -> list[Article | Rejected]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(iter_source(path, fmt))
    for item in items:
        assert isinstance(item, Article | Rejected)
        if isinstance(item, Rejected):
            assert item.reason and item.source.startswith(str(path))
    return items


@FEW
@given(st.lists(_lines(), max_size=6))
def test_any_jsonl_file_gives_articles_and_rejects(lines: list[bytes]) -> None:
    items = _read_all(b"\n".join(lines), ".jsonl", "jsonl")
    assert items  # an empty file is a reject too


@FEW
@given(st.lists(st.one_of(news_like().map(str.encode), st.binary(max_size=40),
                          st.sampled_from((b"<item>", b"</item>", b"<description>",
                                           b"</description>", b"&amp;", b"&bogus;", b"<![CDATA[",
                                           b"]]>", b"</channel>", b"</rss>"))),
                max_size=12))  # fmt: skip
def test_any_feed_file_gives_articles_and_rejects(parts: list[bytes]) -> None:
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    _read_all(head + b"".join(parts), ".rss", "feed")


@FEW
@given(st.binary(max_size=300), st.booleans())
def test_any_warc_file_gives_articles_and_rejects(data: bytes, header: bool) -> None:
    if header:
        data = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\n" + data
    _read_all(data, ".warc", "warc")


# -- the extractor -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    nlp.load()
    return Draft202012Validator(analysis_schema())


def _spans(node: Any, text: str) -> int:
    """Check every span under ``node``; returns how many were checked."""
    checked = 0
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("span") and value is not None:
                start, end = value
                assert 0 <= start <= end <= len(text), (key, value)
                if key == "span" and isinstance(node.get("text"), str):
                    assert text[start:end] == node["text"], node
                checked += 1
        if {"start", "end", "text"} <= node.keys():  # evidence
            assert 0 <= node["start"] <= node["end"] <= len(text)
            assert text[node["start"] : node["end"]] == node["text"]
            checked += 1
        checked += sum(_spans(value, text) for value in node.values())
    elif isinstance(node, list):
        checked += sum(_spans(value, text) for value in node)
    return checked


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=ANY_TEXT, published=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 1, 1))))
def test_any_text_gives_a_valid_analysis_anchored_in_it(
    validator: Draft202012Validator, text: str, published: date | None
) -> None:
    if not text.strip():
        with pytest.raises(IngestError):
            analyze(Article(id="p", text=text))
        return
    # An Article is analysed as given: no language check, so the extractor sees every text.
    analysis = analyze(Article(id="p", text=text, published=published))
    data = json.loads(analysis.model_dump_json())
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, errors[0].message
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis
    _spans(data, text)
