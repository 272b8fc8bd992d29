"""Shared fixtures: event stores on both databases.

PostgreSQL tests use a database made for this run (``eventwire_test_<random>`` on
127.0.0.1:5432, user postgres, or the server in ``EVENTWIRE_TEST_PG_ADMIN``), dropped at the
end. An unreachable server fails those tests; ``EVENTWIRE_TEST_PG=off`` skips them instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_ADMIN_URL = os.environ.get(
    "EVENTWIRE_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = ("duckdb", "postgresql")


def pg_disabled() -> bool:
    return os.environ.get("EVENTWIRE_TEST_PG", "").strip().lower() in ("off", "0", "no", "false")


def _with_dbname(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, ""))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """Connection URL of an empty PostgreSQL database that lives for this test session."""
    if pg_disabled():
        pytest.skip("PostgreSQL tests are off (EVENTWIRE_TEST_PG=off)")
    import psycopg

    name = f"eventwire_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as con:
            con.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.fail(
            f"PostgreSQL is unreachable at {PG_ADMIN_URL} ({str(exc).strip().splitlines()[0]}). "
            "Start it, point EVENTWIRE_TEST_PG_ADMIN at one, or set EVENTWIRE_TEST_PG=off to "
            "run the store tests on DuckDB only.",
            pytrace=False,
        )
    try:
        yield _with_dbname(PG_ADMIN_URL, name)
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clear_pg(url: str) -> None:
    """Drop every table of the test database, so the next store starts from nothing."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as con:
        rows = con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        for (name,) in rows.fetchall():
            con.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture
def pg_empty_url(pg_url: str) -> Iterator[str]:
    """The session's PostgreSQL database, emptied before and after the test."""
    clear_pg(pg_url)
    try:
        yield pg_url
    finally:
        clear_pg(pg_url)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of an empty store, once per backend."""
    if request.param == "duckdb":
        yield str(tmp_path / "events.duckdb")
        return
    yield request.getfixturevalue("pg_empty_url")


@pytest.fixture
def store(store_url: str):
    """An open, empty EventStore, once per backend."""
    from eventwire.store import open_store

    with open_store(store_url) as opened:
        yield opened
