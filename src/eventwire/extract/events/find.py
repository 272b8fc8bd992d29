"""The event stage: every PLOVER event an article tells, one record each.

The parts, in the order they act (one module each):

* ``triggers``: which words signal which events (the lexicon's readings and constraints);
* ``arguments``: who acts on whom, from the sentence's structure;
* ``status``: asserted, reported, denied, speculated or planned; negation;
* ``location``: where the event happened; ``build``: one trigger's records (with date,
  quantities, evidence and confidence);
* ``merge``: one record per event; ``anaphora``: later sentences that take an event up.

``find_events`` scans the verbs first, then the nouns ("impose sanctions" is one event, not
also a bare "sanctions"); the object of a trigger and the content of a speech act ("urged X
to attack") are not events of their own. Records below ``MIN_CONFIDENCE`` are dropped.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Token

from eventwire.extract.actors import ActorMentions
from eventwire.extract.events.anaphora import take_up_events, takes_up
from eventwire.extract.events.build import EventBuilder
from eventwire.extract.events.context import Context
from eventwire.extract.events.kinds import SPEECH_ACT_TYPES
from eventwire.extract.events.merge import Tellings, merge
from eventwire.extract.events.syntax import phrase_tokens
from eventwire.extract.events.triggers import choose_trigger, demanded, hypothetical
from eventwire.extract.setting import Setting
from eventwire.lexicon import event_lexicon
from eventwire.model import Attribution, DateRef, Event, Place, Quantity

# Below this, a reading is too weak to report ("examined weapons" as an investigation).
# Calibrated on all the gold we can read (seed, dev-news and the public half of the PLOVER
# gold-standard records): F1 rises on each of the three up to about here, then falls.
MIN_CONFIDENCE = 0.62


def find_events(
    doc: Doc,
    *,
    article_id: str,
    published: date | None,
    actors: ActorMentions,
    attributions: list[Attribution],
    places: list[Place],
    dates: list[DateRef],
    quantities: list[Quantity],
    title: str | None = None,
    article_source: Attribution | None = None,
    setting: Setting | None = None,
) -> list[Event]:
    """Every event the article tells, one record each. ``article_source`` (a "Source: X"
    line) is the source of every event that has none in its own sentence; ``setting`` (where
    the article is set) gives a country to parties named only by their role."""
    ctx = Context(
        doc, article_id, published, actors, attributions, places, dates, quantities,
        event_lexicon(), setting or Setting(),
    )  # fmt: skip
    builder = EventBuilder(ctx)
    body_start = 0
    if title and doc.text.lstrip().startswith(title.strip()):
        # the headline repeats the story in telegram style that parses poorly
        body_start = doc.text.index(title.strip()) + len(title.strip())
    def event_type_of(noun: Token) -> str | None:
        chosen = choose_trigger(noun, ctx.lexicon)
        return chosen[0].type if chosen is not None else None

    found: list[Event] = []
    sentence_of = {tok.i: k for k, sent in enumerate(doc.sents) for tok in sent}
    told_in: dict[str, int] = {}
    anaphoric: set[str] = set()
    covered: set[int] = set()
    # verbs first, so "impose sanctions" is one event and not also a bare "sanctions"
    order = sorted(doc, key=lambda t: (t.pos_ not in {"VERB", "AUX"}, t.i))
    for tok in order:
        if tok.idx < body_start or tok.i in covered:
            continue
        if tok.dep_ == "amod" and tok.pos_ == "VERB":
            continue  # "a globally condemned programme": a description, not an event
        chosen = choose_trigger(tok, ctx.lexicon) or demanded(tok, builder.args, builder.cues)
        if chosen is None:
            continue
        trigger, obj = chosen
        if obj is not None and obj.pos_ in {"NOUN", "PROPN"} and tok.pos_ in {"VERB", "AUX"}:
            # "held joint drills": a compound noun reading of the object is more specific
            # than the verb's ("joint drill" is COOPERATE where "hold drills" is MOBILIZE)
            specific = choose_trigger(obj, ctx.lexicon)
            if specific is not None and specific[0].particle:
                trigger = specific[0]
        if hypothetical(tok, builder.cues.conditionals):
            continue  # "until he steps down", "if talks fail": not an event
        if obj is not None:
            # the object and what it holds ("an invitation to visit North Korea") are the
            # content of this event, not events of their own, even when the event itself is
            # negated ("did not impose sanctions" is no sanction)
            covered.update(phrase_tokens(obj))
        events = builder.build(tok, trigger, obj)
        if not events:
            continue
        found.extend(events)
        for event in events:
            told_in[event.id] = sentence_of[tok.i]
            if takes_up(tok, lambda noun: event_type_of(noun) is not None):
                anaphoric.add(event.id)
        if trigger.type in SPEECH_ACT_TYPES:
            # "urged X to attack", "accused X of seeking": what is urged or alleged did not
            # happen (as far as this sentence says); only the speech act is an event
            said = {"xcomp", "ccomp", "prep", "dobj"}
            if trigger.type == "PROTEST":
                said.add("advcl")  # "marched, demanding the leader's resignation"
            for child in tok.children:
                if child.dep_ in said:
                    covered.update(t.i for t in child.subtree)

    merged = merge(found, Tellings(told_in, frozenset(anaphoric)))
    completed = take_up_events(
        merged, doc, event_type_of=event_type_of, actors=actors.mentions, places=places,
        dates=dates, quantities=quantities, attributions=attributions,
    )  # fmt: skip
    if article_source is not None:
        completed = [_credited(e, article_source) for e in completed]
    return [e for e in completed if e.confidence >= MIN_CONFIDENCE]


def _credited(event: Event, source: Attribution) -> Event:
    if event.attribution is not None:
        return event
    status = "reported" if event.status == "asserted" else event.status
    return event.model_copy(update={"attribution": source, "status": status})
