"""WARC and WARC.gz files (Common Crawl News, Heritrix, wget) as articles, read with ``warcio``.

HTTP ``response`` records (and ``resource`` records) whose payload is HTML become articles: the
url from WARC-Target-URI, the date from the page or else from WARC-Date. ``conversion``
records of plain text (WET files) become plain-text articles. Records that never hold an
article (request, metadata, warcinfo, revisit, ...) are skipped and counted in ``stats``.
A response that is not HTML, a redirect, an HTTP error, an empty or truncated payload, or a
record warcio cannot parse becomes a ``Rejected`` with source ``path@OFFSET``. After a broken
record the reader looks for the next record start (the next gzip member of a .warc.gz, the next
``WARC/1.x`` line of a plain WARC) and goes on from there, so one bad record loses only itself.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from eventwire.ingest.decode import decode_bytes
from eventwire.ingest.errors import IngestError
from eventwire.ingest.html import article_from_html, looks_like_html
from eventwire.ingest.sources import (
    BINARY,
    BROKEN_RECORD,
    EMPTY,
    HTTP_ERROR,
    LENGTH_MISMATCH,
    NOT_FOUND,
    NOT_HTML,
    REDIRECT,
    TOO_LONG,
    TRUNCATED,
    Rejected,
    count,
    parse_when,
    rejected,
    skipped_record,
    with_published,
)
from eventwire.ingest.text import article_from_text, max_chars
from eventwire.model import Article

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Payload types that say nothing: the bytes decide.
UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "unk", "unknown", "application/unknown"})
CONTENT_RECORDS = ("response", "resource", "conversion")
RECORD_TYPES = frozenset(
    {*CONTENT_RECORDS, "warcinfo", "request", "metadata", "revisit", "continuation"}
)

_SCAN = 1 << 20
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = b"WARC/1."
# A WARC header inside a payload: the record's Content-Length is too long.
_NEXT_RECORD = re.compile(rb"\r\n\r\nWARC/1\.[01]\r\n[A-Za-z-]+:")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _decode(body: bytes, content_type: str | None, source: str) -> str:
    """The payload as text: BOM, UTF-8 or the page's declared charset, else the HTTP charset."""
    try:
        return decode_bytes(body, source)
    except IngestError as err:
        match = _CHARSET.search(content_type or "")
        if match is None or err.reason.endswith("not text or HTML"):
            raise
        try:
            return body.decode(match.group(1))
        except (LookupError, UnicodeDecodeError):
            raise err from None


def record_to_article(
    record: ArcWarcRecord,
    source: str,
    *,
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Article | Rejected | None:
    """One warcio record as an Article, a Rejected, or None for a record that holds no article."""
    rec_type = record.rec_type or ""
    if rec_type not in RECORD_TYPES:
        return Rejected(source, BROKEN_RECORD, f"unknown WARC-Type {rec_type[:40]!r}")
    if rec_type not in CONTENT_RECORDS:
        count(stats, skipped_record(rec_type))
        return None
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or None
    content_type = record.content_type
    if rec_type == "response":
        http = record.http_headers
        if http is None:
            return Rejected(source, NOT_HTML, f"not an HTTP response ({_mime(content_type)})")
        status = http.get_statuscode() or ""
        if status.startswith("3"):
            return Rejected(source, REDIRECT, f"HTTP {status}")
        if not status.startswith("2"):
            return Rejected(source, HTTP_ERROR, f"HTTP {status or 'status missing'}")
        content_type = http.get_header("Content-Type")
    mime = _mime(content_type)
    if mime in UNKNOWN_TYPES:
        mime = _mime(headers.get_header("WARC-Identified-Payload-Type"))
    plain = rec_type == "conversion" and mime in ("text/plain", *UNKNOWN_TYPES)
    if not plain and mime not in HTML_TYPES and mime not in UNKNOWN_TYPES:
        return Rejected(source, NOT_HTML, mime)
    limit = 4 * max_chars()
    stream = record.content_stream()
    body = stream.read(limit + 1)
    if len(body) > limit:
        return Rejected(source, TOO_LONG, f"payload over {limit:,} bytes")
    raw = record.raw_stream
    while raw.read(_SCAN):  # what a chunked or compressed payload leaves after its end
        pass
    if getattr(raw, "limit", 0) > 0:
        return Rejected(source, TRUNCATED, "the record ends before its Content-Length")
    if _NEXT_RECORD.search(body):
        return Rejected(source, BROKEN_RECORD, "the payload runs into the next record")
    if not body.strip():
        return Rejected(source, EMPTY, "empty payload")
    try:
        text = _decode(body, content_type, source)
        if plain:
            article = article_from_text(text, url=url, source=source)
        elif mime in HTML_TYPES or looks_like_html(text):
            article = article_from_html(text, url=url, source=source)
        else:
            return Rejected(source, NOT_HTML, mime or "no content type, and not HTML")
    except IngestError as err:
        result = rejected(source, err)
        if result.reason == BINARY:  # declared HTML, but a PDF or an image
            return Rejected(source, NOT_HTML, result.detail)
        return result
    article = with_published(article, parse_when(headers.get_header("WARC-Date")))
    return with_published(article, published)


def _is_gzip(fh: IO[bytes]) -> bool:
    fh.seek(0)
    return fh.read(2) == b"\x1f\x8b"


def _starts_record(fh: IO[bytes], offset: int, gz: bool) -> bool:
    """True when a WARC record (or a gzip member holding one) begins at ``offset``."""
    here = fh.tell()
    try:
        if gz:
            fh.seek(offset)
            try:
                head = zlib.decompressobj(31).decompress(fh.read(4096), 16)
            except zlib.error:
                return False
            return head.startswith(b"WARC/")
        fh.seek(max(offset - 1, 0))
        head = fh.read(12 if offset else 11)
        if offset:
            if head[:1] != b"\n":
                return False
            head = head[1:]
        return re.match(rb"WARC/1\.[01]\r?\n", head) is not None
    finally:
        fh.seek(here)


def _next_record_start(fh: IO[bytes], start: int, gz: bool) -> int | None:
    """The offset of the first record that begins at or after ``start``, or None."""
    try:
        return _scan(fh, start, gz)
    except (OSError, EOFError, zlib.error):  # a gzip stream that cannot be read further
        return None


def _scan(fh: IO[bytes], start: int, gz: bool) -> int | None:
    signature = _GZIP_MEMBER if gz else _WARC_LINE
    fh.seek(start)
    offset = start  # file offset of the first byte of ``data``
    data = b""
    while True:
        chunk = fh.read(_SCAN)
        if not chunk:
            return None
        data += chunk
        found = data.find(signature)
        while found >= 0:
            if _starts_record(fh, offset + found, gz):
                return offset + found
            found = data.find(signature, found + 1)
        keep = len(signature) - 1
        offset += len(data) - keep
        data = data[-keep:]


def _describe(err: Exception) -> str:
    text = " ".join(str(err).split())
    if "non-chunked gzip" in text:
        return "not one gzip member per record (`warcio recompress` fixes the file)"
    return f"{type(err).__name__}: {text[:200]}" if text else type(err).__name__


class _OneGzipStream(Exception):
    """The .warc.gz is one gzip stream, not one member per record: it must be read as a stream."""

    def __init__(self, seen: int) -> None:
        super().__init__(seen)
        self.seen = seen  # records already handled


class _Gunzip(io.RawIOBase):
    """A one-stream .gz file read as far as it goes: a cut file gives its data, then the end
    (``GzipFile`` raises instead and loses the last block), and ``truncated`` says so."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = gzip.open(path, "rb")
        self.truncated: Exception | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._file.tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.truncated = None
        return self._file.seek(offset, whence)

    def read(self, size: int = -1) -> bytes:
        parts: list[bytes] = []
        wanted = size if size >= 0 else 1 << 62
        while wanted > 0 and self.truncated is None:
            try:
                part = self._file.read1(min(wanted, _SCAN))
            except (EOFError, zlib.error, OSError) as err:
                self.truncated = err
                break
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def _read_archive(
    fh: IO[bytes],
    name: str,
    *,
    gz: bool,
    size: int | None,
    skip: int,
    published: date | None,
    stats: dict[str, int] | None,
) -> Iterator[Article | Rejected]:
    """The items of an open archive, going on after broken records; ``skip`` records first."""
    seen = 0
    last: Article | Rejected | None = None
    position: int | None = 0
    while position is not None:
        fh.seek(position)
        archive = ArchiveIterator(fh)
        records = iter(archive)
        try:
            while True:
                # warcio prints a warning on stderr for a record whose length is off.
                warnings = io.StringIO()
                with contextlib.redirect_stderr(warnings):
                    record = next(records, None)
                if warnings.getvalue():
                    count(stats, LENGTH_MISMATCH)
                if record is None:
                    position = None
                    break
                seen += 1
                if seen <= skip:
                    continue
                if record.format != "warc":
                    # warcio reads lines of other text as ARC records: not an archive here.
                    raise ValueError(f"not a WARC record ({record.format} format)")
                item = record_to_article(
                    record, f"{name}@{archive.offset}", published=published, stats=stats
                )
                if item is not None:
                    last = item
                    yield item
        except Exception as err:  # warcio raises many kinds of errors on damaged input
            if gz and "non-chunked gzip" in str(err):
                raise _OneGzipStream(seen) from err
            broken = max(archive.offset, 0)
            position = _next_record_start(fh, broken + 1, gz)
            cut = position is None and isinstance(fh, _Gunzip) and fh.truncated is not None
            yield Rejected(f"{name}@{broken}", TRUNCATED if cut else BROKEN_RECORD, _describe(err))
            continue
        stopped = archive.offset
        if isinstance(fh, _Gunzip):
            cut_record = isinstance(last, Rejected) and last.reason == TRUNCATED
            if fh.truncated is not None and not cut_record:
                yield Rejected(f"{name}@{stopped}", TRUNCATED, _describe(fh.truncated))
            elif fh.read(1):
                yield Rejected(f"{name}@{stopped}", BROKEN_RECORD, "unreadable rest of file")
        elif size is not None and stopped < size:
            # warcio stops quietly where a record's headers end early: at the end of a cut
            # file, or before a damaged gzip member.
            position = _next_record_start(fh, stopped + 1, gz)
            if position is None:
                yield Rejected(f"{name}@{stopped}", TRUNCATED, "the file ends inside a record")
            else:
                yield Rejected(f"{name}@{stopped}", BROKEN_RECORD, "record headers cut short")


def iter_warc(
    path: Path,
    *,
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[Article | Rejected]:
    """The articles of a WARC or WARC.gz file, a Rejected per content record that is not one.

    A .warc.gz compressed as one gzip stream rather than one member per record (not what
    crawlers write, but what ``gzip file.warc`` makes) is read as a stream; its offsets are
    then positions in the decompressed data.
    """
    path = Path(path)
    name = str(path)
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        yield Rejected(name, NOT_FOUND, "file not found")
        return
    except OSError as err:
        yield rejected(name, err)
        return
    with fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            yield Rejected(name, EMPTY, "empty file")
            return
        gz = _is_gzip(fh)
        kw = {"published": published, "stats": stats}
        try:
            yield from _read_archive(fh, name, gz=gz, size=size, skip=0, **kw)
            return
        except _OneGzipStream as whole:
            seen = whole.seen
    with _Gunzip(path) as stream:
        yield from _read_archive(stream, name, gz=False, size=None, skip=seen, **kw)
