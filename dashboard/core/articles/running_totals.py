"""Find running totals of attacks ("attacked at least 66 times since Oct. 17") with their split and speaker."""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left

from dashboard.core.articles.text import NUMBER, Sentence, parse_number, span

_QUALIFIER = (r"(?P<q>a total of|in total|at least|more than|over|upwards? of|nearly|almost|about|around|"
              r"roughly|approximately|some|close to)")
_TOTAL = re.compile(
    rf"\b(?:{_QUALIFIER}[ \t]{{1,10}})?(?P<n>{NUMBER})[ \t]{{1,10}}(?:separate\s{{1,10}}|such\s{{1,10}}|recorded\s{{1,10}})?"
    rf"(?:(?:drone|rocket|missile)(?:,?\s{{1,10}}(?:and\s{{1,10}})?(?:drone|rocket|missile)){{0,4}}\s{{1,10}})?"
    r"(?P<noun>attacks|times|occasions|(?:separate\s{1,10}|recorded\s{1,10})?incidents)\b",
    re.IGNORECASE,
)
#: "the number of attacks ... has risen to 130": the noun before the number.
_NUMBER_OF = re.compile(
    rf"\b(?:number|tally|count|total) of (?:(?:drone|rocket|missile)\s{{1,10}})?attacks\b[^.;]{{0,120}}?\b(?:increased|risen|rose|"
    rf"grown|grew|climbed|reached|stands|stood|jumped)\s{{1,10}}(?:to\s{{1,10}}|at\s{{1,10}})?(?:{_QUALIFIER}\s{{1,10}})?(?P<n>{NUMBER})\b",
    re.IGNORECASE)
#: "brought the number of (recorded) attacks on US bases in Syria to 71".
_BROUGHT_TO = re.compile(
    rf"\b(?:brought|brings|bringing|raised|raises|raising|took|takes|taking|pushed|pushing)\s{{1,10}}the\s{{1,10}}(?:number|tally|"
    rf"count|total)\s{{1,10}}of\s{{1,10}}[^.;]{{0,100}}?\bto\s{{1,10}}(?:{_QUALIFIER}\s{{1,10}})?(?P<n>{NUMBER})\b", re.IGNORECASE)
#: "the 39th recorded attack on US bases in Syria since Oct. 19": an ordinal is a running total (with a marker).
_ORDINAL_THE = re.compile(r"\b(?:(?P<q>at least|more than)\s{1,10})?the\s{1,10}(?P<n>\d{1,4})(?:st|nd|rd|th)\s{1,10}"
                          r"(?:on|against|to target)\b", re.IGNORECASE)
_ORDINAL = re.compile(r"\b(?P<n>\d{1,4})(?:st|nd|rd|th)\s{1,10}(?:recorded\s{1,10}|such\s{1,10}|known\s{1,10}|documented\s{1,10})?"
                      r"(?:attack|assault|operation)\b", re.IGNORECASE)
#: "attacks on US service members, of which there have been more than 160 since mid-October".
_OF_WHICH = re.compile(rf"\battacks\b[^;]{{0,80}}?\bof which there (?:have|has) been\s{{1,10}}(?:{_QUALIFIER}\s{{1,10}})?(?P<n>{NUMBER})\b",
                       re.IGNORECASE)
#: A sentence that splits the total of the sentence before ("Of this number, 53 ... in Iraq and 77 in Syria").
_SPLIT_OPENING = re.compile(r"\s{0,10}(?:Of (?:this|that|the) (?:number|total|figure)|Of (?:those|these|them)|Among (?:them|those|these))\b",
                            re.IGNORECASE)
#: A speech verb right before a date: the day a figure was stated, its as-of date.
_STATED_ON = re.compile(r"\b(?:said|says|told|stated|announced|confirmed|reported|added)\s{1,10}(?:on\s{1,10})?$", re.IGNORECASE)
_ATTACK_VERB = re.compile(r"\b(?:attacked|targeted|struck|hit|attacks?|came under|come under|fired (?:up)?on)\b",
                          re.IGNORECASE)
#: Words that make a number of attacks a running total rather than a description of one event.
_TOTAL_MARKERS = re.compile(r"\b(?:since|total|so far|to date|in all|tally|count|counted)\b", re.IGNORECASE)
_SPLIT = re.compile(
    rf"\b(?P<n>{NUMBER})\s{{1,10}}(?:(?:attacks?|times|of them|of those|occurring|occurred|took place|were|happened|more|"
    rf"targeted|targeting|struck|hit|on|against|at|US|U\.S\.|American|bases?|forces|troops|facilities|positions|separate|of|the)"
    rf"\s{{1,10}}){{0,5}}"
    r"in\s{1,10}(?P<country>Iraq|Syria|Jordan)\b",
    re.IGNORECASE,
)
_SPLIT_AFTER = re.compile(rf"\b(?P<country>Iraq|Syria|Jordan)\s{{0,10}}\((?P<n>{NUMBER})\)")
_FOLLOWED_BY_COUNTRY = re.compile(r"\s{1,10}(?:\w{1,40}\s{1,10}){0,3}?in\s{1,10}(?:Iraq|Syria|Jordan)\b", re.IGNORECASE)
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
        ``reported_by_kind`` (or None), ``match`` and ``evidence`` (spans),
        ``notes`` (how a detail was read, for the reviewer) and ``flags``
        (what does not add up: a split by country whose sum is not the
        total; the figures are kept as stated). A split read from the next
        sentence also has ``split_evidence``.
    """
    counts = []
    dates = sorted(dates, key=lambda d: d["start"])
    date_starts = [d["start"] for d in dates]
    with_total: set[int] = set()  # starts of the sentences that already gave a total
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if index and sentences[index - 1].start in with_total and _SPLIT_OPENING.match(text):
            continue  # the split of the total before it, read by _split_from_next_sentence
        matches = {m.start("n"): m for m in [*_NUMBER_OF.finditer(text), *_BROUGHT_TO.finditer(text), *_TOTAL.finditer(text)]}
        if _TOTAL_MARKERS.search(text):
            matches.update({m.start("n"): m for m in [*_ORDINAL.finditer(text), *_OF_WHICH.finditer(text)]})
            if re.search(r"\battack", text, re.IGNORECASE):  # "Sunday's attack was at least the 32nd on US forces"
                matches.update({m.start("n"): m for m in _ORDINAL_THE.finditer(text)})
        by_country = [start for start, m in matches.items() if _FOLLOWED_BY_COUNTRY.match(text, m.end())]
        if len(matches) > len(by_country) and by_country:  # "14 times in Iraq and nine in Syria, for a total
            matches = {k: v for k, v in matches.items() if k not in by_country}  # of 23": the split of 23
        elif by_country and len(matches) == len(by_country):
            if index and sentences[index - 1].start in with_total:
                continue  # "... at least 102 attacks. 47 were in Iraq and 55 in Syria": the split of the total before
            split = _splits(text, 0)
            if len(split) >= 2:  # "As of Thursday, 36 attacks in Iraq and 37 in Syria": only the split is given
                first = matches[min(matches)]
                in_sentence = dates[bisect_left(date_starts, sentence.start):bisect_left(date_starts, sentence.end)]
                count = _count(article, sentence, first, sum(split.values()), in_sentence, attributions[index], published_iso)
                count["by_country"] = split
                count["notes"].append("the text gives only the split by country; the total is its sum")
                counts.append(count)
                with_total.add(sentence.start)
                continue
        for match in (matches[start] for start in sorted(matches)):
            total = parse_number(match.group("n"))
            if total is None or total < 2:
                continue
            noun = match.groupdict().get("noun")
            if noun and not noun.lower().endswith(("attacks", "incidents")) and not _ATTACK_VERB.search(text, 0, match.start()):
                continue
            if noun and noun.lower().endswith("incidents") and not _TOTAL_MARKERS.search(text):
                continue
            if not (_TOTAL_MARKERS.search(text) or total >= 10):
                continue
            if sentence.start in with_total and _FOLLOWED_BY_COUNTRY.match(text, match.end()):
                continue  # "29 attacks in Iraq" after a total in the same sentence is part of that total's split
            in_sentence = dates[bisect_left(date_starts, sentence.start):bisect_left(date_starts, sentence.end)]
            counts.append(_count(article, sentence, match, total, in_sentence, attributions[index], published_iso))
            with_total.add(sentence.start)
    for count in counts:
        _split_from_next_sentence(article, count, sentences, with_total)
        _check_split(count)
    return _once_each(counts)


def _once_each(counts: list[dict]) -> list[dict]:
    """One count per figure: a headline and a quote giving the same total are one total, kept where the text
    says the most about it (a split, a speaker, a stated date)."""
    best: dict[int, tuple] = {}
    for count in counts:
        detail = (len(count["by_country"]), count["reported_by"] is not None, count["as_of_basis"] == "stated")
        held = best.get(count["total"])
        if held is None or detail > held[0]:
            best[count["total"]] = (detail, count)
    kept = {id(c) for _, c in best.values()}
    return [c for c in counts if id(c) in kept]


def _split_from_next_sentence(article: str, count: dict, sentences: list[Sentence], with_total: set[int]) -> None:
    """A total stated without its split takes the split of the next sentence when that sentence states no total
    of its own ("... 66 attacks since Oct. 17. Of those, 32 were in Iraq and 34 in Syria.")."""
    if count["by_country"]:
        return
    following = next((s for s in sentences if s.start >= count["evidence"]["end"]), None)
    if following is None or following.start in with_total:
        return
    by_country = _splits(following.text, 0)
    if by_country:
        count["by_country"] = by_country
        count["split_evidence"] = following.span()
        count["notes"].append("split by country read from the next sentence")


def _check_split(count: dict) -> None:
    """Flag a total whose split over two or more countries sums to something else; both are kept as stated."""
    split = count["by_country"]
    if len(split) < 2:
        return
    added = sum(split.values())
    lower_bound = count["qualifier"] in ("at_least", "more_than")  # "at least 60: 32 in Iraq, 34 in Syria" adds up
    if added < count["total"] or (added > count["total"] and not lower_bound):
        parts = " + ".join(f"{n} in {c}" for c, n in split.items())
        count["flags"].append(f"the split by country ({parts} = {added}) does not add up to the stated "
                              f"total of {count['total']}; both are kept as stated")


def _splits(text: str, start: int, total: int | None = None) -> dict[str, int]:
    by_country: dict[str, int] = {}
    for split in list(_SPLIT.finditer(text, start)) + list(_SPLIT_AFTER.finditer(text, start)):
        number = parse_number(split.group("n"))
        country = split.group("country").title()
        if number is not None and number != total and country not in by_country:
            by_country[country] = number
    return by_country


def _count(article, sentence, match, total, dates, speakers, published_iso) -> dict:
    text = sentence.text
    qualifier_text = (match.groupdict().get("q") or "").lower()
    qualifier = QUALIFIERS.get(qualifier_text, "about")
    by_country = _splits(text, match.end(), total) or _splits(text[:match.start()], 0, total)
    notes = []
    named = sorted({c.group() for c in re.finditer(r"\b(?:Iraq|Syria|Jordan)\b", text)})
    if not by_country and len(named) == 1:
        by_country = {named[0]: total}  # "46 attacks on US bases in Syria since Oct. 19": a tally for Syria
        notes.append(f"a tally of attacks in {named[0]} only, as the sentence reads")
    since = as_of = None
    for date in dates:
        if not (sentence.start <= date["start"] < sentence.end):
            continue
        before = article[max(sentence.start, date["start"] - 12):date["start"]].lower()
        if re.search(r"\bsince\s+$", before) and since is None:
            since = date["date"]
        elif re.search(r"\b(?:between|from)\s+$", before) and since is None:
            since = date["date"]  # "between October 17 and 26": the period's first and last days
            as_of = as_of or _range_end(article, date, dates, sentence.end)
        elif re.search(r"\b(?:as of|by|through|until)\s+$", before) and as_of is None:
            as_of = date["date_end"]
        elif _STATED_ON.search(article, max(sentence.start, date["start"] - 30), date["start"]) and as_of is None \
                and date["precision"] == "day":
            as_of = date["date_end"]  # "Ryder said on January 11 that ...": the day the figure was given
    if as_of is None:  # "On Tuesday, the spokesman said ... 27 times": the day it was said
        days = [d for d in dates if sentence.start <= d["start"] < sentence.end and d["precision"] == "day"
                and d["date"] != since and not d.get("dateline")]
        if len(days) == 1 and speakers:
            as_of = days[0]["date_end"]
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
        "notes": notes,
        "flags": [],
    }


_RANGE_JOIN = re.compile(r"\s{1,10}(?:and|to|through|until|-|\u2013)\s{1,10}")
_DAY_ONLY = re.compile(r"(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?\b")


def _range_end(article: str, first: dict, dates: list[dict], limit: int) -> str | None:
    """The last day of "between <first> and <last>": a date mention right after the join word, or a bare day
    of the same month ("between October 17 and 26")."""
    join = _RANGE_JOIN.match(article, first["end"], limit)
    if join is None:
        return None
    after = next((d for d in dates if d["start"] == join.end()), None)
    if after is not None:
        return after["date_end"]
    day = _DAY_ONLY.match(article, join.end(), limit)
    if day is None or first["precision"] != "day":
        return None
    try:
        return dt.date.fromisoformat(first["date"]).replace(day=int(day.group("day"))).isoformat()
    except ValueError:
        return None
