"""ingest: turn a source (plain text, an HTML page, a file, stdin) into an ``Article``.

Plain text is kept exactly as given, since every span indexes into it; HTML goes through a
boilerplate remover. The article id is a hash of the normalised text (and url), stable across
runs. Every refusal is an ``IngestError`` with a one-line reason.

Bulk sources (folders, JSONL, RSS/Atom feeds, WARC files) stream through ``iter_source``, which
yields Articles and ``Rejected`` items (see ``eventwire.ingest.sources``).
"""

from eventwire.ingest.decode import decode_bytes
from eventwire.ingest.errors import IngestError
from eventwire.ingest.html import article_from_html, looks_like_html
from eventwire.ingest.read import article_from_bytes, make_article, read_article
from eventwire.ingest.sources import (
    FieldMap,
    Rejected,
    detect_format,
    iter_source,
    iter_sources,
)
from eventwire.ingest.text import article_from_text, article_id, headline, parse_date

__all__ = [
    "FieldMap",
    "IngestError",
    "Rejected",
    "article_from_bytes",
    "article_from_html",
    "article_from_text",
    "article_id",
    "decode_bytes",
    "detect_format",
    "headline",
    "iter_source",
    "iter_sources",
    "looks_like_html",
    "make_article",
    "parse_date",
    "read_article",
]
