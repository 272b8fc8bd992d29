"""Reading articles from files, stdin and strings, deciding between plain text and HTML."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from eventwire.ingest.decode import decode_bytes
from eventwire.ingest.errors import IngestError
from eventwire.ingest.html import article_from_html, looks_like_html
from eventwire.ingest.text import MAX_CHARS_ENV, article_from_text, max_chars
from eventwire.model import Article

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
# Files that hold many articles: read by ``eventwire ingest`` (``iter_source``), not here.
BULK_SUFFIXES = (".jsonl", ".ndjson", ".warc", ".warc.gz", ".wet", ".wet.gz", ".rss", ".atom")
STDIN = "-"


def make_article(text_or_html: str, **meta) -> Article:
    """An Article from a string that is either plain text or an HTML page.

    ``meta`` may give title, published, url, outlet and source; for HTML they override what the
    page says about itself.
    """
    if not isinstance(text_or_html, str):
        raise TypeError(f"expected str, got {type(text_or_html).__name__}")
    if looks_like_html(text_or_html):
        meta.pop("language", None)
        return article_from_html(text_or_html, **meta)
    return article_from_text(text_or_html, **meta)


def article_from_bytes(
    data: bytes,
    *,
    source: str | None = None,
    published: date | str | None = None,
    html_hint: bool = False,
) -> Article:
    """An Article from the raw bytes of a file. The content decides between text and HTML; a
    .html name (``html_hint``) only tips the balance for fragments with a few tags."""
    if not data.strip():
        raise IngestError("empty input: no text to analyse", source)
    text = decode_bytes(data, source)
    if looks_like_html(text) or (html_hint and "<" in text and "</" in text):
        return article_from_html(text, published=published, source=source)
    return article_from_text(text, published=published, source=source)


def _too_large(size: int, source: str) -> IngestError:
    return IngestError(
        f"article too long (over {size:,} bytes; the limit is {max_chars():,} characters: "
        f"give --max-article-chars or set {MAX_CHARS_ENV} to change it)",
        source,
    )


def read_article(path: str | Path, published: date | None = None) -> Article:
    """Read one article from a .txt or .html file, or from stdin when ``path`` is "-".

    A file that cannot be under the size limit (a character takes at most 4 bytes) is refused
    before it is read, so that a 50 MB download costs nothing.
    """
    name = str(path)
    most = 4 * max_chars()
    if name == STDIN:
        data = sys.stdin.buffer.read(most + 1)
        if len(data) > most:
            raise _too_large(most, "<stdin>")
        return article_from_bytes(data, source="<stdin>", published=published)
    file = Path(path)
    if file.name.lower().endswith(BULK_SUFFIXES):
        raise IngestError(
            "a file of many articles (JSONL, WARC or feed): read it with 'eventwire ingest'", name
        )
    try:
        if file.is_file() and file.stat().st_size > most:
            raise _too_large(most, name)
        data = file.read_bytes()
    except FileNotFoundError:
        raise IngestError("file not found", name) from None
    except IsADirectoryError:
        raise IngestError("is a directory, not an article file", name) from None
    except PermissionError:
        raise IngestError("permission denied", name) from None
    except OSError as err:
        raise IngestError(f"cannot read: {err.strerror or err}", name) from None
    return article_from_bytes(
        data, source=name, published=published, html_hint=file.suffix.lower() in HTML_SUFFIXES
    )
