"""DuckDB backend: one database file, opened in-process. Only the connection lives here; the
SQL is shared with PostgreSQL in ``base``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from eventwire.store.base import EventStore, StoreError


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class DuckDBStore(EventStore):
    """An event store in a DuckDB file (``:memory:`` for a throwaway one)."""

    backend = "duckdb"

    def __init__(self, path: str | Path, url: str | None = None) -> None:
        super().__init__(url or str(path))
        self.path = str(path)
        try:
            self._con = duckdb.connect(self.path)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open DuckDB database {self.path}: {_one_line(exc)}") from exc
        try:
            self._migrate()
        except duckdb.Error as exc:
            self._con.close()
            raise StoreError(f"cannot use DuckDB database {self.path}: {_one_line(exc)}") from exc
        except BaseException:
            self._con.close()
            raise

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._con.execute(sql, list(params))

    def _begin(self) -> None:
        self._con.begin()

    def _commit(self) -> None:
        self._con.commit()

    def _rollback(self) -> None:
        self._con.rollback()

    def _end_read(self) -> None:
        pass  # DuckDB autocommits statements outside an explicit transaction

    def _stream(self, sql: str, params: Sequence[Any], batch: int) -> Iterator[dict]:
        cur = self._con.cursor()  # its own transaction: writes on the store do not disturb it
        try:
            cur.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            while rows := cur.fetchmany(batch):
                for row in rows:
                    yield dict(zip(names, row, strict=True))
        finally:
            cur.close()

    def _close(self) -> None:
        self._con.close()
