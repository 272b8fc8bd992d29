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


# --- where an event happened, and later sentences that take it up --------------------------


def test_a_visit_happens_where_the_visitor_goes_or_leaves() -> None:
    visited = one(events_of("The Chilean president visited Lima on Monday."), "CONSULT")
    assert visited.location.name == "Lima" and visited.recipient.country == "PER"
    # no host named: the state visited is the host
    left = one(
        events_of("Ghana's president left Nigeria on Friday, ending a three-day visit."),
        "CONSULT",
    )
    assert (left.actor.country, left.recipient.country) == ("GHA", "NGA")
    assert left.location.name == "Nigeria" and left.date.value == "2024-03-08"
    flew = one(
        events_of("The Egyptian foreign minister flew to Amman for talks with King Abdullah."),
        "CONSULT",
    )
    assert flew.location.name == "Amman" and flew.actor.country == "EGY"
    back = one(
        events_of("The Kenyan president returned from Addis Ababa on Sunday after a short visit."),
        "CONSULT",
    )
    assert back.location.name == "Addis Ababa" and back.actor.country == "KEN"


def test_ending_a_visit_is_not_breaking_off_talks() -> None:
    events = events_of("Ghana's president left Nigeria on Friday, ending a three-day visit.")
    assert not find(events, "SANCTION")
    broke_off = one(events_of("Turkey ended talks with Greece on Monday."), "SANCTION")
    assert broke_off.recipient.country == "GRC"


def test_an_attack_happens_at_the_place_attacked() -> None:
    shelled = one(events_of("Russian forces shelled Odesa on Monday."), "ASSAULT")
    assert shelled.location.name == "Odesa"
    bombed = one(events_of("Israeli aircraft bombed the city of Rafah on Sunday."), "ASSAULT")
    assert bombed.location.country == "PSE"


def test_a_place_in_a_clause_about_something_else_is_not_the_event_place() -> None:
    signed = find(
        events_of("Leaders of Chile and Peru signed a document outlining a plan to rebuild "
                  "ports in Valparaiso."),
        "AGREE",
    )  # fmt: skip
    assert signed and all(e.location is None for e in signed)


def test_a_later_definite_noun_adds_day_count_and_source_to_the_event() -> None:
    text = (
        "Poland moved tanks to its eastern border. The Tuesday deployment included 40 tanks, "
        "the PAP news agency reported."
    )
    moved = one(events_of(text), "MOBILIZE")
    assert moved.actor.country == "POL"
    assert moved.status == "reported" and "PAP" in moved.attribution.source
    assert moved.date.value == "2024-03-05" and moved.date.text == "Tuesday"
    assert [q.text for q in moved.quantities] == ["40 tanks"]
    # each added field points at its own words
    assert text[slice(*moved.date.span)] == "Tuesday"


def test_a_later_definite_noun_adds_the_place_where_it_happened() -> None:
    text = (
        "Spain and Portugal signed a water-sharing pact on Friday. The signing took place at a "
        "ceremony in Porto."
    )
    pact = one(events_of(text), "AGREE")
    assert pact.location.name == "Porto" and pact.date.value == "2024-03-08"


def test_a_definite_noun_naming_another_place_takes_up_nothing() -> None:
    text = (
        "Russian forces attacked a convoy on Monday. The attack near Odesa came on Tuesday, "
        "Ukrainian officials said."
    )
    convoy = [e for e in find(events_of(text), "ASSAULT") if "convoy" in e.evidence.text]
    assert convoy and all(e.attribution is None and e.status == "asserted" for e in convoy)
    assert all(e.date.value == "2024-03-04" for e in convoy)


def test_too_far_back_is_not_taken_up() -> None:
    text = (
        "Poland moved tanks to its eastern border. Farmers protested in Warsaw. Prices rose. "
        "Schools closed in Gdansk. The deployment took place in Bialystok."
    )
    moved = one(events_of(text), "MOBILIZE")
    assert moved.location is None


def test_a_source_line_credits_what_the_article_tells_without_a_source() -> None:
    text = (
        "Brazil's president met the Argentine president in Brasilia on Monday.\n\n"
        "Source: Agencia Brasil\n\n"  # a news agency the knowledge base knows
        "The Argentine foreign ministry said Argentina and Brazil signed a trade deal."
    )
    events = events_of(text)
    met = one(events, "CONSULT")
    assert met.status == "reported" and met.attribution.source == "Agência Brasil"
    assert met.attribution.source_type in {"media", "state_media"}
    assert met.attribution.cue == "Source:"
    # a source in the sentence itself comes first
    deal = one(events, "AGREE")
    assert "ministry" in deal.attribution.source.lower()
    # a writer's credit is no source
    credit = events_of("Brazil's president met the Argentine president on Monday.\n\n"
                       "Source: Maria Souza")  # fmt: skip
    assert one(credit, "CONSULT").attribution is None


def test_a_target_guessed_to_be_the_actors_own_country_stays_unknown() -> None:
    froze = one(events_of("Canada froze the assets of companies tied to the program."), "SANCTION")
    assert froze.actor.country == "CAN" and froze.recipient.country is None
    # a target the text itself places in the actor's country keeps it
    named = one(events_of("Canada sanctioned three Canadian firms on Monday."), "SANCTION")
    assert named.recipient.country == "CAN"


def test_a_multiword_condition_makes_no_event() -> None:
    text = ("As long as Iran's missile program continues to threaten its neighbours, "
            "the sanctions stay.")  # fmt: skip
    assert not find(events_of(text), "THREATEN")
    assert find(events_of("Iran's missile program continues to threaten Israel."), "THREATEN")


def test_an_attack_with_no_named_target_strikes_the_state_where_it_lands() -> None:
    fired = one(events_of("Israeli tanks fired four shells at targets in Jericho on Monday."),
                "ASSAULT")  # fmt: skip
    assert (fired.actor.country, fired.recipient.country) == ("ISR", "PSE")
    assert fired.recipient.sector is None  # the country, not its government
    struck = one(events_of("Russian drones attacked Odesa overnight."), "ASSAULT")
    assert struck.location.name == "Odesa" and struck.recipient.country == "UKR"
    # at home too: event data codes a domestic act against the country itself
    home = one(events_of("Kenyan police fired tear gas in Nairobi on Monday."), "ASSAULT")
    assert (home.actor.country, home.recipient.country) == ("KEN", "KEN")
    # a target the sentence names comes first
    named = one(events_of("Kenyan police fired tear gas at students in Nairobi."), "ASSAULT")
    assert named.recipient.text == "students"


def test_a_party_inside_a_passive_patient_is_the_target() -> None:
    text = "A camp for Congolese refugees was attacked by Burundian militiamen."
    attack = one(events_of(text), "ASSAULT")
    assert (attack.actor.country, attack.recipient.country) == ("BDI", "COD")


def test_demonstrators_marching_protest_in_the_capital_named() -> None:
    text = "Thousands of demonstrators marched through Kenya's capital on Friday."
    march = one(events_of(text), "PROTEST")
    assert march.actor.country == "KEN" and march.recipient.country == "KEN"
    assert march.location.name == "Nairobi" and march.location.text == "Kenya's capital"
    assert text[slice(*march.location.span)] == "Kenya's capital"
    # soldiers marching is no protest
    assert not find(events_of("Kenyan troops marched through the town on Friday."), "PROTEST")
    later = one(events_of("Students protested on Monday in the capital of Chile."), "PROTEST")
    assert later.location.name == "Santiago"


def test_a_protest_with_no_target_or_place_is_aimed_at_its_own_government() -> None:
    strike = one(events_of("Kenyan teachers went on strike on Friday."), "PROTEST")
    assert (strike.actor.country, strike.recipient.country) == ("KEN", "KEN")
    assert strike.recipient.sector == "GOV" and strike.recipient.text == "Kenyan"
    assert strike.date.value == "2024-03-08"  # "went": the Friday before publication


def test_a_later_clause_gives_counts_and_sources_only_when_it_tells_the_event() -> None:
    attack = one(events_of("Russian forces attacked a convoy near Kharkiv on Monday. "
                           "The attack killed 12 soldiers."), "ASSAULT")  # fmt: skip
    assert [q.text for q in attack.quantities] == ["12 soldiers"]
    met = one(events_of("Kenya's president met Uganda's president in Kampala on Monday. "
                        "The meeting produced one joint statement."), "CONSULT")  # fmt: skip
    assert met.quantities == []
    buried = one(events_of("Russian forces attacked a convoy near Kharkiv on Monday. The "
                           "governor said it was too early to tell whether the attack was "
                           "planned."), "ASSAULT")  # fmt: skip
    assert buried.status == "asserted" and buried.attribution is None
