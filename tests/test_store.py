"""The event store, on DuckDB and PostgreSQL alike (fixtures in conftest.py), and the pure
cross-article identity rules in ``eventwire.store.clusters``."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

import eventwire
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
from eventwire.store import EventFilter, StoreError, open_store
from eventwire.store import clusters as cl
from eventwire.store.migrations import LATEST_VERSION

# --- texts written for these tests: one summit told by three outlets ------------------------

SUMMIT = [
    (
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un at the Vostochny "
        "cosmodrome on Wednesday. The two leaders held talks for several hours.",
        date(2023, 9, 13),
        "Harbor Times",
        "https://harbortimes.example/world/putin-kim",
    ),
    (
        "Kim Jong Un held talks with Vladimir Putin in Russia's Amur region on September 13, "
        "according to KCNA.",
        date(2023, 9, 14),
        "KCNA",
        "https://kcna.example/news/123",
    ),
    (
        "North Korea's leader Kim Jong Un and Russian President Vladimir Putin met on Wednesday "
        "at a space launch site in the Russian Far East, officials said. The Kremlin denied "
        "that any arms deal was signed.",
        date(2023, 9, 13),
        "Daily Ledger",
        "https://ledger.example/2023/09/13/summit",
    ),
]
T0 = datetime(2024, 1, 1, 12, 0, 0)


@pytest.fixture(scope="module")
def summit() -> list[tuple[Analysis, str]]:
    return [
        (eventwire.analyze(text, published=when, outlet=outlet, url=url), text)
        for text, when, outlet, url in SUMMIT
    ]


def ingest_all(store, items, start: int = 0) -> list:
    return [
        store.ingest(a, t, ingested_at=T0 + timedelta(seconds=start + i))
        for i, (a, t) in enumerate(items)
    ]


# --- synthetic analyses, built directly from the record types -------------------------------


def make_event(
    article_id: str,
    n: int,
    event_type: str,
    actor: tuple[str | None, str | None],
    recipient: tuple[str | None, str | None] | None = None,
    *,
    status: str = "asserted",
    day: str | None = None,
    precision: str = "day",
    inferred: bool = False,
    place: tuple[str, str | None, float | None, float | None] | None = None,
    source: tuple[str, str, str | None] | None = None,
    mode: str | None = None,
    reciprocal: bool = False,
    text: str = "",
    confidence: float = 0.7,
) -> Event:
    """One event record; ``actor``/``recipient`` are (country, sector)."""
    evidence = text or f"{event_type} {actor[0]} {recipient and recipient[0]} {n}"
    start = n * 100
    return Event(
        id=stable_id(article_id, n, event_type),
        article_id=article_id,
        event_type=event_type,
        mode=mode,
        actor=Actor(
            text=f"{actor[0]} side", country=actor[0], sector=actor[1], span=(start, start + 4)
        ),
        recipient=(
            Actor(
                text=f"{recipient[0]} side",
                country=recipient[0],
                sector=recipient[1],
                span=(start + 10, start + 14),
            )
            if recipient
            else None
        ),
        reciprocal=reciprocal,
        date=DateRef(text="then", value=day, precision=precision, inferred=inferred)
        if day
        else None,
        location=Place(text=place[0], name=place[0], country=place[1], lat=place[2], lon=place[3])
        if place
        else None,
        attribution=Attribution(source=source[0], source_type=source[1], country=source[2])
        if source
        else None,
        status=status,
        evidence=Evidence(start=start, end=start + len(evidence), text=evidence),
        confidence=confidence,
    )


def make_analysis(
    key: str, specs: list[dict[str, Any]], *, outlet=None, url=None, version="test-1"
) -> tuple[Analysis, str]:
    article_id = stable_id("article", key)
    events = [make_event(article_id, i, **spec) for i, spec in enumerate(specs)]
    meta = ArticleMeta(id=article_id, outlet=outlet, url=url, published=date(2024, 3, 6))
    return Analysis(extractor_version=version, article=meta, events=events), f"text of {key}"


BELGOROD = ("Belgorod", "RUS", 50.6, 36.6)
PARIS = ("Paris", "FRA", 48.85, 2.35)
BERLIN = ("Berlin", "DEU", 52.52, 13.40)


def synthetic() -> list[tuple[Analysis, str]]:
    return [
        make_analysis(
            "a1",
            [
                dict(event_type="ASSAULT", actor=("UKR", "MIL"), recipient=("RUS", "MIL"),
                     day="2024-03-01", place=BELGOROD, mode="aerial",
                     text="Drones struck a fuel depot near Belgorod."),
                dict(event_type="PROTEST", actor=("FRA", "CVL"), recipient=("FRA", "GOV"),
                     day="2024-03-05", place=PARIS, text="Farmers marched through Paris."),
            ],
            outlet="Harbor Times", url="https://harbortimes.example/a1",
        ),
        make_analysis(
            "a2",
            [
                dict(event_type="ACCUSE", actor=("RUS", "GOV"), recipient=("UKR", "GOV"),
                     status="reported", day="2024-03-02",
                     source=("Kremlin spokesman", "government", "RUS")),
                dict(event_type="AID", actor=("RUS", "GOV"), recipient=("PRK", "GOV"),
                     status="speculated", day="2024-02-01", precision="month", mode="military",
                     source=("officials", "anonymous", None)),
            ],
            outlet="TASS", url="https://tass.example/a2",
        ),
        make_analysis(
            "a3",
            [
                dict(event_type="SANCTION", actor=("USA", "GOV"), recipient=("RUS", "BUS"),
                     status="planned", source=("Treasury", "government", "USA")),
                dict(event_type="CONSULT", actor=("FRA", "GOV"), recipient=("DEU", "GOV"),
                     reciprocal=True, day="2024-03-05", place=BERLIN,
                     source=("Reuters", "media", "GBR")),
            ],
            url="https://www.example.org/a3",
        ),
        make_analysis(
            "a4",
            [
                dict(event_type="ASSAULT", actor=("UKR", "MIL"), recipient=("RUS", "MIL"),
                     day="2024-03-02", place=BELGOROD, text="A drone attack hit Belgorod."),
            ],
            outlet="Daily Ledger",
        ),
    ]  # fmt: skip


def ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def one(rows: list[dict], **where: Any) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, (where, rows)
    return found[0]


# --- clusters: pure rules -------------------------------------------------------------------


def m(**kw: Any) -> dict[str, Any]:
    row = {"event_type": "CONSULT", "status": "asserted", "reciprocal": False,
           "actor_country": "RUS", "recipient_country": "PRK", "date_value": date(2023, 9, 13),
           "date_precision": "day", "date_inferred": False, "place_country": "RUS",
           "article_id": "a", "confidence": 0.5}  # fmt: skip
    row.update(kw)
    return row


def cand(event_id: str = "e1", mentions: list[dict] | None = None, **kw: Any) -> cl.Candidate:
    """A stored event, told by another article ("b") than the mention ``m()`` comes from."""
    row = m(id=event_id, **{"article_id": "b", **kw})
    if mentions is not None:
        mentions = [{**x, "article_id": "b"} for x in mentions]
    return cl.Candidate.from_rows(row, mentions if mentions is not None else [row])


def test_a_growing_candidate_is_the_candidate_its_mentions_aggregate_to():
    # The store keeps the candidates of events being added to up to date mention by mention;
    # after every mention that must equal building the candidate from all of them.
    rng = random.Random(7)
    places = [None, ("Moscow", "RUS", 55.75, 37.62), ("Vladivostok", "RUS", 43.1, 131.9),
              ("Primorye", "RUS", 45.0, 134.0)]  # fmt: skip
    for trial in range(30):
        rows: list[dict] = []
        growing = None
        for k in range(rng.randint(1, 25)):
            place = rng.choice(places)
            row = m(article_id=f"a{rng.randint(0, 9)}", reciprocal=rng.random() < 0.2,
                    date_value=date(2023, 9, rng.randint(10, 14)),
                    date_precision=rng.choice(["day", "week", "month"]),
                    date_inferred=rng.random() < 0.3, id=f"m{k:02d}",
                    place_name=place[0] if place else None,
                    place_country=place[1] if place else None,
                    lat=place[2] if place else None, lon=place[3] if place else None,
                    place_feature="region" if place and place[0] == "Primorye" else "city",
                    article_ingested_at=T0 + timedelta(seconds=rng.randint(0, 5)))  # fmt: skip
            rows.append(row)
            rows.sort(key=lambda r: (r["article_ingested_at"], r["article_id"], r["id"]))
            if growing is None:
                growing = cl.GrowingCandidate("e1", rows)
            else:
                growing.add(row, rows)
            expected = cl.Candidate.from_rows(cl.aggregate("e1", rows), rows)
            got = growing.candidate()
            # one status group per event: the status itself is not the matcher's business
            assert dataclasses.replace(got, status=expected.status) == expected, (trial, k)


def test_an_article_never_tells_one_event_twice():
    # the extractor already merged an article's own tellings; two of its mentions that look
    # alike (a meeting on Wednesday, another on Thursday) are two events
    assert cl.choose_event(m(article_id="b"), [cand()]) is None
    assert cl.choose_event(m(article_id="c"), [cand()]) == "e1"


def test_the_same_named_place_wins_over_the_nearest_date():
    summit = cand("zz", date_value=date(2023, 9, 13), place_name="Vostochny Cosmodrome")
    visit = cand("aa", date_value=date(2023, 9, 17), place_name=None)
    undated_there = m(date_value=date(2023, 9, 17), date_inferred=True,
                      place_name="Vostochny Cosmodrome")  # fmt: skip
    assert cl.choose_event(undated_there, [visit, summit]) == "zz"
    assert cl.choose_event(m(date_value=date(2023, 9, 17)), [visit, summit]) == "aa"


def test_status_groups_merge_reports_with_assertions_only():
    assert cl.status_group("asserted") == cl.status_group("reported") == "happened"
    assert cl.group_statuses("happened") == ("asserted", "reported")
    assert cl.choose_event(m(status="reported"), [cand()]) == "e1"
    for other in ("denied", "speculated", "planned"):
        assert cl.choose_event(m(status=other), [cand()]) is None
        assert cl.choose_event(m(status=other), [cand(status=other)]) == "e1"


def test_countries_unordered_for_meetings_and_reciprocal_events_ordered_otherwise():
    swapped = m(actor_country="PRK", recipient_country="RUS")
    assert cl.choose_event(swapped, [cand()]) == "e1"  # CONSULT is symmetric
    accuse = {"event_type": "ACCUSE"}
    assert cl.choose_event({**swapped, **accuse}, [cand(**accuse)]) is None
    assert cl.choose_event({**swapped, **accuse, "reciprocal": True}, [cand(**accuse)]) == "e1"
    assert cl.choose_event(m(**accuse), [cand(**accuse)]) == "e1"
    # a missing recipient matches only a missing one; a missing actor never joins
    assert cl.choose_event(m(recipient_country=None), [cand()]) is None
    assert cl.choose_event(m(recipient_country=None), [cand(recipient_country=None)]) == "e1"
    no_actor = m(actor_country=None, recipient_country=None)
    assert cl.choose_event(no_actor, [cand(actor_country=None, recipient_country=None)]) is None


def test_dates_within_a_day_or_unknown_or_inferred_are_compatible():
    assert cl.choose_event(m(date_value=date(2023, 9, 14)), [cand()]) == "e1"
    assert cl.choose_event(m(date_value=date(2023, 9, 15)), [cand()]) is None
    assert cl.choose_event(m(date_value=date(2023, 9, 20), date_inferred=True), [cand()]) == "e1"
    assert cl.choose_event(m(date_value=None), [cand()]) == "e1"
    # a month covers its days
    month = m(date_value=date(2023, 9, 1), date_precision="month")
    assert cl.choose_event(month, [cand()]) == "e1"
    assert cl.dates_compatible(
        cl.date_span(date(2023, 9, 1), "month"), cl.date_span("2023-10-01", "day")
    )
    assert not cl.dates_compatible(
        cl.date_span("2023-01-01", "year"), cl.date_span("2024-01-02", None)
    )
    # an event whose mentions only have inferred dates has no date to disagree with
    inferred_only = [m(date_value=date(2023, 1, 1), date_inferred=True)]
    assert cl.choose_event(m(), [cand(mentions=inferred_only)]) == "e1"


def test_places_far_apart_in_one_country_are_two_events():
    paris = cand(place_name="Paris", lat=48.86, lon=2.35, recipient_country="FRA")
    marseille = m(place_name="Marseille", lat=43.30, lon=5.37, recipient_country="FRA")
    assert cl.choose_event(marseille, [paris]) is None
    # the same place named at another grain (a suburb, a region centre) is one event
    assert cl.choose_event({**marseille, "lat": 48.80, "lon": 2.13}, [paris]) == "e1"
    assert cl.choose_event({**marseille, "lat": None, "lon": None}, [paris]) == "e1"


def test_places_compatible_when_same_country_or_unknown():
    assert cl.choose_event(m(place_country=None), [cand()]) == "e1"
    assert cl.choose_event(m(), [cand(place_country=None)]) == "e1"
    assert cl.choose_event(m(place_country="PRK"), [cand()]) is None


def test_closest_date_wins_then_smaller_id():
    near, far = cand("zz", date_value=date(2023, 9, 13)), cand("aa", date_value=date(2023, 9, 12))
    assert cl.choose_event(m(), [far, near]) == "zz"
    assert cl.choose_event(m(), [cand("b2"), cand("b1")]) == "b1"
    undated = cand("a0", mentions=[m(date_value=None)])
    assert cl.choose_event(m(), [undated, cand("b1")]) == "b1"


def test_new_event_id_is_stable_and_skips_taken_ids():
    first = cl.new_event_id(m(), lambda _: False)
    assert first == cl.new_event_id(m(status="reported"), lambda _: False)
    assert first != cl.new_event_id(m(status="denied"), lambda _: False)
    second = cl.new_event_id(m(), lambda i: i == first)
    assert second != first and len(second) == len(first)


def test_aggregate_counts_status_date_place_and_state_media():
    rows = [
        m(article_id="a", status="asserted", article_outlet="KCNA", outlet_key="KCNA",
          outlet_state_country="PRK", place_name="Vostochny", lat=51.9, lon=128.3,
          date_value=date(2023, 9, 1), date_precision="month", confidence=0.6,
          article_url="https://kcna.example/1", article_ingested_at=T0),
        m(article_id="b", status="reported", source_type="state_media", source_country="PRK",
          actor_country="PRK", recipient_country="RUS", actor_name="Kim", place_name="Amur",
          article_url="https://www.kcna.example/2", confidence=0.9,
          article_ingested_at=T0 + timedelta(seconds=1)),
        m(article_id="c", status="asserted", date_value=date(2023, 9, 12), date_inferred=True,
          place_name="Vostochny", article_ingested_at=T0 + timedelta(seconds=2)),
    ]  # fmt: skip
    ev = cl.aggregate("e1", rows)
    assert ev["status"] == "asserted"
    assert cl.aggregate("e1", rows[:2])["status"] == "reported"  # a tie goes to "reported"
    assert (ev["actor_country"], ev["recipient_country"]) == ("RUS", "PRK")
    assert ev["recipient_name"] == "Kim"  # the swapped mention's actor plays the recipient
    assert (ev["date_value"], ev["date_precision"]) == (date(2023, 9, 13), "day")
    assert (ev["place_name"], ev["lat"]) == ("Vostochny", 51.9)
    assert (ev["num_mentions"], ev["num_articles"], ev["num_sources"]) == (3, 3, 3)
    assert ev["confidence"] == 0.9 and ev["first_article_id"] == "a" and ev["first_seen"] == T0
    assert ev["state_media_only"] is False
    state = cl.aggregate("e1", rows[:2])
    assert state["state_media_only"] is True and state["state_media_country"] == "PRK"
    # outlet, else url host (without www.), else the article: two sources here, not three
    hosts = [{**r, "article_outlet": None, "outlet_key": None} for r in rows]
    hosts[2]["article_url"] = None
    assert cl.aggregate("e1", hosts)["num_sources"] == 2


# --- opening ------------------------------------------------------------------------------


def test_open_store_errors_are_one_line(tmp_path):
    for url, words in [
        ("mysql://localhost/events", "unknown database URL scheme"),
        ("postgresql://postgres@127.0.0.1:1/nothing", "cannot connect to PostgreSQL"),
        (str(tmp_path / "missing" / "dir" / "x.duckdb"), "cannot open DuckDB"),
    ]:
        with pytest.raises(StoreError, match=words) as info:
            open_store(url)
        assert "\n" not in str(info.value)


def test_duckdb_urls_and_default_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store() as s:
        assert s.backend == "duckdb"
    assert (tmp_path / "eventwire.duckdb").exists()
    with open_store(f"duckdb://{tmp_path}/other.duckdb") as s:
        assert s.stats()["events"] == 0
    assert (tmp_path / "other.duckdb").exists()
    with open_store(":memory:") as s:
        assert s.stats()["schema_version"] == LATEST_VERSION


def test_migrations_recorded_once_and_newer_schema_refused(store, store_url):
    assert store.stats() == {"articles": 0, "mentions": 0, "events": 0,
                             "schema_version": LATEST_VERSION,
                             "backend": store.backend}  # fmt: skip
    with store._transaction():
        store._run(
            "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
            [999, "from the future", T0],
        )
    store.close()
    with pytest.raises(StoreError, match="newer than this eventwire"):
        open_store(store_url)


# --- the summit: one event, three mentions ------------------------------------------------


def test_summit_told_three_times_is_one_consult_event(store, summit):
    results = ingest_all(store, summit)
    assert [r.status for r in results] == ["new", "new", "new"]
    consult = [e for e in store.query() if e["event_type"] == "CONSULT"]
    assert len(consult) == 1, consult
    ev = consult[0]
    assert (ev["num_mentions"], ev["num_articles"], ev["num_sources"]) == (3, 3, 3)
    assert {ev["actor_country"], ev["recipient_country"]} == {"RUS", "PRK"}
    assert ev["date_value"] == date(2023, 9, 13) and ev["place_country"] == "RUS"
    assert ev["state_media_only"] is False and ev["reciprocal"] is True
    assert all(ev["id"] in r.events for r in results)
    mentions = store.mentions(ev["id"])
    assert [x["article_outlet"] for x in mentions] == ["Harbor Times", "KCNA", "Daily Ledger"]
    assert all(x["evidence_text"] in text for x, (_, text) in zip(mentions, summit, strict=True))
    # the Kremlin's denial is an event of its own
    denied = [e for e in store.query() if e["status"] == "denied"]
    assert denied and all(e["id"] != ev["id"] for e in denied)


def test_state_media_alone_is_flagged_until_others_report(store, summit):
    ingest_all(store, summit[1:2])
    (ev,) = store.query(EventFilter(event_type=["CONSULT"]))
    assert ev["state_media_only"] is True and ev["state_media_country"] == "PRK"
    ingest_all(store, [summit[0]], start=5)
    (ev,) = store.query(EventFilter(event_type=["CONSULT"]))
    assert ev["state_media_only"] is False and ev["state_media_country"] is None


def test_reingest_changes_nothing_and_new_version_replaces(store, summit):
    ingest_all(store, summit)
    before, stats = store.query(), store.stats()
    again = ingest_all(store, summit, start=10)
    assert [r.status for r in again] == ["unchanged"] * 3
    assert store.query() == before and store.stats() == stats
    newer = [(a.model_copy(update={"extractor_version": "eventwire-9.9"}), t) for a, t in summit]
    replaced = ingest_all(store, newer, start=20)
    assert [r.status for r in replaced] == ["replaced"] * 3
    assert [r.mentions for r in replaced] == [len(a.events) for a, _ in summit]
    assert store.stats() == stats
    assert store.query() == before  # same ids, same aggregates, same first_seen
    assert ingest_all(store, newer, start=30)[0].status == "unchanged"


def test_replacing_an_article_drops_events_left_without_mentions(store):
    items = synthetic()
    ingest_all(store, items)
    a2, text = items[1]
    gone = store.article(a2.article.id)["mentions"]
    assert len(gone) == 2
    empty = a2.model_copy(update={"extractor_version": "test-2", "events": []})
    result = store.ingest(empty, text)
    assert (result.status, result.mentions, result.events) == ("replaced", 0, [])
    for mention in gone:
        assert store.event(mention["event_id"]) is None
    assert store.article(a2.article.id)["extractor_version"] == "test-2"
    # an event shared with another article keeps that article's mention
    a4 = items[3][0]
    shared = store.article(a4.article.id)["mentions"][0]["event_id"]
    store.ingest(items[0][0].model_copy(update={"extractor_version": "x", "events": []}), "t")
    assert store.event(shared)["num_mentions"] == 1


def test_failed_ingest_leaves_nothing_behind(store, summit, monkeypatch):
    ingest_all(store, summit[:1])
    stats, rows = store.stats(), store.query()
    written = []
    insert_many = store._insert_many

    def fail_on_events(table: str, rows: list) -> None:
        written.append(table)
        if table == "events":
            raise RuntimeError("disk full")
        insert_many(table, rows)

    monkeypatch.setattr(store, "_insert_many", fail_on_events)
    with pytest.raises(RuntimeError):
        store.ingest(*summit[2])
    assert written == ["articles", "mentions", "events"]
    monkeypatch.undo()
    assert store.stats() == stats and store.query() == rows
    assert store.ingest(*summit[2]).status == "new"


def test_denial_never_merges_with_report_but_assertion_does(store):
    spec = dict(event_type="AID", actor=("RUS", "GOV"), recipient=("PRK", "GOV"), day="2024-03-02")
    items = [
        make_analysis("r", [dict(spec, status="reported")], outlet="One"),
        make_analysis("d", [dict(spec, status="denied")], outlet="Two"),
        make_analysis("s", [dict(spec, status="asserted")], outlet="Three"),
    ]
    results = ingest_all(store, items)
    assert results[0].events == results[2].events != results[1].events
    rows = store.query()
    assert sorted((r["status"], r["num_articles"]) for r in rows) == [
        ("denied", 1),
        ("reported", 2),
    ]


def test_same_key_in_different_places_gets_distinct_ids(store):
    spec = dict(
        event_type="ASSAULT", actor=("UKR", "MIL"), recipient=("RUS", "MIL"), day="2024-03-01"
    )
    results = ingest_all(store, [
        make_analysis("x", [dict(spec, place=BELGOROD)]),
        make_analysis("y", [dict(spec, place=PARIS)]),
    ])  # fmt: skip
    assert len({e for r in results for e in r.events}) == 2
    assert store.count() == 2


# --- reading ------------------------------------------------------------------------------


@pytest.fixture
def filled(store, summit):
    ingest_all(store, synthetic())
    ingest_all(store, summit, start=10)
    return store


def q(store, **kw: Any) -> set[tuple]:
    rows = store.query(EventFilter(**kw))
    assert store.count(EventFilter(**kw)) == len(rows)
    return {(r["event_type"], r["actor_country"], r["recipient_country"]) for r in rows}


SUMMIT_EVENT = ("CONSULT", "RUS", "PRK")  # Harbor Times, stored first, names Putin first
DENIAL = ("AGREE", "RUS", None)
STRIKE = ("ASSAULT", "UKR", "RUS")
PROTEST = ("PROTEST", "FRA", "FRA")
ACCUSE = ("ACCUSE", "RUS", "UKR")
AID = ("AID", "RUS", "PRK")
SANCTION = ("SANCTION", "USA", "RUS")
MEETING = ("CONSULT", "FRA", "DEU")


def test_every_filter(filled):
    s = filled
    assert q(s) == {SUMMIT_EVENT, DENIAL, STRIKE, PROTEST, ACCUSE, AID, SANCTION, MEETING}
    assert q(s, event_type=["ASSAULT", "PROTEST"]) == {STRIKE, PROTEST}
    assert q(s, event_type="SANCTION") == {SANCTION}  # a single value is a list of one
    assert q(s, mode=["military"]) == {AID}
    assert q(s, actor_country=["RUS"]) == {SUMMIT_EVENT, DENIAL, ACCUSE, AID}
    assert q(s, recipient_country=["PRK", "DEU"]) == {SUMMIT_EVENT, AID, MEETING}
    assert q(s, either_country=["UKR"]) == {STRIKE, ACCUSE}
    assert q(s, actor_sector=["CVL"]) == {PROTEST}
    assert q(s, recipient_sector=["BUS", "MIL"]) == {SANCTION, STRIKE}
    assert q(s, date_from=date(2024, 3, 2), date_to=date(2024, 3, 4)) == {ACCUSE}
    assert q(s, date_to=date(2023, 12, 31)) == {SUMMIT_EVENT, DENIAL}
    assert q(s, place_country=["DEU", "FRA"]) == {PROTEST, MEETING}
    assert q(s, near=(50.0, 37.0, 100)) == {STRIKE}  # Belgorod is ~75 km away
    assert q(s, near=(50.0, 37.0, 50)) == set()
    assert q(s, near=(50.0, 8.0, 1000)) == {PROTEST, MEETING}
    assert q(s, status=["planned", "speculated"]) == {SANCTION, AID}
    assert q(s, source="tass") == {ACCUSE, AID}  # the outlet
    assert q(s, source="TREASURY") == {SANCTION}  # the attribution
    assert q(s, source_type=["state_media"]) == {SUMMIT_EVENT}  # via KCNA
    assert q(s, source_type=["anonymous", "media"]) == {SUMMIT_EVENT, AID, MEETING}
    assert q(s, text="FUEL depot") == {STRIKE}
    assert q(s, text="arms deal") == {DENIAL}
    assert q(s, text="100%_") == set()  # no LIKE wildcards
    assert q(s, min_articles=2) == {SUMMIT_EVENT, STRIKE}
    assert q(s, event_type=["ASSAULT", "CONSULT"], min_articles=2, place_country=["RUS"],
             status=["asserted"], either_country=["RUS"]) == {STRIKE}  # fmt: skip
    assert q(s, event_type=[], actor_country=None) == q(s)  # empty lists are no condition


def test_order_limit_offset_and_lookups(filled):
    rows = filled.query()
    dated = [r["date_value"] for r in rows if r["date_value"] is not None]
    assert dated == sorted(dated) and rows[-1]["date_value"] is None
    assert filled.query(limit=3) == rows[:3]
    assert filled.query(limit=3, offset=2) == rows[2:5]
    assert filled.query(offset=6) == rows[6:]
    ev = filled.event(rows[0]["id"])
    assert ev["mentions"] and all(x["event_id"] == ev["id"] for x in ev["mentions"])
    assert set(ev) - {"mentions"} == set(rows[0])
    assert filled.event("nope") is None and filled.article("nope") is None
    art = filled.article(ev["mentions"][0]["article_id"])
    assert art["text"] and art["extractor_version"] and art["mentions"]


def test_iter_table_streams_whole_tables_by_id(filled):
    stats = filled.stats()
    for name in ("articles", "mentions", "events"):
        rows = list(filled.iter_table(name, batch=3))
        assert len(rows) == stats[name]
        assert ids(rows) == sorted(ids(rows))
    with pytest.raises(ValueError):
        list(filled.iter_table("schema_migrations"))


def test_duckdb_and_postgresql_return_the_same_rows(tmp_path, pg_empty_url, summit):
    items = synthetic() + summit
    filters = [
        None,
        EventFilter(event_type=["CONSULT", "ASSAULT"]),
        EventFilter(either_country=["RUS"], date_from=date(2023, 1, 1)),
        EventFilter(near=(50.0, 20.0, 2500), status=["asserted", "reported"]),
        EventFilter(source="a", text="e", min_articles=1),
        EventFilter(source_type=["state_media", "government"]),
    ]
    with open_store(str(tmp_path / "a.duckdb")) as duck, open_store(pg_empty_url) as pg:
        assert ingest_all(duck, items) == ingest_all(pg, items)
        for f in filters:
            rows = duck.query(f)
            assert rows == pg.query(f), f
            assert duck.count(f) == pg.count(f) == len(rows)
        for name in ("articles", "mentions", "events"):
            assert list(duck.iter_table(name)) == list(pg.iter_table(name)), name
        for row in duck.query():
            assert duck.event(row["id"]) == pg.event(row["id"])


def test_a_batch_gives_the_same_store_as_single_ingests(store, tmp_path, summit):
    items = synthetic() + summit
    newer = (summit[0][0].model_copy(update={"extractor_version": "eventwire-9.9"}), summit[0][1])
    single = [store.ingest(a, t, ingested_at=T0) for a, t in [*items, newer]]
    with open_store(str(tmp_path / "batch.duckdb")) as other:
        first = other.ingest(*items[0], ingested_at=T0)
        # joins stored events and events made earlier in the same batch; replaces in the batch
        batch = other.ingest_many([*items[1:], newer], ingested_at=T0)
        assert [first, *batch] == single
        assert single[-1].status == "replaced"
        assert other.query() == store.query()
        for name in ("articles", "mentions", "events"):
            assert list(other.iter_table(name)) == list(store.iter_table(name))


def test_batches_read_ahead_but_store_what_single_ingests_store(store, tmp_path, summit):
    # Each batch reads the stored articles, candidate events and taken ids in a few
    # statements up front; batches that join, reverse and collide with earlier batches'
    # events must still give exactly the rows of one-at-a-time ingests.
    spec = dict(
        event_type="ASSAULT", actor=("UKR", "MIL"), recipient=("RUS", "MIL"), day="2024-03-01"
    )
    items = [
        *synthetic(),
        make_analysis("x", [dict(spec, place=BELGOROD)]),
        make_analysis("z", [dict(event_type="CONSULT", actor=("DEU", "GOV"),
                                 recipient=("FRA", "GOV"), reciprocal=True, day="2024-03-05",
                                 place=BERLIN)]),  # joins a3's FRA-DEU meeting, reversed
        make_analysis("y", [dict(spec, place=PARIS)]),  # the id x took, in the next batch
        *summit,
    ]  # fmt: skip
    single = [store.ingest(a, t, ingested_at=T0) for a, t in items]
    with open_store(str(tmp_path / "batches.duckdb")) as other:
        batched = [r for k in range(0, len(items), 2)
                   for r in other.ingest_many(items[k : k + 2], ingested_at=T0)]
        assert batched == single
        for name in ("articles", "mentions", "events"):
            assert list(other.iter_table(name)) == list(store.iter_table(name))
