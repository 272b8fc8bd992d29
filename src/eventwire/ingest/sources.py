"""Bulk readers: files, folders, JSONL, RSS/Atom feeds and WARC archives as a stream of articles.

``iter_source`` yields one ``Article`` per article found and one ``Rejected`` per input item that
is not one (a malformed JSONL line, a PDF in a WARC file, ...), in file order, reading as it
goes: nothing reads a whole large file into memory. Every item says where it came from:

* text/HTML files: the file path;
* JSONL: ``path:LINE`` (1-based line number);
* feeds: ``path#N`` (the N-th item or entry of the file, 1-based);
* WARC: ``path@OFFSET`` (byte offset of the record in the file, compressed for .warc.gz;
  ``warcio`` can seek straight to it).

``Rejected.reason`` comes from a small fixed vocabulary (``REASONS``) so that a run can count by
reason; ``Rejected.detail`` keeps the full message. Items skipped on purpose (WARC request,
metadata and warcinfo records, files of other types inside a folder) are not rejected: they are
counted in the ``stats`` dict the caller may pass.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from eventwire.ingest.errors import IngestError
from eventwire.ingest.read import read_article
from eventwire.ingest.text import max_chars
from eventwire.model import Article

FORMATS = ("folder", "text", "html", "jsonl", "feed", "warc")
STDIN = "-"

# The reasons a Rejected carries.
INVALID_JSON = "invalid JSON"
NOT_OBJECT = "not a JSON object"
NO_TEXT = "no text"
NO_ARTICLE_TEXT = "no article text"  # HTML with nothing but boilerplate
EMPTY = "empty"
NOT_HTML = "not HTML"
REDIRECT = "redirect"
HTTP_ERROR = "HTTP error"
BROKEN_RECORD = "broken record"
TRUNCATED = "truncated"
INVALID_XML = "invalid XML"
NOT_A_FEED = "not a feed"
TOO_LONG = "too long"
BINARY = "binary data"
UNDECODABLE = "undecodable"
NOT_FOUND = "not found"
UNREADABLE = "unreadable"
NOT_ENGLISH = "not English"  # detail: the script or language it looks like
INVALID = "invalid input"  # an IngestError no other reason describes
REASONS = (
    INVALID_JSON,
    NOT_OBJECT,
    NO_TEXT,
    NO_ARTICLE_TEXT,
    EMPTY,
    NOT_HTML,
    REDIRECT,
    HTTP_ERROR,
    BROKEN_RECORD,
    TRUNCATED,
    INVALID_XML,
    NOT_A_FEED,
    TOO_LONG,
    BINARY,
    UNDECODABLE,
    NOT_FOUND,
    UNREADABLE,
    NOT_ENGLISH,
    INVALID,
)

# Keys of the stats dict (counts of things skipped without a Rejected).
SKIPPED_FILE = "skipped other files"  # files in a folder that are not of an article format
BLANK_LINE = "skipped blank line"
BAD_DATE = "unparsed date"  # the article is kept without that date
LENGTH_MISMATCH = "record length mismatch"  # a WARC record that did not end where it said


def skipped_record(rec_type: str) -> str:
    """The stats key for WARC records of a type that holds no article ("skipped request record")."""
    return f"skipped {rec_type} record"


@dataclass(frozen=True)
class Rejected:
    """An input item that is not an article, with why."""

    source: str  # "path", "path:LINE", "path#N", "path@OFFSET"
    reason: str  # one of REASONS (the runner counts by it)
    detail: str = ""  # the full message, for people


@dataclass(frozen=True)
class FieldMap:
    """JSONL field names. A dotted name ("meta.url") reaches into nested objects."""

    text: str = "text"
    html: str = "html"
    title: str = "title"
    url: str = "url"
    published: str = "published"
    outlet: str = "outlet"
    id: str | None = None  # when set, the article id is taken from this field


DEFAULT_FIELDS = FieldMap()

_REASON_PREFIXES: tuple[tuple[str, str], ...] = (
    ("empty input", EMPTY),
    ("article too long", TOO_LONG),
    ("not valid utf-8", UNDECODABLE),
    ("cannot decode", UNDECODABLE),
    ("not valid unicode", UNDECODABLE),
    ("not english", NOT_ENGLISH),
    ("no words", NO_TEXT),
    ("no article text", NO_ARTICLE_TEXT),
    ("file not found", NOT_FOUND),
    ("permission denied", UNREADABLE),
    ("is a directory", UNREADABLE),
    ("cannot read", UNREADABLE),
)


def reason_for(err: Exception) -> str:
    """The short reason (one of REASONS) for an error raised while reading an article."""
    if isinstance(err, IngestError):
        text = err.reason.lower()
        for prefix, reason in _REASON_PREFIXES:
            if text.startswith(prefix):
                return reason
        if text.endswith("not text or html"):
            return BINARY
        return INVALID
    if isinstance(err, FileNotFoundError):
        return NOT_FOUND
    if isinstance(err, OSError):
        return UNREADABLE
    return INVALID


def rejected(source: str, err: Exception) -> Rejected:
    """A Rejected for an error, with its short reason and full message."""
    detail = err.reason if isinstance(err, IngestError) else str(err) or type(err).__name__
    reason = reason_for(err)
    if detail.lower().startswith(f"{reason.lower()}: "):  # "not English: ..." says it twice
        detail = detail[len(reason) + 2 :]
    return Rejected(source, reason, detail)


def count(stats: dict[str, int] | None, key: str) -> None:
    if stats is not None:
        stats[key] = stats.get(key, 0) + 1


_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?")


def _from_number(value: float) -> date | None:
    if 1e9 <= value < 1e11:  # seconds since 1970 (2001 to 5138)
        return datetime.fromtimestamp(value, UTC).date()
    if 1e12 <= value < 1e14:  # milliseconds
        return datetime.fromtimestamp(value / 1000, UTC).date()
    return None


def parse_when(value: object) -> date | None:
    """A publication date from what feeds and data dumps write, or None when it is not one.

    Accepts ISO 8601 dates and times, RFC 822 dates (RSS ``pubDate``), GDELT's compact
    ``YYYYMMDD[hhmmss]`` and Unix times in seconds or milliseconds. A time keeps the calendar
    date it was written in (no conversion to UTC).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        digits = str(int(value))
        if len(digits) in (8, 14):
            return parse_when(digits)
        return _from_number(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    match = _COMPACT.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return _from_number(int(text))
    if text.isdigit():
        return _from_number(int(text))
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            result = parse(text)
        except ValueError:
            continue
        return result.date() if isinstance(result, datetime) else result
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def with_published(article: Article, published: date | None) -> Article:
    """The article with ``published`` as its date when it has none of its own."""
    if published is None or article.published is not None:
        return article
    return article.model_copy(update={"published": published})


_FEED_PROLOG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]",
    re.DOTALL,
)
_SNIFF = 8192


def _head(path: Path, size: int = _SNIFF) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def looks_like_feed(path: Path) -> bool:
    """True when the file's root element is <rss>, <feed> (Atom) or <rdf:RDF> (RSS 1.0)."""
    return _FEED_PROLOG.match(_head(path)) is not None


def _by_suffix(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
        return "jsonl"
    if name.endswith((".warc", ".warc.gz", ".wet", ".wet.gz")):
        return "warc"
    if name.endswith((".rss", ".atom")):
        return "feed"
    if name.endswith(".xml"):
        return "feed" if looks_like_feed(path) else None
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith(".txt"):
        return "text"
    return None


def _sniff(path: Path) -> str:
    head = _head(path, 4096)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 64)
        except zlib.error:
            return "text"
        if head.startswith(b"WARC/"):
            return "warc"
        return "jsonl" if head.lstrip().startswith(b"{") else "text"
    if head.startswith(b"WARC/"):
        return "warc"
    if _FEED_PROLOG.match(head):
        return "feed"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "jsonl"
    return "text"


def detect_format(path: Path) -> str:
    """The format to read ``path`` as: "folder", "text", "html", "jsonl", "feed" or "warc".

    The name decides (.jsonl/.ndjson[.gz], .warc[.gz]/.wet[.gz], .rss/.atom, .xml when its root
    is a feed, .txt, .html/.htm); a file with another name is sniffed from its first bytes.
    An .xml file that is not a feed is "feed" too, so that reading it says "not a feed".
    """
    path = Path(path)
    if str(path) == STDIN:
        return "text"
    if path.is_dir():
        return "folder"
    fmt = _by_suffix(path)
    if fmt:
        return fmt
    if path.name.lower().endswith(".xml"):
        return "feed"
    return _sniff(path) if path.is_file() else "text"


def _walk(folder: Path) -> Iterator[Path]:
    """The files under ``folder``, recursively, in sorted path order, hidden names left out.

    Reads one directory at a time, so a tree of a million files is never listed at once.
    Links to folders are not followed (no loops).
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path))
            elif entry.is_file():
                yield Path(entry.path)
        except OSError:
            continue


def _read_file(path: Path, published: date | None) -> Article | Rejected:
    name = str(path)
    if name != STDIN:
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            return Rejected(name, NOT_FOUND, "file not found")
        except OSError as err:
            return rejected(name, err)
        # A character takes at most 4 bytes: a bigger file cannot be under the limit.
        if size > 4 * max_chars():
            return Rejected(name, TOO_LONG, f"file of {size:,} bytes")
    try:
        article = read_article(path)
    except (IngestError, OSError) as err:
        return rejected(name, err)
    return with_published(article, published)


def _iter_file(
    path: Path,
    fmt: str,
    fields: FieldMap,
    published: date | None,
    stats: dict[str, int] | None,
) -> Iterator[Article | Rejected]:
    if fmt == "jsonl":
        from eventwire.ingest.jsonl import iter_jsonl

        yield from iter_jsonl(path, fields=fields, published=published, stats=stats)
    elif fmt == "feed":
        from eventwire.ingest.feeds import iter_feed

        yield from iter_feed(path, published=published, stats=stats)
    elif fmt == "warc":
        from eventwire.ingest.warc import iter_warc

        yield from iter_warc(path, published=published, stats=stats)
    elif fmt in ("text", "html"):
        yield _read_file(path, published)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _files(
    path: Path, fmt: str | None, stats: dict[str, int] | None, seen: set[str]
) -> Iterator[tuple[Path, str] | Rejected]:
    if fmt is not None and fmt not in FORMATS and fmt != "auto":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt in ("auto", "folder"):
        fmt = None
    path = Path(path)
    if str(path) == STDIN:
        yield path, fmt or "text"
        return
    if path.is_dir():
        for file in _walk(path):
            key = str(file.resolve())
            if key in seen:
                continue
            seen.add(key)
            file_fmt = fmt or _by_suffix(file)
            if file_fmt is None:
                count(stats, SKIPPED_FILE)
            else:
                yield file, file_fmt
        return
    if not path.exists():
        yield Rejected(str(path), NOT_FOUND, "file not found")
        return
    key = str(path.resolve())
    if key not in seen:
        seen.add(key)
        yield path, fmt or detect_format(path)


def source_files(
    paths: Iterable[Path | str],
    fmt: str | None = None,
    *,
    stats: dict[str, int] | None = None,
) -> Iterator[tuple[Path, str] | Rejected]:
    """The files ``iter_sources`` reads, in its order, each with the format it reads it as.

    Folders are expanded and files named twice appear once; a missing path is a Rejected.
    ``iter_source(file, file_fmt)`` over the pairs yields exactly what ``iter_sources`` does,
    so that files can be read in parallel and the results put back in order.
    """
    seen: set[str] = set()
    for path in paths:
        yield from _files(Path(path), fmt, stats, seen)


def _read(
    found: Iterator[tuple[Path, str] | Rejected],
    fields: FieldMap,
    published: date | None,
    stats: dict[str, int] | None,
) -> Iterator[Article | Rejected]:
    for entry in found:
        if isinstance(entry, Rejected):
            yield entry
        else:
            yield from _iter_file(entry[0], entry[1], fields, published, stats)


def iter_source(
    path: Path,
    fmt: str | None = None,
    *,
    fields: FieldMap = FieldMap(),
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[Article | Rejected]:
    """The articles in a file or folder, and a Rejected for each item that is not one.

    ``fmt`` None (or "auto") detects the format with ``detect_format``; a folder is read
    recursively in sorted order, each file by its own format (files of other types are
    skipped and counted). An explicit ``fmt`` other than "folder" reads every file as that
    format. ``fields`` names the JSONL fields. ``published`` is the date of articles that have
    none of their own. ``stats``, when given, counts what was skipped without a Rejected
    (keys: ``skipped_record(type)``, SKIPPED_FILE, BLANK_LINE, BAD_DATE, LENGTH_MISMATCH).
    """
    return _read(_files(Path(path), fmt, stats, set()), fields, published, stats)


def iter_sources(
    paths: Iterable[Path | str],
    fmt: str | None = None,
    *,
    fields: FieldMap = FieldMap(),
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[Article | Rejected]:
    """``iter_source`` over many paths, in the order given; a file named twice is read once."""
    return _read(source_files(paths, fmt, stats=stats), fields, published, stats)
