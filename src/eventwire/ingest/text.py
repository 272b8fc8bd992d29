"""Plain text to an Article: the text is kept exactly as given, because every span indexes into it.

A short first line followed by a blank line is taken as the headline (it stays in the text).
Text that cannot be an English news article (empty, binary, over the size limit, not valid
Unicode, no words at all, another language) is refused here with an ``IngestError``, so that
every path in (files, JSONL, feeds, WARC, the Python API, the HTTP API) refuses it the same way.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from eventwire.ingest.errors import IngestError
from eventwire.ingest.language import non_english_reason
from eventwire.limits import DEFAULT_MAX_ARTICLE_CHARS, MAX_CHARS_ENV, Limits
from eventwire.model import Article, stable_id

DEFAULT_MAX_CHARS = DEFAULT_MAX_ARTICLE_CHARS
HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 30

_FIRST_LINE = re.compile(r"\A[ \t]*(?:\r?\n[ \t]*)*([^\r\n]+?)[ \t]*\r?\n[ \t]*\r?\n\s*\S")
# Lines that open many articles but are not headlines: bylines, bare dates and timestamps.
_NOT_HEADLINE = re.compile(
    r"^(?:by\s|updated\b|published\b|last updated\b|posted\b"
    r"|\d{1,2}[:.]\d{2}\b|\d{4}-\d{2}-\d{2}\b)",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
# Lone surrogates: a str can hold them (JSON "\\ud800", Python escapes), UTF-8 cannot.
_SURROGATE = re.compile("[\ud800-\udfff]")


def max_chars() -> int:
    """The largest article accepted, in characters ($EVENTWIRE_MAX_CHARS, default 1,000,000)."""
    return Limits.from_env().max_article_chars


def parse_date(value: date | datetime | str | None) -> date | None:
    """A publication date from a date, a datetime or an ISO string (YYYY-MM-DD[THH:MM...])."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise IngestError(f"not a date (expected YYYY-MM-DD): {value!r}") from None


def normalise_for_id(text: str) -> str:
    """The text as the article id sees it: NFC, runs of white space as one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str, url: str | None = None) -> str:
    """The stable id of an article: the same text (and url) gives the same id on every run."""
    return stable_id(normalise_for_id(text), url)


def headline(text: str) -> str | None:
    """The first line when it is a short headline followed by a blank line, else None."""
    match = _FIRST_LINE.match(text)
    if not match:
        return None
    line = match.group(1).strip()
    if (
        len(line) > HEADLINE_MAX_CHARS
        or len(line.split()) > HEADLINE_MAX_WORDS
        or line.endswith((".", ",", ";", ":"))
        or _NOT_HEADLINE.match(line)
        or not any(ch.isalpha() for ch in line)
    ):
        return None
    return line


def check_size(text: str, source: str | None = None, limit: int | None = None) -> None:
    """Refuse text longer than ``limit`` characters (default: the configured limit)."""
    limit = max_chars() if limit is None else limit
    if len(text) > limit:
        raise IngestError(
            f"article too long ({len(text):,} characters; the limit is {limit:,}: "
            f"give --max-article-chars or set {MAX_CHARS_ENV} to change it)",
            source,
        )


def check_text(text: str, source: str | None = None) -> None:
    """Refuse text that is empty, binary, larger than the configured limit, not valid Unicode
    or without a single letter."""
    if not text.strip():
        raise IngestError("empty input: no text to analyse", source)
    if "\x00" in text:
        raise IngestError("binary data, not text or HTML", source)
    check_size(text, source)
    bad = _SURROGATE.search(text)
    if bad:
        raise IngestError(
            f"not valid Unicode (a lone surrogate U+{ord(bad.group()):04X} at character "
            f"{bad.start()})",
            source,
        )
    if not any(ch.isalpha() for ch in text):
        raise IngestError("no words: only digits, punctuation and symbols", source)


def check_language(text: str, source: str | None = None) -> None:
    """Refuse text that is clearly not English, unless the language setting is "any"."""
    reason = non_english_reason(text)
    if reason:
        raise IngestError(reason, source)


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    published: date | str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    source: str | None = None,
    language: str = "en",
) -> Article:
    """An Article from plain text, kept exactly as given."""
    check_text(text, source)
    check_language(text, source)
    return Article(
        id=article_id(text, url),
        title=title if title is not None else headline(text),
        published=parse_date(published),
        outlet=outlet,
        url=url,
        language=language,
        source=source,
        text=text,
    )
