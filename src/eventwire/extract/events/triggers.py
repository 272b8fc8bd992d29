"""Which words signal which events.

A trigger word (a verb such as "supply" or a noun such as "summit", from the lexicon in
``data/event_triggers.yaml``) signals an event when its particle and object agree with the
reading's constraints ("give" + weapons is military aid, "give" + a speech is nothing);
``choose_trigger`` returns the first reading, most specific first, whose constraints hold. A
named source's "must" is its demand whatever the verb (``demanded``); a clause that is only a
condition ("if talks fail") tells no event (``hypothetical``); harm done by a natural force or
an accident is no attack (``natural_harm``), and harm told with no agent is one only where the
sentence tells violence (``tells_violence``).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventwire.extract.attribution import attribution_for
from eventwire.extract.events.arguments import AGENTS_NAMING_THE_ACT, Arguments
from eventwire.extract.events.status import has_modal
from eventwire.extract.events.syntax import (
    agent_of,
    inherited_subject,
    is_passive,
    objects,
    particles,
)
from eventwire.lexicon import Cues, EventLexicon, Trigger

DEMAND_CONFIDENCE = 0.7  # "X said Y must ..." with no event word of its own
# A protester's act with no event word of its own: the prior of the weakest protest words
# ("march"); the agent's name bears it out (``Arguments.agent_names_the_act``).
AGENT_NAMED_PROTEST_CONFIDENCE = 0.5
# Verbs that are no act of their subject's: speech, states, what one undergoes.
NOT_ACTS = frozenset(
    {"be", "have", "say", "tell", "claim", "deny", "add", "report", "speak", "seem", "appear",
     "remain", "become", "die", "fall", "bleed", "suffer", "sustain", "receive", "get", "face",
     "lose", "need", "want", "fear", "flee", "escape", "hope", "expect", "believe", "know",
     "see", "hear", "feel", "think", "include", "number", "total"}
)  # fmt: skip
# Nouns that count a group ("thousands of protesters", "a crowd of demonstrators").
GROUP_NOUNS = frozenset(
    {"thousand", "hundred", "dozen", "ten", "million", "group", "crowd", "band", "number",
     "lot", "some", "many", "most", "all", "several", "scores", "score"}
)  # fmt: skip
VIOLENCE_CLASSES = ("violence_cues", "attacks", "hostilities")


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


def protest_by_its_agent(
    tok: Token, reading: Trigger | None, lex: EventLexicon
) -> tuple[Trigger, None] | None:
    """ "Demonstrators hurled eggs at offices", "thousands of protesters massed": what a
    crowd named for its protest does is its protest, when the verb tells no other event (or
    only a gathering of forces) and is an act, not speech or something undergone."""
    if tok.pos_ != "VERB" or is_passive(tok) or tok.lemma_.lower() in NOT_ACTS:
        return None
    if reading is not None and reading.type != "MOBILIZE":
        return None
    subject = inherited_subject(tok)
    if subject is None:
        return None
    head = subject
    if head.lemma_.lower() in GROUP_NOUNS:  # "thousands of protesters", "a group of"
        head = next((g for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                     for g in c.children if g.dep_ == "pobj"), head)  # fmt: skip
    if head.lemma_.lower() not in AGENTS_NAMING_THE_ACT["PROTEST"]:
        return None
    protest = Trigger(lemma=tok.lemma_.lower(), pos="VERB", type="PROTEST", mode="demo",
                      object=None, cameo=lex.cameo_root("PROTEST", "demo"),
                      confidence=AGENT_NAMED_PROTEST_CONFIDENCE)  # fmt: skip
    return protest, None


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


def _causes(trigger: Token) -> list[Token]:
    """What a harm is told as caused by: the subject of the trigger or of the clause it hangs
    from ("earthquakes struck ..., killing two"), a passive agent, a noun's "in"/"from"/"by"
    phrase ("died in floods")."""
    found = []
    if trigger.pos_ in {"VERB", "AUX"}:
        for who in (inherited_subject(trigger), agent_of(trigger)):
            if who is not None:
                found.append(who)
    for child in trigger.children:
        if child.dep_ == "prep" and child.lower_ in {"in", "from", "by", "after"}:
            found.extend(c for c in child.children if c.dep_ == "pobj")
    return found


def natural_harm(trigger: Token, lex: EventLexicon) -> bool:
    """Whether an attack word tells harm done by a natural force or an accident ("a tsunami
    killed 43", "died in floods", "earthquakes struck the island"): no event."""
    for cause in _causes(trigger):
        words = [cause, *(c for c in cause.children if c.dep_ in {"compound", "amod"})]
        # nouns only: "in police firing" (a verb, lemma "fire") is no blaze
        if any(w.pos_ in {"NOUN", "PROPN"} and lex.in_class(w.lemma_, "natural_forces")
               for w in words):  # fmt: skip
            return True
    return False


def tells_violence(sent: Span, trigger: Token, lex: EventLexicon) -> bool:
    """Whether a sentence tells violence besides its harm words: a weapon, an attack, armed
    men ("five were killed when gunmen opened fire"); needed for a harm told with no agent."""
    for tok in sent:
        if tok.i == trigger.i:
            continue
        lemma = tok.lemma_.lower()
        if lex.in_class(lemma, "harms"):
            continue
        if any(lex.in_class(lemma, name) for name in VIOLENCE_CLASSES):
            return True
    return False


def tells_protest(sent: Span, trigger: Token, lex: EventLexicon) -> bool:
    """Whether a sentence tells a crowd protesting besides its protest word: slogans, signs,
    chants ("chanted and held up signs as they marched"), the verb "protest" ("rallied to
    protest the decision")."""
    return any(tok.i != trigger.i and (lex.in_class(tok.lemma_.lower(), "protest_cues")
                                       or (tok.pos_ == "VERB" and tok.lemma_ == "protest"))
               for tok in sent)  # fmt: skip
