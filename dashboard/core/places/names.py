"""Normalise place names so that spellings of one place compare equal."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Apostrophes, ayn/hamza marks and similar, removed outright ("Qa'im" -> "qaim").
_MARKS = re.compile(r"[\u0027\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4]")
_NON_WORD = re.compile(r"[^a-z0-9]+")

# Arabic definite article in its assimilated forms, written as a separate word or with a hyphen.
ARTICLES = frozenset({"al", "el", "ul", "ad", "adh", "ar", "as", "ash", "at", "ath", "az", "an", "ad"})

# Multi-word phrases first (applied to the space-joined token string).
_PHRASES: tuple[tuple[str, str], ...] = (
    ("mission support site", "mss"),
    ("patrol base", "pb"),
    ("landing zone", "lz"),
    ("forward operating base", "fob"),
    ("air base", "airbase"),
    ("air field", "airfield"),
    ("air port", "airport"),
    ("international airport", "airport"),
    ("intl airport", "airport"),
    ("gas field", "gasfield"),
    ("oil field", "oilfield"),
    ("united states", "us"),
)

# Single-token spellings mapped to one form.
_TOKENS: dict[str, str] = {
    "tal": "tell",
    "tel": "tell",
    "tall": "tell",
    "ayn": "ain",
    "ein": "ain",
    "ab": "airbase",
    "afb": "airbase",
    "airbase": "airbase",
    "oilfield": "oilfield",
    "gasfield": "gasfield",
    "mt": "mount",
    "usa": "us",
}

#: Words that say what kind of facility a place is, not which one.
FACILITY_WORDS = frozenset(
    {
        "airbase", "base", "airfield", "airport", "garrison", "camp", "outpost", "compound",
        "mss", "pb", "lz", "fob", "facility", "military", "installation", "station",
        "us", "american", "coalition", "forces", "troops", "the", "of", "near", "at", "in",
        "iraq", "syria", "jordan", "northeastern", "eastern", "northern", "western", "southern",
    }
)

_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_PHRASE_PATTERNS = tuple((re.compile(rf"\b{phrase}\b"), replacement) for phrase, replacement in _PHRASES)


def strip_accents(text: str) -> str:
    """Remove diacritics: ``"Hesekê"`` -> ``"Heseke"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(name: str) -> list[str]:
    """The words of ``name`` in their normal form (see :func:`normalise_name`)."""
    return list(_name_tokens(name))


@lru_cache(maxsize=1 << 16)
def _name_tokens(name: str) -> tuple[str, ...]:
    # Cached: the extractor and the importers ask for the same few thousand names again and again.
    text = strip_accents(_PARENTHESES.sub(" ", name)).lower()
    text = _MARKS.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)  # "t22" -> "t 22"
    joined = " ".join(text.split())
    for phrase, replacement in _PHRASE_PATTERNS:
        joined = phrase.sub(replacement, joined)
    return tuple(_TOKENS.get(token, token) for token in joined.split() if token not in ARTICLES)


def normalise_name(name: str) -> str:
    """A comparison key for a place name.

    Lower case, accents and apostrophes removed, punctuation turned into
    spaces, the Arabic article (al-, el-, ad-, ash-, ...) dropped, and common
    variants folded: Tall/Tal/Tel -> tell, Ayn/Ein -> ain, Air Base/AB ->
    airbase, Mission Support Site -> mss. Text in parentheses is ignored.

    >>> normalise_name("Ayn al-Asad Air Base")
    'ain asad airbase'
    """
    return " ".join(_name_tokens(name))


def core_name(name: str) -> str:
    """The normalised name without words that only say what kind of facility it is.

    >>> core_name("al-Tanf garrison")
    'tanf'
    """
    return " ".join(t for t in _name_tokens(name) if t not in FACILITY_WORDS)


def has_facility_word(name: str) -> bool:
    """True when the name contains a word such as base, airport or garrison."""
    return any(t in FACILITY_WORDS for t in _name_tokens(name))
