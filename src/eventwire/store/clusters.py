"""Cross-article event identity: which stored event a new mention belongs to, and what the
event looks like once its mentions are pooled.

Pure functions over plain mappings (``mentions`` rows, optionally with ``article_*`` keys and
the store's ``outlet_key`` / ``outlet_state_country``), so the rules can be tested without a
database. The rules:

* a mention joins an event only when the event type and the status group agree ("asserted"
  and "reported" are one group, "happened"; "denied", "speculated" and "planned" are groups
  of their own, so a denial never merges with a report);
* the actor and recipient countries agree: as an unordered pair when either side is
  reciprocal or the type is CONSULT, AGREE or COOPERATE, else as an ordered pair. A missing
  recipient country matches only a missing one; a mention with no actor country never joins
  (nothing says who acted);
* the dates are compatible: both known and within one day of each other (a coarser date -
  week, month, year - covers its whole period), or either unknown or inferred from the
  publication date;
* the places are compatible: the same country, or either unknown.

Among several compatible events the one with the closest date wins (unknown dates last, then
the smaller id).
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from eventwire.model import stable_id

Row = Mapping[str, Any]
DateSpan = tuple[date, date]

STATUS_GROUPS: dict[str, str] = {
    "asserted": "happened",
    "reported": "happened",
    "denied": "denied",
    "speculated": "speculated",
    "planned": "planned",
}
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
MAX_DAY_GAP = 1


def status_group(status: str) -> str:
    """The merging group of a status: "asserted" and "reported" are both "happened"."""
    return STATUS_GROUPS.get(status, status)


def group_statuses(group: str) -> tuple[str, ...]:
    """Every status of a group, sorted (for SQL ``IN`` lists)."""
    found = sorted(s for s, g in STATUS_GROUPS.items() if g == group)
    return tuple(found) or (group,)


def is_symmetric(event_type: str, reciprocal: bool | None) -> bool:
    return bool(reciprocal) or event_type in SYMMETRIC_TYPES


def countries_match(mention: Row, event: Row) -> bool:
    """Whether a mention's actor/recipient countries are the event's."""
    actor, recipient = mention.get("actor_country"), mention.get("recipient_country")
    if actor is None:
        return False
    ev_actor, ev_recipient = event.get("actor_country"), event.get("recipient_country")
    if (actor, recipient) == (ev_actor, ev_recipient):
        return True
    symmetric = is_symmetric(mention["event_type"], mention.get("reciprocal")) or is_symmetric(
        event["event_type"], event.get("reciprocal")
    )
    return symmetric and recipient is not None and (recipient, actor) == (ev_actor, ev_recipient)


def as_date(value: Any) -> date | None:
    """A stored date (a date, a datetime or an ISO string) as a date; None when it is none."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_span(value: date | str | None, precision: str | None) -> DateSpan | None:
    """The period a date stands for: a day, or the whole week, month or year it starts."""
    start = as_date(value)
    if start is None:
        return None
    if precision == "week":
        return start, start + timedelta(days=6)
    if precision == "month":
        last = calendar.monthrange(start.year, start.month)[1]
        return start, start.replace(day=last)
    if precision == "year":
        return start, start.replace(month=12, day=31)
    return start, start


def known_span(row: Row) -> DateSpan | None:
    """A mention's date period, or None when it is missing or only inferred."""
    if row.get("date_inferred"):
        return None
    return date_span(row.get("date_value"), row.get("date_precision"))


def date_gap(a: DateSpan | None, b: DateSpan | None) -> int | None:
    """Days between two periods (0 when they overlap), None when either is unknown."""
    if a is None or b is None:
        return None
    return max(0, (max(a[0], b[0]) - min(a[1], b[1])).days)


def dates_compatible(a: DateSpan | None, b: DateSpan | None) -> bool:
    gap = date_gap(a, b)
    return gap is None or gap <= MAX_DAY_GAP


def places_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


# Two mentions placed further apart than this tell two events (a march in Marseille, tear gas
# in Paris); closer, they may name one place at different grains (a cosmodrome, its region).
SAME_PLACE_KM = 250.0


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)  # fmt: skip
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def points_compatible(point: tuple[float, float] | None, points: frozenset) -> bool:
    if point is None or not points:
        return True
    return min(km_between(point, p) for p in points) <= SAME_PLACE_KM


AREA_FEATURES = {"country", "region", "state", "province", "area", "continent", "sea", "water"}


def _point(row: Row) -> tuple[float, float] | None:
    """Where a mention is placed, when its place is a point (a city or a site, not an area)."""
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None or row.get("place_feature") in AREA_FEATURES:
        return None
    return float(lat), float(lon)


@dataclass(frozen=True)
class Candidate:
    """A stored event as the matcher sees it."""

    id: str
    event_type: str
    status: str
    reciprocal: bool
    actor_country: str | None
    recipient_country: str | None
    place_country: str | None
    date: DateSpan | None  # best non-inferred date of its mentions
    articles: frozenset[str] = frozenset()  # articles that already tell it
    place_names: frozenset[str] = frozenset()
    points: frozenset[tuple[float, float]] = frozenset()  # where its mentions are placed

    @classmethod
    def from_rows(cls, event: Row, mentions: Iterable[Row]) -> Candidate:
        mentions = list(mentions)
        return cls(
            id=event["id"],
            event_type=event["event_type"],
            status=event["status"],
            reciprocal=bool(event.get("reciprocal")),
            actor_country=event.get("actor_country"),
            recipient_country=event.get("recipient_country"),
            place_country=event.get("place_country"),
            date=_best_span([m for m in mentions if known_span(m) is not None]),
            articles=frozenset(m["article_id"] for m in mentions if m.get("article_id")),
            place_names=frozenset(m["place_name"] for m in mentions if m.get("place_name")),
            points=frozenset(p for m in mentions if (p := _point(m)) is not None),
        )

    def as_row(self) -> dict[str, Any]:
        return {
            "event_type": self.event_type,
            "reciprocal": self.reciprocal,
            "actor_country": self.actor_country,
            "recipient_country": self.recipient_country,
        }


def _place_key(row: Row) -> tuple[str | None, str | None] | None:
    if row.get("place_name") or row.get("place_country"):
        return row.get("place_name"), row.get("place_country")
    return None


class GrowingCandidate:
    """An event being added to within one transaction, as the matcher sees it, kept up to date
    mention by mention: ``Candidate.from_rows(aggregate(id, rows), rows)`` gives the same
    candidate, but costs a pass over every mention, and an event that many articles report
    would pay it again for each new one."""

    def __init__(self, event_id: str, rows: Sequence[Row]) -> None:
        if not rows:
            raise ValueError("an event needs at least one mention")
        first = rows[0]
        self.id = event_id
        self.event_type = first["event_type"]
        self.status = first["status"]  # one status group per event: the matcher needs no more
        self.actor_country = first.get("actor_country")
        self.recipient_country = first.get("recipient_country")
        self.reciprocal = False
        self.articles: set[str] = set()
        self.place_names: set[str] = set()
        self.points: set[tuple[float, float]] = set()
        self.best: tuple[int, date, str | None] | None = None  # (rank, day, precision)
        self.places: Counter = Counter()
        for row in rows:
            self._count(row)
        self.place = _most_common([_place_key(r) for r in rows])
        self._built: Candidate | None = None

    def _count(self, row: Row) -> None:
        self.reciprocal = self.reciprocal or bool(row.get("reciprocal"))
        if row.get("article_id"):
            self.articles.add(row["article_id"])
        if row.get("place_name"):
            self.place_names.add(row["place_name"])
        if (point := _point(row)) is not None:
            self.points.add(point)
        if known_span(row) is not None and (day := as_date(row.get("date_value"))) is not None:
            precision = row.get("date_precision")
            dated = (PRECISION_RANK.get(precision or "day", 0), day, precision)
            if self.best is None or dated[:2] < self.best[:2]:
                self.best = dated
        key = _place_key(row)
        if key is not None:
            self.places[key] += 1

    def add(self, row: Row, rows: Sequence[Row]) -> None:
        """``row`` has joined; ``rows`` are all the event's mentions now, in mention order."""
        self._count(row)
        self._built = None
        key = _place_key(row)
        if key is None or key == self.place:
            return
        top = self.places[self.place] if self.place is not None else 0
        if self.places[key] > top:
            self.place = key
        elif self.places[key] == top:  # a tie goes to the place named first: look again
            self.place = _most_common([_place_key(r) for r in rows])

    def candidate(self) -> Candidate:
        if self._built is None:
            self._built = Candidate(
                id=self.id,
                event_type=self.event_type,
                status=self.status,
                reciprocal=self.reciprocal,
                actor_country=self.actor_country,
                recipient_country=self.recipient_country,
                place_country=self.place[1] if self.place else None,
                date=date_span(self.best[1], self.best[2]) if self.best else None,
                articles=frozenset(self.articles),
                place_names=frozenset(self.place_names),
                points=frozenset(self.points),
            )
        return self._built


def matches(mention: Row, event: Candidate) -> bool:
    """Whether a mention may join an event (the rules in the module docstring)."""
    return (
        mention["event_type"] == event.event_type
        # an article's own tellings of one event are already one mention: two mentions from
        # one article are two events (a meeting on Wednesday, another on Saturday)
        and mention.get("article_id") not in event.articles
        and status_group(mention["status"]) == status_group(event.status)
        and countries_match(mention, event.as_row())
        and dates_compatible(known_span(mention), event.date)
        and places_compatible(mention.get("place_country"), event.place_country)
        and points_compatible(_point(mention), event.points)
    )


def choose_event(mention: Row, candidates: Iterable[Candidate]) -> str | None:
    """The id of the event a mention joins, or None when it starts a new one."""
    span = known_span(mention)
    best: tuple[bool, int, str] | None = None
    for event in candidates:
        if not matches(mention, event):
            continue
        gap = date_gap(span, event.date)
        # the same named place first ("at the Vostochny cosmodrome"), then the nearest date
        elsewhere = not (mention.get("place_name") and mention["place_name"] in event.place_names)
        key = (elsewhere, gap if gap is not None else 1 << 30, event.id)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


def new_event_id(mention: Row, taken: Callable[[str], bool]) -> str:
    """A stable id for the event a mention starts: a hash of its type, status group,
    countries and date; a counter is added only if that id is already used by another event.
    A mention with no actor country joins no other event, so its own id goes into the hash:
    many such mentions of one type and day would otherwise count up through taken ids, one
    lookup each."""
    value = as_date(mention.get("date_value"))
    parts: tuple = (
        "event",
        mention["event_type"],
        status_group(mention["status"]),
        mention.get("actor_country"),
        mention.get("recipient_country"),
        value.isoformat() if value else None,
    )
    if mention.get("actor_country") is None and mention.get("id"):
        parts = (*parts, mention["id"])
    n = 0
    while True:
        candidate = stable_id(*parts) if n == 0 else stable_id(*parts, n)
        if not taken(candidate):
            return candidate
        n += 1


# --- aggregates ----------------------------------------------------------------------------


def _most_common(values: Sequence[Any]) -> Any:
    """The most frequent non-null value; ties go to the one seen first."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    top = max(counts.values())
    return next(v for v in values if v is not None and counts[v] == top)


def _best_span(rows: Sequence[Row]) -> DateSpan | None:
    best = _best_date(rows)
    return date_span(*best) if best else None


def _best_date(rows: Sequence[Row]) -> tuple[date, str | None] | None:
    """The most precise date, the earliest among equally precise ones."""
    dated = [
        (PRECISION_RANK.get(r.get("date_precision") or "day", 0), d, r.get("date_precision"))
        for r in rows
        if (d := as_date(r.get("date_value"))) is not None
    ]
    if not dated:
        return None
    _, value, precision = min(dated, key=lambda t: (t[0], t[1]))
    return value, precision


def event_date(rows: Sequence[Row]) -> tuple[date | None, str | None]:
    """An event's date: the best stated date, else the best inferred one."""
    stated = [r for r in rows if not r.get("date_inferred")]
    best = _best_date(stated) or _best_date(rows)
    return best if best else (None, None)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def source_key(row: Row) -> str:
    """Who published a mention: the outlet (canonical name when the store knows it), else the
    URL's host, else the article itself."""
    outlet = row.get("outlet_key") or row.get("article_outlet")
    if outlet:
        return "outlet:" + " ".join(str(outlet).casefold().split())
    host = _host(row.get("article_url"))
    if host:
        return "host:" + host
    return "article:" + str(row["article_id"])


def state_media_country(row: Row) -> str | None:
    """The country whose state media carry a mention: its attributed source when that is state
    media ("?" when the source's country is unknown), else its outlet when that is state media;
    None when neither is."""
    if row.get("source_type") == "state_media":
        return row.get("source_country") or "?"
    return row.get("outlet_state_country")


def _oriented(row: Row, actor: str | None, recipient: str | None) -> tuple[str, str]:
    """Which of a mention's sides plays the event's actor: ("actor", "recipient") or swapped."""
    if (row.get("actor_country"), row.get("recipient_country")) == (recipient, actor) and (
        actor != recipient
    ):
        return "recipient", "actor"
    return "actor", "recipient"


def aggregate(event_id: str, rows: Sequence[Row]) -> dict[str, Any]:
    """The ``events`` row for the mentions ``rows``, given in mention order (the first is the
    event's representative: its actor/recipient orientation is kept)."""
    if not rows:
        raise ValueError("an event needs at least one mention")
    first = rows[0]
    actor, recipient = first.get("actor_country"), first.get("recipient_country")
    sides = [_oriented(r, actor, recipient) for r in rows]
    actor_names = [r.get(f"{a}_name") for r, (a, _) in zip(rows, sides, strict=True)]
    actor_sectors = [r.get(f"{a}_sector") for r, (a, _) in zip(rows, sides, strict=True)]
    recipient_names = [r.get(f"{b}_name") for r, (_, b) in zip(rows, sides, strict=True)]
    recipient_sectors = [r.get(f"{b}_sector") for r, (_, b) in zip(rows, sides, strict=True)]

    statuses = [r["status"] for r in rows]
    counts = Counter(statuses)
    top = max(counts.values())
    tied = [s for s in statuses if counts[s] == top]
    status = "reported" if "reported" in tied else tied[0]

    value, precision = event_date(rows)
    place_keys = [
        (r.get("place_name"), r.get("place_country"))
        if r.get("place_name") or r.get("place_country")
        else None
        for r in rows
    ]
    place = _most_common(place_keys)
    located = zip(rows, place_keys, strict=True)
    coords = next((r for r, k in located if k == place and r.get("lat") is not None), None)
    state = [state_media_country(r) for r in rows]
    state_only = all(state) and len(set(state)) == 1 and state[0] != "?"
    stored_at = [r["article_ingested_at"] for r in rows if r.get("article_ingested_at")]
    return {
        "id": event_id,
        "event_type": first["event_type"],
        "mode": _most_common([r.get("mode") for r in rows]),
        "cameo": _most_common([r.get("cameo") for r in rows]),
        "reciprocal": any(bool(r.get("reciprocal")) for r in rows),
        "status": status,
        "actor_name": _most_common(actor_names),
        "actor_country": actor,
        "actor_sector": _most_common(actor_sectors),
        "recipient_name": _most_common(recipient_names),
        "recipient_country": recipient,
        "recipient_sector": _most_common(recipient_sectors),
        "date_value": value,
        "date_precision": precision,
        "place_name": place[0] if place else None,
        "place_country": place[1] if place else None,
        "lat": coords.get("lat") if coords else None,
        "lon": coords.get("lon") if coords else None,
        "geonameid": coords.get("geonameid") if coords else None,
        "num_mentions": len(rows),
        "num_articles": len({r["article_id"] for r in rows}),
        "num_sources": len({source_key(r) for r in rows}),
        "state_media_only": bool(state_only),
        "state_media_country": state[0] if state_only else None,
        "confidence": max(float(r.get("confidence") or 0.0) for r in rows),
        "first_article_id": first["article_id"],
        "source_url": first.get("article_url"),
        "first_seen": min(stored_at) if stored_at else None,
    }
