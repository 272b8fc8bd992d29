"""eventwire: news in, verifiable PLOVER event records out.

``eventwire.extract(text)`` and ``eventwire.analyze(text)`` are the library's front door. They
load spaCy on first use only, so commands that never parse (``eventwire query``) start fast.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

__version__ = "0.2.0"
EXTRACTOR_VERSION = f"eventwire-{__version__}"

if TYPE_CHECKING:
    from eventwire.model import Analysis, Article, Event

__all__ = ["Analysis", "Article", "Event", "analyze", "extract", "__version__"]


def extract(text_or_html: str | Article, published=None, **kwargs) -> list[Event]:
    """Extract the event records of one article (plain text or an HTML page)."""
    from eventwire import pipeline

    return pipeline.extract(text_or_html, published=published, **kwargs)


def analyze(text_or_html: str | Article, published=None, **kwargs) -> Analysis:
    """The whole analysis of one article: metadata, actors, attributions, places, events."""
    from eventwire import pipeline

    return pipeline.analyze(text_or_html, published=published, **kwargs)


def __getattr__(name: str):
    if name in {"Analysis", "Article", "Event"}:
        from eventwire import model

        return getattr(model, name)
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")


class _Package(types.ModuleType):
    """Keeps ``eventwire.extract`` the function when the stage package ``eventwire.extract``
    is imported: Python would otherwise bind the subpackage over it. The stages stay
    importable as ``from eventwire.extract.events import ...``."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "extract" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
