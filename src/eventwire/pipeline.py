"""From an article to its analysis: ingest, one parse, the extract stages in order.

Each stage is a function of the shared spaCy ``Doc`` and of what earlier stages returned; this
module only wires them together, in the order of the data flow:

    actors, places, dates, quantities  ->  attributions (needs actors)  ->  events (needs all)
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from eventwire import EXTRACTOR_VERSION, nlp
from eventwire.extract.actors import find_actors
from eventwire.extract.attribution import find_attributions
from eventwire.extract.dates import find_dates
from eventwire.extract.events import find_events
from eventwire.extract.places import find_places
from eventwire.extract.quantities import find_quantities
from eventwire.ingest import make_article
from eventwire.model import Analysis, Article, ArticleMeta, Event


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


def analyze_doc(article: Article, doc: Doc) -> Analysis:
    """Run every extract stage over an already parsed article."""
    actors = find_actors(doc)
    places = find_places(doc)
    dates = find_dates(doc, article.published)
    quantities = find_quantities(doc)
    attributions = find_attributions(doc, actors)
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
    )
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


def analyze(
    text_or_html: str | Article,
    published: date | str | None = None,
    *,
    model: str | None = None,
    **meta,
) -> Analysis:
    """The whole analysis of one article given as text, HTML or an ``Article``."""
    article = to_article(text_or_html, published, **meta)
    return analyze_doc(article, nlp.parse(article.text, model))


def extract(
    text_or_html: str | Article,
    published: date | str | None = None,
    *,
    model: str | None = None,
    **meta,
) -> list[Event]:
    """The event records of one article."""
    return analyze(text_or_html, published, model=model, **meta).events
