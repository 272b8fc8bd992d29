"""Event detection: PLOVER events with actor, recipient, status, date, place and evidence.

A trigger word (a verb such as "supply" or a noun such as "summit", from the lexicon in
``data/event_triggers.yaml``) signals an event when its object agrees with the trigger's
constraint ("give" + weapons is military aid, "give" + a speech is nothing). Actor and recipient
come from the sentence's structure — subject, passive agent, dative, object, "with"/"on"/"against"
phrases — not from the nearest names. Status comes from what governs the trigger: a denial, a
fear or suspicion, a promise or plan, a named source, or nothing (the article asserts it).
Negated events are dropped unless a source denies them. The same event told twice is one record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from eventwire.extract.actors import ActorMentions
from eventwire.extract.attribution import attribution_for
from eventwire.extract.dates import date_for_sentence, is_event_date
from eventwire.extract.event_anaphora import take_up_events
from eventwire.extract.event_location import (
    PLACE_PREPS,
    TARGET_TYPES,
    TRAVEL_VERBS,
    clause_root,
    event_location,
)
from eventwire.knowledge import knowledge_base
from eventwire.lexicon import EventLexicon, Trigger, cues, event_lexicon
from eventwire.model import Actor, Attribution, DateRef, Event, Evidence, Place, Quantity, stable_id

OBJECT_PREPS = {"with", "of", "on", "for", "about", "over"}
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
CLAUSAL_DEPS = {
    "xcomp",
    "ccomp",
    "advcl",
    "pcomp",
    "conj",
    "acl",
    "relcl",
    "prep",
    "pobj",
    "dobj",
    "acomp",
}
DYADIC_TYPES = {"AGREE", "CONSULT", "COOPERATE", "AID", "REQUEST", "REJECT", "SUPPORT", "CONCEDE"}
RECIPROCAL_TYPES = {"CONSULT", "COOPERATE", "AGREE"}
PRONOUNS_PERSON = {"he", "she", "him", "her", "his"}
RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}
PRONOUNS_OTHER = {"it", "its", "they", "them", "their", "we", "our", "i"}
DEMAND_CONFIDENCE = 0.7  # "X said Y must ..." with no event word of its own
COMMITMENT_CONFIDENCE = 0.75  # an explicit pledge or vow is a clear signal of its own
# Verbs by which an actor commits itself to a future act: under them, the act is coded as the
# manual's "intent" reading (a pledge of aid is AGREE, a vowed strike THREATEN).
COMMITMENT_VERBS = {
    "pledge",
    "promise",
    "vow",
    "offer",
    "volunteer",
    "agree",
    "undertake",
    "commit",
    # "is willing to withdraw", "is prepared to lift the ban": expressed willingness
    "willing",
    "ready",
    "prepared",
}
STATE_SECTORS = {"GOV", "MIL", "COP", "JUD", "LEG", "SPY"}
# Agents named for the act itself: "demonstrators marched" is a protest, whatever else
# "march" may mean.
AGENTS_NAMING_THE_ACT = {
    "PROTEST": frozenset({"protester", "protestor", "demonstrator", "marcher", "rioter"}),
}
# Agents whose sector fits the event make a reading more credible.
SECTOR_AFFINITY = {
    "ASSAULT": {"MIL", "REB", "UAF", "COP"},
    "MOBILIZE": {"MIL", "REB"},
    "RETREAT": {"MIL", "REB"},
    "COERCE": {"COP", "MIL", "GOV", "JUD"},
    "PROTEST": {"CVL", "OPP", "EDU", "LAB"},
    "SANCTION": {"GOV"},
}
# Events that parties do together: several subjects are the parties to one another.
JOINT_TYPES = {"CONSULT", "AGREE", "COOPERATE", "REJECT"}
# Cooperation told in the future tense is coded as AGREE (PLOVER manual, AGREE).
COOPERATIVE_TYPES = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
# Events whose agent is never the one who reports them ("the ministry said 29 were killed").
UNSPOKEN_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"}
# Acts aimed at another state far more often than at the actor's own: a target whose country
# was only guessed from the story and equals the actor's is more likely a wrong guess.
OUTWARD_TYPES = {"SANCTION", "THREATEN", "ACCUSE", "REJECT"}
# Events that are things said: their complements are their content, not further events.
SPEECH_ACT_TYPES = {"ACCUSE", "REQUEST", "THREATEN", "REJECT", "AGREE", "SUPPORT", "PROTEST"}
MISSING_RECIPIENT_PENALTY = 0.8
# Below this, a reading is too weak to report ("examined weapons" as an investigation).
# Calibrated on all the gold we can read (seed, dev-news and the public half of the PLOVER
# gold-standard records): F1 rises on each of the three up to about here, then falls.
MIN_CONFIDENCE = 0.62
STATUS_RANK = {"denied": 4, "speculated": 3, "planned": 2, "reported": 1, "asserted": 0}


@dataclass
class Context:
    doc: Doc
    article_id: str
    published: date | None
    actors: ActorMentions
    attributions: list[Attribution]
    places: list[Place]
    dates: list[DateRef]
    quantities: list[Quantity]
    lexicon: EventLexicon
    consumed: set[int] = field(default_factory=set)


# -- the shape of the sentence around a trigger ----------------------------------------------


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def _with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


def _pobjs(prep: Token) -> list[Token]:
    found = []
    for child in prep.children:
        if child.dep_ == "pobj":
            found.extend(_with_conjuncts(child))
        elif child.dep_ == "prep":  # "pulled out of the deal": "of" hangs under "out"
            found.extend(_pobjs(child))
    return found


def _objects(tok: Token, particle: str | None = None) -> list[Token]:
    """Candidate objects of a trigger: what the object constraint is checked against."""
    found: list[Token] = []
    for child in tok.children:
        if child.dep_ in {"dobj", "nsubjpass", "attr", "oprd", "dative"}:
            found.extend(_with_conjuncts(child))
        elif child.dep_ in {"prep", "prt"} and (
            child.lower_ in OBJECT_PREPS | {"to", "against"} or child.lower_ == particle
        ):
            found.extend(_pobjs(child))
        elif child.dep_ in {"compound", "amod"} and tok.pos_ in {"NOUN", "PROPN"}:
            found.append(child)
        elif child.dep_ == "xcomp" and not any(c.dep_ == "dobj" for c in tok.children):
            # "agreed to supply weapons": the object of the complement
            found.extend(c for c in child.children if c.dep_ == "dobj")
    if tok.dep_ in {"amod", "compound"}:
        found.append(tok.head)
    if (
        tok.dep_ == "conj"
        and _is_passive(tok)
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
    ):
        # "no agreement has or will be signed": the shared subject is what is signed
        found.extend(c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"})
    for obj in list(found):
        for child in obj.children:
            # "a set of bulletproof protection", "tons of food aid": the "of" phrase
            if child.dep_ == "prep" and child.lower_ == "of":
                found.extend(_pobjs(child))
            if child.dep_ in {"appos", "conj", "compound"}:
                found.append(child)
    return found


def _particles(tok: Token) -> set[str]:
    """Children that complete a trigger: "call for", "crack down", "hunger strike"."""
    deps = {"prt", "prep", "advmod", "npadvmod"}
    if tok.pos_ in {"NOUN", "PROPN"}:
        deps |= {"compound", "amod", "nmod"}
    return {c.lower_ for c in tok.children if c.dep_ in deps} | {
        c.lemma_.lower() for c in tok.children if c.dep_ in deps
    }


def _choose_trigger(tok: Token, lex: EventLexicon) -> tuple[Trigger, Token | None] | None:
    """The first reading (most specific first) whose particle and object constraints hold."""
    pos = (
        "VERB" if tok.pos_ in {"VERB", "AUX"} else "NOUN" if tok.pos_ in {"NOUN", "PROPN"} else None
    )
    if pos is None:
        return None
    candidates = lex.triggers_for(tok.lemma_.lower(), pos)
    if not candidates and pos == "NOUN":
        candidates = lex.triggers_for(tok.lower_, pos)
    if not candidates:
        return None
    particles = _particles(tok)
    for trigger in candidates:
        if trigger.particle and trigger.particle not in particles:
            continue
        if trigger.object is None:
            return trigger, None
        for obj in _objects(tok, trigger.particle):
            if trigger.accepts_object(obj.lemma_) or trigger.accepts_object(obj.lower_):
                return trigger, obj
    return None


def _inherited_subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, or of the clause it hangs from ("volunteered to send", "spoke
    of more cooperation after visiting", "met ... and examined")."""
    if depth > 8:
        return None
    for child in verb.children:
        if child.dep_ in {"nsubj", "csubj"} and verb.pos_ in {"VERB", "AUX"}:
            return child
    if verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"} and not _is_passive(verb):
        return verb.head  # "the governor who gave ...": the noun the clause describes
    if verb.dep_ in {"relcl", "acl", "ccomp", "ROOT", "nsubj", "nsubjpass", "csubj"}:
        return None
    if verb.dep_ == "xcomp":
        passive_subject = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
        if passive_subject is not None:
            return passive_subject  # "Pyongyang is thought to covet ..."
    return _inherited_subject(verb.head, depth + 1)


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _from_phrase(root: Token) -> Token | None:
    """'as gifts from a regional governor': the giver in a passive transfer."""
    for tok in root.subtree:
        if tok.dep_ == "prep" and tok.lower_ == "from":
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


class _Builder:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.cues = cues()

    # -- actors ---------------------------------------------------------------------
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
        root = tok.sent.root
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
        window_start = trigger.sent.start_char
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

    # -- arguments of a verb trigger ------------------------------------------------
    def parties(self, tok: Token | None) -> list[Actor]:
        """The actors a noun phrase names: "Russia and China", "leaders of Egypt, Qatar and
        Turkey", or one actor."""
        if tok is None:
            return []
        found = [a for t in _with_conjuncts(tok) if (a := self.actor_at(t)) is not None]
        if len(found) == 1 and found[0].kind != "state":
            # "leaders of Egypt, the United States and Qatar": one party per country named
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    members = [
                        a
                        for obj in child.children
                        if obj.dep_ == "pobj"
                        for t in _with_conjuncts(obj)
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
        passive = _is_passive(verb)
        patient = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if passive:
            subject = _agent(verb) or _from_phrase(verb)
        else:
            subject = _inherited_subject(verb)
        actors = self.parties(subject)
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
            yield lambda: _listed(self._actor_in_subtree(target, exclude=actors))
        for child in verb.children:
            if child.dep_ == "dobj":
                yield lambda c=child: _listed(self._actor_in_subtree(c, exclude=actors))
        if passive and patient is not None and patient != obj:
            # "a camp for Congolese refugees was attacked": a party the patient's phrase holds
            yield lambda: _listed(self._actor_in_subtree(patient, exclude=actors))
        yield lambda: self._complement_party(verb, actors)

    def _threat_by_actor(self, verb: Token, actors: list[Actor]) -> bool:
        """ "X warned that it would strike" is a threat; "X warned that the toll might rise"
        or "that Y would attack" is not X's threat."""
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is None or not actors:
            return True
        subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is None:
            return True
        doer = self.actor_at(subject)
        return doer is not None and doer.country == actors[0].country

    def _authorities_of(self, place: Place, sector: str | None = "GOV") -> Actor:
        """The state where a place lies, as a party: its government by default, the country
        as a whole (no sector) for an attack on its ground."""
        assert place.span is not None and place.country is not None
        return _state_party(place.text, place.span, place.country, sector)

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

    # -- arguments of a noun trigger ------------------------------------------------
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
                        _agent(governor) if _is_passive(governor) else _inherited_subject(governor)
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

    # -- status ---------------------------------------------------------------------
    def negated(self, trigger: Token, obj: Token | None = None) -> bool:
        negators = self.cues.negators
        if obj is not None and any(d.dep_ == "det" and d.lower_ in negators for d in obj.children):
            return True  # "no agreement was signed"
        for tok in (trigger, *[c for c in trigger.children if c.dep_ in {"aux", "auxpass"}]):
            if any(c.dep_ == "neg" or c.lower_ in {"never"} for c in tok.children):
                return True
        for child in trigger.children:
            if child.dep_ in {"nsubjpass", "dobj", "nsubj"} and child.pos_ == "NOUN":
                if any(d.dep_ == "det" and d.lower_ in negators for d in child.children):
                    return True
        if trigger.pos_ == "NOUN" and any(
            d.dep_ == "det" and d.lower_ in negators for d in trigger.children
        ):
            return True
        return trigger.dep_ == "pobj" and trigger.head.lower_ == "without"

    def governing_status(self, trigger: Token) -> str | None:
        """Denied / speculated / planned from the words that govern the trigger."""
        words = self.cues
        best: str | None = None

        def consider(status: str) -> None:
            nonlocal best
            if best is None or STATUS_RANK[status] > STATUS_RANK[best]:
                best = status

        chain = [trigger]
        tok = trigger
        while tok.head.i != tok.i and len(chain) < 12:
            if tok.i != trigger.i and tok.dep_ not in CLAUSAL_DEPS:
                break
            if tok.dep_ in {"prep", "pobj", "pcomp"} and tok.head.pos_ in {"NOUN", "PROPN"}:
                # "the idea of cooperation after visiting Kim": a phrase inside a noun
                # phrase is not governed by what governs the noun
                break
            tok = tok.head
            chain.append(tok)
        for position, tok in enumerate(chain):
            lemma = tok.lemma_.lower()
            governs = position > 0
            if governs and lemma in words.denial_verbs:
                consider("denied")
            if governs and (lemma in words.speculation_verbs or lemma in words.speculation_nouns):
                consider("speculated")
            if (
                governs
                and lemma in words.plan_verbs
                and chain[position - 1].dep_ in {"xcomp", "ccomp", "acl"}
            ):
                consider("planned")
            if tok.dep_ == "advcl" and any(
                c.dep_ == "aux" and c.tag_ == "TO" for c in tok.children
            ):
                consider("planned")  # "bought weapons to continue the war": a purpose
            for child in tok.children:
                if child.dep_ == "mark" and child.lower_ in {"whether", "if"}:
                    consider("speculated")  # "asked whether they will discuss ..."
                if child.dep_ in {"aux", "auxpass"}:
                    if child.lower_ in words.speculation_modals:
                        consider("speculated")
                    elif child.lower_ in words.plan_modals and position == 0:
                        consider("planned")
                if child.dep_ == "advmod" and child.lower_ in words.speculation_adverbs:
                    consider("speculated")
            if tok.dep_ == "ROOT":
                break
        return best

    # -- the event record -----------------------------------------------------------
    def reading(
        self, trigger_tok: Token, trigger: Trigger, obj: Token | None
    ) -> tuple[str, str | None, Token | None]:
        """Type and mode, after the actor's own commitment and the modifiers' mode; and the
        verb by which the actor committed itself ("pledged to send aid" is AGREE), if any."""
        lex = self.ctx.lexicon
        event_type, mode = trigger.type, trigger.mode
        committed: Token | None = None
        tok = trigger_tok
        while tok.dep_ in {"xcomp", "conj"} and tok.head.i != tok.i:
            tok = tok.head
            if tok.lemma_.lower() in COMMITMENT_VERBS and tok.i != trigger_tok.i:
                event_type, mode = lex.future_reading(event_type, mode)
                committed = tok
                break
        if mode is None:
            words = [
                c.lemma_.lower() for c in trigger_tok.children if c.dep_ in {"amod", "compound"}
            ]
            if obj is not None:
                words += [obj.lemma_.lower()]
                words += [c.lemma_.lower() for c in obj.children if c.dep_ in {"amod", "compound"}]
            mode = lex.mode_from_modifiers(event_type, words)
        return event_type, mode, committed

    def _modal(self, trigger: Token, words: frozenset[str]) -> bool:
        return any(c.dep_ in {"aux", "auxpass"} and c.lower_ in words for c in trigger.children)

    def _implied_target(
        self, event_type: str, trigger: Trigger, actors: list[Actor], location: Place | None
    ) -> list[Actor]:
        """The party an event with no named target is aimed at, from where it happens."""
        here = location if location is not None and location.country and location.span else None
        if event_type == "PROTEST":
            if here is not None:
                # a protest that names no target is aimed at the authorities where it happens
                return [self._authorities_of(here)]
            if len(actors) == 1:
                # "Algerian landowners began a hunger strike": with no target and no place, at
                # the protesters' own government, named by the word that gives their country
                home = self._home_government(actors[0])
                return [home] if home is not None else []
            return []
        if here is None or not actors:
            return []
        if event_type in TARGET_TYPES and all(a.country for a in actors):
            # "Israeli tanks fired at targets in Jericho", "authorities imposed a curfew in
            # Cizre": an attack or a coercion with no named target falls on the country where
            # it happens (at home too, as event data codes domestic events)
            return [self._authorities_of(here, sector=None)]
        if trigger.mode == "visit" and all(a.country != here.country for a in actors):
            # a visit that names no host is hosted by the state visited
            return [self._authorities_of(here)]
        return []

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
                return _state_party(tok.text, (tok.idx, tok.idx + len(tok)), actor.country, "GOV")
        return None

    def _agent_names_the_act(self, actor: Actor, event_type: str) -> bool:
        words = AGENTS_NAMING_THE_ACT.get(event_type)
        if not words or actor.span is None:
            return False
        phrase = self.ctx.doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
        return phrase is not None and any(t.lemma_.lower() in words for t in phrase)

    def _unless_guessed_own(self, recipient: Actor, country: str) -> Actor:
        """ "The US froze the assets of companies": the companies' country was guessed from
        the sentence, where the only country named is the actor's own; leave it unknown."""
        if recipient.country == country and recipient.span[0] in self.ctx.actors.guessed:
            return recipient.model_copy(update={"country": None})
        return recipient

    def _speaker(self, attribution: Attribution | None) -> Actor | None:
        return self.actor_at_span(attribution.span) if attribution is not None else None

    def build(self, trigger_tok: Token, trigger: Trigger, obj: Token | None) -> list[Event]:
        """The records one trigger makes: one per actor and recipient pair."""
        ctx = self.ctx
        if trigger_tok.dep_ == "pobj" and trigger_tok.head.lower_ == "without":
            return []  # "shot down without warning"
        event_type, mode, committed = self.reading(trigger_tok, trigger, obj)
        if trigger_tok.pos_ in {"VERB", "AUX"}:
            actors, recipients = self.verb_arguments(
                trigger_tok,
                obj,
                away=trigger.type == "RETREAT",
                own_forces=trigger.type in {"RETREAT", "MOBILIZE"},
            )
        else:
            actors, recipients = self.noun_arguments(trigger_tok, obj)
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
            source = self.actor_at_span(attribution.span)
            if source is not None:
                actors = [source]
        if not actors and not (event_type in UNSPOKEN_TYPES and recipients):
            return []  # an unknown perpetrator is kept only where the victim is known
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
        if event_type == "THREATEN" and not self._threat_by_actor(trigger_tok, actors):
            return []
        if not recipients and actors and event_type in DYADIC_TYPES:
            counterpart = self.counterpart(trigger_tok, actors[0])
            recipients = [counterpart] if counterpart is not None else []

        if event_type in OUTWARD_TYPES and actors and actors[0].country:
            recipients = [self._unless_guessed_own(r, actors[0].country) for r in recipients]

        # a pledge, vow or offer is itself the event: its status is the pledge's, not the
        # status of what is pledged ("vowed to retaliate" is an asserted threat)
        status = self.governing_status(committed if committed is not None else trigger_tok)
        if self.negated(trigger_tok, obj) or (committed is not None and self.negated(committed)):
            if attribution is None and status != "denied":
                return []
            status = "denied"
        speaker = self._speaker(attribution)
        if speaker is not None and self._modal(trigger_tok, self.cues.obligation_modals):
            # "Russia said Sudan must return the helicopter": Russia's demand of Sudan
            actors, recipients = [speaker], [a for a in actors if a.country != speaker.country]
            event_type, mode, status = "REQUEST", None, "asserted"
        elif (
            status == "planned"
            and committed is None
            and self._modal(trigger_tok, self.cues.plan_modals)
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

        sent = trigger_tok.sent
        evidence = _evidence(sent)
        event_date = self.event_date(trigger_tok, sent, status)
        # the trigger's own kind: a visit told in the future is coded AGREE, but the place
        # visited is still where it will happen
        location = event_location(trigger_tok, sent, ctx.places, trigger.type)
        if not recipients:
            recipients = self._implied_target(event_type, trigger, actors, location)
        scope = _scope(trigger_tok, obj)
        quantities = [
            q for q in ctx.quantities if q.span and scope[0] <= q.span[0] and q.span[1] <= scope[1]
        ]
        cameo = (
            trigger.cameo
            if (event_type, mode) == (trigger.type, trigger.mode)
            else ctx.lexicon.cameo_root(event_type, mode)
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
                if actor is None or actor.country is None:
                    confidence *= 0.7
                elif self._agent_names_the_act(actor, event_type):
                    confidence *= 1.3  # "protesters marched": the agent's name says what it did
                elif actor.sector in SECTOR_AFFINITY.get(event_type, ()):
                    confidence *= 1.15  # "troops withdrew": a fitting agent
                if trigger_tok.pos_ not in {"VERB", "AUX"}:
                    if _inside_noun_phrase(trigger_tok):
                        confidence *= 0.6  # "the death toll from the fighting": background
                    if (
                        actor
                        and actor.span[1] <= trigger_tok.idx
                        and _only_adjective(ctx.doc, actor)
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
        clause = _clause(trigger)
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


def _state_party(
    text: str, span: tuple[int, int], country: str, sector: str | None
) -> Actor:
    """A state as a party the text implies, pointing at the words that name its country."""
    name = knowledge_base().country_name(country) or country
    return Actor(text=text, name=name, country=country, sector=sector, kind="state", span=span)


def _demanded(tok: Token, builder: _Builder) -> tuple[Trigger, None] | None:
    """ "Russia said Sudan must return the helicopter": whatever the verb, a named source's
    "must" is its demand of the subject (REQUEST), made with the speaker as actor."""
    if tok.pos_ != "VERB" or not builder._modal(tok, builder.cues.obligation_modals):
        return None
    if not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
        return None
    said = attribution_for(builder.ctx.attributions, tok.idx, tok.idx + len(tok))
    if builder._speaker(said) is None:
        return None  # an unattributed "must" is the article's own comment, not a demand
    lexicon = builder.ctx.lexicon
    demand = Trigger(lemma=tok.lemma_.lower(), pos="VERB", type="REQUEST", mode=None,
                     object=None, cameo=lexicon.cameo_root("REQUEST"),
                     confidence=DEMAND_CONFIDENCE)  # fmt: skip
    return demand, None


def _listed(actor: Actor | None) -> list[Actor]:
    return [actor] if actor is not None else []


def _content(obj: Token) -> set[int]:
    """The tokens of an object phrase, less the relative clauses in it, which tell events of
    their own ("the leaders, with whom he held talks")."""
    inner = {t.i for t in obj.subtree}
    for tok in obj.subtree:
        if tok.dep_ == "relcl":
            inner -= {t.i for t in tok.subtree}
    return inner


def _hypothetical(tok: Token, conditionals: frozenset[str]) -> bool:
    """Whether a trigger's clause is a condition ("if ...", "unless ...", "until ...", "as
    long as Iran continues to threaten ...")."""
    verb = tok if tok.pos_ in {"VERB", "AUX"} else tok.head
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head  # "continues to threaten": the condition is on "continues"
    words = conditionals | {"until"}
    for mark in (c for c in verb.children if c.dep_ == "mark"):
        doc = mark.doc
        # the mark and the words before it: "as long as", "provided that", "in case"
        for start in range(max(mark.i - 3, 0), mark.i + 1):
            if doc[start : mark.i + 1].text.lower() in words:
                return True
    return False


def _only_adjective(doc: Doc, actor: Actor) -> bool:
    """Whether an actor mention is only a demonym modifying a noun ("Russian" march)."""
    span = doc.char_span(actor.span[0], actor.span[1], alignment_mode="expand")
    return span is not None and all(t.pos_ == "ADJ" or t.ent_type_ == "NORP" for t in span)


def _inside_noun_phrase(tok: Token) -> bool:
    """A noun inside another noun's phrase ("the toll from the fighting")."""
    return (
        tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in {"NOUN", "PROPN"}
    )


def _clause(trigger: Token) -> tuple[int, int]:
    """Characters of the clause a trigger heads or sits in (its subtree, embedded clauses
    included)."""
    tokens = list(clause_root(trigger).subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _scope(trigger: Token, obj: Token | None) -> tuple[int, int]:
    root = obj if obj is not None else trigger
    tokens = list(root.subtree)
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _evidence(sent: Span) -> Evidence:
    text = sent.text
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Evidence(start=start, end=start + len(stripped), text=stripped)


STATUS_GROUP = {"asserted": "happened", "reported": "happened"}
# Types whose parties act together: the order of actor and recipient does not tell two such
# events apart ("Kim met Putin", "Putin met Kim").
UNORDERED_TYPES = {"CONSULT", "COOPERATE", "AGREE"}


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


def _same_event(a: Event, b: Event) -> bool:
    return (
        a.event_type == b.event_type
        and STATUS_GROUP.get(a.status, a.status) == STATUS_GROUP.get(b.status, b.status)
        and _parties_compatible(a, b)
        and _dates_compatible(a, b)
    )


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


def _merge(events: list[Event]) -> list[Event]:
    """One record per event: the same event told twice keeps the better-evidenced telling,
    with the date, place, source and quantities the other tellings add."""
    kept: list[Event] = []
    for event in sorted(_drop_purposes(_fill_recipients(events)), key=_quality, reverse=True):
        twin = next((k for k in kept if _same_event(k, event)), None)
        if twin is None:
            kept.append(event)
            continue
        index = kept.index(twin)
        update: dict = {}
        if event.confidence > twin.confidence:
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
        if update:
            kept[index] = twin.model_copy(update=update)
    kept.sort(key=lambda e: (e.evidence.start, e.event_type))
    return kept


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
) -> list[Event]:
    """Every event the article tells, one record each. ``article_source`` (a "Source: X"
    line) is the source of every event that has none in its own sentence."""
    ctx = Context(
        doc, article_id, published, actors, attributions, places, dates, quantities, event_lexicon()
    )
    builder = _Builder(ctx)
    body_start = 0
    if title and doc.text.lstrip().startswith(title.strip()):
        # the headline repeats the story in telegram style that parses poorly
        body_start = doc.text.index(title.strip()) + len(title.strip())
    found: list[Event] = []
    covered: set[int] = set()
    # verbs first, so "impose sanctions" is one event and not also a bare "sanctions"
    order = sorted(doc, key=lambda t: (t.pos_ not in {"VERB", "AUX"}, t.i))
    for tok in order:
        if tok.idx < body_start or tok.i in covered:
            continue
        if tok.dep_ == "amod" and tok.pos_ == "VERB":
            continue  # "a globally condemned programme": a description, not an event
        chosen = _choose_trigger(tok, ctx.lexicon) or _demanded(tok, builder)
        if chosen is None:
            continue
        trigger, obj = chosen
        if obj is not None and obj.pos_ in {"NOUN", "PROPN"} and tok.pos_ in {"VERB", "AUX"}:
            # "held joint drills": a compound noun reading of the object is more specific
            # than the verb's ("joint drill" is COOPERATE where "hold drills" is MOBILIZE)
            specific = _choose_trigger(obj, ctx.lexicon)
            if specific is not None and specific[0].particle:
                trigger = specific[0]
        if _hypothetical(tok, builder.cues.conditionals):
            continue  # "until he steps down", "if talks fail": not an event
        if obj is not None:
            # the object and what it holds ("an invitation to visit North Korea") are the
            # content of this event, not events of their own, even when the event itself is
            # negated ("did not impose sanctions" is no sanction)
            covered.update(_content(obj))
        events = builder.build(tok, trigger, obj)
        if not events:
            continue
        found.extend(events)
        if trigger.type in SPEECH_ACT_TYPES:
            # "urged X to attack", "accused X of seeking": what is urged or alleged did not
            # happen (as far as this sentence says); only the speech act is an event
            content = {"xcomp", "ccomp", "prep", "dobj"}
            if trigger.type == "PROTEST":
                content.add("advcl")  # "marched, demanding the leader's resignation"
            for child in tok.children:
                if child.dep_ in content:
                    covered.update(t.i for t in child.subtree)

    def event_type_of(noun: Token) -> str | None:
        chosen = _choose_trigger(noun, ctx.lexicon)
        return chosen[0].type if chosen is not None else None

    completed = take_up_events(
        _merge(found), doc, event_type_of=event_type_of, actors=actors.mentions, places=places,
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
