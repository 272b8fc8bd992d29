"""One trigger to its records: type and mode, actor and recipient, status, date, place,
quantities, evidence and confidence.

``EventBuilder.build`` makes one record per actor and recipient pair a trigger's sentence
gives. The confidence starts from the trigger's prior and is lowered for what weakens a
reading (no counterpart for a dyadic event, no country for the actor, a noun inside another
noun phrase) and raised for what supports it (an agent whose sector fits the act).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventwire.extract.attribution import attribution_for
from eventwire.extract.dates import date_for_sentence, is_event_date
from eventwire.extract.events.arguments import Arguments, only_adjective
from eventwire.extract.events.context import Context
from eventwire.extract.events.kinds import (
    COOPERATIVE_TYPES,
    DYADIC_TYPES,
    JOINT_TYPES,
    OUTWARD_TYPES,
    RECIPROCAL_TYPES,
    UNSPOKEN_TYPES,
)
from eventwire.extract.events.location import event_location
from eventwire.extract.events.status import (
    commitment_reading,
    governing_status,
    has_modal,
    negated,
)
from eventwire.extract.events.syntax import clause_span, inside_noun_phrase, scope_span
from eventwire.extract.events.triggers import natural_harm, tells_protest, tells_violence
from eventwire.lexicon import EventLexicon, Trigger, cues
from eventwire.model import Actor, DateRef, Event, Evidence, stable_id
from eventwire.nlp import sentence_of, view

COMMITMENT_CONFIDENCE = 0.75  # an explicit pledge or vow is a clear signal of its own
MISSING_RECIPIENT_PENALTY = 0.8
AFFINITY_BONUS = 1.15
# Agents whose sector fits the event make a reading more credible.
SECTOR_AFFINITY = {
    "ASSAULT": {"MIL", "REB", "UAF", "COP"},
    "MOBILIZE": {"MIL", "REB"},
    "RETREAT": {"MIL", "REB"},
    "COERCE": {"COP", "MIL", "GOV", "JUD"},
    "PROTEST": {"CVL", "OPP", "EDU", "LAB"},
    "SANCTION": {"GOV"},
}


class EventBuilder:
    """Makes the records of one document's triggers."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.cues = cues()
        self.args = Arguments(ctx)

    def build(self, trigger_tok: Token, trigger: Trigger, obj: Token | None) -> list[Event]:
        """The records one trigger makes: one per actor and recipient pair."""
        ctx = self.ctx
        if trigger_tok.dep_ == "pobj" and trigger_tok.head.lower_ == "without":
            return []  # "shot down without warning"
        event_type, mode, committed = commitment_reading(trigger_tok, trigger, obj, ctx.lexicon)
        if trigger_tok.pos_ in {"VERB", "AUX"}:
            actors, recipients = self.args.verb_arguments(
                trigger_tok,
                obj,
                away=trigger.type == "RETREAT",
                own_forces=trigger.type in {"RETREAT", "MOBILIZE"},
            )
        else:
            actors, recipients = self.args.noun_arguments(trigger_tok, obj)
        attribution = attribution_for(
            ctx.attributions, trigger_tok.idx, trigger_tok.idx + len(trigger_tok)
        )
        if (
            attribution is not None
            and attribution.cue_span
            and (attribution.cue_span[0] <= trigger_tok.idx < attribution.cue_span[1])
        ):
            attribution = None
        if not actors and attribution is not None and event_type not in UNSPOKEN_TYPES:
            # "the ministry said no agreement was signed": the speaker is the party
            source = self.args.actor_at_span(attribution.span)
            if source is not None:
                actors = [source]
        if not actors and event_type not in UNSPOKEN_TYPES:
            return []  # something said or agreed, but by whom the sentence does not say
        if mode == "investigate" and any(
            c.dep_ in {"dobj", "nsubjpass"} and ctx.lexicon.in_class(c.lemma_, "natural_forces")
            for c in trigger_tok.children
        ):
            return []  # "police are investigating a crash": an accident, no one accused
        if event_type == "ASSAULT" and (
            natural_harm(trigger_tok, ctx.lexicon)
            or (not actors and not tells_violence(sentence_of(trigger_tok), trigger_tok,
                                                  ctx.lexicon))
        ):
            # "a tsunami killed 43", "19 were killed when their bus plunged": harm with no
            # agent is an attack only where its sentence tells violence
            return []
        if not actors and mode == "arrest":
            # "five men were arrested", "the arrest of the editor": an arrest is made by the
            # police, though the sentence does not name them
            actors = [self.args.implied_police(trigger_tok)]
        if len(actors) > 1 and not recipients and event_type in JOINT_TYPES:
            # "Putin and Kim met", "leaders of A, B and C signed": the first party named with
            # each of the others; "teachers and dock workers marched" is one record each
            actors, recipients = actors[:1], actors[1:]
        if (
            event_type == "MOBILIZE"
            and recipients
            and any(c.dep_ == "prep" and c.lower_ == "with" for c in trigger_tok.children)
        ):
            event_type, mode = "COOPERATE", None  # exercises with another state (the manual)
        if (
            event_type == "PROTEST"
            and trigger_tok.lemma_.lower() == "protest"
            and actors
            and all(is_state_party(a) for a in actors)
        ):
            # "protest" has two senses: a state's protest is a diplomatic one, which the
            # codebook codes as ACCUSE (disapprove); PROTEST presumes a crowd's physical action
            event_type, mode = "ACCUSE", "disapprove"
        if event_type == "THREATEN" and not self.args.threat_by_actor(trigger_tok, actors):
            return []
        if not recipients and actors and event_type in DYADIC_TYPES:
            counterpart = self.args.counterpart(trigger_tok, actors[0])
            recipients = [counterpart] if counterpart is not None else []

        if event_type in OUTWARD_TYPES and actors and actors[0].country:
            recipients = [self.args.unless_guessed_own(r, actors[0].country) for r in recipients]
            # and the other way round: "President Bush threatened Russia" in a story about
            # Russia does not make Bush Russian
            targets = {r.country for r in recipients if r.country}
            actors = [
                self.args.unless_guessed_own(a, a.country) if a.country in targets else a
                for a in actors
            ]

        # a pledge, vow or offer is itself the event: its status is the pledge's, not the
        # status of what is pledged ("vowed to retaliate" is an asserted threat)
        status = governing_status(committed if committed is not None else trigger_tok, self.cues)
        if negated(trigger_tok, self.cues, obj) or (
            committed is not None and negated(committed, self.cues)
        ):
            if attribution is None and status != "denied":
                return []
            status = "denied"
        speaker = self.args.speaker(attribution)
        if speaker is not None and has_modal(trigger_tok, self.cues.obligation_modals):
            # "Russia said Sudan must return the helicopter": Russia's demand of Sudan
            actors, recipients = [speaker], [a for a in actors if a.country != speaker.country]
            event_type, mode, status = "REQUEST", None, "asserted"
        elif (
            status == "planned"
            and committed is None
            and has_modal(trigger_tok, self.cues.plan_modals)
            and (
                event_type in COOPERATIVE_TYPES
                or (speaker is not None and actors and speaker.country == actors[0].country)
            )
        ):
            # The manual: cooperation told in the future tense is AGREE; and "X said it will
            # withdraw its forces" is X's own stated intent, coded as the intent reading
            event_type, mode = ctx.lexicon.future_reading(event_type, mode)
        if status is None:
            status = "reported" if attribution is not None else "asserted"

        sent = sentence_of(trigger_tok)
        evidence = evidence_of(sent)
        event_date = self.event_date(trigger_tok, sent, status)
        # the trigger's own kind: a visit told in the future is coded AGREE, but the place
        # visited is still where it will happen
        location = event_location(trigger_tok, sent, ctx.places, trigger.type)
        # parties named only by their role ("police", "militants") belong to the state where
        # the event happens, else to the one the article is about
        actors = [self.args.placed(a, location) for a in actors]
        recipients = [self.args.placed(r, location) for r in recipients]
        if not recipients:
            recipients = self.args.implied_target(
                event_type, trigger, trigger_tok, actors, location
            )
        if not actors and not recipients:
            return []  # "the attack illustrates ...": no party, nothing a user can code
        scope = scope_span(trigger_tok, obj)
        quantities = [
            q for q in ctx.quantities if q.span and scope[0] <= q.span[0] and q.span[1] <= scope[1]
        ]
        cameo = (
            trigger.cameo
            if (event_type, mode) == (trigger.type, trigger.mode)
            else ctx.lexicon.cameo_root(event_type, mode)
        )
        instrument = event_type == "ASSAULT" and any(
            is_weapon_or_attack(doer, ctx.lexicon) for doer in _doers(trigger_tok)
        )
        events = []
        for actor in actors or [None]:
            for recipient in recipients or [None]:
                if recipient is not None and actor is not None and recipient.span == actor.span:
                    recipient = None
                confidence = trigger.confidence
                if committed is not None:
                    confidence = max(confidence, COMMITMENT_CONFIDENCE)
                if recipient is None and event_type in DYADIC_TYPES:
                    confidence *= MISSING_RECIPIENT_PENALTY
                if actor is None:
                    # ("rockets struck", "the strike killed": no agent named, but what did
                    # it says it was an attack, as a fitting agent would)
                    confidence *= AFFINITY_BONUS if instrument else 0.8
                elif actor.country is None:
                    # "police": a role, its country untold; a name we cannot code
                    confidence *= 0.9 if actor.sector else 0.7
                if actor is not None and (
                    self.args.agent_names_the_act(actor, event_type)
                    or (event_type == "PROTEST" and tells_protest(sent, trigger_tok, ctx.lexicon))
                ):
                    # "protesters marched", "students chanted and held up signs as they
                    # marched": the agent's name or the sentence says what the act was
                    confidence *= 1.3
                if actor is not None and actor.sector in SECTOR_AFFINITY.get(event_type, ()):
                    confidence *= AFFINITY_BONUS  # "troops withdrew": a fitting agent
                if trigger_tok.pos_ not in {"VERB", "AUX"}:
                    if inside_noun_phrase(trigger_tok):
                        confidence *= 0.6  # "the death toll from the fighting": background
                    if (
                        actor
                        and actor.span[1] <= trigger_tok.idx
                        and only_adjective(ctx.doc, actor)
                    ):
                        confidence *= 0.75  # "a Russian march": the word gives no agent
                events.append(
                    Event(
                        id=stable_id(
                            ctx.article_id,
                            evidence.start,
                            evidence.end,
                            event_type,
                            actor.span if actor else None,
                            recipient.span if recipient else None,
                        ),
                        article_id=ctx.article_id,
                        event_type=event_type,  # type: ignore[arg-type]
                        mode=mode,
                        cameo=cameo,
                        actor=actor,
                        recipient=recipient,
                        reciprocal=event_type in RECIPROCAL_TYPES
                        and recipient is not None
                        and mode not in {"visit"},
                        date=event_date,
                        location=location,
                        attribution=attribution,
                        status=status,  # type: ignore[arg-type]
                        quantities=quantities,
                        evidence=evidence,
                        trigger=trigger_tok.text,
                        confidence=round(min(1.0, confidence), 3),
                    )
                )
        return events

    def event_date(self, trigger: Token, sent: Span, status: str) -> DateRef | None:
        ctx = self.ctx
        clause = clause_span(trigger)
        for date_ref in ctx.dates:
            if (date_ref.span and clause[0] <= date_ref.span[0] and date_ref.span[1] <= clause[1]
                    and is_event_date(date_ref)):
                return date_ref
        found = date_for_sentence(ctx.dates, sent.start_char, sent.end_char)
        if found is not None:
            return found
        if ctx.published is not None and status in {"asserted", "reported", "denied"}:
            # The text gives no date: the event happened around publication, not on that day.
            return DateRef(
                text="", value=ctx.published.isoformat(), precision="week", span=None,
                inferred=True,
            )
        return None


def evidence_of(sent: Span) -> Evidence:
    text = view(sent.doc).text[sent.start_char : sent.end_char]  # Span.text walks the tokens
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Evidence(start=start, end=start + len(stripped), text=stripped)


def _doers(trigger: Token) -> list[Token]:
    """The subject of an active trigger and the object of a passive one's "by"."""
    found = [c for c in trigger.children if c.dep_ == "nsubj"]
    for agent in (c for c in trigger.children if c.dep_ == "agent"):
        found.extend(c for c in agent.children if c.dep_ == "pobj")
    return found


def is_weapon_or_attack(word: Token, lexicon: EventLexicon) -> bool:
    """ "rockets", "a car bomb", "the latest strike": a weapon or an attack."""
    words = (word, *(c for c in word.children if c.dep_ == "compound"))
    return any(lexicon.in_class(w.lemma_.lower(), name)
               for w in words for name in ("weapons", "attacks"))  # fmt: skip


def is_state_party(actor: Actor) -> bool:
    """A state, its government or its diplomats, or an international body: parties whose
    protests are diplomatic."""
    return actor.kind == "state" or actor.sector in {"GOV", "IGO"}
