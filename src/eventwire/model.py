"""The record types: eventwire's public contract.

Everything a stage finds and everything the CLI prints is one of these. The JSON Schema that
`eventwire schema` prints is generated from them, so a change here is a change of the record
format: bump ``SCHEMA_VERSION`` with it.

Spans are ``[start, end)`` character offsets into ``Article.text``.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# 1.1: optional fields added (Place admin1/feature_code/precision, DateRef timex/kind,
# Quantity restates/consistent); every v1 record is a valid v1.1 record.
# 1.2: optional fields added (Actor country_basis/implied); every v1.1 record is a valid v1.2
# record.
SCHEMA_VERSION = "1.2"
CountryBasis = Literal["named", "place", "article"]

EventType = Literal[
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
]
EVENT_TYPES: tuple[str, ...] = EventType.__args__  # type: ignore[attr-defined]

Status = Literal["asserted", "reported", "denied", "speculated", "planned"]
Precision = Literal["day", "week", "month", "year"]
SourceType = Literal[
    "state_media",
    "media",
    "government",
    "military",
    "official",
    "organization",
    "anonymous",
    "person",
    "other",
]

Span = tuple[int, int]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex digest of the parts; the same parts always give the same id."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


class ArticleMeta(Record):
    """What is known about an article besides its text."""

    id: str = Field(description="Stable id derived from the text (and url when known).")
    title: str | None = None
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str = "en"
    source: str | None = Field(None, description="Where the article was read from (path, line).")


class Article(ArticleMeta):
    text: str


class Actor(Record):
    """An actor as it appears in one place of the text, coded."""

    text: str = Field(description="The words in the text.")
    name: str | None = Field(None, description="Canonical name.")
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-3, or IGO for bodies such as the UN."
    )
    sector: str | None = Field(None, description="PLOVER/CAMEO actor type: GOV, MIL, MED, ...")
    kind: Literal["person", "state", "organization", "group", "media"] | None = None
    span: Span
    country_basis: CountryBasis | None = Field(
        None,
        description="How the country was found: 'named' (the actor's own words name it or "
        "stand for it: 'Afghan police', 'the Kremlin'), 'place' (the place the actor or the "
        "event is in: 'police in Srinagar'), 'article' (the country the article is about). "
        "None when the actor has no country.",
    )
    implied: bool = Field(
        False,
        description="True when the text names no such party and the event implies it: the "
        "police for an arrest told without its agent, the authorities of the place for a "
        "protest with no named target. The span is then the words that imply it.",
    )


class DateRef(Record):
    text: str
    value: str | None = Field(None, description="ISO date (YYYY-MM-DD) of the start of the period.")
    precision: Precision | None = None
    span: Span | None = None
    inferred: bool = Field(
        False, description="True when the text gives no date and the publication date stands in "
        "(value: the publication date; precision: week, for 'around then')."
    )
    timex: str | None = Field(
        None,
        description="TimeML (TIMEX3) normalised value: 2023-09-13, 2023-W37, 2023-09, 2023-Q3, "
        "P21M, PRESENT_REF, ...; None when it cannot be normalised.",
    )
    kind: Literal["date", "time", "duration", "set"] = Field(
        "date", description="TimeML type: only a date or a time can be the date of an event."
    )


class Place(Record):
    """A place mention resolved to a gazetteer record (GeoNames-style); unresolved when the
    gazetteer lacks the name: no point and no precision."""

    text: str
    name: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-3")
    feature: str | None = Field(None, description="city, region, country, site, ...")
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    span: Span | None = None
    admin1: str | None = Field(
        None, description="First-level region: GeoNames admin1 code (US: state code) or name."
    )
    feature_code: str | None = Field(
        None, description="GeoNames feature code where known: PPLC, ADM1, PCLI, ..."
    )
    precision: Literal["site", "city", "region", "country"] | None = Field(
        None, description="How fine lat/lon is; None when the place is unresolved."
    )


class Attribution(Record):
    """Who says so: the source of a claim and the words that introduce it."""

    source: str
    source_type: SourceType
    country: str | None = None
    cue: str | None = Field(None, description="The attributing words: 'according to', 'said'.")
    span: Span | None = Field(None, description="Span of the source's words.")
    cue_span: Span | None = None
    content_span: Span | None = Field(None, description="Span of what the source says.")


class Quantity(Record):
    text: str
    value: float | None = None
    unit: str | None = None
    item: str | None = None
    span: Span | None = None
    restates: Span | None = Field(
        None, description="Span of the measure this one restates in other units, as in "
        "'250 kilometers (155 miles)'."
    )
    consistent: bool | None = Field(
        None, description="For a measure given in two units: whether the two agree once "
        "converted, within the rounding of the written numbers. None when not restated."
    )


class Evidence(Record):
    start: int
    end: int
    text: str


class Event(Record):
    """One dyadic PLOVER event, every field anchored in the text (record format v1)."""

    id: str
    article_id: str
    event_type: EventType
    mode: str | None = None
    cameo: str | None = Field(None, description="CAMEO root code, for GDELT users.")
    actor: Actor | None
    recipient: Actor | None = None
    reciprocal: bool = False
    date: DateRef | None = None
    location: Place | None = None
    attribution: Attribution | None = None
    status: Status
    quantities: list[Quantity] = Field(default_factory=list)
    evidence: Evidence
    tellings: list[Evidence] = Field(
        default_factory=list,
        description="Other sentences of the article that tell the same event (record 1.2).",
    )
    trigger: str | None = Field(None, description="The word that signals the event.")
    confidence: float = Field(ge=0.0, le=1.0)
    version: str = Field(SCHEMA_VERSION, description="Record format version.")


class Analysis(Record):
    """Everything eventwire found in one article."""

    schema_version: str = SCHEMA_VERSION
    extractor_version: str
    article: ArticleMeta
    actors: list[Actor] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    dates: list[DateRef] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


def event_schema() -> dict:
    """JSON Schema of the event record."""
    return Event.model_json_schema()


def analysis_schema() -> dict:
    """JSON Schema of the whole analysis of an article (`extract --format json`)."""
    return Analysis.model_json_schema()
