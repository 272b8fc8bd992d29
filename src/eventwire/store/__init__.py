"""The event store: articles, their event mentions and the cross-article events, in DuckDB
(default, one file) or PostgreSQL (shared), behind one interface.

    with open_store("events.duckdb") as store:
        store.ingest(eventwire.analyze(text), text)
        store.query(EventFilter(event_type=["CONSULT"], either_country=["PRK"]))
"""

from __future__ import annotations

import re

from eventwire.store.base import EventFilter, EventStore, IngestResult, StoreError

DEFAULT_PATH = "eventwire.duckdb"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")

__all__ = ["DEFAULT_PATH", "EventFilter", "EventStore", "IngestResult", "StoreError", "open_store"]


def open_store(url: str | None = None) -> EventStore:
    """Open (and create or migrate) a store.

    None: ``eventwire.duckdb`` in the working directory. A path, ``:memory:`` or
    ``duckdb://PATH`` (``duckdb:///abs/path.duckdb`` is absolute): DuckDB.
    ``postgresql://...`` or ``postgres://...``: PostgreSQL (the database must exist).
    """
    if url is None or not url.strip():
        url = DEFAULT_PATH
    url = url.strip()
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else None
    if scheme is None:
        from eventwire.store.duckdb_store import DuckDBStore

        return DuckDBStore(url)
    if scheme == "duckdb":
        from eventwire.store.duckdb_store import DuckDBStore

        path = url[match.end() :]  # type: ignore[union-attr]
        if not path:
            raise StoreError(f"no file in DuckDB URL {url!r}")
        return DuckDBStore(path, url)
    if scheme in ("postgresql", "postgres"):
        from eventwire.store.postgres_store import PostgresStore

        return PostgresStore(url)
    raise StoreError(
        f"unknown database URL scheme {scheme!r} in {url!r}"
        " (expected a DuckDB path, duckdb://, or postgresql://)"
    )
