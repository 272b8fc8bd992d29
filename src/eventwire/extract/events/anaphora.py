"""Events taken up again by a definite noun in a later sentence.

News tells an event, then comes back to it: "Turkey deployed tanks to the Syrian border. The
Tuesday deployment included 15 tanks, the Hurriyet daily reported." The second sentence names
no actor, so it makes no record of its own, but it gives the first telling its day, its count
and its source. Likewise "The signing took place at the summit in Sharm el-Sheikh" gives the
signing its place. Only what the first telling lacks is added; each added field keeps the span
of the words it came from.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from spacy.tokens import Doc, Token

from eventwire.extract.attribution import attribution_for
from eventwire.extract.dates import is_event_date
from eventwire.extract.events.location import venue, within
from eventwire.model import Actor, Attribution, DateRef, Event, Place, Quantity
from eventwire.nlp import view

DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
# Verbs by which a later clause counts what the event involved or did.
COUNTING_VERBS = frozenset(
    {"include", "involve", "comprise", "number", "total", "kill", "wound", "injure", "leave",
     "claim", "displace", "destroy", "damage", "cost", "affect", "see", "bring"}
)  # fmt: skip
# How far back a definite noun may reach for the event it takes up, in sentences.
SENTENCES_BACK = 2


def _definite(noun: Token) -> bool:
    return any(
        (c.dep_ == "det" and c.lower_ in DEFINITE_DETERMINERS) or c.dep_ == "poss"
        for c in noun.children
    )


def takes_up(trigger: Token, is_event_noun: Callable[[Token], bool]) -> bool:
    """Whether an event word takes up an event told before: a definite noun ("the attack",
    "Sunday's talks"), or a verb whose subject is one ("the attack killed 12 soldiers")."""
    if trigger.pos_ == "NOUN":
        return _definite(trigger)
    subject = next((c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return (
        subject is not None
        and subject.pos_ == "NOUN"
        and _definite(subject)
        and is_event_noun(subject)
    )


def _fits(noun: Token, event: Event, actors: list[Actor], places: list[Place]) -> bool:
    """Whether the noun phrase can name this event: the parties and places it names, if any,
    are the event's own ("the Russian strike" takes up a strike by Russia, "the strike on
    Odesa" is not the strike on Kyiv)."""
    parties = {p.country for p in (event.actor, event.recipient) if p is not None}
    for actor in actors:
        if actor.span and within(actor.span, noun) and actor.country not in parties:
            return False
    for place in places:
        if place.span and within(place.span, noun):
            if event.location is None or event.location.geonameid != place.geonameid:
                return False
    return True


class _Clause:
    """What the clause around a definite event noun says about the event."""

    def __init__(self, noun: Token) -> None:
        self.noun = noun
        self.verb = noun.head if noun.head.pos_ in {"VERB", "AUX"} else None
        tokens = list((self.verb or noun).subtree)
        self.start, self.end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)

    def place(self, places: list[Place]) -> Place | None:
        if self.verb is None:
            return None
        return venue(self.verb, [p for p in places if p.span and self._holds(p.span)])

    def date(self, dates: list[DateRef]) -> DateRef | None:
        return next(
            (d for d in dates if d.span and self._holds(d.span) and is_event_date(d)), None
        )

    def quantities(self, quantities: list[Quantity]) -> list[Quantity]:
        """Counts the clause gives the event ("the deployment included 15 tanks", "the
        attack killed 12 people"); none from a clause that says something else of it ("the
        meeting did produce one headline")."""
        if self.verb is None or self.verb.lemma_.lower() not in COUNTING_VERBS:
            return []
        return [q for q in quantities if q.span and self._holds(q.span)]

    def attribution(self, attributions: list[Attribution]) -> Attribution | None:
        """The source of the clause, when the clause is what the source says ("the
        deployment included 15 tanks, X reported"), not something buried deeper in it ("X
        said it was too early to tell whether the explosion was an attack")."""
        noun, verb = self.noun, self.verb
        said = attribution_for(attributions, noun.idx, noun.idx + len(noun))
        if said is None or verb is None:
            return None
        cue = said.cue_span
        if verb.dep_ == "ROOT" or (cue is not None and cue[0] <= verb.head.idx < cue[1]):
            return said
        return None

    def _holds(self, span: tuple[int, int]) -> bool:
        return self.start <= span[0] and span[1] <= self.end


def _fill(
    event: Event,
    clause: _Clause,
    places: list[Place],
    dates: list[DateRef],
    quantities: list[Quantity],
    attributions: list[Attribution],
) -> Event:
    update: dict = {}
    if event.location is None:
        place = clause.place(places)
        if place is not None:
            update["location"] = place
    if event.date is None or event.date.inferred:
        day = clause.date(dates)
        if day is not None:
            update["date"] = day
    extra = [q for q in clause.quantities(quantities) if q not in event.quantities]
    if extra:
        update["quantities"] = event.quantities + extra
    if event.attribution is None and event.status == "asserted":
        said = clause.attribution(attributions)
        if said is not None:
            update["attribution"] = said
            update["status"] = "reported"
    return event.model_copy(update=update) if update else event


def take_up_events(
    events: list[Event],
    doc: Doc,
    *,
    event_type_of: Callable[[Token], str | None],
    actors: list[Actor],
    places: list[Place],
    dates: list[DateRef],
    quantities: list[Quantity],
    attributions: list[Attribution],
) -> list[Event]:
    """The events, each completed from the later sentences that take it up by a definite
    noun of its kind ("the deployment", "the signing", "Sunday's talks")."""
    if not events:
        return events
    sentences = list(view(doc).sents)
    starts = [s.start_char for s in sentences]

    def sentence_of(char: int) -> int:
        return bisect_right(starts, char) - 1

    told_in = [sentence_of(e.evidence.start) for e in events]
    out = list(events)
    for index, sent in enumerate(sentences):
        for noun in sent:
            if noun.dep_ not in {"nsubj", "nsubjpass"} or noun.pos_ != "NOUN":
                continue
            if not _definite(noun):
                continue
            event_type = event_type_of(noun)
            if event_type is None:
                continue
            told_here = (e for t, e in zip(told_in, out, strict=True) if t == index)
            if any(e.event_type == event_type for e in told_here):
                continue  # the sentence tells this kind of event itself
            earlier = [
                i for i, e in enumerate(out)
                if e.event_type == event_type and index - SENTENCES_BACK <= told_in[i] < index
            ]  # fmt: skip
            if not earlier:
                continue
            latest = max(told_in[i] for i in earlier)
            # every record of the latest telling: one per pair of parties
            chosen = [i for i in earlier if told_in[i] == latest]
            if not all(_fits(noun, out[i], actors, places) for i in chosen):
                continue
            clause = _Clause(noun)
            for i in chosen:
                out[i] = _fill(out[i], clause, places, dates, quantities, attributions)
    return out
