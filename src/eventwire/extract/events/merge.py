"""One record per event: the same event told twice in an article is one record.

Two records are the same event when their type, their status group (asserted and reported
are both "happened"), their dates and their places agree (an unknown value fits any), their
parties fit (an unknown party fits any), and something says they are one: they come from the
same sentence; they name the same parties (at least one named on both sides); the later one
takes the earlier up with a definite noun ("the attack", "the talks"); or they are placed at
the same town or site, or dated to the same day. Records of one type with nothing in common
are two events (two bombings in one report). The better-evidenced telling is kept (both
parties known, a real date, confidence), with the date, place, source and quantities the
other tellings add; two words of one sentence that tell the same event bear each other out
(the confidence is the chance that either is right); the record lists the other sentences
that tell it (``tellings``). Before merging, a dyadic event with no
counterpart takes the one another telling of its kind names (``_fill_recipients``), and a
planned event that is only the purpose of one that happened is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventwire.extract.events.build import MISSING_RECIPIENT_PENALTY
from eventwire.extract.events.kinds import DYADIC_TYPES, UNORDERED_TYPES
from eventwire.model import Actor, Event, Evidence

STATUS_GROUP = {"asserted": "happened", "reported": "happened"}

def _tellings_added(twin: Event, event: Event) -> list[Evidence]:
    """The sentences that tell ``twin``, with those of ``event`` (merged into it) added; an
    empty list when ``event`` adds none."""
    known = {twin.evidence.start} | {t.start for t in twin.tellings}
    added = [t for t in (event.evidence, *event.tellings) if t.start not in known]
    if not added:
        return []
    return sorted([*twin.tellings, *added], key=lambda t: t.start)


def _party(actor: Actor | None) -> str | None:
    return actor.country if actor is not None else None


def _parties_compatible(a: Event, b: Event) -> bool:
    """Whether two records can name the same parties; an unknown party fits any."""
    a_parties = (_party(a.actor), _party(a.recipient))
    b_parties = (_party(b.actor), _party(b.recipient))
    if a.event_type in UNORDERED_TYPES:
        known_a = {p for p in a_parties if p}
        known_b = {p for p in b_parties if p}
        return known_a <= known_b or known_b <= known_a
    return all(x is None or y is None or x == y for x, y in zip(a_parties, b_parties, strict=True))


def _dates_compatible(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None or a.date.inferred or b.date.inferred:
        return True
    return a.date.value == b.date.value


def _named(actor: Actor | None) -> str | None:
    """The country of a party the text names as such (not one placed or implied)."""
    if actor is None or actor.implied or actor.country_basis != "named":
        return None
    return actor.country


def _parties_agree(a: Event, b: Event) -> bool:
    """Whether two records name the same parties: compatible, with at least one party whose
    country both name alike (a country only inferred, as for "police" in a story set in one
    country, says nothing about which of its events this is)."""
    if not _parties_compatible(a, b):
        return False
    a_parties = [_named(a.actor), _named(a.recipient)]
    b_parties = [_named(b.actor), _named(b.recipient)]
    if a.event_type in UNORDERED_TYPES:
        return bool({p for p in a_parties if p} & {p for p in b_parties if p})
    return any(x is not None and x == y for x, y in zip(a_parties, b_parties, strict=True))


@dataclass(frozen=True)
class Tellings:
    """Where each record was told: its sentence, whether its trigger is a definite noun that
    takes an event up again ("the attack") and whether it is a word of harm, by record id."""

    sentence: dict[str, int] = field(default_factory=dict)
    anaphoric: frozenset[str] = frozenset()
    harms: frozenset[str] = frozenset()  # records told by a word of harm ("killed")


def _same_event(a: Event, b: Event, told: Tellings) -> bool:
    if not (
        a.event_type == b.event_type
        and STATUS_GROUP.get(a.status, a.status) == STATUS_GROUP.get(b.status, b.status)
        and _dates_compatible(a, b)
    ):
        return False
    if not _parties_compatible(a, b) or not _places_compatible(a, b):
        return False
    if a.evidence.start == b.evidence.start or _parties_agree(a, b):
        return True
    sa, sb = told.sentence.get(a.id), told.sentence.get(b.id)
    if sa is None or sb is None:
        return False
    later = a if sa > sb else b
    if later.id in told.anaphoric:
        return True  # "the attack", "the talks": the event told before
    # Told again with what places it: the same place, or the same day
    return _same_place(a, b) or _same_day(a, b)


def _places_compatible(a: Event, b: Event) -> bool:
    """Whether two records can be placed at one spot: an unknown place fits any, two known
    ones must be the same place or one inside the other's country."""
    pa, pb = a.location, b.location
    if pa is None or pb is None or pa.country is None or pb.country is None:
        return True
    if pa.country != pb.country:
        return False
    if pa.geonameid and pb.geonameid and pa.geonameid != pb.geonameid:
        # two towns of one country: different scenes, unless one is the country itself
        return "country" in {pa.precision, pb.precision}
    return True


def _same_place(a: Event, b: Event) -> bool:
    pa, pb = a.location, b.location
    return (
        pa is not None and pb is not None and pa.geonameid is not None
        and pa.geonameid == pb.geonameid and pa.precision != "country"
    )  # fmt: skip


def _same_day(a: Event, b: Event) -> bool:
    return (
        a.date is not None and b.date is not None and not a.date.inferred
        and not b.date.inferred and a.date.precision == "day" and a.date.value == b.date.value
    )  # fmt: skip


def _drop_purposes(events: list[Event]) -> list[Event]:
    """ "met the king to discuss the border": a planned event of the same kind, in the same
    sentence as one that happened, is that event's purpose, not an event of its own."""
    happened = [e for e in events if STATUS_GROUP.get(e.status) == "happened"]
    return [
        e
        for e in events
        if e.status != "planned"
        or not any(
            h.evidence.start == e.evidence.start
            and h.event_type == e.event_type
            and _parties_compatible(h, e)
            for h in happened
        )
    ]


def _quality(event: Event) -> tuple:
    """Which telling of an event to keep: both parties known, a name, a real date, confidence."""
    known = sum(1 for p in (event.actor, event.recipient) if p is not None and p.country)
    return (known, event.date is not None and not event.date.inferred, event.confidence)


def _fill_recipients(events: list[Event]) -> list[Event]:
    """A dyadic event whose sentence names no counterpart ("the talks began") takes the
    counterpart that another telling of the same kind of event in the article names."""
    out = []
    for event in events:
        if event.recipient is None and event.event_type in DYADIC_TYPES and event.actor is not None:
            for other in events:
                if other is event or other.event_type != event.event_type:
                    continue
                parties = [other.actor, other.recipient]
                countries = [p.country if p else None for p in parties]
                if event.actor.country in countries and None not in countries:
                    counterpart = parties[1 - countries.index(event.actor.country)]
                    if counterpart is not None and counterpart.country != event.actor.country:
                        confidence = min(1.0, event.confidence / MISSING_RECIPIENT_PENALTY)
                        event = event.model_copy(
                            update={"recipient": counterpart, "confidence": round(confidence, 3)}
                        )
                        break
        out.append(event)
    return out


def merge(events: list[Event], told: Tellings | None = None) -> list[Event]:
    """One record per event: the same event told twice keeps the better-evidenced telling,
    with the date, place, source and quantities the other tellings add. ``told`` says where
    each record was told (without it, only records of one sentence or with the same known
    parties are merged)."""
    told = told if told is not None else Tellings()
    kept: list[Event] = []
    for event in sorted(_drop_purposes(_fill_recipients(events)), key=_quality, reverse=True):
        twin = next((k for k in kept if _same_event(k, event, told)), None)
        if twin is None:
            kept.append(event)
            continue
        index = kept.index(twin)
        update: dict = {}
        if (
            twin.evidence.start == event.evidence.start
            and twin.trigger != event.trigger
            and not ({twin.id, event.id} & told.harms)
        ):
            # two words of one sentence tell it ("chanted slogans as they marched"): each
            # bears the other out (not words of harm: "injured as a boiler exploded" is two
            # words for one accident, no more an attack for being said twice)
            both = 1 - (1 - twin.confidence) * (1 - event.confidence)
            update["confidence"] = round(min(1.0, both), 3)
        elif event.confidence > twin.confidence:
            update["confidence"] = event.confidence  # the strongest telling vouches for it
        if (
            (twin.date is None or twin.date.inferred)
            and event.date is not None
            and not event.date.inferred
        ):
            update["date"] = event.date
        if twin.location is None and event.location is not None:
            update["location"] = event.location
        if twin.attribution is None and event.attribution is not None and twin.status == "reported":
            update["attribution"] = event.attribution
        extra = [q for q in event.quantities if q not in twin.quantities]
        if extra:
            update["quantities"] = twin.quantities + extra
        told_also = _tellings_added(twin, event)
        if told_also:
            update["tellings"] = told_also
        if update:
            kept[index] = twin.model_copy(update=update)
    kept.sort(key=lambda e: (e.evidence.start, e.event_type))
    return kept
