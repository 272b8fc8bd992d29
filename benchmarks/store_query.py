"""How fast does the event store answer filtered queries? Times ``EventStore.query`` on a store of
10,000 events, in DuckDB and (when reachable) PostgreSQL.

The store is filled with synthetic analyses (no spaCy: random actors, types, dates, places and
evidence sentences, with some events retold by several articles) through
``EventStore.ingest_many``, until it holds at least ``--events`` events. Each query runs once
untimed, then ``--repeat`` times; the median is reported. PostgreSQL gets a database of its own
(``eventwire_bench_<random>``), dropped at the end.

    python benchmarks/store_query.py [--events 10000] [--repeat 20] [--no-pg] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from eventwire import EXTRACTOR_VERSION
from eventwire.model import (
    Actor,
    Analysis,
    ArticleMeta,
    Attribution,
    DateRef,
    Event,
    Evidence,
    Place,
    stable_id,
)
from eventwire.store import EventFilter, EventStore, open_store

PG_ADMIN = os.environ.get("EVENTWIRE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

# (ISO code, name, capital, lat, lon): enough states for varied dyads.
COUNTRIES = (
    ("RUS", "Russia", "Moscow", 55.76, 37.62),
    ("UKR", "Ukraine", "Kyiv", 50.45, 30.52),
    ("PRK", "North Korea", "Pyongyang", 39.03, 125.75),
    ("KOR", "South Korea", "Seoul", 37.57, 126.98),
    ("USA", "United States", "Washington", 38.90, -77.04),
    ("CHN", "China", "Beijing", 39.90, 116.40),
    ("DEU", "Germany", "Berlin", 52.52, 13.40),
    ("FRA", "France", "Paris", 48.86, 2.35),
    ("GBR", "United Kingdom", "London", 51.51, -0.13),
    ("TUR", "Turkey", "Ankara", 39.93, 32.86),
    ("IRN", "Iran", "Tehran", 35.69, 51.39),
    ("ISR", "Israel", "Jerusalem", 31.77, 35.21),
    ("EGY", "Egypt", "Cairo", 30.04, 31.24),
    ("SDN", "Sudan", "Khartoum", 15.50, 32.56),
    ("KEN", "Kenya", "Nairobi", -1.29, 36.82),
    ("NGA", "Nigeria", "Abuja", 9.06, 7.49),
    ("BRA", "Brazil", "Brasilia", -15.79, -47.88),
    ("CHL", "Chile", "Santiago", -33.45, -70.67),
    ("PER", "Peru", "Lima", -12.04, -77.03),
    ("IND", "India", "New Delhi", 28.61, 77.21),
    ("PAK", "Pakistan", "Islamabad", 33.69, 73.05),
    ("JPN", "Japan", "Tokyo", 35.68, 139.69),
    ("POL", "Poland", "Warsaw", 52.23, 21.01),
    ("NOR", "Norway", "Oslo", 59.91, 10.75),
    ("SYR", "Syria", "Damascus", 33.51, 36.29),
    ("IRQ", "Iraq", "Baghdad", 33.31, 44.36),
    ("VEN", "Venezuela", "Caracas", 10.49, -66.88),
    ("COL", "Colombia", "Bogota", 4.71, -74.07),
    ("ZAF", "South Africa", "Pretoria", -25.75, 28.19),
    ("AUS", "Australia", "Canberra", -35.28, 149.13),
)
TYPES = (
    ("AGREE", "03"), ("CONSULT", "04"), ("SUPPORT", "05"), ("CONCEDE", "08"),
    ("COOPERATE", "06"), ("AID", "07"), ("RETREAT", "08"), ("REQUEST", "10"), ("ACCUSE", "11"),
    ("REJECT", "12"), ("THREATEN", "13"), ("PROTEST", "14"), ("SANCTION", "16"),
    ("MOBILIZE", "15"), ("COERCE", "17"), ("ASSAULT", "18"),
)  # fmt: skip
SECTORS = ("GOV", "MIL", "GOV", "GOV", "BUS", "CVL", "MED")
STATUSES = ("asserted", "asserted", "reported", "reported", "denied", "speculated", "planned")
SOURCES = (
    ("TASS", "state_media", "RUS"), ("KCNA", "state_media", "PRK"), ("Reuters", "media", None),
    ("the foreign ministry", "government", None), ("a spokesperson", "official", None),
)
OUTLETS = ("Wire One", "Daily Example", "Evening Post", "World Desk", "Harbour Times")
NOUNS = ("drones", "talks", "grain", "sanctions", "troops", "refugees", "pipeline", "ceasefire")
START = date(2014, 1, 1)
DAYS = 11 * 365
ARTICLE_EVENTS = 5


def machine() -> dict[str, object]:
    import duckdb

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
    }


def _party(rng: random.Random, country: tuple) -> Actor:
    code, name = country[0], country[1]
    return Actor(text=name, name=name, country=code, sector=rng.choice(SECTORS), span=(0, 1))


def _event(rng: random.Random, article_id: str, n: int, spec: dict[str, Any], at: int) -> Event:
    """One synthetic event record whose evidence sits at offset ``at`` of the article text."""
    actor, recipient = spec["actor"], spec["recipient"]
    sentence = (
        f"{actor[1]} and {recipient[1]}: {spec['type'][0].lower()} over "
        f"{spec['noun']} near {spec['place'][2]} (item {n})."
    )
    when = spec["date"]
    source = spec["source"]
    return Event(
        id=stable_id(article_id, n, spec["type"][0]),
        article_id=article_id,
        event_type=spec["type"][0],
        cameo=spec["type"][1],
        actor=_party(rng, actor).model_copy(update={"span": (at, at + len(actor[1]))}),
        recipient=_party(rng, recipient),
        reciprocal=spec["type"][0] in ("CONSULT", "AGREE"),
        date=DateRef(text="on the day", value=when.isoformat(), precision="day") if when else None,
        location=Place(
            text=spec["place"][2], name=spec["place"][2], country=spec["place"][0],
            feature="city", lat=spec["place"][3], lon=spec["place"][4],
        ),  # fmt: skip
        attribution=(
            Attribution(source=source[0], source_type=source[1], country=source[2])
            if source
            else None
        ),
        status=spec["status"],
        evidence=Evidence(start=at, end=at + len(sentence), text=sentence),
        confidence=round(rng.uniform(0.4, 0.95), 2),
    )


def _spec(rng: random.Random) -> dict[str, Any]:
    actor, recipient = rng.sample(COUNTRIES, 2)
    return {
        "type": rng.choice(TYPES),
        "actor": actor,
        "recipient": recipient,
        "date": None if rng.random() < 0.05 else START + timedelta(days=rng.randrange(DAYS)),
        "place": rng.choice((actor, recipient)),
        "status": rng.choice(STATUSES),
        "source": rng.choice(SOURCES) if rng.random() < 0.5 else None,
        "noun": rng.choice(NOUNS),
    }


def synthetic_articles(seed: int = 4) -> Iterator[tuple[Analysis, str]]:
    """Endless (analysis, text) pairs; about one event in ten retells an earlier one."""
    rng = random.Random(seed)
    told: list[dict[str, Any]] = []
    number = 0
    while True:
        number += 1
        specs = [
            rng.choice(told) if told and rng.random() < 0.1 else _spec(rng)
            for _ in range(ARTICLE_EVENTS)
        ]
        told += specs
        article_id = stable_id("bench", seed, number)
        events: list[Event] = []
        text = ""
        for n, spec in enumerate(specs):
            event = _event(rng, article_id, n, spec, len(text))
            text += event.evidence.text + "\n"
            events.append(event)
        meta = ArticleMeta(
            id=article_id,
            title=f"Synthetic article {number}",
            published=events[0].date.value if events[0].date else None,
            outlet=rng.choice(OUTLETS),
            url=f"https://news.example.net/{number}",
            source="benchmark",
        )
        yield Analysis(extractor_version=EXTRACTOR_VERSION, article=meta, events=events), text


def fill(store: EventStore, events: int, batch: int = 200) -> dict[str, Any]:
    """Ingest synthetic articles until the store holds at least ``events`` events."""
    started = time.perf_counter()
    source = synthetic_articles()
    articles = 0
    while store.count() < events:
        store.ingest_many([next(source) for _ in range(batch)])
        articles += batch
    stats = store.stats()
    return {**stats, "fill_s": round(time.perf_counter() - started, 1), "articles": articles}


QUERIES: dict[str, EventFilter] = {
    "type + country pair + date range": EventFilter(
        event_type=["ASSAULT", "COERCE"], actor_country=["RUS"], recipient_country=["UKR"],
        date_from=date(2016, 1, 1), date_to=date(2022, 12, 31),
    ),
    "either country + status + year": EventFilter(
        either_country=["PRK"], status=["reported"],
        date_from=date(2020, 1, 1), date_to=date(2020, 12, 31),
    ),
    "near (Kyiv, 300 km)": EventFilter(near=(50.45, 30.52, 300.0)),
    "near + type": EventFilter(near=(52.52, 13.40, 100.0), event_type=["CONSULT"]),
    "text in evidence": EventFilter(text="pipeline near Oslo"),
    "source + source type": EventFilter(source="tass", source_type=["state_media"]),
    "min articles 2": EventFilter(min_articles=2),
}  # fmt: skip


def time_queries(store: EventStore, repeat: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, flt in QUERIES.items():
        rows = store.query(flt)  # untimed: warms caches and plans
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            store.query(flt)
            seconds.append(time.perf_counter() - started)
        out[name] = {
            "rows": len(rows),
            "median_ms": round(statistics.median(seconds) * 1000, 2),
            "max_ms": round(max(seconds) * 1000, 2),
            "ids": [r["id"] for r in rows],
        }
    return out


def _pg_database(admin: str) -> tuple[str, str] | None:
    """(url of a new database, its name), or None when the server is not reachable."""
    try:
        import psycopg
    except ImportError:
        return None
    name = f"eventwire_bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as con:
            con.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as err:
        reason = str(err).strip().splitlines()[0]
        print(f"store_query: PostgreSQL skipped: {reason}", file=sys.stderr)
        return None
    parts = urlsplit(admin)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, "")), name


def _drop_pg(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(url: str, events: int, repeat: int) -> dict[str, Any]:
    with open_store(url) as store:
        built = fill(store, events)
        return {"store": built, "queries": time_queries(store, repeat)}


def run(events: int, repeat: int, use_pg: bool, admin: str) -> dict[str, Any]:
    result: dict[str, Any] = {"events_target": events, "repeat": repeat, "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        result["duckdb"] = bench(str(Path(tmp) / "bench.duckdb"), events, repeat)
    if use_pg:
        made = _pg_database(admin)
        if made is not None:
            url, name = made
            try:
                result["postgresql"] = bench(url, events, repeat)
            finally:
                _drop_pg(admin, name)
    if "postgresql" in result:
        duck, pg = result["duckdb"]["queries"], result["postgresql"]["queries"]
        result["same_rows"] = all(duck[q]["ids"] == pg[q]["ids"] for q in QUERIES)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the store")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each query")
    parser.add_argument("--no-pg", action="store_true", help="DuckDB only")
    parser.add_argument("--pg-admin", default=PG_ADMIN, help="PostgreSQL server (admin URL)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = run(max(args.events, 1), max(args.repeat, 1), not args.no_pg, args.pg_admin)
    for backend in ("duckdb", "postgresql"):
        for timing in result.get(backend, {}).get("queries", {}).values():
            timing.pop("ids")
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    m = result["machine"]
    print("eventwire store query speed (EventStore.query, median of "
          f"{result['repeat']} runs after one untimed run)")
    print(f"machine: {m['cpus']} CPUs, {m['processor']}, {m['platform']}, "
          f"Python {m['python']}, DuckDB {m['duckdb']}")
    backends = [b for b in ("duckdb", "postgresql") if b in result]
    for backend in backends:
        s = result[backend]["store"]
        print(f"{backend}: {s['events']} events, {s['mentions']} mentions, {s['articles']} "
              f"articles (filled in {s['fill_s']} s)")
    width = max(len(q) for q in QUERIES)
    print(f"{'query':<{width}}  " + "  ".join(f"{b + ' ms':>14}" for b in backends) + "   rows")
    for name in QUERIES:
        cells = [f"{result[b]['queries'][name]['median_ms']:>14.1f}" for b in backends]
        print(f"{name:<{width}}  " + "  ".join(cells)
              + f"  {result[backends[0]]['queries'][name]['rows']:>5}")
    if "same_rows" in result:
        print(f"same rows from both databases: {'yes' if result['same_rows'] else 'NO'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
