"""The actor knowledge base: countries, state bodies, organizations, media, people and roles.

The knowledge lives in versioned data files in ``eventwire/data/`` (``countries.csv``,
``institutions.yaml``, ``organizations.yaml``, ``media.yaml``, ``people.yaml``, ``roles.yaml``,
``ambiguous.yaml``), each with a comment header that documents its format. Users extend or
correct it without touching code: every ``*.csv`` / ``*.yaml`` file of the same formats in the
directories named by ``$EVENTWIRE_DATA`` (``os.pathsep``-separated) is read after the built-in
files, and a later entry with the same name (same iso3 for countries, same lemma for roles)
replaces the earlier one.

``knowledge_base()`` loads everything once per process and answers the actor stage's questions:
what a name refers to (``lookup``), which country a demonym or place name points at, which sector
a role noun codes. ``entity_patterns()`` turns the same lexicon into spaCy entity-ruler patterns.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import importlib
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_ENV = "EVENTWIRE_DATA"
CACHE_ENV = "EVENTWIRE_CACHE"  # directory for parsed-YAML caches; "off" disables them
_CACHE_FORMAT = "1"
BUILTIN_FILES = (
    "countries.csv",
    "institutions.yaml",
    "organizations.yaml",
    "media.yaml",
    "people.yaml",
    "roles.yaml",
    "ambiguous.yaml",
)
COUNTRY_COLUMNS = ("iso3", "name", "aliases", "adjectives", "capital")

KINDS = frozenset({"person", "state", "organization", "group", "media"})
ROLE_KINDS = frozenset({"person", "group", "organization"})
LABELS = frozenset({"PERSON", "GPE", "NORP", "ORG", "FAC", "LOC"})
SHIELD_LABELS = LABELS | {"EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
SOURCE_TYPES = frozenset(
    {"state_media", "media", "government", "military", "official", "organization", "person",
     "other"}
)
GROUP_SECTORS = frozenset({"REB", "PRM", "CRM", "UAF"})
STATE_SECTORS = frozenset({"GOV", "LEG", "JUD", "COP", "SPY", "PRE"})
OFFICIAL_SECTORS = STATE_SECTORS | {"IGO"}

_CODE = re.compile(r"^[A-Z]{3}$")
_VERSION = re.compile(r"^#\s*version:\s*(\S+)", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Letters NFKD does not decompose into a base letter plus a mark.
_FOLD_LETTERS = str.maketrans(
    {"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
     "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ʻ": "'", "ð": "d", "þ": "th"}
)
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")
_DETERMINERS = frozenset(
    {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those",
     "some", "several", "many", "two", "three", "four", "five", "other", "another", "senior",
     "top", "unnamed", "unidentified", "anonymous"}
)
_PREPOSITIONS = (" of ", " for ", " to ", " in ", " at ", " from ", " with ", " on ")
_IRREGULAR_SINGULARS = {
    "men": "man", "women": "woman", "people": "person", "children": "child", "police": "police",
    "staff": "staff", "personnel": "personnel", "media": "media", "press": "press",
    "series": "series", "headquarters": "headquarters", "clergy": "clergy",
}

_NAME, _ALIAS, _CAPITAL = 3, 2, 1


class KnowledgeError(ValueError):
    """A data file does not follow its documented format."""


@dataclass(frozen=True)
class Entry:
    """What a name refers to, coded for PLOVER."""

    name: str  # canonical name, e.g. "Kim Jong Un", "Russia", "TASS", "Kremlin"
    country: str | None  # ISO alpha-3, "IGO" / "IMG" for international bodies and groups
    sector: str | None  # GOV, MIL, JRN, IGO, REB, ...; None for a bare state (a country name)
    kind: str  # "person" | "state" | "organization" | "group" | "media"
    source_type: str | None  # state_media | media | government | military | official | ...
    label: str  # spaCy entity label for the ruler: PERSON | GPE | NORP | ORG | FAC | LOC
    title: str | None = None  # people: the position they are known for ("foreign minister")
    start: int | None = None  # people: first year in that position
    end: int | None = None  # people: last year in that position (None: still in office)


@dataclass(frozen=True)
class Role:
    lemma: str
    sector: str
    kind: str


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    aliases: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]  # seat of government first, then other spellings
    sovereign: str | None  # controlling state of a dependency or disputed territory


# --- normalisation -----------------------------------------------------------------------


def _tidy(text: str) -> str:
    """Straight apostrophes, single spaces, no surrounding blanks or list punctuation."""
    return " ".join(text.translate(_APOSTROPHES).split()).strip(",;:")


def _ascii(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    """The case-, accent-, hyphen- and dot-insensitive key of a name."""
    return " ".join(_ascii(_tidy(text)).lower().replace("-", " ").replace(".", " ").split())


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _strip_article(text: str) -> str:
    return _ARTICLE.sub("", text, count=1)


def _strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text)


def _singular(word: str) -> str:
    if word in _IRREGULAR_SINGULARS:
        return _IRREGULAR_SINGULARS[word]
    if len(word) > 4 and word.endswith("men"):
        return word[:-3] + "man"
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _singular_phrase(phrase: str) -> str:
    """Singular of a role phrase: the last word, or the head before "of" ("ministers of ...")."""
    head, sep, tail = phrase.partition(" of ")
    if sep:
        words = head.split()
        return " ".join([*words[:-1], _singular(words[-1])]) + sep + tail if words else phrase
    words = phrase.split()
    return " ".join([*words[:-1], _singular(words[-1])]) if words else phrase


def _role_key(phrase: str) -> str:
    words = _tidy(phrase).lower().strip(".").split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def _variants(form: str) -> list[str]:
    """The written form plus its accent-free and curly-apostrophe spellings."""
    out = [form]
    plain = _ascii(form)
    if plain != form:
        out.append(plain)
    for f in list(out):
        if "'" in f:
            out.append(f.replace("'", "\u2019"))
    return out


# --- the knowledge base ------------------------------------------------------------------


class KnowledgeBase:
    """Lexicon lookups for actor coding. Build it with ``knowledge_base()``."""

    def __init__(self) -> None:
        self._countries: dict[str, Country] = {}
        self._records: dict[str, tuple[str, Entry, tuple[str, ...]]] = {}
        self._roles: dict[str, tuple[Role, tuple[str, ...]]] = {}
        self.no_pattern: set[str] = set()
        self.no_state: set[str] = set()
        self.shields: list[tuple[str, str]] = []
        self.versions: dict[str, str] = {}
        # Filled by _index():
        self._exact: dict[str, tuple[int, Entry]] = {}
        self._folded: dict[str, tuple[int, Entry]] = {}
        self._adj_exact: dict[str, str] = {}
        self._adj_folded: dict[str, str] = {}
        self._role_index: dict[str, Role] = {}
        self.collisions: list[tuple[str, str, str]] = []

    # -- public lookups --

    def lookup(self, text: str) -> Entry | None:
        """The entry a name, alias or capital refers to, or None.

        Tolerates a leading "the", a possessive "'s", curly apostrophes, and case for names of
        more than 4 letters (acronyms stay case-sensitive: "US" is the United States, "us" is
        not). A person's name preceded by titles or roles ("Foreign Minister Sergei Lavrov",
        "Mr. Putin") resolves to the person.
        """
        text = _strip_possessive(_tidy(text))
        if not text:
            return None
        hit = self._find(text)
        if hit is None:
            bare = _strip_article(text)
            if bare != text:
                hit = self._find(bare)
        if hit is not None:
            return hit
        words = _strip_article(text).split()
        for i in range(1, min(len(words), 6)):
            rest = self._find(" ".join(words[i:]))
            if rest is not None and rest.kind == "person":
                return rest
        return None

    def country_of_adjective(self, text: str) -> str | None:
        """ISO alpha-3 code of a demonym or adjective: "North Korean" -> "PRK"."""
        text = _strip_possessive(_tidy(text))
        iso = self._adj_exact.get(text)
        if iso is None and _letters(text) > 4:
            iso = self._adj_folded.get(_fold(text))
        return iso

    def country_of_name(self, text: str) -> str | None:
        """ISO alpha-3 code of a country name, alias or capital: "Pyongyang" -> "PRK"."""
        entry = self.lookup(text)
        if entry is not None and entry.kind == "state":
            return entry.country
        return None

    def role(self, phrase: str) -> Role | None:
        """The role a role noun or phrase names: "defense minister", "governors", "troops".

        The whole phrase must be a role, as written or with its head noun made singular
        ("spokesmen", "ministers of defence"); leading determiners are ignored ("the foreign
        ministry"). ``role_in`` finds a role inside a longer phrase.
        """
        key = _role_key(phrase)
        return self._role_of(key) if key else None

    def role_in(self, phrase: str) -> Role | None:
        """The role a longer noun phrase ends in or is headed by.

        "Russia's defense minister" -> defense minister, "Israeli troops" -> troops,
        "spokeswoman for the ministry" -> spokesperson: the whole phrase first, then the words
        before a preposition, then ever shorter endings (the head comes last in English).
        """
        key = _role_key(phrase)
        if not key:
            return None
        hit = self._role_of(key)
        if hit is not None:
            return hit
        padded = f" {key} "
        for prep in _PREPOSITIONS:
            if prep in padded:
                head = padded.split(prep, 1)[0].strip()
                return self._role_suffix(head) if head else None
        return self._role_suffix(key)

    def country_name(self, iso3: str) -> str | None:
        country = self._countries.get(iso3)
        return country.name if country else None

    def capital(self, iso3: str) -> str | None:
        country = self._countries.get(iso3)
        return country.capitals[0] if country and country.capitals else None

    def sovereign(self, iso3: str) -> str | None:
        """The controlling state of a dependency ("PRI" -> "USA"), else None."""
        country = self._countries.get(iso3)
        return country.sovereign if country else None

    def country(self, iso3: str) -> Country | None:
        return self._countries.get(iso3)

    def countries(self) -> list[Country]:
        return list(self._countries.values())

    def entries(self) -> Iterator[Entry]:
        """Every named entry (countries as bare states, then the lexicon files' entries)."""
        for country in self._countries.values():
            yield _state_entry(country, government=False)
        for _, entry, _ in self._records.values():
            yield entry

    def roles(self) -> list[Role]:
        return [role for role, _ in self._roles.values()]

    # -- internals --

    def _find(self, text: str) -> Entry | None:
        hit = self._exact.get(text)
        if hit is None and _letters(text) > 4:
            hit = self._folded.get(_fold(text))
        return hit[1] if hit else None

    def _role_of(self, key: str) -> Role | None:
        return self._role_index.get(key) or self._role_index.get(_singular_phrase(key))

    def _role_suffix(self, key: str) -> Role | None:
        words = key.split()
        for i in range(len(words)):
            hit = self._role_of(" ".join(words[i:]))
            if hit is not None:
                return hit
        return None

    def _add(self, form: str, priority: int, entry: Entry, skip: set[str] | None = None) -> None:
        for variant in _variants(form):
            if skip and variant in skip:
                continue
            for index, key in ((self._exact, variant), (self._folded, _fold(variant))):
                old = index.get(key)
                if old is None or priority >= old[0]:
                    if old is not None and priority == old[0] and old[1].name != entry.name:
                        if index is self._exact:
                            self.collisions.append((key, old[1].name, entry.name))
                    index[key] = (priority, entry)

    def _index(self) -> None:
        for country in self._countries.values():
            state = _state_entry(country, government=False)
            self._add(country.name, _NAME, state)
            for alias in country.aliases:
                self._add(alias, _ALIAS, state)
            government = _state_entry(country, government=True)
            for capital in country.capitals:
                if capital not in self.no_state:
                    self._add(capital, _CAPITAL, government, skip=self.no_state)
            for adjective in country.adjectives:
                for variant in _variants(adjective):
                    self._adj_exact.setdefault(variant, country.iso3)
                    self._adj_folded.setdefault(_fold(variant), country.iso3)
        for _, entry, aliases in self._records.values():
            self._add(entry.name, _NAME, entry)
            for alias in aliases:
                self._add(alias, _ALIAS, entry)
        for role, forms in self._roles.values():
            for form in (role.lemma, *forms):
                self._role_index[_role_key(form)] = role


def _state_entry(country: Country, government: bool) -> Entry:
    return Entry(
        name=country.name,
        country=country.iso3,
        sector="GOV" if government else None,
        kind="state",
        source_type="government" if government else None,
        label="GPE",
    )


# --- loading ---------------------------------------------------------------------------


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p for p in (_tidy(x) for x in (cell or "").split("|")) if p)


def _version(lines: Iterable[str]) -> str | None:
    for line in lines:
        if not line.startswith("#"):
            break
        m = _VERSION.match(line)
        if m:
            return m.group(1)
    return None


def _load_countries(kb: KnowledgeBase, path: Path, text: str) -> bool:
    rows = csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    header = [h.strip() for h in next(rows, [])]
    if tuple(header[: len(COUNTRY_COLUMNS)]) != COUNTRY_COLUMNS:
        return False
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row, strict=False))
        iso3 = (cells.get("iso3") or "").strip()
        name = _tidy(cells.get("name") or "")
        sovereign = (cells.get("sovereign") or "").strip() or None
        if not _CODE.match(iso3) or not name or (sovereign and not _CODE.match(sovereign)):
            raise KnowledgeError(f"{path}: row {n}: needs an alpha-3 iso3 code and a name")
        kb._countries[iso3] = Country(
            iso3=iso3,
            name=name,
            aliases=_split(cells.get("aliases")),
            adjectives=_split(cells.get("adjectives")),
            capitals=_split(cells.get("capital")),
            sovereign=sovereign,
        )
    return True


def _require(item: Any, path: Path, section: str, n: int, *keys: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise KnowledgeError(f"{path}: {section}[{n}] is not a mapping")
    for key in keys:
        if not item.get(key):
            raise KnowledgeError(f"{path}: {section}[{n}] has no {key!r}")
    return item


def _code(value: Any, path: Path, where: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise KnowledgeError(f"{path}: {where}: {value!r} is not a 3-letter upper-case code")
    return value


def _aliases(item: dict[str, Any], path: Path, where: str) -> tuple[str, ...]:
    raw = item.get("aliases") or []
    if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
        raise KnowledgeError(f"{path}: {where}: aliases must be a list of strings")
    return tuple(a for a in (_tidy(x) for x in raw) if a)


def _year(value: Any, path: Path, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise KnowledgeError(f"{path}: {where}: years must be integers")
    return value


def _derived_source_type(sector: str) -> str:
    if sector in STATE_SECTORS:
        return "government"
    if sector in {"MIL", "PRM"}:
        return "military"
    return "organization"


def _person_source_type(sector: str) -> str:
    if sector in OFFICIAL_SECTORS:
        return "official"
    if sector == "MIL":
        return "military"
    if sector == "JRN":
        return "media"
    return "person"


def _entry(section: str, item: dict[str, Any], path: Path, n: int) -> Entry:
    where = f"{section}[{n}] {item.get('name')!r}"
    name = _tidy(str(item["name"]))
    country = _code(item["country"], path, where)
    if section == "media":
        sector = _code(item.get("sector", "JRN"), path, where)
        kind, source_type = "media", item.get("source_type", "media")
    else:
        sector = _code(item.get("sector"), path, where)
        if section == "people":
            kind, source_type = "person", _person_source_type(sector)
        else:
            default_kind = "group" if sector in GROUP_SECTORS else "organization"
            kind = item.get("kind", default_kind)
            source_type = item.get("source_type", _derived_source_type(sector))
    label = item.get("label", "PERSON" if section == "people" else "ORG")
    if kind not in KINDS or source_type not in SOURCE_TYPES or label not in LABELS:
        raise KnowledgeError(f"{path}: {where}: bad kind, source_type or label")
    title = item.get("title")
    return Entry(
        name=name,
        country=country,
        sector=sector,
        kind=kind,
        source_type=source_type,
        label=label,
        title=str(title) if title else None,
        start=_year(item.get("from"), path, where),
        end=_year(item.get("until"), path, where),
    )


_ENTRY_SECTIONS = ("institutions", "organizations", "media", "people")


def _load_yaml(kb: KnowledgeBase, path: Path, data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    used = False
    for section in _ENTRY_SECTIONS:
        for n, item in enumerate(data.get(section) or []):
            item = _require(item, path, section, n, "name", "country")
            entry = _entry(section, item, path, n)
            key = _fold(entry.name)
            kb._records.pop(key, None)  # a replaced entry moves to the end: later files win
            kb._records[key] = (section, entry, _aliases(item, path, f"{section}[{n}]"))
            used = True
    for n, item in enumerate(data.get("roles") or []):
        item = _require(item, path, "roles", n, "lemma", "sector", "kind")
        lemma = _role_key(str(item["lemma"]))
        if item["kind"] not in ROLE_KINDS:
            raise KnowledgeError(f"{path}: roles[{n}] {lemma!r}: kind must be one of {ROLE_KINDS}")
        role = Role(lemma=lemma, sector=_code(item["sector"], path, f"roles[{n}]"),
                    kind=item["kind"])
        forms = item.get("forms") or []
        if not isinstance(forms, list):
            raise KnowledgeError(f"{path}: roles[{n}] {lemma!r}: forms must be a list")
        kb._roles[lemma] = (role, tuple(str(f) for f in forms))
        used = True
    for key, target in (("no_pattern", kb.no_pattern), ("no_state", kb.no_state)):
        values = data.get(key) or []
        if not isinstance(values, list):
            raise KnowledgeError(f"{path}: {key} must be a list")
        target.update(_tidy(str(v)) for v in values)
        used = used or bool(values)
    for n, item in enumerate(data.get("shields") or []):
        item = _require(item, path, "shields", n, "pattern", "label")
        if item["label"] not in SHIELD_LABELS:
            raise KnowledgeError(f"{path}: shields[{n}]: unknown label {item['label']!r}")
        kb.shields.append((_tidy(str(item["pattern"])), item["label"]))
        used = True
    return used


def _files(directory: Path, builtin: bool) -> list[Path]:
    if builtin:
        return [directory / name for name in BUILTIN_FILES if (directory / name).is_file()]
    suffixes = {".csv", ".yaml", ".yml"}
    found = [p for p in directory.iterdir() if p.suffix in suffixes and p.is_file()]
    # countries first so that user YAML can rely on them; otherwise alphabetical
    return sorted(found, key=lambda p: (p.suffix != ".csv", p.name))


def _cache_dir() -> Path | None:
    setting = os.environ.get(CACHE_ENV)
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "eventwire" / "knowledge"


def _parse_yaml(path: Path) -> tuple[Any, str | None]:
    """The parsed YAML file and its header version, from a JSON cache when it is current.

    Parsing YAML is most of the load time; JSON of the same data loads several times faster.
    The cache is keyed by path, size and modification time, and any failure to read or write
    it falls back to parsing.
    """
    stat = path.stat()
    key = f"{_CACHE_FORMAT}|{path}|{stat.st_size}|{stat.st_mtime_ns}"
    cache = _cache_dir()
    cached = None
    if cache is not None:
        cached = cache / (hashlib.sha1(key.encode()).hexdigest() + ".json")
        try:
            with cached.open(encoding="utf-8") as fh:
                stored = json.load(fh)
            return stored["data"], stored["version"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{path}: not valid YAML: {err}") from None
    version = _version(text.splitlines())
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"data": data, "version": version}), encoding="utf-8")
            os.replace(tmp, cached)
        except (OSError, TypeError, ValueError):
            pass
    return data, version


def _read(kb: KnowledgeBase, path: Path) -> None:
    if path.suffix == ".csv":
        text = path.read_text(encoding="utf-8")
        used = _load_countries(kb, path, text)
        version = _version(text.splitlines())
    else:
        data, version = _parse_yaml(path)
        used = _load_yaml(kb, path, data)
    if used:
        kb.versions[str(path)] = version or "unversioned"


@functools.lru_cache(maxsize=8)
def _build(dirs: tuple[str, ...]) -> KnowledgeBase:
    kb = KnowledgeBase()
    for path in _files(DATA_DIR, builtin=True):
        _read(kb, path)
    for directory in dirs:
        d = Path(directory)
        if not d.is_dir():
            raise KnowledgeError(f"{DATA_ENV} names {directory!r}, which is not a directory")
        for path in _files(d, builtin=False):
            _read(kb, path)
    kb._index()
    return kb


def knowledge_base(extra_dirs: tuple[str, ...] = ()) -> KnowledgeBase:
    """The knowledge base: built-in data, then $EVENTWIRE_DATA dirs, then ``extra_dirs``.

    Cached per combination of directories, so repeated calls are free.
    """
    env = [d for d in os.environ.get(DATA_ENV, "").split(os.pathsep) if d.strip()]
    return _build(tuple(str(Path(d).expanduser()) for d in (*env, *extra_dirs)))


# --- entity-ruler patterns -----------------------------------------------------------------


def _pattern_forms(form: str) -> list[str]:
    out = _variants(form)
    for f in list(out):
        if f[:1].islower():
            out.append(f[:1].upper() + f[1:])
        m = _ARTICLE.match(f)
        if m:
            # "The Guardian" is also written "the Guardian" mid-sentence
            rest = f[m.end():]
            out.extend(("The " + rest, "the " + rest))
    return list(dict.fromkeys(out))


def _blocked(form: str, blocked: set[str]) -> bool:
    if form in blocked or not any(c.isupper() for c in form):
        return True
    m = _ARTICLE.match(form)
    return bool(m) and ("The " + form[m.end():]) in blocked


def _place_patterns() -> list[dict]:
    try:
        places = importlib.import_module("eventwire.extract.places")
    except ImportError:
        return []
    make = getattr(places, "place_patterns", None)
    return list(make()) if callable(make) else []


def entity_patterns() -> list[dict]:
    """spaCy EntityRuler patterns for every name, alias, capital and demonym in the lexicon.

    Phrase patterns (strings), so they are tokenized exactly as the text is ("Kim Jong-un",
    "Komsomolsk-on-Amur"). Forms without a capital letter, and forms listed under
    ``no_pattern``, are left out; a form claimed twice keeps the stronger claim (shield, then
    name, alias, capital, demonym). Place patterns from ``eventwire.extract.places`` are added
    when that module provides ``place_patterns()``; where it gives a phrase this lexicon
    already has, the lexicon's label stays.
    """
    kb = knowledge_base()
    blocked = kb.no_pattern
    claims: dict[str, tuple[int, str]] = {}

    def claim(forms: Iterable[tuple[str, int]], label: str) -> None:
        forms = list(forms)
        own = {f for f, _ in forms}
        for form, priority in forms:
            m = _ARTICLE.match(form)
            if m and form[m.end():] in own and form[m.end():] not in blocked:
                continue  # "the Philippines": tag "Philippines", as the NER does
            for f in _pattern_forms(form):
                if _blocked(f, blocked):
                    continue
                old = claims.get(f)
                if old is None or priority > old[0]:
                    claims[f] = (priority, label)

    for country in kb.countries():
        claim([(country.name, _NAME), *((a, _ALIAS) for a in country.aliases)], "GPE")
        claim(((c, _CAPITAL) for c in country.capitals), "GPE")
        claim(((a, 0) for a in country.adjectives), "NORP")
    for _, entry, aliases in kb._records.values():
        claim([(entry.name, _NAME), *((a, _ALIAS) for a in aliases)], entry.label)
    for pattern, label in kb.shields:
        claim([(pattern, _NAME + 1)], label)

    patterns: list[dict] = [{"label": lab, "pattern": form} for form, (_, lab) in claims.items()]
    for extra in _place_patterns():
        extra = _without_claimed(extra, claims)
        if extra is not None:
            patterns.append(extra)
    return patterns


def _without_claimed(pattern: dict, claims: dict[str, tuple[int, str]]) -> dict | None:
    """A place pattern less the single words this lexicon labels differently.

    Two patterns over the same span are resolved by the ruler in an arbitrary order, so the
    lexicon's claim ("Westminster" is Parliament) is made to win outright.
    """
    body, label = pattern.get("pattern"), pattern.get("label")
    if isinstance(body, str):
        return None if body in claims else pattern
    if not (isinstance(body, list) and len(body) == 1 and isinstance(body[0], dict)):
        return pattern
    orth = body[0].get("ORTH")
    if isinstance(orth, str):
        other = claims.get(orth)
        return None if other and other[1] != label else pattern
    if isinstance(orth, dict) and isinstance(orth.get("IN"), list):
        kept = [w for w in orth["IN"] if not (w in claims and claims[w][1] != label)]
        if not kept:
            return None
        if len(kept) < len(orth["IN"]):
            return {**pattern, "pattern": [{**body[0], "ORTH": {**orth, "IN": kept}}]}
    return pattern
