"""PostgreSQL backend (psycopg 3): autocommit off, one transaction per ingest, writers
serialised with an advisory lock. The SQL is shared with DuckDB in ``base``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from eventwire.store.base import TABLES, EventStore, StoreError

# Arbitrary constant naming eventwire's advisory lock (taken per write transaction).
_LOCK_KEY = 0x657677  # "evw"
_CONNECT_TIMEOUT_S = 10


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def describe(url: str) -> str:
    """host:port/dbname of a connection URL, without user or password."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.Error:
        return "(unparsable URL)"
    host = info.get("host") or "localhost"
    return f"{host}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


class PostgresStore(EventStore):
    """An event store in a PostgreSQL database (which must exist)."""

    backend = "postgresql"
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        options: dict[str, Any] = {"autocommit": False}
        if "connect_timeout" not in url:
            options["connect_timeout"] = _CONNECT_TIMEOUT_S
        try:
            self._con = psycopg.connect(url, **options)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {describe(url)}: {_one_line(exc)}"
            ) from exc
        try:
            self._migrate()
        except psycopg.Error as exc:
            self._con.close()
            raise StoreError(f"cannot use PostgreSQL at {describe(url)}: {_one_line(exc)}") from exc
        except BaseException:
            self._con.close()
            raise

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._con.execute(sql, list(params))

    def _insert_many(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        # psycopg pipelines executemany; that beats parsing huge multi-row statements.
        if not rows:
            return
        columns = TABLES[table]
        values = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"
        with self._con.cursor() as cur:
            cur.executemany(sql, [[row.get(c) for c in columns] for row in rows])

    def _begin(self) -> None:
        self._con.rollback()  # make sure no implicit read transaction is still open

    def _commit(self) -> None:
        self._con.commit()

    def _rollback(self) -> None:
        self._con.rollback()

    def _end_read(self) -> None:
        self._con.commit()

    def _lock_writes(self) -> None:
        self._con.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])

    def _stream(self, sql: str, params: Sequence[Any], batch: int) -> Iterator[dict]:
        # A connection of its own, so a server-side cursor can stay open across the store's
        # own commits.
        try:
            con = psycopg.connect(self.url, autocommit=False)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {describe(self.url)}: {_one_line(exc)}"
            ) from exc
        with con:
            with con.cursor(name="eventwire_iter") as cur:
                cur.itersize = batch
                cur.execute(sql, list(params))
                names = [d[0] for d in cur.description]
                for row in cur:
                    yield dict(zip(names, row, strict=True))
            con.rollback()

    def _close(self) -> None:
        if not self._con.closed:
            self._con.rollback()
            self._con.close()
