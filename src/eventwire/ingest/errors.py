"""The one error type ingest raises: a reason a person can act on, and the input it concerns."""

from __future__ import annotations


class IngestError(ValueError):
    """An input that cannot be turned into an Article (missing, empty, binary, undecodable, ...)."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        self.reason = reason
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)
