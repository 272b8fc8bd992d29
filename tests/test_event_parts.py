"""The parts of the event stage (``eventwire.extract.events``), each on texts written for it:
where an article is set, what counts as violence or protest, who the parties are when the
text names them only by role or not at all, when two tellings are one event, and the five
one-line inputs of issue 11 that a new user tried."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire import nlp
from eventwire.extract.events.merge import Tellings, merge
from eventwire.extract.events.triggers import natural_harm, tells_protest, tells_violence
from eventwire.extract.places import find_places
from eventwire.extract.setting import find_setting
from eventwire.lexicon import event_lexicon
from eventwire.model import Actor, DateRef, Event, Evidence, Place
from eventwire.pipeline import analyze, extract

PUBLISHED = date(2024, 3, 10)


def events_of(text: str):
    return extract(text, published=PUBLISHED)


# -- where an article is set -------------------------------------------------------------


@pytest.mark.parametrize(("text", "country"), [
    ("Flood talks\n\nNAIROBI, Kenya (AP) — Police fired tear gas at a crowd on Monday.", "KEN"),
    ("LAHORE: Police arrested two men late on Friday, officials said.", "PAK"),
    ("Press release | Oslo, 4 June 2024 | No. 12/24\n\nThe minister met her guests.", "NOR"),
    ("Srinagar, May 27 (IANS) Two soldiers were wounded in a gunfight.", "IND"),
])  # fmt: skip
def test_a_dateline_sets_the_article(text: str, country: str) -> None:
    doc = nlp.parse(text)
    setting = find_setting(doc, find_places(doc))
    assert setting.dateline is not None and setting.country == country
    assert setting.basis == "dateline"


def test_without_a_dateline_the_country_named_most_sets_it() -> None:
    text = ("Protesters marched in Lyon on Sunday. Police in Marseille and Paris "
            "arrested dozens. A minister in Berlin said nothing.")  # fmt: skip
    doc = nlp.parse(text)
    setting = find_setting(doc, find_places(doc))
    assert (setting.dateline, setting.country, setting.basis) == (None, "FRA", "mentions")
    one_each = nlp.parse("Talks were held in Lyon. A minister in Berlin said nothing.")
    assert find_setting(one_each, find_places(one_each)).country is None  # no majority


# -- violence, harm, protest --------------------------------------------------------------


def _token(doc, word: str):
    return next(t for t in doc if t.text == word)


def test_harm_by_a_natural_force_or_an_accident_is_no_attack() -> None:
    lex = event_lexicon()
    doc = nlp.parse("A landslide killed eleven villagers in the hills on Monday.")
    assert natural_harm(_token(doc, "killed"), lex)
    doc = nlp.parse("Three men died in floods after the river burst its banks.")
    assert natural_harm(_token(doc, "died"), lex)
    doc = nlp.parse("One man was killed in police firing near the market.")
    assert not natural_harm(_token(doc, "killed"), lex)  # "firing" is no blaze
    assert events_of("A landslide killed eleven villagers in the hills of Nepal on Monday.") == []


def test_harm_with_no_agent_needs_violence_in_its_sentence() -> None:
    lex = event_lexicon()
    bus = nlp.parse("Nineteen people were killed when their bus fell into a river in Peru.")
    assert not tells_violence(next(iter(bus.sents)), _token(bus, "killed"), lex)
    assert events_of("Nineteen people were killed when their bus fell into a river in Peru.") == []
    gunmen = nlp.parse("Nineteen people were killed when gunmen opened fire on a bus in Peru.")
    assert tells_violence(next(iter(gunmen.sents)), _token(gunmen, "killed"), lex)
    plant = "Four workers were injured when a gas tank exploded at a chemical plant in Ohio."
    assert [e for e in events_of(plant) if e.event_type == "ASSAULT"] == []


def test_signs_and_chants_make_a_march_a_protest() -> None:
    lex = event_lexicon()
    doc = nlp.parse("Hundreds of nurses chanted slogans as they marched to the ministry.")
    assert tells_protest(next(iter(doc.sents)), _token(doc, "marched"), lex)
    walk = nlp.parse("Hundreds of nurses marched to the ministry.")
    assert not tells_protest(next(iter(walk.sents)), _token(walk, "marched"), lex)


def test_an_investigation_of_an_accident_accuses_no_one() -> None:
    crash = "Police in Atlanta are investigating a crash that left four people in hospital."
    assert [e for e in events_of(crash) if e.event_type == "ACCUSE"] == []
    fraud = "Police in Atlanta are investigating the mayor over the missing funds."
    assert [e.event_type for e in events_of(fraud)] == ["ACCUSE"]


# -- parties named by role, implied or caused -------------------------------------------


def test_a_role_takes_the_country_of_the_place_of_its_event() -> None:
    (event,) = events_of("Police arrested twelve students in Dhaka on Monday.")
    assert event.event_type == "COERCE" and event.actor.text == "Police"
    assert (event.actor.country, event.actor.country_basis) == ("BGD", "place")
    assert event.actor.sector == "COP" and not event.actor.implied


def test_a_role_takes_the_country_of_the_dateline() -> None:
    text = "KARACHI: Police detained 40 people after clashes near the port on Friday."
    coerce = [e for e in events_of(text) if e.event_type == "COERCE"]
    assert coerce and coerce[0].actor.country == "PAK"
    assert coerce[0].actor.country_basis == "article"


def test_an_arrest_with_no_agent_implies_the_police() -> None:
    (event,) = events_of("Five students were arrested in Lahore on Monday.")
    assert event.event_type == "COERCE" and event.mode == "arrest"
    actor = event.actor
    assert actor.implied and actor.sector == "COP" and actor.text == "arrested"
    assert actor.country == "PAK" and actor.country_basis == "place"
    assert event.recipient is not None and event.recipient.text == "Five students"


def test_the_agent_of_a_harm_is_the_agent_of_its_cause() -> None:
    events = events_of("One man was killed in police firing in Surat on Tuesday.")
    killed = next(e for e in events if e.event_type == "ASSAULT")
    assert killed.actor is not None and killed.actor.sector == "COP"
    assert killed.actor.country == "IND"


def test_they_takes_up_a_group_named_by_its_role() -> None:
    text = ("Hundreds of nurses chanted slogans and waved placards as they marched through "
            "the city centre.")  # fmt: skip
    (event,) = [e for e in events_of(text) if e.event_type == "PROTEST"]
    assert event.actor is not None and event.actor.sector in {"MED", "CVL", "LAB"}


def test_a_name_after_a_title_is_a_person_whatever_the_entity_label() -> None:
    # the small model tags "Bush" here as a place (a town of that name lies in Egypt)
    (event,) = events_of("President Bush imposed new sanctions on Burma on Tuesday.")
    assert event.event_type == "SANCTION"
    assert event.actor is not None and event.actor.text == "President Bush"
    assert event.actor.sector == "GOV" and event.actor.country != "EGY"


def test_an_outward_act_does_not_give_its_actor_the_target_s_country() -> None:
    # "President Bush" has no country in the text; the only state named is the target
    events = events_of("President Bush has threatened further action against Russia.")
    (threat,) = [e for e in events if e.event_type == "THREATEN"]
    assert threat.recipient is not None and threat.recipient.country == "RUS"
    assert threat.actor is not None and threat.actor.country is None
    assert threat.actor.country_basis is None


def test_the_council_takes_up_the_organisation_named_before() -> None:
    text = ("The Arab League held an emergency session in Cairo on Sunday. "
            "The League demanded the release of the detained officials.")  # fmt: skip
    (request,) = [e for e in events_of(text) if e.event_type == "REQUEST"]
    assert request.actor is not None and request.actor.country == "IGO"
    assert request.actor.text == "The League"


def test_a_national_acronym_needs_its_country_in_the_article() -> None:
    from eventwire import nlp
    from eventwire.extract.actors import find_actors

    def coded(text: str) -> dict[str, str | None]:
        return {a.text: a.country for a in find_actors(nlp.parse(text)).mentions}

    # the knowledge base knows the CPS as a British prosecutor
    assert coded("In London, the CPS charged two men.")["the CPS"] == "GBR"
    assert coded("In Dakar, the CPS met on Friday.")["the CPS"] is None


def test_a_warning_of_punishment_is_a_threat_not_the_punishment() -> None:
    events = events_of("The European Union warned that further violence will lead to sanctions.")
    assert "SANCTION" not in {e.event_type for e in events}
    assert [e for e in events_of("The ministry warned that the death toll might rise.")] == []


def test_a_weapon_or_an_attack_as_subject_tells_an_attack_without_an_agent() -> None:
    (event,) = events_of("On Sunday, 30 rockets struck the town of Sderot in southern Israel.")
    assert event.event_type == "ASSAULT" and event.actor is None
    assert event.recipient is not None and event.recipient.country == "ISR"
    # the same verb with a subject that is no weapon tells nothing of the kind
    assert [e for e in events_of("On Sunday, a storm struck the town of Sderot.")] == []


def test_what_protesters_do_is_their_protest() -> None:
    for text in ("In Leeds, demonstrators hurled eggs at the offices of the ruling party.",
                 "Several thousand protesters massed in the main square of Leeds."):  # fmt: skip
        assert [e.event_type for e in events_of(text)] == ["PROTEST"], text
    # what protesters undergo or say is not a protest
    assert [e for e in events_of("Two protesters fell from the bridge in Leeds.")] == []


def test_the_verb_protest_bears_out_a_rally() -> None:
    text = "Lawyers rallied outside the court in Dhaka to protest the ruling."
    (rally,) = [e for e in events_of(text) if e.event_type == "PROTEST"]
    bare = [e for e in events_of("Lawyers rallied outside the court in Dhaka.")
            if e.event_type == "PROTEST"]  # fmt: skip
    assert not bare or bare[0].confidence < rally.confidence


def test_a_state_s_protest_is_diplomatic_an_accusation() -> None:
    (said,) = events_of("Seoul protested Japan's claim to the islands on Tuesday.")
    assert (said.event_type, said.mode) == ("ACCUSE", "disapprove")
    assert said.actor.country == "KOR" and said.recipient.country == "JPN"
    marched = [e.event_type for e in events_of("Students protested in Seoul on Tuesday.")]
    assert marched == ["PROTEST"]


def test_an_event_with_no_party_at_all_is_not_reported() -> None:
    assert [e for e in events_of("The attack illustrated how little was safe.")] == []


# -- one event, several tellings ----------------------------------------------------------


def _event(kind: str, start: int, actor: tuple[str | None, str | None] | None = None,
           recipient: tuple[str | None, str | None] | None = None, place: Place | None = None,
           day: str | None = None) -> Event:  # fmt: skip
    """A record told at ``start``; parties are (country, basis)."""
    def party(p, span):
        if p is None:
            return None
        return Actor(text="x", country=p[0], country_basis=p[1], span=span)
    return Event(id=f"{kind}-{start}", article_id="a", event_type=kind, status="asserted",
                 actor=party(actor, (start, start + 1)),
                 recipient=party(recipient, (start + 2, start + 3)), location=place,
                 date=DateRef(text="d", value=day, precision="day") if day else None,
                 evidence=Evidence(start=start, end=start + 10, text="x"),
                 confidence=0.9)  # fmt: skip


def test_records_merge_only_on_evidence_that_they_are_one_event() -> None:
    told = Tellings({"ASSAULT-0": 0, "ASSAULT-100": 1, "ASSAULT-500": 6}, frozenset())
    a = _event("ASSAULT", 0, None, ("IRQ", "article"))
    b = _event("ASSAULT", 100, None, ("IRQ", "article"))
    assert len(merge([a, b], told)) == 2  # two bombings, nothing says they are one
    anaphoric = Tellings(told.sentence, frozenset({"ASSAULT-100"}))
    assert len(merge([a, b], anaphoric)) == 1  # "the attack ..." takes the first up
    named = [_event("ACCUSE", 0, ("RUS", "named"), ("UKR", "named")),
             _event("ACCUSE", 500, ("RUS", "named"), ("UKR", "named"))]
    assert len(merge(named, told)) == 1  # the same named parties
    placed = [_event("COERCE", 0, ("IRQ", "article"), ("IRQ", "article")),
              _event("COERCE", 500, ("IRQ", "article"), ("IRQ", "article"))]
    assert len(merge(placed, told)) == 2  # countries only inferred: no evidence of one event


def test_a_merged_record_lists_every_sentence_that_tells_it() -> None:
    told = Tellings({"ACCUSE-0": 0, "ACCUSE-100": 1, "ACCUSE-500": 6}, frozenset())
    named = [_event("ACCUSE", start, ("RUS", "named"), ("UKR", "named"))
             for start in (0, 100, 500)]  # fmt: skip
    (record,) = merge(named, told)
    assert {record.evidence.start, *(t.start for t in record.tellings)} == {0, 100, 500}
    assert len(record.tellings) == 2
    (alone,) = merge(named[:1], told)
    assert alone.tellings == []


def test_different_towns_or_days_keep_records_apart() -> None:
    hilla = Place(text="Hilla", country="IRQ", geonameid=1, precision="city")
    balad = Place(text="Balad", country="IRQ", geonameid=2, precision="city")
    told = Tellings({"ASSAULT-0": 0, "ASSAULT-100": 1}, frozenset({"ASSAULT-100"}))
    apart = [_event("ASSAULT", 0, place=hilla, recipient=("IRQ", "place")),
             _event("ASSAULT", 100, place=balad, recipient=("IRQ", "place"))]
    assert len(merge(apart, told)) == 2
    same_town = [_event("ASSAULT", 0, place=hilla, recipient=("IRQ", "place")),
                 _event("ASSAULT", 100, place=hilla, recipient=("IRQ", "place"))]
    assert len(merge(same_town, Tellings(told.sentence, frozenset()))) == 1
    days = [_event("ASSAULT", 0, recipient=("IRQ", "place"), day="2024-03-01"),
            _event("ASSAULT", 100, recipient=("IRQ", "place"), day="2024-03-02")]
    assert len(merge(days, told)) == 2


# -- issue 11: what a new user tried ------------------------------------------------------


def test_the_one_line_inputs_of_issue_11_give_the_events_a_reader_sees() -> None:
    (detained,) = events_of("Police detained 139 suspects.")
    assert detained.event_type == "COERCE" and detained.actor.sector == "COP"
    assert detained.recipient is not None and "139 suspects" in detained.recipient.text

    (grenade,) = events_of("Militants hurled a grenade at a police station in Srinagar.")
    assert grenade.event_type == "ASSAULT" and grenade.actor.text == "Militants"
    assert grenade.actor.sector == "REB" and grenade.actor.country == "IND"

    (bombs,) = events_of("Car bombs killed 10 people in Hodeidah, Yemen.")
    assert bombs.event_type == "ASSAULT" and bombs.actor is None
    assert bombs.recipient.country == "YEM" and any(q.value == 10 for q in bombs.quantities)

    march = ("Dozens of students, faculty and staff started chants and held up signs as they "
             "marched on the sidewalks around the student union")  # fmt: skip
    assert [e.event_type for e in events_of(march)] == ["PROTEST"]


def test_the_records_say_how_each_country_was_found() -> None:
    analysis = analyze("Afghan police detained 139 suspects in Kabul on Sunday.",
                       published=PUBLISHED)  # fmt: skip
    (event,) = analysis.events
    assert event.actor.country == "AFG" and event.actor.country_basis == "named"
    assert event.version == "1.2"
