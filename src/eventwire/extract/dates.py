"""When: find temporal expressions in a parsed article and resolve them to calendar dates.

Candidates come from spaCy's DATE/TIME entities and from eventwire's own patterns (weekdays,
month-day dates, ISO dates, "today"/"yesterday", ...). Each is resolved against the publication
date with news conventions:

* a bare weekday ("on Sunday", "Wednesday night") is the most recent such day on or before
  publication, or the next one on or after it when the governing verb is future ("will meet on
  Friday"); "last Tuesday" is strictly before, "next Friday" strictly after;
* a month-day without a year ("Sept. 13") is the latest such day on or before publication,
  unless the next one is at most 60 days ahead (or the verb is future);
* "last week" / "this week" resolve to the Monday of that week (precision ``week``), "earlier this
  month" to the first of the month (``month``), "2019" to ``2019-01-01`` (``year``), "in 21
  months" to the first of the month 21 months after publication;
* the value is always the start of the period; early/mid/late qualifiers do not move it.

Durations ("for three days", "the past week") and sets ("daily") are not dates: ``find_dates``
returns them only when asked for those kinds (the TimeML scorer does), and every expression it
returns carries its TimeML type and value from ``timex`` ("P3D", "1989-Q3", "PRESENT_REF").
Relative expressions with no publication date, and anaphoric ones ("later that day", "the next
day"), are kept with ``value=None`` so that their text and span remain available; vague ones
("now", "the 1990s", a quarter) have no calendar value and never date an event.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from eventwire.extract.timex import EXTRA_SPANS, normalise, shift_year
from eventwire.model import DateRef
from eventwire.nlp import view

__all__ = ["date_for_sentence", "find_dates", "is_event_date", "resolve"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}
# A month-day without a year may lie this many days after publication ("Oct. 2" in a
# mid-September story); further ahead, the past occurrence is meant unless the verb is future.
FUTURE_WINDOW_DAYS = 60
_PRECISION_RANK = {"day": 4, "week": 3, "month": 2, "year": 1, None: 0}

_MON = (r"(?P<mon>january|february|march|april|may|june|july|august|september|october"
        r"|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d|21\d\d)"
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM = r"(?P<num>\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?P<unit>day|week|fortnight|month|year|decade)s?"

_RE_ISO = re.compile(r"\b(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})\b")
_RE_MDY = re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b")
_RE_DMY = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b")
_RE_MY = re.compile(rf"\b{_MON},?\s+(?:of\s+)?{_YEAR}\b")
_RE_MON_REL_YEAR = re.compile(rf"\b{_MON}\s+(?:of\s+)?(?P<mod>last|this|next)\s+year\b")
_RE_MD = re.compile(rf"\b{_MON}\s+{_DAY}\b(?!\s*(?:,\s*)?\d)")
_RE_DM = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MON}\b")
_RE_AGO = re.compile(rf"\b{_NUM}\s+{_UNIT}\s+ago\b")
_RE_IN = re.compile(
    rf"^(?:in|within)\s+(?:about\s+|around\s+|some\s+)?{_NUM}\s+{_UNIT}(?:'s|’s)?(?:\s+time)?$"
)
_RE_FROM_NOW = re.compile(rf"\b{_NUM}\s+{_UNIT}\s+from\s+now\b")
_RE_DAYWORD = re.compile(
    r"\b(?P<w>the day before yesterday|the day after tomorrow|today|tonight|yesterday|tomorrow"
    r"|this (?:morning|afternoon|evening)|last night)\b"
)
_RE_PERIOD = re.compile(
    r"\b(?:(?P<pre>earlier|later|early|late|mid|the end of|end of|the start of|the beginning of)"
    r"[\s-]+)?(?:in\s+)?(?P<mod>last|this|next|coming|past|previous|the)\s+"
    r"(?P<per>week|weekend|month|year)\b"
)
_RE_WEEKDAY = re.compile(rf"\b(?:(?P<mod>last|this|next|past|coming|previous)\s+)?{_WD}\b")
_RE_MONTH = re.compile(
    r"\b(?:(?P<mod>last|this|next|coming|past|early|mid|late|the end of|end of)[\s-]+)?"
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b"
)
_RE_DECADE = re.compile(r"\b(?:the\s+)?(?:early\s+|mid\s+|late\s+)?(1[89]\d0|20\d0)'?s\b")
_RE_YEAR = re.compile(rf"(?<![\d,.$€£]){_YEAR}(?![\d,]|\s*(?:%|percent))")
_RE_ANAPHORIC = re.compile(
    r"\b(?:that (?:day|night|morning|afternoon|evening|week|month|year)"
    r"|the same (?:day|week|month|year)"
    r"|the (?:next|following|previous|preceding) (?:day|night|morning|week|month|year)"
    r"|the day (?:before|after)|the night before"
    r"|(?:\d+|[a-z]+) (?:days?|weeks?|months?|years?) (?:later|earlier|before|after)"
    r"|(?:later|earlier) (?:that|the same) (?:day|week|month|year))\b"
)
_RE_DURATION = re.compile(
    r"^(?:for|over|during|within|throughout|in|after|nearly|almost)?\s*(?:the\s+)?"
    r"(?:past|last|next|previous|coming|first|final|recent)?\s*"
    r"(?:about|nearly|almost|more than|over|some|at least|up to|around|roughly|approximately"
    r"|fewer than|less than|just)?\s*"
    r"(?:\d+|[a-z]+(?:-[a-z]+)?|a few|two or three|several|many)?[\s-]*(?:more\s+|full\s+|long\s+)?"
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|years?"
    r"|decades?|centur(?:y|ies))(?:[\s-]+(?:old|long))?$"
)
_RE_AGE = re.compile(r"\b(?:\d+|[a-z]+)[\s-]+(?:years?|months?)[\s-]+old\b|\baged\b")
_RE_CLOCK = re.compile(
    r"^(?:at\s+)?(?:about\s+|around\s+)?\d{1,2}(?::\d\d)?\s*"
    r"(?:a\.?m\.?|p\.?m\.?|gmt|utc|local time|hours?)?$"
)
_ADJECTIVES = {"annual", "daily", "weekly", "monthly", "yearly", "quarterly", "overnight", "now",
               "currently", "recently", "later", "earlier", "once", "night", "day", "the day",
               "the year", "the week", "the month", "this time", "the time", "time", "the past",
               "the future", "season", "the season", "this season", "recent", "the weekend"}

# Words in front of a capitalised month name that make it a date rather than the verb "march"
# or the name "May".
_MONTH_CUES = {"in", "since", "until", "till", "by", "before", "after", "during", "from", "of",
               "early", "mid", "late", "last", "next", "this", "on", "to", "through", "between",
               "and", "end", "around", "throughout", "mid-"}
# "going" as a form ("is going to meet"): the lemma "go" would make "went" future too.
_PLAN_WORDS = {"plan", "schedule", "expect", "due", "set", "intend", "slate", "aim", "prepare",
               "hope", "going", "likely", "poised", "expected", "scheduled", "planned", "slated"}


@dataclass(frozen=True)
class _Reading:
    kind: str  # absolute | relative | anaphoric | vague | duration
    value: str | None = None
    precision: str | None = None


def _as_date(published: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(published, dt.datetime):
        return published.date()
    return published


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(month: int, day: int, published: dt.date, future: bool) -> dt.date | None:
    """The occurrence of month/day a news text most likely means.

    The coming one when it is at most ``FUTURE_WINDOW_DAYS`` away (any distance up to a year
    when the verb is future), else the latest one on or before publication.
    """
    past: dt.date | None = None
    ahead: dt.date | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate is None:
            continue
        if candidate <= published:
            past = candidate
        elif ahead is None:
            ahead = candidate
    if ahead is not None and (future or (ahead - published).days <= FUTURE_WINDOW_DAYS):
        return ahead
    return past


def _weekday(target: int, published: dt.date, mod: str | None, future: bool) -> dt.date:
    back = (published.weekday() - target) % 7
    ahead = (target - published.weekday()) % 7
    if mod in ("last", "past", "previous"):
        return published - dt.timedelta(days=back or 7)
    if mod == "next":
        return published + dt.timedelta(days=ahead or 7)
    if mod in ("this", "coming") or future:
        return published + dt.timedelta(days=ahead)
    return published - dt.timedelta(days=back)


def _month_only(month: int, published: dt.date, mod: str | None, future: bool) -> dt.date:
    this = dt.date(published.year, month, 1)
    current = dt.date(published.year, published.month, 1)
    if mod in ("last", "past"):
        return this if this < current else dt.date(published.year - 1, month, 1)
    if mod in ("next", "coming"):
        return this if this > current else dt.date(published.year + 1, month, 1)
    if mod == "this":
        return this
    nearest = _nearest_year(month, 1, published, future)
    return nearest or this


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _read(text: str, published: dt.date | None, future: bool = False) -> _Reading | None:
    """Interpret one temporal expression; None when it is not a temporal expression at all."""
    low = " ".join(text.lower().replace("’", "'").replace("—", " ").split()).strip(" .,;:()")
    if not low:
        return None

    match = _RE_ISO.search(low)
    if match:
        day = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day:
            return _Reading("absolute", _iso(day), "day")
    for pattern in (_RE_MDY, _RE_DMY):
        match = pattern.search(low)
        if match:
            day = _safe_date(int(match["year"]), _MONTHS[match["mon"]], int(match["day"]))
            if day:
                return _Reading("absolute", _iso(day), "day")
    match = _RE_MON_REL_YEAR.search(low)
    if match:
        if published is None:
            return _Reading("relative")
        year = published.year + {"last": -1, "next": 1}.get(match["mod"], 0)
        return _Reading("relative", f"{year:04d}-{_MONTHS[match['mon']]:02d}-01", "month")
    match = _RE_MY.search(low)
    if match:
        return _Reading("absolute", f"{int(match['year']):04d}-{_MONTHS[match['mon']]:02d}-01",
                        "month")
    for pattern in (_RE_MD, _RE_DM):
        match = pattern.search(low)
        if match and 1 <= int(match["day"]) <= 31:
            if published is None:
                return _Reading("relative")
            day = _nearest_year(_MONTHS[match["mon"]], int(match["day"]), published, future)
            if day:
                return _Reading("absolute", _iso(day), "day")

    if _RE_AGE.search(low):
        return _Reading("duration")

    match = _RE_AGO.search(low) or _RE_FROM_NOW.search(low)
    sign = -1 if match is not None and match.re is _RE_AGO else 1
    if match is None:
        match = _RE_IN.search(low)
        if match is not None and low.startswith("within"):
            return _Reading("duration")
    if match:
        amount = _number(match["num"])
        if amount is None:
            return _Reading("vague")
        if published is None:
            return _Reading("relative")
        return _offset(published, match["unit"], sign * amount)

    match = _RE_DAYWORD.search(low)
    if match:
        if published is None:
            return _Reading("relative")
        shift = {"the day before yesterday": -2, "the day after tomorrow": 2, "yesterday": -1,
                 "last night": -1, "tomorrow": 1}.get(match["w"], 0)
        return _Reading("relative", _iso(published + dt.timedelta(days=shift)), "day")

    if _RE_ANAPHORIC.search(low):
        return _Reading("anaphoric")

    match = _RE_PERIOD.search(low)
    if match and not (match["mod"] == "past" and match["per"] != "weekend"):
        if match["mod"] == "the" and match["per"] != "weekend":
            return None if low in _ADJECTIVES else _Reading("vague")
        if published is None:
            return _Reading("relative")
        return _period(published, match["mod"], match["per"], future)

    match = _RE_WEEKDAY.search(low)
    if match:
        if published is None:
            return _Reading("relative")
        day = _weekday(_WEEKDAYS.index(match["wd"]), published, match["mod"], future)
        return _Reading("relative", _iso(day), "day")

    match = _RE_MONTH.search(low)
    if match:
        if published is None:
            return _Reading("relative")
        mod = match["mod"]
        day = _month_only(_MONTHS[match["mon"]], published, mod, future)
        return _Reading("relative", _iso(day), "month")

    match = _RE_DECADE.search(low)
    if match:
        return _Reading("vague")
    match = _RE_YEAR.search(low)
    if match:
        return _Reading("absolute", f"{match['year']}-01-01", "year")

    if _RE_DURATION.match(low) or _RE_CLOCK.match(low):
        return _Reading("duration")
    if low in _ADJECTIVES:
        return None
    return _Reading("vague")


def _offset(published: dt.date, unit: str, amount: int) -> _Reading:
    if unit == "day":
        return _Reading("relative", _iso(published + dt.timedelta(days=amount)), "day")
    if unit in ("week", "fortnight"):
        days = amount * (14 if unit == "fortnight" else 7)
        return _Reading("relative", _iso(_monday(published + dt.timedelta(days=days))), "week")
    if unit == "month":
        day = _add_months(published, amount)
        return _Reading("relative", _iso(day.replace(day=1)), "month")
    years = amount * (10 if unit == "decade" else 1)
    return _Reading("relative", f"{published.year + years:04d}-01-01", "year")


def _period(published: dt.date, mod: str, per: str, future: bool) -> _Reading:
    step = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(mod, 0)
    if per == "weekend":
        # The weekend belongs to its Monday-to-Sunday week; "the weekend" without "next" is the
        # latest one, unless the verb is future.
        saturday = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        if mod in ("next", "coming") or (mod in ("this", "the") and future):
            saturday = published + dt.timedelta(days=(5 - published.weekday()) % 7)
        elif mod in ("last", "previous") and published.weekday() >= 5:
            saturday -= dt.timedelta(days=7)
        return _Reading("relative", _iso(_monday(saturday)), "week")
    if per == "week":
        return _Reading("relative", _iso(_monday(published) + dt.timedelta(weeks=step)), "week")
    if per == "month":
        first = _add_months(published.replace(day=1), step)
        return _Reading("relative", _iso(first), "month")
    return _Reading("relative", f"{published.year + step:04d}-01-01", "year")


def resolve(
    text: str, published: dt.date | None, future: bool = False
) -> tuple[str | None, str | None]:
    """Resolve one temporal expression against the publication date.

    Returns ``(value, precision)``: the ISO date of the start of the period and one of
    day/week/month/year, or ``(None, None)`` when the expression is not a date, is a duration,
    is anaphoric, or is relative and ``published`` is None. ``future`` says that the governing
    verb is future, which moves bare weekdays, months and month-days forward.
    """
    reading = _read(text, _as_date(published), future)
    if reading is None or reading.value is None:
        return None, None
    return reading.value, reading.precision


# --- finding ---------------------------------------------------------------------------------

_CAP_WEEKDAY = re.compile(
    r"\b(?:(?:[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast|[Cc]oming)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b"
)
_CAP_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
            r"|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.|Jan"
            r"|Feb|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_CAP_DATE = re.compile(
    rf"\b{_CAP_MON}\s+[0-3]?\d(?:st|nd|rd|th)?\b(?:,?\s+(?:1[89]|20|21)\d\d\b)?"
    rf"|\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?{_CAP_MON}(?:,?\s+(?:1[89]|20|21)\d\d\b)?"
    rf"|\b{_CAP_MON},?\s+(?:1[89]|20|21)\d\d\b"
    r"|\b\d{4}-\d\d-\d\d\b"
)
_CAP_MONTH_ALONE = re.compile(
    r"\b(?:(?:early|mid|late)[\s-]+)?(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\b"
)
_LOW_WORDS = re.compile(
    r"\b(?:the day before yesterday|the day after tomorrow|today|tonight|yesterday|tomorrow"
    r"|this (?:morning|afternoon|evening)|last night"
    r"|(?:earlier|later)\s+this\s+(?:week|month|year)"
    r"|(?:last|this|next)\s+(?:week|weekend|month|year)"
    r"|(?:later|earlier)\s+that\s+(?:day|night|morning|afternoon|evening|week|month|year)"
    r"|the\s+(?:next|following|previous)\s+(?:day|morning|week|month|year)"
    r"|the\s+same\s+day|the\s+day\s+(?:before|after))\b",
    re.IGNORECASE,
)


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    reading: _Reading
    from_entity: bool
    kind: str = "date"
    timex: str | None = None

    def label(self, published: dt.date | None) -> None:
        """Set the TimeML kind and value from the text and the calendar reading."""
        found = normalise(self.text, published, self.reading.value, self.reading.precision)
        if found is not None:
            self.kind, self.timex = found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,;:(\"'“”‘’":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:)\"'“”‘’":
        end -= 1
    for suffix in ("'s", "’s"):
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    return start, end


def _head_verb(token: Token) -> Token | None:
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") or token.dep_ == "ROOT":
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _is_future(doc: Doc, start: int, end: int) -> bool:
    """Whether the verb governing the span [start, end) speaks of the future."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    verb = _head_verb(span.root)
    for _ in range(3):
        if verb is None:
            return False
        for child in verb.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in ("will", "shall", "'ll", "wo",
                                                                     "’ll"):
                return True
            if child.dep_ == "aux" and child.lower_ == "to" and (
                    verb.head.lemma_ in (_PLAN_WORDS | {"be"}) or verb.head.lower_ in _PLAN_WORDS):
                return True
        if verb.lemma_ in _PLAN_WORDS or verb.lower_ in _PLAN_WORDS:
            return True
        if verb.dep_ not in ("xcomp", "ccomp", "advcl", "conj") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _needs_future(reading_text: str) -> bool:
    low = reading_text.lower()
    return bool(_RE_WEEKDAY.search(low) or _RE_MONTH.search(low) or _RE_MD.search(low)
                or _RE_DM.search(low) or "weekend" in low)


def _candidate(doc: Doc, text: str, start: int, end: int, published: dt.date | None,
               from_entity: bool) -> _Candidate | None:
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    chunk = text[start:end]
    # spaCy leaves "in" outside "21 months"; with it the span is a relative future date.
    before = text[max(0, start - 7):start].lower()
    for prefix in ("in ", "within "):
        if before.endswith(prefix) and _RE_IN.search(f"{prefix}{chunk.lower()}"):
            start -= len(prefix)
            chunk = text[start:end]
            break
    future = _needs_future(chunk) and _is_future(doc, start, end)
    reading = _read(chunk, published, future) or _Reading("vague")
    cand = _Candidate(start, end, chunk, reading, from_entity)
    dated = reading.kind not in ("duration", "vague")
    if not dated:
        # Not a calendar date; TimeML may still call it a duration, a set or PRESENT_REF.
        cand.reading = _Reading("vague")
    cand.label(published)
    if not dated and cand.timex is None:
        return None
    return cand


def _month_cue(text: str, start: int) -> bool:
    words = text[max(0, start - 12):start].lower().replace("-", " ").split()
    return bool(words) and words[-1] in _MONTH_CUES


def _regex_spans(text: str) -> Iterable[tuple[int, int]]:
    for pattern in (_CAP_WEEKDAY, _CAP_DATE, _LOW_WORDS, EXTRA_SPANS):
        for match in pattern.finditer(text):
            yield match.start(), match.end()
    for match in _CAP_MONTH_ALONE.finditer(text):
        if _month_cue(text, match.start()) or match.group().lower().startswith(("early", "mid",
                                                                              "late")):
            yield match.start(), match.end()


_RE_RANGE = re.compile(
    r"^(?:between\s+|from\s+)?(?P<a>.+?)\s*(?:\band\b|\bto\b|\bthrough\b|\buntil\b|-|–)\s*"
    r"(?P<b>.+)$",
    re.IGNORECASE,
)


def _split_range(text: str, start: int, end: int, from_entity: bool
                 ) -> list[tuple[int, int, bool]]:
    """A range the model tagged as one date ("between 1994 and 1997") gives its two ends."""
    chunk = text[start:end]
    match = _RE_RANGE.match(chunk)
    if match is None or _RE_ISO.search(chunk):
        return [(start, end, from_entity)]
    parts = [(start + match.start("a"), start + match.end("a")),
             (start + match.start("b"), start + match.end("b"))]
    for a, b in parts:
        reading = _read(text[a:b], dt.date(2000, 1, 1))
        if reading is None or reading.value is None:
            return [(start, end, from_entity)]
    return [(a, b, from_entity) for a, b in parts]


_RE_ENDED = re.compile(r"^(?P<a>.+?)\s+(?:that\s+|which\s+)?(?:ended|ending|ends)\s+(?P<b>.+)$",
                       re.IGNORECASE)
_RE_OF_YEAR = re.compile(r"^(?P<a>.+?)\s+of\s+(?P<b>(?:fiscal\s+)?(?:19|20)\d\d)$", re.IGNORECASE)


def _split_period(text: str, start: int, end: int, from_entity: bool
                  ) -> list[tuple[int, int, bool]]:
    """'the quarter ended Sept. 30' and 'the first nine months of 1997' are two expressions each
    (a period and the date that bounds it), as TimeML marks them."""
    chunk = text[start:end]
    match = _RE_ENDED.match(chunk)
    if match is None:
        match = _RE_OF_YEAR.match(chunk)
        if match is None or (normalise(match["a"], None) or ("", ""))[0] != "duration":
            return [(start, end, from_entity)]
    return [(start + match.start("a"), start + match.end("a"), from_entity),
            (start + match.start("b"), start + match.end("b"), from_entity)]


def _better(a: _Candidate, b: _Candidate) -> bool:
    return _rank(a) > _rank(b)


def _rank(c: _Candidate) -> tuple[bool, bool, int, int]:
    return (c.reading.value is not None, c.timex is not None,
            _PRECISION_RANK[c.reading.precision], c.end - c.start)


_RE_YEAR_BEFORE = re.compile(
    r"^(?:the\s+)?(?:comparable\s+|same\s+)?(?:a\s+)?year[\s-]+(?:earlier|ago)\b"
    r"|^(?:the\s+)?(?:quarter|period)\s+a\s+year\s+(?:earlier|ago)$",
    re.IGNORECASE,
)


def _anchor_year_before(chosen: list[_Candidate]) -> None:
    """'a year earlier' after a quarter is that quarter a year before (TimeML's anchoring)."""
    quarter: str | None = None
    for cand in chosen:
        if cand.timex and re.fullmatch(r"\d{4}-Q\d", cand.timex) and not _RE_YEAR_BEFORE.match(
                cand.text):
            quarter = cand.timex
        elif quarter and _RE_YEAR_BEFORE.match(cand.text):
            cand.timex = shift_year(quarter)


def is_event_date(ref: DateRef) -> bool:
    """Whether a found expression can stand as an event's date.

    Dates and times with a calendar value qualify, and so do unresolved ones without a TimeML
    value (anaphoric "later that day", or any relative date when the publication date is
    missing) so that their text is kept; durations, sets and vague references ("now", "the
    1990s", a bare quarter) do not.
    """
    if ref.kind not in ("date", "time"):
        return False
    return ref.value is not None or ref.timex is None


def find_dates(doc: Doc, published: dt.date | None, future: bool | None = None,
               kinds: Iterable[str] = ("date", "time")) -> list[DateRef]:
    """Every temporal expression of the given kinds, in text order, resolved against ``published``.

    ``future`` forces the tense used for bare weekdays and months (True: next one, False: last
    one); by default it is read from the verb that governs each expression. ``kinds`` selects
    among date, time, duration and set: the default keeps what can date an event.
    """
    wanted = set(kinds)
    published = _as_date(published)
    candidates: list[_Candidate] = []
    spans: list[tuple[int, int, bool]] = [
        (ent.start_char, ent.end_char, True) for ent in doc.ents if ent.label_ in ("DATE", "TIME")
    ]
    full = view(doc).text
    spans += [(s, e, False) for s, e in _regex_spans(full)]
    spans = [part for s, e, ent in spans for part in _split_range(full, s, e, ent)]
    spans = [part for s, e, ent in spans for part in _split_period(full, s, e, ent)]
    for start, end, from_entity in spans:
        cand = _candidate(doc, full, start, end, published, from_entity)
        if cand is None:
            continue
        if future is not None and _needs_future(cand.text):
            cand.reading = _read(cand.text, published, future) or cand.reading
            cand.label(published)
        candidates.append(cand)

    chosen: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        overlapping = [c for c in chosen if c.start < cand.end and cand.start < c.end]
        if not overlapping:
            chosen.append(cand)
        elif all(_better(cand, c) for c in overlapping):
            chosen = [c for c in chosen if c not in overlapping] + [cand]
    chosen.sort(key=lambda c: c.start)
    _anchor_year_before(chosen)
    refs = []
    for c in chosen:
        if c.kind not in wanted:
            continue
        calendar_kind = c.kind in ("date", "time")
        refs.append(DateRef(
            text=c.text, value=c.reading.value if calendar_kind else None,
            precision=c.reading.precision if calendar_kind else None, span=(c.start, c.end),
            timex=c.timex, kind=c.kind,  # type: ignore[arg-type]
        ))
    return refs


def date_for_sentence(dates: list[DateRef], start: int, end: int) -> DateRef | None:
    """The first resolved date whose span lies inside [start, end); else the first unresolved."""
    inside = [d for d in dates if d.span is not None and start <= d.span[0] and d.span[1] <= end
              and is_event_date(d)]
    inside.sort(key=lambda d: d.span[0] if d.span else 0)
    for date in inside:
        if date.value is not None:
            return date
    return inside[0] if inside else None

