"""The web workbench's FastAPI application: a JSON API over an event store and the page.

A thin layer: filters are parsed and summaries computed in ``eventwire.store.views``, events are
read through ``EventStore`` and articles analysed by ``eventwire.pipeline``. One store is opened
per application (on first use) and every use of it holds a lock, since neither a DuckDB nor a
psycopg connection may be used by two of the server's worker threads at once.

Read-only unless created with ``allow_ingest=True`` and a token: then ``POST /api/articles``
analyses and stores an article for a client that sends ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eventwire import __version__
from eventwire.store import EventStore, open_store
from eventwire.store.base import EventFilter
from eventwire.store.views import (
    FILTER_PARAMS,
    FilterError,
    actor_network,
    article_detail,
    event_detail,
    event_stats,
    filter_values,
    json_row,
    parse_filter,
)

STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY = 5 * 1024 * 1024  # bytes a POSTed article may take
MAX_LIMIT = 1000
TOKEN_ENV = "EVENTWIRE_TOKEN"


class StoreAccess:
    """One store for the application, opened on first use, used by one thread at a time."""

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._store: EventStore | None = None

    @contextmanager
    def use(self) -> Iterator[EventStore]:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.url)
            try:
                yield self._store
            except BaseException:
                # The connection may be what failed (a database server restarted): the next
                # request gets a fresh one.
                self._discard()
                raise

    def _discard(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            try:
                store.close()
            except Exception:
                pass

    def close(self) -> None:
        with self._lock:
            self._discard()


# --- request and response shapes (the responses are documented, not validated) -----------------


class IngestRequest(BaseModel):
    """An article to analyse and store: its text or its HTML page, and what is known of it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Plain text, kept exactly (spans index into it).")
    html: str | None = Field(None, description="An HTML page; its main text is extracted.")
    title: str | None = None
    url: str | None = None
    published: date | None = Field(None, description="YYYY-MM-DD; resolves relative dates.")
    outlet: str | None = None


class IngestResponse(BaseModel):
    article_id: str
    status: str = Field(description="new, unchanged or replaced")
    mentions: int = Field(description="event mentions stored for the article")
    events: list[str] = Field(description="ids of the events its mentions joined")


class EventsPage(BaseModel):
    total: int
    limit: int
    offset: int
    events: list[dict[str, Any]]


class EventDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    mentions: list[dict[str, Any]]
    articles: list[dict[str, Any]]


class ArticleDetail(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    text: str | None
    analysis: dict[str, Any] | None
    mentions: list[dict[str, Any]]


class Network(BaseModel):
    actors: list[dict[str, Any]]
    edges: list[dict[str, Any]]


class Stats(BaseModel):
    events: int
    articles: int
    mentions: int
    by_type: dict[str, int]
    by_status: dict[str, int]
    timeline: list[dict[str, Any]]
    countries: dict[str, int]


class FilterValues(BaseModel):
    types: list[str]
    statuses: list[str]
    source_types: list[str]
    sectors: list[str]
    countries: list[str]
    modes: list[str]


class Problem(BaseModel):
    detail: str


def _doc(model: type[BaseModel], *errors: int) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {200: {"model": model}}
    out.update({code: {"model": Problem} for code in errors})
    return out


# --- filters ------------------------------------------------------------------------------------

Codes = Annotated[list[str] | None, Query()]


def _text(description: str, alias: str | None = None) -> Any:
    return Query(alias=alias, description=description)


def query_filter(
    request: Request,
    type_: Annotated[
        list[str] | None, Query(alias="type", description="PLOVER event type (AID, CONSULT...)")
    ] = None,
    mode: Codes = None,
    actor_country: Annotated[list[str] | None, Query(description="ISO 3166-1 alpha-3")] = None,
    recipient_country: Codes = None,
    country: Annotated[list[str] | None, Query(description="actor or recipient country")] = None,
    actor_sector: Codes = None,
    recipient_sector: Codes = None,
    place_country: Codes = None,
    status: Annotated[
        list[str] | None, Query(description="asserted, reported, denied, speculated, planned")
    ] = None,
    source: Annotated[str | None, _text("a mention's source or its outlet contains")] = None,
    source_type: Codes = None,
    text: Annotated[str | None, _text("a mention's evidence contains")] = None,
    from_: Annotated[str | None, _text("YYYY-MM-DD, on or after", "from")] = None,
    to: Annotated[str | None, _text("YYYY-MM-DD, on or before")] = None,
    near: Annotated[str | None, _text("LAT,LON,KM: place within KM km")] = None,
    min_articles: Annotated[str | None, _text("reported by at least N articles")] = None,
) -> EventFilter:
    """The filter of ``eventwire query`` from the query string: a repeated parameter or a comma
    list matches any of its values. (The parameters are declared for the OpenAPI schema; the
    values are read, all of them, from the query string.)"""
    params = {name: request.query_params.getlist(name) for name in FILTER_PARAMS}
    try:
        return parse_filter(params)
    except FilterError as err:
        raise HTTPException(422, str(err)) from None


Filter = Annotated[EventFilter, Depends(query_filter)]


# --- the application ----------------------------------------------------------------------------


def _validation_detail(errors: Sequence[Mapping[str, Any]]) -> str:
    """Pydantic's error list as one line: "limit: Input should be ...; offset: ..."."""
    parts = []
    for item in errors:
        where = [str(p) for p in item.get("loc", ()) if p not in ("query", "path", "body")]
        parts.append(f"{'.'.join(where) or 'request'}: {item.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def create_app(
    store_url: str | None = None,
    *,
    allow_ingest: bool = False,
    token: str | None = None,
    model: str | None = None,
) -> FastAPI:
    """The workbench for the store at ``store_url`` (see ``open_store``; None: the default
    file). ``allow_ingest`` enables ``POST /api/articles`` for clients that send ``token``;
    ``model`` is the spaCy model ingest analyses with."""
    if allow_ingest and not token:
        raise ValueError(f"ingest needs a token (--token or ${TOKEN_ENV})")
    access = StoreAccess(store_url)
    expected = token.encode("utf-8") if token else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            access.close()

    app = FastAPI(
        title="eventwire",
        version=__version__,
        description="Span-anchored PLOVER events from news: browse, map and verify them.",
        lifespan=lifespan,
    )
    app.state.store = access

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_detail(err.errors())}, status_code=422)

    @app.get("/api/events", responses=_doc(EventsPage, 422), tags=["events"])
    def list_events(
        flt: Filter,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> JSONResponse:
        """Events matching every filter, ordered by date (unknown last) then id, one page."""
        with access.use() as store:
            total = store.count(flt)
            rows = store.query(flt, limit=limit, offset=offset) if offset < total else []
        page = {"total": total, "limit": limit, "offset": offset,
                "events": [json_row(r) for r in rows]}  # fmt: skip
        return JSONResponse(page)

    @app.get("/api/events/{event_id}", responses=_doc(EventDetail, 404, 422), tags=["events"])
    def get_event(event_id: str) -> JSONResponse:
        """One event with all its mentions and the articles that report it."""
        with access.use() as store:
            found = event_detail(store, event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return JSONResponse(found)

    @app.get(
        "/api/articles/{article_id}", responses=_doc(ArticleDetail, 404, 422), tags=["articles"]
    )
    def get_article(article_id: str) -> JSONResponse:
        """One article: its text, its whole analysis (null if not stored) and its mentions."""
        with access.use() as store:
            found = article_detail(store, article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return JSONResponse(found)

    @app.get("/api/actors", responses=_doc(Network, 422), tags=["summaries"])
    def get_actors(
        flt: Filter, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200
    ) -> JSONResponse:
        """The actor network of the matching events: nodes are countries (or actors with no
        country), edges go from actor to recipient, weighted by events."""
        with access.use() as store:
            return JSONResponse(actor_network(store, flt, limit))

    @app.get("/api/stats", responses=_doc(Stats, 422), tags=["summaries"])
    def get_stats(flt: Filter) -> JSONResponse:
        """Counts for the matching events: per type, status, day and type, country."""
        with access.use() as store:
            return JSONResponse(event_stats(store, flt))

    @app.get("/api/filters", responses=_doc(FilterValues), tags=["summaries"])
    def get_filters() -> JSONResponse:
        """The values each filter takes: fixed vocabularies, and the codes the store uses."""
        with access.use() as store:
            return JSONResponse(filter_values(store))

    @app.post(
        "/api/articles",
        responses=_doc(IngestResponse, 401, 403, 413, 422),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": IngestRequest.model_json_schema()}},
            }
        },
        tags=["articles"],
    )
    async def post_article(request: Request) -> JSONResponse:
        """Analyse an article (``text`` or ``html``) and store it. Only when the server was
        started with --allow-ingest, for a client that sends ``Authorization: Bearer TOKEN``;
        bodies are limited to 5 MB."""
        if not allow_ingest or expected is None:
            raise HTTPException(403, "ingest is disabled (start the server with --allow-ingest)")
        given = _bearer(request)
        if given is None or not hmac.compare_digest(given.encode("utf-8"), expected):
            raise HTTPException(
                401, "a valid token is required (Authorization: Bearer TOKEN)",
                headers={"WWW-Authenticate": "Bearer"},
            )  # fmt: skip
        body = await _read_body(request, MAX_BODY)
        try:
            payload = IngestRequest.model_validate_json(body)
        except ValidationError as err:
            raise HTTPException(422, _validation_detail(err.errors())) from None
        if (payload.text is None) == (payload.html is None):
            raise HTTPException(422, "give exactly one of 'text' and 'html'")
        result = await run_in_threadpool(_ingest, access, payload, model)
        return JSONResponse(result)

    @app.get("/api/outlines", responses={503: {"model": Problem}}, tags=["map"])
    def get_outlines() -> JSONResponse:
        """World country outlines (GeoJSON, lon/lat) for the map, from packaged data."""
        from eventwire.web.outlines import OutlinesError, world_geojson

        try:
            outlines = world_geojson()
        except OutlinesError as err:
            raise HTTPException(503, str(err)) from None
        return JSONResponse(outlines, headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", include_in_schema=False)
    def page() -> Response:
        index = STATIC_DIR / "index.html"
        if not index.is_file():
            return JSONResponse({"detail": "the page is not installed"}, status_code=404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return app


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 before reading when its declared length is over
    ``limit``, and while reading once it passes ``limit`` (chunked bodies declare none)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise HTTPException(400, f"bad Content-Length: {declared!r}") from None
        if size > limit:
            raise HTTPException(413, f"the body is over {limit // (1024 * 1024)} MB")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"the body is over {limit // (1024 * 1024)} MB")
    return bytes(body)


def _ingest(access: StoreAccess, payload: IngestRequest, model: str | None) -> dict[str, Any]:
    """Analyse (outside the store lock: it takes the longest) and store one article."""
    from eventwire.deadline import ArticleTimeout
    from eventwire.ingest import IngestError, article_from_html, article_from_text
    from eventwire.pipeline import analyze

    meta = payload.model_dump(include={"title", "url", "published", "outlet"})
    try:
        if payload.html is not None:
            article = article_from_html(payload.html, source="POST /api/articles", **meta)
        else:
            article = article_from_text(payload.text or "", source="POST /api/articles", **meta)
    except IngestError as err:
        raise HTTPException(422, err.reason) from None
    try:
        analysis = analyze(article, model=model)
    except ArticleTimeout as err:
        # the budget (--max-seconds) ran out in this worker thread: the article is rejected
        raise HTTPException(422, err.reason) from None
    with access.use() as store:
        result = store.ingest(analysis, article.text)
    return {"article_id": result.article_id, "status": result.status,
            "mentions": result.mentions, "events": result.events}  # fmt: skip
