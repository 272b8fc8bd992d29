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

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Token

from eventwire import nlp
from eventwire.extract.actors import ActorMentions
from eventwire.extract.events.anaphora import take_up_events, takes_up
from eventwire.extract.events.build import EventBuilder
from eventwire.extract.events.context import Context
from eventwire.extract.events.kinds import SPEECH_ACT_TYPES
from eventwire.extract.events.learned import (
    CANDIDATE_POS,
    NONE,
    EventModels,
    event_models,
    record_features,
    token_features,
)
from eventwire.extract.events.merge import Tellings, merge
from eventwire.extract.events.syntax import phrase_tokens
from eventwire.extract.events.triggers import (
    choose_trigger,
    demanded,
    hypothetical,
    protest_by_its_agent,
)
from eventwire.extract.setting import Setting
from eventwire.lexicon import EventLexicon, Trigger, event_lexicon
from eventwire.model import Attribution, DateRef, Event, Place, Quantity

# Below this, a reading is too weak to report ("examined weapons" as an investigation).
# Chosen on the tuned parts of every evaluation set (README, "Accuracy"): the mean of
# their scores peaks here, as it did for the rules alone in 0.2.0.
MIN_CONFIDENCE = 0.62


PACKAGED = "packaged"
# A word the lexicon has no reading for is tried as the trigger model's most likely type from
# this chance on (then kept when the scorer's chance reaches MIN_CONFIDENCE); while the
# scorer's training records are collected, from a lower one (the scorer learns which to keep).
# Chosen on the tuned parts of the evaluation sets: lower values find more events in the
# densely labelled news sentences and lose more in the other sets (README).
PROPOSE = 0.8
COLLECT_PROPOSE = 0.15


@dataclass
class Candidate:
    """A record before merging, with what the record scorer reads of it (for training) and,
    for a proposed record, the trigger model's chance for its type."""

    event: Event
    features: list[str]
    proposal: float = 1.0


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
    models: EventModels | str | None = PACKAGED,
    collect: list[Candidate] | None = None,
) -> list[Event]:
    """Every event the article tells, one record each. ``article_source`` (a "Source: X"
    line) is the source of every event that has none in its own sentence; ``setting`` (where
    the article is set) gives a country to parties named only by their role.

    ``models``: the learned models (``learned``; default the packaged ones, None for the
    lexicon and rules alone). ``collect``: a list that receives every candidate record with
    its scorer features, for training; the records are then not filtered by confidence."""
    models = event_models() if models == PACKAGED else models
    assert models is None or isinstance(models, EventModels)
    ctx = Context(
        doc, article_id, published, actors, attributions, places, dates, quantities,
        event_lexicon(), setting or Setting(),
    )  # fmt: skip
    builder = EventBuilder(ctx)
    body_start = 0
    text = nlp.view(doc).text
    if title and text.lstrip().startswith(title.strip()):
        # the headline repeats the story in telegram style that parses poorly
        body_start = text.index(title.strip()) + len(title.strip())

    def event_type_of(noun: Token) -> str | None:
        chosen = choose_trigger(noun, ctx.lexicon)
        return chosen[0].type if chosen is not None else None

    found: list[Event] = []
    sentence_of = nlp.view(doc).sentence_of
    told_in: dict[str, int] = {}
    anaphoric: set[str] = set()
    harms: set[str] = set()
    covered: set[int] = set()
    # verbs first, so "impose sanctions" is one event and not also a bare "sanctions"
    order = [t for t in sorted(doc, key=lambda t: (t.pos_ not in {"VERB", "AUX"}, t.i))
             if t.idx >= body_start and not (t.dep_ == "amod" and t.pos_ == "VERB")]
    # ("a globally condemned programme": a description, not an event)
    readings = {t.i: choose_trigger(t, ctx.lexicon) for t in order}
    chances_of = _trigger_chances(order, readings, models, actors, ctx.lexicon,
                                  collect is not None)  # fmt: skip
    for tok in order:
        if tok.i in covered:
            continue
        reading = readings[tok.i]
        chosen = (
            protest_by_its_agent(tok, reading[0] if reading else None, ctx.lexicon)
            or reading
            or demanded(tok, builder.args, builder.cues)
        )
        chances = chances_of.get(tok.i)
        proposed = chosen is None
        if chosen is None:
            if chances is None:
                continue
            kind = max((k for k in chances if k != NONE), key=chances.__getitem__)
            if chances[kind] < (COLLECT_PROPOSE if collect is not None else PROPOSE):
                continue
            chosen = proposed_trigger(tok, kind, chances[kind], ctx.lexicon), None
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
        if models is not None:
            events = [_scored(e, tok, trigger, proposed, chances, models, collect)
                      for e in events]  # fmt: skip
        found.extend(events)
        for event in events:
            told_in[event.id] = sentence_of[tok.i]
            if takes_up(tok, lambda noun: event_type_of(noun) is not None):
                anaphoric.add(event.id)
            if ctx.lexicon.in_class(tok.lemma_, "harms"):
                harms.add(event.id)
        if trigger.type in SPEECH_ACT_TYPES:
            # "urged X to attack", "accused X of seeking": what is urged or alleged did not
            # happen (as far as this sentence says); only the speech act is an event
            said = {"xcomp", "ccomp", "prep", "dobj"}
            if trigger.type == "PROTEST":
                said.add("advcl")  # "marched, demanding the leader's resignation"
            for child in tok.children:
                if child.dep_ in said:
                    covered.update(t.i for t in child.subtree)

    merged = merge(found, Tellings(told_in, frozenset(anaphoric), frozenset(harms)))
    completed = take_up_events(
        merged, doc, event_type_of=event_type_of, actors=actors.mentions, places=places,
        dates=dates, quantities=quantities, attributions=attributions,
    )  # fmt: skip
    if article_source is not None:
        completed = [_credited(e, article_source) for e in completed]
    if collect is not None:
        return completed
    return [e for e in completed if e.confidence >= MIN_CONFIDENCE]


def _trigger_chances(
    order: list[Token],
    readings: dict[int, tuple[Trigger, Token | None] | None],
    models: EventModels | None,
    actors: ActorMentions,
    lexicon: EventLexicon,
    collect: bool,
) -> dict[int, dict[str, float]]:
    """The trigger model's chances for every word worth asking about, in one pass."""
    if models is None:
        return {}
    asked, batch = [], []
    for tok in order:
        chosen = readings[tok.i]
        reading = chosen[0] if chosen is not None else None
        # the model proposes words the lexicon lacks; while the scorer's training records
        # are collected, it reads the lexicon's words too (their chances are features)
        if reading is None and tok.pos_ in CANDIDATE_POS and models.worth_reading(tok, lexicon) or (
            reading is not None and collect
        ):
            asked.append(tok.i)
            batch.append(token_features(tok, actors, lexicon, reading))
    return dict(zip(asked, models.trigger.chances_many(batch), strict=True))


def proposed_trigger(tok: Token, kind: str, chance: float, lexicon: EventLexicon) -> Trigger:
    """A reading the trigger model proposes for a word the lexicon has none for."""
    pos = "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN"
    return Trigger(lemma=tok.lemma_.lower(), pos=pos, type=kind, mode=None, object=None,
                   cameo=lexicon.cameo_root(kind), confidence=round(chance, 3),
                   source="trigger model")  # fmt: skip


def _scored(
    event: Event,
    tok: Token,
    trigger: Trigger,
    proposed: bool,
    chances: dict[str, float] | None,
    models: EventModels,
    collect: list[Candidate] | None,
) -> Event:
    """A proposed record with the scorer's chance as its confidence; a record the lexicon
    gives keeps the confidence its rules give (and only goes to ``collect``)."""
    features = record_features(event, tok, trigger, proposed, chances)
    if collect is not None:
        proposal = chances.get(event.event_type, 0.0) if proposed and chances else 1.0
        collect.append(Candidate(event, features, proposal))
    if not proposed or models.scorer is None:
        return event
    chance = models.scorer.chances(features)[models.scorer.classes[0]]
    return event.model_copy(update={"confidence": round(chance, 3)})


def _credited(event: Event, source: Attribution) -> Event:
    if event.attribution is not None:
        return event
    status = "reported" if event.status == "asserted" else event.status
    return event.model_copy(update={"attribution": source, "status": status})
