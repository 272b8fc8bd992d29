"""Who acts on whom: the actor and recipient of an event, from the sentence's structure.

Actor and recipient come from the syntax around the trigger — subject, passive agent, dative,
object, "with"/"on"/"against" phrases, the parties a noun phrase lists — not from the nearest
names. Pronouns are resolved to the sentence's subject or the nearest fitting mention before
them; a dyadic event whose clause names no counterpart takes the other party named nearest
before the trigger in its sentence (``counterpart``); an event with no named target may be
aimed at the state where it happens (``implied_target``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from spacy.tokens import Doc, Token

from eventwire.extract.attribution import attribution_for
from eventwire.extract.events.context import Context
from eventwire.extract.events.location import PLACE_PREPS, TARGET_TYPES, TRAVEL_VERBS
from eventwire.extract.events.syntax import (
    agent_of,
    from_phrase,
    inherited_subject,
    is_passive,
    with_conjuncts,
)
from eventwire.knowledge import knowledge_base
from eventwire.lexicon import EventLexicon, Trigger
from eventwire.model import Actor, Attribution, Place
from eventwire.nlp import sentence_of

# What a warning can hold out as its consequence ("will lead to sanctions").
PUNITIVE_TYPES = frozenset({"SANCTION", "ASSAULT", "COERCE"})

RECIPIENT_PREPS = {"with", "to", "against", "on", "toward", "towards", "upon", "into", "from", "at"}
# Verbs whose object noun names the event their subject carries out ("held talks", "launched
# strikes"), and purposes of travel ("went to Doha for talks"): the noun's actor is the verb's.
LIGHT_VERBS = {
    "hold",
    "have",
    "conduct",
    "launch",
    "carry",
    "stage",
    "impose",
    "sign",
    "make",
    "give",
    "begin",
    "start",
    "continue",
    "resume",
    "announce",
    "order",
    "mount",
    "wage",
    "step",
    "intensify",
    "escalate",
    "undertake",
    "pay",
    "offer",
    "extend",
    "provide",
    "deliver",
    "issue",
    "lodge",
    "file",
    "join",
    "attend",
    "host",
    "lead",
    "organize",
    "organise",
    "call",
    "travel",
    "arrive",
    "come",
    "go",
    "head",
    "fly",
    "meet",
    "end",
    "complete",
    "finish",
    "open",
    "close",
    "take",
    "reach",
    "coordinate",
    "seek",
    "plan",
    "prepare",
    "cap",
    "wrap",
    "conclude",
    "round",
    "cut",
}
NOUN_RECIPIENT_PREPS = {"with", "to", "against", "on", "toward", "towards", "between", "of", "for"}
LIGHT_VERB_DEPS = {"dobj", "pobj", "attr", "nsubjpass", "nsubj", "appos", "conj"}
PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}
PRONOUNS_OTHER = {"it", "its", "they", "them", "their", "we", "our", "i"}
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
# Agents named for the act itself: "demonstrators marched" is a protest, whatever else
# "march" may mean.
AGENTS_NAMING_THE_ACT = {
    "PROTEST": frozenset({"protester", "protestor", "demonstrator", "marcher", "rioter"}),
}


class Arguments:
    """The parties of events in one document (its actor mentions, attributions, places)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def actor_at(self, tok: Token | None) -> Actor | None:
        if tok is None:
            return None
        if tok.lower_ in PRONOUNS_PERSON | PRONOUNS_OTHER:
            return self.resolve_pronoun(tok)
        if tok.lower_ in RELATIVE_PRONOUNS:
            # "Trump, with whom he held talks": the noun the relative clause describes
            clause = next((t for t in tok.ancestors if t.dep_ in {"relcl", "acl"}), None)
            return self.actor_at(clause.head) if clause is not None else None
        actor = self.ctx.actors.at(tok)
        if actor is not None:
            return actor
        # "his counterpart Kim Jong Un": the name in apposition
        for child in tok.children:
            if child.dep_ == "appos" and (actor := self.ctx.actors.at(child)) is not None:
                return actor
        # "a delegation led by Kozlov": a head that is not itself an actor but is modified by one
        for child in tok.children:
            if child.dep_ in {"poss", "compound", "amod"}:
                actor = self.ctx.actors.at(child)
                if actor is not None:
                    return actor
        # "thousands of students", "a group of rebels": the people the quantity counts
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj" and (actor := self.ctx.actors.at(obj)) is not None:
                        return actor
        return None

    def resolve_pronoun(self, tok: Token) -> Actor | None:
        attribution = attribution_for(self.ctx.attributions, tok.idx, tok.idx + len(tok))
        lower = tok.lower_
        if attribution is not None and lower in {"we", "our", "it", "its", "he", "she", "i"}:
            source = self.actor_at_span(attribution.span)
            if source is not None and (lower not in PRONOUNS_PERSON or source.kind == "person"):
                return source
        wanted = (
            {"person"} if lower in PRONOUNS_PERSON else {"state", "organization", "group", "media"}
        )
        # the subject of the sentence's main clause first ("El-Sisi received the leaders,
        # with whom he held talks"), then the nearest mention before the pronoun
        root = sentence_of(tok).root
        subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if (
            lower in PRONOUNS_PERSON | {"it", "its"}
            and subject is not None
            and subject.i < tok.i
            and subject.lower_ not in PRONOUNS_PERSON
        ):
            actor = self.ctx.actors.at(subject)
            if actor is not None and actor.kind in wanted and actor.country:
                return actor
        for actor in reversed(self.ctx.actors.mentions):
            if actor.span[1] <= tok.idx and actor.kind in wanted and actor.country:
                return actor
        if lower in {"they", "them", "their"}:
            # "students ... as they marched": a group named by its role, its country untold
            sentence = sentence_of(tok)
            for actor in reversed(self.ctx.actors.mentions):
                if (sentence.start_char <= actor.span[0] and actor.span[1] <= tok.idx
                        and actor.sector and actor.kind in {"group", "person", "organization"}):
                    return actor  # fmt: skip
        return None

    def actor_at_span(self, span: tuple[int, int] | None) -> Actor | None:
        if span is None:
            return None
        for actor in self.ctx.actors.mentions:
            if actor.span[0] >= span[0] and actor.span[1] <= span[1]:
                return actor
        return None

    def counterpart(self, trigger: Token, actor: Actor | None) -> Actor | None:
        """The other party named nearest before the trigger in its sentence, for a dyadic
        event whose clause names no recipient. (Across sentences, the article's other
        tellings of the same kind of event fill it in: see ``_fill_recipients``.)"""
        window_start = sentence_of(trigger).start_char
        for candidate in reversed(self.ctx.actors.mentions):
            if candidate.span[1] > trigger.idx or candidate.span[0] < window_start:
                continue
            if candidate.country is None or candidate.country == "IGO":
                continue
            if actor is not None and candidate.country == actor.country:
                continue
            if candidate.kind == "state" and not self._stands_for_state(candidate):
                continue  # "left Cairo": a place, not a party
            if candidate.kind in {"state", "person"} or candidate.sector == "GOV":
                return candidate
        return None

    def _stands_for_state(self, actor: Actor) -> bool:
        """Whether a state mention is used as a party (subject, object, possessor) rather
        than as a place."""
        span = self.ctx.doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        if root.dep_ in {"nsubj", "nsubjpass", "poss", "dative", "amod", "compound"}:
            return True
        return root.dep_ == "pobj" and root.head.lower_ in {
            "with",
            "to",
            "against",
            "on",
            "between",
        }

    def parties(self, tok: Token | None) -> list[Actor]:
        """The actors a noun phrase names: "Russia and China", "leaders of Egypt, Qatar and
        Turkey", or one actor."""
        if tok is None:
            return []
        found = [a for t in with_conjuncts(tok) if (a := self.actor_at(t)) is not None]
        if len(found) == 1 and found[0].kind != "state":
            # "leaders of Egypt, the United States and Qatar": one party per country named
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    members = [
                        a
                        for obj in child.children
                        if obj.dep_ == "pobj"
                        for t in with_conjuncts(obj)
                        if (a := self.actor_at(t)) is not None
                    ]
                    if len(members) > 1:
                        return [m.model_copy(update={"sector": found[0].sector}) for m in members]
        return [self._named_inside(tok, a) for a in found]

    def _named_inside(self, tok: Token, actor: Actor) -> Actor:
        """A role with no country ("the attending leaders, including President X") is best
        coded by a named actor the phrase itself holds."""
        if actor.country is not None and actor.span[0] not in self.ctx.actors.guessed:
            return actor
        for inner in tok.subtree:
            candidate = self.ctx.actors.heads.get(inner.i)
            if candidate is not None and candidate is not actor and candidate.country:
                return candidate
        return actor

    def verb_arguments(
        self, verb: Token, obj: Token | None, away: bool = False, own_forces: bool = False
    ) -> tuple[list[Actor], list[Actor]]:
        """Actors and recipients of a verb trigger; with ``away`` (a withdrawal), the party
        withdrawn from ("pulled out of Kosovo") is the recipient, and the actor's own forces
        ("withdrew its police", "mobilized its reservists") are not."""
        passive = is_passive(verb)
        patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive:
            subject = agent_of(verb) or from_phrase(verb)
        else:
            subject = inherited_subject(verb)
        actors = self.parties(subject)
        if not actors:
            # "police firing", "army shelling": the act's own modifier names who acted
            actors = self.modifier_parties(verb)
        if not actors:
            # "killed in police firing", "wounded in an attack by militants": the agent of
            # the act that caused it
            actors = self.cause_parties(verb)
        if passive and not actors and patient is not None and (patient == obj or own_forces):
            # "tanks of the 5th brigade were moved to the border": the owner of what moved;
            # "Polish troops were deployed": the forces that moved
            owner = self.ctx.actors.heads.get(patient.i) if own_forces else None
            owner = owner or self._actor_in_subtree(patient, exclude=[])
            if owner is not None:
                actors = [owner]

        own = {a.country for a in actors} if own_forces else set()

        def others(found: list[Actor]) -> list[Actor]:
            return [
                r for r in found if r not in actors and (r.country is None or r.country not in own)
            ]

        for candidates in self._recipient_candidates(verb, obj, actors, passive, away, patient):
            recipients = others(candidates())
            if recipients:
                return actors, recipients
        return actors, []

    def modifier_parties(self, trigger: Token) -> list[Actor]:
        """The actor a role noun or a name modifying the trigger names ("police firing",
        "army shelling")."""
        for child in trigger.children:
            if child.dep_ not in {"compound", "amod", "nmod", "poss"} or child.i > trigger.i:
                continue
            actor = self.ctx.actors.at(child)
            if actor is None and child.pos_ == "NOUN":
                role = knowledge_base().role(child.lemma_.lower())
                if role is not None:
                    span = (child.idx, child.idx + len(child.text))
                    actor = Actor(text=child.text, name=child.lemma_.lower(), sector=role.sector,
                                  kind=role.kind, span=span)  # fmt: skip
            if actor is not None and (actor.sector or actor.country):
                return [actor]
        return []

    def cause_parties(self, verb: Token) -> list[Actor]:
        """The actor of the violent act a harm is told as caused by: "in police firing", "in
        an attack by militants", "in a Russian strike" (not "in a police station")."""
        lexicon = self.ctx.lexicon
        for child in verb.children:
            if child.dep_ != "prep" or child.lower_ not in {"in", "during", "after", "by"}:
                continue
            for cause in (c for c in child.children if c.dep_ in {"pobj", "pcomp"}):
                actor = self.ctx.actors.at(cause)
                if actor is not None:
                    # "in police firing" parsed as police who are firing
                    acts = [c for c in cause.children if c.dep_ in {"acl", "relcl"}]
                    if any(_violent(a, lexicon) for a in acts):
                        return [actor]
                    continue
                if cause.pos_ not in {"NOUN", "VERB"} or not _violent(cause, lexicon):
                    continue
                found = self.modifier_parties(cause)
                for grand in cause.children:
                    if not found and grand.dep_ == "prep" and grand.lower_ == "by":
                        found = self._pobj_parties(grand)
                if found:
                    return found
        return []

    def _recipient_candidates(
        self,
        verb: Token,
        obj: Token | None,
        actors: list[Actor],
        passive: bool,
        away: bool,
        patient: Token | None,
    ) -> Iterator[Callable[[], list[Actor]]]:
        """Where a verb's recipient may be named, most telling first; each is looked at only
        if the ones before it name nobody."""
        if passive and patient is not None and patient != obj:
            yield lambda: self.parties(patient)  # "Kim was given drones"
        for child in verb.children:
            if child.dep_ in {"dative", "iobj"}:
                yield lambda c=child: self._pobj_parties(c) if c.pos_ == "ADP" else self.parties(c)
            elif child.dep_ == "dobj" and child != obj:
                yield lambda c=child: self.parties(c)
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS:
                if child.lower_ != "from" or passive or away:
                    yield lambda c=child: self._pobj_parties(c)
        if obj is not None:
            # the object itself when it is a party ("summoned the ambassador", "called in
            # ambassador Lu"), else a party inside it ("an invitation to visit North Korea")
            target = obj.head if obj.dep_ in {"compound", "amod"} else obj
            if obj.dep_ != "nsubjpass":
                yield lambda: self.parties(target)
            yield lambda: listed(self._actor_in_subtree(target, exclude=actors))
        for child in verb.children:
            if child.dep_ == "dobj":
                yield lambda c=child: listed(self._actor_in_subtree(c, exclude=actors))
        if passive and patient is not None and patient != obj:
            # "a camp for Congolese refugees was attacked": a party the patient's phrase holds
            yield lambda: listed(self._actor_in_subtree(patient, exclude=actors))
        yield lambda: self._complement_party(verb, actors)

    def threat_by_actor(self, verb: Token, actors: list[Actor]) -> bool:
        """ "X warned that it would strike" is a threat; "X warned that the toll might rise"
        or "that Y would attack" is not X's threat."""
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is None or not actors:
            return True
        subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None:
            return True
        doer = self.actor_at(subject)
        if doer is None:
            # "warned that further interference will lead to sanctions": the consequence
            # the warning holds out is a punishment with no other agent
            return any(
                t.pos_ == "NOUN"
                and self.actor_at(t) is None
                and not any(c.dep_ == "poss" for c in t.children)
                and any(r.type in PUNITIVE_TYPES for r in self.ctx.lexicon.triggers_for(
                    t.lemma_.lower(), "NOUN"))
                for t in clause.subtree
            )  # fmt: skip
        return doer.country == actors[0].country

    def authorities_of(self, place: Place, sector: str | None = "GOV") -> Actor:
        """The state where a place lies, as a party: its government by default, the country
        as a whole (no sector) for an attack on its ground."""
        assert place.span is not None and place.country is not None
        return state_party(place.text, place.span, place.country, sector, "place")

    def _complement_party(self, verb: Token, actors: list[Actor]) -> list[Actor]:
        """Whom a demand, threat or offer is aimed at, when it is only named inside what is
        demanded: "demanded that Hamas renounce ...", "threatened to stop talks with the
        US", "offered to hand them over to Britain"."""
        for child in verb.children:
            if child.dep_ == "ccomp":
                subject = next(
                    (c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}), None
                )
                found = [p for p in self.parties(subject) if p not in actors]
                if found:
                    return found
        for child in verb.children:
            if child.dep_ in {"xcomp", "ccomp"} or (child.dep_ == "advcl" and child.tag_ == "VBG"):
                inner = self._actor_in_subtree(child, exclude=actors)
                if inner is not None and (
                    not actors
                    or inner.country != actors[0].country
                    or (inner.sector in STATE_SECTORS) != (actors[0].sector in STATE_SECTORS)
                ):
                    # another country's party, or the state and its own people face to face
                    return [inner]
        return []

    def _pobj_parties(self, prep: Token) -> list[Actor]:
        for obj in prep.children:
            if obj.dep_ == "pobj":
                found = [a for a in self.parties(obj) if not self._is_place_use(obj, a)]
                if found:
                    return found
        return []

    def _is_place_use(self, tok: Token, actor: Actor) -> bool:
        return tok.head.lower_ in PLACE_PREPS and actor.kind == "state"

    def _actor_in_subtree(self, root: Token, exclude: list[Actor]) -> Actor | None:
        for tok in root.subtree:
            actor = self.ctx.actors.heads.get(tok.i)
            if actor is not None and actor not in exclude:
                return actor
        return None

    def noun_arguments(self, noun: Token, obj: Token | None) -> tuple[list[Actor], list[Actor]]:
        actors: list[Actor] = []
        recipients: list[Actor] = []
        has_possessor = any(c.dep_ == "poss" for c in noun.children)
        for child in noun.children:
            named_modifier = child.dep_ in {"compound", "amod", "nmod"} and child.ent_type_ in {
                "GPE",
                "NORP",
                "ORG",
                "PERSON",
            }
            if child.dep_ == "poss" or named_modifier:
                actor = self.actor_at(child)
                if actor is None:
                    continue
                if named_modifier and has_possessor and child.dep_ == "compound":
                    recipients.append(actor)  # "Moscow's Ukraine offensive": the target
                else:
                    actors.append(actor)
            elif child.dep_ == "prep" and child.lower_ == "by":
                actors.extend(self._pobj_parties(child))
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in NOUN_RECIPIENT_PREPS and not recipients:
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    parties = self.parties(pobj)
                    if child.lower_ == "between" and len(parties) >= 2 and not actors:
                        return parties[:1], parties[1:]
                    recipients = [p for p in parties if p not in actors]
        if not actors:
            governor = noun.head
            if noun.dep_ in LIGHT_VERB_DEPS and governor.i != noun.i:
                if noun.dep_ == "pobj":
                    governor = governor.head
                # "held talks", and "flew to Doha for talks", "returned after a visit": the
                # traveller is the one who visits or talks
                travels = noun.dep_ == "pobj" and governor.lemma_.lower() in TRAVEL_VERBS
                if governor.pos_ in {"VERB", "AUX"} and (
                    governor.lemma_.lower() in LIGHT_VERBS or travels
                ):
                    subject = (
                        agent_of(governor) if is_passive(governor) else inherited_subject(governor)
                    )
                    if subject is not None and subject.i != noun.i:
                        actors = self.parties(subject)
                    if not recipients:
                        for child in governor.children:
                            if child.dep_ == "prep" and child.lower_ in {
                                "with",
                                "to",
                                "against",
                                "on",
                            }:
                                recipients = self._pobj_parties(child)
                                if recipients:
                                    break
        if not actors and obj is not None and obj != noun:
            # "the delivery of Iranian drones to Russia": whose the goods are
            for child in obj.children:
                if child.dep_ in {"amod", "compound"} and child.ent_type_ in {"NORP", "GPE"}:
                    actor = self.actor_at(child)
                    if actor is not None:
                        actors = [actor]
                        break
        return actors, [r for r in recipients if r not in actors]

    def implied_target(
        self,
        event_type: str,
        trigger: Trigger,
        trigger_tok: Token,
        actors: list[Actor],
        location: Place | None,
    ) -> list[Actor]:
        """The party an event with no named target is aimed at, from where it happens (its
        place, else the article's setting)."""
        here = location if location is not None and location.country and location.span else None
        if event_type == "PROTEST":
            if here is not None:
                # a protest that names no target is aimed at the authorities where it happens
                return [self.authorities_of(here)]
            if len(actors) == 1:
                # "Algerian landowners began a hunger strike": with no target and no place, at
                # the protesters' own government, named by the word that gives their country
                home = self._home_government(actors[0])
                if home is not None:
                    return [home]
            return self._setting_state(trigger_tok, "GOV")
        if event_type in TARGET_TYPES:
            if actors and not all(a.country for a in actors):
                return []
            # "Israeli tanks fired at targets in Jericho", "authorities imposed a curfew in
            # Cizre", "a car bomb exploded in the market": an attack or a coercion with no
            # named target falls on the country where it happens (at home too, as event data
            # codes domestic events); with no place, on the country the article is set in
            if here is not None:
                return [self.authorities_of(here, sector=None)]
            return self._setting_state(trigger_tok, None)
        if here is None or not actors:
            return []
        if trigger.mode == "visit" and all(a.country != here.country for a in actors):
            # a visit that names no host is hosted by the state visited
            return [self.authorities_of(here)]
        return []

    def _setting_state(self, trigger: Token, sector: str | None) -> list[Actor]:
        """The state the article is set in, as the party an event implies, pointing at the
        words that tell the event."""
        country = self.ctx.setting.country
        if not country or country == "IGO":
            return []
        span = (trigger.idx, trigger.idx + len(trigger.text))
        return [state_party(trigger.text, span, country, sector, "article")]

    def _home_government(self, actor: Actor) -> Actor | None:
        """The government of an actor's country, pointing at the word in the actor's phrase
        that names the country ("Algerian" in "Algerian landowners"); None when no such
        word stands apart from the phrase or the country was only guessed."""
        if not actor.country or actor.span[0] in self.ctx.actors.guessed:
            return None
        phrase = self.ctx.doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
        if phrase is None:
            return None
        for tok in phrase:
            if tok.ent_type_ in {"NORP", "GPE"} and tok.i < phrase.root.i:
                span = (tok.idx, tok.idx + len(tok))
                return state_party(tok.text, span, actor.country, "GOV", "named")
        return None

    def agent_names_the_act(self, actor: Actor, event_type: str) -> bool:
        words = AGENTS_NAMING_THE_ACT.get(event_type)
        if not words or actor.span is None:
            return False
        phrase = self.ctx.doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
        return phrase is not None and any(t.lemma_.lower() in words for t in phrase)

    def unless_guessed_own(self, recipient: Actor, country: str) -> Actor:
        """ "The US froze the assets of companies": the companies' country was guessed from
        the sentence, where the only country named is the actor's own; leave it unknown."""
        if recipient.country == country and recipient.span[0] in self.ctx.actors.guessed:
            return recipient.model_copy(update={"country": None, "country_basis": None})
        return recipient

    def implied_police(self, trigger: Token) -> Actor:
        """The police as the party an agentless arrest implies, pointing at the words that
        tell the arrest (their country: see ``placed``)."""
        span = (trigger.idx, trigger.idx + len(trigger.text))
        return Actor(text=trigger.text, name="police", sector="COP", kind="organization",
                     span=span, implied=True)  # fmt: skip

    def placed(self, actor: Actor, location: Place | None) -> Actor:
        """A party named only by its role ("police", "militants", "protesters"), given the
        country where the event happens, else the country the article is about."""
        if actor.country or actor.sector is None or actor.kind == "state":
            return actor
        if location is not None and location.country and location.country != "IGO":
            return actor.model_copy(update={"country": location.country, "country_basis": "place"})
        if self.ctx.setting.country:
            return actor.model_copy(
                update={"country": self.ctx.setting.country, "country_basis": "article"}
            )
        return actor

    def speaker(self, attribution: Attribution | None) -> Actor | None:
        return self.actor_at_span(attribution.span) if attribution is not None else None


def _violent(tok: Token, lexicon: EventLexicon) -> bool:
    """Whether a word tells violence: an attack word, a weapon's use, an ASSAULT reading."""
    lemma = tok.lemma_.lower()
    if any(lexicon.in_class(lemma, c) for c in ("violence_cues", "attacks", "hostilities")):
        return True
    pos = "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN"
    return any(t.type == "ASSAULT" for t in lexicon.triggers_for(lemma, pos))


def state_party(
    text: str, span: tuple[int, int], country: str, sector: str | None, basis: str
) -> Actor:
    """A state as a party the text implies, pointing at the words that name its country
    (``basis``: "named" for a demonym, "place" for a place in it)."""
    name = knowledge_base().country_name(country) or country
    return Actor(text=text, name=name, country=country, sector=sector, kind="state", span=span,
                 country_basis=basis, implied=True)  # fmt: skip


def listed(actor: Actor | None) -> list[Actor]:
    return [actor] if actor is not None else []


def only_adjective(doc: Doc, actor: Actor) -> bool:
    """Whether an actor mention is only a demonym modifying a noun ("Russian" march)."""
    span = doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
    return span is not None and all(t.pos_ == "ADJ" or t.ent_type_ == "NORP" for t in span)
