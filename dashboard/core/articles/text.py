"""Cut article text into sentences and words, read numbers, and find listed phrases, keeping offsets."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from dashboard.core.places.names import strip_accents

# A word: letters or digits, with apostrophes inside ("Qa'im"); hyphens separate words.
WORD = re.compile(r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)*")
_POSSESSIVE = re.compile(r"['\u2019\u02bc]s$", re.IGNORECASE)

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr gen brig maj lt col capt sgt
    spc pfc cpl adm cmdr rep sen gov st vs etc inc corp jr sr approx dept""".split()
)
_SENTENCE_END = re.compile(r"[.!?]{1,4}(?:\[\d{1,3}\])?[\"'\u201d\u2019)\]]{0,3}(?=\s{0,10}[\"'\u201c\u2018(\[]?[A-Z0-9])"
                           r"(?<=\])|[.!?]{1,4}[\"'\u201d\u2019)\]]{0,3}(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n[ \t]{0,10}(?=[-\u2022*\u2013]\s)")  # a blank line, or a bulleted line
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))
#: Longest piece of text handled as one sentence (see :func:`split_sentences`).
MAX_SENTENCE_CHARS = 2_000

NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "dozen": 12, "a dozen": 12, "a": 1, "an": 1,
}
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
#: A number written in digits ("1,200", "62") or words ("seven", "thirty-three", "a dozen").
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,7}|(?:" + _TENS + r")(?:[- ](?:" + _UNITS + r"))?|a dozen|dozen|"
    r"ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|" + _UNITS + r")"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: its text and where it lies (``article[start:end] == text``)."""

    start: int
    end: int
    text: str
    paragraph: int

    def span(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


def span(article: str, start: int, end: int) -> dict:
    """The evidence record of ``article[start:end]``: ``{"start", "end", "text"}``."""
    return {"start": int(start), "end": int(end), "text": article[start:end]}


def parse_number(text: str) -> int | None:
    """The value of a number written in digits or English words, or None.

    >>> parse_number("thirty-three"), parse_number("1,200"), parse_number("an")
    (33, 1200, 1)
    """
    words = text.strip().lower().replace(",", "")
    if words.isdigit():
        return int(words)
    if words in NUMBER_WORDS:
        return NUMBER_WORDS[words]
    parts = re.split(r"[- ]", words)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        tens, units = NUMBER_WORDS[parts[0]], NUMBER_WORDS[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 0 < units < 10:
            return tens + units
    return None


def split_sentences(article: str) -> list[Sentence]:
    """Sentences with their offsets.

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space and a capital
    letter or digit, unless the word before the stop is a known abbreviation
    ("Oct.", "Gen.") or a single capital ("U.S."); a blank line always ends
    one. Single line breaks are treated as spaces, so wrapped text is fine.
    A run of more than :data:`MAX_SENTENCE_CHARS` characters without an end
    (no real sentence is that long) is cut at a space into pieces of at most
    that length, so that the work done per sentence stays bounded.
    """
    sentences: list[Sentence] = []
    paragraph = 0
    position = 0
    blocks = []
    for separator in _PARAGRAPH_BREAK.finditer(article):
        blocks.append((position, separator.start()))
        position = separator.end()
    blocks.append((position, len(article)))
    for start, end in blocks:
        if article[start:end].strip():
            sentences += _split_block(article, start, end, paragraph)
            paragraph += 1
    return sentences


def _split_block(article: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    out: list[Sentence] = []
    begin = start
    for match in _SENTENCE_END.finditer(article, start, end):
        stop = match.start()
        word = _word_before(article, begin, stop)
        if article[stop] == "." and (word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())):
            continue
        out += _bounded(article, begin, match.end(), paragraph)
        begin = match.end()
    out += _bounded(article, begin, end, paragraph)
    return [s for s in out if s.text]


def _bounded(article: str, start: int, end: int, paragraph: int) -> list[Sentence]:
    """``article[start:end]`` trimmed, as one sentence, or as pieces of at most MAX_SENTENCE_CHARS cut at spaces."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(article.rfind(" ", limit - MAX_SENTENCE_CHARS // 2, limit), article.rfind("\n", start, limit))
        cut = cut + 1 if cut > start else limit
        pieces.append(_trimmed(article, start, cut, paragraph))
        start = cut
    pieces.append(_trimmed(article, start, end, paragraph))
    return pieces


def _word_before(article: str, begin: int, stop: int) -> str:
    """The run of ASCII letters that ends at ``stop`` (not before ``begin``), or "" when it is longer than
    any abbreviation: only the few characters before the stop are looked at, whatever the sentence's length."""
    low = max(begin, stop - _LONGEST_ABBREVIATION - 1)
    first = stop
    while first > low and article[first - 1].isascii() and article[first - 1].isalpha():
        first -= 1
    if first == low and low > begin and article[low - 1].isascii() and article[low - 1].isalpha():
        return ""
    return article[first:stop]


def _trimmed(article: str, start: int, end: int, paragraph: int) -> Sentence:
    while start < end and article[start].isspace():
        start += 1
    while end > start and article[end - 1].isspace():
        end -= 1
    return Sentence(start, end, article[start:end], paragraph)


@dataclass(frozen=True)
class Token:
    """A word of the article with its offsets (a trailing possessive ``'s`` left out)."""

    start: int
    end: int
    text: str


def word_tokens(article: str) -> list[Token]:
    """The words of ``article`` in order."""
    tokens = []
    for match in WORD.finditer(article):
        text = match.group()
        cut = _POSSESSIVE.search(text)
        if cut and len(text) > 2:
            text = text[: cut.start()]
        tokens.append(Token(match.start(), match.start() + len(text), text))
    return tokens


# What may stand between two words of one name: a possessive 's, spaces, hyphens, a comma, one line break.
_NAME_GAP = re.compile(r"(?:['\u2019]s)?[ \t\-\u2010\u2011\u2013]*,?[ \t]*\n?[ \t\-]*")
_INITIAL_GAP = re.compile(r"\.[ \t\-]*")
#: Longer gaps never join two words of one name (and are not handed to the patterns above at all).
_LONGEST_NAME_GAP = 12


@dataclass(frozen=True)
class PhraseMatch:
    """A listed phrase found in the text: where, the key it matched and the ids it stands for."""

    start: int
    end: int
    key: str
    ids: tuple[str, ...]


class PhraseMatcher:
    """Find listed spellings in text, longest first, on whole words only.

    Every run of up to N consecutive words (N = the longest spelling) is turned
    into a key with ``key_of`` and looked up among the keys of the spellings,
    so the text matches whatever variants ``key_of`` folds together. A match
    never starts or ends inside a word. Spellings written in capitals only
    (acronyms such as ``IRI`` or ``BIAP``) match only when written in capitals.

    Parameters
    ----------
    spellings : iterable of (id, spelling)
        The phrases to find and the id each one stands for.
    key_of : callable
        Turns a phrase into its comparison key.
    leading : collection of str
        Lower-case words that may open a match without being part of any key
        (the Arabic article "al", "el", ...).
    """

    def __init__(self, spellings: Iterable[tuple[str, str]], key_of: Callable[[str], str], leading: Iterable[str] = ()):
        self.key_of = key_of
        self.leading = frozenset(leading)
        self.keys: dict[str, set[str]] = {}
        self._loose: set[str] = set()  # keys that some spelling allows in any case
        self.first_words: set[str] = set()
        self.max_words = 1
        for item_id, spelling in spellings:
            key = key_of(spelling)
            if not key:
                continue
            self.keys.setdefault(key, set()).add(item_id)
            if not _is_acronym(spelling):
                self._loose.add(key)
            words = [t.text for t in word_tokens(spelling)]
            self.max_words = max(self.max_words, len(words) + 1)
            self.first_words.add(key.split()[0])
            if words and _plain(words[0]) not in self.leading:
                self.first_words.add(_plain(words[0]))

    def find(self, article: str, tokens: list[Token] | None = None) -> list[PhraseMatch]:
        """Non-overlapping matches in ``article``, left to right, each the longest at its start."""
        tokens = word_tokens(article) if tokens is None else tokens
        keys_of_words = [self.key_of(t.text) for t in tokens]
        matches: list[PhraseMatch] = []
        i = 0
        while i < len(tokens):
            found = self._longest_at(article, tokens, keys_of_words, i) if self._may_start(article, tokens, keys_of_words, i) else None
            if found:
                matches.append(found[0])
                i = found[1]
            else:
                i += 1
        return matches

    def _may_start(self, article, tokens, keys_of_words, i) -> bool:
        word = keys_of_words[i]
        if word and (word.split()[0] in self.first_words or _plain(tokens[i].text) in self.first_words):
            return True
        if _plain(tokens[i].text) in self.leading and i + 1 < len(tokens):
            gap = article[tokens[i].end:tokens[i + 1].start]
            return gap == "-" or tokens[i].text.lower() in ("al", "el")
        return False

    def _longest_at(self, article, tokens, keys_of_words, i):
        last = i
        while last + 1 < len(tokens) and last + 1 - i < self.max_words and _joins(article, tokens[last], tokens[last + 1]):
            last += 1
        for j in range(last, i - 1, -1):
            if not keys_of_words[j]:
                continue  # a match does not end on an article
            window = article[tokens[i].start:tokens[j].end]
            key = self.key_of(window)
            if key in self.keys and (key in self._loose or not any(c.islower() for c in window)):
                return PhraseMatch(tokens[i].start, tokens[j].end, key, tuple(sorted(self.keys[key]))), j + 1
        return None


def _joins(article: str, left: Token, right: Token) -> bool:
    """True when the text between two words may sit inside one name (a full stop only after an initial: "U.S.")."""
    gap = article[left.end:right.start]
    if len(gap) > _LONGEST_NAME_GAP:
        return False
    if _NAME_GAP.fullmatch(gap):
        return True
    return len(left.text) == 1 and left.text.isupper() and bool(_INITIAL_GAP.fullmatch(gap))


def _is_acronym(spelling: str) -> bool:
    letters = [c for c in spelling if c.isalpha()]
    return bool(letters) and len(letters) <= 6 and not any(c.islower() for c in letters)


def _plain(word: str) -> str:
    return re.sub(r"['\u2019\u02bc]", "", word).lower()


@lru_cache(maxsize=1 << 16)
def plain_key(text: str) -> str:
    """Lower case, apostrophes removed, any other punctuation turned into one space.

    Used for names of armed groups, where the folding of place names
    (dropped articles, "United States" -> "us") would be wrong.

    >>> plain_key("Kata'ib Hezbollah")
    'kataib hezbollah'
    """
    text = strip_accents(text).lower()
    text = re.sub(r"['\u2019\u02bc\u2018`]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class Coverage:
    """Which characters of a text are already taken: :meth:`claim` takes a span when none of it is, in time
    proportional to the span's length (first come, first served; later overlapping spans are refused)."""

    def __init__(self, length: int = 0):
        self._taken = bytearray(length)

    def claim(self, start: int, end: int) -> bool:
        """Take ``[start, end)`` and return True, or return False when part of it is already taken."""
        if end > len(self._taken):
            self._taken.extend(bytes(end - len(self._taken)))
        if 1 in self._taken[start:end]:
            return False
        self._taken[start:end] = b"\x01" * (end - start)
        return True


class SpanSet:
    """Spans that never overlap (dicts with ``start`` and ``end``), kept in order; finding the ones that a new
    span would overlap costs a binary search, not a pass over all of them."""

    def __init__(self, items: Iterable[dict] = ()):
        self.items: list[dict] = []
        self._starts: list[int] = []
        for item in items:
            self.add(item)

    def overlapping(self, start: int, end: int) -> list[dict]:
        """The spans that overlap ``[start, end)``, in order."""
        last = bisect_left(self._starts, end) - 1
        first = last
        while first >= 0 and self.items[first]["end"] > start:
            first -= 1
        return self.items[first + 1:last + 1]

    def add(self, item: dict) -> None:
        """Add a span that overlaps none of those held."""
        index = bisect_left(self._starts, item["start"])
        self._starts.insert(index, item["start"])
        self.items.insert(index, item)

    def remove(self, items: list[dict]) -> None:
        """Remove spans returned by :meth:`overlapping`."""
        for item in items:
            index = bisect_left(self._starts, item["start"])
            while self.items[index] is not item:
                index += 1
            del self._starts[index]
            del self.items[index]
