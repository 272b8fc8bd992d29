"""Where an event happened: the one place, among those a sentence names, that is the scene of
the event and not of something else the sentence mentions.

In order:
1. a locative phrase of the trigger itself ("met in Vladivostok", "talks in Doha");
2. for meetings and visits, the place a travel verb governing the trigger goes to or leaves
   ("travelled to Doha for talks", "left Russia, ending a visit"), or the place visited
   ("visited Beijing");
3. for attacks and seizures, the place attacked ("shelled Kharkiv");
4. a locative phrase anywhere in the trigger's own clause, less the clauses embedded in it,
   which tell other things ("the agreement to end the war in Gaza": the war is in Gaza,
   not the signing).

A country named as "Tunisia's capital" or "the capital of Tunisia" stands for its capital.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from eventwire.extract.places import lookup_place
from eventwire.knowledge import knowledge_base
from eventwire.model import Place
from eventwire.nlp import view

PLACE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "along", "off", "through", "throughout"}
)
# Verbs of coming and going: their destination or origin is where a meeting or visit is held.
TRAVEL_VERBS = frozenset(
    {"arrive", "come", "depart", "fly", "go", "head", "leave", "reach", "return", "travel",
     "tour", "visit", "land", "journey"}
)  # fmt: skip
TRAVEL_PREPS = frozenset({"to", "in", "at", "into"})
# Returning *from* a place ends a stay there; leaving *for* one starts the next.
ORIGIN_VERBS = frozenset({"return", "come"})
DEPARTURE_VERBS = frozenset({"leave", "depart", "head"})
# "struck the city of Kharkiv": a common noun for a settlement or area, named inside
PLACE_NOUNS = frozenset(
    {"city", "town", "village", "capital", "port", "region", "province", "district", "area",
     "island", "enclave", "territory", "country", "state"}
)  # fmt: skip
# Events whose target, named as the verb's object, is where they happen ("shelled Kharkiv").
TARGET_TYPES = frozenset({"ASSAULT", "COERCE"})
# Verbs of a scene rather than an act ("the signing took place on the sidelines of ...").
VENUE_VERBS = frozenset({"take", "hold", "happen", "occur", "convene", "unfold"})

_OTHER_CLAUSE_DEPS = {"advcl", "relcl", "parataxis", "acl"}
# Adverbial clauses that set the scene of the main clause rather than tell another event.
_SAME_SCENE_MARKS = {"as", "when", "after", "before", "upon", "once", "since"}


def within(span: tuple[int, int] | None, root: Token) -> bool:
    """Whether a character span lies inside a token's subtree."""
    if span is None:
        return False
    tokens = list(root.subtree)
    return tokens[0].idx <= span[0] and span[1] <= tokens[-1].idx + len(tokens[-1].text)


def clause_root(trigger: Token) -> Token:
    return trigger if trigger.pos_ in {"VERB", "AUX"} else trigger.head


def own_clause(trigger: Token) -> set[int]:
    """Token indices of the trigger's clause, less the clauses embedded or joined in it."""
    root = clause_root(trigger)
    inner = {t.i for t in root.subtree}
    for tok in root.subtree:
        if tok.i != root.i and tok.dep_ in _OTHER_CLAUSE_DEPS and tok.pos_ in {"VERB", "AUX"}:
            marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
            if tok.dep_ == "advcl" and marks & _SAME_SCENE_MARKS:
                continue  # "met ... as the two arrived at the cosmodrome": one scene
            inner -= {t.i for t in tok.subtree}
    return inner


def _governing_verbs(trigger: Token, limit: int = 2) -> Iterator[Token]:
    """The trigger if it is a verb, then up to ``limit`` verbs above it."""
    if trigger.pos_ in {"VERB", "AUX"}:
        yield trigger
    tok, found = trigger, 0
    while tok.head.i != tok.i and found < limit:
        tok = tok.head
        if tok.pos_ in {"VERB", "AUX"}:
            found += 1
            yield tok


def _place_in(places: list[Place], root: Token) -> Place | None:
    return next((p for p in places if within(p.span, root)), None)


def _place_in_preps(head: Token, places: list[Place], preps: Iterable[str]) -> Place | None:
    """The first place inside one of a word's prepositional phrases headed by ``preps``."""
    wanted = set(preps)
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in wanted:
            found = _place_in(places, child)
            if found is not None:
                return found
    return None


def _object_place(verb: Token, places: list[Place]) -> Place | None:
    for child in verb.children:
        if child.dep_ == "dobj":
            place = _place_in(places, child)
            if place is not None and (
                child.pos_ == "PROPN" or child.lemma_.lower() in PLACE_NOUNS
            ):
                return place
    return None


def _travel_place(trigger: Token, places: list[Place]) -> Place | None:
    for verb in _governing_verbs(trigger):
        if verb.lemma_.lower() not in TRAVEL_VERBS:
            continue
        found = _object_place(verb, places)
        if found is not None:
            return found
        lemma = verb.lemma_.lower()
        preps = set(TRAVEL_PREPS)
        if lemma in ORIGIN_VERBS:
            preps.add("from")
        if lemma in DEPARTURE_VERBS:
            preps.add("for")
        found = _place_in_preps(verb, places, preps)
        if found is not None:
            return found
    return None


def event_location(
    trigger: Token, sent: Span, places: list[Place], event_type: str
) -> Place | None:
    """The place where the event a trigger tells happened, or None when the sentence does
    not say. "Tunisia's capital" is the capital city, not the country."""
    found = _event_place(trigger, sent, places, event_type)
    return capital_named(found, view(trigger.doc).text) if found is not None else None


def _event_place(
    trigger: Token, sent: Span, places: list[Place], event_type: str
) -> Place | None:
    places = [p for p in places if p.span and sent.start_char <= p.span[0] < sent.end_char]
    if not places:
        return None
    anchors = [trigger]
    if trigger.pos_ == "NOUN" and trigger.head.i != trigger.i:
        anchors.append(trigger.head)
    for anchor in anchors:
        found = _place_in_preps(anchor, places, PLACE_PREPS)
        if found is not None:
            return found
    if event_type == "CONSULT":
        found = _travel_place(trigger, places)
        if found is not None:
            return found
    if event_type in TARGET_TYPES and trigger.pos_ in {"VERB", "AUX"}:
        found = _object_place(trigger, places)
        if found is not None:
            return found
    return clause_place(trigger, places)


def clause_place(trigger: Token, places: list[Place]) -> Place | None:
    """A place in a locative phrase of the trigger's own clause; a place named in another
    clause of the sentence ("..., while talks went on in Geneva") is where that other thing
    happened."""
    own = own_clause(trigger)
    doc = trigger.doc
    for place in places:
        if place.span is None:
            continue
        words = doc.char_span(place.span[0], place.span[1], alignment_mode="expand")
        if words is None or words.root.i not in own:
            continue
        head = words.root
        if head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPS:
            return place
    return None


def venue(verb: Token, places: list[Place]) -> Place | None:
    """The place a clause about an event's scene names: "was held in Doha", "took place on
    the sidelines of the summit in Sharm el-Sheikh"."""
    preps = PLACE_PREPS | ({"on"} if verb.lemma_.lower() in VENUE_VERBS else set())
    return _place_in_preps(verb, places, preps)


_CAPITAL_AFTER = re.compile(r"^(?:'s|’s)\s+capital\b")
_CAPITAL_BEFORE = re.compile(r"\bthe\s+capital\s+of\s+$", re.IGNORECASE)


def capital_named(place: Place, text: str) -> Place:
    """ "Tunisia's capital", "the capital of Tunisia": the capital city, with the span of
    the whole phrase, rather than the country; any other place as it is."""
    if place.feature != "country" or place.country is None or place.span is None:
        return place
    start, end = place.span
    after = _CAPITAL_AFTER.match(text[end : end + 20])
    before = _CAPITAL_BEFORE.search(text[max(0, start - 20) : start])
    if after is None and before is None:
        return place
    capital = knowledge_base().capital(place.country)
    city = lookup_place(capital, [place.country]) if capital else None
    if city is None or city.country != place.country:
        return place
    if after is not None:
        end += after.end()
    else:
        start -= len(before.group(0))  # type: ignore[union-attr]
    return city.model_copy(update={"text": text[start:end], "span": (start, end)})
