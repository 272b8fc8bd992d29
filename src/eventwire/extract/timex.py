"""TimeML (TIMEX3) normalisation: the type and normalised value of a temporal expression.

``dates`` decides what a news event's date is (a calendar day, week, month or year to put on
a record); TimeML asks a wider question: every temporal expression, with a type (DATE, TIME,
DURATION, SET) and a value in its own notation ("1998-W32", "1989-Q3", "P9M", "PRESENT_REF",
"1998-08-07TMO"). This module answers the wider question, so that ``find_dates`` can label each
expression it keeps and the scorer can compare it with TimeBank/AQUAINT.

``normalise`` reads one expression (already cut to TimeML's span convention: no leading
preposition) against the document creation time. Plain calendar dates are left to ``dates``,
which passes its own reading in as ``value``/``precision``; the rules here cover what a calendar
date cannot say: durations, sets, quarters, halves, seasons, decades, times of day and the
vague PRESENT/PAST/FUTURE references. Values follow the TimeML 1.2 guidelines as the corpora use
them: a quarter with no year is the DCT's year, "the quarter" alone (business news) is the last
completed one, and an expression a year before an anchor ("a year earlier") is resolved by
``shift_year`` against the last quarter mentioned.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["EXTRA_SPANS", "normalise", "shift_year", "timex_of_reading"]

_NUMS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "a couple of": 2, "couple of": 2,
    "a couple": 2, "twenty-four": 24, "twenty four": 24, "a dozen": 12, "dozen": 12,
}
_VAGUE_NUMS = ("a few", "few", "several", "many", "some", "the", "a number of", "numerous")
_UNITS = {
    "second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1), "day": ("", "D", 1),
    "night": ("", "D", 1), "week": ("", "W", 1), "fortnight": ("", "W", 2), "month": ("", "M", 1),
    "quarter": ("", "Q", 1), "year": ("", "Y", 1), "decade": ("", "Y", 10),
    "century": ("", "Y", 100), "centurie": ("", "Y", 100),
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "last": 4}
_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9),
            "winter": ("WI", 12)}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI",
          "overnight": "NI", "mid-afternoon": "AF", "mid afternoon": "AF"}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")

_REFS = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "current": "PRESENT_REF",
    "right now": "PRESENT_REF", "at present": "PRESENT_REF", "the present": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "presently": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "the past": "PAST_REF", "lately": "PAST_REF",
    "previously": "PAST_REF", "once": "PAST_REF", "past years": "PAST_REF",
    "recent years": "PAST_REF",
    "formerly": "PAST_REF", "several years ago": "PAST_REF", "a while ago": "PAST_REF",
    "soon": "FUTURE_REF", "the future": "FUTURE_REF", "future": "FUTURE_REF",
    "shortly": "FUTURE_REF", "eventually": "FUTURE_REF", "the near future": "FUTURE_REF",
    "someday": "FUTURE_REF",
}
# "annually" and "quarterly" are left out: in business news they mostly qualify a rate
# ("2% annually", "a quarterly dividend") that TimeML leaves unmarked.
_SET_WORDS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y",
              "hourly": "PT1H", "nightly": "P1D", "biweekly": "P2W"}

_NUM_RE = (r"(?P<num>\d+(?:\.\d+)?(?:\s+1/2)?|a couple of|couple of|a dozen|twenty[\s-]four|"
           r"a hundred|" + "|".join(sorted((k for k in _NUMS if " " not in k), key=len,
                                           reverse=True))
           + r"|(?P<vague>a few|few|several|many|some|a number of|numerous))")
_UNIT_RE = (r"(?P<unit>second|minute|hour|day|night|week|fortnight|month|quarter|year|decade"
            r"|centur(?:y|ie))s?")
_RE_DURATION = re.compile(
    r"^(?:(?:the|a|an|each of the)\s+)?"
    r"(?:(?:past|last|next|first|final|latest|previous|coming|recent|additional|further|more than"
    r"|nearly|almost|about|around|some|at least|up to|over|less than|no more than|fewer than"
    r"|roughly|approximately|only|just|another|more|full|the past|the last|the next|the first"
    r"|year-earlier)\s+)*"
    rf"{_NUM_RE}[\s-]+(?:(?:more|additional|full|long|trading|business|straight|consecutive)"
    rf"\s+)?{_UNIT_RE}(?P<tail>[\s-]+(?:long|old|term|period|or so|ahead))?$"
)
_RE_HYPHEN_DURATION = re.compile(rf"^{_NUM_RE}-{_UNIT_RE}(?:-(?:long|old))?$")
_RE_PLURAL_DURATION = re.compile(
    r"^(?:(?:the|recent|coming|the coming|the past|past|the last|the next|many|the early)\s+)?"
    r"(?P<unit>second|minute|hour|day|week|month|quarter|year|decade|centurie)s"
    r"(?:\s+(?:ahead|to come))?$"
)
_RE_THE_UNIT = re.compile(r"^(?:the|a|an|one|past|the past|the full|the whole|the entire)"
                          r"\s+(?P<unit>minute|hour|day|week|month|year|decade|century)$")
_RE_QUARTER = re.compile(
    r"^(?:the\s+)?(?:(?P<year>(?:19|20)\d\d)(?:'s)?\s+|(?P<rel>this|last|next) year's\s+"
    r"|(?:fiscal|the fiscal)\s+(?P<fyear>(?:19|20)\d\d)(?:'s)?\s+)?"
    r"(?:(?:fiscal|latest|current|comparable|same)[\s-]+)*"
    r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)[\s-]+"
    r"(?:fiscal[\s-]+)?(?P<per>quarter|half)s?"
    r"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<year2>(?:19|20)\d\d)|\s+of\s+(?P<rel2>this|last|next)"
    r" year)?$"
)
_RE_THE_QUARTER = re.compile(
    r"^(?:the\s+)?(?:latest|most recent|recent|current|just-ended|just ended|past|last)?\s*"
    r"(?:fiscal\s+)?quarter$|^(?:the\s+)?latest period$"
)
_RE_YEAR_EARLIER = re.compile(
    r"^(?:the\s+)?(?:comparable\s+|same\s+)?(?:a\s+)?year[\s-]+(?:earlier|ago)"
    r"(?:\s+(?:quarter|period|third quarter|second quarter|first quarter|fourth quarter))?$"
    r"|^(?:the\s+)?(?:quarter|period)\s+a year (?:earlier|ago)$"
    r"|^(?:the\s+)?year-(?:earlier|ago)\s+(?:quarter|period|results|levels?)$"
)
_RE_SEASON = re.compile(
    r"^(?:the\s+)?(?:(?P<mod>last|this|next|this past|past|early|late|mid)[\s-]+)?"
    r"(?:(?:early|late|mid)[\s-]+)?(?P<season>spring|summer|fall|autumn|winter)"
    r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d))?$"
)
_RE_FISCAL = re.compile(
    r"^(?:the\s+)?(?:(?:current|latest|previous|last|next|this)\s+)?fiscal(?:\s+year)?"
    r"(?:\s+(?P<year>(?:19|20)\d\d))?$"
)
_RE_DECADE = re.compile(
    r"^(?:the\s+)?(?:(?:early|mid|late|middle)[\s-]+)?(?P<dec>1[89]\d|20\d)0'?s$"
    r"|^(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?'(?P<short>\d)0s$"
)
_RE_CLOCK = re.compile(
    r"^(?:(?:about|around|at|approximately|shortly after|shortly before|just after|just before)"
    r"\s+)?(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?"
    r"(?:\s+(?:[a-z]{2,3}t|gmt|local time|in the (?P<pod>morning|afternoon|evening)))?"
    r"(?:,?\s+(?P<rest>.+))?$"
)
_RE_SET = re.compile(
    r"^(?:every|each|per|a)\s+(?:(?P<num>\d+|other|two|three|four|five)\s+)?"
    r"(?P<what>[a-z]+?)s?$"
)
_RE_ANCHORED_DAY = re.compile(r"^(?:the\s+)?(?:end|start|beginning|middle) of (?P<rest>.+)$")


def _num(word: str) -> str:
    word = word.replace("-", " ")
    if word in ("few", "a few", "several", "many", "some", "a number of", "numerous"):
        return "X"
    if word.endswith(" 1/2"):
        return word[:-4]
    if word.replace(".", "", 1).isdigit():
        return word
    return str(_NUMS.get(word, "X"))


def _duration(num: str, unit: str) -> str:
    unit = unit.rstrip("s")
    if unit == "centurie":
        unit = "century"
    time_part, letter, scale = _UNITS.get(unit, ("", "X", 1))
    if num != "X" and scale != 1:
        num = str(int(float(num) * scale))
    elif num == "X" and unit == "decade":
        letter = "E"
    elif num == "X" and unit == "century":
        letter = "C"
    return f"P{time_part}{num}{letter}"


def _quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def shift_year(value: str, years: int = -1) -> str | None:
    """The same period ``years`` away: '1989-Q3' -> '1988-Q3'. None for values without a year."""
    match = re.match(r"^(\d{4})(.*)$", value)
    if match is None:
        return None
    return f"{int(match[1]) + years:04d}{match[2]}"


def timex_of_reading(value: str | None, precision: str | None) -> str | None:
    """TimeML notation of a ``dates`` reading: the start of a period plus its precision."""
    if value is None:
        return None
    if precision == "day":
        return value
    if precision == "month":
        return value[:7]
    if precision == "year":
        return value[:4]
    if precision == "week":
        year, week, _ = dt.date.fromisoformat(value).isocalendar()
        return f"{year}-W{week:02d}"
    return value


def _clean(text: str) -> str:
    low = text.lower().replace("’", "'").replace("—", " ").replace("–", "-")
    return " ".join(low.split()).strip(" .,;:()\"")


def normalise(text: str, dct: dt.date | None, value: str | None = None,
              precision: str | None = None) -> tuple[str, str | None] | None:
    """``(kind, timex)`` of one expression; None when TimeML would not call it temporal.

    ``value``/``precision`` are ``dates``' calendar reading of the same text, used for plain
    dates; ``kind`` is date, time, duration or set.
    """
    low = _clean(text)
    if not low:
        return None
    if low in _REFS:
        return "date", _REFS[low]
    if low in _SET_WORDS:
        return "set", _SET_WORDS[low]
    if re.search(r"\bold$|\baged\b", low):
        return None  # an age ("a 52-year-old"), which TimeML mostly leaves unmarked
    match = re.match(r"^(?:in|within)\s+(?P<rest>.+)$", low)
    if match:
        # "in 21 months": a date for an event, but TimeML marks "21 months" as the duration.
        found = _durations(match["rest"])
        if found:
            return "date" if value is not None else found[0], found[1]
    if low in ("the full year", "the past year", "the current year", "the year to date"):
        if dct is None:
            return "date", None
        return "date", str(dct.year - (low == "the past year"))
    if re.match(r"^(?:the\s+)?(?:19|20)\d\d (?:quarter|period)$", low):
        return "date", re.search(r"\d{4}", low)[0]  # type: ignore[index]
    found = _set(low) or _time_of_day(low, dct, value) or _period(low, dct)
    if found:
        return found
    found = _durations(low)
    if found:
        return found
    match = _RE_DECADE.match(low)
    if match:
        decade = match["dec"] or f"19{match['short']}"
        return "date", decade
    if value is not None:
        timex = timex_of_reading(value, precision)
        if "weekend" in low and precision == "week" and timex:
            timex += "-WE"
        return "date", timex
    return None


def _set(low: str) -> tuple[str, str | None] | None:
    match = _RE_SET.match(low)
    if match is None or low.startswith("a ") and match["num"]:
        return None
    what = match["what"]
    if low.startswith(("a ", "per ")):
        return None  # "a year" is a duration far more often than a rate
    count = match["num"] or "1"
    step = int(count) if count.isdigit() else {"other": 2}.get(count, _NUMS.get(count, 1))
    if what in _UNITS:
        return "set", _duration(str(step), what)
    if what in _WEEKDAYS:
        return "set", f"XXXX-WXX-{_WEEKDAYS.index(what) + 1}"
    if what in _MONTH_NAMES:
        return "set", f"XXXX-{_MONTH_NAMES.index(what) + 1:02d}"
    return None


_PART_LEAD = (r"(?:(?:this|that|early|late|later|mid|the|last|yesterday|tomorrow)\s+)?"
              r"(?:\w+day\s+)?(?:this\s+)?")


def _time_of_day(low: str, dct: dt.date | None, value: str | None
                 ) -> tuple[str, str | None] | None:
    day = value if value and len(value) == 10 else (dct.isoformat() if dct else None)
    if low in ("noon", "midday", "midnight") or re.match(
            r"^(?:noon|midday|midnight)\s+\w+$|^\w+\s+(?:noon|midday|midnight)$", low):
        clock = "24" if "midnight" in low else "12:00"
        return "time", f"{day}T{clock}" if day else None
    for word, code in _PARTS.items():
        if re.match(rf"^{_PART_LEAD}{word}(?:\s+\w+day)?$", low):
            if low in ("the night", "night", "the morning", "morning", "the evening") and (
                    not day):
                return None
            if low == "last night" and dct is not None:
                day = (dct - dt.timedelta(days=1)).isoformat()
            return "time", f"{day}T{code}" if day else None
    match = _RE_CLOCK.match(low)
    if match and (match["ap"] or match["m"] or match["pod"]) and int(match["h"]) <= 24:
        hour = int(match["h"])
        if match["ap"] and match["ap"].startswith("p") and hour < 12:
            hour += 12
        if match["ap"] and match["ap"].startswith("a") and hour == 12:
            hour = 0
        if match["pod"] in ("afternoon", "evening") and hour < 12:
            hour += 12
        clock = f"{hour:02d}:{match['m'] or '00'}"
        return "time", f"{day}T{clock}" if day else None
    return None


def _period(low: str, dct: dt.date | None) -> tuple[str, str | None] | None:
    """Quarters, halves, seasons, fiscal years and 'a year earlier'."""
    match = _RE_QUARTER.match(low)
    if match:
        year = match["year"] or match["fyear"] or match["year2"]
        rel = match["rel"] or match["rel2"]
        if year is None and dct is None:
            return "date", None
        if year is None and dct is not None:
            year = str(dct.year + {"last": -1, "next": 1}.get(rel or "", 0))
        number = _ORDINALS[match["ord"]]
        letter = "Q" if match["per"] == "quarter" else "H"
        if letter == "H":
            number = min(number, 2)
        return "date", f"{year}-{letter}{number}"
    if _RE_THE_QUARTER.match(low):
        if dct is None:
            return "date", None
        last = dt.date(dct.year, (_quarter_of(dct) - 1) * 3 + 1, 1) - dt.timedelta(days=1)
        return "date", f"{last.year}-Q{_quarter_of(last)}"
    if _RE_YEAR_EARLIER.match(low):
        return "date", str(dct.year - 1) if dct else None
    match = _RE_SEASON.match(low)
    if match:
        code, start = _SEASONS[match["season"]]
        if match["year"]:
            return "date", f"{match['year']}-{code}"
        if dct is None:
            return "date", None
        year = dct.year
        mod = match["mod"] or ""
        if mod == "last":
            year -= 1  # TimeBank reads "last spring" as the previous year's, even in autumn
        elif mod in ("past", "this past") and start > dct.month:
            year -= 1
        elif mod == "next" and start <= dct.month:
            year += 1
        return "date", f"{year}-{code}"
    match = _RE_FISCAL.match(low)
    if match and (match["year"] or "year" in low):
        if match["year"]:
            return "date", match["year"]
        if low.startswith("the fiscal year"):
            return "duration", "P1Y"
        if dct is None:
            return "date", None
        shift = -1 if ("last" in low or "previous" in low or "latest" in low) else (
            1 if "next" in low else 0)
        return "date", str(dct.year + shift)
    return None


def _durations(low: str) -> tuple[str, str | None] | None:
    if low.endswith(" ago"):
        return None
    for pattern in (_RE_DURATION, _RE_HYPHEN_DURATION):
        match = pattern.match(low)
        if match:
            num = "X" if match["vague"] else _num(match["num"])
            if match["num"] == "the" or (match["num"] in ("a", "an") and low.startswith(
                    ("the ", "this "))):
                num = "1"
            timex = _duration(num, match["unit"])
            if match["num"].endswith(" 1/2"):
                timex = _half(timex)
            return "duration", timex
    match = _RE_PLURAL_DURATION.match(low)
    if match:
        return "duration", _duration("X", match["unit"])
    match = _RE_THE_UNIT.match(low)
    if match and low not in ("the day", "this year", "this month", "this week", "one day"):
        return "duration", _duration("1", match["unit"])
    return None


def _half(timex: str) -> str:
    """'2 1/2 years': P2Y -> P2Y6M, PT5H -> PT5H30M."""
    match = re.match(r"^P(T?)(\d+)([A-Z])$", timex)
    if match is None:
        return timex
    half = {"Y": "6M", "H": "30M", "M": "" if not match[1] else "30S", "D": "T12H"}.get(match[3])
    return f"P{match[1]}{match[2]}{match[3]}{half}" if half else timex


# Expressions spaCy's NER rarely tags as DATE/TIME, found by pattern and then normalised.
EXTRA_SPANS = re.compile(
    r"\b(?:right now|now|currently|recently|lately|formerly"
    r"|the\s+(?:near\s+)?future|the past|nowadays|these days|at present"
    r"|daily|weekly|monthly|yearly|hourly"
    r"|(?:every|each)\s+(?:day|week|month|year|quarter|morning|night|evening|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:the\s+)?(?:(?:19|20)\d\d(?:'s)?\s+)?(?:fiscal[\s-]+)?(?:first|second|third|fourth)"
    r"[\s-]+(?:fiscal[\s-]+)?(?:quarter|half)(?:\s+of\s+(?:19|20)\d\d)?"
    r"|(?:the\s+)?(?:latest|year-earlier|year-ago|comparable year-ago)\s+(?:quarter|period)"
    r"|(?:a\s+)?year\s+(?:earlier|ago)"
    r"|fiscal\s+(?:19|20)\d\d"
    r"|(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|fifty)"
    r"-(?:second|minute|hour|day|week|month|year)(?![-\s]+old)"
    r"|(?:last|this|next|early|late)\s+(?:spring|summer|fall|autumn|winter)"
    r"|(?:noon|midnight|overnight))\b",
    re.IGNORECASE,
)
