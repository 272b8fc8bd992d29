"""eventwire: news in, verifiable PLOVER event records out."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = f"eventwire-{__version__}"

# The pipeline imports the ``eventwire.extract`` stage package, which would otherwise shadow
# the ``extract`` function below once loaded; importing it first keeps the function on top.
from eventwire import pipeline as _pipeline  # noqa: E402
from eventwire.model import Analysis, Article, Event  # noqa: E402

__all__ = ["Analysis", "Article", "Event", "analyze", "extract", "__version__"]


def extract(text_or_html: str | Article, published=None, **kwargs) -> list[Event]:
    """Extract the event records of one article (plain text or an HTML page)."""
    return _pipeline.extract(text_or_html, published=published, **kwargs)


def analyze(text_or_html: str | Article, published=None, **kwargs) -> Analysis:
    """The whole analysis of one article: metadata, actors, attributions, places, events."""
    return _pipeline.analyze(text_or_html, published=published, **kwargs)
