"""What the article says about an event's reality: asserted, reported, denied, speculated or
planned, and whether the clause negates it.

The status comes from the words that govern the trigger: a denial ("denied that ..."), a fear
or suspicion ("feared", "may", "whether"), a plan or promise ("plans to", "will", a purpose
clause), or nothing, in which case the article asserts it (or reports it when a source is
named: see ``build``). A pledge, vow or offer by the actor is itself the event and recodes what
is pledged to its future reading (``commitment_reading``: a pledge of aid is AGREE).
"""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.lexicon import Cues, EventLexicon, Trigger

# Clause links along which a governing word still governs the trigger.
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
STATUS_RANK = {"denied": 4, "speculated": 3, "planned": 2, "reported": 1, "asserted": 0}
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


def negated(trigger: Token, cues: Cues, obj: Token | None = None) -> bool:
    """Whether the clause says the event did not happen ("did not impose", "no agreement
    was signed", "without warning")."""
    negators = cues.negators
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

def governing_status(trigger: Token, cues: Cues) -> str | None:
    """Denied / speculated / planned from the words that govern the trigger."""
    words = cues
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

def commitment_reading(
    trigger_tok: Token, trigger: Trigger, obj: Token | None, lex: EventLexicon
) -> tuple[str, str | None, Token | None]:
    """Type and mode, after the actor's own commitment and the modifiers' mode; and the
    verb by which the actor committed itself ("pledged to send aid" is AGREE), if any."""
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

def has_modal(trigger: Token, words: frozenset[str]) -> bool:
    """Whether an auxiliary of the trigger is one of ``words`` ("will", "must", ...)."""
    return any(c.dep_ in {"aux", "auxpass"} and c.lower_ in words for c in trigger.children)
