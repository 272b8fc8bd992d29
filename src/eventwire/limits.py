"""The limits that keep one bad article from stalling or swamping a run.

News feeds carry 40 MB pages, tables flattened into one endless "sentence" and boilerplate that
trips the extractor into hundreds of events. Four limits guard against that, each with a
default that no real news article reaches:

* ``max_article_chars``: a longer article is rejected ("too long") before it is parsed;
* ``max_sentence_tokens``: a longer run of tokens with no sentence end is cut into chunks
  before the parser sees it (the parser and the stages after it slow down sharply on
  sentences of thousands of tokens);
* ``max_events_per_article``: the most confident events are kept, the rest dropped with a
  warning;
* ``max_seconds``: an article whose analysis runs longer is stopped and rejected ("timeout"),
  so that no article can hold a worker hostage (``eventwire.deadline``).

The environment is where the limits live for a run (``EVENTWIRE_MAX_CHARS``,
``EVENTWIRE_MAX_SENTENCE_TOKENS``, ``EVENTWIRE_MAX_EVENTS``, ``EVENTWIRE_MAX_SECONDS``): the
readers, the parser and the
worker processes of a bulk ingest all read them from there, so a command-line option only has
to set the variable (``applied``) for every process of the run to follow it. The Python API
also takes a ``Limits`` value directly.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields

MAX_CHARS_ENV = "EVENTWIRE_MAX_CHARS"
MAX_SENTENCE_TOKENS_ENV = "EVENTWIRE_MAX_SENTENCE_TOKENS"
MAX_EVENTS_ENV = "EVENTWIRE_MAX_EVENTS"
MAX_SECONDS_ENV = "EVENTWIRE_MAX_SECONDS"

DEFAULT_MAX_ARTICLE_CHARS = 1_000_000
# News sentences run to 20-40 tokens, long legal ones to about 150: 250 cuts only runs of text
# that have no sentence end at all (tables, lists, text without punctuation).
DEFAULT_MAX_SENTENCE_TOKENS = 250
DEFAULT_MAX_EVENTS = 200
# The slowest real articles take about a second to analyse on a laptop core (``make soak``).
DEFAULT_MAX_SECONDS = 20.0

_ENV = {
    "max_article_chars": MAX_CHARS_ENV,
    "max_sentence_tokens": MAX_SENTENCE_TOKENS_ENV,
    "max_events_per_article": MAX_EVENTS_ENV,
    "max_seconds": MAX_SECONDS_ENV,
}


def _positive(value: str | None) -> int | None:
    value = (value or "").strip().replace("_", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _positive_seconds(value: str | None) -> float | None:
    try:
        seconds = float((value or "").strip())
    except ValueError:
        return None
    return seconds if 0 < seconds < float("inf") else None


@dataclass(frozen=True)
class Limits:
    """Limits for one article: sizes are whole numbers >= 1, ``max_seconds`` a number > 0."""

    max_article_chars: int = DEFAULT_MAX_ARTICLE_CHARS
    max_sentence_tokens: int = DEFAULT_MAX_SENTENCE_TOKENS
    max_events_per_article: int = DEFAULT_MAX_EVENTS
    max_seconds: float = DEFAULT_MAX_SECONDS

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "max_seconds":
                if (
                    not isinstance(value, int | float)
                    or isinstance(value, bool)
                    or not 0 < value < float("inf")
                ):
                    raise ValueError(f"max_seconds must be a number > 0, not {value!r}")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{item.name} must be a whole number >= 1, not {value!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The limits the environment sets; a missing or invalid value keeps its default."""
        env = os.environ if environ is None else environ
        given: dict[str, float | None] = {
            name: (_positive_seconds if name == "max_seconds" else _positive)(env.get(var))
            for name, var in _ENV.items()
        }
        return cls(**{name: value for name, value in given.items() if value is not None})

    def env(self) -> dict[str, str]:
        """The environment variables that give these limits."""
        return {var: str(getattr(self, name)) for name, var in _ENV.items()}


def current() -> Limits:
    """The limits in force in this process (from the environment)."""
    return Limits.from_env()


@contextmanager
def applied(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set environment variables (None: leave as is) for the duration of a block, then restore
    them, so that a command's options reach every process it starts without outliving it."""
    saved = {name: os.environ.get(name) for name, value in values.items() if value is not None}
    try:
        for name, value in values.items():
            if value is not None:
                os.environ[name] = value
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old
