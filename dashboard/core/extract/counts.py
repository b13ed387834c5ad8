"""Find running totals of attacks ("attacked at least 66 times since Oct. 17") with their split and speaker."""
from __future__ import annotations

import re

from .text import NUMBER, Sentence, parse_number, span

_QUALIFIER = (r"(?P<q>a total of|in total|at least|more than|over|upwards? of|nearly|almost|about|around|"
              r"roughly|approximately|some|close to)")
_TOTAL = re.compile(
    rf"\b(?:{_QUALIFIER}\s+)?(?P<n>{NUMBER})\s+(?:separate\s+|such\s+|(?:drone|rocket|missile)(?:,?\s+(?:and\s+)?(?:drone|rocket|missile))*\s+)?"
    r"(?P<noun>attacks|times)\b",
    re.IGNORECASE,
)
_ATTACK_VERB = re.compile(r"\b(?:attacked|targeted|struck|hit)\b", re.IGNORECASE)
#: Words that make a number of attacks a running total rather than a description of one event.
_TOTAL_MARKERS = re.compile(r"\b(?:since|total|so far|to date|in all|tally|count|counted)\b", re.IGNORECASE)
_SPLIT = re.compile(
    rf"\b(?P<n>{NUMBER})\s+(?:(?:attacks?|times|of them|of those|occurring|took place|were|happened)\s+){{0,2}}"
    r"in\s+(?P<country>Iraq|Syria|Jordan)\b",
    re.IGNORECASE,
)
_SPLIT_AFTER = re.compile(rf"\b(?P<country>Iraq|Syria|Jordan)\s*\((?P<n>{NUMBER})\)")
QUALIFIERS = {
    "": "exact", "a total of": "exact", "in total": "exact", "at least": "at_least", "more than": "more_than",
    "over": "more_than", "upwards of": "more_than", "upward of": "more_than",
}


def find_counts(article: str, sentences: list[Sentence], dates: list[dict], attributions: list[list[dict]],
                published_iso: str) -> list[dict]:
    """Running totals of attacks stated in the article.

    A number of "attacks" (or of "times" after a verb such as *attacked*) is a
    running total when its sentence says so ("since", "total", "so far", "to
    date", ...) or when it is 10 or more.

    Parameters
    ----------
    article : str
        The article text.
    sentences : list of Sentence
        From :func:`split_sentences`.
    dates : list of dict
        From :func:`find_dates`; "since X" and "as of X" are taken from them.
    attributions : list of list of dict
        The speakers of each sentence (:func:`attributions_by_sentence`).
    published_iso : str
        The publication date, used as ``as_of`` when the text gives none.

    Returns
    -------
    list of dict
        Each has ``total``, ``qualifier`` (``exact``, ``at_least``,
        ``about``, ``more_than``), ``by_country`` ({country: number}),
        ``since`` and ``as_of`` (ISO dates or None), ``as_of_basis``
        (``stated`` or ``publication date``), ``reported_by`` and
        ``reported_by_kind`` (or None), ``match`` and ``evidence`` (spans).
    """
    counts = []
    for index, sentence in enumerate(sentences):
        text = sentence.text
        for match in _TOTAL.finditer(text):
            total = parse_number(match.group("n"))
            if total is None or total < 2:
                continue
            if match.group("noun").lower() == "times" and not _ATTACK_VERB.search(text[:match.start()]):
                continue
            if not (_TOTAL_MARKERS.search(text) or total >= 10):
                continue
            if _is_part_of_split(text, match, counts, sentence):
                continue
            counts.append(_count(article, sentence, match, total, dates, attributions[index], published_iso))
    return counts


def _is_part_of_split(text: str, match: re.Match, counts: list[dict], sentence: Sentence) -> bool:
    """"29 attacks in Iraq" after a total in the same sentence is part of that total's split."""
    follows = re.match(r"\s+(?:\w+\s+){0,2}?in\s+(?:Iraq|Syria|Jordan)\b", text[match.end():], re.IGNORECASE)
    return bool(follows) and any(c["evidence"]["start"] == sentence.start for c in counts)


def _count(article, sentence, match, total, dates, speakers, published_iso) -> dict:
    text = sentence.text
    qualifier_text = (match.group("q") or "").lower()
    qualifier = QUALIFIERS.get(qualifier_text, "about")
    by_country: dict[str, int] = {}
    for split in list(_SPLIT.finditer(text, match.end())) + list(_SPLIT_AFTER.finditer(text, match.end())):
        number = parse_number(split.group("n"))
        country = split.group("country").title()
        if number is not None and number != total and country not in by_country:
            by_country[country] = number
    since = as_of = None
    for date in dates:
        if not (sentence.start <= date["start"] < sentence.end):
            continue
        before = article[max(sentence.start, date["start"] - 12):date["start"]].lower()
        if re.search(r"\bsince\s+$", before) and since is None:
            since = date["date"]
        elif re.search(r"\b(?:as of|by|through|until)\s+$", before) and as_of is None:
            as_of = date["date_end"]
    speaker = speakers[0] if speakers else None
    return {
        "total": total,
        "qualifier": qualifier,
        "by_country": by_country,
        "since": since,
        "as_of": as_of or published_iso,
        "as_of_basis": "stated" if as_of else "publication date",
        "reported_by": speaker["who"] if speaker else None,
        "reported_by_kind": speaker["kind"] if speaker else None,
        "match": span(article, sentence.start + match.start(), sentence.start + match.end()),
        "evidence": sentence.span(),
    }
