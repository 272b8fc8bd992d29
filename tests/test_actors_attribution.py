"""Actor coding and attribution on short texts written for these tests."""

from __future__ import annotations

from eventwire import nlp
from eventwire.extract.actors import ActorMentions, find_actors
from eventwire.extract.attribution import find_article_source, find_attributions


def actors_of(text: str):
    return find_actors(nlp.parse(text))


def coded(text: str) -> dict[str, tuple]:
    return {a.text: (a.name, a.country, a.sector) for a in actors_of(text).mentions}


def test_leader_by_name_and_title_and_back_reference():
    text = (
        "Cuban President Miguel Diaz-Canel flew to Caracas. "
        "Diaz-Canel later spoke to reporters. The Cuban president left on Monday."
    )
    mentions = actors_of(text).mentions
    by_text = {m.text: m for m in mentions}
    first = next(m for m in mentions if "Miguel" in m.text)
    assert first.country == "CUB" and first.sector == "GOV"
    assert by_text["Diaz-Canel"].name == first.name
    assert by_text["The Cuban president"].name == first.name


def test_roles_with_country_from_possessive_and_demonym():
    codes = coded("Spain's defence minister met Moroccan police officers and Italian troops.")
    spain = next(v for k, v in codes.items() if "defence minister" in k)
    assert spain[1:] == ("ESP", "GOV")
    assert any(v[1:] == ("ITA", "MIL") for k, v in codes.items() if "troops" in k)
    assert any(v[1] == "MAR" and v[2] == "COP" for k, v in codes.items() if "police" in k)


def test_capitals_and_seats_stand_for_the_state():
    codes = coded("The Kremlin warned Kyiv, and Beijing stayed silent.")
    assert codes["The Kremlin"][1:] == ("RUS", "GOV")
    assert codes["Kyiv"][1] == "UKR"
    assert codes["Beijing"][1] == "CHN"


def test_news_agencies_are_media_of_their_country():
    text = "KCNA said the launch succeeded, and TASS carried the report."
    codes = coded(text)
    # the PLOVER codebook's sector for news media is JRN (MED is health)
    assert codes["KCNA"][1:] == ("PRK", "JRN")
    assert codes["TASS"][1:] == ("RUS", "JRN")


def test_attribution_according_to_and_said():
    text = (
        "According to TASS, the convoy crossed the river. "
        "The foreign ministry said the talks would resume. "
        "The talks failed, a senior diplomat said."
    )
    doc = nlp.parse(text)
    found = find_attributions(doc, find_actors(doc))
    assert [a.cue.lower() for a in found] == ["according to", "said", "said"]
    tass, ministry, diplomat = found
    assert tass.source_type == "state_media" and tass.country == "RUS"
    assert text[tass.content_span[0] : tass.content_span[1]].startswith("the convoy crossed")
    assert ministry.source_type == "government"
    assert diplomat.source_type == "anonymous"
    assert "talks failed" in text[diplomat.content_span[0] : diplomat.content_span[1]]


def test_a_speaker_after_the_cue_is_the_source() -> None:
    text = (
        "Polish troops were deployed to the northern border, stated the press office of the "
        "Polish Ministry of Defence on Monday."
    )
    doc = nlp.parse(text)
    (said,) = find_attributions(doc, find_actors(doc))
    assert said.cue == "stated" and said.country == "POL"
    assert "Ministry of Defence" in said.source
    assert text[slice(*said.span)].startswith("the press office of the Polish Ministry")
    assert text[slice(*said.content_span)].startswith("Polish troops were deployed")
    # "and stated ..." continues the subject's own sentence: no inverted speaker
    doc = nlp.parse("The ministry published photos of the tanks, and stated the figures.")
    assert all(a.source != "figures" for a in find_attributions(doc, find_actors(doc)))


def test_an_institution_keeps_the_of_phrase_of_its_name() -> None:
    doc = nlp.parse("The Indonesian Ministry of Foreign Affairs summoned the envoy.")
    names = [a.text for a in find_actors(doc).mentions]
    assert "The Indonesian Ministry of Foreign Affairs" in names
    # an "of" phrase that is not part of a name stays out
    doc = nlp.parse("The ministry of the interior arrested him.")
    assert all("interior" not in a.text for a in find_actors(doc).mentions)


def test_a_source_line_is_the_article_source() -> None:
    doc = nlp.parse("Tanks crossed the river.\n\nSource: Reuters\n")
    source = find_article_source(doc, find_actors(doc))
    assert source is not None and source.source == "Reuters" and source.cue == "Source:"
    assert source.content_span == (0, len(doc.text))
    assert find_article_source(nlp.parse("Open source: software for all."), ActorMentions()) is None


def test_an_envoy_posted_abroad_keeps_the_country_they_serve() -> None:
    found = coded(
        "Nairobi summoned French Ambassador to Kenya Arlette Dupont. Officials later asked "
        "Dupont to explain the remarks."
    )
    assert found["Arlette Dupont"][1] == "FRA"
    assert found["Dupont"][1] == "FRA"  # the later mention is the same person


def test_no_single_country_is_guessed_for_the_international_community() -> None:
    found = coded("Iran warned the international community on Monday. Its navy held drills.")
    assert found["the international community"][1] is None
    assert coded("A regional governor in Russia gave gifts.")["A regional governor"][1] == "RUS"


def test_a_participle_speaks_for_its_clause_subject() -> None:
    text = "The Kenyan ministry condemned the raid, saying the village was shelled twice."
    doc = nlp.parse(text)
    said = [a for a in find_attributions(doc, find_actors(doc)) if a.cue == "saying"]
    assert said and "ministry" in said[0].source.lower() and said[0].country == "KEN"
    assert text[slice(*said[0].content_span)].startswith("the village was shelled")


def test_a_poll_shows_a_clause_but_police_finding_weapons_is_no_attribution() -> None:
    doc = nlp.parse("A Gallup poll shows that most voters oppose the treaty.")
    (shows,) = find_attributions(doc, find_actors(doc))
    assert shows.cue == "shows" and "poll" in shows.source.lower()
    doc = nlp.parse("Police found weapons in the house.")
    assert find_attributions(doc, find_actors(doc)) == []


def test_a_transcript_line_opens_with_its_speaker() -> None:
    text = (
        "Senator Maria Lopez spoke to the host on Sunday.\n"
        '"HOST: Will the bill pass?\n'
        '"LOPEZ: We have the votes, and we will pass it this week.\n'
        "Note: the interview was edited for length.\n"
    )
    doc = nlp.parse(text)
    lines = [a for a in find_attributions(doc, find_actors(doc)) if a.cue == ":"]
    # HOST names nobody in the text; "Note" is a label, not a speaker
    assert [text[slice(*a.span)] for a in lines] == ["LOPEZ"]
    assert text[slice(*lines[0].content_span)].startswith("We have the votes")


def test_captions_and_data_credits_are_no_article_source() -> None:
    for credit in ("Source: Getty Images", "Source: World Bank", "Source: Ahmed Musa"):
        doc = nlp.parse(f"Tanks crossed the river on Monday.\n\n{credit}\n")
        assert find_article_source(doc, find_actors(doc)) is None, credit
    # a "Source:" line in the middle of a story is a chart's caption
    middle = "\n".join(["Tanks crossed the river."] * 4 + ["Source: Eurostat"]
                       + ["Talks resumed."] * 4)  # fmt: skip
    doc = nlp.parse(middle)
    assert find_article_source(doc, find_actors(doc)) is None


def test_a_name_the_entity_recogniser_cut_short_is_one_person():
    # the small model tags only "Shah Mehmood" as a person here
    codes = coded("Pakistan Foreign Minister Shah Mehmood Qureshi met Afghan officials.")
    (minister,) = [v for k, v in codes.items() if k.endswith("Qureshi")]
    assert minister[1:] == ("PAK", "GOV")

