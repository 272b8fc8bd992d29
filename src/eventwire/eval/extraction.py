"""Run the extractor over many texts for a scorer: one ``nlp.pipe`` over batches, then the
extract stages on each Doc, exactly as ``eventwire ingest`` analyses an article."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from eventwire import nlp
from eventwire.ingest import make_article
from eventwire.model import Event
from eventwire.pipeline import analyze_doc

BATCH_SIZE = 16


def events_of(
    texts: Sequence[tuple[str, date | str | None]],
    model: str | None = None,
    progress: Callable[[str], None] | None = None,
    names: Sequence[str] | None = None,
) -> Iterator[list[Event]]:
    """The events of each (text, publication date), in order. ``progress`` is called with
    each text's name (``names``, else its number) as it is done."""
    articles = [
        make_article(text, published=date.fromisoformat(when) if isinstance(when, str) else when)
        for text, when in texts
    ]
    docs = nlp.parse_many((a.text for a in articles), model, batch_size=BATCH_SIZE)
    for k, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        yield analyze_doc(article, doc).events
        if progress is not None:
            progress(names[k] if names is not None else str(k + 1))
