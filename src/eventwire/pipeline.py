"""From an article to its analysis: ingest, one parse, the extract stages in order.

Each stage is a function of the shared spaCy ``Doc`` and of what earlier stages returned; this
module only wires them together, in the order of the data flow:

    places -> setting (where the article is set) -> actors (a role with no country of its own
    takes the dateline's), dates, quantities -> attributions (needs actors) -> events (all)

The limits (``eventwire.limits``) apply here too: an ``Article`` given directly is checked like
one read from a file (empty, too long), the parser never sees an over-long sentence, an
article with more events than ``max_events_per_article`` keeps its most confident ones, with a
warning on the ``eventwire`` logger naming the article, and an analysis that runs longer than
``max_seconds`` is stopped with ``ArticleTimeout`` (``eventwire.deadline``). The clock starts
after the model and the stages' lexicons and gazetteer are loaded (``warm_up``), so that the
first article of a process is not charged for them.
"""

from __future__ import annotations

import functools
import logging
from datetime import date

from spacy.tokens import Doc

from eventwire import EXTRACTOR_VERSION, nlp
from eventwire.deadline import time_limit
from eventwire.extract.actors import find_actors
from eventwire.extract.attribution import find_article_source, find_attributions
from eventwire.extract.dates import find_dates
from eventwire.extract.events import find_events
from eventwire.extract.places import find_places
from eventwire.extract.quantities import find_quantities
from eventwire.extract.setting import find_setting
from eventwire.ingest import IngestError, make_article
from eventwire.ingest.text import check_size
from eventwire.limits import Limits
from eventwire.model import Analysis, Article, ArticleMeta, Event

log = logging.getLogger("eventwire")

# A short text run once per process and model, so that the lexicons, knowledge base and
# gazetteer that the stages load on first use are loaded before any article is timed.
WARM_UP_TEXT = (
    "Leaders meet in Geneva\n\n"
    "The foreign minister of France met his German counterpart in Geneva on Monday, "
    "according to a statement. Protesters rallied outside."
)


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date (expected YYYY-MM-DD): {value!r}") from None


def to_article(text_or_html: str | Article, published: date | str | None = None, **meta) -> Article:
    """An Article from raw text or HTML; an explicit ``published`` wins over the page's own."""
    when = _as_date(published)
    if isinstance(text_or_html, Article):
        return text_or_html.model_copy(update={"published": when}) if when else text_or_html
    return make_article(text_or_html, published=when, **meta)


def cap_events(events: list[Event], limit: int, source: str | None = None) -> list[Event]:
    """At most ``limit`` events: the most confident ones, in their order in the article. The
    drop is logged as a warning (the analysis record has no field to say so)."""
    if len(events) <= limit:
        return events
    ranked = sorted(range(len(events)), key=lambda i: (-events[i].confidence, i))
    keep = set(ranked[:limit])
    log.warning(
        "%s: %d events, kept the %d most confident (the limit; give --max-events or set "
        "EVENTWIRE_MAX_EVENTS to change it)", source or "article", len(events), limit,
    )  # fmt: skip
    return [event for i, event in enumerate(events) if i in keep]


def analyze_doc(article: Article, doc: Doc, limits: Limits | None = None) -> Analysis:
    """Run every extract stage over an already parsed article."""
    places = find_places(doc)
    setting = find_setting(doc, places)
    actors = find_actors(doc, home=setting.dateline.country if setting.dateline else None)
    dates = find_dates(doc, article.published)
    quantities = find_quantities(doc)
    attributions = find_attributions(doc, actors)
    article_source = find_article_source(doc, actors)
    events = find_events(
        doc,
        article_id=article.id,
        published=article.published,
        actors=actors,
        attributions=attributions,
        places=places,
        dates=dates,
        quantities=quantities,
        title=article.title,
        article_source=article_source,
        setting=setting,
    )
    if article_source is not None:
        attributions = sorted([*attributions, article_source], key=lambda a: a.span or (0, 0))
    limits = limits if limits is not None else Limits.from_env()
    events = cap_events(events, limits.max_events_per_article, article.source or article.id)
    return Analysis(
        extractor_version=EXTRACTOR_VERSION,
        article=ArticleMeta(**article.model_dump(exclude={"text"})),
        actors=actors.mentions,
        attributions=attributions,
        places=places,
        dates=dates,
        quantities=quantities,
        events=events,
    )


def warm_up(model: str | None = None) -> None:
    """Load the model and everything the stages load on first use (once per process)."""
    _warm_up(nlp.resolve_model_name(model))


@functools.cache
def _warm_up(model: str) -> None:
    analyze_doc(make_article(WARM_UP_TEXT), nlp.parse(WARM_UP_TEXT, model))


def analyze(
    text_or_html: str | Article,
    published: date | str | None = None,
    *,
    model: str | None = None,
    limits: Limits | None = None,
    **meta,
) -> Analysis:
    """The whole analysis of one article given as text, HTML or an ``Article``.

    Raises ``IngestError`` (one line: the input and the reason) for input that is not an
    article: empty, binary, too long, not valid Unicode, not English (see ``eventwire.ingest``),
    and its subclass ``ArticleTimeout`` for one whose analysis takes longer than
    ``limits.max_seconds``. ``limits`` default to the configured ones (``Limits.from_env``).
    """
    limits = limits if limits is not None else Limits.from_env()
    article = to_article(text_or_html, published, **meta)
    if not article.text.strip():  # an Article given as such was never checked
        raise IngestError("empty input: no text to analyse", article.source)
    # Text and HTML were checked against the configured size limit when read; an explicit
    # ``limits`` can only be stricter than that here.
    check_size(article.text, article.source, limits.max_article_chars)
    warm_up(model)
    with time_limit(limits.max_seconds, article.source or article.id):
        return analyze_doc(article, nlp.parse(article.text, model, limits), limits)


def extract(
    text_or_html: str | Article,
    published: date | str | None = None,
    *,
    model: str | None = None,
    limits: Limits | None = None,
    **meta,
) -> list[Event]:
    """The event records of one article."""
    return analyze(text_or_html, published, model=model, limits=limits, **meta).events
