"""Dates: resolution against the publication date, finding in text, sentence lookup."""

from __future__ import annotations

import datetime as dt

import pytest

from eventwire.extract.dates import date_for_sentence, find_dates, resolve
from eventwire.model import DateRef

SUNDAY = dt.date(2023, 9, 17)


@pytest.fixture(scope="module")
def nlp():
    try:
        from eventwire.nlp import load

        return load()
    except ImportError:  # the knowledge base that feeds the entity ruler is not there yet
        import spacy

        from eventwire.nlp import resolve_model_name

        return spacy.load(resolve_model_name(), exclude=["senter"])


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("on Sunday", "2023-09-17", "day"),
        ("Tuesday", "2023-09-12", "day"),
        ("Wednesday night", "2023-09-13", "day"),
        ("Saturday", "2023-09-16", "day"),
        ("last Tuesday", "2023-09-12", "day"),
        ("last Sunday", "2023-09-10", "day"),
        ("next Friday", "2023-09-22", "day"),
        ("today", "2023-09-17", "day"),
        ("yesterday", "2023-09-16", "day"),
        ("tomorrow", "2023-09-18", "day"),
        ("last night", "2023-09-16", "day"),
        ("three days ago", "2023-09-14", "day"),
        ("last week", "2023-09-04", "week"),
        ("this week", "2023-09-11", "week"),
        ("next week", "2023-09-18", "week"),
        ("two weeks ago", "2023-08-28", "week"),
        ("earlier this month", "2023-09-01", "month"),
        ("last month", "2023-08-01", "month"),
        ("next month", "2023-10-01", "month"),
        ("this year", "2023-01-01", "year"),
        ("later this year", "2023-01-01", "year"),
        ("last year", "2022-01-01", "year"),
        ("January 15", "2023-01-15", "day"),
        ("15 January", "2023-01-15", "day"),
        ("Sept. 13", "2023-09-13", "day"),
        ("Oct. 2", "2023-10-02", "day"),
        ("Jan. 15, 2024", "2024-01-15", "day"),
        ("15 January 2024", "2024-01-15", "day"),
        ("2022-02-24", "2022-02-24", "day"),
        ("in March 2022", "2022-03-01", "month"),
        ("in March", "2023-03-01", "month"),
        ("early December", "2022-12-01", "month"),
        ("2019", "2019-01-01", "year"),
        ("in 21 months", "2025-06-01", "month"),
        ("in two weeks", "2023-09-25", "week"),
    ],
)
def test_resolve_against_a_sunday(text: str, value: str, precision: str) -> None:
    assert resolve(text, SUNDAY) == (value, precision)


@pytest.mark.parametrize(
    "text",
    ["for three days", "21 years old", "a 21-year-old", "the past week", "three days",
     "10 a.m.", "recent years", "the 1990s", "later that day", "the next day", "annual"],
)
def test_durations_vague_and_anaphoric_expressions_have_no_value(text: str) -> None:
    assert resolve(text, SUNDAY) == (None, None)


def test_future_tense_moves_weekdays_and_months_forward() -> None:
    assert resolve("Friday", SUNDAY) == ("2023-09-15", "day")
    assert resolve("Friday", SUNDAY, future=True) == ("2023-09-22", "day")
    assert resolve("Sunday", SUNDAY, future=True) == ("2023-09-17", "day")
    assert resolve("in March", SUNDAY, future=True) == ("2024-03-01", "month")


def test_month_day_takes_the_nearest_year_not_far_in_the_future() -> None:
    assert resolve("Dec. 28", dt.date(2024, 1, 3)) == ("2023-12-28", "day")
    assert resolve("Jan. 2", dt.date(2023, 12, 30)) == ("2024-01-02", "day")
    assert resolve("March 3", SUNDAY) == ("2023-03-03", "day")


def test_relative_expressions_need_a_publication_date() -> None:
    assert resolve("on Sunday", None) == (None, None)
    assert resolve("last week", None) == (None, None)
    assert resolve("Jan. 15, 2024", None) == ("2024-01-15", "day")
    assert resolve("2019", None) == ("2019-01-01", "year")


def test_resolve_accepts_a_datetime() -> None:
    assert resolve("yesterday", dt.datetime(2023, 9, 17, 23, 5)) == ("2023-09-16", "day")


TEXT = (
    "Officials said on Tuesday that the two leaders will meet on Friday in the capital. "
    "The talks began earlier this month, and a deal could follow in 21 months. "
    "The 64-year-old minister had spoken for three days. Later that day a convoy left."
)


def test_find_dates_in_text(nlp) -> None:
    doc = nlp(TEXT)
    dates = find_dates(doc, SUNDAY)
    found = {d.text: (d.value, d.precision) for d in dates}
    assert found["Tuesday"] == ("2023-09-12", "day")
    assert found["Friday"] == ("2023-09-22", "day")  # "will meet": the next Friday
    assert found["earlier this month"] == ("2023-09-01", "month")
    assert found["in 21 months"] == ("2025-06-01", "month")
    assert found["Later that day"] == (None, None)
    assert not any("64" in d.text or "three days" in d.text for d in dates)
    for d in dates:
        assert d.span is not None and doc.text[d.span[0]:d.span[1]] == d.text
    assert [d.span for d in dates] == sorted(d.span for d in dates)


def test_find_dates_without_publication_date_keeps_text_and_span(nlp) -> None:
    doc = nlp(TEXT)
    dates = find_dates(doc, None)
    tuesday = next(d for d in dates if d.text == "Tuesday")
    assert tuesday.value is None and tuesday.span == (TEXT.index("Tuesday"),
                                                      TEXT.index("Tuesday") + 7)


def test_find_dates_flag_forces_the_tense(nlp) -> None:
    doc = nlp("The minister arrived on Friday.")
    assert find_dates(doc, SUNDAY)[0].value == "2023-09-15"
    assert find_dates(doc, SUNDAY, future=True)[0].value == "2023-09-22"


def test_find_dates_reads_dates_the_model_misses(nlp) -> None:
    doc = nlp("Troops crossed the river on Sept. 13, 2023 and again on 2023-09-14.")
    values = {d.value for d in find_dates(doc, SUNDAY)}
    assert {"2023-09-13", "2023-09-14"} <= values


def test_date_for_sentence_prefers_a_resolved_date() -> None:
    dates = [
        DateRef(text="later that day", value=None, span=(5, 19)),
        DateRef(text="Sunday", value="2023-09-17", precision="day", span=(30, 36)),
        DateRef(text="Monday", value="2023-09-11", precision="day", span=(60, 66)),
    ]
    assert date_for_sentence(dates, 0, 50).text == "Sunday"
    assert date_for_sentence(dates, 0, 20).text == "later that day"
    assert date_for_sentence(dates, 55, 70).text == "Monday"
    assert date_for_sentence(dates, 20, 30) is None


def test_month_with_a_relative_year() -> None:
    assert resolve("July last year", SUNDAY) == ("2022-07-01", "month")
    assert resolve("March next year", SUNDAY) == ("2024-03-01", "month")


def test_a_range_gives_both_ends(nlp) -> None:
    doc = nlp("Prices doubled between 2014 and 2019, officials said.")
    values = [d.value for d in find_dates(doc, SUNDAY)]
    assert values == ["2014-01-01", "2019-01-01"]


# --- TimeML kinds and values -----------------------------------------------------------------

THURSDAY = dt.date(1989, 10, 26)


@pytest.mark.parametrize(
    ("text", "kind", "timex"),
    [
        ("now", "date", "PRESENT_REF"),
        ("recently", "date", "PAST_REF"),
        ("the future", "date", "FUTURE_REF"),
        ("the third quarter", "date", "1989-Q3"),
        ("third-quarter", "date", "1989-Q3"),
        ("the quarter", "date", "1989-Q3"),
        ("the first half of 1990", "date", "1990-H1"),
        ("last spring", "date", "1988-SP"),
        ("fiscal 1990", "date", "1990"),
        ("the 1980s", "date", "198"),
        ("a year earlier", "date", "1988"),
        ("the first nine months", "duration", "P9M"),
        ("the past two years", "duration", "P2Y"),
        ("several weeks", "duration", "PXW"),
        ("2 1/2 years", "duration", "P2Y6M"),
        ("five-hour", "duration", "PT5H"),
        ("daily", "set", "P1D"),
        ("every Thursday", "set", "XXXX-WXX-4"),
        ("10:35 a.m.", "time", "1989-10-26T10:35"),
        ("this morning", "time", "1989-10-26TMO"),
    ],
)
def test_timeml_kind_and_value(text: str, kind: str, timex: str) -> None:
    from eventwire.extract.timex import normalise

    assert normalise(text, THURSDAY) == (kind, timex)


def test_calendar_readings_take_timeml_notation() -> None:
    from eventwire.extract.timex import normalise, timex_of_reading

    assert timex_of_reading("2023-09-11", "week") == "2023-W37"
    assert timex_of_reading("2023-09-01", "month") == "2023-09"
    assert timex_of_reading("2023-01-01", "year") == "2023"
    assert normalise("the weekend", SUNDAY, "2023-09-11", "week") == ("date", "2023-W37-WE")
    assert normalise("an age of 52-year-old", SUNDAY) is None


def test_find_dates_labels_kinds_and_keeps_durations_out_by_default(nlp) -> None:
    doc = nlp(TEXT)
    default = find_dates(doc, SUNDAY)
    assert {d.kind for d in default} <= {"date", "time"}
    assert next(d for d in default if d.text == "Tuesday").timex == "2023-09-12"
    assert next(d for d in default if d.text == "earlier this month").timex == "2023-09"
    later = next(d for d in default if d.text == "in 21 months")
    assert (later.kind, later.value, later.timex) == ("date", "2025-06-01", "P21M")
    every = find_dates(doc, SUNDAY, kinds=("date", "time", "duration", "set"))
    spoke = next(d for d in every if d.text == "three days")
    assert (spoke.kind, spoke.timex, spoke.value) == ("duration", "P3D", None)


def test_quarter_ended_date_is_two_expressions_and_year_earlier_follows_the_quarter(nlp) -> None:
    text = ("Profit rose in the quarter ended Sept. 30, and sales in the third quarter beat "
            "the level of a year earlier.")
    dates = find_dates(nlp(text), THURSDAY)
    found = {d.text: d.timex for d in dates}
    assert found["the quarter"] == "1989-Q3"
    assert found["Sept. 30"] == "1989-09-30"
    assert found["a year earlier"] == "1988-Q3"


def test_events_only_take_calendar_dates() -> None:
    from eventwire.extract.dates import is_event_date

    assert is_event_date(DateRef(text="Sunday", value="2023-09-17", precision="day"))
    assert is_event_date(DateRef(text="later that day"))  # unresolved, text kept
    assert not is_event_date(DateRef(text="now", timex="PRESENT_REF"))
    assert not is_event_date(DateRef(text="for three years", timex="P3Y", kind="duration"))
    dates = [DateRef(text="now", timex="PRESENT_REF", span=(0, 3)),
             DateRef(text="Monday", value="2023-09-11", precision="day", span=(10, 16))]
    assert date_for_sentence(dates, 0, 20).text == "Monday"


def test_went_is_past_and_going_to_is_future(nlp) -> None:
    # published on a Sunday: the Friday before, unless the verb looks ahead
    assert find_dates(nlp("Teachers went on strike on Friday."), SUNDAY)[0].value == "2023-09-15"
    ahead = find_dates(nlp("Teachers are going to strike on Friday."), SUNDAY)
    assert ahead[0].value == "2023-09-22"
