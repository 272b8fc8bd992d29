"""The per-article work every engine runs: one ``nlp.pipe`` call over a batch, then the extract
stages on each Doc.

``analyze_batch`` is the only function an engine (local processes, Ray) calls on articles, so
that every engine produces the same analyses. It never raises because of one article: an
article that cannot be parsed or analysed comes back as a ``Rejected`` with the reason.

The limits (longest sentence handed to the parser, most events per article) are read from the
environment in the worker unless given: a command sets them there before it starts its
workers, so that every process of a run applies the same ones.
"""

from __future__ import annotations

from eventwire import nlp
from eventwire.ingest.sources import Rejected
from eventwire.limits import Limits
from eventwire.model import Analysis, Article
from eventwire.pipeline import analyze_doc

# A short text run once when a worker starts, so that the lexicons and knowledge base that
# the stages load on first use are loaded before the first real batch is timed.
WARM_UP_TEXT = (
    "Leaders meet in Geneva\n\n"
    "The foreign minister of France met his German counterpart in Geneva on Monday, "
    "according to a statement. Protesters rallied outside."
)


PARSE_FAILED = "parse failed"
ANALYSIS_FAILED = "analysis failed"


def _rejected(article: Article, reason: str, err: BaseException) -> Rejected:
    message = " ".join(str(err).split())
    detail = f"{type(err).__name__}: {message}" if message else type(err).__name__
    return Rejected(article.source or article.id, reason, detail)


def analyze_batch(
    articles: list[Article], model: str | None = None, limits: Limits | None = None
) -> list[Analysis | Rejected]:
    """The analyses of a batch of articles, in order; a failing article becomes ``Rejected``
    (reason "parse failed" or "analysis failed", the error in ``detail``).

    The texts go through ``nlp.pipe`` together; when that fails (one text the parser refuses),
    each text is parsed alone so that only the bad one is rejected. ``limits`` default to the
    configured ones (``Limits.from_env``).
    """
    if not articles:
        return []
    limits = limits if limits is not None else Limits.from_env()
    try:
        docs = list(
            nlp.parse_many(
                [a.text for a in articles], model, batch_size=len(articles), limits=limits
            )
        )
    except nlp.ModelNotFound:
        raise
    except Exception:
        docs = []
        for article in articles:
            try:
                docs.append(nlp.parse(article.text, model, limits))
            except nlp.ModelNotFound:
                raise
            except Exception as err:
                docs.append(_rejected(article, PARSE_FAILED, err))
    out: list[Analysis | Rejected] = []
    for article, doc in zip(articles, docs, strict=True):
        if isinstance(doc, Rejected):
            out.append(doc)
            continue
        try:
            out.append(analyze_doc(article, doc, limits))
        except Exception as err:  # a bug in one stage must not lose the rest of the batch
            out.append(_rejected(article, ANALYSIS_FAILED, err))
    return out


def parse_batch(texts: list[str], model: str | None = None) -> int:
    """Bare ``nlp.pipe`` over texts with the same pipeline (the baseline of ``eventwire
    bench``); returns the number of tokens."""
    return sum(len(doc) for doc in nlp.parse_many(texts, model, batch_size=max(1, len(texts))))


def warm_up(model: str | None = None) -> None:
    """Load the model and everything the stages load on first use."""
    from eventwire.ingest import make_article

    analyze_batch([make_article(WARM_UP_TEXT)], model)
