"""The storage interface shared by both databases: ingesting analyses, cross-article events,
filtered queries. All SQL lives here, written with ``?`` placeholders in a dialect both DuckDB
and PostgreSQL accept; a backend only connects, translates placeholders and runs statements.
"""

from __future__ import annotations

import bisect
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from eventwire.model import Analysis, Event
from eventwire.store import clusters
from eventwire.store.migrations import LATEST_VERSION, MIGRATIONS_TABLE, pending

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id", "url", "title", "outlet", "published", "language", "source", "text",
    "extractor_version", "ingested_at", "analysis",
)  # fmt: skip
MENTION_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "event_id", "event_type", "mode", "cameo", "reciprocal", "status",
    "actor_text", "actor_name", "actor_country", "actor_sector", "actor_start", "actor_end",
    "recipient_text", "recipient_name", "recipient_country", "recipient_sector",
    "recipient_start", "recipient_end",
    "date_value", "date_precision", "date_text", "date_inferred",
    "place_text", "place_name", "place_country", "lat", "lon", "geonameid",
    "source", "source_type", "source_country",
    "evidence_start", "evidence_end", "evidence_text", "confidence", "record", "place_feature",
)  # fmt: skip
EVENT_COLUMNS: tuple[str, ...] = (
    "id", "event_type", "mode", "cameo", "reciprocal", "status",
    "actor_name", "actor_country", "actor_sector",
    "recipient_name", "recipient_country", "recipient_sector",
    "date_value", "date_precision", "place_name", "place_country", "lat", "lon", "geonameid",
    "num_mentions", "num_articles", "num_sources", "state_media_only", "state_media_country",
    "confidence", "first_article_id", "source_url", "first_seen",
)  # fmt: skip
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ARTICLE_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "events": EVENT_COLUMNS,
}
MENTION_ARTICLE_COLUMNS = ("article_url", "article_title", "article_outlet", "article_published")
# Mentions in a stable order: the article stored first, then position in the text.
_MENTION_ORDER = "a.ingested_at, m.article_id, m.evidence_start, m.id"
_EARTH_KM = 6371.0088
_MAX_PARAMS = 4000  # bound parameters per statement (PostgreSQL allows 65535)
# The mention columns an event's aggregates are computed from (and sorted by).
_FACT_COLUMNS = tuple(
    c
    for c in MENTION_COLUMNS
    if c in ("id", "evidence_start")
    or not (c in ("event_id", "record") or c.endswith(("_text", "_start", "_end")))
)


class StoreError(Exception):
    """The store cannot do what was asked: no connection, unknown URL, schema too new."""


@dataclass
class IngestResult:
    article_id: str
    status: str  # "new" | "unchanged" | "replaced"
    mentions: int
    events: list[str] = field(default_factory=list)  # ids of the events its mentions joined


@dataclass
class EventFilter:
    """What `query` keeps. Every field is optional; fields combine with AND, a list means any
    of its values, and an empty list is no condition."""

    event_type: list[str] | None = None
    mode: list[str] | None = None
    actor_country: list[str] | None = None
    recipient_country: list[str] | None = None
    either_country: list[str] | None = None  # actor OR recipient
    actor_sector: list[str] | None = None
    recipient_sector: list[str] | None = None
    date_from: date | None = None
    date_to: date | None = None
    place_country: list[str] | None = None
    near: tuple[float, float, float] | None = None  # (lat, lon, km)
    status: list[str] | None = None
    source: str | None = None  # substring of a mention's source or its article's outlet
    source_type: list[str] | None = None
    text: str | None = None  # substring of a mention's evidence
    min_articles: int | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _values(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [v for v in value if v is not None]


def _in(column: str, values: Sequence[Any]) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})"


def _near_condition(near: tuple[float, float, float]) -> tuple[list[str], list[Any]]:
    """Great-circle distance (haversine) within ``km`` of a point, with a bounding box first
    so that the latitude index can narrow the rows."""
    try:
        lat, lon, km = (float(x) for x in near)
    except (TypeError, ValueError):
        raise ValueError(f"near must be (lat, lon, km), got {near!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and km >= 0):
        raise ValueError(f"near out of range: {near!r}")
    conds = [
        "lat IS NOT NULL AND lon IS NOT NULL",
        "2 * ? * asin(sqrt(least(1.0, power(sin(radians(lat - ?) / 2), 2)"
        " + cos(radians(?)) * cos(radians(lat)) * power(sin(radians(lon - ?) / 2), 2)))) <= ?",
    ]
    params: list[Any] = [_EARTH_KM, lat, lat, lon, km]
    dlat = math.degrees(km / _EARTH_KM) * 1.01 + 1e-6
    conds.append("lat BETWEEN ? AND ?")
    params += [lat - dlat, lat + dlat]
    if abs(lat) + dlat < 89:
        dlon = dlat / math.cos(math.radians(abs(lat) + dlat))
        if -180 < lon - dlon and lon + dlon < 180:
            conds.append("lon BETWEEN ? AND ?")
            params += [lon - dlon, lon + dlon]
    return conds, params


def filter_sql(f: EventFilter | None) -> tuple[str, list[Any]]:
    """The WHERE clause (with ``?`` placeholders) and parameters for a filter on ``events``."""
    if f is None:
        return "", []
    conds: list[str] = []
    params: list[Any] = []
    for name in (
        "event_type", "mode", "actor_country", "recipient_country", "actor_sector",
        "recipient_sector", "place_country", "status",
    ):  # fmt: skip
        values = _values(getattr(f, name))
        if values:
            conds.append(_in(name, values))
            params += values
    either = _values(f.either_country)
    if either:
        conds.append(f"({_in('actor_country', either)} OR {_in('recipient_country', either)})")
        params += either + either
    if f.date_from is not None:
        conds.append("date_value >= ?")
        params.append(f.date_from)
    if f.date_to is not None:
        conds.append("date_value <= ?")
        params.append(f.date_to)
    if f.near is not None:
        near_conds, near_params = _near_condition(f.near)
        conds += near_conds
        params += near_params
    if f.min_articles is not None:
        conds.append("num_articles >= ?")
        params.append(int(f.min_articles))
    sub = "EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = events.id AND {})"
    if f.source:
        conds.append(
            "EXISTS (SELECT 1 FROM mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.event_id = events.id AND (strpos(lower(m.source), lower(?)) > 0"
            " OR strpos(lower(a.outlet), lower(?)) > 0))"
        )
        params += [f.source, f.source]
    source_types = _values(f.source_type)
    if source_types:
        conds.append(sub.format(_in("m.source_type", source_types)))
        params += source_types
    if f.text:
        conds.append(sub.format("strpos(lower(m.evidence_text), lower(?)) > 0"))
        params.append(f.text)
    if not conds:
        return "", []
    return " WHERE " + " AND ".join(conds), params


def mention_row(event: Event, article_id: str) -> dict[str, Any]:
    """The ``mentions`` columns of one extracted event record (``event_id`` still None)."""
    actor, recipient = event.actor, event.recipient
    when, where, who = event.date, event.location, event.attribution
    return {
        "id": event.id,
        "article_id": article_id,
        "event_id": None,
        "event_type": event.event_type,
        "mode": event.mode,
        "cameo": event.cameo,
        "reciprocal": bool(event.reciprocal),
        "status": event.status,
        "actor_text": actor.text if actor else None,
        "actor_name": actor.name if actor else None,
        "actor_country": actor.country if actor else None,
        "actor_sector": actor.sector if actor else None,
        "actor_start": actor.span[0] if actor else None,
        "actor_end": actor.span[1] if actor else None,
        "recipient_text": recipient.text if recipient else None,
        "recipient_name": recipient.name if recipient else None,
        "recipient_country": recipient.country if recipient else None,
        "recipient_sector": recipient.sector if recipient else None,
        "recipient_start": recipient.span[0] if recipient else None,
        "recipient_end": recipient.span[1] if recipient else None,
        "date_value": clusters.as_date(when.value) if when else None,
        "date_precision": when.precision if when and when.value else None,
        "date_text": when.text if when else None,
        "date_inferred": bool(when.inferred) if when else None,
        "place_text": where.text if where else None,
        "place_name": where.name if where else None,
        "place_country": where.country if where else None,
        "lat": where.lat if where else None,
        "lon": where.lon if where else None,
        "geonameid": where.geonameid if where else None,
        "place_feature": where.feature if where else None,
        "source": who.source if who else None,
        "source_type": who.source_type if who else None,
        "source_country": who.country if who else None,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "evidence_text": event.evidence.text,
        "confidence": float(event.confidence),
        "record": event.model_dump_json(),
    }


@lru_cache(maxsize=4096)
def _outlet_facts(outlet: str) -> tuple[str | None, str | None]:
    """(canonical outlet name, country if the outlet is state media) from the media lexicon."""
    from eventwire.knowledge import knowledge_base

    entry = knowledge_base().lookup(outlet)
    if entry is None or entry.kind != "media":
        return None, None
    return entry.name, entry.country if entry.source_type == "state_media" else None


class EventStore(ABC):
    """Articles, their mentions and the cross-article events, in one database.

    Open one with ``eventwire.store.open_store(url)``. Every ``ingest`` is one transaction;
    reads never hold a transaction open between calls.
    """

    backend: str = ""
    placeholder: str = "?"

    def __init__(self, url: str) -> None:
        self.url = url
        self._in_transaction = False
        self._reset_pending()

    def _reset_pending(self) -> None:
        """Forget what the open write transaction has not written yet.

        Rows are written in bulk by ``_flush`` (before commit, and before anything reads
        them back): the new articles and mentions, and the rows of the events touched, which
        are kept here as their mentions' facts in mention order (``_touched``; an empty list
        is an event to delete), indexed by ``_key``.
        """
        self._pending: dict[str, list[dict[str, Any]]] = {"articles": [], "mentions": []}
        self._pending_articles: set[str] = set()
        self._touched: dict[str, list[dict[str, Any]]] = {}
        self._touched_by_key: dict[tuple, list[str]] = {}
        self._stored_touched: set[str] = set()  # touched events that have a row already
        self._forget_prefetch()

    def _forget_prefetch(self) -> None:
        """Drop what ``_prefetch`` read: valid only until the transaction writes anything."""
        self._known_articles: dict[str, dict[str, Any]] | None = None
        # stored events a batch's mentions may join, by (type, actor, recipient country)
        self._known_events: dict[tuple, list[clusters.Candidate]] | None = None
        self._known_ids: dict[str, bool] = {}
        self._known_facts: dict[str, list[dict[str, Any]]] = {}  # stored events' mentions
        self._growing: dict[str, clusters.GrowingCandidate] = {}

    # --- what a backend provides -----------------------------------------------------------

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders already translated); return a DB-API cursor."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def _end_read(self) -> None:
        """Called after a read outside a transaction (PostgreSQL ends its implicit one)."""

    @abstractmethod
    def _stream(self, sql: str, params: Sequence[Any], batch: int) -> Iterator[dict]:
        """Rows of a query as dicts, fetched in batches on a separate cursor/connection."""

    @abstractmethod
    def _close(self) -> None: ...

    def _lock_writes(self) -> None:
        """Serialise writers across processes (PostgreSQL); a no-op where the file lock does."""
        return None

    # --- SQL helpers -----------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else _translate(sql, self.placeholder)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(self._sql(sql), list(params))

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self._run(sql, params)
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        if not self._in_transaction:
            self._end_read()
        return out

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self._run(sql, params)
        row = cur.fetchone()
        if not self._in_transaction:
            self._end_read()
        return None if row is None else row[0]

    def _insert_many(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows with multi-row VALUES statements (far fewer round trips than one
        statement per row, which DuckDB in particular pays for)."""
        columns = TABLES[table]
        per_statement = max(1, _MAX_PARAMS // len(columns))
        one = f"({', '.join('?' * len(columns))})"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            self._run(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                + ", ".join([one] * len(chunk)),
                [row.get(c) for row in chunk for c in columns],
            )

    def _delete_events(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), _MAX_PARAMS):
            chunk = ids[start : start + _MAX_PARAMS]
            self._run(f"DELETE FROM events WHERE {_in('id', chunk)}", chunk)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self._begin()
        self._in_transaction = True
        try:
            yield
            self._flush()
        except BaseException:
            self._in_transaction = False
            self._reset_pending()
            self._rollback()
            raise
        self._in_transaction = False
        self._commit()

    # --- schema ----------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self._transaction():
            self._lock_writes()
            self._run(MIGRATIONS_TABLE)
            current = self._scalar("SELECT max(version) FROM schema_migrations") or 0
            if current > LATEST_VERSION:
                raise StoreError(
                    f"database schema version {current} is newer than this eventwire "
                    f"(it knows versions up to {LATEST_VERSION}); upgrade eventwire"
                )
            for migration in pending(current):
                for statement in migration.statements:
                    self._run(statement)
                self._run(
                    "INSERT INTO schema_migrations (version, description, applied_at)"
                    " VALUES (?, ?, ?)",
                    [migration.version, migration.description, _now()],
                )

    def schema_version(self) -> int:
        return int(self._scalar("SELECT max(version) FROM schema_migrations") or 0)

    # --- writing ---------------------------------------------------------------------------

    def ingest(
        self, analysis: Analysis, text: str, *, ingested_at: datetime | None = None
    ) -> IngestResult:
        """Store an article's analysis: its row, its mentions, their events, in one
        transaction. An article already stored by the same extractor version is left as it
        is ("unchanged"); by another version, its mentions are replaced ("replaced")."""
        with self._transaction():
            self._lock_writes()
            return self._ingest(analysis, text, ingested_at or _now())

    def ingest_many(
        self, items: Iterable[tuple[Analysis, str]], *, ingested_at: datetime | None = None
    ) -> list[IngestResult]:
        """``ingest`` for each (analysis, text), all in one transaction (all or nothing)."""
        items = list(items)
        with self._transaction():
            self._lock_writes()
            self._prefetch([analysis for analysis, _ in items])
            return [self._ingest(a, t, ingested_at or _now()) for a, t in items]

    def _prefetch(self, analyses: Sequence[Analysis]) -> None:
        """Read in a few statements what ``_ingest`` would ask per article and per mention:
        the stored versions of the batch's articles, the stored events its mentions could
        join (with their mentions' dates and places), and which new event ids are taken.
        A batch of 32 articles then costs a handful of reads instead of hundreds."""
        if self._pending_articles or self._touched:
            return  # the store already holds writes of this transaction: read as you go
        ids = list(dict.fromkeys(a.article.id for a in analyses))
        known: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(ids):
            for row in self._rows(
                "SELECT id, extractor_version, ingested_at, analysis IS NULL AS bare"
                f" FROM articles WHERE {_in('id', chunk)}",
                chunk,
            ):
                known[row["id"]] = row
        mentions = [
            mention_row(event, a.article.id)
            for a in analyses
            if a.article.id not in known
            or known[a.article.id]["extractor_version"] != a.extractor_version
            for event in a.events
        ]
        countries = sorted({
            c for m in mentions if m["actor_country"] is not None
            for c in (m["actor_country"], m["recipient_country"]) if c is not None
        })
        types = sorted({m["event_type"] for m in mentions if m["actor_country"] is not None})
        rows_by_key: dict[tuple, list[dict[str, Any]]] = {}
        dates: dict[str, list[dict[str, Any]]] = {}
        if countries and types and len(countries) + len(types) <= _MAX_PARAMS:
            for row in self._rows(
                "SELECT id, event_type, status, reciprocal, actor_country, recipient_country,"
                f" place_country FROM events WHERE {_in('event_type', types)}"
                f" AND {_in('actor_country', countries)}",
                [*types, *countries],
            ):
                key = (row["event_type"], row["actor_country"], row["recipient_country"])
                rows_by_key.setdefault(key, []).append(row)
            event_ids = sorted(row["id"] for rows in rows_by_key.values() for row in rows)
            for chunk in _chunks(event_ids):
                # every fact of the candidate events, in one statement: their dates and
                # places for choosing, all of it for the one a mention joins (_load_facts)
                for row in self._fact_rows(f"m.{_in('event_id', chunk)}", chunk):
                    dates.setdefault(row.pop("event_id"), []).append(row)
        fresh = sorted({clusters.new_event_id(m, lambda _id: False) for m in mentions})
        taken: set[str] = set()
        for chunk in _chunks(fresh):
            rows = self._rows(f"SELECT id FROM events WHERE {_in('id', chunk)}", chunk)
            taken.update(r["id"] for r in rows)
        self._known_articles = known
        self._known_events = {
            key: [clusters.Candidate.from_rows(row, dates.get(row["id"], [])) for row in rows]
            for key, rows in rows_by_key.items()
        }
        self._known_ids = {event_id: event_id in taken for event_id in fresh}
        self._known_facts = dates

    def _ingest(self, analysis: Analysis, text: str, ingested_at: datetime) -> IngestResult:
        meta = analysis.article
        if meta.id in self._pending_articles:
            self._flush()
        if self._known_articles is not None:
            stored = [self._known_articles[meta.id]] if meta.id in self._known_articles else []
        else:
            stored = self._rows(
                "SELECT extractor_version, ingested_at, analysis IS NULL AS bare FROM articles"
                " WHERE id = ?",
                [meta.id],
            )
        if stored and stored[0]["extractor_version"] == analysis.extractor_version:
            if stored[0]["bare"]:  # stored before the store kept analyses
                self._run(
                    "UPDATE articles SET analysis = ? WHERE id = ?",
                    [analysis.model_dump_json(), meta.id],
                )
            rows = self._rows(
                "SELECT event_id FROM mentions WHERE article_id = ? ORDER BY evidence_start, id",
                [meta.id],
            )
            return IngestResult(
                meta.id, "unchanged", len(rows), list(dict.fromkeys(r["event_id"] for r in rows))
            )
        status = "new"
        if stored:
            status = "replaced"
            # The article keeps the time it was first stored, so its events keep their order.
            ingested_at = stored[0]["ingested_at"] or ingested_at
            self._flush()  # cached facts may include the mentions about to go
            self._forget_prefetch()  # and the stored events are about to change
            old = self._rows(
                "SELECT DISTINCT event_id FROM mentions WHERE article_id = ?", [meta.id]
            )
            self._run("DELETE FROM mentions WHERE article_id = ?", [meta.id])
            self._run("DELETE FROM articles WHERE id = ?", [meta.id])
            for event_id in sorted(r["event_id"] for r in old):
                self._touch(event_id, self._load_facts(event_id), stored=True)
        self._pending["articles"].append(
            {
                **meta.model_dump(include=set(ARTICLE_COLUMNS)),
                "text": text,
                "extractor_version": analysis.extractor_version,
                "ingested_at": ingested_at,
                "analysis": analysis.model_dump_json(),
            }
        )
        self._pending_articles.add(meta.id)
        outlet_key, outlet_state = _outlet_facts(meta.outlet) if meta.outlet else (None, None)
        article_facts = {
            "article_url": meta.url,
            "article_outlet": meta.outlet,
            "article_ingested_at": ingested_at,
            "outlet_key": outlet_key,
            "outlet_state_country": outlet_state,
        }
        joined: list[str] = []
        seen: set[str] = set()
        for record in analysis.events:
            if record.id in seen:
                continue
            seen.add(record.id)
            mention = mention_row(record, meta.id)
            event_id, is_new = self._assign(mention)
            mention["event_id"] = event_id
            if event_id not in self._touched:
                self._touch(event_id, [] if is_new else self._load_facts(event_id), not is_new)
            facts = self._touched[event_id]
            fact = {k: mention[k] for k in _FACT_COLUMNS} | article_facts
            bisect.insort(facts, fact, key=_fact_order)  # facts stay in mention order
            if event_id in self._growing:
                self._growing[event_id].add(fact, facts)
            self._index(event_id)
            self._pending["mentions"].append(mention)
            joined.append(event_id)
        return IngestResult(meta.id, status, len(seen), list(dict.fromkeys(joined)))

    def _touch(self, event_id: str, facts: list[dict[str, Any]], stored: bool) -> None:
        self._touched[event_id] = facts
        self._growing.pop(event_id, None)
        if stored:
            self._stored_touched.add(event_id)
        self._index(event_id)

    def _index(self, event_id: str) -> None:
        facts = self._touched[event_id]
        if facts:
            ids = self._touched_by_key.setdefault(_key(facts[0]), [])
            if event_id not in ids:
                ids.append(event_id)

    def _assign(self, mention: Mapping[str, Any]) -> tuple[str, bool]:
        """The event a new mention joins, or a fresh id for a new event (then True)."""
        actor, recipient = mention["actor_country"], mention["recipient_country"]
        if actor is not None:
            statuses = clusters.group_statuses(clusters.status_group(mention["status"]))
            candidates = [
                self._candidate(event_id, self._touched[event_id])
                for event_id in self._touched_by_key.get(_key(mention), ())
                if self._touched[event_id]
            ]
            pair = "(actor_country = ? AND recipient_country IS NOT DISTINCT FROM ?)"
            params: list[Any] = [mention["event_type"], *statuses, actor, recipient]
            if recipient is not None:
                pair = f"({pair} OR (actor_country = ? AND recipient_country = ?))"
                params += [recipient, actor]
            if self._known_events is not None:
                kind = mention["event_type"]
                candidates += [
                    c
                    for key in dict.fromkeys([(kind, actor, recipient), (kind, recipient, actor)])
                    for c in self._known_events.get(key, ())
                    if c.status in statuses and c.id not in self._touched
                    and (key[1] == actor or recipient is not None)
                ]
                stored = []
            else:
                stored = [
                    e
                    for e in self._rows(
                        "SELECT id, event_type, status, reciprocal, actor_country,"
                        " recipient_country, place_country FROM events WHERE event_type = ?"
                        f" AND {_in('status', statuses)} AND {pair}",
                        params,
                    )
                    if e["id"] not in self._touched
                ]
            if stored:
                ids = [e["id"] for e in stored]
                dates = self._rows(
                    "SELECT event_id, article_id, place_name, place_feature, lat, lon,"
                    " date_value, date_precision, date_inferred FROM mentions"
                    f" WHERE {_in('event_id', ids)}",
                    ids,
                )
                candidates += [
                    clusters.Candidate.from_rows(e, [d for d in dates if d["event_id"] == e["id"]])
                    for e in stored
                ]
            chosen = clusters.choose_event(mention, candidates)
            if chosen is not None:
                return chosen, False
        new_id = clusters.new_event_id(mention, self._taken)
        return new_id, new_id not in self._touched

    def _taken(self, event_id: str) -> bool:
        """Whether an event id is in use (an event about to be deleted frees its id)."""
        if event_id in self._touched:
            return bool(self._touched[event_id])
        if event_id in self._known_ids:
            return self._known_ids[event_id]
        return bool(self._rows("SELECT id FROM events WHERE id = ?", [event_id]))

    def _candidate(self, event_id: str, facts: list[dict[str, Any]]) -> clusters.Candidate:
        # Built once per event and transaction, then kept up to date as mentions join it.
        growing = self._growing.get(event_id)
        if growing is None:
            growing = self._growing[event_id] = clusters.GrowingCandidate(event_id, facts)
        return growing.candidate()

    def _load_facts(self, event_id: str) -> list[dict[str, Any]]:
        """What an event's aggregates are computed from: its mentions with their articles'
        url, outlet and time, in mention order (read ahead for the batch when it can be)."""
        known = self._known_facts.pop(event_id, None)
        if known is not None:
            return known
        rows = self._fact_rows("m.event_id = ?", [event_id])
        for row in rows:
            del row["event_id"]
        return rows

    def _fact_rows(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        rows = self._rows(
            f"SELECT m.event_id, {', '.join('m.' + c for c in _FACT_COLUMNS)},"
            " a.url AS article_url, a.outlet AS article_outlet,"
            " a.ingested_at AS article_ingested_at"
            f" FROM mentions m JOIN articles a ON a.id = m.article_id WHERE {where}"
            f" ORDER BY {_MENTION_ORDER}",
            params,
        )
        for row in rows:
            outlet = row.get("article_outlet")
            row["outlet_key"], row["outlet_state_country"] = (
                _outlet_facts(outlet) if outlet else (None, None)
            )
        return rows

    def _flush(self) -> None:
        """Write what the transaction holds back: articles, mentions, the touched events."""
        pending, touched, stored = self._pending, self._touched, self._stored_touched
        self._reset_pending()
        self._insert_many("articles", pending["articles"])
        self._insert_many("mentions", pending["mentions"])
        self._delete_events(sorted(stored))
        self._insert_many(
            "events",
            [clusters.aggregate(i, facts) for i, facts in sorted(touched.items()) if facts],
        )

    # --- reading ---------------------------------------------------------------------------

    def query(
        self, f: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Events matching a filter, ordered by date (unknown last), then id."""
        where, params = filter_sql(f)
        sql = (
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events{where}"
            " ORDER BY date_value ASC NULLS LAST, id"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        if offset:
            sql += " OFFSET ?"
            params.append(int(offset))
        return self._rows(sql, params)

    def count(self, f: EventFilter | None = None) -> int:
        where, params = filter_sql(f)
        return int(self._scalar(f"SELECT count(*) FROM events{where}", params))

    def aggregate(self, f: EventFilter | None, columns: Sequence[str]) -> list[dict[str, Any]]:
        """How many events match a filter per combination of values of some events columns:
        rows of those columns plus "events", in no particular order."""
        unknown = [c for c in columns if c not in EVENT_COLUMNS]
        if unknown or not columns:
            raise ValueError(f"cannot group events by {unknown or 'nothing'}")
        where, params = filter_sql(f)
        names = ", ".join(columns)
        rows = self._rows(
            f"SELECT {names}, count(*) AS events FROM events{where} GROUP BY {names}", params
        )
        for row in rows:
            row["events"] = int(row["events"])
        return rows

    def reach(self, f: EventFilter | None = None) -> dict[str, int]:
        """The mentions of the events that match a filter, and the articles they are in."""
        where, params = filter_sql(f)
        row = self._rows(
            "SELECT count(*) AS mentions, count(DISTINCT article_id) AS articles FROM mentions"
            f" WHERE event_id IN (SELECT id FROM events{where})",
            params,
        )[0]
        return {"mentions": int(row["mentions"]), "articles": int(row["articles"])}

    def mentions(self, event_id: str) -> list[dict[str, Any]]:
        """An event's mentions, each with its article's url, title, outlet and date."""
        cols = ", ".join(f"m.{c}" for c in MENTION_COLUMNS)
        return self._rows(
            f"SELECT {cols}, a.url AS article_url, a.title AS article_title,"
            " a.outlet AS article_outlet, a.published AS article_published"
            " FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ?"
            f" ORDER BY {_MENTION_ORDER}",
            [event_id],
        )

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event row with its ``mentions``, or None."""
        rows = self._rows(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE id = ?", [event_id])
        if not rows:
            return None
        return {**rows[0], "mentions": self.mentions(event_id)}

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article row with its ``mentions`` (in text order), or None."""
        rows = self._rows(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [article_id]
        )
        if not rows:
            return None
        mentions = self._rows(
            f"SELECT {', '.join(MENTION_COLUMNS)} FROM mentions WHERE article_id = ?"
            " ORDER BY evidence_start, id",
            [article_id],
        )
        return {**rows[0], "mentions": mentions}

    def stored_ids(self, ids: Iterable[str], extractor_version: str) -> set[str]:
        """Those of ``ids`` whose articles are stored whole (analysis kept) by
        ``extractor_version``: what a bulk ingest may skip without parsing them again."""
        wanted = list(dict.fromkeys(ids))
        if self._pending_articles:
            self._flush()
        found: set[str] = set()
        for start in range(0, len(wanted), _MAX_PARAMS):
            chunk = wanted[start : start + _MAX_PARAMS]
            found.update(
                r["id"]
                for r in self._rows(
                    f"SELECT id FROM articles WHERE {_in('id', chunk)}"
                    " AND extractor_version = ? AND analysis IS NOT NULL",
                    [*chunk, extractor_version],
                )
            )
        return found

    def has_article(self, article_id: str, extractor_version: str) -> bool:
        """Whether an article is stored whole by ``extractor_version`` (see ``stored_ids``)."""
        return bool(self.stored_ids([article_id], extractor_version))

    def iter_table(self, name: str, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every row of "articles", "mentions" or "events", ordered by id, fetched in batches."""
        if name not in TABLES:
            raise ValueError(f"unknown table {name!r} (expected one of {', '.join(TABLES)})")
        sql = f"SELECT {', '.join(TABLES[name])} FROM {name} ORDER BY id"
        return self._stream(self._sql(sql), [], batch)

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: int(self._scalar(f"SELECT count(*) FROM {name}")) for name in TABLES
        }
        out["schema_version"] = self.schema_version()
        out["backend"] = self.backend
        return out

    # --- lifetime --------------------------------------------------------------------------

    def close(self) -> None:
        self._close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _MAX_PARAMS):
        yield values[start : start + _MAX_PARAMS]


def _fact_order(row: Mapping[str, Any]) -> tuple:
    """The SQL mention order (``_MENTION_ORDER``) in Python."""
    return (row["article_ingested_at"], row["article_id"], row["evidence_start"], row["id"])


def _key(mention: Mapping[str, Any]) -> tuple:
    """What every mention of an event shares: type, status group, the pair of countries."""
    pair = sorted((mention["actor_country"] or "", mention["recipient_country"] or ""))
    return mention["event_type"], clusters.status_group(mention["status"]), *pair


@lru_cache(maxsize=512)
def _translate(sql: str, placeholder: str) -> str:
    """``?`` placeholders to the driver's; the store's own SQL never has ``?`` in literals."""
    return sql.replace("?", placeholder)
