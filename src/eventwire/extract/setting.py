"""Where an article is set: its dateline place and the country it is about.

News names the place it reports from in a dateline ("PESHAWAR:", "DAKAR, Senegal (AP) —",
"Srinagar, May 27 (IANS)", "new delhi:") and then often names its actors only as police,
militants or protesters. The setting is what such an actor's country falls back on, and what
an event with no place of its own may be placed at (recorded as such: ``country_basis`` and
``location`` say where a value came from).

* ``dateline``: a place that opens one of the first paragraphs (or a bar-separated field of a
  header line) and is followed by a colon, a dash, a bar or an agency credit, with at most a
  date or a country between; one in capitals or in lower case ("LAHORE:", "new delhi:"),
  which the entity recogniser misses, is looked up in the gazetteer;
* ``country``: the dateline's country, else the country the article's places name most, when
  it is named at least twice and more often than any other; else none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from eventwire.extract.places import lookup_place
from eventwire.model import Place
from eventwire.nlp import view

# What may stand between a dateline's place and its end: ", Senegal", ", Sept. 30", ", May 27".
_BETWEEN = r"(?:,\s*[^\n:—–|]{1,40}?)?"
# How a dateline ends: a colon, a dash, a bar ("Oslo, 4 June 2024 | No. 061/24"), or an agency
# credit in brackets.
_END = re.compile(_BETWEEN + r"\s*(?::|—|–|--|-\s|\||\((?:[A-Z][A-Za-z.&]*\s?){1,4}\))")
# Where a dateline may begin besides a paragraph's start: after a bar in a header line
# ("Press release | Oslo, 4 June 2024").
_FIELD_START = re.compile(r"\|\s*")
# A dateline is at most this far into its paragraph.
_DATELINE_START = 3
# What a dateline read without the entity recogniser may name: a town or a region.
_DATELINE_FEATURES = frozenset({"city", "region", "site"})


@dataclass(frozen=True)
class Setting:
    dateline: Place | None = None
    country: str | None = None
    basis: str | None = None  # "dateline" or "mentions"


def _paragraph_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer(r"\n\s*\n", text):
        starts.append(match.end())
    return starts


def find_dateline(text: str, places: list[Place]) -> Place | None:
    """The place a dateline names, if a paragraph of the first few opens with one (or one
    of the bar-separated fields of a header line does)."""
    starts = _paragraph_starts(text)[:4]
    first_lines = text[: starts[-1] + 200] if starts else ""
    starts += [m.end() for m in _FIELD_START.finditer(first_lines)]
    for start in sorted(starts):
        for place in places:
            if place.span is None or place.country is None:
                continue
            begin, end = place.span
            if not start <= begin <= start + _DATELINE_START:
                continue
            if _END.match(text, end):
                return place
    return None


# A dateline the entity recogniser cannot read: all capitals ("LAHORE:", "BAGHDAD, Sept. 30
# --") or all lower case ("new delhi:", as some archives store news).
_UNCASED_DATELINE = re.compile(
    r"(?P<name>[A-Z][A-Z.'\- ]{1,30}[A-Z]|[a-z][a-z.'\- ]{1,30}[a-z])"
    r"(?=" + _END.pattern + ")"
)


def _uncased_dateline(text: str) -> Place | None:
    """A dateline in capitals or in lower case at a paragraph's start, resolved alone (a
    place the gazetteer does not know, or a common word, is none)."""
    for start in _paragraph_starts(text)[:4]:
        match = _UNCASED_DATELINE.match(text, start)
        if match is None:
            continue
        name = match.group("name")
        place = lookup_place(name.title())
        if place is None or place.country is None or place.feature not in _DATELINE_FEATURES:
            continue
        span = (match.start("name"), match.end("name"))
        return place.model_copy(update={"text": name, "span": span})
    return None


def find_setting(doc: Doc, places: list[Place]) -> Setting:
    """The article's dateline and the country it is about (see the module doc)."""
    text = view(doc).text
    dateline = find_dateline(text, places) or _uncased_dateline(text)
    if dateline is not None:
        return Setting(dateline, dateline.country, "dateline")
    counts = Counter(p.country for p in places if p.country and p.country != "IGO")
    if not counts:
        return Setting()
    ranked = counts.most_common(2)
    top, n = ranked[0]
    if n >= 2 and (len(ranked) == 1 or n > ranked[1][1]):
        return Setting(None, top, "mentions")
    return Setting()
