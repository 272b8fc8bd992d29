"""The per-article work every engine runs: one ``nlp.pipe`` call over a batch, then the extract
stages on each Doc.

``analyze_batch`` is the only function an engine (local processes, Ray) calls on articles, so
that every engine produces the same analyses. It never raises because of one article: an
article that cannot be parsed or analysed comes back as a ``Rejected`` with the reason.

The limits (longest sentence handed to the parser, most events per article, time per article)
are read from the environment in the worker unless given: a command sets them there before it
starts its workers, so that every process of a run applies the same ones.
"""

from __future__ import annotations

import time

from eventwire import nlp
from eventwire.deadline import TIMEOUT, ArticleTimeout, time_limit, timeout_detail
from eventwire.ingest.sources import Rejected
from eventwire.limits import Limits
from eventwire.model import Analysis, Article
from eventwire.pipeline import analyze_doc
from eventwire.pipeline import warm_up as warm_up_pipeline

PARSE_FAILED = "parse failed"
ANALYSIS_FAILED = "analysis failed"


def _rejected(article: Article, reason: str, err: BaseException) -> Rejected:
    message = " ".join(str(err).split())
    detail = f"{type(err).__name__}: {message}" if message else type(err).__name__
    return Rejected(article.source or article.id, reason, detail)


def _timed_out(article: Article, seconds: float) -> Rejected:
    return Rejected(article.source or article.id, TIMEOUT, timeout_detail(seconds))


def analyze_batch(
    articles: list[Article],
    model: str | None = None,
    limits: Limits | None = None,
    seconds: list[float] | None = None,
) -> list[Analysis | Rejected]:
    """The analyses of a batch of articles, in order; a failing article becomes ``Rejected``
    (reason "parse failed", "analysis failed" or "timeout", the error in ``detail``).

    The texts go through ``nlp.pipe`` together; when that fails (one text the parser refuses)
    or takes longer than the batch's time budget (``limits.max_seconds`` per article), each
    text is parsed alone, with its own budget, so that only the bad one is rejected. Each
    article's analysis has a budget of ``limits.max_seconds``. ``limits`` default to the
    configured ones (``Limits.from_env``). ``seconds``, when given, receives each article's
    time: its analysis and its share of the batch's parse (by length).
    """
    if not articles:
        return []
    limits = limits if limits is not None else Limits.from_env()
    budget = limits.max_seconds
    warm_up_pipeline(model)
    parse_started = time.perf_counter()
    parse_seconds: list[float] | None = None
    try:
        with time_limit(budget * len(articles)):
            docs: list = list(
                nlp.parse_many(
                    [a.text for a in articles], model, batch_size=len(articles), limits=limits
                )
            )
    except nlp.ModelNotFound:
        raise
    except Exception:
        docs, parse_seconds = [], []
        for article in articles:
            started = time.perf_counter()
            try:
                with time_limit(budget):
                    docs.append(nlp.parse(article.text, model, limits))
            except nlp.ModelNotFound:
                raise
            except ArticleTimeout:
                docs.append(_timed_out(article, budget))
            except Exception as err:
                docs.append(_rejected(article, PARSE_FAILED, err))
            parse_seconds.append(time.perf_counter() - started)
    if parse_seconds is None:  # one parse for the batch: each article's share by length
        took = time.perf_counter() - parse_started
        chars = sum(len(a.text) for a in articles) or 1
        parse_seconds = [took * len(a.text) / chars for a in articles]
    out: list[Analysis | Rejected] = []
    for article, doc, parsed in zip(articles, docs, parse_seconds, strict=True):
        started = time.perf_counter()
        if isinstance(doc, Rejected):
            out.append(doc)
        else:
            try:
                with time_limit(budget):
                    out.append(analyze_doc(article, doc, limits))
            except ArticleTimeout:
                out.append(_timed_out(article, budget))
            except Exception as err:  # a bug in one stage must not lose the rest of the batch
                out.append(_rejected(article, ANALYSIS_FAILED, err))
        if seconds is not None:
            seconds.append(parsed + time.perf_counter() - started)
    return out


def parse_batch(texts: list[str], model: str | None = None) -> int:
    """Bare ``nlp.pipe`` over texts with the same pipeline (the baseline of ``eventwire
    bench``); returns the number of tokens."""
    return sum(len(doc) for doc in nlp.parse_many(texts, model, batch_size=max(1, len(texts))))


def warm_up(model: str | None = None) -> None:
    """Load the model and everything the stages load on first use."""
    warm_up_pipeline(model)
