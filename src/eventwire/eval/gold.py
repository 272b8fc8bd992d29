"""Loader for event gold files (format ``eventwire-gold/1``).

A gold folder holds ``NAME.gold.json`` files, each naming its article text (``article.file``,
relative to the gold file). Every gold event lists what an annotator accepts: event types,
actor and recipient countries (a code, a list of acceptable codes, or null for any; a null
inside a list also accepts a party with no country), and
optionally status, mode, date, place, source and quantities. Absent lists mean "not scored".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from eventwire.model import EVENT_TYPES

GOLD_FORMAT = "eventwire-gold/1"
GOLD_SUFFIX = ".gold.json"
STATUSES: tuple[str, ...] = ("asserted", "reported", "denied", "speculated", "planned")


class GoldFormatError(ValueError):
    """A gold file or folder that cannot be read as ``eventwire-gold/1``."""


@dataclass
class GoldParty:
    """One side of a gold event. ``countries`` is None when any country (or none) is accepted;
    ``accepts_none`` when the list also accepts a party with no country (a null in the list)."""

    countries: tuple[str, ...] | None = None
    sectors: tuple[str | None, ...] | None = None
    names: tuple[str, ...] = ()
    accepts_none: bool = False

    @property
    def any_country(self) -> bool:
        return self.countries is None

    def label(self) -> str:
        if self.countries is None:
            return "*"
        return "|".join(self.countries) + ("|-" if self.accepts_none else "")


@dataclass
class GoldQuantity:
    value: float
    item: str | None = None
    unit: str | None = None


@dataclass
class GoldEvent:
    """One expected event and what is acceptable for each of its fields (None = not scored)."""

    id: str
    required: bool
    event_types: tuple[str, ...]
    actor: GoldParty
    recipient: GoldParty | None = None
    symmetric: bool = False
    status: tuple[str, ...] | None = None
    mode: tuple[str | None, ...] | None = None
    date: tuple[str, ...] | None = None
    source: tuple[str, ...] | None = None
    location_country: tuple[str, ...] | None = None
    location_names: tuple[str, ...] | None = None
    quantities: tuple[GoldQuantity, ...] | None = None
    evidence: str | None = None
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def any_recipient(self) -> bool:
        """True when the gold accepts any recipient, including none."""
        return self.recipient is None or self.recipient.any_country

    @property
    def status_informative(self) -> bool:
        """False when status was not coded (no list, or every status accepted)."""
        return self.status is not None and not set(STATUSES) <= set(self.status)

    def label(self) -> str:
        recipient = self.recipient.label() if self.recipient is not None else "*"
        arrow = "<->" if self.symmetric else "->"
        return f"{'|'.join(self.event_types)} {self.actor.label()} {arrow} {recipient}"


@dataclass
class GoldArticle:
    """One gold file: the article it scores and its expected events."""

    id: str
    text_path: Path
    published: date | None
    events: list[GoldEvent]
    raw: dict = field(repr=False)
    gold_path: Path | None = None

    @property
    def required_events(self) -> list[GoldEvent]:
        return [e for e in self.events if e.required]

    def read_text(self) -> str:
        return self.text_path.read_text(encoding="utf-8")


def _fail(path: Path, message: str) -> GoldFormatError:
    return GoldFormatError(f"{path}: {message}")


def _str_list(value: Any, path: Path, where: str, allow_null: bool = False) -> tuple | None:
    """A list of strings from a gold field (a lone string counts as a list of one)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _fail(path, f"{where}: expected a list, got {type(value).__name__}")
    for item in value:
        if item is None and allow_null:
            continue
        if not isinstance(item, str):
            raise _fail(path, f"{where}: expected strings, got {item!r}")
    return tuple(value)


def _party(value: Any, path: Path, where: str) -> GoldParty | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _fail(path, f"{where}: expected an object or null")
    countries = _str_list(value.get("country"), path, f"{where}.country", allow_null=True)
    accepts_none = countries is not None and None in countries
    if countries is not None:
        countries = tuple(c.strip().upper() for c in countries if c is not None)
        if not countries:
            countries, accepts_none = None, False
    return GoldParty(
        countries=countries,
        accepts_none=accepts_none,
        sectors=_str_list(value.get("sector"), path, f"{where}.sector", allow_null=True),
        names=_str_list(value.get("names"), path, f"{where}.names") or (),
    )


def _quantities(value: Any, path: Path, where: str) -> tuple[GoldQuantity, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise _fail(path, f"{where}: expected a list")
    out = []
    for i, q in enumerate(value):
        if not isinstance(q, dict) or not isinstance(q.get("value"), int | float):
            raise _fail(path, f"{where}[{i}]: expected an object with a numeric value")
        out.append(GoldQuantity(value=float(q["value"]), item=q.get("item"), unit=q.get("unit")))
    return tuple(out)


def _event(raw: Any, index: int, path: Path) -> GoldEvent:
    where = f"events[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}: expected an object")
    types = _str_list(raw.get("event_type"), path, f"{where}.event_type")
    if not types:
        raise _fail(path, f"{where}: event_type is missing or empty")
    types = tuple(t.strip().upper() for t in types)
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise _fail(path, f"{where}: unknown event type(s) {unknown}")
    if "actor" not in raw:
        raise _fail(path, f"{where}: actor is missing")
    status = _str_list(raw.get("status"), path, f"{where}.status")
    if status is not None:
        status = tuple(s.strip().lower() for s in status)
        bad = [s for s in status if s not in STATUSES]
        if bad:
            raise _fail(path, f"{where}: unknown status(es) {bad}")
    mode = _str_list(raw.get("mode"), path, f"{where}.mode", allow_null=True)
    location_country = _str_list(raw.get("location_country"), path, f"{where}.location_country")
    if location_country is not None:
        location_country = tuple(c.strip().upper() for c in location_country)
    return GoldEvent(
        id=str(raw.get("id", f"e{index + 1}")),
        required=bool(raw.get("required", True)),
        event_types=types,
        actor=_party(raw["actor"], path, f"{where}.actor") or GoldParty(),
        recipient=_party(raw.get("recipient"), path, f"{where}.recipient"),
        symmetric=bool(raw.get("symmetric", False)),
        status=status,
        mode=mode,
        date=_str_list(raw.get("date"), path, f"{where}.date"),
        source=_str_list(raw.get("source"), path, f"{where}.source"),
        location_country=location_country,
        location_names=_str_list(raw.get("location_names"), path, f"{where}.location_names"),
        quantities=_quantities(raw.get("quantities"), path, f"{where}.quantities"),
        evidence=raw.get("evidence"),
        raw=raw,
    )


def _published(value: Any, path: Path) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise _fail(path, f"article.published is not an ISO date: {value!r}") from exc


def load_gold_file(path: Path) -> GoldArticle:
    """Read one ``NAME.gold.json`` and check that its article text exists."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise _fail(path, "expected a JSON object")
    if raw.get("format") != GOLD_FORMAT:
        raise _fail(path, f"format is {raw.get('format')!r}, expected {GOLD_FORMAT!r}")
    article = raw.get("article")
    if not isinstance(article, dict) or not article.get("file"):
        raise _fail(path, "article.file is missing")
    text_path = (path.parent / article["file"]).resolve()
    if not text_path.is_file():
        raise FileNotFoundError(
            f"{path}: article file {article['file']!r} not found at {text_path}"
        )
    events = raw.get("events")
    if not isinstance(events, list):
        raise _fail(path, "events must be a list")
    return GoldArticle(
        id=str(article.get("id") or path.name[: -len(GOLD_SUFFIX)]),
        text_path=text_path,
        published=_published(article.get("published"), path),
        events=[_event(e, i, path) for i, e in enumerate(events)],
        raw=raw,
        gold_path=path,
    )


def load_gold_dir(path: Path) -> list[GoldArticle]:
    """Every ``NAME.gold.json`` in a folder (sorted by name), or the one file given."""
    path = Path(path)
    if path.is_file():
        return [load_gold_file(path)]
    if not path.is_dir():
        raise FileNotFoundError(f"gold folder not found: {path}")
    files = sorted(path.glob(f"*{GOLD_SUFFIX}"))
    if not files:
        raise GoldFormatError(f"{path}: no *{GOLD_SUFFIX} files in this folder")
    articles = [load_gold_file(f) for f in files]
    seen: dict[str, Path] = {}
    for article in articles:
        if article.id in seen:
            raise GoldFormatError(
                f"duplicate article id {article.id!r} in {seen[article.id]} and {article.gold_path}"
            )
        seen[article.id] = article.gold_path  # type: ignore[assignment]
    return articles
