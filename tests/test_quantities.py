"""Quantities: counts with their item, measures with units, money, exclusions."""

from __future__ import annotations

import pytest

from eventwire.extract.quantities import find_quantities, quantities_in
from eventwire.model import Quantity


@pytest.fixture(scope="module")
def nlp():
    try:
        from eventwire.nlp import load

        return load()
    except ImportError:  # the knowledge base that feeds the entity ruler is not there yet
        import spacy

        from eventwire.nlp import resolve_model_name

        return spacy.load(resolve_model_name(), exclude=["senter"])


def _found(nlp, text: str) -> list[tuple[str, float | None, str | None, str | None]]:
    doc = nlp(text)
    out = []
    for q in find_quantities(doc):
        assert q.span is not None and doc.text[q.span[0]:q.span[1]] == q.text
        out.append((q.text, q.value, q.unit, q.item))
    return out


def test_counts_take_the_singular_item(nlp) -> None:
    assert _found(nlp, "The governor handed over five kamikaze drones and two radios.") == [
        ("five kamikaze drones", 5, None, "kamikaze drone"),
        ("two radios", 2, None, "radio"),
    ]
    assert _found(nlp, "At least 20 people were killed when 3,000 troops advanced.") == [
        ("At least 20 people", 20, None, "person"),
        ("3,000 troops", 3000, None, "troop"),
    ]


def test_vague_counts_take_a_lower_bound(nlp) -> None:
    found = _found(nlp, "Dozens of villagers fled and tens of thousands of refugees waited.")
    assert found == [
        ("Dozens of villagers", 24, None, "villager"),
        ("tens of thousands of refugees", 20000, None, "refugee"),
    ]


def test_measures_are_normalised_and_parenthesised_conversions_kept(nlp) -> None:
    assert _found(nlp, "The convoy stopped about 250 kilometers (155 miles) from the coast.") == [
        ("about 250 kilometers", 250, "km", None),
        ("155 miles", 155, "mi", None),
    ]
    assert _found(nlp, "Ships carried 500 tonnes of wheat.") == [
        ("500 tonnes of wheat", 500, "t", "wheat"),
    ]


def test_money(nlp) -> None:
    found = _found(nlp, "Washington approved $1.2 billion in aid and Brussels added €40m.")
    assert found == [("$1.2 billion", 1.2e9, "USD", None), ("€40m", 4e7, "EUR", None)]
    assert _found(nlp, "The fund holds 300 million euros.") == [
        ("300 million euros", 3e8, "EUR", None),
    ]


def test_percent_only_with_an_explicit_unit(nlp) -> None:
    assert _found(nlp, "Exports fell 12% while imports rose 3.5 percent.") == [
        ("12%", 12, "%", None),
        ("3.5 percent", 3.5, "%", None),
    ]


def test_dates_ages_years_and_names_are_not_quantities(nlp) -> None:
    text = ("A 34-year-old pilot, aged 34, flew an Su-25 and a Geran-2 drone on March 3, 2022, "
            "at 10 a.m. under Resolution 2231; in 2019 the G7 met for three days.")
    assert _found(nlp, text) == []


def test_word_numbers_without_an_item_are_dropped(nlp) -> None:
    assert _found(nlp, "One of them said the five would stay.") == []
    assert _found(nlp, "Police said 12 were detained.") == [("12", 12, None, None)]


def test_quantities_in_a_span() -> None:
    quantities = [
        Quantity(text="five drones", value=5, span=(10, 21)),
        Quantity(text="20 people", value=20, span=(40, 49)),
    ]
    assert [q.text for q in quantities_in(quantities, 0, 30)] == ["five drones"]
    assert quantities_in(quantities, 15, 45) == []
    assert len(quantities_in(quantities, 0, 49)) == 2


def _restated(nlp, text: str) -> list[tuple[str, bool | None, bool]]:
    return [(q.text, q.consistent, q.restates is not None) for q in find_quantities(nlp(text))]


@pytest.mark.parametrize("text", [
    "The train stopped about 250 kilometers (155 miles) from the border.",
    "The base lies around 8,000 kilometers (5,000 miles) from the capital.",
    "Each shell weighs 43 kg (95 pounds).",
    "The island covers 1,200 square kilometers (463 square miles).",
])
def test_a_measure_restated_in_other_units_is_checked_and_agrees(nlp, text: str) -> None:
    first, second = _restated(nlp, text)
    assert first[1] is True and second[1] is True
    assert not first[2] and second[2]  # the parenthesised one points back at the first


def test_a_restatement_that_does_not_convert_is_flagged(nlp) -> None:
    quantities = find_quantities(nlp("The convoy was 250 kilometers (255 miles) away."))
    assert [q.consistent for q in quantities] == [False, False]
    assert quantities[1].restates == quantities[0].span


def test_measures_that_are_not_restatements_are_left_unchecked(nlp) -> None:
    # different dimensions, money (exchange rates move), and measures not in parentheses
    for text in (
        "The missile flew 300 km (with a 500 kg warhead).",
        "The loan of $5 million (4.6 million euros) was signed.",
        "The road is 20 km long and the river 12 miles wide.",
    ):
        assert all(q.consistent is None and q.restates is None
                   for q in find_quantities(nlp(text))), text
