"""Find running totals of attacks ("attacked at least 66 times since Oct. 17") with their split and speaker."""
from __future__ import annotations

import re
from bisect import bisect_left

from dashboard.core.articles.text import NUMBER, Sentence, parse_number, span

_QUALIFIER = (r"(?P<q>a total of|in total|at least|more than|over|upwards? of|nearly|almost|about|around|"
              r"roughly|approximately|some|close to)")
_TOTAL = re.compile(
    rf"\b(?:{_QUALIFIER}\s{{1,10}})?(?P<n>{NUMBER})\s{{1,10}}(?:separate\s{{1,10}}|such\s{{1,10}}|"
    rf"(?:drone|rocket|missile)(?:,?\s{{1,10}}(?:and\s{{1,10}})?(?:drone|rocket|missile)){{0,4}}\s{{1,10}})?"
    r"(?P<noun>attacks|times)\b",
    re.IGNORECASE,
)
_ATTACK_VERB = re.compile(r"\b(?:attacked|targeted|struck|hit)\b", re.IGNORECASE)
#: Words that make a number of attacks a running total rather than a description of one event.
_TOTAL_MARKERS = re.compile(r"\b(?:since|total|so far|to date|in all|tally|count|counted)\b", re.IGNORECASE)
_SPLIT = re.compile(
    rf"\b(?P<n>{NUMBER})\s{{1,10}}(?:(?:attacks?|times|of them|of those|occurring|took place|were|happened)\s{{1,10}}){{0,2}}"
    r"in\s{1,10}(?P<country>Iraq|Syria|Jordan)\b",
    re.IGNORECASE,
)
_SPLIT_AFTER = re.compile(rf"\b(?P<country>Iraq|Syria|Jordan)\s{{0,10}}\((?P<n>{NUMBER})\)")
_FOLLOWED_BY_COUNTRY = re.compile(r"\s{1,10}(?:\w{1,40}\s{1,10}){0,2}?in\s{1,10}(?:Iraq|Syria|Jordan)\b", re.IGNORECASE)
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
    dates = sorted(dates, key=lambda d: d["start"])
    date_starts = [d["start"] for d in dates]
    with_total: set[int] = set()  # starts of the sentences that already gave a total
    for index, sentence in enumerate(sentences):
        text = sentence.text
        for match in _TOTAL.finditer(text):
            total = parse_number(match.group("n"))
            if total is None or total < 2:
                continue
            if match.group("noun").lower() == "times" and not _ATTACK_VERB.search(text, 0, match.start()):
                continue
            if not (_TOTAL_MARKERS.search(text) or total >= 10):
                continue
            if sentence.start in with_total and _FOLLOWED_BY_COUNTRY.match(text, match.end()):
                continue  # "29 attacks in Iraq" after a total in the same sentence is part of that total's split
            in_sentence = dates[bisect_left(date_starts, sentence.start):bisect_left(date_starts, sentence.end)]
            counts.append(_count(article, sentence, match, total, in_sentence, attributions[index], published_iso))
            with_total.add(sentence.start)
    return counts


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
