"""Attribution: who says so. Source, cue and content spans of reported speech.

Finds "according to X, ...", "X said (that) ...", "..., X said.", "..., said X.", "citing X",
"..., saying ...", "a poll shows that ...", transcript lines ("PENCE: ...") and denials ("X
denied that ..."), codes the source as state media, media, government, military, official,
organisation, anonymous or person, and marks the span of what the source says, so the event
stage can tell an event the article asserts from one it reports. A "Source: X" line at the top
or bottom of the text credits the whole article (``find_article_source``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from eventwire.extract.actors import ActorMentions, _np_tokens
from eventwire.knowledge import knowledge_base
from eventwire.lexicon import cues
from eventwire.model import Actor, Attribution
from eventwire.nlp import view

CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "parataxis", "conj"}


def _source_type(actor: Actor | None, head: Token) -> str:
    cue_words = cues()
    if actor is None:
        return "anonymous" if head.lemma_.lower() in cue_words.anonymous_sources else "other"
    entry = knowledge_base().lookup(actor.name or actor.text) if actor.name else None
    if entry is not None and entry.source_type:
        return entry.source_type
    if actor.sector == "JRN" or actor.kind == "media":
        official = {
            "state",
            "state-run",
            "official",
            "government",
            "state-owned",
            "state-controlled",
        }
        words = {t.lower_ for t in _np_tokens(head)}
        return "state_media" if words & official else "media"
    named = any(t.pos_ == "PROPN" for t in _np_tokens(head))
    if actor.kind == "person" and named:
        return "official" if actor.sector in {"GOV", "MIL", "IGO"} else "person"
    if not named and head.lemma_.lower() in cue_words.anonymous_sources:
        return "anonymous"
    if actor.sector == "MIL":
        return "military"
    if actor.sector in {"GOV"}:
        return "government" if actor.kind in {"state", "organization"} else "official"
    if actor.sector in {"IGO", "NGO"}:
        return "organization"
    if actor.kind == "state":
        return "government"
    return "person" if actor.kind == "person" else "other"


def _span(tokens: list[Token]) -> tuple[int, int]:
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    return start, end


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, inherited along conjunctions ("published ... and stated") and by
    a participle from its clause ("the ministry warned, adding that ...")."""
    seen = 0
    while verb is not None and seen < 5:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects:
            # "Russian state news agency Tass reported": the parser may give the title and
            # the name as two subjects; the name is the source
            named = [c for c in subjects if c.pos_ == "PROPN"]
            return (named or subjects)[-1]
        if verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ in {"advcl", "xcomp"} and verb.tag_ == "VBG" and verb.head.i != verb.i:
            # "..., saying the talks had failed": the speaker is the main clause's subject
            verb = verb.head
            seen += 1
            continue
        break
    return None


QUOTES = frozenset({'"', "'", "“", "”", "‘", "’", "''", "``"})


def _inverted_source(verb: Token) -> Token | None:
    """The speaker of a cue set after what is said, with the speaker after the verb
    ("..., stated the press service of the ministry"), which the parser may take for the
    verb's object. None when the verb has a subject of its own or follows "and"."""
    sent = verb.sent
    before = verb.i - 1
    while before > sent.start and verb.doc[before].text in QUOTES:
        before -= 1
    if before - sent.start < 3 or verb.doc[before].text != ",":
        return None
    if any(c.dep_ in {"nsubj", "nsubjpass", "cc", "ccomp", "xcomp"} for c in verb.children):
        return None
    if verb.dep_ == "conj" and any(
        c.dep_ == "cc" and c.i < verb.i for c in verb.head.children
    ):
        return None
    after = [
        c for c in verb.children
        if c.dep_ in {"dobj", "attr", "npadvmod"} and c.i > verb.i
        and c.pos_ in {"NOUN", "PROPN"}
    ]  # fmt: skip
    return after[0] if after else None


def _words(doc: Doc, tokens: list[Token]) -> str:
    """The text the tokens cover (a Span; ``Doc.text`` would rebuild the whole article)."""
    first, last = min(t.i for t in tokens), max(t.i for t in tokens)
    return doc[first : last + 1].text


def _make(
    doc: Doc, actors: ActorMentions, source: Token, cue: list[Token], content: list[Token]
) -> Attribution | None:
    if not content:
        return None
    source_tokens = _np_tokens(source)
    actor = actors.at(source)
    if actor is None:
        # "the press service of the ministry", "a spokesman for the army": the body speaks
        for prep in source.children:
            if prep.dep_ == "prep" and prep.lower_ in {"of", "for"}:
                body = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if body is not None and actors.at(body) is not None:
                    actor = actors.at(body)
                    source_tokens = [t for t in source.subtree if not t.is_punct]
                    break
    text = _words(doc, source_tokens)
    return Attribution(
        source=(actor.name if actor is not None and actor.name else text),
        source_type=_source_type(actor, source),  # type: ignore[arg-type]
        country=actor.country if actor is not None else None,
        cue=_words(doc, cue),
        span=_span(source_tokens),
        cue_span=_span(cue),
        content_span=_span(content),
    )


def _according_to(doc: Doc, actors: ActorMentions) -> list[Attribution]:
    found = []
    for tok in doc:
        if tok.lower_ not in {"according", "citing"}:
            continue
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                to = doc[tok.i + 1]
            if to is None:
                continue
            source = next((c for c in to.children if c.dep_ == "pobj"), None)
            cue = [tok, to]
        else:
            source = next((c for c in tok.children if c.dep_ == "dobj"), None)
            cue = [tok]
        if source is None:
            continue
        phrase = {t.i for t in tok.subtree}
        content = [t for t in tok.sent if t.i not in phrase and not t.is_space]
        while content and content[0].is_punct:
            content.pop(0)
        attribution = _make(doc, actors, source, cue, content)
        if attribution is not None:
            found.append(attribution)
    return found


def _reported_speech(doc: Doc, actors: ActorMentions) -> list[Attribution]:
    words = cues()
    verbs = words.reporting_verbs | words.denial_verbs | words.evidence_verbs
    found = []
    for verb in doc:
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in verbs:
            continue
        if verb.lemma_.lower() in words.evidence_verbs:
            # "a poll shows (that) ...": only a clause is what a finding says
            clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
            source = _subject(verb)
            if clause is not None and source is not None:
                attribution = _make(doc, actors, source, [verb], list(clause.subtree))
                if attribution is not None:
                    found.append(attribution)
            continue
        inverted = _inverted_source(verb)
        if inverted is not None:
            # "Tanks are moving to the border, stated the press service of the ministry."
            own = {t.i for t in verb.subtree}
            content = [t for t in verb.sent if t.i < verb.i and t.i not in own and not t.is_punct]
            attribution = _make(doc, actors, inverted, [verb], content)
            if attribution is not None:
                found.append(attribution)
            continue
        source = _subject(verb)
        if source is None:
            # "..., police said" parses with the speaker as subject; a passive report
            # ("it was reported that") has no source to record.
            continue
        clauses = [c for c in verb.children if c.dep_ in {"ccomp", "xcomp", "dobj"}]
        content: list[Token] = []
        if clauses:
            # "said (that) ...", "reported the attack": the clause or object is the content
            for clause in clauses:
                content.extend(clause.subtree)
        elif verb.dep_ in {"parataxis", "ccomp"} or any(
            c.dep_ == "ccomp" for c in verb.head.children if c.i != verb.i
        ):
            # "..., the ministry said." — the rest of the sentence is the content
            own = {t.i for t in verb.subtree}
            content = [t for t in verb.sent if t.i not in own and not t.is_punct]
        if not content:
            continue
        cue = [verb]
        attribution = _make(doc, actors, source, cue, sorted(set(content), key=lambda t: t.i))
        if attribution is not None:
            found.append(attribution)
    return found


# How many lines from the top or the bottom of a text a "Source:" credit may stand.
SOURCE_LINE_EDGE = 3
PICTURE_WORDS = frozenset(
    {"image", "images", "photo", "photos", "picture", "pictures", "graphic", "chart", "map",
     "video", "getty", "shutterstock", "alamy", "data"}
)  # fmt: skip
# A line of its own that credits the whole story: "Source: RIA Novosti", "Sources: agencies".
_SOURCE_LINE = re.compile(r"^[ \t]*(?P<cue>sources?)[ \t]*:[ \t]*(?P<name>[^\n]{2,80}?)[ \t.]*$",
                          re.IGNORECASE | re.MULTILINE)  # fmt: skip


def find_article_source(doc: Doc, actors: ActorMentions) -> Attribution | None:
    """The source a "Source: X" line credits the article to; its content is the whole text.
    What the article tells without a source of its own in the sentence is reported by X."""
    text = view(doc).text
    lines = [m.start() for m in re.finditer(r"^[ \t]*\S", text, re.MULTILINE)]
    # a credit heads or closes the story; a "Source:" line in the middle is a chart's or a
    # picture's caption ("Source: Eurostat")
    edges = set(lines[:SOURCE_LINE_EDGE] + lines[-SOURCE_LINE_EDGE:])
    for found in _SOURCE_LINE.finditer(text):
        if found.start() not in edges:
            continue
        name_start, name_end = found.span("name")
        words = doc.char_span(name_start, name_end, alignment_mode="expand")
        if words is None or not any(t.is_alpha and t.text[:1].isupper() for t in words):
            continue
        if any(t.lower_ in PICTURE_WORDS for t in words):
            continue  # "Source: Getty Images": a picture's credit
        if any(t.ent_type_ == "PERSON" for t in words):
            continue  # "Source: John Smith": a writer's or a photographer's credit
        actor = next((actors.at(t) for t in words if actors.at(t) is not None), None)
        if actor is not None and actor.kind not in {"media", None} and actor.sector != "JRN":
            continue  # "Source: World Bank": the data of a chart, not a reporter
        source = actor.name if actor is not None and actor.name else found.group("name")
        return Attribution(
            source=source,
            source_type=_source_type(actor, words.root),  # type: ignore[arg-type]
            country=actor.country if actor is not None else None,
            cue=found.group("cue") + ":",
            span=(name_start, name_end),
            cue_span=found.span("cue"),
            content_span=(0, len(text)),
        )
    return None


# "PENCE: Well, look, ..." in a transcript, "Minister: talks will resume" in a headline.
_SPEAKER_LINE = re.compile(
    r"^[ \t\"\u201c]*(?P<name>[^\W\d][^:\n]{0,40}?)[ \t]*(?P<cue>:)[ \t]+(?P<content>\S[^\n]*)$",
    re.MULTILINE,
)
_NOT_SPEAKERS = frozenset(
    {"source", "sources", "photo", "photos", "update", "updated", "note", "editor's note",
     "watch", "read more", "related", "video", "image", "credit", "breaking", "see also",
     "q", "a", "question", "answer", "live", "opinion", "analysis", "exclusive"}
)  # fmt: skip


def _speaker_lines(doc: Doc, actors: ActorMentions) -> list[Attribution]:
    """Lines that open with a speaker and a colon. The speaker must be an actor the text
    names, or a transcript's capitals for a person named elsewhere ("PENCE" for Mike Pence)."""
    surnames = {
        a.name.split()[-1].upper() for a in actors.mentions if a.kind == "person" and a.name
    }
    found = []
    for line in _SPEAKER_LINE.finditer(view(doc).text):
        name = line.group("name").strip()
        if name.lower() in _NOT_SPEAKERS or len(name.split()) > 5:
            continue
        words = doc.char_span(*line.span("name"), alignment_mode="expand")
        cue = doc.char_span(*line.span("cue"), alignment_mode="expand")
        content = doc.char_span(*line.span("content"), alignment_mode="expand")
        if words is None or cue is None or content is None:
            continue
        actor = actors.at(words[-1])
        named = actor is not None and actor.span is not None and (
            actor.span[0] <= words.start_char and words.end_char <= actor.span[1]
        )
        if not named and not (name.isupper() and name in surnames):
            continue
        attribution = _make(doc, actors, words[-1], list(cue), list(content))
        if attribution is not None:
            found.append(attribution)
    return found


def find_attributions(doc: Doc, actors: ActorMentions) -> list[Attribution]:
    """Every attribution in the text, in text order."""
    found = _according_to(doc, actors) + _reported_speech(doc, actors) + _speaker_lines(doc, actors)
    found.sort(key=lambda a: a.span or (0, 0))
    return found


def attribution_for(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    """The innermost attribution whose content holds the span [start, end)."""
    best: Attribution | None = None
    for attribution in attributions:
        span = attribution.content_span
        if span is None or not (span[0] <= start and end <= span[1]):
            continue
        if best is None or (span[1] - span[0]) < (best.content_span[1] - best.content_span[0]):  # type: ignore[index]
            best = attribution
    return best
