"""What the web workbench (and anything else that wants summaries) reads from a store:
filters parsed from text parameters, per-filter statistics, the actor network, an event with the
articles that report it, an article with its analysis, and rows made JSON-ready.

Everything is computed from ``EventStore`` reads (``count``, ``aggregate``, ``reach``, ``event``,
``article``), so it is the same on DuckDB and PostgreSQL.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from eventwire.model import EVENT_TYPES, SourceType, Status
from eventwire.store.base import EventFilter, EventStore

STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
SOURCE_TYPES: tuple[str, ...] = SourceType.__args__  # type: ignore[attr-defined]
_COUNTRY = re.compile(r"^[A-Z]{3}$")

# Text parameter -> EventFilter field, for the filters that take a list of codes.
LIST_PARAMS: dict[str, str] = {
    "type": "event_type",
    "mode": "mode",
    "actor_country": "actor_country",
    "recipient_country": "recipient_country",
    "country": "either_country",
    "actor_sector": "actor_sector",
    "recipient_sector": "recipient_sector",
    "place_country": "place_country",
    "status": "status",
    "source_type": "source_type",
}
TEXT_PARAMS: dict[str, str] = {"source": "source", "text": "text"}
FILTER_PARAMS: tuple[str, ...] = (
    *LIST_PARAMS, *TEXT_PARAMS, "from", "to", "near", "min_articles",
)  # fmt: skip
_UPPER = {"type", "actor_country", "recipient_country", "country", "actor_sector",
          "recipient_sector", "place_country"}  # fmt: skip
_ALLOWED: dict[str, tuple[str, ...]] = {
    "type": EVENT_TYPES,
    "status": STATUSES,
    "source_type": SOURCE_TYPES,
}
_COUNTRY_PARAMS = ("actor_country", "recipient_country", "country", "place_country")


class FilterError(ValueError):
    """A filter parameter with a value that cannot be used; the message names the parameter."""

    def __init__(self, param: str, reason: str) -> None:
        super().__init__(f"{param}: {reason}")
        self.param = param
        self.reason = reason


def _items(values: Iterable[str]) -> list[str]:
    """Repeated values and comma lists alike: ["a,b", "c"] -> ["a", "b", "c"]."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _last(values: Sequence[str]) -> str | None:
    for value in reversed(values):
        if value.strip():
            return value.strip()
    return None


def _date(param: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(param, f"not a date (expected YYYY-MM-DD): {value!r}") from None


def parse_near(value: str) -> tuple[float, float, float]:
    """(lat, lon, km) from "LAT,LON,KM", in range."""
    try:
        lat, lon, km = (float(part) for part in value.split(","))
    except ValueError:
        raise FilterError("near", f"expected LAT,LON,KM (e.g. 43.1,131.9,50): {value!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= km < float("inf")):
        raise FilterError("near", f"out of range (lat -90..90, lon -180..180, km >= 0): {value!r}")
    return lat, lon, km


def parse_filter(params: Mapping[str, Sequence[str]]) -> EventFilter:
    """An EventFilter from text parameters (each name with all the values it was given), with
    the semantics of ``eventwire query``: a repeated parameter or a comma list means any of its
    values. Unknown names are ignored; a bad value raises FilterError."""
    fields: dict[str, Any] = {}
    for param, name in LIST_PARAMS.items():
        values = _items(params.get(param, ()))
        if not values:
            continue
        values = [v.upper() if param in _UPPER else v.lower() for v in values]
        allowed = _ALLOWED.get(param)
        bad = [v for v in values if v not in allowed] if allowed else []
        if bad:
            raise FilterError(
                param, f"unknown value {bad[0]!r} (expected one of {', '.join(allowed or ())})"
            )
        if param in _COUNTRY_PARAMS:
            bad = [v for v in values if not _COUNTRY.match(v)]
            if bad:
                raise FilterError(
                    param, f"not a country code (expected ISO 3166-1 alpha-3): {bad[0]!r}"
                )
        fields[name] = list(dict.fromkeys(values))
    for param, name in TEXT_PARAMS.items():
        value = _last(params.get(param, ()))
        if value is not None:
            fields[name] = value
    for param, name in (("from", "date_from"), ("to", "date_to")):
        value = _last(params.get(param, ()))
        if value is not None:
            fields[name] = _date(param, value)
    start, end = fields.get("date_from"), fields.get("date_to")
    if start and end and start > end:
        raise FilterError("from", "the start date is after the end date ('to')")
    near = _last(params.get("near", ()))
    if near is not None:
        fields["near"] = parse_near(near)
    least = _last(params.get("min_articles", ()))
    if least is not None:
        try:
            fields["min_articles"] = int(least)
        except ValueError:
            fields["min_articles"] = -1
        if fields["min_articles"] < 0:
            raise FilterError("min_articles", f"expected a whole number >= 0: {least!r}")
    return EventFilter(**fields)


# --- JSON ---------------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def json_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A store row with dates and times as ISO strings."""
    return {key: json_value(value) for key, value in row.items()}


# --- summaries ----------------------------------------------------------------------------------


def _counts(rows: Iterable[Mapping[str, Any]], column: str) -> dict[str, int]:
    out: Counter[str] = Counter()
    for row in rows:
        if row[column] is not None:
            out[row[column]] += row["events"]
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def event_stats(store: EventStore, f: EventFilter | None = None) -> dict[str, Any]:
    """Counts for the events that match a filter: events, the articles and mentions that report
    them, per type, per status, per day and type (dated events only), per country taking part
    (as actor or recipient; an event counts once for each country)."""
    by_type_status = store.aggregate(f, ["event_type", "status"])
    by_day = store.aggregate(f, ["date_value", "event_type"])
    dyads = store.aggregate(f, ["actor_country", "recipient_country"])
    countries: Counter[str] = Counter()
    for row in dyads:
        for code in {row["actor_country"], row["recipient_country"]} - {None}:
            countries[code] += row["events"]
    timeline = sorted(
        (
            {"date": json_value(row["date_value"]), "type": row["event_type"],
             "events": row["events"]}  # fmt: skip
            for row in by_day
            if row["date_value"] is not None
        ),
        key=lambda item: (item["date"], item["type"]),
    )
    return {
        "events": sum(row["events"] for row in by_type_status),
        **store.reach(f),
        "by_type": _counts(by_type_status, "event_type"),
        "by_status": _counts(by_type_status, "status"),
        "timeline": timeline,
        "countries": dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def _country_name(code: str) -> str | None:
    from eventwire.knowledge import knowledge_base

    try:
        return knowledge_base().country_name(code)
    except Exception:  # a broken lexicon must not take the network view down
        return None


def _top(counter: Counter[str | None]) -> str | None:
    """The most frequent value that is not None (ties: alphabetical)."""
    known = [(n, v) for v, n in counter.items() if v is not None]
    return min(known, key=lambda item: (-item[0], item[1]))[1] if known else None


def actor_network(
    store: EventStore, f: EventFilter | None = None, limit: int = 200
) -> dict[str, Any]:
    """Who acts on whom among the events that match a filter.

    A node is a country (key: its ISO code), or an actor with no country (key: its name); its
    ``events`` are the events it takes part in. An edge goes from actor to recipient, weighted
    by events, with a count per type. The ``limit`` nodes with most events are kept, with the
    edges between them.
    """
    sides = ("actor", "recipient")
    rows = store.aggregate(
        f, [f"{side}_{part}" for side in sides for part in ("name", "country", "sector")]
        + ["event_type"],
    )
    events: Counter[str] = Counter()
    names: dict[str, Counter[str | None]] = defaultdict(Counter)
    sectors: dict[str, Counter[str | None]] = defaultdict(Counter)
    countries: dict[str, str | None] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        keys: list[str | None] = []
        for side in sides:
            country, name = row[f"{side}_country"], row[f"{side}_name"]
            key = country or name
            keys.append(key)
            if key is None:
                continue
            countries[key] = country
            names[key][name] += row["events"]
            sectors[key][row[f"{side}_sector"]] += row["events"]
        for key in set(keys) - {None}:
            events[key] += row["events"]  # type: ignore[index]
        source, target = keys
        if source is not None and target is not None:
            edge = edges.setdefault((source, target), {"events": 0, "types": Counter()})
            edge["events"] += row["events"]
            edge["types"][row["event_type"]] += row["events"]
    kept = sorted(events, key=lambda k: (-events[k], k))[: max(0, limit)]
    actors = []
    for key in kept:
        country = countries[key]
        name = (_country_name(country) if country else None) or _top(names[key]) or key
        actors.append(
            {"key": key, "name": name, "country": country, "sector": _top(sectors[key]),
             "events": events[key]}  # fmt: skip
        )
    chosen = set(kept)
    edge_list = [
        {"source": s, "target": t, "events": e["events"],
         "types": dict(sorted(e["types"].items(), key=lambda kv: (-kv[1], kv[0])))}  # fmt: skip
        for (s, t), e in edges.items()
        if s in chosen and t in chosen
    ]
    edge_list.sort(key=lambda e: (-e["events"], e["source"], e["target"]))
    return {"actors": actors, "edges": edge_list}


def filter_values(store: EventStore) -> dict[str, list[str]]:
    """The values each filter can take: the fixed vocabularies, and the sectors, countries and
    modes the stored events use."""
    seen = store.aggregate(
        None,
        ["actor_country", "recipient_country", "place_country", "actor_sector",
         "recipient_sector", "mode"],
    )  # fmt: skip

    def used(*columns: str) -> list[str]:
        return sorted({row[c] for row in seen for c in columns if row[c] is not None})

    return {
        "types": list(EVENT_TYPES),
        "statuses": list(STATUSES),
        "source_types": list(SOURCE_TYPES),
        "sectors": used("actor_sector", "recipient_sector"),
        "countries": used("actor_country", "recipient_country", "place_country"),
        "modes": used("mode"),
    }


def event_detail(store: EventStore, event_id: str) -> dict[str, Any] | None:
    """An event row with its mentions (each with its article's url, title, outlet and date)
    and the distinct articles that report it, in mention order; None if unknown."""
    event = store.event(event_id)
    if event is None:
        return None
    articles: dict[str, dict[str, Any]] = {}
    for m in event["mentions"]:
        articles.setdefault(
            m["article_id"],
            {"id": m["article_id"], "title": m["article_title"], "url": m["article_url"],
             "outlet": m["article_outlet"], "published": json_value(m["article_published"])},
        )  # fmt: skip
    return {
        **json_row({k: v for k, v in event.items() if k != "mentions"}),
        "mentions": [json_row(m) for m in event["mentions"]],
        "articles": list(articles.values()),
    }


def article_detail(store: EventStore, article_id: str) -> dict[str, Any] | None:
    """An article row with its analysis parsed (None when the store has none for it) and its
    mentions in text order; None if unknown."""
    article = store.article(article_id)
    if article is None:
        return None
    analysis = article.get("analysis")
    try:
        parsed = json.loads(analysis) if analysis else None
    except ValueError:
        parsed = None
    return {
        **json_row({k: v for k, v in article.items() if k not in ("mentions", "analysis")}),
        "analysis": parsed,
        "mentions": [json_row(m) for m in article["mentions"]],
    }
