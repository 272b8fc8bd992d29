"""Is this article English? A guess good enough to skip what the English model cannot read.

The extractor runs an English spaCy model with English lexicons: a French or Russian article
comes out as nonsense events, or none, at full parsing cost. No language model is downloaded
for this; two cheap signals decide:

* the script: when most letters are Cyrillic, Arabic, Han, Devanagari, ..., the text is not
  English (the Unicode name of a letter starts with its script);
* for Latin script, the share of very common function words: English prose has 30-50 % of
  "the, of, to, said, ..."; French, German, Spanish, ... have their own. A text is called
  non-English only when another language's function words clearly outnumber English ones, so
  that English full of names, short texts and headlines are never rejected: absent evidence,
  the answer is English.

``EVENTWIRE_LANGUAGE=any`` (``--language any``) turns the check off for users who run another
model.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

LANGUAGE_ENV = "EVENTWIRE_LANGUAGE"
ANY = "any"
ENGLISH = "en"
CHOICES = (ENGLISH, ANY)

# Letters looked at: enough to tell, and the cost stays flat on huge texts.
SAMPLE_LETTERS = 20_000
SAMPLE_WORDS = 5_000
MIN_WORDS = 12  # fewer words than this say too little about the language
# Latin script: a text is not English when another language's share of function words is at
# least OTHER_SHARE, more than RATIO times the English share, and English is under EN_SHARE.
OTHER_SHARE = 0.15
RATIO = 2.0
EN_SHARE = 0.12
# More than this share of letters in one non-Latin script: not English.
SCRIPT_SHARE = 0.5

# Function words, each list without the words it shares with English ("a", "in", "on", ...).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to is was that for with by at from it its his her he she they their them "
        "has have had said says were are be been being will would which who whom this these "
        "those an not but after or we our you than about over into also more when there what "
        "could should can may must did does do while because before between against during "
        "under since until where how other such only just".split()
    ),
    "fr": frozenset(
        "le la les des du et est une dans pour qui que sur au aux par avec ne pas ont été ce "
        "cette il elle ils selon son sa ses leur leurs mais plus où sont était nous vous "
        "lors après contre entre".split()
    ),
    "de": frozenset(
        "der die das und ist nicht von mit den dem des zu ein eine einer einen sich auf für im "
        "auch es wurde wie nach bei aus sie er hat sind werden zum zur sei dass wird noch "
        "oder über".split()
    ),
    "es": frozenset(
        "el la los las de del y en que por con para una un es se al según su sus lo como más "
        "fue ha han pero este esta sobre entre también".split()
    ),
    "pt": frozenset(
        "o os as da do das dos e em que para com uma um não no na nos é foi pelo pela "
        "segundo seu sua ao aos mais também".split()
    ),
    "it": frozenset(
        "il lo la gli le di e che del della dei delle per con non una un è sono ha nel nella "
        "al alla anche come secondo questo".split()
    ),
    "nl": frozenset(
        "de het een en van is op dat die niet met voor zijn ook aan er om bij werd naar "
        "heeft wordt".split()
    ),
    "id": frozenset(
        "yang dan di ke dari ini itu dengan untuk pada tidak dalam akan oleh juga adalah "
        "telah kata".split()
    ),
    "tr": frozenset("ve bir bu da de ile için olarak çok daha olan gibi ama ancak".split()),
    "pl": frozenset("i w z na się nie do że to jest o jak po przez od oraz był jego".split()),
    "sv": frozenset("och att det som en är på för med av till inte om har".split()),
}
LANGUAGE_NAMES = {
    "fr": "French", "de": "German", "es": "Spanish", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch", "id": "Indonesian or Malay", "tr": "Turkish", "pl": "Polish",
    "sv": "Swedish",
}  # fmt: skip
# What a script says about the language, when it is not plain enough from its name.
SCRIPT_LANGUAGES = {
    "CJK": ("zh", "Chinese (Han script)"),
    "HIRAGANA": ("ja", "Japanese"),
    "KATAKANA": ("ja", "Japanese"),
    "HANGUL": ("ko", "Korean (Hangul script)"),
    "CYRILLIC": ("ru", "Cyrillic script"),
    "ARABIC": ("ar", "Arabic script"),
    "HEBREW": ("he", "Hebrew script"),
    "GREEK": ("el", "Greek script"),
    "DEVANAGARI": ("hi", "Devanagari script"),
    "THAI": ("th", "Thai script"),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Guess:
    """What the text looks like: ``english`` False only on clear evidence."""

    english: bool
    code: str  # ISO 639-1 where known ("fr", "ru"), "en", or "und" for a script alone
    detail: str  # for people: "looks like French", "mostly Cyrillic script"


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "OTHER"
    return name.split(" ", 1)[0]


def _script_guess(text: str) -> Guess | None:
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        script = "LATIN" if ch < "\u0250" else _script(ch)
        counts[script] = counts.get(script, 0) + 1
        if letters >= SAMPLE_LETTERS:
            break
    if not letters:
        return None
    non_latin = letters - counts.get("LATIN", 0)
    if non_latin / letters <= SCRIPT_SHARE:
        return None
    # Japanese mixes Han with kana: any kana says Japanese.
    kana = counts.get("HIRAGANA", 0) + counts.get("KATAKANA", 0)
    top = "HIRAGANA" if kana else max((s for s in counts if s != "LATIN"), key=counts.__getitem__)
    code, label = SCRIPT_LANGUAGES.get(top, ("und", f"{top.title()} script"))
    return Guess(False, code, f"mostly {label}")


def guess_language(text: str) -> Guess:
    """A guess at whether ``text`` is English, with the script or language it looks like."""
    by_script = _script_guess(text)
    if by_script is not None:
        return by_script
    words = [w.lower() for _, w in zip(range(SAMPLE_WORDS), _words(text), strict=False)]
    if len(words) < MIN_WORDS:
        return Guess(True, ENGLISH, "too short to tell")
    shares = {
        lang: sum(w in vocab for w in words) / len(words) for lang, vocab in FUNCTION_WORDS.items()
    }
    english = shares.pop("en")
    lang, other = max(shares.items(), key=lambda kv: kv[1])
    if other >= OTHER_SHARE and other > RATIO * english and english < EN_SHARE:
        return Guess(
            False, lang,
            f"looks like {LANGUAGE_NAMES[lang]} ({other:.0%} {lang} function words, "
            f"{english:.0%} English)",
        )  # fmt: skip
    return Guess(True, ENGLISH, f"{english:.0%} English function words")


def _words(text: str):
    for match in _WORD.finditer(text):
        yield match.group()


def accepted_language() -> str:
    """The language setting: "en" (check articles, the default) or "any" (no check)."""
    value = os.environ.get(LANGUAGE_ENV, "").strip().lower()
    return ANY if value == ANY else ENGLISH


def non_english_reason(text: str) -> str | None:
    """The one-line reason to refuse ``text`` under the current setting, or None to accept it."""
    if accepted_language() == ANY:
        return None
    guess = guess_language(text)
    if guess.english:
        return None
    return f"not English: {guess.detail} (give --language any to analyse it anyway)"
