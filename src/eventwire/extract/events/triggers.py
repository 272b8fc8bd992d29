"""Which words signal which events.

A trigger word (a verb such as "supply" or a noun such as "summit", from the lexicon in
``data/event_triggers.yaml``) signals an event when its particle and object agree with the
reading's constraints ("give" + weapons is military aid, "give" + a speech is nothing);
``choose_trigger`` returns the first reading, most specific first, whose constraints hold. A
named source's "must" is its demand whatever the verb (``demanded``); a clause that is only a
condition ("if talks fail") tells no event (``hypothetical``).
"""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.extract.attribution import attribution_for
from eventwire.extract.events.arguments import Arguments
from eventwire.extract.events.status import has_modal
from eventwire.extract.events.syntax import objects, particles
from eventwire.lexicon import Cues, EventLexicon, Trigger

DEMAND_CONFIDENCE = 0.7  # "X said Y must ..." with no event word of its own


def choose_trigger(tok: Token, lex: EventLexicon) -> tuple[Trigger, Token | None] | None:
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
    present = particles(tok)
    for trigger in candidates:
        if trigger.particle and trigger.particle not in present:
            continue
        if trigger.object is None:
            return trigger, None
        for obj in objects(tok, trigger.particle):
            if trigger.accepts_object(obj.lemma_) or trigger.accepts_object(obj.lower_):
                return trigger, obj
    return None


def demanded(tok: Token, args: Arguments, cues: Cues) -> tuple[Trigger, None] | None:
    """ "Russia said Sudan must return the helicopter": whatever the verb, a named source's
    "must" is its demand of the subject (REQUEST), made with the speaker as actor."""
    if tok.pos_ != "VERB" or not has_modal(tok, cues.obligation_modals):
        return None
    if not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children):
        return None
    said = attribution_for(args.ctx.attributions, tok.idx, tok.idx + len(tok))
    if args.speaker(said) is None:
        return None  # an unattributed "must" is the article's own comment, not a demand
    lexicon = args.ctx.lexicon
    demand = Trigger(lemma=tok.lemma_.lower(), pos="VERB", type="REQUEST", mode=None,
                     object=None, cameo=lexicon.cameo_root("REQUEST"),
                     confidence=DEMAND_CONFIDENCE)  # fmt: skip
    return demand, None


def hypothetical(tok: Token, conditionals: frozenset[str]) -> bool:
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
