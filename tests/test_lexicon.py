"""Tests of the event-trigger and cue lexicons: loading, validation, lookups."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from eventwire import lexicon
from eventwire.lexicon import (
    DATA_ENV,
    PLOVER_MODES,
    Cues,
    LexiconError,
    cues,
    event_lexicon,
    load_cues,
    load_event_lexicon,
)
from eventwire.model import EVENT_TYPES

PACKAGED_TRIGGERS = Path(lexicon.__file__).parent / "data" / "event_triggers.yaml"
PACKAGED_CUES = Path(lexicon.__file__).parent / "data" / "cues.yaml"


@pytest.fixture
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A $EVENTWIRE_DATA directory; the cached lexicons are reloaded around each test."""
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    event_lexicon.cache_clear()
    cues.cache_clear()
    yield tmp_path
    event_lexicon.cache_clear()
    cues.cache_clear()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def first(lemma: str, pos: str, objects: list[str] = (), particles: set[str] = frozenset()):
    """The reading a matcher following the lexicon's contract would pick."""
    for trig in event_lexicon().triggers_for(lemma, pos):
        if trig.particle and trig.particle not in particles:
            continue
        if trig.object is not None and not any(trig.accepts_object(o) for o in objects):
            continue
        return trig
    return None


# ----------------------------------------------------------------- the packaged lexicon


def test_packaged_lexicon_loads_and_covers_every_type():
    lex = event_lexicon()
    assert lex is event_lexicon()  # cached
    counts = {t: 0 for t in EVENT_TYPES}
    for trig in lex:
        counts[trig.type] += 1
        assert trig.mode is None or trig.mode in PLOVER_MODES[trig.type]
        assert 0.0 <= trig.confidence <= 1.0
    assert all(n >= 10 for n in counts.values()), counts
    assert len(lex) > 1000


def test_giving_needs_an_object_of_the_right_kind():
    assert first("give", "VERB") is None
    assert first("give", "VERB", ["statement"]) is None
    drones = first("give", "VERB", ["drone"])
    assert (drones.type, drones.mode, drones.cameo) == ("AID", "military", "07")
    assert first("give", "VERB", ["food"]).mode == "humanitarian"
    assert first("give", "VERB", ["ultimatum"]).type == "THREATEN"


def test_constrained_readings_come_first():
    readings = event_lexicon().triggers_for("meet", "VERB")
    assert readings[0].object is not None and readings[-1].object is None
    assert first("meet", "VERB", ["demand"]).type == "CONCEDE"
    assert first("meet", "VERB", ["Putin"]).type == "CONSULT"
    specificity = [t.specificity for t in event_lexicon().triggers_for("call", "VERB")]
    assert specificity == sorted(specificity)


@pytest.mark.parametrize(
    ("lemma", "pos", "objects", "particles", "expected"),
    [
        ("sign", "VERB", ["treaty"], (), ("AGREE", None)),
        ("impose", "VERB", ["sanction"], (), ("SANCTION", "discontinue")),
        ("impose", "VERB", ["curfew"], (), ("COERCE", "curfew")),
        ("lift", "VERB", ["curfew"], (), ("CONCEDE", None)),
        ("lift", "VERB", ["sanction"], (), ("RETREAT", None)),
        ("hold", "VERB", ["talk"], (), ("CONSULT", None)),
        ("launch", "VERB", ["airstrike"], (), ("ASSAULT", None)),
        ("deploy", "VERB", ["troop"], (), ("MOBILIZE", "troops")),
        ("deploy", "VERB", ["peacekeeper"], (), ("AID", "peacekeeping")),
        ("summon", "VERB", ["ambassador"], (), ("ACCUSE", "disapprove")),
        ("expel", "VERB", ["diplomat"], (), ("SANCTION", "expel")),
        ("expel", "VERB", ["journalist"], (), ("COERCE", "deport")),
        ("accept", "VERB", ["invitation"], (), ("AGREE", None)),
        ("accept", "VERB", ["demand"], (), ("CONCEDE", None)),
        ("release", "VERB", ["hostage"], (), ("RETREAT", "release")),
        ("call", "VERB", ["ceasefire"], {"for"}, ("REQUEST", "yield")),
        ("call", "VERB", ["talk"], {"for"}, ("REQUEST", "meet")),
        ("call", "VERB", [], {"for"}, ("REQUEST", None)),
        ("call", "VERB", [], (), ("CONSULT", "phone")),
        ("crack", "VERB", [], {"down"}, ("COERCE", "restrict")),
        ("visit", "VERB", [], (), ("CONSULT", "visit")),
        ("strike", "NOUN", [], {"hunger"}, ("PROTEST", "hunger")),
        ("strike", "NOUN", [], {"air"}, ("ASSAULT", "aerial")),
        ("gas", "NOUN", [], {"tear"}, ("ASSAULT", "crowd-control")),
        ("reject", "VERB", ["proposal"], (), ("REJECT", "meet")),
        ("threaten", "VERB", ["sanction"], (), ("THREATEN", "restrict")),
        ("protest", "VERB", [], (), ("PROTEST", "demo")),
        ("criticise", "VERB", [], (), ("ACCUSE", "disapprove")),
        ("criticize", "VERB", [], (), ("ACCUSE", "disapprove")),
        ("mobilise", "VERB", ["reservist"], (), ("MOBILIZE", "troops")),
        ("apologise", "VERB", [], (), ("CONCEDE", None)),
        ("share", "VERB", ["intelligence"], (), ("COOPERATE", None)),
        ("praise", "VERB", [], (), ("SUPPORT", None)),
    ],
)
def test_readings(lemma, pos, objects, particles, expected):
    trig = first(lemma, pos, objects, set(particles))
    assert trig is not None
    assert (trig.type, trig.mode) == expected


def test_pos_aliases_and_case():
    lex = event_lexicon()
    assert lex.triggers_for("Summit", "PROPN") == lex.triggers_for("summit", "NOUN")
    assert lex.triggers_for("attack", None) == lex.triggers_for("attack")
    assert {t.pos for t in lex.triggers_for("attack")} == {"VERB", "NOUN"}
    assert lex.triggers_for("zebra", "NOUN") == []


def test_two_word_lemmas_split_into_word_and_particle():
    hunger = [t for t in event_lexicon().triggers_for("strike", "NOUN") if t.particle == "hunger"]
    assert hunger and hunger[0].mode == "hunger"
    call_for = [t for t in event_lexicon().triggers_for("call", "VERB") if t.particle == "for"]
    assert call_for and all(t.type == "REQUEST" for t in call_for)


def test_classes():
    lex = event_lexicon()
    assert lex.in_class("drone", "weapons") and lex.in_class("Drone", "@weapons")
    assert not lex.in_class("statement", "weapons")
    assert lex.in_class("ambassador", "diplomats")
    with pytest.raises(KeyError, match="no word class"):
        lex.in_class("drone", "gadgets")


def test_cameo_roots():
    lex = event_lexicon()
    expected = {
        "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
        "CONCEDE": "08", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
        "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
        "ASSAULT": "18",
    }
    assert {t: lex.cameo_root(t) for t in EVENT_TYPES} == expected
    assert lex.cameo_root("ASSAULT", "aerial") == "19"
    assert lex.cameo_root("ASSAULT", "unconventional") == "20"
    assert lex.cameo_root("ASSAULT", "beat") == "18"
    assert lex.cameo_root("ACCUSE", "investigate") == "09"
    assert lex.cameo_root("AID", "military") == "07"
    with pytest.raises(KeyError):
        lex.cameo_root("FIGHT")
    occupy = first("occupy", "VERB")
    assert (occupy.type, occupy.cameo) == ("COERCE", "19")


def test_future_readings_follow_the_manual():
    lex = event_lexicon()
    assert lex.future_reading("AID", "military") == ("AGREE", None)
    assert lex.future_reading("CONSULT") == ("AGREE", None)
    assert lex.future_reading("RETREAT", "withdraw") == ("CONCEDE", None)
    assert lex.future_reading("ASSAULT") == ("THREATEN", "violence")
    assert lex.future_reading("PROTEST", "strike") == ("THREATEN", "restrict")
    assert lex.future_reading("PROTEST", "demo") == ("PROTEST", "demo")
    assert lex.future_reading("REJECT") == ("REJECT", None)


def test_modes_from_modifiers():
    lex = event_lexicon()
    assert lex.mode_from_modifiers("AID", ["military"]) == "military"
    assert lex.mode_from_modifiers("AID", ["Humanitarian", "urgent"]) == "humanitarian"
    assert lex.mode_from_modifiers("AID", ["new"]) is None
    assert lex.mode_from_modifiers("AGREE", ["military"]) is None


# ----------------------------------------------------------------- user files and errors


def test_user_trigger_file_is_appended(user_dir: Path):
    write(
        user_dir,
        "event_triggers_local.yaml",
        """\
        version: 1
        classes:
          weapons: [catapult]
          herds: [goat, sheep]
        triggers:
          - {lemma: rustle, pos: VERB, type: COERCE, mode: seize, object: "@herds"}
          - {lemma: hurl, pos: VERB, type: ASSAULT, mode: primitive, object: "@weapons"}
        """,
    )
    lex = event_lexicon()
    rustle = lex.triggers_for("rustle", "VERB")
    assert len(rustle) == 1 and rustle[0].accepts_object("goat")
    assert rustle[0].cameo == "17" and rustle[0].confidence == lexicon.DEFAULT_CONFIDENCE
    assert lex.in_class("catapult", "weapons") and lex.in_class("drone", "weapons")
    assert first("give", "VERB", ["catapult"]).mode == "military"
    assert len(lex) == len(load_event_lexicon([PACKAGED_TRIGGERS])) + 2


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{lemma: snub, type: SHUN}', "unknown PLOVER event type 'SHUN'"),
        ('{lemma: snub, type: REJECT, mode: aerial}', "mode 'aerial' is not a REJECT mode"),
        ('{lemma: hurl, type: ASSAULT, object: "@catapults"}', "unknown class '@catapults'"),
        ('{lemma: snub, type: REJECT, confidence: 1.5}', "outside 0..1"),
        ('{lemma: snub, type: REJECT, confidence: "high"}', "must be a number"),
        ('{lemma: snub, type: REJECT, cameo: "21"}', "CAMEO root"),
        ('{lemma: snub, type: REJECT, pos: ADJ}', "pos must be VERB or NOUN"),
        ('{lemma: snub, type: REJECT, colour: red}', "unknown key(s) colour"),
        ('{lemma: Snub, type: REJECT}', "lower case"),
        ('{lemma: cold-shoulder, type: REJECT}', "hyphen"),
        ('{lemma: give the cold shoulder, type: REJECT}', "more than 2 word"),
        ('{type: REJECT}', "missing 'lemma'"),
    ],
)
def test_bad_trigger_entry_names_file_and_entry(user_dir: Path, entry: str, message: str):
    path = write(
        user_dir,
        "event_triggers_bad.yaml",
        f"version: 1\ntriggers:\n  - {{lemma: rebuff, type: REJECT}}\n  - {entry}\n",
    )
    with pytest.raises(LexiconError) as err:
        event_lexicon()
    text = str(err.value)
    assert str(path) in text and "triggers[1]" in text and message in text


def test_bad_user_files(user_dir: Path):
    write(user_dir, "event_triggers_x.yaml", "type_defaults: {AGREE: {cameo: '03'}}\n")
    with pytest.raises(LexiconError, match="extra trigger files hold only classes and triggers"):
        event_lexicon()
    write(user_dir, "event_triggers_x.yaml", "triggers: [\n")
    with pytest.raises(LexiconError, match="not valid YAML"):
        event_lexicon()
    write(user_dir, "event_triggers_x.yaml", "version: 2\n")
    with pytest.raises(LexiconError, match="unsupported version"):
        event_lexicon()
    write(
        user_dir,
        "event_triggers_x.yaml",
        "triggers:\n  - {lemma: snub, type: REJECT}\n  - {lemma: snub, type: REJECT}\n",
    )
    with pytest.raises(LexiconError, match=r"triggers\[1\].*repeats triggers\[0\]"):
        event_lexicon()
    write(user_dir, "event_triggers_x.yaml", "classes:\n  herds: [goat, no]\n")
    with pytest.raises(LexiconError, match="classes.herds"):
        event_lexicon()


def test_main_file_needs_every_type_default(tmp_path: Path):
    path = write(tmp_path, "t.yaml", "type_defaults:\n  AGREE: {cameo: '03'}\n")
    with pytest.raises(LexiconError, match="missing CONSULT"):
        load_event_lexicon([path])
    text = PACKAGED_TRIGGERS.read_text(encoding="utf-8").replace(
        "REJECT: {cameo: \"12\"}", "REJECT: {cameo: \"12\", modes: {aerial: \"19\"}}"
    )
    path = write(tmp_path, "t.yaml", text)
    with pytest.raises(LexiconError, match="type_defaults.REJECT.modes"):
        load_event_lexicon([path])


# ----------------------------------------------------------------- cues


def test_packaged_cues():
    words = cues()
    assert isinstance(words, Cues) and words is cues()
    assert {"say", "tell", "report", "announce"} <= words.reporting_verbs
    assert "according to" in words.attribution_phrases
    assert {"deny", "refute"} <= words.denial_verbs
    assert {"not", "n't", "no", "never"} <= words.negators
    assert "fear" in words.speculation_verbs and "fear" in words.speculation_nouns
    assert {"reportedly", "allegedly"} <= words.speculation_adverbs
    assert words.speculation_modals == {"may", "might", "could"}
    assert {"will", "would"} <= words.plan_modals
    assert "is expected to" in words.plan_patterns and "expect" in words.speculation_verbs
    assert {"plan", "promise", "vow"} <= words.plan_verbs
    assert {"officials", "sources", "official"} <= words.anonymous_sources
    for name in lexicon.CUE_KEYS:
        assert all(w == w.lower() for w in getattr(words, name)), name


def test_user_cue_file_extends_and_is_checked(user_dir: Path):
    write(user_dir, "cues_local.yaml", "reporting_verbs: [aver]\n")
    assert "aver" in cues().reporting_verbs and "say" in cues().reporting_verbs
    cues.cache_clear()
    write(user_dir, "cues_local.yaml", "plan_modals: [might]\n")
    with pytest.raises(LexiconError, match="might is in both speculation_modals and plan_modals"):
        cues()
    cues.cache_clear()
    write(user_dir, "cues_local.yaml", "hedges: [sort of]\n")
    with pytest.raises(LexiconError, match="unknown key"):
        cues()


def test_main_cue_file_needs_every_list(tmp_path: Path):
    path = write(tmp_path, "c.yaml", "reporting_verbs: [say]\n")
    with pytest.raises(LexiconError, match="missing list"):
        load_cues([path])
    path = write(tmp_path, "c.yaml", PACKAGED_CUES.read_text(encoding="utf-8") + "\n")
    assert load_cues([path]) == cues()


# ----------------------------------------------------------------- against the tagger


def test_trigger_lemmas_are_spacy_lemmas(nlp):
    """Each trigger word, in its base form, lemmatizes to itself (so the lexicon can match)."""
    lex = event_lexicon()
    words = sorted({(t.lemma, t.pos) for t in lex if t.pos})
    texts = [
        f"They will {lemma} it." if pos == "VERB" else f"They saw the {lemma}."
        for lemma, pos in words
    ]
    index = {"VERB": 2, "NOUN": 3}
    wrong = []
    for (lemma, pos), doc in zip(words, nlp.pipe(texts), strict=True):
        if doc[index[pos]].lemma_.lower() != lemma:
            wrong.append((lemma, pos, doc[index[pos]].lemma_))
    assert not wrong


@pytest.fixture(scope="module")
def nlp():
    from eventwire import nlp as nlp_module

    try:
        return nlp_module.load()
    except ImportError:
        # The entity ruler's knowledge module is optional for lemmas: the bare model will do.
        import spacy

        return spacy.load(nlp_module.resolve_model_name())
