"""The shape of the sentence around a trigger: passives, conjuncts, objects, subjects, agents,
and the character extents of a trigger's clause and scope. Shared by the other parts of the
event stage; every function reads the spaCy parse only.
"""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.extract.events.location import clause_root

OBJECT_PREPS = {"with", "of", "on", "for", "about", "over"}


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)


def with_conjuncts(tok: Token) -> list[Token]:
    return [tok, *tok.conjuncts]


def pobjs(prep: Token) -> list[Token]:
    found = []
    for child in prep.children:
        if child.dep_ == "pobj":
            found.extend(with_conjuncts(child))
        elif child.dep_ == "prep":  # "pulled out of the deal": "of" hangs under "out"
            found.extend(pobjs(child))
    return found


def objects(tok: Token, particle: str | None = None) -> list[Token]:
    """Candidate objects of a trigger: what the object constraint is checked against."""
    found: list[Token] = []
    for child in tok.children:
        if child.dep_ in {"dobj", "nsubjpass", "attr", "oprd", "dative"}:
            found.extend(with_conjuncts(child))
        elif child.dep_ in {"prep", "prt"} and (
            child.lower_ in OBJECT_PREPS | {"to", "against"} or child.lower_ == particle
        ):
            found.extend(pobjs(child))
        elif child.dep_ in {"compound", "amod"} and tok.pos_ in {"NOUN", "PROPN"}:
            found.append(child)
        elif child.dep_ == "xcomp" and not any(c.dep_ == "dobj" for c in tok.children):
            # "agreed to supply weapons": the object of the complement
            found.extend(c for c in child.children if c.dep_ == "dobj")
    if tok.dep_ in {"amod", "compound"}:
        found.append(tok.head)
    if (
        tok.dep_ == "conj"
        and is_passive(tok)
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in tok.children)
    ):
        # "no agreement has or will be signed": the shared subject is what is signed
        found.extend(c for c in tok.head.children if c.dep_ in {"nsubj", "nsubjpass"})
    for obj in list(found):
        for child in obj.children:
            # "a set of bulletproof protection", "tons of food aid": the "of" phrase
            if child.dep_ == "prep" and child.lower_ == "of":
                found.extend(pobjs(child))
            if child.dep_ in {"appos", "conj", "compound"}:
                found.append(child)
    return found


def particles(tok: Token) -> set[str]:
    """Children that complete a trigger: "call for", "crack down", "hunger strike"."""
    deps = {"prt", "prep", "advmod", "npadvmod"}
    if tok.pos_ in {"NOUN", "PROPN"}:
        deps |= {"compound", "amod", "nmod"}
    return {c.lower_ for c in tok.children if c.dep_ in deps} | {
        c.lemma_.lower() for c in tok.children if c.dep_ in deps
    }


def inherited_subject(verb: Token, depth: int = 0) -> Token | None:
    """The subject of a verb, or of the clause it hangs from ("volunteered to send", "spoke
    of more cooperation after visiting", "met ... and examined")."""
    if depth > 8:
        return None
    for child in verb.children:
        if child.dep_ in {"nsubj", "csubj"} and verb.pos_ in {"VERB", "AUX"}:
            return child
    if verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN"} and not is_passive(verb):
        return verb.head  # "the governor who gave ...": the noun the clause describes
    if verb.dep_ in {"relcl", "acl", "ccomp", "ROOT", "nsubj", "nsubjpass", "csubj"}:
        return None
    if verb.dep_ == "xcomp":
        passive_subject = next((c for c in verb.head.children if c.dep_ == "nsubjpass"), None)
        if passive_subject is not None:
            return passive_subject  # "Pyongyang is thought to covet ..."
    return inherited_subject(verb.head, depth + 1)


def agent_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def from_phrase(root: Token) -> Token | None:
    """'as gifts from a regional governor': the giver in a passive transfer."""
    for tok in root.subtree:
        if tok.dep_ == "prep" and tok.lower_ == "from":
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def phrase_tokens(obj: Token) -> set[int]:
    """The tokens of an object phrase, less the relative clauses in it, which tell events of
    their own ("the leaders, with whom he held talks")."""
    inner = {t.i for t in obj.subtree}
    for tok in obj.subtree:
        if tok.dep_ == "relcl":
            inner -= {t.i for t in tok.subtree}
    return inner


def inside_noun_phrase(tok: Token) -> bool:
    """A noun inside another noun's phrase ("the toll from the fighting")."""
    return (
        tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in {"NOUN", "PROPN"}
    )


def clause_span(trigger: Token) -> tuple[int, int]:
    """Characters of the clause a trigger heads or sits in (its subtree, embedded clauses
    included)."""
    root = clause_root(trigger)
    first, last = root.left_edge, root.right_edge
    return first.idx, last.idx + len(last.text)


def scope_span(trigger: Token, obj: Token | None) -> tuple[int, int]:
    root = obj if obj is not None else trigger
    first, last = root.left_edge, root.right_edge
    return first.idx, last.idx + len(last.text)
