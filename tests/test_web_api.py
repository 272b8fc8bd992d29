"""The web workbench's JSON API (FastAPI's TestClient, DuckDB and PostgreSQL), the summaries
behind it (``eventwire.store.views``), the article analysis kept by the store, and ``eventwire
serve``.

The store is made from three short articles written for these tests: two reports of one aid
shipment (a plain text and an HTML page with an outlet and a url) and one article with an
accusation and an arrest.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from fastapi.testclient import TestClient

from eventwire.model import Analysis
from eventwire.pipeline import analyze
from eventwire.store import EventFilter, open_store
from eventwire.store.base import EVENT_COLUMNS
from eventwire.store.migrations import LATEST_VERSION
from eventwire.store.views import FilterError, parse_filter
from eventwire.web import create_app
from eventwire.web.app import MAX_BODY

RICE = (
    "Japan sends rice to Kenya\n\n"
    "Japan is sending 40 tonnes of rice to Kenya after the floods, the Japanese foreign ministry "
    "said on Monday, March 4, 2024. The shipment is due in Mombasa next month.\n"
)
RICE_PAGE = """<html><head><title>Tokyo pledges rice for Kenya | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<link rel="canonical" href="https://harbour.example.org/2024/03/rice-kenya">
<meta property="article:published_time" content="2024-03-05">
</head><body><article><h1>Tokyo pledges rice for Kenya</h1>
<p>Japan is sending 40 tonnes of rice to Kenya, Japanese officials said on Monday, March 4,
2024.</p><p>The shipment is due in Mombasa next month.</p></article></body></html>"""
TRUCKS = (
    "Brazil accuses Argentina over border trucks\n\n"
    "Brazil accused Argentina of blocking grain trucks at the border on Tuesday, March 5, 2024, "
    "according to the Brazilian government. Argentine police arrested 12 Brazilian truck drivers "
    "in Rosario on Wednesday.\n"
)
TOKEN = "correct horse battery staple"
ROSARIO = (-32.95, -60.64)


@pytest.fixture(scope="module")
def analyses() -> list[tuple[Analysis, str]]:
    out = []
    for text, published in ((RICE, "2024-03-04"), (RICE_PAGE, None), (TRUCKS, "2024-03-06")):
        analysis = analyze(text, published)
        out.append((analysis, analysis_text(text, published)))
    return out


def analysis_text(text: str, published: str | None) -> str:
    from eventwire.pipeline import to_article

    return to_article(text, published).text


@pytest.fixture
def filled_url(store_url: str, analyses) -> str:
    with open_store(store_url) as store:
        for analysis, text in analyses:
            store.ingest(analysis, text)
    return store_url


@pytest.fixture
def client(filled_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(filled_url)) as c:
        yield c


def get(client: TestClient, path: str, status: int = 200, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    return response.json()


# --- the store: the analysis column and the summaries -----------------------------------------


def test_store_keeps_each_articles_analysis(store, analyses):
    analysis, text = analyses[0]
    store.ingest(analysis, text)
    kept = store.article(analysis.article.id)["analysis"]
    assert Analysis.model_validate_json(kept) == analysis


def test_a_store_from_before_analyses_is_migrated_and_filled_on_reingest(store_url, analyses):
    analysis, text = analyses[2]
    with open_store(store_url) as store:  # make it a version 1 store holding one article
        store.ingest(analysis, text)
        with store._transaction():
            store._run("ALTER TABLE articles DROP COLUMN analysis")
            for index in ("mentions_article_idx", "mentions_event_idx", "mentions_source_type_idx"):
                store._run(f"DROP INDEX {index}")  # DuckDB alters no table that has indexes
            store._run("ALTER TABLE mentions DROP COLUMN place_feature")
            store._run("DELETE FROM schema_migrations WHERE version >= 2")
        assert store.schema_version() == 1
    with open_store(store_url) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.article(analysis.article.id)["analysis"] is None
        with TestClient(create_app(store_url)) as c:
            assert get(c, f"/api/articles/{analysis.article.id}")["analysis"] is None
        assert store.ingest(analysis, text).status == "unchanged"
        assert store.article(analysis.article.id)["analysis"] == analysis.model_dump_json()


def test_aggregate_takes_only_event_columns(store):
    with pytest.raises(ValueError):
        store.aggregate(None, ["event_type; DROP TABLE events"])
    with pytest.raises(ValueError):
        store.aggregate(None, [])


def test_parse_filter_reads_lists_codes_dates_and_points():
    f = parse_filter({
        "type": ["aid,accuse", "AID"], "country": ["jpn"], "status": ["Reported"],
        "from": ["2024-03-01"], "to": ["2024-03-31"], "near": ["-32.9, -60.6, 50"],
        "text": ["", "rice"], "min_articles": ["2"], "unknown": ["x"],
    })  # fmt: skip
    assert f == EventFilter(
        event_type=["AID", "ACCUSE"], either_country=["JPN"], status=["reported"],
        date_from=date(2024, 3, 1), date_to=date(2024, 3, 31), near=(-32.9, -60.6, 50.0),
        text="rice", min_articles=2,
    )  # fmt: skip
    assert parse_filter({}) == EventFilter()
    for params, words in (
        ({"type": ["FEAST"]}, "type: unknown value 'FEAST'"),
        ({"status": ["rumoured"]}, "status: unknown value"),
        ({"source_type": ["blog"]}, "source_type: unknown value"),
        ({"actor_country": ["JP"]}, "actor_country: not a country code"),
        ({"from": ["2024-02-30"]}, "from: not a date"),
        ({"from": ["2024-03-02"], "to": ["2024-03-01"]}, "start date is after the end date"),
        ({"near": ["1,2"]}, "near: expected LAT,LON,KM"),
        ({"near": ["91,0,5"]}, "near: out of range"),
        ({"near": ["0,0,-1"]}, "near: out of range"),
        ({"min_articles": ["two"]}, "min_articles: expected a whole number"),
    ):
        with pytest.raises(FilterError, match=words):
            parse_filter(params)


# --- GET endpoints --------------------------------------------------------------------------


def test_events_are_paged_in_query_order(client, filled_url):
    page = get(client, "/api/events")
    with open_store(filled_url) as store:
        expected = store.query()
    assert (page["total"], page["limit"], page["offset"]) == (len(expected), 100, 0)
    assert [e["id"] for e in page["events"]] == [r["id"] for r in expected]
    assert set(page["events"][0]) == set(EVENT_COLUMNS)
    first = page["events"][0]
    assert first["date_value"] == expected[0]["date_value"].isoformat()
    assert isinstance(first["first_seen"], str)
    pages = [get(client, "/api/events", limit=1, offset=n) for n in range(page["total"])]
    assert [p["events"][0]["id"] for p in pages] == [e["id"] for e in page["events"]]
    assert all(p["total"] == page["total"] and p["limit"] == 1 for p in pages)
    past = get(client, "/api/events", offset=page["total"] + 5)
    assert past["events"] == [] and past["total"] == page["total"]


def test_event_filters_match_the_store_query(client, filled_url):
    cases = {
        "type=AID": EventFilter(event_type=["AID"]),
        "type=aid,accuse": EventFilter(event_type=["AID", "ACCUSE"]),
        "type=AID&type=COERCE": EventFilter(event_type=["AID", "COERCE"]),
        "country=BRA&status=reported": EventFilter(either_country=["BRA"], status=["reported"]),
        "actor_country=ARG": EventFilter(actor_country=["ARG"]),
        "from=2024-03-05&to=2024-03-05": EventFilter(
            date_from=date(2024, 3, 5), date_to=date(2024, 3, 5)
        ),
        f"near={ROSARIO[0]},{ROSARIO[1]},30": EventFilter(near=(*ROSARIO, 30.0)),
        "text=RICE": EventFilter(text="rice"),
        "source=harbour": EventFilter(source="harbour"),
        "source_type=government": EventFilter(source_type=["government"]),
        "min_articles=2": EventFilter(min_articles=2),
        "place_country=ARG&actor_sector=cop": EventFilter(
            place_country=["ARG"], actor_sector=["COP"]
        ),
    }
    with open_store(filled_url) as store:
        expected = {q: [r["id"] for r in store.query(f)] for q, f in cases.items()}
    assert expected["type=AID"] and expected["min_articles=2"] == expected["type=AID"]
    assert expected[f"near={ROSARIO[0]},{ROSARIO[1]},30"] == expected["actor_country=ARG"]
    for query, ids in expected.items():
        page = client.get(f"/api/events?{query}").json()
        assert [e["id"] for e in page["events"]] == ids, query
        assert page["total"] == len(ids), query


@pytest.mark.parametrize(
    "query, words",
    [
        ("type=FEAST", "type: unknown value 'FEAST'"),
        ("status=maybe", "status: unknown value 'maybe'"),
        ("source_type=blog", "source_type: unknown value"),
        ("from=2024-13-01", "from: not a date"),
        ("to=yesterday", "to: not a date"),
        ("near=1,2", "near: expected LAT,LON,KM"),
        ("near=10,200,5", "near: out of range"),
        ("country=BR", "country: not a country code"),
        ("min_articles=-1", "min_articles: expected a whole number"),
        ("limit=0", "limit:"),
        ("limit=1001", "limit:"),
        ("limit=ten", "limit:"),
        ("offset=-1", "offset:"),
    ],
)
def test_bad_filters_are_422_with_a_reason(query, words):
    with TestClient(create_app(":memory:")) as c:
        response = c.get(f"/api/events?{query}")
        assert response.status_code == 422
        detail = response.json()["detail"]
        assert isinstance(detail, str) and words in detail
        if not query.startswith(("limit", "offset")):  # filters are the same everywhere
            assert c.get(f"/api/stats?{query}").json()["detail"] == detail
            assert c.get(f"/api/actors?{query}").json()["detail"] == detail


def test_an_event_with_its_mentions_and_articles(client, analyses):
    event_id = get(client, "/api/events", type="AID")["events"][0]["id"]
    event = get(client, f"/api/events/{event_id}")
    assert event["id"] == event_id and event["num_articles"] == 2
    assert len(event["mentions"]) == 2
    rice_id, page_id = analyses[0][0].article.id, analyses[1][0].article.id
    assert [a["id"] for a in event["articles"]] == [rice_id, page_id]
    page = event["articles"][1]
    assert page == {"id": page_id, "title": "Tokyo pledges rice for Kenya",
                    "url": "https://harbour.example.org/2024/03/rice-kenya",
                    "outlet": "Harbour Times", "published": "2024-03-05"}  # fmt: skip
    for mention in event["mentions"]:
        assert mention["event_id"] == event_id
        assert {"article_url", "article_title", "article_outlet", "article_published"} <= set(
            mention
        )
        assert json.loads(mention["record"])["id"] == mention["id"]
    assert get(client, "/api/events/0000", status=404) == {"detail": "no event '0000'"}


def test_an_article_with_its_analysis_anchored_in_its_text(client, analyses):
    analysis, text = analyses[2]
    article = get(client, f"/api/articles/{analysis.article.id}")
    assert article["text"] == text and article["title"] == analysis.article.title
    assert article["published"] == "2024-03-06"
    assert article["analysis"] == json.loads(analysis.model_dump_json())
    spans = [(e["evidence"]["start"], e["evidence"]["end"], e["evidence"]["text"])
             for e in article["analysis"]["events"]]  # fmt: skip
    spans += [(a["span"][0], a["span"][1], a["text"]) for a in article["analysis"]["actors"]]
    spans += [(p["span"][0], p["span"][1], p["text"]) for p in article["analysis"]["places"]]
    assert len(spans) >= 4
    for start, end, words in spans:
        assert text[start:end] == words
    mentions = article["mentions"]
    assert [m["id"] for m in mentions] == [e.id for e in analysis.events]
    for m in mentions:
        assert text[m["evidence_start"] : m["evidence_end"]] == m["evidence_text"]
    assert get(client, "/api/articles/nope", status=404) == {"detail": "no article 'nope'"}


def test_stats_for_the_whole_store_and_a_filter(client, filled_url):
    stats = get(client, "/api/stats")
    with open_store(filled_url) as store:
        rows = store.query()
        totals = store.stats()
    assert stats["events"] == len(rows) and stats["mentions"] == totals["mentions"]
    assert stats["articles"] == totals["articles"] == 3
    assert stats["by_type"] == {"ACCUSE": 1, "AID": 1, "COERCE": 1}
    assert sum(stats["by_status"].values()) == len(rows)
    assert stats["countries"] == {"BRA": 2, "ARG": 2, "JPN": 1, "KEN": 1}
    assert stats["timeline"] == [
        {"date": "2024-03-04", "type": "AID", "events": 1},
        {"date": "2024-03-05", "type": "ACCUSE", "events": 1},
        {"date": "2024-03-06", "type": "COERCE", "events": 1},
    ]
    aid = get(client, "/api/stats", type="AID")
    assert (aid["events"], aid["mentions"], aid["articles"]) == (1, 2, 2)
    assert aid["countries"] == {"JPN": 1, "KEN": 1}
    none = get(client, "/api/stats", country="NOR")
    assert (none["events"], none["articles"], none["timeline"], none["by_type"]) == (0, 0, [], {})


def test_actor_network(client):
    net = get(client, "/api/actors")
    keys = [a["key"] for a in net["actors"]]
    assert set(keys) == {"JPN", "KEN", "BRA", "ARG"}
    by_key = {a["key"]: a for a in net["actors"]}
    assert by_key["JPN"] == {"key": "JPN", "name": "Japan", "country": "JPN",
                             "sector": by_key["JPN"]["sector"], "events": 1}  # fmt: skip
    assert by_key["BRA"]["events"] == by_key["ARG"]["events"] == 2
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("JPN", "KEN")]["types"] == {"AID": 1}
    assert edges[("BRA", "ARG")]["types"] == {"ACCUSE": 1}
    assert edges[("ARG", "BRA")]["types"] == {"COERCE": 1}
    top = get(client, "/api/actors", limit=2)
    assert [a["key"] for a in top["actors"]] == ["ARG", "BRA"]
    assert {(e["source"], e["target"]) for e in top["edges"]} == {("BRA", "ARG"), ("ARG", "BRA")}
    assert get(client, "/api/actors", type="AID")["edges"] == [
        {"source": "JPN", "target": "KEN", "events": 1, "types": {"AID": 1}}
    ]
    assert "limit" in get(client, "/api/actors", status=422, limit=5000)["detail"]


def test_filter_values(client):
    values = get(client, "/api/filters")
    assert len(values["types"]) == 16 and "ASSAULT" in values["types"]
    assert values["statuses"] == ["asserted", "reported", "denied", "speculated", "planned"]
    assert "state_media" in values["source_types"]
    assert values["countries"] == ["ARG", "BRA", "JPN", "KEN"]
    assert "COP" in values["sectors"] and values["sectors"] == sorted(values["sectors"])


def test_reads_from_many_threads_at_once(client):
    paths = ["/api/events", "/api/stats", "/api/actors", "/api/filters"] * 6
    expected = {p: client.get(p).json() for p in set(paths)}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda p: (p, client.get(p)), paths))
    for path, response in answers:
        assert response.status_code == 200 and response.json() == expected[path]


def test_a_lost_connection_is_replaced_on_the_next_request(filled_url):
    app = create_app(filled_url)
    with TestClient(app, raise_server_exceptions=False) as c:
        assert get(c, "/api/stats")["events"] == 3
        app.state.store._store.close()  # as when the database server goes away
        assert c.get("/api/stats").status_code == 500
        assert get(c, "/api/stats")["events"] == 3


def test_openapi_schema_page_and_static(tmp_path):
    with TestClient(create_app(str(tmp_path / "x.duckdb"))) as c:
        schema = get(c, "/openapi.json")
        paths = schema["paths"]
        for route in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}",
                      "/api/actors", "/api/stats", "/api/filters"):  # fmt: skip
            assert "get" in paths[route], route
        assert "post" in paths["/api/articles"]
        names = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
        assert {"type", "country", "from", "to", "near", "limit", "offset"} <= names
        assert paths["/api/articles"]["post"]["requestBody"]["content"]["application/json"]
        page = c.get("/")
        assert page.status_code in (200, 404)
        if page.status_code == 200:
            assert "text/html" in page.headers["content-type"]
        assert c.get("/static/no-such-file.js").status_code == 404
        assert c.get("/api/nothing").status_code == 404
    assert not (tmp_path / "x.duckdb").exists()  # the store is opened on first use only


# --- POST /api/articles -----------------------------------------------------------------------


def test_ingest_is_disabled_by_default(client):
    response = client.post("/api/articles", json={"text": RICE},
                           headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert response.status_code == 403 and "--allow-ingest" in response.json()["detail"]


def test_ingest_needs_a_token_to_be_enabled():
    with pytest.raises(ValueError, match="token"):
        create_app(":memory:", allow_ingest=True)


@pytest.fixture
def writer(store_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_url, allow_ingest=True, token=TOKEN)) as c:
        yield c


def test_ingest_with_the_right_token_only(writer, analyses):
    body = {"text": TRUCKS, "published": "2024-03-06", "url": "https://example.org/trucks"}
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}):  # fmt: skip
        response = writer.post("/api/articles", json=body, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
    assert get(writer, "/api/events")["total"] == 0
    auth = {"Authorization": f"Bearer {TOKEN}"}
    response = writer.post("/api/articles", json=body, headers=auth)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["status"] == "new" and result["mentions"] == 2 and len(result["events"]) == 2
    assert sorted(e["id"] for e in get(writer, "/api/events")["events"]) == sorted(
        result["events"]
    )
    article = get(writer, f"/api/articles/{result['article_id']}")
    assert article["url"] == "https://example.org/trucks" and article["text"] == TRUCKS
    assert [e["id"] for e in article["analysis"]["events"]] == [
        e.id for e in analyze(TRUCKS, "2024-03-06", url="https://example.org/trucks").events
    ]
    again = writer.post("/api/articles", json=body, headers=auth).json()
    assert again["status"] == "unchanged" and again["events"] == result["events"]
    page = writer.post("/api/articles", json={"html": RICE_PAGE}, headers=auth).json()
    assert page["article_id"] == analyses[1][0].article.id and page["mentions"] == 1


@pytest.mark.parametrize(
    "body, words",
    [
        ({}, "exactly one of 'text' and 'html'"),
        ({"text": RICE, "html": RICE_PAGE}, "exactly one of"),
        ({"text": "   "}, ""),
        ({"text": RICE, "published": "March"}, "published"),
        ({"text": RICE, "author": "me"}, "author"),
        ("{not json", "JSON"),
        ([1, 2], ""),
    ],
)
def test_ingest_refuses_bad_input(body, words):
    with TestClient(create_app(":memory:", allow_ingest=True, token=TOKEN)) as c:
        content = body if isinstance(body, str) else json.dumps(body)
        response = c.post("/api/articles", content=content,
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert response.status_code == 422, response.text
        assert isinstance(response.json()["detail"], str) and words in response.json()["detail"]


def test_ingest_refuses_bodies_over_5_mb():
    with TestClient(create_app(":memory:", allow_ingest=True, token=TOKEN)) as c:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        # A declared 100 MB body is refused on its header: the small one sent is never read.
        declared = c.post("/api/articles", content=b'{"text": "x"}',
                          headers={**auth, "Content-Length": str(100 * 1024 * 1024)})  # fmt: skip
        assert declared.status_code == 413 and "5 MB" in declared.json()["detail"]
        sent = []

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
            yield b'{"text": "'
            while sum(sent) <= MAX_BODY:
                sent.append(256 * 1024)
                yield b"a" * sent[-1]
            yield b'"}'

        streamed = c.post("/api/articles", content=chunks(), headers=auth)
        assert streamed.status_code == 413
        # The token is checked first: no body size is revealed to a stranger.
        stranger = c.post("/api/articles", content=b"{}",
                          headers={"Content-Length": str(100 * 1024 * 1024)})  # fmt: skip
        assert stranger.status_code == 401


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Les syndicats ont appel\u00e9 \u00e0 une gr\u00e8ve nationale jeudi pour protester "
         "contre le projet de loi, selon un communiqu\u00e9 publi\u00e9 par la "
         "conf\u00e9d\u00e9ration et repris par la presse.", "not English"),
        ("Police \ud800 arrested two men.", ""),  # a lone surrogate: refused as JSON
        ("12 / 44 -- 3.5 %", "no words"),
    ],
)  # fmt: skip
def test_ingest_refuses_what_is_not_an_english_article(text: str, words: str) -> None:
    with TestClient(create_app(":memory:", allow_ingest=True, token=TOKEN)) as c:
        response = c.post("/api/articles", content=json.dumps({"text": text}),
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert response.status_code == 422, response.text
        assert words in response.json()["detail"]


def test_ingest_refuses_an_article_over_the_size_limit(monkeypatch) -> None:
    monkeypatch.setenv("EVENTWIRE_MAX_CHARS", "200")
    with TestClient(create_app(":memory:", allow_ingest=True, token=TOKEN)) as c:
        response = c.post("/api/articles", json={"text": TRUCKS * 3},
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert response.status_code == 422 and "too long" in response.json()["detail"]


def test_no_cors_headers_unless_configured(client) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    response = client.get("/api/events", headers=origin)
    assert response.status_code == 200
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]
    preflight = client.options(
        "/api/articles",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize(
    "params",
    [{"source": "x' OR '1'='1"}, {"text": "'; DROP TABLE events; --"},
     {"actor_country": "RUS') OR 1=1 --"}],
)  # fmt: skip
def test_filters_are_parameters_never_sql(client, params) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert response.json()["total"] == 0
    assert get(client, "/api/events")["total"] == 3  # nothing was dropped


# --- a real server ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path) -> Iterator[int]:
    import uvicorn

    port = _free_port()
    app = create_app(str(tmp_path / "s.duckdb"), allow_ingest=True, token=TOKEN)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert srv.started
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(10)


def _exchange(port: int, request: bytes) -> str:
    """Send raw bytes, return the whole response (headers and the body they announce)."""
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request)
        while True:
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                length = next(
                    (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                     if line.lower().startswith(b"content-length:")),
                    0,
                )  # fmt: skip
                if len(body) >= length:
                    return data.decode("latin-1")
            chunk = s.recv(65536)
            if not chunk:
                return data.decode("latin-1")
            data += chunk


def test_a_real_server_answers_and_refuses_a_large_body_before_it_is_sent(server):
    answer = _exchange(server, b"GET /api/events?limit=5 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert answer.startswith("HTTP/1.1 200") and '"total":0' in answer
    # Only the headers go out; the server must answer without waiting for 100 MB.
    head = (
        "POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n"
    )
    started = time.monotonic()
    answer = _exchange(server, head.encode())
    assert answer.startswith("HTTP/1.1 413") and time.monotonic() - started < 5


# --- eventwire serve ----------------------------------------------------------------------------


def test_serve_command(monkeypatch, capsys, filled_url, tmp_path):
    import uvicorn

    from eventwire.cli import main

    runs = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append((app, kw)))
    monkeypatch.delenv("EVENTWIRE_TOKEN", raising=False)
    assert main(["serve", "--db", filled_url]) == 0
    app, options = runs.pop()
    assert options == {"host": "127.0.0.1", "port": 8000, "log_level": "warning"}
    assert "read-only" in capsys.readouterr().err
    with TestClient(app) as c:
        assert get(c, "/api/events")["total"] == 3
        assert c.post("/api/articles", json={"text": RICE}).status_code == 403

    assert main(["serve", "--db", filled_url, "--allow-ingest"]) == 1
    assert "--allow-ingest: needs a token" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "no such database" in capsys.readouterr().err
    assert not runs

    monkeypatch.setenv("EVENTWIRE_TOKEN", TOKEN)
    assert main(["serve", "--db", filled_url, "--allow-ingest", "--port", "8123",
                 "--host", "0.0.0.0"]) == 0  # fmt: skip
    app, options = runs.pop()
    assert options["port"] == 8123 and options["host"] == "0.0.0.0"
    err = capsys.readouterr().err
    assert "ingest enabled" in err and "other machines" in err
    with TestClient(app) as c:
        response = c.post("/api/articles", json={"text": "   "},
                          headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert response.status_code == 422
