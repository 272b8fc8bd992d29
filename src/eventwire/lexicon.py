"""The event lexicons: PLOVER trigger words and the cues of attribution and status.

Two data files ship with eventwire, both described in their own header comments:

* ``data/event_triggers.yaml``: which words (lemma, part of speech, required particle and
  object) signal which PLOVER event type and mode, with the CAMEO root code beside it;
* ``data/cues.yaml``: reporting verbs, attribution phrases, and the words that make an event
  denied, speculated or planned.

Both are validated when loaded; a bad entry raises :class:`LexiconError` naming the file and
the entry. Users add triggers (and cues) without touching the package: every
``event_triggers*.yaml`` (and ``cues*.yaml``) in the directories listed in ``$EVENTWIRE_DATA``
is read after the packaged file and appended to it.

The matcher's contract: :meth:`EventLexicon.triggers_for` returns a word's readings most
specific first, and the first reading whose particle and object constraints hold is the one
to code. A word whose readings are all constrained signals nothing when none holds.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from eventwire.model import EVENT_TYPES

DATA_ENV = "EVENTWIRE_DATA"
TRIGGERS_FILE = "event_triggers.yaml"
CUES_FILE = "cues.yaml"
DEFAULT_CONFIDENCE = 0.7
POS_TAGS = ("VERB", "NOUN")

# Modes per event type, spelled as in the PLOVER manual's mode tables. AGREE, SUPPORT, CONCEDE
# and COOPERATE have none. AID has none in the manual either; eventwire adds the CAMEO 07x
# distinctions (military, humanitarian, ...) as its modes, as DESIGN.md's record does.
PLOVER_MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset({"military", "humanitarian", "economic", "peacekeeping", "asylum"}),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset(
        {"restrict", "arrest", "relations", "expel", "territory", "violence"}
    ),
    "PROTEST": frozenset(
        {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"}
    ),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset(
        {
            "seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
            "withhold", "misinformation", "cyber",
        }
    ),
    "ASSAULT": frozenset(
        {
            "abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
            "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
            "crowd-control", "unconventional",
        }
    ),
}
assert set(PLOVER_MODES) == set(EVENT_TYPES)

_CAMEO_RE = re.compile(r"^(0[1-9]|1[0-9]|20)$")
_CLASS_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_TRIGGER_KEYS = frozenset(
    {"lemma", "particle", "pos", "type", "mode", "object", "cameo", "confidence"}
)
_POS_ALIASES = {"PROPN": "NOUN", "AUX": "VERB"}
# libyaml's loader when PyYAML was built with it: the trigger file loads several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Trigger:
    """One reading of a trigger word.

    ``object`` is the set of acceptable object lemmas (classes expanded), or None when the
    reading needs no object; ``particle`` is a child lemma the word must have ("for" in
    "call for", "hunger" in "hunger strike"). ``cameo`` is already resolved (own code, else
    the type's default for the mode).
    """

    lemma: str
    pos: str | None
    type: str
    mode: str | None
    object: frozenset[str] | None
    cameo: str
    confidence: float
    particle: str | None = None
    object_classes: frozenset[str] = frozenset()
    source: str = ""

    @property
    def specificity(self) -> int:
        """0 = particle and object, 1 = particle, 2 = object, 3 = bare."""
        if self.particle is not None:
            return 0 if self.object is not None else 1
        return 2 if self.object is not None else 3

    def accepts_object(self, lemma: str) -> bool:
        """Whether an object with this lemma satisfies the reading (True when none needed)."""
        return self.object is None or lemma.lower() in self.object


class EventLexicon:
    """The trigger lexicon, indexed by lemma."""

    def __init__(
        self,
        triggers: Sequence[Trigger],
        classes: Mapping[str, frozenset[str]],
        type_defaults: Mapping[str, tuple[str, Mapping[str, str]]],
        future_recode: Mapping[str, tuple[str, str | None]] | None = None,
        modifier_modes: Mapping[str, Mapping[str, frozenset[str]]] | None = None,
    ) -> None:
        self.triggers: tuple[Trigger, ...] = tuple(triggers)
        self.classes: Mapping[str, frozenset[str]] = dict(classes)
        self._type_defaults = dict(type_defaults)
        self._future = dict(future_recode or {})
        self._modifier_modes = {t: dict(m) for t, m in (modifier_modes or {}).items()}
        by_lemma: dict[str, list[Trigger]] = {}
        for trig in self.triggers:
            by_lemma.setdefault(trig.lemma, []).append(trig)
        # sorted() is stable, so file order decides within one level of specificity.
        self._by_lemma = {
            lemma: tuple(sorted(trigs, key=lambda t: t.specificity))
            for lemma, trigs in by_lemma.items()
        }

    def __len__(self) -> int:
        return len(self.triggers)

    def __iter__(self) -> Iterator[Trigger]:
        return iter(self.triggers)

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(self._by_lemma)

    def triggers_for(self, lemma: str, pos: str | None = None) -> list[Trigger]:
        """The readings of a word, most specific first (constrained ones before bare ones).

        ``pos`` is a spaCy coarse tag; PROPN counts as NOUN and AUX as VERB. Readings with
        no part of speech match any; ``pos=None`` returns every reading of the lemma.
        """
        trigs = self._by_lemma.get(lemma.lower(), ())
        if not pos:
            return list(trigs)
        tag = _POS_ALIASES.get(pos.upper(), pos.upper())
        return [t for t in trigs if t.pos is None or t.pos == tag]

    def in_class(self, lemma: str, name: str) -> bool:
        """Whether a lemma belongs to a word class (a name with or without the '@')."""
        key = name.removeprefix("@")
        if key not in self.classes:
            raise KeyError(f"no word class {key!r} in the event lexicon")
        return lemma.lower() in self.classes[key]

    def cameo_root(self, event_type: str, mode: str | None = None) -> str:
        """The CAMEO root code ("01".."20") of a PLOVER type, per mode where they differ."""
        if event_type not in self._type_defaults:
            raise KeyError(f"unknown PLOVER event type {event_type!r}")
        default, by_mode = self._type_defaults[event_type]
        return by_mode.get(mode, default) if mode else default

    def future_reading(self, event_type: str, mode: str | None = None) -> tuple[str, str | None]:
        """How an event its actor promises, plans or vows is coded: (type, mode).

        From the manual: promised cooperation is AGREE, an announced retreat CONCEDE, a vowed
        attack a THREATEN. Types without a rule come back unchanged.
        """
        for key in ((f"{event_type}/{mode}",) if mode else ()) + (event_type,):
            if key in self._future:
                return self._future[key]
        return event_type, mode

    def mode_from_modifiers(self, event_type: str, lemmas: Iterable[str]) -> str | None:
        """The mode that modifier words set ("military" aid -> AID military), if any."""
        table = self._modifier_modes.get(event_type)
        if not table:
            return None
        words = {w.lower() for w in lemmas}
        for mode, cues in table.items():
            if words & cues:
                return mode
        return None


@dataclass(frozen=True)
class Cues:
    """Attribution and status cue words (see data/cues.yaml for what each list means)."""

    reporting_verbs: frozenset[str]
    evidence_verbs: frozenset[str]
    reporting_nouns: frozenset[str]
    attribution_phrases: frozenset[str]
    denial_verbs: frozenset[str]
    denial_nouns: frozenset[str]
    denial_adjectives: frozenset[str]
    negators: frozenset[str]
    speculation_verbs: frozenset[str]
    speculation_nouns: frozenset[str]
    speculation_adjectives: frozenset[str]
    speculation_adverbs: frozenset[str]
    speculation_modals: frozenset[str]
    speculation_patterns: frozenset[str]
    plan_verbs: frozenset[str]
    plan_nouns: frozenset[str]
    plan_adjectives: frozenset[str]
    plan_modals: frozenset[str]
    plan_patterns: frozenset[str]
    conditionals: frozenset[str]
    obligation_modals: frozenset[str]
    anonymous_sources: frozenset[str]
    anonymity_markers: frozenset[str]


CUE_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Cues))
# Lists that must not share a word: a word in both would make the status ambiguous.
_DISJOINT_CUES = (
    ("speculation_verbs", "plan_verbs"),
    ("speculation_nouns", "plan_nouns"),
    ("speculation_adjectives", "plan_adjectives"),
    ("speculation_modals", "plan_modals"),
    ("speculation_patterns", "plan_patterns"),
    ("reporting_verbs", "denial_verbs"),
    ("reporting_verbs", "evidence_verbs"),
    ("reporting_verbs", "speculation_verbs"),
)


# ---------------------------------------------------------------------------- loading


def data_dirs() -> list[Path]:
    """The existing user data directories named in $EVENTWIRE_DATA, in order."""
    raw = os.environ.get(DATA_ENV, "")
    return [Path(p) for p in raw.split(os.pathsep) if p and Path(p).is_dir()]


def _package_file(name: str) -> Path:
    return Path(str(resources.files("eventwire") / "data" / name))


def _extra_files(pattern: str, packaged: Path) -> list[Path]:
    found: list[Path] = []
    for folder in data_dirs():
        found.extend(p for p in sorted(folder.glob(pattern)) if not p.samefile(packaged))
    return found


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_YAML_LOADER)
    except yaml.YAMLError as err:
        raise LexiconError(f"{path}: not valid YAML: {err}") from None
    except OSError as err:
        raise LexiconError(f"{path}: cannot read: {err}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping at the top level")
    version = data.get("version", 1)
    if version != 1:
        raise LexiconError(f"{path}: unsupported version {version!r} (this eventwire reads 1)")
    return data


def _check_word(path: Path, where: str, word: Any, *, words: int = 1) -> str:
    if not isinstance(word, str) or not word.strip():
        raise LexiconError(f"{path}: {where}: expected a non-empty string, got {word!r}")
    if word != word.lower() or word != word.strip():
        raise LexiconError(f"{path}: {where}: {word!r} must be lower case, without padding")
    parts = word.split()
    if len(parts) > words:
        raise LexiconError(f"{path}: {where}: {word!r} has more than {words} word(s)")
    if any("-" in p[1:-1] for p in parts):
        raise LexiconError(
            f"{path}: {where}: {word!r} contains a hyphen; the tokenizer splits hyphenated "
            "words, so write the parts as a two-word entry"
        )
    return word


def _read_classes(path: Path, data: dict[str, Any], into: dict[str, set[str]]) -> None:
    raw = data.get("classes") or {}
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: 'classes' must map class names to lists of words")
    for name, members in raw.items():
        if not isinstance(name, str) or not _CLASS_NAME_RE.match(name):
            raise LexiconError(f"{path}: classes: bad class name {name!r} (use a-z, 0-9, _)")
        if not isinstance(members, list) or not members:
            raise LexiconError(f"{path}: classes.{name}: expected a non-empty list of words")
        bucket = into.setdefault(name, set())
        for member in members:
            bucket.add(_check_word(path, f"classes.{name}", member))


def _read_type_defaults(path: Path, data: dict[str, Any]) -> dict[str, tuple[str, dict]]:
    raw = data.get("type_defaults")
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: 'type_defaults' must give every PLOVER type its CAMEO root")
    missing = [t for t in EVENT_TYPES if t not in raw]
    if missing:
        raise LexiconError(f"{path}: type_defaults: missing {', '.join(missing)}")
    out: dict[str, tuple[str, dict]] = {}
    for etype, spec in raw.items():
        where = f"type_defaults.{etype}"
        if etype not in PLOVER_MODES:
            raise LexiconError(f"{path}: {where}: unknown PLOVER event type {etype!r}")
        if not isinstance(spec, dict) or set(spec) - {"cameo", "modes"}:
            raise LexiconError(f"{path}: {where}: expected {{cameo: \"NN\", modes: {{...}}}}")
        cameo = _check_cameo(path, where, spec.get("cameo"))
        modes = spec.get("modes") or {}
        if not isinstance(modes, dict):
            raise LexiconError(f"{path}: {where}.modes: expected a mapping of mode to code")
        by_mode = {}
        for mode, code in modes.items():
            _check_mode(path, f"{where}.modes", etype, mode)
            by_mode[mode] = _check_cameo(path, f"{where}.modes.{mode}", code)
        out[etype] = (cameo, by_mode)
    return out


def _check_cameo(path: Path, where: str, code: Any) -> str:
    if not isinstance(code, str) or not _CAMEO_RE.match(code):
        raise LexiconError(
            f"{path}: {where}: CAMEO root must be a string \"01\"..\"20\", got {code!r}"
        )
    return code


def _check_type(path: Path, where: str, etype: Any) -> str:
    if etype not in PLOVER_MODES:
        raise LexiconError(
            f"{path}: {where}: unknown PLOVER event type {etype!r}; expected one of "
            + ", ".join(EVENT_TYPES)
        )
    return etype


def _check_mode(path: Path, where: str, etype: str, mode: Any) -> str:
    allowed = PLOVER_MODES[etype]
    if mode not in allowed:
        known = ", ".join(sorted(allowed)) or "none"
        raise LexiconError(f"{path}: {where}: mode {mode!r} is not a {etype} mode (known: {known})")
    return mode


def _check_reading(path: Path, where: str, text: Any) -> tuple[str, str | None]:
    """Parse "TYPE" or "TYPE/mode"."""
    if not isinstance(text, str):
        raise LexiconError(f"{path}: {where}: expected TYPE or TYPE/mode, got {text!r}")
    etype, _, mode = text.partition("/")
    _check_type(path, where, etype)
    if mode:
        _check_mode(path, where, etype, mode)
    return etype, mode or None


def _read_future(path: Path, data: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    raw = data.get("future_recode") or {}
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: 'future_recode' must map TYPE[/mode] to TYPE[/mode]")
    out = {}
    for src, dst in raw.items():
        _check_reading(path, "future_recode", src)
        out[src] = _check_reading(path, f"future_recode.{src}", dst)
    return out


def _read_modifier_modes(path: Path, data: dict[str, Any]) -> dict[str, dict[str, frozenset]]:
    raw = data.get("modifier_modes") or {}
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: 'modifier_modes' must map event types to modes to words")
    out: dict[str, dict[str, frozenset]] = {}
    for etype, table in raw.items():
        _check_type(path, "modifier_modes", etype)
        if not isinstance(table, dict):
            raise LexiconError(f"{path}: modifier_modes.{etype}: expected mode -> word list")
        out[etype] = {}
        for mode, words in table.items():
            where = f"modifier_modes.{etype}.{mode}"
            _check_mode(path, f"modifier_modes.{etype}", etype, mode)
            if not isinstance(words, list) or not words:
                raise LexiconError(f"{path}: {where}: expected a non-empty list of words")
            out[etype][mode] = frozenset(_check_word(path, where, w) for w in words)
    return out


def _parse_trigger(
    path: Path, index: int, entry: Any, type_defaults: Mapping[str, tuple[str, Mapping]]
) -> tuple[dict[str, Any], list[str]]:
    """Check one raw entry; return its normalised fields and the object words to resolve."""
    where = f"triggers[{index}]"
    if not isinstance(entry, dict):
        raise LexiconError(f"{path}: {where}: expected a mapping, got {entry!r}")
    if "lemma" in entry and isinstance(entry["lemma"], str):
        where += f" (lemma {entry['lemma']!r})"
    unknown = set(entry) - _TRIGGER_KEYS
    if unknown:
        raise LexiconError(f"{path}: {where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("lemma", "type"):
        if key not in entry:
            raise LexiconError(f"{path}: {where}: missing '{key}'")
    words = _check_word(path, where, entry["lemma"], words=2).split()
    pos = entry.get("pos")
    if pos is not None and pos not in POS_TAGS:
        raise LexiconError(f"{path}: {where}: pos must be VERB or NOUN (or left out), got {pos!r}")
    particle = entry.get("particle")
    if particle is not None:
        particle = _check_word(path, f"{where}.particle", particle)
        if len(words) > 1:
            raise LexiconError(
                f"{path}: {where}: give the particle in 'lemma' or in 'particle', not both"
            )
        lemma = words[0]
    elif len(words) == 2:
        # Nouns are head-final ("hunger strike"); verbs take their particle after ("call for").
        lemma, particle = (words[1], words[0]) if pos == "NOUN" else (words[0], words[1])
    else:
        lemma = words[0]
    etype = _check_type(path, where, entry["type"])
    mode = entry.get("mode")
    if mode is not None:
        _check_mode(path, where, etype, mode)
    cameo = entry.get("cameo")
    if cameo is None:
        default, by_mode = type_defaults[etype]
        cameo = by_mode.get(mode, default) if mode else default
    else:
        cameo = _check_cameo(path, where, cameo)
    confidence = entry.get("confidence", DEFAULT_CONFIDENCE)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise LexiconError(f"{path}: {where}: confidence must be a number, got {confidence!r}")
    if not 0.0 <= confidence <= 1.0:
        raise LexiconError(f"{path}: {where}: confidence {confidence} is outside 0..1")
    obj = entry.get("object")
    obj_words: list[str] = []
    if obj is not None:
        items = [obj] if isinstance(obj, str) else obj
        if not isinstance(items, list) or not items:
            raise LexiconError(f"{path}: {where}: object must be \"@class\", a word or a list")
        for item in items:
            if isinstance(item, str) and item.startswith("@"):
                obj_words.append(item)
            else:
                obj_words.append(_check_word(path, f"{where}.object", item))
    fields_ = {
        "lemma": lemma, "pos": pos, "type": etype, "mode": mode, "cameo": cameo,
        "confidence": float(confidence), "particle": particle, "where": where,
    }
    return fields_, obj_words


def load_event_lexicon(paths: Sequence[Path | str]) -> EventLexicon:
    """Read and validate trigger files: the first is the main one, the rest are appended."""
    if not paths:
        raise LexiconError("no trigger file given")
    classes: dict[str, set[str]] = {}
    pending: list[tuple[Path, dict[str, Any], list[str]]] = []
    type_defaults: dict[str, tuple[str, dict]] = {}
    future: dict[str, str] = {}
    modifier_modes: dict[str, dict[str, frozenset]] = {}
    for number, path in enumerate(Path(p) for p in paths):
        data = _read_yaml(path)
        allowed = {"version", "classes", "triggers"}
        if number == 0:
            allowed |= {"type_defaults", "future_recode", "modifier_modes"}
            type_defaults = _read_type_defaults(path, data)
            future = _read_future(path, data)
            modifier_modes = _read_modifier_modes(path, data)
        unknown = set(data) - allowed
        if unknown:
            raise LexiconError(
                f"{path}: unknown or misplaced key(s) {', '.join(sorted(unknown))}"
                + ("" if number == 0 else " (extra trigger files hold only classes and triggers)")
            )
        _read_classes(path, data, classes)
        raw = data.get("triggers") or []
        if not isinstance(raw, list):
            raise LexiconError(f"{path}: 'triggers' must be a list")
        seen: dict[tuple, str] = {}
        for index, entry in enumerate(raw):
            fields_, obj_words = _parse_trigger(path, index, entry, type_defaults)
            key = (
                fields_["lemma"], fields_["particle"], fields_["pos"], fields_["type"],
                fields_["mode"], tuple(obj_words),
            )
            if key in seen:
                raise LexiconError(
                    f"{path}: {fields_['where']}: repeats {seen[key]} "
                    "(same word, reading and object)"
                )
            seen[key] = fields_["where"]
            pending.append((path, fields_, obj_words))
    frozen = {name: frozenset(words) for name, words in classes.items()}
    triggers: list[Trigger] = []
    for path, f, obj_words in pending:
        obj: set[str] | None = None
        used: set[str] = set()
        if obj_words:
            obj = set()
            for item in obj_words:
                if item.startswith("@"):
                    name = item[1:]
                    if name not in frozen:
                        raise LexiconError(
                            f"{path}: {f['where']}: object names unknown class {item!r}"
                        )
                    used.add(name)
                    obj |= frozen[name]
                else:
                    obj.add(item)
        triggers.append(
            Trigger(
                lemma=f["lemma"], pos=f["pos"], type=f["type"], mode=f["mode"],
                object=None if obj is None else frozenset(obj), cameo=f["cameo"],
                confidence=f["confidence"], particle=f["particle"],
                object_classes=frozenset(used), source=f"{path.name}:{f['where']}",
            )
        )
    return EventLexicon(triggers, frozen, type_defaults, future, modifier_modes)


def load_cues(paths: Sequence[Path | str]) -> Cues:
    """Read and validate cue files: the first must hold every list; later ones extend them."""
    if not paths:
        raise LexiconError("no cue file given")
    lists: dict[str, set[str]] = {}
    for number, path in enumerate(Path(p) for p in paths):
        data = _read_yaml(path)
        unknown = set(data) - set(CUE_KEYS) - {"version"}
        if unknown:
            raise LexiconError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
        if number == 0:
            missing = [k for k in CUE_KEYS if k not in data]
            if missing:
                raise LexiconError(f"{path}: missing list(s) {', '.join(missing)}")
        for key in CUE_KEYS:
            if key not in data:
                continue
            items = data[key]
            if not isinstance(items, list) or not items:
                raise LexiconError(f"{path}: {key}: expected a non-empty list")
            bucket = lists.setdefault(key, set())
            for item in items:
                if not isinstance(item, str) or not item.strip() or item != item.strip().lower():
                    raise LexiconError(f"{path}: {key}: bad entry {item!r} (lower-case text)")
                bucket.add(item)
    for left, right in _DISJOINT_CUES:
        both = lists[left] & lists[right]
        if both:
            raise LexiconError(
                f"{paths[-1]}: {', '.join(sorted(both))} is in both {left} and {right}; "
                "keep each word in one list"
            )
    return Cues(**{key: frozenset(lists[key]) for key in CUE_KEYS})


@functools.cache
def event_lexicon() -> EventLexicon:
    """The packaged trigger lexicon plus $EVENTWIRE_DATA's event_triggers*.yaml (cached)."""
    main = _package_file(TRIGGERS_FILE)
    return load_event_lexicon([main, *_extra_files("event_triggers*.yaml", main)])


@functools.cache
def cues() -> Cues:
    """The packaged cue lists plus $EVENTWIRE_DATA's cues*.yaml (cached)."""
    main = _package_file(CUES_FILE)
    return load_cues([main, *_extra_files("cues*.yaml", main)])
