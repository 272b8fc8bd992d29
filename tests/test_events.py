"""The event stage on short texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.pipeline import analyze, extract

PUBLISHED = date(2024, 3, 10)  # a Sunday


def events_of(text: str, published: date | None = PUBLISHED):
    return extract(text, published=published)


def find(events, event_type: str):
    return [e for e in events if e.event_type == event_type]


def one(events, event_type: str):
    matches = find(events, event_type)
    assert len(matches) == 1, [(e.event_type, e.evidence.text) for e in events]
    return matches[0]


def test_active_meeting_has_actor_recipient_place_and_date():
    event = one(
        events_of("Japan's prime minister met the Indian president in Tokyo on Friday."), "CONSULT"
    )
    assert event.actor.country == "JPN"
    assert event.recipient.country == "IND"
    assert event.status == "asserted"
    assert event.date.value == "2024-03-08"
    assert event.location is not None and event.location.country == "JPN"


def test_passive_transfer_gives_recipient_from_subject_and_actor_from_agent():
    text = "The Ukrainian army was given twenty tanks by Germany last week."
    event = one(events_of(text), "AID")
    assert event.mode == "military"
    assert event.actor.country == "DEU"
    assert event.recipient.country == "UKR"
    assert any(q.value == 20 for q in event.quantities)


def test_negated_event_is_not_reported_as_happening():
    assert find(events_of("France did not impose sanctions on Mali."), "SANCTION") == []


def test_denial_by_a_named_source_is_denied():
    events = events_of("The Kremlin said no agreement has been signed with Iran.")
    event = one(events, "AGREE")
    assert event.status == "denied"
    assert event.actor.country == "RUS"
    assert event.attribution is not None and event.attribution.source_type == "government"


def test_denial_verb_makes_status_denied():
    event = one(events_of("Moscow denied that it had supplied drones to Iran."), "AID")
    assert event.status == "denied"
    assert event.recipient.country == "IRN"


def test_fear_makes_status_speculated():
    text = "Officials in Seoul fear that Pyongyang would send artillery shells to Russia."
    event = one(events_of(text), "AID")
    assert event.status == "speculated"
    assert event.actor.country == "PRK"
    assert event.recipient.country == "RUS"


def test_hedge_is_thought_to_is_speculated():
    text = "Tehran is thought to be supplying missiles to the Houthis."
    event = one(events_of(text), "AID")
    assert event.status == "speculated"


def test_future_and_promise_are_planned():
    # the codebook: cooperation told in the future tense is AGREE
    events = events_of("Brazil will host talks with Argentina next month.")
    assert one(events, "AGREE").status == "planned"
    # a pledge is the codebook's intent to aid: AGREE, and the pledge itself happened
    event = one(events_of("Canada pledged to send medical supplies to Haiti."), "AGREE")
    assert (event.actor.country, event.recipient.country) == ("CAN", "HTI")
    assert event.status == "asserted"
    assert find(events_of("Canada pledged to send medical supplies to Haiti."), "AID") == []


def test_according_to_a_state_agency_is_reported_with_its_source():
    text = "According to Xinhua, Chinese troops held joint drills with Pakistan on Tuesday."
    # joint manoeuvres with another state are COOPERATE in the codebook
    event = one(events_of(text), "COOPERATE")
    assert (event.actor.country, event.recipient.country) == ("CHN", "PAK")
    assert event.status == "reported"
    assert event.attribution.source == "Xinhua"
    assert event.attribution.source_type == "state_media"
    assert event.attribution.country == "CHN"


def test_reported_speech_with_said():
    text = "Israel's army launched airstrikes on Gaza, the military said in a statement."
    event = one(events_of(text), "ASSAULT")
    assert event.actor.country == "ISR"
    assert event.status == "reported"


def test_accusation_and_coordinated_subjects_give_one_record_each():
    events = find(
        events_of("The United States and Britain accused Russia of election meddling."), "ACCUSE"
    )
    actors = sorted(e.actor.country for e in events)
    assert actors == ["GBR", "USA"]
    assert all(e.recipient.country == "RUS" for e in events)


def test_the_same_event_told_twice_is_one_record():
    text = (
        "Egypt's president met the Jordanian king in Cairo on Monday. "
        "The meeting between the two leaders lasted two hours, officials said. "
        "Egypt's president met the Jordanian king to discuss the border."
    )
    consult = find(events_of(text), "CONSULT")
    assert len(consult) == 1
    assert consult[0].date.value == "2024-03-04"


def test_back_reference_to_a_named_leader():
    text = (
        "Venezuelan President Nicolas Maduro arrived in Havana on Saturday. "
        "Maduro met Cuban officials at the airport."
    )
    # the arrival and the meeting are one visit, told twice
    event = one(events_of(text), "CONSULT")
    assert event.actor.country == "VEN" and event.recipient.country == "CUB"
    analysis = analyze(text, published=PUBLISHED)
    later = next(a for a in analysis.actors if a.text == "Maduro")
    assert later.name == event.actor.name and later.country == "VEN"


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        # the codebook: tear gas is ASSAULT with mode crowd-control
        ("Police fired tear gas at protesters in Nairobi.", "ASSAULT"),
        ("Thousands of students protested against the government in Dhaka.", "PROTEST"),
        ("The European Union imposed new sanctions on Belarus.", "SANCTION"),
        ("Turkey threatened to launch a military operation against Kurdish fighters.", "THREATEN"),
        ("India rejected Pakistan's proposal for talks.", "REJECT"),
        ("Russia deployed thousands of troops near the border with Ukraine.", "MOBILIZE"),
        ("Ukrainian troops withdrew from the town after the agreement.", "RETREAT"),
        ("Poland called on Germany to send more tanks.", "REQUEST"),
        ("Japan praised South Korea for its cooperation.", "SUPPORT"),
    ],
)
def test_event_types(text: str, event_type: str):
    assert find(events_of(text), event_type), [(e.event_type, e.trigger) for e in events_of(text)]


def test_records_validate_and_spans_point_at_the_text():
    text = "According to Reuters, Kenya's police arrested two journalists in Mombasa on Friday."
    for event in events_of(text):
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text
        for actor in (event.actor, event.recipient):
            if actor is not None:
                assert text[actor.span[0] : actor.span[1]] == actor.text


def test_a_sources_must_is_its_demand_of_the_subject():
    event = one(events_of("Japan said on Monday that China must release the fishing crew."),
                "REQUEST")
    assert (event.actor.country, event.recipient.country) == ("JPN", "CHN")
    # an unattributed "must" is the article's own comment, not anybody's demand
    assert find(events_of("China must release the fishing crew."), "REQUEST") == []


def test_a_vow_or_willingness_is_the_intent_with_the_vows_status():
    threat = one(events_of("Iran's president vowed to retaliate against Israel."), "THREATEN")
    assert (threat.actor.country, threat.recipient.country) == ("IRN", "ISR")
    assert threat.status == "asserted"
    # an announced retreat is CONCEDE in the codebook
    offer = one(events_of("Serbia says it is willing to withdraw its police from Kosovo."),
                "CONCEDE")
    assert (offer.actor.country, offer.recipient.country) == ("SRB", "XKX")
    assert offer.status == "reported"


def test_several_subjects_of_a_one_sided_event_are_one_record_each():
    text = "Serbian students and Albanian farmers protested in Brussels on Friday."
    events = find(events_of(text), "PROTEST")
    # each group protests (against the authorities where it happens), not against the other
    assert sorted(e.actor.country for e in events) == ["ALB", "SRB"]
    assert {e.recipient.country for e in events} == {"BEL"}


def test_an_undated_event_takes_the_publication_week_and_a_plan_no_date():
    asserted = one(events_of("Egypt's foreign minister met his Jordanian counterpart."), "CONSULT")
    assert asserted.date is not None and asserted.date.inferred
    assert (asserted.date.value, asserted.date.precision) == ("2024-03-10", "week")
    (planned,) = events_of("Egypt will host talks with Jordan.")  # a promise: AGREE
    assert planned.status == "planned" and planned.date is None
    # without a publication date nothing stands in
    assert one(events_of("Egypt's foreign minister met his Jordanian counterpart.", None),
               "CONSULT").date is None
