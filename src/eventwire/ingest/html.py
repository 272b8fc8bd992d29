"""HTML pages to Articles, with trafilatura as the boilerplate remover.

Navigation, share buttons, related-story lists, comment forms ("Leave a Reply") and footers are
not article text. Title, publication date, site name and canonical url come from the page's
metadata where it has them.
"""

from __future__ import annotations

import re
from datetime import date

import trafilatura

from eventwire.ingest.errors import IngestError
from eventwire.ingest.text import (
    article_id,
    check_language,
    check_text,
    normalise_for_id,
    parse_date,
)
from eventwire.model import Article

# A page counts as having article text when at least one block has this many words: menus,
# buttons and link lists are shorter.
MIN_BLOCK_WORDS = 5
# Whole lines that comment forms, share widgets and link lists leave behind when a page has
# little real text and the extractor falls back to everything it can find.
_BOILERPLATE_LINE = re.compile(
    r"^(?:leave a (?:reply|comment)|post (?:a )?comment|cancel reply|\d* ?comments?"
    r"|share(?: this(?: article| story| post)?)?|like this|related(?: posts| articles| news)?"
    r"|you (?:may|might) also like|read more|advertisement|subscribe(?: to our newsletter)?"
    r"|your email address will not be published\.?(?: required fields are marked \*)?"
    r"|required fields are marked \*|save my name, email,? and website in this browser for the"
    r" next time i comment\.?|all rights reserved\.?)[\s:.!*]*$",
    re.IGNORECASE,
)
# Only dates the page states (meta tags, structured data, a dateline), never a guess from a
# copyright year: a wrong publication date would shift every relative date in the article.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_HTML_START = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6]|header|nav"
    r"|table|ul|ol|span|a|br|b|i|em|strong|link|script|style|!--)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_PAGE = re.compile(r"<(?:html|body)[\s>]", re.IGNORECASE)
_TAG = re.compile(
    r"</?(?:html|head|body|article|main|section|div|p|h[1-6]|header|footer|nav|table|tr|td|ul"
    r"|ol|li|span|a|br|b|i|em|strong|meta|title|script|style)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)

def looks_like_html(data: str) -> bool:
    """True when the text is an HTML document or fragment rather than plain text.

    A page starts with a doctype or a tag; a fragment is dense with real tags, opening and
    closing. Text that merely mentions ``<b>`` or compares numbers with ``<`` stays text.
    """
    head = data[:4096].lstrip("\ufeff \t\r\n")
    if _HTML_START.match(head):
        return True
    tags = _TAG.findall(data[:50_000])
    return len(tags) >= 4 and any(t.startswith("</") for t in tags)


def _page_language(html: str) -> str | None:
    match = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", html[:4096], re.I)
    return match.group(1).lower() if match else None


def _blocks(text: str) -> list[str]:
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not _BOILERPLATE_LINE.match(line)]


def article_from_html(
    html: str,
    *,
    url: str | None = None,
    published: date | str | None = None,
    source: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
) -> Article:
    """An Article from an HTML page: the main text without boilerplate, and the page metadata.

    Explicit arguments win over what the page says about itself.
    """
    check_text(html, source)
    when = parse_date(published)
    page = html
    if not _PAGE.search(html[:4096]):
        # A fragment (a few paragraphs): the extractor only reads whole documents.
        page = f"<html><body>{html}</body></html>"
    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except (RecursionError, MemoryError):
        raise IngestError("HTML page too deeply nested or too large to read", source) from None
    except Exception as err:  # lxml and the extractor raise many kinds on broken pages
        raise IngestError(
            f"cannot read the HTML page ({type(err).__name__}: {' '.join(str(err).split())[:200]})",
            source,
        ) from None
    blocks = _blocks(getattr(doc, "text", None) or "") if doc is not None else []
    if not any(len(block.split()) >= MIN_BLOCK_WORDS for block in blocks):
        raise IngestError("no article text found in the HTML page (only boilerplate?)", source)
    # One blank line between blocks: headlines and list items without final punctuation then
    # end a sentence instead of running into the next one.
    body = "\n\n".join(blocks)
    page_title = (getattr(doc, "title", None) or "").strip() or None
    title = title if title is not None else page_title
    if title and not normalise_for_id(body).startswith(normalise_for_id(title)):
        # The headline is part of the article, as in plain text; some pages keep it out of
        # the body (in <title> or og:title only).
        body = f"{title}\n\n{body}"
    check_language(body, source)
    if when is None and getattr(doc, "date", None):
        try:
            when = parse_date(doc.date)
        except IngestError:
            when = None
    url = url or getattr(doc, "url", None) or None
    return Article(
        id=article_id(body, url),
        title=title,
        published=when,
        outlet=outlet if outlet is not None else (getattr(doc, "sitename", None) or None),
        url=url,
        language=_page_language(html) or getattr(doc, "language", None) or "en",
        source=source,
        text=body,
    )
