"""How many: counts, measures and sums of money in a parsed article.

Each number (digits, number words, "1.2bn", "twenty-five") is read with what it counts or
measures:

* a count takes the noun phrase it modifies as ``item``, singular and lower-cased ("five kamikaze
  drones" -> 5, item "kamikaze drone"; "at least 20 people" -> 20, item "person"); "of" phrases
  count too ("dozens of troops");
* a measure takes a normalised unit ("250 kilometers" -> 250, "km"); a sum of money takes the
  ISO 4217 code of its currency ("$1.2 billion" -> 1.2e9, "USD"); "%" is a unit, so are
  "percent" and "per cent";
* vague plurals take a conventional lower bound: "a dozen" 12, "dozens" 24, "scores" 40,
  "hundreds" 200, "thousands" 2,000, "tens of thousands" 20,000, "hundreds of thousands"
  200,000, "millions" 2,000,000;
* bounding words ("at least", "about", "more than") stay in the text but do not change the
  value; a range ("20-30 people") keeps its lower end.

Dates, times, ordinals, ages ("21 years old", "a 21-year-old"), years written alone, and
numbers that are part of a name ("Geran-25", "G7", "Resolution 2231") are not quantities. A
measure followed by the same measure in other units in parentheses ("250 kilometers (155
miles)") gives two quantities; the second ``restates`` the first, and both say whether the two
agree once converted (``consistent``), allowing for the rounding the written numbers show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from eventwire.model import Quantity
from eventwire.nlp import view

__all__ = ["find_quantities", "quantities_in"]

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trn": 1e12}
# Abbreviated scales that only a sum of money takes ("$3m", "€40k").
_MONEY_SCALES = {"m": 1e6, "k": 1e3, "b": 1e9}
_VAGUE = {"dozens": 24.0, "scores": 40.0, "hundreds": 200.0, "thousands": 2000.0,
          "millions": 2e6, "billions": 2e9}
_A_NUMBER = {"dozen": 12.0, "hundred": 100.0, "thousand": 1000.0, "million": 1e6,
             "billion": 1e9}
_MODIFIERS = (
    "at least", "at most", "more than", "less than", "fewer than", "up to", "as many as",
    "as much as", "an estimated", "close to", "upwards of", "just over", "just under",
    "a further", "another", "about", "around", "some", "nearly", "almost", "over", "roughly",
    "approximately", "estimated", "only", "under", "just", "exactly", "approx.",
)
_CURRENCY_SYMBOLS = {
    "$": "USD", "US$": "USD", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "¥": "JPY", "₽": "RUB", "₹": "INR", "₩": "KRW", "₴": "UAH", "₪": "ILS", "C$": "CAD",
    "A$": "AUD", "HK$": "HKD", "NZ$": "NZD", "Rs": "INR", "Rs.": "INR",
}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB",
    "roubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "rupee": "INR",
    "rupees": "INR", "shekel": "ILS", "shekels": "ILS", "lira": "TRY", "liras": "TRY",
    "rial": "IRR", "rials": "IRR", "riyal": "SAR", "riyals": "SAR", "dirham": "AED",
    "dirhams": "AED", "franc": "CHF", "francs": "CHF", "pounds sterling": "GBP",
    "sterling": "GBP", "swiss francs": "CHF", "canadian dollars": "CAD",
    "australian dollars": "AUD", "us dollars": "USD", "u.s. dollars": "USD",
}
_UNITS = {
    "km": "km", "kms": "km", "kilometer": "km", "kilometers": "km", "kilometre": "km",
    "kilometres": "km", "mile": "mi", "miles": "mi", "mi": "mi", "nautical mile": "nmi",
    "nautical miles": "nmi", "m": "m", "meter": "m", "meters": "m", "metre": "m",
    "metres": "m", "cm": "cm", "centimeters": "cm", "centimetres": "cm", "mm": "mm",
    "millimeters": "mm", "millimetres": "mm", "ft": "ft", "foot": "ft", "feet": "ft",
    "inch": "in", "inches": "in", "yard": "yd", "yards": "yd",
    "kg": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg", "kilogrammes": "kg",
    "kilo": "kg", "kilos": "kg", "gram": "g", "grams": "g", "grammes": "g",
    "t": "t", "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "metric ton": "t",
    "metric tons": "t", "metric tonnes": "t", "lb": "lb", "lbs": "lb", "pound": "lb",
    "pounds": "lb", "ounce": "oz", "ounces": "oz",
    "square kilometers": "km2", "square kilometres": "km2", "square kilometer": "km2",
    "square kilometre": "km2", "sq km": "km2", "km2": "km2", "km²": "km2",
    "square miles": "mi2", "square mile": "mi2", "sq mi": "mi2", "hectare": "ha",
    "hectares": "ha", "ha": "ha", "acre": "acre", "acres": "acre",
    "liter": "l", "liters": "l", "litre": "l", "litres": "l", "gallon": "gal",
    "gallons": "gal", "barrel": "bbl", "barrels": "bbl", "cubic meters": "m3",
    "cubic metres": "m3", "bcm": "bcm", "barrels per day": "bbl/d", "bpd": "bbl/d",
    "kilometers per hour": "km/h", "kilometres per hour": "km/h", "km/h": "km/h",
    "kph": "km/h", "miles per hour": "mph", "mph": "mph", "knot": "kn", "knots": "kn",
    "mw": "MW", "megawatt": "MW", "megawatts": "MW", "gw": "GW", "gigawatt": "GW",
    "gigawatts": "GW", "kw": "kW", "kilowatt": "kW", "kilowatts": "kW", "kwh": "kWh",
    "mwh": "MWh", "gwh": "GWh", "twh": "TWh", "megatons": "Mt", "kilotons": "kt",
    "kilotonnes": "kt", "%": "%", "percent": "%", "per cent": "%", "pct": "%",
    "percentage points": "pp", "percentage point": "pp",
}
# Size of each unit in a base unit of its dimension: only measures of one dimension restate
# each other. Currencies are left out: exchange rates move.
_DIMENSIONS: dict[str, tuple[str, float]] = {
    "km": ("length", 1000.0), "mi": ("length", 1609.344), "nmi": ("length", 1852.0),
    "m": ("length", 1.0), "cm": ("length", 0.01), "mm": ("length", 0.001),
    "ft": ("length", 0.3048), "in": ("length", 0.0254), "yd": ("length", 0.9144),
    "kg": ("mass", 1.0), "g": ("mass", 0.001), "t": ("mass", 1000.0),
    "lb": ("mass", 0.45359237), "oz": ("mass", 0.028349523125),
    "km2": ("area", 1e6), "mi2": ("area", 2589988.110336), "ha": ("area", 1e4),
    "acre": ("area", 4046.8564224),
    "l": ("volume", 0.001), "gal": ("volume", 0.003785411784), "m3": ("volume", 1.0),
    "bbl": ("volume", 0.158987294928),
    "km/h": ("speed", 1 / 3.6), "mph": ("speed", 0.44704), "kn": ("speed", 1852 / 3600),
}
# Converted values are rounded in print; beyond rounding, this much disagreement is an error.
_CONVERSION_TOLERANCE = 0.06
_TIME_UNITS = {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days",
               "week", "weeks", "month", "months", "year", "years", "decade", "decades",
               "century", "centuries", "night", "nights"}
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT",
              "WORK_OF_ART", "LAW", "EVENT", "NORP", "LANGUAGE"}
# Modifiers of a counted noun that say nothing about what is counted.
_ITEM_STOP = {"more", "other", "additional", "further", "extra", "such", "new", "last", "first",
              "next", "same", "different", "several", "many", "few", "own", "total", "least",
              "most", "about", "some", "only", "estimated"}
_IRREGULAR = {"people": "person", "persons": "person", "police": "police officer",
              "personnel": "personnel", "children": "child", "women": "woman", "men": "man",
              "feet": "foot", "mice": "mouse", "geese": "goose", "aircraft": "aircraft",
              "data": "data", "media": "media", "civilians": "civilian"}

_DIGITS = re.compile(r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<suffix>[a-z]*)$")
_YEARISH = re.compile(r"^(1[89]\d\d|20\d\d|2100)$")


@dataclass
class _Number:
    start: int  # token index of the first token (modifier or currency)
    core_start: int
    end: int  # token index after the last numeric token
    value: float | None
    vague: bool = False
    currency: str | None = None
    has_scale: bool = False
    words_only: bool = False
    trim: int = 0  # characters to leave off the last token ("€40m." ends a sentence)


def _digits(token: Token) -> tuple[float, str] | None:
    match = _DIGITS.match(token.text.lower())
    if not match:
        return None
    return float(match["num"].replace(",", "")), match["suffix"]


def _word_number(doc: Doc, i: int) -> tuple[float, int] | None:
    """A number written in words from token i: ("twenty", "-", "five") -> (25, end)."""
    total = 0.0
    current = 0.0
    j = i
    seen = False
    while j < len(doc):
        low = doc[j].lower_
        if low in _WORD_NUMBERS:
            current += _WORD_NUMBERS[low]
            seen = True
        elif low == "hundred" and seen:
            current = (current or 1) * 100
        elif low in ("thousand", "million", "billion", "trillion") and seen:
            total += (current or 1) * _SCALES[low]
            current = 0.0
        elif low in ("-", "and") and seen and j + 1 < len(doc) and (
            doc[j + 1].lower_ in _WORD_NUMBERS
        ):
            pass
        else:
            break
        j += 1
    if not seen:
        return None
    return total + current, j


def _modifier_start(doc: Doc, i: int) -> int:
    for phrase in _MODIFIERS:
        words = phrase.split()
        start = i - len(words)
        if start >= 0 and [t.lower_ for t in doc[start:i]] == words:
            if phrase in ("over", "under") and doc[start].dep_ not in ("quantmod", "advmod"):
                continue  # "handed over five drones": a particle, not a bound
            return start
    return i


def _currency_before(doc: Doc, i: int) -> tuple[str, int] | None:
    if i == 0:
        return None
    prev = doc[i - 1]
    if prev.text in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[prev.text], i - 1
    return None


def _read_number(doc: Doc, i: int) -> _Number | None:
    tok = doc[i]
    low = tok.lower_
    currency = _currency_before(doc, i)
    value: float | None
    vague = False
    words_only = False
    has_scale = False
    digits = _digits(tok)
    if digits is not None:
        value, suffix = digits
        end = i + 1
        if suffix:
            if suffix in _SCALES:
                value *= _SCALES[suffix]
                has_scale = True
            elif suffix in _MONEY_SCALES and currency:
                value *= _MONEY_SCALES[suffix]
                has_scale = True
            elif suffix not in _UNITS:
                return None
            else:
                end = i + 1  # "250km": the unit is read from the token itself below
    elif low in ("tens", "hundreds") and i + 2 < len(doc) and doc[i + 1].lower_ == "of" and (
        doc[i + 2].lower_ in ("thousands", "millions")
    ):
        value = _VAGUE[doc[i + 2].lower_] * (10 if low == "tens" else 100)
        end, vague = i + 3, True
    elif low in _VAGUE:
        value, end, vague = _VAGUE[low], i + 1, True
    elif low in ("a", "an") and i + 1 < len(doc) and doc[i + 1].lower_ in _A_NUMBER:
        value, end = _A_NUMBER[doc[i + 1].lower_], i + 2
        words_only = True
    else:
        found = _word_number(doc, i)
        if found is None:
            return None
        value, end = found
        words_only = True
    if digits is not None or words_only:
        while end < len(doc) and doc[end].lower_ in _SCALES:
            value = (value or 0) * _SCALES[doc[end].lower_]
            has_scale = True
            end += 1
        trim = 0
        if currency and end < len(doc) and not doc[end - 1].whitespace_:
            scale = doc[end].lower_
            if scale.endswith("."):
                scale, trim = scale[:-1], 1
            if scale in _MONEY_SCALES or scale in ("bn", "mn", "tn"):
                value = (value or 0) * (_MONEY_SCALES.get(scale) or _SCALES[scale])
                has_scale = True
                end += 1
            else:
                trim = 0
    core_start = i
    start = currency[1] if currency else i
    start = _modifier_start(doc, start)
    return _Number(start, core_start, end, value, vague, currency[0] if currency else None,
                   has_scale, words_only, trim if digits is not None or words_only else 0)


def _unit_at(doc: Doc, j: int, number: _Number) -> tuple[str, int] | None:
    """A unit or currency word starting at token j: (code, end)."""
    if j < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_:
        j += 1  # "250-kilometer range"
    for size in (3, 2, 1):
        if j + size > len(doc):
            continue
        phrase = " ".join(t.lower_ for t in doc[j:j + size])
        if phrase in _CURRENCY_WORDS and size > 1:
            return _CURRENCY_WORDS[phrase], j + size
        if phrase in _UNITS:
            code = _UNITS[phrase]
            if code == "lb" and (number.currency or number.has_scale):
                return "GBP", j + size
            if code in ("m", "t") and doc[j].text != phrase:
                continue  # "M", "T" are initials, not metres or tonnes
            return code, j + size
        if phrase in _CURRENCY_WORDS:
            return _CURRENCY_WORDS[phrase], j + size
        if phrase == "won" and number.has_scale:
            return "KRW", j + 1
    return None


def _item_tokens(doc: Doc, number: _Number, after: int) -> list[Token]:
    """The counted noun phrase after a number (or after "of")."""
    if after < len(doc) and doc[after].lower_ == "of":
        obj = next((c for c in doc[after].children if c.dep_ == "pobj"), None)
        if obj is None:
            return []
        lefts = [t for t in obj.lefts if t.dep_ in ("compound", "amod", "nmod") and t.i > after]
        return [*lefts, obj] if obj.pos_ in ("NOUN", "PROPN") else []
    core = doc[number.end - 1]
    head = core.head
    run: list[Token] = []
    for tok in doc[after:min(len(doc), after + 5)]:
        if tok.pos_ in ("NOUN", "PROPN", "ADJ") or (tok.pos_ == "VERB" and tok.tag_ == "VBN"):
            run.append(tok)
        else:
            break
    if not run:
        return []
    if core.dep_ in ("nummod", "quantmod", "compound", "amod") and head in run:
        return run[: run.index(head) + 1]
    nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN")]
    if not nouns:
        return []
    # The last noun that is not itself a modifier of the next one heads the phrase.
    for tok in nouns:
        if tok.dep_ not in ("compound", "amod") or tok.head not in run:
            return run[: run.index(tok) + 1]
    return run[: run.index(nouns[-1]) + 1]


def _keeps_case(tok: Token) -> bool:
    return (tok.pos_ == "PROPN" or tok.ent_type_ in ("NORP", "GPE")
            or any(ch.isupper() for ch in tok.text[1:])
            or (tok.is_title and not tok.is_sent_start))


def _item_text(tokens: list[Token]) -> str | None:
    words = [t for t in tokens if t.lower_ not in _ITEM_STOP]
    if not words:
        return None
    head = words[-1]
    if head.pos_ == "PROPN" and not head.is_lower:
        last = head.text
    else:
        last = _IRREGULAR.get(head.lower_) or head.lemma_.lower()
    mods = [t.text if _keeps_case(t) else t.lower_ for t in words[:-1]]
    return " ".join([*mods, last])


def _is_name_part(doc: Doc, number: _Number) -> bool:
    i = number.core_start
    tok = doc[i]
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_ and (
        doc[i - 2].is_alpha
    ):
        return True  # "Su-35", "COVID-19"
    if "-" in tok.text and any(ch.isalpha() for ch in tok.text):
        return True  # "Geran-25" kept as one token
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and number.start == i and not number.currency and prev.is_title and (
        prev.pos_ == "PROPN" or prev.text in ("No", "No.", "Resolution", "Article")
    ):
        return True  # "Resolution 2231", "Apollo 11", "Flight 17"
    return False


def _is_age_or_time(doc: Doc, number: _Number, after: int) -> bool:
    window = " ".join(t.lower_ for t in doc[after:min(len(doc), after + 4)])
    if re.match(r"^-?\s*(?:year|month|week|day)s?\s*-?\s*olds?\b", window) or re.match(
        r"^(?:years?|months?)\s+old\b", window
    ):
        return True
    if number.start > 0 and doc[number.start - 1].lower_ in ("aged", "age"):
        return True
    if after < len(doc) and doc[after].text == "-" and after + 1 < len(doc) and (
        doc[after + 1].lower_ in _TIME_UNITS
    ):
        return True  # "a 5-year plan"
    i = number.core_start
    if 0 < i and doc[i - 1].text == "," and after < len(doc) and doc[after].text == "," and (
        doc[i - 2].ent_type_ == "PERSON" if i >= 2 else False
    ):
        return True  # "Jane Doe, 45, said"
    return False


def find_quantities(doc: Doc) -> list[Quantity]:
    """Counts, measures and sums of money in the document, in text order."""
    out: list[Quantity] = []
    full = view(doc).text
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if tok.ent_type_ in _SKIP_ENTS or not (
            tok.like_num or tok.lower_ in _VAGUE or tok.lower_ in ("a", "an", "tens")
            or _DIGITS.match(tok.lower_)
        ):
            i += 1
            continue
        number = _read_number(doc, i)
        if number is None or number.end <= i or any(
            doc[k].ent_type_ in _SKIP_ENTS for k in range(number.core_start, number.end)
        ):
            i += 1
            continue
        after = number.end
        # A range keeps its lower end: "20-30 people", "20 to 30 people".
        if after + 1 < n and doc[after].text in ("-", "–", "to") and _digits(doc[after + 1]):
            after += 2
        quantity = _quantity(doc, full, number, after)
        if quantity is not None:
            out.append(quantity)
            i = max(number.end, doc.char_span(*quantity.span, alignment_mode="expand").end)
        else:
            i = number.end
    return _check_restatements(full, out)


def _rounding(text: str) -> float:
    """Half the step of the last written digit: "155" -> 0.5, "5,000" -> 500, "2.5" -> 0.05."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if digits is None:
        return 0.0
    written = digits.group().replace(",", "")
    if "." in written:
        return 0.5 * 10.0 ** -len(written.split(".")[1])
    trailing = len(written) - len(written.rstrip("0"))
    return 0.5 * 10.0 ** min(trailing, len(written) - 1)


def _agree(first: Quantity, second: Quantity) -> bool | None:
    """Whether two measures of one dimension agree; None when they cannot be compared."""
    a, b = _DIMENSIONS.get(first.unit or ""), _DIMENSIONS.get(second.unit or "")
    if a is None or b is None or a[0] != b[0] or first.value is None or second.value is None:
        return None
    if first.unit == second.unit:
        return None
    scale = first.value * a[1] / b[1]  # the first measure in the second's unit
    slack = max(_CONVERSION_TOLERANCE * max(abs(scale), abs(second.value)),
                _rounding(second.text), _rounding(first.text) * a[1] / b[1])
    return abs(scale - second.value) <= slack


def _check_restatements(full: str, quantities: list[Quantity]) -> list[Quantity]:
    """Mark a measure restated in parentheses right after another ("250 km (155 miles)")."""
    for k in range(1, len(quantities)):
        first, second = quantities[k - 1], quantities[k]
        if first.span is None or second.span is None:
            continue
        between = full[first.span[1] : second.span[0]]
        if not re.fullmatch(r"\s*[(\[]\s*(?:about|around|roughly|some|or|nearly)?\s*", between):
            continue
        agree = _agree(first, second)
        if agree is None:
            continue
        quantities[k - 1] = first.model_copy(update={"consistent": agree})
        quantities[k] = second.model_copy(update={"consistent": agree, "restates": first.span})
    return quantities


def _quantity(doc: Doc, full: str, number: _Number, after: int) -> Quantity | None:
    tok = doc[number.core_start]
    if _is_name_part(doc, number) or _is_age_or_time(doc, number, after):
        return None
    unit: str | None = number.currency
    end = after
    digits = _digits(tok)
    if digits is not None and digits[1] in _UNITS and not number.has_scale:
        unit = _UNITS[digits[1]]
    elif unit is None:
        found = _unit_at(doc, after, number)
        if found is not None:
            unit, end = found
    elif after < len(doc):
        # "$5 million dollars" repeats the currency; "€40 billion euros" likewise.
        found = _unit_at(doc, after, number)
        if found is not None and found[0] == unit:
            end = found[1]
    if unit is not None and unit in _TIME_UNITS:
        return None
    if end < len(doc) and doc[end].lower_ in _TIME_UNITS and unit is None:
        return None  # a duration, which the date stage leaves alone too
    item_tokens = _item_tokens(doc, number, end)
    if unit is not None and unit != "%" and end < len(doc) and doc[end].lower_ == "of":
        item_tokens = _item_tokens(doc, number, end)
    elif unit is not None:
        item_tokens = []
    item = _item_text(item_tokens) if item_tokens else None
    if item_tokens:
        end = max(end, item_tokens[-1].i + 1)
    if number.vague and item is None:
        return None  # "in the hundreds"
    if unit is None and item is None:
        if number.words_only or number.value is None:
            return None  # "one of them", "the five"
        if digits is not None and _YEARISH.match(tok.text):
            return None
        if tok.text.startswith("0") and len(tok.text) > 1:
            return None
    elif unit is None and digits is not None and _YEARISH.match(tok.text) and doc[
            number.core_start].ent_type_ == "DATE":
        return None
    start_char = doc[number.start].idx
    end_char = doc[end - 1].idx + len(doc[end - 1].text)
    if end == number.end:
        end_char -= number.trim
    return Quantity(text=full[start_char:end_char], value=number.value, unit=unit,
                    item=item, span=(start_char, end_char))


def quantities_in(quantities: list[Quantity], start: int, end: int) -> list[Quantity]:
    """The quantities whose span lies inside [start, end)."""
    return [q for q in quantities if q.span is not None and start <= q.span[0] and q.span[1] <= end]
