"""eventwire: news in, verifiable PLOVER event records out."""

from eventwire.model import Analysis, Article, Event

__version__ = "0.1.0"
EXTRACTOR_VERSION = f"eventwire-{__version__}"

__all__ = ["Analysis", "Article", "Event", "analyze", "extract", "__version__"]


def extract(text_or_html: str, published=None, **kwargs) -> list[Event]:
    """Extract the event records of one article (plain text or an HTML page)."""
    from eventwire.pipeline import extract as _extract

    return _extract(text_or_html, published=published, **kwargs)


def analyze(text_or_html: str, published=None, **kwargs) -> Analysis:
    """The whole analysis of one article: metadata, actors, attributions, places, events."""
    from eventwire.pipeline import analyze as _analyze

    return _analyze(text_or_html, published=published, **kwargs)
