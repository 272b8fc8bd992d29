"""JSONL (NDJSON) files as articles: one JSON object a line, read a line at a time.

Each object gives the article as plain text or as HTML, and optionally its title, url,
publication date, outlet and id; ``FieldMap`` names those fields. Text wins over HTML when a
line has both. A line that is not JSON, not an object, has no text or is longer than
``MAX_LINE_BYTES`` becomes a ``Rejected`` with source ``path:LINE``; blank lines are skipped.
``.jsonl.gz`` files are decompressed on the fly and "-" reads stdin.
"""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from eventwire.ingest.errors import IngestError
from eventwire.ingest.html import article_from_html
from eventwire.ingest.read import make_article
from eventwire.ingest.sources import (
    BAD_DATE,
    BLANK_LINE,
    BROKEN_RECORD,
    DEFAULT_FIELDS,
    EMPTY,
    INVALID_JSON,
    NO_TEXT,
    NOT_FOUND,
    NOT_OBJECT,
    TOO_LONG,
    TRUNCATED,
    UNDECODABLE,
    FieldMap,
    Rejected,
    count,
    parse_when,
    rejected,
    with_published,
)
from eventwire.ingest.text import max_chars
from eventwire.model import Article

_READ = 1 << 20


def max_line_bytes() -> int:
    """The longest line read: room for an HTML page at the article length limit, and metadata."""
    return 4 * max_chars() + _READ


@contextmanager
def _open(path: Path) -> Iterator[IO[bytes]]:
    if str(path) == "-":
        yield sys.stdin.buffer
    elif path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            yield fh
    else:
        with open(path, "rb", buffering=_READ) as fh:
            yield fh


def _lines(fh: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """The lines of a file; None for a line longer than ``limit`` (its bytes are skipped)."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of the long line without holding it
                rest = fh.readline(_READ)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
        else:
            yield line


def _get(obj: dict[str, Any], name: str) -> Any:
    if name in obj:
        return obj[name]
    if "." in name:
        value: Any = obj
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value
    return None


def _meta(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None


def record_to_article(
    record: dict[str, Any],
    source: str,
    *,
    fields: FieldMap = DEFAULT_FIELDS,
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Article | Rejected:
    """One JSON object as an Article, or a Rejected saying why it is not one."""
    text = _get(record, fields.text)
    html = _get(record, fields.html)
    raw_date = _get(record, fields.published)
    when = parse_when(raw_date)
    if when is None and raw_date not in (None, ""):
        count(stats, BAD_DATE)
    meta = {
        "title": _meta(_get(record, fields.title)),
        "url": _meta(_get(record, fields.url)),
        "outlet": _meta(_get(record, fields.outlet)),
        "published": when,
        "source": source,
    }
    try:
        if isinstance(text, str) and text.strip():
            article = make_article(text, **meta)
        elif isinstance(html, str) and html.strip():
            article = article_from_html(html, **meta)
        else:
            return Rejected(source, NO_TEXT, f"no {fields.text!r} or {fields.html!r} string")
    except IngestError as err:
        return rejected(source, err)
    article = with_published(article, published)
    if fields.id:
        given = _meta(_get(record, fields.id))
        if given:
            article = article.model_copy(update={"id": given})
    return article


def iter_jsonl(
    path: Path,
    *,
    fields: FieldMap = DEFAULT_FIELDS,
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[Article | Rejected]:
    """The articles of a JSONL file, one per line, and a Rejected per line that is not one."""
    path = Path(path)
    name = str(path)
    limit = max_line_bytes()
    lineno = 0
    content = False  # a line that is not blank was seen
    try:
        with _open(path) as fh:
            for line in _lines(fh, limit):
                lineno += 1
                source = f"{name}:{lineno}"
                if line is None:
                    content = True
                    yield Rejected(source, TOO_LONG, f"line longer than {limit:,} bytes")
                    continue
                if not line.strip():
                    count(stats, BLANK_LINE)
                    continue
                content = True
                try:
                    record = json.loads(line)
                except UnicodeDecodeError as err:
                    yield Rejected(source, UNDECODABLE, str(err))
                    continue
                except ValueError as err:
                    yield Rejected(source, INVALID_JSON, str(err))
                    continue
                if not isinstance(record, dict):
                    yield Rejected(source, NOT_OBJECT, f"a JSON {type(record).__name__}")
                    continue
                yield record_to_article(
                    record, source, fields=fields, published=published, stats=stats
                )
    except FileNotFoundError:
        yield Rejected(name, NOT_FOUND, "file not found")
    except EOFError as err:
        yield Rejected(f"{name}:{lineno + 1}", TRUNCATED, str(err) or "compressed file cut short")
    except (gzip.BadGzipFile, zlib.error) as err:
        yield Rejected(f"{name}:{lineno + 1}", BROKEN_RECORD, str(err))
    except OSError as err:
        yield rejected(name, err)
    else:
        if not content:  # said once for the file, which would otherwise pass unnoticed
            yield Rejected(name, EMPTY, "empty file" if not lineno else "only blank lines")
