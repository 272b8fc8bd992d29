"""What the event stage reads for one article: the parsed document, what the earlier stages
found in it (actors, attributions, places, dates, quantities, where it is set), and the
lexicon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from eventwire.extract.actors import ActorMentions
from eventwire.extract.setting import Setting
from eventwire.lexicon import EventLexicon
from eventwire.model import Attribution, DateRef, Place, Quantity


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
    setting: Setting
