"""RSS (0.9x, 1.0, 2.0) and Atom feed files as articles, one per item or entry.

The file is parsed incrementally (``defusedxml``'s iterparse: no entity expansion, no external
references) and each item is dropped once read, so a feed dump of any size reads in flat
memory. An item's body is its full content (``content:encoded``, Atom ``content``) or else its
description/summary; HTML bodies go through the boilerplate remover, plain ones are kept as
written with the item title as headline. Title, link, date (``pubDate``, ``published``,
``updated``, ``dc:date``) and the feed's own title (as outlet) become the article metadata.
Sources read ``path#N`` for the N-th item. Invalid XML gives one ``Rejected`` for the file after
the items read before the error.
"""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from eventwire.ingest.errors import IngestError
from eventwire.ingest.html import article_from_html
from eventwire.ingest.sources import (
    BAD_DATE,
    EMPTY,
    INVALID_XML,
    NO_TEXT,
    NOT_A_FEED,
    NOT_FOUND,
    Rejected,
    count,
    looks_like_feed,
    parse_when,
    rejected,
    with_published,
)
from eventwire.ingest.text import article_from_text, normalise_for_id
from eventwire.model import Article

ITEMS = ("item", "entry")
CONTAINERS = ("channel", "feed", "RDF")  # an item's parent; the title of channel/feed is the outlet
# Where an item keeps its text, fullest first (content:encoded, Atom content, then summaries).
BODIES = ("encoded", "content", "description", "summary")
DATES = ("pubDate", "published", "date", "issued", "updated", "modified")
_TAG = re.compile(r"<[A-Za-z!/][^<>]*>")
# Namespaces whose elements describe the item itself; others (Media RSS, iTunes, ...) also have
# <title>, <content> or <description> children that are not the article.
_ITEM_NAMESPACES = frozenset(
    {
        "",
        "http://www.w3.org/2005/Atom",
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://purl.org/rss/1.0/modules/content/",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/terms/",
    }
)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _field(elem: ET.Element) -> str:
    """The local name of an item's child when it is one of the item's own fields, else ""."""
    tag = elem.tag
    if not isinstance(tag, str):
        return ""
    namespace, _, local = tag[1:].rpartition("}") if tag.startswith("{") else ("", "", tag)
    return local if namespace in _ITEM_NAMESPACES else ""


def _plain(elem: ET.Element) -> str:
    return "".join(elem.itertext()).strip()


def _xhtml(elem: ET.Element) -> str:
    """The markup inside an Atom xhtml content element, without namespace prefixes."""
    for node in elem.iter():
        if isinstance(node.tag, str):
            node.tag = _local(node.tag)
    inner = "".join(ET.tostring(child, encoding="unicode") for child in elem)
    return (elem.text or "") + inner


def _link(item: ET.Element) -> str | None:
    fallback = None
    for child in item:
        local = _field(child)
        if local == "link":
            href = child.get("href")
            if href is None:  # RSS: the url is the text
                text = (child.text or "").strip()
                if text:
                    return text
            elif child.get("rel", "alternate") == "alternate":
                return href.strip() or None
            fallback = fallback or href
        elif local in ("guid", "id") and fallback is None:
            text = (child.text or "").strip()
            permalink = child.get("isPermaLink", "true").lower() != "false"
            if permalink and text.startswith(("http://", "https://")):
                fallback = text
    return fallback


def _body(item: ET.Element) -> tuple[str, bool] | None:
    """The item's text and whether it is HTML, or None when it has none."""
    found: dict[str, ET.Element] = {}
    for child in item:
        local = _field(child)
        if local in BODIES and local not in found:
            found[local] = child
    for local in BODIES:
        elem = found.get(local)
        if elem is None or elem.get("src"):
            continue
        kind = (elem.get("type") or "").lower()
        if kind == "xhtml":
            text, is_html = _xhtml(elem), True
        elif local in ("content", "summary") and kind in ("", "text", "text/plain"):
            text, is_html = _plain(elem), False  # Atom's default type is plain text
        else:
            text = elem.text or ""
            is_html = bool(_TAG.search(text))
            if not is_html:
                text = html_lib.unescape(text)  # RSS descriptions are escaped HTML
        if text.strip():
            return text, is_html
    return None


def _published(item: ET.Element, stats: dict[str, int] | None) -> date | None:
    values: dict[str, str] = {}
    for child in item:
        values.setdefault(_field(child), (child.text or "").strip())
    for local in DATES:
        if values.get(local):
            when = parse_when(values[local])
            if when is not None:
                return when
            count(stats, BAD_DATE)
    return None


def item_to_article(
    item: ET.Element,
    source: str,
    *,
    outlet: str | None = None,
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Article | Rejected:
    """One <item> or <entry> element as an Article, or a Rejected saying why it is not one."""
    title = next((_plain(c) or None for c in item if _field(c) == "title"), None)
    body = _body(item)
    if body is None:
        return Rejected(source, NO_TEXT, "item without content, description or summary")
    text, is_html = body
    meta = {
        "title": title,
        "url": _link(item),
        "published": _published(item, stats),
        "outlet": outlet,
        "source": source,
    }
    try:
        if is_html:
            article = article_from_html(text, **meta)
        else:
            text = text.strip()
            head = normalise_for_id(text[: 2 * len(title or "") + 64])
            if title and not head.startswith(normalise_for_id(title)):
                text = f"{title}\n\n{text}"
            article = article_from_text(text, **meta)
    except IngestError as err:
        return rejected(source, err)
    return with_published(article, published)


def iter_feed(
    path: Path,
    *,
    published: date | None = None,
    stats: dict[str, int] | None = None,
) -> Iterator[Article | Rejected]:
    """The articles of an RSS or Atom file, one per item, and a Rejected per item that is not."""
    path = Path(path)
    name = str(path)
    try:
        if path.stat().st_size == 0:
            yield Rejected(name, EMPTY, "empty file")
            return
    except FileNotFoundError:
        yield Rejected(name, NOT_FOUND, "file not found")
        return
    except OSError as err:
        yield rejected(name, err)
        return
    if not looks_like_feed(path):
        yield Rejected(name, NOT_A_FEED, "the root element is not <rss>, <feed> or <rdf:RDF>")
        return
    outlet: str | None = None
    number = 0
    stack: list[ET.Element] = []
    try:
        with open(path, "rb") as fh:
            for event, elem in iterparse(fh, events=("start", "end")):
                if event == "start":
                    stack.append(elem)
                    continue
                stack.pop()
                parent = _local(stack[-1].tag) if stack else ""
                local = _local(elem.tag)
                if local == "title" and parent in ("channel", "feed") and outlet is None:
                    outlet = _plain(elem) or None
                elif local in ITEMS and parent in CONTAINERS:
                    number += 1
                    yield item_to_article(
                        elem, f"{name}#{number}", outlet=outlet, published=published, stats=stats
                    )
                    # Drop what was read (the outlet is kept above): memory stays flat.
                    del stack[-1][:]
    except ET.ParseError as err:
        yield Rejected(name, INVALID_XML, str(err))
    except DefusedXmlException as err:
        yield Rejected(name, INVALID_XML, f"refused: {type(err).__name__}")
    except OSError as err:
        yield rejected(name, err)
