"""The actor knowledge base: data files, lookups, roles, user extension and ruler patterns."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from eventwire import knowledge
from eventwire.knowledge import Entry, KnowledgeError, entity_patterns, knowledge_base

SECTORS = {
    "GOV", "MIL", "LEG", "JUD", "COP", "SPY", "PRM", "REB", "UAF", "OPP", "PTY", "IGO", "NGO",
    "JRN", "MED", "BUS", "CRM", "CVL", "EDU", "ELI", "LAB", "AGR", "REF", "REL", "SOC", "PRE",
    "UNK",
}


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    return knowledge_base()


def _coded(entry: Entry | None) -> tuple | None:
    return None if entry is None else (entry.name, entry.country, entry.sector, entry.kind)


# --- the data files ---------------------------------------------------------------------


def test_every_builtin_file_is_loaded_with_its_version(kb):
    loaded = {Path(p).name: v for p, v in kb.versions.items()}
    for name in knowledge.BUILTIN_FILES:
        assert loaded.get(name) == "1", name
    for name in knowledge.BUILTIN_FILES:
        head = (knowledge.DATA_DIR / name).read_text(encoding="utf-8").splitlines()[:3]
        assert head[0].startswith("#") and any("version:" in line for line in head)


def test_countries_cover_iso_3166_plus_palestine_and_kosovo(kb):
    codes = {c.iso3 for c in kb.countries()}
    assert len(codes) >= 249
    assert {"PSE", "XKX", "PRK", "KOR", "USA", "RUS", "TWN", "HKG", "VAT", "SSD"} <= codes
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert kb.country_name("PSE") == "Palestine"
    assert kb.country_name("XKX") == "Kosovo"


def test_lexicon_is_broad(kb):
    kinds = Counter(e.kind for e in kb.entries())
    assert kinds["state"] >= 249
    assert kinds["person"] >= 300
    assert kinds["media"] >= 100
    assert kinds["organization"] + kinds["group"] >= 600
    assert len(kb.roles()) >= 150


def test_entries_use_known_codes(kb):
    countries = {c.iso3 for c in kb.countries()} | {"IGO", "IMG"}
    for entry in kb.entries():
        assert entry.country in countries, entry
        assert entry.sector is None or entry.sector in SECTORS, entry
        assert entry.label in knowledge.LABELS, entry
    for role in kb.roles():
        assert role.sector in SECTORS, role


def test_no_form_names_two_entries(kb):
    assert kb.collisions == []


def test_role_forms_are_unambiguous():
    import yaml

    data = yaml.safe_load((knowledge.DATA_DIR / "roles.yaml").read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    for item in data["roles"]:
        for form in (item["lemma"], *(item.get("forms") or [])):
            assert owner.setdefault(form.lower(), item["lemma"]) == item["lemma"], form


# --- lookup ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Jong Un", ("Kim Jong Un", "PRK", "GOV", "person")),
        ("Kim Jong-un", ("Kim Jong Un", "PRK", "GOV", "person")),
        ("Kim Jong-Un\u2019s", ("Kim Jong Un", "PRK", "GOV", "person")),
        ("Putin", ("Vladimir Putin", "RUS", "GOV", "person")),
        ("Erdogan", ("Recep Tayyip Erdoğan", "TUR", "GOV", "person")),
        ("Zelenskyy", ("Volodymyr Zelensky", "UKR", "GOV", "person")),
        ("the Kremlin", ("Kremlin", "RUS", "GOV", "organization")),
        ("The Kremlin's", ("Kremlin", "RUS", "GOV", "organization")),
        ("KREMLIN", ("Kremlin", "RUS", "GOV", "organization")),
        ("Pentagon", ("Pentagon", "USA", "MIL", "organization")),
        ("Élysée", ("Elysee", "FRA", "GOV", "organization")),
        ("Elysee", ("Elysee", "FRA", "GOV", "organization")),
        ("IDF", ("Israel Defense Forces", "ISR", "MIL", "organization")),
        ("Mossad", ("Mossad", "ISR", "SPY", "organization")),
        ("IRGC", ("Islamic Revolutionary Guard Corps", "IRN", "MIL", "organization")),
        ("OFAC", ("Office of Foreign Assets Control", "USA", "GOV", "organization")),
        ("Hamas'", ("Hamas", "PSE", "REB", "group")),
        ("Houthis", ("Houthis", "YEM", "REB", "group")),
        ("al-Qaeda", ("al-Qaeda", "IMG", "REB", "group")),
        ("Wagner", ("Wagner Group", "RUS", "MIL", "organization")),
        ("UN", ("United Nations", "IGO", "IGO", "organization")),
        ("U.N. Security Council", ("UN Security Council", "IGO", "IGO", "organization")),
        ("Amnesty International", ("Amnesty International", "IGO", "NGO", "organization")),
        ("TASS", ("TASS", "RUS", "JRN", "media")),
        ("Ria Novosti", ("RIA Novosti", "RUS", "JRN", "media")),
        ("Yonhap", ("Yonhap", "KOR", "JRN", "media")),
        ("North Korea", ("North Korea", "PRK", None, "state")),
        ("DPRK", ("North Korea", "PRK", None, "state")),
        ("the United States", ("United States", "USA", None, "state")),
        ("U.S.", ("United States", "USA", None, "state")),
        ("US", ("United States", "USA", None, "state")),
        ("Côte d’Ivoire", ("Ivory Coast", "CIV", None, "state")),
        ("Pyongyang", ("North Korea", "PRK", "GOV", "state")),
        ("Washington", ("United States", "USA", "GOV", "state")),
        ("Kyiv", ("Ukraine", "UKR", "GOV", "state")),
    ],
)
def test_lookup(kb, text, expected):
    assert _coded(kb.lookup(text)) == expected


def test_lookup_keeps_acronyms_case_sensitive(kb):
    assert kb.lookup("us") is None
    assert kb.lookup("un") is None
    assert kb.lookup("tass") is None  # 4 letters: exact case only
    assert kb.lookup("kremlin").name == "Kremlin"  # longer names: any case


def test_lookup_source_types(kb):
    assert kb.lookup("TASS").source_type == "state_media"
    assert kb.lookup("KCNA").source_type == "state_media"
    assert kb.lookup("Reuters").source_type == "media"
    assert kb.lookup("Kremlin").source_type == "government"
    assert kb.lookup("Pentagon").source_type == "military"
    assert kb.lookup("NATO").source_type == "organization"
    assert kb.lookup("Pyongyang").source_type == "government"
    assert kb.lookup("Russia").source_type is None
    assert kb.lookup("Dmitry Peskov").source_type == "official"


def test_lookup_of_people_behind_titles(kb):
    assert kb.lookup("Russian Foreign Minister Sergei Lavrov").name == "Sergei Lavrov"
    assert kb.lookup("President Xi Jinping").name == "Xi Jinping"
    assert kb.lookup("Mr. Putin").name == "Vladimir Putin"
    # only people are found that way: "New Mexico" is not Mexico
    assert kb.lookup("New Mexico") is None


def test_bare_ambiguous_surnames_are_not_listed(kb):
    for surname in ("Kim", "Abbas", "Bush", "Khan", "Wang", "Lee"):
        assert kb.lookup(surname) is None, surname


def test_people_carry_title_and_years(kb):
    lavrov = kb.lookup("Lavrov")
    assert lavrov.title == "foreign minister" and lavrov.start == 2004
    biden = kb.lookup("Biden")
    assert (biden.start, biden.end) == (2021, 2025)


def test_ambiguous_capitals_are_not_states(kb):
    assert kb.lookup("Victoria") is None
    assert kb.lookup("Kingston") is None
    assert kb.lookup("Male") is None
    assert kb.lookup("Malé").country == "MDV"
    assert kb.capital("JAM") == "Kingston"


# --- countries, adjectives, capitals ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("North Korean", "PRK"),
        ("north korean", "PRK"),
        ("Russian", "RUS"),
        ("Russians", "RUS"),
        ("Israelis", "ISR"),
        ("American", "USA"),
        ("U.S.", "USA"),
        ("Briton", "GBR"),
        ("Palestinian", "PSE"),
        ("Kosovar", "XKX"),
        ("South Sudanese", "SSD"),
        ("Congolese", "COD"),
        ("Martian", None),
    ],
)
def test_country_of_adjective(kb, text, iso3):
    assert kb.country_of_adjective(text) == iso3


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Russia", "RUS"),
        ("the Netherlands", "NLD"),
        ("Britain", "GBR"),
        ("Burma", "MMR"),
        ("Türkiye", "TUR"),
        ("Swaziland", "SWZ"),
        ("Pyongyang", "PRK"),
        ("Seoul", "KOR"),
        ("Kiev", "UKR"),
        ("Kremlin", None),
        ("Atlantis", None),
    ],
)
def test_country_of_name(kb, text, iso3):
    assert kb.country_of_name(text) == iso3


def test_country_name_capital_and_sovereign(kb):
    assert kb.country_name("RUS") == "Russia"
    assert kb.capital("RUS") == "Moscow"
    assert kb.capital("PRK") == "Pyongyang"
    assert kb.capital("KAZ") == "Astana"
    assert kb.country_name("ZZZ") is None and kb.capital("ZZZ") is None
    assert kb.sovereign("PRI") == "USA"
    assert kb.sovereign("HKG") == "CHN"
    assert kb.sovereign("RUS") is None


# --- roles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "lemma", "sector", "kind"),
    [
        ("defense minister", "defense minister", "GOV", "person"),
        ("Defence Minister", "defense minister", "GOV", "person"),
        ("minister of defence", "defense minister", "GOV", "person"),
        ("Russia's defense minister", "defense minister", "GOV", "person"),
        ("the defence ministry", "defense ministry", "MIL", "organization"),
        ("a regional governor", "regional governor", "GOV", "person"),
        ("governors", "governor", "GOV", "person"),
        ("Israeli troops", "troops", "MIL", "group"),
        ("soldiers", "soldier", "MIL", "person"),
        ("the foreign ministry", "foreign ministry", "GOV", "organization"),
        ("foreign ministers", "foreign minister", "GOV", "person"),
        ("spokesmen", "spokesperson", "GOV", "person"),
        ("spokeswoman for the ministry", "spokesperson", "GOV", "person"),
        ("secretaries of state", "secretary of state", "GOV", "person"),
        ("militaries", "military", "MIL", "organization"),
        ("lawmakers", "lawmaker", "LEG", "person"),
        ("policemen", "police officer", "COP", "person"),
        ("security forces", "security forces", "COP", "group"),
        ("rebels", "rebel", "REB", "person"),
        ("gunmen", "gunman", "UAF", "person"),
        ("protesters", "protester", "CVL", "person"),
        ("journalists", "journalist", "JRN", "person"),
        ("doctors", "doctor", "MED", "person"),
        ("refugees", "refugee", "REF", "person"),
        ("students", "student", "EDU", "person"),
        ("shipping companies", "shipping company", "BUS", "organization"),
        ("vessel owners", "shipping company", "BUS", "organization"),
        ("prosecutors", "prosecutor", "JUD", "person"),
        ("spy agency", "intelligence", "SPY", "organization"),
        ("opposition", "opposition", "OPP", "group"),
    ],
)
def test_role_in(kb, phrase, lemma, sector, kind):
    assert kb.role_in(phrase) == knowledge.Role(lemma, sector, kind)


def test_role_needs_the_whole_phrase(kb):
    assert kb.role("governors") == knowledge.Role("governor", "GOV", "person")
    ministry = knowledge.Role("foreign ministry", "GOV", "organization")
    assert kb.role("the foreign ministry") == ministry
    assert kb.role("ministers of defence") == knowledge.Role("defense minister", "GOV", "person")
    assert kb.role("Cuban president") is None
    assert kb.role("Russia's defense minister") is None
    assert kb.role("") is None
    assert kb.role_in("") is None
    assert kb.role_in("teapots") is None


# --- user extension through $EVENTWIRE_DATA --------------------------------------------


USER_YAML = """\
# my additions
# version: 7
people:
  - {name: Ivan Testov, aliases: [Testov], country: RUS, sector: GOV, title: governor}
institutions:
  - {name: Kremlin, country: RUS, sector: SPY}
roles:
  - {lemma: harbour master, sector: GOV, kind: person}
no_state: [Seoul]
"""

USER_CSV = """\
# version: 2
iso3,name,aliases,adjectives,capital
RUS,Russia,Rossiya|Russian Federation,Russian|Russians,Moscow
"""


def test_user_data_dir_adds_and_overrides(tmp_path, monkeypatch):
    (tmp_path / "mine.yaml").write_text(USER_YAML, encoding="utf-8")
    (tmp_path / "countries_extra.csv").write_text(USER_CSV, encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("something_else: [1, 2]\n", encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_CACHE", "off")
    monkeypatch.setenv("EVENTWIRE_DATA", str(tmp_path))
    user = knowledge_base()
    assert _coded(user.lookup("Testov")) == ("Ivan Testov", "RUS", "GOV", "person")
    assert user.lookup("Kremlin").sector == "SPY"  # same name: the later file wins
    assert user.country_of_name("Rossiya") == "RUS"
    assert user.lookup("Seoul") is None
    assert user.role("harbour masters") == knowledge.Role("harbour master", "GOV", "person")
    assert user.versions[str(tmp_path / "mine.yaml")] == "7"
    assert str(tmp_path / "notes.yaml") not in user.versions
    forms = {p["pattern"] for p in entity_patterns() if isinstance(p["pattern"], str)}
    assert {"Ivan Testov", "Testov"} <= forms
    monkeypatch.delenv("EVENTWIRE_DATA")
    assert knowledge_base().lookup("Testov") is None
    assert knowledge_base().lookup("Kremlin").sector == "GOV"


def test_extra_dirs_argument(tmp_path, monkeypatch):
    (tmp_path / "x.yaml").write_text(USER_YAML, encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_CACHE", "off")
    monkeypatch.delenv("EVENTWIRE_DATA", raising=False)
    assert knowledge_base((str(tmp_path),)).lookup("Ivan Testov") is not None


@pytest.mark.parametrize(
    "bad",
    [
        "people:\n  - {name: X Y, country: Russia, sector: GOV}\n",
        "people:\n  - {name: X Y, country: RUS}\n",
        "media:\n  - {name: Z News, country: RUS, source_type: rumour}\n",
        "roles:\n  - {lemma: poet, sector: CVL, kind: crowd}\n",
        "people: [\n",
    ],
)
def test_bad_user_data_is_reported(tmp_path, monkeypatch, bad):
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    monkeypatch.setenv("EVENTWIRE_CACHE", "off")
    with pytest.raises(KnowledgeError, match="bad.yaml"):
        knowledge_base((str(tmp_path),))


def test_missing_user_dir_is_reported(tmp_path):
    with pytest.raises(KnowledgeError, match="not a directory"):
        knowledge_base((str(tmp_path / "nowhere"),))


def test_parsed_yaml_cache_round_trip(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "mine.yaml").write_text(USER_YAML, encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("EVENTWIRE_CACHE", str(cache))
    monkeypatch.delenv("EVENTWIRE_DATA", raising=False)
    first = knowledge._parse_yaml(data / "mine.yaml")
    assert list(cache.glob("*.json"))
    assert knowledge._parse_yaml(data / "mine.yaml") == first
    assert first[1] == "7"


# --- entity-ruler patterns -------------------------------------------------------------


@pytest.fixture(scope="module")
def phrase_patterns() -> dict[str, str]:
    out: dict[str, str] = {}
    for p in entity_patterns():
        if isinstance(p["pattern"], str):
            assert p["pattern"] not in out, p["pattern"]
            out[p["pattern"]] = p["label"]
    return out


def test_patterns_cover_the_lexicon(phrase_patterns):
    expected = {
        "Kim Jong Un": "PERSON",
        "Kim Jong-un": "PERSON",
        "Putin": "PERSON",
        "Erdogan": "PERSON",
        "Pyongyang": "GPE",
        "North Korea": "GPE",
        "North Korean": "NORP",
        "Russians": "NORP",
        "U.S.": "GPE",
        "Kremlin": "ORG",
        "TASS": "ORG",
        "Ria Novosti": "ORG",
        "Al-Qaeda": "ORG",
        "The Guardian": "ORG",
        "the Guardian": "ORG",
        "South China Sea": "LOC",
        "Korean War": "EVENT",
    }
    for form, label in expected.items():
        assert phrase_patterns.get(form) == label, form


def test_patterns_leave_out_words_and_ambiguous_forms(phrase_patterns):
    for form in ("Male", "Victoria", "Guardian", "Amnesty", "the Australian", "us", "dpa"):
        assert form not in phrase_patterns, form
    assert all(any(c.isupper() for c in form) for form in phrase_patterns)


def test_ruler_tags_lexicon_names_in_a_sentence():
    from eventwire import nlp

    doc = nlp.load()(
        "North Korean leader Kim Jong Un left Vladivostok by train on Sunday, TASS said, "
        "after talks in Pyongyang with Sergei Shoigu and the Kremlin's envoy."
    )
    ents = {e.text: e.label_ for e in doc.ents}
    assert ents.get("Kim Jong Un") == "PERSON"
    assert ents.get("TASS") == "ORG"
    assert ents.get("Pyongyang") == "GPE"
    assert ents.get("North Korean") == "NORP"
    assert ents.get("Sergei Shoigu") == "PERSON"
    places = knowledge._place_patterns()
    if any("Vladivostok" in str(p["pattern"]) for p in places):
        assert ents.get("Vladivostok") != "PERSON"
